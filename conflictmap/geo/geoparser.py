"""Geoparsing: find place names in a text and resolve each to a gazetteer place.

``Geoparser`` takes its services as arguments (a ``Gazetteer`` and a
``Recogniser``) so tests hand it a small fixture slice; ``default_geoparser``
is the shared instance over the full gazetteer. This module owns the passes:
one name is resolved once per text (one sense per discourse), first with the
story's countries as context, then twice more with the other names' choices.
The cues read around a name are in ``cues``, the rules a pass applies to one
name (weights, the score, the vetoes) in ``scoring``, the gazetteer look-ups
that give a name its candidates in ``candidates``, and the JSONL contract in
``contract``. A name is left unresolved (``place=None``) rather than guessed
when nothing in the story vouches for it; a place found inside an
organisation's name ("Air Zimbabwe") is flagged ``metonymic``. Names inside an
actor's name ("al-Shabaab", "Hayat Tahrir al-Sham"; ``recognise.actors``) are
no places, and an actor's country counts as weak context ("regime forces" ->
Syria). A name no key matches gets the places of the story's countries spelled
nearly like it (``candidates.fuzzy_candidates``), kept only when the story
vouches for them; from the second pass on, a town outside every country of
the story needs cause (``scoring.abroad``). The resolution rules and how they
were measured: docs/GEOPARSER.md.
"""
from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from conflictmap.config import Settings
from conflictmap.geo.candidates import fuzzy_candidates, hint_anchors, name_candidates
from conflictmap.geo.cues import (
    Name,
    admin_cue,
    link_lists,
    link_neighbours,
    metonymic_after,
    office_cue,
    settlement_cue,
)
from conflictmap.geo.facilities import facility_cue
from conflictmap.geo.gazetteer import MATCH_FOLD, MATCH_NORM, Gazetteer
from conflictmap.geo.loader import load_gazetteer
from conflictmap.geo.names import norm_key
from conflictmap.geo.recognise.actors import actor_homes, actor_names, actor_spans
from conflictmap.geo.recognise.base import DEMONYM, IN_NAME, PLACE, Recogniser, Span
from conflictmap.geo.recognise.frames import Frame, locative_frames
from conflictmap.geo.recognise.gazetteer import GazetteerRecogniser
from conflictmap.geo.scoring import SETTLED, Context, abroad, big, score_candidates, state_admins, tied, unresolved
from conflictmap.model import Mention, Place, haversine_km

#: Texts longer than this are cut (characters); offsets stay valid.
MAX_TEXT_CHARS = 5_000_000


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
        found = self.recogniser.find(text)
        frames = locative_frames(text, self.gazetteer.dictionary_words)
        spans = _without_actors(text, self._with_frames(text, found, frames))
        places = [(s.start, s.end) for s in spans if s.kind != DEMONYM]
        demonyms = [text[s.start:s.end] for s in spans if s.kind == DEMONYM]
        framed = frozenset((f.start, f.end) for f in frames)
        mentions = self._resolve(text, places, demonyms, hints, recognised=True, framed=framed)
        if frames:
            mentions = self._inside_units(mentions, frames)
        # A place inside an organisation's name ("Air Zimbabwe") is kept as a
        # mention but flagged like metonymy: it locates nothing the story reports.
        in_name = {(s.start, s.end) for s in spans if s.kind == IN_NAME}
        if in_name:
            mentions = [replace(m, metonymic=True) if (m.start, m.end) in in_name else m for m in mentions]
        return mentions

    def _with_frames(self, text: str, spans: Sequence[Span], frames: Sequence[Frame]) -> list[Span]:
        """``spans`` and the names in locative frames the recogniser did not find (``recognise.frames``).

        A frame's name that overlaps a recognised span is left to that span,
        unless it covers it and the gazetteer knows the whole name ("Kafr Dael"
        where only "Kafr" was taken) or a settlement word makes the whole one
        name ("Ferdj M'Zala village" is no Zala in Hungary).
        """
        out = list(spans)
        known = {(s.start, s.end) for s in spans if s.kind == PLACE}
        for frame in frames:
            if frame.needs_unit and not any(u in known and self._units_named(text[u[0]:u[1]])
                                            and not text.startswith(" of ", u[1]) for u in frame.units):
                continue  # "X, Y" is a frame when Y is a unit, not a list or "Mary Magdalene, Mary of Bethany"
            if self.gazetteer.demonym_place(text[frame.start:frame.end]) is not None:
                continue  # "the northern Kurdish village of Ranya": context, never a village
            inside = [s for s in out if s.start < frame.end and frame.start < s.end]
            if inside:
                covers = all(frame.start <= s.start and s.end <= frame.end for s in inside)
                if not (covers and any((s.start, s.end) != (frame.start, frame.end) for s in inside)
                        and (frame.settlement
                             or self.gazetteer.lookup(text[frame.start:frame.end], loose=False))):
                    continue
                out = [s for s in out if s not in inside]
            out.append(Span(frame.start, frame.end, PLACE))
        out.sort(key=lambda s: (s.start, s.end))
        return out

    def _units_named(self, name: str) -> list[Place]:
        """The first- and second-level admin units called ``name`` (a close spelling)."""
        places = self.gazetteer.places
        return [places[i] for i, q in self.gazetteer.lookup(name, loose=False)
                if q >= MATCH_FOLD and places[i].feature in ("admin1", "admin2")]

    def _inside_units(self, mentions: list[Mention], frames: Sequence[Frame]) -> list[Mention]:
        """Place the framed names nothing resolved (or resolved outside it) at the unit the frame names.

        "Kansafra, Idlib" with no Kansafra near: the event is in Idlib province,
        at its centroid (``resolved_by="unit"``, so its precision says so), not
        at a namesake elsewhere. A place chosen for the name outside the named
        unit's country, or far outside its province, gives way to the unit too.
        """
        by_span = {(m.start, m.end): m for m in mentions}
        frame_at = {(f.start, f.end): f for f in frames}
        out: list[Mention] = []
        for m in mentions:
            frame = frame_at.get((m.start, m.end))
            found = self._frame_unit(frame, by_span) if frame is not None else None
            # A place already chosen gives way only to a frame that says the name lies in the unit
            # ("the Kyivskyi district of Kharkiv"), and only when it is a town outside it; "Toronto,
            # Ontario" and the units of a list stay as they are.
            if found is not None and (m.place is None or (
                    not frame.needs_unit and m.place.feature == "city" and not _within(m.place, found[0]))):
                inside = self._inside(m.surface, found[0])
                if inside is not None:
                    m = replace(m, place=inside[0], score=round(inside[1] * found[1], 3))
                else:
                    m = replace(m, place=found[0], score=round(0.5 * found[1], 3), resolved_by="unit")
            out.append(m)
        return out

    def _inside(self, surface: str, unit: Place) -> tuple[Place, float] | None:
        """The best place spelled like ``surface`` inside ``unit`` (by lookup, then fuzzily), with its
        match quality; None when none lies in it, or when two equally good ones lie far apart."""
        gaz = self.gazetteer
        name = _without_possessive(surface)
        found = dict(gaz.lookup(name))
        for idx, q in fuzzy_candidates(gaz, name, [unit.country_code]):
            found[idx] = max(found.get(idx, 0.0), q)
        inside = sorted(((q, gaz.places[i]) for i, q in found.items()
                         if gaz.places[i].feature == "city" and _within(gaz.places[i], unit)),
                        key=lambda qp: (-qp[0], -qp[1].population))
        if not inside:
            return None
        best_q, best = inside[0]
        if any(q >= best_q - 0.05 and _km(p, best) > 25.0 for q, p in inside[1:]):
            return None  # two villages of the spelling in the unit: either would be a guess
        return best, best_q

    def _frame_unit(self, frame: Frame, by_span: dict[tuple[int, int], Mention]) -> tuple[Place, float] | None:
        """The admin unit a frame names, as the story resolved it, with the unit's score."""
        for span in frame.units:
            unit = by_span.get(span)
            if (unit is None or unit.place is None or unit.metonymic or unit.resolved_by == "unit"
                    or unit.score < _UNIT_SCORE):
                continue
            place = unit.place
            if place.feature in ("admin1", "admin2"):
                return place, unit.score
            # "Kafr Nabl, Idlib": the province of the name, in the town's country, if there is one;
            # a town is no unit ("Hass, Kansafra" is a list).
            admins = [a for a in self._units_named(unit.surface) if a.country_code == place.country_code]
            if admins:
                return min(admins, key=lambda a: (a.feature != "admin1", _km(a, place))), unit.score
        return None

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]], *, hints: Sequence[str] = ()) -> list[Mention]:
        """Resolve given spans only (no recognition); the context still comes from the text.

        Parameters
        ----------
        text : str
            The article body; the spans point into it.
        spans : Sequence[tuple[int, int]]
            ``(start, end)`` of the names to resolve. Spans outside the text or
            empty are skipped.
        hints : Sequence[str]
            Extra context that is not part of ``text`` (dateline, title).

        Returns
        -------
        list[Mention]
            In text order; a span no candidate fits has ``place=None``.
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
                 hints: Sequence[str], context_names: Sequence[str] = (), *,
                 recognised: bool = False, framed: frozenset[tuple[int, int]] = frozenset()) -> list[Mention]:
        """Resolve ``spans``; ``recognised`` spans (not given by a caller) may be dropped as strays,
        ``framed`` ones stand in a locative frame (``recognise.frames``)."""
        names = self._collect_names(text, spans)
        link_neighbours(text, names)
        link_lists(text, names)
        countries, anchors = self._story_countries(names, demonyms, hints, context_names)
        self._actor_countries(text, countries)

        # Pass 1: context = countries; pass 2 adds the countries and positions of pass-1 choices.
        for item in names.values():
            self._choose(item, Context(countries, anchors, named=countries))
        self._fuzzy_pass(names, countries, anchors, framed)
        hint_towns = list(anchors)
        # Pass 2 is run twice, each time from the previous choices: two names
        # that pulled each other to the wrong country in one round ("Edmonton"
        # to Canada, then "London" to Ontario) settle on the places near each
        # other in the next (Edmonton and London, England).
        for _ in range(2):
            if not self._second_pass(names, countries, hint_towns):
                break  # nothing changed: settled
        if recognised:
            names = self._without_strays(names, countries)
        return self._mentions(text, names)

    def _without_strays(self, names: dict[str, Name], countries: Counter[str]) -> dict[str, Name]:
        """``names`` without the village-only names the story gives no cause to read as places.

        A name that only villages of unknown size carry (village gazetteers
        hold "Asian", "Mary", "Putin" as spellings of some hamlet) is taken as a
        place when a settlement word goes with it ("the village of X", "X
        town"), or when its chosen village lies in a country the story names or
        locates with a better-known place. Otherwise it is no mention at all:
        its words are an adjective or a person's name more often than a village.
        """
        places = self.gazetteer.places
        story = {cc for cc, w in countries.items() if w > 0}
        for item in names.values():
            if item.choice is not None and item.score > 0.5 and not _unknown_village(places[item.choice]):
                story.add(places[item.choice].country_code)
        kept: dict[str, Name] = {}
        for key, item in names.items():
            if (item.candidates and not item.settlement
                    and all(_unknown_village(places[i]) for i, _ in item.candidates)):
                chosen = places[item.choice] if item.choice is not None else None
                if item.fixed is not None or chosen is None or chosen.country_code not in story:
                    continue
            kept[key] = item
        return kept

    def _collect_names(self, text: str, spans: Sequence[tuple[int, int]]) -> dict[str, Name]:
        """Group the spans by name (and by admin cue), with each name's candidates."""
        gaz = self.gazetteer
        names: dict[str, Name] = {}
        for start, end in spans:
            surface = text[start:end]
            lookup_surface = _without_possessive(surface)
            key = norm_key(lookup_surface)
            # "Deir Ezzor province" and "Deir Ezzor" are two senses of one name.
            cue = admin_cue(text, start, end)
            # "Aleppo airport" and "Aleppo" are two places as well.
            airport = facility_cue(text, end)
            item = names.get(f"{key}|{cue}|{airport}")
            if item is None:
                cands, part = name_candidates(gaz, text, start, lookup_surface, airport)
                item = names[f"{key}|{cue}|{airport}"] = Name(key, lookup_surface, [], cands, admin_cue=cue, part=part)
                item.gov_cue = office_cue(text, end)
                item.homonym_countries = len({gaz.places[i].country_code for i, q in cands if q >= MATCH_FOLD})
                # A demonym given as a span ("the French") stands for its country,
                # unless it is also the main name of a big place (an alternate
                # name does not count: Petropavl is also "Kazakh").
                if not any(q >= MATCH_NORM and big(gaz.places[i]) and norm_key(gaz.places[i].name) == key
                           for i, q in cands[:5]):
                    item.fixed = gaz.demonym_place(lookup_surface)
            item.spans.append((start, end))
            item.settlement = item.settlement or settlement_cue(text, start, end)
        return names

    def _story_countries(self, names: dict[str, Name], demonyms: Sequence[str], hints: Sequence[str],
                         context_names: Sequence[str]) -> tuple[Counter[str], list[Place]]:
        """The story's countries, weighted, and the places its hints name.

        The hints weigh most (a dateline's country), then the country names of
        the text, then the context names and demonyms. Each name that is a
        country notes its own vote, so that it does not vouch for itself later.
        """
        gaz = self.gazetteer
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
        anchors.extend(hint_anchors(gaz, hint_places, countries))
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
        return countries, anchors

    def _actor_countries(self, text: str, countries: Counter[str]) -> None:
        """Count, once per actor, the country its name or aliases give ("regime forces" -> SY).

        Weak context, as a demonym: an actor's own words with a demonym
        ("Syrian Democratic Forces") are counted by the recogniser already.
        """
        # An actor that fights in one country settles the story there (``actor_homes``).
        for cc in actor_homes(text):
            countries[cc] = max(countries[cc], SETTLED)
        seen: set[str] = set()
        for names in actor_names(text):
            if names in seen:
                continue
            seen.add(names)
            for word in names.split():
                cc = self.gazetteer.demonym_country(word) if word[:1].isupper() else None
                if cc:
                    countries[cc] += 0.5
                    break

    def _fuzzy_pass(self, names: dict[str, Name], countries: Counter[str], anchors: Sequence[Place],
                    framed: frozenset[tuple[int, int]] = frozenset()) -> None:
        """Give the names no key matched the places of the story's countries spelled nearly like them.

        The story's countries are those it names and those of the confident
        first-pass choices; the candidates' low match quality leaves them to the
        story's places to vouch for (``scoring.unresolved``).
        """
        # Also the names in a locative frame that only loose keys met and nothing was chosen for
        # ("Dara Azza village": villages in Yemen and Algeria by its vowels, Dārat ʿIzzah by its
        # letters); outside a frame such a name is a person's more often ("Jay Sekulow").
        pending = [item for item in names.values() if item.fixed is None and (
            not item.candidates or (item.choice is None and all(q < MATCH_FOLD for _, q in item.candidates)
                                    and (item.settlement or any(sp in framed for sp in item.spans))))]
        if not pending:
            return
        found = Counter(countries)
        for item in names.values():
            if item.choice is not None and item.score > 0.5:
                found[self.gazetteer.places[item.choice].country_code] += 1.0
        story = [cc for cc, w in found.items() if w > 0 and cc]
        for item in pending:
            fuzzy = fuzzy_candidates(self.gazetteer, item.surface, story)
            if fuzzy:
                if not item.candidates:
                    item.part = False  # the whole name matched, loosely (``part`` was set for finding nothing)
                merged = dict(item.candidates)
                for idx, q in fuzzy:
                    merged[idx] = max(merged.get(idx, 0.0), q)
                item.candidates = sorted(merged.items(), key=lambda kv: -kv[1])
                item.homonym_countries = len({self.gazetteer.places[i].country_code for i, _ in item.candidates})
                self._choose(item, Context(countries, anchors, named=countries))

    def _mentions(self, text: str, names: dict[str, Name]) -> list[Mention]:
        """One mention per span of each name, with the name's place, in text order."""
        mentions: list[Mention] = []
        for item in names.values():
            place = self.gazetteer.places[item.choice] if item.choice is not None else None  # one Place per name
            if item.fixed is not None:
                place, item.score = item.fixed, 0.9
            for start, end in item.spans:
                metonymic = bool(place is not None and place.feature in ("country", "city")
                                 and metonymic_after(text, end))
                mentions.append(Mention(start=start, end=end, surface=text[start:end], place=place,
                                        score=round(item.score, 3), metonymic=metonymic))
        mentions.sort(key=lambda m: (m.start, m.end))
        return mentions

    def _second_pass(self, names: dict[str, Name], countries: Counter[str], hint_towns: Sequence[Place]) -> bool:
        """Choose again with the countries and positions of the other names' choices as context.

        Names are chosen in text order, each from the latest choices of the
        others (not all from the previous round's): two names that pulled each
        other to the wrong country ("Edmonton" to Canada, then "London" to
        Ontario) would otherwise swap back and forth. The context is kept as
        running totals, so a round stays linear in the number of names.
        Returns whether any choice changed.
        """
        changed = False
        choices = _Choices(self.gazetteer, countries)
        for item in names.values():
            choices.add(item)
        for item in names.values():
            ctx = choices.context(item, hint_towns)
            before = item.choice
            choices.remove(item)
            self._choose(item, ctx, check_abroad=True)
            choices.add(item)
            changed = changed or item.choice != before
        return changed

    def _choose(self, item: Name, ctx: Context, check_abroad: bool = False) -> None:
        """Rank ``item``'s candidates and set its choice and score.

        ``check_abroad`` drops the towns outside the story's countries that lack
        cause (``scoring.abroad``); the second pass asks for it, once the other
        names' first choices count among the story's countries: a Connecticut
        story that names only Mexico still locates its towns in the US.

        ``ctx.countries`` weighs the story's countries, with the other names'
        choices; ``ctx.named`` only those the text names itself (countries,
        demonyms, hints): the checks that leave a dubious place unresolved
        (``scoring.unresolved``) ask whether its country is named in these
        alone, so that two dubious choices cannot vouch for each other
        ("Eastern" and "Nyanza province" in a Kenya story are not Rwanda's;
        "Dora" and "Paul" in an Iowa story are people); a place near the
        story's other places still stands.
        """
        if not item.candidates:
            item.choice, item.score = None, 0.0
            return
        if item.own_country is not None:
            # A name is no evidence for itself ("Georgia" must not vote for Georgia).
            countries = Counter(ctx.countries)
            countries[item.own_country[0]] -= item.own_country[1]
            ctx = replace(ctx, countries=countries)
        scored = score_candidates(self.gazetteer, item, ctx)
        quality_of = dict(item.candidates)
        if check_abroad:
            # A town abroad without cause is no candidate: the next one, in a
            # country of the story, may be the place ("Karak" in Jordan, not
            # Pakistan, once the story names Jordan).
            scored = [(s, i) for s, i in scored
                      if not abroad(self.gazetteer.places[i], quality_of[i], item.homonym_countries, ctx)]
        if not scored:
            item.choice, item.score = None, 0.0
            return
        best_s, best_idx = scored[0]
        quality = quality_of[best_idx]
        if unresolved(item, self.gazetteer.places[best_idx], quality, ctx) or tied(
                self.gazetteer.places, scored, item.candidates, ctx.anchors):
            item.choice, item.score = None, 0.0
            return
        # Confidence: a softmax over candidate scores, damped by the name match.
        z = sum(math.exp((s - best_s) / 0.15) for s, _ in scored)
        item.choice, item.score = best_idx, max(0.0, min(1.0, quality / z))


class _Choices:
    """The names' current choices as running totals, for the second pass.

    ``countries`` is the story's own (see ``Geoparser._story_countries``); each
    name added with a confident choice adds its country's vote and, when it is
    no country, its place as an anchor.
    """

    def __init__(self, gazetteer: Gazetteer, countries: Counter[str]) -> None:
        self.gazetteer = gazetteer
        self.named = countries
        self.agg = Counter(countries)  # countries, plus the others' current choices
        self.anchor_of: dict[int, Place] = {}  # id(name) -> its place, in text order
        self.vote: dict[int, tuple[str, float]] = {}
        # The countries of every current choice, however unsure (for ``scoring.abroad``).
        self.chosen: Counter[str] = Counter()
        self.chosen_of: dict[int, str] = {}

    def add(self, item: Name) -> None:
        """Count ``item``'s current choice."""
        place = self.gazetteer.places[item.choice] if item.choice is not None else None
        if place is not None and place.country_code:
            self.chosen[place.country_code] += 1
            self.chosen_of[id(item)] = place.country_code
        if place is None or item.score <= 0.5:
            return
        if place.feature != "country" and place.country_code:
            self.vote[id(item)] = (place.country_code, 0.5 * len(item.spans))
            self.agg[place.country_code] += 0.5 * len(item.spans)
        if place.feature in ("facility", "city", "admin2", "admin1", "region", "natural"):
            self.anchor_of[id(item)] = place

    def remove(self, item: Name) -> None:
        """Stop counting ``item``'s choice."""
        cc_w = self.vote.pop(id(item), None)
        if cc_w is not None:
            self.agg[cc_w[0]] -= cc_w[1]
        cc = self.chosen_of.pop(id(item), None)
        if cc is not None:
            self.chosen[cc] -= 1
        self.anchor_of.pop(id(item), None)

    def context(self, item: Name, hint_towns: Sequence[Place]) -> Context:
        """The context of ``item`` from the others' choices (its own never vouches for itself)."""
        gaz = self.gazetteer
        mine = gaz.places[item.choice] if item.choice is not None else None
        others = [a for a in hint_towns if mine is None or a != mine]
        for key, place in self.anchor_of.items():
            if len(others) >= 40:
                break
            if key != id(item) and (mine is None or place != mine):
                others.append(place)
        own = Counter(self.agg)
        if id(item) in self.vote:  # no vote for itself, again
            cc, w = self.vote[id(item)]
            own[cc] -= w

        def current(other: Name | None) -> Place | None:
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
        return Context(
            own, others, named=self.named,
            # States and provinces named in the text ("Iowa") vouch for their towns.
            admins=state_admins(others),
            town=town if town is not None and town.feature == "city" else None,
            unit=unit if unit is not None and unit.feature in ("country", "admin1", "admin2") else None,
            sibling_kind=kinds.most_common(1)[0][0] if kinds else None,
            sibling_country=ccs.most_common(1)[0][0] if ccs else None,
            chosen=frozenset(cc for cc, n in self.chosen.items()
                             if n - (cc == self.chosen_of.get(id(item))) > 0),
        )


def _without_actors(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` without the place names inside an actor's name ("al-Shabaab", "Hayat
    Tahrir al-Sham"); demonyms stay (they are context: "Syrian Democratic Forces")."""
    actors = actor_spans(text)
    if not actors:
        return list(spans)
    return [s for s in spans if s.kind == DEMONYM
            or not any(a < s.end and s.start < b for a, b in actors)]


#: The score a unit's own mention needs before a framed name is placed at it.
_UNIT_SCORE = 0.5
#: How far (km) a place chosen for a framed name may lie from the centre of the unit the frame names.
_UNIT_KM = {"admin1": 200.0, "admin2": 80.0, "city": 40.0}


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _within(place: Place, unit: Place) -> bool:
    """Whether ``place`` may lie in ``unit``: the same country, the same province where both
    give one (the village layer files its places under the GeoNames codes), and no
    farther from the unit's centre than such a unit reaches."""
    if place.place_id == unit.place_id:
        return True
    if place.country_code != unit.country_code:
        return False
    if unit.admin1 and place.admin1:
        return unit.admin1 == place.admin1 if unit.feature == "admin1" else (
            unit.admin1 == place.admin1 and _km(place, unit) <= _UNIT_KM["admin2"])
    return _km(place, unit) <= _UNIT_KM.get(unit.feature, 40.0)


def _without_possessive(surface: str) -> str:
    """``surface`` without a possessive "'s" ("Idlib's" -> "Idlib")."""
    return re.sub(r"['\u2019]s$", "", surface)


def _unknown_village(place: Place) -> bool:
    """A town of no known population (most Who's On First villages; none of the curated places)."""
    return place.feature == "city" and place.population <= 0 and not place.place_id.startswith("sup:")


def _usable(text: object) -> str:
    """``text`` itself when it is a string; anything else is a caller's error."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return text


_DEFAULT_LOCK = threading.Lock()
_DEFAULT: dict[str, Geoparser] = {}


def default_geoparser(settings: Settings | None = None) -> Geoparser:
    """Return the process-wide geoparser over the full gazetteer (built on first use).

    Parameters
    ----------
    settings : Settings, optional
        Where the gazetteer cache lives; one geoparser is kept per cache directory.

    Returns
    -------
    Geoparser
        Shared by every caller with the same settings.
    """
    key = str(getattr(settings, "cache_dir", ""))
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = Geoparser(load_gazetteer(settings))
        return _DEFAULT[key]
