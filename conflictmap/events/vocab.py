"""Event vocabulary: ACLED types by keyword rule.

Owns ``classify_event`` (a clause's ACLED type and sub-type, or None: rules
tried in a fixed order, the first realis cue wins). Actors are found by
``events.actors``. The rules are described in docs/EVENTS.md, "Events: the
vocabulary".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from conflictmap.events.actors import Actor

_CIVILIAN_CUE = re.compile(
    r"\b(civilians?|displaced|residents?|villagers?|worshippers?|passengers?|shoppers?|children|"
    r"women|families|family|students?|pilgrims?|market|mosque|church|school|hospital|wedding|farmers?|"
    r"aid\s+workers?|journalists?|teachers?|doctors?)\b",
    re.I,
)
_ARMED_VICTIM = re.compile(
    r"\b(soldiers?|troops|fighters|militants|jihadists|rebels|policem[ae]n|police|officers?|"
    r"guards?|militiamen|checkpoints?|positions?|base|barracks|outpost|convoy|patrol)\b",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:backed|supported|aided|covered|helped)\s+by\s+(?:(?![\w-]+ed\b)[\w'-]+\s*){1,5}|"
    r"\b(?:fled|flee|fleeing|escaped|escaping|displaced\s+by|caught\s+in|running\s+from)\s+(?:the\s+)?(?:recent\s+|ongoing\s+|heavy\s+)?"
    r"(?:fighting|violence|clashes|bombardment|shelling|offensives?|battles?)",
    re.I,
)
_IRREALIS = re.compile(
    r"\b(?:capacity|capability|capable|ability|threat\w*|plans?|planned|planning|plot\w*|vow\w*|"
    r"intend\w*|attempt\w*|expected|would|could|may|might|will|aims?\s+to|seek\w*\s+to|wants?\s+to|"
    r"ready\s+to|prepar\w+\s+to|fears?|feared|warn\w*|risk|prevent\w*|foil\w*|thwart\w*|avoid\w*|"
    r"calls?\s+for|called\s+for|urg\w+|inspire\w*|if|unless|anniversary|memorial|trying\s+to|tries\s+to|try\s+to)\b",
    re.I,
)
# Habits are not incidents: "have fought repeatedly", "occasional fighting".
_HABITUAL = re.compile(
    r"\b(?:repeatedly|regularly|frequently|often|routinely|occasional(?:ly)?|sporadic(?:ally)?|"
    r"habitually|almost\s+daily|near-daily|every\s+day|for\s+(?:weeks|months|years)|"
    r"(?:in|over)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+)?(?:weeks|months|years)|"
    r"(?:has|have|had)\s+(?:\w+\s+)?(?:intensified|escalated|increased|surged|eased|subsided))\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:no|not|never|without|nor)\s+(?:\w+\s+)?$", re.I)
_RE_VERB = re.compile(r"\b(?:re\w+|liberat\w+|expell\w+|regain\w*)\b", re.I)

_Rule = tuple[str, str, re.Pattern[str]]


def _rules(*rows: tuple[str, str, str]) -> tuple[_Rule, ...]:
    return tuple((t, s, re.compile(rx, re.I)) for t, s, rx in rows)


_EXPLOSIONS = _rules(
    ("Explosions/Remote violence", "Suicide bomb",
     r"\bsuicide[\s-]+(?:\w+\s+)?(?:bomb\w*|attack\w*|blast|vest|truck|car)|\bblew\s+(?:himself|herself|themselves)\s+up"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED",
     r"\b(?:car|truck|vehicle|roadside|motorcycle|motorbike|parcel)[\s-]+bomb\w*|\bV?IEDs?\b|\bimprovised\s+explosive|"
     r"\b(?:packed|laden|rigged|loaded)\s+with\s+explosives|\bexplosives?-(?:laden|packed|rigged)|"
     r"\b(?:land\s*)?mines?\s+(?:blast|explosion|exploded)|\blandmines?\b|\bexplosive\s+device"),
    ("Explosions/Remote violence", "Air/drone strike",
     r"\b(?:air|drone|aerial)[\s-]*(?:strikes?|raids?|attacks?|bombardment|campaign)|\bairstrikes?\b|\bairraids?\b|"
     r"\bstrikes?\s+(?:hit|hits|struck|targeted|pounded|killed|kill|on|against)\b|\braids?\s+(?:on|hit|killed|kill)\b|"
     r"\bwarplanes?\b|\bjets\s+(?:struck|hit|bombed|pounded|targeted)|\bhelicopter\s+gunships?\b|\bbarrel\s+bombs?\b|"
     r"\bdrones?\b"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack",
     r"\bshell(?:ing|ed|s)\b|\bartillery\b|\bmortars?\b|\brockets?\b|\bmissiles?\b|\bbombardment\b|\bpounded\b"),
    ("Explosions/Remote violence", "Grenade", r"\bgrenades?\b"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED",
     r"\bbomb(?:ing|ings|s)?\b(?!\s+(?:threat|scare|squad))|\bblasts?\b|\bexplosions?\b|\bexploded\b|\bdetonated\b|"
     r"\bblew\s+up\b"),
)
_PROTEST = re.compile(
    r"\bprotest(?:s|ers|ed|ing)?\b|\bdemonstrat(?:ion|ions|ors|ed|ing)\b|\brall(?:y|ies|ied)\b|\bsit-ins?\b", re.I
)
_PROTEST_FORCE = re.compile(r"\b(?:killed|shot\s+dead|opened\s+fire|live\s+(?:fire|ammunition|rounds))\b", re.I)
_PROTEST_INTERVENTION = re.compile(
    r"\b(?:tear\s*gas|dispers\w+|water\s+cannons?|rubber\s+bullets|arrest\w*|detain\w*|beat\w*|baton\w*)\b", re.I
)
_RIOT = re.compile(
    r"\briot(?:s|ing|ers|ed)?\b|\bstone[\s-]throw\w*|\bthrew\s+(?:stones|rocks|petrol\s+bombs)|\btorch(?:ed|ing)\b|"
    r"\bset\s+fire\b|\bclashed\s+with\s+(?:police|security)",
    re.I,
)
_MOB = re.compile(r"\bmobs?\b|\blynch\w*", re.I)
_VAC_SPECIAL = _rules(
    ("Violence against civilians", "Abduction/forced disappearance",
     r"\babduct\w*|\bkidnap\w*|\btook\s+(?:\w+\s+){0,3}hostages?|\btaken\s+hostage|\bforced(?:ly)?\s+disappear\w*"),
    ("Violence against civilians", "Sexual violence",
     r"\brap(?:ed|e|es)\b|\bsexual(?:ly)?\s+(?:violence|assault\w*|abuse\w*)"),
)
_TERRITORY = re.compile(
    r"\b(?:took|taken|take|takes|taking|seized|gained|regained|wrested)\s+(?:full\s+|complete\s+|total\s+|back\s+)?control\b|"
    r"\b(?:seized|captured|retook|retaken|recaptured|regained|liberated|overran|overrun|stormed|expelled|ousted|"
    r"ejected|drove)\b(?!\s+(?:weapons|arms|ammunition|hostages?|\d))|"
    r"\bfell\s+to\b|\b(?:fresh\s+|new\s+|further\s+|territorial\s+)?gains\b|\bgained\s+ground\b|"
    r"\b(?:recapture|capture|seizure|fall|liberation)\s+of\b",
    re.I,
)
# Battle cues that are acts, not descriptions ("the coalition fighting the Houthis" is not).
_LEADING_BATTLE = re.compile(r"(?:attack|clashed|stormed|ambushed|assault|took|taken|seized|captured|re|overran)", re.I)
_CLASH = re.compile(
    r"\bclash(?:es|ed)?\b|\bfighting\b|\bfought\b|\bbattl(?:e|es|ed|ing)\b|\bfire\s*fights?\b|\bgun\s*battles?\b|"
    r"\bexchanges?\s+of\s+fire\b|\bexchanged\s+fire\b|\bambush\w*|\boffensives?\b|"
    r"\badvanc(?:e|ed|es|ing)\s+(?:\w+\s+)?(?:on|towards?|into|against)\b|\bconverg(?:ed|e|es|ing)\s+(?:\w+\s+)?on\b|"
    r"\bpush(?:ed)?\s+(?:into|towards?)\b|\bassault(?:ed|s)?\s+on\b|\bstormed\b|"
    r"\battack(?:ed|s)?\s+(?:on\s+)?(?:[\w-]+\s+){0,3}?(?:positions?|checkpoints?|bases?|barracks|outposts?|"
    r"convoys?|troops|soldiers|forces)\b",
    re.I,
)
_KILLING = re.compile(
    r"\b(?:killed|kills?|killing|shot\s+dead|gunned\s+down|massacre\w*|executed|beheaded|stabbed|"
    r"attack(?:ed|s)?|gunmen|opened\s+fire|murdered|assassinat\w+)\b",
    re.I,
)
_STRATEGIC = _rules(
    ("Strategic developments", "Arrests", r"\barrest(?:ed|s)?\b|\bdetained\b|\brounded\s+up\b"),
    ("Strategic developments", "Agreement",
     r"\b(?:ceasefire|cease-fire|truce|peace\s+deal)\s+(?:was\s+|has\s+been\s+)?(?:agreed|signed|reached|announced)|"
     r"\b(?:agreed|signed|reached)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:ceasefire|cease-fire|truce|peace\s+deal)"),
    ("Strategic developments", "Disrupted weapons use", r"\bdefused\b|\bintercepted\b|\bshot\s+down\b|\bdismantled\b"),
    ("Strategic developments", "Looting/property destruction",
     r"\blooted\b|\blooting\b|\bdemolished\b|\bburned\s+down\b"),
    ("Strategic developments", "Non-violent transfer of territory",
     r"\bwithdr[ea]w\w*\s+from\b|\bpulled\s+out\s+of\b|\bhanded\s+over\b|\bevacuated\s+from\b"),
)


@dataclass(frozen=True)
class EventKind:
    """The outcome of classifying a clause: ACLED type, sub-type and the cue's offset."""

    event_type: str
    sub_event_type: str
    cue_start: int


def mask_background(text: str) -> str:
    """Blank out support and flight phrases, keeping offsets ("backed by Russian air strikes")."""
    return _BACKGROUND.sub(lambda m: " " * len(m.group(0)), text)


def _realis(text: str, start: int) -> bool:
    """True unless the cue at ``start`` is negated or governed by intent, capacity or threat."""
    # Intent, capacity or threat governs what follows it up to the next comma.
    before = re.split(r"[,;:]", text[:start])[-1]
    return not (_IRREALIS.search(before) or _NEGATION.search(before[-25:]))


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    for m in pattern.finditer(text):
        if _realis(text, m.start()):
            return m
    return None


def classify_event(text: str, actors: list[Actor]) -> EventKind | None:
    """Return the ACLED type and sub-type a clause reports, or None.

    Parameters
    ----------
    text : str
        A clause (or sentence) of an article.
    actors : list of Actor
        The actors named in it (see ``find_actors``); they decide territory
        sub-types and whether a killing is a battle.

    Returns
    -------
    EventKind or None
        None when no realis cue of the rules (docs/EVENTS.md) is found.
    """
    if _HABITUAL.search(text):
        return None
    text = mask_background(text)
    territory = _first(_TERRITORY, text)
    battle = territory or _first(_CLASH, text)
    for etype, sub, rx in _EXPLOSIONS:
        m = _first(rx, text)
        if m and not (battle and battle.start() < m.start() and _LEADING_BATTLE.match(battle.group(0))):
            return EventKind(etype, sub, m.start())
        if m:
            break  # "Rebels attacked positions, sparking clashes and bombardment": the attack leads
    crowd = _protest_or_riot(text)
    if crowd:
        return crowd
    for etype, sub, rx in _VAC_SPECIAL:
        m = _first(rx, text)
        if m:
            return EventKind(etype, sub, m.start())
    if territory:
        return EventKind("Battles", _territory_subtype(text, territory, actors), territory.start())
    if battle:
        return EventKind("Battles", "Armed clash", battle.start())
    killing = _killing(text, actors)
    if killing:
        return killing
    for etype, sub, rx in _STRATEGIC:
        m = _first(rx, text)
        if m:
            return EventKind(etype, sub, m.start())
    return None


def _protest_or_riot(text: str) -> EventKind | None:
    """Rule 2: a protest (how it was met decides the sub-type), a riot or mob violence."""
    protest = _first(_PROTEST, text)
    riot = _first(_RIOT, text)
    if protest:
        if _PROTEST_FORCE.search(text):
            return EventKind("Protests", "Excessive force against protesters", protest.start())
        if riot:
            return EventKind("Riots", "Violent demonstration", protest.start())
        if _PROTEST_INTERVENTION.search(text):
            return EventKind("Protests", "Protest with intervention", protest.start())
        return EventKind("Protests", "Peaceful protest", protest.start())
    if riot:
        return EventKind("Riots", "Violent demonstration", riot.start())
    mob = _first(_MOB, text)
    if mob:
        return EventKind("Riots", "Mob violence", mob.start())
    return None


def _killing(text: str, actors: list[Actor]) -> EventKind | None:
    """Rule 6: a killing or attack is against civilians unless armed victims (or two armed sides) are named."""
    m = _first(_KILLING, text)
    if m is None:
        return None
    armed = {a.name for a in actors if a.side != "civilian"}
    if _CIVILIAN_CUE.search(text) or not (_ARMED_VICTIM.search(text) or len(armed) >= 2):
        return EventKind("Violence against civilians", "Attack", m.start())
    return EventKind("Battles", "Armed clash", m.start())


def _territory_subtype(text: str, cue: re.Match[str], actors: list[Actor]) -> str:
    """Who took the place: the agent after "by" in a passive, else the first actor before the verb."""
    after = text[cue.end() : cue.end() + 60]
    by = re.match(r"\s*(?:\w+\s+){0,3}?by\b", after)
    if by:
        takers = [a for a in actors if a.start >= cue.end() + by.end()]
    elif re.search(r"\b(?:being|been|was|were)\s+$", text[: cue.start()]):
        takers = []
    else:
        takers = [a for a in actors if a.start < cue.start() and a.side != "civilian"]
    if takers:
        taker = takers[0]
        return "Government regains territory" if taker.side == "state" else "Non-state actor overtakes territory"
    if _RE_VERB.match(cue.group(0)) or cue.group(0).lower().startswith(("regain", "retook")):
        return "Government regains territory"
    return "Non-state actor overtakes territory"
