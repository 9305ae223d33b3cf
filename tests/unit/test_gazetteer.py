"""Gazetteer and name normalisation, against the small fixture slice.

``tests/fixtures/gazetteer_slice.json`` holds 37 real GeoNames places and one
curated region (see its ``_comment``); nothing here loads the full gazetteer.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictmap.geo.gazetteer import MATCH_FOLD, MATCH_VOWEL, Gazetteer, load_fixture
from conflictmap.geo.build import city_alternates
from conflictmap.geo.names import fold_key, is_latin, norm_key, skeleton_key, vowel_key

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "gazetteer_slice.json"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_fixture(FIXTURE)


@pytest.mark.parametrize(
    ("wire", "geonames"),
    [("Deir Ezzor", "Dayr az Zawr"), ("Deir ez-Zor", "Dayr az Zawr"), ("Raqa", "Ar Raqqah"),
     ("Albu Kamal", "Abu Kamal"), ("Al-Qaim", "Al Qa\u2019im"), ("Hawija", "Al \u1e28aw\u012bjah"),
     ("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Hodeida", "Al \u1e28udaydah")],
)
def test_wire_spellings_meet_geonames_spellings(wire: str, geonames: str) -> None:
    assert skeleton_key(wire) == skeleton_key(geonames)


def test_keys_tighten_from_skeleton_to_norm() -> None:
    assert norm_key("  Dayr  az-Zawr\u2019 ") == "dayr az zawr"
    assert fold_key("Ar Raqqah") == fold_key("Raqa") == "raqa"
    assert fold_key("Al-Qaim") == fold_key("Al Qa\u2019im") == "qaim"
    # Different places keep different fold keys.
    assert fold_key("Damascus") != fold_key("Douma")


def test_non_latin_names_give_no_key() -> None:
    assert norm_key("\u062f\u0645\u0634\u0642") == ""
    assert fold_key("\u041a\u0438\u0435\u0432") == ""


@pytest.mark.parametrize(
    ("name", "place_name", "cc"),
    [("Deir Ezzor", "Deir ez-Zor", "SY"), ("Raqa", "Ar Raqqah", "SY"), ("Albu Kamal", "\u0100lb\u016b Kam\u0101l", "SY"),
     ("Hawija", "Al \u1e28aw\u012bjah", "IQ"), ("Kiev", "Kyiv", "UA"), ("Kharkov", "Kharkiv", "UA"),
     ("Hodeida", "Al \u1e28udaydah", "YE")],
)
def test_candidates_find_variant_spellings(gaz: Gazetteer, name: str, place_name: str, cc: str) -> None:
    found = [(p.name, p.country_code) for p in gaz.candidates(name)]
    assert (place_name, cc) in found


def test_ambiguous_names_return_every_reading(gaz: Gazetteer) -> None:
    tripoli = {p.country_code for p in gaz.candidates("Tripoli")}
    assert tripoli == {"LB", "LY"}
    georgia = {(p.feature, p.country_code) for p in gaz.candidates("Georgia")}
    assert {("country", "GE"), ("admin1", "US")} <= georgia


def test_country_and_demonyms(gaz: Gazetteer) -> None:
    syria = gaz.country("sy")
    assert syria is not None and syria.feature == "country" and syria.name == "Syria"
    assert gaz.country("ZZ") is None
    assert gaz.demonym_country("Lebanese") == "LB"
    assert gaz.demonym_country("Martian") is None


def test_search_prefix_for_correction_ui(gaz: Gazetteer) -> None:
    names = [p.name for p in gaz.search("trip")]
    assert names[:2] == ["Tripoli", "Tripoli"]
    assert gaz.search("Kiev")[0].name == "Kyiv"
    assert gaz.search("", limit=5) == []
    assert len(gaz.search("a", limit=3)) <= 3


def test_odd_input_never_raises(gaz: Gazetteer) -> None:
    for odd in ("", "   ", "---", "\u062f\u0645\u0634\u0642", "x" * 10_000, "\x00\ufffd"):
        assert gaz.candidates(odd) == []
        assert gaz.search(odd) == []


def test_from_records_builds_a_tiny_gazetteer() -> None:
    gaz = Gazetteer.from_records([
        {"place_id": "sup:x", "name": "Hiri", "lat": 34.4, "lon": 40.97, "feature": "city", "country_code": "SY"},
    ])
    [hiri] = gaz.candidates("Al-Hiri")
    assert hiri.place_id == "sup:x" and hiri.geonameid is None


def test_an_exact_name_keeps_consonant_outline_matches_out() -> None:
    gaz = Gazetteer.from_records([
        {"place_id": "sup:npp", "name": "Chernobyl Nuclear Power Plant", "names": ["Chernobyl"], "lat": 51.39,
         "lon": 30.1, "feature": "facility", "country_code": "UA"},
        # A bigger town that once bore the name in another spelling ("c r n b l" either way).
        {"place_id": "gn:1", "name": "Lazurnyi", "names": ["Chornobyl"], "lat": 48.75, "lon": 37.62,
         "feature": "city", "country_code": "UA", "population": 13_460},
    ])
    assert [p.place_id for p in gaz.candidates("Chernobyl")] == ["sup:npp"]
    # With no exact name, the outline still finds both.
    assert {p.place_id for p in gaz.candidates("Chirnobal")} == {"gn:1", "sup:npp"}


def test_cache_key_follows_the_curated_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import conflictmap.geo.gazetteer as gazetteer

    supplement = tmp_path / "supplement.csv"
    supplement.write_text("id,name\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "SUPPLEMENT_PATH", supplement)
    before = gazetteer.cache_key()
    assert gazetteer.cache_key() == before  # stable while nothing changes
    supplement.write_text("id,name\nx,X\n", encoding="utf-8")
    assert gazetteer.cache_key() != before


def test_ain_and_hamza_letters_are_latin() -> None:
    # GeoNames writes the Arabic ain with U+2018 and the hamza with U+2019 or U+02BF;
    # such names were once skipped as non-Latin, so "Al-Ashara" found nothing.
    assert is_latin("Al \u2018Ash\u0101rah") and is_latin("D\u0101rat \u2018Izzah") and is_latin("Ra\u02bfs")
    assert not is_latin("\u062f\u0645\u0634\u0642")
    assert fold_key("Al-Ashara") == fold_key("Al \u2018Ash\u0101rah")
    assert fold_key("Darat Izza") == fold_key("D\u0101rat \u2018Izzah")


@pytest.mark.parametrize(
    ("wire", "geonames"),
    [("Atareb", "Al At\u0101rib"), ("Idleb", "Idlib"), ("Sheikh Maqsoud", "Shaykh Maqs\u016bd"),
     ("Deir Ezzor", "Dayr az Zawr"), ("Homs", "Hums")],
)
def test_vowel_key_merges_vowel_spellings(wire: str, geonames: str) -> None:
    assert fold_key(wire) != fold_key(geonames)
    assert vowel_key(wire) == vowel_key(geonames)


def test_vowel_key_keeps_different_names_apart() -> None:
    assert vowel_key("Damascus") != vowel_key("Douma")
    assert vowel_key("Paris") != vowel_key("Peru")


def test_lookup_levels_for_the_sample_villages(gaz: Gazetteer) -> None:
    [(ashara, quality)] = [(gaz.places[i], q) for i, q in gaz.lookup("Al-Ashara")]
    assert ashara.name == "Al \u2018Ash\u0101rah" and quality >= MATCH_FOLD
    [(atarib, quality)] = [(gaz.places[i], q) for i, q in gaz.lookup("Atareb", loose=False)]
    assert atarib.name == "Al At\u0101rib" and quality == MATCH_VOWEL
    # A closer spelling match shuts the vowel level out ("Tripoli" never meets "Tripuli"-like names).
    assert all(q >= MATCH_FOLD for _, q in gaz.lookup("Tripoli"))


def test_city_alternates_keep_names_people_write() -> None:
    # Big place: codes and lower-case machine transliterations go, names stay.
    alts = ["Al-Maghar", "maʻa'ʼr", "MGH", "Mughar", "Boons"]
    assert city_alternates("Magh\u0101r", 22957, alts, frozenset({"boons"})) == ["Al-Maghar", "Mughar"]
    # Small place with a transliterated name: only spellings of that same name.
    small = ["At Tamani`ah", "Tamana", "Tamanaa", "Gebelli", "tamana"]
    assert city_alternates("At Tam\u0101ni\u2018ah", 0, small, frozenset()) == ["At Tamani`ah", "Tamana", "Tamanaa"]
    # Small place with a plain name: its alternates are namesakes ("Jamison" for Jemison).
    assert city_alternates("Jemison", 2619, ["Jamison", "Bristol"], frozenset()) == []


def test_state_abbreviation_lookup(gaz: Gazetteer) -> None:
    assert [gaz.places[i].name for i, _ in gaz.lookup("Ill.")] == ["Illinois"]
    # Without its period it is another word: no state.
    assert "Illinois" not in [gaz.places[i].name for i, _ in gaz.lookup("Ill")]
    # Canadian Press abbreviations ("northeastern B.C.").
    assert [gaz.places[i].name for i, _ in gaz.lookup("B.C.")] == ["British Columbia"]


def test_hull_centre_is_the_middle_of_the_settled_outline() -> None:
    from conflictmap.geo.build import _hull_centre

    # A square of towns with a cluster in one corner: the hull centroid stays in
    # the middle of the square (the mean would drift to the cluster).
    square = [(0.0, 0.0), (0.0, 4.0), (4.0, 0.0), (4.0, 4.0)] + [(0.1 * k, 0.1 * k) for k in range(1, 10)]
    lat, lon = _hull_centre(square)
    assert abs(lat - 2.0) < 0.01 and abs(lon - 2.0) < 0.01
    # Fewer than five members: their mean; a flat hull (all on one line): the mean too.
    assert _hull_centre([(1.0, 1.0), (3.0, 3.0)]) == (2.0, 2.0)
    assert _hull_centre([(0.0, float(k)) for k in range(6)]) == (0.0, 2.5)


def test_an_admin_point_off_its_land_falls_back_to_where_people_live() -> None:
    from shapely.geometry import box

    from conflictmap.geo.build import _admin_point

    # A mainland city region (lat 35-36, lon 139-140) and a chain of small islands
    # running 300 km south into the sea, each within reach of the next.
    mainland = [(35.0 + 0.2 * k, 139.0 + 0.2 * j, 500_000) for k in range(6) for j in range(6)]
    chain = [(34.5 - 0.6 * k, 139.5 + 0.3 * k, 5_000) for k in range(6)]
    land = box(138.5, 34.5, 140.5, 36.5)  # the mainland only (lon/lat box)
    lat, lon = _admin_point(mainland + chain, land)
    assert 35.0 <= lat <= 36.0 and 139.0 <= lon <= 140.0
    # On land, the hull centre stands; with no outline known, too.
    assert _admin_point(mainland, land) == _admin_point(mainland, None)


def test_isolated_members_are_taken_for_mis_coded_places() -> None:
    from conflictmap.geo.build import _hull_centre, _settled

    # A province of towns between 32 and 35 N, 118 and 121 E, and one town
    # filed under it 1,800 km away: the far one is dropped, the point stays home.
    towns = [(32.0 + 0.5 * i, 118.0 + 0.5 * j) for i in range(7) for j in range(7)]
    far = (29.0, 100.3)
    kept = _settled(towns + [far])
    assert far not in kept and len(kept) == len(towns)
    lat, lon = _hull_centre(kept)
    assert abs(lat - 33.5) < 0.01 and abs(lon - 119.5) < 0.01
    # A thinly settled unit whose towns are all far apart keeps them all.
    sparse = [(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), (10.0, 10.0), (5.0, 5.0)]
    assert _settled(sparse) == sparse


def test_curated_files_are_well_formed() -> None:
    from conflictmap.geo.facilities import read_airport_aliases
    from conflictmap.geo.gazetteer import SUPPLEMENT_PATH, read_supplement
    from conflictmap.model import FEATURES

    rows = read_supplement()
    assert rows, f"{SUPPLEMENT_PATH} is empty"
    ids = [str(r["place_id"]) for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids in the supplement"
    for row in rows:
        where = row["place_id"]
        assert row["feature"] in FEATURES, where
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, where  # type: ignore[arg-type]
        assert len(str(row.get("country_code") or "")) in (0, 2), where
    import csv

    with SUPPLEMENT_PATH.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(line for line in fh if not line.startswith("#")):
            assert (raw.get("source") or "").strip(), f"{raw['id']} has no source note"
    for icao, aliases in read_airport_aliases().items():
        assert icao.isalnum() and aliases and all(a.strip() for a in aliases), icao
