"""Hostile articles taken in through the real pipeline never run anything in the browser.

Two inputs are ingested as a user would bring them (a wire text page and a
JSONL export line) with the real readers, geoparser and event rules; their
title, body and URL carry script tags, an ``onerror`` image and a
``javascript:`` link, each of which would set ``window.__pwned`` if it ran.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conflictmap.config import load_settings
from conflictmap.model import EventFilter
from conflictmap.pipeline import default_geoparser, ingest_bytes
from conflictmap.store import Store
from tests.e2e.server import ARTIFACTS, streamlit_server
from tests.e2e.test_dashboard import WAIT_MS, _click_marker, _open_map

PAGE = b"""Clashes <script>window.__pwned = 11</script> rock Hama <img src=x onerror="window.__pwned=12">
by Staff Writers
Hama, Syria (AFP) Nov 21, 2017

Clashes killed four fighters in Hama on Tuesday <script>window.__pwned = 13</script>, the Syrian Observatory for Human Rights said <img src=x onerror="window.__pwned=14">.

burs-xx/yy
"""  # noqa: E501 (one paragraph of the story: a line break would change the article)
EXPORT = json.dumps({
    "id": "hostile-1", "title": "Shelling hits Idlib", "published": "2017-11-22",
    "url": "javascript:window.__pwned=15",
    "text": "Shelling killed six civilians in Idlib on Wednesday <b onmouseover=\"window.__pwned=16\">here</b>, "
            "the Syrian Observatory for Human Rights said.",
}).encode()


@pytest.fixture(scope="module")
def ingested_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}"
    store = Store(db_url)
    settings = load_settings({"CONFLICTMAP_DB": db_url})
    for name, data in (("hostile-page.txt", PAGE), ("hostile-export.jsonl", EXPORT)):
        summary = ingest_bytes(data, name, store, default_geoparser(), settings=settings)
        assert summary.new == 1 and summary.events >= 1, (name, summary)
    with streamlit_server(db_url, "e2e-hostile") as url:
        yield url, store


def _event(store: Store, text: str) -> dict[str, Any]:
    [event] = store.query_events(EventFilter(text=text))
    return event


def test_ingested_hostile_text_shows_literally_and_never_runs(page: Any, ingested_url: tuple[str, Store]) -> None:
    url, store = ingested_url
    hama = _event(store, "Clashes killed four")
    assert hama["place"] and hama["country_code"] == "SY"
    idlib = _event(store, "Shelling killed six")

    frame = _open_map(page, url)
    _click_marker(page, frame, hama["lat"], hama["lon"])
    popup = frame.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert "<script>window.__pwned = 13</script>" in text
    assert '<img src=x onerror="window.__pwned=14">' in text
    assert "<script>window.__pwned = 11</script>" in text  # the title, as written on the page
    assert popup.locator("script, img, b").count() == 0

    frame = _open_map(page, url)  # a fresh page: one popup at a time
    _click_marker(page, frame, idlib["lat"], idlib["lon"])
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text("Shelling hits Idlib").wait_for(timeout=WAIT_MS)
    assert "javascript:window.__pwned=15" in popup.inner_text()
    assert frame.locator('a[href^="javascript"]').count() == 0
    assert popup.locator("b").count() == 0
    page.get_by_text("Sources (1)").wait_for(timeout=WAIT_MS)
    assert page.locator('a[href^="javascript"]').count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-ingested-hostile.png"), full_page=True)

    page.wait_for_timeout(300)  # give any planted handler the chance to fire
    assert frame.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == []
    assert Path(store.url.removeprefix("sqlite:///")).exists()
