"""Event vocabulary: a clause's ACLED type and sub-type from its cues.

Owns ``classify_event``: the cues of ``events.cues`` (the phrases of
``data/vocab/event_cues.tsv``) that are realis, weighed by rules tried in a
fixed order; the first that fits wins. Actors are found by ``events.actors``.
The rules are described in docs/EVENTS.md, "Events: the vocabulary".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from conflictmap.events.actors import Actor
from conflictmap.events.cues import Cue, find_cues

_BACKGROUND = re.compile(
    # ... up to the next verb: "backed by air support retook the district" keeps "retook".
    r"\b(?:backed|supported|aided|covered|helped)\s+by\s+"
    r"(?:(?![\w-]+ed\b|(?:re)?took\b|overran\b|fought\b|struck\b|shot\b|drove\b|hit\b|stormed\b|attacked\b)[\w'-]+\s*){1,5}|"
    # The cause a crowd names or a suspect is held for: "after the killing of a singer",
    # "demanding justice after two students were killed", "in connection with the bombing".
    # A warrant's charge too: "arrested the former president over killings during his drug war".
    r"\b(?:after|following|over|against)\s+(?:the\s+)?"
    r"(?:\w+\s+)?(?:killings?|deaths?|murders?|assassinations?|arrests?|detentions?|abductions?|rapes?|lynchings?)"
    r"\s+(?:of|during|in)\b[^,;.]*|"
    r"\bin\s+connection\s+with\b[^,;.]*|"
    # Years of a war as the frame: "after three and a half years of fighting jihadists".
    # (days or weeks of fighting may be this incident's own: those stay)
    r"\b(?:\w+\s+)?(?:months?|years?|decades?)\s+of\s+(?:fighting|war|conflict|clashes|insurgency|siege)\b[^,;.]*|"
    # A war named as the frame: "after the 50-day war in which more than 2,100 were killed".
    r"\b(?:war|conflict|uprising|insurgency|crisis|siege|occupation)\s+(?:in\s+which|during\s+which|that|which)\b[^;.]*|"
    # What a victim was accused of is not what happened: "a mob lynched men accused of kidnapping".
    r"\b(?:accused\s+of|on\s+suspicion\s+of|suspected\s+of|charged\s+with|rumou?rs?\s+(?:of|that|about))\b[^,;.]*|"
    # A court's object and an anniversary are the past: "sentenced two men for the 2016 bombing",
    # "to mark ten years since gunmen stormed the school".
    r"\b(?:sentenced|convicted|acquitted|guilty|indicted|trial|verdict)\b[^;.]*|"
    r"\b(?:mark(?:ed|s|ing)?|commemorat\w+|remember\w*)\s+(?:\w+\s+){0,3}?(?:years?|months?|anniversary|decades?)\b[^;.]*|"
    r"\b(?:years?|months?|decades?)\s+(?:since|after)\b[^,;.]*|"
    # A turning point as the frame: "the deadliest incident since the fall of Bashar al-Assad".
    r"\bsince\s+the\s+(?:fall|capture|liberation|seizure|recapture|start|beginning|collapse|ouster|overthrow)"
    r"\s+of\b[^,;.]*|"
    r"\b(?:fled|flee|fleeing|escaped|escaping|displaced\s+by|caught\s+in|running\s+from)\s+(?:the\s+)?(?:recent\s+|ongoing\s+|heavy\s+)?"
    r"(?:fighting|violence|clashes|bombardment|shelling|offensives?|battles?)",
    re.I,
)
_IRREALIS = re.compile(
    r"\b(?:capacity|capability|capable|ability|threat\w*|plans?|planned|planning|plot\w*|vow\w*|"
    r"intend\w*|attempt\w*|expected|would|could|(?-i:may)(?!\s+\d)|might|will|aims?\s+to|seek\w*\s+to|wants?\s+to|"
    r"ready\s+to|prepar\w+\s+to|fears?|feared|warn\w*|risk|prevent\w*|foil\w*|thwart\w*|avoid\w*|"
    r"calls?\s+for|called\s+for|urg\w+|inspire\w*|if|unless|anniversary|memorial|trying\s+to|tries\s+to|try\s+to|"
    # Denials and claims about what did not happen, forecasts.
    r"denied|denies|deny|denying|rejected|rejects|refuted|dismissed|accusations?|allegations?|predict\w*|"
    r"ahead\s+of|in\s+preparation\s+for|preparing\s+for|"
    # Orders and requests: "told clan delegates to withdraw".
    r"(?:told|ordered|asked|urged|called\s+on)\s+(?:[\w'-]+\s+){0,3}to)\b",
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
# The grievance a crowd names: the words after the verb, when they tell of violence
# ("protesting the arrest of Imran Khan", "demanding justice after two students were killed").
_GRIEVANCE = re.compile(
    r"\b(?:demanding|demanded|protesting|protested|condemning|denouncing|mourning|angered\s+by|"
    r"(?:angry|furious|outraged|incensed|enraged)\s+(?:at|over|about|by)|"
    r"call(?:ing|ed|s)?\s+for|urging|urged|"
    r"(?:anger|outrage|fury)\s+(?:over|at))\b(?P<tail>[^,;.]*)",
    re.I,
)
_VIOLENCE_WORD = re.compile(
    r"\b(?:kill|death|dead|murder|arrest|detention|rape|abduct|shot|shooting|attack|bomb|strike|clash|lynch|fight|"
    r"fall\b|explosion|blast|capture|seiz)",
    re.I,
)
# Who told the story is not in it: "..., police said", "according to army officers".
_ATTRIBUTION = re.compile(
    r"\b(?:(?:a|the|local|senior)\s+)?(?:police|army|military|security|militia|rebel|government|"
    r"officials?|sources?|officers?|soldiers?|troops|spokesm[ae]n|residents|witnesses|villagers|locals|"
    r"medics|doctors|activists|survivors|relatives|(?:his|her|their|the)\s+family)(?:\s+(?:officers?|officials?|sources?|"
    r"spokesm[ae]n|chiefs?|commanders?))?\s+(?:said|say|says|told|reported|added|confirmed|stated)\b|"
    r"\baccording\s+to\s+(?:(?:a|the|local)\s+)?(?:police|army|military|security|officials?|sources?|officers?)"
    r"(?:\s+(?:officers?|officials?|sources?))?\b",
    re.I,
)
# "the 2019 Pulwama bombing", "the July 2016 truck bombing": an incident named by its date.
_DATED_NAME = re.compile(
    r"\bthe\s+(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
    r"(?:19|20)\d{2}\s+(?:[\w'-]+\s+){0,3}$"
)
_BRACKET = re.compile(r"\([^()]{1,60}\)")
_RELATIVE_PAST = re.compile(r"\b(?:who|which|that)\s+(?:had|have|has)\b[^,;.]*", re.I)
_NEGATION = re.compile(r"\b(?:no|not|never|without|nor)\s+(?:\w+\s+)?$", re.I)
_RE_VERB = re.compile(r"\b(?:re\w+|liberat\w+|expell\w+|regain\w*)\b", re.I)


@dataclass(frozen=True)
class EventKind:
    """The outcome of classifying a clause: ACLED type, sub-type and the cue's offset."""

    event_type: str
    sub_event_type: str
    cue_start: int
    cue: str = ""
    family: str = ""  # the cue family that decided it ("explosion", "killing", ...)


def mask_background(text: str) -> str:
    """Blank out support, flight, cause and attribution phrases, keeping offsets.

    "backed by Russian air strikes", "fleeing the fighting", "after the killing of
    a singer", "in connection with the protests", "..., police said".
    """
    text = _BACKGROUND.sub(lambda m: " " * len(m.group(0)), text)
    # A bracket says where or who ("agreed in Doha (Ad Dawhah, Qatar) to a ceasefire"): no cue
    # lies inside one, and blanked it no longer stretches the gap between a cue's words.
    text = _BRACKET.sub(lambda m: " " * len(m.group(0)), text)
    text = _GRIEVANCE.sub(_blank_violent_tail, text)
    return _ATTRIBUTION.sub(lambda m: " " * len(m.group(0)), text)


def attribution_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` says who told the story ("..., residents said"): no actor of the event is named there."""
    return [m.span() for m in _ATTRIBUTION.finditer(text)]


def civilians_hit(text: str) -> bool:
    """Whether a text's victims or targets are civilian (a market, houses, "27 people") and none armed.

    Give it the words from the cue on ("shells hit a market"): the attacker before it is no target.
    """
    families = {c.family for c in find_cues(mask_background(text))}
    return "civilian" in families and "armed" not in families


# Where a grievance ends and the crowd's own act begins ("angered by the death of a driver run
# over in Jakarta set fire to the parliament").
_CROWD_ACT = re.compile(
    r"\b(?:set\s+fire|set\s+ablaze|torched|stormed|ransacked|looted|vandali[sz]ed|smashed|pelted|threw|hurled|"
    r"blocked|marched|gathered|rallied|staged|attacked|clashed|burned|burnt)\b",
    re.I,
)


def _blank_violent_tail(m: re.Match[str]) -> str:
    head, tail = m.group(0)[: m.start("tail") - m.start()], m.group("tail")
    act = _CROWD_ACT.search(tail)
    grievance, rest = (tail[: act.start()], tail[act.start():]) if act else (tail, "")
    return head + (" " * len(grievance) if _VIOLENCE_WORD.search(grievance) else grievance) + rest


def _realis(text: str, start: int) -> bool:
    """True unless the cue at ``start`` is negated, governed by intent, capacity or threat, or
    names a past incident by its date ("the 2019 Pulwama bombing", "since the 2021 coup")."""
    # Intent, capacity or threat governs what follows it up to the next comma.
    before = re.split(r"[,;:]", text[:start])[-1]
    return not (_IRREALIS.search(before) or _NEGATION.search(before[-25:]) or _DATED_NAME.search(before))


def _first(cues: list[Cue], family: str) -> Cue | None:
    """The cue of ``family`` whose row comes first in the file (its rule wins), earliest in the text."""
    of_family = [c for c in cues if c.family == family]
    return min(of_family, key=lambda c: (c.row.line, c.start)) if of_family else None


def _earliest(cues: list[Cue], family: str) -> Cue | None:
    return next((c for c in cues if c.family == family), None)


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
        None when no realis cue of the rules (docs/EVENTS.md) is found. The
        kind's ``cue`` is the phrase that decided it.
    """
    # A habit of a thing the clause names ("rebels who had held them for years") is not the clause's.
    if _HABITUAL.search(_RELATIVE_PAST.sub(lambda m: " " * len(m.group(0)), text)):
        return None
    told_by = attribution_spans(text)
    actors = [a for a in actors if not any(a0 <= a.start < a1 for a0, a1 in told_by)]
    original, text = text, mask_background(text)
    # A crowd or victim word inside an armed group's name ("New People's Army") is neither; one
    # that ends the name is its head ("BNP activists").
    armed_names = [(a.start, a.end) for a in actors if a.side != "civilian"]
    found = tuple(c for c in find_cues(text) if not (
        c.family in ("crowd", "civilian") and any(a0 <= c.start < a1 and c.end < a1 for a0, a1 in armed_names)))
    context = {c.family for c in found}  # victim and crowd words count wherever they are
    # Intent and negation are read in the words as written ("the spokesman told delegates to
    # withdraw" keeps its "told" though the attribution is masked); offsets are the same.
    cues = [c for c in found if _realis(original, c.start)]
    territory = _earliest(cues, "territory")
    battle = territory or _earliest(cues, "clash")
    explosion = _first(cues, "explosion")
    if explosion and _policing_a_crowd(cues, context):
        explosion = None  # tear-gas shells dropped from drones on marchers police a protest
    if explosion and not (battle and battle.start < explosion.start and "leads" in battle.row.flags):
        return _kind(explosion.row.event_type, explosion.row.sub_event_type, explosion)
    # Taking or abusing a person is violence against civilians, whatever crowd the text names
    # ("gunmen seized an organiser of the sit-in").
    special = _first(cues, "vac")
    # Rape is sexual violence whoever commits it, a mob too.
    if special and (special.row.sub_event_type == "Sexual violence" or not _earliest(cues, "mob")):
        return _kind(special.row.event_type, special.row.sub_event_type, special)
    if _armed_before_crowd(found, actors):
        # "ADF fighters attacked worshippers, killing 38 people and setting fire to houses": the
        # burning is the fighters' (a crowd act by an armed side), the people their victims.
        cues = [c for c in cues if not (c.family in ("riot", "mob") and "needs=crowd" in c.row.flags)]
    crowd = _protest_or_riot(cues, context)
    if crowd:
        return crowd
    if _policing_a_crowd(cues, context) and not _earliest(cues, "killing"):
        # "police fired tear gas at thousands of farmers": a crowd met by police is a protest.
        policing = next(c for c in cues
                        if c.family == "protest_intervention" and c.text.lower().startswith(_LESS_LETHAL))
        return _kind("Protests", "Protest with intervention", policing)
    # A ceasefire or deal signed is the news; the fighting it names is its past.
    agreement = next((c for c in cues if c.family == "strategic" and c.row.sub_event_type == "Agreement"), None)
    if agreement:
        return _kind(agreement.row.event_type, agreement.row.sub_event_type, agreement)
    # Some findings are the news whatever the dead they hold: "found eight mass graves".
    finding = next((c for c in cues if c.family == "strategic" and "wins" in c.row.flags), None)
    if finding:
        return _kind(finding.row.event_type, finding.row.sub_event_type, finding)
    if territory:
        return _kind("Battles", _territory_subtype(text, territory, actors), territory)
    if battle:
        # An ambush or an attack on people with no armed side among them: civilians were the target.
        one_sided = battle.family == "clash" and battle.text.lower().startswith(("ambush", "attack", "raid"))
        armed = {a.name for a in actors if a.side != "civilian"}
        if one_sided and "civilian" in context and "armed" not in context and len(armed) < 2:
            return _kind("Violence against civilians", "Attack", battle)
        return _kind("Battles", "Armed clash", battle)
    killing = _earliest(cues, "killing")
    if killing:
        # Who was hit decides: the words after the cue ("militants attacked the village": its
        # people), armed sides named on both sides of the cue, or a civilian word anywhere.
        armed = {a.name for a in actors if a.side != "civilian"}
        targets = {c.family for c in found if c.start >= killing.start}
        if "civilian" in context or not ("armed" in targets or len(armed) >= 2):
            return _kind("Violence against civilians", "Attack", killing)
        return _kind("Battles", "Armed clash", killing)
    strategic = _first(cues, "strategic")
    if strategic:
        return _kind(strategic.row.event_type, strategic.row.sub_event_type, strategic)
    return None


_LESS_LETHAL = ("tear", "teargas", "water", "rubber", "pepper")


def _policing_a_crowd(cues: list[Cue], context: set[str]) -> bool:
    """Whether less-lethal means (tear gas, water cannon, rubber bullets) meet a crowd in the clause."""
    return ("crowd" in context or "protest" in context) and any(
        c.family == "protest_intervention" and c.text.lower().startswith(_LESS_LETHAL) for c in cues)


def _armed_before_crowd(found: tuple[Cue, ...], actors: list[Actor]) -> bool:
    """Whether an armed side is named before any crowd in a clause that tells no protest (it is the agent).

    A protest or its policing ("police fired tear gas at a crowd that set fire to tyres") keeps
    the crowd acts the crowd's.
    """
    if any(c.family in ("protest", "protest_intervention") for c in found):
        return False
    crowd = [c.start for c in found if c.family in ("crowd", "protest")]
    # A party or group named just before a crowd word leads that crowd ("Jamaat and BNP activists").
    armed = [c.start for c in found if c.family == "armed"] + [
        a.start for a in actors
        if a.side != "civilian" and not any(a.start <= c <= a.end + 20 for c in crowd)]
    return bool(armed) and (not crowd or min(armed) < min(crowd))


def _kind(event_type: str, sub_event_type: str, cue: Cue) -> EventKind:
    return EventKind(event_type, sub_event_type, cue.start, cue.text, cue.family)


def _protest_or_riot(cues: list[Cue], context: set[str]) -> EventKind | None:
    """A protest (how it was met decides the sub-type), a riot or mob violence."""
    protest = _earliest(cues, "protest")
    riot = _earliest(cues, "riot")
    if protest:
        # Demonstrators who are violent make a riot, however they were met (ACLED's rule).
        if riot or any(c.family == "clash" and c.text.lower().startswith("clash") for c in cues):
            return _kind("Riots", "Violent demonstration", protest)
        if "protest_force" in context:
            return _kind("Protests", "Excessive force against protesters", protest)
        if "protest_intervention" in context:
            return _kind("Protests", "Protest with intervention", protest)
        return _kind("Protests", "Peaceful protest", protest)
    # A crowd that turns on people is mob violence, whatever it burned on the way.
    mob = _earliest(cues, "mob")
    if mob:
        return _kind("Riots", "Mob violence", mob)
    if riot:
        return _kind("Riots", "Violent demonstration", riot)
    return None


def _territory_subtype(text: str, cue: Cue, actors: list[Actor]) -> str:
    """Who took the place: the agent after "by" in a passive, else the first actor before the verb."""
    after = text[cue.end : cue.end + 60]
    # "cleared the streets held by IS": the one named after "held by" lost the ground.
    by = None if re.search(r"\b(?:held|controlled|occupied)\s+by$", cue.text, re.I) else re.match(
        r"\s*(?:\w+\s+){0,3}?by\b", after)
    if by:
        takers = [a for a in actors if a.start >= cue.end + by.end()]
    elif re.search(r"\b(?:being|been|was|were)\s+$", text[: cue.start]):
        takers = []
    else:
        takers = [a for a in actors if a.start < cue.start and a.side != "civilian"]
    if takers:
        taker = takers[0]
        return "Government regains territory" if taker.side == "state" else "Non-state actor overtakes territory"
    if _RE_VERB.match(cue.text) or cue.text.lower().startswith(("regain", "retook")):
        return "Government regains territory"
    return "Non-state actor overtakes territory"
