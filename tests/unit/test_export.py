"""Exports carry exactly the documented fields; nothing in them turns into a formula."""
from __future__ import annotations

import csv
import io
import json

from conflictmap.export import FIELDS, export_csv, export_geojson, export_gpkg
from conflictmap.model import EventFilter
from conflictmap.store import Store


def test_geojson_properties_are_exactly_the_contract(fixture_db_url: str) -> None:
    rows = Store(fixture_db_url).query_events(EventFilter())
    data = json.loads(export_geojson(rows))
    assert len(data["features"]) == len(rows) == 10
    for feature in data["features"]:
        assert list(feature["properties"]) == list(FIELDS)
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"]["actors"], list)
    douma = next(f for f in data["features"] if f["properties"]["place"] == "Douma")
    assert douma["geometry"]["coordinates"] == [36.4022, 33.5722]
    assert douma["properties"]["event_date"] == "2017-11-02"
    assert douma["properties"]["fatalities_best"] == 6


def test_csv_has_fields_plus_coordinates_and_defuses_formulas() -> None:
    row = {name: None for name in FIELDS}
    row.update(event_id="e1", event_date=None, title="=HYPERLINK(\"http://x\")", actors=["IS", "SDF"],
               lat=1.5, lon=2.5, excerpt="+cmd")
    table = list(csv.DictReader(io.StringIO(export_csv([row]))))
    assert list(table[0]) == [*FIELDS, "lat", "lon"]
    assert table[0]["title"].startswith("'=")
    assert table[0]["excerpt"] == "'+cmd"
    assert table[0]["actors"] == "IS; SDF"
    assert (table[0]["lat"], table[0]["lon"]) == ("1.5", "2.5")


def test_csv_defuses_a_formula_that_starts_with_minus() -> None:
    row = {name: None for name in FIELDS}
    row.update(event_id="e1", title="-2+3+cmd|' /C calc'!A0", actors=[], lat=0.0, lon=0.0)
    table = list(csv.DictReader(io.StringIO(export_csv([row]))))
    assert table[0]["title"] == "'-2+3+cmd|' /C calc'!A0"


def test_geopackage_keeps_the_text_after_a_nul_byte(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import geopandas as gpd

    row = {name: None for name in FIELDS}
    row.update(event_id="e1", title="Shelling\x00 hits Douma", excerpt="ok", actors=["IS"], lat=33.57, lon=36.4)
    path = tmp_path / "events.gpkg"
    path.write_bytes(export_gpkg([row]))
    assert gpd.read_file(path)["title"].tolist() == ["Shelling hits Douma"]
