"""Synthetic stores for benchmarks: many plausible events, written in bulk.

Places and their coordinates are drawn from the real UCDP GED Syria file in
../shared/ucdp (when present) or from a small built-in list, jittered a little;
articles arrive in publication order over four years, as a continuously fed
store receives them, and each event is dated on or a few days before its
article; types, actors and fatalities are random with fixed seeds, so two runs
build the same store. Rows go straight into the store's tables in batches:
this measures reading at scale, not the pipeline's writing speed.
"""
from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from conflictmap.model import EVENT_TYPES, make_event_id
from conflictmap.store import Store
from conflictmap.store.schema import articles, event_actors, event_sources, events

ROOT = Path(__file__).resolve().parent.parent
UCDP = ROOT.parent / "shared" / "ucdp" / "ged191_syria.csv"
ACTORS = ("IS", "SDF", "Syrian government forces", "Russian forces", "US-led coalition", "HTS",
          "Free Syrian Army", "Turkish forces", "Civilians", "Iraqi forces", "Hezbollah", "YPG")
WORDS = ("shelling", "clashes", "air strike", "convoy", "checkpoint", "village", "rebels", "monitor",
         "residents", "market", "hospital", "bridge", "offensive", "mortar", "drone", "ambush")
_FALLBACK_PLACES = (("Douma", 33.5722, 36.4022), ("Idlib", 35.9306, 36.6339), ("Raqqa", 35.9528, 39.0079),
                    ("Deir ez-Zor", 35.3359, 40.1408), ("Aleppo", 36.2021, 37.1343), ("Homs", 34.7268, 36.7234))


def load_places(limit: int = 4000) -> list[tuple[str, float, float]]:
    """Distinct (name, lat, lon) from the UCDP file, or a built-in handful."""
    if not UCDP.exists():
        return list(_FALLBACK_PLACES)
    seen: dict[str, tuple[str, float, float]] = {}
    with UCDP.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["where_coordinates"].split(" ")[0] or "Syria"
            seen.setdefault(row["where_coordinates"], (name, float(row["latitude"]), float(row["longitude"])))
            if len(seen) >= limit:
                break
    return list(seen.values())


def _rows(n_events: int, seed: int) -> Iterator[tuple[dict, dict, list[dict], dict]]:
    rng = random.Random(seed)
    places = load_places()
    pick = random.Random(seed + 1)
    countries = {p: pick.choices(("SY", "IQ", "YE", "SO"), weights=(85, 8, 5, 2))[0] for p in places}
    start = date(2016, 1, 1)
    span = (date(2019, 11, 30) - start).days
    now = datetime.now(UTC)
    article_id = ""
    for i in range(n_events):
        if i % 3 == 0:
            article_id = f"synth-{seed}-{i // 3}"
            # Articles arrive in publication order (continuous ingest), give or take a few days.
            day = start + timedelta(days=min(span - 1, max(7, 7 + i * (span - 7) // n_events + rng.randrange(-3, 4))))
            article = {
                "article_id": article_id, "url": f"https://news.example.org/{article_id}", "publisher": "Synth",
                "agency": "AFP", "title": f"{rng.choice(WORDS).title()} reported near {rng.choice(places)[0]}",
                "published": day, "dateline": "", "body": "synthetic", "origin": "bench", "warnings": "[]",
                "ingested_at": now,
            }
        else:
            article = {}
        name, lat, lon = rng.choice(places)
        # A place lies in one country, as in real data (roll-ups group by both).
        country = countries[(name, lat, lon)]
        etype = rng.choices(EVENT_TYPES, weights=(40, 35, 12, 6, 2, 5))[0]
        actors = rng.sample(ACTORS, rng.choice((1, 2, 2, 3)))
        deaths = None if rng.random() < 0.5 else int(rng.expovariate(1 / 8))
        excerpt = f"{rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)} in {name}, {rng.choice(WORDS)} said."
        event_id = make_event_id(article_id, i)
        place_start = excerpt.index(name)
        event = {
            "event_id": event_id, "article_id": article_id, "mention_start": place_start,
            "mention_end": place_start + len(name), "surface": name, "surface_key": name.casefold(),
            "place_id": f"synth:{name}:{lat:.3f}", "geonameid": None, "place": name,
            "lat": lat + rng.uniform(-0.01, 0.01), "lon": lon + rng.uniform(-0.01, 0.01), "feature": "city",
            "country_code": country, "admin1": "",
            "event_date": day - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3, 7))),
            "time_precision": rng.choice((1, 1, 1, 2, 3)),
            "date_phrase": "", "geo_precision": rng.choice((1, 1, 2, 3)), "event_type": etype,
            "sub_event_type": "", "actors": json.dumps(actors), "fatalities_best": deaths,
            "fatalities_low": deaths, "fatalities_high": deaths, "excerpt": excerpt, "excerpt_start": 0,
            "excerpt_end": len(excerpt), "place_start": place_start, "place_end": place_start + len(name),
            "sources": 1,
        }
        source = {"event_id": event_id, "article_id": article_id, "excerpt_start": i, "excerpt_end": i + 1,
                  "excerpt": excerpt}
        yield article, event, [{"event_id": event_id, "actor": a} for a in actors], source


def fill_store(store: Store, n_events: int, *, seed: int = 7, batch: int = 5000) -> None:
    """Append ``n_events`` synthetic events (and one article per three events) to ``store``."""
    buffers: dict[str, list[dict]] = {"articles": [], "events": [], "actors": [], "sources": []}
    tables = {"articles": articles, "events": events, "actors": event_actors, "sources": event_sources}

    def flush() -> None:
        with store.engine.begin() as conn:
            for key in ("articles", "events", "actors", "sources"):
                if buffers[key]:
                    conn.execute(insert(tables[key]), buffers[key])
                    buffers[key].clear()

    for article, event, actors, source in _rows(n_events, seed):
        if article:
            buffers["articles"].append(article)
        buffers["events"].append(event)
        buffers["actors"].extend(actors)
        buffers["sources"].append(source)
        if len(buffers["events"]) >= batch:
            flush()
    flush()
    store.rebuild_rollups()  # rows went in around write_article, which keeps them current
