"""Benchmark of the fact sheet build; prints a Markdown report.

    .venv/bin/python benchmarks/bench.py                  # 5 runs of everything, ~4 minutes
    .venv/bin/python benchmarks/bench.py --quick          # a smoke run, ~2 minutes
    .venv/bin/python benchmarks/bench.py --write docs/performance.md

Measures the source tree this script is in (``factsheet`` is imported from it, also in the
subprocesses), on this machine and under its current load; the figures are not a test:

1. the whole process as a user runs it: the installed ``factsheet`` CLI (next to this Python)
   in a subprocess, national sheet and riket + 21 län, each with a warm and with a cold build
   cache;
2. the peak memory of the whole process tree (parent and every forked worker together), by
   polling /proc while the command runs, in separate runs so that polling does not slow the
   timed ones;
3. in-process, the cost of one variant split into resolve, layout, chart, writing and the
   tagging/PDF-A step, by wrapping ``Chart.draw``, ``Chart.ops``, ``_SheetTemplate.build``,
   ``Canvas.save`` and ``pdf.finish`` at run time (in this process only; nothing in
   ``factsheet`` is changed);
4. in-process, how ``factsheet.batch.run`` grows with the number of variants, and the fixed
   start-up around it.

``--write FILE`` replaces the part of FILE between ``<!-- bench:start -->`` and
``<!-- bench:end -->`` with the report and keeps the rest (the hand-written explanation).
``--label`` names what was measured when the tree is not a git checkout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "factsheet"
CONTENT, FONTS = ROOT / "content" / "2021", ROOT / "fonts"
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

TARGET_NATIONAL_S = 1.0
TARGET_ALL_S = 1.5
TARGET_MEMORY_MIB = 250.0

# Areas for the per-variant split: riket, the largest län, a typical one, Gotland (one kommun),
# Västmanland (its value is suppressed) and the northernmost.
SPLIT_AREAS = ["00", "01", "03", "09", "14", "19", "25"]
QUICK_SPLIT_AREAS = ["00", "03", "09"]
SCALING_SIZES = [1, 2, 4, 8, 16, 22]
QUICK_SCALING_SIZES = [1, 4, 22]


# --- statistics and formatting ------------------------------------------------------------------
@dataclass(frozen=True)
class Stats:
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Stats:
        return cls(statistics.median(values), min(values), max(values), len(values))


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def verdict(value: float, target: float, unit: str, digits: int = 2) -> str:
    if value <= target:
        return f"≤ {target:g} {unit}: met"
    return f"≤ {target:g} {unit}: **missed** by {value - target:.{digits}f} {unit}"


def runs_text(n: int) -> str:
    return f"{n} run" + ("" if n == 1 else "s")


# --- the process tree ---------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    """Every process's children, from the ppid field of /proc/*/stat."""
    children: dict[int, list[int]] = defaultdict(list)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # exited meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        ppid = int(stat.rpartition(b")")[2].split()[1])
        children[ppid].append(int(name))
    return children


def _tree(root: int) -> list[int]:
    children = _children()
    pids = [root]
    for pid in pids:  # grows while iterating: a breadth-first walk
        pids.extend(children.get(pid, ()))
    return pids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


@dataclass(frozen=True)
class Memory:
    rss: int  # peak of the sum of RSS over the tree
    pss: int  # peak of the sum of PSS over the tree
    processes: int  # most processes seen at once
    parts: tuple[int, ...]  # RSS of each process at the RSS peak, parent first
    samples: int
    interval: float  # mean time between samples


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time, start to exit
    cpu: float  # user + system of the process and the workers it waited for; nan when polled
    memory: Memory | None  # when polled
    began: float  # epoch seconds, comparable with time.time() in the child
    ended: float


def _run(argv: list[str], env: dict[str, str], poll: bool) -> Run:
    """Run a command; with ``poll``, sample the memory of its process tree every ~5 ms."""
    with tempfile.TemporaryFile() as log:
        began = time.time()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=log)
        memory = None
        if poll:
            peak_rss = peak_pss = most = samples = 0
            parts: tuple[int, ...] = ()
            due = time.perf_counter()
            while proc.poll() is None:
                pids = _tree(proc.pid)
                sizes = [_rss(pid) for pid in pids]
                pss = sum(_pss(pid) for pid in pids)
                if sum(sizes) > peak_rss:
                    peak_rss, parts = sum(sizes), tuple(sizes)
                peak_pss, most = max(peak_pss, pss), max(most, sum(1 for s in sizes if s))
                samples += 1
                due += 0.005  # a sample every 5 ms, or as soon as possible when late
                time.sleep(max(0.0, due - time.perf_counter()))
            interval = (time.perf_counter() - started) / max(samples, 1)
            memory = Memory(peak_rss, peak_pss, most, parts, samples, interval)
        if proc.returncode is None:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
        else:
            cpu = float("nan")  # reaped by poll(), which reports no usage
        elapsed, ended = time.perf_counter() - started, time.time()
        if proc.returncode != 0:
            log.seek(0)
            output = log.read().decode(errors="replace")
            shown = " ".join(a if len(a) < 80 else "..." for a in argv)
            raise SystemExit(f"{shown} exited {proc.returncode}:\n{output}")
    return Run(elapsed, cpu, memory, began, ended)


# What the CLI does, step by step, with a timestamp after each: the same work in a fresh
# process, to show where the whole process's time goes. Arguments: mode content fonts out report.
PHASES = """
import json, sys, time
marks = [time.time()]
import factsheet.cli, factsheet.pdf, factsheet.batch
marks.append(time.time())
from pathlib import Path
from factsheet import areas
from factsheet.batch import run
from factsheet.build import build_one, check, load_inputs
mode, content, fonts, out, report = sys.argv[1:6]
inputs = load_inputs(Path(content), None, Path(fonts))
marks.append(time.time())
if mode == "national":
    build_one(inputs, Path(out) / "x.pdf")
else:
    codes = [areas.RIKET, *(c.code for c in areas.counties())]
    documents = check(inputs, codes[:2])
    marks.append(time.time())
    run(inputs, codes, documents, Path(out))
marks.append(time.time())
Path(report).write_text(json.dumps(marks))
"""
PHASE_NAMES = {
    "national": ["Python start", "imports", "`load_inputs`", "`build_one`", "exit"],
    "all": ["Python start", "imports", "`load_inputs`", "`check`", "`batch.run`", "exit"],
}


# --- 1 and 2: the whole process -----------------------------------------------------------------
@dataclass
class Case:
    label: str
    mode: str  # "national" or "all"
    cold: bool
    phases: bool = False  # the PHASES script instead of the CLI
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)
    steps: list[list[float]] = field(default_factory=list)  # durations, as PHASE_NAMES

    @property
    def cache(self) -> str:
        return "cold" if self.cold else "warm"

    def argv(self, out: Path, report: Path) -> list[str]:
        if self.phases:
            paths = [str(CONTENT), str(FONTS), str(out), str(report)]
            return [sys.executable, "-c", PHASES, self.mode, *paths]
        if self.mode == "national":
            return [str(CLI), "build", "-o", str(out / "x.pdf")]
        return [str(CLI), "build", "--all-counties", "-o", str(out)]


def whole_process(runs: int, memory_runs: int, work: Path, warm: Path) -> list[Case]:
    cli = [
        Case(label, mode, cold)
        for label, mode in (("national", "national"), ("riket + 21 län", "all"))
        for cold in (False, True)
    ]
    phases = [Case(c.label, c.mode, c.cold, phases=True) for c in cli]
    count = 0

    def once(case: Case, poll: bool) -> None:
        nonlocal count
        count += 1
        out, report = work / f"out-{count}", work / f"phases-{count}.json"
        out.mkdir()
        cache = work / f"cold-{count}" if case.cold else warm
        if case.cold:
            cache.mkdir()  # a fresh empty folder for every cold run
        env = dict(os.environ, FACTSHEET_CACHE=str(cache))
        result = _run(case.argv(out, report), env, poll)
        if result.memory is not None:
            case.memory.append(result.memory)
        else:
            case.times.append(result.seconds)
            case.cpu.append(result.cpu)
        if case.phases:
            marks = [result.began, *json.loads(report.read_text()), result.ended]
            case.steps.append([b - a for a, b in itertools.pairwise(marks)])
        shutil.rmtree(out, ignore_errors=True)
        if case.cold:
            shutil.rmtree(cache, ignore_errors=True)

    for case in cli:  # untimed: fills the warm cache and the OS's file cache
        if not case.cold:
            once(case, poll=False)
            case.times.clear()
            case.cpu.clear()
    for _ in range(runs):  # interleaved, so that a change in the machine's load hits all alike
        for case in [*cli, *phases]:
            once(case, poll=False)
    for _ in range(memory_runs):
        for case in cli:
            once(case, poll=True)
    return cli + phases


# --- 3: the cost of one variant, in-process -----------------------------------------------------
class Timers:
    """Wraps functions at run time; inclusive and exclusive (minus wrapped callees) times."""

    def __init__(self) -> None:
        self.inclusive: dict[str, float] = defaultdict(float)
        self.exclusive: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[float] = []

    def reset(self) -> None:
        self.inclusive.clear()
        self.exclusive.clear()
        self.calls.clear()

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append(0.0)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = self._stack.pop()
                self.inclusive[name] += elapsed
                self.exclusive[name] += elapsed - inner
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1] += elapsed

        return timed


@contextlib.contextmanager
def patched(timers: Timers) -> Iterator[None]:
    """Wrap the chart, the template's build passes, the canvas's save and (when the pipeline
    has it) the tagging/PDF-A step; undone on exit."""
    import factsheet.pdf
    from reportlab.pdfgen.canvas import Canvas

    from factsheet.render.chart import Chart
    from factsheet.render.pages import _SheetTemplate

    targets: list[tuple[Any, str, str]] = [
        (Chart, "draw", "chart_draw"),
        (Chart, "ops", "chart_ops"),
        (_SheetTemplate, "build", "build"),
        (Canvas, "save", "save"),
    ]
    if callable(getattr(factsheet.pdf, "finish", None)):
        targets.append((factsheet.pdf, "finish", "finish"))  # as render calls it
    saved = [(owner, attr, vars(owner).get(attr)) for owner, attr, _ in targets]
    try:
        for owner, attr, name in targets:
            setattr(owner, attr, timers.wrap(name, getattr(owner, attr)))
        yield
    finally:
        for owner, attr, original in saved:
            if original is None:
                delattr(owner, attr)  # it was inherited (BaseDocTemplate.build)
            else:
                setattr(owner, attr, original)


SPLIT_ROWS = [
    ("resolve", "resolve the area's document (`resolve.resolve`)"),
    ("layout", "layout: `_SheetTemplate.build`, all passes, minus the chart"),
    ("chart_ops", "chart display list (`Chart.ops`, from the cache)"),
    ("chart_draw", "chart replay onto the canvas (`Chart.draw` minus `ops`)"),
    ("save", "writing the PDF (`Canvas.save`: page streams, fonts, xref)"),
    ("finish", "tagging and PDF/A (`finish.finish`, pikepdf)"),
    ("other", "rest of `render` (flowables, side box, page templates)"),
    ("render", "= `pdf.render` total"),
    ("file", "file write (`write_atomic`: temp file, fsync, rename)"),
]


@dataclass
class Split:
    areas: list[str]
    parts: dict[str, list[float]]
    passes: list[int]
    cold_ops: list[float]
    cold_render: list[float]
    matplotlib_import: float | None
    unplanned: list[float]  # render without the national footnote plan
    unplanned_passes: list[int]


def split(inputs: Any, documents: dict[str, Any], guess: Any, codes: list[str], runs: int) -> Split:
    from factsheet.files import write_atomic
    from factsheet.render.pages import render
    from factsheet.resolve.resolver import resolve

    timers = Timers()
    parts: dict[str, list[float]] = defaultdict(list)
    passes: list[int] = []
    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as folder, patched(timers):
        for code in codes:
            render(documents[code], guess)  # once untimed: the cache entry exists, code is warm
            for _ in range(runs):
                started = time.perf_counter()
                resolve(inputs.spec, inputs.data, code)
                parts["resolve"].append(time.perf_counter() - started)
                timers.reset()
                started = time.perf_counter()
                rendered = render(documents[code], guess)
                total = time.perf_counter() - started
                parts["render"].append(total)
                parts["layout"].append(timers.exclusive["build"])
                parts["chart_ops"].append(timers.inclusive["chart_ops"])
                parts["chart_draw"].append(timers.exclusive["chart_draw"])
                parts["save"].append(timers.inclusive["save"])
                if "finish" in timers.calls:
                    parts["finish"].append(timers.inclusive["finish"])
                measured = sum(timers.inclusive[k] for k in ("build", "save", "finish"))
                parts["other"].append(total - measured)
                passes.append(timers.calls["build"])
                started = time.perf_counter()
                write_atomic(rendered.pdf, Path(folder) / "x.pdf")
                parts["file"].append(time.perf_counter() - started)

        # Without the national footnote plan, as a variant would be laid out from scratch.
        unplanned, unplanned_passes = [], []
        for code in codes:
            timers.reset()
            started = time.perf_counter()
            render(documents[code], None)
            unplanned.append(time.perf_counter() - started)
            unplanned_passes.append(timers.calls["build"])

        # Cold: no display list in the cache, so matplotlib lays the chart out and it is
        # recorded. matplotlib's import is timed apart (a process pays it once).
        imported = None
        if "factsheet.chart_mpl" not in sys.modules:
            started = time.perf_counter()
            import factsheet.chart_mpl  # noqa: F401

            imported = time.perf_counter() - started
        cold_ops, cold_render = [], []
        saved = os.environ.get("FACTSHEET_CACHE")
        try:
            for code in codes:
                os.environ["FACTSHEET_CACHE"] = tempfile.mkdtemp(dir=folder)
                timers.reset()
                started = time.perf_counter()
                render(documents[code], guess)
                cold_render.append(time.perf_counter() - started)
                cold_ops.append(timers.inclusive["chart_ops"])
        finally:
            if saved is None:
                os.environ.pop("FACTSHEET_CACHE", None)
            else:
                os.environ["FACTSHEET_CACHE"] = saved
    return Split(
        codes, dict(parts), passes, cold_ops, cold_render, imported, unplanned, unplanned_passes
    )


# --- 4: growth with the number of variants, in-process ------------------------------------------
@dataclass
class Scaling:
    sizes: list[int]
    times: dict[int, list[float]]
    jobs: dict[int, int]


def scaling(inputs: Any, documents: dict[str, Any], sizes: list[int], runs: int) -> Scaling:
    from factsheet.batch import run
    from factsheet.model import areas

    codes = [areas.RIKET, *(c.code for c in areas.counties())]
    times: dict[int, list[float]] = defaultdict(list)
    jobs: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as folder:
        run(inputs, codes[:2], documents, Path(folder) / "warm-up")
        for attempt in range(runs):
            for size in sizes:
                target = Path(folder) / f"{size}-{attempt}"
                started = time.perf_counter()
                result = run(inputs, codes[:size], documents, target)
                times[size].append(time.perf_counter() - started)
                if result.failed:
                    raise SystemExit(f"batch of {size} failed: {result.failed}")
                jobs[size] = max(1, min(os.cpu_count() or 1, size))  # as batch.run chooses
                shutil.rmtree(target, ignore_errors=True)
    return Scaling(sizes, dict(times), jobs)


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line through (n, seconds): intercept and slope."""
    xs, ys = [float(n) for n, _ in points], [s for _, s in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - slope * mx, slope


# --- start-up ------------------------------------------------------------------------------------
STARTUP_IMPORTS = "import factsheet.cli, factsheet.pdf, factsheet.batch"
HEAVY = ("matplotlib", "pandas", "openpyxl", "numpy", "pikepdf", "PIL")


@dataclass
class Startup:
    packages: list[tuple[str, float]]  # top-level packages the CLI imports, by import time
    heavy: list[str]  # heavy packages in sys.modules after a warm build of every area
    accel: tuple[float, float] = (0.0, 0.0)  # render with and without rl_accel


def import_costs() -> list[tuple[str, float]]:
    """Seconds per package that ``factsheet`` imports at start-up (``python -X importtime``):
    each module loaded straight from a ``factsheet`` module (or the command) is charged, with
    everything it loads in turn, to its top-level package; ``factsheet``'s own code is one
    more entry."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", STARTUP_IMPORTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []  # (depth, package, self, cumulative), in the order printed: children first
    for line in result.stderr.splitlines():
        fields = line.split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue  # the header
        name = fields[2][1:]
        depth = (len(name) - len(name.lstrip(" "))) // 2
        own, total = int(fields[0].split(":")[1]) / 1e6, int(fields[1]) / 1e6
        rows.append((depth, name.strip().split(".")[0], own, total))
    costs: dict[str, float] = defaultdict(float)
    parents: list[tuple[int, str]] = []
    for depth, package, own, total in reversed(rows):  # parents first
        while parents and parents[-1][0] >= depth:
            parents.pop()
        parent = parents[-1][1] if parents else None
        if package == "factsheet":
            costs[package] += own
        elif parent == "factsheet":
            costs[package] += total
        parents.append((depth, package))
    return sorted(costs.items(), key=lambda item: -item[1])


class Background:
    """How busy the rest of the machine was: the CPU time /proc/stat counts for all processes,
    minus this process's and its waited-for children's, over the wall time."""

    def __init__(self) -> None:
        self.busy, self.own, self.wall = self._now()

    @staticmethod
    def _now() -> tuple[float, float, float]:
        with open("/proc/stat") as handle:
            ticks = [int(x) for x in handle.readline().split()[1:9]]
        busy = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait
        me, children = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        own = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
        return busy, own, time.perf_counter()

    def cores(self) -> float:
        """Cores used on average by other processes since this was made."""
        busy, own, wall = self._now()
        return max(0.0, (busy - self.busy) - (own - self.own)) / max(wall - self.wall, 1e-9)


def wait_idle(limit: float, quiet: float = 0.2, window: float = 3.0) -> tuple[float, float]:
    """Wait until other processes use under ``quiet`` CPUs over ``window`` seconds, or until
    ``limit`` seconds have passed; the time waited and the last load seen."""
    started = time.perf_counter()
    while True:
        background = Background()
        time.sleep(window)
        busy = background.cores()
        waited = time.perf_counter() - started
        if busy < quiet or waited >= limit:
            return waited, busy
        print(f"... other processes use {busy:.2f} CPUs; waiting", file=sys.stderr, flush=True)


# ReportLab's C accelerator against its pure-Python fallback, as ReportLab's own tests compare
# them: the same renders in two fresh processes, one with ``_rl_accel`` blocked.
RL_ACCEL = """
import statistics, sys, time
if sys.argv[1] == "off":
    sys.modules["_rl_accel"] = None
from pathlib import Path
from factsheet import areas
from factsheet.build import check, load_inputs, national_guess
from factsheet.pdf import render
inputs = load_inputs(Path(sys.argv[2]), None, Path(sys.argv[3]))
documents = check(inputs, [areas.RIKET, "03"])
guess = national_guess(documents[areas.RIKET])
times = []
for _ in range(int(sys.argv[4]) + 1):
    for code in (areas.RIKET, "03"):
        started = time.perf_counter()
        render(documents[code], guess)
        times.append(time.perf_counter() - started)
print(statistics.median(times[2:]))
"""


def rl_accel(runs: int) -> tuple[float, float]:
    """Median render of riket and Uppsala, ms, with and without ReportLab's C accelerator."""
    result = []
    for mode in ("on", "off"):
        argv = [sys.executable, "-c", RL_ACCEL, mode, str(CONTENT), str(FONTS), str(runs)]
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
        result.append(float(done.stdout.strip()))
    return result[0], result[1]


# --- the report -----------------------------------------------------------------------------------
def machine(label: str | None) -> list[str]:
    import reportlab

    import factsheet

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        import _rl_accel  # noqa: F401

        accel = "with rl_accel"
    except ImportError:
        accel = "**without** rl_accel"
    described = subprocess.run(
        ["git", "describe", "--always", "--dirty=+local changes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    source = Path(factsheet.__file__).parent.parent
    what = label or (f"commit `{described}`" if described else f"`{source}` (not a git checkout)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"- date: {now}; measured: {what}",
        f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))})"
        + (f", {cpu}" if cpu else "")
        + f"; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; ReportLab {reportlab.Version} {accel}",
        f"- load average before the run (1, 5, 15 min): {load}",
    ]


def report(
    args: argparse.Namespace,
    info: list[str],
    cases: list[Case],
    startup: Startup,
    part: Split,
    growth: Scaling,
) -> str:
    cli = [c for c in cases if not c.phases]
    phases = [c for c in cases if c.phases]
    out: list[str] = []
    add = out.append
    add(
        "Measured by `.venv/bin/python benchmarks/bench.py"
        + (" --quick" if args.quick else f" --runs {args.runs}")
        + "`"
        + (" (**quick run: too few runs to quote**)" if args.quick else "")
        + ":"
    )
    add("")
    out.extend(info)
    add("")
    add("### Against the targets")
    add("")
    add("| target (issue 4) | warm cache: median (best run) | cold cache: median (best run) |")
    add("|---|---|---|")
    for mode, target, text in (
        ("national", TARGET_NATIONAL_S, "national sheet"),
        ("all", TARGET_ALL_S, "riket + 21 län"),
    ):
        row = []
        for case in (c for c in cli if c.mode == mode):
            stats = Stats.of(case.times)
            status = "met" if stats.median <= target else "**missed**"
            row.append(f"{seconds(stats.median)} ({stats.low:.2f}): {status}")
        add(f"| {text} ≤ {target:g} s | " + " | ".join(row) + " |")
    row = []
    for cold in (False, True):
        peak = max(m.rss for c in cli if c.cold == cold for m in c.memory) / MIB
        pss = max(m.pss for c in cli if c.cold == cold for m in c.memory) / MIB
        status = "met" if peak <= TARGET_MEMORY_MIB else "**missed**"
        row.append(f"largest peak {peak:.0f} MiB (PSS {pss:.0f} MiB): {status}")
    add(
        f"| peak memory of the process tree ≤ {TARGET_MEMORY_MIB:g} MiB (RSS sum) | "
        + " | ".join(row)
        + " |"
    )
    add("")
    add("### Whole process, as a user runs it")
    add("")
    add(
        f"The installed `factsheet` CLI in a subprocess, wall time from start to exit; "
        f"median (min–max) of {runs_text(len(cli[0].times))}, the four commands interleaved "
        "(with the step-by-step runs below); "
        "CPU: user + system time of the process and its workers (median). "
        "Warm: the build cache holds this content's entries (one untimed run first). Cold: "
        "`FACTSHEET_CACHE` points at a fresh empty folder in every run."
    )
    add("")
    add("| command | cache | median | min – max | CPU | target |")
    add("|---|---|---:|---:|---:|---|")
    for case in cli:
        stats = Stats.of(case.times)
        national = case.mode == "national"
        command = "`factsheet build`" if national else "`factsheet build --all-counties`"
        target = TARGET_NATIONAL_S if national else TARGET_ALL_S
        add(
            f"| {command} ({case.label}) | {case.cache} "
            f"| {seconds(stats.median)} | {stats.low:.2f} – {stats.high:.2f} "
            f"| {seconds(statistics.median(case.cpu))} "
            f"| {verdict(stats.median, target, 's')} |"
        )
    add("")
    add("### Peak memory of the whole process tree")
    add("")
    add(
        "Separate runs (polling costs CPU, so they are not the timed ones), "
        f"{len(cli[0].memory)} per command; the largest peak is shown. While the command "
        "runs, /proc is polled every ~5 ms: the process and all its descendants (by the ppid "
        "links of /proc/*/stat), summing RSS (/proc/PID/statm) and PSS "
        "(/proc/PID/smaps_rollup). The RSS sum counts the pages a forked worker shares with "
        "its parent once per process, so it overstates; PSS splits each shared page among its "
        "sharers, so its sum is the memory really in use. The target is judged on the RSS sum."
    )
    add("")
    add(
        "| command | cache | processes | peak RSS sum | RSS per process at the peak "
        "| peak PSS sum | target (RSS sum) |"
    )
    add("|---|---|---:|---:|---|---:|---|")
    for case in cli:
        peak = max(case.memory, key=lambda m: m.rss)
        pss = max(m.pss for m in case.memory)
        each = " + ".join(f"{p / MIB:.0f}" for p in peak.parts if p)
        add(
            f"| {case.label} | {case.cache} | {peak.processes} "
            f"| {peak.rss / MIB:.0f} MiB | {each} MiB | {pss / MIB:.0f} MiB "
            f"| {verdict(peak.rss / MIB, TARGET_MEMORY_MIB, 'MiB', 0)} |"
        )
    interval = statistics.median(m.interval for c in cli for m in c.memory)
    add("")
    add(f"(Median time between samples, including the /proc walk: {interval * 1000:.1f} ms.)")
    add("")
    add("### Where the whole process's time goes")
    add("")
    add(
        "The same work as the CLI, step by step with a timestamp after each, in a fresh "
        "process (`PHASES` in bench.py: the CLI's imports, `load_inputs`, then `build_one`, or "
        "`check` of riket and one county and `batch.run` of the 22 areas), run interleaved "
        "with the CLI runs above. Python start: from the fork until the first line runs; exit: "
        "from the last step until the parent has reaped the process. Seconds, median."
    )
    add("")
    add("| step | " + " | ".join(f"{c.label}, {c.cache}" for c in phases) + " |")
    add("|---|" + "---:|" * len(phases))
    order = ["Python start", "imports", "`load_inputs`", "`check`", "`build_one`", "`batch.run`"]
    names = [n for n in [*order, "exit"] if any(n in PHASE_NAMES[c.mode] for c in phases)]
    for name in names:
        row = []
        for case in phases:
            if name in PHASE_NAMES[case.mode]:
                index = PHASE_NAMES[case.mode].index(name)
                row.append(f"{statistics.median(s[index] for s in case.steps):.3f}")
            else:
                row.append("–")
        add(f"| {name} | " + " | ".join(row) + " |")
    add("| total | " + " | ".join(f"{statistics.median(c.times):.3f}" for c in phases) + " |")
    add("")
    top = ", ".join(f"{name} {ms(cost)}" for name, cost in startup.packages[:8])
    add(
        f"The imports by package, each with what it imports in turn (`python -X importtime` "
        f"of `{STARTUP_IMPORTS}`, ms, inflated somewhat by the tracing): {top}."
    )
    add("")
    heavy = ", ".join(f"`{name}`" for name in startup.heavy) or "none"
    add(
        f"Heavy packages loaded after a warm build of all 22 areas (checked in the parent): "
        f"{heavy} (of {', '.join(f'`{name}`' for name in HEAVY)})."
    )
    add("")
    add("### Cost of one variant")
    add("")
    names = ", ".join(part.areas)
    add(
        f"In-process, inputs loaded once, warm cache; areas {names}, each rendered "
        f"{args.split_runs} times after one untimed render. `Chart.draw`, `Chart.ops`, "
        "`_SheetTemplate.build`, `Canvas.save` and `pdf.finish` are wrapped with timers at run "
        "time (in the benchmark only). Milliseconds: median over all renders, and the range of "
        "the per-area medians. The parts add up to `pdf.render`; resolve and the file write "
        "are timed apart."
    )
    add("")
    add("| part | median ms | per-area medians, ms |")
    add("|---|---:|---:|")
    per_area = len(part.parts["render"]) // len(part.areas)
    for key, label in SPLIT_ROWS:
        values = part.parts.get(key)
        if not values:
            continue  # a step this version of the pipeline does not have
        medians = [
            statistics.median(values[i * per_area : (i + 1) * per_area])
            for i in range(len(part.areas))
        ]
        spread = f"{ms(min(medians))} – {ms(max(medians))}"
        add(f"| {label} | {ms(statistics.median(values))} | {spread} |")
    add("")
    passes = statistics.median(part.passes)
    add(
        f"Layout passes per render (median): {passes:g}, starting from the national footnote "
        f"plan. Without it (`render(document, None)`, once per area): "
        f"{statistics.median(part.unplanned_passes):g} passes, "
        f"{ms(statistics.median(part.unplanned))} ms a render."
    )
    add("")
    add(
        f"Cold chart (no display list cached; matplotlib lays it out and the result is "
        f"recorded): `Chart.ops` median {ms(statistics.median(part.cold_ops))} ms "
        f"({ms(min(part.cold_ops))} – {ms(max(part.cold_ops))}), so a render costs "
        f"{ms(statistics.median(part.cold_render))} ms instead of "
        f"{ms(statistics.median(part.parts['render']))} ms"
        + (
            f"; plus importing matplotlib once per process: {ms(part.matplotlib_import)} ms."
            if part.matplotlib_import is not None
            else "."
        )
    )
    add("")
    on, off = startup.accel
    add(
        f"ReportLab's C accelerator (`rl_accel`) against its pure-Python fallback: a render of "
        f"riket or Uppsala takes {ms(on)} ms with it, {ms(off)} ms with `_rl_accel` blocked "
        "(median, each in a fresh process, warm cache)."
    )
    add("")
    add("### Growth with the number of variants")
    repeats = runs_text(len(growth.times[growth.sizes[0]]))
    add("")
    add(
        "In-process `factsheet.batch.run(inputs, codes[:n], documents, folder)` with the default "
        "jobs (one per core; a single area is built in-process, more in forked workers), "
        "riket first, then the län in code order; inputs loaded and `check(inputs, codes[:2])` "
        f"done once beforehand, warm cache; median of {repeats}."
    )
    add("")
    add("| areas | workers | seconds | seconds per area | added per extra area |")
    add("|---:|---:|---:|---:|---:|")
    previous: tuple[int, float] | None = None
    for size in growth.sizes:
        median = statistics.median(growth.times[size])
        step = "" if previous is None else f"{(median - previous[1]) / (size - previous[0]):.3f}"
        add(f"| {size} | {growth.jobs[size]} | {median:.3f} | {median / size:.3f} | {step} |")
        previous = (size, median)
    points = [(n, statistics.median(growth.times[n])) for n in growth.sizes if n > 1]
    intercept, slope = fit(points) if len(points) > 1 else (0.0, 0.0)
    add("")
    if len(points) > 1:
        add(
            f"A straight line through the parallel runs (n ≥ 2): {intercept:.3f} s + "
            f"{slope * 1000:.0f} ms × n, i.e. with {growth.jobs[max(growth.sizes)]} workers "
            f"each extra area costs about {slope * 1000:.0f} ms of wall time "
            f"(≈ {slope * growth.jobs[max(growth.sizes)] * 1000:.0f} ms of CPU)."
        )
        add("")
    warm_all = next(c for c in phases if c.mode == "all" and not c.cold)
    names = PHASE_NAMES["all"]
    fixed = [
        statistics.median(s[i] for s in warm_all.steps)
        for i, name in enumerate(names)
        if name != "`batch.run`"
    ]
    batch = statistics.median(s[names.index("`batch.run`")] for s in warm_all.steps)
    add(
        f"On top of that comes the fixed start-up of the process (warm, from the step-by-step "
        f"runs): Python start, imports, `load_inputs`, `check` and exit take "
        f"{seconds(sum(fixed))} of the {seconds(statistics.median(warm_all.times))}, "
        f"`batch.run` of the 22 areas {seconds(batch)}."
    )
    return "\n".join(out) + "\n"


def write(path: Path, text: str) -> None:
    """Put ``text`` between the markers in ``path``, keeping everything around them."""
    block = f"{START}\n{text}{END}"
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if START in old and END in old:
            head, rest = old.split(START, 1)
            new = head + block + rest.split(END, 1)[1]
        else:
            new = old.rstrip("\n") + "\n\n" + block + "\n"
    else:
        new = f"# Performance\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (5)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and areas; a smoke run")
    parser.add_argument("--write", type=Path, metavar="FILE", help="also write the report here")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait, up to this long, until other processes use under 0.2 CPUs",
    )
    parser.add_argument(
        "--label", help="what is measured, for the report (default: git describe of the tree)"
    )
    args = parser.parse_args()
    if args.quick:
        args.runs = min(args.runs, 2)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not CLI.exists():
        parser.error(f"{CLI} not found: install the package (pip install -e .) in this venv")
    memory_runs = 1 if args.quick else min(args.runs, 3)
    args.split_runs = 2 if args.quick else args.runs
    # Measure the tree this script is in, in this process and in every subprocess, whatever
    # checkout the venv's editable install points at (the same one in the usual case).
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    waited = wait_idle(args.wait_idle) if args.wait_idle > 0 else None
    info = machine(args.label)
    if waited is not None:
        info.append(
            f"- waited {waited[0]:.0f} s for a quiet machine (`--wait-idle {args.wait_idle:g}`); "
            f"other processes then used {waited[1]:.2f} CPUs"
        )

    def step(text: str) -> None:
        print(f"... {text}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as tmp:
        work = Path(tmp)
        warm = work / "cache"  # the benchmark's own cache, not the user's
        step("whole process: national and riket + 21 län, warm and cold, timed and polled")
        background = Background()
        cases = whole_process(args.runs, memory_runs, work, warm)
        busy_outside = background.cores()

        step("imports")
        background = Background()
        packages = import_costs()
        os.environ["FACTSHEET_CACHE"] = str(warm)
        from factsheet.build import check, load_inputs, national_guess
        from factsheet.model import areas

        inputs = load_inputs(CONTENT, None, FONTS)
        codes = [areas.RIKET, *(c.code for c in areas.counties())]
        documents = check(inputs, codes[:2])
        guess = national_guess(documents[areas.RIKET])

        step("growth with the number of variants (batch.run)")
        sizes = QUICK_SCALING_SIZES if args.quick else SCALING_SIZES
        growth = scaling(inputs, documents, sizes, 1 if args.quick else args.runs)
        heavy = [name for name in HEAVY if name in sys.modules]
        startup = Startup(packages, heavy)

        step("cost of one variant (render, wrapped)")
        chosen = QUICK_SPLIT_AREAS if args.quick else SPLIT_AREAS
        all_documents = check(inputs, chosen)
        part = split(inputs, all_documents, guess, chosen, args.split_runs)
        step("rl_accel on and off")
        startup.accel = rl_accel(2 if args.quick else args.runs)
        busy_inside = background.cores()

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    info.append(f"- load average after the run: {load}")
    info.append(
        f"- other processes kept on average {busy_outside:.2f} of the {os.cpu_count()} CPUs busy "
        f"during the whole-process runs and {busy_inside:.2f} during the in-process ones "
        "(/proc/stat minus the benchmark's own CPU time); where that is well above 0 the "
        "figures are slower than on an idle machine, and the minima are the better guide"
    )
    text = report(args, info, cases, startup, part, growth)
    print(text, end="")
    if args.write:
        write(args.write, text)
        step(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
