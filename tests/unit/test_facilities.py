"""Airports and air bases: names from airportsdata rows, the airport cue, and resolution.

The gazetteer here is built from a few airportsdata-shaped rows written by the
test (coordinates are the airports' published ones) and a few GeoNames towns,
so the tests do not need the full index.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conflictmap.events import extract_events
from conflictmap.facilities import FACILITY, MANY, ONE, airport_core, facility_cue, facility_records
from conflictmap.gazetteer import Gazetteer, PlaceRecord
from conflictmap.geoparse import Geoparser
from conflictmap.model import Article, Place

_HEADER = '"icao","iata","name","city","subd","country","elevation","lat","lon","tz","lid"'
_ROWS = [
    '"OS66","","Shayrat Air Base","Shayrat","Homs","SY",2644,34.4903,36.9091,"Asia/Damascus",""',
    '"OSDI","DAM","Damascus International Airport","Damascus","Rif-dimashq","SY",2020,33.4114,36.5156,'
    '"Asia/Damascus",""',
    '"OSAP","ALP","Aleppo International Airport","Aleppo","Aleppo","SY",1276,36.1807,37.2244,"Asia/Damascus",""',
    '"EGLL","LHR","London Heathrow Airport","London","England","GB",83,51.4706,-0.46194,"Europe/London",""',
    '"EGKK","LGW","London Gatwick Airport","London","England","GB",202,51.1481,-0.19028,"Europe/London",""',
    '"EGPD","ABZ","Aberdeen Dyce Airport","Aberdeen","Scotland","GB",215,57.2019,-2.19778,"Europe/London",""',
    '"OLBA","BEY","Beirut Rafic Hariri International Airport","Beirut","Beirut","LB",87,33.8209,35.4884,'
    '"Asia/Beirut",""',
    '"LTCL","SXZ","Siirt Airport","Siirt","Siirt","TR",2001,37.9789,41.8404,"Europe/Istanbul",""',
    # A US private strip (left out), a US military field (kept), a common-word core.
    '"00AA","","Aero B Ranch Airport","Leoti","Kansas","US",3435,38.704,-101.4739,"America/Chicago","00AA"',
    '"KPOB","POB","Pope Army Air Field","Fayetteville","North Carolina","US",217,35.1709,-79.0145,'
    '"America/New_York",""',
    '"CYHE","YHE","Hope Airport","Hope","British Columbia","CA",128,49.3683,-121.498,"America/Vancouver",""',
]
_COMMON = ("hope", "the", "said", "was", "small", "in", "on", "fog", "shells", "officials", "rebels", "flights", "us")


def _towns() -> list[PlaceRecord]:
    # GeoNames facts: name, coordinates, feature, country, admin1, population.
    rows = [
        ("gn:170654", "Damascus", 33.5102, 36.29128, "city", "SY", "13", 1_569_394),
        ("gn:170063", "Aleppo", 36.20124, 37.16117, "city", "SY", "09", 1_602_264),
        ("gn:169577", "Homs", 34.72682, 36.72339, "admin1", "SY", "11", 1_500_000),
        ("gn:2643743", "London", 51.50853, -0.12574, "city", "GB", "ENG", 8_961_989),
        ("gn:2657832", "Aberdeen", 57.14369, -2.09814, "city", "GB", "SCT", 196_670),
        ("gn:2635167", "United Kingdom", 54.75844, -2.69531, "country", "GB", "", 66_488_991),
        ("gn:163843", "Syria", 35.0, 38.0, "country", "SY", "", 22_198_110),
        ("gn:298795", "Turkey", 39.0, 35.0, "country", "TR", "", 82_000_000),
    ]
    return [PlaceRecord(Place(pid, name, lat, lon, feat, cc, a1, pop), (name,))
            for pid, name, lat, lon, feat, cc, a1, pop in rows]


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("airports") / "airports.csv"
    path.write_text("\n".join([_HEADER, *_ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gp(csv_path: Path) -> Geoparser:
    records = _towns() + facility_records(csv_path, _COMMON)
    return Geoparser(Gazetteer(records, {"syrian": "SY", "british": "GB", "turkish": "TR"}, _COMMON))


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
    assert all(r.place.feature == FACILITY for r in records.values())
    assert records["air:EGLL"].names == ("London Heathrow Airport", "Heathrow Airport", "London Airport")
    # A scheduled airport is also "<city> Airport"; a common-word core is no extra name.
    assert "Aberdeen Airport" in records["air:EGPD"].names
    assert records["air:CYHE"].names == ("Hope Airport",)
    assert records["air:OS66"].names == ("Shayrat Air Base", "Shayrat Airport")
    lat, lon = records["air:OS66"].place.lat, records["air:OS66"].place.lon
    assert (lat, lon) == (34.4903, 36.9091)


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
    assert base.place is not None and base.place.place_id == "air:OS66"


def test_an_air_base_strike_becomes_an_event_at_the_base(gp: Geoparser) -> None:
    body = ("US warships fired 59 cruise missiles at the Shayrat air base in Homs province on Friday, "
            "killing six soldiers, the army said.")
    article = Article.create("Strike", body, published=date(2017, 4, 7))
    events = extract_events(article, gp.geoparse(body))
    assert len(events) == 1
    ev = events[0]
    assert ev.mention.place is not None and ev.mention.place.place_id == "air:OS66"
    assert ev.geo_precision == 1
    assert ev.fatalities_best == 6
