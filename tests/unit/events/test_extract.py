"""extract_events and same_incident on short wire-style stories written for these tests.

Each story is a few sentences in the style of agency copy from Iraq, Yemen or
Somalia; the mentions are built by hand with GeoNames coordinates so the tests
do not depend on the geoparser.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from conflictmap.events.extract import extract_events
from conflictmap.events.merge import same_incident
from conflictmap.model import EVENT_TYPES, Article, Event, Mention, Place

# GeoNames facts: id, name, coordinates, feature, country, admin1 code.
MOSUL = Place("gn:99072", "Mosul", 36.335, 43.11889, "city", "IQ", "15", 1683000, 99072)
RAMADI = Place("gn:98717", "Ramadi", 33.42056, 43.30778, "city", "IQ", "01", 223500, 98717)
FALLUJAH = Place("gn:99454", "Al Fallujah", 33.34913, 43.78599, "city", "IQ", "01", 190159, 99454)
BAGHDAD = Place("gn:98182", "Baghdad", 33.34058, 44.40088, "city", "IQ", "07", 7216000, 98182)
ANBAR = Place("gn:99240", "Al Anbar", 33.0, 42.5, "admin1", "IQ", "01")
TAIZ = Place("gn:70225", "Taiz", 13.57952, 44.02091, "city", "YE", "25", 940600, 70225)
SANAA = Place("gn:71137", "Sanaa", 15.35452, 44.20646, "city", "YE", "26", 1937451, 71137)
ADEN = Place("gn:415189", "Aden", 12.77957, 45.03852, "city", "YE", "02", 1079670, 415189)
MOGADISHU = Place("gn:53654", "Mogadishu", 2.03711, 45.34375, "city", "SO", "02", 2587183, 53654)
AFGOOYE = Place("gn:65785", "Afgooye", 2.1381, 45.1212, "city", "SO", "14", 65461, 65785)
BAIDOA = Place("gn:64536", "Baidoa", 3.11383, 43.6498, "city", "SO", "04", 129839, 64536)
MOSCOW = Place("gn:524901", "Moscow", 55.75204, 37.61781, "city", "RU", "48", 10381222, 524901)
GENEVA = Place("gn:2660646", "Geneva", 46.20222, 6.14569, "city", "CH", "GE", 183981, 2660646)
TURKEY = Place("gn:298795", "Turkey", 39.0, 35.0, "country", "TR")
YEMEN = Place("gn:69543", "Yemen", 15.5, 47.5, "country", "YE")

PLACES = {
    "Mosul": MOSUL, "Ramadi": RAMADI, "Fallujah": FALLUJAH, "Baghdad": BAGHDAD, "Anbar": ANBAR,
    "Taiz": TAIZ, "Sanaa": SANAA, "Aden": ADEN, "Mogadishu": MOGADISHU, "Afgooye": AFGOOYE,
    "Baidoa": BAIDOA, "Moscow": MOSCOW, "Geneva": GENEVA, "Turkey": TURKEY, "Yemen": YEMEN,
}


def _story(
    body: str, published: date, *, metonymic: tuple[str, ...] = (), dateline: str = ""
) -> tuple[Article, list[Mention]]:
    """The article and one mention per occurrence of each known place name."""
    mentions = [
        Mention(m.start(), m.end(), name, place, 0.9, metonymic=name in metonymic)
        for name, place in PLACES.items()
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", body)
    ]
    article = Article.create("test story", body, published=published, dateline=dateline)
    return article, sorted(mentions, key=lambda m: m.start)


def _one(events: list[Event], place: Place) -> Event:
    found = [e for e in events if e.mention.place == place]
    assert len(found) == 1, [(e.mention.surface, e.event_type) for e in events]
    return found[0]


def test_iraq_suicide_bombing_and_shelling_in_one_story() -> None:
    # Published on a Tuesday.
    article, mentions = _story(
        "A suicide bomber blew himself up at a checkpoint in Ramadi on Monday, killing at least 14 "
        "people, police said. In a separate attack, mortar shells fired by IS militants hit a market "
        "near Fallujah on Tuesday, wounding 9.",
        date(2017, 10, 31),
    )
    events = extract_events(article, mentions)
    assert len(events) == 2
    ramadi = _one(events, RAMADI)
    assert (ramadi.event_type, ramadi.sub_event_type) == ("Explosions/Remote violence", "Suicide bomb")
    assert (ramadi.event_date, ramadi.date_phrase, ramadi.geo_precision) == (date(2017, 10, 30), "on Monday", 1)
    assert (ramadi.fatalities_best, ramadi.fatalities_low, ramadi.fatalities_high) == (14, 14, None)
    fallujah = _one(events, FALLUJAH)
    assert fallujah.sub_event_type == "Shelling/artillery/missile attack"
    assert fallujah.event_date == date(2017, 10, 31) and fallujah.geo_precision == 2  # "near Fallujah"
    assert fallujah.fatalities_best is None  # wounded are not fatalities
    assert fallujah.actors == ("IS",)


def test_yemen_clashes_with_the_saudi_led_coalition_and_a_continuation() -> None:
    # Published on a Sunday; the second sentence continues the first ("The fighting").
    article, mentions = _story(
        "Clashes between Houthi rebels and pro-government forces backed by the Saudi-led coalition "
        "killed 23 fighters in Taiz on Saturday, medical sources said. The fighting also left dozens "
        "wounded, the sources said.",
        date(2017, 11, 12),
    )
    (event,) = extract_events(article, mentions)
    assert event.mention.place == TAIZ
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")
    assert event.event_date == date(2017, 11, 11)
    assert event.fatalities_best == 23
    assert "Houthis" in event.actors and "Yemeni government forces" in event.actors


def test_somalia_abduction_and_territory_and_province_fallback() -> None:
    # Published on a Wednesday. "Yesterday" is Tuesday; "last week" precision 2.
    article, mentions = _story(
        "Al-Shabaab fighters abducted four aid workers on the road between Mogadishu and Afgooye "
        "yesterday, a local official said. Somali troops and AMISOM forces recaptured Baidoa last week "
        "after heavy fighting.",
        date(2017, 11, 15),
    )
    events = extract_events(article, mentions)
    mogadishu = _one(events, MOGADISHU)
    assert mogadishu.sub_event_type == "Abduction/forced disappearance"
    assert (mogadishu.event_date, mogadishu.time_precision) == (date(2017, 11, 14), 1)
    assert mogadishu.actors == ("al-Shabaab", "Civilians")
    # "between Mogadishu and Afgooye": both ends of the road are coordinated loci.
    assert _one(events, AFGOOYE).event_date == date(2017, 11, 14)
    baidoa = _one(events, BAIDOA)
    assert (baidoa.event_type, baidoa.sub_event_type) == ("Battles", "Government regains territory")
    assert (baidoa.event_date, baidoa.time_precision) == (date(2017, 11, 9), 2)  # Thu, mid last week
    assert baidoa.actors == ("Somali government forces", "AMISOM")


def test_protests_and_province_level_events() -> None:
    article, mentions = _story(
        "Thousands of protesters rallied in Baghdad on Friday against corruption. "
        "Police fired tear gas to disperse protesters in Anbar province on Friday.",
        date(2017, 11, 10),
    )
    events = extract_events(article, mentions)
    baghdad = _one(events, BAGHDAD)
    assert (baghdad.event_type, baghdad.sub_event_type, baghdad.geo_precision) == ("Protests", "Peaceful protest", 1)
    anbar = _one(events, ANBAR)
    assert (anbar.sub_event_type, anbar.geo_precision) == ("Protest with intervention", 3)


def test_town_preferred_over_its_province_and_country() -> None:
    article, mentions = _story(
        "Air strikes killed 7 civilians in Ramadi, in Iraq's Anbar province, on Thursday.",
        date(2017, 11, 9),
    )
    (event,) = extract_events(article, mentions)
    assert event.mention.place == RAMADI and event.geo_precision == 1


def test_metonymic_and_merely_mentioned_places_are_not_events() -> None:
    article, mentions = _story(
        "Moscow condemned the shelling. Talks in Geneva on Yemen collapsed after Houthi shelling. "
        "The group, loyal to Sanaa hardliners, is backed by Turkey, a professor in Aden said.",
        date(2017, 11, 9),
        metonymic=("Moscow",),
    )
    placed = [e.mention.place for e in extract_events(article, mentions)]
    assert MOSCOW not in placed and GENEVA not in placed and TURKEY not in placed and ADEN not in placed
    assert SANAA not in placed


def test_capacity_and_threat_are_not_events() -> None:
    article, mentions = _story(
        "Al-Shabaab retains the capacity to carry out bombings in cities such as Mogadishu. "
        "The militants threatened to attack Baidoa.",
        date(2017, 11, 9),
    )
    assert extract_events(article, mentions) == []


def test_in_the_province_takes_the_dateline_place() -> None:
    article, mentions = _story(
        "Iraqi forces entered Mosul on Monday. On Tuesday a car bomb killed 5 people in the province.",
        date(2017, 11, 7),
        dateline="Mosul, Iraq",
    )
    events = extract_events(article, mentions)
    bomb = [e for e in events if e.event_type == "Explosions/Remote violence"]
    assert len(bomb) == 1 and bomb[0].mention.place == MOSUL and bomb[0].geo_precision == 3
    assert bomb[0].event_date == date(2017, 11, 7) and bomb[0].fatalities_best == 5


def test_year_only_background_is_not_an_event_and_no_date_means_explicit_years_only() -> None:
    body = "IS seized Mosul in 2014. Iraqi forces retook Ramadi on 28 December 2015."
    article, mentions = _story(body, date(2017, 11, 7))
    assert [e.mention.place for e in extract_events(article, mentions)] == [RAMADI]
    undated = replace(article, published=None)
    (event,) = extract_events(undated, mentions)
    assert (event.mention.place, event.event_date) == (RAMADI, date(2015, 12, 28))


def test_empty_and_placeless_articles_give_no_events() -> None:
    article, _ = _story("", date(2017, 11, 7))
    assert extract_events(article, []) == []
    article, mentions = _story("Clashes killed 12 fighters on Monday.", date(2017, 11, 7))
    assert mentions == [] and extract_events(article, mentions) == []
    unresolved = [Mention(0, 7, "Clashes", None)]
    assert extract_events(article, unresolved) == []


def test_event_time_beats_report_time_and_relative_after() -> None:
    # Published Monday; the fighting was on Saturday, the report on Sunday.
    article, mentions = _story(
        "The monitor said on Sunday that clashes killed 4 fighters in Taiz on Saturday. "
        "The coalition said on Monday it would close the ports, two days after Houthi rebels fired a "
        "missile towards Aden.",
        date(2017, 11, 13),
    )
    events = extract_events(article, mentions)
    assert _one(events, TAIZ).event_date == date(2017, 11, 11)
    aden = _one(events, ADEN)
    assert (aden.event_date, aden.time_precision, aden.date_phrase) == (date(2017, 11, 11), 2, "two days after")
    assert aden.sub_event_type == "Shelling/artillery/missile attack"


def test_habits_and_ceasefire_brokers_are_not_events() -> None:
    article, mentions = _story(
        "The two groups have fought repeatedly around Mosul. A truce brokered by Yemen, Turkey and "
        "Moscow took effect in July, but the front lines near Baidoa still see occasional fighting.",
        date(2017, 11, 13),
    )
    assert extract_events(article, mentions) == []


def test_words_a_gazetteer_may_misread_are_never_loci() -> None:
    body = "A car bomb killed 3 people in Hayat Tahrir al-Sham territory on Thursday."
    misread = [
        Mention(0, 1, "A", replace(TAIZ, place_id="gn:x1")),  # "A" taken for a town
        Mention(body.index("Sham"), body.index("Sham") + 4, "Sham", BAGHDAD),  # part of a group's name
        Mention(body.index("Thursday"), body.index("Thursday") + 8, "Thursday", MOSUL),
    ]
    article = Article.create("t", body, published=date(2017, 11, 9))
    assert extract_events(article, misread) == []


def _event(place: Place, day: date, *, etype: str = "Battles", time_precision: int = 1) -> Event:
    mention = Mention(0, len(place.name), place.name, place)
    return Event(
        event_id="x", article_id="a", mention=mention, event_date=day, time_precision=time_precision,
        date_phrase="", geo_precision=1, event_type=etype, sub_event_type="Armed clash",
        excerpt="", excerpt_start=0, excerpt_end=0,
    )


def test_same_incident_across_articles() -> None:
    near_ramadi = replace(RAMADI, place_id="gn:1", lat=RAMADI.lat + 0.05)  # about 5.6 km north
    a = _event(RAMADI, date(2017, 11, 3))
    assert same_incident(a, _event(near_ramadi, date(2017, 11, 4)))
    assert not same_incident(a, _event(near_ramadi, date(2017, 11, 5)))  # two days apart
    assert not same_incident(a, _event(FALLUJAH, date(2017, 11, 3)))  # ~45 km apart
    assert not same_incident(a, _event(RAMADI, date(2017, 11, 3), etype="Protests"))
    assert same_incident(a, _event(FALLUJAH, date(2017, 11, 3)), km=50)
    # A month-precision date stands for the whole month.
    assert same_incident(a, _event(RAMADI, date(2017, 11, 1), time_precision=3))
    assert not same_incident(a, _event(RAMADI, date(2017, 10, 1), time_precision=3))


# Words of wire copy, place names, cues, time words and punctuation, shuffled by hypothesis.
_WORDS = (
    "the a in near of on killed at least six dozens air strikes clashes protesters said Friday yesterday "
    "last month week ago province town area outside Mosul Taiz Mogadishu Anbar Yemen IS Houthis rebels "
    "army took control car bomb suicide 12 wounded , . ; \" which when after being could"
).split()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=60), st.sampled_from([date(2017, 11, 4), None]))
def test_random_wire_text_never_breaks_the_invariants(words: list[str], published: date | None) -> None:
    body = " ".join(words)
    article, mentions = _story(body, published or date(2017, 11, 4))
    article = replace(article, published=published)
    for event in extract_events(article, mentions):
        assert body[event.excerpt_start : event.excerpt_end] == event.excerpt
        assert event.mention in mentions
        assert event.time_precision in (1, 2, 3) and event.geo_precision in (1, 2, 3)
        assert event.event_type in EVENT_TYPES
        if event.fatalities_best is not None:
            assert event.fatalities_low is None or event.fatalities_low <= event.fatalities_best
            assert event.fatalities_high is None or event.fatalities_best <= event.fatalities_high
        if published is not None:
            assert event.event_date <= published


def test_warships_and_helicopters_name_their_side_drones_do_not() -> None:
    article, mentions = _story(
        "US warships fired cruise missiles at an Islamic State depot near Mosul on Friday, killing 6 fighters. "
        "Iraqi helicopters bombed Islamic State positions near Ramadi on Thursday, killing 4 fighters. "
        "On Wednesday a strike by Turkish drones flown by the militia killed 3 people in Baghdad.",
        date(2017, 10, 28),
    )
    events = extract_events(article, mentions)
    assert "US forces" in _one(events, MOSUL).actors
    assert "Iraqi forces" in _one(events, RAMADI).actors
    # Drones are named after their maker as often as after the side that flies them.
    assert "Turkish forces" not in _one(events, BAGHDAD).actors


def test_an_aside_about_the_past_is_context_and_the_main_clause_is_the_event() -> None:
    article, mentions = _story(
        "Somali troops, who had seized Afgooye from al-Shabaab in 2016, clashed with the militants "
        "near Baidoa on Tuesday.",
        date(2017, 10, 31),
    )
    (event,) = extract_events(article, mentions)
    assert event.mention.place == BAIDOA and event.event_date == date(2017, 10, 31)


def test_a_past_clause_with_its_own_date_keeps_that_date() -> None:
    article, mentions = _story(
        "On Monday troops took control of Ramadi, where IS had a presence after being expelled from "
        "Fallujah last month.",
        date(2017, 10, 31),
    )
    fallujah = _one(extract_events(article, mentions), FALLUJAH)
    assert (fallujah.event_date, fallujah.time_precision) == (date(2017, 9, 1), 3)


def test_a_report_whose_sentence_names_no_place_falls_back_to_the_article_place() -> None:
    article, mentions = _story(
        "Traders in Baidoa closed their shops. On Monday, militants shot dead a revenue collector.",
        date(2017, 10, 31),
    )
    (event,) = extract_events(article, mentions)
    assert event.mention.place == BAIDOA and event.geo_precision == 2  # near, not at, the town named
    assert (event.event_type, event.fatalities_best, event.event_date) == (
        "Violence against civilians", 1, date(2017, 10, 30))


def test_a_toll_in_the_next_sentence_belongs_to_the_event_before_it() -> None:
    article, mentions = _story(
        "On 1 July 2023, shells landed in a market in Mogadishu. Between 7 and 10 civilians were killed.",
        date(2023, 7, 3),
    )
    (event,) = extract_events(article, mentions)
    assert (event.fatalities_best, event.fatalities_low, event.fatalities_high) == (7, 7, 10)
    assert event.deaths_phrase == "Between 7 and 10 civilians were killed"
    assert event.excerpt.startswith("On 1 July 2023")  # the event's sentence stays its excerpt


def test_a_later_count_waits_at_most_two_sentences_and_never_crosses_a_place() -> None:
    body = ("On Monday, a car bomb exploded near a hotel in Mogadishu. Police closed the roads. "
            "Witnesses heard gunfire. Six people were killed.")
    (late,) = extract_events(*_story(body, date(2017, 10, 31)))
    assert late.fatalities_best is None  # three sentences later: no longer this event's count
    body = "On Monday, a car bomb exploded near a hotel in Mogadishu. In Baidoa, six people died of cholera."
    events = extract_events(*_story(body, date(2017, 10, 31)))
    assert [e.fatalities_best for e in events if e.mention.place == MOGADISHU] == [None]


def test_a_summed_up_or_earlier_count_is_not_the_event_toll() -> None:
    for follow in ("More than 500 people have been killed in the war.",
                   "Since January, 40 people have been killed.",
                   "In 2015, 30 soldiers were killed there."):
        article, mentions = _story("On Monday, militants attacked a checkpoint in Afgooye. " + follow,
                                   date(2017, 10, 31))
        events = extract_events(article, mentions)
        assert events and events[0].fatalities_best is None, follow


def test_bracketed_district_and_province_qualify_the_place_before_them() -> None:
    # The town before the brackets is resolved: the brackets add no locus.
    body = "On 3 May 2018, militants attacked a checkpoint in Afgooye (Afgooye, Mogadishu). 2 fatalities."
    (event,) = extract_events(*_story(body, date(2018, 5, 5)))
    assert (event.mention.place, event.geo_precision, event.fatalities_best) == (AFGOOYE, 1, 2)
    # An unresolved village: its district is the locus, near it, not the province's capital.
    body = "On 3 May 2018, militants attacked a checkpoint in Albu Bali village (Ramadi, Anbar)."
    (event,) = extract_events(*_story(body, date(2018, 5, 5)))
    assert (event.mention.place, event.geo_precision) == (RAMADI, 2)


def test_the_dateline_place_is_where_the_report_was_filed_not_the_event() -> None:
    body = "MOGADISHU (Agency) - Militants attacked an army base in Baidoa on Monday, officials said."
    (event,) = extract_events(*_story(body, date(2017, 10, 31), dateline="MOGADISHU"))
    assert event.mention.place == BAIDOA
    # With no other place in the sentence the dateline's place still is the locus.
    body = "BAIDOA (Agency) - Two shepherds were killed on Monday while they were grazing sheep west of Baidoa."
    (event,) = extract_events(*_story(body, date(2017, 10, 31), dateline="BAIDOA"))
    assert event.mention.place == BAIDOA and event.fatalities_best == 2


def test_the_coders_closing_figure_replaces_a_count_from_the_story() -> None:
    body = ("On 24 July 2019, a suicide bomber blew herself up inside an office in Mogadishu. "
            "Six officials were killed and the mayor later died of his wounds. 7 fatalities.")
    (event,) = extract_events(*_story(body, date(2019, 7, 25)))
    assert (event.fatalities_best, event.deaths_phrase) == (7, "7 fatalities.")


def test_who_told_the_story_is_no_actor_and_a_later_count_names_the_victims() -> None:
    body = ("SANAA (Agency) - A drone strike hit a market in Taiz on Tuesday evening, residents said. "
            "Two civilians were killed.")
    (event,) = extract_events(*_story(body, date(2017, 10, 31), dateline="SANAA"))
    assert event.fatalities_best == 2
    assert event.actor2 == "Civilians" and event.civilian_targeting and "Civilians" in event.actors
    body = "SANAA (Agency) - Fighters clashed with tribesmen in Taiz on Tuesday, residents said."
    (event,) = extract_events(*_story(body, date(2017, 10, 31), dateline="SANAA"))
    assert "Civilians" not in event.actors and event.actor2 != "Civilians"


def test_shells_on_a_market_target_civilians_and_a_base_does_not() -> None:
    (market,) = extract_events(*_story("On Monday, rebel shells hit a vegetable market in Taiz.", date(2017, 10, 31)))
    assert (market.actor2, market.civilian_targeting) == ("Civilians", True)
    (base,) = extract_events(*_story("On Monday, rebel shells hit an army base in Taiz.", date(2017, 10, 31)))
    assert base.actor2 != "Civilians" and not base.civilian_targeting


def test_a_protest_met_by_force_is_the_crowds_event_excessive_force_the_forces() -> None:
    (met,) = extract_events(*_story("On Monday, police fired tear gas at protesters in Baghdad.", date(2017, 10, 31)))
    assert (met.sub_event_type, met.actor1, met.interaction) == ("Protest with intervention", "Protesters", 16)
    (shot,) = extract_events(*_story("On Monday, police opened fire on protesters in Baghdad.", date(2017, 10, 31)))
    assert shot.sub_event_type == "Excessive force against protesters" and shot.actor2 == "Protesters"


def test_a_detention_of_which_nothing_more_is_known_is_a_forced_disappearance() -> None:
    body = "On Monday, soldiers detained a teacher in Mosul; her whereabouts remain unknown."
    (event,) = extract_events(*_story(body, date(2017, 10, 31)))
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Abduction/forced disappearance")
    (arrest,) = extract_events(*_story("On Monday, soldiers detained a teacher in Mosul.", date(2017, 10, 31)))
    assert arrest.sub_event_type == "Arrests"


def test_a_count_from_an_organisation_named_after_a_wider_place_still_counts() -> None:
    # "The Anbar health directorate said ...": Anbar holds Ramadi, so the count is Ramadi's.
    body = "On Monday, air strikes hit a market in Ramadi. The Anbar health directorate said 9 people were killed."
    (event,) = extract_events(*_story(body, date(2017, 10, 31)))
    assert event.mention.place == RAMADI and event.fatalities_best == 9


def test_a_report_time_never_beats_an_event_time_in_another_clause() -> None:
    body = "Two soldiers were killed overnight when militants attacked their post in Mosul, officials said on Monday."
    (event,) = extract_events(*_story(body, date(2021, 3, 16)))  # a Tuesday
    assert (event.event_date, event.date_phrase) == (date(2021, 3, 15), "overnight")


def test_the_month_march_is_no_protest_march() -> None:
    body = "On the evening of 12 March 2021, militants attacked a police post in Mosul. Two officers died."
    (event,) = extract_events(*_story(body, date(2021, 3, 15)))
    assert (event.event_type, event.fatalities_best) == ("Battles", 2)


def test_a_killing_told_with_its_explosion_is_the_explosion() -> None:
    body = "On Sunday, two soldiers were killed when they stepped on a landmine while patrolling near Mosul."
    (event,) = extract_events(*_story(body, date(2020, 11, 10)))
    assert (event.event_type, event.sub_event_type, event.fatalities_best) == (
        "Explosions/Remote violence", "Remote explosive/landmine/IED", 2)


def test_a_place_named_only_in_a_descriptive_clause_is_still_the_place() -> None:
    body = "On 17 June 2020, militiamen raped six women while raiding a village near Mosul."
    (event,) = extract_events(*_story(body, date(2020, 6, 20)))
    assert (event.event_type, event.mention.place, event.geo_precision) == ("Violence against civilians", MOSUL, 2)


def test_the_previous_day_is_dated_from_the_event_told_before() -> None:
    body = ("On 10 March 2021, a car bomb exploded in Mosul. "
            "The previous day, gunmen had attacked a checkpoint in Ramadi, killing two soldiers.")
    events = extract_events(*_story(body, date(2021, 3, 15)))
    assert _one(events, RAMADI).event_date == date(2021, 3, 9)


def test_a_relative_clause_about_a_thing_gives_no_event_at_a_place_outside_it() -> None:
    body = ("On 17 November 2022, a court in Baghdad convicted three men over the downing of a plane near Mosul "
            "in July 2014, which killed all 298 people on board.")
    assert extract_events(*_story(body, date(2022, 11, 18))) == []


def test_an_earlier_incident_that_dates_this_one_is_its_own_clause() -> None:
    body = ("On Friday, soldiers defused an explosive device planted on a road in Mosul, "
            "two days after a similar device killed a policeman in Ramadi.")
    events = extract_events(*_story(body, date(2021, 9, 18)))
    assert _one(events, MOSUL).sub_event_type == "Disrupted weapons use"


def test_the_other_sides_dead_in_a_later_sentence_are_added() -> None:
    body = ("On 14 July 2021, SDF fighters clashed with an IS cell near Mosul. Two SDF members were killed. "
            "Three IS militants also died, according to a monitor.")
    (event,) = extract_events(*_story(body, date(2021, 7, 16)))
    assert event.fatalities_best == 5


def test_a_toll_in_a_clause_dated_before_the_event_is_not_its_toll() -> None:
    body = ("On 31 October 2021, the government reached an agreement with the group in Baghdad, "
            "after clashes earlier in the week left several police dead.")
    (event,) = extract_events(*_story(body, date(2021, 11, 1)))
    assert event.sub_event_type == "Agreement" and event.fatalities_best == 0  # the clashes' dead are not its own


def test_brackets_that_cannot_hold_the_place_before_them_expose_a_namesake() -> None:
    # "Mosul" resolved in Iraq's north, but the brackets say Anbar: the event is placed in Anbar.
    body = "On 3 May 2018, militants attacked a checkpoint in Mosul (Anbar)."
    (event,) = extract_events(*_story(body, date(2018, 5, 5)))
    assert (event.mention.place, event.geo_precision) == (ANBAR, 3)
    # A lone bracketed name is a province: coarse, never a town point.
    body = "On 3 May 2018, militants attacked a checkpoint in Qaryat al-Hajj (Ramadi)."
    (event,) = extract_events(*_story(body, date(2018, 5, 5)))
    assert (event.mention.place, event.geo_precision) == (RAMADI, 3)


def test_brackets_name_the_country_and_a_far_namesake_near_a_town_gives_way() -> None:
    body = "On 3 May 2018, a bomb exploded at the Geneva Cathedral in Ramadi (Anbar)."
    (event,) = extract_events(*_story(body, date(2018, 5, 5)))
    assert event.mention.place == RAMADI  # "Geneva" abroad is no locus of a story the brackets put in Iraq
    body = "On 3 May 2018, militants attacked the village of Baghdad near Ramadi."
    (event,) = extract_events(*_story(body, date(2018, 5, 5)))
    assert (event.mention.place, event.geo_precision) == (RAMADI, 2)  # Baghdad is 90 km away: a namesake


def test_a_capital_that_acts_is_no_locus() -> None:
    body = "KYIV (Agency) - Ukrainian troops entered Mosul on Saturday as Baghdad's counteroffensive swept on."
    (event,) = extract_events(*_story(body, date(2022, 9, 11), dateline="KYIV"))
    assert event.mention.place == MOSUL
    body = "On Tuesday, drones launched by Turkey hit Mosul."
    (event,) = extract_events(*_story(body, date(2022, 9, 11)))
    assert event.mention.place == MOSUL


def test_homes_burned_and_people_killed_is_an_attack_not_property_destruction() -> None:
    body = "On Sunday night, insurgents burned dozens of homes in Mosul; at least 30 people were killed."
    (event,) = extract_events(*_story(body, date(2020, 2, 10)))
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")
    assert event.fatalities_best == 30


def test_reported_speech_in_the_past_perfect_is_news() -> None:
    body = "Police in Mosul said on Tuesday they had arrested 14 members of a banned group in overnight raids."
    (event,) = extract_events(*_story(body, date(2020, 2, 12)))
    assert event.sub_event_type == "Arrests"


def test_a_notes_date_line_dates_the_sentences_after_it() -> None:
    body = "7 March 2023. IS militants opened fire on truffle hunters in the desert east of Ramadi (Anbar)."
    (event,) = extract_events(*_story(body, date(2023, 3, 10)))
    assert (event.event_date, event.date_phrase) == (date(2023, 3, 7), "7 March 2023")


def test_a_stated_date_beats_the_headlines_publication_date() -> None:
    body = ("Roadside bomb kills two soldiers near Ramadi. BAGHDAD (Agency) - A roadside bomb went off under an "
            "army patrol near Ramadi late on Sunday, killing two soldiers.")
    (event,) = extract_events(*_story(body, date(2022, 9, 19), dateline="BAGHDAD"))  # a Monday
    assert event.event_date == date(2022, 9, 18)


def test_brackets_put_the_story_in_their_country() -> None:
    # "Geneva" (Switzerland) is no place of a story whose brackets say Iraq, in any sentence.
    body = "16 August 2023, Ramadi (Anbar). A mob set fire to homes in the Geneva quarter."
    events = extract_events(*_story(body, date(2023, 8, 17)))
    assert events and all(e.mention.place.country_code == "IQ" for e in events)


def test_days_after_counts_back_from_the_clause_it_hangs_on() -> None:
    body = ("On Monday, a car bomb struck an army compound in Mosul, a day after militants "
            "attacked a police post in Ramadi.")
    events = extract_events(*_story(body, date(2020, 2, 12)))  # a Wednesday
    assert _one(events, MOSUL).event_date == date(2020, 2, 10)
    assert _one(events, RAMADI).event_date == date(2020, 2, 9)  # not a day before publication


def test_weeks_after_dates_its_own_clause_never_the_main_one() -> None:
    body = ("27 February 2020. Rebels pushed regime troops out of Mosul, three weeks after "
            "the troops had taken it.")
    (event,) = extract_events(*_story(body, date(2020, 3, 2)))
    assert event.event_date == date(2020, 2, 27)


def test_a_datelines_filing_date_is_not_the_events_date() -> None:
    body = ("MOSUL, Iraq, Dec 10 (CMW) - Heavy fighting broke out on Sunday on the edge of Ramadi, "
            "officials said.")
    (event,) = extract_events(*_story(body, date(2018, 12, 10), dateline="MOSUL"))  # a Monday
    assert (event.mention.place, event.event_date) == (RAMADI, date(2018, 12, 9))


# When the event happened, when the sources only said when they spoke.
def test_the_next_sentence_dates_an_event_its_source_only_reported() -> None:
    # Published on Saturday 2024-07-06.
    body = ("Three gunmen and a policeman were killed in a shootout in Baidoa, police said on Saturday. "
            "The shooting began late on Thursday when officers surrounded a house.")
    event = _one(extract_events(*_story(body, date(2024, 7, 6))), BAIDOA)
    assert event.event_date == date(2024, 7, 4) and event.date_phrase == "late on Thursday"


def test_a_next_sentence_never_moves_a_stated_event_day() -> None:
    body = ("Gunmen killed two traders in Baidoa on Friday, police said on Saturday. "
            "The killings came a week after a similar attack.")
    assert _one(extract_events(*_story(body, date(2024, 7, 6))), BAIDOA).event_date == date(2024, 7, 5)


def test_the_previous_day_counts_from_the_day_the_source_spoke() -> None:
    # Published on Tuesday 2021-08-10; the army spoke on Monday the 9th.
    body = "Government troops retook the town of Afgooye the previous day, the army said on Monday."
    assert _one(extract_events(*_story(body, date(2021, 8, 10))), AFGOOYE).event_date == date(2021, 8, 8)


def test_a_day_after_an_earlier_incident_leaves_the_main_clause_its_own_day() -> None:
    body = ("On 9 September 2025, a day after police shot dead five protesters, crowds set fire to "
            "the parliament building in Mogadishu.")
    assert _one(extract_events(*_story(body, date(2025, 9, 10))), MOGADISHU).event_date == date(2025, 9, 9)


def test_a_calendar_day_beats_an_overnight_that_describes_a_thing() -> None:
    body = ("On the night of 26 to 27 July 2025, gunmen attacked worshippers attending an overnight prayer vigil "
            "in a church in Baidoa, killing 12 people and setting fire to shops.")
    event = _one(extract_events(*_story(body, date(2025, 7, 29))), BAIDOA)
    assert (event.event_date, event.time_precision) == (date(2025, 7, 26), 1)
    assert event.event_type == "Violence against civilians"


def test_a_bracketed_place_is_the_coded_one_and_other_places_of_its_sentence_context() -> None:
    body = ("On 29 August 2025, protesters angered by the death of a driver run over in Mogadishu set fire to "
            "the regional assembly in Baidoa (Baidoa, Bay).")
    events = extract_events(*_story(body, date(2025, 8, 30)))
    assert [e.mention.place for e in events] == [BAIDOA]
    assert events[0].event_type == "Riots"


# Counts that belong to the event just told, and counts that do not.
def test_the_days_fighting_is_the_clash_already_told_and_its_count_goes_there() -> None:
    body = ("On 3 March 2019, army troops fought IS militants in the western districts of Mosul. "
            "Medics said 14 fighters were killed in the day's fighting, while more troops were sent from Baghdad.")
    events = extract_events(*_story(body, date(2019, 3, 4)))
    mosul = _one(events, MOSUL)
    assert (mosul.event_type, mosul.fatalities_best) == ("Battles", 14)
    assert not [e for e in events if e.mention.place == BAGHDAD and e.event_type == "Battles"]


def test_an_unknown_number_of_other_dead_keeps_the_known_count() -> None:
    body = ("Five soldiers were killed when militants stormed a base in Afgooye on Monday, an officer said, "
            "adding that an unknown number of attackers also died.")
    event = _one(extract_events(*_story(body, date(2024, 9, 3))), AFGOOYE)
    assert (event.fatalities_best, event.fatalities_low, event.fatalities_high) == (5, 5, None)


def test_dead_elsewhere_or_across_the_country_are_not_this_events() -> None:
    body = ("Police fired on students protesting in Baidoa on Monday, and a student was shot dead, officials said. "
            "At least seven other people died in clashes elsewhere in the country.")
    assert _one(extract_events(*_story(body, date(2024, 7, 16))), BAIDOA).fatalities_best == 1
    body = ("A missile struck a clinic in Aden on Monday. Three people were killed at the clinic, "
            "while 20 people died across the capital that day.")
    assert _one(extract_events(*_story(body, date(2024, 7, 9))), ADEN).fatalities_best == 3


def test_a_second_sources_lower_count_is_coded_with_the_first_as_the_high() -> None:
    body = ("Gunmen attacked a village near Baidoa late on Friday, burning homes, a rights group said, putting "
            "the death toll at around 80. A district official said he had counted 47 bodies.")
    event = _one(extract_events(*_story(body, date(2025, 6, 14))), BAIDOA)
    assert (event.fatalities_best, event.fatalities_low, event.fatalities_high) == (47, 47, 80)


def test_a_slashed_night_is_its_first_day_and_a_time_still_to_come_dates_nothing() -> None:
    body = "On 11/12 April 2025, militants publicly executed two men in a village near Baidoa."
    event = _one(extract_events(*_story(body, date(2025, 4, 14))), BAIDOA)
    assert (event.event_date, event.time_precision) == (date(2025, 4, 11), 1)
    body = ("On 15 January 2025, the two sides agreed in Mogadishu (Banadir, Somalia) to a three-phase ceasefire. "
            "The mediator announced the deal, which is due to take effect on 19 January.")
    events = [e for e in extract_events(*_story(body, date(2025, 1, 16))) if e.sub_event_type == "Agreement"]
    assert events and all(e.event_date == date(2025, 1, 15) for e in events)
    assert "  " not in events[0].cue  # the blanked bracket leaves no run of spaces in the cue shown


def test_drones_shot_down_are_disrupted_weapons_not_a_strike() -> None:
    body = ("Air defences at the air base near Aden destroyed a swarm of armed drones launched by militants "
            "on Saturday night, the ministry said on Monday.")
    event = _one(extract_events(*_story(body, date(2018, 1, 8))), ADEN)
    assert (event.sub_event_type, event.event_date) == ("Disrupted weapons use", date(2018, 1, 6))


def test_a_mass_grave_found_counts_no_dead_of_its_own() -> None:
    body = ("Residents said on Thursday they had found a mass grave on the edge of Baidoa. "
            "A local official said he had counted 23 bodies.")
    event = _one(extract_events(*_story(body, date(2026, 12, 4))), BAIDOA)
    assert (event.sub_event_type, event.fatalities_best) == ("Other", 0)  # the dead belong to earlier events


def test_an_agreement_counts_none_of_the_dead_of_the_fighting_it_ends() -> None:
    body = ("The two governments agreed in Geneva on Monday to an immediate ceasefire. "
            "Five days of border fighting had killed at least 35 people.")
    event = _one(extract_events(*_story(body, date(2025, 7, 29))), GENEVA)
    assert (event.sub_event_type, event.fatalities_best) == ("Agreement", 0)
