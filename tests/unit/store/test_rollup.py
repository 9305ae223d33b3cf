"""The roll-up tables answer exactly what a scan of the events answers.

A store with merges across articles, events at month edges and negative
coordinates, events without a fatality figure or a country, and a correction
that moves events to another place and country is queried twice for many
filters: once from the roll-ups and once from the events table. Runs on SQLite
and on PostgreSQL.
"""
from __future__ import annotations

import random
import threading
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from conflictmap.model import EVENT_TYPES, Article, Event, EventFilter, Mention, Place, make_event_id
from conflictmap.store import Store, rollup
from conflictmap.store.schema import daily_counts, store_meta

_PLACES = (
    Place("gn:1", "Douma", 33.5722, 36.4022, "city", "SY", "Rif Dimashq", 1, 1),
    Place("gn:2", "Al Qa'im", 34.3689, 41.0936, "city", "IQ", "Anbar", 1, 2),
    Place("gn:3", "Mogadishu", 2.0371, 45.3438, "city", "SO", "Banaadir", 1, 3),
    Place("gn:4", "Bogota", 4.6097, -74.0817, "city", "CO", "Bogota", 1, 4),  # west of Greenwich
    Place("gn:5", "Lima", -12.0432, -77.0282, "city", "PE", "Lima", 1, 5),  # south of the equator
    Place("gn:6", "Somewhere", 10.0, 10.0, "region", "", "", 0, None),  # no country
)
_FIRST = date(2017, 9, 25)


def _articles(n: int, seed: int = 5) -> list[tuple[Article, list[Mention], list[Event]]]:
    """``n`` articles of 1-3 events each; every fourth repeats an earlier incident (a merge)."""
    rng = random.Random(seed)
    out: list[tuple[Article, list[Mention], list[Event]]] = []
    incidents: list[tuple[Place, date, str]] = []
    for i in range(n):
        sentences = []
        for _ in range(rng.choice((1, 2, 3))):
            if incidents and rng.random() < 0.25:
                place, day, etype = rng.choice(incidents)
            else:
                place = rng.choice(_PLACES)
                day = _FIRST + timedelta(days=rng.randrange(75))
                etype = rng.choice(EVENT_TYPES)
                incidents.append((place, day, etype))
            sentences.append((place, day, etype, rng.choice((None, 0, 1, 4, 30))))
        body = " ".join(f"Report {j} from {p.name}." for j, (p, *_rest) in enumerate(sentences))
        article = Article.create(f"Article {i}", body, published=_FIRST, url=f"https://example.org/{i}")
        mentions, events = [], []
        for j, (place, day, etype, deaths) in enumerate(sentences):
            sentence = f"Report {j} from {place.name}."
            start = body.index(sentence)
            p_start = start + len(f"Report {j} from ")
            mention = Mention(p_start, p_start + len(place.name), place.name, place, 0.9)
            mentions.append(mention)
            events.append(Event(
                event_id=make_event_id(article.article_id, start, p_start), article_id=article.article_id,
                mention=mention, event_date=day, time_precision=1, date_phrase="", geo_precision=1,
                event_type=etype, sub_event_type="", excerpt=sentence, excerpt_start=start,
                excerpt_end=start + len(sentence), actors=("IS",), fatalities_best=deaths,
            ))
        out.append((article, mentions, events))
    return out


_FILTERS = [
    EventFilter(),
    EventFilter(date_from=date(2017, 10, 1)),
    EventFilter(date_to=date(2017, 10, 31)),
    EventFilter(date_from=date(2017, 10, 1), date_to=date(2017, 11, 30)),
    EventFilter(date_from=date(2017, 9, 28), date_to=date(2017, 12, 3)),
    EventFilter(date_from=date(2017, 10, 5), date_to=date(2017, 10, 20)),
    EventFilter(date_from=date(2017, 10, 31), date_to=date(2017, 11, 1)),
    EventFilter(date_from=date(2017, 11, 10), date_to=date(2017, 11, 9)),
    EventFilter(event_types=("Battles", "Protests")),
    EventFilter(countries=("SY", "PE")),
    EventFilter(date_from=date(2017, 10, 15), countries=("IQ",), event_types=("Battles",)),
]


@pytest.fixture()
def mixed_url(backend_url: str) -> str:
    store = Store(backend_url)
    for article, mentions, events in _articles(120):
        store.write_article(article, mentions, events)
    # Move every "Douma" to Bogota: another place, country and cell.
    assert store.add_correction("Douma", _PLACES[3]) > 0
    store.dispose()
    return backend_url


def _grid_key(cells: list[dict]) -> list[tuple]:
    return sorted((c["events"], c["fatalities"], round(c["lat"], 6), round(c["lon"], 6)) for c in cells)


@pytest.mark.parametrize("flt", _FILTERS, ids=range(len(_FILTERS)))
def test_rollups_answer_like_a_scan(mixed_url: str, flt: EventFilter) -> None:
    fast, slow = Store(mixed_url), Store(mixed_url)
    slow.use_rollups = False
    assert rollup.answers(flt)
    assert fast.summary(flt) == slow.summary(flt)
    assert fast.counts_by_day(flt) == slow.counts_by_day(flt)
    assert sorted(fast.counts_by_country(flt), key=str) == sorted(slow.counts_by_country(flt), key=str)
    for cell in (0.25, 0.5, 2.0, 0.3):
        assert _grid_key(fast.grid_counts(flt, cell)) == _grid_key(slow.grid_counts(flt, cell)), cell
    fast.dispose()
    slow.dispose()


def test_merges_count_as_reports_not_events(mixed_url: str) -> None:
    store = Store(mixed_url)
    totals = store.summary(EventFilter())
    assert totals["reports"] > totals["events"] > 0
    assert totals["events"] == len(store.query_events(EventFilter()))
    assert sum(r["sources"] for r in store.query_events(EventFilter())) == totals["reports"]


def test_filters_the_rollups_cannot_answer_go_to_the_events() -> None:
    for flt in (EventFilter(actors=("IS",)), EventFilter(text="x"), EventFilter(min_fatalities=1),
                EventFilter(max_geo_precision=1), EventFilter(max_time_precision=2)):
        assert not rollup.answers(flt)


def test_a_store_without_rollups_gets_them_on_open(mixed_url: str) -> None:
    store = Store(mixed_url)
    expected = store.summary(EventFilter())
    with store.engine.begin() as conn:  # as a store written before roll-ups existed
        conn.execute(delete(daily_counts))
        conn.execute(delete(store_meta))
    store.dispose()
    reopened = Store(mixed_url)
    assert reopened.summary(EventFilter()) == expected
    with reopened.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(daily_counts)).scalar_one() > 0
    reopened.dispose()


@given(st.dates(date(2017, 1, 1), date(2018, 12, 31)) | st.none(),
       st.dates(date(2017, 1, 1), date(2018, 12, 31)) | st.none())
def test_split_range_covers_each_day_once(lo: date | None, hi: date | None) -> None:
    months, edges = rollup.split_range(lo, hi)
    window_lo, window_hi = date(2016, 12, 1), date(2019, 1, 31)
    days: list[date] = []
    if months is not None:
        m = months[0] or window_lo
        while m <= (months[1] or window_hi):
            nxt = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
            days.extend(m + timedelta(days=k) for k in range((nxt - m).days))
            m = nxt
    for first, last in edges:
        days.extend(first + timedelta(days=k) for k in range((last - first).days + 1))
    expected = [window_lo + timedelta(days=k) for k in range((window_hi - window_lo).days + 1)]
    expected = [d for d in expected if (lo is None or d >= lo) and (hi is None or d <= hi)]
    assert sorted(days) == expected


def test_corrections_during_an_ingest_keep_rollups_exact_and_apply_to_every_article(backend_url: str) -> None:
    items = _articles(90, seed=9)
    writer, corrector = Store(backend_url), Store(backend_url)
    failures: list[BaseException] = []

    def ingest() -> None:
        try:
            for article, mentions, events in items:
                writer.write_article(article, mentions, events)
        except BaseException as exc:  # re-raised below, in the test thread
            failures.append(exc)

    thread = threading.Thread(target=ingest)
    thread.start()
    for place in (_PLACES[3], _PLACES[1], _PLACES[4]):  # move "Douma" around while articles arrive
        corrector.add_correction("Douma", place)
    thread.join(timeout=120)
    assert not failures, failures
    slow = Store(backend_url)
    slow.use_rollups = False
    for flt in (EventFilter(), EventFilter(countries=("PE",)), EventFilter(date_from=date(2017, 10, 20))):
        assert corrector.summary(flt) == slow.summary(flt)
        assert _grid_key(corrector.grid_counts(flt, 0.5)) == _grid_key(slow.grid_counts(flt, 0.5))
    # Whenever an article was written, it ends where the last correction put "Douma".
    douma = [e for e in slow.query_events(EventFilter()) if e["surface"] == "Douma"]
    assert douma and {e["place_id"] for e in douma} == {_PLACES[4].place_id}
    for s in (writer, corrector, slow):
        s.dispose()
