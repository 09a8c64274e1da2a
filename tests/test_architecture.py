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
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:  # annotations only: no import at run time
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else base)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
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
