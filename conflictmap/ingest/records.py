"""Exports with one article per record: JSONL, JSON and CSV.

JSONL and CSV are read a line at a time, so an export of any size streams;
a bad line gives an error naming its line number and the next line is read.
Accepted field names are listed in :mod:`conflictmap.ingest`.
"""
from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from conflictmap.ingest.dates import parse_date_value
from conflictmap.ingest.html_text import html_to_text, looks_like_html
from conflictmap.ingest.stories import RECORD, clean_title, split_page, to_article
from conflictmap.model import Article, ItemError

log = logging.getLogger(__name__)

#: Accepted field names for each article attribute, first match wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "subject"),
    "text": (
        "text", "body", "content", "article", "article_text", "full_text", "fulltext",
        "story", "maintext", "main_text",
    ),
    "summary": ("summary", "description", "abstract", "lead", "snippet"),
    "date": (
        "date", "published", "pubdate", "pub_date", "published_at", "publish_date",
        "publication_date", "date_published", "datetime", "timestamp", "time", "created_at",
    ),
    "url": ("url", "link", "href", "source_url", "permalink", "uri"),
    "publisher": ("publisher", "source", "source_name", "site", "site_name", "sitename", "outlet", "domain"),
    "agency": ("agency", "wire"),
    "dateline": ("dateline",),
}
NO_TEXT = "no article text: expected a text, body or content field (or summary / description)"

# An article body can exceed csv's default 128 KiB field limit.
_CSV_FIELD_LIMIT = 16 * 1024 * 1024

#: A decoded line: its number (1-based), its text, and whether UTF-8 failed.
Line = tuple[int, str, bool]
NOT_UTF8_LINE = "the line is not valid UTF-8; read as Windows-1252, so some letters may be wrong"


def normalise_key(key: object) -> str:
    """``"Published At"`` -> ``"published_at"``: how field names are compared."""
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


def _field(record: Mapping[str, Any], kind: str) -> Any:
    for name in FIELDS[kind]:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        # NewsAPI-style {"source": {"id": ..., "name": "AFP"}}.
        return _as_text(value.get("name") or value.get("title") or value.get("value") or "")
    if isinstance(value, list):
        return "\n".join(_as_text(item) for item in value)
    return str(value)


def record_to_article(
    record: Mapping[str, Any], origin: str, warnings: tuple[str, ...] = ()
) -> Article | ItemError:
    """Build an article from one export record (a JSON object or a CSV row).

    Parameters
    ----------
    record : Mapping
        Field name -> value; names are matched case-insensitively.
    origin : str
        ``path:line`` (or ``path``) of the record.
    warnings : tuple of str
        Warnings about the record's encoding, copied to the article.

    Returns
    -------
    Article or ItemError
        An error when the record has no text.
    """
    fields = {normalise_key(k): v for k, v in record.items() if k is not None}
    raw_text = _as_text(_field(fields, "text") or _field(fields, "summary")).strip()
    if not raw_text:
        return ItemError(origin, NO_TEXT)
    if looks_like_html(raw_text):
        raw_text = html_to_text(raw_text)
    title = clean_title(html_to_text(_as_text(_field(fields, "title")), one_line=True))
    raw_date = _field(fields, "date")
    published = parse_date_value(raw_date) if not isinstance(raw_date, (list, Mapping)) else None
    notes = list(warnings)
    if raw_date is not None and published is None:
        notes.append(f"the date {_as_text(raw_date)[:40]!r} is not understood")
    stories = split_page(raw_text, RECORD, title=title, published=published)
    if not stories:
        return ItemError(origin, NO_TEXT)
    story = stories[0]
    dateline = _as_text(_field(fields, "dateline")).strip() or story.dateline
    agency = _as_text(_field(fields, "agency")).strip() or story.agency
    article = to_article(story, origin, tuple(notes))
    return replace(
        article,
        url=_as_text(_field(fields, "url")).strip(),
        publisher=clean_title(_as_text(_field(fields, "publisher"))),
        agency=agency,
        dateline=dateline,
    )


def read_jsonl(lines: Iterable[Line], origin: str) -> Iterator[Article | ItemError]:
    """Yield one article (or error) per non-blank line of a JSONL export."""
    for number, line, not_utf8 in lines:
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ItemError(where, f"not valid JSON ({_json_problem(exc)})")
            continue
        if not isinstance(record, dict):
            yield ItemError(where, f"expected a JSON object with article fields, found a {_json_kind(record)}")
            continue
        yield _guarded(record, where, (NOT_UTF8_LINE,) if not_utf8 else ())


def _guarded(record: Mapping[str, Any], where: str, warnings: tuple[str, ...]) -> Article | ItemError:
    try:
        return record_to_article(record, where, warnings)
    except Exception as exc:
        # One odd record (a value of an unexpected type, a parser failure) must
        # cost that line only; the rest of a large export still streams.
        log.warning("reading %s failed", where, exc_info=True)
        return ItemError(where, f"the record could not be read ({type(exc).__name__}: {exc})"[:300])


def read_json(text: str, origin: str, warnings: tuple[str, ...] = ()) -> Iterator[Article | ItemError]:
    """Yield the articles of a JSON document: a list of objects, or an object holding one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ItemError(origin, f"not valid JSON ({_json_problem(exc)}, line {exc.lineno})")
        return
    if isinstance(document, dict):
        items = next(
            (document[k] for k in ("articles", "items", "data", "results", "entries", "records")
             if isinstance(document.get(k), list)),
            [document],
        )
    elif isinstance(document, list):
        items = document
    else:
        yield ItemError(origin, f"expected JSON objects with article fields, found a {_json_kind(document)}")
        return
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            yield ItemError(origin, f"item {number}: expected a JSON object, found a {_json_kind(item)}")
            continue
        result = record_to_article(item, origin, warnings)
        if isinstance(result, ItemError):
            result = ItemError(origin, f"item {number}: {result.reason}")
        yield result


def _json_problem(exc: json.JSONDecodeError) -> str:
    # json's messages end in "at" ("Invalid control character at"): add the column.
    message = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg
    return f"{message.lower()} at column {exc.colno}"


def _json_kind(value: object) -> str:
    names = {list: "list", str: "string", int: "number", float: "number", bool: "true/false"}
    return names.get(type(value), "null" if value is None else type(value).__name__)


def read_csv(lines: Iterable[Line], origin: str, *, delimiter: str | None = None) -> Iterator[Article | ItemError]:
    """Yield one article (or error) per row of a CSV/TSV export with a header row."""
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    not_utf8: set[int] = set()

    def texts() -> Iterator[str]:
        for number, line, bad in lines:
            if bad:
                not_utf8.add(number)
            yield line

    source = texts()
    header_line = next(source, "")
    if delimiter is None:
        delimiter = guess_delimiter(header_line)
    try:
        header = next(csv.reader([header_line], delimiter=delimiter), [])
    except csv.Error as exc:  # a lone carriage return inside the header line
        yield ItemError(f"{origin}:1", f"unreadable CSV header ({exc})")
        return
    names = [normalise_key(name).lstrip("\ufeff") for name in header]
    if not any(name in FIELDS["text"] + FIELDS["summary"] for name in names):
        accepted = ", ".join(FIELDS["text"] + FIELDS["summary"])
        yield ItemError(origin, f"the CSV header has no text column (accepted names: {accepted})")
        return
    reader = csv.reader(source, delimiter=delimiter)
    # reader.line_num counts the lines it consumed; the header was read apart.
    previous = 0
    rows = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if rows == 0:  # a header and nothing else is an input that gave nothing: say so
                yield ItemError(origin, "the CSV file has a header but no rows")
            return
        except csv.Error as exc:
            yield ItemError(f"{origin}:{reader.line_num + 1}", f"unreadable CSV row ({exc})")
            previous = reader.line_num
            continue
        first, previous = previous + 2, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        where = f"{origin}:{first}"
        if len(row) > len(names):
            yield ItemError(where, f"the row has {len(row)} fields but the header has {len(names)}")
            continue
        record = dict(zip(names, row, strict=False))  # short rows: missing fields
        bad = any(n in not_utf8 for n in range(first, reader.line_num + 2))
        yield _guarded(record, where, (NOT_UTF8_LINE,) if bad else ())


def guess_delimiter(header_line: str) -> str:
    """Pick the delimiter of a header line: comma, semicolon, tab or bar."""
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def looks_like_csv_header(line: str) -> bool:
    """True when ``line`` reads as a CSV header naming a text column and one other known field."""
    delimiter = guess_delimiter(line)
    names = [normalise_key(cell.strip('"\' ')) for cell in line.strip().split(delimiter)]
    known = {name for kind in FIELDS.values() for name in kind}
    has_text = any(name in FIELDS["text"] + FIELDS["summary"] for name in names)
    return len(names) >= 2 and has_text and sum(name in known for name in names) >= 2
