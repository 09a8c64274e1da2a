"""A build cache: parsed workbooks, recorded charts and footnote plans, so that rebuilding after
a text edit, or building many variants, does not redo what has not changed.

Every entry is keyed by a sha256 of everything it depends on (file bytes, configuration, data,
the tool's version), so a changed input is always computed afresh, and the output is the same
with or without the cache. Stored as JSON (never pickle) in ``$FACTSHEET_CACHE`` or
``$XDG_CACHE_HOME/factsheet`` (``~/.cache/factsheet``); ``FACTSHEET_CACHE=off`` disables it.
A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.model.dataset import Dataset, Indicator, Layout, Unit, Value

FORMAT = 2


def cache_dir() -> Path:
    explicit = os.environ.get("FACTSHEET_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factsheet"


def key(workbook: Path, layout: Layout) -> str:
    digest = hashlib.sha256()
    digest.update(f"{__version__}:{FORMAT}:{layout!r}".encode())
    with workbook.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def digest(*parts: object) -> str:
    """A cache key for JSON-serialisable parts, with the tool's version."""
    text = json.dumps([__version__, FORMAT, *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def read_json(name: str) -> Any:
    if os.environ.get("FACTSHEET_CACHE") == "off":
        return None
    try:
        return json.loads((cache_dir() / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(name: str, data: Any) -> None:
    if os.environ.get("FACTSHEET_CACHE") == "off":
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


def load(workbook: Path, layout: Layout) -> Dataset | None:
    data = read_json(f"workbook-{key(workbook, layout)}")
    try:
        return None if data is None else _decode(data, str(workbook))
    except (ValueError, KeyError, TypeError):
        return None


def store(workbook: Path, layout: Layout, dataset: Dataset) -> None:
    write_json(f"workbook-{key(workbook, layout)}", _encode(dataset))


def _encode(d: Dataset) -> dict[str, Any]:
    return {
        "synthetic": d.synthetic,
        "indicators": [list(vars(i).values()) for i in d.indicators.values()],
        "values": [[*k, v.value, v.cell] for k, v in d.values.items()],
        "units": [[u.code, u.name, u.county] for u in d.units.values()],
        "answers": [[*k, v] for k, v in d.answers.items()],
        "unit_years": [[y, codes] for y, codes in d.unit_years.items()],
    }


def _decode(raw: dict[str, Any], path: str) -> Dataset:
    indicators = {row[0]: Indicator(*row) for row in raw["indicators"]}
    values = {(a, i, int(y)): Value(v, cell) for a, i, y, v, cell in raw["values"]}
    units = {code: Unit(code, name, county) for code, name, county in raw["units"]}
    answers = {
        (u, i, int(y)): (tuple(v) if isinstance(v, list) else v) for u, i, y, v in raw["answers"]
    }
    unit_years = {int(y): list(codes) for y, codes in raw["unit_years"]}
    return Dataset(path, bool(raw["synthetic"]), indicators, values, units, answers, unit_years)
