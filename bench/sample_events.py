"""Events of the bundled sample store against the UCDP GED rows their stories were written from.

    .venv/bin/python -m bench.sample_events [--json]

``data/sample_sources.csv`` ties most sample stories to one UCDP GED 19.1 event (CC BY 4.0):
its date, place, spatial precision and deaths (best, low, high). This builds the sample store
exactly as ``make run`` does (``conflictmap.pipeline.build_sample_store`` into a temporary
SQLite file, the real offline geoparser) and, for each such story, takes the event that
answers the row: among the story's events (its teaser included) the one closest to the UCDP
point. It reports, over the rows:

- ``gives an event``: the story yields at least one event;
- ``place``: that event lies within the row's radius (25 km for a town or a spot, 60 km for a
  district, 150 km for a province), and is not a province or country point where UCDP knows
  the town (the rule of ``tests/integration/test_pipeline_samples.py``);
- ``date``: within a day of UCDP's date (stories date by "on Monday" and the like);
- ``deaths best``: the event's best figure equals UCDP's best; ``in range``: it lies in
  UCDP's [low, high].

A sample story was written from its row, so this is the easy end of the scale; the dev set
(``bench/events_dev.py``) and the UCDP headlines (``bench/ucdp_events.py``) are the harder checks.
"""
from __future__ import annotations

import argparse
import csv
import json
import tempfile
from datetime import date
from pathlib import Path

from conflictmap.config import load_settings
from conflictmap.model import haversine_km
from conflictmap.pipeline import build_sample_store, default_geoparser
from conflictmap.store import Store

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sample_sources.csv"
#: How far an event may lie from a UCDP row, by the row's where_prec (see data/README.md).
RADIUS_KM = {1: 25, 2: 25, 3: 60, 4: 150, 5: 250}


def score(store: Store, rows: list[dict[str, str]]) -> dict[str, object]:
    """Per-row outcomes and the shares over the rows with a UCDP id."""
    articles = store.list_articles(limit=10000)
    tallies = {"rows": 0, "gives an event": 0, "place": 0, "date": 0, "deaths best": 0, "deaths in range": 0}
    misses: list[str] = []
    for row in rows:
        if not row["ucdp_id"]:
            continue
        tallies["rows"] += 1
        ids = [a["article_id"] for a in articles if a["title"].strip() == row["title"].strip()]
        events = [e for i in ids for e in store.article_events(i)]
        if not events:
            misses.append(f"{row['ucdp_id']} {row['place']}: no event")
            continue
        tallies["gives an event"] += 1
        lat, lon = float(row["lat"]), float(row["lon"])
        precision = int(row["where_prec"] or 1)
        best = min(events, key=lambda e: haversine_km(lat, lon, e["lat"], e["lon"]))
        km = haversine_km(lat, lon, best["lat"], best["lon"])
        if km <= RADIUS_KM.get(precision, 400) and (precision > 2 or best["geo_precision"] < 3):
            tallies["place"] += 1
        else:
            misses.append(f"{row['ucdp_id']} {row['place']}: nearest event {best['surface']} at {km:.0f} km")
        if abs((best["event_date"] - date.fromisoformat(row["event_date"])).days) <= 1:
            tallies["date"] += 1
        got = best["fatalities_best"]
        want, low, high = (int(row[k]) for k in ("deaths_best", "deaths_low", "deaths_high"))
        if got == want:
            tallies["deaths best"] += 1
        else:
            misses.append(f"{row['ucdp_id']} {row['place']}: deaths {got} vs UCDP {want} ({low}-{high})")
        if got is not None and low <= got <= high:
            tallies["deaths in range"] += 1
    n = tallies["rows"] or 1
    shares = {k: round(v / n, 3) for k, v in tallies.items() if k != "rows"}
    return {"rows": tallies["rows"], "counts": tallies, "shares": shares, "misses": misses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = list(csv.DictReader(SOURCES.open(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'samples.db'}"
        store = Store(url)
        build_sample_store(store, default_geoparser(), settings=load_settings({"CONFLICTMAP_DB": url}))
        result = score(store, rows)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    counts = result["counts"]
    assert isinstance(counts, dict)
    print(f"{result['rows']} sample stories written from a UCDP GED row\n")
    print("| field | share | count |\n|---|---|---|")
    for key, share in dict(result["shares"]).items():  # type: ignore[call-overload]
        print(f"| {key} | {share:.3f} | {counts[key]}/{result['rows']} |")
    for miss in list(result["misses"]):  # type: ignore[call-overload]
        print("  miss:", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
