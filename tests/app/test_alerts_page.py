"""AppTest runs of the Alerts page on the synthetic surge store (tests/fixtures/surge_fixture.py).

The page is entered through dashboard.py as users reach it. AppTest cannot
draw the ``st_folium`` map; we check what was sent to it (escaped popups, local
scripts only) and the table, which lists each alert with its link.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conflictmap.model import Place
from tests.fixtures.surge_fixture import AS_OF, build_surge_store, write_events

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
HOSTILE = "<script>window.__pwned=1</script>"


@pytest.fixture()
def surge_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'surges.db'}"
    store = build_surge_store(url)
    # A unit whose name would run as script if it reached the page unescaped: 9 events, none before.
    write_events(store, Place("sup:hostile", "Badtown", -10.0, -10.0, "city", "XH", HOSTILE), {AS_OF: (9, 0)})
    store.dispose()
    monkeypatch.setenv("CONFLICTMAP_DB", url)
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


def _alerts_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/7_Alerts.py")
    return at.run()


def _folium_args(at: AppTest) -> dict:
    for element in at.main.get("component_instance"):
        if "streamlit_folium" in element.proto.component_name:
            return json.loads(element.proto.json_args)
    raise AssertionError("no st_folium component on the page")


def test_the_alerts_page_lists_the_surges_with_map_links(surge_db: str) -> None:
    at = _alerts_page()
    assert not at.exception, at.exception
    assert at.title[0].value == "Surge alerts"
    table = at.dataframe[0].value
    units = list(table["Unit"])
    assert "Surge Province, XA" in units and "New Province, XB" in units
    assert not any("Quiet" in u or "Steady" in u for u in units)
    row = table[table["Unit"] == "Surge Province, XA"].iloc[0]
    assert row["Events (7 days)"] == 15 and row["Times baseline"] == pytest.approx(7.5)
    window = f"from={(AS_OF - timedelta(days=6)).isoformat()}&to={AS_OF.isoformat()}"
    assert row["Map"].endswith(f"?country=XA&admin1=Surge+Province&{window}")
    assert "Rule that fired" in table.columns
    assert any("12 weeks" in c.value for c in at.caption)


def test_the_alerts_map_escapes_unit_names_and_stays_offline(surge_db: str) -> None:
    at = _alerts_page()
    assert not at.exception, at.exception
    html = json.dumps(_folium_args(at))
    assert "__pwned" in html  # the hostile unit is on the map ...
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html  # ... as escaped text
    assert HOSTILE not in html and "<script>window" not in html
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html


def test_an_earlier_as_of_day_shows_that_weeks_alerts(surge_db: str) -> None:
    at = _alerts_page()
    # A week earlier the surge store is steady everywhere it has a baseline.
    at.date_input[0].set_value(AS_OF - timedelta(days=7)).run()
    assert not at.exception, at.exception
    assert not at.dataframe
    assert any("No unit surged" in i.value for i in at.info)
