"""The gazetteer recogniser: longest-match look-up of capitalised word runs in the gazetteer.

``GazetteerRecogniser.find(text)`` returns the spans of place names and demonyms
(see ``recognise.base``), in time linear in the text. A match is filtered before
it counts: common English words only name a place when it is prominent,
a match glued to other capitalised words is part of a person's or an
organisation's name unless well known ("Jamaica Cancer Society": kind
``IN_NAME``), and titles, weekdays, agencies, diseases and currencies named
after places are none. The word lists are in ``recognise.lexicon``, the
tokenisation in ``recognise.tokens``; the full list of rules, with the
examples that set them: docs/GEOPARSER.md.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from conflictmap.geo.facilities import FACILITY, facility_cue, facility_key
from conflictmap.geo.gazetteer import MATCH_FOLD, Gazetteer
from conflictmap.geo.names import STATE_ABBREVIATIONS, fold_key, norm_key, state_abbreviation, vowel_key
from conflictmap.geo.recognise.base import DEMONYM, IN_NAME, PLACE, Span
from conflictmap.geo.recognise.lexicon import (
    ABBREVS,
    ADMIN_WORDS,
    AFTER_PLACE,
    ARABIC_LINKS,
    ELISIONS,
    NAME_LINKS,
    NEVER,
    PARTICLES,
    TITLE_ABBREVS,
    TITLES,
    WEATHER_WORDS,
    WEEKDAYS,
)
from conflictmap.geo.recognise.tokens import (
    ABBREV_GAP,
    CAP_START,
    GAP,
    MAX_WORDS,
    Token,
    continues,
    is_cap,
    prev_token,
    sentence_initial,
    title_case_line,
    window,
)

#: "Springfield, Ill.": a state abbreviation right after a town and a comma.
_STATE_AFTER_TOWN = re.compile(
    r"(?<=[A-Za-z]), (" + "|".join(re.escape(a) for a in sorted(STATE_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)
_COMMA_NAME = re.compile(r", ([A-Z][\w.]*(?: [A-Z]\w*){0,2})")
#: Dotted acronyms: "U.S.", "D.C.", "U.K.".
_DOTTED = re.compile(r"(?<![A-Za-z.])(?:[A-Z]\.){2,3}")
#: "500 B.C.": a dotted abbreviation after a number is an era, not British Columbia.
_YEAR_BEFORE = re.compile(r"\d\s*\Z")
#: State abbreviations written without a period that are no English word (AP and
#: Australian style: "NSW", "Qld"); "ACT" and "Vic" are left out as too ambiguous.
_BARE_STATE = re.compile(r"(?<![\w.])(?:NSW|Qld)(?![\w])")
_CONTRACTION = re.compile(r"['\u2019](?:re|ll|ve|d|t|m)$", re.IGNORECASE)
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_DUTCH_LINK = re.compile(r" (?:van|von|van der|van den) [A-Z]")
#: "El Niño", "La Niña" are weather, not the towns GeoNames also calls Nina.
_WEATHER = re.compile(r"(?:El|La|EL|LA) $")
#: A place name before these is a disease, not a place ("Marburg virus").
_DISEASE_AFTER = re.compile(r" (?:virus|fever|disease|flu|strain|syndrome)\b")
_CURRENCY = re.compile(r"\$[A-Z]|[A-Z]\$")
#: Speech verbs around a lone name make it a person's ("said Rangel", "Mendez told").
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|added|asked)\s+\Z")
_SPEECH_AFTER = re.compile(r"\s+(?:said|says|told|added|asked|explained|wrote)\b")
#: Words before a name that make it a place, whatever verb follows.
_LOCATIVE = frozenset("at in from of near to into outside around across over inside".split())
#: ... where "said X" must end its clause: "said Idlib was shelled" names a place.
_CLAUSE_END = re.compile(r"\s*[,.;]")


class _Match(NamedTuple):
    """A gazetteer match: the words ``toks[i]`` to ``toks[j]`` of a window of ``text``."""

    text: str
    toks: list[Token]
    i: int
    j: int


class GazetteerRecogniser:
    """Dictionary recogniser over the gazetteer (see module docstring).

    Parameters
    ----------
    gazetteer : Gazetteer
        Where names are looked up.
    common : frozenset[str], optional
        Lower-case common words; defaults to the gazetteer's ``common_words``.
    """

    def __init__(self, gazetteer: Gazetteer, common: frozenset[str] | None = None) -> None:
        self.gazetteer = gazetteer
        self.common = common if common is not None else gazetteer.common_words

    def find(self, text: str) -> list[Span]:
        """Return place and demonym spans in ``text`` (see ``Recogniser``)."""
        surnames: set[str] = set()
        spans = list(self._iter(text, surnames))
        # One sense per discourse, backwards too: a one-word match that the text
        # shows elsewhere to be the last part of a person's name ("Holland
        # recalled ... reporter Chris Holland") is no place either, unless it is
        # a prominent place.
        return [s for s in spans
                if not (s.kind == PLACE and text[s.start:s.end] in surnames
                        and not self._prominent(text[s.start:s.end]))]

    def _iter(self, text: str, surnames: set[str]) -> Iterator[Span]:
        rejected_names: set[str] = set()
        glued_end = -1  # end of the last match rejected as part of a longer name
        abbreviations = self._abbreviation_spans(text)
        resume = 0
        # Only capitalised words can start a name: visit those, and tokenise a
        # small window around each (the text as a whole is never tokenised).
        for cap in CAP_START.finditer(text):
            pos = cap.start()
            if pos < resume or not text[pos].isupper():
                continue
            if pos in abbreviations:
                resume = abbreviations[pos]
                yield Span(pos, resume)
                continue
            toks, i = window(text, pos), 0
            match = self._longest(text, toks, i)
            if match is None:
                # A capitalised word that is no place is a name part: remember it.
                rejected_names.add(toks[i].text)
                continue
            j, kind = match
            found = _Match(text, toks, i, j)
            if kind == PLACE and not self._accept(found, rejected_names, glued_end):
                glued_end = self._reject(found, rejected_names, surnames, glued_end)
                continue
            start, end = toks[i].start, toks[j].end
            resume = end
            if kind == PLACE and self._inside_name(found):
                kind = IN_NAME
            yield Span(start, end, kind)

    def _abbreviation_spans(self, text: str) -> dict[int, int]:
        """Start -> end of the state and country abbreviations in ``text`` that are places."""
        spans = {m.start(): m.end() for m in _DOTTED.finditer(text)
                 if self.gazetteer.has_acronym(m.group().replace(".", ""))
                 or (state_abbreviation(m.group()) is not None
                     and not _YEAR_BEFORE.search(text[max(0, m.start() - 8):m.start()]))}
        # "NSW", "Qld": state abbreviations news copy writes without a period.
        for m in _BARE_STATE.finditer(text):
            spans[m.start()] = m.end()
        # "Springfield, Ill.": a state abbreviation right after a capitalised word and a comma.
        for m in _STATE_AFTER_TOWN.finditer(text):
            spans[m.start(1)] = m.end(1)
        return spans

    def _reject(self, found: _Match, rejected_names: set[str], surnames: set[str], glued_end: int) -> int:
        """Note what a rejected match says about the names around it; return the new ``glued_end``.

        The words after a rejected match get their own chance ("As Zimbabwe's"
        is no place, Zimbabwe is); a rejected name is remembered unless it only
        started with an article-like word.
        """
        text, toks, i, j = found
        start, end = toks[i].start, toks[j].end
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        # A place before English words names a facility or a body after it
        # ("Nenagh Municipal District", "Karak Castle"): that is no reason
        # to doubt the place later on, unlike a first name ("Hassan Ali").
        facility = (nxt is not None and is_cap(nxt.text)
                    and (self._english(nxt.text) or _ACRONYM.fullmatch(nxt.text) is not None)
                    and bool(GAP.fullmatch(text[toks[j].end:nxt.start])))
        if toks[i].text.lower() not in PARTICLES and not facility:
            for k in range(i, j + 1):
                rejected_names.add(toks[k].text)
            prev = prev_token(text, toks[i].start)
            if (i == j and prev is not None and is_cap(prev.text) and prev.end != glued_end
                    and GAP.fullmatch(text[prev.end:toks[i].start]) and not sentence_initial(text, prev.start)
                    and prev.text.lower() not in PARTICLES | NEVER and not self._is_known(prev.text)):
                # A word glued after a capitalised word that is no place
                # ("Chris Holland") is a surname.
                surnames.add(toks[i].text)
            words = [t.text for t in toks[i:j + 1]]
            if (not any(self._english(w) for w in words) and not self._prominent(text[start:end])
                    and self._part_of_longer_name(found, prev_token(text, toks[i].start))):
                # "Hassan Ali": the next word is in the same name, even when
                # the rejected one starts the sentence.
                glued_end = toks[j].end
        return glued_end

    def _longest(self, text: str, toks: list[Token], i: int) -> tuple[int, str] | None:
        """Index of the last token of the longest name starting at token ``i``."""
        gaz = self.gazetteer
        best: tuple[int, str] | None = None
        if toks[i].text.lower().removesuffix("s") in WEEKDAYS:
            return None  # "Thursday Island" in wire copy is "on Thursday, Island ..." or a headline
        j = i
        while j < len(toks) and j - i < MAX_WORDS:
            if j > i:
                gap = text[toks[j - 1].end:toks[j].start]
                if not (GAP.fullmatch(gap) or (j == i + 1 and toks[i].text in ABBREVS and ABBREV_GAP.fullmatch(gap))):
                    break
                if not continues(toks[j].text):
                    break
            last = toks[j].text
            if is_cap(last) or (last[:2].lower() in ELISIONS and last[2:3].isupper()):
                surface = text[toks[i].start:toks[j].end]
                if len(surface) <= 4 and surface.replace(" ", "").isupper():
                    # Short capitals are acronyms ("UK"), never words ("WAR", "IS"),
                    # or an airfield's name before airport words ("the T4 airbase").
                    if gaz.has_acronym(surface) or self._airport(text, toks[j].end, surface):
                        best = (j, PLACE)
                elif gaz.demonym_country(surface):
                    best = (j, DEMONYM)
                elif surface.lower() not in NEVER and not _CONTRACTION.search(surface):
                    nk = norm_key(surface)
                    # A vowel-key match ("Atareb" for "Al Atarib") is loose: the
                    # resolver keeps it only when the story vouches for the place.
                    if gaz.has_norm(nk) or gaz.has_fold(fold_key(surface)) or (
                            len(nk) >= 5 and gaz.has_vowel(vowel_key(surface))):
                        best = (j, PLACE)
                    elif self._airport(text, toks[j].end, surface):
                        best = (j, PLACE)
            j += 1
        return best

    def _accept(self, found: _Match, rejected: set[str], glued_end: int = -1) -> bool:
        """Filter a gazetteer match: common words, parts of longer names, persons."""
        text, toks, i, j = found
        words = [t.text for t in toks[i:j + 1]]
        surface = text[toks[i].start:toks[j].end]
        # "Marburg virus", "US$10,000": diseases and currencies named after places.
        if (_DISEASE_AFTER.match(text, toks[j].end)
                or _CURRENCY.search(text, max(0, toks[i].start - 1), toks[j].end + 1)):
            return False
        if len(surface) <= 4 and surface.replace(" ", "").isupper():
            return True  # a known acronym (see _longest)
        if self._airport(text, toks[j].end, surface):
            # "Shayrat air base", "Al Asad Air Base": the airport words vouch for
            # the name, which no filter below should doubt for being followed
            # by capitalised words or made of English ones.
            return True
        key = norm_key(surface).split()
        if key[-1] in WEATHER_WORDS and (
                (len(key) == 2 and key[0] in ("el", "la"))
                or _WEATHER.search(text, max(0, toks[i].start - 3), toks[i].start)):
            return False
        # "Sen. Marco Rubio", "Gov. Carey": an abbreviated title is no place.
        if len(words) == 1 and words[0].lower() in TITLE_ABBREVS - {"st"} and text[toks[j].end:toks[j].end + 1] == ".":
            return False
        content = [w for w in words if w.lower() not in PARTICLES]
        if not content:
            return False  # "As", "At", "And" sentence-initial
        prev = prev_token(text, toks[i].start)
        if prev is not None and prev.text.lower() in TITLES and text[prev.end:toks[i].start] in (" ", ". "):
            return False
        speaker = len(content) == 1 and self._speaker(text, prev, toks[i].start, toks[j].end)
        if speaker and not self._well_known(surface):
            return False  # "said Rangel", "Mendez told": a person (see ``_speaker``)
        if len(content) >= 2 and content[-1].lower() in ADMIN_WORDS and self._admin_unit(surface):
            # "Pope County", "Orange County Sheriff": a name that ends in its admin
            # word and is such a unit is a place, whatever its words and whatever
            # follows (that unit's offices: "Fire Department", "Sheriff").
            return True
        if self._part_of_longer_name(found, prev, glued_end):
            return False
        if len(words) == 1 and words[0] in rejected and not self._prominent(surface):
            return False
        if all(w.lower() in self.common for w in content):
            # Several common words count as a big town's name ("Little Rock"), but
            # not at the start of a sentence, where the first is capitalised anyway.
            # So does one capitalised mid-sentence, unless after "the" ("the
            # Capitol", "the Valley" are buildings and areas): "a Boston native"
            # ("boston" is also a card game).
            several = not sentence_initial(text, toks[i].start) and (
                len(content) >= 2 or (prev is None or prev.text.lower() != "the"))
            return self._prominent(surface, several=several) or self._before_its_state(text, toks[j].end)
        # Sentence-initial, any English word is suspect ("Samples", "Cases").
        if len(content) == 1 and sentence_initial(text, toks[i].start) and self._english(content[0]):
            return self._prominent(surface)
        # Matched only after folding ("Ad Blockers" -> "blockers"): English words are no place.
        if not self.gazetteer.has_norm(norm_key(surface)):
            if any(self._english(w) for w in content):
                return False
        return True

    def _part_of_longer_name(self, found: _Match, prev: Token | None, glued_end: int = -1) -> bool:
        """Whether the match is glued to capitalised words that make it a person's
        or an organisation's name ("Ryan Dillon", "Syrian Observatory", "Abu Bakr
        al-Baghdadi"). Headlines (title-case lines) and datelines in capitals
        ("LONDON Pope Francis ...") capitalise everything: no signal there."""
        text, toks, i, j = found
        surface = text[toks[i].start:toks[j].end]
        if title_case_line(text, toks[i].start) or (surface.isupper() and len(surface) > 4):
            return False
        return self._glued_to_next(found, prev) or self._glued_to_previous(found, prev, glued_end)

    def _glued_to_next(self, found: _Match, prev: Token | None) -> bool:
        """Whether the words after the match make it part of a longer name (see ``_part_of_longer_name``)."""
        text, toks, i, j = found
        surface = text[toks[i].start:toks[j].end]
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is not None and is_cap(nxt.text) and GAP.fullmatch(text[toks[j].end:nxt.start]):
            low = nxt.text.lower()
            # "Idlib Province", "Quebec Health Minister", "Russia-Turkey ties" are fine.
            hyphen_pair = "-" in text[toks[j].end:nxt.start] and self._is_known(nxt.text)
            # "Jamaica Cancer Society", "Zimbabwe Tourism Authority": a well-known
            # place before English words names the place inside an organisation's
            # name, which counts as a mention; "Jordan Peterson" does not.
            org = nxt.text.lower() in self.common and self._well_known(surface)
            # "President of Ukraine Petro Poroshenko", "Communist Party of Vietnam
            # Nguyen Phu Trong": a country after "of" ends the name before it.
            of_country = (prev is not None and prev.text in ("of", "the") and text[prev.end:toks[i].start] == " "
                          and self._well_known(surface, towns=False, aliases=True))
            # "Slidell PD", "Nenagh MDC": a body named by an acronym after its place.
            acronym_after = _ACRONYM.fullmatch(nxt.text) is not None and not surface.isupper()
            if not (of_country or acronym_after or low in ADMIN_WORDS or low in AFTER_PLACE or low in NEVER
                    or hyphen_pair or org or self.gazetteer.demonym_country(nxt.text)):
                return True
        # "Jaish al-Islam", "Ahrar al-Sham": a word joined by an Arabic article to a
        # capitalised word it does not make a place with (the longest match
        # would have taken "Deir al-Zor") names a group or a person.
        # The link must be hyphenated to it or be one no English sentence uses
        # ("Syria as Turkish forces" is no name).
        if (nxt is not None and nxt.text in NAME_LINKS and j + 2 < len(toks) and is_cap(toks[j + 2].text)
                and GAP.fullmatch(text[toks[j].end:nxt.start])
                and (text[nxt.end:toks[j + 2].start] == "-"
                     or (nxt.text in ARABIC_LINKS and GAP.fullmatch(text[nxt.end:toks[j + 2].start])))):
            return True
        return bool(_DUTCH_LINK.match(text, toks[j].end))  # "Dennis van Engelsdorp"

    def _glued_to_previous(self, found: _Match, prev: Token | None, glued_end: int) -> bool:
        """Whether the words before the match make it part of a longer name (see ``_part_of_longer_name``)."""
        text, toks, i, j = found
        surface = text[toks[i].start:toks[j].end]
        if prev is not None and prev.end == glued_end and GAP.fullmatch(text[prev.end:toks[i].start]):
            return True
        if prev is not None and is_cap(prev.text) and GAP.fullmatch(text[prev.end:toks[i].start]):
            hyphen_pair = "-" in text[prev.end:toks[i].start] and self._is_known(prev.text)
            # "Air Zimbabwe", "HSBC Malta": the same after a common word or an acronym.
            # "New England", "Southern Indiana" are names of their own.
            # After a common word only a country, region or state counts: common
            # words are given names too ("Rob Austin", "Bill Rigby").
            acronym = prev.text.isupper() and len(prev.text) > 1
            org = ((prev.text.lower() in self.common or acronym)
                   and prev.text.lower() not in NEVER and self._well_known(surface, towns=acronym))
            if prev.text.lower() not in PARTICLES and not hyphen_pair and not org:
                # A sentence-initial word before the match is harmless when it is an
                # English word or a place ("In Damascus"), not a name ("Tony Moll").
                if not sentence_initial(text, prev.start):
                    return True
                # A place before it counts only when well known: "Alison Patti",
                # "Richard Brooks" start with small towns' names too.
                if not (prev.text.lower() in self.common or self._well_known(prev.text)
                        or self.gazetteer.demonym_country(prev.text)):
                    return True
        if prev is not None and prev.text in NAME_LINKS and GAP.fullmatch(text[prev.end:toks[i].start]):
            before = prev_token(text, prev.start)
            if (before is not None and is_cap(before.text) and not sentence_initial(text, before.start)
                    and GAP.fullmatch(text[before.end:prev.start])):
                return True
        return False

    @staticmethod
    def _speaker(text: str, prev: Token | None, start: int, end: int) -> bool:
        """Whether a speech verb stands just before ``text[start:end]`` at the end of a clause
        ("..., said Mendez."), or just after it ("Mendez told"): a lone name that speaks is a
        person, unless it is well known (then it is its government: checked by the caller)
        or a preposition before it makes it a place ("crew based at Heathrow said")."""
        if prev is not None and prev.text.lower() in _LOCATIVE:
            return False
        return bool((_SPEECH_BEFORE.search(text, max(0, start - 12), start) and _CLAUSE_END.match(text, end))
                    or _SPEECH_AFTER.match(text, end))

    def _before_its_state(self, text: str, end: int) -> bool:
        """Whether ``text[end:]`` goes on ", <state or country>" ("Little Rock, Ark.",
        "Sandy Springs, Georgia"): a name of common words is a town there."""
        m = _COMMA_NAME.match(text, end)
        if m is None:
            return False
        if _STATE_AFTER_TOWN.match(text, end):
            return True
        for idx, quality in self.gazetteer.lookup(m.group(1), loose=False)[:5]:
            if quality >= 1.0 and self.gazetteer.places[idx].feature in ("admin1", "country"):
                return True
        return False

    def _airport(self, text: str, end: int, surface: str) -> bool:
        """Whether airport words follow ``surface`` and it names an airport ("Shayrat air base");
        never for common words only ("Hope airport", "the Capital airport")."""
        if (facility_cue(text, end) is None or not fold_key(surface)
                or all(w.lower() in self.common for w in surface.split())):
            return False
        return any(q >= MATCH_FOLD and self.gazetteer.places[i].feature == FACILITY
                   for i, q in self.gazetteer.lookup(facility_key(surface), loose=False))

    def _english(self, word: str) -> bool:
        low = word.lower()
        dictionary = self.gazetteer.dictionary_words
        return low in dictionary or low.removesuffix("s") in dictionary

    def _is_known(self, word: str) -> bool:
        gaz = self.gazetteer
        return gaz.has_norm(norm_key(word)) or gaz.has_acronym(word) or bool(gaz.demonym_country(word))

    def _inside_name(self, found: _Match) -> bool:
        """Whether an accepted match sits inside a longer capitalised name ("Jamaica
        Cancer Society", "Air Zimbabwe"), which ``_part_of_longer_name`` let through."""
        text, toks, i, j = found
        if title_case_line(text, toks[i].start):
            return False
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if (nxt is not None and is_cap(nxt.text) and GAP.fullmatch(text[toks[j].end:nxt.start])
                and nxt.text.lower() in self.common
                and nxt.text.lower() not in ADMIN_WORDS | AFTER_PLACE | NEVER):
            return True
        prev = prev_token(text, toks[i].start)
        return bool(prev is not None and is_cap(prev.text) and GAP.fullmatch(text[prev.end:toks[i].start])
                    and prev.text.lower() not in PARTICLES | NEVER and not sentence_initial(text, prev.start)
                    and (prev.text.lower() in self.common or prev.text.isupper()))

    def _well_known(self, surface: str, towns: bool = True, aliases: bool = False) -> bool:
        """A country or region, or a state or city of 100,000 that is no English word
        ("Hail" is also Ha'il), by its main name ("Lagos", "Malta"); without
        ``towns``, a country, region or state only; with ``aliases``, a country
        by any of its names ("Holy See")."""
        english = any(self._english(w) for w in surface.split())
        for idx, quality in self.gazetteer.lookup(surface, loose=False):
            place = self.gazetteer.places[idx]
            if quality >= 1.0 and aliases and place.feature == "country":
                return True
            if quality < 1.0 or norm_key(place.name) != norm_key(surface):
                continue
            if place.feature in ("country", "region") or (
                    not english and (place.feature == "admin1"
                                     or (towns and place.feature == "city" and place.population >= 100_000))):
                return True
        return False

    def _prominent(self, surface: str, several: bool = False) -> bool:
        """A common-word name counts only as a country, region, state or city of 1 M ("Turkey", "Michigan").

        With ``several`` (a name of two or more common words: "Little Rock",
        "Red Deer", "Saint-Marc") a city of 100,000 counts too: a run of
        capitalised common words is seldom capitalised by chance, and none of
        the usual ones ("White House", "Supreme Court", "Red Cross") is a city
        that big. A transliteration fold counts there ("St. Marc").
        """
        floor = 100_000 if several else 1_000_000
        key = fold_key(surface) if several else norm_key(surface)
        for idx, quality in self.gazetteer.lookup(surface, loose=False):
            place = self.gazetteer.places[idx]
            if quality < (0.9 if several else 1.0):
                continue
            if place.feature in ("country", "region", "natural") and quality >= 1.0:
                return True
            # A state or a big city counts by its main name only ("We" is an alternate name of Hue).
            main = fold_key(place.name) if several else norm_key(place.name)
            if ((place.feature == "admin1" and quality >= 1.0) or place.population >= floor) and main == key:
                return True
        return False

    def _admin_unit(self, surface: str) -> bool:
        """Whether ``surface`` is exactly the name of an admin unit ("Pope County")."""
        return any(q >= 1.0 and self.gazetteer.places[i].feature in ("admin1", "admin2")
                   for i, q in self.gazetteer.lookup(surface, loose=False)[:20])
