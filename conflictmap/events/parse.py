"""spaCy's dependency parse of one sentence, loaded once per process.

The events room parses only sentences that may tell a death toll (see
``fatalities``), so the cost stays a small share of an ingest. The model is
``config.SPACY_MODEL`` without its NER, which the geoparser runs already.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from conflictmap.config import SPACY_MODEL


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["ner"])


# "IS" the group reads as the verb "is" to the tagger ("Seven IS militants and two SDF fighters
# were killed"); a stand-in of the same length keeps every offset.
_IS_GROUP = re.compile(r"(?<![\w-])IS(?![\w-])")


@lru_cache(maxsize=2048)
def parse_sentence(text: str) -> Any:
    """The parsed ``spacy.tokens.Doc`` of ``text`` (cached: clauses and sentences ask twice).

    The group name "IS" is parsed as a name ("IZ"); token offsets are those of ``text``.
    """
    return _nlp()(_IS_GROUP.sub("IZ", text))
