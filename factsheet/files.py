"""Output names, output checks and the one atomic writer of output files."""

from __future__ import annotations

import os
from pathlib import Path

from factsheet.errors import Problem
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.spec import Spec


def output_problems(output: Path, folder: bool = False) -> list[Problem]:
    """Why nothing could be written at ``output`` (a PDF file, or a folder when ``folder``
    or when it is one), found before anything is built: an empty list when it can."""
    existing = output if output.is_dir() or folder else output.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    where = str(output)
    if folder and output.exists() and not output.is_dir():
        return [Problem(where, "cannot write here: it is a file, not a folder")]
    if not existing.is_dir():
        return [Problem(where, f"cannot write here: {existing} is a file, not a folder")]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [Problem(where, f"cannot write here: no permission to write in {existing}")]
    return []


def output_name(spec: Spec, area: Area) -> str:
    """``oj-2021-lss-riket.pdf``, ``oj-2021-lss-03-uppsala.pdf``, ``oj-2021-lss-0380-uppsala.pdf``,
    ``oj-2021-lss-0180-01-rinkeby-kista.pdf``: from codes and ASCII slugs only, so no area name
    can reach outside the output folder."""
    if area.kind == "riket":
        return f"oj-{spec.year}-lss-riket.pdf"
    if area.kind == "county":
        return f"oj-{spec.year}-lss-{area.code}-{areas.slug(area.short)}.pdf"
    return f"oj-{spec.year}-lss-{areas.slug(area.code)}-{areas.slug(area.name)}.pdf"


def write_atomic(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    import os
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
