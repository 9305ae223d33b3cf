"""How fast the map page draws, in headless Chromium, at 1k, 10k and 50k events.

For each size: build a synthetic store through the store API (cached under
``bench/out/``), start ``streamlit run dashboard.py`` against it, then time

* page load: ``goto`` until the map's cluster icons or markers are drawn (and,
  for scale, until the page title shows: Streamlit's own start);
* sidebar date change: moving the "From" date and leaving the field, until the
  map holds exactly the events the store counts for the new range (a Streamlit
  rerun). Timed by the browser's clock, from the click's ``pointerdown`` to the
  moment the layer has drawn the new set (``cmSettledAt``); the wall time Playwright
  sees is printed beside it (it adds Playwright's own checks before the click);
* map period change: moving the map's own first-day slider (``PERIOD_CONTROL``), until
  the map holds the store's count for the narrowed range (the browser filters, no rerun);
* figures follow: letting go of that slider, until the page's Events figure shows
  the store's count for the new period (a Streamlit rerun that also moves the URL,
  the sidebar and the chart).

The waits read the layer's own ``cmShown`` count, not the cluster's markers (counting
those costs the page a pass over all of them while it is being timed); each result is
then checked against a full count. Medians of 3 fresh pages; the first page load of a
server (cold query cache) is printed apart. Run::

    .venv/bin/python bench/dashboard_render.py            # 1000 10000 50000
    .venv/bin/python bench/dashboard_render.py 1000 5000  # other sizes

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conflictmap.model import EVENT_TYPES, Article, Event, EventFilter, Mention, Place, make_event_id  # noqa: E402
from conflictmap.store import Store  # noqa: E402
from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server  # noqa: E402

OUT = ROOT / "bench" / "out"
START = date(2017, 10, 1)
DAYS = 90
EVENTS_PER_ARTICLE = 20
ACTORS = ("IS", "SDF", "Syrian government forces", "Iraqi forces", "Civilians", "HTS")
REPEATS = 3
IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
COUNT_JS = """() => Object.fromEntries((window.feature_group || []).filter(g => map.hasLayer(g))
    .map(g => g.getLayers()[0].cmCluster).map(c => [c.options.cmLayer, c.cmReady ? c.getLayers().length : -1]))"""


def build_store(n_events: int, seed: int = 7) -> str:
    """Return the URL of a store with about ``n_events`` synthetic events (built once, then reused)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench-{n_events}-{seed}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    partial = path.with_suffix(".partial.db")
    partial.unlink(missing_ok=True)
    store = Store(f"sqlite:///{partial}")
    rng = random.Random(seed)
    started = time.perf_counter()
    for a in range((n_events + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE):
        k_events = min(EVENTS_PER_ARTICLE, n_events - a * EVENTS_PER_ARTICLE)
        sentences = [f"Fighting was reported in Town{a}-{k} with several casualties." for k in range(k_events)]
        body = " ".join(sentences)
        article = Article.create(f"Synthetic report {a}", body, published=START + timedelta(days=a % DAYS),
                                 url=f"https://bench.example/{a}", agency="BENCH", origin="bench")
        mentions: list[Mention] = []
        events: list[Event] = []
        offset = 0
        for k, sentence in enumerate(sentences):
            start = body.index(sentence, offset)
            offset = start + len(sentence)
            name = f"Town{a}-{k}"
            p_start = body.index(name, start)
            # Spread over Syria and Iraq so few events merge as one incident.
            place = Place(f"sup:bench-{a}-{k}", name, rng.uniform(30.0, 37.0), rng.uniform(36.0, 47.0), "city",
                          rng.choice(("SY", "IQ")))
            mention = Mention(p_start, p_start + len(name), name, place, 0.9)
            mentions.append(mention)
            events.append(Event(
                event_id=make_event_id(article.article_id, start), article_id=article.article_id, mention=mention,
                event_date=START + timedelta(days=rng.randrange(DAYS)), time_precision=rng.choice((1, 1, 2, 3)),
                date_phrase="", geo_precision=rng.choice((1, 1, 2, 3)), event_type=rng.choice(EVENT_TYPES),
                sub_event_type="", excerpt=sentence, excerpt_start=start, excerpt_end=offset,
                actors=tuple(rng.sample(ACTORS, 2)), fatalities_best=rng.choice((None, 0, 1, 3, 12)),
            ))
        store.write_article(article, mentions, events)
    store.dispose()
    partial.rename(path)
    print(f"  built {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def _load(browser: Any, url: str) -> tuple[Any, Any, float, float]:
    """Open the map page; return (page, map frame, seconds to the title, seconds to markers)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    started = time.perf_counter()
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=120_000)
    shell = time.perf_counter() - started
    frame = page.wait_for_selector(IFRAME, timeout=120_000).content_frame()
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('.cm-cluster, path.leaflet-interactive').length > 0",
        timeout=120_000, polling=50,
    )
    return page, frame, shell, time.perf_counter() - started


_EVENTS = "Object.values(window.cmLayers || {}).find(e => e.kind === 'events' && !e.gone)"
_SETTLED_ON = "() => {{ const e = {ev}; return !!e && e.cluster.cmReady && e.cluster.cmShown === {n}; }}"


def _settled(frame: Any, expected: int) -> float:
    """Wait until the event layer shows ``expected`` markers; return when it drew them (browser ms)."""
    frame.wait_for_function(_SETTLED_ON.format(ev=_EVENTS, n=expected), timeout=120_000, polling=20)
    assert frame.evaluate(f"() => ({COUNT_JS})().events") == expected
    return float(frame.evaluate(f"() => ({_EVENTS}).cluster.cmSettledAt"))


def _change_from_date(page: Any, frame: Any, store: Store, days: int, date_min: date) -> tuple[float, float]:
    """Move "From" on by ``days`` days; (browser, Playwright) seconds until the map holds the new set."""
    expected = store.summary(EventFilter(date_from=date_min + timedelta(days=days)))["events"]
    page.locator('[aria-label="day, From"]').click()
    for _ in range(days):
        page.keyboard.press("ArrowUp")
    page.evaluate("""() => { window.cmDown = null; document.addEventListener('pointerdown',
        e => { window.cmDown = performance.timeOrigin + e.timeStamp; }, {capture: true, once: true}); }""")
    started = time.perf_counter()
    page.locator("h1").first.click()  # leaving the field commits the date
    done = _settled(frame, expected)
    wall = time.perf_counter() - started
    return (done - page.evaluate("() => window.cmDown")) / 1000, wall


def _change_map_period(page: Any, frame: Any, store: Store, days: int, date_min: date,
                       date_max: date) -> tuple[float, float]:
    """Move the map's own first-day slider on by ``days``, then let go.

    Returns seconds until the map holds the new set (no rerun), and seconds from
    letting go until the Events figure shows it (a rerun).
    """
    cut = date_min + timedelta(days=days)
    expected = store.summary(EventFilter(date_from=cut, date_to=date_max))["events"]
    started = frame.evaluate("""(day) => { const s = document.querySelector('.cm-period-from');
        const t = performance.timeOrigin + performance.now();
        s.value = day; s.dispatchEvent(new Event('input', {bubbles: true})); return t; }""",
                             (cut - date(1970, 1, 1)).days)
    in_map = (_settled(frame, expected) - started) / 1000
    shown = f"{expected:,}"
    page.evaluate("""(text) => { window.cmFigures = null; const seen = () =>
        [...document.querySelectorAll('[data-testid="stMetricValue"]')].some(m => m.textContent.trim() === text);
        const watch = new MutationObserver(() => { if (seen()) {
            window.cmFigures = performance.timeOrigin + performance.now(); watch.disconnect(); } });
        watch.observe(document.body, {subtree: true, childList: true, characterData: true}); }""", shown)
    let_go = frame.evaluate("""() => { const s = document.querySelector('.cm-period-from');
        const t = performance.timeOrigin + performance.now();
        s.dispatchEvent(new Event('change', {bubbles: true})); return t; }""")
    page.wait_for_function("() => window.cmFigures !== null", timeout=120_000, polling=20)
    return in_map, (page.evaluate("() => window.cmFigures") - let_go) / 1000


def measure(browser: Any, n_events: int) -> dict[str, Any]:
    """Page-load and filter-change timings for one store size."""
    db_url = build_store(n_events)
    store = Store(db_url, create=False)
    facets = store.facets()
    with streamlit_server(db_url, f"bench-{n_events}") as url:
        page, _frame, _shell, cold = _load(browser, url)
        page.close()
        runs: dict[str, list[float]] = {k: [] for k in ("shell", "load", "change", "wall", "in_map", "figures")}
        for rep in range(REPEATS):
            page, frame, shell, seconds = _load(browser, url)
            runs["shell"].append(shell)
            runs["load"].append(seconds)
            frame.wait_for_function("() => document.querySelector('.cm-period-from') !== null", timeout=120_000)
            in_map, figures = _change_map_period(page, frame, store, 10 + rep, facets["date_min"], facets["date_max"])
            runs["in_map"].append(in_map)
            runs["figures"].append(figures)
            page.close()
            page, frame, _shell, _seconds = _load(browser, url)
            # A different day each time: the query is not in the cache yet.
            change, wall = _change_from_date(page, frame, store, rep + 2, facets["date_min"])
            runs["change"].append(change)
            runs["wall"].append(wall)
            page.close()
    store.dispose()
    return {"events": facets["events"], "cold": cold, "runs": runs,
            **{k: statistics.median(v) for k, v in runs.items()}}


def main(argv: list[str] | None = None) -> None:
    """Print page-load and filter-change medians for each requested size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    args = parser.parse_args(argv)
    # Time the point layer at every size: above the default limit the page would switch to
    # density cells (timed by bench/scale.py --dashboard) and the count check below would not apply.
    os.environ.setdefault("CONFLICTMAP_MAP_POINT_LIMIT", "1000000")
    path = chromium_path()
    if path is None:
        raise SystemExit("no Chromium found: install chromium or set CONFLICTMAP_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        print(f"{'events':>7} | {'first load':>10} | {'title shown':>11} | {'markers shown':>13} "
              f"| {'sidebar date change':>19} | {'(Playwright)':>12} | {'map period change':>17} "
              f"| {'figures follow':>14}")
        for size in args.sizes:
            r = measure(browser, size)
            print(f"{r['events']:>7} | {r['cold']:>9.2f}s | {r['shell']:>10.2f}s | {r['load']:>12.2f}s "
                  f"| {r['change']:>18.2f}s | {r['wall']:>11.2f}s | {r['in_map']:>16.2f}s | {r['figures']:>13.2f}s   "
                  + " ".join(f"{k}={[round(x, 2) for x in v]}" for k, v in r["runs"].items()),
                  flush=True)
        browser.close()


if __name__ == "__main__":
    main()
