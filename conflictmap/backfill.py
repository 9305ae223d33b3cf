"""Backfills: the one pipeline's geoparse and extract steps on N local processes or a Dask cluster.

``conflictmap ingest --workers N`` and ``--scheduler tcp://host:8786`` come here
(docs/BACKFILL.md). The work is cut into partitions, one per input file, and
JSONL and CSV record files into batches of lines; each partition is read,
geoparsed and extracted on a Dask worker, which loads the gazetteer index and
the geoparser once per process (``_worker_geoparser``), not once per task.

Results are written in the per-article transactions of ``Store.write_article``:

- by default the workers send (article, mentions, events) back and this
  process writes them in input order, so the store and the summary equal those
  of a serial :func:`conflictmap.pipeline.ingest_paths` of the same inputs
  (SQLite has one writer anyway);
- with ``write_from_workers`` (PostgreSQL only) each worker writes its own
  partitions. Articles, mentions and event reports are the same, but an event
  that matches an incident already stored merges into whichever report was
  written first, so the number of event rows may differ from a serial ingest
  when reports chain (A near B, B near C, A not near C), and an article given twice keeps
  the origin of the copy written first; docs/BACKFILL.md.

The planner keeps per-item errors and their origins as serial ingest reports
them: a file is split only when it is sure to be read as JSONL or CSV, at line
(JSONL) or record (CSV) boundaries, and each batch numbers its lines as the
whole file would. Anything in doubt is one partition read by the same
``read_paths`` a serial ingest uses.

Dask is imported only inside the functions that start or reach a cluster, so a
plain ``ingest`` does not pay for it.
"""
from __future__ import annotations

import codecs
import csv
import logging
import os
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from conflictmap.config import Settings, load_settings
from conflictmap.ingest import read_bytes, read_paths
from conflictmap.ingest.records import FIELDS, Line, guess_delimiter, normalise_key, read_csv, read_jsonl
from conflictmap.ingest.sources import sniff_format
from conflictmap.model import Article, Event, IngestSummary, ItemError, Mention
from conflictmap.pipeline import Geoparsing, Progress, default_geoparser, list_inputs, process_article, store_items
from conflictmap.store import Store

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

log = logging.getLogger(__name__)

#: Lines (JSONL) or records (CSV) per batch: enough work to hide a task's overhead (a few
#: milliseconds) behind its geoparsing (tens of milliseconds an article), small enough to
#: spread a single large export over every worker.
BATCH_LINES = 200
#: Bytes of a file's start looked at to decide whether it may be split (as the readers do).
_HEAD = 64 * 1024
#: Byte-order marks of UTF-16/32 text: such files are re-encoded by the reader, so never split.
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_FORMAT_NAMES = {"jsonl": "JSONL", "csv": "CSV"}
#: A record's origin: ``path:line``.
_LINE_ORIGIN = re.compile(r"^(?P<path>.*):(?P<line>\d+)$")

FILE, JSONL, CSV = "file", "jsonl", "csv"


class BackfillError(RuntimeError):
    """The cluster could not run the work (a worker cannot see an input, a worker died, ...)."""


@dataclass(frozen=True)
class Partition:
    """One task: a whole input file, or a batch of lines of a JSONL or CSV file.

    Attributes
    ----------
    path : str
        The file, as :func:`conflictmap.pipeline.list_inputs` gives it (it is the origin shown).
    file_index : int
        Its position among the input files (for progress).
    last : bool
        True for the last partition of its file.
    kind : str
        ``FILE`` (read whole with ``read_paths``), ``JSONL`` or ``CSV``.
    start, end : int
        Byte range of the batch (``JSONL``, ``CSV``).
    first_line : int
        The 1-based number of the batch's first line in the whole file.
    """

    path: str
    file_index: int
    last: bool
    kind: str = FILE
    start: int = 0
    end: int = 0
    first_line: int = 1


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one article: its mentions and events, or why it could not be geoparsed."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    error: str | None = None
    known: bool = False  # already stored when the worker looked: not geoparsed


@dataclass
class PartitionResult:
    """A worker's answer for one partition."""

    items: list[Outcome | ItemError] = field(default_factory=list)
    #: Reading stopped on an error, as a serial ingest stops reading that file: later batches are dropped.
    aborted: bool = False
    #: With worker-side writes: the counts of what the worker wrote (``items`` stays empty).
    summary: IngestSummary | None = None


# -- planning (client side) ------------------------------------------------------------------------


def plan_partitions(files: Sequence[Path], *, max_bytes: int, batch_lines: int = BATCH_LINES) -> list[Partition]:
    """Cut the input files into partitions, in input order.

    Parameters
    ----------
    files : sequence of Path
        The input files (:func:`conflictmap.pipeline.list_inputs`).
    max_bytes : int
        The size limit of a file (larger ones are one partition, which reports it).
    batch_lines : int
        Lines (JSONL) or records (CSV) per batch.

    Returns
    -------
    list of Partition
        One or more per file, in file then line order.
    """
    out: list[Partition] = []
    for index, path in enumerate(files):
        parts = _split(path, index, max_bytes, max(1, batch_lines))
        out.extend(parts or [Partition(str(path), index, True)])
    return out


def _split(path: Path, index: int, max_bytes: int, batch: int) -> list[Partition]:
    """The batches of a record file, or [] to read it whole (anything the readers might see otherwise)."""
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return []
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
    except OSError:
        return []
    if head.startswith(_WIDE_BOMS):
        return []
    fmt = sniff_format(head.decode("utf-8", errors="replace"), path.suffix.lower())
    if fmt not in (JSONL, CSV) or not _reads_as_records(head, path.name):
        return []
    try:
        ranges = _jsonl_ranges(path, batch) if fmt == JSONL else _csv_ranges(path, batch)
    except (OSError, csv.Error, UnicodeError):
        return []  # the reader will say what is wrong, for the whole file
    if len(ranges) < 2:
        return []
    return [Partition(str(path), index, i == len(ranges) - 1, fmt, start, end, first)
            for i, (start, end, first) in enumerate(ranges)]


def _reads_as_records(head: bytes, name: str) -> bool:
    """True when the readers take the file for text records: its first item has a ``:line`` origin.

    Running the real reader on the file's start keeps one rule for what is empty or binary.
    """
    first = next(read_bytes(head, name, max_bytes=len(head)), None)
    return first is not None and _LINE_ORIGIN.match(first.origin) is not None


def _jsonl_ranges(path: Path, batch: int) -> list[tuple[int, int, int]]:
    """(start byte, end byte, first line) of each run of ``batch`` lines."""
    ranges = []
    start = offset = 0
    first = number = 1
    with path.open("rb") as fh:
        for raw in fh:
            offset += len(raw)
            if number - first + 1 == batch:
                ranges.append((start, offset, first))
                start, first = offset, number + 1
            number += 1
    if offset > start:
        ranges.append((start, offset, first))
    return ranges


def _csv_ranges(path: Path, batch: int) -> list[tuple[int, int, int]]:
    """(start byte, end byte, first line) of each run of ``batch`` rows after the header.

    A quoted field may hold line breaks, so the rows are found with the csv module itself;
    a batch ends only after a row that reads (so every batch holds one and none starts inside
    a field). A header the reader would refuse leaves the file whole.
    """
    ranges: list[tuple[int, int, int]] = []
    with path.open("rb") as fh:
        # Offsets come from the raw lines, counted as the decoder pulls them (csv reads no line ahead).
        raw_lines = _RawCounter(fh)
        source = (text for _number, text, _bad in _numbered(raw_lines, 1))
        header_line = next(source, "")
        delimiter = "\t" if str(path).lower().endswith(".tsv") else guess_delimiter(header_line)
        header = next(csv.reader([header_line], delimiter=delimiter), [])
        names = [normalise_key(name).lstrip("\ufeff") for name in header]
        if not any(name in FIELDS["text"] + FIELDS["summary"] for name in names):
            return []
        reader = csv.reader(source, delimiter=delimiter)
        start, first, rows = raw_lines.bytes, 2, 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows == batch:
                ranges.append((start, raw_lines.bytes, first))
                start, first, rows = raw_lines.bytes, raw_lines.lines + 1, 0
        if rows:
            ranges.append((start, raw_lines.bytes, first))
        elif ranges:
            # Blank lines after the last full batch belong to it.
            last_start, _end, last_first = ranges.pop()
            ranges.append((last_start, raw_lines.bytes, last_first))
    return ranges


class _RawCounter:
    """Iterates a binary file's lines, counting the bytes and lines handed out so far."""

    def __init__(self, fh: Iterable[bytes]) -> None:
        self._it = iter(fh)
        self.bytes = 0
        self.lines = 0

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        raw = next(self._it)
        self.bytes += len(raw)
        self.lines += 1
        return raw


# -- reading a partition (worker side) -------------------------------------------------------------


def _numbered(raw_lines: Iterable[bytes], first: int) -> Iterator[Line]:
    """Decode lines as the file readers do: UTF-8 (a BOM dropped from line 1), else Windows-1252, flagged."""
    for number, raw in enumerate(raw_lines, first):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            yield number, raw.decode("utf-8"), False
        except UnicodeDecodeError:
            yield number, raw.decode("cp1252", errors="replace"), True


def _byte_range(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as fh:
        fh.seek(start)
        left = end - start
        for raw in fh:
            if left <= 0:
                return
            yield raw[:left]
            left -= len(raw)


def _shift(item: Article | ItemError, by: int) -> Article | ItemError:
    """The item with the line number of its origin moved by ``by`` (a batch numbered from its header)."""
    match = _LINE_ORIGIN.match(item.origin)
    if match is None or not by:
        return item
    origin = f"{match['path']}:{int(match['line']) + by}"
    return replace(item, origin=origin) if isinstance(item, Article) else ItemError(origin, item.reason)


def _batch_items(part: Partition) -> Iterator[Article | ItemError]:
    path = Path(part.path)
    if part.kind == JSONL:
        yield from read_jsonl(_numbered(_byte_range(path, part.start, part.end), part.first_line), part.path)
        return
    # CSV: the header, then the batch's rows numbered as if they followed it; origins moved after.
    with path.open("rb") as fh:
        header = next(iter(fh), b"")
    lines = _numbered([header, *_byte_range(path, part.start, part.end)], 1)
    delimiter = "\t" if part.path.lower().endswith(".tsv") else None
    for item in read_csv(lines, part.path, delimiter=delimiter):
        yield _shift(item, part.first_line - 2)


def read_partition(part: Partition, max_bytes: int) -> tuple[list[Article | ItemError], bool]:
    """The items of one partition, as a serial ingest reads them, and whether reading stopped on an error.

    Raises
    ------
    BackfillError
        The file is not there (a worker on another host that does not share the inputs).
    """
    if not os.path.lexists(part.path):
        raise BackfillError(f"the input {part.path} is not visible on this worker ({os.uname().nodename}); "
                            "workers must see the inputs at the same paths (docs/BACKFILL.md)")
    if part.kind == FILE:
        return list(read_paths([part.path], max_bytes=max_bytes)), False
    items: list[Article | ItemError] = []
    try:
        for item in _batch_items(part):
            items.append(item)
    except Exception as exc:
        # As the file reader does: an unexpected parser failure costs the rest of that file.
        log.warning("reading %s failed", part.path, exc_info=True)
        name = _FORMAT_NAMES[part.kind]
        items.append(ItemError(part.path, f"the {name} file could not be read ({type(exc).__name__}: {exc})"[:300]))
        return items, True
    return items, False


# -- what runs on a worker ---------------------------------------------------------------------------

#: Per worker process: the geoparser (loaded once), its load time, and stores by URL.
_WORKER: dict[str, Any] = {}


def _worker_geoparser() -> Geoparsing:
    """This process's geoparser, loaded on first use from the worker's own CONFLICTMAP_* settings."""
    if "geoparser" not in _WORKER:
        started = time.perf_counter()
        _WORKER["geoparser"] = default_geoparser(load_settings())
        _WORKER["load_seconds"] = time.perf_counter() - started
    return _WORKER["geoparser"]  # type: ignore[no-any-return]


def _worker_store(url: str) -> Store:
    stores: dict[str, Store] = _WORKER.setdefault("stores", {})
    if url not in stores:
        stores[url] = Store(url, create=False)  # the client made the schema
    return stores[url]


#: Geoparsed once by ``preload_worker``: the recogniser's model loads on first use, not with the index.
WARM_UP_TEXT = "Shelling killed two people in Homs, Syria, on Monday, a monitor said."


def preload_worker() -> dict[str, float]:
    """Load this worker's geoparser now (index and models); its load time and resident memory in MB."""
    if "geoparser" not in _WORKER:
        started = time.perf_counter()
        _worker_geoparser().geoparse(WARM_UP_TEXT)
        _WORKER["load_seconds"] = time.perf_counter() - started
    return {"load_seconds": float(_WORKER["load_seconds"]), "rss_mb": worker_memory()}


def worker_memory() -> float:
    """This process's resident set size in MB."""
    import psutil  # a dependency of distributed

    return float(psutil.Process().memory_info().rss / 1048576)


def run_partition(part: Partition, max_bytes: int, store_url: str | None, write: bool) -> PartitionResult:
    """Read, geoparse and extract one partition on a worker.

    Parameters
    ----------
    part : Partition
        What to read.
    max_bytes : int
        The client's size limit for a file.
    store_url : str or None
        A store the worker can reach: articles already in it are not geoparsed again.
        None when the worker cannot see the client's store (SQLite on another host).
    write : bool
        Write the articles from here (``store_url`` must be given); the result then holds counts only.

    Returns
    -------
    PartitionResult
    """
    items, aborted = read_partition(part, max_bytes)
    geoparser = _worker_geoparser()
    if write:
        assert store_url is not None
        summary = IngestSummary()
        store_items(items, _worker_store(store_url), geoparser, summary)
        return PartitionResult(aborted=aborted, summary=summary)
    store = _worker_store(store_url) if store_url else None
    result = PartitionResult(aborted=aborted)
    for item in items:
        if isinstance(item, ItemError):
            result.items.append(item)
        elif store is not None and store.has_article(item.article_id):
            result.items.append(Outcome(item, known=True))
        else:
            try:
                mentions, events = process_article(item, geoparser)
            except (ValueError, RuntimeError, MemoryError) as exc:  # as pipeline.store_items catches
                result.items.append(Outcome(item, error=str(exc)))
                continue
            result.items.append(Outcome(item, mentions, events))
    return result


# -- the client side ---------------------------------------------------------------------------------


def write_outcomes(result: PartitionResult, store: Store, summary: IngestSummary) -> None:
    """Write one partition's articles in order and count them, as ``pipeline.store_items`` does."""
    if result.summary is not None:
        _add(summary, result.summary)
        return
    for item in result.items:
        if isinstance(item, ItemError):
            summary.failed += 1
            summary.errors.append(item)
        elif item.known:
            summary.duplicate += 1
        elif item.error is not None:
            # A serial ingest checks the store before geoparsing: a stored article is a duplicate.
            if store.has_article(item.article.article_id):
                summary.duplicate += 1
            else:
                summary.failed += 1
                summary.errors.append(ItemError(item.article.origin, f"could not geoparse: {item.error}"))
        elif store.write_article(item.article, item.mentions, item.events):
            summary.new += 1
            summary.mentions += len(item.mentions)
            summary.events += len(item.events)
        else:
            summary.duplicate += 1


def _add(total: IngestSummary, part: IngestSummary) -> None:
    total.new += part.new
    total.duplicate += part.duplicate
    total.failed += part.failed
    total.mentions += part.mentions
    total.events += part.events
    total.errors.extend(part.errors)


class Backfill:
    """A connection to a Dask cluster that ingests files: a LocalCluster of its own, or a scheduler's.

    Use as a context manager; a LocalCluster it started is closed on exit.

    Parameters
    ----------
    workers : int, optional
        Start a ``LocalCluster`` of this many worker processes, one thread each.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``) instead.
    """

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None) -> None:
        if (workers is None) == (scheduler is None):
            raise ValueError("give either workers or scheduler")
        self.workers = workers
        self.scheduler = scheduler
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        #: Seconds to start (or reach) the cluster.
        self.start_seconds = 0.0
        #: Of the last ``ingest``: seconds this process spent writing, and waiting for the workers.
        self.write_seconds = self.wait_seconds = 0.0

    def __enter__(self) -> Backfill:
        from distributed import Client, LocalCluster

        started = time.perf_counter()
        if self.scheduler is not None:
            self.client = Client(self.scheduler)
        else:
            # Processes, not threads: geoparsing is pure Python and holds the GIL. No dashboard:
            # it would need a free port and bokeh, and a backfill is watched through its progress bar.
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None)
            self.client = Client(self.cluster)
        self.start_seconds = time.perf_counter() - started
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            # A worker holding a large index can take longer to exit than the nanny waits; it is
            # then killed, which is harmless here (every result is in), so that warning is muted.
            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)
            try:
                self.cluster.close()
            finally:
                nanny.setLevel(level)
        self.client = self.cluster = None

    @property
    def _client(self) -> Client:
        if self.client is None:
            raise RuntimeError("use Backfill as a context manager")
        return self.client

    @property
    def local(self) -> bool:
        """True for a LocalCluster this object started (its workers see this machine's files)."""
        return self.cluster is not None

    def worker_count(self) -> int:
        """The workers the scheduler knows now."""
        return len(self._client.scheduler_info(n_workers=-1)["workers"])

    def preload(self) -> dict[str, dict[str, float]]:
        """Load the geoparser on every worker now; per worker address, its load seconds and RSS in MB."""
        return self._client.run(preload_worker)  # type: ignore[no-any-return]

    def memory(self) -> dict[str, float]:
        """Per worker address, its resident memory in MB."""
        return self._client.run(worker_memory)  # type: ignore[no-any-return]

    def ingest(
        self,
        paths: Iterable[str | Path],
        store: Store,
        *,
        settings: Settings | None = None,
        progress: Progress | None = None,
        write_from_workers: bool = False,
        batch_lines: int = BATCH_LINES,
    ) -> IngestSummary:
        """Ingest files and folders on the cluster; as :func:`conflictmap.pipeline.ingest_paths`.

        Parameters
        ----------
        paths : iterable of str or Path
            Files or folders; the workers must see them at the same paths.
        store : Store
            Where the articles go.
        settings : Settings, optional
            For the size limit (default: from the environment). The workers load the
            gazetteer from their own environment's settings.
        progress : callable, optional
            ``progress(done, total, name)`` after each file, in input order.
        write_from_workers : bool
            PostgreSQL only: the workers write their articles themselves.
        batch_lines : int
            Lines (JSONL) or records (CSV) per partition.

        Returns
        -------
        IngestSummary
            As a serial ingest's (errors in input order).

        Raises
        ------
        ValueError
            ``write_from_workers`` with a SQLite store.
        BackfillError
            A task failed on the cluster.
        """
        settings = settings or load_settings()
        postgres = store.engine.dialect.name == "postgresql"
        if write_from_workers and not postgres:
            raise ValueError("--write-from-workers needs a PostgreSQL store: SQLite has one writer, the client")
        # Workers skip articles already stored only when they can reach this very store.
        store_url = store.url if postgres or self.local else None
        files = list_inputs(paths)
        parts = plan_partitions(files, max_bytes=settings.max_upload_bytes, batch_lines=batch_lines)
        summary = IngestSummary()
        client = self._client
        # In flight at once: enough to keep every worker busy while results are written in order,
        # few enough that the results waiting for their turn stay small.
        window = max(4, 3 * max(1, self.worker_count()))
        queue = iter(parts)
        pending: deque[tuple[Partition, Any]] = deque()

        def submit() -> None:
            part = next(queue, None)
            if part is not None:
                pending.append((part, client.submit(run_partition, part, settings.max_upload_bytes, store_url,
                                                    write_from_workers, pure=False)))

        for _ in range(window):
            submit()
        aborted: set[str] = set()
        self.write_seconds = self.wait_seconds = 0.0
        while pending:
            part, future = pending.popleft()
            waited = time.perf_counter()
            try:
                result: PartitionResult = future.result()
            except BackfillError:
                raise
            except Exception as exc:
                raise BackfillError(f"{part.path}: the task failed on the cluster ({type(exc).__name__}: {exc})") \
                    from exc
            finally:
                future.release()
            submit()
            writing = time.perf_counter()
            self.wait_seconds += writing - waited
            if part.path not in aborted or result.summary is not None:
                write_outcomes(result, store, summary)
            self.write_seconds += time.perf_counter() - writing
            if result.aborted:
                aborted.add(part.path)  # a serial ingest reads no further in this file
            if part.last and progress:
                progress(part.file_index + 1, len(files), Path(part.path).name)
        return summary


def backfill_paths(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    write_from_workers: bool = False,
) -> IngestSummary:
    """Ingest files and folders on N local worker processes or on a Dask cluster.

    Parameters
    ----------
    paths : iterable of str or Path
        Files or folders (read recursively).
    store : Store
        Where the articles go.
    workers : int, optional
        Start a LocalCluster of this many processes for this call, closed afterwards.
    scheduler : str, optional
        Or use the cluster of this scheduler (``tcp://host:8786``).
    settings, progress, write_from_workers
        As :meth:`Backfill.ingest`.

    Returns
    -------
    IngestSummary
        Equal to a serial ingest's of the same inputs.
    """
    with Backfill(workers=workers, scheduler=scheduler) as backfill:
        return backfill.ingest(paths, store, settings=settings, progress=progress,
                               write_from_workers=write_from_workers)
