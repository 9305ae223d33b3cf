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


#: The ACLED roles and evidence of an event, as ``model.Event`` names them.
EVIDENCE_FIELDS = ("actor1", "actor2", "interaction", "civilian_targeting", "cue", "deaths_phrase")


def test_every_format_carries_the_roles_and_evidence(fixture_db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import geopandas as gpd

    rows = Store(fixture_db_url).query_events(EventFilter())
    assert set(EVIDENCE_FIELDS) <= set(FIELDS)
    expected = {"actor1": "Al-Shabaab", "actor2": "Civilians", "interaction": 27, "civilian_targeting": True,
                "cue": "truck bomb", "deaths_phrase": "killed more than 500 people"}
    features = json.loads(export_geojson(rows))["features"]
    mogadishu = next(f["properties"] for f in features if f["properties"]["place"] == "Mogadishu")
    assert {k: mogadishu[k] for k in EVIDENCE_FIELDS} == expected
    kirkuk = next(f["properties"] for f in features if f["properties"]["place"] == "Kirkuk")
    assert {k: kirkuk[k] for k in EVIDENCE_FIELDS} == {
        "actor1": "", "actor2": "", "interaction": None, "civilian_targeting": False, "cue": "", "deaths_phrase": ""}

    table = {r["place"]: r for r in csv.DictReader(io.StringIO(export_csv(rows)))}
    assert {k: table["Mogadishu"][k] for k in EVIDENCE_FIELDS} == {
        **expected, "interaction": "27", "civilian_targeting": "True"}
    assert (table["Kirkuk"]["interaction"], table["Kirkuk"]["civilian_targeting"]) == ("", "False")

    path = tmp_path / "events.gpkg"
    path.write_bytes(export_gpkg(rows))
    frame = gpd.read_file(path).set_index("place")
    assert {k: frame.loc["Mogadishu", k] for k in EVIDENCE_FIELDS} == expected
    assert frame["civilian_targeting"].dtype == bool
    # Whole numbers stay whole numbers where some are missing (GeoPackage INTEGER, not REAL).
    import pyogrio

    info = pyogrio.read_info(path)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["interaction"] == types["fatalities_best"] == "int64"
    # Dates read back as dates, as in GeoJSON and CSV, not as text.
    assert types["event_date"].startswith("datetime64") and types["published"].startswith("datetime64")
    stored = {r["place"]: r["event_date"] for r in rows}
    assert frame.loc["Mogadishu", "event_date"].date() == stored["Mogadishu"]


def test_csv_defuses_formulas_in_the_evidence_cells() -> None:
    row = {name: None for name in FIELDS}
    row.update(event_id="e1", actors=[], lat=0.0, lon=0.0, cue="=1+1", actor1="@SUM(A1)", actor2="-2+3",
               deaths_phrase="+cmd|' /C calc'!A0")
    table = list(csv.DictReader(io.StringIO(export_csv([row]))))[0]
    assert (table["cue"], table["actor1"], table["actor2"], table["deaths_phrase"]) == (
        "'=1+1", "'@SUM(A1)", "'-2+3", "'+cmd|' /C calc'!A0")
