"""The store: articles, mentions, events, corrections and reference events.

SQLAlchemy Core over SQLite (WAL, so the dashboard reads while an ingest
writes) or PostgreSQL. One pipeline writes it; the dashboard reads it and
writes corrections. Every article is written with its mentions and events in
one transaction, so a killed ingest never leaves half an article behind.

``schema`` holds the tables, ``writes`` and ``reads`` the two halves of
:class:`Store`, ``rows`` the row shapes written, ``rollup`` the summary
tables that keep wide views fast. The rest of the package uses
:class:`Store` and :func:`open_store`; the shapes of the rows a store returns
are in ``model`` (``EventRow``, ``MentionRow``, ...).
"""
from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from conflictmap.config import Settings, load_settings
from conflictmap.store import rollup
from conflictmap.store.feeds import FeedStateStore
from conflictmap.store.reads import StoreReader
from conflictmap.store.schema import DROPPED_INDEXES, add_missing_columns, metadata, on_sqlite_connect
from conflictmap.store.trends import TrendsStore
from conflictmap.store.writes import StoreWriter


class Store(StoreWriter, StoreReader, TrendsStore, FeedStateStore):
    """A ConflictMap store at a SQLAlchemy URL.

    Parameters
    ----------
    url : str
        ``sqlite:///path.db`` or ``postgresql+psycopg://user@host/db``.
    create : bool
        Create missing tables, columns and indexes, and build the roll-ups of
        a store written by an older version (idempotent).
    """

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", on_sqlite_connect)
        if create:
            self._create_schema()

    def _create_schema(self) -> None:
        """Create missing tables, columns, indexes and roll-ups, safe when several processes start at once."""
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    if self.engine.dialect.name == "postgresql":
                        # Serialise concurrent creators; released at commit.
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(724021)")
                    metadata.create_all(conn)
                    # create_all adds columns and indexes only with new tables; a store
                    # made by an older version also gets the ones added since.
                    add_missing_columns(conn)
                    for table in metadata.sorted_tables:
                        for index in table.indexes:
                            index.create(conn, checkfirst=True)
                    for name in DROPPED_INDEXES:
                        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
                    if not rollup.is_current(conn):
                        rollup.rebuild(conn)
                return
            except (OperationalError, ProgrammingError, IntegrityError):
                # Another process created the same table (column, index) between our check and create.
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def open_store(settings: Settings | None = None) -> Store:
    """Open (and create if needed) the store configured in ``settings``."""
    settings = settings or load_settings()
    if settings.db_url.startswith("sqlite:///"):
        Path(settings.db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return Store(settings.db_url)
