"""From an article and its place mentions to dated, typed, located events.

Owns ``extract_events``: one event per sentence locus, the tellings of one
incident merged. It reads places only through the ``Mention``s it is given and
imports only ``model`` and its sibling modules: ``sentences`` (sentences,
clauses), ``dates`` (time phrases), ``fatalities`` (death counts), ``vocab``
(ACLED types, actors), ``loci`` (which mention is where it happened, and how
precisely) and ``merge`` (one incident told twice).

Contract: events come in body order; each event's ``mention`` is one of the
given resolved, non-metonymic mentions and its ``excerpt`` the sentence that
told it; a sentence's death count goes to its first event only. The rules step
by step are in docs/EVENTS.md, "Events: how a sentence becomes events".
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from conflictmap.events.actors import Actor, Roles, actor_type, actors_in, assign_roles, find_actor_spans
from conflictmap.events.dates import DatePhrase, days_after, find_date_phrases
from conflictmap.events.fatalities import Toll, find_toll, stated_toll
from conflictmap.events.loci import (
    ANAPHOR,
    Locus,
    anaphoric_locus,
    bracket_spans,
    contains,
    dateline_end,
    dateline_mention,
    locus_precision,
    prune_loci,
    qualify_loci,
    select_loci,
    usable_locus,
)
from conflictmap.events.merge import Telling, merge_tellings
from conflictmap.events.sentences import Span, split_clauses, split_sentences
from conflictmap.events.vocab import EventKind, attribution_spans, civilians_hit, classify_event
from conflictmap.model import (
    COARSE_FEATURES,
    FEATURE_SPECIFICITY,
    Article,
    Event,
    Mention,
    Place,
    interaction_code,
    make_event_id,
)

_CONTINUATION = re.compile(
    r"^[\"'\u201c]?(?:The|This|That|These|Those|Its|Their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:strikes?|attacks?|blasts?|bombings?|explosions?|raids?|clash(?:es)?|fighting|shelling|assault|"
    r"offensive|operation|violence|incident|ambush|bombardment|kidnapping|abduction|protests?|demonstrations?|"
    r"killings?|shootings?|gunfights?|firefights?|battles?|massacres?|siege|uprising|riots?)\b"
    r"|^(?:It|Later)\b"
)
# A time right after a reporting verb dates the report, not the event.
_REPORTED = re.compile(
    r"\b(?:said|says|told\s+\w+|announced|reported|added|stated|confirmed|claimed|declared)\s+(?:late\s+|early\s+)?$",
    re.I,
)
_PASSIVE_OPENER = re.compile(r"^\s*(?:after|before|when|while)?\s*(?:being|having\s+been)\b", re.I)
# A clause about the past of the story ("after being expelled from Raqa", "which it had
# recaptured"): context, an event only with a date of its own.
_BACKGROUND_CLAUSE = re.compile(
    r"^\s*(?:after|since|before)\s+(?:being|having)\b|\b(?:had|having)\s+(?:\w+ly\s+)?(?:been\s+)?\w+(?:ed|en|ken|wn|ught)\b",
    re.I,
)
_DESCRIPTIVE = re.compile(r"^\s*(?:which|where|while|whereas|although|though)\b", re.I)
_REPORTED_PERFECT = re.compile(
    r"\b(?:said|says|announced|reported|told\s+\w+|added|stated|confirmed|claimed)\s+(?:(?:on|late|early)\s+\w+\s+)?"
    r"(?:that\s+)?(?:[\w'-]+\s+){0,2}had\b",
    re.I,
)
_DAYS_AFTER_CLAUSE = re.compile(r"^\s*(?:\w+\s+)?(?:days?|weeks?|hours?)\s+after\b", re.I)
_EARLIER_CLAUSE = re.compile(r"^\s*(?:after|following|since)\b", re.I)
_RELATIVE = re.compile(r"^\s*(?:which|who|whose|that)\b", re.I)
# A count that sums up more than the incident ("since 2011", "so far this year", "in the war").
_CUMULATIVE = re.compile(
    r"\b(?:since|so\s+far|to\s+date|in\s+total|overall|altogether|this\s+(?:year|month)|"
    r"last\s+(?:year|month|week)|in\s+recent\s+(?:days|weeks|months)|war|conflict|insurgency|campaign|"
    r"uprising|crisis|civil\s+war|elsewhere|nationwide|"
    r"other\s+(?:parts|areas|places|towns|cities|villages|districts|provinces|regions)|"
    r"across\s+the\s+(?:country|region|capital|city|province))\b",
    re.I,
)
# A later count of other dead of the same incident: "Three militants also died".
_MORE_DEAD = re.compile(r"\b(?:also|as\s+well|too|in\s+addition|another|other)\b", re.I)
# A person's name follows: "One student, ", "the mayor, ", "her son ".
_NAMED_PERSON = re.compile(
    r"\b(?:student|man|woman|boy|girl|child|teacher|journalist|activist|leader|commander|official|son|"
    r"daughter|brother|sister|father|mother|husband|wife|mayor|governor|chief|victim|soldier|officer)s?,?\s*$",
    re.I,
)
#: How many sentences after an event's own a bare death count may still be its toll.
TOLL_CARRY_SENTENCES = 2


@dataclass
class _Reading:
    """What extraction carries from one sentence to the next."""

    article: Article
    anchor: Mention | None  # the body's mention of the dateline's place
    usable: list[Mention] = field(default_factory=list)  # every mention that may be a locus
    sentences: list[Span] = field(default_factory=list)
    tellings: list[Telling] = field(default_factory=list)
    previous: list[int] = field(default_factory=list)  # tellings of the previous sentence
    previous_date: tuple[date, int, str] | None = None
    last_main: Mention | None = None  # the first locus of the last precise event sentence
    header_date: tuple[date, int, str] | None = None  # a note's date line ("7 March 2023.")
    toll_target: int | None = None  # the telling a following count without a place belongs to
    toll_age: int = 0  # sentences read since ``toll_target``'s own

    def lead(self) -> Event | None:
        """The first event of the previous sentence, if it told any."""
        return self.tellings[self.previous[0]].event if self.previous else None

    def close_sentence(self, added: list[int]) -> None:
        self.previous = added
        if not added:
            self.previous_date = None
            return
        first = self.tellings[added[0]].event
        self.previous_date = (first.event_date, first.time_precision, first.date_phrase)
        if first.geo_precision < 3 or self.last_main is None:
            self.last_main = first.mention


@dataclass(frozen=True)
class _Sentence:
    """One sentence with a cue, cut into clauses, and what each clause says."""

    article: Article
    span: Span
    clauses: list[Span]
    actor_spans: list[Actor]  # offsets into the sentence
    kinds: list[EventKind | None]  # the event cue of each clause
    lead: Event | None  # the event this sentence continues ("The strikes hit ...")
    phrases: list[list[DatePhrase]]
    deaths: list[Toll | None]
    sentence_deaths: Toll | None
    fallback: tuple[date, int, str] | None  # the date of a clause without time words

    @property
    def continued_kind(self) -> EventKind | None:
        lead = self.lead
        return EventKind(lead.event_type, lead.sub_event_type, 0) if lead else None

    @property
    def sentence_kind(self) -> EventKind:
        kind = next((k for k in self.kinds if k is not None), self.continued_kind)
        assert kind is not None  # _sentence_parts returns no _Sentence without one
        return kind


@dataclass(frozen=True)
class _Told:
    """What a sentence tells at one locus."""

    kind: EventKind
    when: tuple[date, int, str]
    actors: tuple[str, ...]
    deaths: Toll | None
    roles: Roles = Roles()


def extract_events(article: Article, mentions: Sequence[Mention]) -> list[Event]:
    """Find the events an article reports, one per sentence locus, merged per incident.

    Parameters
    ----------
    article : Article
        The article; ``published`` anchors relative dates, ``dateline`` helps
        place "in the province".
    mentions : sequence of Mention
        The geoparser's mentions of ``article.body`` (offsets into the body).
        Unresolved (``place is None``) and metonymic mentions are never loci.

    Returns
    -------
    list of Event
        In body order. Each event's ``mention`` is one of ``mentions``;
        ``excerpt`` is the sentence it was read from (for "in the province"
        the mention may lie in an earlier sentence).
    """
    usable = _in_story_countries(sorted((m for m in mentions if usable_locus(m)), key=lambda m: m.start), article)
    sentences = split_sentences(article.body)
    reading = _Reading(article, dateline_mention(article, usable), usable=usable, sentences=sentences)
    for sentence in sentences:
        _read_header_date(reading, sentence)
        if _apply_stated_toll(reading, sentence):
            continue  # "2 fatalities." ends the report of the event before it
        in_sentence = [m for m in usable if sentence.start <= m.start and m.end <= sentence.end]
        continues = reading.lead() is not None and bool(_CONTINUATION.match(sentence.text))
        if in_sentence or continues or ANAPHOR.search(sentence.text) or (usable and not reading.tellings):
            added = _read_sentence(reading, sentence, in_sentence, continues)
        else:
            added = []  # no place and no link to the last event: skip the costly part
        _follow_toll_target(reading, sentence, added, mentions)
        _follow_event_time(reading, sentence, added, continues)
        reading.close_sentence(added)
    return merge_tellings(reading.tellings)


def _report_time_only(event: Event) -> bool:
    """Whether an event is dated only by when its source spoke ("..., police said on Saturday") or by nothing."""
    if not event.date_phrase:
        return True
    at = event.excerpt.find(event.date_phrase)
    return at >= 0 and bool(_REPORTED.search(event.excerpt[:at]))


def _follow_event_time(reading: _Reading, sentence: Span, added: list[int], continues: bool) -> None:
    """Date the last sentence's event by the next sentence when that one says when it happened.

    "Four men were shot dead near Ningthoukhong, police said on Friday. The killings
    happened the previous evening." The first sentence only gives the day the police
    spoke; the second, about the same incident, gives the event's day: at most a week
    before, and never after, the day it replaces.
    """
    if not reading.previous:
        return
    target = reading.previous[0]
    event = reading.tellings[target].event
    if not _report_time_only(event):
        return
    found: tuple[date, int, str] | None = None
    place = event.mention.place
    same = [reading.tellings[i].event for i in added
            if reading.tellings[i].continues == target or (
                reading.tellings[i].event.event_type == event.event_type and place is not None
                and reading.tellings[i].event.mention.place == place)]
    for later in same:
        if not _report_time_only(later):
            found = (later.event_date, later.time_precision, later.date_phrase)
            break
    if found is None and not added and continues and reading.article.published is not None:
        for phrase in _phrases(sentence.text, reading.article.published, event.event_date):
            if phrase.precision == 1 and not _REPORTED.search(sentence.text[: phrase.start]):
                found = (phrase.date, phrase.precision, phrase.text)
                break
    if found is None or not 0 < (event.event_date - found[0]).days <= 7 or found[1] > 1:
        return
    telling = reading.tellings[target]
    reading.tellings[target] = Telling(
        replace(event, event_date=found[0], time_precision=found[1], date_phrase=found[2]),
        telling.order, telling.continues,
    )


def _follow_toll_target(reading: _Reading, sentence: Span, added: list[int], mentions: Sequence[Mention]) -> None:
    """Keep track of the event a later bare count belongs to, and give it such a count.

    Reports put the toll in a sentence of its own: "RSF shells hit a market in
    Omdurman. Between 7 and 10 civilians were killed." A sentence that tells no
    event and names no other place gives its count to the event told at most
    ``TOLL_CARRY_SENTENCES`` sentences before it, if that event has none yet.
    """
    if added:
        reading.toll_target, reading.toll_age = added[0], 0
        return
    target = reading.toll_target
    if target is None:
        return
    reading.toll_age += 1
    event = reading.tellings[target].event
    here = event.mention.place
    if reading.toll_age > TOLL_CARRY_SENTENCES:
        reading.toll_target = None  # the story has moved on
        return
    # A place around the event's ("the Gaza health ministry said 50 were killed") is no other place.
    # A person's name in apposition ("One student, Abu Sayed, was killed") is no place either.
    # A place in a clause after the count ("..., while reinforcements were rushed up from Homs") is no other place.
    toll_here = find_toll(sentence.text)
    after_toll = _later_clause_start(sentence.text, toll_here.end) if toll_here is not None else len(sentence.text)
    other_place = any(
        sentence.start <= m.start < sentence.start + after_toll
        and not _NAMED_PERSON.search(reading.article.body[max(0, m.start - 40) : m.start])
        and (m.place is None or here is None or (m.place.place_id != here.place_id and not contains(m.place, here)))
        for m in mentions
    )
    if other_place:
        reading.toll_target = None  # the story has moved on
        return
    # "Two adults were killed at the hospital, ..., while 33 people died across the capital":
    # the count before the contrast is this event's; the rest is about a wider toll.
    contrast = _CONTRAST.search(sentence.text)
    text, toll = sentence.text, toll_here
    if contrast:
        head_toll = find_toll(text[: contrast.start()])
        if head_toll is not None:
            text, toll = text[: contrast.start()], head_toll
    if _CUMULATIVE.search(text):
        return
    revised = _revised_toll(event, sentence.text)
    if revised is not None:
        _set_toll(reading, target, revised)
        return
    # More dead only when the count itself says so ("Three militants also died", "two other
    # soldiers"); "several other people were wounded" elsewhere in the sentence is not it.
    more = event.fatalities_best is not None and toll_here is not None and bool(
        _MORE_DEAD.search(sentence.text[max(0, toll_here.start - 15) : toll_here.end + 15]))
    if event.fatalities_best is not None and not more:
        lower = _lower_count(event, sentence.text, toll_here)
        if lower is not None:
            _set_toll(reading, target, lower)
        return
    if event.deaths_phrase and not more:
        return
    if toll is None or (more and not toll.deaths):
        return
    # A count dated before the event, or only by a year, is about something else.
    for phrase in _phrases(sentence.text, reading.article.published):
        if phrase.precision > 3 or (phrase.date - event.event_date).days < -2:
            return
    if more:
        # "Two SDF members were killed. Three IS militants also died": the second side's dead.
        toll = _added(event, toll)
    _set_toll(reading, target, toll)
    _victims_from_toll(reading, target, toll)


_NEXT_CLAUSE = re.compile(r",\s+(?:while|as|whereas|but|and|after|before)\b|;|\s[-\u2013\u2014]\s")


def _later_clause_start(text: str, at: int) -> int:
    """Where the clause after offset ``at`` of ``text`` begins (the text's end when none does)."""
    m = _NEXT_CLAUSE.search(text, at)
    return m.start() if m else len(text)


_GRAVE_FIND = re.compile(r"\bgraves?\b|\bburial\b|\bexhum", re.I)
_CONTRAST = re.compile(r",\s+(?:while|whereas)\b")
# A second source's own figure: "A local official said he had counted 59 bodies".
_OWN_COUNT = re.compile(r"\b(?:counted|confirmed|verified|recorded|put|puts|putting|gave|tallied)\b", re.I)
_PART_OF_DEAD = re.compile(r"\b(?:of\s+(?:them|the\s+dead|those\s+killed|the\s+victims)|among)\b", re.I)


def _lower_count(event: Event, text: str, toll: Toll | None) -> Toll | None:
    """A second, lower figure for the same dead (``toll``, read from ``text``), as a range from it.

    ACLED codes the lower: "Amnesty put the death toll at around 100. A local official said
    he had counted 59 bodies": best and low 59, high 100. Not a part of the dead ("three
    of them were children") and not more dead ("also", ``_MORE_DEAD``).
    """
    if not _OWN_COUNT.search(text) or _PART_OF_DEAD.search(text) or event.fatalities_best is None:
        return None
    if toll is None or toll.deaths is None or not 0 < toll.deaths[0] < event.fatalities_best:
        return None
    high = max(event.fatalities_best, event.fatalities_high or 0)
    return Toll((toll.deaths[0], toll.deaths[0], high), toll.start, toll.end,
                f"{event.deaths_phrase}; {toll.phrase}" if event.deaths_phrase else toll.phrase)


# A later total for the same dead: "Officials later raised the death toll to 32", "the toll rose to 40".
_REVISED = re.compile(
    r"\b(?:death\s+)?toll\s+(?:\w+\s+){0,2}?(?:rose|climbed|risen|increased|jumped|reached|grew)\b"
    r"|\b(?:raised|revised|updated)\s+(?:the\s+|its\s+|their\s+)?(?:death\s+)?toll\b",
    re.I,
)
# "A fourth victim died in hospital": the toll is now four.
_NTH_DEAD = re.compile(
    r"\b(?:a|the)\s+(?P<nth>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:died|succumbed|was\s+killed|was\s+found\s+dead)\b",
    re.I,
)
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _revised_toll(event: Event, text: str) -> Toll | None:
    """A later sentence's new total for the event's dead, when it is larger than the one it has."""
    if event.fatalities_best is None:
        return None
    nth = _NTH_DEAD.search(text)
    if nth:
        total = _ORDINALS.index(nth.group("nth").lower()) + 2
        if total > event.fatalities_best:
            return Toll((total, total, total), nth.start(), nth.end(), nth.group(0))
        return None
    if not _REVISED.search(text):
        return None
    toll = find_toll(text)
    if toll is None or toll.deaths is None or toll.deaths[0] <= event.fatalities_best:
        return None
    return toll


def _added(event: Event, toll: Toll) -> Toll:
    """The event's toll plus a later sentence's count of other dead ("... also died")."""
    assert toll.deaths is not None and event.fatalities_best is not None
    best, low, high = toll.deaths
    return Toll(
        (event.fatalities_best + best,
         event.fatalities_low + low if event.fatalities_low is not None and low is not None else None,
         event.fatalities_high + high if event.fatalities_high is not None and high is not None else None),
        toll.start, toll.end, f"{event.deaths_phrase}; {toll.phrase}" if event.deaths_phrase else toll.phrase,
    )


def _victims_from_toll(reading: _Reading, index: int, toll: Toll) -> None:
    """An event with no actor2 takes the civilians its later count names ("Two civilians were killed.")."""
    telling = reading.tellings[index]
    event = telling.event
    if event.actor2 or not toll.deaths or event.event_type != "Explosions/Remote violence":
        return
    if not (any(a.name == "Civilians" for a in find_actor_spans(toll.phrase)) or civilians_hit(toll.phrase)):
        return
    place = event.mention.place
    type1 = actor_type(event.actor1, country_code=place.country_code if place else "") if event.actor1 else None
    reading.tellings[index] = Telling(
        replace(event, actor2="Civilians", interaction=interaction_code(type1, 7), civilian_targeting=True,
                actors=event.actors if "Civilians" in event.actors else (*event.actors, "Civilians")),
        telling.order, telling.continues,
    )


def _in_story_countries(usable: list[Mention], article: Article) -> list[Mention]:
    """The mentions in the countries a coder's brackets name, when the article has brackets.

    "(Faisalabad, Punjab)" puts the story in Pakistan: "Christian" resolved to a county in the
    United States is no place of it. Articles without brackets keep every mention.
    """
    spans = bracket_spans(article.body)
    bracketed = [m for m in usable if any(a <= m.start and m.end <= b for a, b in spans)]
    countries = {m.place.country_code for m in bracketed if m.place is not None and m.place.country_code}
    if not countries:
        return usable
    return [m for m in usable if m.place is not None and (m.place.country_code in countries or m in bracketed)]


_HEADER_WORDS = 14


def _read_header_date(reading: _Reading, sentence: Span) -> None:
    """Remember a note's date line: a short opening fragment that is a date and places, no event
    ("7 March 2023.", "Turbat (Kech, Balochistan) - 2 October 2023."); it dates the sentences after
    it that have no time words of their own."""
    if reading.tellings or reading.header_date is not None or len(sentence.text.split()) > _HEADER_WORDS:
        return
    phrases = [p for p in _phrases(sentence.text, reading.article.published) if p.precision <= 2]
    if len(phrases) != 1 or classify_event(sentence.text, []) is not None:
        return
    reading.header_date = (phrases[0].date, phrases[0].precision, phrases[0].text)


def _apply_stated_toll(reading: _Reading, sentence: Span) -> bool:
    """Give a bare count ("1 fatality.", "Casualties unknown.") to the event it closes.

    That is the previous sentence's first event, else the event a count may
    still belong to (``_follow_toll_target``): the coder's closing figure
    replaces a count read from the story before it ("Six officials were killed
    and the mayor later died. 7 fatalities.").
    """
    index = reading.previous[0] if reading.previous else reading.toll_target
    if index is None or reading.toll_age >= TOLL_CARRY_SENTENCES + 1:
        return False
    toll = stated_toll(sentence.text)
    if toll is None:
        return False
    _set_toll(reading, index, toll)
    reading.toll_age += 1
    return True


def _set_toll(reading: _Reading, index: int, toll: Toll) -> None:
    telling = reading.tellings[index]
    deaths = toll.deaths
    reading.tellings[index] = Telling(
        replace(telling.event, fatalities_best=deaths[0] if deaths else None,
                fatalities_low=deaths[1] if deaths else None, fatalities_high=deaths[2] if deaths else None,
                deaths_phrase=toll.phrase),
        telling.order, telling.continues,
    )


def _read_sentence(reading: _Reading, sentence: Span, in_sentence: list[Mention], continues: bool) -> list[int]:
    """Add the tellings of one sentence to ``reading``; return their indices."""
    parts = _sentence_parts(reading, sentence, continues)
    if parts is not None:
        parts = _drop_back_references(reading, parts)
    if parts is None:
        return []
    loci = _sentence_loci(parts, in_sentence) or _borrowed_loci(parts, reading) or _fallback_loci(parts, reading)
    if _only_widens_the_last_event(reading, parts, loci):
        return []  # its count, if any, goes to that event (_follow_toll_target)
    added: list[int] = []
    deaths_given = False
    for locus in loci:
        told = _what_is_told(parts, locus, deaths_given)
        if told is None:
            continue
        deaths_given = deaths_given or told.deaths is not None
        lead = parts.lead
        link = reading.previous[0] if lead is not None and lead.event_type == told.kind.event_type else None
        reading.tellings.append(Telling(_event(parts, locus, told), len(reading.tellings), link))
        added.append(len(reading.tellings) - 1)
    return added


# "in the day's fighting", "during the attack", "Saturday's clashes": a cue that names the
# incident already told, as a definite noun phrase.
_BACK_REFERENCE = re.compile(
    r"\b(?:the|that|this|these|those|its|their)(?:\s+[\w'\u2019-]+)?\s+$|\b\w+day['\u2019]s\s+$", re.I
)


def _drop_back_references(reading: _Reading, parts: _Sentence) -> _Sentence | None:
    """The sentence without the cues that only point back at the event just told ("the fighting").

    "HTS fought army troops around Qamhana. The Observatory said 27 fighters were
    killed in the day's fighting, while reinforcements were rushed up from Homs."
    "the day's fighting" is the clash already told, not one at Homs: the clause's
    count goes to that event (if it has none), and the clause tells nothing new.
    None when nothing else is left.
    """
    if reading.toll_target is None or parts.lead is not None:
        return parts
    target = reading.tellings[reading.toll_target].event
    here = target.mention.place
    back = set()
    for i, (clause, kind) in enumerate(zip(parts.clauses, parts.kinds, strict=True)):
        if kind is None or kind.event_type != target.event_type:
            continue
        at = clause.start - parts.span.start + kind.cue_start
        if not _BACK_REFERENCE.search(parts.span.text[max(0, at - 40):at]):
            continue
        elsewhere = any(clause.start <= m.start < clause.end and m.place is not None and here is not None
                        and m.place.place_id != here.place_id and not contains(m.place, here)
                        and not contains(here, m.place) for m in reading.usable)
        if not elsewhere:  # "the attack on a checkpoint in Jilib" after an event in Afgooye is another one
            back.add(i)
    if not back:
        return parts
    toll = next((parts.deaths[i] for i in sorted(back) if parts.deaths[i] is not None), None)
    if toll is not None and toll.deaths is not None and target.fatalities_best is None and not target.deaths_phrase:
        _set_toll(reading, reading.toll_target, toll)
    kinds = [None if i in back else k for i, k in enumerate(parts.kinds)]
    if all(k is None for k in kinds):
        return None
    sentence_toll = parts.sentence_deaths
    if sentence_toll is not None and any(
        parts.clauses[i].start <= parts.span.start + sentence_toll.start < parts.clauses[i].end for i in back
    ):
        sentence_toll = None
    deaths = [None if i in back else d for i, d in enumerate(parts.deaths)]
    return replace(parts, kinds=kinds, deaths=deaths, sentence_deaths=sentence_toll)


def _only_widens_the_last_event(reading: _Reading, parts: _Sentence, loci: list[Locus]) -> bool:
    """Whether a sentence only gives the count of the last event, at a province around it, with no time of its own.

    "Air strikes hit a market in Ramadi. The Anbar health directorate said 9
    people were killed." is one incident; a second point at the province's
    centre would be a wrong point on the map.
    """
    if reading.toll_target is None or not loci or any(lc.geo_precision < 3 for lc in loci):
        return False
    event = reading.tellings[reading.toll_target].event
    if parts.sentence_deaths is None or event.fatalities_best is not None:
        return False  # the sentence adds no count to the event: it may tell another one
    if event.mention.place is None or not all(
        lc.mention.place is not None and contains(lc.mention.place, event.mention.place) for lc in loci
    ):
        return False
    types = {k.event_type for k in parts.kinds if k is not None}
    if not types <= {event.event_type, "Violence against civilians"}:
        return False
    return not any(p.precision <= 3 for phrases in parts.phrases for p in phrases)


def _sentence_parts(reading: _Reading, sentence: Span, continues: bool) -> _Sentence | None:
    """The sentence cut into clauses with their cues, dates and deaths; None when it tells no event."""
    article = reading.article
    clauses = split_clauses(sentence)
    told_by = attribution_spans(sentence.text)
    spans = [a for a in find_actor_spans(sentence.text, context=article.body)
             if not any(t0 <= a.start < t1 for t0, t1 in told_by)]
    kinds = [
        classify_event(c.text, actors_in(spans, start=c.start - sentence.start, end=c.end - sentence.start))
        for c in clauses
    ]
    lead = reading.lead() if continues else None
    if lead is None and all(k is None for k in kinds):
        return None
    kinds = _how_they_died(_disappearances(kinds))
    anchor = reading.tellings[-1].event.event_date if reading.tellings else _first_anchor(reading, sentence)
    # Without time words: the continued sentence's date, else a note's date line, else the
    # publication date.
    fallback: tuple[date, int, str] | None = reading.previous_date if continues else None
    if fallback is None:
        fallback = reading.header_date
    if fallback is None and article.published is not None:
        fallback = (article.published, 1, "")
    return _Sentence(
        article=article, span=sentence, clauses=clauses, actor_spans=spans, kinds=kinds, lead=lead,
        phrases=[_undated_dateline(c, sentence, article, _phrases(c.text, article.published, anchor)) for c in clauses],
        deaths=[find_toll(c.text) for c in clauses], sentence_deaths=find_toll(sentence.text),
        fallback=fallback,
    )


def _first_anchor(reading: _Reading, sentence: Span) -> date | None:
    """What "the previous day" counts from before any event is told: a note's date line, else
    the day the sentence's source spoke ("..., the army said on Monday"), else the publication."""
    if reading.header_date is not None:
        return reading.header_date[0]
    published = reading.article.published
    if published is None:
        return None
    for phrase in find_date_phrases(sentence.text, published):
        if phrase.precision == 1 and _REPORTED.search(sentence.text[: phrase.start]):
            return phrase.date
    return published


_DISAPPEARED = "Abduction/forced disappearance"


def _disappearances(kinds: list[EventKind | None]) -> list[EventKind | None]:
    """A detention the same sentence says nothing more is known of is a forced disappearance
    ("soldiers detained a teacher; her whereabouts remain unknown")."""
    if not any(k is not None and k.sub_event_type == _DISAPPEARED for k in kinds):
        return kinds
    return [
        replace(k, event_type="Violence against civilians", sub_event_type=_DISAPPEARED)
        if k is not None and k.sub_event_type == "Arrests" else k
        for k in kinds
    ]


def _how_they_died(kinds: list[EventKind | None]) -> list[EventKind | None]:
    """A killing told with the explosion that caused it is that explosion ("two soldiers were
    killed when they stepped on a landmine")."""
    explosion = next((k for k in kinds if k is not None and k.family == "explosion"), None)
    if explosion is None:
        return kinds
    return [explosion if k is not None and k.family == "killing" else k for k in kinds]


def _undated_dateline(clause: Span, sentence: Span, article: Article, phrases: list[DatePhrase]) -> list[DatePhrase]:
    """A clause's date phrases without the dateline's filing date ("DEIR EZ-ZOR, Syria, Dec 10
    (CMW) - ... on Sunday": the 10th is when the report was filed, Sunday when it happened)."""
    if sentence.start != 0:
        return phrases
    end = dateline_end(article.body)
    return [p for p in phrases if clause.start + p.start >= end] if end else phrases


def _sentence_loci(parts: _Sentence, mentions: list[Mention]) -> list[Locus]:
    """The loci of a sentence's events (steps 2 and 3 of the rules in docs/EVENTS.md)."""
    sentence, clauses, kinds = parts.span, parts.clauses, parts.kinds
    # A "place" inside an actor's name ("Sham" in Hayat Tahrir al-Sham) is not a locus.
    named = [(sentence.start + a.start, sentence.start + a.end) for a in parts.actor_spans]
    found = [
        Locus(m, precision, _clause_of(clauses, m))
        for m in mentions
        if not any(a < m.end and m.start < b for a, b in named)
        for precision in [locus_precision(sentence, m)]
        if precision is not None
    ]
    # The dateline's place ("MOGADISHU (Agency) - ...") is where the report was filed:
    # a locus only when the sentence gives no other.
    dateline = dateline_end(parts.article.body) if sentence.start == 0 else 0
    for loci in ([lc for lc in found if lc.mention.start >= dateline], found):
        candidates = prune_loci(qualify_loci(loci, sentence))
        triggered = [lc for lc in candidates if kinds[lc.clause] is not None]
        # Without a locus in a clause with a cue, the main clauses' places are where it
        # happened, before those of descriptive clauses ("which lies in ...").
        main = triggered or [lc for lc in candidates if not _DESCRIPTIVE.match(clauses[lc.clause].text)]
        if main:
            return select_loci(main, sentence)
    # Only a descriptive clause names a place ("raped six women while raiding a village near
    # Djugu"): it is where it happened, better than a place outside the sentence.
    descriptive = prune_loci(qualify_loci([lc for lc in found if lc.mention.start >= dateline], sentence))
    return select_loci(descriptive, sentence) if descriptive else []


def _borrowed_loci(parts: _Sentence, reading: _Reading) -> list[Locus]:
    """For a sentence without a usable place: "in the province", or the continued event's place."""
    has_deaths = parts.sentence_deaths is not None and parts.sentence_deaths.deaths is not None
    found = anaphoric_locus(parts.span, parts.sentence_kind, has_deaths, reading.anchor, reading.last_main)
    if found is None and parts.lead is not None and has_deaths:
        found = Locus(parts.lead.mention, parts.lead.geo_precision, 0)  # "The blast killed 5": the last event's place
    return [found] if found else []


def _fallback_loci(parts: _Sentence, reading: _Reading) -> list[Locus]:
    """The first event of a report whose sentence names no usable place: the dateline's place, else
    the closest place the article names (before the sentence, else after it), at a coarser precision.

    Only for an article's first event: later ones have a place of their own or continue one.
    """
    if reading.tellings or not any(k is not None for k in parts.kinds):
        return []
    placeable = [m for m in reading.usable if _is_locus_where_named(reading, m)]
    before = [m for m in placeable if m.end <= parts.span.start]
    after = [m for m in placeable if m.start >= parts.span.end]
    # Of the sentence closest before ("16 August 2023, Jaranwala (Faisalabad, Punjab)."), the
    # finest place named, not the province its brackets end with.
    if before:
        last = next(s for s in reversed(reading.sentences) if s.start <= before[-1].start < s.end)
        near = [m for m in before if last.start <= m.start < last.end]
        before = [min(near, key=lambda m: FEATURE_SPECIFICITY.get(m.place.feature if m.place else "", 9))]
    chosen = reading.anchor or (before[-1] if before else after[0] if after else None)
    if chosen is None or chosen.place is None:
        return []
    precision = 3 if chosen.place.feature in COARSE_FEATURES else 2
    return [Locus(chosen, precision, 0)]


def _is_locus_where_named(reading: _Reading, mention: Mention) -> bool:
    """Whether the sentence naming ``mention`` names it as a place where things happen ("talks in Geneva" no)."""
    for sentence in reading.sentences:
        if sentence.start <= mention.start < sentence.end:
            return locus_precision(sentence, mention) is not None
    return False


def _what_is_told(parts: _Sentence, locus: Locus, deaths_given: bool) -> _Told | None:
    """The kind, time, actors and (unless given already) deaths of the event at a locus; None for background."""
    place = locus.mention.place
    assert place is not None
    source = _cue_clause(parts.kinds, locus.clause, parts.clauses)
    clause = parts.clauses[locus.clause]
    background = _BACKGROUND_CLAUSE.search(clause.text)
    # "Police said on Tuesday they had arrested 14 men": the tense of reported speech, not the past.
    if background and _REPORTED_PERFECT.search(clause.text[: background.end()]):
        background = None
    if background and not any(p.precision <= 3 for p in parts.phrases[locus.clause]):
        return None  # the story's past without a date of its own: context, not news
    when = _clause_date(parts, locus.clause, source, locus.mention.start)
    if when is None:
        return None
    if parts.kinds[source] is None and parts.continued_kind is None:
        return None  # only a relative clause about something else told an event
    kind = parts.kinds[source] or parts.continued_kind or parts.sentence_kind
    deaths = None
    if not deaths_given:
        # The locus's clause, its cue's clause ("12 were killed when shells hit X"), the sentence.
        deaths = parts.deaths[locus.clause] or parts.deaths[source] or _sentence_toll(parts, when[0])
        deaths = _known_plus_unknown(parts, deaths)
    borrow = parts.kinds[locus.clause] is None or bool(_PASSIVE_OPENER.match(parts.clauses[locus.clause].text))
    actors = _actors_for(parts, locus.clause, place, borrow=borrow)
    if not actors and parts.lead is not None:
        actors = parts.lead.actors
    if kind.sub_event_type == "Looting/property destruction" and deaths and deaths.deaths and deaths.deaths[0] > 0:
        # Homes burned and people killed: ACLED codes the attack, the burning is part of it.
        kind = EventKind("Violence against civilians", "Attack", kind.cue_start, kind.cue, kind.family)
    if kind.sub_event_type == "Other" and _GRAVE_FIND.search(kind.cue):
        # A mass grave found: its dead were killed in earlier events, so this one counts none
        # (as ACLED codes a discovery); the bodies stay in the excerpt.
        deaths = Toll((0, 0, 0), 0, 0, "a grave found: its dead are not this event's")
    elif kind.sub_event_type == "Agreement":
        # A ceasefire kills no one: the dead of the fighting it ends belong to that fighting.
        deaths = Toll((0, 0, 0), 0, 0, "an agreement: the dead of the fighting it ends are not its own")
    if kind.sub_event_type == "Looting/property destruction":
        # "set fire to the plane and took its pilot hostage": the abduction is the event.
        kind = next((k for k in parts.kinds if k is not None
                     and k.sub_event_type in ("Abduction/forced disappearance", "Sexual violence")), kind)
    cue_clause = parts.clauses[source]
    cue_at = cue_clause.start - parts.span.start + kind.cue_start
    roles = assign_roles(parts.span.text, parts.actor_spans, kind.event_type, cue_at, cue_at + len(kind.cue),
                         country_code=place.country_code, sub_event_type=kind.sub_event_type)
    if kind.event_type == "Explosions/Remote violence" and not roles.actor2 and civilians_hit(parts.span.text[cue_at:]):
        roles = replace(roles, actor2="Civilians", type2=7)  # shells on a market: its people were the target
    return _Told(kind, when, actors, deaths, roles)


def _known_plus_unknown(parts: _Sentence, deaths: Toll | None) -> Toll | None:
    """A count of unknown further dead keeps the sentence's known count as its floor.

    "Seven soldiers were killed when militants attacked a base, ..., adding that an
    unknown number of militants also died": at least seven (best and low 7, high unknown),
    not an unknown toll.
    """
    if deaths is None or deaths.deaths is not None or not _MORE_DEAD.search(deaths.phrase):
        return deaths
    known = next((t for t in (*parts.deaths, parts.sentence_deaths)
                  if t is not None and t.deaths is not None and not _overlapping(t, deaths)), None)
    if known is None or known.deaths is None:
        return deaths
    best, low, _ = known.deaths
    return Toll((best, low, None), known.start, known.end, f"{known.phrase}; {deaths.phrase}")


def _overlapping(a: Toll, b: Toll) -> bool:
    return a.phrase in b.phrase or b.phrase in a.phrase


def _sentence_toll(parts: _Sentence, day: date) -> Toll | None:
    """The sentence's toll, unless it lies in a clause about an earlier incident: one dated before
    the event, or one that opens "after/following/since ..." ("..., after clashes earlier in the
    week left several police dead")."""
    toll = parts.sentence_deaths
    if toll is None:
        return None
    at = parts.span.start + toll.start
    for clause, phrases in zip(parts.clauses, parts.phrases, strict=True):
        if clause.start <= at < clause.end and (
            _EARLIER_CLAUSE.match(clause.text) or any((p.date - day).days < -1 for p in phrases)
        ):
            return None
    return toll


def _event(parts: _Sentence, locus: Locus, told: _Told) -> Event:
    """The event a sentence tells at a locus."""
    sentence, deaths = parts.span, told.deaths
    return Event(
        event_id=make_event_id(parts.article.article_id, sentence.start, locus.mention.start),
        article_id=parts.article.article_id,
        mention=locus.mention,
        event_date=told.when[0],
        time_precision=told.when[1],
        date_phrase=told.when[2],
        geo_precision=locus.geo_precision,
        event_type=told.kind.event_type,
        sub_event_type=told.kind.sub_event_type,
        excerpt=sentence.text,
        excerpt_start=sentence.start,
        excerpt_end=sentence.end,
        # Every side of the event is among its actors (the dashboard filters on them).
        actors=told.actors + tuple(a for a in (told.roles.actor1, told.roles.actor2) if a and a not in told.actors),
        fatalities_best=deaths.deaths[0] if deaths and deaths.deaths else None,
        fatalities_low=deaths.deaths[1] if deaths and deaths.deaths else None,
        fatalities_high=deaths.deaths[2] if deaths and deaths.deaths else None,
        actor1=told.roles.actor1,
        actor2=told.roles.actor2,
        interaction=interaction_code(told.roles.type1, told.roles.type2),
        civilian_targeting=told.kind.event_type == "Violence against civilians"
        or (told.roles.type2 == 7 and told.kind.event_type == "Explosions/Remote violence"),
        cue=" ".join(told.kind.cue.split()),  # a blanked bracket leaves a run of spaces
        deaths_phrase=deaths.phrase if deaths else "",
    )


def _clause_date(parts: _Sentence, index: int, source: int, at: int) -> tuple[date, int, str] | None:
    """The time of a locus at ``at`` in clause ``index`` whose event cue is in clause ``source``.

    The locus clause's own phrase, else the cue clause's, else the main
    clause's, else any in the sentence, else the sentence's fallback. None when
    the time found is coarser than a month: the clause tells background ("in 2011").
    """
    clauses, phrases = parts.clauses, parts.phrases
    # Event times first, in any clause; a report time ("..., officials said on Monday") only
    # when the sentence gives no event time at all.
    for reported in (False, True):
        for i in (index, source):
            # A year beside a finer time belongs to an aside ("who had seized Manbij in 2016, clashed on Tuesday").
            finer = [p for p in phrases[i] if p.precision <= 3] or phrases[i]
            own = _pick_phrase(clauses[i], finer, at if i == index else None, reported=reported)
            if own is not None:
                if own.precision > 3:
                    return None
                if i == index and _past_the_adjunct(clauses[i], own, at):
                    # "On 9 May, a day after X, crowds set fire to ...": the locus is the main
                    # clause's, dated by the main clause, not counted back.
                    main = _counted_back(parts, i, own, back=0)
                    if main is not None:
                        return main
                return _counted_back(parts, i, own) or (own.date, own.precision, own.text)
        for i in [0] + list(range(len(clauses))):
            # "three weeks after X" dates X, in its own clause: never another clause's event.
            usable = [p for p in phrases[i]
                      if p.precision <= 3 and (i in (index, source) or days_after(p.text) is None)]
            chosen = _pick_phrase(clauses[i], usable, None, reported=reported)
            if chosen is not None:
                return chosen.date, chosen.precision, chosen.text
    return parts.fallback


def _past_the_adjunct(clause: Span, phrase: DatePhrase, at: int | None) -> bool:
    """Whether a locus at ``at`` lies after the comma that closes a "N days after X" adjunct."""
    if at is None or days_after(phrase.text) is None:
        return False
    comma = clause.text.find(", ", phrase.end)
    return comma >= 0 and clause.start + comma < at


def _counted_back(
    parts: _Sentence, index: int, phrase: DatePhrase, back: int | None = None
) -> tuple[date, int, str] | None:
    """", two days after the missile was fired": two days before the date of the clause it hangs on
    (not before publication), when another clause of the sentence gives that date.

    ``back`` overrides the days counted (0: the date of that clause itself).
    """
    days = days_after(phrase.text)
    if days is None:
        return None
    back = days if back is None else back
    for i in range(index - 1, -1, -1):
        main = [p for p in parts.phrases[i] if p.precision <= 2 and days_after(p.text) is None
                and not _REPORTED.search(parts.clauses[i].text[: p.start])]
        if main:
            if back == 0:
                return main[0].date, main[0].precision, main[0].text
            return main[0].date - timedelta(days=back), max(main[0].precision, 1 if back < 7 else 2), phrase.text
    return None


def _pick_phrase(
    clause: Span, phrases: list[DatePhrase], at: int | None, *, reported: bool = False
) -> DatePhrase | None:
    """The phrase that dates a locus at body offset ``at`` in ``clause``.

    Event times only ("..., the monitor said on Sunday" is a report time), unless
    ``reported``; among them the closest one before the locus, else the first after it.
    """
    if not phrases:
        return None
    events = [p for p in phrases if reported or not _REPORTED.search(clause.text[: p.start])]
    if not events:
        return None
    # "On the night of 26 to 27 July, fighters attacked an overnight vigil": a day on the
    # calendar beats a word that only says "near the publication day".
    calendar = [p for p in events if p.calendar]
    if calendar and len(calendar) < len(events):
        events = [p for p in events if not p.vague] or events
    if at is None:
        return events[0]
    before = [p for p in events if clause.start + p.start < at]
    return before[-1] if before else events[0]


def _actors_for(parts: _Sentence, index: int, place: Place, *, borrow: bool) -> tuple[str, ...]:
    """Actors of the locus's clause; with ``borrow``, else of the closest earlier clause naming any.

    Borrowing is for clauses without an agent of their own ("..., where IS
    had a presence after being expelled from Raqa"): the earlier clause names it.
    """
    clauses, sentence = parts.clauses, parts.span
    order = [index] + (list(range(index - 1, -1, -1)) + list(range(index + 1, len(clauses))) if borrow else [])
    for i in order:
        found = actors_in(
            parts.actor_spans, start=clauses[i].start - sentence.start, end=clauses[i].end - sentence.start,
            country_code=place.country_code,
        )
        if found:
            return tuple(a.name for a in found)
    return ()


def _phrases(text: str, published: date | None, anchor: date | None = None) -> list[DatePhrase]:
    """Date phrases of a clause; without a publication date only those that name their year.

    ``anchor``, the date of the event told before, dates "the next day" and the like.
    """
    if published is not None:
        found = find_date_phrases(text, published, anchor)
    else:
        far = date(2100, 1, 1)
        found = [p for p in find_date_phrases(text, far) if re.search(r"\b(?:19|20)\d{2}\b", p.text)]
    # "the deal, which is due to take effect on 19 January": a time still to come dates nothing.
    return [p for p in found if not _FUTURE_BEFORE.search(text[max(0, p.start - 40) : p.start])]


_FUTURE_BEFORE = re.compile(
    r"(?:due|set|scheduled|slated|expected|planned|poised)\s+to\s+(?:[\w-]+\s+){0,4}$|will\s+(?:[\w-]+\s+){0,4}$",
    re.I,
)


def _clause_of(clauses: list[Span], mention: Mention) -> int:
    for i, clause in enumerate(clauses):
        if clause.start <= mention.start < clause.end:
            return i
    return 0


def _cue_clause(kinds: list[EventKind | None], index: int, clauses: list[Span] | None = None) -> int:
    """The clause whose cue a locus in clause ``index`` takes: its own, an earlier one, else the first.

    A locus in a descriptive clause ("... raped two women while detaining residents of a
    village in Kale") takes the cue of the clause it describes, when one before it has a cue.
    """
    if clauses is not None and _DESCRIPTIVE.match(clauses[index].text):
        earlier = next((i for i in range(index - 1, -1, -1) if kinds[i] is not None), None)
        if earlier is not None:
            return earlier
    if kinds[index] is not None:
        return index
    # A relative clause about a thing ("the downing of MH17, which killed 298") tells of that
    # thing, not of a place named outside it: its cue is no other clause's.
    # Nor is the cue of an earlier incident's clause ("..., two days after the RSF seized the city").
    usable = [i for i, k in enumerate(kinds)
              if k is not None and not (clauses is not None and (
                  _RELATIVE.match(clauses[i].text) or _DAYS_AFTER_CLAUSE.match(clauses[i].text)))]
    for i in range(index - 1, -1, -1):
        if i in usable:
            return i
    return usable[0] if usable else index
