"""The dashboard's keys and its filter state in URL form. Pure: no streamlit.

Every session-state key, widget key and query-parameter name of the app is a
constant here. A view is shared by URL, so every filter has a query-string name
and the state survives a round trip: ``state_from_query(query_from_state(s)) == s``.
Bad values in a hand-edited URL fall back to the defaults instead of failing.
``conflictmap.ui.filters`` keeps the state in ``st.session_state`` and the URL
in ``st.query_params``; this module only converts.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from conflictmap.model import EventFilter

# Query-string names.
QP_FROM, QP_TO = "from", "to"
QP_TYPES, QP_ACTORS, QP_COUNTRIES = "type", "actor", "country"
QP_ADMIN1 = "admin1"
QP_TEXT, QP_MIN_FATALITIES = "q", "minfat"
QP_GEO, QP_TIME = "geo", "time"
QP_REFERENCE, QP_TILES = "ref", "tiles"
QP_ARTICLE = "article"

# Session-state keys: SS_* hold plain values.
SS_FILTERS = "cm_filters"
SS_SELECTED = "cm_selected_event"
SS_MAP_BOUNDS = "cm_map_bounds"
# The filters whose rows the map's event and reference layers were last sent (the browser filters within).
SS_MAP_SENT, SS_REF_SENT = "cm_map_sent", "cm_ref_sent"
#: When (browser milliseconds) the map's period sliders were last let go, once applied.
SS_MAP_PERIOD_AT = "cm_map_period_at"
SS_PLACES_FLASH = "cm_places_flash"
SS_INGEST_RESULTS = "cm_ingest_results"
# Widget keys: the sidebar filters, the map, then one group per page.
W_DATES, W_FROM, W_TO = "cm_w_dates", "cm_w_from", "cm_w_to"
W_TYPES, W_ACTORS, W_COUNTRIES = "cm_w_types", "cm_w_actors", "cm_w_countries"
W_ADMIN1 = "cm_w_admin1"
W_TEXT, W_MIN_FATALITIES = "cm_w_text", "cm_w_minfat"
W_GEO, W_TIME = "cm_w_geo", "cm_w_time"
W_REFERENCE, W_TILES = "cm_w_ref", "cm_w_tiles"
MAP_KEY = "cm_event_map"
W_ARTICLE_SEARCH, W_ARTICLE_PICK = "cm_w_article_search", "cm_w_article_pick"
W_PLACE_SEARCH = "cm_w_place_search"
W_FIX_PLACE, W_FIX_SURFACE, W_FIX_SOURCE = "cm_w_fix_place", "cm_w_fix_surface", "cm_w_fix_source"
W_FIX_GAZETTEER, W_FIX_TARGET = "cm_w_fix_gazetteer", "cm_w_fix_target"
W_UPLOADS, W_PASTE_NAME, W_PASTE_TEXT = "cm_w_uploads", "cm_w_paste_name", "cm_w_paste_text"
#: Prefix of the Timeline chart's key (the applied period follows it).
W_TIMELINE_CHART = "cm_timeline_chart"
#: Prefix of the Export page's download buttons (the file extension follows it).
W_EXPORT = "cm_w_export"
#: The Alerts page: its "as of" day and its map.
W_ALERTS_AS_OF, ALERTS_MAP_KEY = "cm_w_alerts_as_of", "cm_alerts_map"

LIST_FIELDS = {"types": QP_TYPES, "actors": QP_ACTORS, "countries": QP_COUNTRIES, "admin1": QP_ADMIN1}
PRECISION_LABELS = {
    "geo": {1: "exact place only", 2: "up to near a place", 3: "all, incl. area centroids"},
    "time": {1: "exact day only", 2: "up to a few days", 3: "all, incl. month only"},
}
_MAX_TEXT = 200
_MAX_VALUES = 50


def default_state() -> dict[str, Any]:
    """The state with no filter applied."""
    return {
        "date_from": None, "date_to": None, "types": [], "actors": [], "countries": [], "admin1": [], "text": "",
        "min_fatalities": 0, "geo": 3, "time": 3, "reference": True, "tiles": False,
    }


def _parse_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _parse_int(value: object, lo: int, hi: int, default: int) -> int:
    try:
        return min(hi, max(lo, int(str(value)))) if value not in (None, "") else default
    except ValueError:
        return default


def state_from_query(params: Mapping[str, Any], get_all: Callable[[str], list[str]]) -> dict[str, Any]:
    """Parse query parameters into a filter state.

    Parameters
    ----------
    params : mapping
        Single values by name (``st.query_params`` gives the last value of a repeated key).
    get_all : callable
        Every value of a repeated name (``st.query_params.get_all``).

    Returns
    -------
    dict
        A state as :func:`default_state` shapes it.
    """
    state = default_state()
    state.update(
        date_from=_parse_date(params.get(QP_FROM)),
        date_to=_parse_date(params.get(QP_TO)),
        text=str(params.get(QP_TEXT) or "")[:_MAX_TEXT],
        min_fatalities=_parse_int(params.get(QP_MIN_FATALITIES), 0, 1_000_000, 0),
        geo=_parse_int(params.get(QP_GEO), 1, 3, 3),
        time=_parse_int(params.get(QP_TIME), 1, 3, 3),
        reference=params.get(QP_REFERENCE) != "0",
        tiles=params.get(QP_TILES) == "1",
    )
    if state["date_from"] and state["date_to"] and state["date_from"] > state["date_to"]:
        state["date_from"], state["date_to"] = state["date_to"], state["date_from"]
    for field, name in LIST_FIELDS.items():
        values = [str(v)[:_MAX_TEXT] for v in get_all(name) if v]
        state[field] = list(dict.fromkeys(values))[:_MAX_VALUES]
    return state


def query_from_state(state: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """Encode a filter state as query parameters, leaving defaults out."""
    out: dict[str, str | list[str]] = {}
    if state.get("date_from"):
        out[QP_FROM] = state["date_from"].isoformat()
    if state.get("date_to"):
        out[QP_TO] = state["date_to"].isoformat()
    for field, name in LIST_FIELDS.items():
        if state.get(field):
            out[name] = [str(v) for v in state[field]]
    if state.get("text"):
        out[QP_TEXT] = str(state["text"])
    if state.get("min_fatalities"):
        out[QP_MIN_FATALITIES] = str(int(state["min_fatalities"]))
    for field, name in (("geo", QP_GEO), ("time", QP_TIME)):
        if state.get(field, 3) != 3:
            out[name] = str(state[field])
    if not state.get("reference", True):
        out[QP_REFERENCE] = "0"
    if state.get("tiles"):
        out[QP_TILES] = "1"
    return out


def to_filter(state: Mapping[str, Any]) -> EventFilter:
    """The store filter for a state (hashable, so it keys the caches)."""
    return EventFilter(
        date_from=state.get("date_from"),
        date_to=state.get("date_to"),
        event_types=tuple(state.get("types") or ()),
        actors=tuple(state.get("actors") or ()),
        countries=tuple(state.get("countries") or ()),
        admin1=tuple(state.get("admin1") or ()),
        text=str(state.get("text") or "").strip(),
        min_fatalities=int(state.get("min_fatalities") or 0),
        max_geo_precision=int(state.get("geo", 3)),
        max_time_precision=int(state.get("time", 3)),
    )


def _as_day(value: object) -> date | None:
    # Vega-Lite reports temporal selections as epoch milliseconds (UTC) or ISO text.
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    if isinstance(value, str):
        return _parse_date(value[:10])
    return None


def period_from_selection(selection: Mapping[str, Any] | None, field: str = "day") -> tuple[date, date] | None:
    """The (first, last) day of an Altair interval selection on ``field``, or None.

    Vega-Lite names the selected field after its time unit when there is one
    (``yearmonthdate_day``), so any key ending in ``field`` is accepted.
    """
    if not selection:
        return None
    key = field if field in selection else next((k for k in selection if str(k).endswith(field)), None)
    bounds = selection.get(key) if key is not None else None
    if not isinstance(bounds, (list, tuple)) or len(bounds) != 2:
        return None
    lo, hi = _as_day(bounds[0]), _as_day(bounds[1])
    if lo is None or hi is None:
        return None
    return (lo, hi) if lo <= hi else (hi, lo)
