"""Gazetteer records: a place with every name it goes by, and plain rows turned into them.

``PlaceRecord`` is what the builders (``geo.build``) and the fixture loader hand
to ``Gazetteer``; a row is the plain-dict form of one (a fixture slice, a line
of the curated supplement). Standard library and the model only.
"""
from __future__ import annotations

from dataclasses import dataclass

from conflictmap.model import Place


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One gazetteer entry before indexing: a place and every name it goes by."""

    place: Place
    names: tuple[str, ...]


def record_from_row(row: dict[str, object]) -> PlaceRecord:
    """Turn one plain-dict row into a record.

    Parameters
    ----------
    row : dict[str, object]
        ``place_id``, ``name``, ``lat``, ``lon``, ``feature`` and optionally
        ``country_code``, ``admin1``, ``population``, ``geonameid`` and
        ``names`` (a list of other names).

    Returns
    -------
    PlaceRecord
        The place, with its main name first among its names.
    """
    names = [str(row["name"])] + [str(n) for n in row.get("names", []) or []]  # type: ignore[union-attr]
    gid = row.get("geonameid")
    place = Place(
        place_id=str(row["place_id"]),
        name=str(row["name"]),
        lat=float(row["lat"]),  # type: ignore[arg-type]
        lon=float(row["lon"]),  # type: ignore[arg-type]
        feature=str(row["feature"]),
        country_code=str(row.get("country_code", "") or ""),
        admin1=str(row.get("admin1", "") or ""),
        population=int(row.get("population", 0) or 0),  # type: ignore[arg-type]
        geonameid=int(gid) if gid not in (None, "") else None,  # type: ignore[arg-type]
    )
    return PlaceRecord(place, tuple(names))


def astuple_place(place: Place) -> tuple[object, ...]:
    """The fields of ``place`` in constructor order (how the index stores a place)."""
    return (place.place_id, place.name, place.lat, place.lon, place.feature,
            place.country_code, place.admin1, place.population, place.geonameid)
