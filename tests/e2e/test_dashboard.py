"""The dashboard in a real headless Chromium, against the hand-built fixture store.

One server for the module (started in about 2 s). The map lives in the iframe
titled ``streamlit_folium.st_folium`` and exposes ``window.map``; markers are
clicked where Leaflet says they are (``map.latLngToContainerPoint``).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conflictmap.model import EventFilter
from conflictmap.store import Store
from tests.e2e.server import ARTIFACTS, streamlit_server
from tests.fixtures.store_fixture import HOSTILE_TITLE, PLACES

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
WAIT_MS = 30_000
# Markers per layer currently on the map, by layer ("events", "reference"). streamlit-folium
# keeps replaced layers in window.feature_group, so only those still on the map count.
COUNT_JS = """() => Object.fromEntries((window.feature_group || []).filter(g => map.hasLayer(g))
    .map(g => g.getLayers()[0].cmCluster).map(c => [c.options.cmLayer, c.cmReady ? c.getLayers().length : -1]))"""


@pytest.fixture(scope="module")
def app_url(fixture_db_url: str) -> Iterator[str]:
    with streamlit_server(fixture_db_url, "e2e-dashboard") as url:
        yield url


def _open_map(page: Any, url: str) -> Any:
    page.goto(url)
    frame = page.wait_for_selector(MAP_IFRAME, timeout=WAIT_MS).content_frame()
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('.cm-cluster, path.leaflet-interactive').length > 0",
        timeout=WAIT_MS,
    )
    return frame


def _metric(page: Any, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label)
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def _click_marker(page: Any, frame: Any, lat: float, lon: float) -> None:
    """Zoom to a point and click the marker drawn there."""
    # Re-applied until it holds: a view change during a zoom animation is ignored by Leaflet.
    frame.wait_for_function(
        "([lat, lon]) => { if (map._animatingZoom) { return false; }"
        " if (map.getZoom() !== 10 || map.getCenter().distanceTo([lat, lon]) > 50) {"
        " map.setView([lat, lon], 10, {animate: false}); return false; } return true; }",
        arg=[lat, lon], timeout=WAIT_MS, polling=100,
    )
    point = frame.evaluate("([lat, lon]) => map.latLngToContainerPoint([lat, lon])", [lat, lon])
    frame.wait_for_function(
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        " return e !== null && e.classList.contains('leaflet-interactive'); }",
        arg=[point["x"], point["y"]], timeout=WAIT_MS,
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    frame.wait_for_selector(".leaflet-popup-content", timeout=WAIT_MS)


def test_map_page_shows_markers_offline(page: Any, app_url: str) -> None:
    frame = _open_map(page, app_url)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _metric(page, "Events") == "10"
    assert frame.evaluate(COUNT_JS) == {"events": 10, "reference": 2}
    assert frame.locator(".cm-legend").inner_text().startswith("Event type")
    assert frame.evaluate("() => document.querySelector('.cm-legend details').open") is True
    # The offline basemap names places: city labels appear as the map zooms in.
    frame.evaluate("() => map.setView([34.5, 38.5], 6, {animate: false})")
    frame.wait_for_function("() => document.querySelectorAll('.cm-label').length > 3", timeout=WAIT_MS)
    # No label covers another: a smaller place's gives way to a bigger one's.
    overlaps = frame.evaluate("""() => { const r = [...document.querySelectorAll('.cm-label')]
        .map(e => e.getBoundingClientRect()); let n = 0;
        for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
          if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
        return n; }""")
    assert overlaps == 0
    # Zoomed in, the offline map shows lakes, rivers, province lines and province names.
    frame.wait_for_function(
        "() => ['lakes', 'rivers', 'admin1'].every(k => map.cmContext[k] && map.hasLayer(map.cmContext[k]))",
        timeout=WAIT_MS)
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-cmContext-admin1-pane path').length") > 0
    names = frame.evaluate("() => [...document.querySelectorAll('.cm-label-admin')].map(e => e.textContent)")
    assert {"Idlib", "Aleppo"} & set(names)
    frame.evaluate("() => map.setView([34.5, 38.5], 3, {animate: false})")
    frame.wait_for_function("() => !map.hasLayer(map.cmContext.admin1)", timeout=WAIT_MS)  # not at world scale
    assert frame.evaluate("() => document.querySelectorAll('.cm-label-admin').length") == 0
    assert "UCDP GED 19.1 (CC BY 4.0)" in frame.locator(".leaflet-control-attribution").inner_text()
    page.wait_for_timeout(500)  # let the cluster icons settle before the picture
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    # Offline: every script, style sheet and image came from this server.
    assert page.outside_requests == []


def test_changing_the_date_range_changes_the_count(page: Any, app_url: str) -> None:
    frame = _open_map(page, app_url)
    # Move "From" one month on (2017-10-10 -> 2017-11-10), then leave the field to commit it.
    page.locator('[aria-label="month, From"]').click()
    page.keyboard.press("ArrowUp")
    page.locator("h1").first.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMetricValue]').innerText.trim() !== '10'", timeout=WAIT_MS
    )
    assert _metric(page, "Events") == "2"  # Idlib (Nov 20) and Sanaa (Dec 4)
    assert "from=2017-11-10" in page.url
    frame.wait_for_function(f"() => ({COUNT_JS})().events === 2", timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "map-after-date-filter.png"), full_page=True)


def _layer_keys(frame: Any) -> list[str]:
    """The keys of the data layers the map keeps in the browser (``map_scripts.LAYER_VIEW``)."""
    return frame.evaluate("() => Object.keys(window.cmLayers || {}).sort()")


def test_filter_changes_inside_the_sent_rows_stay_in_the_browser(
    page: Any, app_url: str, fixture_db_url: str
) -> None:
    store = Store(fixture_db_url, create=False)
    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url) if "/app/static/layers/" in req.url else None)

    def shown(flt: EventFilter) -> int:
        """Wait until the map and the metric show what the store holds for ``flt``; return it."""
        expected = len(store.query_events(flt))
        frame.wait_for_function(f"() => ({COUNT_JS})().events === {expected}", timeout=WAIT_MS)
        page.wait_for_function(
            "(n) => document.querySelector('[data-testid=stMetricValue]').innerText.trim() === String(n)",
            arg=expected, timeout=WAIT_MS)
        return expected

    # Opened on a narrow period: the rows sent start on 2017-10-15.
    frame = _open_map(page, app_url + "?from=2017-10-15")
    assert shown(EventFilter(date_from=date(2017, 10, 15))) == 8
    first_keys, first_fetches = _layer_keys(frame), len(fetched)
    assert len(first_keys) == 2 and first_fetches == 2  # the events and the UCDP reference rows
    # Widening the period past what was sent asks the store again: new rows for both layers.
    page.locator('[aria-label="day, From"]').click()
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    page.locator("h1").first.click()
    assert shown(EventFilter(date_from=date(2017, 10, 10))) == 10
    keys = _layer_keys(frame)
    assert not set(keys) & set(first_keys) and len(fetched) == first_fetches + 2
    # Inside those rows, a type, a death minimum and a location precision change only the view:
    # the metrics follow the store, the markers follow in the browser, nothing is fetched.
    page.locator('[data-testid="stMultiSelect"]', has_text="Event type").click()
    page.get_by_role("option", name="Battles").click()
    page.keyboard.press("Escape")
    assert shown(EventFilter(date_from=date(2017, 10, 10), event_types=("Battles",))) == 6
    page.get_by_label("Minimum fatalities").fill("1")
    page.keyboard.press("Enter")
    assert shown(EventFilter(date_from=date(2017, 10, 10), event_types=("Battles",), min_fatalities=1)) == 2
    slider = page.locator('[data-testid="stSlider"]', has_text="Location precision").get_by_role("slider")
    slider.focus()
    slider.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('geo=2')", timeout=WAIT_MS)
    assert shown(EventFilter(date_from=date(2017, 10, 10), event_types=("Battles",), min_fatalities=1,
                             max_geo_precision=2)) == 2
    assert "type=Battles" in page.url and "minfat=1" in page.url
    assert _layer_keys(frame) == keys and len(fetched) == first_fetches + 2
    store.dispose()


def test_marker_popup_shows_the_event_and_opens_the_source(page: Any, app_url: str) -> None:
    frame = _open_map(page, app_url)
    sanaa = PLACES["Sanaa"]
    _click_marker(page, frame, sanaa.lat, sanaa.lon)
    popup = frame.locator(".leaflet-popup-content")
    text = popup.inner_text()
    for expected in ("Battles", "2017-12-04 (day known)", "Sanaa", "Fatalities: 1",
                     "Former Yemeni president killed in Sanaa"):
        assert expected in text
    assert popup.locator("mark.cm-place").inner_text() == "Sanaa"
    # The legend folds while a popup is open, so it never covers one.
    assert frame.evaluate("() => document.querySelector('.cm-legend details').open") is False
    link = popup.locator("a")
    assert link.get_attribute("href") == "https://wire.example.com/yemen/saleh"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    # The click reaches Streamlit: the event and its sources appear beside the map.
    page.get_by_text("Sources (1)").wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "map-popup.png"), full_page=True)
    # ... and each source opens in the Articles page.
    page.get_by_role("link", name="Read this article").click()
    page.locator("h3", has_text="Former Yemeni president killed in Sanaa").wait_for(timeout=WAIT_MS)
    assert "article=" in page.url


def test_articles_page_opens_from_the_sidebar(page: Any, app_url: str) -> None:
    _open_map(page, app_url)
    labels = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [label.strip() for label in labels] == [
        "Map", "Timeline", "Articles", "Places", "Ingest", "Export", "Feeds", "Alerts"]
    page.locator('[data-testid="stSidebarNav"] a', has_text="Articles").click()
    page.locator("h1", has_text="Articles").wait_for(timeout=WAIT_MS)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=WAIT_MS)
    page.locator(".cm-body").wait_for(timeout=WAIT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".cm-body mark.cm-mention").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "articles.png"), full_page=True)


def test_article_script_never_runs(page: Any, app_url: str) -> None:
    frame = _open_map(page, app_url)
    idlib = PLACES["Idlib"]
    _click_marker(page, frame, idlib.lat, idlib.lon)
    popup = frame.locator(".leaflet-popup-content")
    text = popup.inner_text()
    # The payloads show as text ...
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert "javascript:window.__pwned=3" in text
    # ... and are not elements or live links.
    assert popup.locator("script, img, svg").count() == 0
    assert frame.locator('a[href^="javascript"]').count() == 0
    page.get_by_text("Sources (1)").wait_for(timeout=WAIT_MS)
    # The event's text is HTML that Streamlit sanitises and inserts after it draws the heading
    # beside it: wait for it, then check it shows the payload as text and links nowhere.
    page.get_by_text("<script>window.__pwned = 1</script>", exact=False).first.wait_for(timeout=WAIT_MS)
    assert page.locator('a[href^="javascript"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "map-hostile-popup.png"), full_page=True)
    page.wait_for_timeout(300)  # give any planted handler the chance to fire
    assert frame.evaluate("() => window.__pwned") is None
    # The Articles page shows the same article literally.
    page.locator('[data-testid="stSidebarNav"] a', has_text="Articles").click()
    page.locator("h1", has_text="Articles").wait_for(timeout=WAIT_MS)
    page.get_by_role("combobox", name="Read").click()
    page.get_by_role("option", name=HOSTILE_TITLE, exact=False).click()
    page.locator("h3", has_text="window.__pwned = 1").wait_for(timeout=WAIT_MS)
    assert page.locator(".cm-html script, .cm-html img").count() == 0
    page.wait_for_timeout(300)  # give any planted handler the chance to fire
    # No payload ran anywhere: the flag each one would set is still undefined, no dialog opened.
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == []


def test_export_downloads_the_filtered_events(page: Any, app_url: str, fixture_db_url: str) -> None:
    expected = {e["event_id"] for e in Store(fixture_db_url).query_events(EventFilter(countries=("IQ",)))}
    page.goto(f"{app_url}/Export?country=IQ")
    page.get_by_text(f"{len(expected)} event(s) match").wait_for(timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "conflictmap-events.geojson"
    features = json.loads(Path(download.path()).read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["event_id"] for f in features} == expected


def test_online_tiles_that_fail_leave_the_offline_map_under_them(page: Any, app_url: str) -> None:
    # No internet: every tile request fails, as on an air-gapped desk.
    page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    _open_map(page, app_url)
    page.get_by_text("Online street map").click()
    # The map is rebuilt with its tile layer, in a new frame: wait for that one (same origin).
    page.wait_for_function(
        f"""() => {{ const f = document.querySelector('{MAP_IFRAME}'); const d = f && f.contentDocument;
            return !!d && d.querySelector('.leaflet-tile-pane img') !== null && !!f.contentWindow.map; }}""",
        timeout=WAIT_MS)
    frame = page.wait_for_selector(MAP_IFRAME, timeout=WAIT_MS).content_frame()
    # The outlines arrive by fetch, after the map exists.
    frame.wait_for_function("() => map.getPane('cmOutlines').querySelectorAll('path').length > 0", timeout=WAIT_MS)
    panes = frame.evaluate("""() => ({tiles: +map.getPane('tilePane').style.zIndex || 200,
        outlines: +map.getPane('cmOutlines').style.zIndex,
        filled: [...map.getPane('cmOutlines').querySelectorAll('path')]
            .some(p => +p.getAttribute('fill-opacity') === 1)})""")
    # The shaded land lies under the tiles: where a tile fails, the land still shows.
    assert panes["outlines"] < panes["tiles"] and panes["filled"]
    # The attribution sits beside the legend, not over it.
    legend = frame.locator(".cm-legend").bounding_box()
    credit = frame.locator(".leaflet-control-attribution").bounding_box()
    assert legend["x"] + legend["width"] <= credit["x"] or credit["y"] + credit["height"] <= legend["y"]


def test_quick_presses_on_the_map_period_slider_all_count(page: Any, app_url: str, fixture_db_url: str) -> None:
    # Each key press lets go of the slider: the server answers the first presses while the reader
    # is still pressing, and those older answers must not pull the slider back.
    store = Store(fixture_db_url, create=False)
    frame = _open_map(page, app_url)
    frame.wait_for_function("() => document.querySelector('.cm-period-from') !== null", timeout=WAIT_MS)
    lo_day, hi_day = frame.evaluate("() => [+document.querySelector('.cm-period-from').value, "
                                    "+document.querySelector('.cm-period-to').value]")
    first = date(1970, 1, 1).toordinal()
    lo, hi = date.fromordinal(first + lo_day + 6), date.fromordinal(first + hi_day)
    frame.locator(".cm-period-from").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)  # a reader's pace: answers to the first presses arrive in between
    page.wait_for_url(f"**from={lo.isoformat()}**", timeout=WAIT_MS)
    expected = store.summary(EventFilter(date_from=lo, date_to=hi))["events"]
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=stMetricValue]').innerText.trim() === '{expected}'",
        timeout=WAIT_MS)
    frame.wait_for_function(f"() => ({COUNT_JS})().events === {expected}", timeout=WAIT_MS)
    assert frame.evaluate("() => +document.querySelector('.cm-period-from').value") == lo_day + 6
    assert frame.locator(".cm-period-label").inner_text().startswith(lo.isoformat())


def test_the_maps_own_period_sliders_filter_in_the_page_then_set_the_filters(
    page: Any, app_url: str, fixture_db_url: str
) -> None:
    store = Store(fixture_db_url, create=False)
    frame = _open_map(page, app_url)
    frame.wait_for_function(f"() => ({COUNT_JS})().events === 10", timeout=WAIT_MS)
    label = frame.locator(".cm-period-label")
    assert label.inner_text().endswith(": 10 events")
    span = frame.evaluate("() => [+document.querySelector('.cm-period-from').min, "
                          "+document.querySelector('.cm-period-from').max]")
    first = date(1970, 1, 1).toordinal()
    lo, hi = date.fromordinal(first + span[0]), date.fromordinal(first + span[1])
    cut = date(2017, 11, 10)
    expected = store.summary(EventFilter(date_from=cut, date_to=hi))["events"]
    assert 0 < expected < 10 and lo < cut
    # Drag the first-day slider to 10 November: the map re-filters the rows it holds.
    frame.evaluate("""(day) => { const s = document.querySelector('.cm-period-from');
        s.value = day; s.dispatchEvent(new Event('input', {bubbles: true})); }""", (cut - date(1970, 1, 1)).days)
    frame.wait_for_function(f"() => ({COUNT_JS})().events === {expected}", timeout=WAIT_MS)
    assert label.inner_text() == f"2017-11-10 \u2013 {hi.isoformat()}: {expected} events"
    # While the slider moves nothing goes back to the server: the figures and the URL keep the full period.
    assert _metric(page, "Events") == "10" and "from=2017-11-10" not in page.url
    # Letting go makes it the filters' period: the URL, the sidebar and the figures follow,
    # and the map keeps the markers it already shows.
    frame.evaluate("() => document.querySelector('.cm-period-from')"
                   ".dispatchEvent(new Event('change', {bubbles: true}))")
    page.wait_for_url("**from=2017-11-10**", timeout=WAIT_MS)
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=stMetricValue]').innerText.trim() === '{expected}'",
        timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar] [data-testid=stDateInput] input').value"
        " === '2017-11-10'", timeout=WAIT_MS)
    frame.wait_for_function(f"() => ({COUNT_JS})().events === {expected}", timeout=WAIT_MS)
    assert label.inner_text() == f"2017-11-10 \u2013 {hi.isoformat()}: {expected} events"
    # The sliders still span every day the map holds, so the period can widen again from the map.
    assert frame.evaluate("() => +document.querySelector('.cm-period-from').min") == span[0]
    # A sidebar change sets the whole period again.
    page.locator('[aria-label="month, To"]').click()
    page.keyboard.press("ArrowDown")
    page.locator("h1").first.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMetricValue]').innerText.trim() !== '10'", timeout=WAIT_MS)
    frame.wait_for_function("() => window.cmPeriod === null", timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "map-period-sliders.png"), full_page=True)
