"""Backfill speed: articles/s of a serial ingest, of ``--workers 1`` and ``2``, and of a cluster via ``--scheduler``.

    .venv/bin/python bench/backfill_speed.py [--ucdp ../shared/ucdp/ged191_syria.csv] [--n 2000]

The input is real wire copy: the source headlines UCDP GED keeps for each event (CC BY 4.0,
read at run time from ``../shared/ucdp``, never copied), one JSONL record per event (title:
its first headline; text: all its headlines as sentences; date: the event's start), the
first ``--n`` events by id. Each run writes a fresh SQLite store in a temporary folder with
the full gazetteer index of this machine (``data/cache``; built first if missing).

Printed per run, apart: the cluster's start (worker processes up), the index and geoparser
load (every worker at once, ``Backfill.preload``), the steady-state ingest (articles/s
after the load), and the resident memory of each worker (or of this process, serial).
The ``--scheduler`` run starts a LocalCluster of two workers here and reaches it by its
address, as a client reaches a real cluster (the store then stays with the client).
"""
from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictmap.backfill import WARM_UP_TEXT, Backfill, worker_memory  # noqa: E402  (after the path set-up above)
from conflictmap.config import load_settings  # noqa: E402
from conflictmap.pipeline import default_geoparser, ingest_paths  # noqa: E402
from conflictmap.store import Store  # noqa: E402

UCDP = ROOT.parent / "shared" / "ucdp" / "ged191_syria.csv"


def write_corpus(ucdp: Path, out: Path, n: int) -> int:
    """The first ``n`` UCDP events (by id) with headlines, as JSONL records; returns how many."""
    csv.field_size_limit(2**24)
    with ucdp.open(encoding="utf-8", newline="") as fh:
        rows = sorted((r for r in csv.DictReader(fh) if r["source_headline"].strip()), key=lambda r: int(r["id"]))
    rows = rows[:n]
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            headlines = [h.strip() for h in row["source_headline"].split(";") if h.strip()]
            text = " ".join(h if h.endswith((".", "!", "?")) else h + "." for h in headlines)
            fh.write(json.dumps({"title": headlines[0], "text": text, "published": row["date_start"][:10],
                                 "publisher": row["source_office"]}) + "\n")
    return len(rows)


def _row(name: str, articles: int, start: float, load: float, ingest: float, write: float, rss: list[float]) -> str:
    rate = articles / ingest if ingest else 0.0
    memory = ", ".join(f"{r:,.0f}" for r in rss)
    return (f"{name:<22} {start:>8.1f} {load:>9.1f} {ingest:>9.1f} {write:>8.1f} {rate:>10.1f} "
            f"{articles / (start + load + ingest):>10.1f}   {memory}")


def run_serial(corpus: Path, db: Path) -> tuple[int, float, float, float, list[float]]:
    started = time.perf_counter()
    geoparser = default_geoparser(load_settings())
    geoparser.geoparse(WARM_UP_TEXT)  # as Backfill.preload: the models load on first use
    loaded = time.perf_counter()
    store = Store(f"sqlite:///{db}")
    writing = [0.0]
    write_article = store.write_article

    def timed_write(*args: Any) -> bool:
        began = time.perf_counter()
        try:
            return write_article(*args)
        finally:
            writing[0] += time.perf_counter() - began

    store.write_article = timed_write  # type: ignore[method-assign]
    summary = ingest_paths([corpus], store, geoparser)
    done = time.perf_counter()
    store.dispose()
    return summary.new, loaded - started, done - loaded, writing[0], [worker_memory()]


def run_cluster(corpus: Path, db: Path, **where: object) -> tuple[int, float, float, float, float, list[float]]:
    with Backfill(**where) as backfill:  # type: ignore[arg-type]
        started = time.perf_counter()
        backfill.preload()
        loaded = time.perf_counter()
        store = Store(f"sqlite:///{db}")
        summary = backfill.ingest([corpus], store)
        done = time.perf_counter()
        rss = sorted(backfill.memory().values())
        store.dispose()
        return summary.new, backfill.start_seconds, loaded - started, done - loaded, backfill.write_seconds, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ucdp", type=Path, default=UCDP)
    parser.add_argument("--n", type=int, default=2000, help="events (articles) to ingest")
    args = parser.parse_args(argv)
    if not args.ucdp.exists():
        print(f"no UCDP file at {args.ucdp}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "ucdp-headlines.jsonl"
        n = write_corpus(args.ucdp, corpus, args.n)
        print(f"{n} UCDP headline records ({corpus.stat().st_size / 1e6:.1f} MB JSONL), full gazetteer index")
        print(f"{'run':<22} {'start s':>8} {'load s':>9} {'ingest s':>9} {'write s':>8} {'steady a/s':>10} "
              f"{'overall':>10}   RSS MB per worker")
        new, load, ingest, write, rss = run_serial(corpus, Path(tmp) / "serial.db")
        print(_row("serial", new, 0.0, load, ingest, write, rss), flush=True)
        for workers in (1, 2):
            new, start, load, ingest, write, rss = run_cluster(corpus, Path(tmp) / f"w{workers}.db", workers=workers)
            print(_row(f"--workers {workers}", new, start, load, ingest, write, rss), flush=True)
        from distributed import LocalCluster

        # Workers holding the index exit slower than the nanny waits at close; being killed then is harmless.
        logging.getLogger("distributed.nanny").setLevel(logging.ERROR)
        started = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            up = time.perf_counter() - started
            new, _reach, load, ingest, write, rss = run_cluster(corpus, Path(tmp) / "sched.db",
                                                                scheduler=cluster.scheduler_address)
            print(_row("--scheduler (2 wkrs)", new, up, load, ingest, write, rss), flush=True)
    print("start: worker processes up; load: gazetteer index + geoparser on every worker at once; "
          "write: of the ingest, seconds the client spent writing the store; "
          "steady: articles/s after the load; overall: articles / (start + load + ingest)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
