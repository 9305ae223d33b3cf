"""Shared fixtures: temporary stores on SQLite and PostgreSQL, pointed at by URL."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflictmap.store import Store
from tests.fixtures.postgres import PostgresServer, start_server
from tests.fixtures.store_fixture import build_fixture_store

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def fixture_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite store seeded with the hand-built fixture (shared: do not write to it)."""
    path = tmp_path_factory.mktemp("fixture-store") / "fixture.db"
    url = f"sqlite:///{path}"
    build_fixture_store(url).dispose()
    return url


@pytest.fixture()
def fresh_db_url(tmp_path: Path) -> str:
    """URL of a SQLite store seeded with the fixture, private to one test (for tests that write)."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    build_fixture_store(url).dispose()
    return url


@pytest.fixture()
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in a temporary SQLite file."""
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server on a Unix socket; a skip with the reason when none can start.

    Under CI=true the server is required: not being able to start it fails the tests.
    """
    try:
        server = start_server()
    except RuntimeError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL store tests must run under CI=true, but: {exc}")
        pytest.skip(f"PostgreSQL store tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database on each store back end in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture()
def seeded_url(backend_url: str) -> str:
    """``backend_url`` holding the hand-built fixture store."""
    build_fixture_store(backend_url).dispose()
    return backend_url
