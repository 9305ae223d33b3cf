"""The map page's pieces: the layers for a filter, the map itself, the note under it, the selected event.

The base map (outlines, legend, first view) stays the same across reruns so the
browser keeps it; the data layers travel as ``feature_group_to_add``. Their rows
are published once per filter as a file every session shares
(``queries.event_layer_file``) and the browser keeps them: a change of dates,
types, precision or death minimum that the rows already sent cover
(``render.layers.covers``) sends only the new view, and the browser re-filters
its markers in place. The store is asked again only when the period grows past
what was sent or the actors, countries or text change. Large filtered sets are
drawn as density cells aggregated in the database, never as 100k points. A click
returns the marker's tooltip text, which carries the event id
(``render.layers.EVENT_ID_TAG``); the id is kept in session state.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from conflictmap.config import ROOT
from conflictmap.model import EventFilter
from conflictmap.render import html
from conflictmap.render.assets import VENDOR_URL
from conflictmap.render.layers import (
    LayerData,
    covers,
    event_id_from_tooltip,
    initial_bounds,
    period_from_map_value,
    reference_filter,
    sent_filter,
)
from conflictmap.render.maps import (
    build_base_map,
    build_event_layer,
    build_grid_layer,
    build_reference_layer,
    context_layers,
)
from conflictmap.ui.filters import filter_state, set_period
from conflictmap.ui.layout import metrics_row, safe_html
from conflictmap.ui.queries import (
    basemap,
    context_urls,
    density_cells,
    event_detail,
    event_layer,
    event_layer_file,
    event_sources,
    map_labels,
    reference_layer,
    reference_layer_file,
    summary,
)
from conflictmap.ui.resources import settings
from conflictmap.ui.state import (
    MAP_KEY,
    QP_ARTICLE,
    SS_MAP_BOUNDS,
    SS_MAP_PERIOD_AT,
    SS_MAP_SENT,
    SS_REF_SENT,
    SS_SELECTED,
    to_filter,
)

BASEMAP_PATH = ROOT / "data" / "basemap" / "countries-110m.geojson"


@dataclass(frozen=True)
class SentLayer:
    """A data layer as the browser gets it: the rows of ``sent``, shown as ``view``.

    ``key`` names the rows in the browser and ``url`` is where it fetches them
    (None: they go inline with the map script).
    """

    data: LayerData
    sent: EventFilter
    view: EventFilter
    key: str
    url: str | None


@dataclass(frozen=True)
class MapLayers:
    """The data layers of one map view.

    ``events`` (points) and ``cells`` (density cells) exclude each other:
    ``cells`` is set when ``total`` exceeds ``point_limit``.
    """

    total: int
    point_limit: int
    events: SentLayer | None = None
    cells: list[dict[str, Any]] | None = None
    reference: SentLayer | None = None

    @property
    def dense(self) -> bool:
        """Too many events to draw as points: the map shows density cells."""
        return self.cells is not None


def events_to_send(db_url: str, flt: EventFilter, total: int, limit: int,
                   previous: EventFilter | None = None) -> EventFilter | None:
    """Which events the browser needs to show ``flt`` as points, as a filter; None above ``limit``.

    The rows sent last time when they cover ``flt`` (no new query, no new layer);
    else ``flt`` widened to every type, precision and toll (``sent_filter``)
    when that set still fits under ``limit``, so later changes of those stay in
    the browser; else ``flt`` itself.
    """
    if total > limit:
        return None
    if previous is not None and covers(previous, flt) and summary(db_url, previous)["events"] <= limit:
        return previous
    wide = sent_filter(flt)
    if wide != flt and summary(db_url, wide)["events"] <= limit:
        return wide
    return flt


def map_layers(db_url: str, flt: EventFilter, total: int, with_reference: bool) -> MapLayers:
    """The layers for ``flt``: points (or density cells past ``map_point_limit``) and the reference layer.

    Remembers in session state which rows each layer was sent, so the next
    filter change reuses them when it can (:func:`events_to_send`).
    """
    limit = settings().map_point_limit
    sent = events_to_send(db_url, flt, total, limit, st.session_state.get(SS_MAP_SENT))
    events = None
    if sent is not None:
        st.session_state[SS_MAP_SENT] = sent
        key, url = event_layer_file(db_url, sent)
        events = SentLayer(event_layer(db_url, sent), sent, flt, key, url)
    reference = None
    if with_reference:
        wanted = reference_filter(flt)
        ref_sent = st.session_state.get(SS_REF_SENT)
        if ref_sent is None or not covers(ref_sent, wanted):
            ref_sent = replace(wanted, min_fatalities=0)
        st.session_state[SS_REF_SENT] = ref_sent
        key, url = reference_layer_file(db_url, ref_sent)
        reference = SentLayer(reference_layer(db_url, ref_sent), ref_sent, wanted, key, url)
    return MapLayers(
        total=total,
        point_limit=limit,
        events=events,
        cells=density_cells(db_url, flt)[1] if sent is None else None,
        reference=reference,
    )


def event_map(layers: MapLayers, online: bool) -> str | None:
    """Show the map; return the id of the event last clicked, if any."""
    if SS_MAP_BOUNDS not in st.session_state:
        st.session_state[SS_MAP_BOUNDS] = initial_bounds(
            layers.events.data.bounds if layers.events else None, layers.cells)
    basemap_url, basemap_text = basemap(str(BASEMAP_PATH))
    labels_url, labels_text = map_labels()
    fmap = build_base_map(
        None if basemap_url else basemap_text,
        labels=None if labels_url else labels_text,
        basemap_url=basemap_url,
        labels_url=labels_url,
        context=context_layers(context_urls(str(BASEMAP_PATH.parent))),
        bounds=st.session_state[SS_MAP_BOUNDS],
        online_tiles=online,
        with_reference=layers.reference is not None,
        density=layers.events is None and layers.cells is not None,
        vendor_url=VENDOR_URL,
    )
    # Reference first: layers added later are drawn on top, and the news events matter most.
    groups = []
    period_at = st.session_state.get(SS_MAP_PERIOD_AT)
    if layers.reference is not None:
        ref = layers.reference
        groups.append(build_reference_layer(ref.data, VENDOR_URL, view=ref.view, source_url=ref.url, key=ref.key,
                                            period_at=period_at))
    if layers.events is not None:
        ev = layers.events
        groups.append(build_event_layer(ev.data, VENDOR_URL, view=ev.view, source_url=ev.url, key=ev.key,
                                        period_at=period_at))
    elif layers.cells is not None:
        groups.append(build_grid_layer(layers.cells, layers.total))
    out = st_folium(
        fmap,
        key=MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=groups,
        on_change=_on_map_value,
    )
    clicked = event_id_from_tooltip((out or {}).get("last_object_clicked_tooltip"))
    if clicked:
        st.session_state[SS_SELECTED] = clicked
    return st.session_state.get(SS_SELECTED)


def _on_map_value() -> None:
    """Callback: a period let go on the map's own sliders becomes the filters' period.

    It runs before the rerun the map's new value asks for, so it may set the
    sidebar's date widgets; a click or a pan carries no new period and changes nothing.
    """
    picked = period_from_map_value(st.session_state.get(MAP_KEY))
    if picked is None or picked[0] == st.session_state.get(SS_MAP_PERIOD_AT):
        return
    st.session_state[SS_MAP_PERIOD_AT] = picked[0]
    set_period(picked[1], picked[2])


def live_map(db_url: str, flt: EventFilter, *, with_reference: bool, online: bool) -> None:
    """The metrics and the map with the selected event, refreshed while the page is open.

    They run as a Streamlit fragment every ``Settings.live_refresh_s`` seconds: the
    cached queries are keyed on the store's data version, so an unchanged store
    costs one indexed read and sends the browser nothing new, while new events
    (from ``conflictmap watch`` or another user's ingest) arrive as a new layer
    file. The base map is the same, so zoom and pan stay; the browser carries the
    in-map period and an open popup over to the new rows (``map_scripts.LAYER_VIEW``).
    """
    every = settings().live_refresh_s or None
    st.fragment(run_every=every)(_live_map_body)(db_url, flt, with_reference, online)


def _live_map_body(db_url: str, flt: EventFilter, with_reference: bool, online: bool) -> None:
    # A click on a marker reruns only this fragment; the chart below it, whose selection
    # sets the sidebar's period, stays outside so that it reruns the whole page.
    current = to_filter(filter_state())
    counts = summary(db_url, current)
    metrics_row(counts)
    layers = map_layers(db_url, current, counts["events"], with_reference=with_reference)
    map_and_details(db_url, layers, online=online)
    if current != flt:
        # The map's sliders set a new period (_on_map_value). This run drew the map for it, so
        # the map stays as it is while the whole page reruns for the sidebar and the chart.
        # (Rerunning before drawing would leave the fragment empty, and the map would be rebuilt.)
        st.rerun()


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
