"""The Alerts page's map builder, asserted on its rendered HTML (as the other map tests)."""
from __future__ import annotations

import re

from conflictmap.render.alerts_map import MAX_RADIUS, MIN_RADIUS, alert_popup_html, alert_radius, build_alerts_map

POINT = {
    "lat": 10.0, "lon": 20.0, "unit": '<script>window.__pwned=1</script>, XA', "kind": "surge", "events": 15,
    "fatalities": 2, "ratio": 7.5, "window_start": "2024-03-25", "window_end": "2024-03-31",
    "link": "http://localhost:8501/?country=XA&from=2024-03-25&to=2024-03-31",
}


def test_the_radius_grows_with_the_ratio_and_is_largest_without_a_baseline() -> None:
    assert alert_radius(2.0) == MIN_RADIUS
    assert MIN_RADIUS < alert_radius(4.0) < alert_radius(8.0) < MAX_RADIUS
    assert alert_radius(1000.0) == alert_radius(None) == MAX_RADIUS


def test_the_popup_is_escaped_and_links_only_to_http() -> None:
    popup = alert_popup_html(POINT)
    assert "<script>" not in popup and "&lt;script&gt;" in popup
    assert 'href="http://localhost:8501/?country=XA&amp;from=2024-03-25&amp;to=2024-03-31"' in popup
    assert "href" not in alert_popup_html({**POINT, "link": "javascript:alert(1)"})


def test_the_map_draws_each_alert_offline_with_its_own_legend() -> None:
    html = build_alerts_map([POINT, {**POINT, "unit": "New Province, XB", "kind": "new", "ratio": None,
                                     "lat": 12.0}]).get_root().render()
    assert html.count("L.circleMarker(") == 2
    assert "<script>window.__pwned" not in html
    assert "Surge alerts" in html and "Event type" not in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/app/static/vendor/") for src in scripts)
    assert "fitBounds([[9.0, 19.0], [13.0, 21.0]]" in html
