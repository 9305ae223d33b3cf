"""A store written by an older version gains the columns added since, when it is opened.

``create_all`` adds no column to a table that exists, so ``Store`` adds them
itself (``schema.add_missing_columns``); old rows read back with the defaults.
"""
from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from conflictmap.model import EventFilter
from conflictmap.store import Store, schema
from conflictmap.store.schema import events

#: The columns ``events`` gained with ACLED's roles and the evidence of an event.
NEW_COLUMNS = ("actor1", "actor2", "interaction", "civilian_targeting", "cue", "deaths_phrase")

# The articles and events tables as the version before those columns created them
# (SQLAlchemy's SQLite DDL of that schema), with one article and its event.
_OLD_LAYOUT = """
CREATE TABLE articles (
    article_id VARCHAR(32) NOT NULL, url TEXT NOT NULL, publisher TEXT NOT NULL, agency TEXT NOT NULL,
    title TEXT NOT NULL, published DATE, dateline TEXT NOT NULL, body TEXT NOT NULL, origin TEXT NOT NULL,
    warnings TEXT NOT NULL, ingested_at DATETIME NOT NULL, PRIMARY KEY (article_id)
);
CREATE TABLE events (
    event_id VARCHAR(32) NOT NULL, article_id VARCHAR(32) NOT NULL, mention_start INTEGER NOT NULL,
    mention_end INTEGER NOT NULL, surface TEXT NOT NULL, surface_key TEXT NOT NULL, place_id VARCHAR(64),
    geonameid INTEGER, place TEXT, lat FLOAT, lon FLOAT, feature VARCHAR(16), country_code VARCHAR(2),
    admin1 TEXT, event_date DATE NOT NULL, time_precision INTEGER NOT NULL, date_phrase TEXT NOT NULL,
    geo_precision INTEGER NOT NULL, event_type TEXT NOT NULL, sub_event_type TEXT NOT NULL, actors TEXT NOT NULL,
    fatalities_best INTEGER, fatalities_low INTEGER, fatalities_high INTEGER, excerpt TEXT NOT NULL,
    excerpt_start INTEGER NOT NULL, excerpt_end INTEGER NOT NULL, place_start INTEGER NOT NULL,
    place_end INTEGER NOT NULL, sources INTEGER NOT NULL, PRIMARY KEY (event_id),
    FOREIGN KEY(article_id) REFERENCES articles (article_id) ON DELETE CASCADE
);
INSERT INTO articles VALUES ('old-article', 'https://news.example.org/old', 'Wire', 'AFP',
    'Shelling hits Douma', '2017-11-02', 'Douma, Syria', 'Shelling killed two people in Douma.', 'old.txt', '[]',
    '2017-11-02 12:00:00.000000');
INSERT INTO events VALUES ('old-event', 'old-article', 28, 33, 'Douma', 'douma', 'gn:170592', 170592, 'Douma',
    33.5722, 36.4022, 'city', 'SY', 'Rif Dimashq', '2017-11-02', 1, '', 1, 'Explosions/Remote violence',
    'Shelling/artillery/missile attack', '["Civilians"]', 2, 2, 2, 'Shelling killed two people in Douma.',
    0, 36, 28, 33, 1);
"""


def _old_store(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.executescript(_OLD_LAYOUT)
    conn.close()
    return f"sqlite:///{path}"


def _event_columns(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [c["name"] for c in inspect(conn).get_columns("events")]


def test_an_old_sqlite_store_gains_the_new_columns_and_reads_its_rows_with_defaults(tmp_path: Path) -> None:
    url = _old_store(tmp_path / "old.db")
    store = Store(url)
    assert _event_columns(store) == [c.name for c in events.columns]
    row = store.get_event("old-event")
    assert row is not None
    assert {k: row[k] for k in NEW_COLUMNS} == {
        "actor1": "", "actor2": "", "interaction": None, "civilian_targeting": False, "cue": "", "deaths_phrase": "",
    }
    assert (row["place"], row["fatalities_best"], row["actors"]) == ("Douma", 2, ["Civilians"])
    # The roll-ups are built from the old rows, and the store takes new writes.
    assert store.summary(EventFilter())["events"] == 1
    store.dispose()
    # Opening it again finds nothing to add.
    again = Store(url)
    assert _event_columns(again) == [c.name for c in events.columns]
    assert again.query_events(EventFilter(date_from=date(2017, 11, 1)))[0]["event_id"] == "old-event"
    again.dispose()


def test_processes_opening_an_old_store_at_once_each_succeed(backend_url: str) -> None:
    """On both back ends: the new columns dropped again, then several stores open it at the same moment."""
    from tests.fixtures.store_fixture import build_fixture_store

    build_fixture_store(backend_url).dispose()
    seeded = Store(backend_url)
    with seeded.engine.begin() as conn:
        for name in NEW_COLUMNS:
            conn.execute(text(f"ALTER TABLE events DROP COLUMN {name}"))
    assert not set(NEW_COLUMNS) & set(_event_columns(seeded))
    seeded.dispose()

    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_store() -> None:
        start.wait()
        try:
            Store(backend_url).dispose()
        except BaseException as exc:  # re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    store = Store(backend_url)
    assert _event_columns(store) == [c.name for c in events.columns]
    rows = store.query_events(EventFilter())
    assert len(rows) == 10
    assert {(r["cue"], r["interaction"], r["civilian_targeting"]) for r in rows} == {("", None, False)}
    store.dispose()


def test_a_column_another_process_added_since_we_looked_counts_as_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite race made certain: the look says the columns are missing, the table already has them."""
    store = Store(_old_store(tmp_path / "old.db"))
    old_columns = [{"name": c.name} for c in events.columns if c.name not in NEW_COLUMNS]

    class _StaleLook:
        def __init__(self, conn: object) -> None:
            self._real = inspect(conn)

        def get_columns(self, name: str) -> list[dict[str, str]]:
            return old_columns if name == "events" else self._real.get_columns(name)

    monkeypatch.setattr(schema, "inspect", _StaleLook)
    with store.engine.begin() as conn:
        assert schema.add_missing_columns(conn) == []
    assert _event_columns(store) == [c.name for c in events.columns]
    store.dispose()
