"""Layer files from GeoNames dumps and Who's On First extracts: what is kept, and bad input per file.

Every input is written here, small: a GeoNames country dump (19 tab-separated columns, no
header), the same zipped, a ``cities1000``-style file without admin rows, and a Who's On
First extract (header first, gzipped).
"""
from __future__ import annotations

import gzip
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from conflictmap.config import load_settings
from conflictmap.geo import sources
from conflictmap.geo.sources import (
    GEONAMES_COLUMNS,
    LAYER_COLUMNS,
    SourceError,
    add_source,
    build_wof_layer,
    layer_sources,
    read_layer,
    remove_source,
)


def geonames_line(gid: int, name: str, code: str, *, cls: str = "P", alternates: str = "", lat: float = 36.0,
                  lon: float = 37.0, cc: str = "SY", admin1: str = "09", admin2: str = "", pop: int = 0) -> str:
    """One line of the GeoNames ``geoname`` table."""
    fields = [str(gid), name, name, alternates, f"{lat}", f"{lon}", cls, code, cc, "", admin1, admin2, "", "",
              str(pop), "", "300", "Asia/Damascus", "2024-01-19"]
    return "\t".join(fields) + "\n"


SY_DUMP = "".join([
    geonames_line(1, "Kafr Nabl", "PPL", alternates="Kafranbel,Kafr Nubl,كفر نبل,KFN", pop=0, admin2="0901"),
    geonames_line(2, "Old Kafr", "PPLH"),  # historical: not where things happen now
    geonames_line(3, "Jabal az Zawiyah", "MT", cls="T"),  # a mountain: not a place the index takes
    geonames_line(4, "Muhafazat Idlib", "ADM1", cls="A", alternates="Idlib Governorate,Idleb", lat=35.8, lon=36.6),
    geonames_line(5, "Maarrat al-Nu'man District", "ADM2", cls="A", admin2="0901", lat=35.6, lon=36.7),
    geonames_line(6, "Saraqib", "PPLA3", alternates="Saraqeb,Sarāqib", pop=30000),
    geonames_line(7, "Syria", "PCLI", cls="A", admin1="00"),  # countries: the index has them
])


@pytest.fixture()
def settings(tmp_path: Path):
    return replace(load_settings({}), data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


@pytest.fixture()
def committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed layer of one tiny file, in place of data/gazetteer/wof."""
    folder = tmp_path / "committed"
    sources.write_layer([dict.fromkeys(LAYER_COLUMNS, "") | {"name": "X", "kind": "city"}], folder / "SY.tsv.gz")
    monkeypatch.setattr(sources, "COMMITTED_LAYER_DIR", folder)
    return folder


def _rows(path: Path) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in read_layer(path)}


def test_a_geonames_dump_keeps_towns_and_admin_units_with_their_province(tmp_path: Path, settings) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(SY_DUMP, encoding="utf-8")
    source = add_source(dump, settings)
    assert (source.name, source.places, source.committed) == ("geonames-SY", 4, False)
    assert source.path == settings.added_gazetteer_dir / "geonames-SY.tsv.gz"
    with gzip.open(source.path, "rt", encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == list(GEONAMES_COLUMNS)
    rows = _rows(source.path)
    assert set(rows) == {"Kafr Nabl", "Muhafazat Idlib", "Maarrat al-Nu'man District", "Saraqib"}
    town = rows["Kafr Nabl"]
    assert (town["kind"], town["geonameid"], town["wof_id"], town["cc"]) == ("city", "1", "", "SY")
    # The province comes from the dump's ADM1 row, the district from its ADM2 row.
    assert (town["region"], town["region_gid"], town["county"], town["admin1_code"]) == (
        "Muhafazat Idlib", "4", "Maarrat al-Nu'man District", "09")
    # Latin spellings only, no codes; population 0 means unknown.
    assert town["names"] == "Kafranbel|Kafr Nubl"
    assert town["population"] == ""
    assert rows["Saraqib"]["names"] == "Saraqeb|Sarāqib"
    assert rows["Saraqib"]["population"] == "30000"
    assert (rows["Muhafazat Idlib"]["kind"], rows["Muhafazat Idlib"]["region"]) == ("admin1", "")
    assert rows["Maarrat al-Nu'man District"]["kind"] == "admin2"
    assert rows["Maarrat al-Nu'man District"]["region_gid"] == "4"


def test_a_zipped_dump_gives_the_same_rows_as_its_text(tmp_path: Path, settings) -> None:
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "GeoNames readme\tnot a table\n")
        zf.writestr("SY.txt", SY_DUMP)
    from_zip = list(read_layer(add_source(archive, settings).path))
    dump = tmp_path / "text" / "SY.txt"
    dump.parent.mkdir()
    dump.write_text(SY_DUMP, encoding="utf-8")
    assert list(read_layer(add_source(dump, settings).path)) == from_zip
    assert len(from_zip) == 4


def test_a_cities_file_without_admin_rows_keeps_the_admin1_code(tmp_path: Path, settings) -> None:
    archive = tmp_path / "cities1000.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("cities1000.txt", geonames_line(6, "Saraqib", "PPL", admin1="09", pop=30000)
                    + geonames_line(8, "Doolow", "PPL", cc="SO", admin1="03"))
    source = add_source(archive, settings)
    assert source.name == "geonames-cities1000"
    rows = _rows(source.path)
    assert (rows["Saraqib"]["region"], rows["Saraqib"]["region_gid"], rows["Saraqib"]["admin1_code"]) == ("", "", "09")
    assert rows["Doolow"]["cc"] == "SO"


WOF_HEADER = ("wof_id\tplacetype\tname\tlat\tlon\tcountry\tregion_id\tregion_name\tcounty_id\tcounty_name\t"
              "localadmin_id\tgeonames_id\tpopulation\tis_current\tnames\n")


def _wof(path: Path, rows: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(WOF_HEADER + "".join(rows))
    return path


def wof_line(wof_id: int, placetype: str, name: str, *, region: tuple[str, str] = ("", ""),
             county: tuple[str, str] = ("", ""), gid: str = "", current: str = "1", names: str = "",
             lat: float = 2.0, lon: float = 45.0, cc: str = "SO") -> str:
    return "\t".join([str(wof_id), placetype, name, str(lat), str(lon), cc, region[0], region[1], county[0],
                      county[1], "", gid, "", current, names or name]) + "\n"


def test_a_wof_extract_keeps_current_places_and_latin_names(tmp_path: Path, settings) -> None:
    extract = _wof(tmp_path / "SO.tsv.gz", [
        wof_line(10, "region", "Gedo", gid="51966"),
        wof_line(11, "county", "Doolow District", region=("10", "Gedo")),
        wof_line(12, "locality", "Doolow", region=("10", "Gedo"), county=("11", "Doolow District"), gid="64",
                 names="Doolow|Dolow|دولو|Dolo"),
        wof_line(13, "campus", "Doolow Airport"),  # airports come from OurAirports
        wof_line(14, "locality", "Old Doolow", current="0"),
    ])
    source = add_source(extract, settings)
    assert (source.name, source.places) == ("wof-SO", 3)
    with gzip.open(source.path, "rt", encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == list(LAYER_COLUMNS)
    town = _rows(source.path)["Doolow"]
    assert (town["kind"], town["geonameid"], town["region"], town["region_gid"], town["county"]) == (
        "city", "64", "Gedo", "51966", "Doolow District")
    assert town["names"] == "Dolow|Dolo"


def test_the_committed_build_drops_a_region_of_another_country_and_points_far_out(tmp_path: Path) -> None:
    extracts = tmp_path / "extracts"
    extracts.mkdir()
    _wof(extracts / "IL.tsv.gz", [wof_line(1, "region", "Northern", cc="IL", lat=32.9, lon=35.3)])
    towns = [wof_line(100 + i, "locality", f"Town {i}", region=("1", "Northern"), cc="SY", lat=33.0 + i / 100,
                      lon=35.8 + i / 100) for i in range(300)]
    _wof(extracts / "SY.tsv.gz", [*towns, wof_line(99, "locality", "Null Island", cc="SY", lat=0.1, lon=0.1)])
    reports: list[tuple[str, int]] = []
    total = build_wof_layer(extracts, tmp_path / "out", lambda name, n: reports.append((name, n)))
    assert reports == [("IL.tsv.gz", 1), ("SY.tsv.gz", 300)] and total == 301
    rows = _rows(tmp_path / "out" / "SY.tsv.gz")
    assert "Null Island" not in rows
    assert rows["Town 0"]["region"] == ""  # Quneitra-style: Israel's region is no region of Syria


def _gz(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, fragment", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: _zip(d / "SY.zip", {"readme.md": "x"}), "no .txt"),
    (lambda d: _gz(d / "SY.txt", (SY_DUMP + geonames_line(9, "Binnish", "PPL"))[:-30].encode()), "truncated"),
    (lambda d: _gz(d / "SY.txt", SY_DUMP.encode().replace(b"Saraqib\t", b"Saraq\xffib\t", 1)), "line 6: not UTF-8"),
    (lambda d: _gz(d / "SY.txt", b"name,lat,lon\nDouma,33.5,36.4\n"), "neither a GeoNames dump"),
    (lambda d: _gz(d / "SY.txt", b""), "empty"),
    (lambda d: _gz(d / "SY.txt", b"\x1f\x8b\x08\x00broken gzip"), "cannot (read|convert)"),
    (lambda d: _wof(d / "SO.tsv.gz", [wof_line(1, "locality", "A"), "2\tlocality\tB\n"]), "line 3: 3 columns"),
])
def test_bad_input_is_an_error_for_that_file_and_writes_nothing(tmp_path: Path, settings, make, fragment) -> None:
    with pytest.raises(SourceError, match=fragment):
        add_source(make(tmp_path), settings)
    added = settings.added_gazetteer_dir
    assert not added.exists() or list(added.iterdir()) == []


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def test_adding_a_name_again_replaces_it_and_a_failed_add_keeps_the_old_file(tmp_path: Path, settings) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(SY_DUMP, encoding="utf-8")
    first = add_source(dump, settings)
    dump.write_text(geonames_line(6, "Saraqib", "PPL"), encoding="utf-8")
    assert add_source(dump, settings).places == 1
    dump.write_bytes(b"\xff broken\n")
    with pytest.raises(SourceError):
        add_source(dump, settings)
    assert [row["name"] for row in read_layer(first.path)] == ["Saraqib"]
    assert [p.name for p in settings.added_gazetteer_dir.iterdir()] == ["geonames-SY.tsv.gz"]


def test_sources_are_listed_with_counts_and_only_added_ones_can_be_removed(
    tmp_path: Path, settings, committed: Path
) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(SY_DUMP, encoding="utf-8")
    add_source(dump, settings)
    listed = [(s.name, s.places, s.committed) for s in layer_sources(settings)]
    assert listed == [("SY", 1, True), ("geonames-SY", 4, False)]
    with pytest.raises(SourceError, match="SY is a committed source.*added: geonames-SY"):
        remove_source("SY", settings)
    with pytest.raises(SourceError, match="no added source named 'nope'"):
        remove_source("nope", settings)
    assert remove_source("geonames-SY", settings).places == 4
    assert [s.name for s in layer_sources(settings)] == ["SY"]
    assert (committed / "SY.tsv.gz").exists()
