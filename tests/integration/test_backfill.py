"""Backfills on Dask workers give the store and the summary of a serial ingest.

The workers are real processes (a ``LocalCluster`` of two), so they cannot be handed a
fixture geoparser: the 52-place gazetteer slice is pickled where the index cache of a
temporary ``CONFLICTMAP_CACHE_DIR`` is looked for, and every process started here (the
workers, the CLI) loads it as "the" gazetteer in a fraction of a second.

The inputs mix record files cut into batches of lines (JSONL with bad, blank, non-UTF-8
and repeated lines; CSV with a quoted line break and a bad row) with files that give
errors (empty, binary, non-UTF-8 text), and reports of one incident on following days, so
the store's merging of events (which depends on write order) is exercised.
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, select

from conflictmap.backfill import Backfill, plan_partitions, read_partition
from conflictmap.config import load_settings
from conflictmap.geo.loader import cache_path, load_fixture
from conflictmap.ingest import read_paths
from conflictmap.model import IngestSummary
from conflictmap.pipeline import default_geoparser, ingest_paths, list_inputs
from conflictmap.store import Store
from conflictmap.store.schema import articles, event_sources, events, mentions, metadata
from tests.conftest import ROOT

SLICE = ROOT / "tests" / "fixtures" / "gazetteer_slice.json"
PLACES = ("Homs", "Damascus", "Beirut", "Kharkiv", "Benghazi", "Tripoli")


@pytest.fixture(scope="module")
def slice_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """CONFLICTMAP_CACHE_DIR pointing at a cache holding the slice as the gazetteer index (for every process)."""
    cache = tmp_path_factory.mktemp("slice-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFLICTMAP_CACHE_DIR", str(cache))
        path = cache_path(load_settings())
        path.write_bytes(pickle.dumps(load_fixture(SLICE)))
        yield {"CONFLICTMAP_CACHE_DIR": str(cache)}


def _story(i: int, place: str, day: date) -> str:
    return (f"Shelling killed {i % 7 + 2} civilians in {place} on {day:%B} {day.day}, {day.year}, "
            f"a monitor said. Residents reported heavy damage in report number {i}.")


def _inputs(root: Path) -> Path:
    """A folder of inputs; see the module docstring."""
    folder = root / "inputs"
    (folder / "more").mkdir(parents=True)
    start = date(2016, 3, 1)
    lines = []
    for i in range(14):
        # Items 0-2 report Homs on three following days: a chain only the write order decides.
        day = start + timedelta(days=i if i < 3 else 5 * i)
        place = "Homs" if i < 3 else PLACES[i % len(PLACES)]
        lines.append(json.dumps({"title": f"Shelling in {place} ({i})", "published": day.isoformat(),
                                 "url": f"https://news.example.org/{i}", "text": _story(i, place, day)}))
    lines.insert(4, "{not json")
    lines.insert(6, "")
    lines.insert(8, json.dumps({"title": "no text here"}))
    lines.insert(9, lines[1])  # the same article again
    lines.insert(11, "[1, 2]")
    raw = "\n".join(lines).encode("utf-8") + b"\n"
    raw += json.dumps({"title": "Caf\u00e9", "text": _story(99, "Beirut", start)}).encode("cp1252") + b"\n"
    (folder / "items.jsonl").write_bytes(raw)

    rows = ["title,date,text"]
    for i in range(20, 29):
        day = start + timedelta(days=3 * i)
        place = PLACES[i % len(PLACES)]
        body = _story(i, place, day)
        text = f"{body[:40]}\n{body[40:]}" if i == 22 else body  # a quoted line break
        rows.append(f'Raid on {place},{day.isoformat()},"{text}"')
    rows.insert(5, "a,b,c,d,e")  # more fields than the header
    rows.insert(7, "")
    rows.append(f'Caf\u00e9 raid,2016-09-01,"{_story(30, "Kharkiv", start)}"')
    (folder / "more" / "rows.csv").write_bytes("\n".join(rows).encode("cp1252") + b"\n")  # not UTF-8

    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes(
        ("Caf\u00e9 owners fled. " + _story(50, "Damascus", start + timedelta(days=40))).encode("cp1252"))
    (folder / "story.txt").write_text(_story(51, "Homs", start + timedelta(days=1)), encoding="utf-8")
    return folder


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table (store_meta aside), without its timestamps, sorted."""
    store = Store(url)
    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "store_meta":
                continue
            cols = [c for c in table.columns if not isinstance(c.type, DateTime)]
            out[table.name] = sorted((tuple(row) for row in conn.execute(select(*cols))), key=repr)
    store.dispose()
    return out


def _serial(inputs: Path, url: str) -> IngestSummary:
    store = Store(url)
    summary = ingest_paths([inputs], store, default_geoparser(load_settings()))
    store.dispose()
    return summary


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _inputs(tmp_path_factory.mktemp("backfill"))


@pytest.fixture(scope="module")
def serial_store(tmp_path_factory: pytest.TempPathFactory, inputs: Path,
                 slice_env: dict[str, str]) -> tuple[str, IngestSummary]:
    url = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}"
    summary = _serial(inputs, url)
    assert summary.new >= 15 and summary.failed >= 6 and summary.duplicate == 1, summary
    return url, summary


def test_batches_read_exactly_as_the_whole_file(inputs: Path) -> None:
    files = list_inputs([inputs])
    for batch in (1, 2, 3, 5):
        parts = plan_partitions(files, max_bytes=10**7, batch_lines=batch)
        split = {p.path for p in parts if p.kind != "file"}
        assert split == {str(inputs / "items.jsonl"), str(inputs / "more" / "rows.csv")}, batch
        for path in files:
            mine = [item for p in parts if p.path == str(path) for item in read_partition(p, 10**7)[0]]
            assert mine == list(read_paths([path], max_bytes=10**7)), (batch, path)
        assert [p.last for p in parts].count(True) == len(files)


def test_two_worker_processes_give_the_serial_store_and_errors(
    inputs: Path, serial_store: tuple[str, IngestSummary], tmp_path: Path, slice_env: dict[str, str]
) -> None:
    serial_url, serial = serial_store
    url = f"sqlite:///{tmp_path / 'dask.db'}"
    store = Store(url)
    seen: list[tuple[int, int, str]] = []
    with Backfill(workers=2) as backfill:
        assert backfill.worker_count() == 2
        loads = backfill.preload()
        assert len(loads) == 2 and all(v["load_seconds"] >= 0 for v in loads.values())
        summary = backfill.ingest([inputs], store, batch_lines=3,
                                  progress=lambda done, total, name: seen.append((done, total, name)))
    store.dispose()
    assert summary == serial
    assert [d for d, _t, _n in seen] == list(range(1, len(list_inputs([inputs])) + 1))
    assert _dump(url) == _dump(serial_url)


def test_a_second_backfill_finds_every_article_stored(
    inputs: Path, serial_store: tuple[str, IngestSummary], slice_env: dict[str, str]
) -> None:
    serial_url, serial = serial_store
    before = _dump(serial_url)
    store = Store(serial_url)
    with Backfill(workers=2) as backfill:
        again = backfill.ingest([inputs], store, batch_lines=4)
    store.dispose()
    assert (again.new, again.duplicate, again.failed) == (0, serial.new + serial.duplicate, serial.failed)
    assert again.errors == serial.errors
    assert _dump(serial_url) == before


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conflictmap", "ingest", *args, "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **env})


def test_cli_workers_prints_the_serial_summary(inputs: Path, tmp_path: Path, slice_env: dict[str, str]) -> None:
    serial = _cli(str(inputs), "--db", f"sqlite:///{tmp_path / 'a.db'}", env=slice_env)
    parallel = _cli(str(inputs), "--db", f"sqlite:///{tmp_path / 'b.db'}", "--workers", "2", env=slice_env)
    assert serial.returncode == parallel.returncode == 1, parallel.stderr  # the bad files fail

    def report(err: str) -> list[str]:
        return [line for line in err.splitlines() if line.startswith(("failed: ", "articles: "))]

    assert report(serial.stderr)[-1].startswith("articles: ")
    assert report(parallel.stderr) == report(serial.stderr)


def test_write_from_workers_is_refused_on_sqlite(tmp_path: Path, inputs: Path, slice_env: dict[str, str]) -> None:
    result = _cli(str(inputs), "--db", f"sqlite:///{tmp_path / 'c.db'}", "--workers", "1",
                  "--write-from-workers", env=slice_env)
    assert result.returncode == 2 and "PostgreSQL" in result.stderr


def test_postgresql_worker_writes_store_the_same_articles_and_reports(
    inputs: Path, serial_store: tuple[str, IngestSummary], pg_server: Any, slice_env: dict[str, str]
) -> None:
    """Workers writing to PostgreSQL: same articles, mentions and reports; the rest only as documented.

    A report that matches a stored incident merges into whichever was written first, so with
    reports written in another order the number of event rows may differ (docs/BACKFILL.md);
    every report is still one ``event_sources`` row of one article.
    """
    serial_url, serial = serial_store
    url = pg_server.create_database()
    store = Store(url)
    with Backfill(workers=2) as backfill:
        summary = backfill.ingest([inputs], store, batch_lines=3, write_from_workers=True)
    store.dispose()
    assert (summary.new, summary.duplicate, summary.failed, summary.mentions, summary.events) == (
        serial.new, serial.duplicate, serial.failed, serial.mentions, serial.events)
    assert summary.errors == serial.errors
    mine, theirs = _dump(url), _dump(serial_url)
    # An article given twice is stored once, but the copy a worker writes first wins: its origin
    # (``path:line``) may be the later copy's. Every other column is the serial one.
    origin_at = [c.name for c in articles.columns if not isinstance(c.type, DateTime)].index("origin")
    assert [r[:origin_at] + r[origin_at + 1:] for r in mine["articles"]] == [
        r[:origin_at] + r[origin_at + 1:] for r in theirs["articles"]]
    origins, serial_origins = ({r[0]: r[origin_at] for r in rows["articles"]} for rows in (mine, theirs))
    repeated = {f"{inputs / 'items.jsonl'}:2", f"{inputs / 'items.jsonl'}:10"}  # lines 2 and 10: one article
    moved = {key for key, origin in origins.items() if origin != serial_origins[key]}
    assert all(origins[key] in repeated and serial_origins[key] in repeated for key in moved), moved

    def without_id(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        id_at = [c.name for c in mentions.columns].index("id")
        return sorted((r[:id_at] + r[id_at + 1:] for r in rows), key=repr)

    assert without_id(mine["mentions"]) == without_id(theirs["mentions"])
    # Every report of every article is stored once, whichever event it counts for.
    keys = [c.name for c in event_sources.columns].index("article_id"), \
        [c.name for c in event_sources.columns].index("excerpt_start")
    assert sorted((r[keys[0]], r[keys[1]]) for r in mine["event_sources"]) == sorted(
        (r[keys[0]], r[keys[1]]) for r in theirs["event_sources"])
    sources_at = [c.name for c in events.columns].index("sources")
    assert sum(r[sources_at] for r in mine["events"]) == sum(r[sources_at] for r in theirs["events"])
