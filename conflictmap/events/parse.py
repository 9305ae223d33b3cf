"""spaCy's dependency parse of one sentence, loaded once per process.

The events room parses only sentences that may tell a death toll (see
``fatalities``), so the cost stays a small share of an ingest. The model is
``config.SPACY_MODEL`` without its NER, which the geoparser runs already.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from conflictmap.config import SPACY_MODEL


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["ner"])


@lru_cache(maxsize=2048)
def parse_sentence(text: str) -> Any:
    """The parsed ``spacy.tokens.Doc`` of ``text`` (cached: clauses and sentences ask twice)."""
    return _nlp()(text)
