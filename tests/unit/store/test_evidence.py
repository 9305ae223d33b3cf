"""An event's ACLED roles and evidence (actor1 .. deaths_phrase) are stored, merged and kept by corrections.

On SQLite and on PostgreSQL. The fixture's Douma, Mogadishu and Raqa events carry
them (tests/fixtures/store_fixture.py ``EVIDENCE``); the rest keep the defaults.
"""
from __future__ import annotations

from datetime import date

import pytest

from conflictmap.model import Article, Event, EventFilter, Mention, Place, make_event_id
from conflictmap.store import Store
from tests.fixtures.store_fixture import EVIDENCE, PLACES

DOUMA = "Government air strikes killed at least six civilians in Douma on Thursday."
EMPTY = {"actor1": "", "actor2": "", "interaction": None, "civilian_targeting": False, "cue": "", "deaths_phrase": ""}


def _evidence(row: dict) -> dict:
    return {k: row[k] for k in EMPTY}


def test_the_roles_and_evidence_read_back_as_written(seeded_url: str) -> None:
    store = Store(seeded_url)
    rows = {r["excerpt"]: r for r in store.query_events(EventFilter())}
    assert _evidence(rows[DOUMA]) == {**EMPTY, **EVIDENCE[DOUMA]}
    assert rows[DOUMA]["civilian_targeting"] is True
    raqa = "The SDF drove IS out of Raqa on Tuesday."
    assert _evidence(rows[raqa]) == {**EMPTY, **EVIDENCE[raqa]}
    assert _evidence(rows["Fighting raged near Albu Kamal on Saturday."]) == EMPTY
    # Every read path returns them alike.
    douma = rows[DOUMA]
    assert store.get_event(douma["event_id"]) == douma
    assert [_evidence(e) for e in store.article_events(douma["article_id"])] == [_evidence(douma)]
    store.dispose()


def test_a_correction_that_moves_an_event_keeps_them(seeded_url: str) -> None:
    store = Store(seeded_url)
    before = next(r for r in store.query_events(EventFilter()) if r["excerpt"] == DOUMA)
    harasta = Place("gn:170063", "Harasta", 33.5586, 36.3650, "city", "SY", "Rif Dimashq", 0, 170063)
    assert store.add_correction("Douma", harasta) == 1
    after = store.get_event(before["event_id"])
    assert after is not None and after["place"] == "Harasta"
    assert _evidence(after) == _evidence(before) == {**EMPTY, **EVIDENCE[DOUMA]}
    store.dispose()


def _report(title: str, sentence: str, **fields: object) -> tuple[Article, list[Mention], list[Event]]:
    """An article of one sentence about a battle at Al-Qaim on 3 November 2017."""
    article = Article.create(title, sentence, published=date(2017, 11, 3))
    start = sentence.index("Al-Qaim")
    mention = Mention(start, start + 7, "Al-Qaim", PLACES["Al-Qaim"], 0.9)
    event = Event(
        event_id=make_event_id(article.article_id, 0), article_id=article.article_id, mention=mention,
        event_date=date(2017, 11, 3), time_precision=1, date_phrase="", geo_precision=1, event_type="Battles",
        sub_event_type="Armed clash", excerpt=sentence, excerpt_start=0, excerpt_end=len(sentence),
        **fields,  # type: ignore[arg-type]
    )
    return article, [mention], [event]


FIRST = {"actor1": "Iraqi forces", "interaction": 10, "cue": "retook"}


@pytest.mark.parametrize("second, expected", [
    # Empty texts, a missing code and an unmarked flag are filled; the first report's values stay.
    ({"actor1": "Iraqi army", "actor2": "IS", "interaction": 12, "civilian_targeting": True, "cue": "fought"},
     {"actor1": "Iraqi forces", "actor2": "IS", "interaction": 10, "civilian_targeting": True, "cue": "retook"}),
    # A second report with nothing to add changes nothing.
    ({}, FIRST),
    # A death-toll phrase giving other figures than the stored ones (none) would not explain them.
    ({"fatalities_best": 3, "fatalities_low": 3, "fatalities_high": 3, "deaths_phrase": "killed three"},
     FIRST),
])
def test_a_second_report_fills_what_the_first_left_empty(backend_url: str, second: dict, expected: dict) -> None:
    store = Store(backend_url)
    assert store.write_article(*_report("First", "Iraqi forces retook Al-Qaim on Friday.", **FIRST))
    assert store.write_article(*_report("Second", "Troops fought IS in Al-Qaim on Friday.", **second))
    [row] = store.query_events(EventFilter())
    assert row["sources"] == 2 and row["title"] == "First"
    assert _evidence(row) == {**EMPTY, **expected}
    assert row["fatalities_best"] is None  # the first report's figures stay
    store.dispose()


def test_a_death_toll_phrase_with_the_stored_figures_is_taken(backend_url: str) -> None:
    toll = {"fatalities_best": 3, "fatalities_low": 3, "fatalities_high": 3}
    store = Store(backend_url)
    assert store.write_article(*_report("First", "Three died as Iraqi forces retook Al-Qaim.", **toll))
    phrase = "killed three soldiers"
    assert store.write_article(*_report("Second", f"Clashes in Al-Qaim {phrase}.", **toll, deaths_phrase=phrase))
    third = _report("Third", "Fighting in Al-Qaim left 3 dead.", **toll, deaths_phrase="left 3 dead")
    assert store.write_article(*third)
    [row] = store.query_events(EventFilter())
    assert row["sources"] == 3
    assert row["deaths_phrase"] == "killed three soldiers"  # filled once, then kept
    store.dispose()


def test_text_in_them_is_stored_verbatim(backend_url: str) -> None:
    hostile = {"cue": "<script>x()</script>", "actor1": "=cmd|' /C calc'!A0", "deaths_phrase": "killed 'two' & more"}
    store = Store(backend_url)
    assert store.write_article(*_report("Hostile", "Iraqi forces retook Al-Qaim on Friday.", **hostile, interaction=11))
    [row] = store.query_events(EventFilter())
    assert {k: row[k] for k in hostile} == hostile and row["interaction"] == 11
    store.dispose()
