"""Filter-query latency of the store at 10k / 100k / 1M events, on SQLite and PostgreSQL.

Usage: python bench/scale.py [--sizes 10000,100000,1000000] [--backends sqlite,postgresql] [--runs 40]
       python bench/scale.py --dashboard 100000   # page load to map visible in headless Chromium

For each size it builds a synthetic store (bench/synth.py), then times what the
dashboard asks on a filter change (summary metrics, events per day, grid
aggregation for the map, and the newest 2,000 matching events for points) under
a mix of realistic filters, and prints p50/p95 in milliseconds. PostgreSQL is a
private server started from Debian's binaries (tests/fixtures/postgres.py).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import ACTORS, fill_store  # noqa: E402
from conflictmap.model import EVENT_TYPES, EventFilter  # noqa: E402
from conflictmap.store import Store  # noqa: E402


def _filters(runs: int, seed: int = 11) -> list[EventFilter]:
    """A mix of what analysts do: everything, a year, a week, a month of one type, a quarter of one
    country, a month of text search, two months of one actor with deaths."""
    rng = random.Random(seed)
    first, span = date(2016, 1, 1), 1400
    out = []
    for i in range(runs):
        start = first + timedelta(days=rng.randrange(span))
        kind = i % 7
        if kind == 5:
            out.append(EventFilter())  # the default view: everything
        elif kind == 6:
            out.append(EventFilter(date_from=start, date_to=start + timedelta(days=365)))
        elif kind == 0:
            out.append(EventFilter(date_from=start, date_to=start + timedelta(days=7)))
        elif kind == 1:
            out.append(EventFilter(date_from=start, date_to=start + timedelta(days=30),
                                   event_types=(rng.choice(EVENT_TYPES),)))
        elif kind == 2:
            out.append(EventFilter(date_from=start, date_to=start + timedelta(days=90), countries=("IQ",)))
        elif kind == 3:
            out.append(EventFilter(date_from=start, date_to=start + timedelta(days=30), text="hospital"))
        else:
            out.append(EventFilter(date_from=start, date_to=start + timedelta(days=60),
                                   actors=(rng.choice(ACTORS),), min_fatalities=5))
    return out


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def measure(store: Store, runs: int) -> dict[str, dict[str, float]]:
    """p50/p95 (ms) of each dashboard query over the filter mix."""
    queries = {
        "summary": lambda f: store.summary(f),
        "counts_by_day": lambda f: store.counts_by_day(f),
        "grid_0.25deg": lambda f: store.grid_counts(f, 0.25),
        "events_2000": lambda f: store.query_events(f, limit=2000),
    }
    filters = _filters(runs)
    results = {}
    for name, query in queries.items():
        query(filters[0])  # warm the cache the way a running dashboard has it warm
        times = sorted(_time(lambda f=f, q=query: q(f)) for f in filters)
        results[name] = {"p50": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)]}
    all_filter_times = [_time(lambda f=f: (store.summary(f), store.counts_by_day(f), store.grid_counts(f, 0.25)))
                        for f in filters]
    all_filter_times.sort()
    results["filter_change_total"] = {"p50": statistics.median(all_filter_times),
                                      "p95": all_filter_times[max(0, int(len(all_filter_times) * 0.95) - 1)]}
    return results


def dashboard_load(n_events: int, repeats: int = 3) -> dict[str, float]:
    """Page load to map visible in headless Chromium on a store of ``n_events`` news events.

    The store also holds the whole UCDP GED Syria file as the reference layer
    (16,566 real events) when ../shared/ucdp is present.
    """
    from playwright.sync_api import sync_playwright

    from bench.dashboard_render import _load
    from bench.synth import UCDP
    from conflictmap.pipeline import import_reference_files
    from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server

    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    path = out / f"scale-{n_events}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        store = Store(url)
        fill_store(store, n_events)
        if UCDP.exists():
            import_reference_files([UCDP], store)
        store.dispose()
    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with streamlit_server(url, f"scale-{n_events}") as app_url:
            page, *_ = _load(browser, app_url)  # first load: cold query cache
            page.close()
            for _ in range(repeats):
                page, _frame, _shell, seconds = _load(browser, app_url)
                loads.append(seconds)
                page.close()
        browser.close()
    return {"events": n_events, "map_visible_s_median": statistics.median(loads), "loads": loads}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboard", type=int, default=0, metavar="N",
                        help="instead: time page load to map visible at N events in headless Chromium")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if args.dashboard:
        print(json.dumps(dashboard_load(args.dashboard)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    report = []
    pg = None
    try:
        for backend in args.backends.split(","):
            for size in sizes:
                with tempfile.TemporaryDirectory() as tmp:
                    if backend == "sqlite":
                        url = f"sqlite:///{Path(tmp) / 'scale.db'}"
                    else:
                        if pg is None:
                            from tests.fixtures.postgres import start_server

                            pg = start_server()
                        url = pg.create_database()
                    store = Store(url)
                    t0 = time.perf_counter()
                    fill_store(store, size)
                    if backend == "postgresql":
                        with store.engine.begin() as conn:
                            conn.exec_driver_sql("ANALYZE")
                    load_s = time.perf_counter() - t0
                    results = measure(store, args.runs)
                    store.dispose()
                row = {"backend": backend, "events": size, "load_s": round(load_s, 1),
                       **{k: {q: round(v, 1) for q, v in r.items()} for k, r in results.items()}}
                report.append(row)
                print(f"{backend:<10} {size:>9,} events  load {load_s:6.1f}s  " + "  ".join(
                    f"{k} {r['p50']:.0f}/{r['p95']:.0f}ms" for k, r in results.items()), flush=True)
    finally:
        if pg is not None:
            pg.stop()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
