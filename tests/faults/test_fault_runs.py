"""The campaign tool of docs/reliability.md (tools/fault_runs.py), bounded for CI: two stops of
``--all-counties`` and the last run; and it does report what a broken run leaves."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fault_runs", ROOT / "tools" / "fault_runs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fault_runs"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = tool().main(["--runs", "2", "--counties", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_a_short_campaign_loses_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "reliability.md"
    page.write_text("before\n<!-- campaign:start -->\nold\n<!-- campaign:end -->\nafter\n")
    code, figures = run(capsys, "--folder", str(tmp_path / "out"), "--write", str(page))
    assert code == 0, figures
    assert figures["runs"] == 2 and figures["sigkill"] + figures["sigint"] == 2  # type: ignore[operator]
    assert (figures["final_built"], figures["final_listed"], figures["lost"]) == (22, 22, 0)
    assert figures["pdfs_checked"] >= 22 and figures["orphaned_workers"] == 0  # type: ignore[operator]
    text = page.read_text()
    assert text.startswith("before\n<!-- campaign:start -->\nLast run: ")
    assert "**nothing lost**" in text and "| runs stopped | 2 (" in text
    assert text.endswith("<!-- campaign:end -->\nafter\n") and "old" not in text


def test_a_partial_pdf_in_the_folder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "oj-2021-lss-half.pdf").write_bytes(b"%PDF-1.7\n1 0 obj")  # as a broken writer
    code, figures = run(capsys, "--folder", str(folder))
    assert code == 1
    problems = figures["problems"]
    assert isinstance(problems, list) and len(problems) == 3  # both stops and the last run
    assert all("oj-2021-lss-half.pdf" in p or "PdfError" in p for p in problems), problems
