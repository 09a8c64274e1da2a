"""Shared fixtures: the national sheet is built once per test session through the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from factsheet.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "2021"

SEED_COPY = ROOT / "tests" / "data" / "oj-2021-lss-faktablad.txt"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test run has a build cache of its own: tests never read entries that other code
    wrote into the user's cache (~/.cache/factsheet) nor fill it. Set in the environment, so
    the CLI run in a subprocess uses it too."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTSHEET_CACHE", str(folder))
        yield folder


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def normalize(text: str) -> str:
    """Compare texts ignoring whitespace, no-break spaces and hyphens (line-end hyphenation)."""
    return re.sub(r"[\s\u00a0\u00ad-]+", "", text)


@pytest.fixture(scope="session")
def national_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national") / "riket.pdf"
    code = main(
        ["build", "--content", str(CONTENT), "--fonts", str(ROOT / "fonts"), "-o", str(out)]
    )
    assert code == 0
    return out


@pytest.fixture(scope="session")
def national_text(national_pdf: Path) -> str:
    return pdftotext(national_pdf)


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled content folder, for tests that break it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_COPY.read_text(encoding="utf-8")


def run_cli(
    capsys: pytest.CaptureFixture[str], *argv: str | Path
) -> tuple[int, list[str], list[str]]:
    """Run the CLI in-process: exit code, stdout lines, stderr lines."""
    from factsheet.cli import main as cli_main

    code = cli_main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def line_of(path: Path, text: str) -> int:
    """The line (1-based) where ``text`` occurs, once, in ``path``."""
    whole = path.read_text(encoding="utf-8")
    assert whole.count(text) == 1, text
    return whole[: whole.index(text)].count("\n") + 1
