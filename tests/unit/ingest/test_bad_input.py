"""Bad input gives one clear error (or a stored article with a warning), never a crash."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictmap.ingest import read_bytes, read_paths
from conflictmap.ingest.stories import NO_DATE, NO_TITLE
from conflictmap.model import Article, ItemError, make_article_id

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
MB = 1024 * 1024
LIMIT = 50 * MB
GOOD_PAGE = b"Blast in Aden\n\nA blast hit a checkpoint in Aden on Sunday, officials said.\n"


def _errors(results: list[Article | ItemError]) -> list[ItemError]:
    return [r for r in results if isinstance(r, ItemError)]


def _one_error(results: list[Article | ItemError]) -> ItemError:
    assert len(results) == 1 and isinstance(results[0], ItemError), results
    error = results[0]
    assert "\n" not in error.reason and len(error.reason) < 200
    return error


def test_a_folder_with_bad_files_still_yields_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "c_good.txt").write_bytes(GOOD_PAGE)
    results = list(read_paths([tmp_path], max_bytes=LIMIT))
    assert [type(r).__name__ for r in results] == ["ItemError", "ItemError", "Article"]
    assert [r.origin for r in results] == [str(tmp_path / n) for n in ("a_empty.txt", "b_binary.dat", "c_good.txt")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"  \n\n\t \n", "the file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a ZIP archive"),
        (b"abc\x00\x01\x02def" * 50, "looks like binary data"),
    ],
)
def test_empty_and_binary_files(data: bytes, expected: str) -> None:
    error = _one_error(list(read_bytes(data, "upload.txt", max_bytes=LIMIT)))
    assert expected in error.reason and error.origin == "upload.txt"


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    # A sparse 50 MB + 1 byte file: it costs no disk, and reading it would show up in memory.
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:
        handle.truncate(LIMIT + 1)
    tracemalloc.start()
    error = _one_error(list(read_paths([big], max_bytes=LIMIT)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.origin == str(big)
    assert error.reason == "the file is 50.0 MB, over the 50.0 MB limit"
    assert peak < 1 * MB


def test_an_upload_over_the_limit_is_refused() -> None:
    error = _one_error(list(read_bytes(GOOD_PAGE, "paste", max_bytes=10)))
    assert "over the" in error.reason


def test_a_large_jsonl_streams_in_little_memory(tmp_path: Path) -> None:
    # About 1.3 MB of JSONL in 240 lines: reading it must hold one line at a time,
    # so the peak (measured here about 0.17 MB) stays far below the file's size.
    text = "Clashes erupted in Hama on Saturday, a monitor said. " * 100
    path = tmp_path / "big.jsonl"
    with path.open("w") as handle:
        for number in range(240):
            handle.write(json.dumps({"title": f"Clashes {number}", "date": "2017-11-04", "text": text}) + "\n")
    size = path.stat().st_size
    assert size > 1.2 * MB
    tracemalloc.start()
    count = sum(isinstance(r, Article) for r in read_paths([path], max_bytes=LIMIT))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 240
    assert peak < size / 4, f"peak {peak / MB:.2f} MB while reading a {size / MB:.1f} MB file"


def test_a_large_page_is_refused_as_one_page(tmp_path: Path) -> None:
    # 70 KB of real HTML (more than the 64 KB the format is sniffed from), then
    # made sparse up to 11 MB: over the 10 MB page limit, under max_bytes.
    path = tmp_path / "huge.html"
    path.write_bytes(b"<html><body>" + b"<p>Clashes erupted in Hama on Saturday.</p>" * 1700)
    with path.open("r+b") as handle:
        handle.truncate(11 * MB)
    error = _one_error(list(read_paths([path], max_bytes=LIMIT)))
    assert error.reason.startswith("the file is over 10 MB, too large to read as one HTML page")


def test_invalid_utf8_page_is_read_with_a_warning() -> None:
    page = "Clashes in Hama\n\nFighting near the caf\u00e9 in Hama killed three people, residents said.\n"
    article = list(read_bytes(page.encode("cp1252"), "latin.txt", max_bytes=LIMIT))[0]
    assert isinstance(article, Article)
    assert "caf\u00e9" in article.body
    assert any("not valid UTF-8" in w and "Windows-1252" in w for w in article.warnings)


def test_invalid_utf8_line_in_jsonl_is_read_with_a_warning() -> None:
    good = json.dumps({"title": "A", "text": "Clashes erupted in Hama on Saturday, a monitor said."}).encode()
    bad = '{"title": "B", "text": "Fighting near the caf\u00e9 in Homs killed two, a monitor said."}'.encode("cp1252")
    first, second = read_bytes(good + b"\n" + bad + b"\n", "mixed.jsonl", max_bytes=LIMIT)
    assert isinstance(first, Article) and not any("UTF-8" in w for w in first.warnings)
    assert isinstance(second, Article) and "caf\u00e9" in second.body
    assert second.origin == "mixed.jsonl:2" and "not valid UTF-8" in second.warnings[0]


def test_html_declaring_its_charset_is_decoded_without_a_warning() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\u00e9 attack</title></head><body>'
        "<p>An attack on a caf\u00e9 in Kirkuk killed two people on Sunday, police said.</p></body></html>"
    ).encode("latin-1")
    article = list(read_bytes(html, "page.html", max_bytes=LIMIT))[0]
    assert isinstance(article, Article) and "caf\u00e9" in article.body and article.warnings[:1] != ("not valid",)
    assert not any("UTF-8" in w for w in article.warnings)


def test_broken_html_still_gives_its_text() -> None:
    # broken.html: no </head>, unclosed <p> and <div>, stray </span></b>, no date.
    [article] = list(read_paths([FIXTURES / "broken.html"], max_bytes=LIMIT))
    assert isinstance(article, Article)
    assert article.title == "Curfew imposed in Kirkuk after clashes"
    assert article.body.startswith("Authorities imposed a curfew in Kirkuk on Monday")
    assert article.body.endswith("Security forces were deployed at the main entrances of the city.")
    assert article.published is None and NO_DATE in article.warnings


def test_html_without_text_is_an_error() -> None:
    error = _one_error(list(read_bytes(b"<html><body><script>x()</script></body></html>", "a.html", max_bytes=LIMIT)))
    assert error.reason == "the HTML page has no readable article text"


def test_jsonl_bad_lines_are_errors_with_line_numbers_and_good_lines_still_read() -> None:
    # bad_lines.jsonl: 1 good, 2 cut-off JSON, 3 a list, 4 no text, 5 blank, 6 good, 7 good with an odd date.
    results = list(read_paths([FIXTURES / "bad_lines.jsonl"], max_bytes=LIMIT))
    origin = str(FIXTURES / "bad_lines.jsonl")
    assert [(r.origin, type(r).__name__) for r in results] == [
        (f"{origin}:1", "Article"),
        (f"{origin}:2", "ItemError"),
        (f"{origin}:3", "ItemError"),
        (f"{origin}:4", "ItemError"),
        (f"{origin}:6", "Article"),
        (f"{origin}:7", "Article"),
    ]
    reasons = [r.reason for r in _errors(results)]
    assert reasons[0].startswith("not valid JSON (")
    assert "found a list" in reasons[1]
    assert reasons[2].startswith("no article text")
    odd = results[-1]
    assert isinstance(odd, Article) and odd.published is None
    assert "the date 'sometime soon' is not understood" in odd.warnings


def test_csv_without_a_text_column_and_with_a_misaligned_row() -> None:
    error = _one_error(list(read_bytes(b"name,value\na,1\n", "x.csv", max_bytes=LIMIT)))
    assert error.reason.startswith("the CSV header has no text column (accepted names: text, body")
    # Row A spans lines 2-3 (a quoted line break), so the bad row B is line 4.
    data = b'title,text\nA,"Clashes erupted in Hama.\nMore on Saturday."\nB,one,two\nC,Shelling hit Homs on Sunday.\n'
    results = list(read_bytes(data, "y.csv", max_bytes=LIMIT))
    assert [(r.origin, type(r).__name__) for r in results] == [
        ("y.csv:2", "Article"), ("y.csv:4", "ItemError"), ("y.csv:5", "Article")
    ]
    assert results[1].reason == "the row has 3 fields but the header has 2"


def test_broken_feeds_are_errors() -> None:
    error = _one_error(list(read_bytes(b'<?xml version="1.0"?>\n<rss><channel>&&<<<', "f.xml", max_bytes=LIMIT)))
    assert error.reason.startswith("not a readable RSS/Atom feed")
    # A feed cut off inside its first item: feedparser recovers the item, which has no text.
    cut = b'<?xml version="1.0"?><rss><channel><item><title>x'
    error = _one_error(list(read_bytes(cut, "g.xml", max_bytes=LIMIT)))
    assert error.reason.startswith("feed item 1") and error.reason.endswith("has no content or summary")


def test_missing_paths_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / ".hidden.txt").write_bytes(GOOD_PAGE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "page.txt").write_bytes(GOOD_PAGE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.txt").write_bytes(GOOD_PAGE)
    results = list(read_paths([tmp_path, tmp_path / "nope.txt"], max_bytes=LIMIT))
    assert [r.origin for r in results] == [str(tmp_path / "sub" / "page.txt"), str(tmp_path / "nope.txt")]
    assert isinstance(results[1], ItemError) and results[1].reason == "no such file or folder"


def test_reading_is_lazy(tmp_path: Path) -> None:
    # The first article comes out before a later file is even opened.
    first = tmp_path / "a.txt"
    first.write_bytes(GOOD_PAGE)
    results = read_paths([first, tmp_path / "b.txt"], max_bytes=LIMIT)
    assert isinstance(next(results), Article)
    (tmp_path / "b.txt").write_bytes(GOOD_PAGE.replace(b"Aden", b"Mukalla"))
    second = next(results)
    assert isinstance(second, Article) and "Mukalla" in second.body


def test_csv_header_with_a_lone_carriage_return_is_an_error_not_a_crash() -> None:
    # Found by the property test below: csv refuses a bare "\r" inside a field.
    [error] = read_bytes(b"\r!", "a.csv", max_bytes=LIMIT)
    assert isinstance(error, ItemError) and "unreadable CSV header" in error.reason


# Lines of the kinds a wire page is made of, shuffled into random pages below.
_PAGE_LINES = [
    "", "", "WAR REPORT", "Strikes hit Douma", "by Staff Writers", "Douma, Syria (AFP) Nov 2, 2017",
    "BEIRUT, Nov 5 (Reuters) - Troops advanced on Sunday, officials said.", "Nov. 3 (UPI) -- Aid arrived.",
    "Air strikes killed six civilians in Douma on Thursday, a monitor said.", "- Fleeing civilians -",
    "burs-jmm-rh/hkb/srm", "Related Links", "At a medica ... read more", "Copyright 2017 Example.",
    "Published: November 5, 2017", "Title: A title", "<p>Shelling hit <b>Homs</b>.</p>", '{"text": "x"}',
    "title,text", "\u00e9\u00e8 caf\u00e9", "\t  ", "(Reporting by someone)", "___",
]


@settings(max_examples=150, deadline=None, database=None)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.lists(st.sampled_from(_PAGE_LINES), max_size=40).map(lambda lines: "\n".join(lines).encode()),
    ),
    name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.csv", "a.xml", "a.json", "upload"]),
)
def test_any_input_gives_articles_or_one_line_errors_never_a_crash(data: bytes, name: str) -> None:
    for item in read_bytes(data, name, max_bytes=LIMIT):
        if isinstance(item, ItemError):
            assert item.reason and "\n" not in item.reason
            # The catch-all in the reader turns crashes into this message: none may happen.
            assert "could not be read (" not in item.reason, item.reason
        else:
            assert isinstance(item, Article) and item.body.strip()
            assert item.article_id == make_article_id(item.body)
            assert item.title not in ("", None) or NO_TITLE in item.warnings


def test_an_unclosed_title_does_not_swallow_the_page() -> None:
    page = (b"<html><head><title>Strike on Idlib\n<body><p>DAMASCUS, Nov 3 (AFP) - Air strikes hit the town of "
            b"Idlib on Friday, killing five people, a monitor said. Residents said the strikes destroyed homes.</p>"
            b"</body></html>")
    [article] = read_bytes(page, "page.html", max_bytes=10**6)
    assert isinstance(article, Article)
    assert article.title == "Strike on Idlib"
    assert article.body.startswith("Air strikes hit the town of Idlib")


def test_a_text_story_ending_in_a_script_tag_keeps_the_tag_as_text() -> None:
    story = (b"Shelling hits Idlib\n\nAir strikes hit the town of Idlib on Friday, killing five people, a monitor "
             b"said. <script>document.title=1</script>\n")
    [article] = read_bytes(story, "story.txt", max_bytes=10**6)
    assert isinstance(article, Article)
    assert article.body.endswith("said. <script>document.title=1</script>")


@pytest.mark.parametrize("data", [b"title,text,date\n", b"title,text,date\n\n,,\n"])
def test_a_header_only_csv_is_a_per_file_error(data: bytes) -> None:
    [error] = read_bytes(data, "export.csv", max_bytes=10**6)
    assert isinstance(error, ItemError)
    assert "no rows" in error.reason
