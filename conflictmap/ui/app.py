"""Streamlit glue shared by ``dashboard.py`` and ``pages/``: the only package module importing streamlit.

It holds the cached queries (keyed by the store URL and a hashable
``EventFilter``), the sidebar filters and their mirror in the URL query string,
the session-state keys, and small page helpers. Pages stay thin: they lay
out what these functions return. Nothing here geoparses except the explicit
Ingest action and the one-time build of an empty store.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

# Pages import only this module; the pure helpers they lay out come with it.
from conflictmap import export
from conflictmap.render import charts
from conflictmap.render import maps
from conflictmap.render import html as markup
from conflictmap.ui import state as viewstate  # noqa: F401
from conflictmap.render.assets import VENDOR_URL, ensure_vendor_assets
from conflictmap.config import ROOT, Settings, load_settings
from conflictmap.model import EventFilter, Place
from conflictmap.store import Store, open_store
from conflictmap.ui.state import (  # noqa: F401  (QP_* names re-exported: ui holds the app's keys)
    PRECISION_LABELS,
    QP_ACTORS,
    QP_ARTICLE,
    QP_COUNTRIES,
    QP_FROM,
    QP_GEO,
    QP_MIN_FATALITIES,
    QP_REFERENCE,
    QP_TEXT,
    QP_TILES,
    QP_TIME,
    QP_TO,
    QP_TYPES,
    query_from_state,
    state_from_query,
    to_filter,
)

# Session-state keys. SS_* hold plain values; W_* are widget keys.
SS_FILTERS = "cm_filters"
SS_SELECTED = "cm_selected_event"
SS_MAP_BOUNDS = "cm_map_bounds"
W_DATES, W_FROM, W_TO = "cm_w_dates", "cm_w_from", "cm_w_to"
W_TYPES, W_ACTORS, W_COUNTRIES = "cm_w_types", "cm_w_actors", "cm_w_countries"
W_TEXT, W_MIN_FATALITIES = "cm_w_text", "cm_w_minfat"
W_GEO, W_TIME = "cm_w_geo", "cm_w_time"
W_REFERENCE, W_TILES = "cm_w_ref", "cm_w_tiles"
MAP_KEY = "cm_event_map"
#: At most this many density cells; the cell size doubles until they fit.
MAP_MAX_CELLS = 2_500

CACHE_TTL = 300
PAGE_CSS = """
.cm-html mark.cm-place, .cm-html mark.cm-mention { background: #ffe08a; padding: 0 2px; }
.cm-html mark.cm-corrected { background: #b8e3c4; padding: 0 2px; }
.cm-html span.cm-event { background: #fde4dc; border-bottom: 2px solid #d55e00; }
.cm-html .cm-nolink { color: #6b7280; word-break: break-all; }
.cm-html .cm-body { white-space: pre-wrap; line-height: 1.6; max-width: 60rem; }
.cm-html blockquote { margin: 0.4rem 0; padding-left: 0.8rem; border-left: 3px solid #d0d4d9; }
"""
BASEMAP_PATH = ROOT / "data" / "basemap" / "countries-110m.geojson"
CREDITS = (
    "Places: GeoNames (CC BY 4.0). Reference layer: UCDP GED 19.1 (CC BY 4.0), Sundberg & "
    "Melander 2013; Högbladh 2019. Country outlines: Natural Earth (public domain). Map: Leaflet."
)


# ---------------------------------------------------------------- services
def settings() -> Settings:
    """The settings from the environment (cheap; read on every call so tests can repoint them)."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def _open_store(db_url: str) -> Store:
    return open_store(replace(settings(), db_url=db_url))


def store() -> Store:
    """The store at ``CONFLICTMAP_DB``, one engine per process."""
    return _open_store(settings().db_url)


@st.cache_resource(show_spinner=False)
def _vendor_assets() -> int:
    return len(ensure_vendor_assets())


@st.cache_resource(show_spinner="Loading the geoparser (first use only)...")
def geoparser() -> Any:
    """The pipeline's default geoparser, loaded once per process."""
    from conflictmap import pipeline

    return pipeline.default_geoparser()


def clear_caches() -> None:
    """Forget cached query results after the store changed (ingest, correction)."""
    st.cache_data.clear()


# ---------------------------------------------------------------- cached queries
@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def facets(db_url: str) -> dict[str, Any]:
    """Filter options and overall counts."""
    return _open_store(db_url).facets()


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def events(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events matching ``flt``."""
    return _open_store(db_url).query_events(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def summary(db_url: str, flt: EventFilter) -> dict[str, int]:
    """Counts for the metrics row."""
    return _open_store(db_url).summary(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def counts_by_day(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events per day and type."""
    return _open_store(db_url).counts_by_day(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def counts_by_country(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events and fatalities per country."""
    return _open_store(db_url).counts_by_country(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def event_layer(db_url: str, flt: EventFilter) -> maps.LayerData:
    """The map's event layer for ``flt``: escaped, packed JSON (cheap to copy out of the cache)."""
    return maps.event_layer_data(_open_store(db_url).map_events(flt))


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def density_cells(db_url: str, flt: EventFilter) -> tuple[float, list[dict[str, Any]]]:
    """Grid cells of the filtered events (cell size in degrees, cells), coarsened to fit ``MAP_MAX_CELLS``."""
    s = _open_store(db_url)
    cell = 0.25
    cells = s.grid_counts(flt, cell)
    while len(cells) > MAP_MAX_CELLS and cell < 16:
        cell *= 2
        cells = s.grid_counts(flt, cell)
    return cell, cells


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def reference_layer(db_url: str, flt: EventFilter) -> maps.LayerData:
    """The map's UCDP reference layer for ``flt``, packed like :func:`event_layer`."""
    return maps.reference_layer_data(_open_store(db_url).query_reference(flt))


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def event_detail(db_url: str, event_id: str) -> dict[str, Any] | None:
    """One event by id, or None."""
    return _open_store(db_url).get_event(event_id)


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def event_sources(db_url: str, event_id: str) -> list[dict[str, Any]]:
    """Every article that reported one event."""
    return _open_store(db_url).event_sources(event_id)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def articles(db_url: str, text: str) -> list[dict[str, Any]]:
    """Articles matching ``text`` (title or body)."""
    return _open_store(db_url).list_articles(text)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def article(db_url: str, article_id: str) -> dict[str, Any] | None:
    """One article with its ``mentions`` and ``events``."""
    s = _open_store(db_url)
    found = s.get_article(article_id)
    if found is None:
        return None
    return {**found, "mentions": s.article_mentions(article_id), "events": s.article_events(article_id)}


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def places(db_url: str, text: str) -> list[dict[str, Any]]:
    """Resolved places with their mentions."""
    return _open_store(db_url).places(text)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def corrections(db_url: str) -> list[dict[str, Any]]:
    """Stored corrections, newest first."""
    return _open_store(db_url).corrections()


@st.cache_data(max_entries=2, show_spinner=False)
def basemap(path: str) -> dict[str, Any]:
    """The offline country outlines (read once per process)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- page helpers
#: The pages after the map: file (relative to dashboard.py), navigation label, URL path.
PAGES = (
    ("pages/1_Timeline.py", "Timeline", "Timeline"),
    ("pages/2_Articles.py", "Articles", "Articles"),
    ("pages/3_Places.py", "Places", "Places"),
    ("pages/4_Ingest.py", "Ingest", "Ingest"),
    ("pages/5_Export.py", "Export", "Export"),
)
_MAP_PAGE: list[Any] = []


def navigation(map_view: Callable[[], None]) -> Any:
    """The app's navigation: the map first, labelled "Map", then ``PAGES``; returns the page to run.

    Without it Streamlit labels the entry page after its file name ("dashboard").
    """
    map_page = st.Page(map_view, title="Map", default=True)
    _MAP_PAGE[:] = [map_page]
    return st.navigation([map_page, *(st.Page(path, title=title, url_path=url) for path, title, url in PAGES)])


def link_to_map(label: str) -> None:
    """A link to the map page (kept from this run's navigation)."""
    st.page_link(_MAP_PAGE[0] if _MAP_PAGE else "dashboard.py", label=label)


def page_setup(title: str) -> None:
    """Page config, local map assets, and a store that is never empty."""
    # No page_icon: a Material icon there is fetched from a font CDN, and the app must work offline.
    st.set_page_config(page_title=f"{title} | ConflictMap", layout="wide")
    _vendor_assets()
    st.html(f"<style>{PAGE_CSS}</style>")
    ensure_store()


def ensure_store() -> None:
    """Build the store from the bundled samples when it is empty (first start only)."""
    s = store()
    if not s.is_empty():
        return
    from conflictmap import pipeline

    bar = st.progress(0.0, text="First start: building the store from the sample articles...")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=f"Reading samples: {done}/{total} ({name})")

    try:
        result = pipeline.build_sample_store(s, geoparser(), progress=progress)
    # Whatever broke, say so on the page instead of a traceback; the next start retries.
    except Exception as exc:  # noqa: BLE001
        bar.empty()
        st.error(f"Could not build the store from the sample articles: {type(exc).__name__}: {exc}")
        st.stop()
    bar.empty()
    clear_caches()
    st.toast(f"Store built from the samples: {result.new} articles.")


def footer() -> None:
    """Data credits required by the licences."""
    st.divider()
    st.caption(CREDITS)


#: The metrics row: label, ``Store.summary`` key, help text.
_METRICS = (
    ("Events", "events", "Incidents matching the filters; reports of one incident by several articles count once."),
    ("Reports", "reports", "Article reports behind these events: an incident three articles reported counts three."),
    ("Places", "places", "Distinct resolved places with at least one matching event."),
    ("Fatalities", "fatalities", "Sum of each event's best fatality estimate (events without a figure add none)."),
)


def metrics_row(counts: Mapping[str, int]) -> None:
    """Events, reports, places and fatalities in view."""
    for col, (label, key, help_text) in zip(st.columns(len(_METRICS)), _METRICS, strict=True):
        col.metric(label, f"{counts.get(key, 0):,}", help=help_text)


def safe_html(body: str) -> None:
    """Show HTML built with ``conflictmap.render.html`` (all article text in it already escaped)."""
    st.html(f'<div class="cm-html">{body}</div>')


# ---------------------------------------------------------------- filters <-> URL
def filter_state() -> dict[str, Any]:
    """The session's filter state, read from the URL on the session's first run."""
    if SS_FILTERS not in st.session_state:
        st.session_state[SS_FILTERS] = state_from_query(st.query_params, st.query_params.get_all)
    return st.session_state[SS_FILTERS]


def _write_query(state: Mapping[str, Any]) -> None:
    wanted = query_from_state(state)
    extra = {k: st.query_params.get_all(k) for k in st.query_params if k == QP_ARTICLE}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in {**wanted, **extra}.items()}
    if current != normalised:
        st.query_params.from_dict({**wanted, **extra})


def _copy_widget(field: str, key: str) -> Callable[[], None]:
    def callback() -> None:
        state = filter_state()
        value = st.session_state[key]
        state[field] = list(value) if isinstance(value, (list, tuple)) else value
        _write_query(state)

    return callback


def _on_slider() -> None:
    state = filter_state()
    state["date_from"], state["date_to"] = st.session_state[W_DATES]
    st.session_state[W_FROM], st.session_state[W_TO] = st.session_state[W_DATES]
    _write_query(state)


def _on_date_input() -> None:
    state = filter_state()
    lo, hi = st.session_state[W_FROM], st.session_state[W_TO]
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    state["date_from"], state["date_to"] = lo, hi
    if W_DATES in st.session_state and lo and hi:
        st.session_state[W_DATES] = (lo, hi)
    _write_query(state)


def _init_widget(key: str, value: Any) -> None:
    # Widget keys vanish when a page without the widget runs; re-seed them from the state.
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters(layers: bool = False) -> dict[str, Any]:
    """Draw the filters in the sidebar, keep them in the URL, return the filter state.

    Parameters
    ----------
    layers : bool
        Also offer the map layer toggles (reference layer, online tiles).
    """
    db_url = settings().db_url
    info = facets(db_url)
    state = filter_state()
    lo_all, hi_all = info["date_min"] or date.today(), info["date_max"] or date.today()
    lo = min(max(state["date_from"] or lo_all, lo_all), hi_all)
    hi = max(min(state["date_to"] or hi_all, hi_all), lo)
    sb = st.sidebar
    sb.header("Filters")
    if hi_all > lo_all:
        _init_widget(W_DATES, (lo, hi))
        sb.slider("Date range", min_value=lo_all, max_value=hi_all, key=W_DATES, on_change=_on_slider,
                  step=timedelta(days=1), format="YYYY-MM-DD")
    _init_widget(W_FROM, lo)
    _init_widget(W_TO, hi)
    sb.date_input("From", min_value=lo_all, max_value=hi_all, key=W_FROM, on_change=_on_date_input)
    sb.date_input("To", min_value=lo_all, max_value=hi_all, key=W_TO, on_change=_on_date_input)
    for field, key, label, options in (
        ("types", W_TYPES, "Event type", info["event_types"]),
        ("actors", W_ACTORS, "Actor", info["actors"]),
        ("countries", W_COUNTRIES, "Country", info["countries"]),
    ):
        _init_widget(key, [v for v in state[field] if v in options])
        sb.multiselect(label, options, key=key, on_change=_copy_widget(field, key), placeholder="All")
    _init_widget(W_TEXT, state["text"])
    sb.text_input("Search title and excerpt", key=W_TEXT, on_change=_copy_widget("text", W_TEXT))
    _init_widget(W_MIN_FATALITIES, state["min_fatalities"])
    sb.number_input("Minimum fatalities", min_value=0, step=1, key=W_MIN_FATALITIES,
                    on_change=_copy_widget("min_fatalities", W_MIN_FATALITIES))
    for field, key, label in (("geo", W_GEO, "Location precision"), ("time", W_TIME, "Date precision")):
        _init_widget(key, state[field])
        sb.select_slider(label, options=[1, 2, 3], key=key, format_func=PRECISION_LABELS[field].get,
                         on_change=_copy_widget(field, key))
    if layers:
        sb.header("Map layers")
        _init_widget(W_REFERENCE, state["reference"])
        sb.checkbox("UCDP reference events", key=W_REFERENCE, on_change=_copy_widget("reference", W_REFERENCE))
        _init_widget(W_TILES, state["tiles"])
        sb.checkbox("Online street map (needs internet)", key=W_TILES, on_change=_copy_widget("tiles", W_TILES))
    _write_query(state)
    return state


# ---------------------------------------------------------------- the map view
def event_map(layer: maps.LayerData | None, ref_layer: maps.LayerData | None, online: bool,
              density: tuple[int, list[dict[str, Any]]] | None = None) -> str | None:
    """Show the map; return the id of the event last clicked, if any.

    ``density`` (total events, grid cells) replaces the point layer when the
    filtered set is too large to send as points.

    The base map (outlines, legend, first view) stays the same across reruns so
    the browser keeps it; the data layers travel as ``feature_group_to_add`` and
    are swapped in place when the filters change.
    """
    if SS_MAP_BOUNDS not in st.session_state:
        bounds = layer.bounds if layer is not None else None
        if bounds is None and density and density[1]:
            lats = [c["lat"] for c in density[1]]
            lons = [c["lon"] for c in density[1]]
            bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
        st.session_state[SS_MAP_BOUNDS] = bounds or [[-50.0, -150.0], [70.0, 150.0]]
    fmap = maps.build_base_map(
        basemap(str(BASEMAP_PATH)),
        bounds=st.session_state[SS_MAP_BOUNDS],
        online_tiles=online,
        with_reference=ref_layer is not None,
        density=layer is None and density is not None,
        vendor_url=VENDOR_URL,
    )
    # Reference first: layers added later are drawn on top, and the news events matter most.
    layers = [maps.build_reference_layer(ref_layer, VENDOR_URL)] if ref_layer is not None else []
    if layer is not None:
        layers.append(maps.build_event_layer(layer, VENDOR_URL))
    elif density is not None:
        layers.append(maps.build_grid_layer(density[1], density[0]))
    out = st_folium(
        fmap,
        key=MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=layers,
    )
    clicked = maps.event_id_from_tooltip((out or {}).get("last_object_clicked_tooltip"))
    if clicked:
        st.session_state[SS_SELECTED] = clicked
    return st.session_state.get(SS_SELECTED)


def event_details(event: Mapping[str, Any] | None) -> None:
    """The chosen event and every source that reported it."""
    if event is None:
        st.info("Click a marker on the map to see the event and all its sources here.")
        return
    deaths = markup.fatalities_label(event.get("fatalities_best"), event.get("fatalities_low"), event.get("fatalities_high"))
    excerpt = markup.excerpt_html(event.get("excerpt") or "", event.get("place_start"), event.get("place_end"), 400)
    safe_html(
        f"<h4>{markup.escape_text(event['event_type'])}: {markup.escape_text(event.get('place'))}</h4>"
        f"<p>{markup.date_label(event['event_date'], event.get('time_precision'), event.get('date_phrase') or '')}"
        f"<br>Fatalities: {markup.escape_text(deaths)}"
        f"<br>Actors: {markup.escape_text(', '.join(event.get('actors') or []) or 'not named')}</p>"
        f"<blockquote>{excerpt}</blockquote>"
    )
    sources = event_sources(settings().db_url, event["event_id"])
    st.markdown(f"**Sources ({len(sources)})**")
    for src in sources:
        published = src["published"].isoformat() if src.get("published") else "undated"
        safe_html(
            f"<p><b>{markup.escape_text(src.get('title'))}</b> ({published})<br>"
            f"<i>{markup.escape_text(src.get('excerpt'))}</i><br>{markup.link_html(src.get('url'))}</p>"
        )
        st.page_link("pages/2_Articles.py", label="Read this article", query_params={QP_ARTICLE: src["article_id"]})


def article_view(doc: Mapping[str, Any]) -> None:
    """An article: escaped title and source line, then its body with places and event sentences marked."""
    esc = markup.escape_text
    source = doc.get("agency") or doc.get("publisher") or "unknown source"
    safe_html(
        f"<h3>{esc(doc['title'])}</h3>"
        f"<p>{esc(doc.get('published') or 'undated')} \u00b7 {esc(source)} \u00b7 "
        f"{esc(doc.get('dateline') or 'no dateline')} \u00b7 {markup.link_html(doc.get('url'))}</p>"
        "<p><mark class='cm-mention'>place</mark> <mark class='cm-corrected'>corrected place</mark> "
        "<span class='cm-event'>event sentence</span></p>"
        f"<div class='cm-body'>{markup.highlight_article(doc['body'], doc['mentions'], doc['events'])}</div>"
    )


def set_period(lo: date, hi: date) -> None:
    """Callback: narrow the date filter to ``lo``..``hi`` (Timeline's period pick)."""
    state = filter_state()
    state["date_from"], state["date_to"] = min(lo, hi), max(lo, hi)
    st.session_state[W_FROM], st.session_state[W_TO] = state["date_from"], state["date_to"]
    st.session_state[W_DATES] = (state["date_from"], state["date_to"])
    _write_query(state)


# ---------------------------------------------------------------- tables (plain text only)
def link_column(label: str = "Source") -> Any:
    """A link column; only http(s) URLs reach it (see :func:`table_rows`)."""
    return st.column_config.LinkColumn(label, display_text="open")


def table_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for ``st.dataframe``: chosen columns, lists joined, unsafe URLs blanked.

    ``st.dataframe`` shows cells as text, so titles and excerpts cannot run;
    only the link column could, hence :func:`markup.safe_url`.
    """
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for col in columns:
            value = row.get(col)
            if col == "url":
                value = markup.safe_url(value)
            elif isinstance(value, (list, tuple)):
                value = ", ".join(str(v) for v in value)
            item[col] = value
        out.append(item)
    return out


def place_from_row(row: Mapping[str, Any]) -> Place:
    """A ``Place`` for a row of :func:`places` or of :func:`gazetteer_search`."""
    return Place(
        place_id=str(row["place_id"]), name=str(row["name"]), lat=float(row["lat"]), lon=float(row["lon"]),
        feature=str(row.get("feature") or ""), country_code=str(row.get("country_code") or ""),
        admin1=str(row.get("admin1") or ""), population=int(row.get("population") or 0),
        geonameid=row.get("geonameid"),
    )


# ---------------------------------------------------------------- writes: corrections, ingest
@st.cache_resource(show_spinner="Loading the gazetteer (first use only)...")
def _gazetteer() -> Any:
    from conflictmap.geo.gazetteer import load_gazetteer

    return load_gazetteer()


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def gazetteer_search(text: str, limit: int = 15) -> list[dict[str, Any]]:
    """Gazetteer places whose name matches ``text``, as plain dicts."""
    if len(text.strip()) < 2:
        return []
    return [
        {"place_id": p.place_id, "name": p.name, "lat": p.lat, "lon": p.lon, "feature": p.feature,
         "country_code": p.country_code, "admin1": p.admin1, "population": p.population, "geonameid": p.geonameid}
        for p in _gazetteer().search(text.strip(), limit)
    ]


def apply_correction(surface: str, target: Mapping[str, Any], article_id: str | None = None) -> int:
    """Store a correction (applied at once and on later ingests); return how many events moved."""
    moved = store().add_correction(surface, place_from_row(target), article_id)
    clear_caches()
    return moved


def ingest_documents(documents: Sequence[tuple[str, bytes]]) -> list[dict[str, Any]]:
    """Ingest uploaded or pasted documents one by one, with a progress bar.

    A file that is too large or cannot be read is reported in its own row and
    never stops the others. The name is only a label (the pipeline never uses
    it as a path).
    """
    from conflictmap import pipeline

    limit = settings().max_upload_bytes
    results: list[dict[str, Any]] = []
    bar = st.progress(0.0, text="Starting...")
    for done, (name, data) in enumerate(documents, start=1):
        row: dict[str, Any] = {"file": name, "new": 0, "duplicate": 0, "failed": 0, "events": 0, "errors": ""}
        bar.progress((done - 1) / len(documents), text=f"Reading {name} ({done}/{len(documents)})")
        if len(data) > limit:
            row.update(failed=1, errors=f"larger than the {limit // (1024 * 1024)} MB limit")
        elif not data.strip():
            row.update(failed=1, errors="empty")
        else:
            try:
                result = pipeline.ingest_bytes(data, name, store(), geoparser())
            # One bad file must never break the page: report whatever it raised in its row.
            except Exception as exc:  # noqa: BLE001
                row.update(failed=1, errors=f"{type(exc).__name__}: {exc}")
            else:
                row.update(new=result.new, duplicate=result.duplicate, failed=result.failed,
                           events=result.events, errors="; ".join(e.reason for e in result.errors))
        results.append(row)
    bar.progress(1.0, text=f"Done: {len(documents)} document(s)")
    clear_caches()
    return results
