"""Derive the committed village layer (``data/gazetteer/wof/*.tsv.gz``) from Who's On First extracts.

    .venv/bin/python data/gazetteer/build_wof_layer.py EXTRACT_DIR [--out data/gazetteer/wof]

``EXTRACT_DIR`` holds one ``<CC>.tsv.gz`` per country in the Who's On First
extract format (columns ``wof_id placetype name lat lon country region_id
region_name county_id county_name localadmin_id geonames_id population
is_current names``). A thin wrapper over ``conflictmap.geo.sources.build_wof_layer``,
the same conversion ``conflictmap gazetteer add`` applies to a file in that format
(standard library only, run with the project's interpreter from anywhere); run it
again when the extracts change, and commit what it writes: the same extracts give
the same bytes.

What it keeps, and why:

* current records of towns, villages, neighbourhoods and admin units
  (``locality``, ``localadmin``, ``neighbourhood``, ``borough``, ``county``,
  ``region``, ``macroregion``); airports and other campuses come from
  OurAirports instead;
* only Latin-script name variants: ConflictMap reads English wire copy, and
  the other scripts are most of the bytes;
* points that lie inside their country's own spread of places (a robust box
  from the 0.5th to 99.5th percentiles, widened by 1.5 degrees): the source
  files some villages at (0, 0)-like points and some foreign places under the
  wrong country code;
* a region or county name only when that unit is a unit of the same country
  in the extracts (the source files a few places under a neighbour's region:
  Syria's Quneitra under Israel's "Northern").

Output columns (the layer format, described in ``conflictmap/geo/sources.py``):
``wof_id geonameid kind name lat lon cc region region_gid county population names``
(``kind`` is ConflictMap's feature: ``city``, ``admin2`` or ``admin1``; ``region_gid``
the GeoNames id of the place's first-level unit where Who's On First has one, which
ties the place to a GeoNames admin1 code; ``names`` are the other Latin-script
spellings, ``|``-joined).
Data: Who's On First (CC0) and GeoNames (CC BY 4.0).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run as a script, not installed: the package is two folders up.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from conflictmap.geo.sources import build_wof_layer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Write one layer file per extract; 2 when the folder holds none."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("extract_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "wof")
    args = parser.parse_args(argv)
    files = sorted(args.extract_dir.glob("*.tsv.gz"))
    if not files:
        print(f"no <CC>.tsv.gz files in {args.extract_dir}", file=sys.stderr)
        return 2

    def report(name: str, places: int) -> None:
        print(f"{name}: {places} places", file=sys.stderr)

    total = build_wof_layer(args.extract_dir, args.out, report)
    print(f"{total} places from {len(files)} files into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
