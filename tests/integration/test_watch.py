"""``conflictmap watch`` against a real HTTP server on 127.0.0.1 (tests/fixtures/feed_server.py).

In-process tests use the fixture gazetteer slice; the process tests (SIGKILL,
SIGTERM) run ``python -m conflictmap watch`` with the full offline gazetteer,
as tests/integration/test_ingest_processes.py runs ``ingest``. Every server
is started and stopped by its test; every wait polls with a bound.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from conflictmap import cli
from conflictmap.config import load_settings
from conflictmap.geo.geoparser import Geoparser
from conflictmap.geo.loader import load_fixture
from conflictmap.ingest.feedsfile import FeedSpec, parse_feeds
from conflictmap.store import Store
from conflictmap.store.schema import articles, feed_items
from conflictmap.watch import Watcher
from tests.conftest import ROOT
from tests.fixtures.feed_server import (
    FeedServer,
    Route,
    article_page,
    atom_feed,
    page_only_sentence,
    rss_teasers,
    story,
)

SLICE = ROOT / "tests" / "fixtures" / "gazetteer_slice.json"
#: The client's timeout for the "timeout" phase: short, so the test is quick.
SHORT_TIMEOUT = 0.5


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    srv = FeedServer().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser(load_fixture(SLICE))


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'watch.db'}"


def _feeds(tmp_path: Path, text: str) -> list[FeedSpec]:
    return parse_feeds(text, tmp_path)


def _stored(db_url: str) -> list[tuple[str, str]]:
    """(url, body) of every stored article."""
    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(articles.c.url, articles.c.body))]
    finally:
        store.dispose()


def _marks(db_url: str) -> list[tuple[str, str | None]]:
    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(feed_items.c.item_key, feed_items.c.article_id))]
    finally:
        store.dispose()


def _assert_each_once(db_url: str, urls: list[str]) -> None:
    counts = Counter(url for url, _body in _stored(db_url))
    twice = [u for u, n in counts.items() if n > 1]
    assert counts == Counter(urls), f"missing: {set(urls) - set(counts)}, twice: {twice}"


# -- a feed that changes, fails and recovers --------------------------------------------------------


def test_changes_304_failures_and_recovery_lose_and_duplicate_nothing(
    server: FeedServer, geoparser: Geoparser, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = server.url("")
    server.routes["/wire.xml"] = Route(atom_feed(range(3), base, title="Wire"))
    server.routes["/steady.xml"] = Route(atom_feed(range(100, 102), base, title="Steady"))
    feeds = _feeds(tmp_path, f'[[feed]]\nlabel = "Wire"\nurl = "{server.url("/wire.xml")}"\ninterval = 60\n'
                             f'timeout = {SHORT_TIMEOUT}\n'
                             f'[[feed]]\nlabel = "Steady"\nurl = "{server.url("/steady.xml")}"\ninterval = 60\n')
    wire, steady = feeds
    store = Store(db_url)
    watcher = Watcher(feeds, store, geoparser, load_settings())

    def cycle() -> dict[str, object]:
        return {r.label: r for r in watcher.run_once().results}

    first = cycle()
    assert (first["Wire"].new, first["Steady"].new) == (3, 2)

    # Unchanged: both feeds are asked conditionally and answered 304.
    second = cycle()
    assert second["Wire"].not_modified and second["Steady"].not_modified
    last = server.requests_to("/wire.xml")[-1]
    assert last.status == 304 and last.if_none_match == server.routes["/wire.xml"].etag

    # The feed gains two items, but fails three ways before they can be read.
    route = server.routes["/wire.xml"]
    route.set_body(atom_feed(range(5), base, title="Wire"))
    errors = []
    for mode, words in (("500", "the server answered 500 Internal Server Error"),
                        ("timeout", f"did not answer within {SHORT_TIMEOUT:g} seconds"),
                        ("broken", "the feed is cut off or broken")):
        route.mode = mode
        started = time.monotonic()
        results = cycle()
        assert time.monotonic() - started < 10 * SHORT_TIMEOUT + 5, "a timeout was not bounded"
        assert words in (results["Wire"].error or ""), results["Wire"].error
        assert results["Steady"].error is None  # the failing feed never stops the other
        errors.append(store.feed_state(wire.key))
    assert [e["failures"] for e in errors] == [1, 2, 3]
    state = errors[-1]
    assert "cut off or broken" in state["last_error"]
    # Backing off: interval 60 s * 2**3 after the third failure.
    assert 470 < (state["next_poll"] - state["last_poll"]).total_seconds() < 490
    assert state["etag"] == errors[0]["etag"]  # validators of the last good poll, never of a failed one

    # The Feeds page shows the failing feed, its error and its backoff.
    monkeypatch.setenv("CONFLICTMAP_DB", db_url)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "6_Feeds.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    row = table[table["label"] == "Wire"].iloc[0]
    assert "backing off until" in row["state"] and "3 failed polls" in row["state"]
    assert "cut off or broken" in row["last_error"]
    assert table[table["label"] == "Steady"].iloc[0]["state"] == "ok"
    assert int(row["items_ingested"]) == 3

    # Recovery: the two new items arrive, nothing else is stored again.
    route.mode = "ok"
    recovered = cycle()
    assert recovered["Wire"].new == 2 and recovered["Wire"].error is None
    assert store.feed_state(wire.key)["failures"] == 0
    assert store.feed_state(steady.key)["items_ingested"] == 2
    urls = [f"{base}/story/{n}" for n in (*range(5), 100, 101)]
    _assert_each_once(db_url, urls)
    assert len(_marks(db_url)) == 7
    watcher.close()
    store.dispose()
    st.cache_resource.clear()


# -- the command, once ------------------------------------------------------------------------------


def test_watch_once_stores_exactly_the_new_items(server: FeedServer, geoparser: Geoparser, db_url: str,
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("conflictmap.watch.default_geoparser", lambda settings=None: geoparser)
    base = server.url("")
    server.routes["/feed.xml"] = Route(atom_feed(range(3), base))
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'[[feed]]\nurl = "{server.url("/feed.xml")}"\n', encoding="utf-8")
    argv = ["watch", "--feeds", str(feeds_file), "--once", "--db", db_url, "--quiet"]
    assert cli.main(argv) == 0
    assert "1 feed polled: 3 new articles, 0 feeds failed" in capsys.readouterr().err
    _assert_each_once(db_url, [f"{base}/story/{n}" for n in range(3)])

    server.routes["/feed.xml"].set_body(atom_feed(range(1, 6), base))  # 0 dropped, 3..5 new
    assert cli.main(argv) == 0
    assert "1 feed polled: 3 new articles, 0 feeds failed" in capsys.readouterr().err
    _assert_each_once(db_url, [f"{base}/story/{n}" for n in range(6)])

    # A feed that fails makes the exit code 1; the other is still polled.
    server.routes["/feed.xml"].set_body(atom_feed(range(1, 7), base))
    feeds_file.write_text(feeds_file.read_text() + f'[[feed]]\nurl = "{server.url("/gone.xml")}"\n')
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert "2 feeds polled: 1 new article, 1 feed failed" in err and "404 Not Found" in err
    _assert_each_once(db_url, [f"{base}/story/{n}" for n in range(7)])


def test_a_bad_feeds_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "feeds.toml"
    bad.write_text('[[feed]]\nlabel = "Nowhere"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        cli.main(["watch", "--feeds", str(bad), "--once"])
    assert info.value.code == 2
    assert "feed 1 (label 'Nowhere'): give exactly one of url and folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["watch", "--feeds", str(tmp_path / "missing.toml")])
    assert "no such file" in capsys.readouterr().err


# -- teasers ----------------------------------------------------------------------------------------


def test_a_teaser_is_read_from_the_page_behind_its_link(server: FeedServer, geoparser: Geoparser, db_url: str,
                                                        tmp_path: Path) -> None:
    base = server.url("")
    server.routes["/teasers.xml"] = Route(rss_teasers([7, 8], base), content_type="application/rss+xml")
    server.routes["/page/7.html"] = Route(article_page(7), content_type="text/html")
    server.routes["/page/8.html"] = Route(article_page(8), content_type="text/html", mode="500")
    feeds = _feeds(tmp_path, f'[[feed]]\nurl = "{server.url("/teasers.xml")}"\n')
    store = Store(db_url)
    watcher = Watcher(feeds, store, geoparser, load_settings())
    result = watcher.poll(feeds[0])
    assert (result.new, result.retried) == (1, 1)  # page 8 failed: left for the next poll
    [(url, body)] = _stored(db_url)
    assert url == f"{base}/page/7.html"
    assert page_only_sentence(7) in body and story(7)[1].split(",")[0] in body
    assert store.feed_state(feeds[0].key)["etag"] == ""  # not kept: the feed is read in full again

    server.routes["/page/8.html"].mode = "ok"
    again = watcher.poll(feeds[0])
    assert again.new == 1 and not again.not_modified
    assert [r.path for r in server.log].count("/page/7.html") == 1  # a seen item's page is never fetched again
    assert any(page_only_sentence(8) in body for _url, body in _stored(db_url))
    assert watcher.poll(feeds[0]).not_modified  # everything read: now the validators are kept
    watcher.close()
    store.dispose()


# -- folders ----------------------------------------------------------------------------------------


def _write_story(folder: Path, number: int) -> Path:
    title, text = story(number)
    path = folder / f"story-{number}.txt"
    path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    old = time.time() - 60
    os.utime(path, (old, old))  # settled: not a file still being written
    return path


def test_a_folder_feed_ingests_new_files_once_across_restarts(geoparser: Geoparser, db_url: str,
                                                              tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for n in (1, 2):
        _write_story(drop, n)
    (drop / "README.md").write_text("About this folder.\n", encoding="utf-8")  # not news: skipped
    fresh = drop / "story-9.txt"
    fresh.write_text("\n\n".join(story(9)) + "\n", encoding="utf-8")  # just written: left for a later scan
    feeds = _feeds(tmp_path, '[[feed]]\nfolder = "drop"\n')
    store = Store(db_url)

    def run() -> int:
        watcher = Watcher(feeds, store, geoparser, load_settings(), settle_seconds=30)
        try:
            return watcher.run_once().new
        finally:
            watcher.close()

    assert run() == 2
    assert run() == 0  # a restart: the same files are not read again
    _write_story(drop, 3)
    assert run() == 1
    old = time.time() - 60
    os.utime(fresh, (old, old))
    assert run() == 1
    assert len(_stored(db_url)) == 4
    assert store.feed_state(feeds[0].key)["items_ingested"] == 4
    store.dispose()


# -- real processes: SIGKILL and SIGTERM ------------------------------------------------------------

N_SLOW = 12


def _slow_teaser_server(server: FeedServer) -> list[str]:
    """A feed of teasers whose pages answer slowly, so a signal lands mid-cycle; returns the page URLs."""
    base = server.url("")
    numbers = list(range(200, 200 + N_SLOW))
    server.routes["/slow.xml"] = Route(rss_teasers(numbers, base), content_type="application/rss+xml")
    for n in numbers:
        server.routes[f"/page/{n}.html"] = Route(article_page(n), content_type="text/html", delay=0.4)
    return [f"{base}/page/{n}.html" for n in numbers]


def _watch(feeds_file: Path, db_url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "conflictmap", "watch", "--feeds", str(feeds_file),
                             "--db", db_url, *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for_articles(proc: subprocess.Popen, db_url: str, count: int, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while not Path(db_url.removeprefix("sqlite:///")).exists() or len(_stored(db_url)) < count:
        assert proc.poll() is None, f"watch ended early: {proc.stderr.read()}"
        assert time.monotonic() < deadline, "watch stored nothing in time"
        time.sleep(0.05)  # polling another process's progress, not waiting for a result


@pytest.mark.slow
def test_sigkill_mid_cycle_then_restart_loses_and_duplicates_nothing(server: FeedServer, db_url: str,
                                                                     tmp_path: Path) -> None:
    urls = _slow_teaser_server(server)
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'[[feed]]\nurl = "{server.url("/slow.xml")}"\ninterval = 3600\n', encoding="utf-8")
    proc = _watch(feeds_file, db_url)
    try:
        _wait_for_articles(proc, db_url, 1)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    stored = len(_stored(db_url))
    assert 1 <= stored < N_SLOW, "the kill did not land mid-cycle"

    rerun = _watch(feeds_file, db_url, "--once")
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"1 feed polled: {N_SLOW - stored} new articles, 0 feeds failed" in err
    _assert_each_once(db_url, urls)
    assert sorted(key for key, _ in _marks(db_url)) == sorted(f"teaser-{n}" for n in range(200, 200 + N_SLOW))


@pytest.mark.slow
def test_sigterm_finishes_the_current_article_and_exits_cleanly(server: FeedServer, db_url: str,
                                                                 tmp_path: Path) -> None:
    urls = _slow_teaser_server(server)
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'[[feed]]\nurl = "{server.url("/slow.xml")}"\ninterval = 3600\n', encoding="utf-8")
    proc = _watch(feeds_file, db_url)
    try:
        _wait_for_articles(proc, db_url, 1)
        os.kill(proc.pid, signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == 0, err
    assert "watch stopped after 1 poll" in err
    stored = _stored(db_url)
    assert len(stored) < N_SLOW, "the stop did not come mid-cycle"
    # Every article written is whole and marked seen: the stop came between articles.
    marked = {article_id for _key, article_id in _marks(db_url)}
    store = Store(db_url)
    with store.engine.connect() as conn:
        ids = set(conn.execute(select(articles.c.article_id)).scalars())
    store.dispose()
    assert ids == marked
    assert all(page_only_sentence(int(url.rsplit("/", 1)[1].split(".")[0])) in body for url, body in stored)

    rerun = _watch(feeds_file, db_url, "--once", "--quiet")
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    _assert_each_once(db_url, urls)
