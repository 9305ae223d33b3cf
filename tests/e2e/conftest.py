"""Real-browser fixtures: one headless Chromium, fresh pages, screenshots of failures.

Servers come from ``tests/e2e/server.py`` (one per test module). Chromium is
the system one (``/usr/bin/chromium`` or ``CONFLICTMAP_CHROMIUM``); without it
the tests skip, except under ``CI=true`` where a missing browser is a failure.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.e2e.server import ARTIFACTS, CHROMIUM_ARGS, chromium_path

IN_CI = os.environ.get("CI") == "true"
@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    path = chromium_path()
    if path is None:
        message = "no Chromium (install it: apt-get install -y chromium, or set CONFLICTMAP_CHROMIUM)"
        if IN_CI:
            pytest.fail(f"CI=true requires the browser tests, but there is {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    # Remember each phase's outcome on the item so the page fixture can keep a screenshot of a failure.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture()
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh page that records dialogs and outside requests; screenshot kept when the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.outside_requests = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda dialog: (pg.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    pg.on("request", lambda req: None if req.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
          else pg.outside_requests.append(req.url))  # type: ignore[attr-defined]
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()
