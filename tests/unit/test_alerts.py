"""Surge alerts: the rule on synthetic stores with known surges and quiet places, the Atom feed, the CLI.

The store tests use tests/fixtures/surge_fixture.py (its docstring lists the
alerts it must give); the rule's corner cases run on hand-made weekly rows.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest

from conflictmap import alerts
from conflictmap.alerts import (
    ATOM_NS,
    SurgeRule,
    alerts_atom,
    find_surges,
    map_link,
    map_query,
    surge_record,
    surges_from_weeks,
    write_alerts_atom,
)
from conflictmap.cli import main
from conflictmap.model import Place
from conflictmap.store import Store
from conflictmap.store.trends import UnitWeekRow
from conflictmap.ui import state
from tests.fixtures.surge_fixture import AS_OF, EXPECTED_ALERTS, build_surge_store, write_events

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def surge_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixture's surge store in a SQLite file (shared by the read-only tests here)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('surges') / 'surges.db'}"
    build_surge_store(url).dispose()
    return url


def _by_unit(surges: list[alerts.Surge]) -> dict[tuple[str, str], alerts.Surge]:
    return {(s.country_code, s.admin1): s for s in surges}


def _rows(unit: tuple[str, str], weekly: dict[int, tuple[int, int]]) -> list[UnitWeekRow]:
    return [UnitWeekRow(country_code=unit[0], admin1=unit[1], week=w, events=n, fatalities=d, lat=1.0, lon=2.0)
            for w, (n, d) in weekly.items() if n]


# -- the rule on the fixture store ----------------------------------------------------------------


def test_the_fixture_store_gives_exactly_the_known_alerts(surge_url: str) -> None:
    found = _by_unit(find_surges(Store(surge_url), as_of=AS_OF))
    assert set(found) == EXPECTED_ALERTS
    # Quiet places stay quiet: one event where nothing happened, and a steady 10 a week.
    assert ("XE", "Quiet Province") not in found and ("XE", "") not in found
    assert ("XD", "Steady Province") not in found and ("XD", "") not in found


def test_a_steady_two_a_week_then_fifteen_is_a_surge(surge_url: str) -> None:
    surge = _by_unit(find_surges(Store(surge_url), as_of=AS_OF))[("XA", "Surge Province")]
    assert (surge.kind, surge.metrics, surge.level, surge.unit) == ("surge", ("events",), "admin1",
                                                                    "Surge Province, XA")
    assert (surge.events, surge.events_mean, surge.events_sd, surge.events_ratio) == (15, 2.0, 0.0, 7.5)
    assert (surge.window_start, surge.window_end) == (AS_OF - timedelta(days=6), AS_OF)
    assert surge.baseline_weeks == 12
    assert surge.rule.startswith("events 15 >= 5.0 = max(5, 2 x 2.00, 2.00 + 2 x 0.00)")
    assert (surge.lat, surge.lon) == (10.0, 10.0)


def test_a_unit_with_no_baseline_and_eight_events_is_new(surge_url: str) -> None:
    new = _by_unit(find_surges(Store(surge_url), as_of=AS_OF))[("XB", "New Province")]
    assert (new.kind, new.events, new.events_mean, new.events_ratio, new.ratio) == ("new", 8, 0.0, None, None)


def test_deaths_can_surge_without_events(surge_url: str) -> None:
    deadly = _by_unit(find_surges(Store(surge_url), as_of=AS_OF))[("XC", "Deadly Province")]
    assert deadly.metrics == ("fatalities",)
    assert (deadly.events, deadly.events_mean, deadly.fatalities, deadly.fatalities_mean) == (3, 3.0, 40, 1.0)
    assert deadly.ratio == 40.0


def test_as_of_defaults_to_the_latest_event_day(surge_url: str) -> None:
    store = Store(surge_url)
    latest = store.event_date_range()[1]
    assert latest is not None
    assert find_surges(store) == find_surges(store, as_of=latest)


def test_an_empty_store_has_no_alerts(empty_store: Store) -> None:
    assert find_surges(empty_store) == []


def test_day_seven_back_is_baseline_day_six_back_is_this_week(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'edge.db'}")
    place = Place("sup:edge", "Edgeton", 5.0, 5.0, "city", "XZ", "Edge Province")
    # Two events in the middle of each baseline week, ten on the first day of this week.
    days = {AS_OF - timedelta(days=7 * w + 3): (2, 0) for w in range(1, 13)}
    days[AS_OF - timedelta(days=6)] = (10, 0)
    write_events(store, place, days)
    assert ("XZ", "Edge Province") in _by_unit(find_surges(store, as_of=AS_OF))
    # One day later the ten fall on the baseline's newest day: this week is empty.
    assert ("XZ", "Edge Province") not in _by_unit(find_surges(store, as_of=AS_OF + timedelta(days=1)))


# -- the rule's corners on weekly rows ------------------------------------------------------------


def test_a_place_that_swings_each_week_does_not_alert_on_a_high_week() -> None:
    unit = ("XQ", "Swing")
    swinging = {0: (12, 0), **{w: (10 if w % 2 else 0, 0) for w in range(1, 13)}}  # mean 5, sd 5
    assert surges_from_weeks(_rows(unit, swinging), AS_OF) == []
    swinging[0] = (15, 0)  # mean + 2 sd
    assert {s.admin1 for s in surges_from_weeks(_rows(unit, swinging), AS_OF)} == {"Swing", ""}


def test_a_steady_place_needs_to_double() -> None:
    unit = ("XQ", "Busy")
    steady = {w: (10, 0) for w in range(1, 13)}
    assert surges_from_weeks(_rows(unit, {0: (19, 0), **steady}), AS_OF) == []
    assert len(surges_from_weeks(_rows(unit, {0: (20, 0), **steady}), AS_OF)) == 2


def test_below_the_minimum_nothing_alerts() -> None:
    assert surges_from_weeks(_rows(("XQ", "Calm"), {0: (4, 9)}), AS_OF) == []
    assert len(surges_from_weeks(_rows(("XQ", "Calm"), {0: (5, 0)}), AS_OF)) == 2


def test_weeks_before_the_store_began_are_no_baseline() -> None:
    rows = _rows(("XQ", "Young"), {0: (6, 0), 1: (1, 0)})
    # The store's first event is 20 days back: weeks 1 and 2 are covered, too few for a baseline.
    assert surges_from_weeks(rows, AS_OF, first_day=AS_OF - timedelta(days=20)) == []
    # Six covered weeks: the mean is over those six, not twelve.
    surge = surges_from_weeks(rows, AS_OF, first_day=AS_OF - timedelta(days=7 * 6))[0]
    assert (surge.baseline_weeks, surge.events_mean) == (6, round(1 / 6, 3))
    assert surges_from_weeks(rows, AS_OF, SurgeRule(min_baseline_weeks=1), first_day=AS_OF - timedelta(days=13))


def test_a_country_sums_its_units_and_its_events_without_admin1() -> None:
    rows = (_rows(("XQ", "North"), {0: (3, 0), **{w: (1, 0) for w in range(1, 13)}})
            + _rows(("XQ", ""), {0: (3, 0), **{w: (1, 0) for w in range(1, 13)}}))
    found = _by_unit(surges_from_weeks(rows, AS_OF))
    assert set(found) == {("XQ", "")}  # North alone (3 events) is below the minimum
    assert (found[("XQ", "")].events, found[("XQ", "")].events_mean) == (6, 2.0)


# -- links ------------------------------------------------------------------------------------------


def test_the_map_link_uses_the_map_pages_own_parameters(surge_url: str) -> None:
    assert (alerts.MAP_QP_COUNTRY, alerts.MAP_QP_ADMIN1, alerts.MAP_QP_FROM, alerts.MAP_QP_TO) == \
        (state.QP_COUNTRIES, state.QP_ADMIN1, state.QP_FROM, state.QP_TO)
    store = Store(surge_url)
    found = _by_unit(find_surges(store, as_of=AS_OF))
    surge = found[("XA", "Surge Province")]
    params = parse_qs(map_query(surge))
    parsed = state.state_from_query({k: v[-1] for k, v in params.items()}, lambda k: params.get(k, []))
    assert (parsed["countries"], parsed["admin1"], parsed["date_from"], parsed["date_to"]) == \
        (["XA"], ["Surge Province"], surge.window_start, AS_OF)
    # The link opens the province's week: exactly the events the alert counted.
    shown = store.query_events(state.to_filter(parsed))
    assert len([e for e in shown if e["event_type"] in alerts.VIOLENT_TYPES]) == surge.events
    assert store.summary(state.to_filter(parsed))["events"] == len(shown)
    # A country-level alert opens the whole country for the week.
    country = next(s for s in found.values() if not s.admin1)
    assert "admin1" not in parse_qs(map_query(country))
    assert map_link(surge, "https://dash.example.org/cm/") == f"https://dash.example.org/cm/?{map_query(surge)}"


# -- the Atom feed ----------------------------------------------------------------------------------


def test_the_feed_parses_with_one_linked_entry_per_alert(surge_url: str) -> None:
    surges = find_surges(Store(surge_url), as_of=AS_OF)
    text = alerts_atom(surges, base_url="https://dash.example.org/", updated=datetime(2024, 4, 1, 6, tzinfo=UTC))
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2024-04-01T06:00:00Z"
    assert len(feed.entries) == len(surges) == len(EXPECTED_ALERTS)
    for entry, surge in zip(feed.entries, surges, strict=True):
        assert entry.id == surge.alert_id
        assert entry.link == map_link(surge, "https://dash.example.org/")
        assert surge.unit in entry.title and surge.rule in entry.summary
    # The same alerts a day later keep their ids: a reader shows each once.
    later = feedparser.parse(alerts_atom(surges, updated=datetime(2024, 4, 2, tzinfo=UTC)))
    assert [e.id for e in later.entries] == [e.id for e in feed.entries]
    assert len({e.id for e in feed.entries}) == len(surges)


def test_hostile_unit_names_are_text_in_the_feed() -> None:
    surges = surges_from_weeks(_rows(("XQ", HOSTILE), {0: (9, 0)}), AS_OF)
    text = alerts_atom(surges)
    assert "<script" not in text and "<img" not in text
    root = ET.fromstring(text.encode("utf-8"))
    titles = [e.findtext(f"{{{ATOM_NS}}}title") for e in root.iter(f"{{{ATOM_NS}}}entry")]
    assert any(HOSTILE in (t or "") for t in titles)
    feed = feedparser.parse(text)
    assert not feed.bozo and len(feed.entries) == 2
    assert all(urlsplit(e.link).query.startswith("country=XQ&") for e in feed.entries)
    # The unit's name travels in the link encoded, and reads back as the same text.
    assert all("<" not in e.link and '"' not in e.link for e in feed.entries)
    assert sorted(parse_qs(urlsplit(e.link).query).get("admin1", [""])[0] for e in feed.entries) == ["", HOSTILE]


def test_the_feed_file_is_written_whole(tmp_path: Path, surge_url: str) -> None:
    surges = find_surges(Store(surge_url), as_of=AS_OF)
    path = write_alerts_atom(surges, tmp_path / "alerts.xml")
    assert len(feedparser.parse(path.read_text(encoding="utf-8")).entries) == len(surges)
    assert [p.name for p in tmp_path.iterdir()] == ["alerts.xml"]  # no temporary file left behind


# -- the command line -------------------------------------------------------------------------------


def test_cli_json_equals_find_surges(surge_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--json", "--db", surge_url, "--as-of", AS_OF.isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = [surge_record(s) for s in find_surges(Store(surge_url), as_of=AS_OF)]
    assert out == json.loads(json.dumps(expected))
    assert {(r["country_code"], r["admin1"]) for r in out} == EXPECTED_ALERTS


def test_cli_table_and_atom_file(surge_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "alerts.xml"
    assert main(["alerts", "--db", surge_url, "--atom", str(target), "--base-url", "https://dash.example.org/"]) == 0
    captured = capsys.readouterr()
    assert "Surge Province, XA" in captured.out and "Quiet" not in captured.out
    assert captured.err.strip() == f"{len(EXPECTED_ALERTS)} surges \u2192 {target}"
    entries = feedparser.parse(target.read_text(encoding="utf-8")).entries
    assert len(entries) == len(EXPECTED_ALERTS)
    assert all(e.link.startswith("https://dash.example.org/?country=") for e in entries)


def test_cli_atom_into_a_missing_folder_is_a_usage_error(surge_url: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["alerts", "--db", surge_url, "--atom", str(tmp_path / "nope" / "alerts.xml")])
    assert exit_info.value.code == 2
    assert "no such folder" in capsys.readouterr().err


def test_cli_on_a_store_without_surges_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["alerts", "--db", url, "--as-of", date(2024, 1, 1).isoformat()]) == 0
    assert capsys.readouterr().err == "no surges\n"
