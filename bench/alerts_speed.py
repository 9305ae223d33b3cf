"""Time ``find_surges`` (one grouped query over 13 weeks, then the rule in Python) on synthetic stores.

Stores come from ``bench/synth.py`` (events spread over four years); each place is
given a first-level unit so there are a few dozen units per country. Prints one
JSON line per backend and size: the store's size, how many events the 13 weeks
hold, the median and worst time of ``find_surges`` over ``--runs`` runs, and the
alerts found. Run: ``.venv/bin/python -m bench.alerts_speed [--sizes 100000,1000000]``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from bench.synth import fill_store
from conflictmap.alerts import find_surges
from conflictmap.store import Store
from conflictmap.store.schema import events


def _give_units(store: Store, per_country: int = 14) -> None:
    """Set each place's admin1 to one of ``per_country`` units (synth leaves it empty)."""
    with store.engine.begin() as conn:
        places = conn.execute(select(events.c.place_id).distinct()).scalars().all()
        for i, place_id in enumerate(sorted(places)):
            conn.execute(update(events).where(events.c.place_id == place_id).values(admin1=f"Unit {i % per_country}"))


def measure(store: Store, runs: int) -> dict[str, object]:
    _, last = store.event_date_range()
    assert last is not None
    with store.engine.connect() as conn:
        in_window = conn.execute(select(func.count()).select_from(events)
                                 .where(events.c.event_date > last - timedelta(days=91))).scalar_one()
    times, found = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        found = find_surges(store)
        times.append(time.perf_counter() - t0)
    return {"events_in_13_weeks": int(in_window), "median_ms": round(1000 * statistics.median(times), 1),
            "max_ms": round(1000 * max(times), 1), "alerts": len(found)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    pg = None
    try:
        for backend in args.backends.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                with tempfile.TemporaryDirectory() as tmp:
                    if backend == "sqlite":
                        url = f"sqlite:///{Path(tmp) / 'alerts.db'}"
                    else:
                        if pg is None:
                            from tests.fixtures.postgres import start_server

                            pg = start_server()
                        url = pg.create_database()
                    store = Store(url)
                    fill_store(store, size)
                    _give_units(store)
                    if backend == "postgresql":
                        with store.engine.begin() as conn:
                            conn.exec_driver_sql("ANALYZE")
                    print(json.dumps({"backend": backend, "events": size, **measure(store, args.runs)}), flush=True)
                    store.dispose()
    finally:
        if pg is not None:
            pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
