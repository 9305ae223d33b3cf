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
``translit_key``
    The loosest spelling key, one per script family (see ``script_family``):
    ``vowel_key`` with the family's romanisation variants merged and the
    spaces dropped (Arabic q/k/g and a glued article, Somali c for the ain and
    x for the ha, Arabic, Somali and Persian short vowels a/e/i as one, Persian/Pashto
    kh/gh and v/w, Cyrillic -ov/-iv, zh/j, ts/c):
    "Beledweyne" and "Belet Weyne", "Ceelasha" and "Elasha", "Kharkov" and
    "Kharkiv". It is only compared by the fuzzy search over the places of a
    story's countries (``candidates.fuzzy_candidates``), never indexed.
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


#: Generic words of Arabic place names and their common romanisations (after
#: doubled letters are collapsed), each to one spelling: "Tell"/"Tall"/"Tal",
#: "Ain"/"Ayn"/"Ein", "Kafr"/"Kfar"/"Kafar", "Deir"/"Dayr", "Beit"/"Bayt",
#: "Maaret"/"Maarrat", "Jebel"/"Jabal", "Sheikh"/"Shaykh". Words that are
#: also English or European name words ("bet", "der", "om") are left out.
_ARABIC_WORDS = {
    **dict.fromkeys(("tel", "tal", "til"), "tal"),
    **dict.fromkeys(("ain", "ayn", "ein", "eyn", "ayin"), "ain"),
    **dict.fromkeys(("kafr", "kfar", "kafar", "kefr", "kfr", "kefar"), "kafr"),
    **dict.fromkeys(("deir", "dayr", "dair", "deyr"), "dayr"),
    **dict.fromkeys(("beit", "bayt", "bait", "beyt"), "bayt"),
    **dict.fromkeys(("maret", "marat", "marit", "marrat", "mart"), "marat"),
    **dict.fromkeys(("jebel", "jabal", "jabel", "jbel", "djebel", "jibal"), "jabal"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh", "sheik", "shekh", "shaykh", "shiekh"), "shaykh"),
    **dict.fromkeys(("khirbet", "khirbat", "kherbet", "khirbit", "khirba"), "khirbat"),
    **dict.fromkeys(("wadi", "wady", "oued"), "wadi"),
}


def _fold_word(word: str) -> str:
    word = _ABU.get(word, word)
    word = _GLUED_ARTICLE.sub(r"\1", word)
    word = _DOUBLES.sub(r"\1", word)
    if len(word) > 3 and (word.endswith("ah") or word.endswith("eh")):
        word = word[:-2] + "a"
    return _ARABIC_WORDS.get(word, word)


#: French "qu" before a vowel is the Arabic q ("Quamishli", "Qamishli"); q and k
#: are one letter in romanisations ("Kamishli"); the Somali x is the Arabic ha
#: ("Xudur", "Hudur"), and zh the French j of Cyrillic names ("Zhytomyr", "Jitomir").
_QU = re.compile(r"qu(?=[aeio])")
_CONSONANTS = (("q", "k"), ("zh", "j"), ("x", "h"))
#: Slavic -ov/-ev/-iv endings of one name in Russian and Ukrainian ("Kharkov", "Kharkiv").
_SLAVIC_END = re.compile(r"(?<=[a-z]{3})(?:ov|ev|iv|uv|yv)$")


def _vowel_word(word: str) -> str:
    word = _QU.sub("q", word)
    for old, new in _CONSONANTS:
        word = word.replace(old, new)
    word = _SLAVIC_END.sub("iv", word)
    word = _DIPHTHONG_U.sub("u", _DIPHTHONG_I.sub("i", word))
    # y after the first letter is a vowel (Kyiv/Kiev, Qamishly/Qamishli).
    word = word[:1] + word[1:].replace("y", "i")
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


#: Country -> script family of its place names' romanisations (see ``translit_key``).
_FAMILIES = {
    **dict.fromkeys("SY IQ YE LB JO PS SA EG LY TN DZ MA EH SD KW OM AE QA BH MR TD IL".split(), "arabic"),
    **dict.fromkeys("SO XS DJ".split(), "somali"),
    **dict.fromkeys("IR AF PK TJ".split(), "persian"),
    **dict.fromkeys("UA RU BY KZ KG MD".split(), "cyrillic"),
}
_FAMILY_SUBS: dict[str, tuple[tuple[str, str], ...]] = {
    # The article glued to the name ("Alqamishli", "Elbab"), and the Iraqi and
    # Egyptian g for q ("Gayyara") and g for j ("Gamal").
    # Short vowels: a, e and i write one fatha or kasra ("Menbej", "Manbij").
    "arabic": ((r"^(?:al|el)(?=[a-z]{4})", ""), ("g", "k"), ("w", "u"), ("dh", "d"), ("th", "t"),
               ("e", "a"), ("i", "a"), ("o", "u")),
    # Somali c is the ain: dropped next to a vowel ("Ceel" = "El"); dh is a d.
    # "Ceel" (a well) is also written "El", which the fold key drops as an article.
    "somali": ((r"c(?=[aeiou])|(?<=[aeiou])c", ""), ("dh", "d"), ("w", "u"), ("e", "a"), ("i", "a"),
               (r"^al(?=[a-z]{3})", "")),
    "persian": (("kh", "h"), ("gh", "g"), ("w", "v"), ("ou", "u"), ("e", "a"), ("i", "a")),
    "cyrillic": (("kh", "h"), ("shch", "sh"), ("ts", "c"), ("yi", "i"), ("ie", "i"), ("ye", "i")),
}


#: The same, with the regular expressions among them compiled once.
_COMPILED_SUBS: dict[str, tuple[tuple[re.Pattern[str] | str, str], ...]] = {
    family: tuple((re.compile(old) if any(c in old for c in "(^|") else old, new) for old, new in subs)
    for family, subs in _FAMILY_SUBS.items()
}


def script_family(country_code: str) -> str:
    """The script family whose romanisations a country's place names follow.

    Parameters
    ----------
    country_code : str
        ISO 3166-1 alpha-2 code.

    Returns
    -------
    str
        ``"arabic"``, ``"somali"``, ``"persian"``, ``"cyrillic"`` or ``"latin"``.
    """
    return _FAMILIES.get((country_code or "").upper(), "latin")


@lru_cache(maxsize=1 << 18)
def translit_key(name: str, family: str = "latin") -> str:
    """Return the loosest spelling key of ``name`` in a script family (see module doc).

    Parameters
    ----------
    name : str
        A place name as written.
    family : str
        One of ``script_family``'s values.

    Returns
    -------
    str
        Lower-case letters without spaces ("beletweyne"); "" for a non-Latin name.
    """
    word = vowel_key(name).replace(" ", "")
    for old, new in _COMPILED_SUBS.get(family, ()):
        word = old.sub(new, word) if isinstance(old, re.Pattern) else word.replace(old, new)
    return _DOUBLES.sub(r"\1", word)


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
