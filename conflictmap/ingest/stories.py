"""Cut a page of text into stories and clean each story's text.

A wire page reprinted by a news site holds a main story and often teasers of
other stories, each introduced by a dateline, amid site furniture. A story is
its title (the headline line above the dateline, past any byline), its
dateline, and the paragraphs after it up to the first line that ends a story
(an editors' sign-off, boilerplate, a section label) or the next story's
headline. Everything outside a story is dropped. A story whose text ends in
"read more" is a teaser: its summary is kept, minus the cut-off last sentence.

The same cleaning runs on the text of HTML pages (after trafilatura), export
rows and feed items, so one story read from any format gets one body, hence
one article id.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from conflictmap.ingest.dates import DateMatch, find_date, is_date_only
from conflictmap.ingest.wire import (
    ENDS_SENTENCE,
    Dateline,
    ends_story,
    is_boilerplate,
    is_byline,
    is_prose,
    is_subhead,
    is_title_like,
    parse_dateline,
)
from conflictmap.model import Article

NO_DATE = "no publication date found; stored without a date"
NO_TITLE = "no title found"
TEASER = "teaser: only the summary shown on the page was kept"

_KEY_VALUE = re.compile(
    r"^(title|headline|date|published|pubdate|url|link|source|publisher|agency|dateline)\s*:\s*(\S.*)$",
    re.I,
)
_READ_MORE = re.compile(
    r"(?P<cut>\s*(?:\.\.\.|…))?\s*[\[(]?\s*(?:read (?:more|the (?:full|whole|rest of the) (?:story|article))"
    r"|continue reading)\s*[\])]?\s*(?:»|>>|›|\.\.\.|…|→)?\s*$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass(frozen=True)
class Story:
    """One story found in a page, before it becomes an :class:`~conflictmap.model.Article`."""

    title: str
    body: str
    published: date | None = None
    dateline: str = ""
    agency: str = ""
    url: str = ""
    publisher: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    """How a text is laid out, which decides how :func:`split_page` reads it.

    Attributes
    ----------
    page : bool
        True for whole pages: look for a headline above the text, and drop
        trailing lines that are not sentences (lists of related headlines).
        False for export rows and feed items, whose text is all story.
    split : bool
        Cut the text at every dateline (a page with teasers). False keeps one story.
    wrapped : bool
        True when paragraphs are separated by blank lines and lines inside a
        paragraph are wrapped; False when each line is a paragraph.
    """

    page: bool = True
    split: bool = True
    wrapped: bool = True


#: A whole saved page whose paragraphs are separated by blank lines.
PAGE = Layout()
#: The text of one export record or feed item: all story, one story, a line per paragraph.
RECORD = Layout(page=False, split=False, wrapped=False)


def clean_line(line: str) -> str:
    """Normalise one line: NFC, visible spaces only, single spaces, no edges."""
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


def clean_title(title: str) -> str:
    """Collapse a title to one line of plain text (it is never interpreted as markup)."""
    return clean_line(re.sub(r"\s+", " ", title or ""))


def split_page(
    text: str, layout: Layout = PAGE, *, title: str = "", published: date | None = None
) -> list[Story]:
    """Find the stories in a page of text.

    Parameters
    ----------
    text : str
        The page as plain text (a saved page, trafilatura's output, a cell).
    layout : Layout
        Whole page or one record, split at datelines or not, wrapped or not.
    title : str
        A title known from elsewhere (HTML metadata, a feed item, an export
        column); used for the first story.
    published : date, optional
        A date known from elsewhere, used when a story's own dateline has none.

    Returns
    -------
    list of Story
        Stories with a non-empty body, in page order. Empty when the text
        holds no story text at all.
    """
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    meta, start = _read_key_values(lines) if layout.page else ({}, 0)
    title, published = _known_title_and_date(meta, title, published)
    doc = _Page(lines, start, title, published, layout)
    datelines = _find_datelines(lines, start, split=layout.split)
    stories = _dated_stories(doc, datelines) if datelines else [_undated_page(doc)]
    return [_with_page_meta(story, meta) for story in stories if story.body]


@dataclass(frozen=True)
class _Page:
    """A page cut into clean lines, with what is known of it from elsewhere (see ``split_page``)."""

    lines: list[str]
    start: int  # the first line after any "Title:" / "Date:" header
    title: str
    published: date | None
    layout: Layout


def _known_title_and_date(meta: dict[str, str], title: str, published: date | None) -> tuple[str, date | None]:
    """The title and date a page's own header gives, else the ones the caller knows."""
    title = clean_title(meta.get("title") or meta.get("headline") or title)
    meta_date = find_date(meta.get("date") or meta.get("published") or meta.get("pubdate") or "")
    if meta_date is not None and meta_date.year is not None:
        published = meta_date.to_date() or published
    return title, published


def _find_datelines(lines: list[str], start: int, *, split: bool) -> list[tuple[int, Dateline]]:
    first = next((i for i in range(start, len(lines)) if lines[i]), len(lines))
    # One story: only a dateline opening the text counts.
    candidates = range(start, len(lines)) if split else range(first, len(lines))[:1]
    return [(i, d) for i in candidates if (d := parse_dateline(lines[i], opening=i == first)) is not None]


def _with_page_meta(story: Story, meta: dict[str, str]) -> Story:
    """Fill what a story's dateline left open from the page's ``Key: value`` header."""
    return replace(
        story,
        dateline=story.dateline or meta.get("dateline", ""),
        agency=story.agency or meta.get("agency", ""),
        url=meta.get("url") or meta.get("link") or "",
        publisher=meta.get("publisher") or meta.get("source") or "",
    )


def _read_key_values(lines: list[str]) -> tuple[dict[str, str], int]:
    # Some tools save pages as "Title: ...", "Date: ...", "URL: ..." then the text.
    meta: dict[str, str] = {}
    index = 0
    while index < len(lines) and not lines[index]:
        index += 1
    while index < len(lines) and (match := _KEY_VALUE.match(lines[index])):
        meta.setdefault(match.group(1).lower(), match.group(2).strip())
        index += 1
    return (meta, index) if meta else ({}, 0)


def _dated_stories(doc: _Page, datelines: list[tuple[int, Dateline]]) -> list[Story]:
    lines, start = doc.lines, doc.start
    heads = []
    lower = start
    for index, _ in datelines:
        heads.append(_find_headline(lines, index, lower))
        lower = index + 1
    first_head = heads[0][1]
    # A dateline without a year ("Srinagar, Nov 2 (IANS)") takes the page's year:
    # from a date line above the stories, else from another story's dateline.
    page_date = (
        doc.published
        or _first_full_date(lines[start:first_head])
        or next((d.date.to_date() for _, d in datelines if d.date is not None and d.date.year), None)
    )
    stories = []
    for k, (index, dateline) in enumerate(datelines):
        title_index, head_start, head_dates = heads[k]
        end = heads[k + 1][1] if k + 1 < len(heads) else len(lines)
        story_title = lines[title_index] if title_index is not None else ""
        if k == 0 and doc.title:
            story_title = doc.title
        body_lines = ([dateline.rest] if dateline.rest else []) + lines[index + 1 : end]
        body, teaser = _story_text(body_lines, doc.layout)
        day, warnings = _story_date(dateline.date, head_dates, page_date)
        if teaser:
            warnings.append(TEASER)
        if not story_title:
            warnings.append(NO_TITLE)
        stories.append(
            Story(story_title, body, day, dateline.place, dateline.agency, warnings=tuple(warnings))
        )
    return stories


def _find_headline(lines: list[str], index: int, lower: int) -> tuple[int | None, int, list[DateMatch]]:
    """Walk up from a dateline past bylines and date lines to the headline.

    Returns the headline's line index (or None), the first line of the story's
    header (where the story above must end) and the dates seen on the way.
    """
    head_start = index
    dates: list[DateMatch] = []
    blanks = 0
    j = index - 1
    while j >= lower and index - j <= 12:
        line = lines[j]
        if not line:
            blanks += 1
            if blanks > 2:
                break
        elif is_byline(line):
            # "By Ed Adamczyk | Nov. 3, 2017 at 11:21 AM"
            found = find_date(line)
            if found is not None:
                dates.append(found)
            head_start = j
        elif is_boilerplate(line):
            head_start = j  # share buttons between the headline and the text
        elif is_date_only(line):
            found = find_date(line)
            if found is not None:
                dates.append(found)
            head_start = j
        elif is_title_like(line) and not (line.endswith(".") and len(line.split()) > 12):
            return j, j, dates
        else:
            break
        j -= 1
    return None, head_start, dates


def _first_full_date(lines: list[str]) -> date | None:
    for line in lines:
        if line and is_date_only(line):
            found = find_date(line)
            if found is not None:
                return found.to_date()
    return None


def _story_date(
    own: DateMatch | None, head_dates: list[DateMatch], page_date: date | None
) -> tuple[date | None, list[str]]:
    if own is not None:
        if own.year is not None:
            return own.to_date(), []
        year = next((d.year for d in head_dates if d.year is not None), None)
        if year is None and page_date is not None:
            year = page_date.year
        day = own.to_date(default_year=year)
        if day is not None:
            return day, []
        return None, [f"the dateline gives no year; {NO_DATE}"]
    for found in head_dates:
        if found.year is not None and (day := found.to_date()) is not None:
            return day, []
    if page_date is not None:
        return page_date, []
    return None, [NO_DATE]


def _undated_page(doc: _Page) -> Story:
    """A page (or a cell) with no dateline: one story, headline found above the text."""
    lines, start, title, wrapped = doc.lines, doc.start, doc.title, doc.layout.wrapped
    body_start = start
    header_dates: list[DateMatch] = []
    if doc.layout.page:
        # Whatever sits above the first paragraph of sentences is the page's
        # header: menus, the headline, a byline, a date.
        body_start = _first_prose_line(lines, start, wrapped=wrapped)
        header = [line for line in lines[start:body_start] if line]
        candidates = [line for line in header if is_title_like(line) and not is_prose(line)]
        title = title or (candidates[-1] if candidates else "")
        header_dates = [
            d for line in header if (is_date_only(line) or is_byline(line)) and (d := find_date(line))
        ]
    else:
        # Drop what sits above the text proper: the title repeated, a byline, a date.
        while body_start < len(lines):
            line = lines[body_start]
            if line and not (line.casefold() == title.casefold() or is_byline(line) or is_date_only(line)):
                break
            if line and is_date_only(line) and (found := find_date(line)) is not None:
                header_dates.append(found)
            body_start += 1
    body, teaser = _story_text(lines[body_start:], doc.layout)
    day, warnings = _story_date(None, header_dates, doc.published)
    if teaser:
        warnings.append(TEASER)
    if not title:
        warnings.append(NO_TITLE)
    return Story(title, body, day, warnings=tuple(warnings))


def _first_prose_line(lines: list[str], start: int, *, wrapped: bool) -> int:
    """Index of the first line of the first paragraph that reads as sentences."""
    for first, paragraph in _paragraph_spans(lines, start, wrapped=wrapped):
        if is_prose(paragraph) and not ends_story(paragraph):
            return first
    return len(lines)


def _paragraph_spans(lines: list[str], start: int, *, wrapped: bool) -> list[tuple[int, str]]:
    spans: list[tuple[int, str]] = []
    current: list[str] = []
    first = start
    for index in range(start, len(lines)):
        line = lines[index]
        if line and wrapped:
            if not current:
                first = index
            current.append(line)
            continue
        if current:
            spans.append((first, " ".join(current)))
            current = []
        if line:
            spans.append((index, line))
    if current:
        spans.append((first, " ".join(current)))
    return spans


def _story_text(lines: list[str], layout: Layout) -> tuple[str, bool]:
    """Join a story's lines into clean paragraphs; say whether it was a teaser."""
    teaser = False
    kept: list[str] = []
    for line in lines:
        if ends_story(line):
            teaser = bool(_READ_MORE.fullmatch(line))
            break
        # Crossheads ("- Fleeing civilians -") are layout, not sentences.
        kept.append("" if is_subhead(line) else line)
    paragraphs = [text for _, text in _paragraph_spans(kept, 0, wrapped=layout.wrapped)]
    if paragraphs:
        last = paragraphs[-1]
        # The link text sits at the very end: search only there (paragraphs can be long).
        offset = max(0, len(last) - 60)
        match = _READ_MORE.search(last, offset)
        if match is not None and match.start() > 0:
            teaser = True
            last = last[: match.start()].rstrip()
            paragraphs[-1] = last
        if teaser and not ENDS_SENTENCE.search(last):
            # The summary was cut mid-sentence ("At a medica ..."): keep whole sentences.
            ends = list(_SENTENCE_END.finditer(last + " "))
            if ends:
                paragraphs[-1] = last[: ends[-1].end()]
    if layout.page:
        # Headline lists under a story are lines without a full stop.
        while paragraphs and not ENDS_SENTENCE.search(paragraphs[-1]):
            paragraphs.pop()
    return "\n\n".join(p for p in paragraphs if p), teaser


def to_article(story: Story, origin: str, warnings: tuple[str, ...] = ()) -> Article:
    """Make the stored record of a story; its id is the hash of its body."""
    return Article.create(
        story.title,
        story.body,
        published=story.published,
        url=story.url,
        publisher=story.publisher,
        agency=story.agency,
        dateline=story.dateline,
        origin=origin,
        warnings=tuple(dict.fromkeys(warnings + story.warnings)),
    )
