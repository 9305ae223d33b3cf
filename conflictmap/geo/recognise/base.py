"""What every recogniser gives: ``Span`` records of place names and demonyms, and the ``Recogniser`` protocol.

A recogniser finds the character spans of names in a text; it resolves nothing.
``geo.geoparser.Geoparser`` takes any object with ``find(text) -> list[Span]``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

#: Span kinds: a place name, and a demonym ("Syrian"), which is context only.
PLACE, DEMONYM = "place", "demonym"
#: A place named inside an organisation's name ("Air Zimbabwe"): a mention, but no
#: location of what the sentence reports.
IN_NAME = "in-name"


@dataclass(frozen=True)
class Span:
    """A recognised name: ``text[start:end]``; ``kind`` is ``PLACE``, ``IN_NAME`` or ``DEMONYM``."""

    start: int
    end: int
    kind: str = PLACE


class Recogniser(Protocol):
    """Anything that finds place-name spans in a text."""

    def find(self, text: str) -> list[Span]:
        """Return non-overlapping spans, in text order."""
        ...
