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
  the unit just after it ("Austin, Indiana", "Austin, in Scott County" -> the
  Austin in that unit), a governor or legislature after it ("New York Gov." ->
  the state), a premier or a minister ("Quebec Health Minister" -> the province),
* the kind and the country of the places the names listed with it resolved to,
  over the whole list ("Georgia, Oklahoma, Pennsylvania and California" -> US
  states),
* for a village named like a world city, a state, a sea or a region (a
  hundredth its size), only a quarter of the country bonus unless the story
  names its state ("London", "Pacific", "Oklahoma"),
* "the X" when the gazetteer knows the name with its article ("the Gulf").

The second pass runs twice, each round from the previous round's choices (and a
name's own choice never vouches for itself), so that names settle together.
One name is resolved once per text (one sense per discourse). A name is left
unresolved (``place=None``, not written by the JSONL contract) rather than
guessed when it only matched by its consonant outline and nothing in the story
vouches for that place (the same for a match by merged vowels only), or when
the best candidate is a town (under 500,000 people) in a country the story never
names, far from all its other places ("Hassan" in a Syrian story is a person, not
the Indian city), or a town under 50,000 in such a country 1,000 km from every
place the story locates ("Heathrow" in a London story is not the Florida
village), or a province named by compass or generic words in such a country
("Western" in a Kenya story), or a town where the text says "X province" and no
province of that name is known. A vowel-spelling match needs a place of the
story within 400 km once the story has located towns ("Oahu" in a Honolulu
story is not Ohio), a consonant-outline match one within 150 km ("Kogelo" is not
Keighley). A given span no name matches may be placed by the longest run of
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
from conflictmap.gazetteer import MATCH_FOLD, MATCH_NORM, MATCH_VOWEL, Gazetteer, load_gazetteer
from conflictmap.model import Mention, Place, haversine_km
from conflictmap.names import COMPASS_WORDS, norm_key, word_runs
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
#: "Queensland Premier", "Quebec Health Minister", "Punjab Chief Minister": a
#: premier or a minister named after a place that is both a town and a state is
#: the state's (a country's ministers are named with its adjective: "Russian
#: Foreign Minister"); only towns lose by it, countries do not.
_PREMIER_AFTER = re.compile(r"^\s+(?:Premier|(?:[A-Z][a-z]+\s+){1,2}Minister)(?!\w)")
#: "Austin, Indiana", "Austin, in Scott County, Indiana": what follows a town
#: after a comma is the unit that holds it.
_UNIT_GAP = frozenset({", ", ", in "})
#: Words that name provinces in many countries ("Western", "North Eastern", "Coast").
_GENERIC_WORDS = COMPASS_WORDS | frozenset({
    "coast", "coastal", "lakes", "lake", "highlands", "islands", "island", "plateau", "valley", "river",
    "rift", "delta", "mountains", "capital", "province", "region", "district"})
#: Bonus for a town inside the unit named just after it ("Austin, Indiana").
_IN_UNIT = 0.6
#: Bonus for a place in the country most of the names listed with it are in.
_SIBLING_COUNTRY = 0.2
#: A town this small, in a country the story never names and this far (km)
#: from every place the story locates, is another place of the same name
#: ("Heathrow" in a London story is not the Florida village).
_TINY_TOWN, _TINY_FAR = 50_000, 1000
#: "the province of Deir Ezzor", "Syria's eastern province of Deir Ezzor".
_ADMIN_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(ADMIN_WORDS)) + r")s?\s+of\s+$", re.IGNORECASE)


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
    unit: "_Name | None" = None  # the name just after it as "<this>, Unit" ("Austin, Indiana")
    gov_cue: bool = False  # a state's office follows ("Quebec Health Minister")


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
                cands = (self._after_the(text, start, lookup_surface)
                         or gaz.lookup(lookup_surface)[:_MAX_CANDIDATES] or self._inner_candidates(lookup_surface)
                         or self._with_the(lookup_surface))
                part = not cands
                if part:
                    cands = self._part_candidates(lookup_surface)
                item = names[f"{key}|{cue}"] = _Name(key, lookup_surface, [], cands, admin_cue=cue, part=part)
                item.gov_cue = bool(_PREMIER_AFTER.match(text[end:end + 40]))
                # A demonym given as a span ("the French") stands for its country,
                # unless it is also the main name of a big place (an alternate
                # name does not count: Petropavl is also "Kazakh").
                if not any(q >= MATCH_NORM and _big(gaz.places[i]) and norm_key(gaz.places[i].name) == key
                           for i, q in cands[:5]):
                    item.fixed = gaz.demonym_place(lookup_surface)
            item.spans.append((start, end))

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
        hint_anchors = list(anchors)
        # Pass 2 is run twice, each time from the previous choices: two names
        # that pulled each other to the wrong country in one round ("Edmonton"
        # to Canada, then "London" to Ontario) settle on the places near each
        # other in the next (Edmonton and London, England).
        for _ in range(2):
            if not self._second_pass(names, countries, hint_anchors):
                break  # nothing changed: settled

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

    def _second_pass(self, names: dict[str, _Name], countries: Counter[str], hint_anchors: Sequence[Place]) -> bool:
        """Choose again with the countries and positions of the other names' choices as context.

        Names are chosen in text order, each from the latest choices of the
        others (not all from the previous round's): two names that pulled each
        other to the wrong country ("Edmonton" to Canada, then "London" to
        Ontario) would otherwise swap back and forth. The context is kept as
        running totals, so a round stays linear in the number of names.
        Returns whether any choice changed.
        """
        changed = False
        gaz = self.gazetteer
        agg = Counter(countries)  # countries, plus the others' current choices
        anchor_of: dict[int, Place] = {}  # id(name) -> its place, in text order
        vote: dict[int, tuple[str, float]] = {}

        def add(item: _Name) -> None:
            place = gaz.places[item.choice] if item.choice is not None else None
            if place is None or item.score <= 0.5:
                return
            if place.feature != "country" and place.country_code:
                vote[id(item)] = (place.country_code, 0.5 * len(item.spans))
                agg[place.country_code] += 0.5 * len(item.spans)
            if place.feature in ("city", "admin2", "admin1", "region", "natural"):
                anchor_of[id(item)] = place

        def remove(item: _Name) -> None:
            cc_w = vote.pop(id(item), None)
            if cc_w is not None:
                agg[cc_w[0]] -= cc_w[1]
            anchor_of.pop(id(item), None)

        for item in names.values():
            add(item)
        for item in names.values():
            mine = gaz.places[item.choice] if item.choice is not None else None
            others = [a for a in hint_anchors if mine is None or a != mine]
            for key, place in anchor_of.items():
                if len(others) >= 40:
                    break
                if key != id(item) and (mine is None or place != mine):
                    others.append(place)
            # States and provinces named in the text ("Iowa") vouch for their
            # towns; a name's own current choice does not vouch for itself.
            admins: dict[tuple[str, str], float] = {}
            for p in others:
                if p.admin1 and p.feature in ("admin1", "city"):
                    weight = _STATE_ADMIN if p.feature == "admin1" else _CITY_ADMIN
                    key2 = (p.country_code, p.admin1)
                    admins[key2] = max(weight, admins.get(key2, 0.0))
            own = Counter(agg)
            if id(item) in vote:  # no vote for itself, again
                cc, w = vote[id(item)]
                own[cc] -= w

            def current(other: _Name | None, item: _Name = item) -> Place | None:
                if other is None or other is item or other.choice is None:
                    return None
                return gaz.places[other.choice]

            town = current(item.after)
            # "Oklahoma, Pennsylvania, Wisconsin" is a list, not a town and its state.
            in_list = len(item.siblings) >= 2 or any(o is not item.unit for o in item.siblings)
            unit = None if in_list else current(item.unit)
            listed = [current(o) for o in item.siblings if o.score > 0.5]
            kinds = Counter(p.feature for p in listed if p is not None)
            ccs = Counter(p.country_code for p in listed if p is not None and p.country_code)
            before = item.choice
            remove(item)
            self._choose(item, own, others, admins, town, kinds.most_common(1)[0][0] if kinds else None,
                         unit, ccs.most_common(1)[0][0] if ccs else None, named=countries)
            add(item)
            changed = changed or item.choice != before
        return changed

    def _after_the(self, text: str, start: int, surface: str) -> list[tuple[int, float]]:
        """Candidates for a name written after "the" that the gazetteer knows with
        it ("the Gulf" is the Persian Gulf, "the Strip" the Gaza Strip), ahead of
        the bare name's ("Gulf" is also a Papua New Guinea province)."""
        if text[max(0, start - 4):start].lower() != "the ":
            return []
        found = [(i, q) for i, q in self.gazetteer.lookup("the " + surface, loose=False) if q >= MATCH_NORM]
        if not found:
            return []
        seen = {i for i, _ in found}
        return (found + [(i, q) for i, q in self.gazetteer.lookup(surface) if i not in seen])[:_MAX_CANDIDATES]

    @staticmethod
    def _link_lists(text: str, names: dict[str, _Name]) -> None:
        """Note the names listed together (see ``recognise.list_links``)."""
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
            if any(q >= MATCH_NORM and self.gazetteer.places[i].feature == "country"
                   for i, q in self.gazetteer.lookup(part, loose=False)[:5]):
                # "Bank of Mexico" names the country, not Mexico City (one of
                # whose names is "Mexico"), and a country is not placed from
                # inside a longer name (see above).
                return []
            # A dictionary word ("Airport", "Hill", "Manila") only as a big place.
            word = all(w.lower().strip(".,'\u2019") in self.gazetteer.dictionary_words for w in part.split())
            found = [(i, q * 0.9) for i, q in self.gazetteer.lookup(part, loose=False)[:_MAX_CANDIDATES]
                     if q >= MATCH_NORM and self.gazetteer.places[i].feature in kinds
                     and not (word and (not _big(self.gazetteer.places[i])
                                        or self.gazetteer.places[i].feature == "admin2"))]
            if found:
                return found
        return []

    def _implausible(self, place: Place, countries: Counter[str], anchors: Sequence[Place], surface: str,
                     context: float | None = None) -> bool:
        """A town (under 500,000 people) in a country the story never mentions, over
        500 km from all its places: better unresolved than wrong ("Al-Shafa" in a
        Deir Ezzor story is not the Saudi town, and the Syrian village is not in
        the gazetteer).
        """
        # How much country context the story has (with the other names' choices).
        weight = context if context is not None else sum(v for v in countries.values() if v > 0)
        if place.feature == "admin1":
            # A state or province named by English words ("Western", "North
            # West"), of a country the story never names, far from all its
            # places: "Western" in a Kenya story is not Rwanda's province.
            # ("Massachusetts" in a Peru story is Massachusetts.)
            words = norm_key(surface).split()
            return (bool(words) and all(w in _GENERIC_WORDS for w in words)
                    and countries.get(place.country_code, 0.0) <= 0
                    and bool(anchors) and _far_from_all(place, anchors, 500))
        if place.feature not in ("city", "admin2") or place.population >= _IMPLAUSIBLE_POP:
            return False
        if countries.get(place.country_code, 0.0) > 0:
            return False
        if place.population < _TINY_TOWN and anchors and _far_from_all(place, anchors, _TINY_FAR):
            return True
        if weight < 2:
            return False
        return bool(anchors) and _far_from_all(place, anchors, 500)

    def _choose(self, item: _Name, countries: Counter[str], anchors: Sequence[Place],
                admins: dict[tuple[str, str], float] | None = None, town: Place | None = None,
                sibling_kind: str | None = None, unit: Place | None = None,
                sibling_country: str | None = None, named: Counter[str] | None = None) -> None:
        """Rank ``item``'s candidates and set its choice and score.

        ``countries`` weighs the story's countries, with the other names'
        choices; ``named`` only those the text names itself (countries,
        demonyms, hints): the checks that leave a dubious place unresolved
        (``_implausible``, a town said to be a province) ask whether its
        country is named in these alone, so that two dubious choices cannot
        vouch for each other ("Eastern" and "Nyanza province" in a Kenya story
        are not Rwanda's; "Dora" and "Paul" in an Iowa story are people); a
        place near the story's other places still stands.
        """
        admins = admins or {}
        named = countries if named is None else named
        if unit is not None and unit.feature not in ("country", "admin1", "admin2"):
            unit = None
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
        # A sea or a region counts as a world city here: "Pacific" in a US story
        # is the ocean, not the Missouri town.
        # So does a state: "Oklahoma" in a list of states is not the Pennsylvania village.
        top_town = max((_size(self.gazetteer.places[i]) for i, q in item.candidates
                        if q >= MATCH_NORM
                        and self.gazetteer.places[i].feature in ("city", "region", "natural", "country", "admin1")),
                       default=0)
        scored: list[tuple[float, int]] = []
        anchor_points = _points(anchors[:40])
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
                if sibling_country is not None and place.country_code == sibling_country:
                    # Listed names are of one kind and mostly of one country
                    # ("Georgia, Oklahoma, Pennsylvania").
                    s += _SIBLING_COUNTRY
            if unit is not None and place.feature in ("city", "admin2") and _holds(unit, place):
                s += _IN_UNIT
            if item.gov_cue:
                s += 0.4 if place.feature == "admin1" else (-0.2 if place.feature in ("city", "admin2") else 0.0)
            if item.admin_cue:
                s += 0.5 if place.feature in ("admin1", "admin2", "region") else -0.2
            if anchor_points and place.feature not in ("country",):
                near = _nearest_km(place.lat, place.lon, anchor_points)
                s += _NEAR * math.exp(-near / 250.0)
            scored.append((s, idx))
        scored.sort(reverse=True)
        best_s, best_idx = scored[0]
        quality = dict(item.candidates)[best_idx]
        if quality < MATCH_FOLD:
            # A consonant-outline match alone is weak: keep it only when the
            # article's countries or places vouch for it.
            place = self.gazetteer.places[best_idx]
            # A place of the story within 400 km vouches for it, within 150 km
            # for a match by consonant outline alone: "Kogelo" in a Kenya story
            # is neither Kigali, 400 km away in Rwanda, nor Keighley in the
            # England the story also names.
            radius = 400 if quality >= MATCH_VOWEL else 150
            near = any(haversine_km(place.lat, place.lon, a.lat, a.lon) < radius for a in anchors[:40])
            # The country alone vouches only while the story has no located
            # places: "Oahu" in a Honolulu story is not Ohio, nor "Capitol" in an
            # Oklahoma City story Capitola, although both stories name the US.
            located = any(a.feature in ("city", "admin2") for a in anchors[:40])
            in_named = countries.get(place.country_code, 0.0) > 0
            if not near and (located or not in_named):
                item.choice, item.score = None, 0.0
                return
        place = self.gazetteer.places[best_idx]
        if item.admin_cue and place.feature == "city" and named.get(place.country_code, 0.0) <= 0:
            # "Nyanza province" in a Kenya story: no province of that name is
            # known, and a town of it in a country the story never names is not it.
            item.choice, item.score = None, 0.0
            return
        if self._implausible(place, named, anchors, item.surface, sum(v for v in countries.values() if v > 0)) or (
                item.part and not self._vouched_part(place, countries, anchors)):
            item.choice, item.score = None, 0.0
            return
        # Confidence: a softmax over candidate scores, damped by the name match.
        z = sum(math.exp((s - best_s) / 0.15) for s, _ in scored)
        item.choice, item.score = best_idx, max(0.0, min(1.0, quality / z))


def _points(places: Sequence[Place]) -> list[tuple[float, float, float]]:
    """(lat, lon, cos lat) in radians of ``places``, for ``_nearest_km``."""
    out = []
    for p in places:
        lat = math.radians(p.lat)
        out.append((lat, math.radians(p.lon), math.cos(lat)))
    return out


def _nearest_km(lat: float, lon: float, points: Sequence[tuple[float, float, float]]) -> float:
    """Great-circle distance (km) from (lat, lon) in degrees to the nearest of ``points``
    (see ``_points``); the haversine formula with the point's terms computed once."""
    la, lo = math.radians(lat), math.radians(lon)
    cl = math.cos(la)
    best = 4.0
    for plat, plon, pcos in points:
        h = math.sin((plat - la) / 2) ** 2 + cl * pcos * math.sin((plon - lo) / 2) ** 2
        if h < best:  # noqa: PLR1730 (a builtin call per point is slower)
            best = h
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(best)))


def _size(place: Place) -> int:
    """Population, with seas and regions (which have none) counted as 2 million."""
    return max(place.population, 2_000_000) if place.feature in ("region", "natural") else place.population


def _holds(unit: Place, place: Place) -> bool:
    """Whether ``unit`` (a country, state or county) holds ``place``; a county by
    its state and distance (100 km), as places carry no county code."""
    if unit.country_code != place.country_code:
        return False
    if unit.feature == "country":
        return True
    if unit.admin1 != place.admin1:
        return False
    return unit.feature == "admin1" or haversine_km(unit.lat, unit.lon, place.lat, place.lon) < 100


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
