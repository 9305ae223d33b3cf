"""Names of armed groups, forces and organisations: known to the geoparser, never places.

Conflict reporting names its actors all the time, and many of their names hold a
place name or are spelled like one: "al-Shabaab" folds to the Iranian town
Shabāb, "Hayat Tahrir al-Sham" holds "Sham" (Damascus), "Wagner" is a town in
South Dakota. The event extractor's actor list (``data/vocab/actors.csv``,
columns ``actor, side, alias, requires``; shared with ``events.actors``, which
``geo`` must not import) is read here directly: the recogniser drops a place
span inside an alias's occurrence (``actor_spans``), and the geoparser takes
the country an actor belongs to (the demonym in its name or aliases: "regime
forces" are the "Syrian government forces") as weak context (``actor_names``).
Templates ("Syrian {forces}") are left out (their demonym is read anyway), and
so are aliases that hold only when another actor is named ("rebels" for the
Houthis).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from conflictmap.config import ROOT

ACTORS_PATH = ROOT / "data" / "vocab" / "actors.csv"
#: Names of groups and products the actor list lacks that gazetteers hold as
#: places ("Wagner" in South Dakota, "Toyota" in Japan: "Toyota pickup trucks").
EXTRA_NAMES = ("Wagner", "Wagner Group", "Toyota", "Hilux", "Land Cruiser", "Kalashnikov")


@lru_cache(maxsize=4)
def read_actor_aliases(path: Path = ACTORS_PATH) -> tuple[tuple[str, str], ...]:
    """The ``(alias, actor)`` pairs of the actor list that name a particular actor.

    Parameters
    ----------
    path : Path
        The actor CSV; a missing file gives only ``EXTRA_NAMES``.

    Returns
    -------
    tuple[tuple[str, str], ...]
        Aliases without a template or a condition, with their actor's name.
    """
    pairs: list[tuple[str, str]] = [(name, name) for name in EXTRA_NAMES]
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                alias = (row.get("alias") or "").strip()
                if alias and "{" not in alias and not (row.get("requires") or "").strip():
                    pairs.append((alias, (row.get("actor") or alias).strip()))
    return tuple(pairs)


@lru_cache(maxsize=4)
def _pattern(path: Path = ACTORS_PATH) -> re.Pattern[str] | None:
    """One alternation of every alias, longest first; words may be joined by spaces or hyphens."""
    parts = []
    for alias, _ in sorted(read_actor_aliases(path), key=lambda p: -len(p[0])):
        body = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", alias))
        # Acronyms stay case-sensitive ("IS" is not "is"); other names are not
        # ("al-Shabaab", "Al Shabaab", "AL-SHABAAB").
        parts.append(body if alias.isupper() else "(?i:" + body + ")")
    if not parts:
        return None
    return re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w])")


def actor_spans(text: str, path: Path = ACTORS_PATH) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every actor alias written in ``text``.

    Parameters
    ----------
    text : str
        The text.
    path : Path
        The actor CSV.

    Returns
    -------
    list[tuple[int, int]]
        Non-overlapping spans, in text order.
    """
    pattern = _pattern(path)
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def actor_names(text: str, path: Path = ACTORS_PATH) -> list[str]:
    """The actors the aliases in ``text`` name, with every alias of each ("regime forces" ->
    "Syrian government forces", "Assad forces", ...), for the caller to read demonyms from:
    one string per alias ``actor_spans`` finds, the actor's name and its aliases space-joined.
    """
    actors = _actors_by_alias(path)
    out = []
    for start, end in actor_spans(text, path):
        found = actors.get(_alias_key(text[start:end]))
        if found is not None:
            out.append(found)
    return out


def actor_homes(text: str, path: Path = ACTORS_PATH) -> set[str]:
    """The countries of the local armed groups and forces ``text`` names (its ``country`` column).

    "Rahman Corps", "al-Shabaab", "the Houthis" fight in one country each: a story that
    names them is set there as firmly as one that names the country ("Beit Sawa" in a
    Rahman Corps headline is the Ghouta town, not the Yemeni village). Actors that fight
    in many countries (IS, US forces) have none.
    """
    homes = _homes_by_alias(path)
    return {homes[key] for key in (_alias_key(text[a:b]) for a, b in actor_spans(text, path)) if key in homes}


@lru_cache(maxsize=4)
def _homes_by_alias(path: Path = ACTORS_PATH) -> dict[str, str]:
    """Alias key -> the ISO code of the one country the actor fights in, for actors that have one."""
    out: dict[str, str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                alias, home = (row.get("alias") or "").strip(), (row.get("country") or "").strip().upper()
                if alias and home and "{" not in alias and not (row.get("requires") or "").strip():
                    out[_alias_key(alias)] = home
    return out


def _alias_key(alias: str) -> str:
    return re.sub(r"[\s\-]+", " ", alias).lower()


@lru_cache(maxsize=4)
def _actors_by_alias(path: Path = ACTORS_PATH) -> dict[str, str]:
    """Alias key -> the actor's name and all its aliases, space-joined."""
    aliases_of: dict[str, list[str]] = {}
    for alias, actor in read_actor_aliases(path):
        aliases_of.setdefault(actor, [actor]).append(alias)
    return {_alias_key(alias): " ".join(aliases_of[actor]) for alias, actor in read_actor_aliases(path)}
