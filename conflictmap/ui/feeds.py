"""The Feeds page's pieces: each watched feed's health, read from the state ``conflictmap watch`` keeps.

The page only reads: the watch (a separate process) writes ``feeds`` and
``feed_items`` (``store/feeds.py``). The query is cached for ``FEEDS_TTL``
seconds, short because the watch moves the state on every poll and the rows
are few.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from conflictmap.store.feeds import FeedRow
from conflictmap.ui.resources import store_at

#: Seconds a read of the feed state is reused.
FEEDS_TTL = 5
#: Columns of the table, in order: the key in :func:`feed_table_rows` -> its heading.
COLUMNS = {
    "label": "feed", "source": "source", "last_poll": "last poll", "last_new_item": "last new item",
    "items_ingested": "items ingested", "state": "state", "last_error": "last error",
}
START_HINT = (
    "No feed is watched yet. List your feeds in a feeds file (start from `data/feeds.example.toml`) and run "
    "`conflictmap watch --feeds FEEDS.toml` beside the dashboard, or `conflictmap watch --feeds FEEDS.toml "
    "--once` from cron. Each feed then shows here with its last poll and its errors; see docs/LIVE.md."
)


@st.cache_data(ttl=FEEDS_TTL, max_entries=8, show_spinner=False)
def feed_rows(db_url: str) -> list[FeedRow]:
    """Every watched feed of the store at ``db_url`` (cached for ``FEEDS_TTL`` seconds)."""
    return store_at(db_url).feed_rows()


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


def feed_state(row: FeedRow, now: datetime) -> str:
    """The state in words: ``ok``, ``backing off until T``, ``failing`` or ``not polled yet``.

    A failing feed whose next try is ahead is backing off; one whose next try
    has passed is failing (the watch is behind, or not running).
    """
    if row["last_poll"] is None:
        return "not polled yet"
    failures = row["failures"]
    if not failures:
        return "ok"
    tries = f"{failures} failed poll{'' if failures == 1 else 's'} in a row"
    if row["next_poll"] is not None and row["next_poll"] > now:
        return f"backing off until {_when(row['next_poll'])} ({tries})"
    return f"failing ({tries})"


def feed_table_rows(rows: Sequence[FeedRow], now: datetime) -> list[dict[str, Any]]:
    """The rows of the table: plain text and numbers only (``st.dataframe`` shows them as text)."""
    out = []
    for row in rows:
        error = row["last_error"]
        if error and row["last_error_at"] is not None:
            error = f"{error} ({_when(row['last_error_at'])}{'' if row['failures'] else ', since recovered'})"
        out.append({
            "label": row["label"], "source": row["source"], "last_poll": _when(row["last_poll"]),
            "last_new_item": _when(row["last_new_item"]), "items_ingested": row["items_ingested"],
            "state": feed_state(row, now), "last_error": error,
        })
    return out


def feeds_table(db_url: str) -> None:
    """The table of watched feeds, or how to start watching when there is none."""
    rows = feed_rows(db_url)
    if not rows:
        st.info(START_HINT)
        return
    now = datetime.now(UTC)
    table = feed_table_rows(rows, now)
    failing = sum(1 for row in rows if row["failures"])
    st.caption(f"{len(rows)} feed{'' if len(rows) == 1 else 's'}, {failing} failing; as of {_when(now)} "
               f"(the state is read again after {FEEDS_TTL} s, on the next rerun).")
    config = {key: st.column_config.TextColumn(title) for key, title in COLUMNS.items() if key != "items_ingested"}
    config["items_ingested"] = st.column_config.NumberColumn(COLUMNS["items_ingested"], format="%d")
    st.dataframe(table, column_order=list(COLUMNS), column_config=config, hide_index=True, width="stretch")
