"""Command line: ``python -m conflictmap COMMAND ...``.

Each command parses its arguments and makes one library call (as sqlite-utils'
cli.py over db.py). Exit codes: 0 success, 1 some inputs failed (the rest were
processed), 2 usage errors (unknown command, missing file, bad option).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from conflictmap import __version__
from conflictmap.config import Settings, load_settings
from conflictmap.model import EventFilter, IngestSummary


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def _build_parser() -> _Parser:
    parser = _Parser(prog="conflictmap", description="Conflict news to dated, geolocated events.")
    parser.add_argument("--version", action="version", version=f"conflictmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("ingest", help="read article files/folders into the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (read recursively)")
    p.add_argument("--db", help="store URL (default: CONFLICTMAP_DB or data/conflictmap.db)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("geoparse", help="JSONL in, places with coordinates out (see DESIGN.md)")
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


def _settings(db: str | None) -> Settings:
    settings = load_settings()
    return replace(settings, db_url=db) if db else settings


def _progress_printer(stream: TextIO, quiet: bool):
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
    from conflictmap.geo.gazetteer import cache_key

    if not (settings.cache_dir / f"gazetteer-{cache_key()}.pickle").exists():
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


def _missing(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if not Path(p).exists()]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    err = sys.stderr

    if args.command in ("ingest", "reference"):
        missing = _missing(args.paths)
        if missing:
            parser.error(f"no such file or folder: {missing[0]}")
    if args.command == "geoparse" and args.infile and not Path(args.infile).is_file():
        parser.error(f"no such file: {args.infile}")
    if args.command == "export" and args.format == "gpkg" and not args.out:
        parser.error("--format gpkg needs --out FILE")

    if args.command == "ingest":
        from conflictmap.pipeline import default_geoparser, ingest_paths
        from conflictmap.store import open_store

        settings = _settings(args.db)
        store = open_store(settings)
        _announce_gazetteer_build(settings, err)
        summary = ingest_paths(args.paths, store, default_geoparser(settings), settings=settings,
                               progress=_progress_printer(err, args.quiet))
        return _report(summary, err)

    if args.command == "sample":
        from conflictmap.pipeline import build_sample_store
        from conflictmap.store import open_store

        settings = _settings(args.db)
        store = open_store(settings)
        if args.if_empty and not store.is_empty():
            err.write(f"store already holds articles: {settings.db_url}\n")
            return 0
        _announce_gazetteer_build(settings, err)
        summary = build_sample_store(store, settings=settings, progress=_progress_printer(err, args.quiet))
        return _report(summary, err)

    if args.command == "geoparse":
        from conflictmap.geo.geoparser import default_geoparser, run_jsonl

        geoparser = default_geoparser()
        source = open(args.infile, encoding="utf-8", errors="replace") if args.infile else sys.stdin
        target = open(args.outfile, "w", encoding="utf-8") if args.outfile else sys.stdout
        try:
            _ok, failed = run_jsonl(source, target, geoparser)
        finally:
            if args.infile:
                source.close()
            if args.outfile:
                target.close()
        return 1 if failed else 0

    if args.command == "export":
        from conflictmap.export import export_events
        from conflictmap.store import open_store

        store = open_store(_settings(args.db))
        f = EventFilter(
            date_from=args.date_from, date_to=args.date_to, event_types=tuple(args.types),
            actors=tuple(args.actors), countries=tuple(c.upper() for c in args.countries),
            text=args.text, min_fatalities=args.min_fatalities,
        )
        data = export_events(store.query_events(f), args.format)
        if args.out:
            Path(args.out).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0

    if args.command == "reference":
        from conflictmap.pipeline import import_reference_files
        from conflictmap.store import open_store

        summary = import_reference_files(args.paths, open_store(_settings(args.db)))
        for item in summary.errors:
            err.write(f"failed: {item.origin}: {item.reason}\n")
        err.write(f"reference events: {summary.new} new, {summary.failed} failed rows\n")
        return 1 if summary.failed else 0

    if args.command == "gazetteer":
        from conflictmap.geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
        for name in args.names:
            for place in gazetteer.candidates(name)[:10]:
                print(f"{name}\t{place.name}\t{place.feature}\t{place.country_code}\t"
                      f"{place.lat:.4f}\t{place.lon:.4f}\t{place.population}\t{place.place_id}")
        return 0

    parser.error(f"unknown command {args.command!r}")
