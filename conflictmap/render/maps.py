"""Folium builders for the dashboard map. Pure: records in, ``folium.Map`` out.

Everything that came from an article (titles, excerpts, place names, URLs) is
HTML-escaped in Python (``render.html``, packed by ``render.layers``) before it
reaches the browser; the JavaScript in ``render.map_scripts`` only concatenates
those already-escaped strings. Each data layer is one marker cluster whose rows
are compact JSON lists: the browser builds the markers and clusters them, so
50,000 events cost one JSON array, not 50,000 Python objects.

Imports: the pure helpers ``layers``, ``html``, ``map_scripts`` (standard
library and ``model`` only) and ``folium`` (see docs/ARCHITECTURE.md).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from folium.plugins import MarkerCluster
from folium.template import Template, tojavascript

from conflictmap.model import EventFilter
from conflictmap.render import map_scripts
from conflictmap.render.html import escape_text
from conflictmap.render.layers import (
    DENSITY_COLOR,
    EVENT_ID_TAG,
    MAP_PERIOD_VALUE,
    OTHER_COLOR,
    REFERENCE_COLOR,
    REFERENCE_CREDIT,
    TYPE_COLORS,
    LayerData,
    event_layer_data,
    events_bounds,
    js_json,
    reference_layer_data,
    view_filter,
)

BASEMAP_CREDIT = "Natural Earth (public domain)"


def _markercluster_assets(vendor_url: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    js = [("markerclusterjs", f"{vendor_url}/markercluster/leaflet.markercluster.js")]
    css = [
        ("markerclustercss", f"{vendor_url}/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{vendor_url}/markercluster/MarkerCluster.Default.css"),
    ]
    return js, css


class _RawScript(folium.Element):
    """Script text added to the figure as a value, not as a template source.

    branca turns every rendered macro into ``Element(text)``, which compiles
    ``text`` as a Jinja template: for 50,000 rows that lexing alone took 0.4 s.
    """

    _template = Template("{{ this.code }}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class _RawMacro(folium.MacroElement):
    """An element whose script is built in Python (``script_code``) and never re-templated.

    streamlit-folium calls the ``script`` macro of each element; a static
    render goes through :meth:`render`. Either way large JSON (country outlines,
    labels) is pasted once, not lexed by Jinja on every rerun.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_code() }}{% endmacro %}")

    def script_code(self) -> str:
        """The element's JavaScript."""
        raise NotImplementedError

    def render(self, **kwargs: Any) -> None:
        """Add the script to the page as a value."""
        self.get_root().script.add_child(_RawScript(self.script_code()), name=self.get_name())


class _JsonCluster(MarkerCluster):
    """A marker cluster the browser builds from a packed layer and keeps across reruns.

    The layer's rows come once, from ``source_url`` (a file the dashboard
    publishes) or inline; the browser keeps them, with the cluster, under
    ``key`` (``map_scripts.LAYER_VIEW``). Each rerun sends only ``view``, the
    rows to show (``layers.view_filter``), so a date or type change re-filters
    markers already in the browser instead of sending and clustering them again.
    Markers are made, and their tooltips and popups bound, on first use.
    """

    def __init__(self, data: LayerData, markers_js: str, icon: str, name: str, vendor_url: str,
                 key: str, view: Mapping[str, Any], source_url: str | None = None, period_at: int | None = None,
                 **options: Any) -> None:
        super().__init__(name=name, icon_create_function=icon, **options)
        self._name = "JsonCluster"
        self.key = key
        # ``at``: the last map period the view holds (``build_event_layer``'s ``period_at``).
        self.view = {**view, "at": period_at}
        self.source_js = f"{{url:{js_json(source_url)}}}" if source_url else f"{{data:{data.payload()}}}"
        self.markers_js = markers_js % {"tag": EVENT_ID_TAG}
        # Instance attributes, never add_js_link: that would edit folium's class-wide list.
        self.default_js, self.default_css = _markercluster_assets(vendor_url)

    # streamlit-folium renders each element's script macro on its own (feature_group_to_add).
    _template = Template("{% macro script(this, kwargs) %}{{ this.script_code() }}{% endmacro %}")

    def script_code(self) -> str:
        """The layer's script: ``map_scripts.LAYER_VIEW`` called with its key, source, view and options."""
        options = {k: v for k, v in self.options.items() if k != "iconCreateFunction"}
        code = (
            f"var {self.get_name()} = ({map_scripts.LAYER_VIEW})({js_json(self.key)}, {self.source_js}, "
            f"{json.dumps(self.view)}, {{cluster: {tojavascript(options)}, "
            f"icon: {self.icon_create_function.strip()}, markers: {self.markers_js}}});\n"
        )
        if self.show:
            code += f"{self.get_name()}.addTo({self._parent.get_name()});\n"
        return code

    def render(self, **kwargs: Any) -> None:
        """Add the asset links and the script; the (possibly large) inline data never goes through Jinja."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(folium.CssLink(url), name=name)
        figure.script.add_child(_RawScript(self.script_code()), name=self.get_name())


def layer_key(kind: str, data: LayerData) -> str:
    """A key naming a layer's rows in the browser when the caller gives none: its kind and content."""
    digest = hashlib.sha256(f"{data.tables}\x00{data.rows}\x00{data.keys}".encode()).hexdigest()[:20]
    return f"{kind}-{digest}"


#: Cluster markers in slices of a quarter second with a short pause between them: the page stays
#: responsive while 50,000 markers are clustered, without markercluster's default 50 ms pause
#: per slice (a fifth of the time spent waiting).
_CHUNKS = {"chunkedLoading": True, "chunkInterval": 250, "chunkDelay": 5}


def build_event_layer(
    events: LayerData | Iterable[Mapping[str, Any]],
    vendor_url: str = "/app/static/vendor",
    *,
    view: EventFilter | None = None,
    source_url: str | None = None,
    key: str | None = None,
    period_at: int | None = None,
) -> folium.FeatureGroup:
    """Build the clustered event layer: one marker cluster in a feature group.

    Parameters
    ----------
    events : LayerData or iterable of mapping
        Packed data from :func:`event_layer_data`, or ``Store.query_events`` rows.
    vendor_url : str
        URL prefix of the local Leaflet assets.
    view : EventFilter, optional
        Which of the rows to show (dates, types, precisions, death minimum);
        all of them when omitted.
    source_url : str, optional
        Where the browser fetches ``events.payload()``; inline when omitted.
    key : str, optional
        Names the rows in the browser, so a later rerun with the same key only
        re-filters; by default a digest of the content.
    period_at : int, optional
        The stamp of the last period let go on the map's sliders that ``view``
        already holds: until the view carries the newest one, the browser keeps the
        period the reader set (``map_scripts.LAYER_VIEW``).

    Returns
    -------
    folium.FeatureGroup
        Ready for ``st_folium(feature_group_to_add=...)`` or ``add_to(map)``.
    """
    data = events if isinstance(events, LayerData) else event_layer_data(events)
    group = folium.FeatureGroup(name="News events", control=False)
    _JsonCluster(
        data, map_scripts.EVENT_MARKERS, map_scripts.EVENT_CLUSTER_ICON, "events", vendor_url,
        key or layer_key("events", data), view_filter(view or EventFilter(), data.type_keys), source_url, period_at,
        maxClusterRadius=50, cmLayer="events", **_CHUNKS,
    ).add_to(group)
    return group


def build_reference_layer(
    rows: LayerData | Iterable[Mapping[str, Any]],
    vendor_url: str = "/app/static/vendor",
    *,
    view: EventFilter | None = None,
    source_url: str | None = None,
    key: str | None = None,
    period_at: int | None = None,
) -> folium.FeatureGroup:
    """Build the UCDP reference layer (own colour, own clusters, credited).

    The credit goes into the map's attribution box while the layer is shown.
    ``view``, ``source_url``, ``key`` and ``period_at`` work as in :func:`build_event_layer`
    (the reference rows are filtered by date and death minimum only).
    """
    data = rows if isinstance(rows, LayerData) else reference_layer_data(rows)
    group = folium.FeatureGroup(name="UCDP reference", control=False)
    _JsonCluster(
        data, map_scripts.REFERENCE_MARKERS, map_scripts.REFERENCE_CLUSTER_ICON, "reference", vendor_url,
        key or layer_key("reference", data), view_filter(view or EventFilter()), source_url, period_at,
        maxClusterRadius=40, cmLayer="reference", attribution=escape_text(REFERENCE_CREDIT), **_CHUNKS,
    ).add_to(group)
    return group


class _MapSetup(folium.MacroElement):
    """Script run right after the map exists: local icon path, styles, legend."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.image_path|tojson }};
            {%- if this.bounds %}
            // Not animated: a zoom animation still running would swallow the user's first zoom or click.
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {padding: [48, 48], maxZoom: 9, animate: false});
            {%- endif %}
            (function () {
                var map = {{ this._parent.get_name() }}, legend = L.control({position: 'bottomleft'}), box = null;
                legend.onAdd = function () {
                    var div = L.DomUtil.create('div', 'cm-legend');
                    div.innerHTML = {{ this.legend_html|tojson }};
                    L.DomEvent.disableClickPropagation(div);
                    box = div.querySelector('details');
                    return div;
                };
                legend.addTo(map);
                // An open popup is never under the legend: the legend folds while it is open.
                var wasOpen = true;
                map.on('popupopen', function () { if (box) { wasOpen = box.open; box.open = false; } });
                map.on('popupclose', function () { if (box) { box.open = wasOpen; } });
            })();
        {% endmacro %}
        """  # noqa: E501 (a JavaScript line of the template; wrapping it would change the map's HTML)
    )

    def __init__(self, image_path: str, legend: str, css: str, bounds: list[list[float]] | None = None) -> None:
        super().__init__()
        self._name = "MapSetup"
        self.bounds = bounds
        self.image_path = image_path
        self.legend_html = legend
        self.css = css


class _PeriodControl(_RawMacro):
    """The map's own period sliders (``map_scripts.PERIOD_CONTROL``): filter in the page, then set the filters."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "PeriodControl"

    def script_code(self) -> str:
        """Add the control to the map."""
        code = map_scripts.PERIOD_CONTROL.replace("%(key)s", js_json(MAP_PERIOD_VALUE))
        return f"({code})({self._parent.get_name()});\n"


class _PlaceLabels(_RawMacro):
    """The offline basemap's place labels, drawn in the browser by zoom and view."""

    def __init__(self, rows_json: str | None = None, url: str | None = None) -> None:
        super().__init__()
        self._name = "PlaceLabels"
        self.rows_json = rows_json
        self.url = url

    def script_code(self) -> str:
        """Call ``map_scripts.PLACE_LABELS`` on the map with the label rows (fetched when given a URL)."""
        draw = f"({map_scripts.PLACE_LABELS})"
        if self.url:
            return f"{map_scripts.FETCH_JSON}({self._parent.get_name()}, {js_json(self.url)}, " \
                   f"function (rows) {{ {draw}({self._parent.get_name()}, rows); }});\n"
        return f"{draw}({self._parent.get_name()}, {self.rows_json});\n"


class _Outlines(_RawMacro):
    """The offline basemap's country outlines: one non-interactive GeoJSON layer in its own pane.

    The pane (under the data layers, over any online tiles) keeps the outlines
    below every marker even when they arrive after the markers.
    """

    def __init__(self, style: Mapping[str, Any], attribution: str, geojson_text: str | None = None,
                 url: str | None = None, z_index: int = 350) -> None:
        super().__init__()
        self._name = "Outlines"
        self.z_index = z_index
        self.geojson_text = geojson_text
        self.url = url
        self.style = dict(style)
        self.attribution = attribution

    def script_code(self) -> str:
        """Add ``L.geoJSON`` of the outlines to the map (fetched when given a URL)."""
        name = self._parent.get_name()
        options = f"{{pane: 'cmOutlines', style: function () {{ return {js_json(self.style)}; }}, " \
                  f"interactive: false, attribution: {js_json(self.attribution)}}}"
        pane = f"{name}.createPane('cmOutlines').style.zIndex = {int(self.z_index)};\n"
        if self.url:
            return pane + f"{map_scripts.FETCH_JSON}({name}, {js_json(self.url)}, function (outlines) " \
                          f"{{ L.geoJSON(outlines, {options}).addTo({name}); }});\n"
        return pane + f"L.geoJSON({self.geojson_text}, {options}).addTo({name});\n"


@dataclass(frozen=True)
class ContextLayer:
    """A layer of the offline basemap drawn only from ``min_zoom`` on, fetched from ``url`` the first time.

    ``name`` keys it in the browser (``map.cmContext[name]``); ``style`` is its
    Leaflet path style. Layers are drawn in the order given, each in its own
    pane, over the country outlines offline and under the online tiles when
    there are any (a failed tile still leaves them).
    """

    name: str
    url: str
    min_zoom: int
    style: Mapping[str, Any]


class _ContextLayers(_RawMacro):
    """The offline basemap's context layers (``map_scripts.CONTEXT_LAYERS``)."""

    def __init__(self, layers: Sequence[ContextLayer], first_z: int) -> None:
        super().__init__()
        self._name = "ContextLayers"
        self.specs = [{"name": layer.name, "url": layer.url, "minZoom": layer.min_zoom,
                       "style": dict(layer.style), "z": first_z + i} for i, layer in enumerate(layers)]

    def script_code(self) -> str:
        """Call ``CONTEXT_LAYERS`` with the layer specs and the shared JSON fetcher."""
        return f"({map_scripts.CONTEXT_LAYERS})({self._parent.get_name()}, {js_json(self.specs)}, " \
               f"{map_scripts.FETCH_JSON});\n"


def label_rows_json(labels: Sequence[Sequence[Any]]) -> str:
    """Labels ``(name, lat, lon, min_zoom[, kind])`` as the JSON rows the browser draws (names escaped).

    A row of kind ``"admin1"`` (a first-level unit's name) carries a fifth field, 1,
    which draws it in the quieter unit style.
    """
    rows = []
    for label in labels:
        name, lat, lon, zoom = label[:4]
        row: list[Any] = [escape_text(str(name)), float(lat), float(lon), int(zoom)]
        if len(label) > 4 and label[4] == "admin1":
            row.append(1)
        rows.append(row)
    return js_json(rows)


def _legend_html(with_reference: bool, density: bool = False) -> str:
    if density:
        # Density circles are not coloured by type: a type legend would mislead.
        title = "Event density"
        items = [f'<div><i style="background:{DENSITY_COLOR}"></i>events in an area (circle size)</div>']
    else:
        title = "Event type"
        items = [
            f'<div><i style="background:{color}"></i>{escape_text(name)}</div>'
            for name, color in (*TYPE_COLORS.items(), ("Other", OTHER_COLOR))
        ]
    if with_reference:
        items.append(
            f'<div><i class="cm-ref-swatch" style="background:{REFERENCE_COLOR}"></i>'
            f"UCDP reference</div>"
        )
    # A <details> box: the reader can fold it, and it folds itself while a popup is open.
    return f'<details open><summary><b>{title}</b></summary>{"".join(items)}</details>'



def build_base_map(
    basemap: Mapping[str, Any] | str | None = None,
    *,
    labels: Sequence[Sequence[Any]] | str | None = None,
    basemap_url: str | None = None,
    labels_url: str | None = None,
    context: Sequence[ContextLayer] = (),
    bounds: Sequence[Sequence[float]] | None = None,
    online_tiles: bool = False,
    with_reference: bool = False,
    density: bool = False,
    vendor_url: str = "/app/static/vendor",
    height: int | str = "100%",
) -> folium.Map:
    """Build the map without its data layers: basemap, legend, local assets.

    Parameters
    ----------
    basemap : mapping or str, optional
        Country outlines as a GeoJSON FeatureCollection (or its :func:`layers.js_json`
        text, which a caller can cache); drawn as the offline basemap.
    labels : sequence of (name, lat, lon, min_zoom) or str, optional
        Place labels of the offline basemap, biggest first (or their
        :func:`label_rows_json` text); each shows from its zoom on, only inside
        the view (``map_scripts.PLACE_LABELS``), under the event markers.
    basemap_url, labels_url : str, optional
        Where the browser fetches the outlines and the label rows instead
        (``assets.publish_static``): the map script then stays small, and a
        rerun does not send them again.
    context : sequence of ContextLayer
        Lakes, rivers, first-level boundaries (:func:`context_layers`): each
        fetched when the map first reaches its zoom, shown from there on.
    bounds : [[south, west], [north, east]], optional
        Initial view; the whole world when omitted.
    online_tiles : bool
        Add OpenStreetMap tiles under the outlines (needs network in the browser).
    with_reference : bool
        Show the reference layer's swatch in the legend.
    density : bool
        The events are drawn as density circles (:func:`build_grid_layer`):
        the legend explains those instead of the event types.
    vendor_url : str
        URL prefix where ``static/vendor`` is served.
    height : int or str
        Height of the map element.

    Returns
    -------
    folium.Map
        A map whose every script and style sheet is served from ``vendor_url``.
    """
    fmap = folium.Map(
        location=[20.0, 20.0],
        zoom_start=2,
        tiles=None,
        height=height,
        # markercluster throws without a maxZoom when no tile layer supplies one
        maxZoom=18,
        minZoom=1,  # a world of events fits a narrow map with its margin
        worldCopyJump=True,
    )
    fmap.default_js = [
        ("leaflet", f"{vendor_url}/leaflet/leaflet.js"),
        ("jquery", f"{vendor_url}/jquery/jquery.min.js"),
    ]
    fmap.default_css = [("leaflet_css", f"{vendor_url}/leaflet/leaflet.css")]
    view = [[float(v) for v in bounds[0]], [float(v) for v in bounds[1]]] if bounds is not None else None
    legend = _legend_html(with_reference, density)
    _MapSetup(f"{vendor_url}/leaflet/images/", legend, map_scripts.MAP_CSS, view).add_to(fmap)
    if online_tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap", control=False, max_zoom=18
        ).add_to(fmap)
    if labels_url:
        _PlaceLabels(url=labels_url).add_to(fmap)
    elif labels:
        _PlaceLabels(labels if isinstance(labels, str) else label_rows_json(labels)).add_to(fmap)
    style = _basemap_style()
    # Offline the outlines lie over the (absent) tiles; online, under them (tilePane is 200),
    # so a tile that fails to load leaves the shaded land, not a hole.
    z_index = 180 if online_tiles else 350
    if basemap_url:
        _Outlines(style, BASEMAP_CREDIT, url=basemap_url, z_index=z_index).add_to(fmap)
    elif basemap is not None:
        text = basemap if isinstance(basemap, str) else js_json(dict(basemap))
        _Outlines(style, BASEMAP_CREDIT, geojson_text=text, z_index=z_index).add_to(fmap)
    _PeriodControl().add_to(fmap)
    if context:
        # Offline, over the country fill; online, under the tiles (tilePane is 200).
        _ContextLayers(context, 190 if online_tiles else 351).add_to(fmap)
    return fmap


#: How each context layer looks and from which zoom it shows: quiet, so event colours stay readable.
CONTEXT_STYLES: dict[str, tuple[int, dict[str, Any]]] = {
    "lakes": (1, {"color": "#a9bfd1", "weight": 0.5, "fillColor": "#dfe8ef", "fillOpacity": 1.0}),
    "rivers": (3, {"color": "#9dbbd4", "weight": 1.0, "opacity": 0.9}),
    "admin1": (4, {"color": "#8e979f", "weight": 0.7, "opacity": 0.8, "dashArray": "4 3"}),
}


def context_layers(urls: Mapping[str, str | None]) -> list[ContextLayer]:
    """The context layers for the URLs given (``lakes``, ``rivers``, ``admin1``), in drawing order."""
    return [ContextLayer(name, url, CONTEXT_STYLES[name][0], CONTEXT_STYLES[name][1])
            for name in CONTEXT_STYLES if (url := urls.get(name))]


def _basemap_style() -> dict[str, Any]:
    return {
        "color": "#7a8794",
        "weight": 0.8,
        "fillColor": "#f7f5ef",
        "fillOpacity": 1.0,
    }


def build_event_map(
    events: Sequence[Mapping[str, Any]],
    reference: Sequence[Mapping[str, Any]] | None = None,
    basemap: Mapping[str, Any] | None = None,
    *,
    online_tiles: bool = False,
    vendor_url: str = "/app/static/vendor",
) -> folium.Map:
    """Build the complete map in one object (base map plus data layers).

    The dashboard sends the data layers separately (``feature_group_to_add``) so a
    filter change does not reload the map; this is for tests and static export.
    """
    fmap = build_base_map(
        basemap,
        bounds=events_bounds(events),
        online_tiles=online_tiles,
        with_reference=reference is not None,
        vendor_url=vendor_url,
    )
    # The reference layer goes first so the news events are drawn above it.
    if reference is not None:
        build_reference_layer(reference, vendor_url).add_to(fmap)
    build_event_layer(events, vendor_url).add_to(fmap)
    return fmap


def build_grid_layer(cells: Sequence[Mapping[str, Any]], total: int) -> folium.FeatureGroup:
    """Build an aggregate layer for filtered sets too large to send as points.

    Parameters
    ----------
    cells : sequence of mapping
        ``Store.grid_counts`` rows: mean ``lat``/``lon`` of a cell's events,
        ``events``, ``fatalities``.
    total : int
        Events in the filtered set, for the tooltip's share.

    Returns
    -------
    folium.FeatureGroup
        One circle per cell, its area proportional to the number of events.
    """
    biggest = max((c["events"] for c in cells), default=1)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(c["lon"], 4), round(c["lat"], 4)]},
            "properties": {
                # Numbers only: nothing from an article reaches this layer.
                "label": f"{c['events']:,} events ({100 * c['events'] / max(total, 1):.1f}%), "
                         f"{c['fatalities']:,} deaths",
                "radius": round(3 + 15 * (c["events"] / biggest) ** 0.5, 1),
            },
        }
        for c in cells
    ]
    group = folium.FeatureGroup(name="Event density", control=False)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="grid",
        marker=folium.CircleMarker(radius=6, weight=1, color="#7a2e1d", fill=True, fill_color=DENSITY_COLOR,
                                   fill_opacity=0.55),
        style_function=lambda feature: {"radius": feature["properties"]["radius"]},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(group)
    return group
