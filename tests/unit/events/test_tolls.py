"""Death tolls from the parse (who was killed, how many), bare statements, and dates before the toll."""
from __future__ import annotations

from datetime import date

import pytest

from conflictmap.events.extract import extract_events
from conflictmap.events.fatalities import find_toll, parse_fatalities, stated_toll
from conflictmap.model import Article, Mention, Place

HOMS = Place("gn:169577", "Homs", 34.72682, 36.72339, "city", "SY", "11", 775404, 169577)


@pytest.mark.parametrize(
    "sentence",
    [
        "Clashes erupted in Homs on 7 May 2018, killing 4 fighters.",  # day month year
        "Clashes erupted in Homs on May 7, 2018, killing 4 fighters.",  # month day, year
        "Clashes erupted in Homs on May 7, killing 4 fighters.",  # month day
        "Clashes erupted in Homs on the 7th of May, killing 4 fighters.",  # ordinal
        "Clashes erupted in Homs on the 7th, killing 4 fighters.",  # "on the 7th"
        "On 20 May, clashes in Homs killed 4 fighters.",
        "On 29 April 2020, clashes in Homs killed 4 fighters.",
        "Clashes erupted in Homs on 2018-05-07, killing 4 fighters.",
        "Clashes erupted in Homs at 10:30 on Monday, killing 4 fighters.",
    ],
)
def test_a_date_before_the_toll_is_never_the_toll(sentence: str) -> None:
    assert parse_fatalities(sentence) == (4, 4, 4)


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        # A singular victim is one.
        ("On 29 April 2020, gunmen shot dead a civilian in the market.", (1, 1, 1)),
        ("The victim died in hospital.", (1, 1, 1)),
        ("The blast went off near a checkpoint, killing a soldier.", (1, 1, 1)),
        ("Gunmen shot dead the owner of a shop.", (1, 1, 1)),
        ("Militants killed a revenue collector.", (1, 1, 1)),
        ("A man was found dead near the river.", (1, 1, 1)),
        ("Police beat a protester to death.", (1, 1, 1)),
        # Number words at the start, sums of coordinated victims, ranges and vague counts.
        ("Two soldiers were reportedly killed.", (2, 2, 2)),
        ("Two soldiers and a civilian were killed.", (3, 3, 3)),
        ("Between 5 and 7 people were killed.", (5, 5, 7)),
        ("Dozens of people were killed.", (12, 12, 99)),
        ("At least 12 civilians were killed.", (12, 12, None)),
        # Counts of other things are not tolls.
        ("Attackers burned 3 schools and killed 2 teachers.", (2, 2, 2)),
        ("Killing a soldier, the bomb also destroyed 4 vehicles.", (1, 1, 1)),
        ("Fighters killed 12 soldiers, including 3 officers.", (12, 12, 12)),
        ("A soldier was killed and three were wounded.", (1, 1, 1)),
        # A second victim the parse hangs elsewhere: inside the first one's phrase, on the verb.
        ("A drone strike killed a senior commander of the brigade and two other members of the group.", (3, 3, 3)),
        ("Missiles hit his home, killing him and at least three members of his family.", (4, 4, None)),
        ("A bomber killed the minister for refugees, Khalil Haqqani, and at least five other people.",
         (6, 6, None)),
        ("Seven IS militants and two SDF fighters were reported killed.", (9, 9, 9)),
        ("Marines clashed with the rebels, leaving two rebels and a marine dead.", (3, 3, 3)),
        # ... but never a part of the dead counted again.
        ("Shells hit a hospital, killing 6 civilians, one of them a child, and wounding 15 others.", (6, 6, 6)),
        ("The missile struck a playground, killing 20 civilians, 9 of them children.", (20, 20, 20)),
        ("Gang members opened fire, killing at least 70 people, including ten women and three infants.",
         (70, 70, None)),
    ],
)
def test_tolls_from_the_parse(sentence: str, deaths: tuple[int, int | None, int | None]) -> None:
    toll = find_toll(sentence)
    assert toll is not None and toll.deaths == deaths
    assert toll.phrase and toll.phrase in sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Soldiers of the 93rd brigade were killed.",  # a unit's number
        "The attackers burned 3 schools.",
        "Two men were shot by an armed man.",  # shot, not killed
        "Militants destroyed 4 vehicles on 7 May.",
    ],
)
def test_no_toll(sentence: str) -> None:
    assert parse_fatalities(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        ("1 fatality.", (1, 1, 1)),
        ("3 fatalities.", (3, 3, 3)),
        ("Fatalities: 2", (2, 2, 2)),
        ("No fatalities were reported.", (0, 0, 0)),
        ("No fatalities.", (0, 0, 0)),
        ("Casualties unknown.", None),
        ("Fatalities are unknown.", None),
    ],
)
def test_stated_tolls(sentence: str, deaths: tuple[int, int, int] | None) -> None:
    toll = stated_toll(sentence)
    assert toll is not None and toll.deaths == deaths


def test_an_unknown_number_is_unknown_not_zero() -> None:
    toll = find_toll("Militants killed an unknown number of soldiers.")
    assert toll is not None and toll.deaths is None and "unknown" in toll.phrase


def _homs_article(body: str) -> tuple[Article, list[Mention]]:
    article = Article.create("t", body, published=date(2018, 5, 20))
    start = body.index("Homs")
    return article, [Mention(start, start + 4, "Homs", HOMS, 1.0)]


def test_a_bare_count_after_a_report_is_its_toll() -> None:
    body = "On 7 May 2018, gunmen attacked a bakery in Homs, killing a worker. 3 fatalities."
    article, mentions = _homs_article(body)
    (event,) = extract_events(article, mentions)
    assert (event.fatalities_best, event.deaths_phrase) == (3, "3 fatalities.")
    assert event.event_date == date(2018, 5, 7)


@pytest.mark.parametrize(
    ("body", "best"),
    [
        ("On 7 May 2018, a car bomb in Homs killed at least 28 people. Officials later raised the death toll to 32.",
         32),
        ("On 7 May 2018, rioters set fire to a hall in Homs, killing three people. A fourth victim died in hospital.",
         4),
        # A smaller later figure is not a revision of this toll.
        ("On 7 May 2018, a car bomb in Homs killed at least 28 people. The toll of the war rose to 5 this week.", 28),
    ],
)
def test_a_later_total_revises_the_toll(body: str, best: int) -> None:
    article, mentions = _homs_article(body)
    (event,) = extract_events(article, mentions)
    assert event.fatalities_best == best


def test_casualties_unknown_leaves_the_toll_unknown() -> None:
    article, mentions = _homs_article("On 7 May 2018, shelling hit Homs. Casualties unknown.")
    (event,) = extract_events(article, mentions)
    assert event.fatalities_best is None and event.deaths_phrase == "Casualties unknown."


def test_the_reproduction_from_the_issue() -> None:
    article, mentions = _homs_article("Clashes erupted in Homs on 7 May 2018, killing 4 fighters.")
    (event,) = extract_events(article, mentions)
    assert (event.fatalities_best, event.fatalities_low, event.fatalities_high) == (4, 4, 4)
    assert event.cue == "Clashes" and event.deaths_phrase == "killing 4 fighters"


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        ("A crowd beat a 16-year-old boy to death.", (1, 1, 1)),  # an age is not a count
        ("A two-year-old girl was killed.", (1, 1, 1)),
        ("They beat him to death with bricks.", (1, 1, 1)),  # a pronoun victim
        ("A landmine exploded under two children, killing both.", (2, 2, 2)),
        ("Both men died.", (2, 2, 2)),
        ("Falling debris damaged a house but hurt no one.", (0, 0, 0)),  # nobody hurt: nobody killed
        ("No injuries were reported.", (0, 0, 0)),
        ("Two days after the attack, 5 soldiers were killed.", (5, 5, 5)),
    ],
)
def test_ages_pronouns_both_and_no_harm(sentence: str, deaths: tuple[int, int, int]) -> None:
    toll = find_toll(sentence)
    assert toll is not None and toll.deaths == deaths


def test_a_toll_of_an_earlier_incident_is_not_this_ones() -> None:
    assert find_toll("Protesters stormed ministries four days after the port blast that killed 150 people.") is None


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        ("Volunteers recovered the bodies of a woman and her two children.", (3, 3, 3)),
        ("The bodies of 14 men were found.", (14, 14, 14)),
        # The count before an active verb with an object is the killers', not the dead.
        ("Two men on a motorcycle shot dead a female polio vaccinator and wounded her colleague.", (1, 1, 1)),
        ("A mob of students stoned and beat to death a female classmate.", (1, 1, 1)),  # a shared object
        ("2 FC personnel killed and 3 injured.", (2, 2, 2)),  # the injured are no dead
    ],
)
def test_bodies_killers_and_shared_objects(sentence: str, deaths: tuple[int, int, int]) -> None:
    toll = find_toll(sentence)
    assert toll is not None and toll.deaths == deaths


@pytest.mark.parametrize(
    ("sentence", "deaths"),
    [
        # More dead of the same incident in one sentence add up ("also", "as well", "too").
        ("Troops killed six insurgents near the border, the army said, adding that a soldier also died.", (7, 7, 7)),
        ("Four guards died, and two attackers were killed as well.", (6, 6, 6)),
        # "along with": one more victim; an unknown number of others keeps the known count as a floor.
        ("Nine pilgrims were shot dead, along with their driver.", (10, 10, 10)),
        ("Between 3 and 4 police were killed, along with an unknown number of gunmen.", (3, 3, None)),
        # A counted victim conjoined with "a/an" someone is one more, whatever the noun.
        ("The gunmen fired on a minibus, killing two Kenyan nationals and a Somali.", (3, 3, 3)),
        # The victim of a relative clause is its noun: "an elder who was shot dead".
        ("Relatives of a village chief who was shot dead last month demanded an inquiry.", (1, 1, 1)),
        # A passive death verb under "said" whose subject the parse made the object of "said".
        ("Local officials said 31 people, many of them farmers, were killed.", (31, 31, 31)),
        # Ranges told as estimates.
        ("Residents put the death toll at between 40 and 75.", (40, 40, 75)),
        ("Estimates of the number of people killed ranged from 60 to 90.", (60, 60, 90)),
    ],
)
def test_more_dead_along_with_relatives_and_estimated_ranges(sentence: str, deaths: tuple[int, int, int]) -> None:
    toll = find_toll(sentence)
    assert toll is not None and toll.deaths == deaths
