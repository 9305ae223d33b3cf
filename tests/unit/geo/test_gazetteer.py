"""The gazetteer index and its look-ups, against the shared fixture slice (see ``conftest``)."""
from __future__ import annotations

import pytest

from conflictmap.geo.gazetteer import MATCH_FOLD, MATCH_VOWEL, Gazetteer


@pytest.fixture()
def gaz(gazetteer_slice: Gazetteer) -> Gazetteer:
    return gazetteer_slice


@pytest.mark.parametrize(
    ("name", "place_name", "cc"),
    [("Deir Ezzor", "Deir ez-Zor", "SY"), ("Raqa", "Ar Raqqah", "SY"),
     ("Albu Kamal", "\u0100lb\u016b Kam\u0101l", "SY"), ("Hawija", "Al \u1e28aw\u012bjah", "IQ"),
     ("Kiev", "Kyiv", "UA"), ("Kharkov", "Kharkiv", "UA"),
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


def test_lookup_levels_for_the_sample_villages(gaz: Gazetteer) -> None:
    [(ashara, quality)] = [(gaz.places[i], q) for i, q in gaz.lookup("Al-Ashara")]
    assert ashara.name == "Al \u2018Ash\u0101rah" and quality >= MATCH_FOLD
    [(atarib, quality)] = [(gaz.places[i], q) for i, q in gaz.lookup("Atareb", loose=False)]
    assert atarib.name == "Al At\u0101rib" and quality == MATCH_VOWEL
    # A closer spelling match shuts the vowel level out ("Tripoli" never meets "Tripuli"-like names).
    assert all(q >= MATCH_FOLD for _, q in gaz.lookup("Tripoli"))


def test_state_abbreviation_lookup(gaz: Gazetteer) -> None:
    assert [gaz.places[i].name for i, _ in gaz.lookup("Ill.")] == ["Illinois"]
    # Without its period it is another word: no state.
    assert "Illinois" not in [gaz.places[i].name for i, _ in gaz.lookup("Ill")]
    # Canadian Press abbreviations ("northeastern B.C.").
    assert [gaz.places[i].name for i, _ in gaz.lookup("B.C.")] == ["British Columbia"]


def test_key_tables_hold_ints_and_tuples_and_survive_a_pickle() -> None:
    import pickle

    rows = [{"place_id": f"t:{i}", "name": name, "lat": 30.0 + i, "lon": 40.0, "feature": "city",
             "country_code": "SY", "admin1": "01", "population": 1000 * (i + 1), "names": []}
            for i, name in enumerate(["Tall Tamr", "Tall Tamr", "Saraqib"])]
    gaz = Gazetteer.from_records(rows)
    # One place under a key is a bare int, two a tuple; lookups see both as indices.
    assert isinstance(dict.get(gaz._norm, "saraqib"), int)
    assert isinstance(dict.get(gaz._norm, "tall tamr"), tuple)
    assert sorted(i for i, _ in gaz.lookup("Tall Tamr")) == [0, 1] and [i for i, _ in gaz.lookup("Saraqib")] == [2]
    back = pickle.loads(pickle.dumps(gaz))
    assert back.lookup("Tell Tamer") == gaz.lookup("Tell Tamer") and back.lookup("Saraqeb") == gaz.lookup("Saraqeb")
