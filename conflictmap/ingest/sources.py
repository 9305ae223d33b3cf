"""Files, folders and uploaded bytes: size checks, decoding, choosing a reader.

The format is chosen by content first (a page that starts with ``<rss`` is a
feed whatever its name) and by the file name's extension where content alone
cannot tell (``.jsonl`` with a bad first line, ``.csv`` with an odd header).
"""
from __future__ import annotations

import codecs
import io
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from conflictmap.ingest.feeds import read_feed
from conflictmap.ingest.records import Line, looks_like_csv_header, read_csv, read_json, read_jsonl
from conflictmap.ingest.stories import Layout, split_page, to_article
from conflictmap.ingest.webpage import read_html
from conflictmap.model import Article, ItemError

log = logging.getLogger(__name__)

#: Whole-page formats (text, HTML, feeds, JSON documents) are parsed in memory;
#: above this size a file is not one page and should be exported as JSONL.
PAGE_LIMIT = 10 * 1024 * 1024
_HEAD = 64 * 1024
FORMATS = "plain text, HTML, JSONL, JSON, CSV and RSS/Atom"
_FORMAT_NAMES = {"jsonl": "JSONL", "json": "JSON", "csv": "CSV", "html": "HTML", "feed": "RSS/Atom", "text": "text"}

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"RIFF", "an audio or video file"),
    (b"ID3", "an MP3 file"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = set(range(32)) - {9, 10, 12, 13, 27}


def read_paths(paths: Iterable[str | Path], *, max_bytes: int) -> Iterator[Article | ItemError]:
    """Read articles from files and folders.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders. Folders are walked recursively in sorted order;
        hidden files and folders (names starting with ``.``) are skipped.
    max_bytes : int
        Files larger than this give an :class:`ItemError` and are not opened.

    Yields
    ------
    Article or ItemError
        Articles as they are read (JSONL and CSV stream line by line) and one
        error per unusable file or record; one bad input never stops the rest.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path given bare: never iterate over its characters
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, max_bytes)
        elif path.is_file():
            yield from _read_file(path, max_bytes)
        elif path.exists():
            yield ItemError(str(raw), "not a regular file or folder")
        else:
            yield ItemError(str(raw), "no such file or folder")


def read_bytes(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | ItemError]:
    """Read articles from uploaded or pasted bytes.

    Parameters
    ----------
    data : bytes
        The upload's content.
    name : str
        The upload's file name: a hint for the format and the origin shown in
        errors; never opened as a path.
    max_bytes : int
        Larger uploads give an :class:`ItemError`.

    Yields
    ------
    Article or ItemError
        As :func:`read_paths`.
    """
    origin = name.strip() or "upload"
    if len(data) > max_bytes:
        yield ItemError(origin, _too_large(len(data), max_bytes))
        return
    yield from _read_stream(io.BytesIO(data), origin, _suffix(origin), len(data))


def _walk(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file():
                yield path


def _suffix(name: str) -> str:
    # The name is only a hint: take its extension, never touch the file system.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _too_large(size: int, max_bytes: int) -> str:
    return f"the file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.1f} MB limit"


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | ItemError]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield ItemError(origin, _too_large(size, max_bytes))
            return
        with path.open("rb") as stream:
            yield from _read_stream(stream, origin, path.suffix.lower(), size)
    except OSError as exc:
        yield ItemError(origin, f"the file cannot be read ({exc.strerror or exc})")


def _read_stream(stream: BinaryIO, origin: str, suffix: str, size: int) -> Iterator[Article | ItemError]:
    head = stream.read(_HEAD)
    if not head.strip() and size <= _HEAD:
        yield ItemError(origin, "the file is empty")
        return
    bom = next((codec for mark, codec in _BOMS if head.startswith(mark)), None)
    if bom is None or bom == "utf-8-sig":
        kind = _binary_kind(head)
        if kind:
            yield ItemError(origin, f"not a text file (it looks like {kind}); ConflictMap reads {FORMATS} files")
            return
    elif size > PAGE_LIMIT:
        yield ItemError(origin, "a UTF-16/32 file this large cannot be read; save it as UTF-8")
        return
    else:
        # UTF-16/32 text: re-encode once so the line readers below see UTF-8.
        stream = io.BytesIO(head + stream.read())
        text = stream.getvalue().decode(bom, errors="replace")
        stream, head = io.BytesIO(text.encode("utf-8")), text[:_HEAD].encode("utf-8")
    stream.seek(0)
    fmt = sniff_format(head.decode("utf-8", errors="replace"), suffix)
    try:
        yield from _dispatch(stream, fmt, origin, size)
    except Exception as exc:
        # Third-party parsers (trafilatura, feedparser, lxml) raise many kinds of
        # errors on malformed input; one bad file must cost that file only, never
        # the rest of an ingest. The traceback goes to the log.
        log.warning("reading %s failed", origin, exc_info=True)
        name = _FORMAT_NAMES.get(fmt, fmt)
        yield ItemError(origin, f"the {name} file could not be read ({type(exc).__name__}: {exc})"[:300])


def _dispatch(stream: BinaryIO, fmt: str, origin: str, size: int) -> Iterator[Article | ItemError]:
    if fmt == "jsonl":
        yield from read_jsonl(_iter_lines(stream), origin)
        return
    if fmt == "csv":
        yield from read_csv(_iter_lines(stream), origin, delimiter="\t" if origin.lower().endswith(".tsv") else None)
        return
    if size > PAGE_LIMIT:
        yield ItemError(
            origin,
            f"the file is over {PAGE_LIMIT // 1048576} MB, too large to read as one {_FORMAT_NAMES[fmt]} page; "
            "export it as JSONL or CSV",
        )
        return
    data = stream.read()
    if fmt == "feed":
        yield from read_feed(data, origin)
        return
    text, warnings = decode_text(data, markup=fmt == "html")
    if fmt == "html":
        yield from read_html(text, origin, warnings)
    elif fmt == "json":
        yield from read_json(text, origin, warnings)
    else:
        yield from read_text(text, origin, warnings)


def read_text(text: str, origin: str, warnings: tuple[str, ...] = ()) -> Iterator[Article | ItemError]:
    """Yield the stories of a plain-text news page (see :mod:`conflictmap.ingest.stories`)."""
    normalised = text.replace("\r\n", "\n")
    # Without any blank line, each line is a paragraph (text pasted from a browser);
    # with blank lines, lines inside a paragraph are wrapped.
    wrapped = bool(re.search(r"\n[ \t]*\n", normalised.strip()))
    stories = split_page(text, Layout(page=True, split=True, wrapped=wrapped))
    if not stories:
        yield ItemError(origin, "no article text found (no paragraph of full sentences)")
        return
    for story in stories:
        yield to_article(story, origin, warnings)


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data"
    sample = head[:4096]
    controls = sum(byte in _CONTROL for byte in sample)
    return "binary data" if sample and controls / len(sample) > 0.05 else None


def decode_text(data: bytes, *, markup: bool = False) -> tuple[str, tuple[str, ...]]:
    """Decode a whole file: UTF-8, else the charset an HTML page declares, else Windows-1252.

    Parameters
    ----------
    data : bytes
        The file content.
    markup : bool
        True for HTML, whose ``<meta charset>`` is believed when UTF-8 fails.

    Returns
    -------
    tuple of (str, tuple of str)
        The text and the warnings to attach to its articles (empty when UTF-8
        or the declared charset worked).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    if markup and (declared := _CHARSET.search(data[:4096])):
        try:
            return data.decode(declared.group(1).decode("ascii")), ()
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text, used = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, used = data.decode("latin-1"), "Latin-1"
    warning = f"the file is not valid UTF-8 (bad byte at offset {bad_at}); read as {used}, some letters may be wrong"
    return text, (warning,)


def _iter_lines(stream: BinaryIO) -> Iterator[Line]:
    # Binary line iteration is buffered: one line in memory at a time.
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield number, raw.decode("utf-8"), False
        except UnicodeDecodeError:
            yield number, raw.decode("cp1252", errors="replace"), True


def sniff_format(head: str, suffix: str = "") -> str:
    """Name the format of a file from its first bytes and its extension.

    Parameters
    ----------
    head : str
        The start of the file, decoded.
    suffix : str
        The file name's extension, lower case with the dot (``".jsonl"``), or "".

    Returns
    -------
    str
        One of ``"jsonl"``, ``"json"``, ``"csv"``, ``"html"``, ``"feed"``, ``"text"``.
    """
    body = head.lstrip("\ufeff \t\r\n")
    low = body[:4096].lower()
    if suffix in (".jsonl", ".ndjson", ".jsonlines"):
        return "jsonl"
    if body.startswith("<"):
        if re.search(r"<(?:rss|feed|rdf:rdf)\b", low) and not re.search(r"<html\b", low):
            return "feed"
        if low.startswith("<?xml") and not re.search(r"<(?:!doctype html|html)\b", low) and suffix not in (
            ".html", ".htm", ".xhtml"
        ):
            return "feed"
        if suffix in (".txt", ".text") and not re.match(r"<(?:!doctype|html|head|body)\b", low):
            return "text"  # a text page whose first line happens to hold a tag
        return "html"
    if body.startswith("{"):
        lines = [line for line in body.split("\n") if line.strip()]
        if _is_json_object(lines[0]) or (len(lines) > 1 and lines[1].lstrip().startswith("{")):
            return "jsonl"
        return "json"
    if body.startswith("["):
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if looks_like_csv_header(body.split("\n", 1)[0]):
        return "csv"
    if suffix in (".html", ".htm", ".xhtml") or re.search(r"<(?:html|body)\b", low):
        return "html"
    return "text"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False
