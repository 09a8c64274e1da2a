"""``build --watch`` while its content is broken (#16): lss.yaml deleted, then replaced by invalid
YAML, then restored. Each fault is reported and watching goes on; the last good PDF stays until
a good build replaces it. Synchronised on the process's output lines, as tests/test_watch.py."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pikepdf
from faultlib import FONTS, factsheet
from test_watch import Output


def test_watch_survives_deleted_and_invalid_content(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    lss = content_copy / "lss.yaml"
    good = lss.read_text(encoding="utf-8")
    proc = subprocess.Popen(
        factsheet("build", "--watch", "--content", content_copy, "--fonts", FONTS, "-o", out),
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

        lss.unlink()
        output.wait_for("stderr", "Changed: lss.yaml; rebuilding")
        output.wait_for("stderr", f"{lss}: file not found")
        output.wait_for("stderr", "Aborted: ")
        assert out.read_bytes() == first and proc.poll() is None

        lss.write_text("year: 2021\npages: [4\n", encoding="utf-8")
        output.wait_for("stderr", "Changed: lss.yaml; rebuilding")
        output.wait_for("stderr", f"{lss}:")
        output.wait_for("stderr", "Aborted: ")
        assert out.read_bytes() == first and proc.poll() is None

        lss.write_text(good.replace("Maria Rude", "Maria Rudé"), encoding="utf-8")
        output.wait_for("stderr", "Changed: lss.yaml; rebuilding")
        output.wait_for("stdout", f"Wrote {out} ")
        assert out.read_bytes() != first
        with pikepdf.open(out) as pdf:
            assert len(pdf.pages) == 4
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    seen = output.rest()
    assert proc.returncode == 0
    assert ("stderr", "Stopped watching.") in seen
    assert not any("Traceback" in line for _, line in seen), seen
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "sheet.pdf"]
