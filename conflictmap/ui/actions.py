"""What the pages do to the store, and the searches those actions need.

The only code in ``ui`` that writes: the one-time build of an empty store from
the samples, place corrections, and the ingest of uploaded or pasted documents
(the only geoparsing the dashboard does, and only when asked). Each write clears
the cached queries. Also the gazetteer search for corrections (through
``pipeline.search_places``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from conflictmap import pipeline
from conflictmap.model import place_from_row, place_row
from conflictmap.ui.resources import clear_caches, geoparser, settings, store

#: Seconds a gazetteer search result is reused.
SEARCH_TTL = 300


def ensure_store() -> None:
    """Build the store from the bundled samples when it is empty (first start only)."""
    s = store()
    if not s.is_empty():
        return
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


# ---------------------------------------------------------------- corrections
@st.cache_data(ttl=SEARCH_TTL, max_entries=64, show_spinner="Loading the gazetteer (first use only)...")
def place_search(text: str, limit: int = 15) -> list[dict[str, Any]]:
    """Gazetteer places whose name matches ``text``, as ``PlaceRow`` dicts plus ``population``."""
    if len(text.strip()) < 2:
        return []
    return [
        {**place_row(place), "population": place.population}
        for place in pipeline.search_places(text.strip(), limit, settings())
    ]


def dashboard_user() -> str:
    """Who is using the dashboard: the logged-in user's e-mail or name (Streamlit's login), else
    "dashboard (<OS user of the server>)"."""
    import getpass

    try:
        user = st.user
        name = (user.get("email") or user.get("name")) if user.get("is_logged_in") else None
    except Exception:  # noqa: BLE001 (no login configured: st.user may raise or be empty)
        name = None
    if name:
        return str(name)
    try:
        return f"dashboard ({getpass.getuser()})"
    except (KeyError, OSError):
        return "dashboard"


def apply_correction(surface: str, target: Mapping[str, Any], article_id: str | None = None) -> int:
    """Store a correction (applied at once and on later ingests); return how many events moved.

    ``target`` is a row of :func:`conflictmap.ui.queries.places` or :func:`place_search`.
    """
    if settings().read_only:
        raise PermissionError("this dashboard is read-only (CONFLICTMAP_READ_ONLY=1)")
    moved = store().add_correction(surface, place_from_row(target), article_id, made_by=dashboard_user())
    clear_caches()
    return moved


# ---------------------------------------------------------------- ingest
def ingest_documents(documents: Sequence[tuple[str, bytes]]) -> list[dict[str, Any]]:
    """Ingest uploaded or pasted documents one by one, with a progress bar.

    A file that is too large, empty or unreadable is reported in its own row
    (the reasons ``pipeline.ingest_bytes`` gives) and never stops the others.
    The name is only a label (the pipeline never uses it as a path).
    """
    if settings().read_only:
        raise PermissionError("this dashboard is read-only (CONFLICTMAP_READ_ONLY=1)")
    results: list[dict[str, Any]] = []
    bar = st.progress(0.0, text="Starting...")
    for done, (name, data) in enumerate(documents, start=1):
        bar.progress((done - 1) / len(documents), text=f"Reading {name} ({done}/{len(documents)})")
        results.append(_ingest_one(name, data))
    bar.progress(1.0, text=f"Done: {len(documents)} document(s)")
    clear_caches()
    return results


def _ingest_one(name: str, data: bytes) -> dict[str, Any]:
    row: dict[str, Any] = {"file": name, "new": 0, "duplicate": 0, "failed": 0, "events": 0, "errors": ""}
    try:
        result = pipeline.ingest_bytes(data, name, store(), geoparser(), settings=settings())
    # One bad file must never break the page: report whatever it raised in its row.
    except Exception as exc:  # noqa: BLE001
        row.update(failed=1, errors=f"{type(exc).__name__}: {exc}")
    else:
        row.update(new=result.new, duplicate=result.duplicate, failed=result.failed,
                   events=result.events, errors="; ".join(e.reason for e in result.errors))
    return row
