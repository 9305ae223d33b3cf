"""The bundled sample data: the seed page, the sample corpus and the UCDP reference slice.

Every sample article is listed in ``data/sample_sources.csv`` with the UCDP event it
was written from; these tests keep that list, the files and the slice in step, so the
pipeline's own tests can hold each extracted event to a real, human-coded one.
Standard library only, and fast: the files are read as they are shipped.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conflictmap.config import ROOT

DATA = ROOT / "data"
SAMPLES = DATA / "samples"
SOURCES = DATA / "sample_sources.csv"
SLICE = DATA / "reference" / "ucdp_ged191_syria_2017q4.csv"
SEED = SAMPLES / "spacewar-2017-11-04.txt"
#: sha256 of ../shared/seeds/spacewar-2017-11-04.txt: the seed must stay the user's bytes.
SEED_SHA256 = "ba5f56e3d505414742898febbb3b3e32a7093c3d4202394ad1438dc9d5244573"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RSS_NS = {"content": "http://purl.org/rss/1.0/modules/content/"}


def _sources() -> list[dict[str, str]]:
    with SOURCES.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _slice() -> dict[str, dict[str, str]]:
    with SLICE.open(newline="", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def _written(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows of the articles we wrote (the seed page is the user's, listed for reference)."""
    return [r for r in rows if (DATA / r["file"]) != SEED]


def _kind(rel: str) -> str:
    path = DATA / rel
    if path.suffix == ".txt":
        return "text page"
    return {".html": "html", ".jsonl": "jsonl", ".xml": "feed"}[path.suffix]


def _item_text(row: dict[str, str]) -> str:
    """The text of the one story a row describes (a whole file, a JSONL line or a feed item)."""
    path = DATA / row["file"]
    kind = _kind(row["file"])
    if kind == "jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["id"] == row["item"]:
                return f"{item['title']}\n{item['text']}"
        raise AssertionError(f"no JSONL item {row['item']} in {row['file']}")
    if kind == "feed":
        for item in ET.parse(path).getroot().iter("item"):
            if item.findtext("guid") == row["item"]:
                content = item.findtext("content:encoded", default="", namespaces=RSS_NS)
                return f"{item.findtext('title')}\n{content}"
        raise AssertionError(f"no feed item {row['item']} in {row['file']}")
    return path.read_text(encoding="utf-8")


class _PageParser(HTMLParser):
    """Collects what an HTML sample must carry: meta properties, canonical link, article text."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self.article = ""
        self._in_article = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and "property" in a:
            self.meta[a["property"]] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")
        elif tag == "article":
            self._in_article += 1
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_article:
            self.article += data
        if self._in_title:
            self.title += data


def _sample_files() -> Iterator[Path]:
    return (p for p in SAMPLES.rglob("*") if p.is_file())


def test_seed_copy_is_byte_identical() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_corpus_is_big_varied_and_spread_over_weeks() -> None:
    rows = _written(_sources())
    assert len(rows) >= 40
    assert len({_kind(r["file"]) for r in rows}) >= 4
    weeks = {date.fromisoformat(r["published"]).isocalendar()[:2] for r in rows}
    assert len(weeks) >= 3
    # Most articles rest on a UCDP row; the rest are the few documented non-UCDP events.
    assert sum(1 for r in rows if r["ucdp_id"]) >= 38
    assert len({r["title"] for r in rows}) == len(rows)


def test_every_sample_file_is_listed_and_every_listed_file_exists() -> None:
    listed = {(DATA / r["file"]).resolve() for r in _sources()}
    on_disk = {p.resolve() for p in _sample_files() if p.name != "README.md"}
    assert listed == on_disk


def test_every_ucdp_id_is_in_the_reference_slice_with_the_same_facts() -> None:
    ref = _slice()
    for row in _sources():
        if not row["ucdp_id"]:
            continue
        assert row["ucdp_id"] in ref, row["title"]
        event = ref[row["ucdp_id"]]
        assert row["event_date"] == event["date_start"][:10], row["title"]
        assert float(row["lat"]) == pytest.approx(float(event["latitude"]))
        assert float(row["lon"]) == pytest.approx(float(event["longitude"]))
        assert row["where_prec"] == event["where_prec"]
        assert (row["deaths_low"], row["deaths_best"], row["deaths_high"]) == (
            event["low"], event["best"], event["high"])


def test_reference_slice_is_syria_q4_2017_with_all_columns() -> None:
    with SLICE.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert len(header) == 41 and header[0] == "id" and header[-1] == "high"
    start = header.index("date_start")
    assert len(rows) == 1131
    assert all("2017-10-01" <= r[start][:10] <= "2017-12-31" for r in rows)
    assert {r[header.index("country")] for r in rows} == {"Syria"}


def test_each_article_names_its_place_in_its_own_text() -> None:
    for row in _sources():
        assert row["place"] in _item_text(row), (row["file"], row["place"])


def test_publication_is_the_event_day_or_the_next() -> None:
    ref = _slice()
    for row in _sources():
        start = date.fromisoformat(row["event_date"])
        end = date.fromisoformat(ref[row["ucdp_id"]]["date_end"][:10]) if row["ucdp_id"] else start
        published = date.fromisoformat(row["published"])
        assert start <= published <= end + timedelta(days=1), row["title"]


def test_first_weekday_named_is_the_event_day() -> None:
    # "on Friday" in a story must point at the event, or the pipeline's date would be wrong.
    ref = _slice()
    pattern = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
    for row in _written(_sources()):
        match = pattern.search(_item_text(row))
        assert match, row["title"]
        start = date.fromisoformat(row["event_date"])
        end = date.fromisoformat(ref[row["ucdp_id"]]["date_end"][:10]) if row["ucdp_id"] else start
        days = {WEEKDAYS[(start + timedelta(days=i)).weekday()] for i in range((end - start).days + 1)}
        assert match.group(1) in days, (row["title"], match.group(1))


def test_html_pages_carry_date_url_and_article() -> None:
    rows = [r for r in _written(_sources()) if _kind(r["file"]) == "html"]
    assert rows
    for row in rows:
        page = _PageParser()
        page.feed((DATA / row["file"]).read_text(encoding="utf-8"))
        assert page.meta["article:published_time"][:10] == row["published"]
        assert page.meta["og:url"] == page.canonical == row["url"]
        assert ".example." in page.canonical
        assert row["place"] in page.article and row["title"] in page.title


def test_jsonl_export_is_one_valid_object_per_line() -> None:
    path = SAMPLES / "export-2017-12.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 10
    for item in items:
        assert set(item) == {"id", "title", "published", "url", "publisher", "text"}
        date.fromisoformat(item["published"])
        assert item["url"].startswith("https://") and ".example." in item["url"]
    assert len({i["id"] for i in items}) == len(items)


def test_rss_feed_is_well_formed_rss2() -> None:
    root = ET.parse(SAMPLES / "feed-2017-10.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) >= 6
    for item in items:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert item.findtext(tag), tag
        assert re.fullmatch(r"\w{3}, \d{2} \w{3} 2017 \d{2}:\d{2}:\d{2} \+0000", item.findtext("pubDate") or "")
        assert ".example." in (item.findtext("link") or "")
