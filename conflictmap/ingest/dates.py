"""Calendar dates as news pages and exports write them.

Wire datelines use a handful of styles (``Nov 4, 2017``, ``Nov. 4``,
``4 November 2017``, ``Saturday, November 4, 2017``, ``2017-11-04``); these are
matched with regular expressions, which is fast and never depends on today's
date. Relative phrases ("2 days ago") and ambiguous numeric dates ("04/11/2017")
are not guessed: an export cell holding one gives no date and a warning.
"""
from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Month-first (US wire style), day-first (British style) and ISO.
_PATTERNS = (
    re.compile(r"\b" + _WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b", re.IGNORECASE),
    re.compile(r"\b" + _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b", re.IGNORECASE),
    re.compile(r"(?<!\d)" + _YEAR + r"[-/.](?P<mnum>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text; ``year`` is None when the text gave none ("Nov 4")."""

    start: int
    end: int
    year: int | None
    month: int
    day: int

    def to_date(self, default_year: int | None = None) -> date | None:
        """Return the calendar date, using ``default_year`` when the text had none."""
        year = self.year if self.year is not None else default_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def _match_to_date(match: re.Match[str]) -> DateMatch | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
    day = int(groups["day"])
    year = int(groups["year"]) if groups.get("year") else None
    found = DateMatch(match.start(), match.end(), year, month, day)
    # Reject impossible days ("Feb 30") here so callers can trust the match.
    if not 1 <= month <= 12 or found.to_date(default_year=2000) is None:
        return None
    return found


def find_date(text: str, *, at_start: bool = False) -> DateMatch | None:
    """Find the first calendar date written in ``text``.

    Parameters
    ----------
    text : str
        Any text: a dateline tail, a header line, an export cell.
    at_start : bool
        Only accept a date that starts the text (after white space).

    Returns
    -------
    DateMatch or None
        The earliest date found, or None.
    """
    best: DateMatch | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if at_start and text[: match.start()].strip():
                break
            found = _match_to_date(match)
            if found is not None:
                if best is None or found.start < best.start:
                    best = found
                break
    return best


def is_date_only(line: str) -> bool:
    """True when a line holds a date and little else ("Published: Nov 4, 2017, 10:02 GMT")."""
    if len(line) > 80 or not any(ch.isdigit() for ch in line):
        return False
    found = find_date(line)
    if found is None or found.year is None:
        return False
    rest = (line[: found.start] + " " + line[found.end :]).lower()
    rest = re.sub(r"\b(published|posted|updated|last|on|at|date|gmt|utc|am|pm)\b", " ", rest)
    rest = re.sub(r"[\d:.,|/()\-–—\s]+", " ", rest)
    return len(rest.split()) <= 1


def parse_date_value(value: Any) -> date | None:
    """Turn an export's date cell (string, number or date) into a date.

    Parameters
    ----------
    value : Any
        ``"2017-11-04"``, ``"2017-11-04T10:00:00Z"``, ``"Nov 4, 2017"``,
        ``"Sat, 04 Nov 2017 10:00:00 +0000"``, a POSIX timestamp, a date...

    Returns
    -------
    date or None
        None when the value is empty or not understood.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Seconds (or milliseconds) since 1970; anything else is not a date.
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date() if seconds > 0 else None
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    found = find_date(text)
    if found is not None and found.year is not None:
        return found.to_date()
    return _parse_other(text)


def _parse_other(text: str) -> date | None:
    # Compact stamps ("20171104", "20171104T101500Z", as GDELT writes them),
    # then RFC 822 without a day-month-year the patterns know.
    compact = re.match(r"^((?:19|20)\d\d)(\d\d)(\d\d)(?:T?\d{4,6}Z?)?$", text)
    if compact:
        try:
            return date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
