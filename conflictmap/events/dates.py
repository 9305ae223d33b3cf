"""Dates of events: the article's date moved by the sentence's own words.

Standard library only. Every phrase resolves against the publication date
``published`` and never to a day after it (wire copy reports the past):

=================================  ==========================================  =========
phrase                             date                                        precision
=================================  ==========================================  =========
(none)                             published                                   1
today, this morning, tonight       published                                   1
yesterday, last night              published - 1 day                           1
(on) Friday [night/morning]        the latest Friday on or before published    1
at dawn on / late on / in the      that Friday                                 1
early hours of / overnight Friday
N days ago                         published - N days                          1
November 3, Nov. 3, 3 Nov          that day, in the latest year not after      1
on the 7th [of this month]         day 7 of this month, else of last month     1
on the night/morning of 4 May,     that day                                    1
on or around/about 7 June
Sunday 7 May, Tuesday, May 7,      the date (the weekday is not checked)       1
Tuesday (May 7)
2017-11-03, Nov 3, 2017,           that day                                    1
7 May, 2018, 7th May 2018
17/05/2018, 05/17/2018             that day; 07/05/2018 (ambiguous): the      1
                                   reading not after publication (both
                                   before and over 45 days apart: no date)
2-3 May, between 2 and 3 May,      the first day (a span over a week: the      2
from 2 to 4 May, May 2-3           first day's month, precision 3)
overnight on 4-5 May,              the first day (one night)                   1
the night of 4-5 May
overnight                          published - 1 day                           2
in the past 24 hours               published                                   1
in recent days, in four days       published - 2 days                          2
N days/weeks after                 published - N days/weeks                    2
last weekend, over the weekend     Saturday of the latest weekend before       2
this week, earlier this week       middle of Monday .. published               2
last week, a week ago              middle of the previous Monday .. Sunday     2
N weeks ago                        published - 7N days                         2
the first/last week of May         middle of that week (latest not after)      2
last month, N months ago           first day of that month                     3
this month, earlier this month     first day of the current month              3
in October [2017]                  first day of that month (latest not after)  3
early/mid-/late May, the end of    first day of that month (latest not after)  3
May, the first half of May
in 2014, N years ago               1 January of that year                      4
early/mid-/late 2016, the end of   1 January of that year                      4
2016, the summer of 2015
last year, late last year,         1 January of that year                      4
this year, earlier this year
=================================  ==========================================  =========

Precision 4 (year only) is coarser than anything the store keeps: callers
treat such a clause as background ("IS proclaimed in 2014"), not an event.
A season is precision 4 too, not 3 at its first month: it spans three months
(and the southern hemisphere's summer is December), so a month would claim
more than the text says.
"since July", "until 3 May" and "by the end of 2016" are durations, not
event dates, and are skipped.
A month-only date is the first of the month so it sorts and filters within
that month; ``time_precision`` 3 says the day is unknown. A week known to
precision 2 is dated at its middle because callers widen precision 2 by three
days either side; a span of days is dated at its first day (when the fighting
began), as are night-long events across midnight.

A named day up to two days after ``published`` is kept (a story filed late
in UTC reports tomorrow's local date); further ahead a day without a year is
last year's, and a day, month or year written with a later year is an
announcement ("talks on 12 June 2019"), consumed but not returned. Numeric
dates are read only when day and month cannot be swapped: "07/05/2018" could be
7 May or July 5 and gives no date.
"""
from __future__ import annotations

import calendar
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
#: First day of "the Nth week of May"; None is the last week (the month's last seven days).
_WEEK_START = {"first": 1, "second": 8, "third": 15, "fourth": 22, "last": None, "final": None}

#: A month's name or abbreviation as written in dates (also masks dates in death counts).
MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_NAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_COUNT = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"
_ORD = r"(?:st|nd|rd|th)?"
# Month names are matched case-sensitively ("may" is a verb, "march" a noun), so the
# words around them are wrapped in (?i:...) where a sentence may capitalise them.
_YEAR_TAIL = r"(?:,?\s+(?P<y>\d{4})\b)?"
# The part of a day before its date: "late on", "at dawn on", "on the night of", "overnight".
_DAYPART = (
    r"(?:early|late|(?:at|before)\s+(?:dawn|dusk|daybreak|midnight|noon|night)"
    r"|(?:(?:on|in|during)\s+)?the\s+(?:night|morning|afternoon|evening|early\s+hours|small\s+hours|early\s+morning)"
    r"\s+of|overnight)\s+(?:on\s+)?"
)
_DAY_LEAD = r"(?P<lead>\b(?i:" + _DAYPART + r"|on\s+or\s+(?:around|about)\s+|(?:around|about|circa)\s+|on\s+))?"
_SPAN_LEAD = r"(?P<lead>\b(?i:" + _DAYPART + r"|(?:between|from|on|over)\s+))?"
# "Tuesday, May 7", "Sunday 7 May", "Tuesday (May 7)": the date after a weekday is the day.
_WEEKDAY_BEFORE = (
    r"(?:\b" + _WEEKDAY_NAME + r"(?:\s+(?i:night|morning|afternoon|evening))?(?:\s*,\s*|\s+|\s*(?P<paren>\(\s*)))?"
)
_PAREN_CLOSE = r"(?(paren)\s*\))"
# What may follow a bare day number: punctuation or a small word, never a noun
# ("on the 5th floor", "on the 7th Division", "May 7 and 12 people").
_AFTER_DAY = (
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?i:and|or|when|while|as|after|before|at|in|near|around|with|but|by|during"
    r"|amid|against|from|on|the)\b)"
)
# "11/12 April": the night from one day to the next, as coders' notes write it.
_SPAN_JOIN = r"(?:\s*[-\u2013\u2014]\s*|/|\s+(?i:to|and|through|till|until|or)\s+)"
# A span's first day, the optional month and its second day: "2-3 May", "30 April to 2 May".
_DMY_SPAN = (
    r"(?P<d>\d{1,2})" + _ORD + r"(?:\s+(?:(?i:of)\s+)?(?P<m1>" + MONTH_NAME + r"))?" + _SPAN_JOIN
    + r"(?P<d2>\d{1,2})" + _ORD + r"\s+(?:(?i:of)\s+)?(?P<m>" + MONTH_NAME + r")\b"
)
_MDY_SPAN = (
    r"(?P<m>" + MONTH_NAME + r")\s+(?P<d>\d{1,2})" + _ORD
    + r"(?:\s*[-\u2013\u2014]\s*|\s+(?i:to|and|through|till|until|or)\s+(?=(?:" + MONTH_NAME + r"\s+)?\d{1,2}"
    + _ORD + r"\b" + _AFTER_DAY + r"))"
    + r"(?:(?P<m2>" + MONTH_NAME + r")\s+)?(?P<d2>\d{1,2})" + _ORD + r"\b"
)
# "early 2016", "mid-2016", "the end of", "the summer of": parts of a year (or of a month).
_PART_OF = (
    r"(?:(?:early|late)\s+|mid-?\s*|(?:the\s+)?(?:start|beginning|middle|end|first\s+half|second\s+half"
    r"|(?:first|second|third|fourth|last)\s+quarter)\s+of\s+"
    r"|(?:the\s+)?(?:spring|summer|autumn|winter)\s+(?:of\s+)?|the\s+fall\s+of\s+)"
)

# Ordered: the first pattern that matches at a position wins, so longer forms come first.
# The kinds in _CASED_KINDS are compiled case-sensitively (they hold month names).
_CASED_KINDS = frozenset({"mdy", "dmy", "month", "month_week"})
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, 0 if kind in _CASED_KINDS else re.IGNORECASE))
    for kind, rx in (
        ("since", r"\b(?:since|until|till|by)\s+(?:the\s+)?"
                  r"(?:(?:start|beginning|middle|end|first\s+half|second\s+half|spring|summer|autumn|fall|winter)"
                  r"(?:\s+of)?\s+|(?:first|second|third|fourth|last)\s+week\s+of\s+|early\s+|mid-?\s*|late\s+)?"
                  r"(?:" + MONTH_NAME + r"|" + _WEEKDAY_NAME + r"|\d{4}|(?:last|this|earlier\s+this)\s+\w+"
                  r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH_NAME + r"|\d{1,2}(?:st|nd|rd|th))"
                  r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{4})?"),
        # Times told from the last event, not from publication: resolved only with an anchor.
        ("anchor_prev", r"\b(?:the\s+(?:previous|preceding)\s+(?:day|night|evening)|the\s+day\s+before|"
                        r"a\s+day\s+(?:earlier|before))\b"),
        ("anchor_next", r"\b(?:the\s+(?:next|following)\s+(?:day|morning|evening|night)|the\s+day\s+after|"
                        r"a\s+day\s+later)\b"),
        ("anchor_same", r"\b(?:(?:on|later\s+on|earlier\s+on)\s+)?the\s+same\s+day|(?:later|earlier)\s+that\s+"
                        r"(?:day|morning|evening|night)|hours\s+(?:later|earlier)\b"),
        ("iso", r"\b(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})\b"),
        ("numeric", r"(?:\bon\s+)?(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
                    r"(?!\d|(?P=sep)\d)"),
        ("dmy", _SPAN_LEAD + _WEEKDAY_BEFORE + r"\b" + _DMY_SPAN + _YEAR_TAIL + _PAREN_CLOSE),
        ("mdy", _SPAN_LEAD + _WEEKDAY_BEFORE + r"\b" + _MDY_SPAN + _YEAR_TAIL + _PAREN_CLOSE),
        ("mdy", _DAY_LEAD + _WEEKDAY_BEFORE + r"\b(?P<m>" + MONTH_NAME + r")\s+(?P<d>\d{1,2})" + _ORD + r"\b"
                + _YEAR_TAIL + _PAREN_CLOSE),
        ("dmy", _DAY_LEAD + _WEEKDAY_BEFORE + r"(?:(?i:the)\s+)?\b(?P<d>\d{1,2})" + _ORD
                + r"\s+(?:(?i:of)\s+)?(?P<m>" + MONTH_NAME + r")\b" + _YEAR_TAIL + _PAREN_CLOSE),
        ("dom", r"\bon\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)"
                r"(?:\s+of\s+(?P<which>this|last|the)\s+month\b|" + _AFTER_DAY + r")"),
        ("month_week", r"\b(?:(?i:the)\s+)?(?P<nth>(?i:first|second|third|fourth|last|final))\s+(?i:week\s+of)\s+"
                       r"(?P<m>" + MONTH_NAME + r")(?:,?\s+(?P<y>\d{4}))?\b"),
        ("month", r"\b(?i:" + _PART_OF + r")(?P<m>" + MONTH_NAME + r")(?:,?\s+(?P<y>\d{4}))?\b"),
        ("month", r"\b(?:(?:[Ii]n|[Ee]arly|[Ll]ate|[Tt]hroughout|[Dd]uring)\s+|[Mm]id-?\s*)"
                  r"(?P<m>" + MONTH_NAME + r")(?:,?\s+(?P<y>\d{4}))?\b"),
        ("month", r"\b(?P<m>January|February|April|May|June|July|August|September|October|November|December)"
                  r"\s+(?P<y>\d{4})\b"),
        ("year_part", r"\b(?:" + _PART_OF + r"(?P<y>(?:19|20)\d{2})\b"
                      r"|(?:" + _PART_OF + r"|earlier\s+)?(?P<rel>last|this)\s+year\b)(?:'s)?"),
        ("weekday", r"\b(?:" + _DAYPART + r")?(?:on\s+)?(?P<wd>" + _WEEKDAY_NAME + r")"
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
        ("last_weekend", r"\b(?:(?:last|past)\s+weekend|(?:over|at|during)\s+the\s+weekend)\b"),
        ("this_week", r"\b(?:(?:earlier\s+)?this\s+week(?:'s)?|earlier\s+in\s+the\s+week)\b"),
        ("last_week", r"\b(?:last|past|previous)\s+week\b"),
        ("this_month", r"\b(?:earlier\s+)?this\s+month(?:'s)?\b"),
        ("last_month", r"\b(?:last|previous)\s+month\b"),
        ("year", r"\b(?:in|since)\s+((?:19|20)\d{2})\b"),
    )
)


# Every pattern above needs one of these words: a cheap test that skips most sentences.
_ANY_DATE_WORD = re.compile(
    r"(?i:day|night|today|tonight|overnight|ago|week|month|year|morning|afternoon|evening|hours)|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d{4}|\d{1,2}\s+(?:of\s+)?[A-Z]|\d(?:st|nd|rd|th)\b"
)

# A named day this far after publication is still taken as written (see the module docstring).
_AHEAD = timedelta(days=2)


@dataclass(frozen=True)
class DatePhrase:
    """A time expression found in a text, resolved against a publication date.

    ``kind`` names the pattern that found it ("dmy", "weekday", "overnight", ...).
    """

    start: int
    end: int
    text: str
    date: date
    precision: int
    kind: str = ""

    @property
    def calendar(self) -> bool:
        """Whether it names its day on the calendar ("7 May 2018", "May 7", "2018-05-07")."""
        return self.kind in CALENDAR_KINDS and self.precision == 1

    @property
    def vague(self) -> bool:
        """Whether it only places the event near the publication ("today", "overnight", "last night")."""
        return self.kind in ("today", "yesterday", "overnight")


#: Patterns that give a day of the calendar, not one counted from the publication.
CALENDAR_KINDS = frozenset({"iso", "numeric", "dmy", "mdy"})


_DAYS_AFTER = re.compile(r"^(?:about\s+|some\s+|nearly\s+)?(" + _COUNT + r")\s+(days?|weeks?)\s+after$", re.I)


def days_after(phrase: str) -> int | None:
    """The days "N days/weeks after" counts back from the event it is said of; None for other phrases.

    "two days after the missile was fired" dates the firing two days before the clause it hangs on.
    """
    m = _DAYS_AFTER.match(phrase.strip())
    if not m:
        return None
    return _count(m.group(1)) * (7 if m.group(2).lower().startswith("week") else 1)


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _SMALL_NUMBERS.get(word, 1)


def _month_number(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _month_start(day: date, back: int = 0) -> date:
    """First day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _latest_on_or_before(month: int, day: int, year: int | None, published: date) -> date | None:
    """The date with that month and day, in ``year`` or the latest year not after ``published``.

    None for an impossible date and for a written year that puts the day after ``published``.
    """
    try:
        if year is not None:
            found = date(year, month, day)
            return found if found <= published + _AHEAD else None
        found = date(published.year, month, day)
        # A date a few days ahead is a typo or a time zone; further ahead means last year.
        if found > published + _AHEAD:
            found = date(published.year - 1, month, day)
        return found
    except ValueError:
        return None


def _middle(first: date, last: date) -> date:
    return first + (last - first) // 2


#: Pattern kinds that name a calendar date, month or year (the others count from ``published``).
_CALENDAR_KINDS = frozenset({"since", "iso", "numeric", "mdy", "dmy", "month_week", "month", "year_part", "year"})


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, int] | None:
    """Turn one matched phrase into (date, precision); None for durations and nonsense."""
    if kind in _CALENDAR_KINDS:
        return _resolve_calendar(kind, m, published)
    return _resolve_relative(kind, m, published)


def _year_of(m: re.Match[str]) -> int | None:
    return int(m.group("y")) if m.group("y") else None


def _resolve_calendar(kind: str, m: re.Match[str], published: date) -> tuple[date, int] | None:
    """A phrase naming a date, a month or a year; ``published`` supplies a missing year."""
    if kind == "since":
        return None
    if kind == "iso":
        found = _latest_on_or_before(int(m.group("m")), int(m.group("d")), _year_of(m), published)
        return (found, 1) if found else None
    if kind == "numeric":
        return _resolve_numeric(m, published)
    if kind == "mdy" or kind == "dmy":
        return _resolve_day(m, published)
    if kind == "month_week":
        return _resolve_month_week(m, published)
    if kind == "month":
        month, year = _month_number(m.group("m")), _year_of(m)
        if year is None:
            year = published.year if month <= published.month else published.year - 1
        found = date(year, month, 1)
        return (found, 3) if found <= published else None
    if kind == "year_part":
        if m.group("rel"):
            return date(published.year - (m.group("rel").lower() == "last"), 1, 1), 4
        year = int(m.group("y"))
        return (date(year, 1, 1), 4) if year <= published.year else None
    # kind == "year"
    if m.group(0).lower().startswith("since") or int(m.group(1)) > published.year:
        return None
    return date(int(m.group(1)), 1, 1), 4


def _resolve_numeric(m: re.Match[str], published: date) -> tuple[date, int] | None:
    """"17/05/2018" or "05/17/2018": read only when the day is the part above 12 (or both are equal)."""
    a, b = int(m.group("a")), int(m.group("b"))
    if a == b or (a > 12 >= b):
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        # 07/05/2018: 7 May in Europe, July 5 in the US. A report tells what has happened:
        # a reading after its publication is not it; of two readings before, the later one.
        readings = [r for r in (_latest_on_or_before(b, a, _year_of(m), published),
                                _latest_on_or_before(a, b, _year_of(m), published)) if r is not None]
        if not readings or (len(readings) == 2 and abs((readings[0] - readings[1]).days) > 45):
            return None  # both months plausible and far apart: no guess
        return max(readings), 1
    found = _latest_on_or_before(month, day, _year_of(m), published)
    return (found, 1) if found else None


def _resolve_day(m: re.Match[str], published: date) -> tuple[date, int] | None:
    """A named day, or a span of days ("2-3 May", "May 30 to June 2") dated by its first day."""
    groups = m.groupdict()
    first_month = _month_number(groups.get("m1") or m.group("m"))
    first = _latest_on_or_before(first_month, int(m.group("d")), _year_of(m), published)
    if first is None:
        return None
    if not groups.get("d2"):
        return first, 1
    last_month = _month_number(groups.get("m2") or m.group("m"))
    try:
        # The written year belongs to the last day: "30 December - 2 January 2018".
        last = date(first.year + (last_month < first_month), last_month, int(m.group("d2")))
    except ValueError:
        return first, 2
    length = (last - first).days
    one_night = ("night" in (m.group("lead") or "").lower() or "/" in m.group(0)) and length == 1
    if length == 0 or one_night:
        return first, 1
    if length > 6:
        # Precision 2 stands for three days either side: a longer span is known to the month.
        return _month_start(first), 3
    return first, 2


def _resolve_month_week(m: re.Match[str], published: date) -> tuple[date, int] | None:
    """"the first week of May": the week's middle, in the latest year whose week began by ``published``."""
    month, year = _month_number(m.group("m")), _year_of(m)
    start = _WEEK_START[m.group("nth").lower()]

    def first_day(y: int) -> date:
        return date(y, month, start if start is not None else calendar.monthrange(y, month)[1] - 6)

    if year is None:
        year = published.year if first_day(published.year) <= published else published.year - 1
    begins = first_day(year)
    if begins > published + _AHEAD:
        return None
    # A week still under way is dated no later than the story.
    return min(begins + timedelta(days=3), published), 2


def _day_of_month(m: re.Match[str], published: date) -> tuple[date, int] | None:
    """"on the 7th": the latest 7th not after ``published`` (this month, else an earlier one)."""
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return None
    which = (m.group("which") or "").lower()
    # "of this/last month" names the month; a bare 31st skips back past the shorter months.
    tries = range(1) if which in {"this", "the"} else range(1, 2) if which == "last" else range(3)
    for months_back in tries:
        first = _month_start(published, months_back)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            found = first.replace(day=day)
            if found <= published:
                return found, 1
    return None


def _resolve_relative(kind: str, m: re.Match[str], published: date) -> tuple[date, int] | None:
    """A phrase counted back from ``published``: a weekday, "yesterday", "N weeks ago", "last month", ..."""
    monday = published - timedelta(days=published.weekday())
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(m.group("wd").lower())) % 7
        return published - timedelta(days=back), 1
    if kind == "dom":
        return _day_of_month(m, published)
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


_ANCHOR_OFFSET = {"anchor_prev": -1, "anchor_next": 1, "anchor_same": 0}


def find_date_phrases(text: str, published: date, anchor: date | None = None) -> list[DatePhrase]:
    """Find every time expression in ``text`` and resolve it against ``published``.

    ``anchor`` is the date of the event told just before: "the previous day",
    "the next morning", "later that day" count from it, and are left out without one.

    Overlapping matches are resolved in favour of the earlier, then longer one;
    durations ("since July") and days after publication are consumed but not returned.

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
        if kind in _ANCHOR_OFFSET:
            day = anchor + timedelta(days=_ANCHOR_OFFSET[kind]) if anchor is not None else None
            if day is not None and day <= published:
                phrases.append(DatePhrase(start, end, text[start:end], day, 1, kind))
            continue
        resolved = _resolve(kind, m, published)
        if resolved is not None:
            phrases.append(DatePhrase(start, end, text[start:end], resolved[0], resolved[1], kind))
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
