"""The feeds file of ``conflictmap watch``: one ``[[feed]]`` table per source, in TOML.

Example (``data/feeds.example.toml``, docs/LIVE.md)::

    [[feed]]
    label = "Example news"
    url = "https://news.example/feed.xml"   # RSS/Atom, or a JSON/JSONL endpoint
    interval = 900                          # seconds between polls (default 600)

    [[feed]]
    label = "Drop folder"
    folder = "incoming"                     # relative to this file's folder

Each table has exactly one of ``url`` (http or https) and ``folder``; ``label``
(default: the host or the folder's name), ``interval`` (seconds, at least
``MIN_INTERVAL``) and ``timeout`` (seconds per request, at most ``MAX_TIMEOUT``)
are optional. Every mistake is a :class:`FeedsFileError` whose message names
the table ("feed 2 (label 'Drop folder'): ..."), so the CLI can print it as one
line. Parsed with the standard library's ``tomllib``.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Seconds between two polls of a feed when its table does not say.
DEFAULT_INTERVAL = 600.0
#: No feed is polled more often than this (seconds); a politeness floor, low enough for tests.
MIN_INTERVAL = 1.0
#: Seconds an HTTP request may take when the table does not say, and the most it may say.
DEFAULT_TIMEOUT = 20.0
MAX_TIMEOUT = 120.0
KEYS = frozenset({"url", "folder", "label", "interval", "timeout"})
URL, FOLDER = "url", "folder"


class FeedsFileError(ValueError):
    """The feeds file cannot be used; the message says where and why, in one line."""


@dataclass(frozen=True)
class FeedSpec:
    """One watched source, as the feeds file declares it.

    Attributes
    ----------
    key : str
        A stable identity derived from the source (the key of its state in the store).
    label : str
        The name shown on the Feeds page and in the log.
    kind : str
        ``URL`` or ``FOLDER``.
    source : str
        The URL, or the folder's absolute path.
    interval : float
        Seconds between polls.
    timeout : float
        Seconds an HTTP request of this feed may take.
    """

    key: str
    label: str
    kind: str
    source: str
    interval: float = DEFAULT_INTERVAL
    timeout: float = DEFAULT_TIMEOUT

    @property
    def folder(self) -> Path | None:
        """The watched folder, or None for a URL feed."""
        return Path(self.source) if self.kind == FOLDER else None


def feed_key(kind: str, source: str) -> str:
    """The store key of a feed: a short hash of its kind and source, so a relabelled feed keeps its state."""
    return hashlib.sha256(f"{kind}:{source}".encode()).hexdigest()[:16]


def read_feeds_file(path: str | Path) -> list[FeedSpec]:
    """Read and check a feeds file.

    Parameters
    ----------
    path : str or Path
        The TOML file; relative ``folder`` values are taken from its folder.

    Returns
    -------
    list of FeedSpec
        The feeds, in the file's order.

    Raises
    ------
    FeedsFileError
        The file is missing, is not TOML, or a table is wrong (the message names it).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedsFileError(f"{path}: cannot be read ({exc})") from exc
    return parse_feeds(text, path.resolve().parent, name=str(path))


def parse_feeds(text: str, base: Path, *, name: str = "feeds file") -> list[FeedSpec]:
    """Check the TOML text of a feeds file (see the module docstring) and return its feeds.

    Parameters
    ----------
    text : str
        The TOML document.
    base : Path
        The folder relative ``folder`` values start from.
    name : str
        How the file is named in error messages.

    Raises
    ------
    FeedsFileError
        As :func:`read_feeds_file`.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedsFileError(f"{name}: not valid TOML ({exc})") from exc
    extra = sorted(set(document) - {"feed"})
    if extra:
        raise FeedsFileError(f"{name}: unknown top-level key {extra[0]!r}; feeds are [[feed]] tables")
    tables = document.get("feed")
    if not isinstance(tables, list) or not tables:
        raise FeedsFileError(f"{name}: no feeds; add one [[feed]] table per source, with url or folder")
    feeds: list[FeedSpec] = []
    keys: dict[str, str] = {}
    for number, table in enumerate(tables, 1):
        spec = _feed(table, number, base, name)
        where = _where(number, table)
        if spec.key in keys:
            raise FeedsFileError(f"{name}: {where}: the same {spec.kind} as {keys[spec.key]}: {spec.source}")
        keys[spec.key] = where
        feeds.append(spec)
    return feeds


def _where(number: int, table: Any) -> str:
    label = table.get("label") if isinstance(table, dict) else None
    return f"feed {number} (label {label!r})" if isinstance(label, str) and label else f"feed {number}"


def _feed(table: Any, number: int, base: Path, name: str) -> FeedSpec:
    where = f"{name}: {_where(number, table)}"
    if not isinstance(table, dict):
        raise FeedsFileError(f"{where}: expected a [[feed]] table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise FeedsFileError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    if ("url" in table) == ("folder" in table):
        raise FeedsFileError(f"{where}: give exactly one of url and folder")
    label = table.get("label", "")
    if not isinstance(label, str):
        raise FeedsFileError(f"{where}: label must be a string")
    interval = _seconds(table, "interval", DEFAULT_INTERVAL, where)
    if interval < MIN_INTERVAL:
        raise FeedsFileError(f"{where}: interval must be at least {MIN_INTERVAL:g} seconds, got {interval:g}")
    timeout = _seconds(table, "timeout", DEFAULT_TIMEOUT, where)
    if not 0 < timeout <= MAX_TIMEOUT:
        raise FeedsFileError(f"{where}: timeout must be over 0 and at most {MAX_TIMEOUT:g} seconds, got {timeout:g}")
    if "url" in table:
        kind, source = URL, _url(table["url"], where)
        label = label.strip() or urlsplit(source).hostname or source
    else:
        kind, folder = FOLDER, _folder(table["folder"], base, where)
        source, label = str(folder), label.strip() or folder.name
    return FeedSpec(feed_key(kind, source), label, kind, source, interval, timeout)


def _seconds(table: dict[str, Any], key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    # bool is an int in Python; "interval = true" is a mistake, not one second.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FeedsFileError(f"{where}: {key} must be a number of seconds, got {value!r}")
    return float(value)


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FeedsFileError(f"{where}: url must be a non-empty string")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedsFileError(f"{where}: url must be an http:// or https:// address, got {url!r}")
    return url


def _folder(value: Any, base: Path, where: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise FeedsFileError(f"{where}: folder must be a non-empty string")
    folder = Path(value.strip()).expanduser()
    folder = (folder if folder.is_absolute() else base / folder).resolve()
    if not folder.is_dir():
        raise FeedsFileError(f"{where}: the folder {folder} does not exist")
    return folder
