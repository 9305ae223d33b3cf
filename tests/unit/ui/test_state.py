"""The dashboard's filter state and its query-string form."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from conflictmap.model import EventFilter
from conflictmap.ui.state import default_state, period_from_selection, query_from_state, state_from_query, to_filter


def _parse(query: dict[str, Any]) -> dict[str, Any]:
    """Parse a dict the way st.query_params presents one (last value / all values)."""
    def last(name: str) -> Any:
        value = query.get(name)
        return value[-1] if isinstance(value, list) else value

    def get_all(name: str) -> list[str]:
        value = query.get(name)
        return list(value) if isinstance(value, list) else ([value] if value is not None else [])

    return state_from_query({k: last(k) for k in query}, get_all)


_words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_states = st.fixed_dictionaries(
    {
        "date_from": st.none() | st.dates(date(2000, 1, 1), date(2010, 1, 1)),
        "date_to": st.none() | st.dates(date(2010, 1, 2), date(2030, 1, 1)),
        "types": st.lists(_words, max_size=3, unique=True),
        "actors": st.lists(_words, max_size=3, unique=True),
        "countries": st.lists(st.sampled_from(["SY", "IQ", "YE"]), max_size=3, unique=True),
        "admin1": st.lists(_words, max_size=3, unique=True),
        "text": st.text(max_size=30),
        "min_fatalities": st.integers(0, 5000),
        "geo": st.integers(1, 3),
        "time": st.integers(1, 3),
        "reference": st.booleans(),
        "tiles": st.booleans(),
    }
)


@given(_states)
def test_state_round_trips_through_the_query_string(state: dict[str, Any]) -> None:
    assert _parse(query_from_state(state)) == state


def test_defaults_leave_the_url_empty() -> None:
    assert query_from_state(default_state()) == {}
    assert _parse({}) == default_state()


def test_bad_values_fall_back_to_defaults() -> None:
    state = _parse({"from": "2017-13-45", "to": "yesterday", "minfat": "-5", "geo": "9", "time": "x"})
    assert state["date_from"] is None and state["date_to"] is None
    assert (state["min_fatalities"], state["geo"], state["time"]) == (0, 3, 3)
    swapped = _parse({"from": "2017-12-01", "to": "2017-11-01"})
    assert (swapped["date_from"], swapped["date_to"]) == (date(2017, 11, 1), date(2017, 12, 1))


def test_state_becomes_a_hashable_store_filter() -> None:
    flt = to_filter(_parse({"type": ["Battles", "Riots"], "q": "  raqqa ", "geo": "2"}))
    assert flt == EventFilter(event_types=("Battles", "Riots"), text="raqqa", max_geo_precision=2)
    hash(flt)


def test_period_from_an_altair_interval_selection() -> None:
    # Vega-Lite sends epoch milliseconds for a temporal interval.
    ms = [1509494400000, 1510704000000]  # 2017-11-01, 2017-11-15 (UTC)
    assert period_from_selection({"day": ms}) == (date(2017, 11, 1), date(2017, 11, 15))
    assert period_from_selection({"day": list(reversed(ms))}) == (date(2017, 11, 1), date(2017, 11, 15))
    assert period_from_selection({"day": ["2017-11-01T00:00", "2017-11-02"]}) == (
        date(2017, 11, 1), date(2017, 11, 2))
    assert period_from_selection({"yearmonthdate_day": ms}) == (date(2017, 11, 1), date(2017, 11, 15))
    assert period_from_selection({}) is None
    assert period_from_selection({"day": [1]}) is None


def test_pure_modules_do_not_import_streamlit() -> None:
    # A fresh interpreter: in this one another test may already have imported streamlit.
    code = (
        "import sys, conflictmap.render.maps, conflictmap.render.layers, conflictmap.render.map_scripts, "
        "conflictmap.render.html, conflictmap.render.charts, conflictmap.ui.state, "
        "conflictmap.render.assets; sys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=60).returncode == 0
