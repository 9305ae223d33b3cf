"""Events from the seed page, with hand-made mentions (independent of the geoparser).

The seed page (data/samples/spacewar-2017-11-04.txt) holds an AFP story of
Saturday 4 November 2017 and a teaser of Thursday 2 November 2017 about Douma.
Each test builds the Article the ingest would produce and the Mentions a good
geoparser would return (real coordinates, offsets found with str.find), then
checks the events issue 4 asks for.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from conflictmap.events.extract import extract_events
from conflictmap.model import Article, Event, Mention, Place
from tests.conftest import ROOT

SEED = ROOT / "data" / "samples" / "spacewar-2017-11-04.txt"

# Facts from GeoNames (ids, coordinates, admin1 codes); Hiri from UCDP GED ("Al Hiri village").
ALBU_KAMAL = Place("gn:174448", "Albu Kamal", 34.45226, 40.91854, "city", "SY", "07", 57572, 174448)
DEIR_EZZOR = Place("gn:170794", "Deir ez-Zor", 35.33588, 40.14084, "city", "SY", "07", 271800, 170794)
DEIR_EZZOR_PROVINCE = Place("gn:170792", "Deir ez-Zor Governorate", 35.0, 40.5, "admin1", "SY", "07", 0, 170792)
AL_QAIM = Place("gn:92138", "Al Qa'im", 34.39251, 40.98945, "city", "IQ", "01", 74100, 92138)
HAWIJA = Place("test:hawija", "Al Hawijah", 35.3267, 43.7713, "city", "IQ", "13")
RAQQA = Place("gn:172955", "Ar Raqqah", 35.95283, 39.00788, "city", "SY", "04", 531952, 172955)
HIRI = Place("test:hiri", "Al Hiri", 34.437222, 40.97, "city", "SY", "07")
DOUMA = Place("gn:170592", "Duma", 33.57175, 36.4027, "city", "SY", "08", 111864, 170592)
DAMASCUS = Place("gn:170654", "Damascus", 33.5102, 36.29128, "city", "SY", "13", 1569394, 170654)
BAGHDAD = Place("gn:98182", "Baghdad", 33.34058, 44.40088, "city", "IQ", "07", 7216000, 98182)
TEHRAN = Place("gn:112931", "Tehran", 35.69439, 51.42151, "city", "IR", "26", 7153309, 112931)
PARIS = Place("gn:2988507", "Paris", 48.85341, 2.3488, "city", "FR", "11", 2138551, 2988507)
MANHATTAN = Place("gn:5125771", "Manhattan", 40.78343, -73.96625, "city", "US", "NY", 1487536, 5125771)
SYRIA = Place("gn:163843", "Syria", 35.0, 38.0, "country", "SY")
IRAQ = Place("gn:99237", "Iraq", 33.0, 44.0, "country", "IQ")
BRITAIN = Place("gn:2635167", "United Kingdom", 54.75844, -2.69531, "country", "GB")
IRAN = Place("gn:130758", "Iran", 32.0, 53.0, "country", "IR")
RUSSIA = Place("gn:2017370", "Russia", 60.0, 100.0, "country", "RU")
TURKEY = Place("gn:298795", "Turkey", 39.0, 35.0, "country", "TR")
# Supplement-style rows (regions and rivers no package has); points inside them.
EUPHRATES = Place("sup:euphrates", "Euphrates", 35.0, 40.45, "natural", "SY")
EUPHRATES_VALLEY = Place("sup:euphrates-valley", "Euphrates valley", 34.9, 40.6, "region", "SY")
EASTERN_GHOUTA = Place("sup:eastern-ghouta", "Eastern Ghouta", 33.55, 36.45, "region", "SY")

SURFACES = {
    "Albu Kamal": ALBU_KAMAL, "Deir Ezzor": DEIR_EZZOR, "Al-Qaim": AL_QAIM, "Hawija": HAWIJA,
    "Raqa": RAQQA, "Hiri": HIRI, "Douma": DOUMA, "Damascus": DAMASCUS, "Baghdad": BAGHDAD,
    "Tehran": TEHRAN, "Paris": PARIS, "Manhattan": MANHATTAN, "Syria": SYRIA, "Iraq": IRAQ,
    "Britain": BRITAIN, "Iran": IRAN, "Russia": RUSSIA, "Turkey": TURKEY,
    "Euphrates Valley": EUPHRATES_VALLEY, "Euphrates River": EUPHRATES, "Euphrates": EUPHRATES,
    "Eastern Ghouta": EASTERN_GHOUTA,
}


def _mentions(body: str) -> list[Mention]:
    """Every occurrence of every known surface (longest first, no overlaps), as a geoparser would give."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for surface in sorted(SURFACES, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", body):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            place = SURFACES[surface]
            # "the province of Deir Ezzor" resolves to the governorate; elsewhere the city.
            if surface == "Deir Ezzor" and body[: m.start()].endswith("province of "):
                place = DEIR_EZZOR_PROVINCE
            taken.append((m.start(), m.end()))
            found.append(Mention(m.start(), m.end(), surface, place, 0.9))
    return sorted(found, key=lambda m: m.start)


def _seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"seed page missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def main_story() -> tuple[Article, list[Mention], list[Event]]:
    """The AFP story of Sat 4 Nov 2017: body from the lede to the "...Dillon said." line."""
    text = _seed_text()
    start = text.index("Syrian and allied forces converged")
    end = text.index("Dillon said.") + len("Dillon said.")
    body = text[start:end]
    article = Article.create(
        "Anti-IS forces converge on Syria border town", body,
        published=date(2017, 11, 4), agency="AFP", dateline="Deir Ezzor, Syria",
    )
    mentions = _mentions(body)
    return article, mentions, extract_events(article, mentions)


@pytest.fixture(scope="module")
def douma_teaser() -> tuple[Article, list[Event]]:
    """The teaser of Thu 2 Nov 2017: its summary up to "... read more" (cut mid-word, as published)."""
    text = _seed_text()
    start = text.index("Syrian government air strikes killed")
    end = text.index(" ... read more")
    body = text[start:end]
    article = Article.create(
        "Air strikes kill six in Syria 'truce zone': monitor", body,
        published=date(2017, 11, 2), agency="AFP", dateline="Douma, Syria",
    )
    return article, extract_events(article, _mentions(body))


def _at(events: list[Event], place: Place) -> list[Event]:
    return [e for e in events if e.mention.place is not None and e.mention.place.place_id == place.place_id]


def test_regime_forces_take_deir_ezzor_on_friday(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    _, _, events = main_story
    taken = [e for e in _at(events, DEIR_EZZOR) if e.event_type == "Battles"]
    assert len(taken) == 1
    event = taken[0]
    assert (event.event_date, event.time_precision, event.date_phrase) == (date(2017, 11, 3), 1, "On Friday")
    assert event.sub_event_type == "Government regains territory"
    assert event.geo_precision == 1
    assert "Syrian government forces" in event.actors
    assert event.excerpt.startswith("On Friday, Russian-backed")


def test_iraqi_forces_retake_al_qaim_also_on_friday(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    _, _, events = main_story
    (event,) = _at(events, AL_QAIM)
    assert event.event_date == date(2017, 11, 3) and event.time_precision == 1
    assert event.date_phrase == "on Friday"
    assert (event.event_type, event.sub_event_type) == ("Battles", "Government regains territory")
    assert event.actors[0] == "Iraqi forces"


def test_car_bombing_told_twice_is_one_event_in_the_province(
    main_story: tuple[Article, list[Mention], list[Event]],
) -> None:
    _, _, events = main_story
    bombings = [e for e in events if e.event_type == "Explosions/Remote violence"]
    assert len(bombings) == 1
    event = bombings[0]
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.event_date == date(2017, 11, 4) and event.time_precision == 1
    assert event.mention.place is not None and event.mention.place.admin1 == "07"
    assert event.mention.place.country_code == "SY" and event.geo_precision == 3
    # "dozens": the documented range.
    assert (event.fatalities_best, event.fatalities_low, event.fatalities_high) == (12, 12, 99)
    assert "IS" in event.actors and "Civilians" in event.actors


def test_fighting_in_hiri_area_and_advance_on_albu_kamal(
    main_story: tuple[Article, list[Mention], list[Event]],
) -> None:
    _, _, events = main_story
    (hiri,) = _at(events, HIRI)
    assert (hiri.event_type, hiri.sub_event_type) == ("Battles", "Armed clash")
    assert hiri.event_date == date(2017, 11, 4) and hiri.geo_precision == 2
    assert set(hiri.actors) == {"Popular Mobilization Forces", "IS"}
    # The lede and the later "advancing on Albu Kamal" tell one advance.
    (advance,) = _at(events, ALBU_KAMAL)
    assert advance.event_type == "Battles" and advance.event_date == date(2017, 11, 4)
    assert advance.geo_precision == 1 and advance.date_phrase == "Saturday"
    assert "Syrian government forces" in advance.actors and "IS" in advance.actors


def test_hawija_and_raqa_dated_last_month(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    _, _, events = main_story
    for place in (HAWIJA, RAQQA):
        (event,) = _at(events, place)
        assert (event.event_date, event.time_precision, event.date_phrase) == (date(2017, 10, 1), 3, "last month")
        assert event.event_type == "Battles"


def test_places_only_mentioned_are_not_events(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    _, mentions, events = main_story
    placed = {e.mention.place.place_id for e in events if e.mention.place}
    for place in (PARIS, BRITAIN, TEHRAN, MANHATTAN, DAMASCUS, BAGHDAD, SYRIA, IRAQ):
        assert place.place_id not in placed, place.name
    assert {m.surface for m in mentions} >= {"Paris", "Britain", "Tehran", "Manhattan", "Damascus", "Baghdad"}


def test_main_story_event_set_is_exactly_the_expected(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    _, _, events = main_story
    got = sorted((e.mention.surface, e.event_date.isoformat(), e.event_type) for e in events)
    assert got == sorted([
        ("Albu Kamal", "2017-11-04", "Battles"),
        ("Deir Ezzor", "2017-11-03", "Battles"),
        ("Hawija", "2017-10-01", "Battles"),
        ("Raqa", "2017-10-01", "Battles"),
        ("Deir Ezzor", "2017-11-04", "Explosions/Remote violence"),
        ("Al-Qaim", "2017-11-03", "Battles"),
        ("Hiri", "2017-11-04", "Battles"),
        # The SDF's gains "in Syria's eastern province of Deir Ezzor".
        ("Deir Ezzor", "2017-11-04", "Battles"),
    ])


def test_event_offsets_point_into_the_body(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    article, mentions, events = main_story
    for event in events:
        assert article.body[event.excerpt_start : event.excerpt_end] == event.excerpt
        assert event.mention in mentions
        assert event.article_id == article.article_id
    assert len({e.event_id for e in events}) == len(events)


def test_douma_air_strikes_one_event_with_six_dead(douma_teaser: tuple[Article, list[Event]]) -> None:
    _, events = douma_teaser
    (event,) = events
    assert event.mention.place == DOUMA and event.geo_precision == 1
    assert (event.event_type, event.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert event.event_date == date(2017, 11, 2) and event.time_precision == 1
    assert (event.fatalities_best, event.fatalities_low, event.fatalities_high) == (6, 6, None)
    assert "Syrian government forces" in event.actors


def test_extraction_is_deterministic(main_story: tuple[Article, list[Mention], list[Event]]) -> None:
    article, mentions, events = main_story
    assert extract_events(article, list(reversed(mentions))) == events
