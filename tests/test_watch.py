"""build --watch rebuilds when an input changes, and says what changed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

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
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(
            [content],
            lambda files: calls.append([f.name for f in files]),
            0.05,
            lambda: not stop.is_set(),
        ),
    )
    thread.start()
    time.sleep(0.2)
    target.write_text("year: 2022\n", encoding="utf-8")
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert calls == [["lss.yaml"]]


def test_cli_watch_rebuilds_after_an_edit(content_copy: Path, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

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
    )
    try:
        deadline = time.monotonic() + 180
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        first = out.read_bytes()
        time.sleep(1)
        lss = content_copy / "lss.yaml"
        lss.write_text(
            lss.read_text(encoding="utf-8").replace("Maria Rude", "Maria Rudé"), encoding="utf-8"
        )
        while out.read_bytes() == first and time.monotonic() < deadline:
            time.sleep(0.1)
        assert out.read_bytes() != first
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "Changed: lss.yaml; rebuilding" in stderr
    assert stdout.count("Wrote ") == 2
    assert "Stopped watching." in stderr
