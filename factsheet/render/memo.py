"""The store the render stage may keep derived data in: handed in by the pipeline.

The render stage does not decide what is cached: ``build.py`` hands it the build cache
(``factsheet.cache``) with ``use``, and without one (a test laying out a small document, say)
nothing is read or written and everything is computed. What render stores is derived only from
its key (a recorded chart, the parsed hyphenation patterns), so the output is the same either
way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol


class Store(Protocol):
    def digest(self, *parts: object) -> str: ...

    def file_digest(self, path: Path, *parts: object) -> str: ...

    def read_json(self, name: str) -> Any: ...

    def write_json(self, name: str, data: Any) -> None: ...


_store: Store | None = None
_savers: list[Callable[[Store], None]] = []


def use(store: Store | None) -> None:
    """From now on (and in processes forked from now on) render keeps its data in ``store``."""
    global _store
    _store = store


def store() -> Store | None:
    return _store


def on_save(saver: Callable[[Store], None]) -> None:
    """``saver`` puts what its module gathered while laying out into the store, at ``save``."""
    if saver not in _savers:
        _savers.append(saver)


def save() -> None:
    """After a build: what the render stage gathered goes into the store (if there is one)."""
    if _store is not None:
        for saver in _savers:
            saver(_store)
