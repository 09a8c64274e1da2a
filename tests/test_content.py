"""The narrative holds no survey number typed as text: every one is a placeholder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from factsheet.cli import main


def _check(content: Path) -> int:
    return main(["check", "--content", str(content), "--fonts", str(ROOT / "fonts")])


def test_bundled_content_has_no_typed_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(ROOT / "content" / "2021") == 0
    assert capsys.readouterr().out.startswith("OK:")


def test_a_typed_survey_number_is_an_error(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lss = content_copy / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    lss.write_text(
        text.replace("{U28544} procent\n      av kommunerna", "41 procent\n      av kommunerna"),
        encoding="utf-8",
    )
    assert _check(content_copy) == 2
    line = (
        next(i for i, row in enumerate(text.splitlines(), 1) if "Allt fler kommuner arbetar" in row)
        - 1
    )
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"{lss}:{line}: number '41' typed into the text: use a placeholder, "
        "or list it under literal_numbers"
    )


def test_literal_numbers_is_the_allowlist(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lss = content_copy / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    lss.write_text(
        text.replace('  - {text: "075-247 30 00", why: telefonnummer}\n', ""), encoding="utf-8"
    )
    assert _check(content_copy) == 2
    assert "number '075-247' typed into the text" in capsys.readouterr().err
