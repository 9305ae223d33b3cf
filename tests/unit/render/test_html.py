"""Escaping, inert links, highlighted spans and labels: the safe HTML every page and popup is built from."""
from __future__ import annotations

from datetime import date

import pytest

from conflictmap.render.html import (
    date_label,
    escape_markdown,
    escape_text,
    excerpt_html,
    fatalities_label,
    highlight_article,
    safe_url,
)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
     "vbscript:x", "//evil.example/x", "/relative", "http://", "", None, 42, "https://a b.example"],
)
def test_safe_url_rejects_everything_but_absolute_http(url: object) -> None:
    assert safe_url(url) is None


def test_safe_url_accepts_http_and_https() -> None:
    assert safe_url("https://x.example/p?q=1") == "https://x.example/p?q=1"
    assert safe_url("HTTP://x.example") == "HTTP://x.example"


def test_excerpt_is_trimmed_around_the_place() -> None:
    text = "a" * 300 + " Raqqa " + "b" * 300
    start = text.index("Raqqa")
    out = excerpt_html(text, start, start + 5, limit=100)
    assert '<mark class="cm-place">Raqqa</mark>' in out
    assert out.startswith("\u2026") and out.endswith("\u2026")
    assert len(out) < 160


def test_highlight_article_escapes_then_marks_sentences_and_places() -> None:
    body = "Intro <b>x</b>. Shelling hit Raqa. More & more."
    s = body.index("Shelling")
    p = body.index("Raqa")
    html = highlight_article(
        body,
        [{"start": p, "end": p + 4, "resolved_by": "auto"}, {"start": 0, "end": 5, "resolved_by": "correction"}],
        [{"excerpt_start": s, "excerpt_end": s + len("Shelling hit Raqa.")}],
    )
    assert html == (
        '<mark class="cm-corrected">Intro</mark> &lt;b&gt;x&lt;/b&gt;. '
        '<span class="cm-event">Shelling hit <mark class="cm-mention">Raqa</mark>.</span> More &amp; more.'
    )


def test_fatalities_and_dates_are_labelled() -> None:
    assert fatalities_label(None) == "not reported"
    assert fatalities_label(12, 10, 15) == "12 (10\u201315)"
    assert fatalities_label(None, 6, None) == "at least 6"
    # An open end stays visible: "at least 14" is not "14", "nearly 40" is not "40".
    assert fatalities_label(14, 14, None) == "at least 14"
    assert fatalities_label(40, None, 40) == "up to 40"
    assert fatalities_label(30, None, None) == "30"  # "about 30", or a source giving one figure
    assert date_label(date(2017, 11, 3), 1, "on Friday") == "2017-11-03 (day known, &quot;on Friday&quot;)"


@pytest.mark.parametrize("text", ["", "plain", "<a href='x'>&amp;</a>", '"q" & {{x}} {%y%}', "\u00e9\u2028<"])
def test_escape_text_matches_html_escape_plus_braces(text: str) -> None:
    import html

    expected = html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    assert escape_text(text) == expected


def test_markdown_from_articles_shows_literally() -> None:
    assert escape_markdown("[x](javascript:a()) **b**") == r"\[x\]\(javascript\:a\(\)\) \*\*b\*\*"
    assert escape_markdown(None) == ""
