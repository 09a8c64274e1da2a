"""build --watch rebuilds when an input changes, and says what changed."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from factsheet.watch import changed, stamp, watch, watched


def test_change_detection(tmp_path: Path) -> None:
    (tmp_path / "lss.yaml").write_text("a", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    files = watched([tmp_path])
    assert [f.name for f in files] == ["lss.yaml"]
    before = stamp(files)
    (tmp_path / "lss.yaml").write_text("ab", encoding="utf-8")
    assert changed(before, stamp(files)) == [tmp_path / "lss.yaml"]
    assert changed(before, before) == []


def test_watch_rebuilds_once_per_settled_change(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    target = content / "lss.yaml"
    target.write_text("year: 2021\n", encoding="utf-8")
    calls: list[list[str]] = []
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(
            [content],
            lambda files: calls.append([f.name for f in files]),
            0.05,
            lambda: not stop.is_set(),
            ready.set,
        ),
    )
    thread.start()
    assert ready.wait(5)
    target.write_text("year: 2022\n", encoding="utf-8")
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert calls == [["lss.yaml"]]


class Output:
    """The lines a process writes to stdout and stderr, read as they come (by two threads,
    so that neither pipe fills up)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.next: dict[str, int] = {}
        self.threads = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr))
        ]
        for thread in self.threads:
            thread.start()

    def _read(self, name: str, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, stream: str, start: str, timeout: float = 120) -> str:
        """The next line of ``stream`` (after the one found last) that starts with ``start``;
        fails after ``timeout``. The two streams are read apart, so their lines may arrive in
        either order: each stream is searched on from its own last find."""
        deadline = time.monotonic() + timeout
        while True:
            for index in range(self.next.get(stream, 0), len(self.seen)):
                name, line = self.seen[index]
                if name == stream and line.startswith(start):
                    self.next[stream] = index + 1
                    return line
            try:
                self.seen.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no {stream} line {start!r} in {self.seen}") from None

    def rest(self) -> list[tuple[str, str]]:
        for thread in self.threads:
            thread.join(timeout=30)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen


def test_cli_watch_rebuilds_after_an_edit(content_copy: Path, tmp_path: Path) -> None:
    """Synchronised on what the process says, not on the file: the edit is made once it
    watches, and it is stopped once it has said it wrote the rebuilt sheet. Its output
    reaches the pipe line by line (no PYTHONUNBUFFERED here)."""
    from conftest import ROOT

    out = tmp_path / "sheet.pdf"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factsheet.cli",
            "build",
            "--watch",
            "--content",
            str(content_copy),
            "--fonts",
            str(ROOT / "fonts"),
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    output = Output(proc)
    try:
        output.wait_for("stdout", f"Wrote {out} ")
        output.wait_for("stderr", "Watching ")
        first = out.read_bytes()
        lss = content_copy / "lss.yaml"
        lss.write_text(
            lss.read_text(encoding="utf-8").replace("Maria Rude", "Maria Rudé"), encoding="utf-8"
        )
        output.wait_for("stderr", "Changed: lss.yaml; rebuilding")
        output.wait_for("stdout", f"Wrote {out} ")
        assert out.read_bytes() != first
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    seen = output.rest()
    assert proc.returncode == 0
    assert [line for name, line in seen if name == "stdout" and line.startswith("Wrote ")]
    assert ("stderr", "Stopped watching.") in seen
