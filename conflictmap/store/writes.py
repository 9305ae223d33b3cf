"""Writing the store: articles with their mentions and events, corrections, reference rows."""
from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from conflictmap.model import (
    MERGE_DAYS,
    Article,
    CorrectionRow,
    Event,
    IncidentPoint,
    Mention,
    Place,
    PlaceRow,
    normalise_surface,
    one_incident,
    place_row,
)
from conflictmap.store import rollup
from conflictmap.store.rows import (
    EventValues,
    article_values,
    as_date,
    corrected_geo_precision,
    event_values,
    mention_values,
    stored_place,
)
from conflictmap.store.schema import (
    articles,
    corrections,
    event_actors,
    event_sources,
    events,
    mentions,
    metadata,
    reference_events,
    store_meta,
)

#: PostgreSQL advisory lock: ingests hold it shared, a correction exclusively.
CORRECTION_LOCK = 724022

#: How often an article's transaction is tried when PostgreSQL reports a deadlock.
_DEADLOCK_RETRIES = 4


class StoreWriter:
    """The writing half of :class:`conflictmap.store.Store`."""

    engine: Engine

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(articles.c.article_id).where(articles.c.article_id == article_id)
            ).first() is not None

    def write_article(self, article: Article, mentions_: Sequence[Mention], events_: Sequence[Event]) -> bool:
        """Store one article with its mentions and events in one transaction.

        Corrections already stored are applied first. Events that match an
        incident already reported by another article (same type, within
        ``MERGE_KM`` and ``MERGE_DAYS``) become extra sources of that event
        and fill its empty roles and evidence (``_filled_evidence``).

        Returns
        -------
        bool
            False when the article was already stored (nothing is written).
        """
        for attempt in range(_DEADLOCK_RETRIES):
            try:
                with self.engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        # Shared with other ingests, exclusive with corrections (add_correction).
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({CORRECTION_LOCK})")
                    if conn.execute(
                        select(articles.c.article_id).where(articles.c.article_id == article.article_id)
                    ).first():
                        return False
                    conn.execute(insert(articles).values(**article_values(article)))
                    # Read after the insert: on SQLite this transaction now holds the write
                    # lock, so no correction can commit between this read and our writes.
                    fixes = self._corrections_for(conn, article.article_id)
                    if mentions_:
                        conn.execute(insert(mentions),
                                     [mention_values(article.article_id, m, fixes) for m in mentions_])
                    deltas = rollup.Deltas()
                    for ev in events_:
                        self._write_event(conn, article, ev, fixes, deltas)
                    deltas.apply(conn)
                return True
            except IntegrityError:
                # Another ingest stored the same article between our check and insert.
                if self.has_article(article.article_id):
                    return False
                raise
            except OperationalError as exc:
                # Two PostgreSQL writers merging into the same events can deadlock;
                # the server aborts one transaction, which is safe to run again.
                if "deadlock" not in str(exc).lower() or attempt == _DEADLOCK_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return False  # not reached: the last attempt returns or raises

    def _write_event(self, conn: Connection, article: Article, ev: Event, fixes: Mapping[str, PlaceRow],
                     deltas: rollup.Deltas) -> None:
        """Store one event, or count it as another source of the stored incident it reports again."""
        values = event_values(article, ev, fixes)
        if values["lat"] is None or values["lon"] is None:
            return
        source = {
            "article_id": article.article_id,
            "excerpt_start": ev.excerpt_start,
            "excerpt_end": ev.excerpt_end,
            "excerpt": ev.excerpt,
        }
        existing = self._find_same_incident(conn, values)
        if existing is not None:
            conn.execute(insert(event_sources).values(event_id=existing, **source))
            # The row as updated: a correction may have moved the event since we found it.
            day, country = conn.execute(
                update(events).where(events.c.event_id == existing)
                .values(sources=events.c.sources + 1, **_filled_evidence(values))
                .returning(events.c.event_date, events.c.country_code)
            ).one()
            deltas.add_report(day, values["event_type"], country)
            return
        conn.execute(insert(events).values(**values))
        deltas.add_event(values)
        conn.execute(insert(event_sources).values(event_id=values["event_id"], **source))
        if ev.actors:
            conn.execute(insert(event_actors),
                         [{"event_id": values["event_id"], "actor": a} for a in dict.fromkeys(ev.actors)])

    def _find_same_incident(self, conn: Connection, values: EventValues) -> str | None:
        """The id of a stored event that this one reports again, or None.

        The test is ``model.one_incident`` (``MERGE_KM``, ``MERGE_DAYS``), applied
        to the stored days themselves: each event's ``event_date`` is a one-day
        span whatever its ``time_precision``. (``events.merge.same_incident``
        widens a week or month date to its span; the store does not, so a
        month-only report does not take in the events of its whole month, and
        the search stays a range on ``event_date``.) SQL finds the candidates
        first: the same type, dates within ``MERGE_DAYS``, a box around the
        point. Events this article already reports are left out: two places of
        one sentence ("Douma and Harasta") near one stored incident are two
        events. The first candidate that passes wins.
        """
        lat, lon, day = values["lat"], values["lon"], values["event_date"]
        assert lat is not None and lon is not None
        # Degrees; wider than MERGE_KM up to ~53 degrees of latitude (where conflicts happen).
        pad = 0.15
        rows = conn.execute(
            select(events.c.event_id, events.c.event_type, events.c.lat, events.c.lon, events.c.event_date).where(
                events.c.event_type == values["event_type"],
                events.c.event_date.between(day - timedelta(days=MERGE_DAYS), day + timedelta(days=MERGE_DAYS)),
                events.c.lat.between(lat - pad, lat + pad),
                events.c.lon.between(lon - pad, lon + pad),
                events.c.article_id != values["article_id"],
                events.c.event_id.not_in(
                    select(event_sources.c.event_id).where(event_sources.c.article_id == values["article_id"])
                ),
            )
        ).all()
        new = IncidentPoint(values["event_type"], lat, lon, day, day)
        for row in rows:
            stored_day = as_date(row.event_date)
            assert stored_day is not None
            if one_incident(new, IncidentPoint(row.event_type, row.lat, row.lon, stored_day, stored_day)):
                return str(row.event_id)
        return None

    def _corrections_for(self, conn: Connection, article_id: str) -> dict[str, PlaceRow]:
        """Corrections that apply to an article, by surface key; article-specific ones win."""
        rows = conn.execute(
            select(corrections)
            .where(or_(corrections.c.article_id.is_(None), corrections.c.article_id == article_id))
            .order_by(corrections.c.article_id.is_not(None), corrections.c.id)
        ).mappings()
        return {row["surface_key"]: stored_place(row) for row in rows}

    def add_correction(self, surface: str, place: Place, article_id: str | None = None, made_by: str = "") -> int:
        """Store a user's fix (surface -> place) and apply it to stored mentions and events.

        ``made_by`` names who made it (the dashboard's logged-in user); when empty,
        the operating-system user running this process.

        Returns
        -------
        int
            The number of events moved.
        """
        key = normalise_surface(surface)
        values = place_row(place)
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Wait for ingests in flight and hold new ones off: an article written
                # meanwhile would keep the old place, or be moved without its roll-ups.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CORRECTION_LOCK})")
            conn.execute(
                insert(corrections).values(
                    surface=surface, surface_key=key, article_id=article_id,
                    created_at=datetime.now(UTC), made_by=made_by or _os_user(), **values,
                )
            )
            scope_m = [mentions.c.surface_key == key]
            scope_e = [events.c.surface_key == key]
            if article_id:
                scope_m.append(mentions.c.article_id == article_id)
                scope_e.append(events.c.article_id == article_id)
            conn.execute(update(mentions).where(*scope_m).values(resolved_by="correction", score=1.0, **values))
            counted = (events.c.event_date, events.c.event_type, events.c.country_code, events.c.lat,
                       events.c.lon, events.c.fatalities_best, events.c.sources, events.c.place_id)
            before = conn.execute(select(*counted).where(*scope_e)).mappings().all()
            moved = conn.execute(
                update(events).where(*scope_e).values(
                    geo_precision=corrected_geo_precision(place.feature), **values
                )
            ).rowcount
            # Move each event's counts rather than recount its days: a common name
            # touches most days of a large store.
            deltas = rollup.Deltas()
            for row in before:
                deltas.move_event(row, {**row, **{k: values[k] for k in ("lat", "lon", "country_code", "place_id")}})
            deltas.apply(conn)
        return int(moved or 0)

    def corrections(self) -> list[CorrectionRow]:
        """Every stored correction, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(corrections).order_by(corrections.c.id.desc())).mappings().all()
        return [cast(CorrectionRow, dict(r)) for r in rows]

    def import_reference(self, records: Iterable[dict[str, Any]], batch: int = 2000) -> int:
        """Insert reference events (UCDP GED / ACLED rows); rows already present are skipped.

        Returns
        -------
        int
            The number of new rows.
        """
        added = 0
        chunk: list[dict[str, Any]] = []

        def flush(conn: Connection) -> int:
            ids = [r["ref_id"] for r in chunk]
            seen = set(conn.execute(
                select(reference_events.c.ref_id).where(reference_events.c.ref_id.in_(ids))
            ).scalars())
            fresh = list({r["ref_id"]: r for r in chunk if r["ref_id"] not in seen}.values())
            if fresh:
                conn.execute(insert(reference_events), fresh)
            chunk.clear()
            return len(fresh)

        with self.engine.begin() as conn:
            for rec in records:
                chunk.append(rec)
                if len(chunk) >= batch:
                    added += flush(conn)
            if chunk:
                added += flush(conn)
        return added

    def rebuild_rollups(self) -> None:
        """Recompute the roll-up tables from the events (after rows were written around ``write_article``)."""
        with self.engine.begin() as conn:
            rollup.rebuild(conn)

    def delete_all(self) -> None:
        """Remove every row (used by tests and benchmarks that rebuild a store)."""
        with self.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                if table is not store_meta:
                    conn.execute(delete(table))


def _filled_evidence(values: EventValues) -> dict[str, Any]:
    """What a new report of a stored incident adds to it: its roles and evidence where the stored ones are empty.

    The first report's values stay; an empty text, a missing interaction code or
    an unmarked ``civilian_targeting`` takes the new report's. The stored
    fatality figures are never replaced, so a death-toll phrase is taken only
    when it gives the same figures (it must explain the numbers shown beside it).
    Each value is an SQL expression of the stored row, so two ingests merging into
    one event at once cannot undo each other's fills.
    """
    filled: dict[str, Any] = {}
    for name in ("actor1", "actor2", "cue"):
        if values[name]:
            filled[name] = case((events.c[name] == "", values[name]), else_=events.c[name])
    if values["interaction"] is not None:
        filled["interaction"] = func.coalesce(events.c.interaction, values["interaction"])
    if values["civilian_targeting"]:
        filled["civilian_targeting"] = True
    if values["deaths_phrase"]:
        same_toll = and_(*(events.c[k].is_not_distinct_from(values[k])
                           for k in ("fatalities_best", "fatalities_low", "fatalities_high")))
        filled["deaths_phrase"] = case((and_(events.c.deaths_phrase == "", same_toll), values["deaths_phrase"]),
                                       else_=events.c.deaths_phrase)
    return filled


def _os_user() -> str:
    """The operating-system user of this process ("unknown" when the system cannot say)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
