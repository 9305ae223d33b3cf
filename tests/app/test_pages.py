"""AppTest runs of every page against the hand-built fixture store (tests/fixtures/store_fixture.py).

AppTest runs the scripts in this process, reading ``CONFLICTMAP_DB`` from the
environment on each run; tests that write use the private ``fresh_db_url``.
The map itself is an ``st_folium`` component AppTest cannot render: we check
what was sent to it (its JSON arguments), the browser tests check the rest.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conflictmap.model import EventFilter, Mention
from conflictmap.render.assets import LAYER_DIR
from conflictmap.store import Store
from tests.fixtures.store_fixture import HOSTILE_TITLE

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
TIMEOUT = 60


@pytest.fixture()
def db(fixture_db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CONFLICTMAP_DB", fixture_db_url)
    return fixture_db_url


@pytest.fixture()
def fresh_db(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CONFLICTMAP_DB", fresh_db_url)
    yield fresh_db_url
    st.cache_resource.clear()  # drop the engine on the temporary file


def _app(page: str) -> AppTest:
    """The app as users run it: entered through dashboard.py, then switched to ``page``."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    if page != "dashboard.py":
        at.switch_page(page)
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _count(db_url: str, lo: date, hi: date) -> str:
    return str(len(Store(db_url).query_events(EventFilter(date_from=lo, date_to=hi))))


def _map_args(at: AppTest) -> dict:
    for element in at.main.get("component_instance"):
        if "streamlit_folium" in element.proto.component_name:
            return json.loads(element.proto.json_args)
    raise AssertionError("no st_folium component on the page")


def _layers_sent(at: AppTest) -> str:
    """The map's layer script and every layer file it tells the browser to fetch, as one text."""
    script = _map_args(at)["feature_group"]
    files = re.findall(r'\{url:"/app/static/layers/([A-Za-z0-9_-]+\.json)"\}', script)
    return "\n".join([script, *((LAYER_DIR / name).read_text(encoding="utf-8") for name in files)])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(db: str, page: str) -> None:
    at = _app(page).run()
    assert not at.exception, at.exception
    assert at.title, "each page has a title"
    assert "GeoNames (CC BY 4.0)" in at.caption[-1].value and "UCDP GED 19.1" in at.caption[-1].value


def test_dashboard_filters_change_the_counts(db: str) -> None:
    at = _app("dashboard.py").run()
    assert _metrics(at)["Events"] == "10"
    at.multiselect(key="cm_w_types").set_value(["Battles"]).run()
    assert _metrics(at)["Events"] == "6"
    at.text_input(key="cm_w_text").set_value("Al-Qaim").run()
    assert _metrics(at)["Events"] == "1"
    assert at.query_params["type"] == "Battles" and at.query_params["q"] == "Al-Qaim"


def test_date_slider_moves_the_date_inputs_and_the_url(db: str) -> None:
    at = _app("dashboard.py").run()
    at.slider(key="cm_w_dates").set_value((date(2017, 11, 1), date(2017, 11, 30))).run()
    assert not at.exception
    assert at.date_input(key="cm_w_from").value == date(2017, 11, 1)
    assert at.date_input(key="cm_w_to").value == date(2017, 11, 30)
    assert _metrics(at)["Events"] == _count(db, date(2017, 11, 1), date(2017, 11, 30)) == "5"
    assert (at.query_params["from"], at.query_params["to"]) == ("2017-11-01", "2017-11-30")
    at.date_input(key="cm_w_to").set_value(date(2017, 11, 3)).run()
    assert at.slider(key="cm_w_dates").value == (date(2017, 11, 1), date(2017, 11, 3))
    assert _metrics(at)["Events"] == _count(db, date(2017, 11, 1), date(2017, 11, 3))
    # A "To" before "From" means the days between them, and both fields say so.
    at.date_input(key="cm_w_to").set_value(date(2017, 10, 25)).run()
    assert not at.exception
    assert (at.date_input(key="cm_w_from").value, at.date_input(key="cm_w_to").value) == \
        (date(2017, 10, 25), date(2017, 11, 1))
    assert (at.query_params["from"], at.query_params["to"]) == ("2017-10-25", "2017-11-01")
    assert _metrics(at)["Events"] == _count(db, date(2017, 10, 25), date(2017, 11, 1))


def test_query_string_round_trips(db: str) -> None:
    query = {"from": "2017-10-01", "to": "2017-11-05", "type": ["Battles", "Strategic developments"],
             "country": "IQ", "minfat": "0", "geo": "2", "ref": "0"}
    at = _app("dashboard.py")
    at.query_params.update(query)
    at.run()
    assert not at.exception
    assert at.multiselect(key="cm_w_types").value == ["Battles", "Strategic developments"]
    assert at.multiselect(key="cm_w_countries").value == ["IQ"]
    assert at.select_slider(key="cm_w_geo").value == 2
    assert at.checkbox(key="cm_w_ref").value is False
    # Al-Qaim twice (merged or not) and Kirkuk: only Iraqi events in the window.
    assert _metrics(at)["Events"] == str(len(Store(db).query_events(EventFilter(
        date_from=date(2017, 10, 1), date_to=date(2017, 11, 5), event_types=("Battles", "Strategic developments"),
        countries=("IQ",), max_geo_precision=2))))
    expected = {k: v for k, v in query.items() if k != "minfat"}  # 0 is the default: left out
    assert at.query_params == expected


def test_an_alert_link_opens_the_map_on_its_province(db: str) -> None:
    # What an admin1 alert links to (conflictmap.alerts.map_query): country, unit and days.
    at = _app("dashboard.py")
    at.query_params.update({"country": "SY", "admin1": "Deir ez-Zor"})
    at.run()
    assert not at.exception
    assert at.multiselect(key="cm_w_admin1").value == ["Deir ez-Zor"]
    expected = Store(db).query_events(EventFilter(countries=("SY",), admin1=("Deir ez-Zor",)))
    assert _metrics(at)["Events"] == str(len(expected)) == "2"
    # Clearing it in the sidebar shows the whole country again, and the URL follows.
    at.multiselect(key="cm_w_admin1").set_value([]).run()
    assert "admin1" not in at.query_params
    assert _metrics(at)["Events"] == str(len(Store(db).query_events(EventFilter(countries=("SY",)))))


def test_map_receives_escaped_events_and_the_reference_layer(db: str) -> None:
    at = _app("dashboard.py").run()
    args = _map_args(at)
    layers = _layers_sent(at)
    assert "L.markerClusterGroup(" in layers and "UCDP GED 19.1" in layers
    assert "<script>" not in layers and "\\u003cscript\\u003e" not in layers
    assert "\\u0026lt;script\\u0026gt;window.__pwned = 1" in layers
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])
    assert args["returned_objects"] == ["last_object_clicked_tooltip"]
    at.checkbox(key="cm_w_ref").uncheck().run()
    assert "UCDP GED 19.1" not in _layers_sent(at)


def _event_layer_call(at: AppTest) -> tuple[str, dict]:
    """The event layer's key and view in the map script (``map_scripts.LAYER_VIEW``'s arguments)."""
    script = _map_args(at)["feature_group"]
    call = r'\}\)\("([A-Za-z0-9_-]+)", \{url:"[^"]+"\}, (\{"day"[^}]*\}), \{cluster: \{[^}]*"cmLayer": "events"'
    found = re.search(call, script)
    assert found, "no event layer fetched from a published file"
    return found.group(1), json.loads(found.group(2))


def test_filters_the_sent_rows_cover_change_only_the_view(db: str) -> None:
    at = _app("dashboard.py").run()
    key, view = _event_layer_call(at)
    assert view == {"day": [None, None], "type": None, "geo": None, "time": None, "deaths": None, "at": None}
    # Narrower dates, a type, a precision: the same rows in the browser, a new view, no new file.
    at.date_input(key="cm_w_from").set_value(date(2017, 10, 20)).run()
    at.multiselect(key="cm_w_types").set_value(["Battles"]).run()
    at.select_slider(key="cm_w_geo").set_value(2).run()
    narrowed_key, narrowed = _event_layer_call(at)
    assert narrowed_key == key
    assert narrowed["day"][0] == (date(2017, 10, 20) - date(1970, 1, 1)).days and narrowed["geo"] == 2
    assert narrowed["type"] and narrowed["time"] is None
    # The metrics still follow the filter exactly.
    assert _metrics(at)["Events"] == str(len(Store(db).query_events(EventFilter(
        date_from=date(2017, 10, 20), date_to=Store(db).facets()["date_max"], event_types=("Battles",),
        max_geo_precision=2))))
    # A text search selects other rows: a new layer, sent again.
    at.text_input(key="cm_w_text").set_value("Idlib").run()
    assert _event_layer_call(at)[0] != key


def test_clicked_marker_shows_the_event_and_its_sources(db: str) -> None:
    event = next(e for e in Store(db).query_events(EventFilter()) if e["place"] == "Al Qa'im")
    at = _app("dashboard.py").run()
    # What streamlit-folium returns after a click: the tooltip's text with the hidden id tag.
    at.session_state["cm_selected_event"] = event["event_id"]
    at.run()
    shown = " ".join(h.value for h in at.html)
    assert "Al Qa&#x27;im" in shown and "Iraqi forces" in shown
    assert "Sources (" in " ".join(m.value for m in at.markdown)


def test_articles_page_shows_the_hostile_article_as_text(db: str) -> None:
    hostile = next(a for a in Store(db).list_articles() if a["title"] == HOSTILE_TITLE)
    at = _app("pages/2_Articles.py")
    at.query_params["article"] = hostile["article_id"]
    at.run()
    assert not at.exception
    assert at.selectbox(key="cm_w_article_pick").value == hostile["article_id"]
    body = " ".join(h.value for h in at.html)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in body
    assert "<script>window" not in body and "<img src=x" not in body and 'href="javascript' not in body
    assert '<mark class="cm-mention">Idlib</mark>' in body


def test_articles_page_says_why_each_sentence_is_an_event(db: str) -> None:
    douma = next(a for a in Store(db).list_articles() if a["title"].startswith("Air strikes kill six"))
    at = _app("pages/2_Articles.py")
    at.query_params["article"] = douma["article_id"]
    at.run()
    assert not at.exception
    assert "Why each sentence is an event" in [h.value for h in at.subheader]
    table = at.dataframe[-1].value
    assert len(table) == 1
    row = table.iloc[0]
    assert row["cue"] == "air strikes" and row["deaths_phrase"] == "killed at least six civilians"
    assert row["sides"] == "Syrian government forces \u2192 Civilians"
    assert row["interaction"] == "17: State forces vs. Civilians" and bool(row["civilian_targeting"])
    assert row["deaths"] == "6"


def test_articles_search_narrows_the_list(db: str) -> None:
    at = _app("pages/2_Articles.py").run()
    everything = len(at.selectbox(key="cm_w_article_pick").options)
    at.text_input(key="cm_w_article_search").set_value("Mogadishu").run()
    assert len(at.selectbox(key="cm_w_article_pick").options) == 1 < everything


def test_a_correction_moves_the_event(fresh_db: str) -> None:
    store = Store(fresh_db)
    before = [e for e in store.query_events(EventFilter()) if e["surface"] == "Idlib"]
    assert [e["place"] for e in before] == ["Idlib"]
    at = _app("pages/3_Places.py").run()
    at.selectbox(key="cm_w_fix_place").set_value("gn:169389").run()
    at.selectbox(key="cm_w_fix_surface").set_value("Idlib").run()
    at.selectbox(key="cm_w_fix_target").set_value("gn:170592").run()  # Douma, already on the map
    at.button[0].click().run()
    assert not at.exception
    assert "1 event(s) moved" in at.success[0].value
    after = {e["event_id"]: e for e in store.query_events(EventFilter())}
    assert after[before[0]["event_id"]]["place"] == "Douma"
    assert after[before[0]["event_id"]]["lat"] == pytest.approx(33.5722)
    # The history says when and by whom (no login here: the dashboard and its OS user).
    (stored,) = store.corrections()
    assert stored["made_by"].startswith("dashboard")
    store.dispose()


def test_a_read_only_dashboard_has_no_ingest_page_and_no_corrections(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFLICTMAP_READ_ONLY", "1")
    st.cache_resource.clear()
    try:
        at = _app("pages/3_Places.py").run()
        assert not at.exception
        assert any("read-only" in i.value for i in at.info)
        assert not [b for b in at.button if b.label == "Apply correction"]
        ingest = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
        ingest.switch_page("pages/4_Ingest.py")
        ingest.run()
        assert not ingest.exception and not ingest.get("file_uploader")  # opened by its address: a notice
        assert any("read-only" in i.value for i in ingest.info)
        from conflictmap.ui.layout import visible_pages

        assert "Ingest" not in [title for _, title, _ in visible_pages(True)]
        assert "Ingest" in [title for _, title, _ in visible_pages(False)]
    finally:
        monkeypatch.delenv("CONFLICTMAP_READ_ONLY")
        st.cache_resource.clear()


class _StubGeoparser:
    """Finds "Raqqa" wherever it occurs: enough to make an event without the full gazetteer."""

    def geoparse(self, text: str, *, hints: tuple[str, ...] = ()) -> list[Mention]:
        from tests.fixtures.store_fixture import PLACES

        start = text.find("Raqa")
        return [] if start < 0 else [Mention(start, start + 4, "Raqa", PLACES["Raqa"], 0.9)]


def test_ingest_reports_each_file_and_survives_bad_ones(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("conflictmap.pipeline.default_geoparser", lambda *a, **k: _StubGeoparser())
    monkeypatch.setenv("CONFLICTMAP_MAX_UPLOAD_MB", "0.001")  # about 1 KB
    st.cache_resource.clear()
    at = _app("pages/4_Ingest.py").run()
    story = b"Air strikes hit Raqa\n\nRAQA, Syria (AFP) - Air strikes killed four people in Raqa on Sunday.\n"
    at.file_uploader(key="cm_w_uploads").set_value([
        ("../../etc/passwd", story, "text/plain"),
        ("big.txt", b"x" * 5000, "text/plain"),
        ("bad.html", b"\xff\xfe\x00<<<", "text/html"),
    ]).run()
    at.button[0].click().run()
    assert not at.exception
    results = {row["file"]: row for row in at.session_state["cm_ingest_results"]}
    assert results["../../etc/passwd"]["new"] == 1 and not results["../../etc/passwd"]["errors"]
    assert "limit" in results["big.txt"]["errors"]
    assert results["bad.html"]["new"] == 0
    assert not (ROOT.parent / "etc" / "passwd").exists()
    st.cache_resource.clear()


def test_export_offers_three_formats_for_the_filtered_events(db: str) -> None:
    at = _app("pages/5_Export.py")
    at.query_params["country"] = "SY"
    at.run()
    assert not at.exception
    assert at.caption[0].value.startswith("6 event(s) match")
    assert len(at.get("download_button")) == 3


def test_timeline_lists_countries(db: str) -> None:
    at = _app("pages/1_Timeline.py").run()
    assert not at.exception
    countries = {row for row in at.dataframe[0].value["country_code"]}
    assert countries == {"SY", "IQ", "SO", "YE"}


def test_a_correction_from_the_gazetteer(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from conflictmap.geo.loader import load_fixture

    # The 33-place fixture slice stands in for the full gazetteer (built once, slow).
    slice_path = ROOT / "tests" / "fixtures" / "gazetteer_slice.json"
    monkeypatch.setattr("conflictmap.geo.loader.load_gazetteer", lambda *a, **k: load_fixture(slice_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = _app("pages/3_Places.py").run()
    at.selectbox(key="cm_w_fix_place").set_value("gn:169389").run()  # Idlib
    at.radio(key="cm_w_fix_source").set_value("a place from the gazetteer").run()
    at.text_input(key="cm_w_fix_gazetteer").set_value("Homs").run()
    options = at.selectbox(key="cm_w_fix_target").options
    assert options and all("Homs" in o or "Khums" in o for o in options)
    target = next(o for o in at.selectbox(key="cm_w_fix_target").options if "(SY" in o)
    at.selectbox(key="cm_w_fix_target").set_value(target).run()
    at.button[0].click().run()
    assert not at.exception
    assert "now resolves to Homs" in at.success[0].value
    moved = [e for e in Store(fresh_db).query_events(EventFilter()) if e["surface"] == "Idlib"]
    assert [e["place"] for e in moved] == ["Homs"] and moved[0]["country_code"] == "SY"
    st.cache_resource.clear()


def test_online_tiles_are_opt_in(db: str) -> None:
    at = _app("dashboard.py").run()
    assert "openstreetmap" not in _map_args(at)["script"].lower()
    at.checkbox(key="cm_w_tiles").check().run()
    assert "tile.openstreetmap.org" in _map_args(at)["script"]
    assert at.query_params["tiles"] == "1"


def test_large_filtered_sets_are_drawn_as_density_cells(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_MAP_POINT_LIMIT", "5")  # the fixture's 10 events count as "large"
    st.cache_data.clear()
    at = _app("dashboard.py").run()
    assert not at.exception
    layers = _layers_sent(at)
    assert "L.markerClusterGroup(" in layers  # the reference layer still clusters its points
    assert "events (" in layers and "deaths" in layers  # density tooltips, numbers only
    assert "Clashes in Idlib" not in layers and "pwned" not in layers  # no event text is sent
    assert any("density circles" in i.value for i in at.info)
    # Narrow the filter under the limit: points again.
    at.text_input(key="cm_w_text").set_value("Al-Qaim").run()
    layers = _layers_sent(at)
    assert "Al-Qaim" in layers and not any("density circles" in i.value for i in at.info)


def test_a_configured_login_is_asked_for_before_any_page(db: str) -> None:
    at = _app("dashboard.py")
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert any("log in" in i.value for i in at.info)
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.metric  # nothing of the store is shown before the login
