"""Ctrl-C and SIGKILL at random points of a batch build: no partial file at a final name, no
worker left running, a manifest that lists only complete files, and the next run builds all.

CI stops ``--all-counties`` (22 sheets) at a few seeded points; ``tools/fault_runs.py`` does the
documented full run (``--all``, 324 sheets, 20 stops) and writes its figures into
docs/reliability.md. ``FAULTS_SEED`` picks other points."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
from pathlib import Path

import pytest
from faultlib import batch_args, check_folder, stop_at, wait_gone

SEED = int(os.environ.get("FAULTS_SEED", "16"))
COUNTIES = 22


@pytest.fixture(scope="module")
def points() -> list[int]:
    rng = random.Random(SEED)
    return [rng.randint(2, COUNTIES - 4) for _ in range(2)]


def test_ctrl_c_stops_the_workers_and_writes_the_manifest_of_what_is_complete(
    tmp_path: Path, points: list[int]
) -> None:
    folder = tmp_path / "out"
    stopped = stop_at(
        batch_args(folder, "--all-counties", "-j", "2"),
        points[0],
        signal.SIGINT,
        True,
        tmp_path / "log",
    )
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert "interrupted:" in stopped.stderr and "listed in manifest.json" in stopped.stderr
    assert wait_gone(stopped.workers, 5) == []
    found = check_folder(folder)
    assert found.temporary == []
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    # stopped at once: the progress after the signal is at most what was already running
    assert found.listed <= stopped.lines + 2, (found.listed, stopped.lines)
    assert found.listed == found.pdfs  # a fresh folder: every PDF in it is in the manifest
    assert len(manifest["files"]) + len(manifest["not_built"]) == COUNTIES
    assert manifest["failed"] == []


def test_sigkill_of_the_parent_leaves_no_worker_and_the_next_run_builds_all(
    tmp_path: Path, points: list[int]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    stale = folder / ".oj-2021-lss-riket.pdf.factsheet-k1ll3d0x.tmp"  # as a crash leaves it
    stale.write_bytes(b"%PDF-1.7 half")
    mine = folder / ".notes.tmp"  # the user's: never touched
    mine.write_text("mine", encoding="utf-8")
    stopped = stop_at(
        batch_args(folder, "--all-counties", "-j", "2"),
        points[1],
        signal.SIGKILL,
        False,
        tmp_path / "log",
    )
    assert stopped.returncode == -signal.SIGKILL
    assert len(stopped.workers) == 2, stopped.workers
    assert wait_gone(stopped.workers, 5) == [], "workers orphaned by a killed parent"
    found = check_folder(folder)
    assert not (folder / "manifest.json").exists()  # no manifest rather than a wrong one
    assert found.pdfs >= stopped.lines - 1

    again = subprocess.run(
        batch_args(folder, "--all-counties", "-j", "2"), capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    found = check_folder(folder)
    assert found.temporary == []
    assert (found.pdfs, found.listed) == (COUNTIES, COUNTIES)
    assert mine.read_text(encoding="utf-8") == "mine"
