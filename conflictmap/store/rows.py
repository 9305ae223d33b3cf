"""Python values to table rows and back.

The ``*Values`` TypedDicts are rows as written (lists as JSON text); what the
store returns has the shapes in ``model`` (``EventRow``, ``MentionRow``, ...).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TypedDict, cast

from conflictmap.model import (
    FEATURE_GEO_PRECISION,
    Article,
    Event,
    EventColumns,
    EventRow,
    Mention,
    MentionRow,
    PlaceRow,
    normalise_surface,
    place_row,
)


class ArticleValues(TypedDict):
    """An ``articles`` row as written: ``warnings`` as JSON text."""

    article_id: str
    url: str
    publisher: str
    agency: str
    title: str
    published: date | None
    dateline: str
    body: str
    origin: str
    warnings: str
    ingested_at: datetime


class MentionValues(MentionRow):
    """A ``mentions`` row as written: the mention, its place (or a correction's) and the correction key."""

    surface_key: str


class EventValues(EventColumns):
    """An ``events`` row as written: ``actors`` as JSON text, the place (or a correction's), the correction key."""

    surface_key: str
    actors: str


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


def stored_place(row: Mapping[str, Any]) -> PlaceRow:
    """The place held in the place columns of a stored row (a mention, an event, a correction)."""
    return PlaceRow(
        place_id=row["place_id"], geonameid=row["geonameid"], place=row["place"], lat=row["lat"], lon=row["lon"],
        feature=row["feature"], country_code=row["country_code"], admin1=row["admin1"],
    )


def corrected_geo_precision(feature: str | None) -> int:
    """The geo precision of an event a correction moves to a place of kind ``feature``.

    ``model.FEATURE_GEO_PRECISION``, the table the extractor reads, so a moved
    event gets the precision the same event extracted at that place gets.
    """
    return FEATURE_GEO_PRECISION.get(feature or "", 3)


def article_values(article: Article) -> ArticleValues:
    """The ``articles`` row of an article."""
    return {
        "article_id": article.article_id, "url": article.url, "publisher": article.publisher,
        "agency": article.agency, "title": article.title, "published": article.published,
        "dateline": article.dateline, "body": article.body, "origin": article.origin,
        "warnings": json.dumps(list(article.warnings)), "ingested_at": datetime.now(UTC),
    }


def mention_values(article_id: str, m: Mention, fixes: Mapping[str, PlaceRow]) -> MentionValues:
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


def event_values(article: Article, ev: Event, fixes: Mapping[str, PlaceRow]) -> EventValues:
    """The ``events`` row of an event, with a stored correction applied."""
    m = ev.mention
    key = normalise_surface(m.surface)
    fixed = fixes.get(key)
    place = fixed if fixed else place_row(m.place)
    geo_precision = corrected_geo_precision(place["feature"]) if fixed else ev.geo_precision
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
        "actor1": ev.actor1, "actor2": ev.actor2, "interaction": ev.interaction,
        "civilian_targeting": ev.civilian_targeting, "cue": ev.cue, "deaths_phrase": ev.deaths_phrase,
    }


def event_row(row: Mapping[str, Any]) -> EventRow:
    """An event row as the dashboard uses it: actors as a list, dates as ``date``."""
    d = dict(row)
    d["actors"] = json.loads(d.get("actors") or "[]")
    d["event_date"] = as_date(d["event_date"])
    d["published"] = as_date(d.get("published"))
    d["civilian_targeting"] = bool(d.get("civilian_targeting"))
    return cast(EventRow, d)
