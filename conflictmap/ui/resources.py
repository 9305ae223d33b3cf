"""The app's long-lived services: settings, the store engine, the geoparser, the map assets.

Each cached object is a read-only, thread-safe singleton per process
(``st.cache_resource``); the settings are read from the environment on every
call so tests can repoint them. Nothing here geoparses: :func:`geoparser`
only loads the pipeline's default geoparser for the explicit ingest actions.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from conflictmap import pipeline
from conflictmap.config import Settings, load_settings
from conflictmap.pipeline import Geoparsing
from conflictmap.render.assets import ensure_vendor_assets
from conflictmap.store import Store, open_store


def settings() -> Settings:
    """The settings from the environment (cheap; read on every call so tests can repoint them)."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def store_at(db_url: str) -> Store:
    """The store at ``db_url``: one engine per process and URL (the key of every cached query)."""
    return open_store(replace(settings(), db_url=db_url))


def store() -> Store:
    """The store at ``CONFLICTMAP_DB``, one engine per process."""
    return store_at(settings().db_url)


@st.cache_resource(show_spinner=False)
def vendor_assets() -> int:
    """Copy the map's browser assets into ``static/vendor`` once per process; return how many were copied."""
    return len(ensure_vendor_assets())


@st.cache_resource(show_spinner="Loading the geoparser (first use only)...")
def geoparser() -> Geoparsing:
    """The pipeline's default geoparser, loaded once per process."""
    return pipeline.default_geoparser()


def clear_caches() -> None:
    """Forget cached query results after the store changed (ingest, correction)."""
    st.cache_data.clear()
