"""Readers that turn the files users have into :class:`~conflictmap.model.Article` records.

Two entry points, both generators that yield articles and
:class:`~conflictmap.model.ItemError` records as they go (one bad input never
stops the others):

- :func:`read_paths` for files and folders (folders recursively, in sorted
  order, hidden names skipped);
- :func:`read_bytes` for uploads and pasted text.

Formats, chosen by content first and by extension where content cannot tell:

plain text (``.txt`` or anything else)
    News pages saved as text. Each dateline (``Deir Ezzor, Syria (AFP) Nov 4,
    2017``, ``BEIRUT, Nov 4 (Reuters) - ...``, ``BEIRUT (AP) — ...``,
    ``New Delhi, Nov 4 (IANS) ...``) starts a story; its title is the line
    above (past a byline), its body runs to the agency sign-off
    (``burs-jmm-rh/hkb/srm``, ``(Reporting by ...)``), boilerplate or the next
    headline. Teasers ending in "read more" become articles of their own.
    Navigation, share links, donation appeals, related-headline lists and
    copyright notices are dropped. A page with no dateline is one story: the
    title is the last headline-like line above the first paragraph of
    sentences. Leading ``Title:``/``Date:``/``URL:`` lines are read as metadata.
HTML (``<html``, ``<!doctype html`` ...)
    trafilatura extracts the main text, URL, title and date; the text is then
    cleaned like a text page.
JSONL (``.jsonl``/``.ndjson``, or lines of JSON objects) and JSON documents
    One article per object; a JSON document may be a list of objects or an
    object holding one under ``articles``/``items``/``data``/``results``/``entries``.
CSV/TSV (``.csv``/``.tsv``, or a first line naming known columns)
    A header row, then one article per row; the delimiter is guessed.
RSS/Atom (``<rss``, ``<feed``, ``<rdf:RDF``)
    One article per item: full content when present, else the summary.

Field and column names accepted in JSONL, JSON and CSV (case-insensitive;
spaces and hyphens count as underscores; the first one present wins):

- text: ``text``, ``body``, ``content``, ``article``, ``article_text``,
  ``full_text``, ``fulltext``, ``story``, ``maintext``, ``main_text``; if none,
  ``summary``, ``description``, ``abstract``, ``lead``, ``snippet``. Required.
- title: ``title``, ``headline``, ``heading``, ``subject``
- date: ``date``, ``published``, ``pubdate``, ``pub_date``, ``published_at``,
  ``publish_date``, ``publication_date``, ``date_published``, ``datetime``,
  ``timestamp``, ``time``, ``created_at`` (ISO dates, ``Nov 4, 2017``,
  ``4 November 2017``, RFC 822 dates, POSIX timestamps)
- url: ``url``, ``link``, ``href``, ``source_url``, ``permalink``, ``uri``
- publisher: ``publisher``, ``source``, ``source_name``, ``site``,
  ``site_name``, ``sitename``, ``outlet``, ``domain`` (``{"name": ...}`` objects too)
- agency: ``agency``, ``wire``; dateline: ``dateline``

Text fields holding HTML are reduced to text. A dateline opening the text is
moved into ``Article.dateline``/``agency`` and out of the body, so the same
story read from any format has the same body and therefore the same id.
Titles are plain text: tags in HTML, feed and export titles are removed
(script and style content with them), a text page's title is kept as written;
nothing is ever executed. ``Article.origin`` is the path (or upload name), with
``:line`` for JSONL and CSV records.

Bad input: files over ``max_bytes``, empty files, binary files (PDF, images,
archives...), JSON lines that do not parse, rows without text and pages with
no article text each give an ``ItemError`` whose ``origin`` is the path (or
``path:line`` for JSONL/CSV) and whose ``reason`` is one plain sentence.
Whole-page formats over 10 MB are refused (export them as JSONL or CSV
instead); JSONL and CSV stream and may be as large as ``max_bytes``. Text that
is not UTF-8 is read as Windows-1252 (or the charset an HTML page declares) and
its articles carry a warning; an article with no date or no title is kept with
a warning in ``Article.warnings``, and so is a teaser (only its summary was on
the page).

This package imports only ``model`` and ``config`` of ConflictMap; how to add a
reader for a new format: docs/ARCHITECTURE.md.
"""
from __future__ import annotations

from conflictmap.ingest.sources import read_bytes, read_paths

__all__ = ["read_bytes", "read_paths"]
