"""The Places page's pieces: the table of places, the correction form, the corrections stored.

Every row carries ``PlaceRow``'s keys (``place`` is the gazetteer's name), as
``model.place_from_row`` reads them: the places on the map are ``Store.places``
rows (``PlaceCountRow``, with mention and event counts), gazetteer matches come
from :func:`conflictmap.ui.actions.place_search` (with the population).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from conflictmap.render import html
from conflictmap.ui.actions import apply_correction, place_search
from conflictmap.ui.layout import footer, table_rows
from conflictmap.ui.queries import corrections, places
from conflictmap.ui.resources import settings
from conflictmap.ui.state import (
    SS_PLACES_FLASH,
    W_FIX_GAZETTEER,
    W_FIX_PLACE,
    W_FIX_SOURCE,
    W_FIX_SURFACE,
    W_FIX_TARGET,
    W_PLACE_SEARCH,
)

#: The table of places; its ``place`` column is headed "name".
PLACE_COLUMNS = ["place", "country_code", "feature", "mentions", "events", "surfaces", "corrected", "lat", "lon"]
CORRECTION_COLUMNS = ["created_at", "made_by", "surface", "place", "country_code", "article_id"]
#: Where a correction may move a name.
ON_MAP, FROM_GAZETTEER = "a place already on the map", "a place from the gazetteer"


def place_table(db_url: str) -> list[dict[str, Any]]:
    """The notice of the last correction, the search box and the matching places; returns the places.

    When nothing matches, the page ends here (after its footer): ``st.stop()``
    rather than a return keeps the correction form's choices for when the
    search matches again.
    """
    flash = st.session_state.pop(SS_PLACES_FLASH, None)
    if flash:
        st.success(flash)
    query = st.text_input("Search places and the names articles used", key=W_PLACE_SEARCH)
    rows = places(db_url, query)
    st.dataframe(table_rows(rows, PLACE_COLUMNS), hide_index=True, width="stretch", column_config={"place": "name"})
    if not rows:
        st.info("No place matches this search.")
        footer()
        st.stop()
    return rows


def correction_form(db_url: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Move a name as written in the articles from one of ``rows`` (not empty) to another place; rerun when applied.

    A read-only dashboard (``CONFLICTMAP_READ_ONLY=1``) says so instead.
    """
    st.subheader("Correct a place")
    if settings().read_only:
        st.info("This dashboard is read-only: places are corrected on the analysts' own copy.")
        return
    current = place_select("Place resolved wrongly", rows, W_FIX_PLACE, place_label)
    if current is None:
        return
    surface = st.selectbox("Name as written in the articles", current["surfaces"], key=W_FIX_SURFACE)
    source = st.radio("Move it to", [ON_MAP, FROM_GAZETTEER], horizontal=True, key=W_FIX_SOURCE)
    if source == ON_MAP:
        targets = targets_on_map(db_url, current["place_id"])
    else:
        text = st.text_input("Search the gazetteer", value=surface or "", key=W_FIX_GAZETTEER)
        targets = place_search(text)
    target = place_select("Correct place", targets, W_FIX_TARGET, target_label, index=None,
                          placeholder="Choose a place")
    if st.button("Apply correction", type="primary", disabled=not (surface and target)) and target is not None:
        moved = apply_correction(surface, target)
        st.session_state[SS_PLACES_FLASH] = correction_notice(surface, target, moved)
        st.rerun()


def stored_corrections(db_url: str) -> None:
    """The corrections stored so far, in a folded section."""
    with st.expander("Corrections stored"):
        st.dataframe(table_rows(corrections(db_url), CORRECTION_COLUMNS), hide_index=True, width="stretch")


def place_label(row: Mapping[str, Any]) -> str:
    """A place on the map with its mention count: "Idlib (SY) · 3 mention(s)"."""
    return f"{row['place']} ({row['country_code'] or '?'}) \u00b7 {row['mentions']} mention(s)"


def target_label(row: Mapping[str, Any]) -> str:
    """A correction target with its feature and coordinates."""
    return f"{row['place']} ({row['country_code'] or '?'}, {row['feature']}) {row['lat']:.3f}, {row['lon']:.3f}"


def place_select(
    label: str, rows: Sequence[Mapping[str, Any]], key: str, label_of: Callable[[Mapping[str, Any]], str],
    **options: Any,
) -> Mapping[str, Any] | None:
    """A select box over ``rows`` by ``place_id``, shown with ``label_of``; the chosen row or None."""
    by_id = {row["place_id"]: row for row in rows}
    chosen = st.selectbox(label, list(by_id), key=key, format_func=lambda pid: label_of(by_id[pid]), **options)
    return by_id.get(chosen) if chosen is not None else None


def targets_on_map(db_url: str, place_id: str) -> list[dict[str, Any]]:
    """Every place on the map but ``place_id``: the correction targets "already on the map"."""
    return [row for row in places(db_url, "") if row["place_id"] != place_id]


def correction_notice(surface: str, target: Mapping[str, Any], moved: int) -> str:
    """The Markdown notice after a correction to ``target`` (a ``PlaceRow``; names escaped)."""
    name, place = html.escape_markdown(surface), html.escape_markdown(target["place"])
    return f"\u201c{name}\u201d now resolves to {place}: {moved} event(s) moved. Later ingests apply the same fix."
