"""Weekly counts per country and first-level admin unit, for the surge alerts (``conflictmap.alerts``).

One grouped query per call: the database counts the events and sums the
fatalities of each (country, admin1, week) over the weeks asked for, so the
alert rule never loads events into Python. Weeks are counted back from an "as
of" day in whole days: week 0 is ``as_of - 6`` .. ``as_of`` (inclusive), week 1
the seven days before it, and so on. The week of an event is a ``CASE`` on date
ranges whose bounds Python computes, which reads the same on SQLite and
PostgreSQL (no dialect's date functions). Only news events (the ``events``
table) count; the reference layer (UCDP GED, ACLED imports) does not.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypedDict

from sqlalchemy import case, func, literal_column, or_, select
from sqlalchemy.engine import Engine

from conflictmap.store.rows import as_date
from conflictmap.store.schema import events


class UnitWeekRow(TypedDict):
    """Events of one (country, admin1) unit in one week back from the "as of" day.

    ``admin1`` is ``""`` for events whose place has no first-level unit (a
    country centroid, say): they count only towards their country. ``lat`` and
    ``lon`` are the mean position of the week's events.
    """

    country_code: str
    admin1: str
    week: int
    events: int
    fatalities: int
    lat: float
    lon: float


def week_start(as_of: date, week: int) -> date:
    """The first day of week ``week`` back from ``as_of`` (week 0 ends on ``as_of``)."""
    return as_of - timedelta(days=7 * week + 6)


class TrendsStore:
    """Reads for the surge alerts: a mixin of :class:`conflictmap.store.Store`."""

    engine: Engine

    def event_date_range(self) -> tuple[date | None, date | None]:
        """The first and last event date in the store (news events only); (None, None) when empty."""
        with self.engine.connect() as conn:
            lo, hi = conn.execute(select(func.min(events.c.event_date), func.max(events.c.event_date))).one()
        return as_date(lo), as_date(hi)

    def weekly_unit_counts(self, as_of: date, weeks: int, event_types: Sequence[str] = (),
                           sub_event_types: Sequence[str] = ()) -> list[UnitWeekRow]:
        """Events and fatalities per country, admin1 and week, for ``weeks`` weeks ending on ``as_of``.

        Parameters
        ----------
        as_of : date
            The last day of week 0; events dated later are left out.
        weeks : int
            How many weeks back, week 0 included (13: this week and a 12-week baseline).
        event_types, sub_event_types : sequence of str
            Keep events of these types, or of these sub-event types whatever their
            type (ACLED counts "Excessive force against protesters" as violence,
            though its type is "Protests"). Both empty: every event.

        Returns
        -------
        list of UnitWeekRow
            One row per (country, admin1, week) with at least one event, in that
            order; events without a country are left out. Fatalities are the
            sum of best estimates (an event without a figure adds none).
        """
        if weeks < 1:
            raise ValueError("weeks must be at least 1")
        first = week_start(as_of, weeks - 1)
        # The first branch that holds wins, so each bound only needs its lower edge.
        week = case(*((events.c.event_date >= week_start(as_of, w), w) for w in range(weeks - 1)),
                    else_=weeks - 1)
        clauses = [events.c.event_date >= first, events.c.event_date <= as_of,
                   events.c.country_code.is_not(None), events.c.country_code != ""]
        kinds = []
        if event_types:
            kinds.append(events.c.event_type.in_(tuple(event_types)))
        if sub_event_types:
            kinds.append(events.c.sub_event_type.in_(tuple(sub_event_types)))
        if kinds:
            clauses.append(or_(*kinds))
        # Group on the subquery's columns: PostgreSQL would not match a CASE repeated in
        # GROUP BY with its own bound parameters to the one in the select list.
        inner = (
            select(
                events.c.country_code.label("country_code"),
                func.coalesce(events.c.admin1, literal_column("''")).label("admin1"),
                week.label("week"),
                func.coalesce(events.c.fatalities_best, 0).label("deaths"),
                events.c.lat.label("lat"),
                events.c.lon.label("lon"),
            )
            .where(*clauses)
            .subquery("unit_weeks")
        )
        stmt = (
            select(inner.c.country_code, inner.c.admin1, inner.c.week, func.count(),
                   func.sum(inner.c.deaths), func.avg(inner.c.lat), func.avg(inner.c.lon))
            .group_by(inner.c.country_code, inner.c.admin1, inner.c.week)
            .order_by(inner.c.country_code, inner.c.admin1, inner.c.week)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            UnitWeekRow(country_code=str(c), admin1=str(a), week=int(w), events=int(n), fatalities=int(d or 0),
                        lat=float(lat), lon=float(lon))
            for c, a, w, n, d, lat, lon in rows
        ]
