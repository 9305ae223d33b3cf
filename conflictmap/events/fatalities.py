"""Fatality counts from the words of a sentence. Standard library only.

Only numbers tied to deaths count: "killed 12", "12 people were killed",
"left 12 dead", "a death toll of 12", "12 deaths". Wounded or injured counts,
distances ("30 kilometres"), people displaced or fighters present are ignored.
When a sentence gives several death counts the largest is kept, except counts
inside an "including ..." aside (a subset of the total).

The mapping from words to (best, low, high), UCDP style (best is the figure
the text supports, low the floor, high the ceiling; None when unbounded):

====================================  ======  ======  ======
text                                  best    low     high
====================================  ======  ======  ======
12, twelve, a dozen                   N       N       N
a/an/one (person killed)              1       1       1
at least N, more than N, over N,      N       N       None
  N or more                           (a floor: "more than 200" -> 200)
nearly/almost/up to/as many as N      N       None    N
about/around/some/an estimated N      N       None    None
N to M, between N and M, N-M          N       N       M
a few                                 3       2       5
several                               3       3       9
a handful                             4       3       5
tens                                  10      10      99
dozens                                12      12      99
scores                                20      20      99
hundreds                              100     100     999
thousands                             1000    1000    9999
no one / nobody killed, no deaths     0       0       0
====================================  ======  ======  ======

A vague plural is one of its unit as best, the conservative figure event coders record
(ACLED's published rule: "tens" 10, "dozens" 12, "hundreds" 100), with the range kept in
low/high so a reader still sees that "dozens" may mean 90.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conflictmap.events.dates import MONTH_NAME

#: A death count: (best, low, high); low or high None when the text leaves it open.
Deaths = tuple[int, int | None, int | None]


@dataclass(frozen=True)
class Toll:
    """A death count read from a sentence, with the words it was read from.

    ``deaths`` is None when the text says the number is unknown ("Casualties
    unknown", "an unknown number of soldiers"): that is an answer, not a zero.
    """

    deaths: Deaths | None
    start: int
    end: int
    phrase: str

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
#: Vague quantities: (best, low, high).
_VAGUE: dict[str, Deaths] = {
    "a few": (3, 2, 5),
    "several": (3, 3, 9),
    "a handful of": (4, 3, 5),
    "tens": (10, 10, 99),
    "dozens": (12, 12, 99),
    "several dozen": (36, 36, 99),
    "scores": (20, 20, 99),
    "hundreds": (100, 100, 999),
    "several hundred": (300, 300, 999),
    "thousands": (1000, 1000, 9999),
}

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_UNITS)[:9]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
    r"(?:\s+(?:hundred|thousand))?"
)
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|a\s+dozen|a\s+hundred|" + _WORD_NUMBER + r"|"
    r"several\s+dozen|several\s+hundred|a\s+few|a\s+handful\s+of|several|tens|dozens|scores|hundreds|thousands)"
)
_MODIFIER = (
    r"(?:at\s+least|more\s+than|over|nearly|almost|up\s+to|as\s+many\s+as|about|around|"
    r"some|roughly|approximately|an\s+estimated|at\s+most|fewer\s+than|less\s+than)"
)
_QUANTITY = (
    r"(?P<mod>" + _MODIFIER + r"\s+)?(?P<num>" + _NUMBER + r")"
    r"(?:\s*(?:-|to|and|or)\s*(?P<num2>\d[\d,]*|" + _WORD_NUMBER + r"))?"
    r"(?P<more>\s+or\s+more)?"
)
_DEATH_VERB = (
    r"(?:killed|kills?|killing|dead|died|dies|slain|executed|massacred|murdered|shot\s+dead|beheaded|"
    r"lost\s+their\s+lives|perished)"
)
_DEATH_VERB_RX = re.compile(_DEATH_VERB, re.I)
_AFTER_DEATH_VERB = r"(?:killed|kills?|killing|executed|executing|beheaded|massacred|murdered|shot\s+dead)"
# Up to eight words between a count and its verb, none of which starts another count's story.
_NOUN_GAP = r"(?:(?!(?:wounded|injured|hurt|and|fled|displaced|arrested)\b)[\w'\u2019-]+,?\s+){0,8}?"
_PERSON = (
    r"(?:person|man|woman|child|boy|girl|baby|infant|civilian|soldier|policeman|policewoman|officer|"
    r"fighter|militant|rebel|guard|journalist|teacher|student|worker|farmer|shepherd|doctor|"
    r"commander|member|resident|trooper|gunman|protester|demonstrator|villager|pilgrim|worshipper|"
    r"victim|owner|driver|trader|shopkeeper|merchant|collector|official|leader|chief|elder|imam|cleric|"
    r"judge|lawyer|nurse|mayor|councillor|activist|businessman|herder|fisherman|labourer|laborer|"
    r"husband|wife|son|daughter|father|mother|brother|sister|youth|teenager|pupil|priest|passenger|"
    r"bodyguard|aide|relative|cousin|nephew|niece|uncle|aunt|grandfather|grandmother|medic|paramedic|"
    r"headman|mukhtar|sheikh|pilot|colonel|general|captain|lieutenant|sergeant|recruit|conscript|"
    r"militiaman|tribesman|guardsman|policeman|gendarme|ranger|volunteer|tourist|refugee|migrant|"
    r"classmate|colleague|neighbour|neighbor|friend|guest|customer|pedestrian|bystander|passer-by|passerby|"
    r"vaccinator|cameraman|photographer|reporter|preacher|monk|nun|chef|cook|porter|miner|fisherwoman|"
    r"marine|sailor|airman|paratrooper|commando|peacekeeper|hostage|detainee|prisoner|inmate)"
)

# Order matters only for speed; every match is collected.
_PATTERNS = (
    # "killed at least six civilians", "killing 12", "left 4 dead", "claimed 30 lives"
    re.compile(r"\b" + _AFTER_DEATH_VERB + r"\s+(?:the\s+lives\s+of\s+)?" + _QUANTITY + r"\b", re.I),
    # "12 people were killed", "dozens of civilians were killed", "six dead", "12 deaths"
    # ... but not "Two men on a motorcycle shot dead a vaccinator": a count before an active
    # verb with an object is the killers'.
    re.compile(r"\b" + _QUANTITY + r"\s+" + _NOUN_GAP + r"(?:(?:were|was|have\s+been|had\s+been|are|is|being|got)\s+)?"
               r"(?:reportedly\s+|reported\s+|confirmed\s+)?" + _DEATH_VERB + r"\b"
               r"(?!\s+(?:a|an|the|his|her|their|its|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b)", re.I),
    re.compile(r"\b" + _QUANTITY + r"\s+(?:[\w-]+\s+){0,2}(?:deaths?|fatalit(?:y|ies)|bod(?:y|ies)|corpses?)\b", re.I),
    # "left 4 dead", "claimed 30 lives"
    re.compile(r"\b(?:left|leaving)\s+" + _QUANTITY + r"\s+(?:[\w-]+\s+){0,2}dead\b", re.I),
    re.compile(r"\b(?:claimed|claiming|cost)\s+(?:the\s+)?" + _QUANTITY + r"\s+lives\b", re.I),
    # "a death toll of 12", "the toll rose to 30"
    # "a soldier was killed", "killed a policeman": one person
    # "the victim died", "a man was found dead": the article or "one" before a singular person
    re.compile(r"\b(?P<num>an?|one|the)\s+(?:[\w-]+\s+){0,2}?" + _PERSON
               + r"\s+(?:was\s+|has\s+been\s+|had\s+been\s+)?(?:later\s+|reportedly\s+)?(?:found\s+)?"
               + _DEATH_VERB + r"\b", re.I),
    re.compile(r"\b" + _AFTER_DEATH_VERB + r"\s+(?P<num>an?|one|the)\s+(?:[\w-]+\s+){0,2}?" + _PERSON + r"\b(?!-)",
               re.I),
    re.compile(r"\b(?:death\s+)?toll\s+(?:\w+\s+){0,3}?(?:of|to|at)\s+(?:between\s+)?" + _QUANTITY + r"\b", re.I),
    # "estimates of the number killed ranged from 130 to 400"
    re.compile(r"\b(?:number|toll|estimates?)\s+(?:of\s+)?(?:the\s+)?(?:people\s+)?(?:killed|dead|deaths|fatalities)"
               r"\s+(?:\w+\s+){0,2}?(?:ranged|ranging|range|ranges|varied|varying|varies)\s+(?:from|between)\s+"
               + _QUANTITY + r"\b", re.I),
)
_NONE_KILLED = re.compile(
    r"\b(?:no\s+one|nobody|none)\s+(?:was|were|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:killed|hurt)\b|"
    r"\bno\s+(?:deaths|fatalities|casualties|one\s+died)\b",
    re.I,
)
# Every pattern needs one of these: a cheap test that skips most sentences.
_DEATH_WORD = re.compile(
    r"kill|dead|died|dies|slain|execut|massacr|murder|behead|perish|lives|toll|death|fatalit|bod(?:y|ies)|corpse|"
    r"lynch|assassinat|slaughter|martyr|decapitat|gunned\s+down",
    re.I,
)
_INJURY_IN_GAP = re.compile(r"\b(?:wounded|injured|hurt|and|fled|displaced|arrested|missing)\b", re.I)
_INCLUDING = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them)\b[^,;.]*$", re.I)


_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
#: Numbers that count something other than people: dates, years, ordinals, clock times.
_NOT_A_COUNT = re.compile(
    r"\b" + _ORDINAL + r"\s+(?:of\s+)?" + MONTH_NAME + r"(?:,?\s+\d{4})?(?![\w])"    # 7 May 2018, 7th of May
    r"|\b" + MONTH_NAME + r"\s+" + _ORDINAL + r"\b(?:,?\s+\d{4}\b)?"                 # May 7, 2018
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"           # 2018-05-07, 07/05/2018
    r"|\b\d+(?:st|nd|rd|th)\b"                                                       # the 7th, the 93rd brigade
    r"|\b\d{1,2}[:.]\d{2}\b(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)"  # 10:30, 3 pm
    r"|\b(?:1[89]|20)\d{2}\b(?!\s*(?:people|persons|civilians|soldiers|fighters|dead|deaths))",  # a year
    re.I,
)


def _mask_non_counts(sentence: str) -> str:
    """``sentence`` with the digits of dates, years, ordinals and times blanked (offsets kept)."""
    sentence = _NOT_A_COUNT.sub(lambda m: re.sub(r"\d", "#", m.group(0)), sentence)
    return _AGE.sub(lambda m: "#" * len(m.group(0)), sentence)


def _word_value(text: str) -> int | None:
    """Value of a number written in digits or English words; None if not a number."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits)
    if text in ("a", "an", "the"):  # "the" only ever before one person (see _PATTERNS)
        return 1
    if text == "a dozen":
        return 12
    if text == "a hundred":
        return 100
    scale = 1
    for word, factor in ((" hundred", 100), (" thousand", 1000)):
        if text.endswith(word):
            text, scale = text[: -len(word)], factor
    parts = re.split(r"[- ]", text)
    total = 0
    for part in parts:
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        else:
            return None
    return total * scale


def _group(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _quantity(m: re.Match[str]) -> Deaths | None:
    num = re.sub(r"\s+", " ", m.group("num").lower())
    mod = re.sub(r"\s+", " ", (_group(m, "mod") or "").strip().lower())
    if num in _VAGUE:
        return _VAGUE[num]
    value = _word_value(num)
    if value is None:
        return None
    num2 = _group(m, "num2")
    if num2:
        high = _word_value(num2)
        if high is not None and high > value:
            return value, value, high
    if _group(m, "more") or mod in ("at least", "more than", "over"):
        return value, value, None
    if mod in ("nearly", "almost", "up to", "as many as", "at most", "fewer than", "less than"):
        return value, None, value
    if mod in ("about", "around", "some", "roughly", "approximately", "an estimated"):
        return value, None, None
    return value, value, value


def _regex_toll(sentence: str) -> Toll | None:
    """The largest count the word patterns find (the nouns: "12 deaths", "a toll of 30", "left 4 dead")."""
    counts = _regex_tolls(sentence)
    if not counts:
        return None
    return max(counts, key=lambda c: c.deaths[0] if c.deaths else -1)


def _regex_tolls(sentence: str) -> list[Toll]:
    """Every count the word patterns find; "nobody was killed" as a zero when there is none."""
    if not _DEATH_WORD.search(sentence):
        return []
    # "on 7 May 2018, killing 4": the day of the month is never a death toll.
    masked = _mask_non_counts(sentence)
    counts: list[Toll] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(masked):
            num_start = m.start("num")
            if _INCLUDING.search(masked[:num_start]) or re.search(r"\bno\s*$", masked[:num_start], re.I):
                continue
            count_end = m.end("num2") if _group(m, "num2") else m.end("num")
            between = masked[count_end : m.end()]
            # "dozens wounded and 3 killed": the count belongs to the wounded.
            verb = _DEATH_VERB_RX.search(between)
            if verb and _INJURY_IN_GAP.search(between[: verb.start()]):
                continue
            q = _quantity(m)
            if q is not None:
                counts.append(Toll(q, m.start(), m.end(), sentence[m.start() : m.end()]))
    if not counts:
        none = _NONE_KILLED.search(masked)
        return [Toll((0, 0, 0), none.start(), none.end(), sentence[none.start() : none.end()])] if none else []
    return counts


# -- statements that end a report: "3 fatalities.", "No fatalities were reported.", "Casualties unknown."

_STATED = re.compile(
    r"^\W*(?:(?:total\s+)?(?:fatalities|deaths|casualties|killed|dead)\s*[:=]\s*(?P<num>\d[\d,]*|" + _WORD_NUMBER + r")"
    r"|(?P<num2>\d[\d,]*|" + _WORD_NUMBER + r")\s+(?:reported\s+)?(?:fatalit(?:y|ies)|deaths?|killed|dead)"
    r"(?:\s+(?:were|was|have\s+been|has\s+been)\s+(?:reported|recorded|confirmed))?)\W*$",
    re.I,
)
# An age is not a count: "a 16-year-old boy", "a two-year-old", "aged 61".
_AGE = re.compile(r"\b[\w-]+[- ](?:year|month|week|day)s?[- ]olds?\b|\baged\s+\d+\b", re.I)
# A toll of something before the incident: "four days after the port blast that killed 150".
_EARLIER = re.compile(
    r"\b(?:(?:\w+|\d+)\s+)?(?:days?|weeks?|months?|years?|decades?)\s+(?:after|since)\b[^,;]*", re.I
)
# Nobody hurt means nobody killed: "hurt no one", "No injuries were reported".
_NO_HARM = re.compile(
    r"\b(?:no\s*(?:one|body)\s+(?:was|were|had\s+been)\s+(?:hurt|injured|harmed|wounded)"
    r"|(?:hurt|injured|harmed|injuring|hurting|harming)\s+(?:no\s*one|nobody|anyone)"
    r"|no\s+(?:injuries|casualties|victims)\b"
    r"|without\s+(?:causing\s+)?(?:casualties|injuries))",
    re.I,
)
_STATED_NONE = re.compile(
    r"^\W*(?:no\s+(?:fatalities|deaths|casualties|one\s+was\s+killed|injuries\s+or\s+fatalities)"
    r"(?:\s+(?:were|was|have\s+been|has\s+been)\s+(?:reported|recorded|confirmed))?|fatalities\s*[:=]\s*(?:0|none|no))\W*$",
    re.I,
)
_UNKNOWN = re.compile(
    r"\b(?:(?:casualties|fatalities|deaths|death\s+toll|toll|number\s+of\s+(?:casualties|fatalities|deaths|dead))"
    r"\s+(?:(?:are|is|were|was|remain(?:s|ed)?)\s+)?(?:still\s+)?(?:unknown|unclear|not\s+known|unconfirmed|not\s+(?:yet\s+)?reported)"
    r"|(?:an?\s+)?(?:unknown|unspecified|undisclosed|unconfirmed|undetermined)\s+number\s+of)\b",
    re.I,
)


def stated_toll(sentence: str) -> Toll | None:
    """A sentence that is only a death count, as event notes end: "2 fatalities." (None otherwise).

    Returns a ``Toll`` whose ``deaths`` is None for "Casualties unknown."
    """
    text = sentence.strip()
    if len(text) > 80:
        return None
    m = _STATED.match(text)
    if m:
        num = m.group("num") or m.group("num2")
        value = _word_value(num)
        if value is not None:
            return Toll((value, value, value), 0, len(text), text)
    if _STATED_NONE.match(text):
        return Toll((0, 0, 0), 0, len(text), text)
    if _UNKNOWN.search(text) and len(text.split()) <= 6:
        return Toll(None, 0, len(text), text)
    return None


# -- the parse: who was killed, how many ---------------------------------------------------

_KILL_LEMMAS = frozenset(
    "kill slay execute massacre murder behead assassinate lynch martyr decapitate slaughter".split()
)
_DIE_LEMMAS = frozenset("die perish".split())
# "shot dead", "hacked to death", "gunned down", "found dead"
_MANNER_LEMMAS = frozenset("shoot hack beat stone burn bludgeon stab torture club strangle gun find".split())
_HARM_LEMMAS = frozenset("wound injure hurt maim".split())
_VAGUE_HEADS = frozenset("tens dozens scores hundreds thousands several".split())
_PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ian|man|woman|ee|ant|ent)$")
_PERSON_WORDS = re.compile(r"^" + _PERSON + r"$", re.I)
_NOT_PERSON = frozenset(
    "attack attacker bomber blast explosion strike shelling number toll rest other others one".split()
)


def _is_death_verb(token: Any) -> bool:
    lemma = token.lemma_.lower()
    if lemma in _KILL_LEMMAS or lemma in _DIE_LEMMAS:
        return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")
    if lemma == "leave":
        # "leaving two militants and a marine dead" (the parse hangs "dead" anywhere)
        return any(c.dep_ == "dobj" for c in token.children) and any(
            t.lower_ == "dead" for t in token.doc[token.i + 1 : token.i + 12])
    if lemma in _MANNER_LEMMAS:
        kids = {c.lower_ for c in token.children}
        if "dead" in kids or (lemma == "gun" and "down" in kids):
            return True
        return any(c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in token.children)
    return False


def _victims(verb: Any) -> list[Any]:
    """The heads of the noun phrases naming who died, by the verb's roles."""
    kids = list(verb.children)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in kids)
    if verb.lemma_.lower() in _DIE_LEMMAS:
        heads = [c for c in kids if c.dep_ in ("nsubj", "nsubjpass")]
    elif passive:
        # An aside between subject and verb can leave it an nsubj: "Both attackers, believed to be
        # JAD members, were killed".
        heads = [c for c in kids if c.dep_ == "nsubjpass"] or [c for c in kids if c.dep_ == "nsubj"]
    else:
        heads = [c for c in kids if c.dep_ == "dobj"]
    if not heads and verb.dep_ == "xcomp" and verb.tag_ == "VBN":
        # "Seven militants were reported killed": the subject is the reporting verb's.
        heads = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "nsubj")]
    if not heads and verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        heads = [verb.head]  # "civilians killed in the strike"
    if verb.dep_ == "relcl" and heads and all(h.tag_ in ("WP", "WDT") or h.lower_ == "that" for h in heads):
        heads = [verb.head]  # "an elder who was shot dead": the elder
    if not heads and passive and verb.dep_ == "ccomp":
        # "Officials said 46 people, most of them women, were killed": the parse makes them the object of "said".
        heads = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
    # "Twenty-five tourists were shot dead, along with a pony operator": the operator died too.
    heads += [g for c in kids if c.dep_ == "prep" and c.lower_ in ("along", "together")
              for w in c.children if w.lower_ == "with" for g in w.children if g.dep_ == "pobj"]
    if not heads and not passive:
        # Coordinated verbs share their object: "stoned and beat to death a classmate".
        partners = [verb.head] if verb.dep_ == "conj" else [c for c in kids if c.dep_ == "conj"]
        heads = [c for p in partners for c in p.children if c.dep_ == "dobj"]
    if heads and not passive:
        # The parse may hang a second victim on the verb: "killing him and at least three members".
        heads += [c for c in kids if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON")
                  and c.i > heads[0].i and not _harm_between(heads[0], c, parts=True)]
    out: list[Any] = []
    for head in heads:
        if head in out:
            continue
        out.append(head)
        # "shot dead a vaccinator and wounded her colleague": the wounded are no victims.
        # "2 killed and 3 injured": a count the harm word follows is the wounded's too.
        out.extend(t for t in head.conjuncts if t.i > head.i and not _harm_between(head, t))
        # ... or inside the first victim's phrase: "a commander of Kataib Hezbollah and two other
        # members of the group" (a counted person, never a bare name: "a commander of X and Y").
        out.extend(t for t in head.subtree if t.dep_ == "conj" and t.head is not head and t.head.i > head.i
                   and t.i > head.i and t not in out and not _harm_between(head, t, parts=True)
                   and any(c.dep_ == "nummod" for c in t.children))
    return out


_PART_OF_WORDS = frozenset("including among them whom such include includes".split())


def _harm_between(head: Any, other: Any, parts: bool = False) -> bool:
    """A wound word between two victims ("killed 2 and wounded 3"), or with ``parts`` a part of
    the first ("20 civilians, 9 of them children", "70 people, including ten women"): not more dead."""
    between = head.doc[head.i : other.i + 2]
    return any(w.lemma_.lower() in _HARM_LEMMAS or (parts and w.lower_ in _PART_OF_WORDS) for w in between)


def _bodies(token: Any) -> list[Any]:
    """The people "the bodies of a woman and her two children" names, coordinated ones too."""
    heads = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
             if g.dep_ == "pobj"]
    return [t for h in heads for t in (h, *(c for c in h.conjuncts if c.i > h.i))]


def _count_of(head: Any, text: str) -> Deaths | None | str:
    """The count a victim phrase gives; "unknown" for "an unknown number", None when it gives none."""
    lower = head.lower_
    left = head.doc[head.left_edge.i : head.i + 1]
    if any(t.lower_ in ("unknown", "unspecified", "undisclosed", "unconfirmed") for t in left):
        return "unknown"
    if lower in ("nobody", "none") or (lower == "one" and any(c.lower_ == "no" for c in head.children)):
        return (0, 0, 0)
    if lower in ("him", "her"):
        return (1, 1, 1)  # "beat him to death"
    if lower == "both" or any(c.lower_ == "both" for c in head.children):
        return (2, 2, 2)  # "killing both", "both men died"
    if any(c.dep_ == "det" and c.lower_ == "no" for c in head.children):
        return (0, 0, 0)
    phrase = _mask_non_counts(text[left.start_char : head.idx + len(head.text)])
    for m in re.finditer(r"(?<![\w#])" + _QUANTITY + r"(?![\w#])", phrase, re.I):
        q = _quantity(m)
        if q is not None:
            return q
    if head.like_num or lower in _VAGUE_HEADS:
        return None
    if head.dep_ == "conj" and head.tag_ in ("NN", "NNP") and lower not in _NOT_PERSON and any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
        return (1, 1, 1)  # "killing three Spanish nationals and an Afghan": one more person
    # A singular person with an article or a possessive: "a civilian", "the owner", "his brother".
    if head.tag_ in ("NN", "NNP") and lower not in _NOT_PERSON and (
        _PERSON_WORDS.match(lower) or (_PERSON_SUFFIX.search(lower) and head.pos_ == "NOUN")
    ):
        return (1, 1, 1)
    return None


def _parse_tolls(sentence: str) -> list[Toll]:
    """Tolls from spaCy's parse: the subject or object of each death verb and the count it carries."""
    from conflictmap.events.parse import parse_sentence

    doc = parse_sentence(sentence)
    tolls: list[Toll] = []
    for token in doc:
        if token.lower_ in ("bodies", "corpses"):
            heads = _bodies(token) or ([token] if any(c.like_num for c in token.children) else [])
            if not heads:
                continue
        elif not _is_death_verb(token):
            continue
        else:
            heads = _victims(token)
        counts = [(h, _count_of(h, sentence)) for h in heads]
        unknown_more = any(c == "unknown" for _, c in counts[1:]) and isinstance(counts[0][1], tuple)
        if unknown_more:
            # "Between 5 and 7 soldiers were killed, along with an unknown number of militants": 5 or more.
            counts = [(h, c if c != "unknown" else (0, 0, None)) for h, c in counts]
        if any(c == "unknown" for _, c in counts):
            first = heads[0]
            tolls.append(Toll(None, first.left_edge.idx, token.idx + len(token.text),
                              _span_text(sentence, first, token)))
            continue
        known = [(h, c) for h, c in counts if isinstance(c, tuple)]
        if not known:
            continue
        best = sum(c[0] for _, c in known)
        low = sum(c[1] for _, c in known) if all(c[1] is not None for _, c in known) else None
        high = sum(c[2] for _, c in known) if all(c[2] is not None for _, c in known) else None
        start = min(h.left_edge.idx for h, _ in known + [(token, None)])
        end = max(h.idx + len(h.text) for h, _ in known + [(token, None)])
        # The phrase spans every victim counted ("killing 11 civilians, along with a volunteer").
        phrase = _span_text(sentence, known[0][0], token) if len(known) == 1 else sentence[start:end]
        tolls.append(Toll((best, low, high), start, end, phrase))
    return tolls


def _span_text(sentence: str, head: Any, verb: Any) -> str:
    start = min(head.left_edge.idx, verb.idx)
    end = max(head.idx + len(head.text), verb.idx + len(verb.text))
    return sentence[start:end]


def find_toll(sentence: str) -> Toll | None:
    """The death toll of a sentence: from the parse, else from the word patterns, else a stated one.

    Parameters
    ----------
    sentence : str
        One sentence (or clause) of an article.

    Returns
    -------
    Toll or None
        The largest count found, with its phrase; a ``Toll`` with ``deaths``
        None when the text calls the number unknown; None when it says nothing
        of deaths.
    """
    stated = stated_toll(sentence)
    if stated is not None:
        return stated
    sentence = _EARLIER.sub(lambda m: " " * len(m.group(0)), sentence)
    if not _DEATH_WORD.search(sentence):
        harm = _NO_HARM.search(sentence)
        if harm:
            return Toll((0, 0, 0), harm.start(), harm.end(), harm.group(0))
        return _unknown(sentence)
    parsed = [t for t in _parse_tolls(sentence) if not _INCLUDING.search(_mask_non_counts(sentence[: t.start]))]
    worded = _regex_toll(sentence)
    known = [t for t in parsed if t.deaths is not None]
    if known:
        best = max(known, key=lambda t: t.deaths[0] if t.deaths else 0)
        # A noun count the parse cannot see ("a death toll of 30", "left 12 dead") may be larger.
        if worded is not None and worded.deaths is not None and best.deaths is not None:
            if worded.deaths[0] > best.deaths[0] and not _overlaps(worded, best):
                return worded
        extra = [t for t in (*known, *_regex_tolls(sentence)) if t is not best and t.deaths is not None
                 and not _overlaps(t, best) and _ALSO.search(sentence[t.start : t.end + 12])]
        return _plus(best, extra[0]) if extra else best
    if parsed:
        return parsed[0]  # "an unknown number of soldiers were killed"
    return worded or _unknown(sentence)


# "..., adding that two soldiers also lost their lives": more dead, not the same ones again.
_ALSO = re.compile(r"\b(?:also|as\s+well|too)\b", re.I)


def _plus(a: Toll, b: Toll) -> Toll:
    """Two counts of different dead of one incident, added up (an unknown bound stays unknown)."""
    assert a.deaths is not None and b.deaths is not None
    low = a.deaths[1] + b.deaths[1] if a.deaths[1] is not None and b.deaths[1] is not None else None
    high = a.deaths[2] + b.deaths[2] if a.deaths[2] is not None and b.deaths[2] is not None else None
    first, last = (a, b) if a.start <= b.start else (b, a)
    return Toll((a.deaths[0] + b.deaths[0], low, high), first.start, last.end, f"{first.phrase}; {last.phrase}")


def _overlaps(a: Toll, b: Toll) -> bool:
    return a.start < b.end and b.start < a.end


def _unknown(sentence: str) -> Toll | None:
    m = _UNKNOWN.search(sentence)
    return Toll(None, m.start(), m.end(), m.group(0)) if m else None


def parse_fatalities(sentence: str) -> Deaths | None:
    """Read the number of people killed from a sentence.

    Parameters
    ----------
    sentence : str
        One sentence of an article.

    Returns
    -------
    tuple of (int, int or None, int or None), or None
        ``(best, low, high)`` following the module's mapping, or None when the
        sentence reports no deaths or calls them unknown (see ``find_toll``).

    Examples
    --------
    >>> parse_fatalities("Air strikes killed at least six civilians on Thursday.")
    (6, 6, None)
    >>> parse_fatalities("Some 350,000 people have fled the fighting.") is None
    True
    """
    toll = find_toll(sentence)
    return toll.deaths if toll else None
