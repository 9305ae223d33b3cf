"""Command line: ``python -m conflictmap COMMAND ...``.

One function per command (``_cmd_ingest``, ``_cmd_geoparse``, ...), looked up in
``_COMMANDS``: each checks what argparse cannot (files that must exist, option
pairs), then makes one call into the library (``pipeline``, ``export``,
``store``), as sqlite-utils' cli.py does over its db.py. The CLI never reaches
into ``geo/``: the geoparser comes through ``pipeline`` (docs/ARCHITECTURE.md).

Exit codes: 0 success, 1 some inputs failed (the rest were processed), 2 usage
errors (unknown command, missing file, bad option), written as one line on stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from conflictmap import __version__
from conflictmap.config import Settings, load_settings
from conflictmap.model import EventFilter, IngestSummary

# The commands import pipeline, store and export when they run, so that
# ``--help`` and usage errors answer without loading SQLAlchemy or the geoparser.

_EPILOG = (
    "exit codes: 0 ok, 1 some inputs failed (the others were processed), 2 usage error. "
    "How the pipeline works: docs/ARCHITECTURE.md."
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class _UsageError(Exception):
    """A command's arguments are wrong in a way argparse cannot see; exit code 2."""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of 1 or more: {text!r}")
    return int(text)


def _build_parser() -> _Parser:
    parser = _Parser(prog="conflictmap", description="Conflict news to dated, geolocated events.", epilog=_EPILOG)
    parser.add_argument("--version", action="version", version=f"conflictmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("ingest", help="read article files/folders into the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (read recursively)")
    p.add_argument("--db", help="store URL (default: CONFLICTMAP_DB or data/conflictmap.db)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    # Backfills on Dask (docs/BACKFILL.md): the same work on N local processes or a cluster.
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N", help="geoparse on N local worker processes")
    where.add_argument("--scheduler", metavar="URL", help="geoparse on a running Dask cluster (tcp://host:8786)")
    p.add_argument("--write-from-workers", action="store_true",
                   help="PostgreSQL: workers write their articles (with --workers or --scheduler)")

    p = sub.add_parser("geoparse", help="JSONL in, places with coordinates out (see docs/ARCHITECTURE.md)")
    p.add_argument("--in", dest="infile", help="input JSONL (default: stdin)")
    p.add_argument("--out", dest="outfile", help="output JSONL (default: stdout)")

    p = sub.add_parser("export", help="write the events (filtered) as GeoJSON, CSV or GeoPackage")
    p.add_argument("--format", required=True, choices=("geojson", "csv", "gpkg"))
    p.add_argument("--out", help="output file (default: stdout; required for gpkg)")
    p.add_argument("--db", help="store URL")
    p.add_argument("--from", dest="date_from", type=_iso_date, help="first event date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_iso_date, help="last event date, YYYY-MM-DD")
    p.add_argument("--type", dest="types", action="append", default=[], help="event type (repeatable)")
    p.add_argument("--country", dest="countries", action="append", default=[], help="ISO country code (repeatable)")
    p.add_argument("--admin1", action="append", default=[],
                   help="first-level unit (province, governorate, oblast) by name (repeatable)")
    p.add_argument("--actor", dest="actors", action="append", default=[], help="actor (repeatable)")
    p.add_argument("--text", default="", help="text in title or excerpt")
    p.add_argument("--min-fatalities", type=int, default=0)

    p = sub.add_parser("reference", help="import UCDP GED or ACLED CSV exports as the reference layer")
    p.add_argument("paths", nargs="+", metavar="CSV")
    p.add_argument("--db", help="store URL")

    p = sub.add_parser("sample", help="build the store from the bundled sample data (data/samples, data/reference)")
    p.add_argument("--db", help="store URL")
    p.add_argument("--if-empty", action="store_true", help="do nothing when the store already holds articles")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("alerts", help="units (admin1, country) whose last 7 days of violence surged (docs/ALERTS.md)")
    p.add_argument("--json", action="store_true", help="a JSON list instead of the table")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE",
                   help="last day of the 7 days, YYYY-MM-DD (default: the latest event date)")
    p.add_argument("--atom", metavar="FILE", help="also write the alerts as an Atom feed to FILE")
    p.add_argument("--base-url", default=None, metavar="URL",
                   help="the dashboard's address the alerts link to (default: http://localhost:8501/)")
    p.add_argument("--db", help="store URL")

    p = sub.add_parser("watch", help="poll the feeds and folders of a feeds file and ingest new items (docs/LIVE.md)",
                       description="Polls each [[feed]] of FEEDS.toml on its own interval until SIGTERM or Ctrl-C; "
                                   "state is kept in the store, so a restart resumes without re-ingesting.")
    p.add_argument("--feeds", required=True, metavar="FEEDS.toml", help="the feeds file (data/feeds.example.toml)")
    p.add_argument("--once", action="store_true", help="poll every feed once, then exit (for cron and tests)")
    p.add_argument("--db", help="store URL")
    p.add_argument("--quiet", action="store_true", help="only the line per cycle and feed failures")

    p = sub.add_parser("gazetteer", help="the offline gazetteer: add, list, remove sources; search; build",
                       description="With no action: build (or load) the index. Added files live in "
                                   "<data dir>/gazetteer/added/ (CONFLICTMAP_DATA_DIR).")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    a = actions.add_parser("add", help="import GeoNames dumps (XX.txt, XX.zip, allCountries.zip, cities1000.zip) "
                                       "or Who's On First extracts, then rebuild the index")
    a.add_argument("files", nargs="+", metavar="FILE")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    actions.add_parser("list", help="the sources (committed and added) and their place counts")
    a = actions.add_parser("remove", help="drop an added source, then rebuild the index")
    a.add_argument("name", metavar="NAME", help="as `gazetteer list` shows it")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    a = actions.add_parser("search", help="look names up: up to ten places each")
    a.add_argument("names", nargs="+", metavar="NAME")
    a = actions.add_parser("build", help="build the index (or load it when the cache is current)")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


_GAZETTEER_ACTIONS = ("add", "list", "remove", "search", "build")


def _legacy_gazetteer(argv: list[str]) -> list[str]:
    """``gazetteer NAME...`` (before ``search`` existed) as ``gazetteer search NAME...``, with a warning."""
    if len(argv) > 1 and argv[0] == "gazetteer" and argv[1] not in _GAZETTEER_ACTIONS and not argv[1].startswith("-"):
        sys.stderr.write("conflictmap: `gazetteer NAME` is deprecated; use `gazetteer search NAME`\n")
        return ["gazetteer", "search", *argv[1:]]
    return argv


# -- helpers shared by the commands ---------------------------------------------------------------


def _settings(db: str | None) -> Settings:
    settings = load_settings()
    return replace(settings, db_url=db) if db else settings


def _progress_printer(stream: TextIO, quiet: bool) -> Callable[[int, int, str], None] | None:
    if quiet or not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def _build_progress(stream: TextIO, quiet: bool) -> Callable[[str, int, int], None] | None:
    """``progress(step, done, total)`` for the index build: a bar on a terminal, else a line per step."""
    if quiet:
        return None
    tty = stream.isatty()
    last = [""]

    def show(step: str, done: int, total: int) -> None:
        if tty:
            width = 30
            filled = width * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {step[:20]:<20} {done}/{total}")
            if done >= total:
                stream.write("\n")
        elif step != last[0] or done >= total:
            # A log gets the start and end of each step, not a line per tick.
            stream.write(f"gazetteer index: {step} {done}/{total}\n")
        last[0] = step
        stream.flush()

    return show


def _announce_gazetteer_build(settings: Settings, err: TextIO) -> None:
    """Say so before a gazetteer build (the first, or after its sources changed), which takes a minute or more."""
    from conflictmap.pipeline import gazetteer_is_built

    if not gazetteer_is_built(settings):
        err.write(f"building the offline gazetteer index into {settings.cache_dir} "
                  "(once per change of its sources; a minute or more)...\n")
        err.flush()


def _report(summary: IngestSummary, err: TextIO) -> int:
    for item in summary.errors:
        err.write(f"failed: {item.origin}: {item.reason}\n")
    err.write(
        f"articles: {summary.new} new, {summary.duplicate} duplicate, {summary.failed} failed; "
        f"mentions: {summary.mentions}; events: {summary.events}\n"
    )
    return 1 if summary.failed else 0


def _require_paths(paths: Sequence[str]) -> None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise _UsageError(f"no such file or folder: {missing[0]}")


@contextlib.contextmanager
def _text_files(infile: str | None, outfile: str | None) -> Iterator[tuple[TextIO, TextIO]]:
    """The named input and output files (stdin and stdout when not named), closed afterwards."""
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(open(infile, encoding="utf-8", errors="replace")) if infile else sys.stdin
        target = stack.enter_context(open(outfile, "w", encoding="utf-8")) if outfile else sys.stdout
        yield source, target


def _event_filter(args: argparse.Namespace) -> EventFilter:
    return EventFilter(
        date_from=args.date_from, date_to=args.date_to, event_types=tuple(args.types),
        actors=tuple(args.actors), countries=tuple(c.upper() for c in args.countries),
        admin1=tuple(args.admin1), text=args.text, min_fatalities=args.min_fatalities,
    )


# -- the commands: each returns the exit code -----------------------------------------------------


def _cmd_ingest(args: argparse.Namespace) -> int:
    _require_paths(args.paths)
    from conflictmap.pipeline import default_geoparser, ingest_paths
    from conflictmap.store import open_store

    settings = _settings(args.db)
    progress = _progress_printer(sys.stderr, args.quiet)
    if args.workers or args.scheduler:
        return _backfill(args, settings, progress)
    store = open_store(settings)
    if args.write_from_workers:
        raise _UsageError("--write-from-workers needs --workers or --scheduler")
    _announce_gazetteer_build(settings, sys.stderr)
    summary = ingest_paths(args.paths, store, default_geoparser(settings), settings=settings, progress=progress)
    return _report(summary, sys.stderr)


def _backfill(args: argparse.Namespace, settings: Settings, progress: Callable[[int, int, str], None] | None) -> int:
    """``ingest --workers N`` / ``--scheduler URL``: the same summary and exit codes as a serial ingest."""
    from conflictmap.backfill import BackfillError, backfill_paths
    from conflictmap.store import open_store

    store = open_store(settings)
    if args.write_from_workers and store.engine.dialect.name != "postgresql":
        raise _UsageError("--write-from-workers needs a PostgreSQL store (SQLite is written by this process)")
    if args.workers:
        _announce_gazetteer_build(settings, sys.stderr)  # local workers share this machine's index cache
    try:
        summary = backfill_paths(args.paths, store, workers=args.workers, scheduler=args.scheduler,
                                 settings=settings, progress=progress, write_from_workers=args.write_from_workers)
    except (BackfillError, OSError) as exc:
        sys.stderr.write(f"failed: the backfill stopped: {exc}\n")
        return 1
    return _report(summary, sys.stderr)


def _cmd_sample(args: argparse.Namespace) -> int:
    from conflictmap.pipeline import build_sample_store
    from conflictmap.store import open_store

    settings = _settings(args.db)
    store = open_store(settings)
    if args.if_empty and not store.is_empty():
        sys.stderr.write(f"store already holds articles: {settings.db_url}\n")
        return 0
    _announce_gazetteer_build(settings, sys.stderr)
    summary = build_sample_store(store, settings=settings, progress=_progress_printer(sys.stderr, args.quiet))
    return _report(summary, sys.stderr)


def _cmd_geoparse(args: argparse.Namespace) -> int:
    if args.infile and not Path(args.infile).is_file():
        raise _UsageError(f"no such file: {args.infile}")
    from conflictmap.pipeline import geoparse_jsonl

    with _text_files(args.infile, args.outfile) as (source, target):
        ok, failed = geoparse_jsonl(source, target)
    sys.stderr.write(f"{ok} line(s) geoparsed, {failed} failed \u2192 {args.outfile or 'stdout'}\n")
    return 1 if failed else 0


def _cmd_export(args: argparse.Namespace) -> int:
    if args.format == "gpkg" and not args.out:
        raise _UsageError("--format gpkg needs --out FILE")
    from conflictmap.export import export_events
    from conflictmap.store import open_store

    store = open_store(_settings(args.db))
    events = store.query_events(_event_filter(args))
    data = export_events(events, args.format)
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    # The summary goes to stderr, so that stdout stays the file when no --out is given.
    sys.stderr.write(f"{len(events)} event(s) \u2192 {args.out or 'stdout'} ({args.format}, {len(data):,} bytes)\n")
    return 0


def _cmd_reference(args: argparse.Namespace) -> int:
    _require_paths(args.paths)
    from conflictmap.pipeline import import_reference_files
    from conflictmap.store import open_store

    summary = import_reference_files(args.paths, open_store(_settings(args.db)))
    for item in summary.errors:
        sys.stderr.write(f"failed: {item.origin}: {item.reason}\n")
    sys.stderr.write(f"reference events: {summary.new} new, {summary.failed} failed rows\n")
    return 1 if summary.failed else 0


def _cmd_alerts(args: argparse.Namespace) -> int:
    if args.atom and not Path(args.atom).resolve().parent.is_dir():
        raise _UsageError(f"no such folder for --atom: {Path(args.atom).parent}")
    import json

    from conflictmap.alerts import DEFAULT_BASE_URL, find_surges, surge_record, surges_table, write_alerts_atom
    from conflictmap.store import open_store

    base_url = args.base_url or DEFAULT_BASE_URL
    surges = find_surges(open_store(_settings(args.db)), as_of=args.as_of)
    if args.json:
        print(json.dumps([surge_record(s, base_url) for s in surges], ensure_ascii=False, indent=1))
    elif surges:
        print(surges_table(surges))
    else:
        sys.stderr.write("no surges\n")
    if args.atom:
        write_alerts_atom(surges, args.atom, base_url=base_url)
        sys.stderr.write(f"{len(surges)} surge{'' if len(surges) == 1 else 's'} \u2192 {args.atom}\n")
    return 0


def _cmd_watch(args: argparse.Namespace) -> int:
    if not Path(args.feeds).is_file():
        raise _UsageError(f"no such file: {args.feeds}")
    from conflictmap.watch import load_feeds, watch_feeds

    try:
        feeds = load_feeds(args.feeds)
    except ValueError as exc:  # FeedsFileError: names the file and the table
        raise _UsageError(str(exc)) from exc
    settings = _settings(args.db)
    _announce_gazetteer_build(settings, sys.stderr)
    return watch_feeds(feeds, settings, once=args.once, quiet=args.quiet, out=sys.stderr)


def _rebuild_gazetteer(settings: Settings, quiet: bool) -> None:
    from conflictmap.pipeline import build_gazetteer

    _announce_gazetteer_build(settings, sys.stderr)
    build_gazetteer(settings, progress=_build_progress(sys.stderr, quiet))


def _gazetteer_add(args: argparse.Namespace, settings: Settings) -> int:
    from conflictmap.pipeline import add_gazetteer_files

    added, errors = add_gazetteer_files(args.files, settings)
    for source in added:
        sys.stderr.write(f"added {source.name}: {source.places} places ({source.path})\n")
    for item in errors:
        sys.stderr.write(f"failed: {item.origin}: {item.reason}\n")
    if added:
        _rebuild_gazetteer(settings, args.quiet)
    return 1 if errors else 0


def _gazetteer_list(settings: Settings) -> int:
    from conflictmap.pipeline import gazetteer_sources

    sources = gazetteer_sources(settings)
    for source in sources:
        print(f"{source.name}\t{source.places}\t{'committed' if source.committed else 'added'}\t{source.path}")
    added = [s for s in sources if not s.committed]
    sys.stderr.write(f"{len(sources)} sources, {sum(s.places for s in sources)} places; {len(added)} added "
                     f"({sum(s.places for s in added)} places) in {settings.added_gazetteer_dir}\n")
    return 0


def _gazetteer_remove(args: argparse.Namespace, settings: Settings) -> int:
    from conflictmap.pipeline import remove_gazetteer_source

    try:
        source = remove_gazetteer_source(args.name, settings)
    except ValueError as exc:
        sys.stderr.write(f"failed: {exc}\n")
        return 1
    sys.stderr.write(f"removed {source.name} ({source.places} places)\n")
    _rebuild_gazetteer(settings, args.quiet)
    return 0


def _gazetteer_search(names: Sequence[str]) -> int:
    from conflictmap.pipeline import place_candidates

    for name in names:
        for place in place_candidates(name)[:10]:
            print(f"{name}\t{place.name}\t{place.feature}\t{place.country_code}\t"
                  f"{place.lat:.4f}\t{place.lon:.4f}\t{place.population}\t{place.place_id}")
    return 0


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.action == "add":
        return _gazetteer_add(args, settings)
    if args.action == "list":
        return _gazetteer_list(settings)
    if args.action == "remove":
        return _gazetteer_remove(args, settings)
    if args.action == "search":
        return _gazetteer_search(args.names)
    # "build", or no action: load the index, building and caching it when the cache is missing or stale.
    _rebuild_gazetteer(settings, getattr(args, "quiet", False))
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "ingest": _cmd_ingest,
    "geoparse": _cmd_geoparse,
    "export": _cmd_export,
    "reference": _cmd_reference,
    "sample": _cmd_sample,
    "gazetteer": _cmd_gazetteer,
    "alerts": _cmd_alerts,
    "watch": _cmd_watch,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 ok, 1 some inputs failed. Usage errors exit with 2
        through ``SystemExit`` after one line on stderr.
    """
    parser = _build_parser()
    args = parser.parse_args(_legacy_gazetteer(list(sys.argv[1:] if argv is None else argv)))
    try:
        return _COMMANDS[args.command](args)
    except _UsageError as exc:
        parser.error(str(exc))
