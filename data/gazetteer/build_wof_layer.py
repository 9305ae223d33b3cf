"""Derive the committed village layer (``data/gazetteer/wof/*.tsv.gz``) from Who's On First extracts.

    python3 data/gazetteer/build_wof_layer.py EXTRACT_DIR [--out data/gazetteer/wof]

``EXTRACT_DIR`` holds one ``<CC>.tsv.gz`` per country in the Who's On First
extract format (columns ``wof_id placetype name lat lon country region_id
region_name county_id county_name localadmin_id geonames_id population
is_current names``). Standard library only; run it again when the extracts
change, and commit what it writes.

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

Output columns: ``wof_id geonameid kind name lat lon cc region region_gid
county population names`` (``kind`` is ConflictMap's feature: ``city``,
``admin2`` or ``admin1``; ``region_gid`` the GeoNames id of the place's
first-level unit where Who's On First has one, which ties the place to a
GeoNames admin1 code; ``names`` are the other Latin-script spellings,
``|``-joined).
Data: Who's On First (CC0) and GeoNames (CC BY 4.0).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import sys
import unicodedata
from pathlib import Path

KINDS = {
    "locality": "city", "localadmin": "city", "neighbourhood": "city", "borough": "city",
    "county": "admin2", "region": "admin1", "macroregion": "admin1",
}
COLUMNS = ("wof_id", "geonameid", "kind", "name", "lat", "lon", "cc", "region", "region_gid", "county", "population",
           "names")
#: Somaliland's rows (XS) keep Somalia's country code, as GeoNames does.
COUNTRY_ALIASES = {"XS": "SO"}


def is_latin(name: str) -> bool:
    """Whether every letter of ``name`` is in the Latin script (digits and punctuation allowed)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _box(rows: list[dict[str, str]]) -> tuple[float, float, float, float]:
    """The robust box of a country's places: (lat_lo, lat_hi, lon_lo, lon_hi)."""
    lats = [float(r["lat"]) for r in rows]
    lons = [float(r["lon"]) for r in rows]
    pad = 1.5
    return (_quantile(lats, 0.005) - pad, _quantile(lats, 0.995) + pad,
            _quantile(lons, 0.005) - pad, _quantile(lons, 0.995) + pad)


def read_extract(path: Path) -> list[dict[str, str]]:
    """The current, usable rows of one extract file."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [r for r in reader
                if r["placetype"] in KINDS and r["is_current"] != "0" and r["lat"] and r["lon"] and r["name"]]


def _country(cc: str) -> str:
    return COUNTRY_ALIASES.get(cc, cc)


def unit_countries(extracts: dict[str, list[dict[str, str]]]) -> dict[str, tuple[str, str]]:
    """The country and GeoNames id of every region and county in the extracts, by WOF id."""
    return {r["wof_id"]: (_country(r["country"]), r["geonames_id"]) for rows in extracts.values() for r in rows
            if r["placetype"] in ("region", "county", "macroregion")}


def layer_rows(rows: list[dict[str, str]], units: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """The layer's rows for one country's extract rows (``units``: see ``unit_countries``)."""
    if not rows:
        return []
    lat_lo, lat_hi, lon_lo, lon_hi = _box(rows)
    out = []
    for r in rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        if not (lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi):
            continue
        cc = _country(r["country"])
        own_region = units.get(r["region_id"], ("", ""))[0] == cc
        region = r["region_name"] if own_region else ""
        region_gid = units[r["region_id"]][1] if own_region else ""
        county = r["county_name"] if units.get(r["county_id"], ("", ""))[0] == cc else ""
        variants = [n for n in dict.fromkeys(r["names"].split("|")) if n and n != r["name"] and is_latin(n)]
        out.append({
            "wof_id": r["wof_id"], "geonameid": r["geonames_id"], "kind": KINDS[r["placetype"]],
            "name": r["name"], "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "cc": cc,
            "region": region if r["placetype"] not in ("region", "macroregion") else "",
            "region_gid": region_gid if r["placetype"] not in ("region", "macroregion") else "",
            "county": county if r["placetype"] == "locality" or r["placetype"] == "neighbourhood" else "",
            "population": r["population"], "names": "|".join(v.replace("\t", " ") for v in variants),
        })
    return out


def write_layer(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives the same bytes, so git sees no change on a re-run.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows)
        gz.write(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("extract_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "wof")
    args = parser.parse_args(argv)
    files = sorted(args.extract_dir.glob("*.tsv.gz"))
    if not files:
        print(f"no <CC>.tsv.gz files in {args.extract_dir}", file=sys.stderr)
        return 2
    extracts = {path.name: read_extract(path) for path in files}
    units = unit_countries(extracts)
    total = 0
    for path in files:
        rows = layer_rows(extracts[path.name], units)
        write_layer(rows, args.out / path.name)
        total += len(rows)
        print(f"{path.name}: {len(rows)} places", file=sys.stderr)
    print(f"{total} places from {len(files)} files into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
