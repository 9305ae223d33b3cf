"""Files the dashboard publishes for the browser: map layers (random names, pruned) and basemap parts (by content)."""
from __future__ import annotations

import json
import os
import re
import time
from datetime import date
from pathlib import Path

from conflictmap.model import EventFilter
from conflictmap.render import maps
from conflictmap.render.assets import prune_layers, publish_layer, publish_static
from conflictmap.render.layers import day_number, event_layer_data

EVENT = {"lat": 35.9, "lon": 36.6, "event_type": "Battles", "event_id": "e1", "event_date": date(2017, 11, 20),
         "place": "Idlib", "excerpt": "Clashes <b>in</b> Idlib.", "title": "T", "url": None,
         "geo_precision": 1, "time_precision": 1, "fatalities_best": 3}


def test_a_published_layer_has_an_unguessable_name_and_its_payload(tmp_path: Path) -> None:
    payload = event_layer_data([EVENT]).payload()
    key, url = publish_layer(payload, tmp_path, "/app/static/layers")
    other, _ = publish_layer(payload, tmp_path, "/app/static/layers")
    assert key != other and len(key) >= 24, "the same rows published twice get two random names"
    assert url == f"/app/static/layers/{key}.json"
    assert json.loads((tmp_path / f"{key}.json").read_text(encoding="utf-8"))["rows"][0][3] == "e1"
    assert not list(tmp_path.glob(".*.part")), "no half-written file is left behind"


def test_old_layers_are_pruned_when_a_new_one_is_written(tmp_path: Path) -> None:
    key, _ = publish_layer("{}", tmp_path)
    stale = tmp_path / f"{key}.json"
    old = time.time() - 7200
    os.utime(stale, (old, old))
    (tmp_path / "notes.txt").write_text("not a layer")
    os.utime(tmp_path / "notes.txt", (old, old))
    fresh, _ = publish_layer("{}", tmp_path)
    assert not stale.exists() and (tmp_path / f"{fresh}.json").exists()
    assert (tmp_path / "notes.txt").exists(), "only layer files are pruned"
    assert prune_layers(tmp_path, keep_seconds=0) == 1


def test_an_unwritable_folder_means_no_url(tmp_path: Path) -> None:
    blocker = tmp_path / "layers"
    blocker.write_text("a file where the folder should be")
    key, url = publish_layer("{}", blocker)
    assert key and url is None
    assert publish_static("labels", "[]", blocker) is None


def test_static_basemap_files_are_named_by_content(tmp_path: Path) -> None:
    url = publish_static("labels", '[["Kyiv",50.45,30.52,3]]', tmp_path, "/app/static/basemap")
    again = publish_static("labels", '[["Kyiv",50.45,30.52,3]]', tmp_path, "/app/static/basemap")
    changed = publish_static("labels", '[["Kharkiv",49.99,36.23,4]]', tmp_path, "/app/static/basemap")
    assert url == again != changed
    assert re.fullmatch(r"/app/static/basemap/labels-[0-9a-f]{16}\.json", url)
    assert len(list(tmp_path.glob("*.json"))) == 2


def test_a_layer_with_a_url_sends_only_its_key_and_view() -> None:
    data = event_layer_data([EVENT])
    view = EventFilter(date_from=date(2017, 11, 1), event_types=("Battles",))
    group = maps.build_event_layer(data, view=view, source_url="/app/static/layers/k.json", key="k")
    fmap = maps.build_base_map()
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert '("k", {url:"/app/static/layers/k.json"}, ' in html
    assert "Clashes" not in html and "{data:" not in html, "no row travels with the script"
    found = re.search(r'\{url:"[^"]+"\}, (\{"day"[^}]*\})', html)
    assert json.loads(found.group(1)) == {"day": [day_number(date(2017, 11, 1)), None], "type": [0],
                                          "geo": None, "time": None, "deaths": None, "at": None}


def test_basemap_parts_given_as_urls_are_fetched_not_pasted() -> None:
    html = maps.build_base_map(basemap_url="/app/static/basemap/c.json",
                               labels_url="/app/static/basemap/l.json").get_root().render()
    assert '"/app/static/basemap/c.json"' in html and '"/app/static/basemap/l.json"' in html
    assert "createPane('cmOutlines')" in html and '"FeatureCollection"' not in html
