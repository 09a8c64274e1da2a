"""A fuzz run over the readers (#16): the content YAML and every workbook reader (xlsx, tidy CSV,
Kolada JSON) given damaged input (lines deleted, duplicated, swapped or cut; YAML and XML
punctuation, odd text and values dropped in; archive bytes flipped; files truncated). Each
example ends in a built sheet (the content) or a read dataset (a workbook), or in our typed
error whose every problem is located; never another exception (a traceback for the user).

The budget is fixed for CI: ``derandomize`` (the same examples on every run), a number of
examples per target and a deadline per example generous for a loaded machine. Each property
counts the examples it ran and their outcomes, and fails when fewer ran than the budget says
or when every one was refused (that would be a fuzz that reaches no reader's end)."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from faultlib import CONTENT, FONTS
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factsheet.build import Inputs, check, load_inputs
from factsheet.errors import FactsheetError, InputError, Problem, RenderError
from factsheet.inputs import workbook
from factsheet.inputs.content import load_content
from factsheet.model import areas
from factsheet.render.pages import render

SHAPES = Path(__file__).resolve().parents[1] / "data" / "shapes"
EXAMPLES = 30


def budget(examples: int = EXAMPLES) -> Any:
    return settings(
        max_examples=examples,
        deadline=timedelta(seconds=30),
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# What goes into a damaged file: punctuation that means something to YAML, XML, CSV or JSON,
# numbers, words and any text.
PIECES = st.one_of(
    st.sampled_from(
        [
            ":",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "&a",
            "*a",
            "!!python/object:os.system",
            "|",
            ">",
            "'",
            '"',
            "#",
            "%",
            "@",
            "`",
            "\t",
            "\n",
            "\r\n",
            "  ",
            "~",
            "null",
            "<",
            ">",
            "&",
            "</c>",
            "<v>",
            "]]>",
            "&amp;",
            ",",
            ";",
            "\\",
            "\u00a0",
            "\ufeff",
            "\x00",
            "1e999",
            "-1",
            "NaN",
            "2021",
            "9" * 40,
            "{U33621}",
            "{note:x}",
            "**",
            "__",
            "Ja",
            "Nej",
        ]
    ),
    st.text(max_size=8),
)


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """``text`` with one to three damages: a line deleted, duplicated, swapped or re-indented,
    a piece inserted or put in place of a few characters, or the end cut off."""
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "insert", "cut"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            lines[at] = " " * draw(st.integers(0, 9)) + lines[at].lstrip()
        text = "\n".join(lines)
        if kind in ("insert", "cut"):
            where = draw(st.integers(0, len(text)))
            if kind == "cut":
                text = text[:where]
            else:
                drop = draw(st.integers(0, 4))
                text = text[:where] + draw(PIECES) + text[where + drop :]
    return text


LOCATED = re.compile(
    r"(?P<file>.+\.(yaml|xlsx|csv|json))(:\d+(:\d+)?)?"  # a file, at a line
    r"|[^!:]+![A-Z]*\d*(:[A-Z]*\d*)?"  # a sheet's cell, column or row
)


def assert_located(error: FactsheetError) -> str:
    """Every problem of ``error`` says where; returns a short name of the outcome."""
    assert error.problems
    for problem in error.problems:
        assert isinstance(problem, Problem) and problem.message.strip(), problem
        if isinstance(error, RenderError) and not isinstance(error, InputError):
            assert problem.message.startswith(("page ", "footnotes: ")), problem
        else:
            assert LOCATED.match(problem.where), problem
    return type(error).__name__


def ran_the_budget(outcomes: Counter[str], examples: int, ok: str) -> None:
    total = sum(outcomes.values())
    assert total >= examples, f"only {total} of {examples} examples ran: {outcomes}"
    assert outcomes[ok] >= 1, f"no example got to the end: {outcomes}"


# --- the content ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(CONTENT, None, FONTS)


@pytest.mark.parametrize("name", ["lss.yaml", "workbook.yaml"])
def test_damaged_content_builds_or_is_a_located_error(
    name: str, inputs: Inputs, tmp_path: Path
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder, ignore=shutil.ignore_patterns("*.xlsx"))
    original = (CONTENT / name).read_text(encoding="utf-8")
    outcomes: Counter[str] = Counter()

    @budget()
    @given(text=damaged(original))
    @example(text=original)
    def builds_or_located(text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        try:
            if name == "lss.yaml":
                spec, data = load_content(folder), inputs.data
            else:  # the layout of the workbook: the sample read with it
                spec = inputs.spec
                data = workbook.load_workbook(
                    CONTENT / "oj-2021-lss-sample.xlsx", workbook.load_layout(folder)
                )
            document = check(Inputs(spec, data, inputs.fonts), [areas.riket()])[areas.RIKET]
            rendered = render(document)
        except FactsheetError as error:
            outcomes[assert_located(error)] += 1
            return
        assert rendered.pdf.startswith(b"%PDF-") and rendered.pages >= 1
        outcomes["built"] += 1

    builds_or_located()
    ran_the_budget(outcomes, EXAMPLES, "built")


# --- the workbook readers ------------------------------------------------------------------


def _damaged_xlsx(data: bytes, draw: st.DrawFn) -> bytes:
    """The xlsx with its sheet's XML damaged as text, or its archive's bytes flipped or cut."""
    import io

    kind = draw(st.sampled_from(["xml", "xml", "xml", "bytes", "cut"]))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "bytes":
        damaged_bytes = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            damaged_bytes[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(damaged_bytes)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            body = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = draw(damaged(body.decode("utf-8").replace("><", ">\n<"))).encode("utf-8")
            new.writestr(info, body)
    return out.getvalue()


@pytest.mark.parametrize("name", ["one-sheet.xlsx", "tidy.csv", "kolada.json"])
def test_a_damaged_workbook_is_read_or_a_located_error(name: str, tmp_path: Path) -> None:
    source = SHAPES / name
    layout_folder = tmp_path / "layout"
    layout_folder.mkdir()
    shutil.copy(source.with_suffix(".yaml"), layout_folder / "workbook.yaml")
    layout = workbook.load_layout(layout_folder)
    original = source.read_bytes()
    target = tmp_path / name
    outcomes: Counter[str] = Counter()

    @budget()
    @given(data=st.data())
    @example(data=None)
    def read_or_located(data: st.DataObject | None) -> None:
        if data is None:
            body = original
        elif name.endswith(".xlsx"):
            body = _damaged_xlsx(original, data.draw)
        else:
            body = data.draw(damaged(original.decode("utf-8"))).encode("utf-8")
        target.write_bytes(body)
        try:
            read = workbook.load_workbook(target, layout)
        except FactsheetError as error:
            assert isinstance(error, InputError), error
            outcomes[assert_located(error)] += 1
            return
        assert read.values
        outcomes["read"] += 1

    read_or_located()
    ran_the_budget(outcomes, EXAMPLES, "read")
