"""HTML, JSONL, JSON, CSV and RSS readers; one story from any format is one article."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conflictmap.ingest import read_bytes, read_paths
from conflictmap.ingest.sources import sniff_format
from conflictmap.model import Article, ItemError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
LIMIT = 50 * 1024 * 1024
# market.* hold one invented AFP story in five formats (see the fixtures' README).
MARKET = ("market.txt", "market.html", "market.jsonl", "market.csv", "market.rss")
MARKET_BODY = (
    "Shelling struck a crowded market in the town of Maaret al-Numan on Monday, killing at least "
    "nine civilians, a war monitor said.\n\n"
    "Rescue workers pulled survivors from the rubble for several hours after the strike, the monitor added.\n\n"
    "The town lies in Idlib province, the last large area held by rebel groups in the country's northwest."
)


def _one(results: list[Article | ItemError]) -> Article:
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


@pytest.mark.parametrize("name", MARKET)
def test_each_format_gives_the_clean_story(name: str) -> None:
    article = _one(list(read_paths([FIXTURES / name], max_bytes=LIMIT)))
    assert article.title == "Shelling hits market in Idlib province town"
    assert article.body == MARKET_BODY
    assert article.published == date(2018, 3, 12)
    assert article.warnings == ()
    assert article.origin.startswith(str(FIXTURES / name))


def test_same_story_from_five_formats_has_one_id() -> None:
    articles = [_one(list(read_paths([FIXTURES / name], max_bytes=LIMIT))) for name in MARKET]
    assert len({a.article_id for a in articles}) == 1


def test_html_keeps_url_title_date_and_drops_page_furniture() -> None:
    article = _one(list(read_paths([FIXTURES / "market.html"], max_bytes=LIMIT)))
    assert article.url == "https://news.example.org/2018/03/12/market.html"
    assert (article.dateline, article.agency) == ("Maaret al-Numan, Syria", "AFP")
    for junk in ("Home", "Related", "prisoner swap", "Copyright", "hacked", "lg/sw/jm", "Aid stretched"):
        assert junk not in article.body


def test_export_fields_are_mapped() -> None:
    jsonl = _one(list(read_paths([FIXTURES / "market.jsonl"], max_bytes=LIMIT)))
    csv_row = _one(list(read_paths([FIXTURES / "market.csv"], max_bytes=LIMIT)))
    # JSONL: "link", "source": {"name": ...}, an inline dateline moved out of the body.
    assert (jsonl.url, jsonl.publisher, jsonl.dateline, jsonl.agency) == (
        "https://news.example.org/2018/03/12/market.html", "Levant Wire Digest", "Maaret al-Numan, Syria", "AFP"
    )
    assert jsonl.origin.endswith("market.jsonl:1")
    # CSV: capitalised header names, a multi-line quoted body, "12 March 2018".
    assert (csv_row.url, csv_row.publisher) == ("https://news.example.org/2018/03/12/market.html", "Levant Wire Digest")
    assert csv_row.origin.endswith("market.csv:2")


def test_rss_item_uses_full_content_and_feed_title() -> None:
    article = _one(list(read_paths([FIXTURES / "market.rss"], max_bytes=LIMIT)))
    assert (article.url, article.publisher) == ("https://news.example.org/2018/03/12/market.html", "Levant Wire Digest")


def test_hostile_markup_in_feed_titles_becomes_plain_text() -> None:
    # hostile.rss: a title and summary carrying <script>, <b> and an <img onerror>,
    # an item with no text and an empty element.
    results = list(read_paths([FIXTURES / "hostile.rss"], max_bytes=LIMIT))
    article = results[0]
    assert isinstance(article, Article)
    assert article.title == "Raid on Tal Afar outskirts"
    assert article.body == "Troops raided a village on the outskirts of Tal Afar on Saturday, officials said."
    assert article.publisher == "Test Feed"
    for text in (article.title, article.body, article.publisher):
        assert "<" not in text and "alert" not in text
    errors = results[1:]
    assert errors and all(isinstance(e, ItemError) for e in errors)
    assert "feed item 2" in errors[0].reason and "no content" in errors[0].reason


def test_markup_in_text_and_export_titles_is_kept_as_text_never_run() -> None:
    line = {"title": "Siege of <script>alert(1)</script> Raqa", "text": "Fighting went on in Raqa, residents said."}
    article = _one(list(read_bytes(json.dumps(line).encode(), "x.jsonl", max_bytes=LIMIT)))
    assert article.title == "Siege of Raqa"
    page = b"<b>Raqa</b> fighting goes on\n\nFighting went on in Raqa on Sunday, residents said.\n"
    article = _one(list(read_bytes(page, "page.txt", max_bytes=LIMIT)))
    assert article.title == "<b>Raqa</b> fighting goes on"  # a text page's title is literal text


def test_json_document_list_of_articles() -> None:
    document = {"articles": [
        {"headline": "One", "published_at": "2017-11-04", "body": "Clashes erupted in Hama on Saturday."},
        {"headline": "Two"},
    ]}
    results = list(read_bytes(json.dumps(document, indent=2).encode(), "export.json", max_bytes=LIMIT))
    assert isinstance(results[0], Article) and results[0].published == date(2017, 11, 4)
    assert isinstance(results[1], ItemError) and results[1].reason.startswith("item 2: no article text")


def test_upload_name_is_only_a_hint(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret headline\n\nThis must never be read by an upload, it is a file on disk.\n")
    data = b"Blast in Aden\n\nA blast hit a checkpoint in Aden on Sunday, officials said.\n"
    results = list(read_bytes(data, str(secret), max_bytes=LIMIT))
    article = _one(results)
    assert article.title == "Blast in Aden" and article.origin == str(secret)


@pytest.mark.parametrize(
    ("head", "suffix", "expected"),
    [
        ('<?xml version="1.0"?><rss version="2.0">', ".txt", "feed"),  # content beats the extension
        ('<feed xmlns="http://www.w3.org/2005/Atom">', "", "feed"),
        ("<!DOCTYPE html><html><body>", ".txt", "html"),
        ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "", "html"),
        ('{"title": "a", "text": "b"}\n{"title": "c"}', "", "jsonl"),
        ('{\n  "articles": []\n}', ".json", "json"),
        ("[{}]", "", "json"),
        ("not json at all\n", ".jsonl", "jsonl"),  # bad lines are reported one by one
        ("title,date,url,text\nA,2017-11-04,u,body", "", "csv"),
        ("headline;pubdate;content\n", ".dat", "csv"),
        ("Some headline\n\nSome text, with a comma.", "", "text"),
        ("Some headline\n\nSome text.", ".csv", "csv"),
    ],
)
def test_format_is_chosen_by_content_then_extension(head: str, suffix: str, expected: str) -> None:
    assert sniff_format(head, suffix) == expected


def test_rss_uploaded_under_a_text_name_is_read_as_a_feed() -> None:
    data = (FIXTURES / "market.rss").read_bytes()
    article = _one(list(read_bytes(data, "feed.txt", max_bytes=LIMIT)))
    assert article.title == "Shelling hits market in Idlib province town"


def test_tsv_and_semicolon_csv() -> None:
    tsv = b"title\tdate\ttext\nShelling in Hama\t2017-11-04\tShelling hit Hama on Saturday, a monitor said.\n"
    semi = b"headline;pubdate;content\nShelling in Hama;2017-11-04;Shelling hit Hama on Saturday, a monitor said.\n"
    one = _one(list(read_bytes(tsv, "a.tsv", max_bytes=LIMIT)))
    two = _one(list(read_bytes(semi, "b.csv", max_bytes=LIMIT)))
    assert one.article_id == two.article_id and one.published == two.published == date(2017, 11, 4)


def test_atom_entry() -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        '<entry><title type="html">&lt;i&gt;Strikes&lt;/i&gt; on Hama</title><link href="https://example.org/1"/>'
        "<updated>2017-11-04T10:00:00Z</updated>"
        '<content type="html">&lt;p&gt;Air strikes hit Hama on Saturday, a monitor said.&lt;/p&gt;</content>'
        "</entry></feed>"
    )
    article = _one(list(read_bytes(atom.encode(), "wire.atom", max_bytes=LIMIT)))
    assert (article.title, article.url, article.published, article.publisher) == (
        "Strikes on Hama", "https://example.org/1", date(2017, 11, 4), "Wire"
    )
    assert article.body == "Air strikes hit Hama on Saturday, a monitor said."


def test_utf16_text_page() -> None:
    page = "Caf\u00e9 hit in Homs\n\nA shell hit a caf\u00e9 in Homs on Sunday, residents said.\n"
    article = _one(list(read_bytes(page.encode("utf-16"), "page.txt", max_bytes=LIMIT)))
    assert article.title == "Caf\u00e9 hit in Homs"
    assert not any("UTF-8" in w for w in article.warnings)


_STORY_HTML = (
    "<html><head><title>Blast in Aden</title></head><body><article><h1>Blast in Aden</h1>{dateline}"
    "<p>A blast hit a checkpoint in Aden on Sunday, killing three soldiers, officials said. Security forces "
    "sealed off the area and began a search of nearby buildings, a police source said.</p>"
    "<p>No group claimed responsibility for the attack on the checkpoint, which guards the road to the port.</p>"
    "</article>{aside}</body></html>"
)


def test_html_dateline_paragraph_dropped_by_trafilatura_is_recovered() -> None:
    # Sites mark the dateline up apart (<p class="dateline"> with a <time>); trafilatura drops it.
    dateline = '<p class="dateline">Aden, Yemen (XWA) <time datetime="2017-11-05">Nov 5, 2017</time></p>'
    page = _STORY_HTML.format(dateline=dateline, aside="")
    article = _one(list(read_bytes(page.encode(), "aden.html", max_bytes=LIMIT)))
    assert (article.dateline, article.agency, article.published) == ("Aden, Yemen", "XWA", date(2017, 11, 5))
    assert article.body.startswith("A blast hit a checkpoint")


def test_html_dateline_of_another_story_further_down_is_not_taken() -> None:
    aside = '<div class="more"><p>Douma, Syria (AFP) Nov 2, 2017</p><p>Other story.</p></div>'
    page = _STORY_HTML.format(dateline="", aside=aside)
    article = _one(list(read_bytes(page.encode(), "aden.html", max_bytes=LIMIT)))
    assert (article.dateline, article.agency, article.published) == ("", "", None)
