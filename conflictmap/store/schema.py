"""Tables of the store, and how a connection to it is set up.

``events`` is the table every view reads; ``daily_counts``, ``cell_counts``
and ``place_counts`` are roll-ups of it that the write path keeps current in
the same transaction (see ``rollup.py``), so wide aggregate views do not scan
every event. ``store_meta`` records which roll-up layout a store holds.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
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
    false,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateColumn

from conflictmap.model import EventFilter

#: Side of the roll-up grid cells in degrees; map grids are whole multiples of it.
CELL_DEGREES = 0.25

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
    # Read by ``Store.data_version`` on every dashboard rerun.
    Index("ix_articles_ingested", "ingested_at"),
)

PLACE_COLUMNS = (
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
    *(Column(name, type_) for name, type_ in PLACE_COLUMNS),
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
    *(Column(name, type_) for name, type_ in PLACE_COLUMNS),
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
    # Added after the first stores were written: ``add_missing_columns`` adds them to
    # those, so each has a server default (or is nullable) for the rows already there.
    Column("actor1", Text, nullable=False, default="", server_default=""),
    Column("actor2", Text, nullable=False, default="", server_default=""),
    Column("interaction", Integer),
    Column("civilian_targeting", Boolean, nullable=False, default=False, server_default=false()),
    Column("cue", Text, nullable=False, default="", server_default=""),
    Column("deaths_phrase", Text, nullable=False, default="", server_default=""),
    Index("ix_events_date", "event_date"),
    Index("ix_events_type_date", "event_type", "event_date"),
    Index("ix_events_country_date", "country_code", "event_date"),
    Index("ix_events_latlon", "lat", "lon"),
    Index("ix_events_article", "article_id"),
    Index("ix_events_surface", "surface_key"),
    # Probed once per place by the "places" metric (rollup.count_places).
    Index("ix_events_place_date", "place_id", "event_date"),
    # The province filter (EventFilter.admin1), which the roll-ups cannot answer, and its facet.
    Index("ix_events_admin1_date", "admin1", "event_date"),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(32), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("actor", Text, primary_key=True),
    # Covers "events with this actor" without a table lookup per row.
    Index("ix_event_actors_actor_event", "actor", "event_id"),
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
    *(Column(name, type_) for name, type_ in PLACE_COLUMNS),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("made_by", Text),  # the logged-in user, or the OS user; None in stores from before
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

daily_counts = Table(
    "daily_counts",
    metadata,
    Column("event_date", Date, primary_key=True),
    Column("event_type", String(64), primary_key=True),
    Column("country_code", String(2), primary_key=True),  # "" when unknown
    Column("events", Integer, nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("reports", Integer, nullable=False),
)

cell_counts = Table(
    "cell_counts",
    metadata,
    Column("month", Date, primary_key=True),  # first day of the month
    Column("event_type", String(64), primary_key=True),
    Column("country_code", String(2), primary_key=True),
    Column("cell_y", Integer, primary_key=True),  # floor(lat / CELL_DEGREES)
    Column("cell_x", Integer, primary_key=True),
    Column("events", Integer, nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("lat_sum", Float, nullable=False),
    Column("lon_sum", Float, nullable=False),
)

place_counts = Table(
    "place_counts",
    metadata,
    Column("place_id", String(64), primary_key=True),
    Column("country_code", String(2), primary_key=True),
    Column("events", Integer, nullable=False),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The state of ``conflictmap watch`` (written by ``store/feeds.py``): one row per watched
# feed, and one per item a feed has shown, so a restarted watch skips what it has seen.
feeds = Table(
    "feeds",
    metadata,
    Column("feed_key", String(32), primary_key=True),
    Column("label", Text, nullable=False, default=""),
    Column("kind", String(16), nullable=False, default="url"),
    Column("source", Text, nullable=False),
    Column("interval_s", Float, nullable=False, default=600.0),
    Column("last_poll", DateTime(timezone=True)),
    Column("last_success", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("last_error", Text, nullable=False, default=""),  # plain words
    Column("last_error_at", DateTime(timezone=True)),
    Column("etag", Text, nullable=False, default=""),
    Column("last_modified", Text, nullable=False, default=""),
    Column("next_poll", DateTime(timezone=True)),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("feed_key", String(32), ForeignKey("feeds.feed_key", ondelete="CASCADE"), primary_key=True),
    Column("item_hash", String(64), primary_key=True),  # of item_key, which may be long
    Column("item_key", Text, nullable=False),  # guid, link, URL or file path|mtime|size
    Column("article_id", String(32)),  # None: the item gave no article (``note`` says why)
    Column("note", Text, nullable=False, default=""),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Index("ix_feed_items_article", "article_id"),
)

#: Indexes of earlier versions that newer ones replace; dropped when a store is opened.
DROPPED_INDEXES = ("ix_event_actors_actor",)

#: Event columns a map layer needs (see ``Store.map_events``).
MAP_COLUMNS = (
    "event_id", "lat", "lon", "event_type", "event_date", "time_precision", "date_phrase", "place",
    "geo_precision", "fatalities_best", "fatalities_low", "fatalities_high", "excerpt", "place_start",
    "place_end", "sources",
)


def add_missing_columns(conn: Connection) -> list[str]:
    """Add the columns a store written by an older version lacks (``create_all`` adds none to existing tables).

    Idempotent, and safe when several processes open an old store at once: on
    PostgreSQL ``Store._create_schema`` holds a lock around it; on SQLite a column
    another process added since we looked is taken as added.

    Returns
    -------
    list of str
        ``table.column`` of every column added.
    """
    inspector = inspect(conn)
    added = []
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(f"{table.name}.{column.name} needs a server default to be added to stored rows")
            name = conn.dialect.identifier_preparer.format_table(table)
            ddl = CreateColumn(column).compile(dialect=conn.dialect)
            try:
                conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {ddl}")
            except OperationalError as exc:
                # Another SQLite process added it since we looked (a failed statement leaves
                # SQLite's transaction intact); PostgreSQL callers hold a lock, so never get here.
                if "duplicate column" not in str(exc).lower():
                    raise
                continue
            added.append(f"{table.name}.{column.name}")
    return added


def on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set up each new SQLite connection (an SQLAlchemy "connect" listener)."""
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


@dataclass(frozen=True)
class Scope:
    """Which rows a query keeps: days ``first`` .. ``last`` (inclusive), event types, countries.

    None and empty tuples mean "no restriction".
    """

    first: date | None = None
    last: date | None = None
    event_types: Sequence[str] = ()
    countries: Sequence[str] = ()

    @classmethod
    def of(cls, f: EventFilter) -> Scope:
        """The date range, event types and countries of a filter."""
        return cls(f.date_from, f.date_to, f.event_types, f.countries)


def range_clauses(table: Table, scope: Scope, date_column: str = "event_date") -> list[Any]:
    """WHERE clauses keeping ``scope`` on any table that has its columns.

    ``events``, the roll-ups and ``reference_events`` name the columns alike,
    so every query filters them the same way; a scope without event types
    suits a table without that column.
    """
    column = table.c[date_column]
    clauses: list[Any] = []
    if scope.first:
        clauses.append(column >= scope.first)
    if scope.last:
        clauses.append(column <= scope.last)
    if scope.event_types:
        clauses.append(table.c.event_type.in_(scope.event_types))
    if scope.countries:
        clauses.append(table.c.country_code.in_(scope.countries))
    return clauses
