"""What Streamlit's static file serving (``/app/static/...``) hands the browser.

The dashboard must draw its map with no network, so Leaflet, Leaflet.markercluster
and jQuery are served from ``static/vendor/`` instead of folium's CDN links. The
files come from the ``XStatic-*`` packages in ``requirements.txt``;
``static/vendor/`` is ignored by git and filled at start-up. The map's data
layers are published under ``static/layers/`` (:func:`publish_layer`): the
browser fetches each once and filters it in place. No streamlit here: the CLI
and the tests can call :func:`ensure_vendor_assets` too.
"""
from __future__ import annotations

import filecmp
import hashlib
import importlib
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from conflictmap.config import ROOT

#: Folder Streamlit serves at ``/app/static/`` (next to ``dashboard.py``).
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
#: URL prefix under which ``VENDOR_DIR`` is served.
VENDOR_URL = "/app/static/vendor"
#: The basemap's outlines and labels as static JSON files (ignored by git), named by content.
BASEMAP_STATIC_DIR = STATIC_DIR / "basemap"
BASEMAP_STATIC_URL = "/app/static/basemap"
#: The published map layers (ignored by git) and their URL prefix.
LAYER_DIR = STATIC_DIR / "layers"
LAYER_URL = "/app/static/layers"
#: A published layer older than this is deleted when the next one is written; the
#: dashboard hands out a file's URL for half as long (``ui.queries.LAYER_FILE_TTL``).
LAYER_KEEP_SECONDS = 1800


@dataclass(frozen=True)
class _Bundle:
    """One XStatic package and the files of it the map needs."""

    module: str
    target: str
    files: tuple[str, ...]


_BUNDLES = (
    _Bundle(
        "xstatic.pkg.leaflet",
        "leaflet",
        (
            "leaflet.js",
            "leaflet.css",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ),
    ),
    _Bundle(
        "xstatic.pkg.leaflet_markercluster",
        "markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
    _Bundle("xstatic.pkg.jquery", "jquery", ("jquery.min.js",)),
)

#: URLs of the scripts and style sheets, in the order folium expects them.
LEAFLET_JS = f"{VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR_URL}/leaflet/leaflet.css"
LEAFLET_IMAGES = f"{VENDOR_URL}/leaflet/images/"
JQUERY_JS = f"{VENDOR_URL}/jquery/jquery.min.js"
MARKERCLUSTER_JS = f"{VENDOR_URL}/markercluster/leaflet.markercluster.js"
MARKERCLUSTER_CSS = f"{VENDOR_URL}/markercluster/MarkerCluster.css"
MARKERCLUSTER_DEFAULT_CSS = f"{VENDOR_URL}/markercluster/MarkerCluster.Default.css"


class AssetError(RuntimeError):
    """An XStatic package or one of its files is missing."""


def _source_dir(module_name: str) -> Path:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise AssetError(
            f"{module_name} is not installed; run `pip install -r requirements.txt`"
        ) from exc
    return Path(module.BASE_DIR)


def ensure_vendor_assets(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the map assets into ``vendor_dir`` when missing or different.

    Idempotent: a file already identical to its source is left alone, so calling
    this on every start costs a few ``stat`` calls. A copy goes through a
    temporary name and an atomic rename, so a browser never reads half a file
    while two processes start at once.

    Parameters
    ----------
    vendor_dir : Path
        Destination folder, ``static/vendor`` by default.

    Returns
    -------
    list of Path
        The files written by this call (empty when all were up to date).

    Raises
    ------
    AssetError
        When an XStatic package or a file it should hold is missing.
    """
    written: list[Path] = []
    for bundle in _BUNDLES:
        source_root = _source_dir(bundle.module)
        for relative in bundle.files:
            source = source_root / relative
            if not source.is_file():
                raise AssetError(f"{bundle.module} has no {relative}")
            target = vendor_dir / bundle.target / relative
            if target.is_file() and filecmp.cmp(source, target, shallow=False):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            shutil.copyfile(source, partial)
            partial.replace(target)
            written.append(target)
    return written


def publish_layer(payload: str, layer_dir: Path = LAYER_DIR, url: str = LAYER_URL) -> tuple[str, str | None]:
    """Write a map layer's JSON where the browser can fetch it; return its key and URL.

    The file name is a random token (the key), so nobody can guess a layer's
    address from its filter: Streamlit serves static files without its login.
    Files older than :data:`LAYER_KEEP_SECONDS` are removed on the way.

    Parameters
    ----------
    payload : str
        ``LayerData.payload()``.
    layer_dir : Path
        Destination folder, ``static/layers`` by default.
    url : str
        URL prefix under which ``layer_dir`` is served.

    Returns
    -------
    (str, str or None)
        The key naming these rows in the browser, and the file's URL; the URL is
        None when the folder cannot be written (the map then sends the rows inline).
    """
    key = secrets.token_urlsafe(18)
    try:
        layer_dir.mkdir(parents=True, exist_ok=True)
        prune_layers(layer_dir)
        partial = layer_dir / f".{key}.part"
        partial.write_text(payload, encoding="utf-8")
        partial.replace(layer_dir / f"{key}.json")
    except OSError:
        return key, None
    return key, f"{url}/{key}.json"


def publish_static(stem: str, text: str, folder: Path = BASEMAP_STATIC_DIR,
                   url: str = BASEMAP_STATIC_URL) -> str | None:
    """Write ``text`` as ``<stem>-<digest>.json`` once and return its URL (None if it cannot be written).

    Named by content, so the file never changes under a browser's cache and a
    new version gets a new name; for the basemap's outlines and labels, which
    every map load needs and no rerun should send again.
    """
    name = f"{stem}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.json"
    target = folder / name
    try:
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{name}.{os.getpid()}.part"
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)
    except OSError:
        return None
    return f"{url}/{name}"


def prune_layers(layer_dir: Path = LAYER_DIR, keep_seconds: float = LAYER_KEEP_SECONDS) -> int:
    """Delete published layers (and half-written ones) older than ``keep_seconds``; return how many."""
    cutoff = time.time() - keep_seconds
    removed = 0
    for path in layer_dir.glob("*"):
        if path.suffix not in (".json", ".part"):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


if __name__ == "__main__":
    # `make run` and `make test` call this before Streamlit starts: Streamlit only
    # serves a static folder that exists when the server starts.
    files = ensure_vendor_assets()
    print(f"map assets in {VENDOR_DIR}: {len(files)} file(s) copied, the rest up to date")
