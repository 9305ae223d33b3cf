"""The one gazetteer slice of the geo tests, and the one way a test adds places to it.

``tests/fixtures/gazetteer_slice.json`` holds real GeoNames places and one
curated region (see its ``_comment``). ``gazetteer_slice`` is that slice as
``loader.load_fixture`` reads it; ``slice_with`` builds the same slice plus the
places a test needs for a name clash the slice does not hold (plain rows, or
records made by the build code under test), so every test resolves against the
same base. Nothing here loads the full gazetteer.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.loader import load_fixture
from conflictmap.geo.records import PlaceRecord, record_from_row

SLICE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "gazetteer_slice.json"

SliceFactory = Callable[..., Gazetteer]


def _slice_with(rows: Iterable[dict[str, object]] = (), records: Iterable[PlaceRecord] = (),
                demonyms: Mapping[str, str] | None = None, common_words: Iterable[str] = ()) -> Gazetteer:
    """The shared slice plus ``rows`` (``Gazetteer.from_records`` rows), then ``records``,
    with more demonyms and common words."""
    data = json.loads(SLICE_PATH.read_text(encoding="utf-8"))
    places = [*data["places"], *rows]
    base = Gazetteer.from_records(places, {**data.get("demonyms", {}), **(demonyms or {})},
                                  [*data.get("common_words", []), *common_words])
    extra = list(records)
    if not extra:
        return base
    return Gazetteer([*(record_from_row(row) for row in places), *extra], base.demonyms, base.common_words)


@pytest.fixture(scope="session")
def gazetteer_slice() -> Gazetteer:
    """The shared slice, read by the product's fixture loader."""
    return load_fixture(SLICE_PATH)


@pytest.fixture(scope="session")
def slice_with() -> SliceFactory:
    """Build the shared slice with a test's own places: ``slice_with(rows=..., records=...,
    demonyms=..., common_words=...)``."""
    return _slice_with
