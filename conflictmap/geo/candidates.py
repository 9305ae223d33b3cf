"""Candidate places of a name: what the gazetteer offers before the context is read.

``geoparser.Geoparser`` asks here for the places a name may be ("the Gulf", a
plain name, "Jamaican", "Democratic Republic of Congo", "Manila Cathedral") and
for the towns a dateline names; ``scoring`` then ranks them. These
lookups are kept apart from the ranking because they depend on the gazetteer's
match qualities only, never on the story, and are tried in a fixed order.
"""
from __future__ import annotations

import os
import pickle
import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from conflictmap.geo.facilities import FACILITY, MANY, ONE, airport_name_core, facility_key
from conflictmap.geo.gazetteer import MATCH_FOLD, MATCH_NORM, Gazetteer
from conflictmap.geo.names import fold_key, script_family, translit_key, word_runs
from conflictmap.geo.scoring import big
from conflictmap.model import Place

_MAX_CANDIDATES = 60
#: The fuzzy search (``fuzzy_candidates``): the similarity (rapidfuzz ``ratio``,
#: 0-100, on ``names.translit_key``) a place's name must reach, the shortest key
#: it is tried for (short names meet too many others), how many places it keeps,
#: and the match quality of an equal key and of one at the threshold: below the
#: vowel level (``gazetteer.MATCH_VOWEL``), so the story's places must vouch for it.
_FUZZY_CUTOFF, _FUZZY_MIN_LEN, _FUZZY_LIMIT = 84.0, 4, 8
_FUZZY_TOP, _FUZZY_LOW = 0.78, 0.62
_FUZZY_KINDS = frozenset({"city", "admin2", "admin1", "facility", "natural"})


def name_candidates(gazetteer: Gazetteer, text: str, start: int, surface: str,
                    airport: str | None = None) -> tuple[list[tuple[int, float]], bool]:
    """The candidates of the name ``surface`` written at ``start`` in ``text``.

    Airports (see ``build.airports``) come first for "Shayrat air base" (airport
    words after the name) and "Dulles International Airport" (inside it);
    "London airports" are London's, "Gatwick airports" the airport's; and a
    name with no airport words may still be an airport's, beside its other
    places, for the context to decide ("Heathrow" in a London story is the
    airport, not the Florida village).

    Parameters
    ----------
    gazetteer : Gazetteer
        The place index.
    text : str
        The text (read for a "the" before the name).
    start : int
        Where the name starts.
    surface : str
        The name, without a possessive "'s".
    airport : str or None
        What ``facilities.facility_cue`` found after the name.

    Returns
    -------
    tuple[list[tuple[int, float]], bool]
        ``(place index, match quality)`` pairs, and whether they come from part
        of the name only ("Manila Cathedral").
    """
    core = surface if airport == ONE else airport_name_core(surface)
    airports = airport_candidates(gazetteer, core) if core else []
    if airports:
        return airports, False
    cands, part = _plain_candidates(gazetteer, text, start, surface)
    if airport == MANY:
        # A town's airports are the town's; a name no town bears closely is an airport's.
        if any(q >= MATCH_FOLD for _, q in cands) and not part:
            return cands, part
        return (airport_candidates(gazetteer, surface) or cands), part
    seen = {i for i, _ in cands}
    return cands + [c for c in airport_candidates(gazetteer, surface) if c[0] not in seen], part


def _plain_candidates(gazetteer: Gazetteer, text: str, start: int,
                      surface: str) -> tuple[list[tuple[int, float]], bool]:
    """The candidates of a name from its spelling alone (see ``name_candidates``)."""
    cands = (_after_the(gazetteer, text, start, surface)
             or gazetteer.lookup(surface)[:_MAX_CANDIDATES] or _inner_candidates(gazetteer, surface)
             or _with_the(gazetteer, surface))
    part = not cands
    if part:
        cands = _part_candidates(gazetteer, surface)
    return cands, part


def airport_candidates(gazetteer: Gazetteer, surface: str) -> list[tuple[int, float]]:
    """The airports named after ``surface`` ("Shayrat" for "the Shayrat air base").

    Only close spellings count: an airport whose name only shares the
    consonant outline is another place ("Siirt" for "Shayrat", "Liman" 600 km
    from Lyman), and the name's own places are then its candidates (see
    ``name_candidates``).

    Parameters
    ----------
    gazetteer : Gazetteer
        The place index.
    surface : str
        The name before the airport words.

    Returns
    -------
    list[tuple[int, float]]
        ``(place index, match quality)`` of the airports named "<surface> Airport"
        (see ``facilities.facility_key``); empty when none is, or when the name has no Latin
        letters to look up ("Донецк").
    """
    if not fold_key(surface):
        return []
    return [(i, q) for i, q in gazetteer.lookup(facility_key(surface), loose=False)[:_MAX_CANDIDATES]
            if gazetteer.places[i].feature == FACILITY and q >= MATCH_FOLD]


def hint_anchors(gazetteer: Gazetteer, parts: Sequence[str], countries: Counter[str]) -> list[Place]:
    """The places a dateline or title names, in a country the hints name too.

    Only close name matches count, and the biggest such place is taken: a
    dateline names a well-known town.

    Parameters
    ----------
    gazetteer : Gazetteer
        The place index.
    parts : Sequence[str]
        The hints' parts that are not countries ("Deir Ezzor" of "Deir Ezzor, Syria").
    countries : Counter[str]
        The countries the hints name.

    Returns
    -------
    list[Place]
        At most five places.
    """
    out: list[Place] = []
    for part in parts:
        best: Place | None = None
        for idx, quality in gazetteer.lookup(part, loose=False)[:_MAX_CANDIDATES]:
            place = gazetteer.places[idx]
            if (quality >= MATCH_FOLD and place.feature != "country"
                    and countries.get(place.country_code, 0.0) > 0
                    and (best is None or place.population > best.population)):
                best = place
        if best is not None:
            out.append(best)
    return out[:5]


def _after_the(gazetteer: Gazetteer, text: str, start: int, surface: str) -> list[tuple[int, float]]:
    """Candidates for a name written after "the" that the gazetteer knows with
    it ("the Gulf" is the Persian Gulf, "the Strip" the Gaza Strip), ahead of
    the bare name's ("Gulf" is also a Papua New Guinea province)."""
    if text[max(0, start - 4):start].lower() != "the ":
        return []
    found = [(i, q) for i, q in gazetteer.lookup("the " + surface, loose=False) if q >= MATCH_NORM]
    if not found:
        return []
    seen = {i for i, _ in found}
    return (found + [(i, q) for i, q in gazetteer.lookup(surface) if i not in seen])[:_MAX_CANDIDATES]


def _inner_candidates(gazetteer: Gazetteer, surface: str) -> list[tuple[int, float]]:
    """Candidates for a given span no name matches: the country of an "-an"
    adjective the demonym table lacks ("Jamaican" -> Jamaica). Only spans
    handed in reach here (resolution-only mode); the recogniser never
    proposes a span the gazetteer does not know."""
    if " " in surface or not surface.endswith("n") or len(surface) <= 4:
        return []
    return [(i, q * 0.9) for i, q in gazetteer.lookup(surface[:-1], loose=False)
            if gazetteer.places[i].feature == "country"]


def _with_the(gazetteer: Gazetteer, surface: str) -> list[tuple[int, float]]:
    """Candidates for "Democratic Republic of Congo" as "... of the Congo"."""
    with_the = re.sub(r"\bof (?!the\b)", "of the ", surface)
    if with_the == surface:
        return []
    return gazetteer.lookup(with_the, loose=False)[:_MAX_CANDIDATES]


def _part_candidates(gazetteer: Gazetteer, surface: str) -> list[tuple[int, float]]:
    """Candidates for a given span no name matches, from the longest run of its
    words that names a place: a facility or body named after its town
    ("Manila Cathedral", "Delhi High Court", "Lake Manassas", "North London").

    Only an exact name counts, and a dictionary word only as a big place
    ("Airport", "Center" and "Hill" are small towns somewhere, "Lake" is
    also "Lake County"), never a compass word alone; and the place is kept
    only when the story vouches for it (see ``scoring.vouched_part``).
    A country inside a longer name is not taken ("Stade de France" is not at
    France's centre), and after a compass word ("Northern Europe",
    "Southern California") only a town is: a part of a town is near the
    town, a part of a state or continent is not near its centre. The match
    quality is lowered (0.9 of an exact match).
    """
    places = gazetteer.places
    for part, after_compass in word_runs(surface):
        kinds = ("city", "admin2") if after_compass else ("city", "admin2", "admin1", "region", "natural")
        if any(q >= MATCH_NORM and places[i].feature == "country"
               for i, q in gazetteer.lookup(part, loose=False)[:5]):
            # "Bank of Mexico" names the country, not Mexico City (one of
            # whose names is "Mexico"), and a country is not placed from
            # inside a longer name (see above).
            return []
        # A dictionary word ("Airport", "Hill", "Manila") only as a big place.
        word = all(w.lower().strip(".,'\u2019") in gazetteer.dictionary_words for w in part.split())
        found = [(i, q * 0.9) for i, q in gazetteer.lookup(part, loose=False)[:_MAX_CANDIDATES]
                 if q >= MATCH_NORM and places[i].feature in kinds
                 and not (word and (not big(places[i]) or places[i].feature == "admin2"))]
        if found:
            return found
    return []


def fuzzy_candidates(gazetteer: Gazetteer, surface: str, countries: Iterable[str]) -> list[tuple[int, float]]:
    """The places of ``countries`` whose name is spelled nearly like ``surface``.

    A bounded fallback for a name no key matched ("Menbej" for Manbij, "Tell
    Tamer" for Tall Tamr): each country's place names are compared, in that
    country's script family (``names.translit_key``), with rapidfuzz's
    normalised Indel similarity, and those at or above ``_FUZZY_CUTOFF`` are
    kept, their quality falling from ``_FUZZY_TOP`` (the same key) to
    ``_FUZZY_LOW`` (at the cutoff). Only the story's countries are searched:
    a spelling near a name somewhere else in the world is no evidence.

    Parameters
    ----------
    gazetteer : Gazetteer
        The place index.
    surface : str
        The name as written.
    countries : Iterable[str]
        Country codes to search (the story's).

    Returns
    -------
    list[tuple[int, float]]
        ``(place index, match quality)``, best first; empty for a short name.
    """
    found: dict[int, float] = {}
    for cc in sorted(set(countries)):
        family = script_family(cc)
        query = translit_key(surface, family)
        if len(query) < _FUZZY_MIN_LEN:
            continue
        keys, indices = _country_keys(gazetteer, cc, family)
        for _, score, pos in process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF,
                                             limit=_FUZZY_LIMIT):
            quality = _FUZZY_LOW + (_FUZZY_TOP - _FUZZY_LOW) * (score - _FUZZY_CUTOFF) / (100.0 - _FUZZY_CUTOFF)
            idx = indices[pos]
            found[idx] = max(found.get(idx, 0.0), round(quality, 3))
    return sorted(found.items(), key=lambda kv: (-kv[1], -gazetteer.places[kv[0]].population))[:_FUZZY_LIMIT]


#: gazetteer -> country code -> (keys, place indices); built on first use per country.
_KEYS: weakref.WeakKeyDictionary[Gazetteer, dict[str, tuple[list[str], list[int]]]] = weakref.WeakKeyDictionary()
#: gazetteer -> the country code of every place, in index order (one column, made once).
_COUNTRY_COLUMN: weakref.WeakKeyDictionary[Gazetteer, list[object]] = weakref.WeakKeyDictionary()
_KEYS_LOCK = threading.Lock()


def _country_keys(gazetteer: Gazetteer, cc: str, family: str) -> tuple[list[str], list[int]]:
    """The transliteration keys of the main names of ``cc``'s places, with their indices.

    Made once per process and country, and kept in the index's ``derived_dir``
    (set by ``loader.load_gazetteer``) so the next process reads them: making
    Pakistan's 130,000 keys takes seconds, reading them milliseconds.
    """
    with _KEYS_LOCK:
        per = _KEYS.setdefault(gazetteer, {})
        if cc not in per:
            folder = getattr(gazetteer, "derived_dir", None)
            stored = _read_keys(folder, cc, family) if folder is not None else None
            per[cc] = stored if stored is not None else _make_keys(gazetteer, cc, family)
            if stored is None and folder is not None:
                _write_keys(folder, cc, family, per[cc])
        return per[cc]


def _keys_file(folder: Path, cc: str, family: str) -> Path:
    return folder / f"{cc or 'none'}.{family}.pickle"


def _read_keys(folder: Path, cc: str, family: str) -> tuple[list[str], list[int]] | None:
    try:
        with _keys_file(folder, cc, family).open("rb") as fh:
            keys, indices = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    return (keys, indices) if isinstance(keys, list) and isinstance(indices, list) else None


def _write_keys(folder: Path, cc: str, family: str, keys: tuple[list[str], list[int]]) -> None:
    """Store one country's keys; a read-only cache only costs the next process the time to make them."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{cc}.{family}.{os.getpid()}.{threading.get_ident()}.tmp"
        with tmp.open("wb") as fh:
            pickle.dump(keys, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(_keys_file(folder, cc, family))
    except OSError:
        pass


def _make_keys(gazetteer: Gazetteer, cc: str, family: str) -> tuple[list[str], list[int]]:
    """The keys of ``cc``'s places, made from the index's rows (the caller holds ``_KEYS_LOCK``)."""
    rows = gazetteer.places.rows
    if gazetteer not in _COUNTRY_COLUMN:
        # The stored rows (``records.astuple_place`` order), not Place objects: a pass
        # over a million places must not make a million dataclasses, and one column is
        # cheap to scan per country.
        _COUNTRY_COLUMN[gazetteer] = [row[5] for row in rows]
    keys: list[str] = []
    indices: list[int] = []
    for idx in [i for i, c in enumerate(_COUNTRY_COLUMN[gazetteer]) if c == cc]:
        row = rows[idx]
        key = translit_key(str(row[1]), family) if row[4] in _FUZZY_KINDS else ""
        if key:
            keys.append(key)
            indices.append(idx)
    return keys, indices
