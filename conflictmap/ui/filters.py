"""The sidebar filters, their callbacks and their mirror in the URL query string.

The filter state is a small dict of plain values in ``st.session_state``
(shaped by :func:`conflictmap.ui.state.default_state`), read from
``st.query_params`` on a session's first run and written back from each
widget's ``on_change``. Widget keys are re-seeded from the state, so the
filters survive pages that do not draw them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

import streamlit as st

from conflictmap.ui.queries import facets
from conflictmap.ui.resources import settings
from conflictmap.ui.state import (
    PRECISION_LABELS,
    QP_ARTICLE,
    SS_FILTERS,
    W_ACTORS,
    W_ADMIN1,
    W_COUNTRIES,
    W_DATES,
    W_FROM,
    W_GEO,
    W_MIN_FATALITIES,
    W_REFERENCE,
    W_TEXT,
    W_TILES,
    W_TIME,
    W_TO,
    W_TYPES,
    query_from_state,
    state_from_query,
)


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
        # A "To" before "From" (or the other way round) means the days between them.
        lo, hi = hi, lo
        st.session_state[W_FROM], st.session_state[W_TO] = lo, hi
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

    Returns
    -------
    dict
        The filter state; :func:`conflictmap.ui.state.to_filter` makes the store filter.
    """
    info = facets(settings().db_url)
    state = filter_state()
    sb = st.sidebar
    sb.header("Filters")
    _date_filters(state, info["date_min"] or date.today(), info["date_max"] or date.today())
    for field, key, label, options in (
        ("types", W_TYPES, "Event type", info["event_types"]),
        ("actors", W_ACTORS, "Actor", info["actors"]),
        ("countries", W_COUNTRIES, "Country", info["countries"]),
        ("admin1", W_ADMIN1, "Province or region (first-level unit)", info["admin1"]),
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


def _date_filters(state: Mapping[str, Any], lo_all: date, hi_all: date) -> None:
    """The date slider (when the store spans more than a day) and the From/To inputs."""
    lo = min(max(state["date_from"] or lo_all, lo_all), hi_all)
    hi = max(min(state["date_to"] or hi_all, hi_all), lo)
    sb = st.sidebar
    if hi_all > lo_all:
        _init_widget(W_DATES, (lo, hi))
        sb.slider("Date range", min_value=lo_all, max_value=hi_all, key=W_DATES, on_change=_on_slider,
                  step=timedelta(days=1), format="YYYY-MM-DD")
    _init_widget(W_FROM, lo)
    _init_widget(W_TO, hi)
    sb.date_input("From", min_value=lo_all, max_value=hi_all, key=W_FROM, on_change=_on_date_input)
    sb.date_input("To", min_value=lo_all, max_value=hi_all, key=W_TO, on_change=_on_date_input)


def set_period(lo: date, hi: date) -> None:
    """Callback: narrow the date filter to ``lo``..``hi`` (Timeline's period pick)."""
    state = filter_state()
    state["date_from"], state["date_to"] = min(lo, hi), max(lo, hi)
    st.session_state[W_FROM], st.session_state[W_TO] = state["date_from"], state["date_to"]
    st.session_state[W_DATES] = (state["date_from"], state["date_to"])
    _write_query(state)
