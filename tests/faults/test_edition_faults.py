"""`factsheet new` under faults: a year of five digits, a symlink loop or a shared file linked
into the content folder, an interrupt while copying. A located error or a complete edition,
never a traceback, a copy without end or a half-copied folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from faultlib import CONTENT, factsheet

from factsheet import edition


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "2021"
    shutil.copytree(CONTENT, target)
    return target


@pytest.mark.parametrize("year", ["20222", "999", "-2022"])
def test_a_year_that_is_not_four_digits_is_a_located_error(
    source: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    code, _, err = run_cli(capsys, "new", year, "--from", source)
    assert code == 2
    assert err[0] == f"YEAR: {int(year)} is not a year of four digits (1000-9999)"
    assert sorted(p.name for p in source.parent.iterdir()) == ["2021"]


def test_a_symlink_loop_in_the_content_folder_is_copied_as_a_link(
    source: Path, tmp_path: Path
) -> None:
    (source / "loop").symlink_to("..")  # followed, it would copy the folder into itself
    (source / "again").symlink_to(".")
    # a subprocess with a timeout: a copy that follows the links would not end
    done = subprocess.run(
        factsheet("new", "2022", "--from", source), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    target = source.parent / "2022"
    assert (target / "loop").is_symlink() and (target / "again").is_symlink()
    assert sorted(p.name for p in source.parent.iterdir()) == ["2021", "2022"]


def test_a_linked_lss_yaml_is_not_written_through(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared.yaml"
    (source / "lss.yaml").rename(shared)
    (source / "lss.yaml").symlink_to(shared)
    before = shared.read_bytes()
    code, _, err = run_cli(capsys, "new", "2022", "--from", source)
    assert code == 0, err
    written = source.parent / "2022" / "lss.yaml"
    assert not written.is_symlink()
    assert "year: 2022" in written.read_text(encoding="utf-8")
    assert shared.read_bytes() == before


def test_an_interrupt_while_copying_leaves_nothing_behind(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:  # the folder is copied by now
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        edition.new_edition(2022, source)
    assert sorted(p.name for p in source.parent.iterdir()) == ["2021"]
