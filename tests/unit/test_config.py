"""Settings come from the environment and are anchored on the package, not the cwd."""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictmap.config import ROOT, load_settings


def test_defaults_are_anchored_on_the_repo_not_the_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.data_dir == ROOT / "data"
    assert settings.cache_dir == ROOT / "data" / "cache"
    assert settings.db_url == f"sqlite:///{ROOT / 'data' / 'conflictmap.db'}"
    assert settings.samples_dir == ROOT / "data" / "samples"
    assert (ROOT / "dashboard.py").exists() or (ROOT / "conflictmap").is_dir()


def test_environment_overrides(tmp_path: Path) -> None:
    settings = load_settings({
        "CONFLICTMAP_DB": "postgresql+psycopg://u@localhost/cm",
        "CONFLICTMAP_DATA_DIR": str(tmp_path),
        "CONFLICTMAP_MAX_UPLOAD_MB": "2",
        "CONFLICTMAP_MAP_POINT_LIMIT": "1000",
    })
    assert settings.map_point_limit == 1000
    assert settings.db_url.startswith("postgresql+psycopg://")
    assert settings.data_dir == tmp_path.resolve()
    assert settings.cache_dir == tmp_path.resolve() / "cache"
    assert settings.max_upload_bytes == 2 * 1024 * 1024


@pytest.mark.parametrize("value", ["many", "0", "-5", "2.5"])
def test_bad_map_point_limit_is_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="CONFLICTMAP_MAP_POINT_LIMIT"):
        load_settings({"CONFLICTMAP_MAP_POINT_LIMIT": value})


@pytest.mark.parametrize("value", ["lots", "0", "-3"])
def test_bad_upload_limit_is_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="CONFLICTMAP_MAX_UPLOAD_MB"):
        load_settings({"CONFLICTMAP_MAX_UPLOAD_MB": value})


def test_settings_are_frozen() -> None:
    settings = load_settings({})
    with pytest.raises(AttributeError):
        settings.db_url = "sqlite://"  # type: ignore[misc]
