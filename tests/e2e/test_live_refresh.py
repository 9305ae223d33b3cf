"""The open Map page takes in events written while it is open, keeping the reader's view and popup.

The server runs with ``CONFLICTMAP_LIVE_REFRESH_S=1`` against a private copy of
the fixture store; the test writes one more article into that store (as
``conflictmap watch`` or another user's ingest would) and watches the page.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conflictmap.store import Store
from tests.e2e.server import ARTIFACTS, streamlit_server
from tests.e2e.test_dashboard import COUNT_JS, WAIT_MS, _click_marker, _metric, _open_map
from tests.fixtures.store_fixture import PLACES, build_articles, build_fixture_store


@pytest.fixture()
def live_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    db_url = f"sqlite:///{tmp_path / 'live.db'}"
    build_fixture_store(db_url).dispose()
    monkeypatch.setenv("CONFLICTMAP_LIVE_REFRESH_S", "1")
    with streamlit_server(db_url, "e2e-live") as url:
        yield db_url, url


def _wait_for_markers(frame: Any, **counts: int) -> None:
    frame.wait_for_function(
        f"(want) => {{ const c = ({COUNT_JS})(); return Object.keys(want).every(k => c[k] === want[k]); }}",
        arg=counts, timeout=WAIT_MS)


def test_new_events_appear_without_a_reload_and_the_open_popup_stays(page: Any, live_store: tuple[str, str]) -> None:
    db_url, url = live_store
    frame = _open_map(page, url)
    assert _metric(page, "Events") == "10"
    _wait_for_markers(frame, events=10, reference=2)
    sanaa = PLACES["Sanaa"]
    _click_marker(page, frame, sanaa.lat, sanaa.lon)
    popup_text = frame.locator(".leaflet-popup-content").inner_text()
    view = frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")

    # Another writer adds a report of a new incident inside the period shown, far from Sanaa.
    article, mentions, events = build_articles()[0]
    later = replace(article, article_id="live-article", title="New clashes reported",
                    body=article.body + " ")
    store = Store(db_url)
    assert store.write_article(later, mentions, [
        replace(e, event_id="live-event", article_id="live-article", event_date=date(2017, 11, 20),
                event_type="Battles", sub_event_type="Armed clash") for e in events])
    store.dispose()

    page.locator('[data-testid="stMetric"]', has_text="Events").get_by_text("11").wait_for(timeout=WAIT_MS)
    _wait_for_markers(frame, events=11, reference=2)
    # Same zoom and centre, and the popup the reader had open is open again on the same event.
    assert frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]") == pytest.approx(view)
    frame.wait_for_selector(".leaflet-popup-content", timeout=WAIT_MS)
    assert frame.locator(".leaflet-popup-content").inner_text() == popup_text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-live-refresh.png"), full_page=True)
