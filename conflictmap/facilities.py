"""Airports and air bases: facility places for the gazetteer, and the words that cue them.

Conflict reporting names airfields all the time ("US missiles hit the Shayrat air
base", "rockets struck Baghdad's airport", "fighting at Donetsk airport"), and
a strike on an air base is not a strike on the town it is named after, nor on
the middle of its province. GeoNames' populated places do not hold airfields;
the ``airportsdata`` package (MIT licence) does: about 28,000 airports and
landing strips with their ICAO code, name, city, country and coordinates, read
once when the gazetteer index is built.

Which airports. Every airport outside the United States, every US airport with
an IATA code (scheduled service) and every US military field; the 12,000 US
private strips ("Aero B Ranch Airport") are left out, as they are seldom news
and would only add namesakes.

Names. Each airport is indexed under its own name ("Shayrat Air Base",
"Damascus International Airport") and under its core with "Airport"
("Shayrat Airport", "Heathrow Airport"), the core being the name without its
airport words and without its city's name in front ("London Heathrow" ->
"Heathrow"); an airport with scheduled service (an IATA code) also under its
city's name ("Aberdeen Airport" for Aberdeen Dyce). Every look-up cued by the text goes through that one form:
"Shayrat airbase", "Mezze military airport" and "Baghdad's airport" all look up
"<name> Airport". A bare core is never a name of its own: many airports bear a
person's name ("Rafic Hariri", "Ben Gurion"), and a person in a story is no
airport. A core made of common English words only ("Memorial", "Hope") is
left out too: "Hope airport" in a sentence is seldom a place.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from conflictmap.gazetteer import PlaceRecord
from conflictmap.model import Place

#: The feature kind of airports and air bases.
FACILITY = "facility"

#: Airport words at the end of an airport's name ("International Airport", "Air Base").
_SUFFIX = re.compile(
    r"(?:\s+(?:international|intl\.?|regional|municipal|national|domestic|military|army|naval|civil|joint|main))*"
    r"\s+(?:airport|air\s?base|air\s?field|airfield|airstrip|aerodrome|air\s?station|airpark)$",
    re.IGNORECASE,
)
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
        "Heathrow"; the whole name when it has no airport words; "" when
        nothing is left ("Airport").
    """
    core = _SUFFIX.sub("", name.strip()).strip()
    if city and core.lower().startswith(city.lower() + " ") and len(core) > len(city) + 2:
        core = core[len(city):].strip()
    return core


def facility_records(path: Path, common_words: Iterable[str] = ()) -> list[PlaceRecord]:
    """Airport places from ``airportsdata``'s ``airports.csv`` (see the module docstring).

    Parameters
    ----------
    path : Path
        The package's ``airports.csv``.
    common_words : Iterable[str]
        Lower-case common English words: a core made of them only is not indexed.

    Returns
    -------
    list[PlaceRecord]
        One record per airport, ``place_id`` ``"air:<ICAO code>"``.
    """
    common = frozenset(common_words)
    out: list[PlaceRecord] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name, cc = (row.get("name") or "").strip(), (row.get("country") or "").strip().upper()
            if not name or not row.get("icao") or not _SUFFIX.search(name):
                continue
            if cc == "US" and not row.get("iata") and not _MILITARY.search(name):
                continue
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                continue
            city = (row.get("city") or "").strip()
            names = [name]
            cores = [airport_core(name), airport_core(name, city)]
            if row.get("iata") and city:
                # "Aberdeen airport" is the airport the city is served by ("Aberdeen Dyce Airport").
                cores.append(city)
            for core in cores:
                key = facility_key(core)
                if core and key not in names and not all(w in common for w in core.lower().split()):
                    names.append(key)
            place = Place(place_id=f"air:{row['icao']}", name=name, lat=round(lat, 5), lon=round(lon, 5),
                          feature=FACILITY, country_code=cc)
            out.append(PlaceRecord(place, tuple(names)))
    return out
