"""How close the geoparser puts the places named in real conflict headlines to where UCDP coded them.

    .venv/bin/python bench/ucdp_headlines.py [--ucdp ../shared/ucdp/ged191_syria.csv] [--n 500]

UCDP GED (CC BY 4.0, read at run time from ``../shared/ucdp``, never copied)
keeps, for each event, the headline(s) of its source reports. This takes the
events UCDP located at an exact place (``where_prec`` 1), samples ``--n`` of
them by a hash of their id (the same sample on every run and machine), runs
each event's headlines through ``python -m conflictmap geoparse`` (the JSONL
contract, so the figure measures what users and the evaluation get) and
measures the distance from UCDP's point to the nearest place found. A wrong
point is worse than none, so besides "within 25 km" it counts events with
nothing placed and events whose every point is over 1,000 km away. Prints one
table row.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictmap.model import haversine_km  # noqa: E402  (after the path set-up above)


def sample_events(path: Path, n: int) -> list[dict[str, str]]:
    """``n`` exact-place events with a headline, chosen by the hash of their UCDP id."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["where_prec"] == "1" and r["source_headline"].strip()]
    rows.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
    return rows[:n]


def geoparse(texts: list[str]) -> list[list[dict[str, object]]]:
    """The toponyms the geoparse command returns for each text, in order."""
    lines = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts))
    res = subprocess.run([sys.executable, "-m", "conflictmap", "geoparse"], input=lines, capture_output=True,
                         text=True, cwd=ROOT, check=True)
    return [json.loads(line).get("toponyms", []) for line in res.stdout.splitlines()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ucdp", type=Path, default=ROOT.parent / "shared" / "ucdp" / "ged191_syria.csv")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--misses", type=int, default=0, help="also print this many headlines placed > 25 km off")
    args = parser.parse_args(argv)
    if not args.ucdp.exists():
        print(f"no UCDP file at {args.ucdp}", file=sys.stderr)
        return 2
    events = sample_events(args.ucdp, args.n)
    found = geoparse([e["source_headline"].replace(";", ". ") for e in events])
    nearest: list[float] = []
    for event, toponyms in zip(events, found, strict=True):
        lat, lon = float(event["latitude"]), float(event["longitude"])
        dists = [haversine_km(lat, lon, float(t["lat"]), float(t["lon"])) for t in toponyms]  # type: ignore[arg-type]
        nearest.append(min(dists) if dists else float("inf"))
    n = len(events)
    placed = [d for d in nearest if d != float("inf")]
    print("| events | within 25 km | nothing placed | nearest point > 1,000 km | median km (placed) |")
    print("|---|---|---|---|---|")
    print(f"| {n} | {sum(d <= 25 for d in nearest) / n:.3f} | {(n - len(placed)) / n:.3f} "
          f"| {sum(1000 < d < float('inf') for d in nearest) / n:.3f} "
          f"| {statistics.median(placed) if placed else float('nan'):.1f} |")
    shown = 0
    for event, toponyms, d in zip(events, found, nearest, strict=True):
        if shown >= args.misses or d <= 25:
            continue
        shown += 1
        names = ", ".join(f"{t['name']}->{t['place']}/{t['country_code']}" for t in toponyms)
        print(f"{d:8.1f} km  {event['where_coordinates']!r:40}  {event['source_headline'][:90]!r}  [{names}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
