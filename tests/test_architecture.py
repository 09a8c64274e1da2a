"""The package's shape: stages as packages, data flowing one way, no import circles.

Layers, lowest first: leaves (errors, formatting, cache, __init__), model, inputs, resolve,
render, then the top (files, build, batch, watch, explain, edition, cli). A module may import
its own layer or a lower one, never a higher one; no two modules import each other, directly
or round a longer circle (imports inside functions count too; imports for type annotations
only, under ``if TYPE_CHECKING``, do not)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "factsheet"
LEAVES = {
    "factsheet",
    "factsheet.errors",
    "factsheet.formatting",
    "factsheet.cache",
    "factsheet.xmltext",
}
RANKS = {"model": 1, "inputs": 2, "resolve": 3, "render": 3}
# resolve and render share a rank but neither may import the other:
APART = {("resolve", "render"), ("render", "resolve"), ("render", "inputs")}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name an ``ImportFrom`` names (``from ..render import theme`` too)."""
    if node.level == 0:
        return node.module or ""
    package = importer if is_package else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


@functools.cache
def _imports() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            for stmt in node.body  # the else branch runs: its imports count
            for inner in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:  # annotations only: no import at run time
                continue
            if isinstance(node, ast.ImportFrom):
                base = _absolute(name, path.name == "__init__.py", node)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else base)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif (  # importlib.import_module("factsheet....") with a literal name
                isinstance(node, ast.Call)
                and ast.unparse(node.func) in {"importlib.import_module", "import_module"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                targets.add(node.args[0].value)
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def _rank(module: str) -> tuple[int, str]:
    if module in LEAVES:
        return 0, ""
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in RANKS:
        return RANKS[parts[1]], parts[1]
    return 9, "top"


def test_the_scan_sees_the_packages() -> None:
    imports = _imports()
    assert "factsheet.resolve.variants" in imports
    assert "factsheet.model.areas" in imports["factsheet.resolve.variants"]


def test_the_scan_sees_relative_and_dynamic_imports() -> None:
    tree = ast.parse("from ..render import theme\nfrom . import areas\n")
    first, second = (n for n in tree.body if isinstance(n, ast.ImportFrom))
    assert _absolute("factsheet.model.spec", False, first) == "factsheet.render"
    assert _absolute("factsheet.model.spec", False, second) == "factsheet.model"
    assert _absolute("factsheet.model", True, second) == "factsheet.model"


@pytest.mark.parametrize("module", sorted(_imports()))
def test_no_import_upward(module: str) -> None:
    rank, layer = _rank(module)
    for target in _imports()[module]:
        target_rank, target_layer = _rank(target)
        assert target_rank <= rank, f"{module} imports {target}, a later stage"
        assert (layer, target_layer) not in APART, f"{module} imports {target}"


def test_no_import_circle() -> None:
    graph = _imports()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_only_the_pipeline_decides_what_is_cached() -> None:
    """cache.py is a leaf that build.py uses; the stages get no cache of their own (render is
    handed the build cache as a store, ``render/memo.py``)."""
    users = sorted(m for m, targets in _imports().items() if "factsheet.cache" in targets)
    assert users == ["factsheet.build", "factsheet.cli"], users
