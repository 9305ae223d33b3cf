"""HTML fragments (feed summaries, export cells, titles) to plain text.

Markup is parsed by lxml only to read its text: scripts, styles and embedded
objects are removed with their content and nothing is ever executed or kept
as markup.
"""
from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "form")
_BLOCKS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "tr", "table", "pre", "hr", "figure",
)


_OPEN_TITLE = re.compile(r"<title\b[^>]*>", re.I)
_CLOSE_TITLE = re.compile(r"</title\s*>", re.I)


def close_title(document: str) -> str:
    """``document`` with an unclosed ``<title>`` closed where its line or the next tag ends it.

    A parser reads everything after an unclosed ``<title>`` as the title, so the
    page's article would be lost; a title is one line of text.
    """
    opened = _OPEN_TITLE.search(document)
    if opened is None or _CLOSE_TITLE.search(document, opened.end()):
        return document
    end = len(document)
    for stop in (document.find("\n", opened.end()), document.find("<", opened.end())):
        if stop != -1:
            end = min(end, stop)
    return document[:end] + "</title>" + document[end:]


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds tags or entities worth parsing."""
    return bool(_TAG.search(text)) or bool(re.search(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", text, re.I))


def html_to_text(fragment: str, *, one_line: bool = False) -> str:
    """Return the text of an HTML fragment, one paragraph per line.

    Parameters
    ----------
    fragment : str
        HTML (possibly broken) or plain text with entities.
    one_line : bool
        Collapse everything to one line (for titles).

    Returns
    -------
    str
        Plain text; entities decoded, tags removed, script and style content dropped.
    """
    if not looks_like_html(fragment):
        text = fragment
    elif not _TAG.search(fragment):
        text = html.unescape(fragment)
    else:
        text = _parse_text(fragment)
    if one_line:
        return re.sub(r"\s+", " ", text).strip()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _parse_text(fragment: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    # lxml asserts when a fragment parses to no body at all ("too many bodies").
    except (lxml.etree.ParserError, ValueError, AssertionError):
        # lxml refuses some inputs (only comments, stray NUL bytes): fall back on
        # removing anything tag-shaped, which can never leave live markup.
        return html.unescape(_TAG.sub(" ", fragment))
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    for element in list(root.iter(lxml.etree.Comment)):
        element.drop_tree()
    return root.text_content()


def page_text(document: str) -> str:
    """Visible text of a whole HTML page without its menus, headers and footers."""
    try:
        root = lxml.html.document_fromstring(document)
    except (lxml.etree.ParserError, ValueError):
        return html_to_text(document)
    for element in list(root.iter("head", "nav", "header", "footer", "aside", "h1")):
        element.drop_tree()
    return html_to_text(lxml.html.tostring(root, encoding="unicode"))


def page_title(document: str) -> str:
    """The first ``<h1>`` of a page, else its ``<title>``, as one line of text."""
    try:
        root = lxml.html.document_fromstring(document)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for path in ("//h1", "//title"):
        found = root.xpath(path)
        if found:
            return html_to_text(found[0].text_content(), one_line=True)
    return ""
