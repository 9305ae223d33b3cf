"""Safe HTML for article text: escaping, inert links, highlighted spans, labels.

Everything that came from an article (titles, excerpts, bodies, place names,
URLs) goes through :func:`escape_text` before it is put into HTML, here in
Python; callers only concatenate the strings these functions return. Used by
the map popups (``maps``) and the pages (``ui``). Standard library only.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

TIME_PRECISION = {1: "day known", 2: "within a few days", 3: "month only"}
GEO_PRECISION = {1: "the place itself", 2: "near the place", 3: "area centroid"}

_EXCERPT_CHARS = 180


def escape_text(value: object) -> str:
    """HTML-escape any value for use in element text or a quoted attribute.

    ``None`` becomes the empty string. Quotes are escaped too, so the result is
    safe inside ``"..."`` attributes. Braces become character references as
    well: folium re-reads rendered map scripts as Jinja templates, where an
    article's ``{{ ... }}`` or ``{% ... %}`` would otherwise be evaluated.
    """
    if value is None:
        return ""
    return str(value).translate(_ESCAPES)


# What html.escape(quote=True) replaces, plus braces; one translate pass is twice as fast.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "{": "&#123;", "}": "&#125;"}
)


def escape_markdown(value: object) -> str:
    """Backslash-escape Markdown syntax so text from articles shows literally in st.success & co."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(value or ""))


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~:$")


def safe_url(url: object) -> str | None:
    """Return ``url`` when it is an absolute http(s) URL, else None.

    Anything else (``javascript:``, ``data:``, relative paths, URLs hiding a
    scheme behind control characters or white space) must never become a live
    link. The result still has to be escaped before it goes into an attribute.
    """
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not candidate or any(ord(ch) < 33 or ord(ch) == 127 for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate


def link_html(url: object, text: str = "Open source") -> str:
    """Return an ``<a>`` opening ``url`` in a new tab, or escaped plain text.

    A URL that :func:`safe_url` rejects is shown as inert text so the reader
    still sees what the article claimed.
    """
    good = safe_url(url)
    if good is None:
        shown = escape_text(url)
        return f'<span class="cm-nolink">{shown or "no source link"}</span>'
    return (
        f'<a href="{escape_text(good)}" target="_blank" rel="noopener noreferrer">'
        f"{escape_text(text)}</a>"
    )


def highlight_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Escape ``text`` and wrap the given character spans in ``<mark>``.

    Escaping happens piece by piece around the spans, so offsets always refer to
    the raw text and a span can never split an entity. Overlapping or
    out-of-range spans are dropped, keeping the earliest.

    Parameters
    ----------
    text : str
        Raw text (an article body or an excerpt).
    spans : iterable of (start, end, css_class)
        Offsets into ``text``; ``css_class`` picks the highlight colour.

    Returns
    -------
    str
        HTML safe to insert as element content.
    """
    out: list[str] = []
    cursor = 0
    for start, end, css in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < cursor or end <= start or end > len(text):
            continue
        out.append(escape_text(text[cursor:start]))
        out.append(f'<mark class="{escape_text(css)}">{escape_text(text[start:end])}</mark>')
        cursor = end
    out.append(escape_text(text[cursor:]))
    return "".join(out)


def excerpt_html(
    excerpt: str, place_start: int | None, place_end: int | None, limit: int = _EXCERPT_CHARS
) -> str:
    """Return the escaped excerpt, trimmed to about ``limit`` characters, place highlighted.

    Long excerpts are cut to a window around the place name so a popup stays
    short; the cut is marked with an ellipsis.
    """
    excerpt = excerpt or ""
    ok = (
        place_start is not None
        and place_end is not None
        and 0 <= place_start < place_end <= len(excerpt)
    )
    lo, hi = 0, len(excerpt)
    if len(excerpt) > limit:
        centre = (place_start + place_end) // 2 if ok else 0  # type: ignore[operator]
        lo = max(0, min(centre - limit // 2, len(excerpt) - limit))
        hi = lo + limit
        if ok and (place_start < lo or place_end > hi):  # type: ignore[operator]
            lo, hi = place_start, max(place_end, place_start + limit)  # type: ignore[assignment]
    spans = [(place_start - lo, place_end - lo, "cm-place")] if ok else []  # type: ignore[operator]
    body = highlight_spans(excerpt[lo:hi], spans)
    return ("\u2026" if lo > 0 else "") + body + ("\u2026" if hi < len(excerpt) else "")


def fatalities_label(best: int | None, low: int | None = None, high: int | None = None) -> str:
    """Format UCDP-style fatalities: ``"12"``, ``"12 (10-15)"``, ``"at least 12"``,
    ``"up to 40"`` or ``"not reported"``: an open end of the range stays visible."""
    if best is None and low is None and high is None:
        return "not reported"
    shown = str(best if best is not None else low if low is not None else high)
    if low is not None and high is not None and low != high:
        shown += f" ({low}\u2013{high})"
    elif low is not None and high is None and (best is None or best == low):
        shown = f"at least {low}"
    elif best is not None and low is None and high == best:
        shown = f"up to {best}"
    return shown


def date_label(event_date: object, time_precision: int | None, phrase: str = "") -> str:
    """Escaped date with its precision, e.g. ``2017-11-03 (day known, "on Friday")``."""
    day = event_date.isoformat() if isinstance(event_date, date) else str(event_date or "?")
    detail = TIME_PRECISION.get(time_precision or 0, "precision unknown")
    if phrase:
        detail += f', "{phrase}"'
    return escape_text(f"{day} ({detail})")




def highlight_article(
    body: str, mentions: Sequence[Mapping[str, Any]], events: Sequence[Mapping[str, Any]]
) -> str:
    """Escape an article body and highlight its event sentences and place mentions.

    Event sentences (``excerpt_start``/``excerpt_end``) become
    ``<span class="cm-event">``; mentions (``start``/``end``) inside or outside
    them become ``<mark class="cm-mention">`` (``cm-corrected`` when a user fixed
    the place). Escaping comes first, piece by piece, so offsets stay those of
    the raw body.
    """
    marks = [
        (int(m["start"]), int(m["end"]), "cm-corrected" if m.get("resolved_by") == "correction" else "cm-mention")
        for m in mentions
        if m.get("start") is not None and m.get("end") is not None
    ]
    sentences: list[tuple[int, int]] = []
    for ev in sorted(events, key=lambda e: (e.get("excerpt_start") or 0)):
        start, end = ev.get("excerpt_start"), ev.get("excerpt_end")
        if start is None or end is None or end <= start or end > len(body):
            continue
        if sentences and start < sentences[-1][1]:
            continue  # a second event in the same sentence: highlight it once
        sentences.append((int(start), int(end)))

    def piece(lo: int, hi: int) -> str:
        inside = [(s - lo, e - lo, css) for s, e, css in marks if lo <= s and e <= hi]
        return highlight_spans(body[lo:hi], inside)

    out: list[str] = []
    cursor = 0
    for start, end in sentences:
        out.append(piece(cursor, start))
        out.append(f'<span class="cm-event">{piece(start, end)}</span>')
        cursor = end
    out.append(piece(cursor, len(body)))
    return "".join(out)
