"""Who may import whom (docs/ARCHITECTURE.md), read from the source with ``ast``.

Every import counts: module level, inside functions, under ``if TYPE_CHECKING:``,
relative ones, and ``importlib.import_module("...")`` / ``__import__("...")`` with
a literal name. The scan covers ``conflictmap/``, ``dashboard.py`` and ``pages/``;
each rule is one test whose failure lists every offending ``file:line``.
"""
from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "conflictmap"
STREAMLIT = ("streamlit", "streamlit_folium")


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it was written."""

    module: str  # the importing module ("conflictmap.geo.gazetteer", "pages.1_Timeline")
    path: str  # its file, relative to the repository root
    line: int
    target: str  # the imported module, dotted and absolute

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.module} imports {self.target}"


# -- reading imports ---------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _literal_import_call(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and not first.value.startswith("."):
        return first.value
    return None


def read_imports(source: str, module: str, *, is_package: bool = False,
                 known: frozenset[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """Yield ``(line, imported module)`` for every import in ``source``, wherever it sits.

    ``from a import b`` names ``a.b`` when that is one of the ``known`` modules, else ``a``.
    ``from __future__`` imports are compiler directives and are left out.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            if base == "__future__":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield node.lineno, sub if sub in known else base
        elif isinstance(node, ast.Call) and (name := _literal_import_call(node)):
            yield node.lineno, name


def _files() -> list[Path]:
    files = sorted((ROOT / PACKAGE).rglob("*.py"))
    files += [ROOT / "dashboard.py"] if (ROOT / "dashboard.py").exists() else []
    return files + sorted((ROOT / "pages").glob("*.py"))


@cache
def all_imports() -> tuple[Import, ...]:
    """Every import of the scanned files."""
    files = _files()
    known = frozenset(_module_name(f) for f in files if f.is_relative_to(ROOT / PACKAGE))
    found = []
    for path in files:
        module = _module_name(path)
        source = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        for line, target in read_imports(source, module, is_package=path.name == "__init__.py", known=known):
            found.append(Import(module, rel, line, target))
    return tuple(found)


def first_party_modules() -> frozenset[str]:
    return frozenset(_module_name(f) for f in _files() if f.is_relative_to(ROOT / PACKAGE))


# -- rule helpers ------------------------------------------------------------------------------------


def _within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _is_stdlib(name: str) -> bool:
    return _top(name) in sys.stdlib_module_names


def _offenders(importers: Callable[[str], bool], bad: Callable[[str], bool]) -> list[Import]:
    return [imp for imp in all_imports() if importers(imp.module) and bad(imp.target)]


def _explain(rule: str, offenders: Iterable[Import]) -> str:
    lines = sorted(set(map(str, offenders)))
    listing = "\n  ".join(lines)
    return f"{rule} (docs/ARCHITECTURE.md, 'Who may import whom'); {len(lines)} offending import(s):\n  {listing}"


def _only(allowed_first_party: tuple[str, ...], allowed_third_party: tuple[str, ...] = ()) -> Callable[[str], bool]:
    """A target test: True for imports outside what a layer may use."""
    def bad(target: str) -> bool:
        if _top(target) == PACKAGE:
            return not _within(target, *allowed_first_party)
        return not (_is_stdlib(target) or _top(target) in allowed_third_party)
    return bad


# -- cycles ------------------------------------------------------------------------------------------


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One shortest circle per strongly connected group of ``graph`` (Tarjan), each as a path a -> ... -> a."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # recursion depth is bounded by the module count
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_shortest_circle(graph, group) for group in groups]


def _shortest_circle(graph: Mapping[str, Iterable[str]], group: set[str]) -> list[str]:
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return paths[node] + [start]
                if nxt in group and nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    raise AssertionError(f"no circle through {start}")  # cannot happen for a strongly connected group


def _owner(target: str, known: frozenset[str]) -> str | None:
    parts = target.split(".")
    while parts:
        if ".".join(parts) in known:
            return ".".join(parts)
        parts.pop()
    return None


# -- the scan itself can see ------------------------------------------------------------------------


def test_the_reader_sees_every_kind_of_import() -> None:
    source = (
        "from __future__ import annotations\n"
        "import os, conflictmap.model\n"
        "from typing import TYPE_CHECKING\n"
        "from . import gazetteer\n"
        "from ..model import Place\n"
        "if TYPE_CHECKING:\n"
        "    from conflictmap.store import Store\n"
        "def later():\n"
        "    import streamlit as st\n"
        "    return importlib.import_module('conflictmap.ui.app')\n"
    )
    known = frozenset({"conflictmap.geo.gazetteer", "conflictmap.model", "conflictmap.store"})
    found = list(read_imports(source, "conflictmap.geo.cues", known=known))
    assert sorted(found) == sorted([
        (2, "os"), (2, "conflictmap.model"), (3, "typing"), (4, "conflictmap.geo.gazetteer"),
        (5, "conflictmap.model"), (7, "conflictmap.store"), (9, "streamlit"), (10, "conflictmap.ui.app"),
    ])
    # In a package's __init__ the package itself is the base of a relative import.
    assert list(read_imports("from .reads import StoreReader\n", "conflictmap.store", is_package=True)) == [
        (1, "conflictmap.store.reads")
    ]


def test_the_cycle_finder_reports_each_circle_once() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"a"}}
    assert sorted(find_cycles(graph)) == [["a", "b", "c", "a"], ["e", "e"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_scan_covers_the_package_the_dashboard_and_the_pages() -> None:
    modules = {imp.module for imp in all_imports()}
    assert {"conflictmap.pipeline", "conflictmap.cli", "dashboard"} <= modules
    assert any(m.startswith("pages.") for m in modules)
    assert any(imp.module == "conflictmap.pipeline" and imp.target == "conflictmap.model" for imp in all_imports())
    assert sum(_top(imp.target) == PACKAGE for imp in all_imports()) > 50


# -- the rules ---------------------------------------------------------------------------------------


def test_only_ui_imports_streamlit() -> None:
    offenders = _offenders(lambda m: not _within(m, "conflictmap.ui"), lambda t: _top(t) in STREAMLIT)
    assert not offenders, _explain("only conflictmap/ui/ may import streamlit or streamlit_folium", offenders)


def test_render_imports_no_streamlit() -> None:
    offenders = _offenders(lambda m: _within(m, "conflictmap.render"), lambda t: _top(t) in STREAMLIT)
    assert not offenders, _explain("render/ builds maps, charts and HTML without streamlit", offenders)


def test_geo_and_events_import_no_later_layer() -> None:
    later = ("conflictmap.store", "conflictmap.ui", "conflictmap.pipeline", "conflictmap.cli",
             "conflictmap.__main__", "conflictmap.render", "conflictmap.export", "conflictmap.backfill",
             "conflictmap.watch", "conflictmap.alerts")
    offenders = _offenders(lambda m: _within(m, "conflictmap.geo", "conflictmap.events"),
                           lambda t: _within(t, *later))
    assert not offenders, _explain(
        "geo/ and events/ import neither store, ui, pipeline, cli, render nor export", offenders
    )


def test_geo_and_events_know_nothing_of_each_other() -> None:
    offenders = _offenders(lambda m: _within(m, "conflictmap.geo"), lambda t: _within(t, "conflictmap.events"))
    offenders += _offenders(lambda m: _within(m, "conflictmap.events"), lambda t: _within(t, "conflictmap.geo"))
    assert not offenders, _explain(
        "geo/ does not import events/, and events/ reads places only through the Mentions it is given", offenders
    )


def test_ingest_imports_only_model_and_config() -> None:
    own = ("conflictmap.model", "conflictmap.config", "conflictmap.ingest")
    offenders = _offenders(lambda m: _within(m, "conflictmap.ingest"),
                           lambda t: _top(t) == PACKAGE and not _within(t, *own))
    assert not offenders, _explain("ingest/ imports only model, config and its own modules", offenders)


def test_store_imports_only_model_config_and_sqlalchemy() -> None:
    bad = _only(("conflictmap.model", "conflictmap.config", "conflictmap.store"), ("sqlalchemy",))
    offenders = _offenders(lambda m: _within(m, "conflictmap.store"), bad)
    assert not offenders, _explain(
        "store/ imports only model, config, its own modules, SQLAlchemy and the standard library", offenders
    )


def test_model_and_config_import_only_the_standard_library() -> None:
    offenders = _offenders(lambda m: m in ("conflictmap.model", "conflictmap.config"), lambda t: not _is_stdlib(t))
    assert not offenders, _explain("model.py and config.py import only the standard library", offenders)


def test_cli_reaches_the_library_only_through_pipeline_store_and_export() -> None:
    allowed = ("conflictmap.pipeline", "conflictmap.store", "conflictmap.export", "conflictmap.model",
               "conflictmap.config", "conflictmap.cli", "conflictmap.backfill", "conflictmap.watch",
               "conflictmap.alerts")
    offenders = _offenders(
        lambda m: m in ("conflictmap.cli", "conflictmap.__main__"),
        lambda t: _top(t) == PACKAGE and t != PACKAGE and not _within(t, *allowed),
    )
    assert not offenders, _explain(
        "the CLI imports pipeline, store, export, backfill, watch, alerts, model and config only", offenders)


#: Third-party packages of a backfill: the cluster, and psutil (a dependency of distributed) for memory.
DASK = ("dask", "distributed")


def test_backfill_sits_beside_the_cli_and_uses_pipeline_store_and_ingest() -> None:
    bad = _only(("conflictmap.pipeline", "conflictmap.store", "conflictmap.ingest", "conflictmap.model",
                 "conflictmap.config"), (*DASK, "psutil"))
    offenders = _offenders(lambda m: m == "conflictmap.backfill", bad)
    assert not offenders, _explain(
        "backfill.py imports pipeline, store, ingest, model, config, dask, distributed and psutil only", offenders
    )
    users = _offenders(lambda m: m not in ("conflictmap.cli", "conflictmap.backfill"),
                       lambda t: _within(t, "conflictmap.backfill"))
    assert not users, _explain("only the CLI runs backfills", users)


def test_only_backfill_imports_dask_and_only_inside_functions() -> None:
    offenders = _offenders(lambda m: m != "conflictmap.backfill", lambda t: _top(t) in DASK)
    assert not offenders, _explain("only conflictmap/backfill.py may import dask or distributed", offenders)
    # A plain ingest imports the CLI and pipeline, never dask: backfill imports it when a cluster is used.
    tree = ast.parse((ROOT / PACKAGE / "backfill.py").read_text(encoding="utf-8"))
    eager = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for inner in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ():
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in inner.names] if isinstance(inner, ast.Import) else [inner.module or ""]
                eager += [f"conflictmap/backfill.py:{inner.lineno}: {n}" for n in names if _top(n) in DASK]
    assert not eager, "dask is imported when conflictmap.backfill is: " + ", ".join(eager)


def test_watch_sits_beside_the_cli_and_uses_pipeline_store_and_ingest() -> None:
    # watch.py is a service loop at the level of export.py: it reads through ingest/, stores
    # through pipeline and store/, and nothing below it (nor the UI) starts a watch.
    bad = _only(("conflictmap.pipeline", "conflictmap.store", "conflictmap.ingest", "conflictmap.model",
                 "conflictmap.config"))
    offenders = _offenders(lambda m: m == "conflictmap.watch", bad)
    assert not offenders, _explain("watch.py imports pipeline, store, ingest, model and config only", offenders)
    users = _offenders(lambda m: m not in ("conflictmap.cli", "conflictmap.watch"),
                       lambda t: _within(t, "conflictmap.watch"))
    assert not users, _explain("only the CLI runs a watch", users)


def test_alerts_sits_beside_the_cli_and_reads_only_the_store() -> None:
    # alerts.py is at the level of export.py: the CLI and ui/ use it; store, pipeline, render and
    # everything under them do not (render takes plain alert records, so it never needs the type).
    bad = _only(("conflictmap.store", "conflictmap.model", "conflictmap.config", "conflictmap.alerts"))
    offenders = _offenders(lambda m: m == "conflictmap.alerts", bad)
    assert not offenders, _explain("alerts.py imports store, model, config and the standard library only", offenders)
    users = _offenders(lambda m: not (m in ("conflictmap.cli", "conflictmap.alerts") or _within(m, "conflictmap.ui")),
                       lambda t: _within(t, "conflictmap.alerts"))
    assert not users, _explain("only the CLI and ui/ use alerts.py", users)


def test_pages_and_dashboard_import_only_ui_and_model() -> None:
    offenders = _offenders(lambda m: m == "dashboard" or m.startswith("pages."),
                           lambda t: not _within(t, "conflictmap.ui", "conflictmap.model"))
    assert not offenders, _explain("dashboard.py and pages/ import only conflictmap.ui.* and conflictmap.model",
                                   offenders)


def test_no_import_circles() -> None:
    known = first_party_modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    where: dict[tuple[str, str], Import] = {}
    for imp in all_imports():
        target = _owner(imp.target, known) if _top(imp.target) == PACKAGE else None
        if imp.module in known and target is not None and target != imp.module:
            graph[imp.module].add(target)
            where.setdefault((imp.module, target), imp)
    cycles = find_cycles(graph)
    report = []
    for cycle in cycles:
        edges = [where[(a, b)] for a, b in zip(cycle, cycle[1:], strict=False)]
        report.append(" -> ".join(cycle) + "\n    " + "\n    ".join(f"{e.path}:{e.line}" for e in edges))
    assert not cycles, f"import circles among conflictmap modules ({len(cycles)}):\n  " + "\n  ".join(report)
