"""Benchmark of the fact sheet build against its targets and a Typst peer; prints Markdown.

    .venv/bin/python benchmarks/bench.py                  # 5 runs of everything, ~5 minutes
    .venv/bin/python benchmarks/bench.py --quick          # a smoke run, ~1 minute
    .venv/bin/python benchmarks/bench.py --wait-idle 300 --write docs/performance.md

Measures the source tree this script is in (``factsheet`` is imported from it, also in the
subprocesses), on this machine and under its current load; the figures are not a test:

1. the whole process as a user runs it: the installed ``factsheet`` CLI (next to this Python)
   in a subprocess: the national sheet with a warm and with a cold build cache, riket + 21 län
   (``--all-counties``) and all 324 sheets (``--all``) with a warm one;
2. the Typst peer: ``benchmarks/typst/build.py`` compiles a comparable sheet
   (``benchmarks/typst/sheet.typ``, the same resolved text, tables, chart values and notes,
   exported by ``benchmarks/typst/export.py``) for the same 22 areas to PDF/A-2b + PDF/UA-1
   in one process; each of its runs is paired with a ``--all-counties`` run (alternating which
   goes first) and the ratio of each pair is reported. Needs the ``typst`` package
   (``pip install -e '.[bench]'``); skipped with a note when it is missing;
3. the peak memory of the whole process tree (parent and every forked worker together), by
   polling /proc while the command runs, in separate runs so that polling does not slow the
   timed ones;
4. what the CLI imports, by package (``python -X importtime``), and which heavy packages a
   warm build loads.

``--write FILE`` replaces the part of FILE between ``<!-- bench:start -->`` and
``<!-- bench:end -->`` with the report and keeps the rest (the hand-written explanation).
``--label`` names what was measured when the tree is not a git checkout.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import importlib.util
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "factsheet"
CONTENT, FONTS = ROOT / "content" / "2021", ROOT / "fonts"
TYPST = ROOT / "benchmarks" / "typst"
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# The targets of issue 14 (whole process, warm cache unless said, as shipped).
TARGET_NATIONAL_S = 0.45
TARGET_ALL_S = 8.0
TARGET_COLD_NATIONAL_S = 1.5
TARGET_MEMORY_MIB = 200.0
TARGET_RATIO = 1.0


@dataclass(frozen=True)
class Stats:
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Stats:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, digits: int = 2, unit: str = " s") -> str:
        return f"{self.median:.{digits}f}{unit} ({self.low:.{digits}f}–{self.high:.{digits}f})"


def verdict(value: float, target: float, unit: str, digits: int = 2) -> str:
    if value <= target:
        return "met"
    return f"**missed** by {value - target:.{digits}f}{unit}"


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


# --- the commands ---------------------------------------------------------------------------------
@dataclass
class Case:
    key: str  # national, national-cold, counties, all, typst
    label: str
    argv: list[str]
    cold: bool = False
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)

    @property
    def cache(self) -> str:
        return "cold" if self.cold else "warm"


def cases(work: Path, typst: Path | None, with_all: bool) -> list[Case]:
    out = work / "out"
    found = [
        Case("national", "`factsheet build` (national)", ["build", "-o", str(out / "x.pdf")]),
        Case("national-cold", "`factsheet build` (national)", ["build", "-o", str(out / "x.pdf")]),
        Case(
            "counties",
            "`factsheet build --all-counties` (riket + 21 län)",
            ["build", "--all-counties", "-o", str(out)],
        ),
    ]
    found[1].cold = True
    if with_all:
        found.append(
            Case("all", "`factsheet build --all` (all 324)", ["build", "--all", "-o", str(out)])
        )
    for case in found:
        case.argv = [str(CLI), *case.argv]
    if typst is not None:
        script = str(TYPST / "build.py")
        found.append(
            Case(
                "typst",
                "Typst peer (riket + 21 län, `benchmarks/typst/build.py`)",
                [sys.executable, script, str(typst), str(out), "--fonts", str(FONTS)],
            )
        )
    return found


def measure(found: list[Case], runs: int, memory_runs: int, work: Path, warm: Path) -> None:
    count = 0

    def once(case: Case, poll: bool) -> None:
        nonlocal count
        count += 1
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        cache = work / f"cold-{count}" if case.cold else warm
        if case.cold:
            cache.mkdir()  # a fresh empty folder for every cold run
        env = dict(os.environ, FACTSHEET_CACHE=str(cache))
        result = _run(case.argv, env, poll)
        if result.memory is not None:
            case.memory.append(result.memory)
        else:
            case.times.append(result.seconds)
            case.cpu.append(result.cpu)
        if case.cold:
            shutil.rmtree(cache, ignore_errors=True)

    by_key = {case.key: case for case in found}
    for case in found:  # untimed: fills the warm cache and the OS's file cache
        if not case.cold:
            once(case, poll=False)
            case.times.clear()
            case.cpu.clear()
    for attempt in range(runs):  # interleaved: a change in the machine's load hits all alike
        pair = [by_key["counties"], *([by_key["typst"]] if "typst" in by_key else [])]
        if attempt % 2:
            pair.reverse()  # alternate which of the pair goes first
        order = [by_key["national"], *pair, by_key["national-cold"]]
        order += [by_key["all"]] if "all" in by_key else []
        for case in order:
            once(case, poll=False)
    for _ in range(memory_runs):
        for case in found:
            once(case, poll=True)


# --- imports --------------------------------------------------------------------------------------
STARTUP_IMPORTS = "import factsheet.cli, factsheet.render.pages, factsheet.batch"
HEAVY = ("matplotlib", "pandas", "openpyxl", "numpy", "pikepdf", "PIL")
HEAVY_CHECK = """
import sys
from factsheet.cli import main
code = main(["build", "-o", sys.argv[1]])
heavy = [m for m in sys.argv[2:] if m in sys.modules]
print("heavy:" + ",".join(heavy))
sys.exit(code)
"""


def heavy_loaded(work: Path, warm: Path) -> list[str]:
    """Heavy packages in sys.modules after a warm national build, in a fresh process."""
    env = dict(os.environ, FACTSHEET_CACHE=str(warm))
    argv = [sys.executable, "-c", HEAVY_CHECK, str(work / "heavy.pdf"), *HEAVY]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1].removeprefix("heavy:")
    return [m for m in last.split(",") if m]


# --- the Typst peer -------------------------------------------------------------------------------
def prepare_typst(work: Path) -> tuple[Path | None, str]:
    """The folder the Typst peer compiles from (sheet.typ + data.json), or None and why not."""
    if importlib.util.find_spec("typst") is None:
        return None, "the `typst` package is not installed (`pip install -e '.[bench]'`)"
    import typst

    folder = work / "typst"
    folder.mkdir()
    shutil.copy(TYPST / "sheet.typ", folder / "sheet.typ")
    subprocess.run(
        [sys.executable, str(TYPST / "export.py"), str(folder / "data.json")],
        cwd=ROOT,
        check=True,
    )
    version = getattr(typst, "__version__", "?")
    return folder, f"`typst` {version} (Python package)"


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


# --- the report -----------------------------------------------------------------------------------
def report(
    args: argparse.Namespace,
    info: list[str],
    found: list[Case],
    packages: list[tuple[str, float]],
    heavy: list[str],
    typst_note: str,
) -> str:
    by_key = {case.key: case for case in found}
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
    add(f"- Typst peer: {typst_note}")
    add("")
    add("### Against the targets (issue 14)")
    add("")
    add(
        f"Whole process, median of {runs_text(len(by_key['national'].times))} (min–max); warm "
        "build cache unless said."
    )
    add("")
    add("| target | measured | |")
    add("|---|---|---|")
    national = Stats.of(by_key["national"].times)
    add(
        f"| national sheet ≤ {TARGET_NATIONAL_S:g} s | {national.text()} "
        f"| {verdict(national.median, TARGET_NATIONAL_S, ' s')} |"
    )
    counties = Stats.of(by_key["counties"].times)
    if "typst" in by_key:
        peer = Stats.of(by_key["typst"].times)
        ratios = Stats.of(
            [a / b for a, b in zip(by_key["counties"].times, by_key["typst"].times, strict=True)]
        )
        add(
            f"| riket + 21 län at or under the Typst peer (ratio ≤ {TARGET_RATIO:g}) "
            f"| ratio {ratios.text(unit='')}: factsheet {counties.text()}, Typst {peer.text()} "
            f"| {verdict(ratios.median, TARGET_RATIO, '')} |"
        )
    else:
        add(f"| riket + 21 län at or under the Typst peer | {counties.text()}; no peer run | – |")
    if "all" in by_key:
        every = Stats.of(by_key["all"].times)
        add(
            f"| all 324 sheets ≤ {TARGET_ALL_S:g} s | {every.text()} "
            f"| {verdict(every.median, TARGET_ALL_S, ' s')} |"
        )
    factsheet_cases = [c for c in found if c.key != "typst"]
    peak = max(m.rss for c in factsheet_cases for m in c.memory) / MIB
    add(
        f"| peak memory of the process tree ≤ {TARGET_MEMORY_MIB:g} MiB (RSS sum) "
        f"| largest peak {peak:.0f} MiB | {verdict(peak, TARGET_MEMORY_MIB, ' MiB', 0)} |"
    )
    if "all" in by_key:
        few = max(max(m.parts) for m in by_key["counties"].memory) / MIB
        many = max(max(m.parts) for m in by_key["all"].memory) / MIB
        add(
            f"| memory flat in the number of variants | largest process: {few:.0f} MiB for "
            f"22 sheets, {many:.0f} MiB for 324 "
            f"| {'met' if many <= few * 1.1 + 2 else '**missed**'} |"
        )
    cold = Stats.of(by_key["national-cold"].times)
    add(
        f"| cold cache (first build after install): national ≤ {TARGET_COLD_NATIONAL_S:g} s "
        f"| {cold.text()} | {verdict(cold.median, TARGET_COLD_NATIONAL_S, ' s')} |"
    )
    add("")
    add("### Whole process, as a user runs it")
    add("")
    add(
        "Each command in a subprocess, wall time from start to exit; the commands interleaved, "
        "so that a change in the machine's load hits them alike. CPU: user + system time of "
        "the process and its workers (median). Warm: the build cache holds this content's "
        "entries (one untimed run first). Cold: `FACTSHEET_CACHE` points at a fresh empty "
        "folder in every run."
    )
    add("")
    add("| command | cache | median | min – max | CPU |")
    add("|---|---|---:|---:|---:|")
    for case in found:
        stats = Stats.of(case.times)
        cache = "–" if case.key == "typst" else case.cache
        add(
            f"| {case.label} | {cache} | {stats.median:.2f} s | {stats.low:.2f} – "
            f"{stats.high:.2f} | {statistics.median(case.cpu):.2f} s |"
        )
    if "typst" in by_key:
        add("")
        add("### Against the Typst peer, pair by pair")
        add("")
        add(
            "Each run of `--all-counties` is paired with a run of the Typst peer right before "
            "or after it (the order alternates); the ratio is factsheet's time over Typst's."
        )
        add("")
        add("| pair | first | factsheet | Typst | ratio |")
        add("|---:|---|---:|---:|---:|")
        pairs = zip(by_key["counties"].times, by_key["typst"].times, strict=True)
        for i, (a, b) in enumerate(pairs):
            first = "Typst" if i % 2 else "factsheet"
            add(f"| {i + 1} | {first} | {a:.2f} s | {b:.2f} s | {a / b:.2f} |")
    add("")
    add("### Peak memory of the whole process tree")
    add("")
    add(
        f"Separate runs (polling costs CPU, so they are not the timed ones), "
        f"{runs_text(len(found[0].memory))} per command; the largest peak is shown. Every ~5 "
        "ms the process and all its descendants (by the ppid links of /proc/*/stat) are "
        "found and their RSS (/proc/PID/statm) and PSS (/proc/PID/smaps_rollup) summed. The "
        "RSS sum counts a page a forked worker shares with its parent once per process, so it "
        "overstates; PSS splits each shared page among its sharers. The target is judged on "
        "the RSS sum."
    )
    add("")
    add(
        "| command | cache | processes | peak RSS sum | RSS per process at the peak "
        "| peak PSS sum |"
    )
    add("|---|---|---:|---:|---|---:|")
    for case in found:
        top = max(case.memory, key=lambda m: m.rss)
        pss = max(m.pss for m in case.memory)
        each = " + ".join(f"{p / MIB:.0f}" for p in top.parts if p)
        cache = "–" if case.key == "typst" else case.cache
        add(
            f"| {case.label} | {cache} | {top.processes} | {top.rss / MIB:.0f} MiB "
            f"| {each} MiB | {pss / MIB:.0f} MiB |"
        )
    interval = statistics.median(m.interval for c in found for m in c.memory)
    add("")
    add(f"(Median time between samples, including the /proc walk: {interval * 1000:.1f} ms.)")
    add("")
    add("### Imports")
    add("")
    costs = ", ".join(f"{name} {cost * 1000:.1f}" for name, cost in packages[:8])
    add(
        f"By package, each with what it imports in turn (`python -X importtime -c "
        f"'{STARTUP_IMPORTS}'`, ms, inflated somewhat by the tracing): {costs}."
    )
    add("")
    loaded = ", ".join(f"`{name}`" for name in heavy) or "none"
    add(
        f"Heavy modules loaded by a warm national build (in a fresh process): {loaded} "
        f"(of {', '.join(f'`{name}`' for name in HEAVY)})."
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
    parser.add_argument("--quick", action="store_true", help="fewer runs; a smoke run")
    parser.add_argument("--write", type=Path, metavar="FILE", help="also write the report here")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait, up to this long, until other processes use under 0.2 CPUs",
    )
    parser.add_argument("--no-all", action="store_true", help="leave out the 324-sheet build")
    parser.add_argument("--no-typst", action="store_true", help="leave out the Typst peer")
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
    # Measure the tree this script is in, in this process and in every subprocess, whatever
    # checkout the venv's editable install points at (the same one in the usual case).
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )

    def step(text: str) -> None:
        print(f"... {text}", file=sys.stderr, flush=True)

    # As installed: pip compiles a wheel's modules to bytecode when it installs them, an
    # editable checkout (and PYTHONDONTWRITEBYTECODE=1) would compile every module of the
    # package in every process (about 0.35 s on the 2-core machine). Compile them once here.
    compiled = compileall.compile_dir(ROOT / "factsheet", quiet=1, force=False)
    if not compiled:
        parser.error("could not compile the package to bytecode")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as tmp:
        work = Path(tmp)
        warm = work / "cache"  # the benchmark's own cache, not the user's
        typst, typst_note = (None, "left out (`--no-typst`)")
        if not args.no_typst:
            step("Typst peer: exporting the 22 resolved sheets")
            typst, typst_note = prepare_typst(work)
        waited = wait_idle(args.wait_idle) if args.wait_idle > 0 else None
        info = machine(args.label)
        info.append(
            "- the package's modules compiled to bytecode first, as `pip install` of the wheel "
            "does (the session's `PYTHONDONTWRITEBYTECODE=1` unset for the runs)"
        )
        if waited is not None:
            info.append(
                f"- waited {waited[0]:.0f} s for a quiet machine (`--wait-idle "
                f"{args.wait_idle:g}`); other processes then used {waited[1]:.2f} CPUs"
            )
        step("whole process: timed runs, then polled runs for memory")
        background = Background()
        found = cases(work, typst, not args.no_all)
        measure(found, args.runs, memory_runs, work, warm)
        busy = background.cores()
        step("imports")
        packages = import_costs()
        heavy = heavy_loaded(work, warm)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    info.append(f"- load average after the run: {load}")
    info.append(
        f"- other processes kept on average {busy:.2f} of the {os.cpu_count()} CPUs busy "
        "during the runs (/proc/stat minus the benchmark's own CPU time); where that is well "
        "above 0 the figures are slower than on an idle machine, and the minima are the "
        "better guide"
    )
    text = report(args, info, found, packages, heavy, typst_note)
    print(text, end="")
    if args.write:
        write(args.write, text)
        step(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
