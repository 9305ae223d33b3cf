"""HTML pages: trafilatura finds the main text and the metadata.

trafilatura keeps the page's URL (canonical link or ``og:url``), title and
publication date; its text then goes through the same story cutter as plain
text pages, so the dateline, the sign-off and any teasers are handled alike
and the body of a story matches the one read from a text copy.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from conflictmap.ingest.dates import parse_date_value
from conflictmap.ingest.html_text import close_title, html_to_text, page_text, page_title
from conflictmap.ingest.stories import NO_DATE, Layout, Story, clean_title, split_page, to_article
from conflictmap.ingest.wire import parse_dateline
from conflictmap.model import Article, ItemError

# Only dates the page states (meta tags, time elements): no guessing from
# copyright years or from today's date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(text: str, origin: str, warnings: tuple[str, ...] = ()) -> Iterator[Article | ItemError]:
    """Yield the stories of one HTML page.

    Parameters
    ----------
    text : str
        The decoded page.
    origin : str
        Where it came from, for the articles and errors.
    warnings : tuple of str
        Warnings about the file as a whole (e.g. its encoding), copied to each article.

    Yields
    ------
    Article or ItemError
        One article per story; one error when the page has no readable text.
    """
    # Imported here: trafilatura pulls in lxml, justext and htmldate, which only
    # HTML input needs.
    import trafilatura

    # trafilatura logs an ERROR for every short or odd page; the reader reports
    # those itself, as ItemErrors, so its log lines would only be noise.
    for name in ("trafilatura", "htmldate", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    text = close_title(text)
    document = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        date_extraction_params=_DATE_PARAMS,
    )
    body = getattr(document, "text", None) or ""
    # Titles from HTML stay plain text; tags written inside them are removed.
    title = clean_title(html_to_text(getattr(document, "title", None) or "", one_line=True))
    published: date | None = parse_date_value(getattr(document, "date", None))
    if not body.strip():
        # trafilatura gives up on short or odd pages; their visible text, read
        # as a text page, is better than nothing.
        body = page_text(text)
        title = title or page_title(text)
    stories = split_page(body, Layout(page=True, split=True, wrapped=False), title=title, published=published)
    if not stories:
        yield ItemError(origin, "the HTML page has no readable article text")
        return
    if not stories[0].dateline:
        stories[0] = _with_page_dateline(stories[0], text)
    url = getattr(document, "url", None) or ""
    publisher = getattr(document, "sitename", None) or ""
    for story in stories:
        yield to_article(replace(story, url=url, publisher=publisher), origin, warnings)


def _with_page_dateline(story: Story, document: str) -> Story:
    # trafilatura drops short paragraphs such as <p class="dateline">; the
    # dateline's place and agency are context for the geoparser, so look for
    # one standing alone in the page's visible text above the story's first
    # words (a dateline further down belongs to some other story).
    lead = story.body[:40]
    for line in page_text(document).split("\n"):
        if lead and line.startswith(lead):
            break
        dateline = parse_dateline(line)
        if dateline is not None and not dateline.rest:
            day = story.published
            if day is None and dateline.date is not None:
                day = dateline.date.to_date()
            warnings = tuple(w for w in story.warnings if day is None or w != NO_DATE)
            return replace(story, dateline=dateline.place, agency=dateline.agency, published=day, warnings=warnings)
    return story
