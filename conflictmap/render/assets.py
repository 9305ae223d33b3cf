"""Copy the map's browser assets from installed XStatic packages into ``static/vendor/``.

The dashboard must draw its map with no network, so Leaflet, Leaflet.markercluster
and jQuery are served by Streamlit's static file serving (``/app/static/...``)
instead of folium's CDN links. The files come from the ``XStatic-*`` packages in
``requirements.txt``; ``static/vendor/`` is ignored by git and filled at start-up.
No streamlit here: the CLI and the tests can call :func:`ensure_vendor_assets` too.
"""
from __future__ import annotations

import filecmp
import importlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from conflictmap.config import ROOT

#: Folder Streamlit serves at ``/app/static/`` (next to ``dashboard.py``).
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
#: URL prefix under which ``VENDOR_DIR`` is served.
VENDOR_URL = "/app/static/vendor"


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


if __name__ == "__main__":
    # `make run` and `make test` call this before Streamlit starts: Streamlit only
    # serves a static folder that exists when the server starts.
    files = ensure_vendor_assets()
    print(f"map assets in {VENDOR_DIR}: {len(files)} file(s) copied, the rest up to date")
