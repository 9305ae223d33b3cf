"""From an article and its place mentions to dated, typed, located events.

Layer 2: imports only ``model`` and the standard library, through its helper
modules ``events_text`` (sentences, clauses), ``events_dates``
(``resolve_date``), ``events_numbers`` (``parse_fatalities``), ``events_vocab``
(ACLED types, actor aliases in ``events_actors.csv``), ``events_loci`` (which
mention is where it happened) and ``events_merge`` (one incident told twice).

How a sentence becomes events
-----------------------------
1. A clause needs a realis event cue (``events_vocab``: not negated, not
   governed by intent, capacity or threat, not habitual). A sentence opening
   with a definite reference to an incident ("The strikes hit ...") continues
   the previous event: it takes that event's type for clauses without a cue,
   its date when it has no time words, its actors when it names none, and is
   merged with it.
2. Candidate loci are the resolved, non-metonymic mentions in the sentence,
   minus function words and weekdays a gazetteer matcher may return ("A",
   "Thursday"), names inside an actor's name ("Sham" in Hayat Tahrir al-Sham,
   "IS"), and places merely mentioned: "Britain-based", "a professor ... in
   Paris", "loyal to Tehran", "backed by the United States, Russia and
   Jordan", "the size of Britain", "cities such as Damascus", "talks in
   Geneva", "fled to Turkey", "facing X", "Syria director", "X said",
   "commander Suheil al-Hassan", "30 kilometres from X" (over 15 km away).
   Countries drop out when the sentence names anything finer; a province,
   region or natural feature drops out when a place inside it is named.
3. The sentence is cut into clauses ("..., which ... last month"). A locus
   takes the type of its own clause's cue, else of the closest earlier cue;
   loci in clauses with a cue win over loci elsewhere, and places in
   descriptive clauses ("which lies in the Eastern Ghouta") are never used
   for a cue in another clause. Per clause the most precise locus is the
   event (a province over a river), plus any coordinated with it ("Hawija and
   Raqa" gives two events). The fatality count goes to the first event of the
   sentence only, so totals are not doubled.
4. A sentence with a cue and a concrete outcome (deaths, an explosion, an
   attack on civilians, an abduction) but no usable place, that says "in the
   province/city/town/area", is placed at the dateline's place when the body
   names it, else at the main locus of the last event sentence. The event's
   ``mention`` is then that earlier mention (events always point at one of
   the given mentions) while ``excerpt`` is the sentence that told it.
5. ``geo_precision``: 1 for a town named as the place; 2 for "near/outside/
   around X", "the X area/countryside/desert", "N km from X" (N <= 15) and
   "in the town/area" of step 4; 3 for a province, district, region, natural
   feature or country, and for "X province" even when X resolved to the town
   it is named after (ACLED codes province-level events at the capital).
6. Dates come from ``resolve_date`` on the locus's clause: the closest time
   phrase before the locus (else the first after it), preferring event times
   to report times ("..., the monitor said on Sunday"); else the cue clause's,
   the main clause's or any in the sentence. A clause dated only by year ("in
   2011", "three years ago") is background: no event. A sentence without time
   words continuing the previous one (step 1) takes its date, any other the
   publication date with precision 1. Without a publication date only clauses
   naming their year give events.

The same incident told twice in an article (same type and sub-type, dates
compatible, fatality ranges overlapping, and the same place or one of the two
located at province level in the same country) is one event, placed at the
most precise location and dated by the most precise date; ``same_incident``
is the looser test the store uses across articles.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from conflictmap.events.dates import DatePhrase, find_date_phrases, resolve_date
from conflictmap.events.loci import (
    ANAPHOR,
    Locus,
    anaphoric_locus,
    dateline_mention,
    locus_precision,
    prune_loci,
    select_loci,
    usable_locus,
)
from conflictmap.events.merge import Telling, merge_tellings, same_incident
from conflictmap.events.fatalities import parse_fatalities
from conflictmap.events.sentences import Span, split_clauses, split_sentences
from conflictmap.events.vocab import Actor, EventKind, actors_in, classify_event, find_actor_spans
from conflictmap.model import Article, Event, Mention, Place, make_event_id

__all__ = ["extract_events", "parse_fatalities", "resolve_date", "same_incident"]

_CONTINUATION = re.compile(
    r"^[\"'\u201c]?(?:The|This|That|These|Those|Its|Their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:strikes?|attacks?|blasts?|bombings?|explosions?|raids?|clash(?:es)?|fighting|shelling|assault|"
    r"offensive|operation|violence|incident|ambush|bombardment|kidnapping|abduction|protests?|demonstrations?)\b"
    r"|^(?:It|Later)\b"
)
# A time right after a reporting verb dates the report, not the event.
_REPORTED = re.compile(
    r"\b(?:said|says|told\s+\w+|announced|reported|added|stated|confirmed|claimed|declared)\s+(?:late\s+|early\s+)?$",
    re.I,
)
_PASSIVE_OPENER = re.compile(r"^\s*(?:after|before|when|while)?\s*(?:being|having\s+been)\b", re.I)
_DESCRIPTIVE = re.compile(r"^\s*(?:which|where|while|whereas|although|though)\b", re.I)


def _pick_phrase(clause: Span, phrases: list[DatePhrase], at: int | None) -> DatePhrase | None:
    """The phrase that dates a locus at body offset ``at`` in ``clause``.

    Event times beat report times ("..., the monitor said on Sunday"); among
    them the closest one before the locus, else the first after it.
    """
    if not phrases:
        return None
    events = [p for p in phrases if not _REPORTED.search(clause.text[: p.start])] or phrases
    if at is None:
        return events[0]
    before = [p for p in events if clause.start + p.start < at]
    return before[-1] if before else events[0]


def _clause_date(
    clauses: list[Span], phrases: list[list[DatePhrase]], index: int, source: int, at: int,
    fallback: tuple[date, int, str] | None,
) -> tuple[date, int, str] | None:
    """The time of a locus at ``at`` in clause ``index`` whose event cue is in clause ``source``.

    The locus clause's own phrase, else the cue clause's, else the main
    clause's, else any in the sentence, else ``fallback``. None when the time
    found is coarser than a month: the clause tells background ("in 2011").
    """
    for i in (index, source):
        own = _pick_phrase(clauses[i], phrases[i], at if i == index else None)
        if own is not None:
            return None if own.precision > 3 else (own.date, own.precision, own.text)
    for i in [0] + list(range(len(clauses))):
        usable = [p for p in phrases[i] if p.precision <= 3]
        chosen = _pick_phrase(clauses[i], usable, None)
        if chosen is not None:
            return chosen.date, chosen.precision, chosen.text
    return fallback


def _actors_for(
    clauses: list[Span], sentence: Span, spans: list[Actor], index: int, place: Place, *, borrow: bool
) -> tuple[str, ...]:
    """Actors of the locus's clause; with ``borrow``, else of the closest earlier clause naming any.

    Borrowing is for clauses without an agent of their own ("..., where IS
    had a presence after being expelled from Raqa"): the earlier clause names it.
    """
    order = [index] + (list(range(index - 1, -1, -1)) + list(range(index + 1, len(clauses))) if borrow else [])
    for i in order:
        found = actors_in(
            spans, start=clauses[i].start - sentence.start, end=clauses[i].end - sentence.start,
            country_code=place.country_code,
        )
        if found:
            return tuple(a.name for a in found)
    return ()


def _phrases(text: str, published: date | None) -> list[DatePhrase]:
    """Date phrases of a clause; without a publication date only those that name their year."""
    if published is not None:
        return find_date_phrases(text, published)
    far = date(2100, 1, 1)
    return [p for p in find_date_phrases(text, far) if re.search(r"\b(?:19|20)\d{2}\b", p.text)]


@dataclass
class _Reading:
    """What extraction carries from one sentence to the next."""

    tellings: list[Telling] = field(default_factory=list)
    previous: list[int] = field(default_factory=list)  # tellings of the previous sentence
    previous_date: tuple[date, int, str] | None = None
    last_main: Mention | None = None  # the first locus of the last precise event sentence

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
    usable = sorted((m for m in mentions if usable_locus(m)), key=lambda m: m.start)
    anchor = dateline_mention(article, usable)
    reading = _Reading()
    for sentence in split_sentences(article.body):
        in_sentence = [m for m in usable if sentence.start <= m.start and m.end <= sentence.end]
        continues = reading.lead() is not None and bool(_CONTINUATION.match(sentence.text))
        if in_sentence or continues or ANAPHOR.search(sentence.text):
            added = _read_sentence(article, sentence, in_sentence, continues, anchor, reading)
        else:
            added = []  # no place and no link to the last event: skip the costly part
        reading.close_sentence(added)
    return merge_tellings(reading.tellings)


def _read_sentence(
    article: Article, sentence: Span, in_sentence: list[Mention], continues: bool,
    anchor: Mention | None, reading: _Reading,
) -> list[int]:
    """Add the tellings of one sentence to ``reading``; return their indices."""
    clauses = split_clauses(sentence)
    spans = find_actor_spans(sentence.text, context=article.body)
    kinds = [
        classify_event(c.text, actors_in(spans, start=c.start - sentence.start, end=c.end - sentence.start))
        for c in clauses
    ]
    lead = reading.lead() if continues else None
    continued_kind = EventKind(lead.event_type, lead.sub_event_type, 0) if lead else None
    sentence_kind = next((k for k in kinds if k is not None), continued_kind)
    if sentence_kind is None:
        return []
    # Without time words: the continued sentence's date, else the publication date.
    fallback: tuple[date, int, str] | None = reading.previous_date if continues else None
    if fallback is None and article.published is not None:
        fallback = (article.published, 1, "")
    deaths_by_clause = [parse_fatalities(c.text) for c in clauses]
    sentence_deaths = parse_fatalities(sentence.text)
    loci = _sentence_loci(sentence, clauses, kinds, in_sentence, spans)
    if not loci:
        found = anaphoric_locus(sentence, sentence_kind, sentence_deaths is not None, anchor, reading.last_main)
        if found is None and lead is not None and sentence_deaths is not None:
            found = Locus(lead.mention, lead.geo_precision, 0)  # "The blast killed 5": the last event's place
        loci = [found] if found else []
    phrases = [_phrases(c.text, article.published) for c in clauses]
    added: list[int] = []
    deaths_given = False
    for locus in loci:
        place = locus.mention.place
        assert place is not None
        source = _cue_clause(kinds, locus.clause)
        when = _clause_date(clauses, phrases, locus.clause, source, locus.mention.start, fallback)
        if when is None:
            continue
        kind = kinds[source] or continued_kind or sentence_kind
        deaths = None
        if not deaths_given:
            # The locus's clause, its cue's clause ("12 were killed when shells hit X"), the sentence.
            deaths = deaths_by_clause[locus.clause] or deaths_by_clause[source] or sentence_deaths
            deaths_given = deaths is not None
        borrow = kinds[locus.clause] is None or bool(_PASSIVE_OPENER.match(clauses[locus.clause].text))
        actors = _actors_for(clauses, sentence, spans, locus.clause, place, borrow=borrow)
        if not actors and lead is not None:
            actors = lead.actors
        event = Event(
            event_id=make_event_id(article.article_id, sentence.start, locus.mention.start),
            article_id=article.article_id,
            mention=locus.mention,
            event_date=when[0],
            time_precision=when[1],
            date_phrase=when[2],
            geo_precision=locus.geo_precision,
            event_type=kind.event_type,
            sub_event_type=kind.sub_event_type,
            excerpt=sentence.text,
            excerpt_start=sentence.start,
            excerpt_end=sentence.end,
            actors=actors,
            fatalities_best=deaths[0] if deaths else None,
            fatalities_low=deaths[1] if deaths else None,
            fatalities_high=deaths[2] if deaths else None,
        )
        link = reading.previous[0] if lead is not None and lead.event_type == kind.event_type else None
        reading.tellings.append(Telling(event, len(reading.tellings), link))
        added.append(len(reading.tellings) - 1)
    return added


def _sentence_loci(
    sentence: Span, clauses: list[Span], kinds: list[EventKind | None], mentions: list[Mention], spans: list[Actor]
) -> list[Locus]:
    """The loci of a sentence's events (steps 2 and 3 of the module docstring)."""
    # A "place" inside an actor's name ("Sham" in Hayat Tahrir al-Sham) is not a locus.
    named = [(sentence.start + a.start, sentence.start + a.end) for a in spans]
    loci = prune_loci([
        Locus(m, precision, _clause_of(clauses, m))
        for m in mentions
        if not any(a < m.end and m.start < b for a, b in named)
        for precision in [locus_precision(sentence, m)]
        if precision is not None
    ])
    triggered = [lc for lc in loci if kinds[lc.clause] is not None]
    # Without a locus in a clause with a cue, the main clauses' places are where it
    # happened, never those of descriptive clauses ("which lies in ...").
    return select_loci(triggered or [lc for lc in loci if not _DESCRIPTIVE.match(clauses[lc.clause].text)], sentence)


def _clause_of(clauses: list[Span], mention: Mention) -> int:
    for i, clause in enumerate(clauses):
        if clause.start <= mention.start < clause.end:
            return i
    return 0


def _cue_clause(kinds: list[EventKind | None], index: int) -> int:
    """The clause whose cue a locus in clause ``index`` takes: its own, an earlier one, else the first."""
    for i in range(index, -1, -1):
        if kinds[i] is not None:
            return i
    return next((i for i, k in enumerate(kinds) if k is not None), index)
