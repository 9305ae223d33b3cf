"""Rebuild ``countries-110m.geojson`` from the ``world-atlas`` npm package.

Run once by hand, never at run time (the GeoJSON is committed)::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python data/basemap/build_basemap.py package/countries-110m.json

GDAL reads the TopoJSON directly; coordinates are rounded to 3 decimals
(about 100 m), far finer than the 1:110m source, to keep the file small.
Polygons that cross the 180th meridian (Fiji, Chukotka, Antarctica) are cut
there: drawn as one ring jumping from +180 to -180 they streak a band across
the whole map. ``python data/basemap/build_basemap.py --fix FILE.geojson``
applies only that cut to a GeoJSON already built.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parent / "countries-110m.geojson"


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous (a step of over 180 degrees is a crossing, not a real edge)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    if abs(out[-1][0] - out[0][0]) > 180:  # a ring around a pole: close it along the pole
        pole = -90.0 if sum(lat for _, lat in ring) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def cut_at_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` with every polygon that crosses the 180th meridian split into its two sides."""
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    out = []
    for poly in parts:
        ring = list(poly.exterior.coords)
        if not any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False)):
            out.append(poly)
            continue
        whole = Polygon(_unwrap(ring), [_unwrap(list(h.coords)) for h in poly.interiors]).buffer(0)
        for shift in (-360, 0, 360):
            piece = whole.intersection(box(-180 - shift, -90, 180 - shift, 90))
            if not piece.is_empty:
                out.append(translate(piece, xoff=shift))
    if len(out) == len(parts):
        return geom
    # The source cuts a crossing country into bands whose shared edges do not quite meet once
    # cut: close the gaps so no seam is drawn inside the country, and drop the holes the seams
    # leave (at 1:110m none of these three countries has a real one).
    closed = unary_union(out).buffer(0.5, join_style="mitre").buffer(-0.5, join_style="mitre")
    return unary_union([Polygon(p.exterior) for p in getattr(closed, "geoms", [closed])])


def fix(path: str) -> None:
    """Cut the polygons of a built GeoJSON at the antimeridian, in place."""
    frame = gpd.read_file(path)
    frame["geometry"] = frame.geometry.apply(cut_at_antimeridian).set_precision(0.001)
    Path(path).write_text(json.dumps(json.loads(frame[["name", "geometry"]].to_json(drop_id=True)),
                                     separators=(",", ":")), encoding="utf-8")
    print(f"{path}: {len(frame)} countries cut at the antimeridian")


def main(topojson_path: str) -> None:
    """Convert the ``countries`` object of a world-atlas TopoJSON to GeoJSON."""
    frame = gpd.read_file(topojson_path, layer="countries").set_crs(4326)
    frame["geometry"] = frame.geometry.make_valid().apply(cut_at_antimeridian).set_precision(0.001)
    frame = frame[~frame.geometry.is_empty]
    features = json.loads(frame[["name", "geometry"]].to_json(drop_id=True))
    OUT.write_text(json.dumps(features, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT.name}: {len(frame)} countries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    if sys.argv[1] == "--fix":
        fix(sys.argv[2])
    else:
        main(sys.argv[1])
