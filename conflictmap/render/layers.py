"""Event and reference records packed for the map: escaped tables, compact rows, JSON text.

Pure (no folium, no streamlit): ``maps`` turns a :class:`LayerData` into Folium
layers, ``ui`` caches it. Every string from an article is escaped here with
``conflictmap.render.html`` before it is packed; the browser only concatenates.
Also the map's first view (:func:`initial_bounds`) and the size of the density
cells drawn instead of points for large sets (:func:`fit_density_cells`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from conflictmap.model import EVENT_TYPES, EventFilter
from conflictmap.render.html import GEO_PRECISION, date_label, escape_text, excerpt_html, fatalities_label, link_html

#: One colour per ACLED event type (Okabe-Ito, readable with colour blindness).
TYPE_COLORS: dict[str, str] = {
    "Battles": "#d55e00",
    "Explosions/Remote violence": "#e69f00",
    "Violence against civilians": "#cc79a7",
    "Protests": "#0072b2",
    "Riots": "#56b4e9",
    "Strategic developments": "#009e73",
}
OTHER_COLOR = "#7f7f7f"
#: Density circles (too many events to draw as points), not tied to any event type.
DENSITY_COLOR = "#b5432a"
#: The UCDP reference layer's own colour, distinct from every event type.
REFERENCE_COLOR = "#4b2991"
REFERENCE_CREDIT = "UCDP GED 19.1 (CC BY 4.0)"

#: At most this many density cells; the cell size doubles until they fit.
MAP_MAX_CELLS = 2_500
#: The first density cell size tried and the largest one, in degrees.
FIRST_CELL_DEGREES, LARGEST_CELL_DEGREES = 0.25, 16.0
#: The first view when there is nothing to frame: [[south, west], [north, east]].
WORLD_BOUNDS = ((-50.0, -150.0), (70.0, 150.0))

#: Marker in a tooltip's hidden text that carries the event id back to Streamlit.
EVENT_ID_TAG = "|ev:"
_EVENT_ID_RE = re.compile(r"\|ev:([0-9A-Za-z_-]+)")


def type_color(event_type: str) -> str:
    """Return the marker colour of an event type (grey for unknown types)."""
    return TYPE_COLORS.get(event_type, OTHER_COLOR)


def event_id_from_tooltip(tooltip: object) -> str | None:
    """Recover the event id a marker's tooltip carries (see :data:`EVENT_ID_TAG`).

    streamlit-folium returns the tooltip's text content on a click; the id sits
    in a hidden span. The last tag wins, so text before it cannot spoof it.
    """
    if not isinstance(tooltip, str):
        return None
    found = _EVENT_ID_RE.findall(tooltip)
    return found[-1] if found else None


#: Key of the period the map's own sliders hand to the server, in the map component's value.
MAP_PERIOD_VALUE = "cm_period"


def period_from_map_value(value: object) -> tuple[int, date, date] | None:
    """The period the map's sliders were let go at, as (when, first day, last day), or None.

    ``value`` is the map component's value (streamlit-folium's dict, with
    :data:`MAP_PERIOD_VALUE` added by ``map_scripts.PERIOD_CONTROL``); ``when``
    (the browser's milliseconds) tells one release from the next. Anything
    malformed is None: the value comes from the page and is checked like input.
    """
    if not isinstance(value, Mapping):
        return None
    picked = value.get(MAP_PERIOD_VALUE)
    if not isinstance(picked, Mapping):
        return None
    when, lo, hi = picked.get("at"), picked.get("from"), picked.get("to")
    if isinstance(when, bool) or not isinstance(when, (int, float)):
        return None
    if not isinstance(lo, str) or not isinstance(hi, str):
        return None
    try:
        first, last = date.fromisoformat(lo[:10]), date.fromisoformat(hi[:10])
    except ValueError:
        return None
    return (int(when), first, last) if first <= last else None


def js_json(value: object) -> str:
    """JSON for embedding in a script: no ``<``, ``>``, ``&`` or line separators survive."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


#: The first day :func:`day_number` counts from (the browser's ``Date`` epoch).
_EPOCH = date(1970, 1, 1)


def day_number(day: object) -> int | None:
    """Days since 1970-01-01 of a date (None when it is not one): how the browser compares dates."""
    return (day - _EPOCH).days if isinstance(day, date) else None


# What the browser filters in place, and what selects the rows it is sent. A layer holds the
# rows of a *sent* filter; a later filter it covers (same rows selected, a narrower view) is
# applied in the browser to those rows, with no new query and no new layer.
def sent_filter(flt: EventFilter) -> EventFilter:
    """The widest filter whose rows can answer ``flt`` in the browser: its dates, any type or precision."""
    return replace(flt, event_types=(), min_fatalities=0, max_geo_precision=3, max_time_precision=3)


def reference_filter(flt: EventFilter) -> EventFilter:
    """The part of ``flt`` the reference layer follows (``Store.query_reference``): dates, countries, deaths."""
    return EventFilter(date_from=flt.date_from, date_to=flt.date_to, countries=flt.countries,
                       min_fatalities=flt.min_fatalities)


def covers(sent: EventFilter, flt: EventFilter) -> bool:
    """True when every event ``flt`` keeps is among the rows ``sent`` selected.

    Actors, countries, first-level units and text select rows and must match; the period
    must lie inside the sent one; types, precisions and the death minimum may only narrow.
    """
    if (sent.actors, sent.countries, sent.admin1, sent.text.strip()) != \
            (flt.actors, flt.countries, flt.admin1, flt.text.strip()):
        return False
    if sent.date_from and not (flt.date_from and flt.date_from >= sent.date_from):
        return False
    if sent.date_to and not (flt.date_to and flt.date_to <= sent.date_to):
        return False
    if sent.event_types and not (flt.event_types and set(flt.event_types) <= set(sent.event_types)):
        return False
    return (flt.min_fatalities >= sent.min_fatalities and flt.max_geo_precision <= sent.max_geo_precision
            and flt.max_time_precision <= sent.max_time_precision)


def view_filter(flt: EventFilter, type_keys: Sequence[str] = ()) -> dict[str, Any]:
    """What the browser keeps of a layer's rows (``keys``) to show ``flt``, as the store would.

    ``day``: first and last day number (None: open); ``type``: indexes into
    ``type_keys`` (None: all types); ``geo``/``time``: the largest precision code
    kept (None: all, unknown included); ``deaths``: the least best estimate (None: any).
    A key a layer lacks (the reference layer has no types) is not filtered on.
    """
    index = {name: i for i, name in enumerate(type_keys)}
    return {
        "day": [day_number(flt.date_from), day_number(flt.date_to)],
        "type": sorted(index[t] for t in flt.event_types if t in index) if flt.event_types else None,
        "geo": flt.max_geo_precision if flt.max_geo_precision < 3 else None,
        "time": flt.max_time_precision if flt.max_time_precision < 3 else None,
        "deaths": flt.min_fatalities if flt.min_fatalities > 0 else None,
    }


class _Interned:
    """Give each distinct string an index so a repeated title is sent once."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def __call__(self, value: Any) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


def event_rows(events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Turn event records into the compact, escaped tables the browser reads.

    Parameters
    ----------
    events : iterable of mapping
        Rows shaped like ``Store.query_events`` results.

    Returns
    -------
    dict
        ``rows``: one list per event ``[lat, lon, type, id, date, place, fatalities,
        excerpt, article, geo]`` whose text fields are indexes into ``places``,
        ``articles`` (``[title, link]``) and ``labels``, or escaped HTML.
        ``keys``: what the browser filters the rows on, one column per field
        (:data:`VIEW_KEYS`) in row order; ``type`` indexes ``type_keys``, the
        stored type names (the colour table ``types`` folds unknown ones into "Other").
    """
    types = _Interned()
    for name in (*EVENT_TYPES, "Other"):
        types(name)
    places, articles, labels = _Interned(), _Interned(), _Interned()
    # Titles, places and labels repeat across events: escape each distinct one once.
    article_of: dict[tuple[Any, Any], int] = {}
    place_of: dict[Any, int] = {}
    label_of: dict[tuple[Any, ...], int] = {}

    def label(kind: str, *key: Any) -> int:
        if (kind, *key) not in label_of:
            if kind == "date":
                text = date_label(*key)
            elif kind == "deaths":
                text = escape_text(fatalities_label(*key))
            else:
                text = escape_text(GEO_PRECISION.get(key[0] or 0, "unknown"))
            label_of[(kind, *key)] = labels(text)
        return label_of[(kind, *key)]

    rows: list[list[Any]] = []
    keys: dict[str, list[Any]] = {"day": [], "type": [], "geo": [], "time": [], "deaths": []}
    raw_types: dict[str, int] = {}
    for ev in events:
        lat, lon = ev.get("lat"), ev.get("lon")
        if lat is None or lon is None:
            continue
        raw = ev.get("event_type")
        if raw and raw not in raw_types:
            raw_types[raw] = len(raw_types)
        keys["day"].append(day_number(ev.get("event_date")))
        keys["type"].append(raw_types[raw] if raw else None)
        keys["geo"].append(ev.get("geo_precision"))
        keys["time"].append(ev.get("time_precision"))
        keys["deaths"].append(ev.get("fatalities_best") or 0)
        etype = raw or "Other"
        akey = (ev.get("title"), ev.get("url"))
        if akey not in article_of:
            article_of[akey] = articles((escape_text(akey[0] or "(untitled)"), link_html(akey[1])))
        pkey = ev.get("place")
        if pkey not in place_of:
            place_of[pkey] = places(escape_text(pkey or "unknown place"))
        rows.append(
            [
                round(float(lat), 5),
                round(float(lon), 5),
                types.index.get(etype, types.index["Other"]),
                escape_text(ev.get("event_id", "")),
                label("date", ev.get("event_date"), ev.get("time_precision"), ev.get("date_phrase") or ""),
                place_of[pkey],
                label("deaths", ev.get("fatalities_best"), ev.get("fatalities_low"), ev.get("fatalities_high")),
                excerpt_html(ev.get("excerpt") or "", ev.get("place_start"), ev.get("place_end")),
                article_of[akey],
                label("geo", ev.get("geo_precision")),
            ]
        )
    type_names = [escape_text(t) for t in types.values]
    return {
        "rows": rows,
        "keys": keys,
        "type_keys": list(raw_types),
        "types": type_names,
        "colors": [type_color(t) for t in types.values],
        "places": places.values,
        "articles": [list(a) for a in articles.values],
        "labels": labels.values,
    }


_UCDP_WHERE_PREC = {
    1: "exact location",
    2: "within 25 km",
    3: "second-order admin area",
    4: "first-order admin area",
    5: "larger area or between places",
    6: "country",
    7: "over water or airspace",
}
_UCDP_DATE_PREC = {1: "exact day", 2: "a span of 2-6 days", 3: "within a week", 4: "within a month", 5: "within a year"}


def reference_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Turn UCDP reference rows (``Store.query_reference``) into escaped browser tables.

    Each row becomes ``[lat, lon, source, date, where, deaths, headline, precision]``
    with text fields as indexes into ``labels``; ``keys`` holds the day and the
    best death count of each row, which the browser filters on.
    """
    labels = _Interned()
    out: list[list[Any]] = []
    keys: dict[str, list[Any]] = {"day": [], "deaths": []}
    for ref in rows:
        lat, lon = ref.get("lat"), ref.get("lon")
        if lat is None or lon is None:
            continue
        day = ref.get("event_date")
        keys["day"].append(day_number(day))
        keys["deaths"].append(_as_int(ref.get("deaths_best")))
        day_text = day.isoformat() if isinstance(day, date) else str(day or "?")
        date_prec = _UCDP_DATE_PREC.get(_as_int(ref.get("date_prec")), "date precision unknown")
        where_prec = _UCDP_WHERE_PREC.get(_as_int(ref.get("where_prec")), "location precision unknown")
        sides = " vs ".join(s for s in (ref.get("side_a"), ref.get("side_b")) if s)
        deaths = fatalities_label(ref.get("deaths_best"), ref.get("deaths_low"), ref.get("deaths_high"))
        out.append(
            [
                round(float(lat), 5),
                round(float(lon), 5),
                labels(escape_text(ref.get("source") or "UCDP GED")),
                labels(escape_text(f"{day_text} ({date_prec})")),
                labels(escape_text(ref.get("where") or "unknown place")),
                labels(escape_text(deaths)),
                labels(escape_text(ref.get("headline") or "")),
                labels(escape_text(f"{sides}; location: {where_prec}" if sides else f"location: {where_prec}")),
            ]
        )
    return {"rows": out, "keys": keys, "labels": labels.values, "color": REFERENCE_COLOR,
            "credit": escape_text(REFERENCE_CREDIT)}


def _as_int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class LayerData:
    """A data layer ready for the browser: escaped tables, rows and filter keys as JSON text.

    Plain strings, cheap to cache and to copy out of ``st.cache_data``; built by
    :func:`event_layer_data` / :func:`reference_layer_data`. ``type_keys`` are
    the stored event-type names the ``type`` key column indexes (for :func:`view_filter`).
    """

    tables: str
    rows: str
    count: int
    bounds: list[list[float]] | None = None
    keys: str = "{}"
    type_keys: tuple[str, ...] = ()

    def payload(self) -> str:
        """The whole layer as one JSON object ``{"tables", "rows", "keys"}``, as the browser loads it."""
        return f'{{"tables":{self.tables},"rows":{self.rows},"keys":{self.keys}}}'


def event_layer_data(events: Iterable[Mapping[str, Any]]) -> LayerData:
    """Escape and pack event records (``Store.query_events`` rows) for :func:`build_event_layer`."""
    events = list(events)
    tables = event_rows(events)
    rows = tables.pop("rows")
    keys = tables.pop("keys")
    type_keys = tuple(tables.pop("type_keys"))
    return LayerData(js_json(tables), js_json(rows), len(rows), events_bounds(events), js_json(keys), type_keys)


def reference_layer_data(records: Iterable[Mapping[str, Any]]) -> LayerData:
    """Escape and pack reference rows (``Store.query_reference``) for :func:`build_reference_layer`."""
    records = list(records)
    tables = reference_rows(records)
    rows = tables.pop("rows")
    keys = tables.pop("keys")
    return LayerData(js_json(tables), js_json(rows), len(rows), events_bounds(records), js_json(keys))


def events_bounds(records: Iterable[Mapping[str, Any]]) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` around the records, or None if empty."""
    lats: list[float] = []
    lons: list[float] = []
    for rec in records:
        if rec.get("lat") is not None and rec.get("lon") is not None:
            lats.append(float(rec["lat"]))
            lons.append(float(rec["lon"]))
    if not lats:
        return None
    pad = 0.5
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]


def cells_bounds(cells: Iterable[Mapping[str, Any]]) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` around density cells (unpadded), or None if empty."""
    cells = list(cells)
    if not cells:
        return None
    lats = [c["lat"] for c in cells]
    lons = [c["lon"] for c in cells]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def initial_bounds(
    points: list[list[float]] | None, cells: Sequence[Mapping[str, Any]] | None = None
) -> list[list[float]]:
    """The map's first view: around the points, else around the density cells, else the world.

    Parameters
    ----------
    points : [[south, west], [north, east]] or None
        ``LayerData.bounds`` of the point layer, when the events are drawn as points.
    cells : sequence of mapping, optional
        ``Store.grid_counts`` rows, when the events are drawn as density cells.

    Returns
    -------
    list
        ``[[south, west], [north, east]]``.
    """
    bounds = points
    if bounds is None and cells:
        bounds = cells_bounds(cells)
    return bounds or [list(corner) for corner in WORLD_BOUNDS]


def fit_density_cells(
    grid_counts: Callable[[float], list[dict[str, Any]]], max_cells: int = MAP_MAX_CELLS
) -> tuple[float, list[dict[str, Any]]]:
    """The finest density grid with at most ``max_cells`` cells (doubling the cell size up to 16 degrees).

    Parameters
    ----------
    grid_counts : callable
        ``grid_counts(cell_degrees)`` returns the grid's non-empty cells
        (``Store.grid_counts`` for one filter).
    max_cells : int
        Cells the map may draw; past ``LARGEST_CELL_DEGREES`` it takes what it gets.

    Returns
    -------
    (float, list of dict)
        The cell size in degrees and the cells.
    """
    cell = FIRST_CELL_DEGREES
    cells = grid_counts(cell)
    while len(cells) > max_cells and cell < LARGEST_CELL_DEGREES:
        cell *= 2
        cells = grid_counts(cell)
    return cell, cells
