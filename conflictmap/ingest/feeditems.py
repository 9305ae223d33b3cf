"""A polled document as keyed items: what ``conflictmap watch`` remembers between polls.

A watch must know an item before it spends anything on it (a page fetch, the
geoparser), so each item of a fetched document gets a key that stays the same
from one poll to the next:

- RSS/Atom: the item's ``guid``/``id``, else its link, else a hash of its title
  and summary. The articles come from the existing feed reader
  (:func:`~conflictmap.ingest.feeds.read_feed`), one per item in order.
- JSON and JSONL endpoints: the records go through the existing record readers
  (:mod:`~conflictmap.ingest.records`); an article's key is its URL, else its
  id (the hash of its body). A record without text has no key and is reported
  as an error each time the document changes.

An RSS/Atom item is a *teaser* when it has an http(s) link and only a summary:
no content element and fewer than ``TEASER_CHARS`` characters of text (or the
story cutter marked it a teaser, or it has no text at all). The watch then
fetches the page behind the link and reads it with :func:`read_linked_page`,
through the existing HTML reader.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit
from xml.sax import SAXException

from conflictmap.ingest.feeds import read_feed
from conflictmap.ingest.records import Line, read_json, read_jsonl
from conflictmap.ingest.sources import decode_text, sniff_format
from conflictmap.ingest.stories import NO_DATE, TEASER
from conflictmap.ingest.webpage import read_html
from conflictmap.model import Article, ItemError

log = logging.getLogger(__name__)

#: An item with only a summary shorter than this (characters of text) is a teaser.
TEASER_CHARS = 800
#: How a complete feed document ends.
_CLOSED = re.compile(rb"</(?:rss|feed|rdf:RDF)\s*>\s*$", re.I)
PAGE_FALLBACK = "the page behind the feed item had no more text than its summary; the summary was kept"


class DocumentError(ValueError):
    """The fetched document as a whole cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class FeedItem:
    """One item of a polled document.

    Attributes
    ----------
    key : str
        Stays the same from poll to poll (see the module docstring).
    item : Article or ItemError
        What the reader made of it.
    link : str
        The page behind the item ("" when none).
    teaser : bool
        Only a summary: the page behind ``link`` should be fetched.
    """

    key: str
    item: Article | ItemError
    link: str = ""
    teaser: bool = False


def read_document(data: bytes, origin: str) -> list[FeedItem]:
    """Split a fetched RSS/Atom, JSON or JSONL document into keyed items.

    Parameters
    ----------
    data : bytes
        The body.
    origin : str
        Its URL, for the articles and errors.

    Returns
    -------
    list of FeedItem
        The items in document order (none for a well-formed feed without items).

    Raises
    ------
    DocumentError
        The body is no feed and no JSON, or is too broken to give any item.
    """
    head = data[:65536].decode("utf-8", errors="replace")
    if not head.strip():
        raise DocumentError("the answer was empty")
    path = urlsplit(origin).path
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    kind = sniff_format(head, suffix)
    if kind == "feed":
        return _feed_items(data, origin)
    if kind in ("json", "jsonl"):
        return _record_items(data, origin, kind)
    found = {"html": "an HTML page", "csv": "a CSV table", "text": "plain text"}.get(kind, kind)
    raise DocumentError(f"the address gave {found}, not an RSS/Atom feed or JSON")


def _feed_items(data: bytes, origin: str) -> list[FeedItem]:
    import feedparser  # slow to import; only feeds need it

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.entries
    problem = parsed.get("bozo_exception")
    detail = _problem(problem) if problem is not None else ""
    if not entries and problem is not None:
        raise DocumentError(f"the feed is not well-formed XML ({detail})")
    # feedparser reads sloppy XML (a bare "&") and cut-off XML alike; a cut-off body would give only its
    # first items and, if accepted, its validators would turn the full feed into a 304 next time.
    if isinstance(problem, SAXException) and not _CLOSED.search(data[-512:]):
        raise DocumentError(f"the feed is cut off or broken ({detail})")
    if not entries:
        return []  # a feed with no items at the moment
    articles = list(read_feed(data, origin))
    # read_feed yields one article or error per entry, in order (tested): pair them up.
    if len(articles) != len(entries):
        raise DocumentError(f"the feed reader gave {len(articles)} items for {len(entries)} entries")
    return [_entry_item(entry, item) for entry, item in zip(entries, articles, strict=True)]


def _problem(problem: BaseException) -> str:
    text = str(problem).strip().splitlines()[0][:160] if str(problem).strip() else type(problem).__name__
    # expat says "<unknown>:1:834: no element found"; say where in words.
    return re.sub(r"^<unknown>:(\d+):(\d+): ", r"line \1, column \2: ", text)


def _entry_item(entry: Any, item: Article | ItemError) -> FeedItem:
    link = str(entry.get("link") or "").strip()
    key = str(entry.get("id") or "").strip() or link
    if not key:
        text = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
        key = "hash:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return FeedItem(key, item, link, _is_teaser(entry, item, link))


def _is_teaser(entry: Any, item: Article | ItemError, link: str) -> bool:
    if urlsplit(link).scheme not in ("http", "https"):
        return False
    if isinstance(item, ItemError) or TEASER in item.warnings:
        return True
    has_content = any(c.get("value") for c in entry.get("content") or [])
    return not has_content and len(item.body) < TEASER_CHARS


def _record_items(data: bytes, origin: str, kind: str) -> list[FeedItem]:
    # An API answers one JSON object on one line, which reads as JSONL of one record; read_json
    # reads it alike when it is an article and also unwraps {"articles": [...]}.
    if kind == "jsonl" and len([line for line in data.splitlines() if line.strip()]) > 1:
        records: Iterator[Article | ItemError] = read_jsonl(_lines(data), origin)
    else:
        text, warnings = decode_text(data)
        records = read_json(text, origin, warnings)
    items = []
    for record in records:
        if isinstance(record, Article):
            items.append(FeedItem(record.url or f"article:{record.article_id}", record, record.url))
        else:
            items.append(FeedItem("", record))  # no key: never marked seen
    return items


def _lines(data: bytes) -> Iterator[Line]:
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            yield number, raw.decode("utf-8"), False
        except UnicodeDecodeError:
            yield number, raw.decode("cp1252", errors="replace"), True


def read_linked_page(data: bytes, url: str, item: FeedItem) -> Article | ItemError:
    """Read the page behind a teaser through the HTML reader; keep the feed's summary when it is no better.

    Parameters
    ----------
    data : bytes
        The page.
    url : str
        Where it was fetched from (after redirects): the article's origin, and
        its URL when the page names none.
    item : FeedItem
        The teaser; its title, date and publisher fill what the page lacks.

    Returns
    -------
    Article or ItemError
        The page's first story, or the summary (with a warning) when the page
        gave no longer text, or an error when neither has text.
    """
    text, warnings = decode_text(data, markup=True)
    try:
        page = next((a for a in read_html(text, url, warnings) if isinstance(a, Article)), None)
    except Exception:  # noqa: BLE001 (trafilatura and lxml raise many kinds on odd pages; the item costs only itself)
        log.warning("reading the page %s failed", url, exc_info=True)
        page = None
    summary = item.item if isinstance(item.item, Article) else None
    if page is None or (summary is not None and len(page.body) <= len(summary.body)):
        if summary is None:
            return ItemError(url, "the page behind the feed item has no readable article text")
        return replace(summary, warnings=(*summary.warnings, PAGE_FALLBACK))
    if summary is None:
        return replace(page, url=page.url or item.link or url)
    return replace(
        page,
        url=page.url or item.link or url,
        title=page.title or summary.title,
        published=page.published or summary.published,
        publisher=page.publisher or summary.publisher,
        # The feed's date fills a page without one, so that page's "no date" warning no longer holds.
        warnings=tuple(w for w in page.warnings if not (w == NO_DATE and summary.published)),
    )
