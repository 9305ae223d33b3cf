"""How close the geoparser puts air bases named in real headlines to where UCDP located the event.

    .venv/bin/python bench/airfields_ucdp.py [--ucdp ../shared/ucdp/ged191_syria.csv]

UCDP GED (CC BY 4.0, read at run time from ``../shared/ucdp``, never copied)
locates some Syria events at an airfield ("Tiyas Military Airbase (T4)", "Deir
ez Zor airport") and keeps the headline of the source report. This takes the
events whose location names an airfield and whose headline has airport words
("clashes near T4 airport area", "Deir Ezzor airbase"), geoparses each distinct
headline, and measures the distance from UCDP's point to the nearest place the
geoparser found: a strike on an air base should land on the base, not on the
town it is named after nor in the middle of its province. Prints one table.
"""
from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictmap.geo.geoparser import default_geoparser  # noqa: E402
from conflictmap.model import haversine_km  # noqa: E402

_AIRFIELD = re.compile(r"airport|air ?base|air ?field", re.IGNORECASE)


def airfield_headlines(path: Path) -> list[tuple[str, float, float]]:
    """Distinct (headline, lat, lon) of events located at an airfield whose headline names one."""
    seen: dict[str, tuple[str, float, float]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not _AIRFIELD.search(row["where_coordinates"]):
                continue
            for headline in row["source_headline"].split(";"):
                headline = headline.strip()
                if _AIRFIELD.search(headline) and headline not in seen:
                    seen[headline] = (headline, float(row["latitude"]), float(row["longitude"]))
    return list(seen.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ucdp", type=Path, default=ROOT.parent / "shared" / "ucdp" / "ged191_syria.csv")
    args = parser.parse_args(argv)
    if not args.ucdp.exists():
        print(f"no UCDP file at {args.ucdp}", file=sys.stderr)
        return 2
    cases = airfield_headlines(args.ucdp)
    geoparser = default_geoparser()
    nearest: list[float] = []
    on_facility = 0
    for headline, lat, lon in cases:
        placed = [m for m in geoparser.geoparse(headline) if m.place is not None]
        if not placed:
            nearest.append(float("inf"))
            continue
        best = min(placed, key=lambda m: haversine_km(lat, lon, m.place.lat, m.place.lon))  # type: ignore[union-attr]
        nearest.append(haversine_km(lat, lon, best.place.lat, best.place.lon))  # type: ignore[union-attr]
        on_facility += best.place.feature == "facility"  # type: ignore[union-attr]
    n = len(cases)
    found = [d for d in nearest if d != float("inf")]
    print("| headlines | within 5 km | within 25 km | nothing placed | nearest is an airfield | median km (placed) |")
    print("|---|---|---|---|---|---|")
    print(f"| {n} | {sum(d <= 5 for d in nearest)} | {sum(d <= 25 for d in nearest)} | {n - len(found)} "
          f"| {on_facility} | {statistics.median(found) if found else float('nan'):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
