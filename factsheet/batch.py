"""Many areas -> PDFs: parallel over the cores, each area isolated, atomic writes, a manifest.

The shared inputs are read and checked once in the parent; worker processes are forked from it,
so they start with content, workbook, fonts and imports already loaded. A failure that belongs
to one area is recorded and the others still build.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from factsheet.build import Inputs
from factsheet.errors import FactsheetError, Interrupted, Problem, WordTooWide
from factsheet.files import output_name
from factsheet.glyphs import word_problem
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.document import Document
from factsheet.render.pages import Guess

MANIFEST = "manifest.json"
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
    except WordTooWide as exc:
        return Outcome(code, name, error=str(word_problem(exc, job.inputs.spec).problems[0]))
    except FactsheetError as exc:
        return Outcome(code, name, error="; ".join(str(p) for p in exc.problems))
    except OSError as exc:
        return Outcome(
            code, name, error=f"{job.folder}: cannot write the PDF: {exc.strerror or exc}"
        )
    except MemoryError:
        return Outcome(code, name, error="out of memory while building this sheet")
    except Exception as exc:  # a bug must not stop the other areas; reported with its type
        return Outcome(code, name, error=f"internal error: {type(exc).__name__}: {exc}")
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    return Outcome(code, name, target.name, digest, len(rendered.pdf), rendered.pages)


COLLECT_EVERY = 32  # sheets a worker builds between full garbage collections


def _worker_start(parent: int) -> None:
    """Set up a worker process. A worker lives for one batch: collect young objects only,
    rarely (layout makes many short-lived objects, and full collections over the inherited heap
    are wasted work). Ctrl-C reaches the whole process group: the parent decides and stops the
    workers with SIGTERM, on which a worker removes its temporary file and exits. A worker dies
    with its parent (also a parent killed with SIGKILL), so none is left running."""
    gc.freeze()  # the inherited heap: never traversed by this worker's collections
    gc.set_threshold(50_000, 50, 1_000)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    _die_with(parent)


def _stop_worker(signum: int = signal.SIGTERM, frame: object = None) -> None:
    from factsheet.files import remove_pending

    remove_pending()
    os._exit(128 + signum)


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """SIGTERM to this process when ``parent`` ends: ``prctl(PR_SET_PDEATHSIG)`` on Linux,
    else a thread that watches ``getppid()``."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent ended before the signal was armed
        _stop_worker()
    if not armed:

        def orphaned() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=orphaned, daemon=True).start()


_built = 0


def _work(area: Area) -> Outcome:
    global _built
    assert _JOB is not None
    outcome = build_area(_JOB, area)
    from factsheet.render import memo

    memo.save()  # words this sheet hyphenated first (nothing is written when there are none)
    # A sheet leaves cycles (document, canvas, flowables) that the rare automatic full
    # collections would let pile up. Most are still young when the sheet is done: a collection
    # of the young generations after each sheet frees them without going over the worker's
    # long-lived memos (a full collection every 4 sheets cost ~7 ms a sheet, this ~3); a full
    # one, over the worker's own objects only (the inherited heap is frozen), now and then
    # frees what was promoted meanwhile. The worker's memory stays flat.
    _built += 1
    gc.collect(1)
    if _built % COLLECT_EVERY == 0:
        gc.collect()
    return outcome


def run(
    inputs: Inputs,
    wanted: list[Area],
    documents: dict[str, Document],
    folder: Path,
    jobs: int | None = None,
    on_done: Callable[[Outcome, int, int], None] | None = None,
) -> BatchResult:
    """Build every area of ``wanted`` into ``folder``; ``manifest.json`` last. ``documents``
    holds those already resolved (at least riket); workers resolve the others.

    The folder is held for the run (``files.folder_lock``): a second run into it is refused.
    The earlier manifest is removed before the first sheet is replaced, so a manifest in the
    folder always describes its files, also after a crash. On Ctrl-C (KeyboardInterrupt) the
    workers are stopped, the manifest lists the sheets that are complete, and ``Interrupted``
    is raised."""
    from factsheet.build import national_guess
    from factsheet.files import folder_lock

    started, since = time.perf_counter(), time.time_ns()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FactsheetError(
            Problem(str(folder), f"cannot create the output folder: {exc.strerror}")
        ) from None
    with folder_lock(folder):
        _remove_manifest(folder)
        job = _Job(inputs, documents, national_guess(documents[areas.RIKET]), folder)
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(wanted)))
        outcomes: list[Outcome] = []

        def done(outcome: Outcome) -> None:
            outcomes.append(outcome)
            if on_done:
                on_done(outcome, len(outcomes), len(wanted))

        try:
            _build(job, wanted, jobs, done, outcomes.append)
        except KeyboardInterrupt:
            quiet = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C waits
            try:
                outcomes += _written_unreported(job, wanted, outcomes, since)
                outcomes.sort(key=lambda o: o.area)
                write_manifest(folder, inputs, outcomes, [a.code for a in wanted])
            finally:
                signal.signal(signal.SIGINT, quiet)
            built = sum(1 for o in outcomes if not o.error)
            raise Interrupted(
                Problem(
                    str(folder),
                    f"interrupted: {built} of {len(wanted)} sheets are complete and listed in "
                    "manifest.json; run again to build them all",
                )
            ) from None
        outcomes.sort(key=lambda o: o.area)
        write_manifest(folder, inputs, outcomes, [a.code for a in wanted])
    from factsheet.render import memo

    memo.save()
    return BatchResult(tuple(outcomes), time.perf_counter() - started)


def _written_unreported(
    job: _Job, wanted: list[Area], outcomes: list[Outcome], since: int
) -> list[Outcome]:
    """The sheets a stopped worker put at their final names (the rename is atomic: each is
    complete) in this run, after ``since``, but whose outcome never reached this process: the
    manifest lists them, so that it matches the folder."""
    seen = {o.area for o in outcomes}
    found = []
    for area in wanted:
        if area.code in seen:
            continue
        target = job.folder / output_name(job.inputs.spec, area)
        try:
            if target.is_symlink() or target.stat().st_mtime_ns < since:
                continue  # not written by this run: the earlier run's file, left as it was
            data = target.read_bytes()
        except OSError:
            continue
        if data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"):
            digest = hashlib.sha256(data).hexdigest()
            found.append(Outcome(area.code, area.name, target.name, digest, len(data)))
    return found


def _remove_manifest(folder: Path) -> None:
    try:
        (folder / MANIFEST).unlink(missing_ok=True)
    except OSError as exc:
        raise FactsheetError(
            Problem(str(folder / MANIFEST), f"cannot replace the manifest: {exc.strerror or exc}")
        ) from None


def _build(
    job: _Job,
    wanted: list[Area],
    jobs: int,
    done: Callable[[Outcome], None],
    late: Callable[[Outcome], None],
) -> None:
    """Each outcome to ``done`` as it comes: in this process when one job suffices; else in
    worker processes forked from this one, which inherit the loaded inputs and resolved
    documents instead of receiving copies. When interrupted, the workers are stopped and the
    sheets that were completed meanwhile go to ``late``."""
    global _JOB
    if jobs == 1:
        for area in wanted:
            done(build_area(job, area))
        return
    _JOB = job
    # No gc.collect() first: the loaded inputs hold no garbage cycles (it freed nothing and
    # cost ~15 ms of the parent's serial time).
    gc.freeze()  # what the parent holds is never collected in the workers: no copy-on-write churn
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )
    reported: set[Future[Outcome]] = set()
    futures: dict[Future[Outcome], Area] = {}
    try:
        futures = {pool.submit(_work, area): area for area in wanted}
        for future in as_completed(futures):
            reported.add(future)
            done(_outcome(future, futures[future]))
    except BaseException:
        _stop(pool)
        for future, area in futures.items():
            if future not in reported and future.done() and not future.cancelled():
                outcome = _outcome(future, area)
                if not outcome.error:
                    late(outcome)
        raise
    else:
        pool.shutdown()
    finally:
        _JOB = None


def _outcome(future: Future[Outcome], area: Area) -> Outcome:
    """The worker's outcome, or a failed one when its process died (out of memory, killed)."""
    error = future.exception()
    if error is None:
        return future.result()
    return Outcome(area.code, area.name, error=f"worker process failed: {error}")


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: pending areas are cancelled, running workers get SIGTERM (each removes its
    temporary file), and any still alive after 5 s gets SIGKILL."""
    processes = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + 5
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def write_manifest(
    folder: Path, inputs: Inputs, outcomes: list[Outcome], codes: list[str] | None = None
) -> None:
    """``manifest.json``: the files built (area, sha256, size), the areas that failed, and,
    after an interruption, ``not_built``: the areas asked for that have no outcome."""
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
    seen = {o.area for o in outcomes}
    missing = [code for code in codes or [] if code not in seen]
    if missing:
        manifest["not_built"] = missing
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomic(text.encode("utf-8"), folder / MANIFEST)
    except OSError as exc:
        raise FactsheetError(
            Problem(
                str(folder / MANIFEST),
                f"cannot write the manifest: {exc.strerror or exc}; the sheets built are in the "
                "folder, but no manifest lists them",
            )
        ) from None
