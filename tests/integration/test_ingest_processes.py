"""Real ingest processes: killed half-way, run twice at once; the store stays exact.

Each test runs ``python -m conflictmap ingest`` as a subprocess on a generated
JSONL file and compares the store it leaves with a clean, uninterrupted ingest
of the same input: same articles, same mentions, same events, no duplicates.
Runs on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conflictmap.store import Store
from conflictmap.store.schema import articles, event_sources, events, mentions
from tests.conftest import ROOT

PLACES = ("Idlib", "Hama", "Aleppo", "Douma", "Raqa", "Deir Ezzor", "Mosul", "Kirkuk", "Sanaa", "Mogadishu")
N_ITEMS = 240


def _write_items(path: Path, numbers: range) -> Path:
    # Items a week apart so no two reports merge; each names one real place.
    with path.open("w", encoding="utf-8") as out:
        for i in numbers:
            day = date(2012, 1, 1) + timedelta(days=7 * i)
            place = PLACES[i % len(PLACES)]
            text = (f"Shelling killed {i % 9 + 2} civilians in {place}, a monitor said. "
                    f"Residents reported heavy damage in report number {i}.")
            out.write(json.dumps({"id": f"item-{i}", "title": f"Shelling in {place} ({i})",
                                  "published": day.isoformat(), "url": f"https://news.example.org/{i}",
                                  "text": text}) + "\n")
    return path


def _ingest(db_url: str, *paths: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "conflictmap", "ingest", *map(str, paths), "--db", db_url,
                             "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _snapshot(db_url: str) -> dict[str, object]:
    store = Store(db_url)
    with store.engine.connect() as conn:
        snap = {
            "articles": sorted(conn.execute(select(articles.c.article_id)).scalars()),
            "mentions": conn.execute(select(func.count()).select_from(mentions)).scalar_one(),
            "events": sorted(conn.execute(select(events.c.event_id)).scalars()),
            "sources": conn.execute(select(func.count()).select_from(event_sources)).scalar_one(),
        }
    store.dispose()
    return snap


def _count_articles(db_url: str) -> int:
    store = Store(db_url)
    try:
        return store.facets()["articles"]
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def clean_snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The store an uninterrupted ingest of all items leaves behind."""
    tmp = tmp_path_factory.mktemp("clean")
    source = _write_items(tmp / "items.jsonl", range(N_ITEMS))
    url = f"sqlite:///{tmp / 'clean.db'}"
    proc = _ingest(url, source)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    snap = _snapshot(url)
    assert len(snap["articles"]) == N_ITEMS and snap["events"], snap
    return snap


def test_killed_ingest_then_rerun_leaves_no_partial_or_duplicate(backend_url: str, tmp_path: Path,
                                                                  clean_snapshot: dict[str, object]) -> None:
    source = _write_items(tmp_path / "items.jsonl", range(N_ITEMS))
    proc = _ingest(backend_url, source)
    deadline = time.monotonic() + 300
    try:
        while _count_articles(backend_url) < 20:
            assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)  # polling a subprocess's progress, not waiting for a result
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    stored = _count_articles(backend_url)
    assert 20 <= stored < N_ITEMS, "the kill did not land half-way"

    rerun = _ingest(backend_url, source)
    _out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"{N_ITEMS - stored} new, {stored} duplicate, 0 failed" in err
    assert _snapshot(backend_url) == clean_snapshot


def test_two_overlapping_ingests_at_once_store_each_article_once(backend_url: str, tmp_path: Path,
                                                                  clean_snapshot: dict[str, object]) -> None:
    first = _write_items(tmp_path / "first.jsonl", range(0, 160))
    second = _write_items(tmp_path / "second.jsonl", range(80, N_ITEMS))
    procs = [_ingest(backend_url, first), _ingest(backend_url, second)]
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert _snapshot(backend_url) == clean_snapshot
