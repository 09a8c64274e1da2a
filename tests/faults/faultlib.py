"""Helpers of the fault-injection suite: run the CLI as a real process, stop it at a chosen
progress line, and check what an interrupted or killed run left in its output folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content" / "2021"
FONTS = ROOT / "fonts"
TEMP = re.compile(r"\..+\.factsheet-[a-z0-9_]{8}\.tmp")


def factsheet(*argv: str | Path) -> list[str]:
    return [sys.executable, "-m", "factsheet.cli", *(str(a) for a in argv)]


def batch_args(folder: Path, *which: str) -> list[str]:
    return factsheet("build", *which, "--content", CONTENT, "--fonts", FONTS, "-o", folder)


@dataclass
class Stopped:
    returncode: int
    stderr: str
    workers: list[int]  # the worker processes alive when the signal was sent
    lines: int  # progress lines seen before the signal


def stop_at(
    argv: list[str], line: int, sig: int, group: bool, log: Path, delay: float = 0.0
) -> Stopped:
    """Run ``argv``, send ``sig`` after its ``line``-th progress line (to the whole process
    group when ``group``, as Ctrl-C in a terminal does; else to the parent only), and wait.
    Its stderr goes to ``log`` (a pipe would stay open in workers that outlive a killed
    parent). ``delay`` seconds more after that line put the signal at a point between two
    progress lines (a worker in the middle of laying out or writing a sheet)."""
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while _progress(log) < line and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if delay and proc.poll() is None:
            time.sleep(delay)
        lines = _progress(log)
        workers = children(proc.pid)
        if group:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return Stopped(proc.returncode, log.read_text(encoding="utf-8"), workers, lines)


def _progress(log: Path) -> int:
    return sum(1 for text in log.read_text(encoding="utf-8").splitlines() if text.startswith("["))


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


@dataclass
class Folder:
    pdfs: int  # PDFs at final names, each opened and checked
    listed: int  # files listed in the manifest (0 without a manifest)
    temporary: list[str]


def check_folder(folder: Path) -> Folder:
    """Every PDF at a final name is complete (pikepdf opens it, its page tree and trailer are
    whole); the manifest, when present, lists only files that exist with its sha256 and size;
    returns what was found, temporary files included (the caller says if they may be there)."""
    pdfs = sorted(folder.glob("*.pdf"))
    for pdf in pdfs:
        with pikepdf.open(pdf) as document:
            assert len(document.pages) >= 1, pdf
            assert document.trailer.get("/Root") is not None, pdf
    listed = 0
    manifest = folder / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for entry in data["files"]:
            body = (folder / entry["file"]).read_bytes()
            assert hashlib.sha256(body).hexdigest() == entry["sha256"], entry["file"]
            assert len(body) == entry["size"], entry["file"]
        listed = len(data["files"])
    temporary = sorted(p.name for p in folder.iterdir() if TEMP.fullmatch(p.name))
    return Folder(len(pdfs), listed, temporary)
