"""``conflictmap watch``: poll feeds and folders on their own schedules and ingest what is new.

The feeds come from a feeds file (:mod:`conflictmap.ingest.feedsfile`). Each
poll of a URL feed is a conditional request (the ETag and Last-Modified of the
last good answer; a 304 costs nothing more); its items are keyed
(:mod:`conflictmap.ingest.feeditems`) and those the store has not seen go
through the one pipeline (``pipeline.store_items``); a teaser's page is fetched
and read by the HTML reader first. A folder feed is a scan of the folder's
files (see below). State lives in the store (``store/feeds.py``), so a
restarted watch resumes each feed's schedule and skips every item it has seen.

Scheduling is a plain loop in one thread rather than APScheduler: the feeds
are kept in next-due order, the loop polls whatever is due and then waits on an
event until the next one is, so a signal ends the wait at once. With one thread
there is never a second writer inside this process, no job-store of its own
beside the store's ``feeds`` table, and nothing to shut down but the loop.

Errors: a feed whose poll fails (no connection, a timeout, an error status, a
body that is no feed) is retried after an exponential backoff,
``interval * 2**failures`` capped at ``BACKOFF_CAP`` (a 429/503's
``Retry-After`` is honoured within the cap), and never stops the other feeds.
Its validators are kept only after a poll that read every item, so a poll cut
short by a failure or a stop is fetched in full next time.

Stopping: SIGTERM or Ctrl-C lets the article being written finish (with its
seen-mark), then the loop ends with a summary; a fetch or a wait in progress is
cut short, and a second signal stops at once (the store's per-article
transactions keep that safe too).

Folders are scanned, not watched with watchdog: a scan of names, sizes and
modification times is what a restart needs anyway (events that happened while
the watch was down are never delivered), works on network shares where change
notification does not, and keys each file version as ``path|mtime|size`` in
the same ``feed_items`` table as feed items. A file changed within the last
``settle_seconds`` is left for the next scan, as it may still be being written.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TextIO

from conflictmap.config import Settings
from conflictmap.ingest import read_paths
from conflictmap.ingest.feeditems import DocumentError, FeedItem, read_document, read_linked_page
from conflictmap.ingest.feedsfile import FOLDER, FeedsFileError, FeedSpec, read_feeds_file
from conflictmap.ingest.fetch import Fetcher, FetchError
from conflictmap.model import Article, IngestSummary, ItemError
from conflictmap.pipeline import Geoparsing, default_geoparser, list_inputs, store_items
from conflictmap.store import Store, open_store
from conflictmap.store.feeds import FeedRow

log = logging.getLogger(__name__)

#: The longest wait between two polls of a failing feed (seconds), unless its interval is longer.
BACKOFF_CAP = 3600.0
#: The loop wakes at least this often (seconds), so a clock change cannot strand it.
_MAX_WAIT = 60.0

__all__ = ["BACKOFF_CAP", "FeedResult", "FeedsFileError", "CycleSummary", "Watcher", "backoff_delay",
           "load_feeds", "watch_feeds"]


def load_feeds(path: str | Path) -> list[FeedSpec]:
    """Read and check a feeds file; :class:`FeedsFileError` (a ``ValueError``) names the wrong table."""
    return read_feeds_file(path)


def backoff_delay(interval: float, failures: int, retry_after: float | None = None) -> float:
    """Seconds until the next poll of a feed.

    Parameters
    ----------
    interval : float
        The feed's interval.
    failures : int
        Failed polls in a row, this one included (0 after a good poll).
    retry_after : float, optional
        The wait the server asked for (429/503).

    Returns
    -------
    float
        ``interval`` after a good poll; ``interval * 2**failures`` after
        failures, at least ``retry_after``, at most ``max(BACKOFF_CAP, interval)``.
    """
    if failures <= 0:
        return interval
    cap = max(BACKOFF_CAP, interval)
    delay = interval * 2.0 ** min(failures, 30)  # the exponent is bounded: no float overflow
    return min(cap, max(delay, retry_after or 0.0))


@dataclass
class FeedResult:
    """What one poll of one feed did."""

    label: str
    new: int = 0
    duplicate: int = 0
    failed_items: int = 0
    retried: int = 0  # items left for the next poll (a teaser's page could not be fetched)
    not_modified: bool = False
    stopped: bool = False  # a stop came before every item was read
    error: str | None = None  # the feed itself failed
    next_poll: datetime | None = None


@dataclass
class CycleSummary:
    """The polls of one pass of the loop (``--once``: every feed)."""

    results: list[FeedResult] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> int:
        return sum(r.error is not None for r in self.results)

    @property
    def failed_items(self) -> int:
        return sum(r.failed_items for r in self.results)

    def line(self) -> str:
        """``3 feeds polled: 12 new articles, 1 feed failed`` (plus unchanged feeds and failed items)."""
        text = (f"{_count(len(self.results), 'feed')} polled: {_count(self.new, 'new article')}, "
                f"{_count(self.failed, 'feed')} failed")
        unchanged = sum(r.not_modified for r in self.results)
        if unchanged:
            text += f", {unchanged} unchanged"
        if self.failed_items:
            text += f"; {_count(self.failed_items, 'item')} could not be read"
        return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class _Interrupted(Exception):
    """Raised by the signal handler to cut a fetch or a wait short."""


class _Stopper:
    """The stop request: an event the loop waits on, set by SIGTERM/SIGINT or by a test."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._interruptible = False
        self._signals = 0

    def handle(self, signum: int, frame: FrameType | None) -> None:
        self._signals += 1
        self.event.set()
        # Only network waits are cut short; an article being written is finished, unless asked twice.
        if self._interruptible or self._signals > 1:
            raise _Interrupted(signal.Signals(signum).name)

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        if self.event.is_set():
            raise _Interrupted("stop requested")
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False


def _now() -> datetime:
    return datetime.now(UTC)


class Watcher:
    """Polls feeds into a store (see the module docstring).

    Parameters
    ----------
    feeds : sequence of FeedSpec
        What to watch.
    store : Store
        Where articles and feed state go.
    geoparser : Geoparsing
        Handed to the pipeline.
    settings : Settings
        For the size limit of folder files.
    fetcher : Fetcher, optional
        The HTTP client (default: a new one, closed by :meth:`close`).
    out : TextIO, optional
        Where progress lines go (default: nowhere).
    quiet : bool
        Only cycle lines and feed failures, no line per article.
    clock : callable, optional
        The current UTC time (tests pass a fake one).
    settle_seconds : float
        A folder's file modified more recently than this is left for the next scan.
    """

    def __init__(self, feeds: Sequence[FeedSpec], store: Store, geoparser: Geoparsing, settings: Settings, *,
                 fetcher: Fetcher | None = None, out: TextIO | None = None, quiet: bool = False,
                 clock: Callable[[], datetime] = _now, settle_seconds: float = 2.0) -> None:
        self.feeds = list(feeds)
        self.store = store
        self.geoparser = geoparser
        self.settings = settings
        self._own_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher()
        self.out = out
        self.quiet = quiet
        self.clock = clock
        self.settle_seconds = settle_seconds
        self.stopper = _Stopper()
        self.polls = 0
        self.new_total = 0
        self._failing: dict[str, str] = {}
        for spec in self.feeds:
            store.register_feed(spec.key, label=spec.label, kind=spec.kind, source=spec.source,
                                interval_s=spec.interval)

    # -- running ----------------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the loop to stop after the current article (safe from another thread)."""
        self.stopper.event.set()

    @property
    def stopping(self) -> bool:
        return self.stopper.event.is_set()

    def run_once(self) -> CycleSummary:
        """Poll every feed once, whatever its schedule (``--once``), and print the cycle line."""
        summary = CycleSummary()
        try:
            for spec in self.feeds:
                if self.stopping:
                    break
                summary.results.append(self.poll(spec))
        except _Interrupted:
            pass
        self._say(summary.line())
        return summary

    def run(self, *, wait: Callable[[float], object] | None = None) -> None:
        """Poll each feed when it is due until :meth:`stop` (or a signal); print a line per pass.

        Parameters
        ----------
        wait : callable, optional
            ``wait(seconds)`` until the next feed is due (default: waiting on the
            stop event, so a stop ends it at once); tests pass one that moves a fake clock.
        """
        pause = wait or self._wait
        due = {spec.key: self._first_due(spec) for spec in self.feeds}
        try:
            while not self.stopping and self.feeds:
                now = self.clock()
                ready = sorted((s for s in self.feeds if due[s.key] <= now), key=lambda s: due[s.key])
                if not ready:
                    delay = (min(due.values()) - now).total_seconds()
                    with self.stopper.interruptible():
                        pause(min(max(delay, 0.0), _MAX_WAIT))
                    continue
                summary = CycleSummary()
                for spec in ready:
                    if self.stopping:
                        break
                    result = self.poll(spec)
                    summary.results.append(result)
                    due[spec.key] = result.next_poll or now
                self._say(summary.line())
        except _Interrupted:
            pass

    def _wait(self, seconds: float) -> None:
        self.stopper.event.wait(seconds)

    def _first_due(self, spec: FeedSpec) -> datetime:
        # A restart keeps each feed's schedule (and any backoff) from the store.
        state = self.store.feed_state(spec.key)
        return (state["next_poll"] if state else None) or self.clock()

    def failing(self) -> dict[str, str]:
        """Label -> last error of each feed whose latest poll failed."""
        return dict(self._failing)

    def close(self) -> None:
        """Close the HTTP client if this watcher made it."""
        if self._own_fetcher:
            self.fetcher.close()

    # -- one poll ---------------------------------------------------------------------------------

    def poll(self, spec: FeedSpec) -> FeedResult:
        """Poll one feed, ingest its new items and record the poll in the store.

        Never raises for the feed's failures: they are recorded and returned in
        ``FeedResult.error``. A signal during a fetch ends the poll as stopped.
        """
        started = self.clock()
        state = self.store.feed_state(spec.key)
        result = FeedResult(spec.label)
        validators: tuple[str, str] | None = None
        retry_after: float | None = None
        try:
            if spec.kind == FOLDER:
                self._poll_folder(spec, result)
            else:
                validators, retry_after = self._poll_url(spec, state, result)
        except (FetchError, DocumentError, OSError) as exc:
            result.error = str(exc)
            retry_after = getattr(exc, "retry_after", None)
        except _Interrupted:
            result.stopped = True  # a signal cut a fetch short: what was written is recorded below
        except Exception as exc:  # noqa: BLE001 (one feed's surprise must not end the watch of the others)
            log.exception("polling %s failed", spec.source)
            result.error = f"unexpected error ({type(exc).__name__}: {exc})"[:300]
        failures = ((state["failures"] if state else 0) + 1) if result.error else 0
        if result.stopped or result.retried:
            validators = None  # fetch the whole document again next time
        delay = 0.0 if result.stopped else backoff_delay(spec.interval, failures, retry_after)
        result.next_poll = started + timedelta(seconds=delay)
        self.store.record_poll(spec.key, at=started, next_poll=result.next_poll, error=result.error,
                               validators=validators)
        self.polls += 1
        self.new_total += result.new
        if result.error:
            self._failing[spec.label] = result.error
            self._say(f"feed {spec.label!r} failed: {result.error}; next try in {_duration(delay)}")
        else:
            self._failing.pop(spec.label, None)
        return result

    def _poll_url(self, spec: FeedSpec, state: FeedRow | None,
                  result: FeedResult) -> tuple[tuple[str, str] | None, float | None]:
        with self.stopper.interruptible():
            answer = self.fetcher.get(spec.source, timeout=spec.timeout,
                                      etag=state["etag"] if state else "",
                                      last_modified=state["last_modified"] if state else "")
        if answer.not_modified:
            result.not_modified = True
            return None, None
        items = read_document(answer.body, spec.source)
        self._ingest_items(spec, items, result)
        return (answer.etag, answer.last_modified), None

    def _ingest_items(self, spec: FeedSpec, items: Iterable[FeedItem], result: FeedResult) -> None:
        items = list(items)
        seen = self.store.seen_items(spec.key, [i.key for i in items if i.key])
        for item in items:
            if item.key and item.key in seen:
                continue  # known: no page fetch, no geoparsing
            if self.stopping:
                result.stopped = True
                return
            seen.add(item.key)  # one key twice in a document counts once
            found = item.item
            if item.teaser and item.link:
                try:
                    with self.stopper.interruptible():
                        page = self.fetcher.get(item.link, timeout=spec.timeout)
                except FetchError as exc:
                    if isinstance(found, Article):
                        # The summary is no loss to wait with: try the page again next poll.
                        result.retried += 1
                        self._say(f"  {spec.label}: the page {item.link} could not be fetched ({exc}); "
                                  "trying again next poll", always=False)
                        continue
                    found = ItemError(item.link, f"the page behind the feed item could not be fetched ({exc})")
                else:
                    found = read_linked_page(page.body, page.url, item)
            self._store_one(spec, item.key, found, result)

    def _store_one(self, spec: FeedSpec, key: str, found: Article | ItemError, result: FeedResult) -> None:
        summary = IngestSummary()
        store_items([found], self.store, self.geoparser, summary)
        self._tally(spec, summary, result)
        if not key:
            return  # a record without a key is reported again when the document changes
        if isinstance(found, Article) and not summary.failed:
            self.store.mark_item_seen(spec.key, key, found.article_id, at=self.clock())
        else:
            reason = summary.errors[0].reason if summary.errors else "no article"
            self.store.mark_item_seen(spec.key, key, None, note=reason, at=self.clock())

    def _tally(self, spec: FeedSpec, summary: IngestSummary, result: FeedResult) -> None:
        result.new += summary.new
        result.duplicate += summary.duplicate
        result.failed_items += summary.failed
        for error in summary.errors:
            self._say(f"  {spec.label}: could not read {error.origin}: {error.reason}", always=False)

    def _poll_folder(self, spec: FeedSpec, result: FeedResult) -> None:
        folder = spec.folder
        if folder is None or not folder.is_dir():
            raise OSError(f"the folder {spec.source} does not exist (or is not a folder)")
        settled = time.time() - self.settle_seconds
        versions: dict[str, Path] = {}
        for path in list_inputs([folder]):
            try:
                info = path.stat()
            except OSError:
                continue  # removed since the listing
            if info.st_mtime > settled:
                continue  # may still be being written: the next scan takes it
            versions[f"{path.relative_to(folder)}|{info.st_mtime_ns}|{info.st_size}"] = path
        seen = self.store.seen_items(spec.key, versions)
        for key, path in versions.items():
            if key in seen:
                continue
            if self.stopping:
                result.stopped = True
                return
            summary = IngestSummary()
            stored: list[str] = []
            complete = True
            for found in read_paths([path], max_bytes=self.settings.max_upload_bytes):
                if self.stopping:
                    complete = False  # the rest of this file next time; what was written is found again
                    break
                failed = summary.failed
                store_items([found], self.store, self.geoparser, summary)
                if isinstance(found, Article) and summary.failed == failed:
                    stored.append(found.article_id)
            self._tally(spec, summary, result)
            if not complete:
                result.stopped = True
                return
            # A file may hold many stories: its mark names the first, and counts once on the Feeds page.
            note = "; ".join(e.reason for e in summary.errors)[:500]
            self.store.mark_item_seen(spec.key, key, stored[0] if stored else None, note=note, at=self.clock())

    def _say(self, line: str, *, always: bool = True) -> None:
        if self.out is not None and (always or not self.quiet):
            self.out.write(line + "\n")
            self.out.flush()


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def watch_feeds(feeds: Sequence[FeedSpec], settings: Settings, *, once: bool = False, quiet: bool = False,
                out: TextIO | None = None, geoparser: Geoparsing | None = None) -> int:
    """Run ``conflictmap watch``: one cycle (``once``) or until SIGTERM / Ctrl-C.

    Parameters
    ----------
    feeds : sequence of FeedSpec
        From :func:`load_feeds`.
    settings : Settings
        The store URL and the size limit.
    once : bool
        Poll every feed once and return.
    quiet : bool
        No line per article or item error.
    out : TextIO, optional
        Progress and summary lines.
    geoparser : Geoparsing, optional
        Default: the pipeline's default geoparser.

    Returns
    -------
    int
        0 when every feed's latest poll went well, 1 when some feed is failing.
    """
    store = open_store(settings)
    watcher = Watcher(feeds, store, geoparser or default_geoparser(settings), settings, out=out, quiet=quiet)
    previous = _install_handlers(watcher.stopper)
    try:
        if once:
            watcher.run_once()
        else:
            watcher.run()
            failing = watcher.failing()
            tail = f"; failing now: {', '.join(sorted(failing))}" if failing else ""
            watcher._say(f"watch stopped after {_count(watcher.polls, 'poll')}: "
                         f"{_count(watcher.new_total, 'new article')}{tail}")
    finally:
        _restore_handlers(previous)
        watcher.close()
        store.dispose()
    return 1 if watcher.failing() else 0


def _install_handlers(stopper: _Stopper) -> dict[int, object]:
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals reach the main thread only; a caller elsewhere stops through Watcher.stop
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, stopper.handle)
    return previous


def _restore_handlers(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]
