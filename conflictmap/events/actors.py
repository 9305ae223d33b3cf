"""Actors by alias: who a text names, normalised. Standard library only.

Owns the actor finders (``find_actors``, ``find_actor_spans``, ``actors_in``)
over the aliases in ``data/vocab/actors.csv`` (columns ``actor``, ``side``,
``alias``, ``requires``, ``country``). The alias syntax is described in
docs/EVENTS.md, "Events: the vocabulary".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ACTORS_FILE = Path(__file__).resolve().parents[2] / "data" / "vocab" / "actors.csv"

#: The generic "government forces" of a country, by ISO code.
GOVERNMENT_FORCES = {
    "SY": "Syrian government forces",
    "IQ": "Iraqi forces",
    "YE": "Yemeni government forces",
    "SO": "Somali government forces",
    "AF": "Afghan forces",
    "NG": "Nigerian forces",
    "RU": "Russian forces",
    "TR": "Turkish forces",
    "IL": "Israeli forces",
    "US": "US forces",
}
_FORCES = (
    r"(?:security\s+forces|government\s+forces|forces|troops|army|soldiers|military|warplanes|jets|"
    r"air\s+strikes|airstrikes|warships|navy|naval\s+forces|helicopters)"
)

@dataclass(frozen=True)
class Actor:
    """One actor named in a text: canonical name, side, and where it was named."""

    name: str
    side: str
    start: int
    end: int = 0


@dataclass(frozen=True)
class _Alias:
    actor: str
    side: str
    first_word: str  # lower-cased unless case-sensitive: the index key
    pattern: re.Pattern[str]
    case_sensitive: bool
    requires: str
    length: int


# "-" after an alias means it is part of another word ("US-backed").
_ALIAS_END = r"(?![\w]|-(?:backed|based|led|held|controlled|allied))"
_TOKEN = re.compile(r"(?<![\w-])[\w][\w.'\u2019-]*")


@lru_cache(maxsize=1)
def _aliases() -> tuple[_Alias, ...]:
    rows: list[_Alias] = []
    with ACTORS_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            alias = row["alias"].strip()
            first = alias.split()[0]
            body = r"\s+".join(re.escape(w) for w in alias.split()).replace(re.escape("{forces}"), _FORCES)
            # Acronyms stay case-sensitive so "IS" is not "is".
            case_sensitive = first.isupper() and len(first) > 1
            pattern = re.compile(body + _ALIAS_END, 0 if case_sensitive else re.I)
            key = first if case_sensitive else first.lower()
            requires = (row.get("requires") or "").strip()
            rows.append(_Alias(row["actor"], row["side"], key, pattern, case_sensitive, requires, len(alias)))
    # Stable sort: longer aliases first, file order among equals (so "rebels" is Houthis in a Houthi story).
    rows.sort(key=lambda a: -a.length)
    return tuple(rows)


@lru_cache(maxsize=16)
def _alias_index(active: frozenset[str]) -> dict[str, tuple[_Alias, ...]]:
    """Aliases usable when the actors in ``active`` are named, by first word, longest first.

    Trying only the aliases that start with a word of the text keeps this fast:
    a regex alternation over every alias costs ~50x more.
    """
    index: dict[str, list[_Alias]] = {}
    for alias in _aliases():
        if not alias.requires or alias.requires in active:
            index.setdefault(alias.first_word, []).append(alias)
    return {k: tuple(v) for k, v in index.items()}


def _scan(text: str, index: dict[str, tuple[_Alias, ...]]) -> list[tuple[_Alias, int, int]]:
    """Leftmost, then longest alias matches in ``text``, without overlaps."""
    found: list[tuple[_Alias, int, int]] = []
    taken_until = 0
    for token in _TOKEN.finditer(text):
        if token.start() < taken_until:
            continue
        word = token.group(0)
        bare = word.rstrip(".")
        candidates = index.get(word, ()) + index.get(word.lower(), ()) + (
            index.get(bare, ()) + index.get(bare.lower(), ()) if bare != word else ()
        )
        for alias in sorted(candidates, key=lambda a: -a.length):
            m = alias.pattern.match(text, token.start())
            if m:
                found.append((alias, m.start(), m.end()))
                taken_until = m.end()
                break
    return found


@lru_cache(maxsize=256)
def _named_actors(context: str) -> frozenset[str]:
    """Actors a text names through aliases that need nothing else."""
    return frozenset(alias.actor for alias, _, _ in _scan(context, _alias_index(frozenset())))


def find_actors(text: str, *, country_code: str = "", context: str = "") -> list[Actor]:
    """Find the actors named in ``text``, normalised, in order of first mention.

    Parameters
    ----------
    text : str
        A clause or sentence.
    country_code : str
        ISO code of the event's country, naming generic "government forces".
    context : str
        The whole article, for aliases that need another actor named
        ("jihadists" -> IS only in an IS story).

    Returns
    -------
    list of Actor
        One entry per canonical actor, at its first position.
    """
    return actors_in(find_actor_spans(text, context=context), country_code=country_code)


def actors_in(
    spans: list[Actor], *, start: int = 0, end: int | None = None, country_code: str = ""
) -> list[Actor]:
    """The distinct actors among ``spans`` that lie in ``[start, end)``, offsets made relative to ``start``."""
    found: dict[str, Actor] = {}
    for span in spans:
        if span.start < start or (end is not None and span.end > end):
            continue
        name = GOVERNMENT_FORCES.get(country_code, "Government forces") if span.name == "{government}" else span.name
        if name not in found:
            found[name] = Actor(name, span.side, span.start - start, span.end - start)
    return list(found.values())


def find_actor_spans(text: str, *, context: str = "") -> list[Actor]:
    """Every actor alias in ``text``, in text order, without overlaps.

    Generic government forces keep the placeholder name ``{government}``;
    ``actors_in`` names them after the event's country.
    """
    spans: list[Actor] = []
    for alias, start, end in _scan(text, _alias_index(_named_actors(context or text))):
        if text[max(0, start - 5) : start].lower().endswith("anti-"):
            continue
        spans.append(Actor(alias.actor, alias.side, start, end))
    return spans


def is_actor_acronym(surface: str) -> bool:
    """True for an armed group's acronym ("IS", "SDF") that a place matcher may take for a town."""
    return surface.isupper() and any(a.case_sensitive and a.pattern.fullmatch(surface) for a in _aliases())
