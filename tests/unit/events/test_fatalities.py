"""Death tolls next to dates: the day of the month, a year or an ordinal is never a toll.

Before this fix a date ahead of the casualty phrase was read as the count ("on 7 May 2018,
killing 4 fighters" stored 7 dead), because "N <up to eight words> killed" let the day
stand for N. Sentences are written for these tests.
"""
from __future__ import annotations

from datetime import date

import pytest

from conflictmap.events.extract import extract_events
from conflictmap.events.fatalities import parse_fatalities
from conflictmap.model import Article, Mention, Place

HOMS = Place("gn:169577", "Homs", 34.72682, 36.72339, "city", "SY", "11", 775404, 169577)


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        ("Clashes erupted in Homs on 7 May 2018, killing 4 fighters.", (4, 4, 4)),          # day month year
        ("Clashes erupted in Homs on May 7, 2018, killing 4 fighters.", (4, 4, 4)),         # month day, year
        ("On 20 May, shelling killed two children.", (2, 2, 2)),                            # day month
        ("On May 20 shelling killed two children.", (2, 2, 2)),                             # month day
        ("On the 7th of May, an air strike killed three men.", (3, 3, 3)),                  # ordinal of month
        ("On May 7th gunmen killed a shepherd.", (1, 1, 1)),                                # month ordinal
        ("On the 7th, an air strike killed three men.", (3, 3, 3)),                         # "on the 7th"
        ("On 29 April 2020, gunmen shot dead a civilian.", (1, 1, 1)),                      # singular victim
        ("On 2018-05-07 shelling killed six people.", (6, 6, 6)),                           # ISO date
        ("On 07/05/2018 shelling killed six people.", (6, 6, 6)),                           # numeric date
        ("At 10:30 a car bomb killed five people.", (5, 5, 5)),                             # clock time
        ("In 2016, 12 soldiers were killed in an ambush.", (12, 12, 12)),                   # a year
        ("The 93rd Brigade said 12 fighters were killed.", (12, 12, 12)),                   # a unit's number
    ],
)
def test_a_date_before_the_toll_is_not_the_toll(sentence: str, deaths: tuple[int, int | None, int | None]) -> None:
    assert parse_fatalities(sentence) == deaths


@pytest.mark.parametrize(
    "sentence",
    ["Fighting in Homs on 7 May 2018 left the town in ruins.", "On 20 May 2019 the offensive began."],
)
def test_a_date_alone_gives_no_toll(sentence: str) -> None:
    assert parse_fatalities(sentence) is None


def test_counts_that_look_like_years_or_follow_dates_stay_counts() -> None:
    assert parse_fatalities("On 3 March, 2,000 people were killed.") == (2000, 2000, 2000)
    assert parse_fatalities("Since 2011 more than 350,000 people have been killed.") == (350000, 350000, None)
    assert parse_fatalities("On 1 June 14 civilians were killed.") == (14, 14, 14)


def test_the_reported_jsonl_story_stores_four_dead_not_seven() -> None:
    body = "Clashes erupted in Homs on 7 May 2018, killing 4 fighters."
    start = body.index("Homs")
    article = Article.create("t", body, published=date(2018, 5, 20))
    events = extract_events(article, [Mention(start, start + 4, "Homs", HOMS, 0.9)])
    assert [(e.event_date, e.fatalities_best, e.fatalities_low, e.fatalities_high) for e in events] == [
        (date(2018, 5, 7), 4, 4, 4)
    ]


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        ("Gunmen shot dead the owner of a shop.", (1, 1, 1)),
        ("The victim died in hospital.", (1, 1, 1)),
        ("Militants killed a revenue collector.", (1, 1, 1)),
        ("A man was found dead near the market.", (1, 1, 1)),
        ("The attack killed the commander.", (1, 1, 1)),
        ("Two soldiers were reportedly killed.", (2, 2, 2)),
        ("1 fatality.", (1, 1, 1)),
        ("No fatalities were reported.", (0, 0, 0)),
    ],
)
def test_one_victim_and_trailing_statements(sentence: str, deaths: tuple[int, int | None, int | None]) -> None:
    assert parse_fatalities(sentence) == deaths


@pytest.mark.parametrize(
    "sentence",
    ["Casualties unknown.", "An unknown number of people were killed.", "The attack killed the soldiers' hopes."],
)
def test_unknown_is_not_zero_and_plurals_are_not_one(sentence: str) -> None:
    assert parse_fatalities(sentence) is None
