"""Cached reads of the store for the pages.

Every function is a ``st.cache_data`` query keyed by the store URL and
hashable arguments (an ``EventFilter``, a search text, an id) and reads only
those: the engine comes from :func:`conflictmap.ui.resources.store_at`. Results
are plain rows or packed map layers (``LayerData``), never Folium objects.
:func:`conflictmap.ui.resources.clear_caches` drops them after a write.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

from conflictmap import pipeline
from conflictmap.model import EventFilter
from conflictmap.render.assets import publish_layer, publish_static
from conflictmap.render.layers import LayerData, event_layer_data, fit_density_cells, js_json, reference_layer_data
from conflictmap.render.maps import label_rows_json
from conflictmap.ui.resources import store_at

#: Seconds a cached query result is reused.
CACHE_TTL = 300


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def facets(db_url: str) -> dict[str, Any]:
    """Filter options and overall counts."""
    return store_at(db_url).facets()


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def events(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events matching ``flt``."""
    return store_at(db_url).query_events(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def summary(db_url: str, flt: EventFilter) -> dict[str, int]:
    """Counts for the metrics row."""
    return store_at(db_url).summary(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def counts_by_day(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events per day and type."""
    return store_at(db_url).counts_by_day(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def counts_by_country(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events and fatalities per country."""
    return store_at(db_url).counts_by_country(flt)


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def event_layer(db_url: str, flt: EventFilter) -> LayerData:
    """The map's event layer for ``flt``: escaped, packed JSON (cheap to copy out of the cache)."""
    return event_layer_data(store_at(db_url).map_events(flt))


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def event_layer_file(db_url: str, flt: EventFilter) -> tuple[str, str | None]:
    """The key and URL of :func:`event_layer` published for the browser, shared by every session."""
    return publish_layer(event_layer(db_url, flt).payload())


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def density_cells(db_url: str, flt: EventFilter) -> tuple[float, list[dict[str, Any]]]:
    """Grid cells of the filtered events (cell size in degrees, cells), coarsened to fit the map."""
    store = store_at(db_url)
    return fit_density_cells(lambda cell: store.grid_counts(flt, cell))


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def reference_layer(db_url: str, flt: EventFilter) -> LayerData:
    """The map's UCDP reference layer for ``flt``, packed like :func:`event_layer`."""
    return reference_layer_data(store_at(db_url).query_reference(flt))


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def reference_layer_file(db_url: str, flt: EventFilter) -> tuple[str, str | None]:
    """The key and URL of :func:`reference_layer` published for the browser."""
    return publish_layer(reference_layer(db_url, flt).payload())


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def event_detail(db_url: str, event_id: str) -> dict[str, Any] | None:
    """One event by id, or None."""
    return store_at(db_url).get_event(event_id)


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def event_sources(db_url: str, event_id: str) -> list[dict[str, Any]]:
    """Every article that reported one event."""
    return store_at(db_url).event_sources(event_id)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def articles(db_url: str, text: str) -> list[dict[str, Any]]:
    """Articles matching ``text`` (title or body)."""
    return store_at(db_url).list_articles(text)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def article(db_url: str, article_id: str) -> dict[str, Any] | None:
    """One article with its ``mentions`` and ``events``."""
    store = store_at(db_url)
    found = store.get_article(article_id)
    if found is None:
        return None
    return {**found, "mentions": store.article_mentions(article_id), "events": store.article_events(article_id)}


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def places(db_url: str, text: str) -> list[dict[str, Any]]:
    """Resolved places with their mentions."""
    return store_at(db_url).places(text)


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def corrections(db_url: str) -> list[dict[str, Any]]:
    """Stored corrections, newest first."""
    return store_at(db_url).corrections()


@st.cache_data(max_entries=1, show_spinner=False)
def map_labels() -> tuple[str | None, str]:
    """The basemap's place labels (``pipeline.map_labels``): the URL of their static file, and the JSON rows.

    Made once per process. The map fetches the file; the text is the fallback
    when the static folder cannot be written.
    """
    text = label_rows_json(pipeline.map_labels())
    return publish_static("labels", text), text


@st.cache_data(max_entries=1, show_spinner=False)
def context_urls(folder: str) -> dict[str, str | None]:
    """The URLs of the basemap's context layers (lakes, rivers, first-level lines) under ``folder``.

    Each file is published once per process as it is (``publish_static``); the
    browser fetches it when the map first reaches the layer's zoom.
    """
    names = {"lakes": "lakes-50m.geojson", "rivers": "rivers-50m.geojson", "admin1": "admin1-lines-10m.geojson"}
    urls: dict[str, str | None] = {}
    for key, name in names.items():
        path = Path(folder) / name
        urls[key] = publish_static(key, path.read_text(encoding="utf-8")) if path.is_file() else None
    return urls


@st.cache_data(max_entries=2, show_spinner=False)
def basemap(path: str) -> tuple[str | None, str]:
    """The offline country outlines: the URL of their static file, and the JSON text (as :func:`map_labels`)."""
    text = js_json(json.loads(Path(path).read_text(encoding="utf-8")))
    return publish_static("countries", text), text
