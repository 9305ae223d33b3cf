"""Actors by alias: who a text names, normalised, their ACLED types and roles. Standard library only.

Owns the actor finders (``find_actors``, ``find_actor_spans``, ``actors_in``)
over the aliases in ``data/vocab/actors.csv`` (columns ``actor``, ``side``,
``alias``, ``requires``, ``country``, ``actor_type``) and the nationality
adjectives of ``data/vocab/nationalities.csv`` (columns ``adjective``,
``country``, ``forces``, ``police``: "an Israeli air strike" names the Israeli
forces). ``actor_type`` gives an actor's ACLED type code and ``assign_roles``
who acted (actor1) and who was acted upon (actor2). The alias syntax is
described in docs/EVENTS.md, "Events: the vocabulary".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parents[2] / "data" / "vocab"
ACTORS_FILE = VOCAB_DIR / "actors.csv"
NATIONALITIES_FILE = VOCAB_DIR / "nationalities.csv"

#: The generic "government forces" of a country, by ISO code: "the army", "troops",
#: "security forces" of a story set there. In Palestine they are Israel's.
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
    "PS": "Israeli forces",
    "US": "US forces",
    "SD": "Sudanese Armed Forces",
    "SS": "South Sudanese forces",
    "ET": "Ethiopian forces",
    "ER": "Eritrean forces",
    "CD": "Congolese forces",
    "ML": "Malian forces",
    "BF": "Burkinabe forces",
    "NE": "Nigerien forces",
    "TD": "Chadian forces",
    "CM": "Cameroonian forces",
    "MZ": "Mozambican forces",
    "LY": "Libyan government forces",
    "MM": "Myanmar forces",
    "PH": "Philippine forces",
    "TH": "Thai forces",
    "PK": "Pakistani forces",
    "IN": "Indian forces",
    "BD": "Bangladeshi forces",
    "UA": "Ukrainian forces",
    "LB": "Lebanese forces",
    "IR": "Iranian forces",
    "SA": "Saudi forces",
    "EG": "Egyptian forces",
    "KE": "Kenyan forces",
    "UG": "Ugandan forces",
    "RW": "Rwandan forces",
    "BI": "Burundian forces",
    "CF": "Central African forces",
    "CO": "Colombian forces",
    "MX": "Mexican forces",
    "VE": "Venezuelan forces",
    "HT": "Haitian forces",
}
#: ACLED codes a state's forces acting outside their country as External/Other
#: forces (type 8): Russian forces in Syria, Turkish drones over Iraq.
FOREIGN_FORCES_ARE_EXTERNAL = True

_FORCES = (
    r"(?:security\s+forces|government\s+forces|armed\s+forces|special\s+forces|ground\s+forces|forces|troops|"
    r"army|soldiers|military|air\s+force|warplanes|jets|air\s+strikes|airstrikes|warships|navy|naval\s+forces|"
    r"helicopters|paratroopers|commandos|marines|border\s+guards|drone\s+strikes?|air\s+strike|airstrike|air\s+raids?|"
    r"battalions?)"
)
#: Placeholders named after the event's country by ``actors_in``.
_PLACEHOLDERS = {"{government}", "{police}"}
#: Head words that add nothing after a named actor ("Boko Haram gunmen", "Syrian army soldiers").
_GENERIC_HEADS = _PLACEHOLDERS | {"Unidentified armed group", "Rebels"}


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
    template: bool = False


# "-" after an alias means it is part of another word ("US-backed").
_ALIAS_END = r"(?![\w]|-(?:backed|based|led|held|controlled|allied))"
_TOKEN = re.compile(r"(?<![\w-])[\w][\w.'\u2019-]*")


def _is_acronym(word: str) -> bool:
    """"IS", "ISWAP", "M23", "FAMa": matched case-sensitively so "IS" is not "is"."""
    upper = sum(c.isupper() for c in word)
    return (word.isupper() and len(word) > 1) or (upper >= 2 and upper > sum(c.islower() for c in word))


def _words_pattern(alias: str) -> str:
    body = r"\s+".join(re.escape(w) for w in alias.split()).replace(re.escape("{forces}"), _FORCES)
    return body.replace("'", "['\u2019]")


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    with ACTORS_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh))


@lru_cache(maxsize=1)
def _aliases() -> tuple[_Alias, ...]:
    rows: list[_Alias] = []
    for row in _rows():
        alias = row["alias"]
        first = alias.split()[0]
        case_sensitive = _is_acronym(first)
        pattern = re.compile(_words_pattern(alias) + _ALIAS_END, 0 if case_sensitive else re.I)
        key = first if case_sensitive else first.lower()
        template = "{forces}" in alias
        rows.append(
            _Alias(row["actor"], row["side"], key, pattern, case_sensitive, row["requires"], len(alias), template)
        )
    # Stable sort: longer aliases first; at equal length one whose condition holds beats one
    # without ("rebels" is the Houthis in a Houthi story), then file order.
    rows.sort(key=lambda a: (-a.length, not a.requires))
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
        for alias in sorted(candidates, key=lambda a: (-a.length, not a.requires)):
            m = alias.pattern.match(text, token.start())
            if m:
                found.append((alias, m.start(), m.end()))
                taken_until = m.end()
                break
    return found


@lru_cache(maxsize=256)
def _named_actors(context: str) -> frozenset[str]:
    """The conditions ``context`` meets: the actors it names through aliases that need nothing
    else, and ``!word`` for each ``requires`` of that form whose word it lacks ("RSF" is the
    Rapid Support Forces unless the story is about Reporters Without Borders)."""
    named = {alias.actor for alias, _, _ in _scan(context, _alias_index(frozenset()))}
    lowered = context.lower()
    return frozenset(named | {r for r in _negations() if r[1:].lower() not in lowered})


@lru_cache(maxsize=1)
def _negations() -> frozenset[str]:
    return frozenset(a.requires for a in _aliases() if a.requires.startswith("!"))


# -- nationality adjectives ------------------------------------------------------------------

@dataclass(frozen=True)
class _Nationality:
    adjective: str
    country: str
    forces: str
    police: str


@lru_cache(maxsize=1)
def _nationalities() -> dict[str, _Nationality]:
    """Adjective (or possessive country name) -> its nationality row."""
    with NATIONALITIES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = [_Nationality(**{k: (v or "").strip() for k, v in row.items()}) for row in csv.DictReader(fh)]
    return {r.adjective.replace("\u2019", "'"): r for r in rows}


@lru_cache(maxsize=1)
def _police_by_country() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in _nationalities().values():
        out.setdefault(row.country, row.police)
    return out


# Force and act nouns name whoever wields them; weapon nouns may only tell where a weapon was
# made ("Russia launched Iranian drones"), so they need a context that is not one of use.
_ACT_NOUNS = (
    r"security\s+forces|armed\s+forces|special\s+forces|ground\s+forces|naval\s+forces|forces|troops|soldiers?|"
    r"army|military|navy|air\s+force|marines|paratroopers|commandos|border\s+guards|gendarmes|"
    r"police(?:\s+officers?)?|policemen|"
    r"air\s+strikes?|airstrikes?|air\s+raids?|drone\s+strikes?|missile\s+strikes?|strikes?|shelling|bombardments?|"
    r"bombing|raids?|artillery\s+fire|tank\s+fire|rocket\s+fire|gunfire|fire"
)
_WEAPON_NOUNS = (
    r"drones?|missiles?|rockets?|artillery|warplanes?|fighter\s+jets|jets?|helicopters?|gunships?|tanks?|warships?"
)
_NOUN = re.compile(rf"(?:(?P<act>{_ACT_NOUNS})|(?P<weapon>{_WEAPON_NOUNS}))(?![\w-])", re.I)
_MODIFIERS = frozenset(
    "regime government army military air naval navy artillery tank mortar rocket missile drone cruise ballistic "
    "hypersonic heavy fighter attack kamikaze suicide warplane helicopter gunship border security special elite "
    "armed airborne ground occupation occupying counter-terrorism counterterrorism paramilitary federal riot "
    "overnight renewed fresh intense intensive sustained deadly retaliatory precision pre-emptive preemptive "
    "massive large-scale joint new recent latest reported suspected unmanned junta".split()
)
_FOLLOW_EXCLUDED = re.compile(
    r"\s+(?:aid|assistance|spending|budget|exports?|imports?|industry|industries|makers?|manufacturers?|production|"
    r"factory|factories|plant|programme|program|analysts?|experts?|academy|college|school|band|parade|exercises?|"
    r"drills?|training|advisers|advisors|doctrine|technology|equipment|hardware|contracts?|deals?|sales|officials?|"
    r"spokes(?:man|woman|person)|sources?|chiefs?|commissioner|courts?|prosecutors?|attach[e\u00e9]s?|takeover|coup|"
    r"rule)\b",
    re.I,
)
# "fire brigade", "fire fighters": not gunfire.
_FIRE_FOLLOW = re.compile(
    r"\s+(?:brigades?|fighters|department|trucks?|engines?|stations?|services?|crews?|alarms?|safety)\b", re.I
)
_USE_BEFORE = re.compile(
    r"\b(?:launch\w*|fir(?:e|ed|es|ing)|us(?:e|ed|es|ing)|with|suppl\w+|sen[dt]\w*|deliver\w*|provid\w+|receiv\w+|"
    r"acquir\w+|b(?:uy|uys|ought|uying)|purchas\w+|"
    r"deploy\w*|operat\w+|equipped|fl(?:y|ew|ies|ying)|transfer\w*|ship(?:ped|ping|s)?|export\w*)"
    r"(?:\s+(?:a|an|the|its|their|his|her|several|dozens|of|two|three|four|five|\d+))*\s*$",
    re.I,
)
# "Turkish drones flown by the militia", "US missiles supplied to Kyiv".
_USE_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:flown|operated|used|launched|fired|piloted|supplied|provided|sold|delivered|given|bought|"
    r"acquired|deployed|obtained|owned|sent|transferred)\s+(?:by|to)\b",
    re.I,
)
_WORD = re.compile(r"\s+([\w][\w'\u2019-]*)")


@lru_cache(maxsize=1)
def _adjective_re() -> re.Pattern[str]:
    adjectives = sorted(_nationalities(), key=len, reverse=True)
    alternation = "|".join(_words_pattern(a) for a in adjectives)
    # Not inside a word or a compound: "pro-Russian", "Russian-made", "anti-Israeli".
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


_CHAIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")


def _nationality_spans(text: str) -> list[Actor]:
    """Forces named by a nationality before a force or weapon noun: "an Israeli air strike",
    "Russian shelling", "Pakistani troops", "Russian and Syrian warplanes"."""
    spans: list[Actor] = []
    adjectives = _nationalities()
    pos = 0
    adj_re = _adjective_re()
    while True:
        first = adj_re.search(text, pos)
        if first is None:
            return spans
        pos = first.end()
        chain = [first]
        end = first.end()
        # "Russian and Syrian", "US, British and French"
        while True:
            m = _CHAIN.match(text, end)
            nxt = adj_re.match(text, m.end()) if m else None
            if nxt is None:
                break
            chain.append(nxt)
            end = nxt.end()
        noun = _noun_after(text, end)
        if noun is None:
            continue
        if noun.group("weapon") and (
            _USE_BEFORE.search(text[max(0, first.start() - 60) : first.start()]) or _USE_AFTER.match(text, noun.end())
        ):
            pos = noun.end()
            continue
        pos = noun.end()
        for i, adj in enumerate(chain):
            row = adjectives[adj.group(0).replace("\u2019", "'")]
            is_police = bool(re.match(r"police", noun.group(0), re.I))
            name = row.police if is_police and row.police else row.forces
            spans.append(Actor(name, "state", adj.start(), noun.end() if i == len(chain) - 1 else adj.end()))


def _noun_after(text: str, pos: int) -> re.Match[str] | None:
    """The force or weapon noun after up to two modifiers at ``pos``, or None."""
    for _ in range(3):
        space = re.match(r"\s+", text[pos:])
        if not space:
            return None
        at = pos + space.end()
        noun = _NOUN.match(text, at)
        if noun:
            if _FOLLOW_EXCLUDED.match(text, noun.end()) or (
                noun.group(0).lower() == "fire" and _FIRE_FOLLOW.match(text, noun.end())
            ):
                return None
            return noun
        word = _WORD.match(text, pos)
        if word is None:
            return None
        token = word.group(1)
        lowered = token.lower()
        # A hyphenated modifier after the adjective is no maker's mark: "a Russian Iranian-made drone".
        if not (lowered in _MODIFIERS or ("-" in token and token[1:].islower())):
            return None
        pos = word.end()
    return None


# -- finding actors --------------------------------------------------------------------------

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


def _resolve(name: str, country_code: str) -> str:
    """A placeholder's name in the event's country ("{government}" in Sudan: "Sudanese Armed Forces")."""
    if name == "{government}":
        return GOVERNMENT_FORCES.get(country_code, "Government forces")
    if name == "{police}":
        return _police_by_country().get(country_code, "Police")
    return name


def actors_in(
    spans: list[Actor], *, start: int = 0, end: int | None = None, country_code: str = ""
) -> list[Actor]:
    """The distinct actors among ``spans`` that lie in ``[start, end)``, offsets made relative to ``start``."""
    found: dict[str, Actor] = {}
    for span in spans:
        if span.start < start or (end is not None and span.end > end):
            continue
        name = _resolve(span.name, country_code)
        if name not in found:
            found[name] = Actor(name, span.side, span.start - start, span.end - start)
    return list(found.values())


def find_actor_spans(text: str, *, context: str = "") -> list[Actor]:
    """Every actor alias in ``text``, in text order, without overlaps.

    Generic government forces and police keep the placeholder names
    ``{government}`` and ``{police}``; ``actors_in`` names them after the
    event's country. A nationality before a force or weapon noun ("Turkish
    drone") names that country's forces; a generic head word right after a
    named actor ("Boko Haram gunmen") is part of its span.
    """
    spans: list[Actor] = []
    for alias, start, end in _scan(text, _alias_index(_named_actors(context or text))):
        if text[max(0, start - 5) : start].lower().endswith("anti-"):
            continue
        if (alias.template or alias.actor in _PLACEHOLDERS) and _FOLLOW_EXCLUDED.match(text, end):
            continue  # "US military aid", "Syrian army officials", "against the military takeover"
        spans.append(Actor(alias.actor, alias.side, start, end))
    for nat in _nationality_spans(text):
        overlapping = [s for s in spans if s.start < nat.end and nat.start < s.end]
        if not overlapping:
            spans.append(nat)
        elif all(s.name in _PLACEHOLDERS and nat.start <= s.start and s.end <= nat.end for s in overlapping):
            # "Kenyan police": the nationality names whose police.
            spans = [s for s in spans if s not in overlapping] + [nat]
    spans.sort(key=lambda s: s.start)
    return _merge_heads(text, spans)


def _merge_heads(text: str, spans: list[Actor]) -> list[Actor]:
    merged: list[Actor] = []
    for span in spans:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and (span.name in _GENERIC_HEADS or span.name == prev.name)
            and prev.side != "civilian"
            and not text[prev.end : span.start].strip()
        ):
            merged[-1] = Actor(prev.name, prev.side, prev.start, span.end)
            continue
        merged.append(span)
    return merged


def is_actor_acronym(surface: str) -> bool:
    """True for an armed group's acronym ("IS", "SDF") that a place matcher may take for a town."""
    return surface.isupper() and any(a.case_sensitive and a.pattern.fullmatch(surface) for a in _aliases())


# -- actor types -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _types_and_homes() -> tuple[dict[str, int], dict[str, frozenset[str]]]:
    """Actor name -> ACLED type code; state force name -> the countries it is at home in."""
    types: dict[str, int] = {}
    countries: dict[str, set[str]] = {}
    for row in _rows():
        types.setdefault(row["actor"], int(row["actor_type"]))
        if row["country"]:
            countries.setdefault(row["actor"], set()).add(row["country"])
    homes: dict[str, set[str]] = {}
    for row in _nationalities().values():
        for name in (row.forces, row.police):
            if name:
                types.setdefault(name, 1)
                homes.setdefault(name, set()).add(row.country)
    for name in ("Israeli police",):
        homes.setdefault(name, set()).add("PS")
    for code, name in GOVERNMENT_FORCES.items():
        # The generic forces of a country are at home there ("Israeli forces" in Palestine).
        types.setdefault(name, 1)
        homes.setdefault(name, set()).add(code)
    for name, where in countries.items():
        if types.get(name) == 1 and len(where) == 1 and name not in homes:
            homes[name] = set(where)
    for name in ("Government forces", "Police", *_PLACEHOLDERS):
        types[name] = 1
    return types, {name: frozenset(where) for name, where in homes.items()}


def actor_type(name: str, *, country_code: str = "") -> int | None:
    """ACLED's actor type code of an actor named as ``actors_in`` names it (``model.ACTOR_TYPES``).

    1 state forces, 2 rebel groups, 3 political militias, 4 identity militias,
    5 rioters, 6 protesters, 7 civilians, 8 external/other forces; None for a
    name the vocabulary does not know. With the event's ``country_code``, a
    state's forces acting outside their own country are external forces (8),
    as ACLED codes them ("Russian forces" in Syria).

    >>> actor_type("Unidentified armed group"), actor_type("Russian forces")
    (3, 1)
    >>> actor_type("Russian forces", country_code="SY")
    8
    """
    types, homes = _types_and_homes()
    code = types.get(name)
    if code == 1 and country_code and FOREIGN_FORCES_ARE_EXTERNAL:
        home = homes.get(name)
        if home and country_code.upper() not in home:
            return 8
    return code


# -- roles -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Roles:
    """Who acted (``actor1``) and who was acted upon (``actor2``), with their ACLED types; "" / None when unknown."""

    actor1: str = ""
    actor2: str = ""
    type1: int | None = None
    type2: int | None = None


@dataclass(frozen=True)
class _Cand:
    name: str
    side: str
    start: int
    end: int
    type: int | None


_CLAUSE_END = re.compile(r"[;!?]|(?<![A-Z])\.(?=\s|$)")
_SUPPORT_BY = re.compile(
    r"\b(?:backed|supported|aided|assisted|helped|accompanied|escorted|covered|reported|documented|confirmed|"
    r"cited|quoted|condemned|denied|announced|blamed\s+on)\s+by\s+"
    r"(?:(?!(?:\w+ed|fought|struck|hit|shot|took|overran|began|beat|threw|blew|fired|fires|fight\w*)\b)[\w'-]+\s+){0,3}$",
    re.I,
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:\w+\s+){0,3}$", re.I)
_SAID_AFTER = re.compile(
    r"^[\w\s'\u2019-]{0,30}?\b(?:said|says|told|reported|stated|added|announced|confirmed|claimed|denied)\b", re.I
)
# Lower case only: "an IS suicide car bomb" holds no "is".
_PASSIVE_AUX = re.compile(r"\b(?:was|were|been|being|is|are|got|get|gets)\s+(?:\w+ly\s+)?$")
# An actor after these is hit, not hitting: "an IED exploded, killing a member of the PMF".
_HIT_BEFORE = re.compile(
    r"\b(?:kill\w*|wound\w*|injur\w*|target\w*|hit(?:ting)?|struck|strik\w*|attack\w*|ambush\w*|shot|shoot\w*|"
    r"abduct\w*|kidnap\w*|arrest\w*|detain\w*|against|on|at|into|upon|near|outside|inside|behind|beside)"
    r"\s+(?:[\w'\u2019-]+\s+){0,5}$",
    re.I,
)
_PARTICIPLE = re.compile(
    r"\b(?:killed|wounded|injured|shot|hit|struck|slain|murdered|beaten|stabbed|hacked|abducted|kidnapped|"
    r"arrested|detained|executed|beheaded|attacked|targeted|ambushed|bombed|shelled)(?:\s+dead|\s+to\s+death)?$",
    re.I,
)
_AGENT_BY = re.compile(
    r"\bby\s+(?:(?:a|an|the|suspected|alleged|unidentified|unknown|armed|some|two|three|\w+-\w+)\s+){0,3}", re.I
)
_TARGET_PREP = re.compile(r"\b(?:against|on|at|targeting|targeted|upon|into|with)\s+(?:\w+\s+){0,3}$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+", re.I)
# What ties a passive's agent to its verb without "by": "killed in a Russian air strike".
_INSTRUMENT = re.compile(r"^[^,;]{0,40}?\b(?:in|during|amid|after)\s+(?:an?|the|two|three|\w+-\w+)?\s*$", re.I)
_SUPPORT_VERB = re.compile(
    r"\b(?:backed|supported|aided|assisted|helped|accompanied|escorted|covered|surrounded|frequented|used|visited|"
    r"owned|run|manned|guarded|held|controlled|occupied|claimed\s+as|followed)\s+$",
    re.I,
)
_AND = re.compile(r"^[\s\w'\u2019-]{0,40}?\b(?:and|&)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_MOB = re.compile(r"\b(?:mobs?|lynch\w*)\b", re.I)
_FORCE_VERB = re.compile(
    r"\b(?:fir(?:ed|ing)|opened\s+fire|shot|shoot\w*|kill\w*|attack\w*|beat\w*|storm\w*|charg\w*|assault\w*|"
    r"ran\s+over|tear\s*gas\w*|disperse\w*|used\s+batons|baton|lathi|arrest\w*|detain\w*|crack\w*\s+down|"
    r"clash\w*|water\s+cannons?|rubber\s+bullets|live\s+rounds|burn\w*|torch\w*|lynch\w*|stab\w*|hack\w*)\b",
    re.I,
)


def assign_roles(
    text: str,
    spans: list[Actor],
    event_type: str,
    cue_start: int,
    cue_end: int,
    *,
    country_code: str = "",
    sub_event_type: str = "",
) -> Roles:
    """ACLED's actor1 (the agent) and actor2 (the target) of the event a text tells, by text heuristics.

    Parameters
    ----------
    text : str
        The clause or sentence; ``spans`` (from ``find_actor_spans``) and the
        cue's offsets ``[cue_start, cue_end)`` are relative to it.
    spans : list of Actor
        The actors named in ``text``.
    event_type : str
        The event's ACLED type ("Battles", "Protests", ...).
    cue_start, cue_end : int
        Where the phrase that made the text an event is.
    country_code : str
        ISO code of the event's country: names generic forces and types foreign ones.
    sub_event_type : str
        The ACLED sub-type, when known: a protest met with intervention is the
        crowd's event (actor1 the protesters), excessive force the force's.

    Returns
    -------
    Roles
        actor1 is the agent after "by" in a passive ("were shot by an armed
        man"), else the nearest actor before the cue in its clause (the first
        of "A and B clashed"), else the first actor after the cue that is no
        victim; actor2 an actor after the cue ("attacked SDF positions",
        "clashed with HTS"), the second of "between A and B", or the subject
        of a passive. Protests default actor1 to "Protesters", riots to
        "Rioters", violence against civilians actor2 to "Civilians" (and
        actor1 to "Unidentified armed group"). Never the same actor twice.
    """
    cands = _candidates(text, spans, country_code, cue_end)
    clause_start, clause_end = _clause(text, cue_start, cue_end)
    inside = [c for c in cands if c.end > clause_start and c.start < clause_end]
    a1, a2 = _agent_and_target(text, inside, cue_start, cue_end, clause_start, clause_end)
    if event_type in ("Battles", "Strategic developments") and a2 is not None and _is_victim(a2):
        # Fighting and its moves are between armed sides; a victim word is a target only if none is named.
        armed = [c for c in inside if not _is_victim(c) and (a1 is None or c.name != a1.name)]
        if armed:
            a2 = armed[0]
    if a1 is not None and a2 is None and event_type not in ("Protests", "Riots"):
        # Two sides in one clause are the event's two sides ("rebels left, and the army took over").
        a2 = next((c for c in inside if c.name != a1.name and not _is_victim(c)), None)
    a1, a2 = _defaults(text, event_type, inside or cands, a1, a2, country_code, sub_event_type)
    if a1 and a2 and a1.name == a2.name:
        a2 = None
    return Roles(
        a1.name if a1 else "", a2.name if a2 else "", a1.type if a1 else None, a2.type if a2 else None
    )


def _candidates(text: str, spans: list[Actor], country_code: str, cue_end: int) -> list[_Cand]:
    """The spans that may play a role: not supporters ("backed by"), sources ("according to",
    "residents said") or a trailing attribution (", police said"), each named and typed in the
    event's country."""
    out: list[_Cand] = []
    for span in spans:
        if span.start < 0 or span.end > len(text):
            continue
        before = text[max(0, span.start - 60) : span.start]
        if _SUPPORT_BY.search(before) or _ACCORDING.search(before):
            continue
        said = _SAID_AFTER.match(text[span.end :])
        if said and span.side == "civilian":
            continue  # "residents said", "witnesses told"
        if said and span.start >= cue_end and re.search(r",\s*(?:the\s+)?(?:\w+\s+){0,2}$", before):
            continue  # ", police said", ", the army said on Sunday"
        name = _resolve(span.name, country_code)
        out.append(_Cand(name, span.side, span.start, span.end, actor_type(name, country_code=country_code)))
    return out


def _clause(text: str, cue_start: int, cue_end: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_END.finditer(text, 0, cue_start):
        start = m.end()
    m = _CLAUSE_END.search(text, cue_end)
    return start, (m.start() if m else len(text))


def _is_victim(c: _Cand) -> bool:
    return c.side == "civilian"


def _agent_and_target(
    text: str, cands: list[_Cand], cue_start: int, cue_end: int, clause_start: int, clause_end: int
) -> tuple[_Cand | None, _Cand | None]:
    # A span that holds the cue ("a Turkish drone", "protesters") is the cue's own actor.
    before = [c for c in cands if c.start < cue_start or (c.start <= cue_start < c.end)]
    after = [c for c in cands if c not in before]
    pair = _between(text, cands, clause_start, clause_end)
    if pair:
        return pair
    # Passive: "were shot by an armed man", "an attack claimed by IS".
    agent = None
    for m in _AGENT_BY.finditer(text, cue_end, clause_end):
        if not _SUPPORT_VERB.search(text[: m.start()]):
            agent = next((c for c in after if c.start == m.end()), None)
            if agent:
                break
    # "were killed", or a headline's bare participle: "Soldiers killed in IS ambush".
    passive = bool(_PASSIVE_AUX.search(text[:cue_start])) or bool(
        _PARTICIPLE.search(text[cue_start:cue_end]) and re.match(r"\s+(?:in|by|during)\b", text[cue_end:])
    )
    # The subject of a passive stands right before its verb ("two soldiers were killed").
    patient = None
    if before and (passive or agent):
        gap = text[before[-1].end : cue_start]
        if "," not in gap and len(gap.split()) <= 4:
            patient = before[-1]
    if agent:
        return agent, (patient if patient and patient.name != agent.name else _first_other(after, agent))
    if passive:
        # "were killed in a Russian air strike", else the side the clause named before
        # ("settlers set fire to houses, and a man was killed").
        doer = next((c for c in after if _INSTRUMENT.match(text[cue_end : c.start]) and not _is_victim(c)), None)
        if doer is None:
            doer = next((c for c in reversed(before) if c is not patient and not _is_victim(c)), None)
        return doer, patient
    # Active: the nearest actor before the cue in the clause (the first of "A and B clashed").
    subject = next((c for c in reversed(before) if not _is_victim(c)), None)
    if subject is not None:
        i = before.index(subject)
        partner = before[i - 1] if i > 0 else None
        if partner is not None and not _is_victim(partner) and _AND.match(text[partner.end : subject.start]):
            return partner, subject
        target = _target(text, after, subject)
        if target is None:
            target = next((c for c in reversed(before) if c.name != subject.name and _is_victim(c)), None)
        return subject, target
    doer = _doer(text, after, cue_start)
    target = _target(text, [c for c in after if c is not doer], doer)
    if target is None:
        target = next((c for c in before if _is_victim(c)), None)
    return doer, target


def _between(text: str, cands: list[_Cand], clause_start: int, clause_end: int) -> tuple[_Cand, _Cand] | None:
    """The two sides of "fighting between A and B"."""
    for m in _BETWEEN.finditer(text, clause_start, clause_end):
        following = [c for c in cands if c.start >= m.end()]
        if (
            len(following) >= 2
            and following[0].start - m.end() <= 30
            and _AND.match(text[following[0].end : following[1].start])
        ):
            return following[0], following[1]
    return None


def _doer(text: str, after: list[_Cand], cue_start: int) -> _Cand | None:
    """The first actor after the cue that is neither a victim word nor hit by it."""
    for c in after:
        if not _is_victim(c) and not _HIT_BEFORE.search(text[max(cue_start, c.start - 60) : c.start]):
            return c
    return None


def _first_other(cands: list[_Cand], than: _Cand | None) -> _Cand | None:
    return next((c for c in cands if than is None or c.name != than.name), None)


def _target(text: str, after: list[_Cand], than: _Cand | None) -> _Cand | None:
    """An actor after the cue, one after "against/on/targeting" first."""
    others = [c for c in after if than is None or (c.name != than.name and c.start >= than.end)]
    for c in others:
        if _TARGET_PREP.search(text[max(0, c.start - 40) : c.start]):
            return c
    return others[0] if others else None


def _named(name: str, country_code: str) -> _Cand:
    """A side the event type implies, named by no span."""
    side = "civilian" if actor_type(name) in (5, 6, 7) else "non-state"
    return _Cand(name, side, -1, -1, actor_type(name, country_code=country_code))


def _defaults(
    text: str,
    event_type: str,
    cands: list[_Cand],
    a1: _Cand | None,
    a2: _Cand | None,
    country_code: str,
    sub_event_type: str = "",
) -> tuple[_Cand | None, _Cand | None]:
    """The sides an event type implies when the text names none."""
    if event_type in ("Protests", "Riots"):
        crowd_type = 6 if event_type == "Protests" else 5
        crowd_name = "Protesters" if crowd_type == 6 else "Rioters"
        crowd = next((c for c in cands if c.type == crowd_type), None) or _named(crowd_name, country_code)
        crowd_words = [c for c in cands if c.type in (5, 6, 7) or c.name in ("Protesters", "Rioters")]
        others = [c for c in cands if c not in crowd_words]
        # Riots: the protesters who stormed a building are rioters; a mob's victims are civilians.
        other = next((c for c in others if c.type != 7), None)
        if event_type == "Protests":
            if other is None or not _FORCE_VERB.search(text):
                return crowd, None  # the forces a crowd marched to are not a side
            if sub_event_type == "Excessive force against protesters":
                return other, crowd  # the force's violence is the event
            if sub_event_type == "Protest with intervention":
                return crowd, other  # the crowd's protest is the event, the force intervened
            first_crowd = next((c for c in crowd_words if c.start > other.end), None)
            if first_crowd is not None and _FORCE_VERB.search(text[other.end : first_crowd.start]):
                return other, crowd  # "security forces opened fire on protesters"
            return crowd, other
        if other is None:
            other = next((c for c in cands if c.type == 7), None)
        if other is None and _MOB.search(text) and _FORCE_VERB.search(text):
            other = _named("Civilians", country_code)  # "a mob beat a man to death"
        return crowd, other
    if event_type == "Violence against civilians":
        # ACLED's victims of violence against civilians are civilians.
        if a1 is not None and _is_victim(a1):
            a1, a2 = (a2 if a2 is not None and not _is_victim(a2) else None), a1
        if a2 is None or not _is_victim(a2):
            victim = next((c for c in cands if _is_victim(c)), None)
            a2 = victim or _named("Civilians", country_code)
        if a1 is None:
            a1 = _named("Unidentified armed group", country_code)
        return a1, a2
    if a1 is not None and _is_victim(a1) and a2 is not None and not _is_victim(a2):
        a1, a2 = a2, a1
    return a1, a2
