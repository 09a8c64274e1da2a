"""A build cache: parsed workbooks, recorded charts and footnote plans, so that rebuilding after
a text edit, or building many variants, does not redo what has not changed.

A leaf: keys, reading and writing; what is cached is decided by ``build.py`` (the workbook, the
footnote plan), which also hands the cache to the render stage as its store (``render/memo.py``:
recorded charts, the hyphenation patterns). Every entry is keyed by a sha256 of everything it
depends on: the file bytes, configuration and data its callers pass, and the code that
computes it, which is the ``fingerprint()`` of this package's source and data files and the
versions of ReportLab, matplotlib and openpyxl. So a changed input or a changed tool is always
computed afresh, and the output is the same with or without the cache.

Stored as JSON (never pickle) in ``$FACTSHEET_CACHE`` or ``$XDG_CACHE_HOME/factsheet``
(``~/.cache/factsheet``); ``FACTSHEET_CACHE=off`` or ``bypassed()`` (``--no-cache``) neither
reads nor writes it. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from factsheet import __version__

FORMAT = 3
PACKAGE = Path(__file__).resolve().parent
# The libraries whose output is cached: ReportLab (layout, footnote plan), matplotlib (chart),
# openpyxl (workbook).
LIBRARIES = ("reportlab", "matplotlib", "openpyxl")

_bypassed = False


def cache_dir() -> Path:
    explicit = os.environ.get("FACTSHEET_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factsheet"


def enabled() -> bool:
    return not _bypassed and os.environ.get("FACTSHEET_CACHE") != "off"


@contextmanager
def bypassed(bypass: bool = True) -> Iterator[None]:
    """Within the block (and in worker processes forked in it), with ``bypass``, the cache is
    neither read nor written (``--no-cache``)."""
    global _bypassed
    before = _bypassed
    _bypassed = before or bypass
    try:
        yield
    finally:
        _bypassed = before


@functools.cache
def fingerprint(package: Path = PACKAGE) -> str:
    """A sha256 of the package's code: every ``*.py`` and data file under ``package`` (by
    relative path and bytes), and the versions of the libraries in ``LIBRARIES``. Computed
    once per process (a few milliseconds)."""
    digest = hashlib.sha256()
    files = sorted(
        path
        for path in package.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and (path.suffix == ".py" or "data" in path.relative_to(package).parts[:1])
    )
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(package).as_posix()}:{len(data)}:".encode())
        digest.update(data)
    digest.update(json.dumps(versions()).encode())
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """The installed versions of ``LIBRARIES``, without importing them (matplotlib alone
    costs half a second): from the name of their ``*.dist-info`` folder beside the package."""
    found = {}
    for name in LIBRARIES:
        version = "not installed"
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            prefix = f"{name}-"
            metadata = sorted(
                entry
                for entry in _entries(str(Path(spec.origin).parent.parent))
                if entry.startswith(prefix) and entry.endswith((".dist-info", ".egg-info"))
            )
            if metadata:
                stem = metadata[-1].removesuffix(".dist-info").removesuffix(".egg-info")
                version = stem.removeprefix(prefix).split("-")[0]  # egg-info: 4.1.0-py3.11
            else:
                version = _metadata_version(name)
        found[name] = version
    return found


@functools.cache
def _entries(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _metadata_version(name: str) -> str:
    """The version from the package metadata, wherever it is (slower: imports email)."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def digest(*parts: object) -> str:
    """A cache key for JSON-serialisable parts, with the tool's version and code."""
    text = json.dumps([__version__, FORMAT, fingerprint(), *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def file_digest(path: Path, *parts: object) -> str:
    """A cache key for a file's bytes and ``parts``; OSError when the file cannot be read."""
    content = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            content.update(chunk)
    return digest(content.hexdigest(), *parts)


def read_json(name: str) -> Any:
    """The entry stored under ``name``; None when there is none (or the cache is off)."""
    if not enabled():
        return None
    try:
        return json.loads((cache_dir() / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(name: str, data: Any) -> None:
    """Store ``data`` under ``name`` (atomically: a reader sees the old entry or the new)."""
    if not enabled():
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.json"
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass
