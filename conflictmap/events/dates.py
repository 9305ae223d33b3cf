"""Dates of events: the article's date moved by the sentence's own words.

Standard library only. Every phrase resolves against the publication date
``published`` and never to a day after it (wire copy reports the past):

=============================  ==========================================  =========
phrase                         date                                        precision
=============================  ==========================================  =========
(none)                         published                                   1
today, this morning, tonight   published                                   1
yesterday, last night          published - 1 day                           1
(on) Friday [night/morning]    the latest Friday on or before published    1
N days ago                     published - N days                          1
November 3, Nov. 3, 3 Nov      that day, in the latest year not after      1
2017-11-03, Nov 3, 2017        that day                                    1
overnight                      published - 1 day                           2
in the past 24 hours           published                                   1
in recent days, in four days   published - 2 days                          2
N days/weeks after             published - N days/weeks                    2
last weekend                   Saturday of the latest weekend before       2
this week, earlier this week   middle of Monday .. published               2
last week, a week ago          middle of the previous Monday .. Sunday     2
N weeks ago                    published - 7N days                         2
last month, N months ago       first day of that month                     3
this month, earlier this month first day of the current month              3
in October [2017]              first day of that month (latest not after)  3
in 2014, N years ago           1 January of that year                      4
=============================  ==========================================  =========

Precision 4 (year only) is coarser than anything the store keeps: callers
treat such a clause as background ("IS proclaimed in 2014"), not an event.
"since July" and "until March" are durations, not event dates, and are skipped.
A month-only date is the first of the month so it sorts and filters within
that month; ``time_precision`` 3 says the day is unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3,
}

#: A month's name or abbreviation as written in dates (also masks dates in death counts).
MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_NAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_COUNT = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"

# Ordered: the first pattern that matches at a position wins, so longer forms come first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE if kind not in {"mdy", "dmy", "month"} else 0))
    for kind, rx in (
        ("since", r"\b(?:since|until|till|by)\s+(?:" + MONTH_NAME + r"|" + _WEEKDAY_NAME + r"|\d{4}|last\s+\w+)"
                  r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{4})?"),
        ("iso", r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        ("mdy", r"(?:\b[Oo]n\s+)?\b(" + MONTH_NAME + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?"),
        ("dmy", r"(?:\b[Oo]n\s+)?\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + MONTH_NAME + r")\b(?:,?\s+(\d{4})\b)?"),
        ("month", r"\b(?:(?:[Ii]n|[Ee]arly|[Ll]ate|[Tt]hroughout|[Dd]uring)\s+|[Mm]id-?\s*)"
                  r"(" + MONTH_NAME + r")(?:\s+(\d{4}))?\b"),
        ("month", r"\b(January|February|April|May|June|July|August|September|October|November|December)\s+(\d{4})\b"),
        ("weekday", r"\b(?:(?:early|late)\s+)?(?:on\s+)?(" + _WEEKDAY_NAME + r")"
                    r"(?:\s+(?:night|morning|afternoon|evening))?\b"),
        ("today", r"\b(?:today|this\s+morning|this\s+afternoon|this\s+evening|tonight|earlier\s+today)\b"),
        ("yesterday", r"\b(?:yesterday|last\s+night)\b"),
        ("overnight", r"\bovernight\b"),
        ("days_ago", r"\b(" + _COUNT + r")\s+days?\s+ago\b"),
        ("weeks_ago", r"\b(" + _COUNT + r")\s+weeks?\s+ago\b"),
        ("months_ago", r"\b(" + _COUNT + r")\s+months?\s+ago\b"),
        ("years_ago", r"\b(" + _COUNT + r")\s+years?\s+ago\b"),
        ("days_after", r"\b(?:about\s+|some\s+|nearly\s+)?(" + _COUNT + r")\s+(days?|weeks?)\s+after\b"),
        ("recent_days", r"\b(?:in|over|during)\s+(?:the\s+)?(?:(?:recent|past|last)\s+)?"
                        r"(?:few\s+|couple\s+of\s+|two\s+|three\s+|four\s+|five\s+|several\s+|\d\s+)?"
                        r"days\b(?!\s+(?:ago|after|before))"),
        ("today", r"\b(?:in|over|during)\s+the\s+(?:past|last)\s+24\s+hours\b"),
        ("last_weekend", r"\b(?:last|past)\s+weekend\b"),
        ("this_week", r"\b(?:earlier\s+)?this\s+week(?:'s)?\b"),
        ("last_week", r"\b(?:last|past|previous)\s+week\b"),
        ("this_month", r"\b(?:earlier\s+)?this\s+month(?:'s)?\b"),
        ("last_month", r"\b(?:last|previous)\s+month\b"),
        ("year", r"\b(?:in|since)\s+((?:19|20)\d{2})\b"),
    )
)


# Every pattern above needs one of these words: a cheap test that skips most sentences.
_ANY_DATE_WORD = re.compile(
    r"(?i:day|night|today|tonight|overnight|ago|week|month|morning|afternoon|evening|hours)|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d{4}|\d{1,2}\s+(?:of\s+)?[A-Z]"
)


@dataclass(frozen=True)
class DatePhrase:
    """A time expression found in a text, resolved against a publication date."""

    start: int
    end: int
    text: str
    date: date
    precision: int


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _SMALL_NUMBERS.get(word, 1)


def _month_start(day: date, back: int = 0) -> date:
    """First day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _latest_on_or_before(month: int, day: int, year: int | None, published: date) -> date | None:
    """The date with that month and day, in ``year`` or the latest year not after ``published``."""
    try:
        if year is not None:
            return date(year, month, day)
        found = date(published.year, month, day)
        # A date a few days ahead is a typo or a time zone; further ahead means last year.
        if found > published + timedelta(days=2):
            found = date(published.year - 1, month, day)
        return found
    except ValueError:
        return None


def _middle(first: date, last: date) -> date:
    return first + (last - first) // 2


#: Pattern kinds that name a calendar date, month or year (the others count from ``published``).
_CALENDAR_KINDS = frozenset({"since", "iso", "mdy", "dmy", "month", "year"})


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, int] | None:
    """Turn one matched phrase into (date, precision); None for durations and nonsense."""
    if kind in _CALENDAR_KINDS:
        return _resolve_calendar(kind, m, published)
    return _resolve_relative(kind, m, published)


def _resolve_calendar(kind: str, m: re.Match[str], published: date) -> tuple[date, int] | None:
    """A phrase naming a date, a month or a year; ``published`` supplies a missing year."""
    if kind == "since":
        return None
    if kind == "iso":
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), 1
        except ValueError:
            return None
    if kind == "mdy" or kind == "dmy":
        month_txt, day_txt = (m.group(1), m.group(2)) if kind == "mdy" else (m.group(2), m.group(1))
        year = int(m.group(3)) if m.group(3) else None
        found = _latest_on_or_before(_MONTHS[month_txt.lower().rstrip(".")], int(day_txt), year, published)
        return (found, 1) if found else None
    if kind == "month":
        month = _MONTHS[m.group(1).lower().rstrip(".")]
        year = int(m.group(2)) if m.group(2) else (published.year if month <= published.month else published.year - 1)
        return date(year, month, 1), 3
    # kind == "year"
    if m.group(0).lower().startswith("since"):
        return None
    return date(int(m.group(1)), 1, 1), 4


def _resolve_relative(kind: str, m: re.Match[str], published: date) -> tuple[date, int] | None:
    """A phrase counted back from ``published``: a weekday, "yesterday", "N weeks ago", "last month", ..."""
    monday = published - timedelta(days=published.weekday())
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
        return published - timedelta(days=back), 1
    if kind == "today":
        return published, 1
    if kind == "yesterday":
        return published - timedelta(days=1), 1
    if kind == "overnight":
        return published - timedelta(days=1), 2
    if kind == "days_ago":
        return published - timedelta(days=_count(m.group(1))), 1
    if kind == "weeks_ago":
        return published - timedelta(days=7 * _count(m.group(1))), 2
    if kind == "months_ago":
        return _month_start(published, _count(m.group(1))), 3
    if kind == "years_ago":
        return date(published.year - _count(m.group(1)), 1, 1), 4
    if kind == "days_after":
        # "ten days after strikes killed ...": counted back from the story's own day.
        unit = 7 if m.group(2).lower().startswith("week") else 1
        return published - timedelta(days=unit * _count(m.group(1))), 2
    if kind == "recent_days":
        return published - timedelta(days=2), 2
    if kind == "last_weekend":
        saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        if published.weekday() >= 5:
            saturday -= timedelta(days=7)
        return saturday, 2
    if kind == "this_week":
        return _middle(monday, published), 2
    if kind == "last_week":
        return _middle(monday - timedelta(days=7), monday - timedelta(days=1)), 2
    if kind == "this_month":
        return _month_start(published), 3
    if kind == "last_month":
        return _month_start(published, 1), 3
    raise ValueError(f"unknown date pattern {kind}")


def find_date_phrases(text: str, published: date) -> list[DatePhrase]:
    """Find every time expression in ``text`` and resolve it against ``published``.

    Overlapping matches are resolved in favour of the earlier, then longer one;
    durations ("since July") are consumed but not returned.

    Parameters
    ----------
    text : str
        A sentence or clause.
    published : date
        The article's publication date.

    Returns
    -------
    list of DatePhrase
        In text order, offsets relative to ``text``.
    """
    if not _ANY_DATE_WORD.search(text):
        return []
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    phrases: list[DatePhrase] = []
    taken_until = -1
    for start, end, kind, m in found:
        if start < taken_until:
            continue
        taken_until = end
        resolved = _resolve(kind, m, published)
        if resolved is not None:
            phrases.append(DatePhrase(start, end, text[start:end], resolved[0], resolved[1]))
    return phrases


def resolve_date(text: str, published: date) -> tuple[date, int, str]:
    """Date an event from the words of its sentence and the publication date.

    Parameters
    ----------
    text : str
        The sentence (or just the time phrase), e.g. "On Friday, regime forces took ...".
    published : date
        The article's publication date.

    Returns
    -------
    tuple of (date, int, str)
        The event date, its precision (1 day, 2 week or a few days, 3 month,
        4 year only; see the module table) and the phrase it came from, which
        is ``""`` when the text has no time words and the publication date is used.
    """
    phrases = find_date_phrases(text, published)
    if not phrases:
        return published, 1, ""
    first = phrases[0]
    return first.date, first.precision, first.text
