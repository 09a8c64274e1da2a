"""Does every sheet fit its page budget? ``factsheet check`` lays sheets out without writing them.

A sheet that needs more pages than its budget fails in ``build`` with a ``RenderError``; here the
same layout is run (``plan_notes``: no chart drawn, no PDF assembled) and each overflow
becomes a located problem naming the area. By default three sheets are laid out, one of each
kind (``sample``); ``check --all`` lays out every area, in worker processes forked from this one
like ``build --all``.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from factsheet.build import Inputs, national_guess
from factsheet.errors import InputError, Problem, RenderError, WordTooWide
from factsheet.glyphs import word_problem
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.document import Document
from factsheet.render.pages import Guess

# Fewer areas than this are laid out in this process: forking workers costs more than it saves.
PARALLEL_FROM = 8


@dataclass(frozen=True)
class _Job:
    inputs: Inputs
    documents: dict[str, Document]
    guess: Guess


_JOB: _Job | None = None  # set in the parent before forking


def sample() -> list[Area]:
    """Riket, one county and one kommun: the län and the kommun whose sheets are the longest
    (most likely to overflow) as far as can be told without laying out every sheet.

    The sheets of one kind differ in the area's names (printed in the subtitle, the unit line,
    the heading and the area's sentences) and in the chart: a kommun's sheet shows the kommuner
    of its län, or the län chart when they are more than ``max_bars``. So the county is the län
    with the most responding units (the tallest chart of the kommun sheets; ties: the longest
    name), and the kommun is the one with the longest name in that län. Measured on the 2021
    sample (the content laid out with one page less, so that every sheet overflows by the height
    of its last page): the kommun sheets of the largest län are the longest (up to 670 pt,
    against at most 629 pt elsewhere), the one chosen within 23 pt (two lines) of the longest;
    the county sheets lie within 23 pt of each other. ``check --all`` lays out every sheet."""
    units = areas.responding_units()
    count = {c.code: sum(u.county == c.code for u in units) for c in areas.counties()}
    county = max(areas.counties(), key=lambda c: (count[c.code], len(c.name)))
    ours = [u for u in units if u.county == county.code]
    kommun = max(ours, key=lambda u: len(u.name)) if ours else None
    chosen = [areas.riket(), areas.area(county.code)]
    return chosen + ([areas.area(kommun.code)] if kommun else [])


def everything() -> list[Area]:
    """Riket, every län and every kommun and Stockholm stadsdel."""
    return [
        areas.riket(),
        *(areas.area(c.code) for c in areas.counties()),
        *(areas.area(u.code) for u in areas.responding_units()),
    ]


def overflows(
    inputs: Inputs, documents: dict[str, Document], wanted: list[Area], jobs: int | None = None
) -> list[Problem]:
    """Lay out every area of ``wanted`` (``documents`` holds those already resolved, at least
    riket); the problems found, in the order of ``wanted``: an overflow (or any other layout
    failure) as ``<area> (<code>): <message>``, and the problems of an area that could not be
    resolved. Empty when every sheet fits."""
    job = _Job(inputs, documents, national_guess(documents[areas.RIKET]))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(wanted)))
    found: list[Problem] = []
    for problems in _results(job, wanted, jobs):
        found += [p for p in problems if p not in found]
    return found


def lay_out(job: _Job, area: Area) -> list[Problem]:
    """The problems of one area's sheet: none when it fits its page budget."""
    from factsheet.render.pages import plan_notes
    from factsheet.resolve import resolve

    try:
        document = job.documents.get(area.code) or resolve(job.inputs.spec, job.inputs.data, area)
        plan_notes(document, job.guess)
    except InputError as exc:
        return exc.problems
    except WordTooWide as exc:
        return word_problem(exc, job.inputs.spec).problems
    except RenderError as exc:
        where = area.name if area.kind == "riket" else f"{area.name} ({area.code})"
        return [Problem(where, p.message) for p in exc.problems]
    return []


def _work(area: Area) -> list[Problem]:
    assert _JOB is not None
    return lay_out(_JOB, area)


def _results(job: _Job, wanted: list[Area], jobs: int) -> Iterator[list[Problem]]:
    """In this process for a few areas; else in worker processes forked from this one, which
    inherit the loaded inputs and resolved documents. In the order of ``wanted``."""
    global _JOB
    if jobs == 1 or len(wanted) < PARALLEL_FROM:
        for area in wanted:
            yield lay_out(job, area)
        return
    _JOB = job
    gc.freeze()  # what the parent holds is never collected in the workers: no copy-on-write
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            yield from pool.map(_work, wanted, chunksize=max(1, len(wanted) // (4 * jobs)))
    finally:
        _JOB = None
        gc.unfreeze()
