"""Roll-ups of the events table, and the aggregate queries they answer.

A store of a million events answers "everything", "this year" or "this
quarter of Syria" from three small tables instead of scanning the events:

- ``daily_counts``: events, fatalities and reports per day, type and country
  (metrics, the timeline, per-country counts);
- ``cell_counts``: the same per month and ``CELL_DEGREES`` grid cell, with the
  sum of positions so a cell's marker sits at the mean of its events (the
  density map; days at the edges of a date range come from ``events``);
- ``place_counts``: every place with events, so distinct places in a filter
  cost one index probe per place rather than a scan of the events.

They hold only what is additive, so the write path adds each article's
changes in the same transaction as its events (``Deltas``), and a correction
moves each event's counts from its old place to its new one. Filters on actors,
text, fatalities or precision cannot be answered from them (``answers``) and
go to the events table.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, cast, delete, func, insert, literal, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from conflictmap.model import EventFilter, GridCell
from conflictmap.store.schema import (
    CELL_DEGREES,
    Scope,
    cell_counts,
    daily_counts,
    events,
    place_counts,
    range_clauses,
    store_meta,
)

#: Bump when the roll-up tables change meaning; stores holding another version are rebuilt on open.
VERSION = "1"


def answers(f: EventFilter) -> bool:
    """True when the roll-ups can answer aggregates for ``f`` exactly (date, type and country only)."""
    return not (f.actors or f.admin1 or f.text.strip() or f.min_fatalities > 0
                or f.max_geo_precision < 3 or f.max_time_precision < 3)


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def cell_of(lat: float, lon: float) -> tuple[int, int]:
    """The roll-up grid cell (row, column) of a position."""
    return int(lat // CELL_DEGREES), int(lon // CELL_DEGREES)


# ------------------------------------------------------------------ writing
@dataclass
class Deltas:
    """Changes to the roll-ups gathered during one transaction (an article, a correction), applied at its end."""

    daily: dict[tuple[Any, ...], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    cells: dict[tuple[Any, ...], list[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0.0, 0.0]))
    places: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def add_event(self, values: Mapping[str, Any], sign: int = 1) -> None:
        """Count a stored event (``values`` as in ``events``), or uncount it with ``sign=-1``."""
        day, etype, country = values["event_date"], values["event_type"], values["country_code"] or ""
        deaths = sign * (values["fatalities_best"] or 0)
        d = self.daily[(day, etype, country)]
        d[0] += sign
        d[1] += deaths
        d[2] += sign * values.get("sources", 1)
        c = self.cells[(month_start(day), etype, country, *cell_of(values["lat"], values["lon"]))]
        c[0] += sign
        c[1] += deaths
        c[2] += sign * values["lat"]
        c[3] += sign * values["lon"]
        if values["place_id"]:
            self.places[(values["place_id"], country)] += sign

    def move_event(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        """Count an event at its new place instead of its old one (a correction)."""
        self.add_event(before, -1)
        self.add_event(after)

    def add_report(self, day: date, event_type: str, country_code: str | None) -> None:
        """Count one more article reporting an event already stored."""
        self.daily[(day, event_type, country_code or "")][2] += 1

    def apply(self, conn: Connection) -> None:
        """Add these counts to the roll-up rows, creating rows as needed.

        Rows are touched in key order, so concurrent writers on PostgreSQL
        lock them in the same order and cannot deadlock on them.
        """
        if self.daily:
            _upsert(conn, daily_counts, ("event_date", "event_type", "country_code"), [
                {"event_date": k[0], "event_type": k[1], "country_code": k[2],
                 "events": v[0], "fatalities": v[1], "reports": v[2]}
                for k, v in sorted(self.daily.items())
            ])
        if self.cells:
            _upsert(conn, cell_counts, ("month", "event_type", "country_code", "cell_y", "cell_x"), [
                {"month": k[0], "event_type": k[1], "country_code": k[2], "cell_y": k[3], "cell_x": k[4],
                 "events": v[0], "fatalities": v[1], "lat_sum": v[2], "lon_sum": v[3]}
                for k, v in sorted(self.cells.items())
            ])
        if self.places:
            _upsert(conn, place_counts, ("place_id", "country_code"), [
                {"place_id": k[0], "country_code": k[1], "events": v} for k, v in sorted(self.places.items())
            ])


def _upsert(conn: Connection, table: Any, keys: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(table)
    adds = {c.name: c + stmt.excluded[c.name] for c in table.c if c.name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=adds), rows)


def _month_expr(conn: Connection, column: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return cast(func.date_trunc("month", column), events.c.event_date.type)
    return func.date(column, "start of month")


def _fill(conn: Connection) -> None:
    """Insert the roll-up rows of every event."""
    country = func.coalesce(events.c.country_code, literal_column("''"))
    deaths = func.coalesce(func.sum(events.c.fatalities_best), 0)
    conn.execute(insert(daily_counts).from_select(
        ["event_date", "event_type", "country_code", "events", "fatalities", "reports"],
        select(events.c.event_date, events.c.event_type, country, func.count(), deaths, func.sum(events.c.sources))
        .group_by(events.c.event_date, events.c.event_type, country),
    ))
    month = _month_expr(conn, events.c.event_date)
    cy = cast(func.floor(events.c.lat / CELL_DEGREES), Integer)
    cx = cast(func.floor(events.c.lon / CELL_DEGREES), Integer)
    conn.execute(insert(cell_counts).from_select(
        ["month", "event_type", "country_code", "cell_y", "cell_x", "events", "fatalities", "lat_sum", "lon_sum"],
        select(month, events.c.event_type, country, cy, cx, func.count(), deaths,
               func.sum(events.c.lat), func.sum(events.c.lon))
        .group_by(month, events.c.event_type, country, cy, cx),
    ))
    conn.execute(insert(place_counts).from_select(
        ["place_id", "country_code", "events"],
        select(events.c.place_id, country, func.count())
        .where(events.c.place_id.is_not(None)).group_by(events.c.place_id, country),
    ))


def _lock(conn: Connection) -> None:
    """On PostgreSQL, hold writers off the roll-ups until this transaction ends.

    An ingest committing rows between a rebuild's delete and its insert would
    be counted twice, or collide with the rebuilt rows.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE daily_counts, cell_counts, place_counts IN SHARE ROW EXCLUSIVE MODE")


def rebuild(conn: Connection) -> None:
    """Recompute every roll-up from ``events`` and record the layout version."""
    _lock(conn)
    for table in (daily_counts, cell_counts, place_counts):
        conn.execute(delete(table))
    _fill(conn)
    conn.execute(delete(store_meta).where(store_meta.c.key == "rollup_version"))
    conn.execute(insert(store_meta).values(key="rollup_version", value=VERSION))


def is_current(conn: Connection) -> bool:
    """True when the store's roll-ups have this code's layout."""
    found = conn.execute(select(store_meta.c.value).where(store_meta.c.key == "rollup_version")).scalar()
    return found == VERSION


# ------------------------------------------------------------------ reading
def _daily_where(f: EventFilter) -> list[Any]:
    return range_clauses(daily_counts, Scope.of(f))


def totals(conn: Connection, f: EventFilter) -> tuple[int, int, int]:
    """Events, fatalities and reports matching ``f`` (which must satisfy :func:`answers`)."""
    row = conn.execute(
        select(func.coalesce(func.sum(daily_counts.c.events), 0), func.coalesce(func.sum(daily_counts.c.fatalities), 0),
               func.coalesce(func.sum(daily_counts.c.reports), 0))
        .where(*_daily_where(f))
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def count_places(conn: Connection, f: EventFilter) -> int:
    """Distinct places with an event matching ``f``: one index probe per stored place."""
    clauses: list[Any] = [place_counts.c.events > 0]
    if f.countries:
        clauses.append(place_counts.c.country_code.in_(f.countries))
    if f.date_from or f.date_to or f.event_types:
        # No country test: an event's country is its place's (corrections move both),
        # so the probe stays inside the (place, date) index.
        probe = [events.c.place_id == place_counts.c.place_id]
        if f.date_from:
            probe.append(events.c.event_date >= f.date_from)
        if f.date_to:
            probe.append(events.c.event_date <= f.date_to)
        if f.event_types:
            # Wrapped so that no index on the type is usable: without statistics
            # SQLite would walk the type's events once per place instead of the
            # (place, date) index.
            probe.append(func.coalesce(events.c.event_type, literal_column("''")).in_(f.event_types))
        # A scalar subquery with LIMIT 1 is run per place on both back ends (an
        # EXISTS may be planned as a scan of every event in the range instead).
        clauses.append(select(literal(1)).where(*probe).limit(1).scalar_subquery().is_not(None))
    stmt = select(func.count(func.distinct(place_counts.c.place_id))).where(*clauses)
    return int(conn.execute(stmt).scalar_one())


def per_day(conn: Connection, f: EventFilter) -> list[tuple[date, str, int]]:
    """(day, type, events) rows matching ``f``, by day."""
    stmt = (
        select(daily_counts.c.event_date, daily_counts.c.event_type, func.sum(daily_counts.c.events))
        .where(*_daily_where(f))
        .group_by(daily_counts.c.event_date, daily_counts.c.event_type)
        .order_by(daily_counts.c.event_date, daily_counts.c.event_type)
    )
    return [(d, t, int(n)) for d, t, n in conn.execute(stmt).all() if n]


def per_country(conn: Connection, f: EventFilter) -> list[tuple[str, int, int]]:
    """(country, events, fatalities) rows matching ``f``, most events first."""
    n = func.sum(daily_counts.c.events)
    stmt = (
        select(daily_counts.c.country_code, n, func.sum(daily_counts.c.fatalities))
        .where(*_daily_where(f))
        .group_by(daily_counts.c.country_code)
        .order_by(n.desc())
    )
    return [(c, int(k), int(d)) for c, k, d in conn.execute(stmt).all() if k]


def split_range(
    lo: date | None, hi: date | None,
) -> tuple[tuple[date | None, date | None] | None, list[tuple[date, date]]]:
    """Split a date range into whole months (from the roll-up) and edge days (from ``events``).

    Returns
    -------
    months : (first month, last month) or None
        Month starts, inclusive; None in either place means unbounded; None
        overall when no whole month is inside the range.
    edges : list of (first day, last day)
        Days at the ends of the range that do not fill their month.
    """
    if lo and hi and lo > hi:
        return None, []
    edges: list[tuple[date, date]] = []
    first: date | None = None
    last: date | None = None
    if lo is not None:
        first = lo if lo.day == 1 else _next_month(lo)
        if lo.day != 1:
            month_end = _next_month(lo) - timedelta(days=1)
            edges.append((lo, min(month_end, hi) if hi else month_end))
    if hi is not None:
        month_end = _next_month(hi) - timedelta(days=1)
        last = month_start(hi) if hi == month_end else month_start(month_start(hi) - timedelta(days=1))
        if hi != month_end:
            tail = (max(month_start(hi), lo) if lo else month_start(hi), hi)
            if not edges or edges[0] != tail:
                edges.append(tail)
    if first is not None and last is not None and first > last:
        return None, edges
    return (first, last), edges


def grid(conn: Connection, f: EventFilter, cell_degrees: float) -> list[GridCell] | None:
    """Grid cells of ``cell_degrees`` for ``f`` from ``cell_counts`` plus edge days, or None.

    None when ``cell_degrees`` is not a whole multiple of ``CELL_DEGREES``.
    """
    ratio = cell_degrees / CELL_DEGREES
    if ratio < 1 or abs(ratio - round(ratio)) > 1e-9:
        return None
    k = float(round(ratio))
    months, edges = split_range(f.date_from, f.date_to)
    acc: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])

    def add(rows: Iterable[Any]) -> None:
        for gy, gx, n, deaths, lat_sum, lon_sum in rows:
            a = acc[(int(gy), int(gx))]
            a[0] += int(n)
            a[1] += int(deaths or 0)
            a[2] += float(lat_sum)
            a[3] += float(lon_sum)

    if months is not None:
        gy = func.floor(cell_counts.c.cell_y / k)
        gx = func.floor(cell_counts.c.cell_x / k)
        clauses = range_clauses(cell_counts, Scope(months[0], months[1], f.event_types, f.countries), "month")
        add(conn.execute(
            select(gy, gx, func.sum(cell_counts.c.events), func.sum(cell_counts.c.fatalities),
                   func.sum(cell_counts.c.lat_sum), func.sum(cell_counts.c.lon_sum))
            .where(*clauses).group_by(gy, gx)
        ).all())
    for first, last in edges:
        gy = func.floor(events.c.lat / cell_degrees)
        gx = func.floor(events.c.lon / cell_degrees)
        clauses = range_clauses(events, Scope(first, last, f.event_types, f.countries))
        add(conn.execute(
            select(gy, gx, func.count(), func.sum(events.c.fatalities_best), func.sum(events.c.lat),
                   func.sum(events.c.lon))
            .where(and_(*clauses)).group_by(gy, gx)
        ).all())
    return [
        GridCell(lat=a[2] / a[0], lon=a[3] / a[0], events=int(a[0]), fatalities=int(a[1]))
        for _, a in sorted(acc.items()) if a[0]
    ]
