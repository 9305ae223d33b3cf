"""Name normalisation: make wire-copy spellings meet GeoNames spellings.

Three keys of growing looseness are derived from every name, on both sides
(gazetteer names when the index is built, text spans when they are looked up):

``norm_key``
    Case folded, diacritics removed, apostrophes dropped, hyphens and other
    punctuation turned into spaces: "Deir ez-Zor" -> "deir ez zor".
``fold_key``
    ``norm_key`` without the Arabic article (al-, ar-, ad-, el-, ez-, ... as a
    word or glued and assimilated as in "Ezzor"), "Albu"/"Abou" -> "abu",
    doubled letters collapsed and a final "-ah"/"-eh" made "-a":
    "Deir Ezzor" and "Dayr az Zawr" -> "deir zor" / "dayr zawr";
    "Ar Raqqah" and "Raqa" -> "raqa"; "Al Hawijah" and "Hawija" -> "hawija".
``skeleton_key``
    ``fold_key`` reduced to a consonant outline (first letter kept, later
    vowels and y/w dropped, q->k, ph->f, kh->h, doubled letters collapsed),
    so that "Dayr az Zawr" and "Deir Ezzor" ("dr zr"), "Kiev" and "Kyiv"
    ("kv"), "Hodeida" and "Al Hudaydah" ("hd") meet. It is only used to
    resolve spans that are already known to be places, never to recognise.

Standard library only.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Arabic article spellings seen in transliterations, as separate words.
_ARTICLES = frozenset(
    "al el ar er ad ed an en as es at et az ez ash esh ath adh ul il".split()
)
#: Letters the Arabic article assimilates to ("sun letters" in Latin spelling).
_SUN = "tdrzsnl"
_GLUED_ARTICLE = re.compile(r"^(?:a|e)([" + _SUN + r"])\1(?=[a-z]{2,})")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb\u02be\u02bf`\u00b4]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DOUBLES = re.compile(r"([a-z])\1+")
#: Folding for letters that NFKD does not decompose.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
     "ł": "l", "ı": "i", "ħ": "h"}
)
_ABU = {"albu": "abu", "abou": "abu", "abo": "abu", "bou": "abu", "bu": "abu",
        "st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def strip_diacritics(text: str) -> str:
    """Return ``text`` without combining marks ("Dayr az Zawr" from "Dayr az Zawr")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def norm_key(name: str) -> str:
    """Return the case- and punctuation-insensitive key of ``name``.

    Parameters
    ----------
    name : str
        A place name as written.

    Returns
    -------
    str
        Lower-case ASCII-ish words separated by single spaces; "" when nothing
        Latin is left (a non-Latin name never matches a Latin one by accident).
    """
    text = _APOSTROPHES.sub("", strip_diacritics(name))
    return _NON_WORD.sub(" ", text).strip()


def _fold_word(word: str) -> str:
    word = _ABU.get(word, word)
    word = _GLUED_ARTICLE.sub(r"\1", word)
    word = _DOUBLES.sub(r"\1", word)
    if len(word) > 3 and (word.endswith("ah") or word.endswith("eh")):
        word = word[:-2] + "a"
    return word


@lru_cache(maxsize=1 << 16)
def fold_key(name: str) -> str:
    """Return the transliteration-tolerant key of ``name`` (see module doc)."""
    words = norm_key(name).split()
    kept = [w for w in words if w not in _ARTICLES]
    if not kept:  # a name that is only an article word: keep it as is
        kept = words
    return " ".join(_fold_word(w) for w in kept)


_SKELETON_SUBS = (("ph", "f"), ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "c"),
                  ("th", "t"), ("dh", "d"), ("q", "k"), ("ck", "k"), ("ou", "u"))


def _skeleton_word(word: str) -> str:
    for old, new in _SKELETON_SUBS:
        word = word.replace(old, new)
    if not word:
        return word
    head, tail = word[0], re.sub(r"[aeiouyw]", "", word[1:])
    return _DOUBLES.sub(r"\1", head + tail)


@lru_cache(maxsize=1 << 16)
def skeleton_key(name: str) -> str:
    """Return the consonant outline of ``name`` (see module doc)."""
    return " ".join(_skeleton_word(w) for w in fold_key(name).split())


def is_latin(name: str) -> bool:
    """Return True when ``name`` is written in Latin letters (after folding)."""
    folded = strip_diacritics(name)
    return bool(folded) and all(ord(ch) < 0x250 for ch in folded)
