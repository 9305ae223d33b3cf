"""Cached reads of the store for the pages.

Every store query is a ``st.cache_data`` function keyed by the store URL, the
store's data version (``Store.data_version``: every ingest, correction or
reference import moves it) and hashable arguments (an ``EventFilter``, a search
text, an id), and reads only those: the engine comes from
:func:`conflictmap.ui.resources.store_at`. So a rerun after a write elsewhere
(``conflictmap watch``, another user's ingest) shows the new rows, and reruns of
an unchanged store recompute nothing. Results are plain rows or packed map
layers (``LayerData``), never Folium objects.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from conflictmap import pipeline
from conflictmap.model import EventFilter
from conflictmap.render.assets import publish_layer, publish_static
from conflictmap.render.layers import LayerData, event_layer_data, fit_density_cells, js_json, reference_layer_data
from conflictmap.render.maps import label_rows_json
from conflictmap.ui.resources import store_at

#: Seconds a cached query result is kept. The data version, not this, keeps results
#: fresh; the limit only frees memory held for views nobody looks at any more.
CACHE_TTL = 3600

R = TypeVar("R")


def store_version(db_url: str) -> str:
    """The data version of the store at ``db_url`` (one indexed read, about 0.2 ms; not cached)."""
    return store_at(db_url).data_version()


#: A published layer file's URL is handed out for at most this long: well inside the
#: time its file is kept (``render.assets.LAYER_KEEP_SECONDS``).
LAYER_FILE_TTL = 900


def versioned(max_entries: int, ttl: int = CACHE_TTL) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache a store query under its arguments and the store's current data version.

    The wrapped function keeps its signature ``(db_url, *args)``; the cache sees
    ``(db_url, version, *args)``, so its entries go stale exactly when the store changes.
    """
    def wrap(query: Callable[..., R]) -> Callable[..., R]:
        def cached(db_url: str, version: str, *args: Any) -> R:  # noqa: ARG001 (a cache key)
            return query(db_url, *args)

        # st.cache_data keys a function by its module, qualified name and source:
        # give each wrapper its query's name so two queries never share a cache.
        cached.__qualname__ = cached.__name__ = f"{query.__qualname__}__versioned"
        cached_query = st.cache_data(ttl=ttl, max_entries=max_entries, show_spinner=False)(cached)

        @functools.wraps(query)
        def call(db_url: str, *args: Any) -> R:
            return cached_query(db_url, store_version(db_url), *args)

        call.clear = cached_query.clear  # type: ignore[attr-defined]
        return call
    return wrap


@versioned(max_entries=8)
def facets(db_url: str) -> dict[str, Any]:
    """Filter options and overall counts."""
    return store_at(db_url).facets()


@versioned(max_entries=16)
def events(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events matching ``flt``."""
    return store_at(db_url).query_events(flt)


@versioned(max_entries=32)
def summary(db_url: str, flt: EventFilter) -> dict[str, int]:
    """Counts for the metrics row."""
    return store_at(db_url).summary(flt)


@versioned(max_entries=32)
def counts_by_day(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events per day and type."""
    return store_at(db_url).counts_by_day(flt)


@versioned(max_entries=32)
def counts_by_country(db_url: str, flt: EventFilter) -> list[dict[str, Any]]:
    """Events and fatalities per country."""
    return store_at(db_url).counts_by_country(flt)


@versioned(max_entries=16)
def event_layer(db_url: str, flt: EventFilter) -> LayerData:
    """The map's event layer for ``flt``: escaped, packed JSON (cheap to copy out of the cache)."""
    return event_layer_data(store_at(db_url).map_events(flt))


@versioned(max_entries=16, ttl=LAYER_FILE_TTL)
def event_layer_file(db_url: str, flt: EventFilter) -> tuple[str, str | None]:
    """The key and URL of :func:`event_layer` published for the browser, shared by every session."""
    return publish_layer(event_layer(db_url, flt).payload())


@versioned(max_entries=16)
def density_cells(db_url: str, flt: EventFilter) -> tuple[float, list[dict[str, Any]]]:
    """Grid cells of the filtered events (cell size in degrees, cells), coarsened to fit the map."""
    store = store_at(db_url)
    return fit_density_cells(lambda cell: store.grid_counts(flt, cell))


@versioned(max_entries=16)
def reference_layer(db_url: str, flt: EventFilter) -> LayerData:
    """The map's UCDP reference layer for ``flt``, packed like :func:`event_layer`."""
    return reference_layer_data(store_at(db_url).query_reference(flt))


@versioned(max_entries=16, ttl=LAYER_FILE_TTL)
def reference_layer_file(db_url: str, flt: EventFilter) -> tuple[str, str | None]:
    """The key and URL of :func:`reference_layer` published for the browser."""
    return publish_layer(reference_layer(db_url, flt).payload())


@versioned(max_entries=256)
def event_detail(db_url: str, event_id: str) -> dict[str, Any] | None:
    """One event by id, or None."""
    return store_at(db_url).get_event(event_id)


@versioned(max_entries=256)
def event_sources(db_url: str, event_id: str) -> list[dict[str, Any]]:
    """Every article that reported one event."""
    return store_at(db_url).event_sources(event_id)


@versioned(max_entries=64)
def articles(db_url: str, text: str) -> list[dict[str, Any]]:
    """Articles matching ``text`` (title or body)."""
    return store_at(db_url).list_articles(text)


@versioned(max_entries=64)
def article(db_url: str, article_id: str) -> dict[str, Any] | None:
    """One article with its ``mentions`` and ``events``."""
    store = store_at(db_url)
    found = store.get_article(article_id)
    if found is None:
        return None
    return {**found, "mentions": store.article_mentions(article_id), "events": store.article_events(article_id)}


@versioned(max_entries=64)
def places(db_url: str, text: str) -> list[dict[str, Any]]:
    """Resolved places with their mentions."""
    return store_at(db_url).places(text)


@versioned(max_entries=8)
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
