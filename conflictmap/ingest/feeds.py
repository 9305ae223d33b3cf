"""RSS and Atom files, through feedparser.

Each item becomes an article: its title (tags stripped to text), its link,
its date, and its full content when the feed carries it, else its summary.
feedparser is given the bytes as a stream so it never fetches anything.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from conflictmap.ingest.html_text import html_to_text
from conflictmap.ingest.stories import RECORD, clean_title, split_page, to_article
from conflictmap.model import Article, ItemError


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
    return None


def _entry_html(entry: Any) -> str:
    # Atom may carry several content elements: keep the longest (the full text).
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    if contents:
        return max(contents, key=len)
    return entry.get("summary") or entry.get("description") or ""


def read_feed(data: bytes, origin: str, warnings: tuple[str, ...] = ()) -> Iterator[Article | ItemError]:
    """Yield one article per item of an RSS or Atom document.

    Parameters
    ----------
    data : bytes
        The feed file; feedparser works out its encoding.
    origin : str
        Where it came from, for the articles and errors.
    warnings : tuple of str
        Warnings about the file as a whole, copied to each article.

    Yields
    ------
    Article or ItemError
        One per item; an item without text is an error naming its number.
    """
    # Imported here: only feeds need it, and it is slow to import.
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0][:120]})" if problem else ""
        yield ItemError(origin, f"not a readable RSS/Atom feed, or a feed with no items{detail}")
        return
    publisher = clean_title(html_to_text(parsed.feed.get("title", ""), one_line=True))
    for number, entry in enumerate(parsed.entries, 1):
        title = clean_title(html_to_text(entry.get("title", ""), one_line=True))
        text = html_to_text(_entry_html(entry))
        stories = split_page(text, RECORD, title=title, published=_entry_date(entry))
        if not stories:
            label = f" ({title[:60]!r})" if title else ""
            yield ItemError(origin, f"feed item {number}{label} has no content or summary")
            continue
        story = stories[0]
        article = to_article(story, origin, warnings)
        yield replace(article, url=entry.get("link", ""), publisher=publisher)
