"""Out of memory anywhere in a build (#16: a MemoryError ended in a traceback): a clear message,
exit 1, no traceback, no half-written file and the earlier PDF intact. The MemoryError is
injected where each stage runs: reading the workbook, resolving, laying out, writing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from faultlib import CONTENT, FONTS, check_folder

import factsheet.build
import factsheet.render.pages

SHEET = "oj-2021-lss-riket.pdf"
MESSAGE = (
    "Out of memory: the input is too large for this machine; no file was left half-written "
    "(a batch leaves no manifest.json: run it again)."
)


def _no_memory(*args: object, **kwargs: object) -> Any:
    raise MemoryError


STAGES = {
    "reading the workbook": (factsheet.build, "read_workbook"),
    "resolving": (factsheet.build, "resolve"),
    "laying out": (factsheet.render.pages, "render"),
    "writing": (os, "fsync"),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_out_of_memory_is_a_message_and_the_earlier_pdf_stays(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
) -> None:
    target = tmp_path / SHEET
    target.write_bytes(b"%PDF- the earlier sheet")
    module, name = STAGES[stage]
    monkeypatch.setattr(module, name, _no_memory)
    code, out, err = run_cli(
        capsys, "build", "--no-cache", "--content", CONTENT, "--fonts", FONTS, "-o", target
    )
    assert (code, out, err) == (1, [], [MESSAGE])
    assert target.read_bytes() == b"%PDF- the earlier sheet"
    assert [p.name for p in tmp_path.iterdir()] == [SHEET]  # no temporary file left


def test_out_of_memory_in_check_and_explain(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factsheet.build, "resolve", _no_memory)
    for command in ("check", "explain"):
        code, out, err = run_cli(capsys, command, "--content", CONTENT, "--fonts", FONTS)
        assert (code, out, err) == (1, [], [MESSAGE]), command


def test_a_sheet_that_runs_out_of_memory_in_a_batch_fails_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = factsheet.render.pages.render
    calls: list[int] = []

    def second_sheet_fails(document: Any, guess: Any = None) -> Any:
        calls.append(1)
        if len(calls) == 2:  # riket first, then Stockholms län
            raise MemoryError
        return real(document, guess)

    monkeypatch.setattr(factsheet.render.pages, "render", second_sheet_fails)
    folder = tmp_path / "out"
    code, _, err = run_cli(
        capsys,
        "build",
        "--all-counties",
        "-j",
        "1",
        "--content",
        CONTENT,
        "--fonts",
        FONTS,
        "-o",
        folder,
    )
    assert code == 1
    assert "[2/22] FAILED Stockholms län: out of memory while building this sheet" in err
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == [
        {"area": "01", "name": "Stockholms län", "error": "out of memory while building this sheet"}
    ]
    found = check_folder(folder)
    assert (found.pdfs, found.listed, found.temporary) == (21, 21, [])


def test_the_console_script_prints_no_traceback(tmp_path: Path) -> None:
    """As a user runs it (``cli.run``, which leaves by ``os._exit``): the layout's MemoryError
    is the one line above, in a real process."""
    target = tmp_path / SHEET
    program = (
        "import sys, factsheet.render.pages as pages\n"
        "def render(*args, **kwargs):\n"
        "    raise MemoryError\n"
        "pages.render = render\n"
        "from factsheet.cli import run\n"
        "sys.argv = ['factsheet', *sys.argv[1:]]\n"
        "run()\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            program,
            "build",
            "--content",
            CONTENT,
            "--fonts",
            FONTS,
            "-o",
            target,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", MESSAGE + "\n")
    assert not target.exists() and list(tmp_path.iterdir()) == []
