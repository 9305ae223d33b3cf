"""The gazetteer loader: the cache key and the curated files it reads."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conflictmap.geo import loader
from conflictmap.geo.build.airports import read_airport_aliases
from conflictmap.geo.loader import AIRPORT_ALIASES_PATH, SUPPLEMENT_PATH, read_supplement
from conflictmap.model import FEATURES


def test_cache_key_follows_the_curated_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    supplement = tmp_path / "supplement.csv"
    supplement.write_text("id,name\n", encoding="utf-8")
    monkeypatch.setattr(loader, "SUPPLEMENT_PATH", supplement)
    before = loader.cache_key()
    assert loader.cache_key() == before  # stable while nothing changes
    supplement.write_text("id,name\nx,X\n", encoding="utf-8")
    assert loader.cache_key() != before


def test_curated_files_are_well_formed() -> None:
    rows = read_supplement()
    assert rows, f"{SUPPLEMENT_PATH} is empty"
    ids = [str(r["place_id"]) for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids in the supplement"
    for row in rows:
        where = row["place_id"]
        assert row["feature"] in FEATURES, where
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, where  # type: ignore[arg-type]
        assert len(str(row.get("country_code") or "")) in (0, 2), where
    with SUPPLEMENT_PATH.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(line for line in fh if not line.startswith("#")):
            assert (raw.get("source") or "").strip(), f"{raw['id']} has no source note"
    for icao, aliases in read_airport_aliases(AIRPORT_ALIASES_PATH).items():
        assert icao.isalnum() and aliases and all(a.strip() for a in aliases), icao
