"""Bad input at volume: random bytes, truncated HTML, odd encodings, huge lines, random JSON.

Readers and the geoparser may only answer with articles, mentions or the
documented per-item errors, and must finish each item in bounded time. The
time bound is a hang detector (seconds, far above normal), not a speed test.
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictmap.geo.contract import run_jsonl
from conflictmap.geo.geoparser import default_geoparser
from conflictmap.ingest import read_bytes
from conflictmap.model import Article, ItemError

ROOT = Path(__file__).resolve().parents[2]
HTML_SAMPLES = sorted((ROOT / "data" / "samples" / "html").glob("*.html"))
NAMES = ["page.txt", "page.html", "export.jsonl", "export.csv", "feed.xml", "items.json", "upload", "../../etc/passwd"]
HANG_SECONDS = 20.0
LIMIT = 50 * 1024 * 1024

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)
fuzz = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _read_all(data: bytes, name: str) -> list[Article | ItemError]:
    started = time.perf_counter()
    results = list(read_bytes(data, name, max_bytes=LIMIT))
    assert time.perf_counter() - started < HANG_SECONDS, f"{name}: reading took too long"
    assert results, "every input gives at least an article or an error"
    for item in results:
        assert isinstance(item, (Article, ItemError)), item
        if isinstance(item, ItemError):
            assert item.reason and "\n" not in item.reason
        else:
            assert item.body.strip()
    return results


@fuzz
@given(st.binary(max_size=4096), st.sampled_from(NAMES))
def test_random_bytes(data: bytes, name: str) -> None:
    _read_all(data, name)


@fuzz
@given(st.sampled_from(HTML_SAMPLES), st.floats(0, 1), st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_truncated_html_in_odd_encodings(path: Path, cut: float, encoding: str) -> None:
    text = path.read_text(encoding="utf-8")
    data = text[: int(len(text) * cut)].encode(encoding, errors="replace")
    _read_all(data, "page.html")


@fuzz
@given(st.lists(json_values, min_size=1, max_size=8))
def test_random_json_lines(values: list) -> None:
    data = "\n".join(json.dumps(v) for v in values).encode("utf-8")
    results = _read_all(data, "export.jsonl")
    # One answer per non-empty line at most: nothing is invented, nothing silently merged.
    assert len(results) <= len(values)


@pytest.mark.parametrize("name", ["page.txt", "export.jsonl", "page.html"])
def test_huge_lines(name: str) -> None:
    line = ("Shelling hit Idlib and Hama " * 120_000).encode()  # ~3.4 MB without a newline
    _read_all(line, name)


@pytest.fixture(scope="module")
def geoparser():  # type: ignore[no-untyped-def]
    """The default geoparser, loaded before any example is timed (the first load may build the index)."""
    return default_geoparser()


@fuzz
@given(text=st.text(max_size=2000))
def test_geoparser_on_random_text_keeps_its_offsets(geoparser, text: str) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    mentions = geoparser.geoparse(text)
    assert time.perf_counter() - started < HANG_SECONDS
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface
        assert 0.0 <= m.score <= 1.0


@fuzz
@given(st.lists(json_values | st.text(max_size=60), min_size=1, max_size=6))
def test_geoparse_contract_answers_every_line(lines: list) -> None:
    raw = [json.dumps(v) if not isinstance(v, str) else v for v in lines]
    raw = [r.replace("\n", " ") for r in raw]
    out = io.StringIO()
    run_jsonl(raw, out, default_geoparser())
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == len(raw)
    for answer in answers:
        assert set(answer) in ({"id", "toponyms"}, {"id", "error"}), answer
