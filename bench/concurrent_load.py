"""How the map page holds up when several analysts open it at once: 1, 5 and 20 pages.

One ``streamlit run dashboard.py`` serves a synthetic store (``bench/dashboard_render.py``
builds and caches it); N fresh pages of one headless Chromium are opened together. For each
N it prints

* wall time from the first ``goto`` until each page's map shows its markers (median and the
  slowest page), read in the page itself (``Date.now()`` when the first cluster or marker is
  drawn), so pages are not timed one after another;
* the server's CPU seconds per page load (user + system time of the Streamlit process, from
  ``/proc``): the server's cost, apart from the browsers', which share the machine; and the
  CPU seconds the rest of the machine spent per load (the browsers, mostly).

Every session asks for the same rows, so after the first page the event layer is a file the
server already wrote (``ui.queries.event_layer_file``) and each session's rerun builds only a
small map script. Run::

    .venv/bin/python bench/concurrent_load.py              # 10000 events; 1, 5, 20 pages
    .venv/bin/python bench/concurrent_load.py --events 50000 --pages 1 5

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dashboard_render import IFRAME, build_store  # noqa: E402
from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server  # noqa: E402

# Runs in every frame of every page: notes when the map draws its first marker or cluster.
READY_JS = """(() => {
  const t = setInterval(() => {
    if (document.querySelector('.cm-cluster, path.leaflet-interactive')) {
      window.__cmReadyAt = Date.now(); clearInterval(t);
    }
  }, 25);
})();"""


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, in seconds (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU seconds every process on the machine has used (busy time from ``/proc/stat``)."""
    user, nice, system, _idle, _iowait, irq, softirq, *_ = (int(v) for v in Path("/proc/stat").read_text()
                                                            .splitlines()[0].split()[1:])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def open_together(browser: Any, url: str, n: int) -> list[float]:
    """Open ``n`` fresh pages at once; return each one's seconds from the first goto to its markers."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(n)]
    pages = []
    for ctx in contexts:
        ctx.add_init_script(READY_JS)
        pages.append(ctx.new_page())
    started = time.time()
    for page in pages:
        page.goto(url, wait_until="commit")
    seconds = []
    for page in pages:
        frame = page.wait_for_selector(IFRAME, timeout=300_000).content_frame()
        frame.wait_for_function("() => window.__cmReadyAt !== undefined", timeout=300_000, polling=100)
        seconds.append(frame.evaluate("() => window.__cmReadyAt") / 1000 - started)
    for ctx in contexts:
        ctx.close()
    return seconds


def main(argv: list[str] | None = None) -> None:
    """Print time to markers and server CPU per load for each number of pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--pages", type=int, nargs="*", default=[1, 5, 20])
    args = parser.parse_args(argv)
    os.environ.setdefault("CONFLICTMAP_MAP_POINT_LIMIT", "1000000")
    path = chromium_path()
    if path is None:
        raise SystemExit("no Chromium found: install chromium or set CONFLICTMAP_CHROMIUM")
    from playwright.sync_api import sync_playwright

    db_url = build_store(args.events)
    pids: list[int] = []
    with streamlit_server(db_url, f"concurrent-{args.events}", pids) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        open_together(browser, url, 1)  # warm the server's caches and the layer file
        print(f"{args.events} events | pages | median to markers | slowest page | server CPU per load "
              f"| rest of the machine (browsers) per load")
        for n in args.pages:
            before, machine_before = cpu_seconds(pids[0]), machine_cpu_seconds()
            seconds = open_together(browser, url, n)
            cpu = (cpu_seconds(pids[0]) - before) / n
            rest = (machine_cpu_seconds() - machine_before) / n - cpu
            print(f"{'':>{len(str(args.events)) + 7}}| {n:>5} | {statistics.median(seconds):>15.2f} s "
                  f"| {max(seconds):>10.2f} s | {cpu:>17.2f} s | {rest:>8.2f} s", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
