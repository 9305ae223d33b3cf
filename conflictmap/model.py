"""The data model shared by every layer: articles, places, mentions and events.

Standard library only. Every record is a frozen dataclass so it can be hashed,
cached and passed between the pipeline and the dashboard without surprises.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from math import asin, cos, radians, sin, sqrt
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

#: Feature kinds a resolved place can have, coarsest last.
FEATURES = ("facility", "city", "admin2", "admin1", "region", "natural", "country")

#: The geo precision (see ``Event``) an event placed at a feature kind gets before the
#: sentence's own words ("near", "the province of") adjust it. The extractor and a
#: correction that moves an event both read it, so the two always agree.
FEATURE_GEO_PRECISION = {
    "facility": 1, "city": 1, "admin2": 3, "admin1": 3, "region": 3, "natural": 3, "country": 3,
}

#: Kinds whose point is a centroid standing for an area (geo precision 3).
COARSE_FEATURES = frozenset(f for f, p in FEATURE_GEO_PRECISION.items() if p == 3)

#: Specificity of a kind as an event's place, finest first (0): among the places of one
#: clause the event goes to the most specific ("a province over a river").
FEATURE_SPECIFICITY = {"facility": 0, "city": 0, "admin2": 1, "admin1": 2, "region": 3, "natural": 4, "country": 5}

#: Prominence of a kind when a name is looked up without context, most prominent
#: highest: a search for "Lebanon" lists the country before a town of that name.
FEATURE_PROMINENCE = {"country": 5, "admin1": 4, "region": 3, "natural": 3, "city": 2, "admin2": 1, "facility": 1}

#: Two reports of one event type within this distance (km) and this many days of each
#: other are one incident (``events.merge.same_incident``; the store applies the same
#: thresholds to stored events).
MERGE_KM = 10.0
MERGE_DAYS = 1

#: ACLED's six event types.
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)


def _fold_text(text: str) -> str:
    """Normalise text for hashing: NFC, collapsed white space, case folded."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def make_article_id(body: str) -> str:
    """Return the stable id of an article: a hash of its normalised body.

    The same story read from a text page and from an HTML page gets the same id,
    which is how the store knows it has seen it before.
    """
    return hashlib.sha256(_fold_text(body).encode("utf-8")).hexdigest()[:16]


def make_event_id(*parts: object) -> str:
    """Return a stable id built from the given parts (article id, offsets, ...)."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news story, cleaned: boilerplate removed, one story per record.

    ``body`` is the text every offset in mentions and events points into.
    """

    article_id: str
    title: str
    body: str
    published: date | None = None
    url: str = ""
    publisher: str = ""
    agency: str = ""
    dateline: str = ""
    origin: str = ""
    warnings: tuple[str, ...] = ()

    @classmethod
    def create(cls, title: str, body: str, **kwargs: object) -> "Article":
        """Build an article whose id is derived from its body."""
        return cls(article_id=make_article_id(body), title=title, body=body, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Place:
    """A gazetteer entry a mention resolved to.

    ``place_id`` is ``"gn:<geonameid>"`` for GeoNames places and ``"sup:<slug>"``
    for rows of the curated supplement (regions, valleys, ...) and
    ``"air:<OurAirports ident>"`` (the ICAO code where there is one) for
    airports and air bases (feature ``facility``).
    """

    place_id: str
    name: str
    lat: float
    lon: float
    feature: str
    country_code: str = ""
    admin1: str = ""
    population: int = 0
    geonameid: int | None = None


class PlaceRow(TypedDict):
    """A place as the store's rows and the dashboard's tables carry it.

    ``place`` is the gazetteer's name for it (the surface a text used is kept
    apart, as ``surface``); every value is None for an unresolved mention.
    """

    place_id: str | None
    geonameid: int | None
    place: str | None
    lat: float | None
    lon: float | None
    feature: str | None
    country_code: str | None
    admin1: str | None


def place_row(place: Place | None) -> PlaceRow:
    """The ``PlaceRow`` of a place (all None when there is none)."""
    if place is None:
        return PlaceRow(place_id=None, geonameid=None, place=None, lat=None, lon=None, feature=None,
                        country_code=None, admin1=None)
    return PlaceRow(place_id=place.place_id, geonameid=place.geonameid, place=place.name, lat=place.lat,
                    lon=place.lon, feature=place.feature, country_code=place.country_code, admin1=place.admin1)


def place_from_row(row: Mapping[str, Any]) -> Place:
    """The ``Place`` a ``PlaceRow`` (or a row with its keys and an optional ``population``) stands for."""
    return Place(
        place_id=str(row["place_id"]), name=str(row["place"]), lat=float(row["lat"]), lon=float(row["lon"]),
        feature=str(row.get("feature") or ""), country_code=str(row.get("country_code") or ""),
        admin1=str(row.get("admin1") or ""), population=int(row.get("population") or 0),
        geonameid=row.get("geonameid"),
    )


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: ``text[start:end] == surface``.

    ``place`` is None when the name was recognised but could not be resolved.
    ``metonymic`` marks uses like "Moscow denied": a mention, never an event locus.
    """

    start: int
    end: int
    surface: str
    place: Place | None
    score: float = 0.0
    resolved_by: str = "auto"
    metonymic: bool = False


@dataclass(frozen=True)
class Event:
    """Something that happened at a place on a date, traced to its sentence.

    ``time_precision``: 1 day known, 2 within a few days or a week, 3 month only.
    ``geo_precision``: 1 the town itself, 2 near a town / part of a region,
    3 only a province, region or country (its centroid).
    Fatalities are None when the text gives none.
    """

    event_id: str
    article_id: str
    mention: Mention
    event_date: date
    time_precision: int
    date_phrase: str
    geo_precision: int
    event_type: str
    sub_event_type: str
    excerpt: str
    excerpt_start: int
    excerpt_end: int
    actors: tuple[str, ...] = ()
    fatalities_best: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None


@dataclass(frozen=True)
class ItemError:
    """One input item that could not be used, and why. Nothing else is lost."""

    origin: str
    reason: str


@dataclass
class IngestSummary:
    """Counts reported at the end of an ingest."""

    new: int = 0
    duplicate: int = 0
    failed: int = 0
    mentions: int = 0
    events: int = 0
    errors: list[ItemError] = field(default_factory=list)


@dataclass(frozen=True)
class EventFilter:
    """What the dashboard and the export ask the store for. Hashable: a cache key.

    Empty tuples and None mean "no restriction". ``text`` searches title and
    excerpt (case-insensitive substring). ``max_geo_precision`` 3 keeps all.
    """

    date_from: date | None = None
    date_to: date | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    text: str = ""
    min_fatalities: int = 0
    max_geo_precision: int = 3
    max_time_precision: int = 3


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    dlat = radians(lat2 - lat1)
    dlon = radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371.0088 * asin(min(1.0, sqrt(a)))


def normalise_surface(surface: str) -> str:
    """The key a correction is stored under: case-folded, white space collapsed."""
    return _fold_text(surface)
