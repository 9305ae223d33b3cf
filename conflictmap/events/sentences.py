"""Sentence and clause splitting for event extraction. Standard library only.

Wire copy is regular enough that a careful rule-based splitter beats loading a
parser: sentences end at ``.``, ``!`` or ``?`` (optionally followed by a closing
quote) before white space and a capital, digit or opening quote, unless the
word before the full stop is a known abbreviation ("Nov.", "Gen.", "U.S.").
Line breaks that separate paragraphs always end a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that end in a full stop without ending the sentence. Lower case, no dot.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cpl pvt brig adm cmdr gov sen rep rev st mt ft
    jr sr no nos vs etc approx dept univ inc ltd co corp est fig al
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    """.split()
)

#: After an initialism like "U.S." these words show that a new sentence starts.
_SENTENCE_STARTERS = frozenset(
    "the a an it he she they we i this that these those but and in on at its their his her".split()
)

_BOUNDARY = re.compile(r"""([.!?]+)(["'\u201d\u2019)]*)(\s+)(?=["'\u201c\u2018(]?[A-Z0-9])""")
# A blank line, a bulleted line, or either side of a "- Subhead -" line; a single
# wrapped line break is not a boundary.
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*[-\u2022*] )|(?<= -)[ \t]*\n")
_WORD_BEFORE = re.compile(r"([A-Za-z](?:\.[A-Za-z])*\.?|[A-Za-z]+)$")
_NEXT_WORD = re.compile(r"[\"'\u201c\u2018(]?([A-Za-z]+)")

#: Clause openers that may carry their own time ("..., which IS lost last month").
_CLAUSE_BREAK = re.compile(
    r"(?:;\s*|,\s+(?=(?:who|which|where|while|whereas|after|before|when|as|but|although|though|"
    # an earlier incident that dates this one: ", two days after a similar device killed a gendarme"
    r"(?:\w+\s+)?(?:days?|weeks?)\s+after)\b)"
    # ... but not inside a time phrase: "ten days after", "hours before"
    r"|(?<!days)(?<!day)(?<!weeks)(?<!week)(?<!hours)(?<!months)\s+(?=(?:when|after|before|whereas|while)\s))"
)


_ASIDE = re.compile(r",\s+(?P<aside>(?:who|which)\s+(?:had|has|have|was|were)\b[^,;]*),\s+(?=[a-z])")


@dataclass(frozen=True)
class Span:
    """A stretch of text with its offsets in the text it was cut from."""

    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot_at: int) -> bool:
    """Return True when the full stop at ``dot_at`` closes an abbreviation."""
    match = _WORD_BEFORE.search(text, 0, dot_at)
    if not match:
        return False
    word = match.group(1).rstrip(".")
    if "." in word:
        # An initialism ("U.S", "a.m"): a new sentence only if a function word follows.
        nxt = _NEXT_WORD.match(text[dot_at + 1 :].lstrip("\"'\u201d\u2019) \t\n"))
        return not (nxt and nxt.group(1).lower() in _SENTENCE_STARTERS)
    if len(word) == 1 and word.isupper():
        return True  # a middle initial: "George W. Bush"
    return word.lower() in _ABBREVIATIONS


def _split_block(text: str, offset: int) -> list[Span]:
    """Split one paragraph into sentences; offsets are shifted by ``offset``."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        dot_at = match.start(1)
        if match.group(1) == "." and _is_abbreviation(text, dot_at):
            continue
        end = match.end(2)
        spans.append(Span(start, end, text[start:end]))
        start = match.end(3)
    spans.append(Span(start, len(text), text[start:]))
    out = []
    for span in spans:
        stripped = span.text.strip()
        if not stripped:
            continue
        lead = len(span.text) - len(span.text.lstrip())
        s = offset + span.start + lead
        out.append(Span(s, s + len(stripped), stripped))
    return out


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences with their character offsets.

    Parameters
    ----------
    text : str
        An article body.

    Returns
    -------
    list of Span
        Sentences in order; ``text[s.start:s.end] == s.text`` for each, with
        surrounding white space excluded.
    """
    sentences: list[Span] = []
    pos = 0
    for brk in _PARAGRAPH.finditer(text):
        sentences.extend(_split_block(text[pos : brk.start()], pos))
        pos = brk.end()
    sentences.extend(_split_block(text[pos:], pos))
    return sentences


def split_clauses(sentence: Span) -> list[Span]:
    """Cut a sentence into clauses at relative and temporal clause openers.

    Each clause may carry its own time ("took Deir Ezzor on Friday, ... after
    being expelled from Raqa last month"); offsets stay in body coordinates.
    """
    clauses: list[Span] = []
    pos = 0
    text = sentence.text
    breaks = [(b.start(), b.end()) for b in _CLAUSE_BREAK.finditer(text)]
    # An aside between commas ("Kurdish fighters, who had seized Manbij in 2016, clashed ...")
    # ends at its closing comma: what follows is the main clause again.
    for aside in _ASIDE.finditer(text):
        breaks.append((aside.end("aside"), aside.end()))
    for start, end in sorted(breaks):
        if start <= pos:
            continue
        clauses.append(Span(sentence.start + pos, sentence.start + start, text[pos:start]))
        pos = end
    clauses.append(Span(sentence.start + pos, sentence.end, text[pos:]))
    return [c for c in clauses if c.text.strip()]
