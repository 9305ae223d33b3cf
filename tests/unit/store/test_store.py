"""The store: one transaction per article, dedup, merging, filters and corrections.

Every test runs on SQLite and on PostgreSQL (a private server, see tests/fixtures/postgres.py).
"""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from conflictmap.events.extract import extract_events
from conflictmap.model import Article, Event, EventFilter, Mention, Place, PlaceRow, make_event_id
from conflictmap.store import Store
from conflictmap.store.schema import PLACE_COLUMNS
from tests.fixtures.store_fixture import HOSTILE_TITLE, PLACES, REFERENCE, build_articles


def test_rewriting_an_article_changes_nothing(seeded_url: str) -> None:
    store = Store(seeded_url)
    before = store.summary(EventFilter())
    article, mentions, events = build_articles()[0]
    assert store.write_article(article, mentions, events) is False
    assert store.summary(EventFilter()) == before


def test_one_incident_from_two_articles_is_one_event_with_two_sources(seeded_url: str) -> None:
    store = Store(seeded_url)
    rows = store.query_events(EventFilter(text="al-qaim"))
    assert len(rows) == 1
    assert rows[0]["sources"] == 2
    titles = {s["title"] for s in store.event_sources(rows[0]["event_id"])}
    assert titles == {"Iraqi forces retake Al-Qaim", "Iraq recaptures Al-Qaim from IS"}


def test_events_of_different_type_at_the_same_place_stay_apart(seeded_url: str) -> None:
    rows = Store(seeded_url).query_events(EventFilter(text="raqa"))
    assert {r["event_type"] for r in rows} == {"Battles", "Explosions/Remote violence"}


@pytest.mark.parametrize("flt, expected", [
    (EventFilter(), 10),
    (EventFilter(date_from=date(2017, 11, 1)), 6),
    (EventFilter(date_from=date(2017, 11, 1), date_to=date(2017, 11, 3)), 3),
    (EventFilter(event_types=("Battles",)), 6),
    (EventFilter(countries=("IQ", "YE")), 3),
    # First-level units (the roll-ups have none: the events table answers).
    (EventFilter(admin1=("Deir ez-Zor", "Idlib")), 3),
    (EventFilter(countries=("IQ",), admin1=("Deir ez-Zor",)), 0),
    (EventFilter(admin1=("Deir ez-Zor",), date_from=date(2017, 11, 4)), 1),
    (EventFilter(actors=("IS",)), 4),
    (EventFilter(text="TRUCK"), 1),
    (EventFilter(text="100%_"), 0),
    (EventFilter(min_fatalities=10), 2),
])
def test_filters(seeded_url: str, flt: EventFilter, expected: int) -> None:
    store = Store(seeded_url)
    assert len(store.query_events(flt)) == expected
    assert store.summary(flt)["events"] == expected
    assert sum(r["events"] for r in store.counts_by_day(flt)) == expected


def test_event_rows_carry_what_a_popup_needs(seeded_url: str) -> None:
    row = Store(seeded_url).query_events(EventFilter(text="douma"))[0]
    assert row["excerpt"][row["place_start"]:row["place_end"]] == "Douma"
    assert row["title"] == "Air strikes kill six in Syria 'truce zone'"
    assert row["url"].startswith("https://")
    assert row["event_date"] == date(2017, 11, 2)
    assert row["actors"] == ["Syrian government forces", "Civilians"]
    assert (row["lat"], row["lon"]) == (PLACES["Douma"].lat, PLACES["Douma"].lon)


def test_text_is_stored_verbatim(seeded_url: str) -> None:
    store = Store(seeded_url)
    titles = [a["title"] for a in store.list_articles()]
    assert HOSTILE_TITLE in titles  # escaping is the renderer's job, never the store's


def test_correction_moves_existing_events_and_applies_to_later_ingests(seeded_url: str) -> None:
    store = Store(seeded_url)
    hama = Place("gn:170017", "Hama", 35.1318, 36.7578, "city", "SY", "Hama", 696863, 170017)
    moved = store.add_correction("idlib", hama)
    assert moved == 1
    import getpass

    (stored,) = store.corrections()
    assert stored["made_by"] == getpass.getuser() and stored["created_at"] is not None  # who and when
    store.add_correction("idlib", hama, made_by="analyst@example.org")
    assert store.corrections()[0]["made_by"] == "analyst@example.org"
    row = store.query_events(EventFilter(text="Clashes in Idlib"))[0]
    assert (row["place"], row["lat"]) == ("Hama", hama.lat)
    mention = store.article_mentions(row["article_id"])[0]
    assert mention["resolved_by"] == "correction"

    # A later article naming "Idlib" is resolved by the correction, not the geoparser.
    article, mentions, events = build_articles()[-1]
    later = replace(article, article_id="later-article", body=article.body + " ")
    events = [replace(e, event_id="later-event", article_id=later.article_id, event_date=date(2017, 12, 20))
              for e in events]
    assert store.write_article(later, mentions, events)
    assert store.article_mentions("later-article")[0]["place"] == "Hama"
    assert {r["place"] for r in store.query_events(EventFilter(date_from=date(2017, 12, 20)))} == {"Hama"}


def test_correction_scoped_to_one_article(seeded_url: str) -> None:
    store = Store(seeded_url)
    raqa = store.query_events(EventFilter(text="raqa"))
    other = Place("gn:1", "Elsewhere", 1.0, 1.0, "city", "XX")
    assert store.add_correction("Raqa", other, article_id="not-this-one") == 0
    assert store.add_correction("Raqa", other, article_id=raqa[0]["article_id"]) == 2


def test_concurrent_writers_store_each_article_once(backend_url: str) -> None:
    url = backend_url
    Store(url)
    items = build_articles()
    errors: list[BaseException] = []

    def writer() -> None:
        store = Store(url)
        try:
            for article, mentions, events in items:
                store.write_article(article, mentions, events)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert Store(url).facets()["articles"] == len(items)


def test_article_without_resolved_place_keeps_mentions_but_no_event(backend_url: str) -> None:
    empty_store = Store(backend_url)
    article, mentions, events = build_articles()[0]
    unresolved = [replace(m, place=None) for m in mentions]
    events = [replace(e, mention=unresolved[0]) for e in events]
    assert empty_store.write_article(article, unresolved, events)
    assert empty_store.summary(EventFilter())["events"] == 0
    assert len(empty_store.article_mentions(article.article_id)) == 1


def test_reference_rows_import_once(seeded_url: str) -> None:
    store = Store(seeded_url)
    assert store.import_reference(REFERENCE) == 0
    assert store.reference_count() == 2
    rows = store.query_reference(EventFilter(date_from=date(2017, 11, 3)))
    assert [r["ref_id"] for r in rows] == ["ucdp:fixture-2"]


def test_places_lists_surfaces_and_counts(seeded_url: str) -> None:
    places = {p["place"]: p for p in Store(seeded_url).places()}
    assert places["Al Qa'im"]["surfaces"] == ["Al-Qaim"]
    assert places["Al Qa'im"]["mentions"] == 2
    assert places["Ar Raqqah"]["events"] == 2


def test_empty_store(backend_url: str) -> None:
    empty_store = Store(backend_url)
    assert empty_store.is_empty()
    assert empty_store.facets()["date_min"] is None
    assert empty_store.query_events(EventFilter()) == []
    assert empty_store.get_article("nope") is None
    assert isinstance(Article.create("t", "b").article_id, str)


def test_grid_counts_aggregate_in_the_database(seeded_url: str) -> None:
    store = Store(seeded_url)
    fine = store.grid_counts(EventFilter(), 0.05)
    coarse = store.grid_counts(EventFilter(), 10.0)
    assert sum(c["events"] for c in fine) == sum(c["events"] for c in coarse) == 10
    assert len(coarse) < len(fine)
    # The Raqa cell holds its two events at Raqa itself (mean of the events, not a cell corner).
    raqa = [c for c in fine if c["events"] == 2 and abs(c["lat"] - PLACES["Raqa"].lat) < 1e-6]
    assert raqa and abs(raqa[0]["lon"] - PLACES["Raqa"].lon) < 1e-6
    assert store.grid_counts(EventFilter(countries=("SO",)), 1.0) == [
        {"lat": PLACES["Mogadishu"].lat, "lon": PLACES["Mogadishu"].lon, "events": 1, "fatalities": 512}
    ]
    with pytest.raises(ValueError):
        store.grid_counts(EventFilter(), 0)


def test_get_event_and_lean_map_rows_agree_with_query_events(seeded_url: str) -> None:
    store = Store(seeded_url)
    full = store.query_events(EventFilter(countries=("SY",)))
    lean = store.map_events(EventFilter(countries=("SY",)))
    assert [r["event_id"] for r in lean] == [r["event_id"] for r in full]
    for a, b in zip(full, lean, strict=True):
        assert {k: a[k] for k in b} == b
    assert "actors" not in lean[0] and "body" not in lean[0]
    assert store.get_event(full[0]["event_id"]) == full[0]
    assert store.get_event("no-such-event") is None


def test_two_places_of_one_sentence_near_a_stored_incident_stay_two_events(backend_url: str) -> None:
    """"Air strikes hit Douma and Harasta": only Douma merges into the stored Douma strike."""
    store = Store(backend_url)
    douma = PLACES["Douma"]
    harasta = Place("gn:170063", "Harasta", 33.5586, 36.3650, "city", "SY", "Rif Dimashq", 0, 170063)

    def article(title: str, body: str, places: list[Place]) -> tuple[Article, list[Mention], list[Event]]:
        art = Article.create(title, body, published=date(2017, 11, 2))
        mentions, events = [], []
        for place in places:
            start = body.index(place.name)
            mention = Mention(start, start + len(place.name), place.name, place, 0.9)
            mentions.append(mention)
            events.append(Event(
                event_id=make_event_id(art.article_id, 0, start), article_id=art.article_id, mention=mention,
                event_date=date(2017, 11, 2), time_precision=1, date_phrase="", geo_precision=1,
                event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", excerpt=body,
                excerpt_start=0, excerpt_end=len(body),
            ))
        return art, mentions, events

    assert store.write_article(*article("Strike on Douma", "Air strikes hit Douma on Thursday.", [douma]))
    assert store.write_article(*article("Strikes near Damascus", "Air strikes hit Douma and Harasta on Thursday.",
                                        [douma, harasta]))
    rows = {r["place"]: r for r in store.query_events(EventFilter())}
    assert set(rows) == {"Douma", "Harasta"}
    assert rows["Douma"]["sources"] == 2 and rows["Harasta"]["sources"] == 1
    assert store.summary(EventFilter())["reports"] == 3
    store.dispose()


def test_facets_list_every_actor_once_in_order(seeded_url: str) -> None:
    store = Store(seeded_url)
    expected = sorted({a for e in store.query_events(EventFilter()) for a in e["actors"]})
    assert store.facets()["actors"] == expected
    assert {"IS", "SDF", "Houthis", "Al-Shabaab"} <= set(expected)
    store.dispose()


# A place known only as an area: a district (admin2) and a mountain range (natural, as in
# data/gazetteer/supplement.csv), each with a same-named town a geoparser may pick instead.
# Coordinates rounded; the district's and the Lebanese village's ids are made up for the test.
_AREAS = {
    "admin2": ("Hawija",
               Place("test:hawija-district", "Al Hawija District", 35.33, 43.77, "admin2", "IQ", "13"),
               Place("test:hawija", "Al Hawijah", 35.3267, 43.7713, "city", "IQ", "13")),
    "natural": ("Qalamoun",
                Place("sup:qalamoun", "Qalamoun", 33.90, 36.60, "natural", "SY"),
                Place("test:qalamoun-lb", "Qalamoun", 34.38, 35.78, "city", "LB")),
}


def _extracted(title: str, sentence: str, published: date, surface: str,
               place: Place) -> tuple[Article, list[Mention], list[Event]]:
    """An article of one sentence naming ``surface`` once, resolved to ``place``, and its extracted events."""
    article = Article.create(title, sentence, published=published)
    start = sentence.index(surface)
    mentions = [Mention(start, start + len(surface), surface, place, 0.9)]
    return article, mentions, extract_events(article, mentions)


@pytest.mark.parametrize("feature", sorted(_AREAS))
def test_an_event_moved_by_a_correction_gets_the_precision_of_one_extracted_there(
    backend_url: str, feature: str
) -> None:
    """Extracted at an admin2 or natural place, or moved there by a correction: one geo precision.

    Before the per-feature table was defined once (model.FEATURE_GEO_PRECISION) the
    store gave admin2 and natural places precision 2 and the extractor 3.
    """
    surface, area, town = _AREAS[feature]
    spelt = surface + "e"  # another spelling of the name in a later article
    store = Store(backend_url)
    fresh = _extracted("Fresh", f"Clashes broke out in {surface} on Monday.", date(2017, 11, 7), surface, area)
    moved = _extracted("Moved", f"Clashes erupted in {surface} on Monday.", date(2017, 11, 21), surface, town)
    later = _extracted("Later", f"Fierce clashes were reported in {spelt} on Monday.", date(2017, 12, 5), spelt, town)
    assert len(fresh[2]) == len(moved[2]) == len(later[2]) == 1
    assert store.write_article(*fresh) and store.write_article(*moved)
    # One article's name moved to the area after it was stored; another spelling before the next ingest.
    assert store.add_correction(surface, area, article_id=moved[0].article_id) == 1
    store.add_correction(spelt, area)
    assert store.write_article(*later)
    rows = {r["title"]: r for r in store.query_events(EventFilter())}
    assert {t: rows[t]["place_id"] for t in rows} == {"Fresh": area.place_id, "Moved": area.place_id,
                                                      "Later": area.place_id}
    assert rows["Fresh"]["geo_precision"] == fresh[2][0].geo_precision
    assert rows["Moved"]["geo_precision"] == rows["Fresh"]["geo_precision"]
    assert rows["Later"]["geo_precision"] == rows["Fresh"]["geo_precision"]
    store.dispose()


def test_the_place_columns_are_the_place_row_keys() -> None:
    """The tables' place columns and model.PlaceRow name the same keys, in the same order."""
    assert [name for name, _ in PLACE_COLUMNS] == list(PlaceRow.__annotations__)


def test_the_data_version_moves_with_every_change_and_only_then(seeded_url: str) -> None:
    store = Store(seeded_url)
    seen = [store.data_version()]
    assert store.data_version() == seen[0]  # reads and reruns do not move it
    store.query_events(EventFilter())
    assert store.data_version() == seen[0]

    article, mentions, events = build_articles()[0]
    assert not store.write_article(article, mentions, events)  # a duplicate writes nothing ...
    assert store.data_version() == seen[0]  # ... and moves nothing
    fresh = replace(article, article_id="fresh-article", body=article.body + " ")
    assert store.write_article(fresh, mentions, [replace(e, event_id="fresh-event", article_id="fresh-article")
                                                for e in events])
    seen.append(store.data_version())
    store.add_correction("idlib", Place("gn:170017", "Hama", 35.1318, 36.7578, "city", "SY"))
    seen.append(store.data_version())
    store.import_reference([{**REFERENCE[0], "ref_id": "ucdp:new"}])
    seen.append(store.data_version())
    store.delete_all()
    seen.append(store.data_version())
    assert len(set(seen)) == len(seen), seen
