"""Exports of filtered events: GeoJSON, CSV and GeoPackage.

Every format carries the same fields (``FIELDS``); CSV adds ``lat``/``lon``.
Input rows are the dicts ``Store.query_events`` returns.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

#: Event properties in every export, in this order.
FIELDS = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "cue", "actors",
    "actor1", "actor2", "interaction", "civilian_targeting",
    "fatalities_best", "fatalities_low", "fatalities_high", "deaths_phrase", "place", "country_code",
    "geo_precision", "excerpt", "title", "url", "published", "sources",
)
#: Whole-number fields; GeoPackage keeps them integers even where some are missing.
_INTEGER_FIELDS = ("time_precision", "interaction", "fatalities_best", "fatalities_low", "fatalities_high",
                   "geo_precision", "sources")
FORMATS = ("geojson", "csv", "gpkg")

# A spreadsheet treats a cell starting with these as a formula; an article must
# not be able to plant one in an analyst's Excel ("-2+3+cmd|' /C calc'!A0" runs too).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _properties(row: Mapping[str, Any]) -> dict[str, Any]:
    props = {name: _iso(row.get(name)) for name in FIELDS}
    props["actors"] = list(row.get("actors") or [])
    props["civilian_targeting"] = bool(row.get("civilian_targeting"))
    return props


def to_geojson(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of Points ([lon, lat]) with ``FIELDS`` as properties."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": _properties(row),
        }
        for row in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def export_geojson(rows: Iterable[Mapping[str, Any]]) -> str:
    """GeoJSON text (UTF-8, not ASCII-escaped)."""
    return json.dumps(to_geojson(rows), ensure_ascii=False)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV text: ``FIELDS`` plus ``lat`` and ``lon``; actors joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((*FIELDS, "lat", "lon"))
    for row in rows:
        props = _properties(row)
        props["actors"] = "; ".join(props["actors"])
        writer.writerow([_csv_cell(props[name]) for name in FIELDS] + [row["lat"], row["lon"]])
    return out.getvalue()


def export_gpkg(rows: Iterable[Mapping[str, Any]], layer: str = "events") -> bytes:
    """A GeoPackage (EPSG:4326 points) as bytes, written through geopandas/pyogrio."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    rows = list(rows)
    frame = pd.DataFrame([{**_properties(r), "actors": "; ".join(r.get("actors") or [])} for r in rows],
                         columns=list(FIELDS))
    # GDAL ends a text field at a NUL byte: drop them so nothing after one is lost.
    frame = frame.apply(lambda col: col.map(lambda v: v.replace("\x00", "") if isinstance(v, str) else v))
    # A column of numbers with gaps would otherwise become floating point.
    frame = frame.astype({name: "Int64" for name in _INTEGER_FIELDS})
    # Dates as dates, not text: GDAL stores a datetime64 column as a DateTime field, read back as one.
    for name in ("event_date", "published"):
        frame[name] = pd.to_datetime(frame[name], errors="coerce")
    gdf = gpd.GeoDataFrame(frame, geometry=[Point(r["lon"], r["lat"]) for r in rows], crs="EPSG:4326")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.gpkg"
        gdf.to_file(path, layer=layer, driver="GPKG")
        return path.read_bytes()


def export_events(rows: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    """Serialise rows in one of ``FORMATS``."""
    if fmt == "geojson":
        return export_geojson(rows).encode("utf-8")
    if fmt == "csv":
        return export_csv(rows).encode("utf-8")
    if fmt == "gpkg":
        return export_gpkg(rows)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
