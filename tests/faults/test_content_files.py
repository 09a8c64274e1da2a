"""Content files a hostile or clumsy user could hand over: a FIFO (would block the read), a
huge file, YAML nested hundreds of levels deep (the parser's recursion). Each is a located
error, quickly, never a traceback or a hang."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from faultlib import CONTENT, FONTS, factsheet

from factsheet.inputs import yamlsource


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def check(capsys: pytest.CaptureFixture[str], content: Path) -> tuple[int, list[str]]:
    code, _, err = run_cli(capsys, "check", "--content", content, "--fonts", FONTS)
    return code, err


def test_a_fifo_as_lss_yaml_is_refused_without_blocking(content: Path) -> None:
    lss = content / "lss.yaml"
    lss.unlink()
    os.mkfifo(lss)
    # a subprocess: a read that blocks would hang the test run, here it times out
    done = subprocess.run(
        factsheet("check", "--content", content, "--fonts", FONTS),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2, done.stderr
    assert f"{lss}: cannot read file: not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_folder_as_workbook_yaml_is_refused(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content / "workbook.yaml").unlink()
    (content / "workbook.yaml").mkdir()
    code, err = check(capsys, content)
    assert code == 2
    assert f"{content / 'workbook.yaml'}: cannot read file: not a regular file" in err


def test_a_content_file_over_the_size_bound_is_refused_before_parsing(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lss = content / "lss.yaml"
    with lss.open("ab") as handle:  # sparse: 12 MB that take no disk
        handle.truncate(12_000_000)
    code, err = check(capsys, content)
    assert code == 2
    assert f"{lss}: cannot read file: 12 MB is more than content can be (10 MB)" in err


@pytest.mark.parametrize("depth", [250, 5000])
@pytest.mark.parametrize("shape", ["list", "mapping"])
def test_yaml_nested_hundreds_of_levels_is_a_located_error(
    content: Path, capsys: pytest.CaptureFixture[str], depth: int, shape: str
) -> None:
    lss = content / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    lines = text.count("\n")
    deep = "[" * depth + "]" * depth if shape == "list" else "{a: " * depth + "}" * depth
    lss.write_text(f"{text}deep: {deep}\n", encoding="utf-8")
    code, err = check(capsys, content)
    assert code == 2, err
    assert err[0] == (
        f"{lss}:{lines + 1}: nested more than {yamlsource.MAX_DEPTH} levels deep "
        "(lists and mappings inside each other)"
    )


def test_aliases_that_expand_without_end_are_refused_at_once(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lss = content / "lss.yaml"
    laughs = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    with lss.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(laughs) + "\n")  # 10**9 values once expanded
    code, err = check(capsys, content)
    assert code == 2
    assert err[0] == (
        f"{lss}: aliases (*name) expand to more than 1,000,000 values; content is a few "
        "thousand: write the text out instead of repeating anchors"
    )


def test_a_list_that_contains_itself_is_refused(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lss = content / "lss.yaml"
    line = lss.read_text(encoding="utf-8").count("\n") + 1
    with lss.open("a", encoding="utf-8") as handle:
        handle.write("loop: &loop [a, *loop]\n")
    code, err = check(capsys, content)
    assert code == 2
    assert err[0] == f"{lss}:{line}: YAML error: found unconstructable recursive node"
