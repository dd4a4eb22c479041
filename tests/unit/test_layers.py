"""Imports go down the layers, and no module imports itself back through others.

The layers (CONTRIBUTING.md draws them): the core (vocabulary, schema, the search model, the store, the
data build, statistics, styles) → documents → reports, cartography and the Bourse → the server and the
processes → the clients (the web atlas, the command line). The QGIS plugin is a client of the server's HTTP
API only: it imports nothing of ``coopatlas``. Imports are read from the source (``ast``), those inside
functions included: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The rank of each unit of ``coopatlas`` (a top-level module or a sub-package) and of ``processes``: a
#: unit may import only units of a lower rank.
RANKS = {
    "paths": 0,
    "text": 0,
    "vocabulary": 0,
    "schema": 1,
    "predicates": 2,
    "criteria_specs": 3,
    "criteria": 4,
    "store": 5,
    "data": 6,
    "stats": 6,
    "stats_series": 6,
    "stats_apd": 6,
    "styles": 6,
    "stats_warm": 7,
    "documents": 7,
    "charts": 8,
    "reports": 9,
    "cartography": 9,
    "bourse": 9,
    "opendata": 9,
    "server": 10,
    "processes": 10,
    "web": 11,
    "cli": 12,
    "__main__": 13,
}


def _module_name(path: Path, base: Path = ROOT) -> str:
    """The import name of ``path``, a file below ``base`` (the folder on ``sys.path``)."""
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, base: Path = ROOT) -> set[str]:
    """The absolute names of the modules ``path`` imports (relative imports resolved), and of the names
    taken from them (``from a import b`` gives ``a`` and ``a.b``)."""
    module = _module_name(path, base)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "processes":
        return "processes"
    if parts[0] != "coopatlas" or len(parts) < 2:
        return None
    return parts[1]


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def test_every_unit_has_a_rank():
    units = {_unit(_module_name(p)) for p in _sources("coopatlas", "processes")} - {None}
    assert units <= set(RANKS), f"units without a rank in this test and CONTRIBUTING.md: {units - set(RANKS)}"


def test_imports_go_down_the_layers():
    upward = []
    for path in _sources("coopatlas", "processes"):
        source = _unit(_module_name(path))
        for name in _imports(path):
            target = _unit(name)
            if target and target != source and target in RANKS and RANKS[target] >= RANKS[source]:
                upward.append(f"{path.relative_to(ROOT)} ({source}) imports {name} ({target})")
    assert not upward, "imports that do not go down the layers:\n" + "\n".join(sorted(set(upward)))


def _cycles(folder: str) -> list[list[str]]:
    """The import cycles between the modules (files) of the package ``folder``."""
    base = (ROOT / folder).parent
    files = {_module_name(p, base): p for p in _sources(folder)}
    graph = defaultdict(set)
    for module, path in files.items():
        for name in _imports(path, base):
            while name and name not in files:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(name + "."):  # not its own package
                graph[module].add(name)
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(files):
        if node not in state:
            visit(node, [])
    return cycles


@pytest.mark.parametrize("folder", ["coopatlas", "processes", "plugin/coopatlas_qgis"])
def test_no_import_cycle_between_files(folder):
    cycles = _cycles(folder)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_plugin_imports_nothing_of_the_server_package():
    offending = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _sources("plugin")
        for name in _imports(p)
        if name.split(".")[0] in ("coopatlas", "processes")
    ]
    assert not offending, offending
