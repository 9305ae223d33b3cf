"""The state of ``conflictmap watch`` in the store: each feed's polls, and the items it has seen.

``feeds`` holds one row per watched feed: when it was last polled and last
polled well, how many polls in a row failed and the last error in plain words,
the validators for the next conditional request (ETag, Last-Modified) and when
it is due again. ``feed_items`` maps each item a feed has shown (its guid,
link, URL or file version) to the article it gave, so a restarted watch skips
what it has seen before fetching anything.

An item is marked right after its article is written (``Store.write_article``
is one transaction, the mark another). A kill between the two leaves the
article unmarked: the next poll reads the item again, the store's article id
finds the article already there, and the item is marked then. So a restart may
read an item twice but never stores it twice. The items ingested per feed and
its last new item are counted from ``feed_items`` when read, so no counter can
drift from the rows it counts.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypedDict

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from conflictmap.store.schema import feed_items, feeds

#: How many item hashes one ``IN (...)`` query asks about.
_CHUNK = 500


class FeedRow(TypedDict):
    """One feed as the Feeds page and the watch read it (times are UTC, None when never)."""

    feed_key: str
    label: str
    kind: str
    source: str
    interval_s: float
    last_poll: datetime | None
    last_success: datetime | None
    failures: int
    last_error: str
    last_error_at: datetime | None
    etag: str
    last_modified: str
    next_poll: datetime | None
    items_ingested: int
    last_new_item: datetime | None


_TIMES = ("last_poll", "last_success", "last_error_at", "next_poll", "last_new_item")


def item_hash(item_key: str) -> str:
    """The stored hash of an item key (keys may be long URLs)."""
    return hashlib.sha256(item_key.encode("utf-8")).hexdigest()[:40]


def utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives them back naive, in UTC as written)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class FeedStateStore:
    """The feed-state part of :class:`conflictmap.store.Store`."""

    engine: Engine

    def register_feed(self, feed_key: str, *, label: str, kind: str, source: str, interval_s: float) -> None:
        """Add a feed, or update the label and interval of one already known (its state is kept)."""
        values = {"label": label, "kind": kind, "source": source, "interval_s": float(interval_s)}
        with self.engine.begin() as conn:
            done = conn.execute(update(feeds).where(feeds.c.feed_key == feed_key).values(**values)).rowcount
        if done:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(feeds).values(feed_key=feed_key, **values))
        except IntegrityError:
            pass  # another watch registered it between our update and insert; its row will do

    def feed_rows(self) -> list[FeedRow]:
        """Every feed with its state and item counts, by label."""
        return self._feed_rows(None)

    def feed_state(self, feed_key: str) -> FeedRow | None:
        """One feed's row, or None when it was never registered."""
        rows = self._feed_rows(feed_key)
        return rows[0] if rows else None

    def _feed_rows(self, feed_key: str | None) -> list[FeedRow]:
        counts = (
            select(feed_items.c.feed_key, func.count().label("items_ingested"),
                   func.max(feed_items.c.seen_at).label("last_new_item"))
            .where(feed_items.c.article_id.is_not(None))
            .group_by(feed_items.c.feed_key)
            .subquery()
        )
        query = (
            select(feeds, func.coalesce(counts.c.items_ingested, 0).label("items_ingested"), counts.c.last_new_item)
            .select_from(feeds.outerjoin(counts, counts.c.feed_key == feeds.c.feed_key))
            .order_by(feeds.c.label, feeds.c.feed_key)
        )
        if feed_key is not None:
            query = query.where(feeds.c.feed_key == feed_key)
        with self.engine.connect() as conn:
            rows = [dict(row) for row in conn.execute(query).mappings()]
        out: list[FeedRow] = []
        for row in rows:
            row.update({name: utc(row[name]) for name in _TIMES})
            out.append(FeedRow(**row))  # type: ignore[typeddict-item]
        return out

    def seen_items(self, feed_key: str, item_keys: Iterable[str]) -> set[str]:
        """The keys among ``item_keys`` this feed has already marked seen."""
        by_hash = {item_hash(k): k for k in item_keys}
        hashes = list(by_hash)
        seen: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(hashes), _CHUNK):
                chunk = hashes[start:start + _CHUNK]
                found = conn.execute(select(feed_items.c.item_hash).where(
                    feed_items.c.feed_key == feed_key, feed_items.c.item_hash.in_(chunk))).scalars()
                seen.update(by_hash[h] for h in found)
        return seen

    def mark_item_seen(self, feed_key: str, item_key: str, article_id: str | None, *, note: str = "",
                       at: datetime | None = None) -> None:
        """Record that the feed showed ``item_key`` and which article it gave (None: none, ``note`` says why).

        Idempotent: marking an item twice (two watches, or a restart) keeps the first mark.
        """
        values: dict[str, Any] = {
            "feed_key": feed_key, "item_hash": item_hash(item_key), "item_key": item_key[:2000],
            "article_id": article_id, "note": note[:500], "seen_at": at or datetime.now(UTC),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(feed_items).values(**values))
        except IntegrityError:
            pass  # already marked

    def record_poll(self, feed_key: str, *, at: datetime, next_poll: datetime, error: str | None = None,
                    validators: tuple[str, str] | None = None) -> int:
        """Record one poll of a feed and return its count of failures in a row.

        Parameters
        ----------
        feed_key : str
            The feed (registered first).
        at : datetime
            When the poll began (UTC).
        next_poll : datetime
            When the feed is due again (the caller's schedule, with any backoff).
        error : str, optional
            Why the poll failed, in plain words; None for a good poll, which
            resets the failure count.
        validators : tuple of (str, str), optional
            ``(etag, last_modified)`` to send next time; None keeps the stored ones
            (a 304, a failure, or a poll stopped before all its items were read).
        """
        values: dict[str, Any] = {"last_poll": at, "next_poll": next_poll}
        if error is None:
            values.update(last_success=at, failures=0)
        else:
            values.update(failures=feeds.c.failures + 1, last_error=error[:500], last_error_at=at)
        if validators is not None:
            values.update(etag=validators[0][:500], last_modified=validators[1][:200])
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.feed_key == feed_key).values(**values))
            failures = conn.execute(select(feeds.c.failures).where(feeds.c.feed_key == feed_key)).scalar()
        return int(failures or 0)
