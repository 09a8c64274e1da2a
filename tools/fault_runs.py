"""The SIGKILL/SIGINT campaign of issue #16: stop ``factsheet build --all`` (324 sheets) at
random points, again and again into one folder, and check after each stop what it left.

Each run is stopped after a random number of progress lines plus a random fraction of a
second (so the signal also lands while a worker lays out or writes a sheet): SIGINT to the
process group, as Ctrl-C in a terminal, or SIGKILL to the parent alone. After each stop:

- every PDF at a final name opens in pikepdf with its page tree and trailer (none partial);
- ``manifest.json``, when there is one, lists only files that exist with its sha256 and size
  (after SIGINT there must be one, with exit 130 and no traceback; after SIGKILL none);
- no worker process is left running (they die with their parent);
- the temporary files the run before left are gone (the next run into the folder removes them).

Then a last run is not stopped: it must build every sheet, list all of them in the manifest
and leave no temporary file. ``--write docs/reliability.md`` puts the figures of the campaign
between the ``campaign`` markers there. Exit 1 when anything was lost or left.

    .venv/bin/python tools/fault_runs.py --runs 20 --write docs/reliability.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "faults"))

from faultlib import batch_args, check_folder, stop_at, wait_gone  # noqa: E402

START, END = "<!-- campaign:start -->", "<!-- campaign:end -->"
SHEETS = {"--all": 324, "--all-counties": 22}


@dataclass
class Figures:
    which: str
    seed: int
    runs: int = 0
    sigkill: int = 0
    sigint: int = 0
    pdfs_checked: int = 0  # PDFs at final names opened after a stop (the same file many times)
    manifests_checked: int = 0
    manifest_entries_checked: int = 0
    temporary_left_by_a_stop: int = 0  # found right after a stop
    temporary_left_after_next_run: int = 0
    orphaned_workers: int = 0
    final_built: int = 0
    final_listed: int = 0
    finished_first: int = 0  # runs that ended before the signal reached them
    unlisted: int = 0  # sheets written by an interrupted run that its manifest does not list
    sheets: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return len(self.problems)


def campaign(runs: int, seed: int, which: str, jobs: int, folder: Path, log: Path) -> Figures:
    rng = random.Random(seed)
    figures = Figures(which, seed, sheets=SHEETS[which])
    started = time.monotonic()
    argv = batch_args(folder, which, "-j", str(jobs))
    left: set[str] = set()
    for number in range(1, runs + 1):
        sig = signal.SIGKILL if rng.random() < 0.5 else signal.SIGINT
        line = rng.randint(1, figures.sheets - 1)
        delay = rng.random() * 0.5
        since = time.time_ns()
        stopped = stop_at(argv, line, sig, sig == signal.SIGINT, log, delay)
        figures.runs += 1
        name = "SIGKILL" if sig == signal.SIGKILL else "SIGINT"
        figures.sigkill += sig == signal.SIGKILL
        figures.sigint += sig == signal.SIGINT
        where = f"run {number} ({name} after {stopped.lines} sheets)"
        orphans = wait_gone(stopped.workers, 10)
        figures.orphaned_workers += len(orphans)
        if orphans:
            figures.problems.append(f"{where}: workers still running: {orphans}")
        if "Traceback" in stopped.stderr:
            figures.problems.append(f"{where}: a traceback: {stopped.stderr[-500:]}")
        expected = -signal.SIGKILL if sig == signal.SIGKILL else 130
        if stopped.returncode not in (expected, 0):  # 0: it finished before the signal
            figures.problems.append(f"{where}: exit {stopped.returncode}, expected {expected}")
        figures.finished_first += stopped.returncode == 0
        manifest = folder / "manifest.json"
        if stopped.returncode == 130 and not manifest.exists():
            figures.problems.append(f"{where}: interrupted without a manifest")
        if (
            stopped.returncode == -signal.SIGKILL
            and manifest.exists()
            and not _complete(manifest, since, figures.sheets)
        ):
            figures.problems.append(f"{where}: a manifest after SIGKILL (it may be stale)")
        try:
            found = check_folder(folder)
        except Exception as exc:  # a partial PDF, a wrong manifest entry
            figures.problems.append(f"{where}: {type(exc).__name__}: {exc}")
            continue
        figures.pdfs_checked += found.pdfs
        if manifest.exists():
            figures.manifests_checked += 1
            figures.manifest_entries_checked += found.listed
            unlisted = _unlisted(folder, since)
            figures.unlisted += len(unlisted)
            if unlisted:
                figures.problems.append(f"{where}: written but not in the manifest: {unlisted}")
        still = left & set(found.temporary)
        figures.temporary_left_after_next_run += len(still)
        if still:
            figures.problems.append(f"{where}: temporary files of the run before: {sorted(still)}")
        figures.temporary_left_by_a_stop += len(found.temporary)
        left = set(found.temporary)
        print(
            f"{where}: exit {stopped.returncode}, {found.pdfs} PDFs checked, "
            f"{found.listed} listed, {len(found.temporary)} temporary",
            file=sys.stderr,
        )
    done = subprocess.run(argv, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        figures.problems.append(f"last run: exit {done.returncode}: {done.stderr[-500:]}")
    try:
        found = check_folder(folder)
    except Exception as exc:
        figures.problems.append(f"last run: {type(exc).__name__}: {exc}")
    else:
        figures.final_built, figures.final_listed = found.pdfs, found.listed
        figures.pdfs_checked += found.pdfs
        figures.manifests_checked += 1
        figures.manifest_entries_checked += found.listed
        if found.temporary:
            figures.problems.append(f"last run: temporary files left: {found.temporary}")
        if (found.pdfs, found.listed) != (figures.sheets, figures.sheets):
            figures.problems.append(
                f"last run: {found.pdfs} PDFs, {found.listed} listed, not {figures.sheets}"
            )
    figures.seconds = time.monotonic() - started
    return figures


def _complete(manifest: Path, since: int, sheets: int) -> bool:
    """A manifest this run wrote for all its sheets: it had finished when SIGKILL came."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    done = len(data["files"]) + len(data["failed"])
    return manifest.stat().st_mtime_ns >= since and done == sheets


def _unlisted(folder: Path, since: int) -> list[str]:
    """The PDFs this run put at their final names (modified after ``since``) that its
    manifest does not list."""
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["file"] for entry in data["files"]}
    return sorted(
        p.name
        for p in folder.glob("*.pdf")
        if p.stat().st_mtime_ns >= since and p.name not in listed
    )


def report(figures: Figures) -> str:
    """The figures as the Markdown that goes between the markers of docs/reliability.md."""
    verdict = "nothing lost" if not figures.problems else f"{figures.lost} PROBLEMS"
    lines = [
        f"Last run: {dt.date.today().isoformat()}, `python tools/fault_runs.py --runs "
        f"{figures.runs} --seed {figures.seed}` (`build {figures.which} -j 2`, "
        f"{figures.sheets} sheets, on the 2-core development machine, "
        f"{figures.seconds / 60:.0f} min): **{verdict}**.",
        "",
        "| | |",
        "|---|---|",
        f"| runs stopped | {figures.runs} ({figures.sigkill} SIGKILL of the parent, "
        f"{figures.sigint} SIGINT to the process group; {figures.finished_first} ended before "
        "the signal) |",
        f"| PDFs at final names opened and checked (pikepdf) | {figures.pdfs_checked}, "
        "none partial or unreadable |",
        f"| manifests checked (sha256 and size of each entry) | {figures.manifests_checked} "
        f"({figures.manifest_entries_checked} entries), every entry a complete file |",
        f"| sheets an interrupted run wrote that its manifest does not list | {figures.unlisted} |",
        f"| temporary files right after a stop / after the next run | "
        f"{figures.temporary_left_by_a_stop} / {figures.temporary_left_after_next_run} |",
        f"| worker processes left running after a stop | {figures.orphaned_workers} |",
        f"| last run, not stopped | {figures.final_built} of {figures.sheets} built, "
        f"{figures.final_listed} in the manifest, no temporary file |",
    ]
    lines += [f"| problem | {p} |" for p in figures.problems]
    return "\n".join(lines)


def write_into(path: Path, text: str) -> None:
    page = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(page):
        raise SystemExit(f"{path}: no {START} ... {END} markers")
    page = pattern.sub(lambda _: f"{START}\n{text}\n{END}", page)
    path.write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    # Started in the background by a shell (`... &`), this process and every build it starts
    # would ignore SIGINT, so no Ctrl-C would be tried: a handler of its own is reset to the
    # default in the builds it starts.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs stopped (default 20)")
    parser.add_argument("--seed", type=int, default=16, help="random points (default 16)")
    parser.add_argument(
        "--counties", action="store_true", help="build --all-counties (22) instead of --all"
    )
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--folder", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--write", type=Path, help="put the figures into this Markdown file")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    which = "--all-counties" if args.counties else "--all"
    with tempfile.TemporaryDirectory(prefix="fault-runs-") as scratch:
        folder = args.folder or Path(scratch) / "out"
        figures = campaign(
            args.runs, args.seed, which, args.jobs, folder, Path(scratch) / "stderr.log"
        )
    text = report(figures)
    if args.json:
        print(json.dumps({**asdict(figures), "lost": figures.lost}, indent=2))
    else:
        print(text)
    if args.write:
        write_into(args.write, text)
    return 1 if figures.problems else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
