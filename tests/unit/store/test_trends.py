"""Weekly unit counts for the surge alerts, on SQLite and PostgreSQL (``backend_url``).

Week edges are whole days back from "as of": week 0 is ``as_of - 6`` .. ``as_of``;
``as_of - 7`` is week 1's last day; with 13 weeks, ``as_of - 90`` is the oldest
day counted and ``as_of - 91`` and anything after ``as_of`` are left out.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from conflictmap.model import Place
from conflictmap.store import Store
from conflictmap.store.trends import week_start
from tests.fixtures.surge_fixture import build_surge_store, write_events

AS_OF = date(2024, 3, 31)
EDGE = Place("sup:edge", "Edgeton", 5.0, 5.0, "city", "XZ", "Edge Province")
BARE = Place("sup:bare", "Bare Country", 6.5, 6.5, "country", "XZ", "")


def _weeks(store: Store, **kwargs: object) -> dict[tuple[str, str, int], tuple[int, int]]:
    rows = store.weekly_unit_counts(AS_OF, 13, **kwargs)  # type: ignore[arg-type]
    return {(r["country_code"], r["admin1"], r["week"]): (r["events"], r["fatalities"]) for r in rows}


def test_week_start_counts_whole_days_back() -> None:
    assert week_start(AS_OF, 0) == AS_OF - timedelta(days=6)
    assert week_start(AS_OF, 1) == AS_OF - timedelta(days=13)
    assert week_start(AS_OF, 12) == AS_OF - timedelta(days=90)


def test_window_edges_fall_in_the_right_week(backend_url: str) -> None:
    store = Store(backend_url)
    days = {AS_OF + timedelta(days=1): (1, 100),  # after as_of: left out
            AS_OF: (1, 1), AS_OF - timedelta(days=6): (1, 2),  # the current week's last and first day
            AS_OF - timedelta(days=7): (1, 4),  # the newest baseline day
            AS_OF - timedelta(days=90): (1, 8),  # the oldest baseline day
            AS_OF - timedelta(days=91): (1, 200)}  # one day too old
    write_events(store, EDGE, days)
    assert _weeks(store) == {("XZ", "Edge Province", 0): (2, 3), ("XZ", "Edge Province", 1): (1, 4),
                             ("XZ", "Edge Province", 12): (1, 8)}


def test_events_without_admin1_and_types(backend_url: str) -> None:
    store = Store(backend_url)
    write_events(store, EDGE, {AS_OF: (2, 0)}, event_type="Protests")
    write_events(store, BARE, {AS_OF: (3, 5)}, event_type="Battles")
    assert _weeks(store) == {("XZ", "Edge Province", 0): (2, 0), ("XZ", "", 0): (3, 5)}
    assert _weeks(store, event_types=("Battles",)) == {("XZ", "", 0): (3, 5)}
    assert _weeks(store, event_types=("Riots",)) == {}


def test_reference_rows_do_not_count(backend_url: str) -> None:
    store = Store(backend_url)
    store.import_reference([{
        "ref_id": "ucdp:x", "source": "UCDP GED", "event_date": AS_OF, "date_end": AS_OF, "lat": 5.0, "lon": 5.0,
        "where_text": "Edgeton", "admin1": "Edge Province", "country_code": "XZ", "deaths_best": 9,
    }])
    assert _weeks(store) == {}
    assert store.event_date_range() == (None, None)


def test_the_fixture_store_groups_per_unit_and_week(backend_url: str) -> None:
    store = build_surge_store(backend_url)
    weeks = _weeks(store)
    assert weeks[("XA", "Surge Province", 0)] == (15, 0)
    assert all(weeks[("XA", "Surge Province", w)] == (2, 0) for w in range(1, 13))
    assert weeks[("XC", "Deadly Province", 0)] == (3, 40)
    assert ("XB", "New Province", 1) not in weeks
    rows = store.weekly_unit_counts(AS_OF, 13)
    surge = next(r for r in rows if r["admin1"] == "Surge Province" and r["week"] == 0)
    assert (surge["lat"], surge["lon"]) == pytest.approx((10.0, 10.0))


def test_weeks_must_be_positive(empty_store: Store) -> None:
    with pytest.raises(ValueError):
        empty_store.weekly_unit_counts(AS_OF, 0)
