"""Event cues: the phrases of ``data/vocab/event_cues.tsv``, found with spaCy's ``Matcher``.

The cue file is data, apart from the rules that weigh the cues (``vocab``), the
way spaCy keeps its stop words apart from its code. Each row gives a family
(which rule reads it), an ACLED type and sub-type where the family needs one,
flags, and a pattern in a small token syntax that compiles to ``Matcher``
patterns over the tokens of spaCy's English tokenizer (no model is loaded):

=================  ==========================================================
pattern piece      matches one token (case-insensitive) ...
=================  ==========================================================
``word``           ``word``; a hyphenated word is its tokens ("sit-in")
``word*``          any token starting with ``word``
``a|b*|c``         any of the alternatives
``[a|b]``          an optional token: zero or one of the alternatives
``...``            zero to three tokens of any kind
``#``              a number in digits or words ("12", "two")
=================  ==========================================================

Flags: ``needs=<family>`` (the cue counts only after a cue of that family in
the same text, its agent: "protesters torched" is a riot, "militants torched
the homes of villagers" is not), ``leads`` (a battle cue
that is an act, so it leads an explosion cue after it). A row of family
``veto:<family>`` removes the ``<family>`` cues it overlaps ("bomb squad").
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

CUES_FILE = Path(__file__).resolve().parents[2] / "data" / "vocab" / "event_cues.tsv"

#: The families the rules in ``vocab`` read, in the order the file documents them.
FAMILIES = (
    "explosion", "protest", "protest_force", "protest_intervention", "riot", "mob", "crowd", "vac",
    "territory", "clash", "killing", "strategic", "civilian", "armed",
)


@dataclass(frozen=True)
class CueRow:
    """One row of the cue file."""

    family: str
    event_type: str
    sub_event_type: str
    flags: frozenset[str]
    pattern: str
    line: int

    @property
    def needs(self) -> str:
        return next((f.split("=", 1)[1] for f in self.flags if f.startswith("needs=")), "")


@dataclass(frozen=True)
class Cue:
    """A cue found in a text: its row and character offsets."""

    row: CueRow
    start: int
    end: int
    text: str

    @property
    def family(self) -> str:
        return self.row.family


def read_cue_rows(path: Path = CUES_FILE) -> tuple[CueRow, ...]:
    """The rows of a cue file; ``#`` lines are comments. Raises ValueError on a bad row."""
    rows: list[CueRow] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for number, fields in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not fields or not fields[0].strip() or fields[0].startswith("#"):
                continue
            if len(fields) != 5:
                raise ValueError(f"{path.name}:{number}: expected 5 tab-separated fields, got {len(fields)}")
            family, etype, sub, flags, pattern = (f.strip() for f in fields)
            base = family.split(":", 1)[1] if family.startswith("veto:") else family
            if base not in FAMILIES:
                raise ValueError(f"{path.name}:{number}: unknown family {family!r}")
            rows.append(CueRow(family, etype, sub, frozenset(f for f in flags.split(",") if f), pattern, number))
    return tuple(rows)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _alternatives(piece: str) -> dict[str, Any]:
    """The token pattern of ``a|b*|c``."""
    exact = [a.lower() for a in piece.split("|") if a and not a.endswith("*")]
    prefixes = [a[:-1].lower() for a in piece.split("|") if a.endswith("*")]
    if piece == "#":
        return {"LIKE_NUM": True}
    if not prefixes:
        return {"LOWER": exact[0]} if len(exact) == 1 else {"LOWER": {"IN": exact}}
    import re

    alts = [re.escape(a) + "$" for a in exact] + [re.escape(p) for p in prefixes]
    return {"LOWER": {"REGEX": "^(?:" + "|".join(alts) + ")"}}


def compile_pattern(pattern: str) -> list[dict[str, Any]]:
    """The ``Matcher`` token patterns of one cue pattern (see the module table)."""
    tokens: list[dict[str, Any]] = []
    for piece in pattern.split():
        if piece == "...":
            tokens.append({"OP": "{0,3}"})
        elif piece.startswith("[") and piece.endswith("]"):
            tokens.append({**_alternatives(piece[1:-1]), "OP": "?"})
        elif "|" in piece or piece.endswith("*") or piece == "#":
            tokens.append(_alternatives(piece))
        else:
            # A literal word is the tokens the tokenizer makes of it ("sit-in" -> sit, -, in).
            tokens.extend({"LOWER": t.lower_} for t in _tokenizer()(piece))
    if not tokens or tokens[0] == {"OP": "{0,3}"} or tokens[-1] == {"OP": "{0,3}"}:
        raise ValueError(f"cue pattern {pattern!r} must not start or end with '...'")
    return tokens


@lru_cache(maxsize=1)
def _matcher() -> tuple[Any, tuple[CueRow, ...]]:
    from spacy.matcher import Matcher

    rows = read_cue_rows()
    matcher = Matcher(_tokenizer().vocab, validate=True)
    for i, row in enumerate(rows):
        matcher.add(str(i), [compile_pattern(row.pattern)])
    return matcher, rows


@lru_cache(maxsize=4096)
def find_cues(text: str) -> tuple[Cue, ...]:
    """Every cue in ``text``, in text order, vetoes applied; the longest match per row and start.

    Parameters
    ----------
    text : str
        A clause or sentence.

    Returns
    -------
    tuple of Cue
        Sorted by start, then by file order.
    """
    matcher, rows = _matcher()
    doc = _tokenizer()(text)
    best: dict[tuple[int, int], tuple[int, int]] = {}  # (row, token start) -> longest (start, end)
    for match_id, start, end in matcher(doc):
        row = int(doc.vocab.strings[match_id])
        key = (row, start)
        if key not in best or end > best[key][1]:
            best[key] = (start, end)
    found: list[Cue] = []
    for (row_index, _), (start, end) in best.items():
        span = doc[start:end]
        found.append(Cue(rows[row_index], span.start_char, span.end_char, span.text))
    vetoes = [c for c in found if c.family.startswith("veto:")]
    kept = [
        c for c in found
        if not c.family.startswith("veto:")
        and not any(v.family == "veto:" + c.family and v.start < c.end and c.start < v.end for v in vetoes)
    ]
    # A cue that needs another ("torched" needs a crowd) needs it before itself: the agent.
    kept = [c for c in kept if not c.row.needs or any(o.family == c.row.needs and o.start < c.start for o in kept)]
    return tuple(sorted(kept, key=lambda c: (c.start, c.row.line)))
