"""The geoparser's JSONL contract (docs/ARCHITECTURE.md): documents in, toponyms with coordinates out.

``python -m conflictmap geoparse`` and ``bench/geoparse_eval.py`` speak it. It
owns input checking and the output format, not resolution: every input line
gets one output line, an error line for a bad document, and nothing here
decides a place. The geoparser is handed in (anything with ``geoparse`` and
``resolve_spans``, as ``geoparser.Geoparser`` has); this module imports no
other part of ``geo``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Protocol, TextIO

from conflictmap.model import Mention


class SpanGeoparser(Protocol):
    """What the contract needs of a geoparser: find and resolve, or resolve given spans."""

    def geoparse(self, text: str, *, hints: Sequence[str] = ()) -> list[Mention]:
        """Find and resolve every place name in ``text``."""
        ...

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]], *,
                      hints: Sequence[str] = ()) -> list[Mention]:
        """Resolve the given ``(start, end)`` spans of ``text`` only."""
        ...


def mention_to_json(mention: Mention) -> dict[str, object] | None:
    """One output toponym of the contract, or None for an unresolved mention.

    Parameters
    ----------
    mention : Mention
        A mention from ``Geoparser.geoparse`` or ``Geoparser.resolve_spans``.

    Returns
    -------
    dict[str, object] or None
        ``start``, ``end``, ``name``, ``lat``, ``lon``, ``place``, ``geonameid``,
        ``feature``, ``country_code`` and ``score``.
    """
    place = mention.place
    if place is None:
        return None
    return {
        "start": mention.start, "end": mention.end, "name": mention.surface,
        "lat": place.lat, "lon": place.lon, "place": place.name, "geonameid": place.geonameid,
        "feature": place.feature, "country_code": place.country_code, "score": mention.score,
    }


def run_jsonl(lines: Iterable[str], out: TextIO, geoparser: SpanGeoparser) -> tuple[int, int]:
    """Geoparse JSONL documents, one output line per input line, in order.

    Parameters
    ----------
    lines : Iterable[str]
        Input lines ``{"id": str, "text": str[, "toponyms": [{"start", "end"}]]}``;
        with ``toponyms`` only those spans are resolved.
    out : TextIO
        Where ``{"id", "toponyms": [...]}`` or ``{"id", "error"}`` lines go.
    geoparser : SpanGeoparser
        The geoparser to use (``geoparser.Geoparser``).

    Returns
    -------
    tuple[int, int]
        Lines processed without and with an error.
    """
    ok = errors = 0
    for line in lines:
        line = line.rstrip("\r\n")
        if not line.strip():
            result: dict[str, object] = {"id": None, "error": "empty line"}
        else:
            result = _process_line(line, geoparser)
        if "error" in result:
            errors += 1
        else:
            ok += 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return ok, errors


def _process_line(line: str, geoparser: SpanGeoparser) -> dict[str, object]:
    try:
        doc = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(doc, dict):
        return {"id": None, "error": "a line must be a JSON object"}
    doc_id = doc.get("id")
    doc_id = doc_id if isinstance(doc_id, str) or doc_id is None else str(doc_id)
    if doc_id is None:
        return {"id": None, "error": "missing 'id'"}
    text = doc.get("text")
    if not isinstance(text, str):
        return {"id": doc_id, "error": "missing 'text'" if text is None else "'text' must be a string"}
    hints = [h for h in (doc.get("title"), doc.get("dateline")) if isinstance(h, str)]
    given = doc.get("toponyms")
    if given is not None:
        spans = _spans(given, len(text))
        if isinstance(spans, str):
            return {"id": doc_id, "error": spans}
        mentions = geoparser.resolve_spans(text, spans, hints=hints)
    else:
        mentions = geoparser.geoparse(text, hints=hints)
    toponyms = [t for t in (mention_to_json(m) for m in mentions) if t is not None]
    return {"id": doc_id, "toponyms": toponyms}


def _spans(given: object, length: int) -> list[tuple[int, int]] | str:
    """The ``toponyms`` spans of a document, or the error message for a bad one."""
    if not isinstance(given, list):
        return "'toponyms' must be a list"
    out: list[tuple[int, int]] = []
    for item in given:
        if not isinstance(item, dict):
            return "each toponym must be an object with 'start' and 'end'"
        start, end = item.get("start"), item.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            return "toponym 'start' and 'end' must be integers"
        if not 0 <= start < end <= length:
            return f"toponym span {start}:{end} is outside the text"
        out.append((start, end))
    return out
