"""Shared fixtures: temporary stores pointed at through the environment."""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictmap.store import Store
from tests.fixtures.store_fixture import build_fixture_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def fixture_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite store seeded with the hand-built fixture (shared, read-only by convention)."""
    path = tmp_path_factory.mktemp("fixture-store") / "fixture.db"
    url = f"sqlite:///{path}"
    build_fixture_store(url).dispose()
    return url


@pytest.fixture()
def fresh_db_url(tmp_path: Path) -> str:
    """URL of a store seeded with the fixture, private to one test (for tests that write)."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    build_fixture_store(url).dispose()
    return url


@pytest.fixture()
def empty_store(tmp_path: Path) -> Store:
    """An empty store in a temporary SQLite file."""
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    yield store
    store.dispose()
