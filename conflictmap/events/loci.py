"""Where an event happened: which mentions of a sentence are its locus, and how precisely.

Standard library, ``model`` and the sibling ``sentences`` and ``vocab``
modules. A locus's geo precision starts from ``model.COARSE_FEATURES`` (the
kinds ``FEATURE_GEO_PRECISION`` gives 3, as for a correction that moves an
event) and the words around it; the rules are described in
docs/EVENTS.md, "Events: how a sentence becomes events" (steps 2 and 5).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from conflictmap.events.actors import is_actor_acronym
from conflictmap.events.sentences import Span
from conflictmap.events.vocab import EventKind
from conflictmap.model import COARSE_FEATURES, FEATURE_SPECIFICITY, Article, Mention, Place, haversine_km

# Words a gazetteer matcher may take for places; never an event's locus.
_NOT_PLACES = frozenset(
    "a an as at is it in of on or the to us we he she they but and its".split()
    + "one two three four five six seven eight nine ten eleven twelve twenty thirty dozens hundreds".split()
    + "monday tuesday wednesday thursday friday saturday sunday".split()
    + "january february march april may june july august september october november december".split()
    # Faiths and peoples, never where something happened ("Christian homes", "Kurdish forces").
    + "christian christians muslim muslims catholic protestant jewish sunni shia shiite hindu buddhist".split()
    + "islamic kurdish arab arabs druze alawite yazidi".split()
)

# Text right before a mention that makes it a mere mention, not where something happened.
_NOT_LOCUS_BEFORE = re.compile(
    r"(?:\b(?:professor|lecturer|researcher|analyst|expert|scholar|academic|fellow|university|institute|"
    r"think[\s-]tank|college)\b[^.;]{0,60}\b(?:in|at|of)\s+"
    r"|\b(?:(?:loyal|allied|close|linked|tied|allegiance|ties|links|sympathetic|affiliated|alliance)\s+(?:to|with)"
    r"|(?:backed|supported|funded|armed|sponsored|trained|financed|supplied|brokered|mediated|guaranteed)\s+by)\s+"
    # ... and the rest of a list: "brokered by the United States, Russia and Jordan"
    r"(?:(?:the\s+)?(?-i:[A-Z])[\w'\u2019-]*(?:\s+(?-i:[A-Z])[\w'\u2019-]*)*(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+))*"
    r"|\bsizes?\s+of\s+"
    # (an embassy is where a crowd marches or a bomb goes off: "the French embassy in Niamey" stays)
    r"|\b(?:talks|conference|summit|meeting|negotiations|court|tribunal)\s+(?:in|at)\s+"
    # the side that launched or claimed it: "drones launched by Russia at Kyiv"
    r"|\b(?:launched|fired|sent|carried\s+out|conducted|claimed|ordered|deployed|operated)\s+(?:\w+\s+)?by\s+"
    r"|\b(?:fled|flee|fleeing|escaped|deported|returned|travell?ed|flew|sent|moved|relocated|headed|resettled)\s+"
    r"(?:\w+\s+){0,2}?(?:to|for|into|towards?|from)\s+(?:neighbouring\s+|neighboring\s+)?"
    r"|\b(?:fac(?:es|ing|ed)|across\s+from|opposite)\s+"
    r"|\b(?:visit(?:ed|ing|s)?|trip)\s+(?:to\s+)?"
    r"|\bborders?\s+with\s+"
    r"|\b(?:commander|president|general|gen\.|colonel|col\.|minister|sheikh|imam|leader|spokesman|mr\.?|dr\.?)\s+"
    r"(?:(?-i:[A-Z])[\w'\u2019-]*\s+){0,3}(?:al-|el-|bin\s+|ibn\s+)?)(?:the\s+)?$",
    re.I,
)
_SUCH_AS = re.compile(r"\b(?:such\s+as|like)\s+(?:[A-Z][\w'\u2019-]*\s*(?:,\s*|\s+and\s+|\s+or\s+)?)*$")
_NOT_LOCUS_AFTER = re.compile(
    r"^(?:\s*[-\u2010\u2011]\s*(?:based|backed|born|educated|led|allied|aligned)\b"
    r"|'s?\s+(?:ambassador|envoy|embassy|foreign|president|prime|minister|ministry|leader|king|government|allies|ally|"
    r"counter-?offensive|offensive|forces|army|troops|military|war|campaign|air\s+defen[cs]es?|drones|missiles)\b"
    r"|\s+(?:director|envoy|ambassador|correspondent|bureau|office|representative|coordinator|university|"
    r"embassy|consulate|chapter)\b"
    r"|\s+(?:said|says|announced|denied|claimed|accused|warned|condemned|urged|called|insisted|rejected|vowed|"
    r"described|blamed|maintains|maintained|argued|admitted|acknowledged|"
    r"threatened|has\s+said|has\s+denied|has\s+warned)\b)",
    re.I,
)
_SAID_VERB = re.compile(r"^\s+(?:said|says|announced|reported|told|claimed|stated|added)\b", re.I)
_IN_BEFORE = re.compile(r"\b(?:in|at|near|from)\s+(?:the\s+)?$", re.I)
_DISTANCE = re.compile(
    r"(?P<n>\d[\d,.]*|\w+)\s+(?P<unit>km|kms|kilometres?|kilometers?|miles?)\b(?:\s*\([^)]*\))?\s+"
    r"(?:\w+\s+){0,2}?(?:from|of|outside)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
_NEAR_BEFORE = re.compile(
    r"\b(?:near|nearby|outside|outskirts\s+of|around|close\s+to|vicinity\s+of|edge\s+of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of|"
    r"(?:north|south|east|west)(?:ern|east|west)?\s+(?:outskirts|suburbs?|countryside|edge)\s+of|"
    r"suburbs?\s+of|countryside\s+of|areas?\s+of)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
_AREA_AFTER = re.compile(
    r"^\s+(?:area|areas|countryside|outskirts|suburbs?|environs|region|valley|front|desert|mountains|hills|plains?)\b",
    re.I,
)
_PROVINCE_AFTER = re.compile(r"^\s+(?:province|governorate|region|district|state|county|oblast|prefecture)\b", re.I)
_PROVINCE_BEFORE = re.compile(r"\b(?:province|governorate|region|district|state)\s+of\s+(?:the\s+)?$", re.I)
_COORDINATION = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+or\s+|\s+as\s+well\s+as\s+)(?:the\s+)?$", re.I)
ANAPHOR = re.compile(
    r"\b(?:in|near|across|around|outside|of|from|at)\s+the\s+(?P<kind>province|governorate|city|town|village|area|region)\b",
    re.I,
)
_CONCRETE_TYPES = frozenset({"Explosions/Remote violence", "Violence against civilians"})
# "MOGADISHU, Somalia (Agency) - ": where the report was filed, not where it happened.
_DATELINE = re.compile(
    # "DEIR EZ-ZOR, Syria, Dec 10 (CMW) - ": the country and the filing date may follow the town.
    r"^\s*(?-i:[A-Z][A-Z'\u2019 .-]+)(?:,\s*[\w'\u2019 .-]{2,40}){0,3}\s*(?:\([^()]{1,40}\))?\s*[-\u2013\u2014:]+\s"
)
# "in Hajin town (Abu Kamal, Deir-ez-Zor)": the district and province of the place before.
_QUALIFIER = re.compile(r"\(([^()]{2,80})\)")


@dataclass(frozen=True)
class Locus:
    """A mention taken as where an event happened, with its precision and clause index."""

    mention: Mention
    geo_precision: int
    clause: int


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance in kilometres between two places."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def usable_locus(mention: Mention) -> bool:
    """Resolved, literal, and not a function word or an armed group's acronym taken for a town."""
    if mention.place is None or mention.metonymic:
        return False
    surface = mention.surface.strip()
    return len(surface) > 2 and surface.lower() not in _NOT_PLACES and not is_actor_acronym(surface)


def locus_precision(sentence: Span, mention: Mention) -> int | None:
    """The geo precision of ``mention`` as this sentence's locus, or None if it is only mentioned."""
    place = mention.place
    if place is None or mention.metonymic:
        return None
    before = sentence.text[max(0, mention.start - sentence.start - 120) : mention.start - sentence.start]
    after = sentence.text[mention.end - sentence.start : mention.end - sentence.start + 40]
    said = _NOT_LOCUS_AFTER.match(after)
    # "Police in Mosul said": the place modifies the speaker, it does not speak.
    if said and _SAID_VERB.match(after) and _IN_BEFORE.search(before):
        said = None
    if _NOT_LOCUS_BEFORE.search(before) or _SUCH_AS.search(before) or said:
        return None
    distance = _DISTANCE.search(before)
    if distance:
        n = distance.group("n").replace(",", "")
        try:
            km = float(n) * (1.609 if distance.group("unit").lower().startswith("mile") else 1.0)
        except ValueError:
            km = 5.0  # "a few kilometres from"
        return 2 if km <= 15 else None
    if place.feature in COARSE_FEATURES or _PROVINCE_AFTER.match(after) or _PROVINCE_BEFORE.search(before):
        return 3
    if _NEAR_BEFORE.search(before) or _AREA_AFTER.match(after):
        return 2
    return 1


def contains(coarse: Place, fine: Place) -> bool:
    """Whether a province, region or country plausibly contains a finer place (no polygons here)."""
    return coarse.feature in COARSE_FEATURES and _contains(coarse, fine)


def _contains(coarse: Place, fine: Place) -> bool:
    """Whether a province, region or country plausibly contains a finer place (no polygons here)."""
    if coarse.country_code and fine.country_code and coarse.country_code != fine.country_code:
        return False
    if coarse.feature == "country":
        return True
    if coarse.feature in ("admin1", "admin2") and coarse.admin1 and fine.admin1:
        return coarse.admin1 == fine.admin1
    limit = 150.0 if coarse.feature in ("admin1", "natural") else 75.0
    return distance_km(coarse, fine) <= limit


def prune_loci(loci: list[Locus]) -> list[Locus]:
    """Keep the most specific loci: no country beside finer places, no province around a named town."""
    if any(lc.mention.place and lc.mention.place.feature != "country" for lc in loci):
        loci = [lc for lc in loci if lc.mention.place and lc.mention.place.feature != "country"]
    kept: list[Locus] = []
    seen: set[str] = set()
    for lc in loci:
        place = lc.mention.place
        assert place is not None
        if place.place_id in seen:
            continue
        if lc.geo_precision == 3 and any(
            o is not lc and o.geo_precision < 3 and o.mention.place and _contains(place, o.mention.place) for o in loci
        ):
            continue
        seen.add(place.place_id)
        kept.append(lc)
    return kept


def select_loci(loci: list[Locus], sentence: Span) -> list[Locus]:
    """Per clause, the most precise locus (a province over a river) and those coordinated with it."""
    chosen: list[Locus] = []
    for clause in sorted({lc.clause for lc in loci}):
        in_clause = sorted((lc for lc in loci if lc.clause == clause), key=lambda lc: lc.mention.start)
        head = min(range(len(in_clause)), key=lambda i: (_rank(in_clause[i]), i))
        first = last = head
        while first > 0 and _coordinated(sentence, in_clause[first - 1], in_clause[first]):
            first -= 1
        while last + 1 < len(in_clause) and _coordinated(sentence, in_clause[last], in_clause[last + 1]):
            last += 1
        group = in_clause[first : last + 1]
        chosen.extend([in_clause[head]] + [lc for lc in group if lc is not in_clause[head]])
    return chosen


def _rank(locus: Locus) -> tuple[int, int]:
    """Sort key of loci, most precise first: geo precision, then kind of place."""
    feature = locus.mention.place.feature if locus.mention.place else ""
    return locus.geo_precision, FEATURE_SPECIFICITY.get(feature, 9)


def _coordinated(sentence: Span, a: Locus, b: Locus) -> bool:
    gap = sentence.text[a.mention.end - sentence.start : b.mention.start - sentence.start]
    return bool(_COORDINATION.match(gap))


def dateline_mention(article: Article, mentions: Sequence[Mention]) -> Mention | None:
    """The body mention of the dateline's place ("Deir Ezzor, Syria" -> the first "Deir Ezzor")."""
    head = _fold(article.dateline.split(",")[0]) if article.dateline else ""
    if not head:
        return None
    for m in sorted(mentions, key=lambda m: m.start):
        if m.place is not None and not m.metonymic and head in (_fold(m.surface), _fold(m.place.name)):
            return m
    return None


def anaphoric_locus(
    sentence: Span, kind: EventKind, has_deaths: bool, anchor: Mention | None, last_main: Mention | None
) -> Locus | None:
    """Place "in the province / the city" at the dateline's place or the last main locus."""
    m = ANAPHOR.search(sentence.text)
    if not m or not (has_deaths or kind.event_type in _CONCRETE_TYPES or kind.sub_event_type.startswith("Abduction")):
        return None
    word = m.group("kind").lower()
    for candidate in (anchor, last_main):
        if candidate is None or candidate.place is None:
            continue
        if word in ("city", "town", "village") and candidate.place.feature in COARSE_FEATURES:
            continue
        precision = 3 if word in ("province", "governorate", "region") else 2
        return Locus(candidate, precision, 0)
    return None


def dateline_end(body: str) -> int:
    """Where an agency dateline at the start of ``body`` ends; 0 when there is none."""
    m = _DATELINE.match(body)
    return m.end() if m else 0


def bracket_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """The insides of the "(District, Province)" brackets of ``text``, as offsets plus ``offset``."""
    return [(m.start(1) + offset, m.end(1) + offset) for m in _QUALIFIER.finditer(text)]


def qualify_loci(loci: list[Locus], sentence: Span) -> list[Locus]:
    """Drop the places that only say where the place named before them lies, or that contradict it.

    A bracketed "(District, Province)" after a place qualifies it, as coders'
    notes write. With that place resolved inside the brackets' units, the
    brackets add no locus; without it (an unresolved village, or a namesake the
    brackets put elsewhere), the district is the locus at precision 2 and the
    province at 3, so the event lands in its district, not at a wrong namesake
    or the province's capital. A lone bracketed name is a province (precision 3).
    The brackets also name the country: a place of the sentence in another
    country ("Cathedral" taken for a town abroad) is no locus. "X near Y" with X
    resolved over 50 km from Y keeps Y: X was a namesake.
    """
    loci = _near_namesakes(loci, sentence)
    groups = bracket_spans(sentence.text, sentence.start)
    if not groups:
        return loci
    inside = {id(lc): g for lc in loci for g in groups if g[0] <= lc.mention.start and lc.mention.end <= g[1]}
    countries = {lc.mention.place.country_code for lc in loci if id(lc) in inside and lc.mention.place}
    # The bracketed place is the one the note codes: another place of the sentence, outside any
    # brackets, is context ("a driver run over in Jakarta set fire to ... in Makassar (Makassar, ...)").
    placed = set(inside.values())  # brackets that hold a place ("(DPRD)" holds none)
    qualified = {id(o) for g in placed for o in loci
                 if id(o) not in inside and 0 <= g[0] - 1 - o.mention.end <= 40
                 and not any(id(x) not in inside and o.mention.end < x.mention.start < g[0] for x in loci)}
    if qualified:
        loci = [lc for lc in loci if id(lc) in inside or id(lc) in qualified]
    kept: list[Locus] = []
    for lc in loci:
        place = lc.mention.place
        assert place is not None
        group = inside.get(id(lc))
        if group is None:
            if len(countries) == 1 and place.country_code not in countries:
                continue  # the brackets put the story in another country
            if _contradicted(lc, loci, inside, groups, sentence):
                continue
            kept.append(lc)
            continue
        before = [o for o in loci if id(o) not in inside and o.clause == lc.clause
                  and o.mention.end <= group[0] - 1 and group[0] - 1 - o.mention.end <= 40]
        qualified = before[-1] if before else None
        if qualified is not None and not _contradicted(qualified, loci, inside, groups, sentence) and (
            qualified.geo_precision <= 2 or _finer(qualified, lc)
        ):
            continue  # the place before the brackets is resolved: they only confirm it
        names = [o for o in loci if inside.get(id(o)) == group]
        first = sentence.text[group[0] - sentence.start : lc.mention.start - sentence.start].strip(" ,") == ""
        precision = 2 if first and len(names) > 1 else 3
        kept.append(Locus(lc.mention, max(lc.geo_precision, precision), lc.clause))
    return kept


def _finer(place_locus: Locus, unit_locus: Locus) -> bool:
    fine, coarse = place_locus.mention.place, unit_locus.mention.place
    assert fine is not None and coarse is not None
    return FEATURE_SPECIFICITY.get(fine.feature, 9) < FEATURE_SPECIFICITY.get(coarse.feature, 9)


def _contradicted(lc: Locus, loci: list[Locus], inside: dict[int, tuple[int, int]],
                  groups: list[tuple[int, int]], sentence: Span) -> bool:
    """Whether the brackets right after ``lc`` name a unit that cannot hold it (a namesake)."""
    place = lc.mention.place
    assert place is not None
    after = next((g for g in groups if 0 <= g[0] - 1 - lc.mention.end <= 40), None)
    if after is None or sentence.text[lc.mention.end - sentence.start : after[0] - 1 - sentence.start].strip():
        return False
    units = [o.mention.place for o in loci if inside.get(id(o)) == after and o.mention.place is not None
             and o.mention.place.feature in COARSE_FEATURES and o.mention.place.feature != "country"]
    # Both tests: admin codes of two sources may disagree, and a province can be wide.
    return bool(units) and not any(
        contains(u, place) or distance_km(u, place) <= (150.0 if u.feature == "admin1" else 75.0) for u in units
    )


_NEAR_GAP = re.compile(r"^\s*,?\s*(?:near|outside|close\s+to|just\s+outside|on\s+the\s+outskirts\s+of)\s+(?:the\s+)?"
                       r"(?:(?:town|city|village|district)\s+of\s+)?$", re.I)


def _near_namesakes(loci: list[Locus], sentence: Span) -> list[Locus]:
    """Drop X of "X near Y" when X resolved over 50 km from Y: X was a namesake elsewhere."""
    drop: set[int] = set()
    for a in loci:
        for b in loci:
            if a is b or b.mention.start <= a.mention.end or a.mention.place is None or b.mention.place is None:
                continue
            gap = sentence.text[a.mention.end - sentence.start : b.mention.start - sentence.start]
            if _NEAR_GAP.match(gap) and distance_km(a.mention.place, b.mention.place) > 50:
                drop.add(id(a))
    return [lc for lc in loci if id(lc) not in drop]
