"""The map page's pieces: the layers for a filter, the map itself, the note under it, the selected event.

The base map (outlines, legend, first view) stays the same across reruns so the
browser keeps it; the data layers travel as ``feature_group_to_add`` and are
swapped in place when the filters change. Large filtered sets are drawn as
density cells aggregated in the database, never as 100k points. A click
returns the marker's tooltip text, which carries the event id
(``render.layers.EVENT_ID_TAG``); the id is kept in session state.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from conflictmap.config import ROOT
from conflictmap.model import EventFilter
from conflictmap.render import html
from conflictmap.render.assets import VENDOR_URL
from conflictmap.render.layers import LayerData, event_id_from_tooltip, initial_bounds
from conflictmap.render.maps import build_base_map, build_event_layer, build_grid_layer, build_reference_layer
from conflictmap.ui.layout import safe_html
from conflictmap.ui.queries import (
    basemap,
    density_cells,
    event_detail,
    event_layer,
    event_sources,
    map_labels,
    reference_layer,
)
from conflictmap.ui.resources import settings
from conflictmap.ui.state import MAP_KEY, QP_ARTICLE, SS_MAP_BOUNDS, SS_SELECTED

BASEMAP_PATH = ROOT / "data" / "basemap" / "countries-110m.geojson"


@dataclass(frozen=True)
class MapLayers:
    """The data layers of one map view.

    ``events`` (points) and ``cells`` (density cells) exclude each other:
    ``cells`` is set when ``total`` exceeds ``point_limit``.
    """

    total: int
    point_limit: int
    events: LayerData | None = None
    cells: list[dict[str, Any]] | None = None
    reference: LayerData | None = None

    @property
    def dense(self) -> bool:
        """Too many events to draw as points: the map shows density cells."""
        return self.cells is not None


def map_layers(db_url: str, flt: EventFilter, total: int, with_reference: bool) -> MapLayers:
    """The cached layers for ``flt``: points, or density cells past ``map_point_limit``; the reference layer."""
    limit = settings().map_point_limit
    dense = total > limit
    return MapLayers(
        total=total,
        point_limit=limit,
        events=None if dense else event_layer(db_url, flt),
        cells=density_cells(db_url, flt)[1] if dense else None,
        reference=reference_layer(db_url, flt) if with_reference else None,
    )


def event_map(layers: MapLayers, online: bool) -> str | None:
    """Show the map; return the id of the event last clicked, if any."""
    if SS_MAP_BOUNDS not in st.session_state:
        st.session_state[SS_MAP_BOUNDS] = initial_bounds(layers.events.bounds if layers.events else None, layers.cells)
    fmap = build_base_map(
        basemap(str(BASEMAP_PATH)),
        labels=map_labels(),
        bounds=st.session_state[SS_MAP_BOUNDS],
        online_tiles=online,
        with_reference=layers.reference is not None,
        density=layers.events is None and layers.cells is not None,
        vendor_url=VENDOR_URL,
    )
    # Reference first: layers added later are drawn on top, and the news events matter most.
    groups = [build_reference_layer(layers.reference, VENDOR_URL)] if layers.reference is not None else []
    if layers.events is not None:
        groups.append(build_event_layer(layers.events, VENDOR_URL))
    elif layers.cells is not None:
        groups.append(build_grid_layer(layers.cells, layers.total))
    out = st_folium(
        fmap,
        key=MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=groups,
    )
    clicked = event_id_from_tooltip((out or {}).get("last_object_clicked_tooltip"))
    if clicked:
        st.session_state[SS_SELECTED] = clicked
    return st.session_state.get(SS_SELECTED)


def map_notice(layers: MapLayers) -> None:
    """Say why the map shows density circles, or that nothing matches."""
    if layers.dense:
        st.info(f"{layers.total:,} events match: the map shows where they are as density circles. "
                f"Narrow the filters below {layers.point_limit:,} events to see each event and its source.")
    elif layers.total == 0:
        st.warning("No event matches these filters.")


def map_and_details(db_url: str, layers: MapLayers, online: bool) -> None:
    """The map with its note (three quarters of the width) beside the selected event.

    Parameters
    ----------
    db_url : str
        The store the selected event is read from.
    layers : MapLayers
        The data layers (:func:`map_layers`).
    online : bool
        Draw the online street map under the country outlines.
    """
    map_col, detail_col = st.columns([3, 1], gap="medium")
    with map_col:
        selected = event_map(layers, online=online)
        map_notice(layers)
    with detail_col:
        st.subheader("Selected event")
        event_details(event_detail(db_url, selected) if selected else None)


def event_details(event: Mapping[str, Any] | None) -> None:
    """The chosen event and every source that reported it."""
    if event is None:
        st.info("Click a marker on the map to see the event and all its sources here.")
        return
    deaths = html.fatalities_label(event.get("fatalities_best"), event.get("fatalities_low"),
                                   event.get("fatalities_high"))
    excerpt = html.excerpt_html(event.get("excerpt") or "", event.get("place_start"), event.get("place_end"), 400)
    safe_html(
        f"<h4>{html.escape_text(event['event_type'])}: {html.escape_text(event.get('place'))}</h4>"
        f"<p>{html.date_label(event['event_date'], event.get('time_precision'), event.get('date_phrase') or '')}"
        f"<br>Fatalities: {html.escape_text(deaths)}"
        f"<br>Actors: {html.escape_text(', '.join(event.get('actors') or []) or 'not named')}</p>"
        f"<blockquote>{excerpt}</blockquote>"
    )
    sources = event_sources(settings().db_url, event["event_id"])
    st.markdown(f"**Sources ({len(sources)})**")
    for src in sources:
        published = src["published"].isoformat() if src.get("published") else "undated"
        safe_html(
            f"<p><b>{html.escape_text(src.get('title'))}</b> ({published})<br>"
            f"<i>{html.escape_text(src.get('excerpt'))}</i><br>{html.link_html(src.get('url'))}</p>"
        )
        st.page_link("pages/2_Articles.py", label="Read this article", query_params={QP_ARTICLE: src["article_id"]})
