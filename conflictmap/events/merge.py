"""One incident told several times: merging tellings within an article, matching across articles.

Owns two tests. ``merge_tellings`` joins the sentences of one article that
tell one incident (same type and sub-type, compatible dates and death counts,
the same place or a province-level telling beside a precise one).
``same_incident`` matches events across articles with ``model.one_incident``,
the test the store applies to stored events too. Standard library and
``model`` only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from conflictmap.model import MERGE_DAYS, MERGE_KM, Event, IncidentPoint, days_within, one_incident


@dataclass
class Telling:
    """One event as told by one sentence, before tellings of one incident are merged."""

    event: Event
    order: int
    continues: int | None = None


def _date_range(event: Event) -> tuple[date, date]:
    """The days an event's date stands for, given its time precision."""
    d = event.event_date
    if event.time_precision >= 3:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return date(d.year, d.month, 1), date.fromordinal(nxt.toordinal() - 1)
    if event.time_precision == 2:
        return date.fromordinal(d.toordinal() - 3), date.fromordinal(d.toordinal() + 3)
    return d, d


def _incident_point(event: Event) -> IncidentPoint | None:
    """The event as ``model.one_incident`` compares it; None when it has no place."""
    place = event.mention.place
    if place is None:
        return None
    first, last = _date_range(event)
    return IncidentPoint(event.event_type, place.lat, place.lon, first, last)


def _told_range(event: Event) -> tuple[date, date]:
    """The days a telling's date stands for: a date taken from publication (a headline, a sentence
    without time words) stands for that day or the few days before it."""
    first, last = _date_range(event)
    if not event.date_phrase and event.time_precision == 1:
        return date.fromordinal(first.toordinal() - 3), last
    return first, last


def _dates_compatible(a: Event, b: Event, days: int) -> bool:
    """Whether the days two tellings' dates stand for are at most ``days`` apart."""
    return days_within(_told_range(a), _told_range(b), days)


def _deaths_compatible(a: Event, b: Event) -> bool:
    if a.fatalities_best is None or b.fatalities_best is None:
        return True
    a0 = a.fatalities_low if a.fatalities_low is not None else 0
    b0 = b.fatalities_low if b.fatalities_low is not None else 0
    a1 = a.fatalities_high if a.fatalities_high is not None else math.inf
    b1 = b.fatalities_high if b.fatalities_high is not None else math.inf
    return a0 <= b1 and b0 <= a1


def same_incident(a: Event, b: Event, *, km: float = MERGE_KM, days: int = MERGE_DAYS) -> bool:
    """Whether two events (from the same or different articles) report one incident.

    ``model.one_incident`` on the events' places and date spans: a date known
    only to the week or the month stands for that span, so "last month" matches
    any day in it. (The store applies ``one_incident`` to the stored days
    themselves, see ``store.writes``.)

    Parameters
    ----------
    a, b : Event
        Two events.
    km : float
        Largest distance between their places.
    days : int
        Largest gap between their dates' spans.

    Returns
    -------
    bool
        True when both are placed, have the same event type, places within
        ``km`` and dates within ``days``.
    """
    pa, pb = _incident_point(a), _incident_point(b)
    if pa is None or pb is None:
        return False
    return one_incident(pa, pb, km=km, days=days)


def _tellings_agree(a: Event, b: Event) -> bool:
    """Two sentences of one article telling one incident (stricter on place than across articles)."""
    if (a.event_type, a.sub_event_type) != (b.event_type, b.sub_event_type):
        return False
    if not (_dates_compatible(a, b, 0) and _deaths_compatible(a, b)):
        return False
    pa, pb = a.mention.place, b.mention.place
    assert pa is not None and pb is not None
    if pa.place_id == pb.place_id:
        return True
    # Two named places are two incidents; a province-level telling joins a precise one.
    return max(a.geo_precision, b.geo_precision) == 3 and bool(pa.country_code) and pa.country_code == pb.country_code


def merge_tellings(tellings: list[Telling]) -> list[Event]:
    """Merge the tellings of one incident into one event."""
    parent = list(range(len(tellings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    for t in tellings:
        if t.continues is not None and _deaths_compatible(t.event, tellings[t.continues].event):
            union(t.order, t.continues)
    for i, a in enumerate(tellings):
        for b in tellings[i + 1 :]:
            if find(a.order) != find(b.order) and _tellings_agree(a.event, b.event):
                union(a.order, b.order)
    groups: dict[int, list[Event]] = {}
    for t in tellings:
        groups.setdefault(find(t.order), []).append(t.event)
    merged = [_merge_group(group) for group in groups.values()]
    return sorted(merged, key=lambda e: (e.excerpt_start, e.mention.start))


def _merge_group(group: list[Event]) -> Event:
    """One event from its tellings (in text order): best place, best date, first death count."""
    if len(group) == 1:
        return group[0]
    where = min(group, key=lambda e: e.geo_precision)
    # The most precise date; of equals, one the text states over one taken from publication
    # (a headline "Bomb kills two near Tarmiyah" has no time words; its story says "late on Sunday").
    when = min(group, key=lambda e: (e.time_precision, e.date_phrase == ""))
    counted = next((e for e in group if e.fatalities_best is not None), None)
    actors: list[str] = []
    for e in group:
        actors.extend(a for a in e.actors if a not in actors)
    return replace(
        where,
        event_type=group[0].event_type,
        sub_event_type=group[0].sub_event_type,
        event_date=when.event_date,
        time_precision=when.time_precision,
        date_phrase=when.date_phrase,
        actors=tuple(actors),
        fatalities_best=counted.fatalities_best if counted else None,
        fatalities_low=counted.fatalities_low if counted else None,
        fatalities_high=counted.fatalities_high if counted else None,
    )
