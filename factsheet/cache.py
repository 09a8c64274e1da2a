"""A cache of parsed workbooks, so that rebuilding after a text edit does not parse Excel again.

Keyed by the sha256 of the workbook bytes, of its layout configuration and the tool's version:
a changed file is always read afresh. Stored as JSON (never pickle) in ``$FACTSHEET_CACHE``
or ``$XDG_CACHE_HOME/factsheet`` (``~/.cache/factsheet``). Only successful reads are cached;
a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from .workbook import Dataset, Indicator, Layout, Unit, Value

FORMAT = 1


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


def load(workbook: Path, layout: Layout) -> Dataset | None:
    try:
        path = cache_dir() / f"workbook-{key(workbook, layout)}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        return _decode(data, str(workbook))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(workbook: Path, layout: Layout, dataset: Dataset) -> None:
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"workbook-{key(workbook, layout)}.json"
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_encode(dataset)), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


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
