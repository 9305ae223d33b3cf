"""The names of a text and what the words around them say.

``geoparser.Geoparser`` groups a text's spans into ``Name`` records; this module
reads the text around each name for the cues the resolution rules
(``scoring``) weigh: an admin word ("Deir Ezzor province", "the province of
Deir Ezzor"), a state's government or office ("New York Gov.", "Quebec Health
Minister"), a speech verb that makes a country its government ("Iran said"),
the town before a name and the unit after it ("Atlanta, Georgia", "Austin, in
Scott County"), and lists of names ("Georgia, Oklahoma and Pennsylvania"). It
reads only the text, never the gazetteer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from conflictmap.geo.recognise.lexicon import ADMIN_WORDS
from conflictmap.model import Place

_METONYMY = re.compile(
    r"^['\u2019]?s?\s+(?:has\s+|have\s+|had\s+|also\s+|then\s+|now\s+|would\s+|will\s+|had\s+)?"
    r"(?:said|says|denied|denies|announced|announces|warned|warns|accused|accuses|insisted|"
    r"rejected|rejects|condemned|condemns|claimed|claims|urged|urges|demanded|demands|"
    r"responded|vowed|threatened|blamed|blames|agreed|signed|imposed|backed|backs|supports|"
    r"supported|wants|wanted|refused|welcomed|criticised|criticized|called)\b"
)
_ADMIN_AFTER = re.compile(r"^\s+(" + "|".join(sorted(ADMIN_WORDS)) + r")\b", re.IGNORECASE)
#: "New York Gov. Andrew Cuomo", "the Alberta legislature": a state's government names the state.
_GOVERNOR_AFTER = re.compile(r"^\s+(?:Gov\.|Governor|governor|Lt\. Gov\.|legislature|Legislature)(?!\w)")
#: "Queensland Premier", "Quebec Health Minister", "Punjab Chief Minister": a
#: premier or a minister named after a place that is both a town and a state is
#: the state's (a country's ministers are named with its adjective: "Russian
#: Foreign Minister"); only towns lose by it, countries do not.
_PREMIER_AFTER = re.compile(r"^\s+(?:Premier|(?:[A-Z][a-z]+\s+){1,2}Minister)(?!\w)")
#: "Austin, Indiana", "Austin, in Scott County, Indiana": what follows a town
#: after a comma is the unit that holds it.
_UNIT_GAP = frozenset({", ", ", in "})
#: "the province of Deir Ezzor", "Syria's eastern province of Deir Ezzor".
_ADMIN_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(ADMIN_WORDS)) + r")s?\s+of\s+$", re.IGNORECASE)
#: What may stand between two names of a list: ", ", " and ", ", or ", " & ".
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)", re.IGNORECASE)


@dataclass
class Name:
    """One distinct name in a text, with its spans and ranked candidates."""

    key: str
    surface: str
    spans: list[tuple[int, int]]
    candidates: list[tuple[int, float]]
    admin_cue: bool = False
    choice: int | None = None
    score: float = 0.0
    fixed: Place | None = None
    own_country: tuple[str, float] | None = None
    pass1_country: tuple[str, float] | None = None
    after: Name | None = None  # the name just before it as "Town, <this>"
    part: bool = False  # candidates come from part of the name ("Manila Cathedral")
    siblings: list[Name] = field(default_factory=list)  # names listed with it ("A, B and C")
    unit: Name | None = None  # the name just after it as "<this>, Unit" ("Austin, Indiana")
    gov_cue: bool = False  # a state's office follows ("Quebec Health Minister")
    homonym_countries: int = 0  # countries of the places the name closely matches (0: unknown)
    settlement: bool = False  # a settlement word goes with a span of it ("the village of X")


# -- cues in the text around a name ----------------------------------------------


#: Words that say a name is a settlement: "the village of X", "X town", "X camp".
SETTLEMENT_WORDS = ("village", "villages", "town", "towns", "city", "hamlet", "camp", "suburb", "neighbourhood",
                    "neighborhood", "district", "quarter", "area", "countryside", "outskirts", "farms")
_SETTLEMENT_AFTER = re.compile(r"^\s+(?:" + "|".join(SETTLEMENT_WORDS) + r")\b", re.IGNORECASE)
_SETTLEMENT_BEFORE = re.compile(r"\b(?:" + "|".join(SETTLEMENT_WORDS) + r")\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def settlement_cue(text: str, start: int, end: int) -> bool:
    """Whether a settlement word goes with the name at ``start:end`` ("the village of X", "X town").

    A name that only villages of unknown size carry needs such a cue, or a
    country of the story to hold it (``Geoparser``): "Asian economy" is no village.
    """
    after = _SETTLEMENT_AFTER.match(text[end:end + 30])
    return bool(after or _SETTLEMENT_BEFORE.search(text[max(0, start - 40):start]))


def admin_cue(text: str, start: int, end: int) -> bool:
    """Whether an admin word or a state's government goes with the name at ``start:end``.

    Parameters
    ----------
    text : str
        The text.
    start, end : int
        The name's span.

    Returns
    -------
    bool
        True for "Deir Ezzor province", "the province of Deir Ezzor", "New York Gov.".
    """
    return bool(_ADMIN_AFTER.match(text[end:end + 30]) or _ADMIN_BEFORE.search(text[max(0, start - 30):start])
                or _GOVERNOR_AFTER.match(text[end:end + 30]))


def office_cue(text: str, end: int) -> bool:
    """Whether a premier or a minister follows the name ending at ``end`` ("Quebec Health Minister").

    Parameters
    ----------
    text : str
        The text.
    end : int
        Where the name ends.

    Returns
    -------
    bool
        True when a state's office names the place.
    """
    return bool(_PREMIER_AFTER.match(text[end:end + 40]))


def metonymic_after(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is the subject of a speech verb ("Iran said").

    Parameters
    ----------
    text : str
        The text.
    end : int
        Where the name ends.

    Returns
    -------
    bool
        True when the place stands for its government, not a location.
    """
    return bool(_METONYMY.match(text[end:end + 40]))


# -- links between the names of a text -------------------------------------------


def link_neighbours(text: str, names: dict[str, Name]) -> None:
    """Note, for each name, the town just before it and the unit just after it.

    Parameters
    ----------
    text : str
        The text the names' spans point into.
    names : dict[str, Name]
        The text's names; ``after`` ("Atlanta, <Georgia>") and ``unit``
        ("<Austin>, Indiana", "<Austin>, in Scott County") are set in place.
    """
    by_end = {end: item for item in names.values() for _, end in item.spans}
    by_start = {start: item for item in names.values() for start, _ in item.spans}
    for item in names.values():
        for start, _ in item.spans:
            before = by_end.get(start - 2)
            if before is not None and text[start - 2:start] == ", ":
                item.after = before
                break
        for _, end in item.spans:
            for gap in _UNIT_GAP:
                unit = by_start.get(end + len(gap))
                if unit is not None and unit is not item and text[end:end + len(gap)] == gap:
                    item.unit = unit
                    break
            if item.unit is not None:
                break


def link_lists(text: str, names: dict[str, Name]) -> None:
    """Note the names listed together (see ``list_links``).

    Parameters
    ----------
    text : str
        The text the names' spans point into.
    names : dict[str, Name]
        The text's names; each listed name gets the others of its list as ``siblings``.
    """
    item_at = {span: item for item in names.values() for span in item.spans}
    links = list_links(text, list(item_at))
    # A whole list counts, not only the next names: in "Georgia, Oklahoma,
    # Pennsylvania, Wisconsin and California" every name sees the four others.
    seen: set[tuple[int, int]] = set()
    for first in sorted(links):
        if first in seen:
            continue
        chain, todo, joined = [], [first], False
        while todo:
            span = todo.pop()
            if span in seen:
                continue
            seen.add(span)
            chain.append(span)
            for other, j in links.get(span, ()):
                joined = joined or j
                todo.append(other)
        # Two names with a bare comma between them are a town and its
        # state ("Croft, Yorkshire"), not a list.
        if len(chain) < 3 and not joined:
            continue
        for span in chain:
            item = item_at[span]
            have = {id(o) for o in item.siblings}
            for o in chain:
                other = item_at[o]
                if other is not item and id(other) not in have:
                    have.add(id(other))
                    item.siblings.append(other)


def list_links(text: str, spans: list[tuple[int, int]]) -> dict[tuple[int, int], list[tuple[tuple[int, int], bool]]]:
    """Link each span to the spans next to it in a list ("Benin, Ghana and Niger").

    Parameters
    ----------
    text : str
        The text the spans point into.
    spans : list[tuple[int, int]]
        Place-name spans.

    Returns
    -------
    dict
        span -> ``[(neighbour span, joined)]``; ``joined`` is True when "and",
        "or" or "&" stands between them, False for a bare comma (which also
        joins a town and its state: "Croft, Yorkshire").
    """
    order = sorted(spans)
    links: dict[tuple[int, int], list[tuple[tuple[int, int], bool]]] = {}
    for a, b in zip(order, order[1:], strict=False):
        gap = text[a[1]:b[0]]
        if len(gap) > 7 or not _LIST_GAP.fullmatch(gap):
            continue
        joined = "," not in gap or bool(re.search(r"\b(?:and|or)\b", gap))
        links.setdefault(a, []).append((b, joined))
        links.setdefault(b, []).append((a, joined))
    return links
