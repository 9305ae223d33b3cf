"""The village layer merge (``geo.build.wof``) and the index's region/county table, on small layer files."""
from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import pytest

from conflictmap.config import load_settings
from conflictmap.geo import loader, sources
from conflictmap.geo.build.wof import COLUMNS, merge_layer, spellings
from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.records import PlaceRecord
from conflictmap.model import Place

HEADER = COLUMNS[:-1]  # the committed layer has no admin1_code column


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = ["\t".join(HEADER)] + ["\t".join(r.get(c, "") for c in HEADER) for r in rows]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def _index() -> list[PlaceRecord]:
    idlib = Place("gn:169387", "Idlib", 35.93, 36.63, "admin1", "SY", "09", 1_000_000, 169387)
    town = Place("gn:163345", "Kafr Nabl", 35.61, 36.56, "city", "SY", "09", 9000, 163345)
    return [PlaceRecord(idlib, ("Idlib",)), PlaceRecord(town, ("Kafr Nabl",))]


def test_a_geonames_id_row_merges_into_the_existing_place(tmp_path: Path) -> None:
    records = _index()
    path = _write(tmp_path / "SY.tsv.gz", [{
        "wof_id": "1", "geonameid": "163345", "kind": "city", "name": "Kafranbel", "lat": "35.6", "lon": "36.5",
        "cc": "SY", "region": "Idlib", "region_gid": "169387", "county": "Maarrat al-Nu'man",
        "names": "Kafr Nubl|Pearl"}])
    units = merge_layer(records, [path], frozenset({"pearl"}))
    assert len(records) == 2  # one place per GeoNames id
    assert records[1].names == ("Kafr Nabl", "Kafranbel", "Kafr Nubl")  # "Pearl" is an English word
    assert units[1] == ("Idlib", "Maarrat al-Nu'man")


def test_a_new_village_gets_its_region_admin1_code(tmp_path: Path) -> None:
    records = _index()
    path = _write(tmp_path / "SY.tsv.gz", [
        {"wof_id": "7", "geonameid": "999", "kind": "city", "name": "Kansafra", "lat": "35.7", "lon": "36.5",
         "cc": "SY", "region": "Idlib", "region_gid": "169387", "names": "Kanssafrah"},
        # No region id: the code comes from a merged town of the same region name.
        {"wof_id": "9", "geonameid": "", "kind": "city", "name": "Ma'arzita", "lat": "35.6", "lon": "36.6",
         "cc": "SY", "region": "Idlib", "region_gid": ""},
        {"wof_id": "8", "geonameid": "163345", "kind": "city", "name": "Kafranbel", "lat": "35.6", "lon": "36.5",
         "cc": "SY", "region": "Idlib"},
        # A second row of a GeoNames id the index lacked merges into the first.
        {"wof_id": "10", "geonameid": "999", "kind": "city", "name": "Kansafrah", "lat": "35.7", "lon": "36.5",
         "cc": "SY"},
    ])
    merge_layer(records, [path], frozenset())
    new = {r.place.place_id: r for r in records[2:]}
    assert set(new) == {"wof:7", "wof:9"}
    assert new["wof:7"].place.admin1 == "09" and new["wof:7"].place.geonameid == 999
    assert "Kansafrah" in new["wof:7"].names
    assert new["wof:9"].place.admin1 == "09"


def test_units_merge_by_name_or_stay_apart(tmp_path: Path) -> None:
    records = _index()
    path = _write(tmp_path / "SY.tsv.gz", [
        {"wof_id": "20", "kind": "admin1", "name": "Idlib", "lat": "35.8", "lon": "36.6", "cc": "SY",
         "names": "Idleb Governorate"},
        {"wof_id": "21", "kind": "admin1", "name": "Hama", "lat": "35.1", "lon": "36.7", "cc": "SY"},
        # A county whose GeoNames id is a town's is no town.
        {"wof_id": "22", "geonameid": "163345", "kind": "admin2", "name": "Kafr Nabl District", "lat": "35.6",
         "lon": "36.5", "cc": "SY", "region": "Idlib", "region_gid": "169387"},
    ])
    merge_layer(records, [path], frozenset())
    assert "Idleb Governorate" in records[0].names
    added = {r.place.place_id: r.place for r in records[2:]}
    assert set(added) == {"wof:21", "wof:22"}
    assert added["wof:22"].feature == "admin2" and added["wof:22"].admin1 == "09"
    assert "Kafr Nabl District" not in records[1].names


def test_spellings_drop_codes_lower_case_and_other_scripts() -> None:
    assert spellings("Ратне", ["Ratne", "RTN", "ratne", "Ратно", "Ratno"], frozenset()) == ["Ratne", "Ratno"]


def test_the_index_keeps_region_and_county_and_pickles_them() -> None:
    gaz = Gazetteer(_index(), units={1: ("Idlib", "Maarrat al-Nu'man")})
    again = pickle.loads(pickle.dumps(gaz))
    for g in (gaz, again):
        assert g.region_county(1) == ("Idlib", "Maarrat al-Nu'man")
        assert g.region_county(0) == ("", "") and g.region_county(99) == ("", "")
        assert g.places[1].place_id == "gn:163345" and g.places[1].admin1 == "09"
        assert g.places.rows[1][0] == "gn:163345" and len(list(g.places.rows)) == 2
        assert [p.name for p, _ in zip(g.places, range(2), strict=False)] == ["Idlib", "Kafr Nabl"]
        assert g.candidates("Kafr Nabl")[0].population == 9000


def test_an_added_file_changes_the_cache_key_and_is_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sources, "COMMITTED_LAYER_DIR", tmp_path / "wof")
    settings = load_settings()
    before = loader.cache_key(settings)
    assert loader.cache_key(settings) == before
    added = Path(settings.added_gazetteer_dir)
    added.mkdir(parents=True)
    path = _write(added / "extra.tsv.gz", [{"wof_id": "", "geonameid": "5", "kind": "city", "name": "Dolow",
                                             "lat": "4.16", "lon": "42.08", "cc": "SO"}])
    assert loader.cache_key(settings) != before
    assert loader.layer_paths(settings) == [path]
    records = _index()
    merge_layer(records, loader.layer_paths(settings), frozenset())
    assert records[-1].place.place_id == "gn:5"  # a GeoNames-dump row: no WOF id


def test_progress_is_reported_per_file(tmp_path: Path) -> None:
    paths = [_write(tmp_path / f"{cc}.tsv.gz", []) for cc in ("AA", "BB")]
    seen: list[tuple[str, int, int]] = []
    merge_layer(_index(), paths, frozenset(), lambda step, done, total: seen.append((step, done, total)))
    assert seen == [("layer", 1, 2), ("layer", 2, 2)]
