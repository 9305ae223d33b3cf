"""The geoparser with the full gazetteer on sentences where airport words meet town names.

Each case compares the place found for a name followed by airport words with the
place found for the bare name in the same sentence: an airport named after
another town with a similar outline ("Liman Airfield", 600 km from Lyman) must
never replace the town itself.
"""
from __future__ import annotations

import pytest

from conflictmap.geo.geoparser import Geoparser, default_geoparser
from conflictmap.model import Place, haversine_km


@pytest.fixture(scope="module")
def gp() -> Geoparser:
    return default_geoparser()


def _place(gp: Geoparser, text: str, surface: str) -> Place | None:
    return {m.surface: m.place for m in gp.geoparse(text)}.get(surface)


@pytest.mark.parametrize(("text", "name", "words"), [
    ("Russian forces shelled Lyman airfield in Donetsk region, Ukraine.", "Lyman", " airfield"),
    ("Boko Haram attacked Biu airport in Borno, Nigeria.", "Biu", " airport"),
    ("Taliban fighters attacked Herat airport in Afghanistan.", "Herat", " airport"),
    ("Israeli jets struck Rafah airport in Gaza.", "Rafah", " airport"),
    ("A Syria air base was hit.", "Syria", " air base"),
])
def test_airport_words_never_move_a_town_away(gp: Geoparser, text: str, name: str, words: str) -> None:
    plain = _place(gp, text.replace(name + words, name), name)
    cued = _place(gp, text, name)
    assert plain is not None and cued is not None
    assert haversine_km(cued.lat, cued.lon, plain.lat, plain.lon) < 60


def test_the_last_name_before_airports_is_the_airport(gp: Geoparser) -> None:
    gatwick = _place(gp, "Protesters blocked Heathrow and Gatwick airports in London.", "Gatwick")
    assert gatwick is not None and gatwick.feature == "facility" and gatwick.country_code == "GB"
    # A town's airports are the town's.
    london = _place(gp, "Fog closed London airports on Saturday.", "London")
    assert london is not None and london.feature == "city"
