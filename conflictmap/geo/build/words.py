"""English words for the gazetteer's filters: which capitalised words are common, which are words at all.

Read from ``english-words`` (the dictionary) and ``wordfreq`` (how often a word
is used) when the index is built; ``Gazetteer`` keeps both sets.
"""
from __future__ import annotations

#: Zipf frequency (wordfreq) from which a dictionary word counts as common,
#: and from which it counts at all.
COMMON_ZIPF, DICTIONARY_ZIPF = 4.0, 2.5


def english_words() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case English dictionary words (``english-words``) that are frequent (``wordfreq``).

    Both conditions matter: "tripoli" is a dictionary word (a polishing
    powder) but rare; "paris" is frequent but no lower-case dictionary word.

    Returns
    -------
    tuple[frozenset[str], frozenset[str]]
        The common words (Zipf ``COMMON_ZIPF`` and up) and the dictionary words
        (``DICTIONARY_ZIPF`` and up).
    """
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    words = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    zipf = {w: zipf_frequency(w, "en") for w in words if w.islower()}
    return (frozenset(w for w, z in zipf.items() if z >= COMMON_ZIPF),
            frozenset(w for w, z in zipf.items() if z >= DICTIONARY_ZIPF))
