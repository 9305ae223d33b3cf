"""Python values to table rows and back."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from conflictmap.model import FEATURE_GEO_PRECISION, Article, Event, Mention, place_row, normalise_surface
from conflictmap.store.schema import PLACE_COLUMNS


def like_pattern(text: str) -> str:
    """A case-folded LIKE pattern matching ``text`` anywhere, with wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def as_date(value: Any) -> date | None:
    """A ``date`` from what a driver returns for a DATE column (date, datetime or ISO text)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def article_values(article: Article) -> dict[str, Any]:
    """The ``articles`` row of an article."""
    return {
        "article_id": article.article_id, "url": article.url, "publisher": article.publisher,
        "agency": article.agency, "title": article.title, "published": article.published,
        "dateline": article.dateline, "body": article.body, "origin": article.origin,
        "warnings": json.dumps(list(article.warnings)), "ingested_at": datetime.now(timezone.utc),
    }


def mention_values(article_id: str, m: Mention, fixes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ``mentions`` row of a mention, with a stored correction applied."""
    key = normalise_surface(m.surface)
    fixed = fixes.get(key)
    return {
        "article_id": article_id, "start": m.start, "end": m.end, "surface": m.surface, "surface_key": key,
        **(fixed if fixed else place_row(m.place)),
        "score": 1.0 if fixed else m.score,
        "resolved_by": "correction" if fixed else m.resolved_by,
        "metonymic": m.metonymic,
    }


def event_values(article: Article, ev: Event, fixes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ``events`` row of an event, with a stored correction applied."""
    m = ev.mention
    key = normalise_surface(m.surface)
    fixed = fixes.get(key)
    place = fixed if fixed else place_row(m.place)
    geo_precision = FEATURE_GEO_PRECISION.get(place["feature"] or "", 3) if fixed else ev.geo_precision
    # The locus may be named in an earlier sentence ("... in the province"): then
    # there is nothing inside the excerpt to highlight.
    inside = ev.excerpt_start <= m.start and m.end <= ev.excerpt_end
    place_start = m.start - ev.excerpt_start if inside else 0
    return {
        "event_id": ev.event_id, "article_id": article.article_id, "mention_start": m.start,
        "mention_end": m.end, "surface": m.surface, "surface_key": key, **place,
        "event_date": ev.event_date, "time_precision": ev.time_precision, "date_phrase": ev.date_phrase,
        "geo_precision": geo_precision, "event_type": ev.event_type, "sub_event_type": ev.sub_event_type,
        "actors": json.dumps(list(ev.actors)), "fatalities_best": ev.fatalities_best,
        "fatalities_low": ev.fatalities_low, "fatalities_high": ev.fatalities_high, "excerpt": ev.excerpt,
        "excerpt_start": ev.excerpt_start, "excerpt_end": ev.excerpt_end, "place_start": place_start,
        "place_end": place_start + (m.end - m.start) if inside else 0, "sources": 1,
    }


def event_row(row: Any) -> dict[str, Any]:
    """An event row as the dashboard uses it: actors as a list, dates as ``date``."""
    d = dict(row)
    d["actors"] = json.loads(d.get("actors") or "[]")
    d["event_date"] = as_date(d["event_date"])
    d["published"] = as_date(d.get("published"))
    return d
