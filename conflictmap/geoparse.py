"""Geoparsing: find place names in a text and resolve each to a gazetteer place.

``Geoparser`` takes its services as arguments (a ``Gazetteer`` and a
``Recogniser``) so tests hand it a small fixture slice. Resolution ranks every
candidate of a name by

* how well the name matched (exact, transliteration fold, consonant outline) and
  whether it is the place's main name,
* its kind and population (a prior: countries and big cities first),
* the article's countries: countries named in the text or the hints (dateline,
  title), demonyms ("Syrian forces" -> SY) and the countries of the places
  resolved in a first pass,
* distance to the other places of the article (a second pass), the town a
  dateline names ("Deir Ezzor, Syria") counting from the first pass,
* an admin word after or before the name ("Deir Ezzor province", "the province
  of Deir Ezzor" -> the province),
* the town just before it ("Atlanta, Georgia" -> the US state that holds Atlanta),
  a governor or legislature after it ("New York Gov." -> the state),
* the kind of place the names listed with it resolved to ("California or
  Washington" -> the state),
* for a village named like a world city (a hundredth its size), only a quarter
  of the country bonus unless the story names its state ("London").

One name is resolved once per text (one sense per discourse). A name is left
unresolved (``place=None``, not written by the JSONL contract) rather than
guessed when it only matched by its consonant outline and nothing in the story
vouches for that place (the same for a match by merged vowels only), or when
the best candidate is a town (under 500,000 people) in a country the story never
names, far from all its other places ("Hassan" in a Syrian story is a person, not
the Indian city). A consonant-outline match also needs a place of the story
within 400 km once the story has located towns ("Oahu" in a Honolulu story is
not Ohio). A given span no name matches may be placed by the longest run of
its words that names a place the story vouches for ("Manila Cathedral"). A
place the recogniser found inside an organisation's name ("Air Zimbabwe") is
flagged ``metonymic``: a mention, never an event locus.
Weights were set by measurement on the dev sets (``bench/geoparse_eval.py``).
"""
from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TextIO

from conflictmap.config import Settings
from conflictmap.gazetteer import MATCH_FOLD, MATCH_NORM, Gazetteer, load_gazetteer
from conflictmap.model import Mention, Place, haversine_km
from conflictmap.names import norm_key, word_runs
from conflictmap.recognise import ADMIN_WORDS, DEMONYM, IN_NAME, GazetteerRecogniser, Recogniser, list_links

#: Texts longer than this are cut (characters); offsets stay valid.
MAX_TEXT_CHARS = 5_000_000
_MAX_CANDIDATES = 60
#: Towns below this size in a country the story never names, far from its other
#: places, are left unresolved (see ``Geoparser._implausible``).
_IMPLAUSIBLE_POP = 500_000
#: Weights of the resolution score (set by measurement on the dev sets, see README).
_MAIN_NAME, _NEAR, _CITY_ADMIN, _STATE_ADMIN = 0.25, 0.25, 0.15, 0.3
_HOLDS_TOWN = 0.5
#: Share of the country bonus left to a village named like a world city.
_HOMONYM_DAMP = 0.25
#: Bonus for the kind of place the names listed with a name resolved to.
_SIBLING = 0.3
_FEATURE_PRIOR = {"country": 0.45, "region": 0.3, "natural": 0.3, "admin1": 0.0, "city": 0.0, "admin2": -0.15}
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
#: "the province of Deir Ezzor", "Syria's eastern province of Deir Ezzor".
_ADMIN_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(ADMIN_WORDS)) + r")\s+of\s+$", re.IGNORECASE)


@dataclass
class _Name:
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
    after: "_Name | None" = None  # the name just before it as "Town, <this>"
    part: bool = False  # candidates come from part of the name ("Manila Cathedral")
    siblings: list["_Name"] = field(default_factory=list)  # names listed with it ("A, B and C")


class Geoparser:
    """Recognise and resolve place names.

    Parameters
    ----------
    gazetteer : Gazetteer
        The place index.
    recogniser : Recogniser, optional
        Finds spans; defaults to ``GazetteerRecogniser(gazetteer)``.
    """

    def __init__(self, gazetteer: Gazetteer, recogniser: Recogniser | None = None) -> None:
        self.gazetteer = gazetteer
        self.recogniser = recogniser if recogniser is not None else GazetteerRecogniser(gazetteer)

    def geoparse(self, text: str, *, hints: Sequence[str] = ()) -> list[Mention]:
        """Find and resolve every place name in ``text``.

        Parameters
        ----------
        text : str
            The article body; every offset returned points into it.
        hints : Sequence[str]
            Extra context that is not part of ``text``: the dateline
            ("Deir Ezzor, Syria"), the title.

        Returns
        -------
        list[Mention]
            In text order. Demonyms are used as context and not returned.
        """
        text = _usable(text)[:MAX_TEXT_CHARS]
        spans = self.recogniser.find(text)
        places = [(s.start, s.end) for s in spans if s.kind != DEMONYM]
        demonyms = [text[s.start:s.end] for s in spans if s.kind == DEMONYM]
        mentions = self._resolve(text, places, demonyms, hints)
        # A place inside an organisation's name ("Air Zimbabwe") is kept as a
        # mention but flagged like metonymy: it locates nothing the story reports.
        in_name = {(s.start, s.end) for s in spans if s.kind == IN_NAME}
        if in_name:
            mentions = [replace(m, metonymic=True) if (m.start, m.end) in in_name else m for m in mentions]
        return mentions

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]], *, hints: Sequence[str] = ()) -> list[Mention]:
        """Resolve given spans only (no recognition); the context still comes from the text.

        Spans outside the text or empty are skipped. Mentions come back in text
        order; a span no candidate fits has ``place=None``.
        """
        text = _usable(text)
        good = sorted({(int(a), int(b)) for a, b in spans if 0 <= int(a) < int(b) <= len(text)})
        context = self.recogniser.find(text[:MAX_TEXT_CHARS])
        demonyms = [text[s.start:s.end] for s in context if s.kind == DEMONYM]
        given = set(good)
        # Countries the recogniser finds outside the given spans still count as context.
        extra = [text[s.start:s.end] for s in context if s.kind != DEMONYM and (s.start, s.end) not in given]
        return self._resolve(text, good, demonyms, hints, extra)

    # -- resolution --------------------------------------------------------------

    def _resolve(self, text: str, spans: Sequence[tuple[int, int]], demonyms: Sequence[str],
                 hints: Sequence[str], context_names: Sequence[str] = ()) -> list[Mention]:
        gaz = self.gazetteer
        names: dict[str, _Name] = {}
        for start, end in spans:
            surface = text[start:end]
            lookup_surface = re.sub(r"['\u2019]s$", "", surface)
            key = norm_key(lookup_surface)
            # "Deir Ezzor province" and "Deir Ezzor" are two senses of one name.
            cue = bool(_ADMIN_AFTER.match(text[end:end + 30]) or _ADMIN_BEFORE.search(text[max(0, start - 30):start])
                       or _GOVERNOR_AFTER.match(text[end:end + 30]))
            item = names.get(f"{key}|{cue}")
            if item is None:
                cands = (gaz.lookup(lookup_surface)[:_MAX_CANDIDATES] or self._inner_candidates(lookup_surface)
                         or self._with_the(lookup_surface))
                part = not cands
                if part:
                    cands = self._part_candidates(lookup_surface)
                item = names[f"{key}|{cue}"] = _Name(key, lookup_surface, [], cands, admin_cue=cue, part=part)
                # A demonym given as a span ("the French") stands for its country,
                # unless it is also the main name of a big place (an alternate
                # name does not count: Petropavl is also "Kazakh").
                if not any(q >= MATCH_NORM and _big(gaz.places[i]) and norm_key(gaz.places[i].name) == key
                           for i, q in cands[:5]):
                    item.fixed = gaz.demonym_place(lookup_surface)
            item.spans.append((start, end))

        by_end = {end: item for item in names.values() for _, end in item.spans}
        for item in names.values():
            for start, _ in item.spans:
                before = by_end.get(start - 2)
                if before is not None and text[start - 2:start] == ", ":
                    item.after = before
                    break
        self._link_lists(text, names)
        countries: Counter[str] = Counter()
        anchors: list[Place] = []
        hint_places: list[str] = []
        for hint in hints:
            for part in re.split(r"[,;/()|\-\u2013\u2014]", hint or ""):
                part = part.strip()
                if not part:
                    continue
                cc = gaz.demonym_country(part)
                for idx, quality in gaz.lookup(part, loose=False)[:5]:
                    place = gaz.places[idx]
                    if place.feature == "country" and quality >= MATCH_NORM:
                        cc = place.country_code
                        break
                if cc:
                    countries[cc] += 3.0
                else:
                    hint_places.append(part)
        # A dateline town ("Deir Ezzor, Syria") anchors the story from the start.
        anchors.extend(self._hint_anchors(hint_places, countries))
        for word in demonyms:
            cc = gaz.demonym_country(word)
            if cc:
                countries[cc] += 0.5
        for name in context_names:
            for idx, quality in gaz.lookup(name, loose=False)[:3]:
                if gaz.places[idx].feature == "country" and quality >= MATCH_NORM:
                    countries[gaz.places[idx].country_code] += 1.0
                    break
        for item in names.values():
            for idx, quality in item.candidates[:3]:
                place = gaz.places[idx]
                if place.feature == "country" and quality >= MATCH_NORM:
                    countries[place.country_code] += 1.0 * len(item.spans)
                    item.own_country = (place.country_code, 1.0 * len(item.spans))
                    break

        # Pass 1: context = countries; pass 2 adds the countries and positions of pass-1 choices.
        for item in names.values():
            self._choose(item, countries, anchors)
        countries2 = Counter(countries)
        for item in names.values():
            if item.choice is not None and item.score > 0.5:
                place = gaz.places[item.choice]
                if place.feature != "country" and place.country_code:
                    countries2[place.country_code] += 0.5 * len(item.spans)
                    item.pass1_country = (place.country_code, 0.5 * len(item.spans))
                if place.feature in ("city", "admin2", "admin1", "region", "natural"):
                    anchors.append(place)
        # States and provinces named in the text ("Iowa") vouch for their towns.
        admins: dict[tuple[str, str], float] = {}
        for p in anchors:
            if p.admin1 and p.feature in ("admin1", "city"):
                weight = _STATE_ADMIN if p.feature == "admin1" else _CITY_ADMIN
                key = (p.country_code, p.admin1)
                admins[key] = max(weight, admins.get(key, 0.0))
        for item in names.values():
            others = [a for a in anchors if item.choice is None or a != gaz.places[item.choice]]
            own = countries2
            if item.pass1_country is not None:  # no vote for itself, again
                own = Counter(countries2)
                own[item.pass1_country[0]] -= item.pass1_country[1]
            town = None
            if item.after is not None and item.after.choice is not None and item.after is not item:
                town = gaz.places[item.after.choice]
            kinds = Counter(gaz.places[o.choice].feature for o in item.siblings
                            if o is not item and o.choice is not None and o.score > 0.5)
            self._choose(item, own, others, admins, town, kinds.most_common(1)[0][0] if kinds else None)

        mentions: list[Mention] = []
        for item in names.values():
            place = gaz.places[item.choice] if item.choice is not None else None  # one Place per name
            if item.fixed is not None:
                place, item.score = item.fixed, 0.9
            for start, end in item.spans:
                metonymic = bool(place is not None and place.feature in ("country", "city")
                                 and _METONYMY.match(text[end:end + 40]))
                mentions.append(Mention(start=start, end=end, surface=text[start:end], place=place,
                                        score=round(item.score, 3), metonymic=metonymic))
        mentions.sort(key=lambda m: (m.start, m.end))
        return mentions

    @staticmethod
    def _link_lists(text: str, names: dict[str, _Name]) -> None:
        """Note the names listed together (see ``recognise.list_links``)."""
        item_at = {span: item for item in names.values() for span in item.spans}
        for span, found in list_links(text, list(item_at)).items():
            item = item_at[span]
            if len(found) >= 2 or any(joined for _, joined in found):
                item.siblings.extend(item_at[other] for other, _ in found if item_at[other] is not item)

    def _hint_anchors(self, parts: Sequence[str], countries: Counter[str]) -> list[Place]:
        """The places a dateline or title names, in a country the hints name too.

        Only close name matches count, and the biggest such place is taken: a
        dateline names a well-known town.
        """
        out: list[Place] = []
        for part in parts:
            best: Place | None = None
            for idx, quality in self.gazetteer.lookup(part, loose=False)[:_MAX_CANDIDATES]:
                place = self.gazetteer.places[idx]
                if (quality >= MATCH_FOLD and place.feature != "country"
                        and countries.get(place.country_code, 0.0) > 0
                        and (best is None or place.population > best.population)):
                    best = place
            if best is not None:
                out.append(best)
        return out[:5]

    def _inner_candidates(self, surface: str) -> list[tuple[int, float]]:
        """Candidates for a given span no name matches: the country of an "-an"
        adjective the demonym table lacks ("Jamaican" -> Jamaica). Only spans
        handed in reach here (resolution-only mode); the recogniser never
        proposes a span the gazetteer does not know."""
        if " " in surface or not surface.endswith("n") or len(surface) <= 4:
            return []
        return [(i, q * 0.9) for i, q in self.gazetteer.lookup(surface[:-1], loose=False)
                if self.gazetteer.places[i].feature == "country"]

    def _with_the(self, surface: str) -> list[tuple[int, float]]:
        """Candidates for "Democratic Republic of Congo" as "... of the Congo"."""
        with_the = re.sub(r"\bof (?!the\b)", "of the ", surface)
        if with_the == surface:
            return []
        return self.gazetteer.lookup(with_the, loose=False)[:_MAX_CANDIDATES]

    @staticmethod
    def _vouched_part(place: Place, countries: Counter[str], anchors: Sequence[Place]) -> bool:
        """A place found from part of a longer name ("Manila Cathedral") is kept
        only near another place of the story (150 km), or when it is a big town
        or a state in a country the story names: "Stonewall Golf Club" is not
        in the small town Stonewall, Manitoba, nor "Pearl Harbor" in Pearl.
        """
        if any(haversine_km(place.lat, place.lon, a.lat, a.lon) < 150 for a in anchors[:40]):
            return True
        big = place.feature == "admin1" or place.population >= 100_000
        return big and countries.get(place.country_code, 0.0) > 0

    def _part_candidates(self, surface: str) -> list[tuple[int, float]]:
        """Candidates for a given span no name matches, from the longest run of its
        words that names a place: a facility or body named after its town
        ("Manila Cathedral", "Delhi High Court", "Lake Manassas", "North London").

        Only an exact name counts, and a dictionary word only as a big place
        ("Airport", "Center" and "Hill" are small towns somewhere, "Lake" is
        also "Lake County"), never a compass word alone; and ``_choose`` keeps the place
        only when the story vouches for it (see ``_vouched_part``). A country
        inside a longer name is not taken ("Stade de France" is not at
        France's centre), and after a compass word ("Northern Europe",
        "Southern California") only a town is: a part of a town is near the
        town, a part of a state or continent is not near its centre. The match
        quality is lowered (0.9 of an exact match).
        """
        for part, after_compass in word_runs(surface):
            kinds = ("city", "admin2") if after_compass else ("city", "admin2", "admin1", "region", "natural")
            # A dictionary word ("Airport", "Hill", "Manila") only as a big place.
            word = all(w.lower().strip(".,'\u2019") in self.gazetteer.dictionary_words for w in part.split())
            found = [(i, q * 0.9) for i, q in self.gazetteer.lookup(part, loose=False)[:_MAX_CANDIDATES]
                     if q >= MATCH_NORM and self.gazetteer.places[i].feature in kinds
                     and not (word and (not _big(self.gazetteer.places[i])
                                        or self.gazetteer.places[i].feature == "admin2"))]
            if found:
                return found
        return []

    @staticmethod
    def _implausible(place: Place, countries: Counter[str], anchors: Sequence[Place]) -> bool:
        """A town (under 500,000 people) in a country the story never mentions, over
        500 km from all its places: better unresolved than wrong ("Al-Shafa" in a
        Deir Ezzor story is not the Saudi town, and the Syrian village is not in
        the gazetteer).
        """
        if place.feature not in ("city", "admin2") or place.population >= _IMPLAUSIBLE_POP:
            return False
        if countries.get(place.country_code, 0.0) > 0 or sum(v for v in countries.values() if v > 0) < 2:
            return False
        return bool(anchors) and _far_from_all(place, anchors, 500)

    def _choose(self, item: _Name, countries: Counter[str], anchors: Sequence[Place],
                admins: dict[tuple[str, str], float] | None = None, town: Place | None = None,
                sibling_kind: str | None = None) -> None:
        admins = admins or {}
        if town is not None and town.feature != "city":
            town = None
        if not item.candidates:
            item.choice, item.score = None, 0.0
            return
        if item.own_country is not None:
            # A name is no evidence for itself ("Georgia" must not vote for Georgia).
            countries = Counter(countries)
            countries[item.own_country[0]] -= item.own_country[1]
        total = sum(v for v in countries.values() if v > 0) or 1.0
        # The biggest town of the name: a village a hundredth its size is not
        # made likely by its country alone ("London" in a US story is London,
        # England, unless the story names a state or a place near the village).
        top_town = max((self.gazetteer.places[i].population for i, q in item.candidates
                        if q >= MATCH_NORM and self.gazetteer.places[i].feature == "city"), default=0)
        scored: list[tuple[float, int]] = []
        for idx, quality in item.candidates:
            place = self.gazetteer.places[idx]
            s = 1.2 * quality
            if norm_key(place.name) == item.key:
                s += _MAIN_NAME
            # Admin units sum their members' population: scale it down so a big
            # city beats the province it gives its name to.
            pop = place.population / 10 if place.feature in ("admin1", "admin2") else place.population
            if place.feature in ("region", "natural"):
                pop = max(pop, 2_000_000)  # seas and regions have no population
            s += min(1.0, math.log10(pop + 10) / 7.0) * 1.2
            s += _FEATURE_PRIOR.get(place.feature, 0.0)
            if place.place_id.startswith("sup:"):
                s += 0.15
            share = max(0.0, countries.get(place.country_code, 0.0)) / total if place.country_code else 0.0
            if share:
                damp = _HOMONYM_DAMP if (place.feature == "city" and top_town >= 1_000_000
                                         and place.population * 100 < top_town
                                         and not admins.get((place.country_code, place.admin1))) else 1.0
                s += (0.15 + 0.45 * share) * damp
            if place.feature in ("city", "admin2"):
                s += admins.get((place.country_code, place.admin1), 0.0)
            elif town is not None and place.feature in ("admin1", "country"):
                # "Atlanta, Georgia": the state or country that holds the town just before.
                if place.country_code == town.country_code and (
                        place.feature == "country" or place.admin1 == town.admin1):
                    s += _HOLDS_TOWN
            if sibling_kind is not None and place.feature == sibling_kind:
                s += _SIBLING
            if item.admin_cue:
                s += 0.5 if place.feature in ("admin1", "admin2", "region") else -0.2
            if anchors and place.feature not in ("country",):
                near = min(haversine_km(place.lat, place.lon, a.lat, a.lon) for a in anchors[:40])
                s += _NEAR * math.exp(-near / 250.0)
            scored.append((s, idx))
        scored.sort(reverse=True)
        best_s, best_idx = scored[0]
        quality = dict(item.candidates)[best_idx]
        if quality < MATCH_FOLD:
            # A consonant-outline match alone is weak: keep it only when the
            # article's countries or places vouch for it.
            place = self.gazetteer.places[best_idx]
            near = any(haversine_km(place.lat, place.lon, a.lat, a.lon) < 400 for a in anchors[:40])
            # The country alone vouches only while the story has no located
            # places: "Oahu" in a Honolulu story is not Ohio, nor "Capitol" in an
            # Oklahoma City story Capitola, although both stories name the US.
            located = any(a.feature in ("city", "admin2") for a in anchors[:40])
            if not near and (located or countries.get(place.country_code, 0.0) <= 0):
                item.choice, item.score = None, 0.0
                return
        place = self.gazetteer.places[best_idx]
        if self._implausible(place, countries, anchors) or (
                item.part and not self._vouched_part(place, countries, anchors)):
            item.choice, item.score = None, 0.0
            return
        # Confidence: a softmax over candidate scores, damped by the name match.
        z = sum(math.exp((s - best_s) / 0.15) for s, _ in scored)
        item.choice, item.score = best_idx, max(0.0, min(1.0, quality / z))


def _far_from_all(place: Place, anchors: Sequence[Place], km: float) -> bool:
    return all(haversine_km(place.lat, place.lon, a.lat, a.lon) > km for a in anchors[:40])


def _big(place: Place) -> bool:
    return place.feature in ("country", "admin1", "region") or place.population >= 100_000


def _usable(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return text


_DEFAULT_LOCK = threading.Lock()
_DEFAULT: dict[str, Geoparser] = {}


def default_geoparser(settings: Settings | None = None) -> Geoparser:
    """Return the process-wide geoparser over the full gazetteer (built on first use)."""
    key = str(getattr(settings, "cache_dir", ""))
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = Geoparser(load_gazetteer(settings))
        return _DEFAULT[key]


# -- the JSONL contract (DESIGN.md) ------------------------------------------------


def mention_to_json(mention: Mention) -> dict[str, object] | None:
    """One output toponym of the contract, or None for an unresolved mention."""
    place = mention.place
    if place is None:
        return None
    return {
        "start": mention.start, "end": mention.end, "name": mention.surface,
        "lat": place.lat, "lon": place.lon, "place": place.name, "geonameid": place.geonameid,
        "feature": place.feature, "country_code": place.country_code, "score": mention.score,
    }


def _process_line(line: str, geoparser: Geoparser) -> dict[str, object]:
    try:
        doc = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(doc, dict):
        return {"id": None, "error": "a line must be a JSON object"}
    doc_id = doc.get("id")
    doc_id = doc_id if isinstance(doc_id, str) or doc_id is None else str(doc_id)
    if doc_id is None:
        return {"id": None, "error": "missing 'id'"}
    text = doc.get("text")
    if not isinstance(text, str):
        return {"id": doc_id, "error": "missing 'text'" if text is None else "'text' must be a string"}
    hints = [h for h in (doc.get("title"), doc.get("dateline")) if isinstance(h, str)]
    given = doc.get("toponyms")
    if given is not None:
        spans = _spans(given, len(text))
        if isinstance(spans, str):
            return {"id": doc_id, "error": spans}
        mentions = geoparser.resolve_spans(text, spans, hints=hints)
    else:
        mentions = geoparser.geoparse(text, hints=hints)
    toponyms = [t for t in (mention_to_json(m) for m in mentions) if t is not None]
    return {"id": doc_id, "toponyms": toponyms}


def _spans(given: object, length: int) -> list[tuple[int, int]] | str:
    if not isinstance(given, list):
        return "'toponyms' must be a list"
    out: list[tuple[int, int]] = []
    for item in given:
        if not isinstance(item, dict):
            return "each toponym must be an object with 'start' and 'end'"
        start, end = item.get("start"), item.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            return "toponym 'start' and 'end' must be integers"
        if not 0 <= start < end <= length:
            return f"toponym span {start}:{end} is outside the text"
        out.append((start, end))
    return out


def run_jsonl(lines: Iterable[str], out: TextIO, geoparser: Geoparser) -> tuple[int, int]:
    """Geoparse JSONL documents, one output line per input line, in order.

    Parameters
    ----------
    lines : Iterable[str]
        Input lines ``{"id": str, "text": str[, "toponyms": [{"start", "end"}]]}``;
        with ``toponyms`` only those spans are resolved.
    out : TextIO
        Where ``{"id", "toponyms": [...]}`` or ``{"id", "error"}`` lines go.
    geoparser : Geoparser
        The geoparser to use.

    Returns
    -------
    tuple[int, int]
        Lines processed without and with an error.
    """
    ok = errors = 0
    for line in lines:
        line = line.rstrip("\r\n")
        if not line.strip():
            result: dict[str, object] = {"id": None, "error": "empty line"}
        else:
            result = _process_line(line, geoparser)
        if "error" in result:
            errors += 1
        else:
            ok += 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return ok, errors
