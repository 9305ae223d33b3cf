"""The store: articles, mentions, events, corrections and reference events.

SQLAlchemy Core over SQLite (WAL, so the dashboard reads while an ingest
writes) or PostgreSQL. One pipeline writes it; the dashboard reads it and
writes corrections. Every article is written with its mentions and events in
one transaction, so a killed ingest never leaves half an article behind.
"""
from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    create_engine,
    delete,
    distinct,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from conflictmap.config import Settings, load_settings
from conflictmap.model import (
    Article,
    Event,
    EventFilter,
    Mention,
    Place,
    haversine_km,
    normalise_surface,
)

#: Reports of one incident from several articles merge when they share the
#: event type, lie within this distance and this many days of each other.
MERGE_KM = 10.0
MERGE_DAYS = 1

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("url", Text, nullable=False, default=""),
    Column("publisher", Text, nullable=False, default=""),
    Column("agency", Text, nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("published", Date),
    Column("dateline", Text, nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("origin", Text, nullable=False, default=""),
    Column("warnings", Text, nullable=False, default="[]"),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_articles_published", "published"),
)

_place_columns = (
    ("place_id", String(64)),
    ("geonameid", Integer),
    ("place", Text),
    ("lat", Float),
    ("lon", Float),
    ("feature", String(16)),
    ("country_code", String(2)),
    ("admin1", Text),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.article_id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("surface", Text, nullable=False),
    Column("surface_key", Text, nullable=False),
    *(Column(name, type_) for name, type_ in _place_columns),
    Column("score", Float, nullable=False, default=0.0),
    Column("resolved_by", String(16), nullable=False, default="auto"),
    Column("metonymic", Boolean, nullable=False, default=False),
    Index("ix_mentions_article", "article_id"),
    Index("ix_mentions_place", "place_id"),
    Index("ix_mentions_surface", "surface_key"),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.article_id", ondelete="CASCADE"), nullable=False),
    Column("mention_start", Integer, nullable=False),
    Column("mention_end", Integer, nullable=False),
    Column("surface", Text, nullable=False),
    Column("surface_key", Text, nullable=False),
    *(Column(name, type_) for name, type_ in _place_columns),
    Column("event_date", Date, nullable=False),
    Column("time_precision", Integer, nullable=False),
    Column("date_phrase", Text, nullable=False, default=""),
    Column("geo_precision", Integer, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False, default=""),
    Column("actors", Text, nullable=False, default="[]"),
    Column("fatalities_best", Integer),
    Column("fatalities_low", Integer),
    Column("fatalities_high", Integer),
    Column("excerpt", Text, nullable=False),
    Column("excerpt_start", Integer, nullable=False),
    Column("excerpt_end", Integer, nullable=False),
    Column("place_start", Integer, nullable=False),
    Column("place_end", Integer, nullable=False),
    Column("sources", Integer, nullable=False, default=1),
    Index("ix_events_date", "event_date"),
    Index("ix_events_type_date", "event_type", "event_date"),
    Index("ix_events_country_date", "country_code", "event_date"),
    Index("ix_events_latlon", "lat", "lon"),
    Index("ix_events_article", "article_id"),
    Index("ix_events_surface", "surface_key"),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(32), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("actor", Text, primary_key=True),
    Index("ix_event_actors_actor", "actor"),
)

event_sources = Table(
    "event_sources",
    metadata,
    Column("event_id", String(32), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.article_id", ondelete="CASCADE"), primary_key=True),
    Column("excerpt_start", Integer, primary_key=True),
    Column("excerpt_end", Integer, nullable=False),
    Column("excerpt", Text, nullable=False),
    Index("ix_event_sources_article", "article_id"),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("surface", Text, nullable=False),
    Column("surface_key", Text, nullable=False),
    Column("article_id", String(32)),
    *(Column(name, type_) for name, type_ in _place_columns),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_corrections_surface", "surface_key"),
)

reference_events = Table(
    "reference_events",
    metadata,
    Column("ref_id", String(64), primary_key=True),
    Column("source", String(32), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("date_end", Date),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("where_text", Text, nullable=False, default=""),
    Column("admin1", Text, nullable=False, default=""),
    Column("country_code", String(2), nullable=False, default=""),
    Column("side_a", Text, nullable=False, default=""),
    Column("side_b", Text, nullable=False, default=""),
    Column("deaths_best", Integer),
    Column("deaths_low", Integer),
    Column("deaths_high", Integer),
    Column("headline", Text, nullable=False, default=""),
    Column("where_prec", Integer),
    Column("date_prec", Integer),
    Index("ix_reference_date", "event_date"),
)

#: Event columns a map layer needs (see ``Store.map_events``).
_MAP_COLUMNS = (
    "event_id", "lat", "lon", "event_type", "event_date", "time_precision", "date_phrase", "place",
    "geo_precision", "fatalities_best", "fatalities_low", "fatalities_high", "excerpt", "place_start",
    "place_end", "sources",
)

#: What a feature kind says about geographic precision when a correction moves an event.
_FEATURE_GEO_PRECISION = {"city": 1, "admin2": 2, "admin1": 3, "region": 3, "natural": 2, "country": 3}


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the dashboard) proceed while one writer ingests; the busy
    # timeout makes concurrent writers wait instead of failing with "locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Grid aggregation needs floor(); SQLite has it only when built with its math
    # functions, so provide our own (same results, deterministic).
    dbapi_connection.create_function("floor", 1, math.floor, deterministic=True)


def _place_values(place: Place | None) -> dict[str, Any]:
    if place is None:
        return {name: None for name, _ in _place_columns}
    return {
        "place_id": place.place_id,
        "geonameid": place.geonameid,
        "place": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "feature": place.feature,
        "country_code": place.country_code,
        "admin1": place.admin1,
    }


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Store:
    """A ConflictMap store at a SQLAlchemy URL.

    Parameters
    ----------
    url : str
        ``sqlite:///path.db`` or ``postgresql+psycopg://user@host/db``.
    create : bool
        Create missing tables and indexes (idempotent).
    """

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _on_sqlite_connect)
        if create:
            self._create_schema()

    def _create_schema(self) -> None:
        """Create missing tables and indexes, safe when several processes start at once."""
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    if self.engine.dialect.name == "postgresql":
                        # Serialise concurrent creators; released at commit.
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(724021)")
                    metadata.create_all(conn)
                return
            except (OperationalError, ProgrammingError, IntegrityError):
                # Another process created the same table between our check and create.
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))

    # ------------------------------------------------------------------ writing
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
        ``MERGE_KM`` and ``MERGE_DAYS``) become extra sources of that event.

        Returns
        -------
        bool
            False when the article was already stored (nothing is written).
        """
        try:
            with self.engine.begin() as conn:
                if conn.execute(
                    select(articles.c.article_id).where(articles.c.article_id == article.article_id)
                ).first():
                    return False
                fixes = self._corrections_for(conn, article.article_id)
                conn.execute(insert(articles).values(**_article_values(article)))
                if mentions_:
                    conn.execute(insert(mentions), [_mention_values(article.article_id, m, fixes) for m in mentions_])
                for ev in events_:
                    self._write_event(conn, article, ev, fixes)
        except IntegrityError:
            # Another ingest stored the same article between our check and insert.
            if self.has_article(article.article_id):
                return False
            raise
        return True

    def _write_event(self, conn: Connection, article: Article, ev: Event, fixes: dict[str, dict[str, Any]]) -> None:
        values = _event_values(article, ev, fixes)
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
            already = conn.execute(
                select(event_sources.c.event_id).where(
                    event_sources.c.event_id == existing, event_sources.c.article_id == article.article_id
                )
            ).first()
            conn.execute(insert(event_sources).values(event_id=existing, **source))
            if already is None:
                conn.execute(
                    update(events).where(events.c.event_id == existing).values(sources=events.c.sources + 1)
                )
            return
        conn.execute(insert(events).values(**values))
        conn.execute(insert(event_sources).values(event_id=values["event_id"], **source))
        if ev.actors:
            conn.execute(insert(event_actors), [{"event_id": values["event_id"], "actor": a} for a in dict.fromkeys(ev.actors)])

    def _find_same_incident(self, conn: Connection, values: dict[str, Any]) -> str | None:
        lat, lon, day = values["lat"], values["lon"], values["event_date"]
        pad = 0.15  # degrees; wider than MERGE_KM anywhere conflicts happen, refined below
        rows = conn.execute(
            select(events.c.event_id, events.c.lat, events.c.lon).where(
                events.c.event_type == values["event_type"],
                events.c.event_date.between(day - timedelta(days=MERGE_DAYS), day + timedelta(days=MERGE_DAYS)),
                events.c.lat.between(lat - pad, lat + pad),
                events.c.lon.between(lon - pad, lon + pad),
                events.c.article_id != values["article_id"],
            )
        ).all()
        for row in rows:
            if haversine_km(lat, lon, row.lat, row.lon) <= MERGE_KM:
                return row.event_id
        return None

    def _corrections_for(self, conn: Connection, article_id: str) -> dict[str, dict[str, Any]]:
        """Corrections that apply to an article, by surface key; article-specific ones win."""
        rows = conn.execute(
            select(corrections)
            .where(or_(corrections.c.article_id.is_(None), corrections.c.article_id == article_id))
            .order_by(corrections.c.article_id.is_not(None), corrections.c.id)
        ).mappings()
        return {row["surface_key"]: {name: row[name] for name, _ in _place_columns} for row in rows}

    def add_correction(self, surface: str, place: Place, article_id: str | None = None) -> int:
        """Store a user's fix (surface -> place) and apply it to stored mentions and events.

        Returns
        -------
        int
            The number of events moved.
        """
        key = normalise_surface(surface)
        values = _place_values(place)
        with self.engine.begin() as conn:
            conn.execute(
                insert(corrections).values(
                    surface=surface, surface_key=key, article_id=article_id,
                    created_at=datetime.now(timezone.utc), **values,
                )
            )
            scope_m = [mentions.c.surface_key == key]
            scope_e = [events.c.surface_key == key]
            if article_id:
                scope_m.append(mentions.c.article_id == article_id)
                scope_e.append(events.c.article_id == article_id)
            conn.execute(update(mentions).where(*scope_m).values(resolved_by="correction", score=1.0, **values))
            moved = conn.execute(
                update(events).where(*scope_e).values(
                    geo_precision=_FEATURE_GEO_PRECISION.get(place.feature, 3), **values
                )
            ).rowcount
        return int(moved or 0)

    def corrections(self) -> list[dict[str, Any]]:
        """Every stored correction, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(corrections).order_by(corrections.c.id.desc())).mappings().all()
        return [dict(r) for r in rows]

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
            seen = set(conn.execute(select(reference_events.c.ref_id).where(reference_events.c.ref_id.in_(ids))).scalars())
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

    # ------------------------------------------------------------------ reading
    def is_empty(self) -> bool:
        """True when no article is stored."""
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.article_id).limit(1)).first() is None

    def reference_count(self) -> int:
        """How many reference events are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(reference_events)).scalar_one())

    def facets(self) -> dict[str, Any]:
        """The values the dashboard's filters offer, and overall counts."""
        with self.engine.connect() as conn:
            lo, hi, n_events = conn.execute(
                select(func.min(events.c.event_date), func.max(events.c.event_date), func.count())
            ).one()
            types = conn.execute(select(events.c.event_type).distinct().order_by(events.c.event_type)).scalars().all()
            actors = conn.execute(select(event_actors.c.actor).distinct().order_by(event_actors.c.actor)).scalars().all()
            countries = conn.execute(
                select(events.c.country_code).distinct().where(events.c.country_code.is_not(None)).order_by(events.c.country_code)
            ).scalars().all()
            n_articles = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        return {
            "date_min": _as_date(lo), "date_max": _as_date(hi), "event_types": list(types),
            "actors": list(actors), "countries": [c for c in countries if c],
            "events": int(n_events), "articles": int(n_articles),
        }

    def _where(self, f: EventFilter) -> list[Any]:
        clauses: list[Any] = []
        if f.date_from:
            clauses.append(events.c.event_date >= f.date_from)
        if f.date_to:
            clauses.append(events.c.event_date <= f.date_to)
        if f.event_types:
            clauses.append(events.c.event_type.in_(f.event_types))
        if f.countries:
            clauses.append(events.c.country_code.in_(f.countries))
        if f.actors:
            clauses.append(
                exists().where(event_actors.c.event_id == events.c.event_id, event_actors.c.actor.in_(f.actors))
            )
        if f.min_fatalities > 0:
            clauses.append(func.coalesce(events.c.fatalities_best, 0) >= f.min_fatalities)
        if f.max_geo_precision < 3:
            clauses.append(events.c.geo_precision <= f.max_geo_precision)
        if f.max_time_precision < 3:
            clauses.append(events.c.time_precision <= f.max_time_precision)
        if f.text.strip():
            pattern = _like_pattern(f.text.strip())
            clauses.append(
                or_(
                    func.lower(events.c.excerpt).like(pattern, escape="\\"),
                    func.lower(articles.c.title).like(pattern, escape="\\"),
                    func.lower(events.c.place).like(pattern, escape="\\"),
                )
            )
        return clauses

    def _from(self, f: EventFilter) -> Any:
        """Events alone, or joined to articles when the filter searches titles.

        Skipping the join when it is not needed keeps aggregate queries on the
        covering index instead of one article lookup per event.
        """
        if f.text.strip():
            return events.join(articles, events.c.article_id == articles.c.article_id)
        return events

    def _event_select(self, f: EventFilter) -> Any:
        cols = [c for c in events.c if c.name != "surface_key"]
        return (
            select(*cols, articles.c.title, articles.c.url, articles.c.published)
            .select_from(events.join(articles, events.c.article_id == articles.c.article_id))
            .where(*self._where(f))
        )

    def query_events(self, f: EventFilter, limit: int | None = None) -> list[dict[str, Any]]:
        """Events matching the filter, newest first, one flat dict each."""
        stmt = self._event_select(f).order_by(events.c.event_date.desc(), events.c.event_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [_event_row(r) for r in rows]

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event by id, shaped like a ``query_events`` row, or None."""
        stmt = self._event_select(EventFilter()).where(events.c.event_id == event_id)
        with self.engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return _event_row(row) if row is not None else None

    def map_events(self, f: EventFilter, limit: int | None = None) -> list[dict[str, Any]]:
        """What a map marker and its popup need, for every matching event: a lean ``query_events``.

        Leaves out actors, offsets and provenance columns, so large layers cost
        less to fetch; ``event_date`` stays a ``date``.
        """
        cols = [events.c[name] for name in _MAP_COLUMNS]
        stmt = (
            select(*cols, articles.c.title, articles.c.url)
            .select_from(events.join(articles, events.c.article_id == articles.c.article_id))
            .where(*self._where(f))
            .order_by(events.c.event_date.desc(), events.c.event_id)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        names = (*_MAP_COLUMNS, "title", "url")
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        out = []
        for row in rows:
            d = dict(zip(names, row))
            d["event_date"] = _as_date(d["event_date"])
            out.append(d)
        return out

    def summary(self, f: EventFilter) -> dict[str, int]:
        """Events, articles, places and best-estimate fatalities in the filtered set."""
        stmt = (
            select(
                func.count(),
                func.count(distinct(events.c.article_id)),
                func.count(distinct(events.c.place_id)),
                func.coalesce(func.sum(events.c.fatalities_best), 0),
            )
            .select_from(self._from(f))
            .where(*self._where(f))
        )
        with self.engine.connect() as conn:
            n, n_art, n_places, deaths = conn.execute(stmt).one()
        return {"events": int(n), "articles": int(n_art), "places": int(n_places), "fatalities": int(deaths)}

    def counts_by_day(self, f: EventFilter) -> list[dict[str, Any]]:
        """Events per day and type in the filtered set."""
        stmt = (
            select(events.c.event_date, events.c.event_type, func.count())
            .select_from(self._from(f))
            .where(*self._where(f))
            .group_by(events.c.event_date, events.c.event_type)
            .order_by(events.c.event_date)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [{"day": _as_date(d), "event_type": t, "events": int(n)} for d, t, n in rows]

    def counts_by_country(self, f: EventFilter) -> list[dict[str, Any]]:
        """Events and fatalities per country in the filtered set."""
        stmt = (
            select(events.c.country_code, func.count(), func.coalesce(func.sum(events.c.fatalities_best), 0))
            .select_from(self._from(f))
            .where(*self._where(f))
            .group_by(events.c.country_code)
            .order_by(func.count().desc())
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [{"country_code": c or "", "events": int(n), "fatalities": int(d)} for c, n, d in rows]

    def grid_counts(self, f: EventFilter, cell_degrees: float) -> list[dict[str, Any]]:
        """Filtered events aggregated on a grid of ``cell_degrees`` cells, in the database.

        For wide views of large stores: one row per non-empty cell with the mean
        position of its events, so markers sit where the events are, not at cell
        corners.
        """
        if cell_degrees <= 0:
            raise ValueError("cell_degrees must be positive")
        gy = func.floor(events.c.lat / cell_degrees)
        gx = func.floor(events.c.lon / cell_degrees)
        stmt = (
            select(
                func.avg(events.c.lat), func.avg(events.c.lon), func.count(),
                func.coalesce(func.sum(events.c.fatalities_best), 0), func.count(distinct(events.c.place_id)),
            )
            .select_from(self._from(f))
            .where(*self._where(f))
            .group_by(gy, gx)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            {"lat": float(lat), "lon": float(lon), "events": int(n), "fatalities": int(d), "places": int(p)}
            for lat, lon, n, d, p in rows
        ]

    def event_sources(self, event_id: str) -> list[dict[str, Any]]:
        """Every article that reported an event, with the sentence it used."""
        stmt = (
            select(articles.c.article_id, articles.c.title, articles.c.url, articles.c.published, event_sources.c.excerpt)
            .select_from(event_sources.join(articles, event_sources.c.article_id == articles.c.article_id))
            .where(event_sources.c.event_id == event_id)
            .order_by(articles.c.published, event_sources.c.excerpt_start)
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings().all()]

    def list_articles(self, text: str = "", limit: int = 200) -> list[dict[str, Any]]:
        """Articles, newest first, optionally matching text in title or body."""
        n_events = select(func.count()).where(event_sources.c.article_id == articles.c.article_id).scalar_subquery()
        n_mentions = select(func.count()).where(mentions.c.article_id == articles.c.article_id).scalar_subquery()
        stmt = select(
            articles.c.article_id, articles.c.title, articles.c.published, articles.c.url, articles.c.agency,
            articles.c.dateline, articles.c.origin, n_events.label("events"), n_mentions.label("mentions"),
        )
        if text.strip():
            pattern = _like_pattern(text.strip())
            stmt = stmt.where(or_(func.lower(articles.c.title).like(pattern, escape="\\"),
                                  func.lower(articles.c.body).like(pattern, escape="\\")))
        stmt = stmt.order_by(articles.c.published.desc(), articles.c.title).limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings().all()]

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """One article with all its columns; ``warnings`` as a list."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.article_id == article_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["warnings"] = json.loads(out["warnings"] or "[]")
        return out

    def article_mentions(self, article_id: str) -> list[dict[str, Any]]:
        """Place mentions of one article in text order."""
        stmt = select(mentions).where(mentions.c.article_id == article_id).order_by(mentions.c.start)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [{k: v for k, v in r.items() if k not in ("id", "surface_key")} for r in rows]

    def article_events(self, article_id: str) -> list[dict[str, Any]]:
        """Events one article reported (including those merged into another article's event)."""
        reported = select(event_sources.c.event_id).where(event_sources.c.article_id == article_id)
        stmt = self._event_select(EventFilter()).where(events.c.event_id.in_(reported)).order_by(events.c.excerpt_start)
        with self.engine.connect() as conn:
            return [_event_row(r) for r in conn.execute(stmt).mappings().all()]

    def places(self, text: str = "", limit: int = 500) -> list[dict[str, Any]]:
        """Every resolved place with its mention and event counts and the surfaces that named it."""
        stmt = (
            select(
                mentions.c.place_id, func.max(mentions.c.place).label("name"), func.max(mentions.c.lat).label("lat"),
                func.max(mentions.c.lon).label("lon"), func.max(mentions.c.feature).label("feature"),
                func.max(mentions.c.country_code).label("country_code"), func.count().label("mentions"),
                func.max(case((mentions.c.resolved_by == "correction", 1), else_=0)).label("corrected"),
            )
            .where(mentions.c.place_id.is_not(None))
            .group_by(mentions.c.place_id)
            .order_by(func.count().desc(), func.max(mentions.c.place))
            .limit(limit)
        )
        if text.strip():
            pattern = _like_pattern(text.strip())
            stmt = stmt.where(or_(func.lower(mentions.c.place).like(pattern, escape="\\"),
                                  mentions.c.surface_key.like(pattern, escape="\\")))
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(stmt).mappings().all()]
            ids = [r["place_id"] for r in rows]
            surfaces: dict[str, set[str]] = {}
            for pid, surface in conn.execute(
                select(mentions.c.place_id, mentions.c.surface).where(mentions.c.place_id.in_(ids)).distinct()
            ):
                surfaces.setdefault(pid, set()).add(surface)
            counts = dict(
                conn.execute(
                    select(events.c.place_id, func.count()).where(events.c.place_id.in_(ids)).group_by(events.c.place_id)
                ).all()
            )
        for r in rows:
            r["surfaces"] = sorted(surfaces.get(r["place_id"], ()))
            r["events"] = int(counts.get(r["place_id"], 0))
            r["corrected"] = bool(r["corrected"])
        return rows

    def query_reference(self, f: EventFilter, limit: int | None = None) -> list[dict[str, Any]]:
        """Reference events (UCDP GED, ACLED) in the filter's date range and countries."""
        clauses = []
        if f.date_from:
            clauses.append(reference_events.c.event_date >= f.date_from)
        if f.date_to:
            clauses.append(reference_events.c.event_date <= f.date_to)
        if f.countries:
            clauses.append(reference_events.c.country_code.in_(f.countries))
        if f.min_fatalities > 0:
            clauses.append(func.coalesce(reference_events.c.deaths_best, 0) >= f.min_fatalities)
        stmt = select(reference_events).where(and_(True, *clauses)).order_by(reference_events.c.event_date.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        out = []
        for r in rows:
            d = dict(r)
            d["event_date"] = _as_date(d["event_date"])
            d["date_end"] = _as_date(d["date_end"])
            d["where"] = d.pop("where_text")
            out.append(d)
        return out

    def delete_all(self) -> None:
        """Remove every row (used by tests and benchmarks that rebuild a store)."""
        with self.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(delete(table))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def open_store(settings: Settings | None = None) -> Store:
    """Open (and create if needed) the store configured in ``settings``."""
    settings = settings or load_settings()
    if settings.db_url.startswith("sqlite:///"):
        Path(settings.db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return Store(settings.db_url)


# ---------------------------------------------------------------------- rows
def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def _article_values(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.article_id, "url": article.url, "publisher": article.publisher,
        "agency": article.agency, "title": article.title, "published": article.published,
        "dateline": article.dateline, "body": article.body, "origin": article.origin,
        "warnings": json.dumps(list(article.warnings)), "ingested_at": datetime.now(timezone.utc),
    }


def _mention_values(article_id: str, m: Mention, fixes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    key = normalise_surface(m.surface)
    fixed = fixes.get(key)
    return {
        "article_id": article_id, "start": m.start, "end": m.end, "surface": m.surface, "surface_key": key,
        **(fixed if fixed else _place_values(m.place)),
        "score": 1.0 if fixed else m.score,
        "resolved_by": "correction" if fixed else m.resolved_by,
        "metonymic": m.metonymic,
    }


def _event_values(article: Article, ev: Event, fixes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    m = ev.mention
    key = normalise_surface(m.surface)
    fixed = fixes.get(key)
    place = fixed if fixed else _place_values(m.place)
    geo_precision = _FEATURE_GEO_PRECISION.get(place["feature"] or "", 3) if fixed else ev.geo_precision
    # The locus may be named in an earlier sentence ("... in the province"): then
    # there is nothing inside the excerpt to highlight.
    inside = ev.excerpt_start <= m.start and m.end <= ev.excerpt_end
    place_start = m.start - ev.excerpt_start if inside else 0
    return {
        "event_id": ev.event_id, "article_id": article.article_id, "mention_start": m.start,
        "mention_end": m.end, "surface": m.surface, "surface_key": key, **place,
        "event_date": ev.event_date, "time_precision": ev.time_precision, "date_phrase": ev.date_phrase,
        "geo_precision": geo_precision, "event_type": ev.event_type, "sub_event_type": ev.sub_event_type,
        "actors": json.dumps(list(ev.actors)), "fatalities_best": ev.fatalities_best,
        "fatalities_low": ev.fatalities_low, "fatalities_high": ev.fatalities_high, "excerpt": ev.excerpt,
        "excerpt_start": ev.excerpt_start, "excerpt_end": ev.excerpt_end, "place_start": place_start,
        "place_end": place_start + (m.end - m.start) if inside else 0, "sources": 1,
    }


def _event_row(row: Any) -> dict[str, Any]:
    d = dict(row)
    d["actors"] = json.loads(d.get("actors") or "[]")
    d["event_date"] = _as_date(d["event_date"])
    d["published"] = _as_date(d.get("published"))
    return d
