"""Gazetteer sources: the layer files the index reads, and the converters that write them.

A *layer file* is one gzipped, tab-separated table of places, header first, UTF-8:

    wof_id geonameid kind name lat lon cc region region_gid county population names [admin1_code]

``kind`` is ConflictMap's feature (``city``, ``admin2`` or ``admin1``); ``region`` and
``county`` the names of the place's first- and second-level units, ``region_gid`` the
GeoNames id of its first-level unit (blank where unknown); ``population`` is blank when
unknown; ``names`` are the place's other Latin-script spellings, ``|``-joined. The last
column, ``admin1_code``, is optional (a reader goes by the header): files converted from
GeoNames dumps carry it, because a dump such as ``cities1000`` holds no admin1 rows, so
the only tie between a town and its province is the GeoNames admin1 code.

Two kinds of layer files exist. The committed ones (``data/gazetteer/wof/<CC>.tsv.gz``)
are derived from Who's On First extracts by ``data/gazetteer/build_wof_layer.py``, a thin
wrapper over :func:`build_wof_layer`. The added ones (``Settings.added_gazetteer_dir``,
``<name>.tsv.gz``) are written by ``conflictmap gazetteer add`` (:func:`add_source`) from
GeoNames dumps (the 19-column ``geoname`` table: ``XX.txt``, ``XX.zip``, ``allCountries.zip``,
``cities1000.zip``...) or from files in the Who's On First extract format; they are the
persistence of what a user added: the index cache can be deleted and rebuilt from them.

What a GeoNames dump contributes: populated places (feature class ``P``) except the
historical, abandoned and destroyed ones (``PPLH``, ``PPLQ``, ``PPLW``, ``PPLCH``), as
``city``; first- and second-order admin units (``ADM1``, ``ADM2``) as ``admin1`` and
``admin2``. Everything else (countries, ADM3 and lower, natural features, buildings,
roads...) is left out: the index has countries already, and the rest would mostly add
namesakes. Files are streamed (``allCountries`` is 12 million lines): each input is read
twice, once for its admin units (so a town gets its province's name and id) and once to
write the rows. Data: Who's On First (CC0) and GeoNames (CC BY 4.0).
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import io
import os
import re
import unicodedata
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from conflictmap.config import ROOT, Settings

#: The layer columns every layer file has, in this order.
LAYER_COLUMNS = ("wof_id", "geonameid", "kind", "name", "lat", "lon", "cc", "region", "region_gid", "county",
                 "population", "names")
#: The optional trailing column of files converted from GeoNames dumps.
ADMIN1_CODE = "admin1_code"
GEONAMES_COLUMNS = (*LAYER_COLUMNS, ADMIN1_CODE)
#: Where the committed layer lives (read at call time, so tests can point it elsewhere).
COMMITTED_LAYER_DIR = ROOT / "data" / "gazetteer" / "wof"
LAYER_SUFFIX = ".tsv.gz"

#: Who's On First place types kept, and the feature each becomes (campuses come from OurAirports).
WOF_KINDS = {
    "locality": "city", "localadmin": "city", "neighbourhood": "city", "borough": "city",
    "county": "admin2", "region": "admin1", "macroregion": "admin1",
}
WOF_COLUMNS = ("wof_id", "placetype", "name", "lat", "lon", "country", "region_id", "region_name", "county_id",
               "county_name", "localadmin_id", "geonames_id", "population", "is_current", "names")
#: Somaliland's rows (XS) keep Somalia's country code, as GeoNames does.
COUNTRY_ALIASES = {"XS": "SO"}

#: Populated places a report may name; historical, abandoned and destroyed ones are not where things happen now.
GEONAMES_SKIPPED_PLACES = frozenset({"PPLH", "PPLQ", "PPLW", "PPLCH"})
GEONAMES_ADMIN_KINDS = {"ADM1": "admin1", "ADM2": "admin2"}
_GEONAMES_FIELDS = 19
# Codes among a row's alternate names (IATA "DAM", ICAO "OSDI"): no one writes them as a place's name.
_CODE = re.compile(r"[A-Z0-9]{2,4}")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

Box = tuple[float, float, float, float]
Units = Mapping[str, tuple[str, str]]


class SourceError(ValueError):
    """A file that cannot become a layer file; the message says why (and on which line)."""


@dataclass(frozen=True)
class LayerSource:
    """One layer file the index reads.

    Attributes
    ----------
    name : str
        What ``gazetteer list`` shows and ``gazetteer remove`` takes (the file name without ``.tsv.gz``).
    path : Path
        The layer file.
    committed : bool
        True for the shipped layer (``data/gazetteer/wof``), False for files a user added.
    places : int
        Its number of places (rows).
    """

    name: str
    path: Path
    committed: bool
    places: int


# -- layer files ---------------------------------------------------------------------------------


def count_places(path: Path) -> int:
    """The number of rows of a layer file (lines after the header), without parsing them."""
    lines = 0
    with gzip.open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def read_layer(path: Path) -> Iterator[dict[str, str]]:
    """Stream the rows of a layer file as dicts keyed by its header (``admin1_code`` only where present)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            yield dict(zip(header, line.rstrip("\n").split("\t"), strict=True))


def write_layer(rows: Iterable[Mapping[str, str]], path: Path, columns: tuple[str, ...] = LAYER_COLUMNS) -> int:
    """Write ``rows`` as a layer file at ``path``; returns the number of rows.

    Parameters
    ----------
    rows : iterable of mapping
        One mapping per place with every column of ``columns``; consumed as a stream.
    path : Path
        The ``.tsv.gz`` to write (its folder is created).
    columns : tuple of str
        ``LAYER_COLUMNS``, or ``GEONAMES_COLUMNS`` for files that carry admin1 codes.

    Returns
    -------
    int
        The rows written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    # mtime=0 and no file name: the same input gives the same bytes, so git sees no change on a re-run.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        buffer = io.BufferedWriter(gz, buffer_size=1 << 20)  # type: ignore[arg-type]
        buffer.write(("\t".join(columns) + "\n").encode("utf-8"))
        for row in rows:
            buffer.write(("\t".join(row[c] for c in columns) + "\n").encode("utf-8"))
            count += 1
        buffer.flush()
        buffer.detach()
    return count


def layer_sources(settings: Settings, committed_dir: Path | None = None) -> list[LayerSource]:
    """The committed layer files, then the added ones, each with its place count.

    Parameters
    ----------
    settings : Settings
        ``settings.added_gazetteer_dir`` holds the added files.
    committed_dir : Path, optional
        The committed layer (default: ``COMMITTED_LAYER_DIR``).

    Returns
    -------
    list of LayerSource
        Sorted by name within each group.
    """
    committed = committed_dir or COMMITTED_LAYER_DIR
    out = []
    for folder, is_committed in ((committed, True), (Path(settings.added_gazetteer_dir), False)):
        for path in sorted(folder.glob(f"*{LAYER_SUFFIX}")) if folder.is_dir() else []:
            out.append(LayerSource(path.name[: -len(LAYER_SUFFIX)], path, is_committed, count_places(path)))
    return out


def remove_source(name: str, settings: Settings, committed_dir: Path | None = None) -> LayerSource:
    """Delete the added layer file ``name``.

    Raises
    ------
    SourceError
        When ``name`` is a committed source, or no added source has that name.
    """
    sources = {s.name: s for s in layer_sources(settings, committed_dir)}
    source = sources.get(name)
    added = sorted(n for n, s in sources.items() if not s.committed)
    if source is None or source.committed:
        why = (f"{name} is a committed source ({source.path}), part of the shipped gazetteer; "
               "only added sources can be removed" if source else f"no added source named {name!r}")
        raise SourceError(f"{why} (added: {', '.join(added) or 'none'})")
    source.path.unlink()
    return source


def add_source(path: Path, settings: Settings) -> LayerSource:
    """Convert a GeoNames dump or a Who's On First extract into an added layer file.

    Parameters
    ----------
    path : Path
        ``XX.txt``, a zip holding one such ``.txt`` (``XX.zip``, ``allCountries.zip``,
        ``cities1000.zip``), or a Who's On First extract (``.tsv`` or ``.tsv.gz``). The format is
        read from the content, not the name.
    settings : Settings
        The file goes to ``settings.added_gazetteer_dir / "<name>.tsv.gz"``, where ``name`` is
        ``geonames-<stem>`` or ``wof-<stem>``; an earlier file of that name is replaced.

    Returns
    -------
    LayerSource
        The layer file written.

    Raises
    ------
    SourceError
        The file is missing, unreadable, of neither format, or has a bad line; nothing is written.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError("no such file")
    opener = _opener(path)
    fmt = _sniff(opener)
    name = f"{fmt}-{_SAFE_NAME.sub('_', _stem(path))}"
    target = Path(settings.added_gazetteer_dir) / f"{name}{LAYER_SUFFIX}"
    # Written aside and moved in: a failed or interrupted conversion leaves the old file, never half a file.
    tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
    try:
        if fmt == "geonames":
            count = write_layer(geonames_layer_rows(opener), tmp, GEONAMES_COLUMNS)
        else:
            count = write_layer(wof_layer_rows(opener, wof_units([opener])), tmp)
        tmp.replace(target)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise SourceError(f"cannot convert: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return LayerSource(name, target, False, count)


# -- reading inputs ------------------------------------------------------------------------------

#: Opens the input afresh (each conversion reads it twice) as a binary stream of lines.
Opener = Callable[[], contextlib.AbstractContextManager[BinaryIO]]


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".tsv.gz", ".txt.gz", ".gz", ".zip", ".txt", ".tsv"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return path.stem


def _zip_member(path: Path) -> str:
    """The one table a zip holds: its ``.txt`` (or ``.tsv``) that is not a readme."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith((".txt", ".tsv"))
                 and not Path(n).name.lower().startswith("readme")]
    if not names:
        raise SourceError("the zip holds no .txt file")
    same = [n for n in names if Path(n).stem == path.stem]
    if len(names) > 1 and len(same) != 1:
        raise SourceError(f"the zip holds several .txt files: {', '.join(names[:5])}")
    return same[0] if len(names) > 1 else names[0]


def _opener(path: Path) -> Opener:
    """How to open ``path``: a zip's table, a gzipped file or a plain one."""
    try:
        if zipfile.is_zipfile(path):
            member = _zip_member(path)

            @contextlib.contextmanager
            def open_member() -> Iterator[BinaryIO]:
                with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
                    yield fh  # type: ignore[misc]

            return open_member
        with open(path, "rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
    except (OSError, zipfile.BadZipFile) as exc:
        raise SourceError(f"cannot read: {exc}") from exc
    if gzipped:
        return lambda: gzip.open(path, "rb")  # type: ignore[return-value]
    return lambda: open(path, "rb")


def _lines(opener: Opener) -> Iterator[tuple[int, str, bool]]:
    """``(line number, text without its newline, whether the newline was there)`` of the input.

    A non-UTF-8 byte is an error. A last line without its newline may be whole or a
    download cut short: the format's reader decides (see ``_geonames_fields``).
    """
    with opener() as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SourceError(f"line {number}: not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                                  f"{exc.start + 1})") from None
            terminated = text.endswith("\n")
            yield number, text.rstrip("\r\n") if terminated else text, terminated


def _sniff(opener: Opener) -> str:
    """``geonames`` or ``wof``, from the first line."""
    try:
        first = next(_lines(opener), None)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise SourceError(f"cannot read: {exc}") from exc
    if first is None:
        raise SourceError("the file is empty")
    fields = first[1].split("\t")
    if fields[:2] == ["wof_id", "placetype"]:
        return "wof"
    if len(fields) == _GEONAMES_FIELDS and fields[0].isdigit():
        return "geonames"
    raise SourceError(f"neither a GeoNames dump ({_GEONAMES_FIELDS} tab-separated columns, geonameid first) "
                      f"nor a Who's On First extract (header {' '.join(WOF_COLUMNS[:4])} ...)")


def is_latin(name: str) -> bool:
    """Whether every letter of ``name`` is in the Latin script (digits and punctuation allowed)."""
    if name.isascii():  # most names, and every ASCII letter is Latin: the fast path of a 12-million-line dump
        return any(c.isalpha() for c in name)
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(_is_latin_letter(c) for c in letters)


@functools.cache
def _is_latin_letter(letter: str) -> bool:
    return unicodedata.name(letter, "").startswith("LATIN")


# -- Who's On First extracts ---------------------------------------------------------------------


def _country(cc: str) -> str:
    return COUNTRY_ALIASES.get(cc, cc)


def _wof_rows(opener: Opener) -> Iterator[dict[str, str]]:
    """The current, usable rows of one extract (kept place types, with a point and a name)."""
    lines = _lines(opener)
    header = next(lines, (0, "", True))[1].split("\t")
    missing = [c for c in WOF_COLUMNS if c not in header]
    if missing:
        raise SourceError(f"line 1: the Who's On First header lacks {', '.join(missing)}")
    for number, text, _terminated in lines:
        fields = text.split("\t")
        if len(fields) != len(header):
            raise SourceError(f"line {number}: {len(fields)} columns, the header has {len(header)} (truncated?)")
        r = dict(zip(header, fields, strict=True))
        if r["placetype"] in WOF_KINDS and r["is_current"] != "0" and r["lat"] and r["lon"] and r["name"]:
            yield r


def _point(r: Mapping[str, str]) -> tuple[float, float]:
    try:
        return float(r["lat"]), float(r["lon"])
    except ValueError:
        raise SourceError(f"wof_id {r['wof_id']}: bad point {r['lat']!r}, {r['lon']!r}") from None


def wof_units(openers: Iterable[Opener]) -> dict[str, tuple[str, str]]:
    """The country and GeoNames id of every region and county in the extracts, by WOF id."""
    return {r["wof_id"]: (_country(r["country"]), r["geonames_id"]) for opener in openers
            for r in _wof_rows(opener) if r["placetype"] in ("region", "county", "macroregion")}


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _wof_box(opener: Opener) -> Box | None:
    """The robust box of a country's places, (lat_lo, lat_hi, lon_lo, lon_hi); None without places.

    The 0.5th to 99.5th percentiles widened by 1.5 degrees: the source files some
    villages at (0, 0)-like points and some foreign places under the wrong code.
    """
    lats, lons = array("d"), array("d")
    for r in _wof_rows(opener):
        lat, lon = _point(r)
        lats.append(lat)
        lons.append(lon)
    if not lats:
        return None
    lat_sorted, lon_sorted, pad = sorted(lats), sorted(lons), 1.5
    return (_quantile(lat_sorted, 0.005) - pad, _quantile(lat_sorted, 0.995) + pad,
            _quantile(lon_sorted, 0.005) - pad, _quantile(lon_sorted, 0.995) + pad)


def wof_layer_rows(opener: Opener, units: Units) -> Iterator[dict[str, str]]:
    """The layer rows of one extract (``units``: see :func:`wof_units`), streamed.

    A region or county name is kept only when that unit belongs to the same country in
    ``units`` (the source files a few places under a neighbour's region: Syria's Quneitra
    under Israel's "Northern"); only Latin-script variants are kept, the other scripts
    being most of the bytes and not what English copy writes.
    """
    box = _wof_box(opener)
    if box is None:
        return
    lat_lo, lat_hi, lon_lo, lon_hi = box
    for r in _wof_rows(opener):
        lat, lon = float(r["lat"]), float(r["lon"])
        if not (lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi):
            continue
        cc, placetype = _country(r["country"]), r["placetype"]
        own_region = units.get(r["region_id"], ("", ""))[0] == cc
        is_region = placetype in ("region", "macroregion")
        variants = [n for n in dict.fromkeys(r["names"].split("|")) if n and n != r["name"] and is_latin(n)]
        yield {
            "wof_id": r["wof_id"], "geonameid": r["geonames_id"], "kind": WOF_KINDS[placetype],
            "name": r["name"], "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "cc": cc,
            "region": r["region_name"] if own_region and not is_region else "",
            "region_gid": units[r["region_id"]][1] if own_region and not is_region else "",
            "county": (r["county_name"] if units.get(r["county_id"], ("", ""))[0] == cc
                       and placetype in ("locality", "neighbourhood") else ""),
            "population": r["population"], "names": "|".join(v.replace("\t", " ") for v in variants),
        }


def build_wof_layer(extract_dir: Path, out_dir: Path, report: Callable[[str, int], None] | None = None) -> int:
    """Derive the committed layer: one layer file per ``<CC>.tsv.gz`` extract of ``extract_dir``.

    Parameters
    ----------
    extract_dir : Path
        Who's On First extracts, one per country.
    out_dir : Path
        Where the layer files go, under the same names.
    report : callable, optional
        ``report(file_name, places)`` after each file.

    Returns
    -------
    int
        The places written in all.
    """
    files = sorted(Path(extract_dir).glob("*.tsv.gz"))
    openers = {path: _opener(path) for path in files}
    # Units across all countries: a place's region must be a unit of its own country.
    units = wof_units(openers.values())
    total = 0
    for path in files:
        count = write_layer(wof_layer_rows(openers[path], units), Path(out_dir) / path.name)
        total += count
        if report:
            report(path.name, count)
    return total


# -- GeoNames dumps ------------------------------------------------------------------------------


def _geonames_fields(opener: Opener) -> Iterator[tuple[int, list[str]]]:
    """The 19 fields of every line of a dump; a line with another count is an error.

    Every line ends with its modification date (``YYYY-MM-DD``): a last line without its
    newline whose date is cut short is a truncated download.
    """
    for number, text, terminated in _lines(opener):
        fields = text.split("\t")
        if len(fields) != _GEONAMES_FIELDS or not (terminated or len(fields[-1]) == len("2024-01-01")):
            raise SourceError(f"line {number}: {len(fields)} columns, a GeoNames line has "
                              f"{_GEONAMES_FIELDS} (truncated?)")
        yield number, fields


def _geonames_kind(fields: list[str]) -> str | None:
    feature_class, code = fields[6], fields[7]
    if feature_class == "P":
        return "city" if code and code not in GEONAMES_SKIPPED_PLACES else None
    return GEONAMES_ADMIN_KINDS.get(code) if feature_class == "A" else None


def _geonames_units(opener: Opener) -> tuple[dict[tuple[str, str], tuple[str, str]], dict[tuple[str, ...], str]]:
    """The dump's ADM1 units ``(cc, admin1) -> (geonameid, name)`` and ADM2 ``(cc, admin1, admin2) -> name``."""
    admin1: dict[tuple[str, str], tuple[str, str]] = {}
    admin2: dict[tuple[str, ...], str] = {}
    with opener() as fh:
        # Only the unit rows are parsed here (a few thousand of millions); the second pass checks every line.
        for raw in fh:
            if b"\tA\tADM" not in raw:
                continue
            f = raw.decode("utf-8", errors="replace").rstrip("\r\n").split("\t")
            if len(f) == _GEONAMES_FIELDS and f[6] == "A" and f[7] == "ADM1":
                admin1[(f[8], f[10])] = (f[0], f[1])
            elif len(f) == _GEONAMES_FIELDS and f[6] == "A" and f[7] == "ADM2":
                admin2[(f[8], f[10], f[11])] = f[1]
    return admin1, admin2


def _geonames_names(fields: list[str]) -> str:
    """The other Latin-script spellings of a row: its ASCII name and alternate names, not codes."""
    name = fields[1]
    candidates = [fields[2], *fields[3].split(",")]
    keep = [n.strip() for n in candidates]
    keep = [n for n in dict.fromkeys(keep) if n and n != name and "|" not in n and not _CODE.fullmatch(n)
            and is_latin(n)]
    return "|".join(keep)


def geonames_layer_rows(opener: Opener) -> Iterator[dict[str, str]]:
    """The layer rows (with ``admin1_code``) of a GeoNames dump, streamed; see the module docstring."""
    admin1, admin2 = _geonames_units(opener)
    for number, f in _geonames_fields(opener):
        kind = _geonames_kind(f)
        if kind is None or not f[1]:
            continue
        try:
            lat, lon = float(f[4]), float(f[5])
        except ValueError:
            raise SourceError(f"line {number}: bad point {f[4]!r}, {f[5]!r}") from None
        if not (f[0].isdigit() and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise SourceError(f"line {number}: bad geonameid or point ({f[0]!r}, {f[4]}, {f[5]})")
        cc, code1 = f[8], f[10]
        region_gid, region = admin1.get((cc, code1), ("", "")) if kind != "admin1" else ("", "")
        yield {
            "wof_id": "", "geonameid": f[0], "kind": kind, "name": f[1], "lat": f"{lat:.5f}",
            "lon": f"{lon:.5f}", "cc": cc, "region": region, "region_gid": region_gid,
            "county": admin2.get((cc, code1, f[11]), "") if kind == "city" else "",
            "population": f[14] if f[14].isdigit() and f[14] != "0" else "",
            "names": _geonames_names(f), ADMIN1_CODE: code1 if code1 != "00" else "",
        }
