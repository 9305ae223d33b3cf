"""Names in locative frames: "the village of X", "X town", "near X", "X, Idlib", "X (Bay, Baydhaba)".

War reporting names villages no gazetteer spells as it does, and the gazetteer
recogniser proposes only names it knows. The words around a name still say it
is a place: a settlement word ("the village of Kansafra", "Tal Shihab town"),
a relative position ("north of Saraqeb", "near Menbej"), or the admin unit it
lies in, after a comma or in brackets ("Kafr Nabl, Idlib", "Doolow (Doolow,
Gedo)"). ``locative_frames`` finds such names, whether or not the gazetteer
knows them, with the span of the unit the frame names; the geoparser resolves
the unknown ones by a fuzzy search inside the story's countries and falls back
to the named unit, never to a namesake elsewhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from conflictmap.geo.recognise.lexicon import NEVER, TITLES, WEEKDAYS

#: One capitalised word of a name, with inner apostrophes and hyphens ("Ma'arat", "Deir-ez-Zor").
_WORD = r"[^\W\d_a-z](?:\w|['\u2019\u2018\u02bf\u02be`-](?=\w))*"
#: The particles that join the words of a name: with a hyphen ("Maaret al-Numan", "Tell as-Sawda"),
#: and those that are no English words with a space too ("Ras al Ain", "Deir ez Zor").
_LINK = r"(?:-(?:al|el|ar|ad|an|as|at|az|ez|ed|esh|ash|ibn|bin|abu|um|umm|bani|beni|de|du)|" \
        r" (?:al|el|ez|ed|esh|ash|ibn|bin|abu|umm|bani|beni))"
#: A name of one to four capitalised words, perhaps after an article ("al-Rokban camp").
_NAME = rf"(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?{_WORD}(?:{_LINK}?[ -]{_WORD}){{0,3}}"
#: Settlement and unit words that go before "of X" or after "X".
_BEFORE_OF = (r"villages?|towns?|city|hamlet|settlement|district|sub-?district|neighbou?rhood|quarter|area"
              r"|outskirts|countryside|suburbs?|vicinity|surroundings|camp|region|province|governorate|county|municipality|locality")
_AFTER = (r"village|town|district|sub-?district|neighbou?rhood|quarter|area|camp|countryside|locality"
          r"|municipality")
#: Relative positions: "near X", "outside X", "north of X", "5 km east of X".
_POSITION = (r"near|nearby|outside|around|close\s+to|(?:north|south)(?:-?(?:east|west))?(?:ern)?\s+of"
             r"|(?:east|west)(?:ern)?\s+of|on\s+the\s+outskirts\s+of")

#: "the village of X", "the countryside of X", "the Hawija district of Kirkuk" is the next frame.
_OF_FRAME = re.compile(rf"\b(?i:{_BEFORE_OF})\s+of\s+(?P<name>{_NAME})")
#: "X village", "X district of Y".
_AFTER_FRAME = re.compile(rf"(?P<name>{_NAME})\s+(?i:{_AFTER})\b(?:\s+of\s+(?P<unit>{_NAME}))?")
#: "near X", "north of X".
_POSITION_FRAME = re.compile(rf"\b(?i:{_POSITION})\s+(?:the\s+(?i:village|town)\s+of\s+)?(?P<name>{_NAME})")
#: "X, Y" where Y is a unit; "X (Y)" and "X (Y, Z)".
#: Neither inside a list ("Suba, Migori, Homa Bay", "Georgia, Oklahoma and Texas"): a name after a
#: comma, or a unit before another comma or "and" and a name, is a list's.
_COMMA_FRAME = re.compile(rf"(?<!,\s)(?<!,)(?P<name>{_NAME}),\s+(?P<unit>{_NAME})(?![\w'\u2019-])"
                          rf"(?!\s*,\s*[^\W\d_a-z]|\s+and\s)")
_BRACKET_FRAME = re.compile(rf"(?P<name>{_NAME})\s*\((?P<unit>{_NAME})(?:,\s*(?P<unit2>{_NAME}))?\)")
#: "... in Y", "... in Y province", "... of the Y countryside" after a frame: the unit, if Y is one
#: (the geoparser checks that an admin unit has the name).
_UNIT_AFTER = re.compile(rf"\s+(?:in|of)\s+(?:the\s+)?(?P<unit>{_NAME})(?![\w'\u2019-])")
#: The next name of a list: ", B" or " and B" after a settlement word ("the villages of A, B and
#: C"), only " and B" after a position ("near A, Reuters said"); at most ``_MAX_LIST`` more.
_LIST_NEXT = re.compile(rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?P<name>{_NAME})")
_AND_NEXT = re.compile(rf"\s+and\s+(?P<name>{_NAME})")
_MAX_LIST = 4
#: A title first makes a person's name ("General Kassem"); "Sheikh Maqsoud" and "Saint Marc" are places.
_PERSON_TITLES = TITLES - {"sheikh", "saint", "st"}
#: Words never part of a village's name wherever they stand: news agencies, feasts, faiths.
_NEVER_IN_NAME = frozenset("xinhua yonhap kyodo bernama interfax anadolu christmas easter ramadan eid "
                           "hanukkah diwali jesus christ allah allahu muslim muslims hindu hindus buddha".split())
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_LINKS = frozenset("al el ar ad an as at az ez ed esh ash ibn bin abu um umm bani beni de du".split())
#: Last words that make a name a street's ("Seaton Street", "Dunnock Close"), not a village's.
_STREET = frozenset("street st road rd avenue ave lane close drive way square court crescent terrace gardens "
                    "boulevard highway motorway bridge station park stadium hospital school mosque church".split())
#: Frame words a capitalised name may end with: "Hawija District", "Kansafra Village".
_TRAILING = frozenset("village town district subdistrict sub-district area camp countryside province governorate "
                      "region county municipality locality city".split())


@dataclass(frozen=True)
class Frame:
    """A name in a locative frame: ``text[start:end]``; ``units`` the spans of the units it names.

    ``settlement`` is True when a settlement word goes with the name ("the
    village of X", "X town"), which makes a lone village name a place.
    ``needs_unit`` marks the frames that are frames only if a unit is one
    ("X, Idlib" is; "Disqus, Facebook" is a list).
    """

    start: int
    end: int
    units: tuple[tuple[int, int], ...] = ()
    settlement: bool = False
    needs_unit: bool = False


def locative_frames(text: str, dictionary_words: frozenset[str] = frozenset()) -> list[Frame]:
    """Every name ``text`` sets in a locative frame, in text order, one frame per name span.

    Parameters
    ----------
    text : str
        The text.
    dictionary_words : frozenset of str
        Lower-case English words: a name of such words only ("Old City",
        "North Gate") is taken as ordinary words, not as a village.

    Returns
    -------
    list[Frame]
        Non-overlapping by name span (the longer wins); the frames of one
        name span are merged, their units in the order found.
    """
    found: dict[tuple[int, int], Frame] = {}

    def add(start: int, end: int, settlement: bool, *units: tuple[int, int] | None, needs_unit: bool = False) -> None:
        start, end = _trim(text, start, end)
        if end <= start or not _plausible(text[start:end], dictionary_words):
            return
        spans = [_trim(text, *u) for u in units if u is not None]
        kept = tuple((a, b) for a, b in spans if b > a and _plausible(text[a:b], frozenset(), unit=True))
        old = found.get((start, end))
        if old is not None:
            kept = old.units + tuple(u for u in kept if u not in old.units)
            settlement = settlement or old.settlement
            needs_unit = needs_unit and old.needs_unit
        found[(start, end)] = Frame(start, end, kept, settlement, needs_unit)

    for m in _OF_FRAME.finditer(text):
        add(m.start("name"), m.end("name"), True, _unit_after(text, m.end("name")))
    for m in _AFTER_FRAME.finditer(text):
        add(m.start("name"), m.end("name"), True,
            m.span("unit") if m.group("unit") else _unit_after(text, m.end()))
    for m in _POSITION_FRAME.finditer(text):
        add(m.start("name"), m.end("name"), False, _unit_after(text, m.end("name")))
    for m in _COMMA_FRAME.finditer(text):
        add(m.start("name"), m.end("name"), False, m.span("unit"), needs_unit=True)
    for m in _BRACKET_FRAME.finditer(text):
        # "(Doolow, Gedo)": the district, then the region; the first one known is used.
        add(m.start("name"), m.end("name"), False, m.span("unit"),
            m.span("unit2") if m.group("unit2") else None, needs_unit=True)
    # A list goes on in the frame it starts in: "near Ein Zikr and Sahm Golan", "the villages of A, B and C".
    for frame in list(found.values()):
        if frame.needs_unit:
            continue
        pos = frame.end
        follow = _LIST_NEXT if frame.settlement else _AND_NEXT
        members = [(frame.start, frame.end)]
        for _ in range(_MAX_LIST):
            m = follow.match(text, pos)
            if m is None:
                break
            members.append(m.span("name"))
            pos = m.end("name")
        if len(members) > 1:
            # "... of A, B and C in Idlib province": the unit after the list is every member's.
            last = _unit_after(text, pos)
            for start, end in members:
                add(start, end, frame.settlement, last, *frame.units)
    out: list[Frame] = []
    for frame in sorted(found.values(), key=lambda f: (f.start, -(f.end - f.start))):
        if out and frame.start < out[-1].end:
            continue  # the longer frame at that place came first
        out.append(frame)
    return out


def _unit_after(text: str, end: int) -> tuple[int, int] | None:
    m = _UNIT_AFTER.match(text, end)
    return m.span("unit") if m else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without a leading "The" and without trailing frame words ("Kansafra Village")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group().lower() == "the":
        words.pop(0)
    while words and words[-1].group().lower() in _TRAILING:
        words.pop()
    if not words:
        return start, start
    return start + words[0].start(), start + words[-1].end()


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    return tuple(re.sub(r"['\u2019]s$", "", w.lower()) for w in re.split(r"[ -]", name) if w)


def _plausible(name: str, dictionary_words: frozenset[str], unit: bool = False) -> bool:
    """Whether ``name`` could be a place name: no weekday, month, title or news word; not English only.

    A ``unit`` (what a frame names after the name) only needs no weekday or month.
    """
    words = _words(name)
    content = [w for w in words if w not in _LINKS]
    if not content or len(name) < 3:
        return False
    if any(w in WEEKDAYS or w in _MONTHS for w in content):
        return False
    if unit:
        return True  # the geoparser checks that an admin unit has the name ("Lower Shabelle")
    if (len(content) == 1 and content[0] in NEVER) or content[0] in _PERSON_TITLES \
            or any(w in _NEVER_IN_NAME for w in content):
        return False
    if len(content) > 1 and content[-1] in _STREET:
        return False
    return not (dictionary_words and all(w.strip("'\u2019") in dictionary_words for w in content))
