"""Bad content, bad workbooks, bad paths: every mistake is one located line on stderr, then one
summary line, exit 2 (input) or 1 (build); nothing is written and nothing is executed.

Broken workbooks are made per test with openpyxl from a small copy of the bundled sample (its
Kommun sheet cut to a few rows, which is still a valid workbook), never committed binaries."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CONTENT, ROOT, normalize, pdftotext
from conftest import line_of as line_in
from openpyxl import Workbook, load_workbook

from factsheet.cli import main
from factsheet.files import output_name
from factsheet.inputs import cells, workbook
from factsheet.model import areas

FONTS = ROOT / "fonts"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"
ABORTED_1 = "Aborted: 1 problem in the input; nothing was written."
FAILED = "Build failed; nothing was written."


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = load_workbook(SAMPLE)
    book["Kommun"].delete_rows(12, book["Kommun"].max_row)
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    book.save(path)
    return path


@pytest.fixture()
def make_workbook(
    small_sample: Path, tmp_path: Path
) -> Callable[[Callable[[Workbook], Any]], Path]:
    def make(change: Callable[[Workbook], Any]) -> Path:
        book = load_workbook(small_sample)
        change(book)
        path = tmp_path / "broken.xlsx"
        book.save(path)
        return path

    return make


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, list[str]]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err.splitlines()


def check(
    capsys: pytest.CaptureFixture[str],
    content: Path = CONTENT,
    book: Path | None = None,
    fonts: Path = FONTS,
) -> tuple[int, list[str]]:
    extra = ["--workbook", str(book)] if book else []
    return run(capsys, "check", "--content", content, "--fonts", fonts, *extra)


def edit(content: Path, old: str, new: str) -> int:
    """Replace the one occurrence of ``old`` in lss.yaml; the line it started on."""
    path = content / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(content: Path, text: str) -> int:
    return line_in(content / "lss.yaml", text)


def item_line(content: Path, text: str) -> int:
    """The line of the list item (``- paragraph: >-``) whose text holds ``text``: where the
    messages about that text point."""
    lines = (content / "lss.yaml").read_text(encoding="utf-8").splitlines()
    line = line_of(content, text)
    while not re.match(r"^\s*- ", lines[line - 1]):
        line -= 1
    return line


def set_column(book: Workbook, sheet: str, column: int, change: Callable[[Any], Any]) -> None:
    ws = book[sheet]
    for (cell,) in ws.iter_rows(min_row=4, min_col=column, max_col=column):
        if cell.value is not None:
            cell.value = change(cell.value)


# --- content ----------------------------------------------------------------------------------


def test_yaml_syntax_error(capsys: pytest.CaptureFixture[str], content_copy: Path) -> None:
    line = edit(content_copy, "pages: 4", "pages: [4")
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line + 2}: YAML syntax error: expected ',' or ']', but got ':'",
        ABORTED_1,
    ]


def test_unknown_key_suggests_the_right_one(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    line = edit(content_copy, "\ningress: >-", "\ningres: >-") + 1
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line}: ingres: unknown key (did you mean 'ingress'?)",
        f"{content_copy}/lss.yaml:4: ingress: missing required key",
        "Aborted: 2 problems in the input; nothing was written.",
    ]


def test_missing_required_key(capsys: pytest.CaptureFixture[str], content_copy: Path) -> None:
    edit(content_copy, "language: sv-SE\n", "")
    code, err = check(capsys, content_copy)
    assert (code, err) == (
        2,
        [f"{content_copy}/lss.yaml:4: language: missing required key", ABORTED_1],
    )


def test_wrong_type(capsys: pytest.CaptureFixture[str], content_copy: Path) -> None:
    line = edit(content_copy, "pages: 4", "pages: four")
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line}: pages: expected a whole number of pages from 1 to 40, "
        "got text ('four')",
        ABORTED_1,
    ]


def test_unquoted_code_is_never_used_as_a_number(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    """No content key takes an area code; where text is expected, ``0114`` (which YAML 1.1
    reads as the octal number 76) is refused with what was written, never used as 76."""
    line = edit(
        content_copy,
        '  - {text: "covid-19", why: sjukdomens namn}',
        '  - {text: 0114, why: kommunkod}\n  - {text: "covid-19", why: sjukdomens namn}',
    )
    notes = edit(content_copy, "\nreferences:\n", "\nreferences:\n  03: Uppsala\n") + 2
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line}: literal_numbers[0].text: expected text, got a number "
        "(76): write '0114' in quotes to keep it as text",
        f"{content_copy}/lss.yaml:{notes}: references: key 03 must be text: YAML reads it as "
        "a number (3); quote it: '03'",
        "Aborted: 2 problems in the input; nothing was written.",
    ]


def test_county_code_must_keep_its_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "build", "--county", "3", "--content", CONTENT, "--fonts", FONTS)
    assert (code, err) == (
        2,
        ["--county: unknown county '3': county codes have two digits ('03')", ABORTED_1],
    )


def test_county_that_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "build", "--county", "99", "--content", CONTENT, "--fonts", FONTS)
    assert code == 2
    assert err[0].startswith("--county: unknown county '99'; valid: 01 Stockholm, 03 Uppsala,")
    assert err[1:] == [ABORTED_1]


def test_unknown_indicator_in_a_table_row(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    edit(content_copy, "indicator: U28545}", "indicator: U25845}")
    line = line_of(content_copy, "indicator: U25845}")
    code, err = check(capsys, content_copy)
    assert (code, err) == (
        2,
        [
            f"{content_copy}/lss.yaml:{line}: tables.t1.rows[3].indicator: unknown indicator "
            "'U25845' (did you mean 'U28545'?)",
            ABORTED_1,
        ],
    )


def test_years_the_workbook_does_not_have(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    edit(content_copy, "years: {from: year-2, to: year}", "years: {from: year-6, to: year}")
    edit(content_copy, "enbart {U33620} procent", "enbart {U33620:2010} procent")
    placeholder = item_line(content_copy, "{U33620:2010}")
    first = line_of(content_copy, "indicator: U33620}")
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{placeholder}: placeholder {{U33620:2010}}: the workbook "
        "has no 2010 values for 'U33620' (years: 2016–2021)",
        *(
            f"{content_copy}/lss.yaml:{first + i}: tables.t1.rows[{i}].indicator: the workbook "
            f"has no 2015 values for '{ind}' (years: 2016–2021)"
            for i, ind in enumerate(["U33620", "U33621", "U28544", "U28545", "X90544"])
        ),
        "Aborted: 6 problems in the input; nothing was written.",
    ]


def test_placeholder_that_names_nothing(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    edit(content_copy, "{ref:ibic}. {U28544}", "{ref:ibic}. {U2854x}")
    line = item_line(content_copy, "{U2854x}")
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line}: placeholder {{U2854x}}: names nothing (expected "
        "year, year-N, years, an indicator id such as U33621 or U33621:year-1, "
        "min:/max:/minname:/maxname:/missing:ID, note:KEY, ref:KEY, table:ID or figure:ID)",
        ABORTED_1,
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("**Det finns", "unbalanced '**' (bold is opened but not closed)"),
        ("__Det finns", "unbalanced '__' (italic is opened but not closed)"),
        ("{Det finns", "unbalanced '{': write '{{' for a literal brace"),
        ("Det} finns", "unbalanced '}': write '}}' for a literal brace"),
        (
            "<b>Det</b> finns",
            "unknown markup '<b>': HTML tags are not markup here: use **bold** or __italic__ "
            "('<' and '>' print as written)",
        ),
        (
            "[Det](https://www.socialstyrelsen.se) finns",
            "unknown markup '[Det](https://www.socialstyrelsen.se)': a Markdown link: write the "
            "address itself, it becomes a link",
        ),
    ],
)
def test_bad_inline_markup(
    capsys: pytest.CaptureFixture[str], content_copy: Path, written: str, message: str
) -> None:
    edit(content_copy, "Det finns olika stödmaterial", written + " olika stödmaterial")
    line = item_line(content_copy, written + " olika stödmaterial")
    code, err = check(capsys, content_copy)
    assert (code, err) == (2, [f"{content_copy}/lss.yaml:{line}: {message}", ABORTED_1])


def test_angle_brackets_and_ampersands_print_as_written(
    capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path
) -> None:
    text = "Tecknen <, > och & står kvar: x<y, A&B, &amp; och &lt;b&gt; <br och <i"
    edit(content_copy, "Det finns olika stödmaterial", f"{text}. Det finns olika stödmaterial")
    pdf = tmp_path / "out.pdf"
    code, err = run(capsys, "build", "--content", content_copy, "--fonts", FONTS, "-o", pdf)
    assert (code, err) == (0, [])
    assert normalize(text) in normalize(pdftotext(pdf))


def test_python_tags_are_refused_not_run(
    capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "executed"
    line = edit(
        content_copy,
        "\nlanguage: sv-SE",
        f'\nlanguage: !!python/object/apply:os.system ["touch {marker}"]',
    )
    code, err = check(capsys, content_copy)
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line + 1}: YAML tag '!!python/object/apply:os.system' is not "
        "allowed: content is plain YAML (text, numbers, lists, mappings); tags that build "
        "objects are refused",
        ABORTED_1,
    ]
    assert not marker.exists()


def test_content_folder_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err = check(capsys, tmp_path / "nowhere")
    assert (code, err) == (2, [f"{tmp_path}/nowhere: content folder not found", ABORTED_1])


# --- everything at once ------------------------------------------------------------------------


def test_content_workbook_and_fonts_problems_come_together(
    capsys: pytest.CaptureFixture[str],
    content_copy: Path,
    make_workbook: Callable[[Callable[[Workbook], Any]], Path],
    tmp_path: Path,
) -> None:
    line = edit(content_copy, "pages: 4", "pages: four")
    broken = make_workbook(lambda book: book["Län"].__setitem__("D7", "x"))
    broken.replace(content_copy / "oj-2021-lss-sample.xlsx")
    code, err = check(capsys, content_copy, fonts=tmp_path / "no-fonts")
    assert code == 2
    assert err == [
        f"{content_copy}/lss.yaml:{line}: pages: expected a whole number of pages from 1 to 40, "
        "got text ('four')",
        "Län!D7: expected a percentage 0–100, got 'x'",
        f"{tmp_path}/no-fonts: font folder not found (it must hold OpenSans-Regular.ttf, "
        "OpenSans-Bold.ttf, OpenSans-Italic.ttf, OpenSans-BoldItalic.ttf, "
        "OpenSans-Semibold.ttf)",
        "Aborted: 3 problems in the input; nothing was written.",
    ]


def test_placeholder_problems_reported_with_font_problems(
    capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path
) -> None:
    edit(content_copy, "{ref:ibic}. {U28544}", "{ref:ibic}. {U28544:1999}")
    line = item_line(content_copy, "{U28544:1999}")
    code, err = check(capsys, content_copy, fonts=tmp_path)
    assert code == 2
    assert err[-2:] == [
        f"{content_copy}/lss.yaml:{line}: placeholder {{U28544:1999}}: the workbook has no "
        "1999 values for 'U28544' (years: 2016–2021)",
        "Aborted: 6 problems in the input; nothing was written.",
    ]
    assert err[:5] == [
        f"{tmp_path.resolve()}/{name}: font file not found"
        for name in (
            "OpenSans-Regular.ttf",
            "OpenSans-Bold.ttf",
            "OpenSans-Italic.ttf",
            "OpenSans-BoldItalic.ttf",
            "OpenSans-Semibold.ttf",
        )
    ]


# --- workbook ----------------------------------------------------------------------------------


def test_not_an_xlsx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fake = tmp_path / "data.xlsx"
    fake.write_text("Kod;År\n03;2021\n", encoding="utf-8")
    code, err = check(capsys, book=fake)
    assert (code, err) == (
        2,
        [f"{fake}: not an Excel .xlsx file (it is not a zip archive)", ABORTED_1],
    )


def test_old_xls(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fake = tmp_path / "data.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    code, err = check(capsys, book=fake)
    assert (code, err) == (
        2,
        [f"{fake}: an old Excel .xls file, not .xlsx: save it as .xlsx in Excel", ABORTED_1],
    )


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.touch()
    code, err = check(capsys, book=empty)
    assert (code, err) == (
        2,
        [f"{empty}: the file is empty (0 bytes), not an Excel .xlsx file", ABORTED_1],
    )


def test_zip_that_is_not_a_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    code, err = check(capsys, book=path)
    assert (code, err) == (
        2,
        [f"{path}: not an Excel .xlsx file (no xl/workbook.xml)", ABORTED_1],
    )


def test_workbook_not_found(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = check(capsys, book=tmp_path / "gone.xlsx")
    assert (code, err) == (2, [f"{tmp_path}/gone.xlsx: workbook not found", ABORTED_1])


def test_missing_sheet_and_column(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    def change(book: Workbook) -> None:
        book["Län"].title = "Lan"
        book["Riket"]["C3"] = "Year"

    path = make_workbook(change)
    code, err = check(capsys, book=path)
    assert code == 2
    assert err == [
        f"{path}: sheet 'Län' not found (sheets: Indikatorer, Riket, Lan, Kommun)",
        "Riket!3:3: column 'År' not found in the header row",
        "Aborted: 2 problems in the input; nothing was written.",
    ]


def test_missing_indicator_column(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    path = make_workbook(lambda book: book["Län"].__setitem__("E3", "U33621 (procent)"))
    code, err = check(capsys, book=path)
    assert (code, err) == (
        2,
        ["Län!3:3: column 'U33621' not found in the header row", ABORTED_1],
    )


def test_codes(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    """Duplicate, numeric (lost its zero), zero-less text and unknown codes, each at its cell."""

    def change(book: Workbook) -> None:
        county = book["Län"]
        assert (county["A4"].value, county["A5"].value, county["A6"].value) == ("01", "03", "04")
        county["A4"], county["A5"], county["A6"] = 1, "3", "99"
        assert (county["A25"].value, county["A26"].value, county["C26"].value) == ("01", "03", 2017)
        county["A26"] = "01"  # 01 twice in 2017, 03 missing in 2017
        kommun = book["Kommun"]
        kommun["A4"], kommun["A5"], kommun["A6"], kommun["D7"] = "9999", 115, "117", "03"

    path = make_workbook(change)
    code, err = check(capsys, book=path)
    assert code == 2
    assert err == [
        "Län!A4: area code 1 is a number; codes are text with leading zeros (e.g. '01'): "
        "format the column as text",
        "Län!A5: area code '3' lost its leading zero (expected '03')",
        "Län!A6: unknown area code '99'",
        "Län!A26: duplicate row for area '01' and year 2017 (first on row 25)",
        "Län: no row for area '01' in 2016 (riket has that year)",
        "Län: no row for area '03' in 2016, 2017 (riket has those years)",
        "Län: no row for area '04' in 2016 (riket has that year)",
        "Kommun!A4: unknown area code '9999'",
        "Kommun!A5: area code 115 is a number; codes are text with leading zeros "
        "(e.g. '0115'): format the column as text",
        "Kommun!A6: area code '117' lost its leading zero (expected '0117')",
        "Kommun!D7: county code '03' does not match unit '0120' (which is in county '01')",
        "Aborted: 11 problems in the input; nothing was written.",
    ]


def test_a_county_missing(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    def change(book: Workbook) -> None:
        county = book["Län"]
        for row in range(county.max_row, 3, -1):
            if county.cell(row, 1).value == "25":
                county.delete_rows(row)

    code, err = check(capsys, book=make_workbook(change))
    assert (code, err) == (2, ["Län: no rows for area '25'", ABORTED_1])


def test_an_empty_kommun_column_stops_a_county_build(
    capsys: pytest.CaptureFixture[str],
    make_workbook: Callable[[Callable[[Workbook], Any]], Path],
    tmp_path: Path,
) -> None:
    """Every Kommun!U33620 cell blanked: the county sheet printed "0 av 0" as Tabell 1's
    count (exit 0); now an error naming the column and its cells, for check and build."""
    assert load_workbook(SAMPLE, read_only=True)["Kommun"]["H3"].value == "U33620"
    path = make_workbook(lambda book: set_column(book, "Kommun", 8, lambda v: None))
    line = line_in(CONTENT / "lss.yaml", "indicator: U33620}")
    expected = [
        f"{CONTENT}/lss.yaml:{line}: tables.t1.rows[0].indicator: the kommun sheet's column for "
        "'U33620' (Kommun!H4:H11) is empty: no kommun or stadsdel has an answer in any year; a "
        "county sheet's table counts them ('Ja av svarande') and a kommun sheet's shows them",
        ABORTED_1,
    ]
    out = tmp_path / "out"
    argv = ("--content", CONTENT, "--fonts", FONTS, "--workbook", path, "-o", out)
    assert run(capsys, "build", "--county", "03", *argv) == (2, expected)
    assert not out.exists()


def test_values_that_are_not_percentages(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    def change(book: Workbook) -> None:
        county, kommun = book["Län"], book["Kommun"]
        county["D7"], county["D8"], county["D9"], county["D10"] = "x", 120, -1, "82"
        kommun["H4"], kommun["T5"], kommun["T6"] = "kanske", 2.5, "många"

    code, err = check(capsys, book=make_workbook(change))
    assert code == 2
    assert err == [
        "Län!D7: expected a percentage 0–100, got 'x'",
        "Län!D8: expected a percentage 0–100, got 120",
        "Län!D9: expected a percentage 0–100, got -1",
        "Län!D10: expected a percentage 0–100, got '82' (a number stored as text)",
        "Kommun!H4: expected Ja/Nej, got 'kanske'",
        "Kommun!T5: expected a count (a whole number ≥ 0), got 2.5",
        "Kommun!T6: expected a count (a whole number ≥ 0), got 'många'",
        "Aborted: 7 problems in the input; nothing was written.",
    ]


def test_percentages_stored_as_fractions_in_a_county_column(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    path = make_workbook(lambda book: set_column(book, "Län", 5, lambda v: v / 100))
    code, err = check(capsys, book=path)
    assert (code, err) == (
        2,
        [
            "Län!E:E: column 'U33621' holds fractions (every value is between 0 and 1, e.g. "
            "0.833 in E4), while riket's are percentages (e.g. 50 in Riket!E4): store "
            "percentages as 0–100 (82 % as 82, not 0.82)",
            ABORTED_1,
        ],
    )


def test_percentages_stored_as_fractions_everywhere(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    def change(book: Workbook) -> None:
        for sheet in ("Riket", "Län"):
            set_column(book, sheet, 4, lambda v: v / 100)

    code, err = check(capsys, book=make_workbook(change))
    assert code == 2
    assert err == [
        "Län!D:D: column 'U33620' holds fractions (every value is between 0 and 1, e.g. "
        "0.194 in D4), as are riket's: store percentages as 0–100 (82 % as 82, not 0.82)",
        "Riket!D:D: column 'U33620' holds fractions (every value is between 0 and 1, e.g. "
        "0.139 in D4), as are the län values: store percentages as 0–100 (82 % as 82, "
        "not 0.82)",
        "Aborted: 2 problems in the input; nothing was written.",
    ]


def test_small_real_percentages_are_not_fractions() -> None:
    """Riket at 0.3 % with län values of 0–4 % is a real value, not a fraction."""
    values = {
        ("00", "U1", 2021): workbook.Value(0.3, "Riket!D4"),
        ("01", "U1", 2021): workbook.Value(0.0, "Län!D4"),
        ("03", "U1", 2021): workbook.Value(3.8, "Län!D5"),
    }
    assert cells.fraction_problems(values) == []


def test_formula_without_a_stored_result(
    capsys: pytest.CaptureFixture[str], make_workbook: Callable[[Callable[[Workbook], Any]], Path]
) -> None:
    def change(book: Workbook) -> None:
        book["Län"]["E4"] = "=D4+1"  # openpyxl stores formulas without a result
        book["Riket"]["T4"] = "=1+1"  # outside the data columns: still reported

    code, err = check(capsys, book=make_workbook(change))
    assert code == 2
    assert err == [
        "Riket!T4: formula without a stored result: open the workbook in Excel or LibreOffice "
        "and save it, so that the results are stored",
        "Län!E4: formula without a stored result: open the workbook in Excel or LibreOffice "
        "and save it, so that the results are stored",
        "Aborted: 2 problems in the input; nothing was written.",
    ]


def test_formulas_with_stored_results_are_read(small_sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "with-results.xlsx"
    with zipfile.ZipFile(small_sample) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                old = b'<c r="E4" t="n"><v>83.3</v></c>'
                assert old in data
                data = data.replace(old, b'<c r="E4"><f>D4*4+5.7</f><v>83.3</v></c>')
            dst.writestr(info, data)
    assert workbook.formula_cells(path) == {}
    data = workbook.load_workbook(path, workbook.load_layout(CONTENT))
    assert data.value("01", "U33621", 2016) == workbook.Value(83.3, "Län!E4")


# --- fonts -------------------------------------------------------------------------------------


def test_font_file_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for font in FONTS.glob("*.ttf"):
        if font.name != "OpenSans-Italic.ttf":
            (tmp_path / font.name).write_bytes(font.read_bytes())
    code, err = check(capsys, fonts=tmp_path)
    assert (code, err) == (
        2,
        [f"{tmp_path.resolve()}/OpenSans-Italic.ttf: font file not found", ABORTED_1],
    )


def test_font_without_swedish_letters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    for font in FONTS.glob("*.ttf"):
        (tmp_path / font.name).write_bytes(font.read_bytes())
    face = TTFont(str(FONTS / "OpenSans-Bold.ttf"))
    subsetter = subset.Subsetter()
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    subsetter.subset(face)
    face.save(str(tmp_path / "OpenSans-Bold.ttf"))
    code, err = check(capsys, fonts=tmp_path)
    assert (code, err) == (
        2,
        [f"{tmp_path.resolve()}/OpenSans-Bold.ttf: font lacks characters 'åäöÅÄÖé–”’€'", ABORTED_1],
    )


def test_file_that_is_not_a_font(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for font in FONTS.glob("*.ttf"):
        (tmp_path / font.name).write_bytes(font.read_bytes())
    (tmp_path / "OpenSans-Semibold.ttf").write_text("not a font", encoding="utf-8")
    code, err = check(capsys, fonts=tmp_path)
    assert code == 2
    assert err[0].startswith(
        f"{tmp_path.resolve()}/OpenSans-Semibold.ttf: not a usable TrueType font: "
    )
    assert err[1:] == [ABORTED_1]


# --- paths and output --------------------------------------------------------------------------


def test_output_folder_that_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    target = blocker / "sub" / "sheet.pdf"
    code, err = run(capsys, "build", "--content", CONTENT, "--fonts", FONTS, "-o", target)
    assert (code, err) == (
        2,
        [f"{target}: cannot write here: {blocker} is a file, not a folder", ABORTED_1],
    )
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_batch_output_that_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("", encoding="utf-8")
    code, err = run(
        capsys, "build", "--all-counties", "--content", CONTENT, "--fonts", FONTS, "-o", blocker
    )
    assert (code, err) == (
        2,
        [f"{blocker}: cannot write here: it is a file, not a folder", ABORTED_1],
    )


def test_failed_build_keeps_the_earlier_pdf_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path
) -> None:
    edit(content_copy, "pages: 4", "pages: 2")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "sheet.pdf"
    earlier = b"%PDF-1.7 an earlier, complete build\n%%EOF\n"
    target.write_bytes(earlier)
    code, err = run(capsys, "build", "--content", content_copy, "--fonts", FONTS, "-o", target)
    assert code == 1
    assert err[0].startswith("page 2 overflows by ")
    assert err[0].endswith(
        "the content needs more than the 2 pages set by 'pages'; shorten the text or move a "
        "page_break"
    )
    assert err[1:] == [FAILED]
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in folder.iterdir()) == ["sheet.pdf"]


def test_input_error_keeps_the_earlier_pdf(
    capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path
) -> None:
    edit(content_copy, "pages: 4", "pages: -")
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"earlier")
    code, _ = run(capsys, "build", "--content", content_copy, "--fonts", FONTS, "-o", target)
    assert code == 2
    assert target.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "sheet.pdf"]


@pytest.mark.parametrize(
    "name", ["../../etc", "../../etc/passwd", "/etc/passwd", "a/b\\c", "..", ".", "", "\x00", "ÅÄÖ"]
)
def test_area_names_cannot_leave_the_output_folder(name: str, tmp_path: Path) -> None:
    made = areas.slug(name)
    assert made and set(made) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert made not in (".", "..")
    target = (tmp_path / f"oj-2021-lss-01-{made}.pdf").resolve()
    assert target.parent == tmp_path.resolve()


def test_output_names_come_from_codes_and_slugs() -> None:
    from factsheet.build import load_inputs

    spec = load_inputs(CONTENT, None, FONTS).spec
    names = [output_name(spec, areas.area(c.code)) for c in areas.counties()]
    assert all(n.startswith(f"oj-{spec.year}-lss-") and "/" not in n for n in names)
    assert output_name(spec, areas.area("14")) == "oj-2021-lss-14-vastra-gotaland.pdf"


# --- safety: bombs and bounds ------------------------------------------------------------------

_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


def test_xml_entity_bomb_is_refused(
    capsys: pytest.CaptureFixture[str], small_sample: Path, tmp_path: Path
) -> None:
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(small_sample) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = _LAUGHS.encode() + data.replace(b"<t>Riket</t>", b"<t>&lol9;</t>", 1)
            dst.writestr(info, data)
    code, err = check(capsys, book=path)
    assert (code, err) == (
        2,
        [
            f"{path}: the XML declares entities, which are refused (a possible XML bomb); save "
            "the workbook again from Excel or LibreOffice",
            ABORTED_1,
        ],
    )


def test_zip_bomb_is_refused_by_its_unpacked_size(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 2**20)
    code, err = check(capsys, book=SAMPLE)
    assert (code, err) == (
        2,
        [
            f"{SAMPLE}: unpacks to 1.2 MiB, more than the 1 MiB allowed (a possible zip bomb)",
            ABORTED_1,
        ],
    )


def test_file_size_bound(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", 2**16)
    code, err = check(capsys, book=SAMPLE)
    size = SAMPLE.stat().st_size / 2**20
    assert (code, err) == (
        2,
        [f"{SAMPLE}: the file is {size:.1f} MiB, more than the 0.0625 MiB allowed", ABORTED_1],
    )


def test_sheet_and_row_bounds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, small_sample: Path
) -> None:
    monkeypatch.setattr(workbook, "MAX_SHEETS", 3)
    assert check(capsys, book=small_sample) == (
        2,
        [f"{small_sample}: more than 3 sheets", ABORTED_1],
    )
    monkeypatch.setattr(workbook, "MAX_SHEETS", 64)
    monkeypatch.setattr(workbook, "MAX_ROWS", 100)
    assert check(capsys, book=small_sample) == (2, ["Län: more than 100 rows", ABORTED_1])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "        level: municipality",
            "        level: municipalitis",
            "figures.f1.variants.municipality.level: expected one of county, municipality, got "
            "'municipalitis' (did you mean 'municipality'?)",
        ),
        (
            "    order: value-descending",
            "    order: descending",
            "figures.f1.order: expected one of value-descending, value-ascending, code, got "
            "'descending' (did you mean 'value-ascending' or 'value-descending'?)",
        ),
        (
            "    level: county",
            "    level: kommun",
            "figures.f1.level: expected one of county, municipality, got 'kommun'",
        ),
        (
            "    missing_order: nonresponse",
            "    missing_order: 7",
            "figures.f1.missing_order: expected one of nonresponse, code, name, got 7",
        ),
    ],
)
def test_a_choice_is_checked_where_the_yaml_is_read(
    capsys: pytest.CaptureFixture[str], content_copy: Path, old: str, new: str, message: str
) -> None:
    """``check`` refuses a word that is not one of a key's choices, at the key's line, before
    anything is resolved (a misspelt kommun figure once gave the län chart silently)."""
    line = edit(content_copy, old, new)
    assert check(capsys, content_copy) == (
        2,
        [f"{content_copy}/lss.yaml:{line}: {message}", ABORTED_1],
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    year: year\n    order: value-descending",
            "    year: year\n    years: {from: year-2, to: year}\n    order: value-descending",
            "figures.f1.years: does not apply to kind 'bars'",
        ),
        (
            "    indicator: X90560\n    level: county",
            "    kind: trend\n    indicators: [X90560]\n    level: county",
            "figures.f1.level: does not apply to kind 'trend'",
        ),
        (
            "    indicator: X90560\n    level: county",
            "    kind: grouped-bars\n    indicators: [X90560]\n    level: county",
            "figures.f1.indicators: 'grouped-bars' needs at least two",
        ),
    ],
)
def test_a_figure_takes_the_keys_of_its_kind(
    capsys: pytest.CaptureFixture[str], content_copy: Path, old: str, new: str, message: str
) -> None:
    edit(content_copy, old, new)
    code, err = check(capsys, content_copy)
    assert code == 2
    assert any(line.endswith(message) for line in err), err


def test_no_font_folder_in_a_fresh_process_is_reported_not_a_traceback(tmp_path: Path) -> None:
    """The default ``--fonts fonts`` from a folder without one (as after ``pip install .``):
    a fresh process has no font registered, and the content checks that measure text ended in
    a KeyError traceback from ReportLab."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "factsheet.cli", "check", "--content", str(CONTENT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr.splitlines()) == (
        2,
        [
            f"{tmp_path / 'fonts'}: font folder not found (it must hold OpenSans-Regular.ttf, "
            "OpenSans-Bold.ttf, OpenSans-Italic.ttf, OpenSans-BoldItalic.ttf, "
            "OpenSans-Semibold.ttf)",
            ABORTED_1,
        ],
    )
