"""Tokenisation for the gazetteer recogniser: words, the gaps between them, and sentence edges.

The text as a whole is never tokenised: the recogniser visits each capitalised
word and reads a small window of words from there (``window``), or the word
just before a position (``prev_token``). Offsets are Python ``str`` indices.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from conflictmap.geo.recognise.lexicon import ABBREVS, ELISIONS, PARTICLES, TITLE_ABBREVS

#: The most words a name may have.
MAX_WORDS = 6

# Apostrophes join word parts ("Dar'a") but not a possessive "'s".
WORD = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019](?!s\b)(?=[^\W\d_]))*", re.UNICODE)
#: What may stand between two words of one name: a space or two, a hyphen, an apostrophe.
GAP = re.compile(r"[ \t\-\u2010\u2011]{1,2}|['\u2019]")
#: The gap after an abbreviation a name starts with ("St. Marc").
ABBREV_GAP = re.compile(r"\. ?")
#: Where a capitalised word may start a name.
CAP_START = re.compile(r"(?<![^\W_])[^\W\d_a-z]")
_SENT_END = re.compile(r"(?:[.!?:;\"\u201c\u201d(\[]|\n|^|\s-|\u2013|\u2014)\s*$")
_PREV_WORD = re.compile(r"([^\W\d_](?:[^\W_]|['\u2019](?!s\b)(?=[^\W\d_]))*)[^\w]*\Z")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


class Token(NamedTuple):
    """A word: ``text[start:end]``."""

    start: int
    end: int
    text: str


def window(text: str, pos: int) -> list[Token]:
    """The run of name-like words from ``pos`` on, plus the word that ends it."""
    toks: list[Token] = []
    for m in WORD.finditer(text, pos, pos + 200):
        word = m.group()
        toks.append(Token(m.start(), m.end(), word))
        if len(toks) > MAX_WORDS:
            break
        gap_ok = bool(GAP.fullmatch(text, toks[-2].end, m.start())) if len(toks) > 1 else True
        if len(toks) == 2 and toks[0].text in ABBREVS:
            gap_ok = gap_ok or bool(ABBREV_GAP.fullmatch(text, toks[0].end, m.start()))
        if len(toks) > 1 and not (gap_ok and continues(word)):
            break
    return toks


def prev_token(text: str, pos: int) -> Token | None:
    """The word just before ``pos`` (within 40 characters), if any."""
    lo = max(0, pos - 40)
    prev = _PREV_WORD.search(text, lo, pos)
    if prev is None or (prev.start() == lo and lo > 0):
        return None
    return Token(prev.start(1), prev.end(1), prev.group(1))


def title_case_line(text: str, pos: int) -> bool:
    """True when ``pos`` is on a short line (< 200 characters) of mostly capitalised words."""
    lo = text.rfind("\n", max(0, pos - 200), pos)
    hi = text.find("\n", pos, pos + 200)
    if (lo < 0 and pos > 200) or (hi < 0 and len(text) - pos > 200):
        return False
    words = _LONG_WORD.findall(text, lo + 1, hi if hi >= 0 else len(text))
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 3 and words[0][:1].isupper() and caps >= 0.7 * len(words)


def continues(word: str) -> bool:
    """Whether ``word`` can be a later word of a place name ("Kamal", "al", "d'Ivoire")."""
    return word[:1].isupper() or word.lower() in PARTICLES or word[:2].lower() in ELISIONS


def is_cap(word: str) -> bool:
    """Whether ``word`` starts with a capital letter."""
    return word[:1].isupper()


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` starts a sentence, a line or a quotation
    (an abbreviated title's period, as in "Gov. Carey", ends none)."""
    if not _SENT_END.search(text[max(0, start - 4):start]):
        return False
    before = text[max(0, start - 8):start].rstrip()
    if before.endswith("."):
        word = re.split(r"[^A-Za-z]", before[:-1])[-1].lower()
        return word not in TITLE_ABBREVS
    return True
