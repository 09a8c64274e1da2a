"""Many areas -> PDFs: parallel over the cores, each area isolated, atomic writes, a manifest.

The shared inputs are read and checked once in the parent; worker processes are forked from it,
so they start with content, workbook, fonts and imports already loaded. A failure that belongs
to one area is recorded and the others still build.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from factsheet.build import Inputs
from factsheet.errors import FactsheetError, Problem
from factsheet.files import output_name
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.document import Document
from factsheet.render.pages import Guess

_JOB: _Job | None = None  # set in the parent before forking


@dataclass(frozen=True)
class _Job:
    inputs: Inputs
    documents: dict[str, Document]
    guess: Guess
    folder: Path


@dataclass(frozen=True)
class Outcome:
    area: str
    name: str
    file: str = ""
    sha256: str = ""
    size: int = 0
    pages: int = 0
    error: str = ""


@dataclass(frozen=True)
class BatchResult:
    outcomes: tuple[Outcome, ...]
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


def build_area(job: _Job, area: Area) -> Outcome:
    """Lay out and write one area's PDF; any failure becomes that area's failed outcome."""
    from factsheet.files import write_atomic
    from factsheet.render.pages import render
    from factsheet.resolve import resolve

    code, name = area.code, area.name
    try:
        document = job.documents.get(code) or resolve(job.inputs.spec, job.inputs.data, area)
        rendered = render(document, job.guess)
        target = job.folder / output_name(job.inputs.spec, area)
        write_atomic(rendered.pdf, target)
    except FactsheetError as exc:
        return Outcome(code, name, error="; ".join(str(p) for p in exc.problems))
    except OSError as exc:
        return Outcome(
            code, name, error=f"{job.folder}: cannot write the PDF: {exc.strerror or exc}"
        )
    except Exception as exc:  # a bug must not stop the other areas; reported with its type
        return Outcome(code, name, error=f"internal error: {type(exc).__name__}: {exc}")
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    return Outcome(code, name, target.name, digest, len(rendered.pdf), rendered.pages)


def _quiet_gc() -> None:
    """A worker lives for one batch: collect young objects only, rarely (layout makes many
    short-lived objects, and full collections over the inherited heap are wasted work)."""
    gc.set_threshold(50_000, 50, 1_000)


def _work(area: Area) -> Outcome:
    assert _JOB is not None
    return build_area(_JOB, area)


def run(
    inputs: Inputs,
    wanted: list[Area],
    documents: dict[str, Document],
    folder: Path,
    jobs: int | None = None,
    on_done: Callable[[Outcome, int, int], None] | None = None,
) -> BatchResult:
    """Build every area of ``wanted`` into ``folder``; ``manifest.json`` last. ``documents``
    holds those already resolved (at least riket); workers resolve the others."""
    from factsheet.build import national_guess

    started = time.perf_counter()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FactsheetError(
            Problem(str(folder), f"cannot create the output folder: {exc.strerror}")
        ) from None
    job = _Job(inputs, documents, national_guess(documents[areas.RIKET]), folder)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(wanted)))
    outcomes: list[Outcome] = []
    for outcome in _outcomes(job, wanted, jobs):
        outcomes.append(outcome)
        if on_done:
            on_done(outcome, len(outcomes), len(wanted))
    outcomes.sort(key=lambda o: o.area)
    write_manifest(folder, inputs, outcomes)
    return BatchResult(tuple(outcomes), time.perf_counter() - started)


def _outcomes(job: _Job, wanted: list[Area], jobs: int) -> Iterator[Outcome]:
    """In this process when one job suffices; else in worker processes forked from this one,
    which inherit the loaded inputs and resolved documents instead of receiving copies."""
    global _JOB
    if jobs == 1:
        for area in wanted:
            yield build_area(job, area)
        return
    _JOB = job
    # No gc.collect() first: the loaded inputs hold no garbage cycles (it freed nothing and
    # cost ~15 ms of the parent's serial time).
    gc.freeze()  # what the parent holds is never collected in the workers: no copy-on-write churn
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_quiet_gc
        ) as pool:
            futures = [pool.submit(_work, area) for area in wanted]
            for future in as_completed(futures):
                yield future.result()
    finally:
        _JOB = None


def write_manifest(folder: Path, inputs: Inputs, outcomes: list[Outcome]) -> None:
    from factsheet.files import write_atomic

    manifest = {
        "edition": inputs.spec.year,
        "workbook": Path(inputs.data.path).name,
        "files": [
            {"file": o.file, "area": o.area, "name": o.name, "sha256": o.sha256, "size": o.size}
            for o in outcomes
            if not o.error
        ],
        "failed": [{"area": o.area, "name": o.name, "error": o.error} for o in outcomes if o.error],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomic(text.encode("utf-8"), folder / "manifest.json")
