"""Unit tests of the event helpers: sentences, dates, fatality counts, types and actors."""
from __future__ import annotations

from datetime import date

import pytest

from conflictmap.events.actors import find_actors
from conflictmap.events.dates import resolve_date
from conflictmap.events.fatalities import parse_fatalities
from conflictmap.events.sentences import split_clauses, split_sentences
from conflictmap.events.vocab import classify_event

SATURDAY = date(2017, 11, 4)  # the seed story's publication day


# -- sentences -----------------------------------------------------------------------------


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = (
        'U.S. forces struck Mosul on Nov. 3, officials said. "We hit them hard," Gen. J. Smith said.\n\n'
        "Fighting resumed in the U.S. It spread. Did it stop? No!"
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "U.S. forces struck Mosul on Nov. 3, officials said.",
        '"We hit them hard," Gen. J. Smith said.',
        "Fighting resumed in the U.S.",
        "It spread.",
        "Did it stop?",
        "No!",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_sentence_ending_inside_a_quote_splits_after_the_quote() -> None:
    text = 'He said: "The town fell." Then the army left.'
    assert [s.text for s in split_sentences(text)] == ['He said: "The town fell."', "Then the army left."]


def test_a_wrapped_line_is_not_a_sentence_boundary() -> None:
    text = "Air strikes killed six civilians in the\nSyrian town of Douma on Thursday."
    assert len(split_sentences(text)) == 1


def test_a_subhead_line_is_its_own_sentence() -> None:
    text = "Fighting raged.\n- Fleeing civilians -\nKurdish-led fighters advanced on the town\nof Hajin."
    assert [s.text for s in split_sentences(text)] == [
        "Fighting raged.", "- Fleeing civilians -", "Kurdish-led fighters advanced on the town\nof Hajin.",
    ]


def test_clauses_split_at_relative_and_temporal_openers() -> None:
    text = "Troops took Deir Ezzor on Friday, which IS held after being expelled from Raqa last month."
    (sentence,) = split_sentences(text)
    assert [c.text for c in split_clauses(sentence)] == [
        "Troops took Deir Ezzor on Friday",
        "which IS held",
        "after being expelled from Raqa last month.",
    ]


def test_clauses_do_not_split_a_time_phrase() -> None:
    (sentence,) = split_sentences("The raid came ten days after strikes hit the village.")
    assert len(split_clauses(sentence)) == 1


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Regime forces took the city.", (SATURDAY, 1, "")),
        ("On Friday, regime forces took the city.", (date(2017, 11, 3), 1, "On Friday")),
        ("forces converged Saturday on the town", (SATURDAY, 1, "Saturday")),  # same weekday: the same day
        ("clashes late Sunday night", (date(2017, 10, 29), 1, "late Sunday night")),
        ("a strike yesterday", (date(2017, 11, 3), 1, "yesterday")),
        ("fighting earlier today", (SATURDAY, 1, "earlier today")),
        ("three days ago", (date(2017, 11, 1), 1, "three days ago")),
        ("on November 3", (date(2017, 11, 3), 1, "on November 3")),
        ("on Nov. 1, 2016", (date(2016, 11, 1), 1, "on Nov. 1, 2016")),
        ("on 28 October", (date(2017, 10, 28), 1, "on 28 October")),
        ("on December 20", (date(2016, 12, 20), 1, "on December 20")),  # later in the year: last year
        ("2017-10-30", (date(2017, 10, 30), 1, "2017-10-30")),
        ("last week", (date(2017, 10, 26), 2, "last week")),  # Thursday, middle of Mon 23 .. Sun 29
        ("last weekend", (date(2017, 10, 28), 2, "last weekend")),
        ("this week's attack", (date(2017, 11, 1), 2, "this week's")),
        ("in recent days", (date(2017, 11, 2), 2, "in recent days")),
        ("ten days after", (date(2017, 10, 25), 2, "ten days after")),
        ("expelled from Raqa last month", (date(2017, 10, 1), 3, "last month")),
        ("in mid-October", (date(2017, 10, 1), 3, "mid-October")),
        ("in December", (date(2016, 12, 1), 3, "in December")),
        ("IS proclaimed its caliphate in 2014", (date(2014, 1, 1), 4, "in 2014")),
        ("three years ago", (date(2014, 1, 1), 4, "three years ago")),
    ],
)
def test_resolve_date(text: str, expected: tuple[date, int, str]) -> None:
    assert resolve_date(text, SATURDAY) == expected


def test_durations_and_verbs_are_not_dates() -> None:
    assert resolve_date("a truce in place since July", SATURDAY) == (SATURDAY, 1, "")
    assert resolve_date("protesters may march to the square", SATURDAY) == (SATURDAY, 1, "")


def test_weekday_never_resolves_after_publication() -> None:
    for offset in range(7):
        published = date(2017, 11, 1 + offset)
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
            resolved, precision, _ = resolve_date(f"on {day}", published)
            assert 0 <= (published - resolved).days <= 6 and precision == 1
            assert resolved.strftime("%A") == day


# -- fatalities ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Air strikes killed at least six civilians, including a baby.", (6, 6, None)),
        ("A car bombing killed dozens of people displaced by fighting.", (12, 12, 99)),
        ("Dozens of civilians were killed and dozens wounded Saturday.", (12, 12, 99)),
        ("The truck bomb killed more than 200 people.", (200, 200, None)),
        ("A suicide bomber killed 12 people and wounded 30.", (12, 12, 12)),
        ("Five soldiers were wounded and two killed.", (2, 2, 2)),
        ("The death toll rose to 45.", (45, 45, 45)),
        ("Clashes left 7 dead.", (7, 7, 7)),
        ("A policeman was killed.", (1, 1, 1)),
        ("Between 10 and 15 people died.", (10, 10, 15)),
        ("Twenty-five civilians were killed.", (25, 25, 25)),
        ("Nearly 40 fighters were killed.", (40, None, 40)),
        ("About 30 people were killed.", (30, None, None)),
        ("Hundreds of people were killed.", (100, 100, 999)),
        ("Militants executed three civilians.", (3, 3, 3)),
        ("No one was killed in the blast.", (0, 0, 0)),
    ],
)
def test_parse_fatalities(sentence: str, expected: tuple[int, int | None, int | None]) -> None:
    assert parse_fatalities(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "An estimated 350,000 people have fled the recent fighting in the province.",
        "The army was still some 30 kilometres (nearly 20 miles) from the town.",
        "Around 1,500 jihadist fighters remained in the valley.",
        "Three people were injured when a mortar round hit the market.",
        "The caliphate spanned territory three years ago.",
    ],
)
def test_numbers_that_are_not_deaths(sentence: str) -> None:
    assert parse_fatalities(sentence) is None


# -- types and actors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("A suicide bomber blew himself up at a checkpoint", ("Explosions/Remote violence", "Suicide bomb")),
        ("A roadside bomb struck a patrol", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("Saudi-led coalition air strikes hit a market", ("Explosions/Remote violence", "Air/drone strike")),
        ("Houthi shelling killed four", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        ("Regime forces, backed by Russian air strikes, advanced on the town", ("Battles", "Armed clash")),
        ("Iraqi forces retook the town from IS", ("Battles", "Government regains territory")),
        ("Al-Shabaab fighters seized the town", ("Battles", "Non-state actor overtakes territory")),
        ("Gunmen kidnapped three aid workers", ("Violence against civilians", "Abduction/forced disappearance")),
        ("Gunmen shot dead five villagers", ("Violence against civilians", "Attack")),
        ("Hundreds of protesters rallied against corruption", ("Protests", "Peaceful protest")),
        ("Police fired tear gas to disperse protesters", ("Protests", "Protest with intervention")),
        ("Security forces opened fire on protesters, killing two", ("Protests", "Excessive force against protesters")),
        ("Rioters torched police cars", ("Riots", "Violent demonstration")),
        ("Police arrested 12 suspected militants", ("Strategic developments", "Arrests")),
        # The act that comes first leads; a participle describing an actor is not an act.
        ("Rebels attacked army positions, sparking clashes and bombardment", ("Battles", "Armed clash")),
        ("The coalition fighting the rebels fired a missile", ("Explosions/Remote violence",
                                                              "Shelling/artillery/missile attack")),
    ],
)
def test_classify_event(clause: str, expected: tuple[str, str]) -> None:
    kind = classify_event(clause, find_actors(clause))
    assert kind is not None and (kind.event_type, kind.sub_event_type) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "The group has retained its capacity to carry out suicide bombings in cities",
        "Officials warned that clashes could erupt",
        "No clashes were reported",
        "The town lies along the river",
        "The two groups have fought repeatedly since the summer",
        "Fighting has intensified in recent weeks",
    ],
)
def test_no_event_without_a_realis_cue(clause: str) -> None:
    assert classify_event(clause, find_actors(clause)) is None


def test_actor_aliases_are_normalised() -> None:
    text = (
        "Daesh, ISIL and the Islamic State group; the Hashed al-Shaabi (Popular Mobilisation); "
        "Syrian regime forces and the Syrian army; the SDF; Ansar Allah; al-Shabab; Hayat Tahrir al-Sham"
    )
    assert [a.name for a in find_actors(text)] == [
        "IS", "Popular Mobilization Forces", "Syrian government forces", "SDF", "Houthis", "al-Shabaab", "HTS",
    ]


def test_actor_words_in_compounds_and_lower_case_do_not_count() -> None:
    assert find_actors("US-backed fighters and anti-IS forces; this is it") == []
    # "jihadists" is IS only in a story that names IS.
    assert find_actors("jihadists attacked", context="jihadists attacked") == []
    assert [a.name for a in find_actors("jihadists attacked", context="IS jihadists attacked")] == ["IS"]


def test_generic_government_forces_take_the_country_of_the_event() -> None:
    assert [a.name for a in find_actors("government forces shelled", country_code="YE")] == ["Yemeni government forces"]
    assert [a.name for a in find_actors("troops advanced", country_code="SO")] == ["Somali government forces"]
