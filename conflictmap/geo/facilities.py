"""Airports and air bases at run time: the words that cue them and the one indexed form of their names.

The gazetteer holds airfields as places of kind ``FACILITY`` (built from
OurAirports by ``geo.build.airports``) under "<name> Airport" forms; the
recogniser and the candidate look-ups use this module to see airport words
after a name ("the Shayrat air base", "Baghdad's airport", "London airports")
and to turn a name into that form. Standard library only.
"""
from __future__ import annotations

import re

#: The feature kind of airports and air bases.
FACILITY = "facility"

#: Airport words at the end of an airfield's name ("International Airport", "Air Base").
_SUFFIX = re.compile(
    r"(?:\s+(?:international|intl\.?|regional|municipal|national|domestic|military|army|naval|civil|joint|main))*"
    r"\s+(?:airport|air\s?base|air\s?field|airfield|airstrip|aerodrome|air\s?station|airpark|heliport)$",
    re.IGNORECASE,
)
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


def has_airport_words(name: str) -> bool:
    """Whether ``name`` ends in airport words ("Shayrat Air Base", "Kiev Heliport")."""
    return _SUFFIX.search(name) is not None


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
