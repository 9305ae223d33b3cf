"""The JSONL contract: one output line per input line, in order, with the documented shapes."""
from __future__ import annotations

import io
import json

import pytest

from conflictmap.geo.contract import run_jsonl
from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.geoparser import Geoparser


@pytest.fixture(scope="module")
def gp(gazetteer_slice: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer_slice)


def test_jsonl_contract_line_shapes(gp: Geoparser) -> None:
    text = "Air strikes hit Douma and Damascus, Syria."
    lines = [
        json.dumps({"id": "a", "text": text}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": text, "toponyms": [{"start": 26, "end": 34}]}),
        json.dumps({"id": "d", "text": text, "toponyms": [{"start": 0, "end": 999}]}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "e", "text": ""}),
    ]
    out = io.StringIO()
    ok, errors = run_jsonl(lines, out, gp)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (ok, errors) == (3, 5) and len(rows) == len(lines)
    assert rows[0]["id"] == "a" and {t["name"] for t in rows[0]["toponyms"]} == {"Damascus", "Syria"}
    top = rows[0]["toponyms"][0]
    assert set(top) == {"start", "end", "name", "lat", "lon", "place", "geonameid", "feature", "country_code", "score"}
    assert text[top["start"]:top["end"]] == top["name"]
    assert rows[1]["id"] is None and "invalid JSON" in rows[1]["error"]
    assert rows[2] == {"id": "b", "error": "missing 'text'"}
    assert [t["name"] for t in rows[3]["toponyms"]] == ["Damascus"]
    assert rows[4]["id"] == "d" and "outside" in rows[4]["error"]
    assert "error" in rows[5] and "error" in rows[6]
    assert rows[7] == {"id": "e", "toponyms": []}
