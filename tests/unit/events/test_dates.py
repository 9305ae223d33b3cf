"""Date phrases of analysts' reports: days of the month, parts of years and months, spans, numeric dates.

The everyday phrases ("on Friday", "last week", "in 2014") are in test_helpers.py.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from conflictmap.events.dates import find_date_phrases, resolve_date

THURSDAY = date(2018, 5, 10)  # the publication date of every table below


def _check(text: str, expected: tuple[date, int, str]) -> None:
    assert resolve_date(text, THURSDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on the 7th, rebels shelled the town", (date(2018, 5, 7), 1, "on the 7th")),
        ("On the 7th in Aleppo", (date(2018, 5, 7), 1, "On the 7th")),
        ("on the 10th", (THURSDAY, 1, "on the 10th")),  # the publication day itself
        ("on the 22nd", (date(2018, 4, 22), 1, "on the 22nd")),  # later than today: last month
        ("on the 7th of last month", (date(2018, 4, 7), 1, "on the 7th of last month")),
        ("on the 7th of May", (date(2018, 5, 7), 1, "on the 7th of May")),  # the month named wins
    ],
)
def test_day_of_the_month(text: str, expected: tuple[date, int, str]) -> None:
    _check(text, expected)


def test_day_of_the_month_skips_months_too_short() -> None:
    assert resolve_date("on the 31st", date(2018, 3, 30)) == (date(2018, 1, 31), 1, "on the 31st")
    assert resolve_date("on the 20th of this month", THURSDAY) == (THURSDAY, 1, "")  # not yet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("early 2016", (date(2016, 1, 1), 4, "early 2016")),
        ("in early 2016", (date(2016, 1, 1), 4, "early 2016")),
        ("mid-2016", (date(2016, 1, 1), 4, "mid-2016")),
        ("late 2016", (date(2016, 1, 1), 4, "late 2016")),
        ("in the summer of 2015", (date(2015, 1, 1), 4, "the summer of 2015")),  # a season: year only
        ("at the end of 2016", (date(2016, 1, 1), 4, "the end of 2016")),
        ("IS lost the city last year", (date(2017, 1, 1), 4, "last year")),
        ("earlier this year", (date(2018, 1, 1), 4, "earlier this year")),
        ("late last year", (date(2017, 1, 1), 4, "late last year")),
    ],
)
def test_parts_of_a_year_are_background(text: str, expected: tuple[date, int, str]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in early May", (date(2018, 5, 1), 3, "early May")),
        ("in mid-May", (date(2018, 5, 1), 3, "mid-May")),
        ("late May", (date(2018, 5, 1), 3, "late May")),
        ("at the end of May", (date(2018, 5, 1), 3, "the end of May")),
        ("at the end of June", (date(2017, 6, 1), 3, "the end of June")),  # not yet this year
        ("in early May 2016", (date(2016, 5, 1), 3, "early May 2016")),
        ("in the first week of May", (date(2018, 5, 4), 2, "the first week of May")),  # 1..7, its middle
        ("in the first week of April", (date(2018, 4, 4), 2, "the first week of April")),
        ("in the last week of May", (date(2017, 5, 28), 2, "the last week of May")),  # not begun yet
    ],
)
def test_parts_of_a_month(text: str, expected: tuple[date, int, str]) -> None:
    _check(text, expected)


def test_a_week_under_way_is_not_dated_after_publication() -> None:
    assert resolve_date("in the first week of May", date(2018, 5, 2)) == (date(2018, 5, 2), 2, "the first week of May")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on the night of 4 May", (date(2018, 5, 4), 1, "on the night of 4 May")),
        ("on the morning of 4 May", (date(2018, 5, 4), 1, "on the morning of 4 May")),
        ("overnight on 4-5 May", (date(2018, 5, 4), 1, "overnight on 4-5 May")),  # one night
        ("between 2 and 3 May", (date(2018, 5, 2), 2, "between 2 and 3 May")),
        ("on 2-3 May", (date(2018, 5, 2), 2, "on 2-3 May")),
        ("from 2 to 4 May", (date(2018, 5, 2), 2, "from 2 to 4 May")),
        ("from 2 to 4 May 2016", (date(2016, 5, 2), 2, "from 2 to 4 May 2016")),
        ("between May 2 and 3, rebels", (date(2018, 5, 2), 2, "between May 2 and 3")),
        ("from April 30 to May 2", (date(2018, 4, 30), 2, "from April 30 to May 2")),
        ("from 2 to 20 May", (date(2018, 5, 1), 3, "from 2 to 20 May")),  # longer than a week
        ("on or around 7 May", (date(2018, 5, 7), 1, "on or around 7 May")),
        ("around 7 May", (date(2018, 5, 7), 1, "around 7 May")),
        ("on or about 7 May", (date(2018, 5, 7), 1, "on or about 7 May")),
        ("on or about 7 June", (date(2017, 6, 7), 1, "on or about 7 June")),
    ],
)
def test_nights_spans_and_approximate_days(text: str, expected: tuple[date, int, str]) -> None:
    _check(text, expected)


def test_span_across_the_new_year() -> None:
    found = resolve_date("between 30 December and 2 January", date(2018, 1, 5))
    assert found == (date(2017, 12, 30), 2, "between 30 December and 2 January")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 7 May 2018 was a Monday: the written date wins over the weekday.
        ("on Sunday 7 May", (date(2018, 5, 7), 1, "on Sunday 7 May")),
        ("on Tuesday, May 7", (date(2018, 5, 7), 1, "on Tuesday, May 7")),
        ("Tuesday (May 7) in Aleppo", (date(2018, 5, 7), 1, "Tuesday (May 7)")),
        ("on Friday, 3 May 2016", (date(2016, 5, 3), 1, "on Friday, 3 May 2016")),
    ],
)
def test_weekday_with_its_date(text: str, expected: tuple[date, int, str]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("at dawn on Tuesday", "at dawn on Tuesday"),
        ("Tuesday night", "Tuesday night"),
        ("late on Tuesday", "late on Tuesday"),
        ("in the early hours of Tuesday", "in the early hours of Tuesday"),
        ("overnight Tuesday", "overnight Tuesday"),
    ],
)
def test_parts_of_a_weekday(text: str, phrase: str) -> None:
    _check(text, (date(2018, 5, 8), 1, phrase))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-05-07", (date(2018, 5, 7), 1, "2018-05-07")),
        ("2018/05/07", (date(2018, 5, 7), 1, "2018/05/07")),
        ("on 17/05/2017", (date(2017, 5, 17), 1, "on 17/05/2017")),
        ("05/17/2017", (date(2017, 5, 17), 1, "05/17/2017")),
        ("on 17.05.2017.", (date(2017, 5, 17), 1, "on 17.05.2017")),
        ("05/05/2017", (date(2017, 5, 5), 1, "05/05/2017")),  # either way the same day
    ],
)
def test_numeric_dates(text: str, expected: tuple[date, int, str]) -> None:
    _check(text, expected)


@pytest.mark.parametrize("text", ["31/31/2018", "03/01/2018"])
def test_numeric_dates_that_could_be_read_two_ways_are_left_out(text: str) -> None:
    # 3 January or 1 March 2018, both before publication and two months apart: no guess.
    assert find_date_phrases(text, THURSDAY) == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # 12 March 2021 or 3 December 2021: the report cannot tell of December yet.
        ("on 12/03/2021", date(2021, 3, 15), date(2021, 3, 12)),
        ("on 03/12/2021", date(2021, 3, 15), date(2021, 3, 12)),
        # 7 May or 5 July 2018, published 10 May: only 7 May has happened.
        ("07/05/2018", date(2018, 5, 10), date(2018, 5, 7)),
    ],
)
def test_a_two_way_numeric_date_takes_the_reading_that_has_happened(text: str, published: date, expected: date) -> None:
    (phrase,) = find_date_phrases(text, published)
    assert (phrase.date, phrase.precision) == (expected, 1)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("on 7 May 2016", "on 7 May 2016"),
        ("May 7, 2016", "May 7, 2016"),
        ("7th May 2016", "7th May 2016"),
        ("7 May, 2016", "7 May, 2016"),
    ],
)
def test_written_years_before_publication(text: str, phrase: str) -> None:
    _check(text, (date(2016, 5, 7), 1, phrase))


def test_a_later_day_in_the_sentence_stays_in_the_past() -> None:
    found = find_date_phrases("On 7 May 2016 and again on 20 December", THURSDAY)
    assert [(p.text, p.date) for p in found] == [
        ("On 7 May 2016", date(2016, 5, 7)), ("on 20 December", date(2017, 12, 20)),  # not 2018
    ]


@pytest.mark.parametrize(
    "text", ["talks on 12 June 2019", "elections due in May 2019", "a vote in 2019", "by early 2019", "2019-01-02"]
)
def test_written_dates_after_publication_are_not_returned(text: str) -> None:
    assert find_date_phrases(text, THURSDAY) == []


def test_a_later_written_date_leaves_the_others_alone() -> None:
    found = find_date_phrases("killed on 7 May 2016 ahead of talks on 12 June 2018", THURSDAY)
    assert [(p.text, p.date) for p in found] == [("on 7 May 2016", date(2016, 5, 7))]


@pytest.mark.parametrize(
    "text",
    [
        "a truce in place since July",
        "since early 2016",
        "until 3 May",
        "by the end of 2016",
        "since the 7th",
        "the 93rd brigade",
        "fighters of the 93rd brigade",
        "on the 93rd brigade's flank",
        "a 7th-century mosque",
        "the 5th Division",
        "on the 5th Division's positions",
        "on the 5th floor",
        "on Route 7",
        "fighting in the past year",
    ],
)
def test_not_event_dates(text: str) -> None:
    assert find_date_phrases(text, THURSDAY) == []


def test_a_day_number_before_a_count_is_not_a_span() -> None:
    assert resolve_date("On May 7 and 12 people were killed", THURSDAY) == (date(2018, 5, 7), 1, "On May 7")


@pytest.mark.parametrize(
    "text",
    [
        "on the 7th", "on the 31st", "in the first week of May", "in the last week of May", "late May",
        "on the night of 4 May", "from 2 to 4 May", "on Tuesday, May 7", "at dawn on Tuesday", "late last year",
        "between 30 December and 2 January",
    ],
)
def test_never_after_publication(text: str) -> None:
    for offset in range(0, 366, 5):
        published = date(2018, 1, 1) + timedelta(days=offset)
        for phrase in find_date_phrases(text, published):
            assert phrase.date <= published + timedelta(days=2), (text, published, phrase)


def test_over_the_weekend_is_the_latest_weekend() -> None:
    (phrase,) = find_date_phrases("over the weekend", date(2021, 3, 15))  # a Monday
    assert (phrase.date, phrase.precision) == (date(2021, 3, 13), 2)


def test_the_next_day_counts_from_the_event_before_and_is_left_out_without_one() -> None:
    assert find_date_phrases("the next day", date(2021, 3, 15)) == []
    (phrase,) = find_date_phrases("the next day", date(2021, 3, 15), date(2021, 3, 10))
    assert (phrase.date, phrase.precision) == (date(2021, 3, 11), 1)
    (phrase,) = find_date_phrases("later that day", date(2021, 3, 15), date(2021, 3, 10))
    assert phrase.date == date(2021, 3, 10)
