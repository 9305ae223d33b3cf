"""The Feeds page: its empty state, and the state words of each feed (the server test fills it for real)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conflictmap.store import Store
from conflictmap.store.feeds import FeedRow
from conflictmap.ui.feeds import feed_state, feed_table_rows

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _row(**changes: object) -> FeedRow:
    row: dict[str, object] = {
        "feed_key": "k", "label": "Wire", "kind": "url", "source": "https://news.example/feed.xml",
        "interval_s": 600.0, "last_poll": NOW, "last_success": NOW, "failures": 0, "last_error": "",
        "last_error_at": None, "etag": "", "last_modified": "", "next_poll": NOW + timedelta(minutes=10),
        "items_ingested": 4, "last_new_item": NOW,
    }
    row.update(changes)
    return row  # type: ignore[return-value]


def test_state_words() -> None:
    assert feed_state(_row(last_poll=None), NOW) == "not polled yet"
    assert feed_state(_row(), NOW) == "ok"
    backing = feed_state(_row(failures=2, next_poll=NOW + timedelta(minutes=20)), NOW)
    assert backing == "backing off until 2024-05-01 12:20:00 UTC (2 failed polls in a row)"
    assert feed_state(_row(failures=1, next_poll=NOW - timedelta(minutes=1)), NOW) == "failing (1 failed poll in a row)"


def test_table_rows_say_when_an_error_was_and_whether_it_passed() -> None:
    failing = feed_table_rows([_row(failures=1, last_error="no answer", last_error_at=NOW)], NOW)[0]
    assert failing["last_error"] == "no answer (2024-05-01 12:00:00 UTC)"
    recovered = feed_table_rows([_row(last_error="no answer", last_error_at=NOW)], NOW)[0]
    assert recovered["last_error"].endswith("since recovered)") and recovered["state"] == "ok"


def test_a_store_without_feeds_explains_how_to_start_watching(fresh_db_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixture store has articles (so the page builds no sample store) and no feeds.
    assert Store(fresh_db_url).feed_rows() == []
    monkeypatch.setenv("CONFLICTMAP_DB", fresh_db_url)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "6_Feeds.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Watched feeds"
    assert "conflictmap watch --feeds FEEDS.toml" in at.info[0].value
    assert not at.dataframe
    st.cache_resource.clear()
