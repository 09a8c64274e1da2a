"""`factsheet explain`: every number of the sheet, where it stands and where it came from.

The national sheet's text (pdftotext) and explain's list are compared both ways: every number
in the PDF is explained unless it is a number the content allows as written (literal numbers,
URLs), or furniture (page numbers, table and figure numbers, footnote and reference calls,
chart axis ticks); every explained number is in the PDF, in the text around it."""

from __future__ import annotations

import csv
import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pikepdf
import pytest
from conftest import CONTENT, ROOT, normalize
from openpyxl import load_workbook

from factsheet.build import load_inputs
from factsheet.cli import main
from factsheet.explain import FIELDS, around
from factsheet.formatting import format_number
from factsheet.inputs.content import load_content
from factsheet.model import areas
from factsheet.model.richtext import LINK
from factsheet.model.trace import Trace
from factsheet.resolve import resolve

FONTS = ROOT / "fonts"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"
NUMBER = re.compile(r"\d+(?:,\d+)?")
AXIS_TICKS = {"0", "20", "40", "60", "80", "100"}


def explain(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["explain", "--content", str(CONTENT), "--fonts", str(FONTS), *extra])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    capture = io.StringIO()
    with redirect_stdout(capture):
        argv = ["explain", "--content", str(CONTENT), "--fonts", str(FONTS), "--format", "csv"]
        assert main(argv) == 0
    return list(csv.DictReader(io.StringIO(capture.getvalue())))


def tokens(text: str) -> set[str]:
    return set(NUMBER.findall(text.replace("\u00a0", "")))


def unexplained_text(pdf_text: str) -> str:
    """The PDF's text without what the content allows as written and the page furniture."""
    spec = load_content(CONTENT)
    text = pdf_text.replace("\u00ad", "")
    joined = None
    while joined != text:  # wrapped URLs, over as many lines as they take
        joined, text = text, re.sub(r"(https?://\S*/)\n", r"\1", text)
    notes = {str(n) for n in range(1, len(spec.footnotes) + 1)}
    for note in spec.footnotes.values():  # a footnote's label, on the line of its text
        opening = re.escape(note.text.split()[0])
        text = re.sub(rf"^(?:{'|'.join(notes)})[ \u00a0]+(?={opening})", " ", text, flags=re.M)
    text = LINK.sub(" ", text)
    for literal in spec.literal_numbers:
        words = r"\s+".join(re.escape(w) for w in literal.text.split())
        text = re.sub(words, " ", text)
    text = re.sub(r"Sida \d+ av \d+", " ", text)
    text = re.sub(r"(?:Tabell|Figur) \d+\.", " ", text)
    for ref in spec.references.values():  # a reference's year and series number
        for token in re.findall(r"\(\d{4}\)|\b\d{4}:\d+\b", ref.text):
            text = text.replace(token, " ")
    text = re.sub(r"\[\d+\]", " ", text)  # reference calls and the list's labels
    text = re.sub(r"(?<=[^\W\d_])\d+", " ", text)  # footnote calls: uppföljning1
    lines = [
        line
        for line in text.splitlines()
        if line.strip() not in notes | AXIS_TICKS  # footnote labels, chart axis
    ]
    return "\n".join(lines)


def test_every_number_in_the_national_sheet_is_explained(
    national_text: str, rows: list[dict[str, str]]
) -> None:
    explained = set().union(*(tokens(r["number"]) for r in rows))
    in_pdf = tokens(unexplained_text(national_text))
    assert in_pdf - explained == set()
    assert len(in_pdf) >= 45


def test_every_explained_number_is_in_the_national_sheet(
    national_pdf: Path, national_text: str, rows: list[dict[str, str]]
) -> None:
    assert tokens(national_text) >= set().union(*(tokens(r["number"]) for r in rows))
    with pikepdf.open(national_pdf) as pdf:
        alt = " ".join(
            str(o.Alt) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/Alt" in o
        )
    page_text = normalize(national_text)
    for row in rows:
        context = normalize(row["context"].replace("«", "").replace("»", "").strip("…"))
        if re.match(
            r"(?:table|figure) \S+ (?:row|bar|reference line|column heading)", row["place"]
        ):
            continue  # table cells and chart values: checked against the workbook below
        shown = normalize(alt) if "alt text" in row["place"] else page_text
        assert context in shown, row


def test_each_number_is_the_workbook_cell_it_names(rows: list[dict[str, str]]) -> None:
    book = load_workbook(SAMPLE, read_only=True, data_only=True)
    published = [
        r for r in rows if r["how"].startswith(("published value", "min over", "max over"))
    ]
    assert len(published) > 60
    for row in published:
        for cell in row["cells"].split("; "):
            sheet, ref = cell.split("!")
            assert format_number(book[sheet][ref].value) == row["number"], row
        assert row["indicator"] and row["indicator_name"] and row["year"], row
    years = [r for r in rows if r["how"].endswith("(from year: 2021)")]
    assert {r["number"] for r in years} == {
        *(str(y) for y in range(2016, 2022)),  # {year-5} ... {year}, table column headings
        "2019–2021",
        "2017–2021",
    }


def test_the_csv_has_every_field(rows: list[dict[str, str]]) -> None:
    assert list(rows[0]) == list(FIELDS)
    assert all(r["number"] and r["place"] and r["where"] and r["how"] for r in rows)
    assert all(re.match(r".+lss\.yaml:\d+$", r["where"]) for r in rows)


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = explain(capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("103 numbers in the sheet for Riket, from ")
    block = lines.index(f"61     side box item 1 ({CONTENT}/lss.yaml:59)")
    assert lines[block + 1 : block + 3] == [
        "       …som underlag för verksamhetsutveckling, «61» procent av kommunerna uppger "
        "att de anv…",
        "       U33621 Enskildas uppfattning används till att utveckla LSS – "
        "utförarverksamheter; Riket 2021; published value Riket!E9",
    ]
    spread = lines.index(f"65     paragraph 6 ({CONTENT}/lss.yaml:133)")
    assert lines[spread + 2].endswith("; Riket 2021; min over län: Kalmar län Län!P115")
    assert f"2021   title ({CONTENT}/lss.yaml:44)" in lines
    assert "       year-1 (from year: 2021)" in lines


def test_placeholders_are_placed_on_their_own_line(rows: list[dict[str, str]]) -> None:
    """A paragraph written over several lines: each number points at its placeholder's line."""
    text = (CONTENT / "lss.yaml").read_text(encoding="utf-8").splitlines()
    for row in rows:
        if row["place"].startswith("paragraph") and row["indicator"]:
            line = int(row["where"].rsplit(":", 1)[1])
            assert "{" in text[line - 1] and row["indicator"] in text[line - 1], row


def test_variants(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = explain(capsys, "--county", "03", "--format", "csv")
    county = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    counts = [r for r in county if " av " in r["number"]]  # the count column: "5 av 8"
    assert counts and all(r["how"].startswith("share of responding units") for r in counts)
    first = counts[0]
    yes, answered = re.match(r"(\d+) av (\d+)", first["number"]).groups()  # type: ignore[union-attr]
    assert first["how"].startswith(f"share of responding units {yes}/{answered}: ")
    assert any(r["area"] == "03" and r["cells"].startswith("Län!") for r in county)
    code, out = explain(capsys, "--municipality", "0380", "--format", "csv")
    kommun = list(csv.DictReader(io.StringIO(out)))
    ratios = [r for r in kommun if r["how"].startswith("ratio of counts")]
    assert code == 0 and ratios
    assert all(
        "'X90560 varav socionomexamen' / 'X90560 antal handläggare'" in r["how"] for r in ratios
    )


def test_the_recorder_changes_nothing() -> None:
    inputs = load_inputs(CONTENT, None, FONTS)
    for area in (areas.RIKET, "03", "0380"):
        traces: list[Trace] = []
        recorded = resolve(inputs.spec, inputs.data, areas.area(area), traces.append)
        assert repr(recorded) == repr(resolve(inputs.spec, inputs.data, areas.area(area)))
        assert traces


def test_around_marks_the_number() -> None:
    assert around("Det är 61 procent", 7, 2, width=4) == "… är «61» pro…"
    assert around("61", 0, 2) == "«61»"
