"""Locative frames: names that the words around them make places, known to the gazetteer or not."""
from __future__ import annotations

from conflictmap.geo.recognise.frames import locative_frames


def _frames(text: str, words: frozenset[str] = frozenset()) -> list[tuple[str, list[str], bool]]:
    return [(text[f.start:f.end], [text[a:b] for a, b in f.units], f.settlement)
            for f in locative_frames(text, words)]


def test_settlement_words_before_and_after() -> None:
    assert _frames("Jets struck the village of Kansafra on Monday.") == [("Kansafra", [], True)]
    assert _frames("Shells fell on Tal Shihab town.") == [("Tal Shihab", [], True)]
    assert _frames("They entered the town of Maaret al-Numan.") == [("Maaret al-Numan", [], True)]
    assert _frames("Fighting in Deir ez-Zor countryside.") == [("Deir ez-Zor", [], True)]


def test_the_unit_a_frame_names() -> None:
    assert _frames("Jets struck the village of Kansafra in Idlib province.") == [("Kansafra", ["Idlib"], True)]
    assert _frames("Shelling hit Kafr Nabl, Idlib.") == [("Kafr Nabl", ["Idlib"], False)]
    assert _frames("The Kyivskyi district of Kharkiv was hit.")[0] == ("Kyivskyi", ["Kharkiv"], True)
    # "(district, region)": both, in that order; the first the story knows is used.
    assert ("Baydhaba", ["Baydhaba", "Bay"], False) in _frames("Mortars hit Baydhaba (Baydhaba, Bay).")


def test_relative_positions() -> None:
    found = _frames("Clashes near Menbej and north of Saraqeb, outside Binnish.")
    assert [f[0] for f in found] == ["Menbej", "Saraqeb", "Binnish"]
    assert _frames("Raids east of the Euphrates.") == []  # "the" keeps a common noun out


def test_words_that_are_no_names() -> None:
    english = frozenset({"old", "city", "north", "gate"})
    assert _frames("Shelling hit the Old City area near North Gate.", english) == []
    assert _frames("They met near Monday's market, in the town of President Square.") == []
    # Arabic name words that are also English dictionary words still make a name with another word.
    assert _frames("Shells hit the village of Tal Abyad.", frozenset({"tal"})) == [("Tal Abyad", [], True)]


def test_a_list_goes_on_in_its_frame() -> None:
    found = _frames("Jets hit the villages of Kafr Nabl, Hass and Kansafra in Idlib province.")
    assert [f[0] for f in found] == ["Kafr Nabl", "Hass", "Kansafra"]
    assert all("Idlib" in f[1] and f[2] for f in found)
    assert [f[0] for f in _frames("Strikes near Ein Zikr and Sahm Golan.")] == ["Ein Zikr", "Sahm Golan"]
    # After a position only "and" goes on: ", Reuters said" is no village.
    assert [f[0] for f in _frames("Fighting near Saraqeb, Reuters said.")] == ["Saraqeb"]
    assert _frames("Suicide attack in al-Rokban camp.") == [("al-Rokban", [], True)]


def test_a_list_is_no_comma_frame() -> None:
    assert _frames("Polls closed in Suba, Migori, Homa Bay and Rongo.") == []
    assert _frames("States including Georgia, Oklahoma and Texas.") == []
    assert _frames("Born in Toronto, Ontario.") == [("Toronto", ["Ontario"], False)]


def test_unit_names_and_place_names_with_title_or_compass_words() -> None:
    found = _frames("Fighters attacked a base in Awdheegle (Awdheegle, Lower Shabelle) on Monday.")
    assert found[0] == ("Awdheegle", ["Awdheegle", "Lower Shabelle"], False)
    assert _frames("Clashes in the Sheikh Maqsoud neighbourhood.") == [("Sheikh Maqsoud", [], True)]
    assert _frames("Talks near General Kassem's office.") == []
