"""The Alerts page's map: one circle per surging unit on the dashboard's offline base map. Pure.

The base map (outlines, labels, local Leaflet) is ``maps.build_base_map``'s, so
this page draws with the same stack as the Map page; only the data layer and
the legend differ. A circle sits at the mean position of the unit's events in
the alert's week, its radius grows with the ratio to the baseline, and its
popup is escaped here (``render.html``): a unit's name comes from the
gazetteer or from a correction someone typed, so it is treated as untrusted.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import folium

from conflictmap.render.html import escape_text, link_html
from conflictmap.render.maps import _MapSetup, build_base_map

ALERT_COLOR = "#c0392b"
NEW_COLOR = "#7d3c98"
#: Circle radii in pixels: a doubling (the least ratio that alerts by default) is the smallest.
MIN_RADIUS, MAX_RADIUS = 7.0, 20.0


class AlertPoint(TypedDict):
    """What the map needs of an alert (``conflictmap.alerts.surge_record`` has these keys and more)."""

    lat: float
    lon: float
    unit: str
    kind: str
    events: int
    fatalities: int
    ratio: float | None
    window_start: str
    window_end: str
    link: str


def alert_radius(ratio: float | None) -> float:
    """Radius for a ratio: logarithmic from 2x (``MIN_RADIUS``) to 32x and above; no baseline is the largest."""
    if ratio is None:
        return MAX_RADIUS
    step = (MAX_RADIUS - MIN_RADIUS) / 4  # 2x, 4x, 8x, 16x, 32x
    return round(min(MAX_RADIUS, max(MIN_RADIUS, MIN_RADIUS + step * (math.log2(max(ratio, 1.0)) - 1))), 1)


def alert_popup_html(point: Mapping[str, Any]) -> str:
    """The popup: unit, this week's figures, the ratio, and the link to the filtered map, all escaped."""
    ratio = point.get("ratio")
    ratio_text = f"{ratio:g}x its 12-week baseline" if isinstance(ratio, (int, float)) else "no events before"
    return (
        f"<b>{escape_text(point.get('unit'))}</b> ({escape_text(point.get('kind'))})<br>"
        f"{int(point.get('events') or 0)} events, {int(point.get('fatalities') or 0)} deaths, "
        f"{escape_text(point.get('window_start'))} to {escape_text(point.get('window_end'))}<br>"
        f"{escape_text(ratio_text)}<br>{link_html(point.get('link'), 'Open on the map')}"
    )


def _legend() -> str:
    return (
        "<details open><summary><b>Surge alerts</b></summary>"
        f'<div><i style="background:{ALERT_COLOR}"></i>surge (size: times the baseline)</div>'
        f'<div><i style="background:{NEW_COLOR}"></i>new: no events in the 12 weeks before</div></details>'
    )


def alerts_bounds(points: Sequence[Mapping[str, Any]]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the points, at least two degrees wide; None without points."""
    if not points:
        return None
    lats = [float(p["lat"]) for p in points]
    lons = [float(p["lon"]) for p in points]
    pad_lat = max(1.0, (max(lats) - min(lats)) * 0.1)
    pad_lon = max(1.0, (max(lons) - min(lons)) * 0.1)
    return [[min(lats) - pad_lat, min(lons) - pad_lon], [max(lats) + pad_lat, max(lons) + pad_lon]]


def build_alerts_map(points: Sequence[Mapping[str, Any]], basemap: Mapping[str, Any] | str | None = None, *,
                     basemap_url: str | None = None, labels: str | None = None, labels_url: str | None = None,
                     vendor_url: str = "/app/static/vendor", online_tiles: bool = False) -> folium.Map:
    """The offline base map with one escaped circle per alert.

    Parameters
    ----------
    points : sequence of AlertPoint
        The alerts to draw.
    basemap, basemap_url, labels, labels_url, vendor_url, online_tiles
        As :func:`conflictmap.render.maps.build_base_map`.

    Returns
    -------
    folium.Map
        A map whose scripts come from ``vendor_url`` only.
    """
    fmap = build_base_map(basemap, basemap_url=basemap_url, labels=labels, labels_url=labels_url,
                          bounds=alerts_bounds(points), online_tiles=online_tiles, vendor_url=vendor_url)
    # build_base_map's legend names event types; these circles are alerts, so say that instead.
    for child in fmap._children.values():
        if isinstance(child, _MapSetup):
            child.legend_html = _legend()
    group = folium.FeatureGroup(name="Surge alerts", control=False)
    for point in points:
        color = NEW_COLOR if point.get("kind") == "new" else ALERT_COLOR
        folium.CircleMarker(
            location=[float(point["lat"]), float(point["lon"])],
            radius=alert_radius(point.get("ratio")),
            color=color, weight=2, fill=True, fill_color=color, fill_opacity=0.45,
            tooltip=escape_text(point.get("unit")),
            popup=folium.Popup(alert_popup_html(point), max_width=320),
        ).add_to(group)
    group.add_to(fmap)
    return fmap
