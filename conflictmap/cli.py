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


def _build_parser() -> _Parser:
    parser = _Parser(prog="conflictmap", description="Conflict news to dated, geolocated events.", epilog=_EPILOG)
    parser.add_argument("--version", action="version", version=f"conflictmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("ingest", help="read article files/folders into the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (read recursively)")
    p.add_argument("--db", help="store URL (default: CONFLICTMAP_DB or data/conflictmap.db)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

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

    p = sub.add_parser("gazetteer", help="build the offline gazetteer index, or look a name up")
    p.add_argument("names", nargs="*", metavar="NAME", help="names to look up (none: just build/load)")
    return parser


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


def _announce_gazetteer_build(settings: Settings, err: TextIO) -> None:
    """Say so before the one-off gazetteer build, which takes about a minute."""
    from conflictmap.pipeline import gazetteer_is_built

    if not gazetteer_is_built(settings):
        err.write(f"building the offline gazetteer index into {settings.cache_dir} (once; about a minute)...\n")
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
        text=args.text, min_fatalities=args.min_fatalities,
    )


# -- the commands: each returns the exit code -----------------------------------------------------


def _cmd_ingest(args: argparse.Namespace) -> int:
    _require_paths(args.paths)
    from conflictmap.pipeline import default_geoparser, ingest_paths
    from conflictmap.store import open_store

    settings = _settings(args.db)
    store = open_store(settings)
    _announce_gazetteer_build(settings, sys.stderr)
    summary = ingest_paths(args.paths, store, default_geoparser(settings), settings=settings,
                           progress=_progress_printer(sys.stderr, args.quiet))
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
        _ok, failed = geoparse_jsonl(source, target)
    return 1 if failed else 0


def _cmd_export(args: argparse.Namespace) -> int:
    if args.format == "gpkg" and not args.out:
        raise _UsageError("--format gpkg needs --out FILE")
    from conflictmap.export import export_events
    from conflictmap.store import open_store

    store = open_store(_settings(args.db))
    data = export_events(store.query_events(_event_filter(args)), args.format)
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
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


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    from conflictmap.pipeline import default_geoparser, place_candidates

    if not args.names:
        default_geoparser()  # loads the index, building and caching it on first use
        return 0
    for name in args.names:
        for place in place_candidates(name)[:10]:
            print(f"{name}\t{place.name}\t{place.feature}\t{place.country_code}\t"
                  f"{place.lat:.4f}\t{place.lon:.4f}\t{place.population}\t{place.place_id}")
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "ingest": _cmd_ingest,
    "geoparse": _cmd_geoparse,
    "export": _cmd_export,
    "reference": _cmd_reference,
    "sample": _cmd_sample,
    "gazetteer": _cmd_gazetteer,
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
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except _UsageError as exc:
        parser.error(str(exc))
