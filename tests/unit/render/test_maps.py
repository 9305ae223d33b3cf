"""Map builders and the escaping they rely on, checked on the rendered HTML (as folium's own tests do)."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from conflictmap.render import maps
from conflictmap.render.assets import VENDOR_URL, ensure_vendor_assets
from conflictmap.render.html import escape_text
from conflictmap.render.layers import (
    DENSITY_COLOR,
    EVENT_ID_TAG,
    MAP_PERIOD_VALUE,
    OTHER_COLOR,
    REFERENCE_COLOR,
    event_id_from_tooltip,
    event_rows,
    period_from_map_value,
)

# One hostile record: every text field carries markup or script that must stay inert.
HOSTILE = {
    "event_id": "abc123def4567890",
    "lat": 35.93,
    "lon": 36.63,
    "event_type": "Battles",
    "event_date": date(2017, 11, 20),
    "time_precision": 1,
    "date_phrase": "on <b>Monday</b>",
    "geo_precision": 1,
    "place": "Idlib<svg onload=alert(1)>",
    "excerpt": 'Clashes in Idlib <script>window.__pwned=4</script> left <img src=x onerror="x()"> dead.',
    "place_start": 11,
    "place_end": 16,
    "title": 'Title <script>window.__pwned=1</script> "quoted"',
    "url": "javascript:window.__pwned=3",
    "fatalities_best": 3,
    "fatalities_low": 3,
    "fatalities_high": 3,
}
GOOD = {**HOSTILE, "event_id": "0000aaaa1111bbbb", "title": "Plain title",
        "url": "https://news.example.org/a?b=1&c=2", "place": "Douma", "excerpt": "Strikes hit Douma.",
        "place_start": 12, "place_end": 17, "lat": 33.57, "lon": 36.40}
# UCDP-shaped reference row whose headline holds markup.
REFERENCE = {"event_date": date(2017, 11, 3), "lat": 35.33, "lon": 40.14, "where": "Deir <i>ez-Zor</i>",
             "side_a": "Government of Syria", "side_b": "IS", "deaths_best": 20, "deaths_low": 15,
             "deaths_high": 30, "headline": "<b>Regime</b> retakes city", "where_prec": 1, "date_prec": 1}
BASEMAP = json.loads((Path(__file__).resolve().parents[3] / "data/basemap/countries-110m.geojson").read_text())


def _render(events: list[dict], reference: list[dict] | None = None) -> str:
    return maps.build_event_map(events, reference, BASEMAP).get_root().render()


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, dict)):
        items = value.values() if isinstance(value, dict) else value
        return [s for item in items for s in _strings(item)]
    return []


def _payloads(html: str) -> list[dict]:
    """The layers sent inline with the map (``{data: {"tables", "rows", "keys"}}``), decoded."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(html, m.end())[0] for m in re.finditer(r"\{data:", html)]


def _tables(html: str) -> str:
    """Every string in the JSON the browser receives, decoded (so \\u003c reads as <)."""
    found = _payloads(html)
    assert len(found) >= 2, "the event and reference layers were not found in the rendered map"
    return "\n".join(s for blob in found for s in _strings(blob))


def test_rendered_map_keeps_every_article_string_escaped() -> None:
    html = _render([HOSTILE, GOOD], [REFERENCE])
    data = _tables(html)
    # No raw tag from the article survives, in the page or in the decoded data.
    for raw in ("<script>window", "<img src=x", "<svg onload", "<b>Regime", "<i>ez-Zor", "<b>Monday"):
        assert raw not in html
        assert raw not in data
    assert "&lt;script&gt;window.__pwned=4&lt;/script&gt;" in data
    assert "Idlib&lt;svg onload=alert(1)&gt;" in data
    assert "&lt;b&gt;Regime&lt;/b&gt; retakes city" in data
    # The javascript: URL is inert text; the good one is a live link opening a new tab.
    assert 'href="javascript' not in data
    assert '<span class="cm-nolink">javascript:window.__pwned=3</span>' in data
    assert '<a href="https://news.example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">' in data
    # The place is highlighted inside the escaped excerpt.
    assert 'Clashes in <mark class="cm-place">Idlib</mark> &lt;script&gt;' in data


def test_rendered_map_loads_nothing_from_the_network() -> None:
    html = _render([GOOD], [REFERENCE])
    assert not re.search(r"https?://(?!news\.example\.org)", html.replace("http://www.w3.org", ""))
    links = set(re.findall(r'(?:src|href)="([^"]+)"', html))
    assert links and all(link.startswith(VENDOR_URL) for link in links)
    assert f'L.Icon.Default.imagePath = "{VENDOR_URL}/leaflet/images/"' in html
    assert '"maxZoom": 18' in html


def test_every_asset_url_the_map_uses_exists_in_the_vendor_folder(tmp_path: Path) -> None:
    written = ensure_vendor_assets(tmp_path)
    assert written, "first call copies the files"
    assert ensure_vendor_assets(tmp_path) == [], "second call is a no-op"
    (tmp_path / "leaflet" / "leaflet.js").write_text("stale")
    assert ensure_vendor_assets(tmp_path) == [tmp_path / "leaflet" / "leaflet.js"]
    html = _render([GOOD])
    for url in re.findall(r'(?:src|href)="([^"]+)"', html) + [f"{VENDOR_URL}/leaflet/images/marker-icon.png"]:
        assert (tmp_path / url.removeprefix(VENDOR_URL + "/")).is_file(), url


def test_one_cluster_layer_and_no_python_marker_per_event() -> None:
    events = [{**GOOD, "event_id": f"{i:016x}", "lat": 30 + i / 100} for i in range(300)]
    fmap = maps.build_event_map(events)
    html = fmap.get_root().render()
    assert html.count("L.markerClusterGroup(") == 1
    assert "L.marker(" not in html
    assert len(_payloads(html)[0]["rows"]) == 300


def test_events_without_coordinates_are_skipped_and_unknown_types_are_grey() -> None:
    tables = event_rows([{**GOOD, "lat": None}, {**GOOD, "event_type": "Something new"}])
    assert len(tables["rows"]) == 1
    assert tables["colors"][tables["rows"][0][2]] == OTHER_COLOR


def test_reference_layer_has_its_colour_and_credit() -> None:
    html = _render([GOOD], [REFERENCE])
    assert REFERENCE_COLOR in html
    assert "UCDP GED 19.1 (CC BY 4.0)" in html
    assert "UCDP reference" in html  # legend entry


def test_event_id_round_trips_through_the_tooltip_text() -> None:
    tables = event_rows([GOOD])
    assert tables["rows"][0][3] == "0000aaaa1111bbbb"
    # streamlit-folium returns the tooltip's text content: visible text + hidden tag.
    assert event_id_from_tooltip(f"Douma \u00b7 Battles{EVENT_ID_TAG}0000aaaa1111bbbb") == "0000aaaa1111bbbb"
    assert event_id_from_tooltip("Evil |ev:fake1 place \u00b7 Battles|ev:real2") == "real2"
    assert event_id_from_tooltip("Deir ez-Zor \u00b7 UCDP") is None
    assert event_id_from_tooltip(None) is None


def test_a_period_let_go_on_the_map_is_read_back_and_anything_else_is_not() -> None:
    value = {"last_object_clicked_tooltip": "Douma",
             MAP_PERIOD_VALUE: {"from": "2017-11-10", "to": "2017-11-30", "at": 1796686560974}}
    assert period_from_map_value(value) == (1796686560974, date(2017, 11, 10), date(2017, 11, 30))
    # A click or a pan sends streamlit-folium's own value: no period in it.
    assert period_from_map_value({"last_object_clicked_tooltip": "Douma"}) is None
    assert period_from_map_value(None) is None
    # The value comes from the page: a reversed, malformed or mistyped period is ignored.
    for bad in ({"from": "2017-11-30", "to": "2017-11-10", "at": 1},
                {"from": "2017-13-01", "to": "2017-11-10", "at": 1},
                {"from": "<script>", "to": "2017-11-10", "at": 1},
                {"from": "2017-11-10", "to": "2017-11-30"},
                {"from": "2017-11-10", "to": "2017-11-30", "at": True},
                {"from": 20171110, "to": "2017-11-30", "at": 1},
                "2017-11-10"):
        assert period_from_map_value({MAP_PERIOD_VALUE: bad}) is None, bad


def test_article_text_is_never_read_as_a_jinja_template() -> None:
    # folium compiles rendered scripts as Jinja templates: "{{ 97531*2 }}" would print 195062 and
    # "{% if %}" without an end would raise; both must reach the browser as plain text.
    jinja = {**GOOD, "title": "Sum {{ 97531*2 }} {% if true %}", "excerpt": "In Douma {# x #} {{ cycler }}.",
             "place_start": 3, "place_end": 8}
    html = _render([jinja], [{**REFERENCE, "headline": "{{ 86420*3 }}"}])
    data = _tables(html)
    assert "195062" not in html and "259260" not in html
    assert "Sum &#123;&#123; 97531*2 &#125;&#125; &#123;% if true %&#125;" in data
    assert "{{" not in data and "{%" not in data and "{#" not in data
    assert escape_text("{{x}}") == "&#123;&#123;x&#125;&#125;"


def test_legend_explains_density_circles_instead_of_event_types() -> None:
    points = maps.build_base_map(with_reference=True).get_root().render()
    dense = maps.build_base_map(with_reference=True, density=True).get_root().render()
    assert "Event type" in points and "Battles" in points and "Event density" not in points
    assert "Event density" in dense and "Battles" not in dense
    assert "UCDP reference" in dense and DENSITY_COLOR in dense


def test_map_chrome_legend_folds_first_view_has_margin_reference_clusters_step_aside() -> None:
    html = maps.build_event_map([], reference=[], basemap=None).get_root().render()
    assert maps._legend_html(True).startswith("<details open><summary><b>Event type</b></summary>")
    assert "map.on('popupopen'" in html  # it folds while a popup is open
    bounded = maps.build_base_map(bounds=[[10.0, 40.0], [20.0, 50.0]]).get_root().render()
    assert "padding: [48, 48]" in bounded  # a cluster at the edge is not cut off
    assert "iconAnchor: L.point(-6, -6)" in maps.map_scripts.REFERENCE_CLUSTER_ICON


def test_no_basemap_ring_streaks_across_the_map() -> None:
    """A ring that jumps from +180 to -180 draws a band across the world (Fiji, Chukotka)."""
    data = json.loads((Path(__file__).resolve().parents[3] / "data" / "basemap" / "countries-110m.geojson")
                      .read_text(encoding="utf-8"))
    streaks = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for ring in (ring for polygon in polygons for ring in polygon):
            for a, b in zip(ring, ring[1:], strict=False):
                if abs(a[0] - b[0]) > 180 and not (abs(a[1]) >= 89.9 and abs(b[1]) >= 89.9):  # along a pole
                    streaks.append(feature["properties"]["name"])
    assert streaks == []


def test_place_labels_are_escaped_shown_by_zoom_and_take_no_clicks() -> None:
    from conflictmap import pipeline

    labels = pipeline.map_labels()
    places = {name: zoom for name, _, _, zoom, kind in labels if kind == pipeline.PLACE}
    assert places["Damascus"] == 3 and places["Aleppo"] <= 4  # a capital and a city of millions first
    assert all(zoom in (3, 4, 5, 6) for zoom in places.values())
    html = maps.build_base_map(labels=[("<b>Evil</b> & Co", 1.0, 2.0, 3)]).get_root().render()
    # Escaped in Python, then JSON-encoded into the script ("&" as \u0026): never markup.
    assert "<b>Evil</b>" not in html and "\\u0026lt;b\\u0026gt;Evil" in html
    assert "pointerEvents = 'none'" in maps.map_scripts.PLACE_LABELS  # markers stay clickable


BASEMAP_DIR = Path(__file__).resolve().parents[3] / "data" / "basemap"


def test_first_level_units_are_named_in_english_by_zoom_after_the_big_cities() -> None:
    from conflictmap import pipeline

    labels = pipeline.map_labels()
    units = {(name, round(lat)): zoom for name, lat, _, zoom, kind in labels if kind == pipeline.ADMIN1}
    # Syria's 14 governorates show from zoom 5, under the names English reports use.
    assert units[("Idlib", 36)] == 5 and units[("Aleppo", 36)] == 5 and ("Deir ez-Zor", 35) in units
    assert units[("Kharkiv", 50)] == 5  # "Kharkivska oblast" reads as Kharkiv
    assert all(zoom in (5, 6, 7) for zoom in units.values())
    kinds = [kind for *_, kind in labels]
    first_unit, last_unit = kinds.index(pipeline.ADMIN1), len(kinds) - kinds[::-1].index(pipeline.ADMIN1)
    assert set(kinds[first_unit:last_unit]) == {pipeline.ADMIN1}  # one block: after big cities, before towns
    big = {name for name, *_, kind in labels[:first_unit]}
    assert "Aleppo" in big and "Idlib" not in big
    rows = json.loads(maps.label_rows_json([("Idlib", 35.8, 36.6, 5, "admin1"), ("Idlib", 35.9, 36.6, 6, "place")]))
    assert rows == [["Idlib", 35.8, 36.6, 5, 1], ["Idlib", 35.9, 36.6, 6]]  # the unit style flag


def test_english_unit_names_come_from_a_typed_alias_else_the_folded_name() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_layers", BASEMAP_DIR / "build_layers.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.english_name("Ḩalab", ("Aleppo", "Aleppo Governorate", "حلب")) == "Aleppo"
    assert build.english_name("Zābul", ("Zabul Province", "Zobul viloyati")) == "Zabul"
    assert build.english_name("Dhī Qār", ("Ziqar mühafəzəsi", "ذي قار")) == "Dhi Qar"
    assert build.english_name("Sokoto", ()) == "Sokoto"
    assert build.english_name("Bay", ("lower Bay Region",)) == "Bay"  # a lower-case base is no name


def test_context_layers_load_by_zoom_in_their_own_panes_under_online_tiles() -> None:
    layers = maps.context_layers({"lakes": "/s/lakes.json", "rivers": None, "admin1": "/s/a1.json"})
    assert [(c.name, c.min_zoom) for c in layers] == [("lakes", 1), ("admin1", 4)]  # no URL, no layer
    offline = maps.build_base_map(context=layers).get_root().render()
    specs = re.search(r"\}\)\(map_[0-9a-f]+, (\[.*?\]), \(function", offline).group(1)
    assert [(s["name"], s["z"]) for s in json.loads(specs)] == [("lakes", 351), ("admin1", 352)]
    online = maps.build_base_map(context=layers, online_tiles=True).get_root().render()
    specs = re.search(r"\}\)\(map_[0-9a-f]+, (\[.*?\]), \(function", online).group(1)
    assert [s["z"] for s in json.loads(specs)] == [190, 191]  # under tilePane (200): a failed tile shows them
    shaded = maps.build_base_map({"type": "FeatureCollection", "features": []}, online_tiles=True)
    html = shaded.get_root().render()
    assert "createPane('cmOutlines').style.zIndex = 180" in html and '"fillOpacity": 1.0' in html.replace('":1', '": 1')
    assert "map.on('zoomend', sync)" in maps.map_scripts.CONTEXT_LAYERS


def test_context_layer_files_are_small_valid_and_cross_no_antimeridian() -> None:
    budgets = {"lakes-50m.geojson": 250_000, "rivers-50m.geojson": 400_000, "admin1-lines-10m.geojson": 1_200_000}
    for name, budget in budgets.items():
        path = BASEMAP_DIR / name
        assert path.stat().st_size <= budget, name
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection" and data["features"], name
        for feature in data["features"]:
            geometry = feature["geometry"]
            lines = geometry["coordinates"] if geometry["type"] in ("MultiLineString", "Polygon") else \
                [ring for polygon in geometry["coordinates"] for ring in polygon]
            for line in lines:
                assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in line), name
                assert all(abs(a[0] - b[0]) < 180 for a, b in zip(line, line[1:], strict=False)), name
    # Syria's province lines are there: some boundary crosses the Idlib-Aleppo area.
    admin = json.loads((BASEMAP_DIR / "admin1-lines-10m.geojson").read_text(encoding="utf-8"))
    points = [p for line in admin["features"][0]["geometry"]["coordinates"] for p in line]
    assert any(36.0 < x < 37.5 and 35.5 < y < 36.6 for x, y in points)


def test_the_map_carries_its_own_period_sliders_that_filter_in_place() -> None:
    html = maps.build_base_map().get_root().render()
    assert "cm-period-from" in html and "cmPeriodSync" in html
    # Letting go hands the period to the server under the key the dashboard reads.
    assert 'value["cm_period"] = {from: day(p[0]), to: day(p[1]), at: window.cmPeriodAt};' in html
    assert "%(key)s" not in html
    # The rows' filter honours the map's period in place of the sidebar's, and a new sidebar view resets it.
    assert "if (d === null || d < p[0] || d > p[1]) { return false; }" in maps.map_scripts.LAYER_VIEW
    assert "window.cmPeriod = null;" in maps.map_scripts.LAYER_VIEW


def test_each_layer_view_carries_the_stamp_of_the_last_map_period_applied() -> None:
    # The browser keeps the reader's newest period until a view with its stamp arrives.
    events = maps.build_event_layer([GOOD], period_at=1796686560974)
    reference = maps.build_reference_layer([], period_at=None)
    assert events._children[next(iter(events._children))].view["at"] == 1796686560974
    assert reference._children[next(iter(reference._children))].view["at"] is None
