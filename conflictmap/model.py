"""The data model shared by every layer: articles, places, mentions and events.

Standard library only. Every record is a frozen dataclass so it can be hashed,
cached and passed between the pipeline and the dashboard without surprises.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from math import asin, cos, radians, sin, sqrt
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

#: ACLED's actor types, the digits of an interaction code.
ACTOR_TYPES = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}


def interaction_code(type1: int | None, type2: int | None) -> int | None:
    """ACLED's interaction code of two actor types: lower digit first, 0 for a side alone.

    >>> interaction_code(7, 1), interaction_code(6, None), interaction_code(None, None)
    (17, 60, None)
    """
    types = sorted(t for t in (type1, type2) if t)
    if not types:
        return None
    return types[0] * 10 + (types[1] if len(types) > 1 else 0)


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
    def create(cls, title: str, body: str, **kwargs: object) -> Article:
        """Build an article whose id is derived from its body."""
        return cls(article_id=make_article_id(body), title=title, body=body, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
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
    Fatalities are None when the text gives none or calls them unknown; 0 when
    it says nobody died.

    ``actor1`` is the side that acted, ``actor2`` the side acted upon (ACLED's
    roles; "" when the text names none). ``interaction`` is ACLED's two-digit
    code from the two sides' ``ACTOR_TYPES`` (lower digit first, 0 for a side
    alone: 17 state forces against civilians, 60 protesters on their own).
    ``civilian_targeting`` marks violence aimed at civilians. ``cue`` is the
    phrase that made the sentence an event and ``deaths_phrase`` the one its
    death toll was read from, so a reader can judge both.
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
    actor1: str = ""
    actor2: str = ""
    interaction: int | None = None
    civilian_targeting: bool = False
    cue: str = ""
    deaths_phrase: str = ""


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
    ``admin1`` keeps events whose place lies in one of these first-level units
    (by name, as the gazetteer gives it; pair it with ``countries`` where a name
    is used in more than one country).
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
    admin1: tuple[str, ...] = ()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    dlat = radians(lat2 - lat1)
    dlon = radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371.0088 * asin(min(1.0, sqrt(a)))


def normalise_surface(surface: str) -> str:
    """The key a correction is stored under: case-folded, white space collapsed."""
    return _fold_text(surface)


@dataclass(frozen=True)
class IncidentPoint:
    """One report of an incident as the merge test sees it: its type, its point and its days.

    ``first_day`` .. ``last_day`` (inclusive) are the days its date stands for. The
    extractor widens a date known only to the week or the month to that span
    (``events.merge.same_incident``); the store passes a stored event's own day
    as a one-day span (``store.writes``).
    """

    event_type: str
    lat: float
    lon: float
    first_day: date
    last_day: date


def days_within(a: tuple[date, date], b: tuple[date, date], days: int) -> bool:
    """Whether two spans of days (first, last; inclusive) are at most ``days`` apart; overlapping spans are 0 apart."""
    return a[0].toordinal() - days <= b[1].toordinal() and b[0].toordinal() - days <= a[1].toordinal()


def one_incident(a: IncidentPoint, b: IncidentPoint, *, km: float = MERGE_KM, days: int = MERGE_DAYS) -> bool:
    """Whether two reports tell one incident: the same event type, within ``km`` and ``days``.

    The one test behind merging across reports; ``events.merge.same_incident``
    applies it to extracted events and the store to an event and the stored
    events its SQL search found.

    Parameters
    ----------
    a, b : IncidentPoint
        The two reports.
    km : float
        Largest great-circle distance between their points.
    days : int
        Largest gap between their day spans.

    Returns
    -------
    bool
        True when all three agree.
    """
    return (a.event_type == b.event_type
            and haversine_km(a.lat, a.lon, b.lat, b.lon) <= km
            and days_within((a.first_day, a.last_day), (b.first_day, b.last_day), days))


# ------------------------------------------------------------------ rows the store returns
# Plain dicts with a fixed shape, so the UI, the export and the renderers can name
# what they read without importing the store.


class EventColumns(PlaceRow):
    """The ``events`` columns every event row carries, written or read (the place under ``PlaceRow``'s keys).

    ``actors`` is not here: the store writes it as JSON text and reads it back as a list.
    """

    event_id: str
    article_id: str
    mention_start: int
    mention_end: int
    surface: str
    event_date: date
    time_precision: int
    date_phrase: str
    geo_precision: int
    event_type: str
    sub_event_type: str
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    actor1: str
    actor2: str
    interaction: int | None
    civilian_targeting: bool
    cue: str
    deaths_phrase: str
    excerpt: str
    excerpt_start: int
    excerpt_end: int
    place_start: int
    place_end: int
    sources: int


class EventRow(EventColumns):
    """An event as ``Store.query_events``, ``get_event`` and ``article_events`` return it.

    The ``events`` columns, ``actors`` as a list, and the source article's
    ``title``, ``url`` and ``published``. ``excerpt[place_start:place_end]`` is
    the place's name in the excerpt (both 0 when the place was named in an
    earlier sentence).
    """

    actors: list[str]
    title: str
    url: str
    published: date | None


class MapEventRow(TypedDict):
    """What a map marker and its popup need of an event (``Store.map_events``)."""

    event_id: str
    lat: float
    lon: float
    event_type: str
    event_date: date
    time_precision: int
    date_phrase: str
    place: str | None
    geo_precision: int
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    excerpt: str
    place_start: int
    place_end: int
    sources: int
    title: str
    url: str


class MentionRow(PlaceRow):
    """A stored mention (``Store.article_mentions``): ``body[start:end] == surface``."""

    article_id: str
    start: int
    end: int
    surface: str
    score: float
    resolved_by: str
    metonymic: bool


class ArticleRow(TypedDict):
    """A stored article with every column (``Store.get_article``); ``warnings`` as a list."""

    article_id: str
    url: str
    publisher: str
    agency: str
    title: str
    published: date | None
    dateline: str
    body: str
    origin: str
    warnings: list[str]
    ingested_at: datetime


class ArticleListRow(TypedDict):
    """One line of ``Store.list_articles``: an article with its event and mention counts."""

    article_id: str
    title: str
    published: date | None
    url: str
    agency: str
    dateline: str
    origin: str
    events: int
    mentions: int


class SourceRow(TypedDict):
    """An article that reported an event, with the sentence it used (``Store.event_sources``)."""

    article_id: str
    title: str
    url: str
    published: date | None
    excerpt: str


class PlaceCountRow(TypedDict):
    """A resolved place with its counts and the surfaces that named it (``Store.places``).

    The place under ``PlaceRow``'s keys (``place`` is its name), without
    ``geonameid`` and ``admin1``; ``place_from_row`` reads it.
    """

    place_id: str
    place: str
    lat: float
    lon: float
    feature: str | None
    country_code: str | None
    mentions: int
    corrected: bool
    surfaces: list[str]
    events: int


class CorrectionRow(PlaceRow):
    """A stored correction (``Store.corrections``): ``surface`` (in one article, or all) -> the place."""

    id: int
    surface: str
    surface_key: str
    article_id: str | None
    created_at: datetime
    made_by: str | None


class ReferenceRow(TypedDict):
    """A reference event (UCDP GED, ACLED) as ``Store.query_reference`` returns it."""

    ref_id: str
    source: str
    event_date: date
    date_end: date | None
    lat: float
    lon: float
    where: str
    admin1: str
    country_code: str
    side_a: str
    side_b: str
    deaths_best: int | None
    deaths_low: int | None
    deaths_high: int | None
    headline: str
    where_prec: int | None
    date_prec: int | None


class Facets(TypedDict):
    """The values the dashboard's filters offer, and overall counts (``Store.facets``)."""

    date_min: date | None
    date_max: date | None
    event_types: list[str]
    actors: list[str]
    countries: list[str]
    admin1: list[str]
    events: int
    articles: int


class EventSummary(TypedDict):
    """Events, reports, places and best-estimate fatalities in a filtered set (``Store.summary``)."""

    events: int
    reports: int
    places: int
    fatalities: int


class DayCount(TypedDict):
    """Events of one type on one day (``Store.counts_by_day``)."""

    day: date
    event_type: str
    events: int


class CountryCount(TypedDict):
    """Events and fatalities in one country, ``""`` when unknown (``Store.counts_by_country``)."""

    country_code: str
    events: int
    fatalities: int


class GridCell(TypedDict):
    """A non-empty grid cell: the mean position of its events and their counts (``Store.grid_counts``)."""

    lat: float
    lon: float
    events: int
    fatalities: int
