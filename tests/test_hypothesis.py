"""Property tests: arbitrary text through the narrative and a table cell, arbitrary cell values
through the workbook reader. The result is a PDF holding the text, a value, or a clean located
error; never a crash.

Example counts are kept small (the builds are real) so that the suite stays fast in CI. Each
property counts its examples that were built (read) and refused, and fails when (nearly) all
were refused: a run of refusals would test nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import CONTENT, ROOT, normalize, pdftotext
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from factsheet.build import Inputs, check, load_inputs
from factsheet.errors import FactsheetError, InputError, Problem, RenderError
from factsheet.files import write_atomic
from factsheet.inputs import cells, workbook
from factsheet.inputs.content import load_content
from factsheet.model import areas
from factsheet.render.pages import render

FONTS = ROOT / "fonts"
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARAGRAPH = (
    "Det finns olika stödmaterial och projekt nationellt som syftar till att hjälpa kommuner och\n"
    "      verksamheter att komma igång med systematisk uppföljning{note:systematisk}."
)
PLAIN = "Vanlig text & <tecken> {så}"
LABEL = "Använt resultat från systematisk uppföljning till verksamhetsutveckling"


@cache
def alphabet() -> str:
    """Every character the regular face maps, less control and format characters, combining
    marks, digits (a digit in the prose is an error by design: numbers are placeholders) and
    the markup starters ``*`` and ``_``. Braces are in: they are written doubled."""
    from reportlab.pdfbase.ttfonts import TTFont

    face = TTFont("probe", str(FONTS / "OpenSans-Regular.ttf")).face
    refused = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Mn", "Mc", "Me", "Nd"}
    return "".join(
        chr(code)
        for code in sorted(face.charToGlyph)
        if unicodedata.category(chr(code)) not in refused and chr(code) not in "*_\t\n\r"
    )


# Pieces that would break or inject ReportLab markup if any text were not escaped.
TRICKY = [
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;b&gt;",
    "&copy;",
    "<b>",
    "</para>",
    "<font size=x>",
    "<br/>",
    "{",
    "}",
    "{{",
    "}}",
    "\\",
    '"',
    "'",
    "%s",
    "\u00a0",
    "–",
    "ﬁ",
    "https://example.se/a?b=c&d=e",
    "namn@example.se",
]


def text_strategy(longest: int) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(TRICKY), st.text(alphabet=alphabet(), max_size=12))
    return (
        st.lists(pieces, min_size=1, max_size=12)
        .map(lambda parts: " ".join(parts)[:longest])
        .filter(lambda t: t.strip() != "")
    )


def comparable(text: str) -> str:
    """What must survive into the PDF's text: compatibility forms folded (a ligature may be
    extracted as its letters), spaces and hyphens dropped as in conftest.normalize, and
    digits dropped (a table row's numbers sit on the label's lines)."""
    return re.sub(r"\d", "", normalize(unicodedata.normalize("NFKC", text)))


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(CONTENT, None, FONTS)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("prop") / "content"
    shutil.copytree(CONTENT, target, ignore=shutil.ignore_patterns("*.xlsx"))
    return target


def yaml_text(text: str, markup: str = "") -> str:
    """``text`` (braces doubled: literal braces) and then ``markup`` as a YAML double-quoted
    scalar."""
    literal = text.replace("{", "{{").replace("}", "}}")
    return json.dumps(literal + markup, ensure_ascii=False)


def build_with(folder: Path, inputs: Inputs, old: str, new: str) -> str:
    """Build the national sheet from the content with ``old`` replaced; the PDF's text."""
    original = (CONTENT / "lss.yaml").read_text(encoding="utf-8")
    assert original.count(old) == 1
    (folder / "lss.yaml").write_text(original.replace(old, new), encoding="utf-8")
    spec = load_content(folder)
    document = check(Inputs(spec, inputs.data, inputs.fonts), [])[areas.RIKET]
    target = folder / "sheet.pdf"
    write_atomic(render(document).pdf, target)
    event("built")
    return pdftotext(target, "-raw")  # stream order: no column guessing on wide gaps


def assert_clean(error: FactsheetError) -> None:
    """A located input error, or a page-budget failure: never anything else."""
    event(f"{type(error).__name__}: {error.problems[0].message[:30]}")
    assert error.problems
    for problem in error.problems:
        assert isinstance(problem, Problem) and problem.message
        if isinstance(error, InputError):
            assert re.match(r".+lss\.yaml:\d+$", problem.where), problem
        else:
            assert isinstance(error, RenderError)
            assert problem.message.startswith("page "), problem


def built_mostly(run: Callable[[Counter[str]], None]) -> None:
    """Run a property over built sheets, counting its examples as ``built`` or ``refused``:
    a refusal is a fine outcome for one example, but a run where (nearly) every example is
    refused tests nothing. About four in five build; the plain example always should."""
    outcomes: Counter[str] = Counter()
    run(outcomes)
    total = outcomes["built"] + outcomes["refused"]
    assert outcomes["built"] >= max(1, total // 5), f"too few examples built: {outcomes}"


def test_any_text_in_a_paragraph_prints_as_written(inputs: Inputs, folder: Path) -> None:
    @SETTINGS
    @given(text=text_strategy(160))
    @example(text=PLAIN)
    def prints_as_written(outcomes: Counter[str], text: str) -> None:
        new = f"paragraph: {yaml_text(text, ' {note:systematisk}')}"
        try:
            pdf = build_with(folder, inputs, f"paragraph: >-\n      {PARAGRAPH}", new)
        except FactsheetError as error:
            assert_clean(error)
            outcomes["refused"] += 1
            return
        outcomes["built"] += 1
        assert comparable(text) in comparable(pdf)

    built_mostly(prints_as_written)


def test_any_text_in_a_table_cell_prints_as_written(inputs: Inputs, folder: Path) -> None:
    @SETTINGS
    @given(text=text_strategy(60))
    @example(text=PLAIN)
    def prints_as_written(outcomes: Counter[str], text: str) -> None:
        try:
            pdf = build_with(folder, inputs, f"label: {LABEL},", f"label: {yaml_text(text)},")
        except FactsheetError as error:
            assert_clean(error)
            outcomes["refused"] += 1
            return
        outcomes["built"] += 1
        assert comparable(text) in comparable(pdf)

    built_mostly(prints_as_written)


def test_the_alphabet_is_broad() -> None:
    letters = alphabet()
    assert len(letters) > 500
    assert all(c in letters for c in "åäöÅÄÖé<&>{}–”’€")
    assert not any(c in letters for c in "*_0123456789\n")


# --- the workbook reader -------------------------------------------------------------------

CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=True),
    st.builds(object),
    st.sampled_from(["#DIV/0!", "#N/A", " 82 ", "82,5", "82 %", "Uppgift saknas", "Ja", "03"]),
)


@pytest.fixture(scope="module")
def layout() -> workbook.Layout:
    return workbook.load_layout(CONTENT)


def reader(layout: workbook.Layout) -> Any:
    return cells._Reader(Path("x.xlsx"), layout, book=None)


def _only_problem_at(read: Any, where: str, start: str) -> None:
    assert len(read.problems) == 1
    assert read.problems[0].where == where
    assert read.problems[0].message.startswith(start)


@settings(max_examples=300, deadline=None)
@given(raw=CELL_VALUES)
def test_any_cell_value_gives_a_value_or_a_located_problem(
    layout: workbook.Layout, raw: Any
) -> None:
    read = reader(layout)
    value = read.percentage(raw, "Län!D7")
    if value is None:
        assert read.problems == [] or read.problems[0].where == "Län!D7"
        if read.problems:
            _only_problem_at(read, "Län!D7", "expected a percentage 0–100, got ")
    else:
        assert read.problems == [] and isinstance(value, float) and 0 <= value <= 100

    read = reader(layout)
    count = read.count(raw, "Kommun!T7")
    if count is None:
        if read.problems:
            _only_problem_at(read, "Kommun!T7", "expected a count (a whole number ≥ 0), got ")
    else:
        assert read.problems == [] and isinstance(count, int) and count >= 0

    read = reader(layout)
    answer = read.yes_no(raw, "Kommun!H7")
    assert answer in (True, False, None)
    if read.problems:
        _only_problem_at(read, "Kommun!H7", "expected Ja/Nej, got ")

    read = reader(layout)
    code = read.area_code(raw, "Län!A7", {c.code for c in areas.counties()})
    if code is None:
        assert len(read.problems) == 1 and read.problems[0].where == "Län!A7"
    else:
        assert read.problems == [] and code in {c.code for c in areas.counties()}

    year = cells.year_value(raw)
    assert year is None or (isinstance(year, int) and 1900 <= year < 2200)


WRITABLE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs"))),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)


def tiny_workbook(path: Path, value: Any) -> None:
    """The smallest workbook the reader accepts, with ``value`` as Uppsala's U1 in 2021."""
    book = Workbook()
    sheets = {}
    for index, title in enumerate(["Indikatorer", "Riket", "Län", "Kommun"]):
        sheets[title] = book.active if index == 0 else book.create_sheet()
        sheets[title].title = title
    sheets["Indikatorer"].append([])
    sheets["Indikatorer"].append([])
    sheets["Indikatorer"].append(["Id", "Namn", "Typ", "Enhet", "Beskrivning", "Beräkning"])
    sheets["Indikatorer"].append(["U1", "En fråga", "indikator", "procent", "", "andel ja"])
    for title in ("Riket", "Län"):
        sheets[title].append([])
        sheets[title].append([])
        sheets[title].append(["Kod", "Namn", "År", "U1"])
    sheets["Riket"].append(["00", "Riket", 2021, 50])
    for county in areas.counties():
        sheets["Län"].append([county.code, county.name, 2021, value if county.code == "03" else 40])
    sheets["Kommun"].append([])
    sheets["Kommun"].append([])
    sheets["Kommun"].append(["Kod", "Namn", "Kommunkod", "Länskod", "År", "U1"])
    book.save(path)


def test_any_cell_value_through_the_whole_reader(
    layout: workbook.Layout, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outcomes: Counter[str] = Counter()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=WRITABLE)
    @example(value=82.5)
    def value_or_located_problem(value: Any) -> None:
        path = tmp_path_factory.mktemp("cell") / "tiny.xlsx"
        tiny_workbook(path, value)
        try:
            data = workbook.load_workbook(path, layout)
        except InputError as error:
            assert [p.where for p in error.problems] == ["Län!D5"], error.problems
            outcomes["refused"] += 1
            return
        outcomes["read"] += 1
        read = data.value("03", "U1", 2021)
        assert read is not None and read.cell == "Län!D5"
        assert read.value is None or 0 <= read.value <= 100

    value_or_located_problem()
    assert outcomes["read"] >= 1, f"no value was read: {outcomes}"  # 82.5 at least
