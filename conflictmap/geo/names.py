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
``vowel_key``
    ``fold_key`` with the vowels Arabic transliterations write either way
    merged: e meets i and o meets u (not word-finally), "ay"/"ei" -> "i",
    "aw"/"ow"/"ou" -> "u" before a consonant: "Atareb" and "Al Atarib"
    ("atarib"), "Idleb" and "Idlib", "Sheikh" and "Shaykh" ("shikh"). Looser
    than ``fold_key`` ("Boken" meets "Buken"), so a place matched only at this
    level needs the story's context to be kept (see ``geoparser``).
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


#: Diphthongs Arabic transliterations write either way ("Dayr"/"Deir", "Zawr"/"Zor").
_DIPHTHONG_I = re.compile(r"[ae][iy](?=[^aeiou]|$)")
_DIPHTHONG_U = re.compile(r"(?:[ao]w|ou)(?=[^aeiou]|$)")
#: Short vowels Levantine and classical spellings write differently ("Atareb"/"Atarib",
#: "Idleb"/"Idlib", "Homs"/"Hums"): e meets i and o meets u. Word-final "e" stays
#: (it is often silent in European names).
_VOWELS = str.maketrans({"e": "i", "o": "u"})


def _fold_word(word: str) -> str:
    word = _ABU.get(word, word)
    word = _GLUED_ARTICLE.sub(r"\1", word)
    word = _DOUBLES.sub(r"\1", word)
    if len(word) > 3 and (word.endswith("ah") or word.endswith("eh")):
        word = word[:-2] + "a"
    return word


def _vowel_word(word: str) -> str:
    word = _DIPHTHONG_U.sub("u", _DIPHTHONG_I.sub("i", word))
    word = word[:-1].translate(_VOWELS) + word[-1:] if len(word) > 1 else word
    return _DOUBLES.sub(r"\1", word)


@lru_cache(maxsize=1 << 16)
def fold_key(name: str) -> str:
    """Return the transliteration-tolerant key of ``name`` (see module doc)."""
    words = norm_key(name).split()
    kept = [w for w in words if w not in _ARTICLES]
    if not kept:  # a name that is only an article word: keep it as is
        kept = words
    return " ".join(_fold_word(w) for w in kept)


@lru_cache(maxsize=1 << 16)
def vowel_key(name: str) -> str:
    """Return ``fold_key`` with vowel spellings merged (see module doc)."""
    return " ".join(_vowel_word(w) for w in fold_key(name).split())


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
    """Return True when ``name`` is written in Latin letters (after folding).

    Ain and hamza signs (‘ ’ ʿ ʾ ...) are Latin transliteration marks, not
    another script: "Dārat ‘Izzah" is Latin.
    """
    folded = _APOSTROPHES.sub("", strip_diacritics(name))
    return bool(folded) and all(ord(ch) < 0x250 for ch in folded)


#: Abbreviations of states and provinces as news copy writes them (AP style:
#: "Springfield, Ill."), each to the full name and country of the admin1 unit.
STATE_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    **{abbr: (name, "US") for abbr, name in (
        ("Ala.", "Alabama"), ("Ariz.", "Arizona"), ("Ark.", "Arkansas"), ("Calif.", "California"),
        ("Colo.", "Colorado"), ("Conn.", "Connecticut"), ("Del.", "Delaware"), ("Fla.", "Florida"),
        ("Ga.", "Georgia"), ("Ill.", "Illinois"), ("Ind.", "Indiana"), ("Kan.", "Kansas"),
        ("Kans.", "Kansas"), ("Ky.", "Kentucky"), ("La.", "Louisiana"), ("Md.", "Maryland"),
        ("Mass.", "Massachusetts"), ("Mich.", "Michigan"), ("Minn.", "Minnesota"),
        ("Miss.", "Mississippi"), ("Mo.", "Missouri"), ("Mont.", "Montana"), ("Neb.", "Nebraska"),
        ("Nebr.", "Nebraska"), ("Nev.", "Nevada"), ("N.H.", "New Hampshire"), ("N.J.", "New Jersey"),
        ("N.M.", "New Mexico"), ("N.Y.", "New York"), ("N.C.", "North Carolina"),
        ("N.D.", "North Dakota"), ("Okla.", "Oklahoma"), ("Ore.", "Oregon"), ("Pa.", "Pennsylvania"),
        ("R.I.", "Rhode Island"), ("S.C.", "South Carolina"), ("S.D.", "South Dakota"),
        ("Tenn.", "Tennessee"), ("Tex.", "Texas"), ("Vt.", "Vermont"), ("Va.", "Virginia"),
        ("Wash.", "Washington"), ("W.Va.", "West Virginia"), ("Wis.", "Wisconsin"),
        ("Wyo.", "Wyoming"))},
    **{abbr: (name, "AU") for abbr, name in (
        ("NSW", "New South Wales"), ("Qld", "Queensland"), ("Qld.", "Queensland"),
        ("Vic.", "Victoria"), ("Tas.", "Tasmania"), ("ACT", "Australian Capital Territory"))},
    # Canadian provinces as the Canadian Press style writes them ("northeastern B.C.").
    **{abbr: (name, "CA") for abbr, name in (
        ("B.C.", "British Columbia"), ("Alta.", "Alberta"), ("Sask.", "Saskatchewan"),
        ("Ont.", "Ontario"), ("Que.", "Quebec"), ("N.S.", "Nova Scotia"), ("N.B.", "New Brunswick"),
        ("Nfld.", "Newfoundland and Labrador"), ("P.E.I.", "Prince Edward Island"))},
}


def state_abbreviation(surface: str) -> tuple[str, str] | None:
    """Return ``(full name, country code)`` for a state abbreviation ("Ill.", "NSW"), else None.

    The period is part of it: "La" or "Miss" alone are other words.
    """
    return STATE_ABBREVIATIONS.get(surface.strip())


#: Words that make a name a part of a bigger place ("North London", "Southern California").
COMPASS_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper",
    "lower", "greater", "mid", "northeast", "northwest", "southeast", "southwest", "northeastern",
    "northwestern", "southeastern", "southwestern", "inner", "outer"})


def word_runs(surface: str) -> list[tuple[str, bool]]:
    """Runs of the words of a multi-word name that could name a place, longest first.

    Each run starts with a capital, is at least 4 characters long and is not only
    compass words; the flag tells whether a compass word stands in the rest of
    the name ("North London" gives ``("London", True)``).

    Parameters
    ----------
    surface : str
        The name, e.g. "Manila Cathedral".

    Returns
    -------
    list[tuple[str, bool]]
        ``(run, after_compass)`` pairs; empty for a one-word name.
    """
    words = surface.split()
    out: list[tuple[str, bool]] = []
    for size in range(len(words) - 1, 0, -1):
        for first in range(len(words) - size + 1):
            part = words[first:first + size]
            text = " ".join(part)
            if not part[0][:1].isupper() or len(text) < 4 or all(w.lower() in COMPASS_WORDS for w in part):
                continue
            rest = {w.lower().strip(".,") for w in words[:first] + words[first + size:]}
            out.append((text, bool(rest & COMPASS_WORDS)))
    return out
