"""Surge alerts: where violence flared up this week, measured against each place's own recent weeks.

The rule (docs/ALERTS.md has the reasons and what it takes from ACLED's
Subnational Surge Tracker):

- Units are first-level admin units (``country_code`` + ``admin1`` of each
  event's place) and countries. Events whose place has no admin1 count only
  towards their country.
- "This week" is the seven days ``as_of - 6`` .. ``as_of`` inclusive; ``as_of``
  defaults to the latest event date in the store. The baseline is the twelve
  weeks before it, ``as_of - 90`` .. ``as_of - 7``, as twelve weekly counts
  (weeks with no event count as zero). An event dated ``as_of - 6`` is this
  week's; one dated ``as_of - 7`` is the baseline's newest day.
- Baseline weeks that end before the store's first event are left out (the
  store did not watch then, so they are no evidence of calm); with fewer than
  ``min_baseline_weeks`` left there is no baseline and no alert.
- A metric (events; fatalities, the sum of best estimates) surges when this
  week's figure is at least ``max(minimum, min_ratio * mean, mean + k * sd)``
  of the baseline's weekly figures (population standard deviation). Defaults:
  minimum 5 events or 10 deaths, doubling (``min_ratio`` 2, as ACLED), and
  ``k`` 2. The minimum keeps one event in a quiet place from being a surge; the
  ``sd`` term keeps a place that swings from week to week from alerting on
  every high week; the ratio keeps a steady place from alerting on +1.
- A unit whose baseline holds no event at all is flagged ``"new"`` when it
  passes the minimum; otherwise an alert is a ``"surge"``.
- Only political violence counts (ACLED's choice): battles, explosions/remote
  violence, violence against civilians, riots, and excessive force against
  protesters; peaceful protests and strategic developments do not.

``find_surges`` reads one grouped query (``Store.weekly_unit_counts``);
``surges_from_weeks`` is the rule on those rows; ``alerts_atom`` and
``write_alerts_atom`` give the Atom 1.0 feed; ``map_query`` the query string of
the dashboard's map filtered to an alert's unit and week.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from conflictmap.store import Store
from conflictmap.store.trends import UnitWeekRow, week_start

#: The Map page's query-parameter names (``conflictmap.ui.state`` QP_COUNTRIES, QP_ADMIN1, QP_FROM, QP_TO).
#: This module sits below ``ui`` and cannot import it; tests/unit/test_alerts.py checks they match.
MAP_QP_COUNTRY, MAP_QP_ADMIN1, MAP_QP_FROM, MAP_QP_TO = "country", "admin1", "from", "to"
#: Where the dashboard runs when nothing else is said (``streamlit run``'s default address).
DEFAULT_BASE_URL = "http://localhost:8501/"
FEED_ID = "urn:conflictmap:alerts"
ATOM_NS = "http://www.w3.org/2005/Atom"

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")
VIOLENT_SUB_TYPES = ("Excessive force against protesters",)


@dataclass(frozen=True)
class SurgeRule:
    """The thresholds of the rule (module docstring). Defaults are the documented rule."""

    baseline_weeks: int = 12
    min_baseline_weeks: int = 4
    min_events: int = 5
    min_fatalities: int = 10
    min_ratio: float = 2.0
    k: float = 2.0
    event_types: tuple[str, ...] = VIOLENT_TYPES
    sub_event_types: tuple[str, ...] = VIOLENT_SUB_TYPES

    def threshold(self, mean: float, sd: float, minimum: int) -> float:
        """This week's figure at or above which a metric surges."""
        return max(float(minimum), self.min_ratio * mean, mean + self.k * sd)

    def sentence(self) -> str:
        """The rule in one sentence, for the page, the feed and the CLI."""
        return (
            f"A unit alerts when its events (or deaths) in the last 7 days reach at least "
            f"{self.min_events} ({self.min_fatalities} deaths), {self.min_ratio:g} times its weekly mean over the "
            f"previous {self.baseline_weeks} weeks, and that mean plus {self.k:g} standard deviations; "
            f"a unit with no event in those weeks is \"new\"."
        )


DEFAULT_RULE = SurgeRule()


@dataclass(frozen=True)
class Surge:
    """One alert: a unit whose last seven days passed the rule.

    ``admin1`` is ``""`` for a country-level alert. ``metrics`` names what
    surged (``"events"``, ``"fatalities"``); ``kind`` is ``"new"`` when the
    baseline holds no event, else ``"surge"``. Means and standard deviations
    are of the baseline's weekly figures; a ratio is this week over the mean
    (None when the mean is zero). ``lat``/``lon`` is the mean position of this
    week's events in the unit.
    """

    country_code: str
    admin1: str
    kind: str
    metrics: tuple[str, ...]
    events: int
    fatalities: int
    events_mean: float
    events_sd: float
    fatalities_mean: float
    fatalities_sd: float
    events_ratio: float | None
    fatalities_ratio: float | None
    rule: str
    window_start: date
    window_end: date
    baseline_weeks: int
    lat: float
    lon: float

    @property
    def level(self) -> str:
        """``"admin1"`` or ``"country"``."""
        return "admin1" if self.admin1 else "country"

    @property
    def unit(self) -> str:
        """The unit's name as people read it: "Idlib, SY" or "SY"."""
        return f"{self.admin1}, {self.country_code}" if self.admin1 else self.country_code

    @property
    def ratio(self) -> float | None:
        """The largest ratio among the metrics that surged; None when a surged metric had no baseline."""
        ratios = [self.events_ratio if m == "events" else self.fatalities_ratio for m in self.metrics]
        return None if any(r is None for r in ratios) else max(r for r in ratios if r is not None)

    @property
    def alert_id(self) -> str:
        """A stable id for the unit and the window: the same alert in two runs keeps it."""
        return (f"{FEED_ID}:{quote(self.country_code, safe='')}:{quote(self.admin1, safe='')}:"
                f"{self.window_start.isoformat()}:{self.window_end.isoformat()}")


# -- the rule -------------------------------------------------------------------------------------


def _ratio(value: int, mean: float) -> float | None:
    return round(value / mean, 2) if mean > 0 else None


def _covered_weeks(rule: SurgeRule, as_of: date, first_day: date | None) -> list[int]:
    """Baseline weeks (1..baseline_weeks) that end on or after the store's first event."""
    weeks = range(1, rule.baseline_weeks + 1)
    if first_day is None:
        return list(weeks)
    return [w for w in weeks if week_start(as_of, w) + timedelta(days=6) >= first_day]


def _unit_weeks(rows: Iterable[UnitWeekRow]) -> dict[tuple[str, str], dict[int, list[float]]]:
    """[events, fatalities, lat sum, lon sum] per week, per admin1 unit and per country (admin1 "")."""
    units: dict[tuple[str, str], dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0, 0.0]))
    for r in rows:
        keys = [(r["country_code"], "")] + ([(r["country_code"], r["admin1"])] if r["admin1"] else [])
        for key in keys:
            cell = units[key][r["week"]]
            cell[0] += r["events"]
            cell[1] += r["fatalities"]
            # Weighted by the events, so a country's position is the mean of all its events.
            cell[2] += r["lat"] * r["events"]
            cell[3] += r["lon"] * r["events"]
    return units


def surges_from_weeks(rows: Iterable[UnitWeekRow], as_of: date, rule: SurgeRule = DEFAULT_RULE,
                      first_day: date | None = None) -> list[Surge]:
    """Apply the rule to weekly unit counts (``Store.weekly_unit_counts`` rows, week 0 = this week).

    Parameters
    ----------
    rows : iterable of UnitWeekRow
        Counts for weeks 0 .. ``rule.baseline_weeks``.
    as_of : date
        The last day of week 0.
    rule : SurgeRule
        The thresholds.
    first_day : date, optional
        The store's first event date: baseline weeks ending before it are left out.

    Returns
    -------
    list of Surge
        Highest ratio first ("new" units, with no ratio, ahead), then most events.
    """
    covered = _covered_weeks(rule, as_of, first_day)
    if len(covered) < rule.min_baseline_weeks:
        return []
    window = (week_start(as_of, 0), as_of)
    out = []
    for (country, admin1), weeks in _unit_weeks(rows).items():
        now = weeks.get(0)
        if now is None:
            continue
        n_events, n_deaths = int(now[0]), int(now[1])
        base_events = [weeks[w][0] if w in weeks else 0 for w in covered]
        base_deaths = [weeks[w][1] if w in weeks else 0 for w in covered]
        e_mean, e_sd = statistics.fmean(base_events), statistics.pstdev(base_events)
        d_mean, d_sd = statistics.fmean(base_deaths), statistics.pstdev(base_deaths)
        fired, reasons = [], []
        for metric, value, mean, sd, minimum in (
            ("events", n_events, e_mean, e_sd, rule.min_events),
            ("fatalities", n_deaths, d_mean, d_sd, rule.min_fatalities),
        ):
            limit = rule.threshold(mean, sd, minimum)
            if value >= limit:
                fired.append(metric)
                reasons.append(f"{metric} {value} >= {limit:.1f} = max({minimum}, {rule.min_ratio:g} x {mean:.2f}, "
                               f"{mean:.2f} + {rule.k:g} x {sd:.2f})")
        if not fired:
            continue
        out.append(Surge(
            country_code=country, admin1=admin1, kind="new" if sum(base_events) == 0 else "surge",
            metrics=tuple(fired), events=n_events, fatalities=n_deaths,
            events_mean=round(e_mean, 3), events_sd=round(e_sd, 3),
            fatalities_mean=round(d_mean, 3), fatalities_sd=round(d_sd, 3),
            events_ratio=_ratio(n_events, e_mean), fatalities_ratio=_ratio(n_deaths, d_mean),
            rule="; ".join(reasons), window_start=window[0], window_end=window[1], baseline_weeks=len(covered),
            lat=round(now[2] / n_events, 5), lon=round(now[3] / n_events, 5),
        ))
    return sorted(out, key=lambda s: (-(s.ratio if s.ratio is not None else float("inf")), -s.events,
                                      s.country_code, s.admin1))


def find_surges(store: Store, as_of: date | None = None, rule: SurgeRule = DEFAULT_RULE) -> list[Surge]:
    """The units whose last seven days (ending on ``as_of``) surged by ``rule``.

    Parameters
    ----------
    store : Store
        The store read (one grouped query, plus the event date range).
    as_of : date, optional
        The last day of the week looked at; default the latest event date in the store.
    rule : SurgeRule
        The thresholds (default: the documented rule).

    Returns
    -------
    list of Surge
        As :func:`surges_from_weeks` orders them; empty for an empty store.
    """
    first_day, last_day = store.event_date_range()
    as_of = as_of or last_day
    if as_of is None:
        return []
    rows = store.weekly_unit_counts(as_of, rule.baseline_weeks + 1, rule.event_types, rule.sub_event_types)
    return surges_from_weeks(rows, as_of, rule, first_day)


# -- what an alert links to and how it is written -------------------------------------------------


def map_query(surge: Surge) -> str:
    """The Map page's query string for the alert's unit (country, and first-level unit) and seven days."""
    query = {MAP_QP_COUNTRY: surge.country_code}
    if surge.admin1:
        query[MAP_QP_ADMIN1] = surge.admin1
    query.update({MAP_QP_FROM: surge.window_start.isoformat(), MAP_QP_TO: surge.window_end.isoformat()})
    return urlencode(query)


def map_link(surge: Surge, base_url: str = DEFAULT_BASE_URL) -> str:
    """The URL of the dashboard's map filtered to the alert (``base_url`` is the Map page)."""
    return f"{base_url}?{map_query(surge)}"


def surge_record(surge: Surge, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """The alert as JSON-ready values: its fields, dates as ISO text, plus unit, level, ratio and link."""
    record = asdict(surge)
    record.update(metrics=list(surge.metrics), window_start=surge.window_start.isoformat(),
                  window_end=surge.window_end.isoformat(), unit=surge.unit, level=surge.level,
                  ratio=surge.ratio, id=surge.alert_id, link=map_link(surge, base_url))
    return record


def alert_title(surge: Surge) -> str:
    """A one-line headline: "Surge in Idlib, SY: 15 events, 3 deaths in 7 days (7.5x)"."""
    ratio = f"{surge.ratio:g}x its baseline" if surge.ratio is not None else "no baseline events"
    kind = "New violence" if surge.kind == "new" else "Surge"
    return f"{kind} in {surge.unit}: {surge.events} events, {surge.fatalities} deaths in 7 days ({ratio})"


def alert_summary(surge: Surge) -> str:
    """The entry text: the window, this week against the baseline, and the rule that fired."""
    return (
        f"{surge.window_start.isoformat()} to {surge.window_end.isoformat()}: {surge.events} events "
        f"(baseline {surge.events_mean:g} \u00b1 {surge.events_sd:g} a week over {surge.baseline_weeks} weeks), "
        f"{surge.fatalities} deaths (baseline {surge.fatalities_mean:g} \u00b1 {surge.fatalities_sd:g}). "
        f"Fired: {surge.rule}."
    )


def _atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def alerts_atom(surges: Sequence[Surge], *, base_url: str = DEFAULT_BASE_URL, updated: datetime | None = None,
                title: str = "ConflictMap surge alerts", rule: SurgeRule = DEFAULT_RULE) -> str:
    """An Atom 1.0 feed (RFC 4287) with one entry per alert.

    Every text goes through ElementTree, which escapes it, so a unit named
    ``<script>`` is text in the feed, never markup. Entry ids are
    :attr:`Surge.alert_id`: a reader that polls the file sees an alert once.

    Parameters
    ----------
    surges : sequence of Surge
        The alerts (:func:`find_surges`).
    base_url : str
        The dashboard's Map page; each entry links there, filtered.
    updated : datetime, optional
        The feed's and entries' time (default now, UTC).
    title : str
        The feed's title.
    rule : SurgeRule
        The rule, stated in the feed's subtitle.

    Returns
    -------
    str
        The XML document, with its declaration.
    """
    stamp = _atom_time(updated or datetime.now(UTC))
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(feed, "id", FEED_ID)
    _sub(feed, "title", title)
    _sub(feed, "subtitle", rule.sentence())
    _sub(feed, "updated", stamp)
    _sub(_sub(feed, "author"), "name", "ConflictMap")
    _sub(feed, "link", rel="alternate", type="text/html", href=base_url)
    _sub(feed, "generator", "conflictmap alerts")
    for surge in surges:
        entry = _sub(feed, "entry")
        _sub(entry, "id", surge.alert_id)
        _sub(entry, "title", alert_title(surge))
        _sub(entry, "updated", stamp)
        _sub(entry, "link", rel="alternate", type="text/html", href=map_link(surge, base_url))
        _sub(entry, "summary", alert_summary(surge))
        _sub(entry, "category", term=surge.kind)
        for metric in surge.metrics:
            _sub(entry, "category", term=metric)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def write_alerts_atom(surges: Sequence[Surge], path: str | Path, **options: Any) -> Path:
    """Write :func:`alerts_atom` to ``path`` whole: a reader polling the file never sees half of it.

    The feed goes to a temporary file in the same folder, then replaces ``path``
    in one rename. ``options`` are :func:`alerts_atom`'s keyword arguments.
    """
    target = Path(path)
    text = alerts_atom(surges, **options)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def surges_table(surges: Sequence[Surge]) -> str:
    """The alerts as a plain-text table (the CLI's default output)."""
    header = ("unit", "level", "kind", "metrics", "events", "baseline", "deaths", "baseline", "ratio", "window")
    rows = [header]
    for s in surges:
        rows.append((
            s.unit, s.level, s.kind, "+".join(s.metrics), str(s.events), f"{s.events_mean:g}\u00b1{s.events_sd:g}",
            str(s.fatalities), f"{s.fatalities_mean:g}\u00b1{s.fatalities_sd:g}",
            "-" if s.ratio is None else f"{s.ratio:g}x", f"{s.window_start.isoformat()}..{s.window_end.isoformat()}",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)

