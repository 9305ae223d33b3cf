"""Every bundled sample file reads cleanly: no errors, and each story has its metadata."""
from __future__ import annotations

import re

import pytest

from conflictmap.config import ROOT
from conflictmap.ingest import read_paths
from conflictmap.model import Article, ItemError

SAMPLES = ROOT / "data" / "samples"
# Page furniture that must never reach an article body.
FURNITURE = re.compile(
    r"read more|related links|copyright|share this|paypal|billed once|subscribe|WAR REPORT|"
    r"^[a-z]{2,6}(?:[-/][a-z0-9]{2,6})+$",
    re.I | re.M,
)


@pytest.fixture(scope="module")
def samples() -> list[Article | ItemError]:
    if not any(SAMPLES.glob("*")):
        pytest.skip(f"no sample files in {SAMPLES.relative_to(ROOT)} yet")
    return list(read_paths([SAMPLES], max_bytes=50 * 1024 * 1024))


def test_every_sample_file_reads_without_errors(samples: list[Article | ItemError]) -> None:
    errors = [item for item in samples if isinstance(item, ItemError)]
    assert errors == []
    files = {p for p in SAMPLES.rglob("*") if p.is_file() and not p.name.startswith(".")}
    # JSONL and CSV articles come from "path:line".
    origins = {re.sub(r":\d+$", "", item.origin) for item in samples}
    assert {str(p) for p in files} <= origins, "a sample file gave no article"


def test_every_sample_article_is_complete_and_clean(samples: list[Article | ItemError]) -> None:
    for article in samples:
        assert isinstance(article, Article)
        assert article.title and article.published, article.origin
        assert not [w for w in article.warnings if not w.startswith("teaser")], (article.origin, article.warnings)
        assert article.title not in article.body, article.origin
        assert not FURNITURE.search(article.body), (article.origin, FURNITURE.search(article.body))
        assert len(article.body) > 100, article.origin
