"""Rebuild ``countries-110m.geojson`` from the ``world-atlas`` npm package.

Run once by hand, never at run time (the GeoJSON is committed)::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python data/basemap/build_basemap.py package/countries-110m.json

GDAL reads the TopoJSON directly; coordinates are rounded to 3 decimals
(about 100 m), far finer than the 1:110m source, to keep the file small.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd

OUT = Path(__file__).resolve().parent / "countries-110m.geojson"


def main(topojson_path: str) -> None:
    """Convert the ``countries`` object of a world-atlas TopoJSON to GeoJSON."""
    frame = gpd.read_file(topojson_path, layer="countries").set_crs(4326)
    frame["geometry"] = frame.geometry.make_valid().set_precision(0.001)
    frame = frame[~frame.geometry.is_empty]
    features = json.loads(frame[["name", "geometry"]].to_json(drop_id=True))
    OUT.write_text(json.dumps(features, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT.name}: {len(frame)} countries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
