"""Each workbook shape (tests/data/shapes, written by tools/make_shape_fixtures.py) reads to the
sample's values; the sample's full data in each shape builds the sample's national sheet."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import pdftotext

from factsheet.cli import main
from factsheet.errors import WorkbookError
from factsheet.inputs import workbook
from factsheet.model import areas
from factsheet.model.dataset import Dataset

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content" / "2021"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"
SHAPES = ROOT / "tests" / "data" / "shapes"
YEARS = (2020, 2021)
COUNTIES = ("01", "03")


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "shapes", ROOT / "tools" / "make_shape_fixtures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return workbook.load_workbook(SAMPLE, workbook.load_layout(CONTENT))


def read(data: Path, layout_file: Path, tmp_path: Path) -> Dataset:
    folder = tmp_path / data.stem
    folder.mkdir(exist_ok=True)
    shutil.copy(layout_file, folder / "workbook.yaml")
    return workbook.load_workbook(data, workbook.load_layout(folder))


def shape(name: str, tmp_path: Path) -> Dataset:
    path = SHAPES / name
    return read(path, path.with_suffix(".yaml"), tmp_path)


def values(data: Dataset, codes: list[str]) -> dict[tuple[str, str, int], float | None]:
    return {(a, i, y): v.value for (a, i, y), v in data.values.items() if a in codes and y in YEARS}


def answers(data: Dataset, keep: set[str]) -> dict[tuple[str, str, int], object]:
    return {k: v for k, v in data.answers.items() if k[0] in keep and k[2] in YEARS}


def units_of(data: Dataset, counties: tuple[str, ...]) -> set[str]:
    return {u.code for u in data.units.values() if u.county in counties}


ALL_AREAS = [areas.RIKET, *(c.code for c in areas.counties())]


@pytest.mark.parametrize("name", ["one-sheet.xlsx", "wide-years.xlsx", "two-header-rows.xlsx"])
def test_published_shapes_read_to_the_sample_values(
    name: str, sample: Dataset, tmp_path: Path
) -> None:
    data = shape(name, tmp_path)
    assert not data.computed
    assert data.indicators.keys() == sample.indicators.keys()
    assert values(data, ALL_AREAS) == values(sample, ALL_AREAS)
    assert len(values(data, ALL_AREAS)) == 22 * 2 * 15
    keep = units_of(sample, COUNTIES)
    assert set(data.units) == keep
    assert answers(data, keep) == answers(sample, keep)
    assert {y: data.unit_years[y] for y in YEARS} == {
        y: [u for u in sample.unit_years[y] if u in keep] for y in YEARS
    }


def test_one_sheet_finds_stadsdelar_by_name_and_stops_at_the_source_row(
    sample: Dataset, tmp_path: Path
) -> None:
    data = shape("one-sheet.xlsx", tmp_path)
    assert data.units["0180-01"].county == "01"
    assert data.answers[("0180-13", "U33620", 2021)] == sample.answers[("0180-13", "U33620", 2021)]
    riket = data.value("00", "U33621", 2021)
    assert riket is not None and riket.cell.startswith("Resultat!")


def test_three_level_answers_keep_their_words(sample: Dataset, tmp_path: Path) -> None:
    data = shape("two-header-rows.xlsx", tmp_path)
    words = {data.answer_level(u, "U28545", 2021) for u in units_of(data, COUNTIES)}
    assert words == {"Ja, för alla", "Ja, men inte för alla", "Nej", None}
    yes = [u for u in units_of(data, COUNTIES) if data.answers.get((u, "U28545", 2021)) is True]
    assert yes and all(data.answer_level(u, "U28545", 2021).startswith("Ja") for u in yes)
    assert data.answer_level("0114", "U33620", 2021) is None  # 1/0 answers keep no words


def test_tidy_csv_of_kommun_rows_computes_the_sample_lan(sample: Dataset, tmp_path: Path) -> None:
    data = shape("tidy.csv", tmp_path)
    assert data.computed and data.synthetic
    keep = units_of(sample, COUNTIES)
    assert answers(data, keep) == answers(sample, keep)
    assert values(data, list(COUNTIES)) == values(sample, list(COUNTIES))
    value = data.value("03", "U33621", 2021)
    assert value is not None and value.cell.startswith(f"computed from {SHAPES / 'tidy.csv'}:")


def test_kolada_export_computes_the_sample_lan(sample: Dataset, tmp_path: Path) -> None:
    """Kolada has no stadsdelar: Uppsala län is the sample's, Stockholms län lacks Stockholm."""
    data = shape("kolada.json", tmp_path)
    assert data.computed
    kommuner = {u for u in units_of(sample, COUNTIES) if not u.startswith("0180")}
    assert set(data.units) == kommuner
    assert answers(data, kommuner) == answers(sample, kommuner)  # a deleted value is skipped
    assert values(data, ["03"]) == values(sample, ["03"])
    assert data.answer_level("0114", "U28545", 2021) is None


def test_the_fixtures_are_reproducible(tmp_path: Path) -> None:
    tool().write(tmp_path, full=False)
    for path in sorted(SHAPES.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_full_tidy_csv_builds_the_sample_national_sheet(
    sample: Dataset, national_pdf: Path, tmp_path: Path
) -> None:
    """The sample as a tidy CSV of kommun rows: the same data, the same national PDF."""
    out = build_national("tidy.csv", tmp_path)
    full = tmp_path / "full"
    data = read(full / "tidy.csv", full / "tidy.yaml", tmp_path)
    assert {k: v.value for k, v in data.values.items()} == {
        k: v.value for k, v in sample.values.items()
    }
    assert data.answers == sample.answers and data.unit_years == sample.unit_years
    assert out.read_bytes() == national_pdf.read_bytes()


def content_for(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """The sample's every year and unit written in the shape ``name`` (in ``tmp_path/full``),
    and a copy of the bundled content reading it (its own workbook removed): (content,
    workbook)."""
    full = tmp_path / "full"
    tool().write(full, full=True, names=(name,))
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / SAMPLE.name).unlink()
    shutil.copy(full / Path(name).with_suffix(".yaml"), content / "workbook.yaml")
    return content, full / name


def build_national(name: str, tmp_path: Path) -> Path:
    content, data = content_for(name, tmp_path)
    out = tmp_path / "riket.pdf"
    argv = ["build", "--content", content, "--workbook", data, "-o", out]
    assert main([*map(str, argv), "--fonts", str(ROOT / "fonts")]) == 0
    return out


@pytest.mark.parametrize("name", ["one-sheet.xlsx", "wide-years.xlsx", "two-header-rows.xlsx"])
def test_every_published_shape_builds_the_sample_national_sheet(
    name: str, national_pdf: Path, tmp_path: Path
) -> None:
    """The sample's every year and unit written in the shape: the same national PDF, byte for
    byte (numbers, answers, the synthetic marker read from the shape's first row)."""
    assert build_national(name, tmp_path).read_bytes() == national_pdf.read_bytes()


def test_tidy_csv_problems_are_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    lines = (SHAPES / "tidy.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",Ja,", ",kanske,").replace(",Nej,", ",kanske,")
    lines[3] = "0180," + lines[3].split(",", 1)[1]
    lines.append(lines[4])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read(path, SHAPES / "tidy.yaml", tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: answer: expected Ja/Nej, got 'kanske'",
        f"{path}:4: area: 0180 is Stockholm stad, which answers as its stadsdelar: use their "
        "codes (0180-01 … 0180-13)",
        f"{path}:{len(lines)}: a second row for {lines[4].split(',')[0]} 2020 "
        f"{lines[4].split(',')[2]} (first: {path}:5)",
    ]


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("one-sheet.xlsx", "Resultat sheet"),
        ("two-header-rows.xlsx", None),
        ("wide-years.xlsx", None),
        ("tidy.csv", "tidy.csv"),
        ("kolada.json", "kolada.json"),
    ],
)
def test_explain_names_where_each_shape_s_unit_rows_are(
    name: str, source: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``explain`` on a shape: every number with its origin (it stopped with a KeyError on the
    shapes without a 'municipality' sheet: one-sheet, two header rows, tidy CSV, Kolada)."""
    content, data = content_for(name, tmp_path)
    argv = ["explain", "--county", "03", "--content", content, "--workbook", data]
    argv += ["--fonts", ROOT / "fonts"]
    assert main([str(a) for a in argv]) == 0
    out = capsys.readouterr().out
    counts = [line for line in out.splitlines() if "share of responding units" in line]
    assert counts, out[-2000:]
    if source is not None:
        assert all(line.endswith(f"({source})") for line in counts), counts[:3]


def layout_with(
    base: Path, extra: str, folder: Path, drop: str = ""
) -> tuple[Path, dict[str, int]]:
    """``base`` with ``extra`` lines added after its first line (and the top-level key ``drop``
    removed); the folder holding it, and the line of each added key."""
    lines = base.read_text(encoding="utf-8").splitlines()
    if drop:
        lines = [line for line in lines if not line.startswith(f"{drop}:")]
    added = extra.strip("\n").splitlines()
    lines[1:1] = added
    folder.mkdir(exist_ok=True)
    (folder / "workbook.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    where = {
        line.split(":")[0].strip(): i + 2 for i, line in enumerate(added) if not line[:1].isspace()
    }
    return folder / "workbook.yaml", where


def refused(data: Path, yaml: Path) -> list[str]:
    """The problems reading ``data`` with the layout ``yaml`` raises (it must raise)."""
    with pytest.raises(WorkbookError) as caught:
        workbook.load_workbook(data, workbook.load_layout(yaml.parent))
    return [str(p) for p in caught.value.problems]


def test_a_layout_key_the_tidy_csv_reader_does_not_read_is_an_error(tmp_path: Path) -> None:
    extra = 'header_label: K-kod\nheader_rows: 2\nwide_years: "{id} {year}"\nsheets: {tidy: Data}'
    yaml, line = layout_with(SHAPES / "tidy.yaml", extra, tmp_path / "t", drop="sheets")
    why = "(a tidy CSV has fixed columns and one header line)"
    assert refused(SHAPES / "tidy.csv", yaml) == [
        f"{yaml}:{line['header_label']}: header_label: not read by the tidy CSV reader {why}: "
        "delete it",
        f"{yaml}:{line['header_rows']}: header_rows: not read by the tidy CSV reader {why}: "
        "delete it",
        f"{yaml}:{line['wide_years']}: wide_years: not read by the tidy CSV reader {why}: "
        "delete it",
        f"{yaml}:{line['sheets']}: sheets: not read by the tidy CSV reader {why}: "
        "write 'sheets: {}'",
    ]


def test_a_layout_key_the_workbook_reader_does_not_read_is_an_error(tmp_path: Path) -> None:
    """A kolada section, a header row beside a header label, a year column with wide years:
    each names its line; the shipped layouts have none (they read, above)."""
    extra = "kolada: {kpis: {U33620: U33620}, 'yes': [1], 'no': [0]}\nheader_row: 3"
    yaml, line = layout_with(SHAPES / "one-sheet.yaml", extra, tmp_path / "o")
    reader = "not read by the workbook (.xlsx) reader (no sheet named under 'sheets:' needs it)"
    assert refused(SHAPES / "one-sheet.xlsx", yaml) == [
        f"{yaml}:{line['kolada']}: kolada: {reader}: delete it",
        f"{yaml}:{line['header_row']}: header_row: {reader}: delete it",
    ]
    yaml, _ = layout_with(SHAPES / "wide-years.yaml", "", tmp_path / "w")
    text = yaml.read_text(encoding="utf-8").replace(
        "  area_name: Namn\n", "  area_name: Namn\n  year: År\n"
    )
    yaml.write_text(text, encoding="utf-8")
    year_line = text.splitlines().index("  year: År") + 1
    assert [
        str(p)
        for p in workbook.unused_keys(SHAPES / "wide-years.xlsx", workbook.load_layout(yaml.parent))
    ] == [f"{yaml}:{year_line}: columns.year: {reader}: delete it"]


def test_a_layout_key_the_kolada_reader_does_not_read_is_an_error(tmp_path: Path) -> None:
    extra = "columns: {}\nanswer_maps: {U28545: {'yes': [Ja], 'no': [Nej]}}"
    yaml, line = layout_with(SHAPES / "kolada.yaml", extra, tmp_path / "k")
    why = "(a Kolada export is read by the 'kolada:' mapping)"
    assert refused(SHAPES / "kolada.json", yaml) == [
        f"{yaml}:{line['columns']}: columns: not read by the Kolada reader {why}: delete it",
        f"{yaml}:{line['answer_maps']}: answer_maps: not read by the Kolada reader {why}: "
        "delete it",
    ]


def test_the_build_refuses_an_unused_layout_key_before_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read once (cached), then an unused key added: the build still refuses it."""
    content, data = content_for("tidy.csv", tmp_path)
    argv = ["check", "--content", str(content), "--workbook", str(data)]
    assert main([*argv, "--fonts", str(ROOT / "fonts")]) == 0
    capsys.readouterr()
    layout_with(SHAPES / "tidy.yaml", "header_rows: 1", content)
    assert main([*argv, "--fonts", str(ROOT / "fonts")]) == 2
    assert (
        "workbook.yaml:2: header_rows: not read by the tidy CSV reader" in capsys.readouterr().err
    )


def test_a_sheet_may_have_a_header_row_of_its_own(sample: Dataset, tmp_path: Path) -> None:
    """Riket's header two rows lower (given as a row), Län's four lower (found by its label):
    the same values as the sample; a sheet's own header row beside its label is unused."""
    from openpyxl import load_workbook as open_xlsx

    book = open_xlsx(SHAPES / "wide-years.xlsx")
    book["Riket"].insert_rows(1, 2)
    book["Län"].insert_rows(1, 4)
    path = tmp_path / "moved.xlsx"
    book.save(path)
    own = "  riket: {name: Riket, header_row: 5}\n  county:\n    name: Län\n    header_label: Kod\n"
    yaml, _ = layout_with(SHAPES / "wide-years.yaml", "", tmp_path / "m")
    text = yaml.read_text(encoding="utf-8")
    assert "  riket: Riket\n  county: Län\n" in text
    yaml.write_text(text.replace("  riket: Riket\n  county: Län\n", own), encoding="utf-8")
    line = yaml.read_text(encoding="utf-8").splitlines().index("    header_label: Kod") + 2
    data = workbook.load_workbook(path, workbook.load_layout(yaml.parent))
    assert values(data, ALL_AREAS) == values(sample, ALL_AREAS)
    assert data.value("00", "U33620", 2021).cell.startswith("Riket!") and data.synthetic
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("header_label: Kod", "header_label: Kod\n    header_row: 7"))
    assert [str(p) for p in workbook.unused_keys(path, workbook.load_layout(yaml.parent))] == [
        f"{yaml}:{line}: sheets.county.header_row: not read by the workbook (.xlsx) reader "
        "(no sheet named under 'sheets:' needs it): delete it"
    ]


def test_explain_names_a_tidy_csv_s_count_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tidy CSV's layout has no ratio_columns: a kommun's ratio names the CSV's columns."""
    content, data = content_for("tidy.csv", tmp_path)
    argv = ["explain", "--municipality", "0114", "--content", content]
    argv += ["--workbook", data, "--fonts", ROOT / "fonts"]
    assert main([str(a) for a in argv]) == 0
    assert "(tidy.csv: 'numerator' / 'denominator')" in capsys.readouterr().out


NEW_INDICATOR = """  X99999:
    name: Nytt mått
    type: indikator
    unit: procent
    method: andel ja
"""


def with_new_indicator(name: str, folder: Path) -> Path:
    """The shape's layout with one more indicator (X99999), which its data lacks."""
    folder.mkdir()
    text = (SHAPES / name).with_suffix(".yaml").read_text(encoding="utf-8") + NEW_INDICATOR
    (folder / "workbook.yaml").write_text(text, encoding="utf-8")
    return folder / "workbook.yaml"


def test_an_indicator_with_no_rows_in_a_tidy_csv_is_an_error(tmp_path: Path) -> None:
    yaml = with_new_indicator("tidy.csv", tmp_path / "t")
    line = yaml.read_text(encoding="utf-8").splitlines().index("  X99999:") + 1
    assert refused(SHAPES / "tidy.csv", yaml) == [
        f"{yaml}:{line}: indicator 'X99999' has no rows in tidy.csv: add its rows, or delete "
        "the indicator"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("one-sheet.xlsx", "Resultat!13:13: column 'X99999' not found in the header row"),
        (
            "two-header-rows.xlsx",
            "Data!4:4: columns 'X99999 2020', 'X99999 2021' not found in the two header rows "
            "('X99999' over the years)",
        ),
    ],
)
def test_an_indicator_column_in_no_sheet_is_said_once_as_the_header_looked_for(
    name: str, message: str, tmp_path: Path
) -> None:
    yaml = with_new_indicator(name, tmp_path / "x")
    assert refused(SHAPES / name, yaml) == [message]


def test_a_tidy_csv_without_its_count_columns_says_so_at_its_header(tmp_path: Path) -> None:
    """No numerator and denominator columns: said at the CSV's header line (it was said only
    later, as lss.yaml's 'no 2021 values' for the ratio measure)."""
    lines = (SHAPES / "tidy.csv").read_text(encoding="utf-8").splitlines()
    kept = [",".join(line.split(",")[:4]) if line[:1].isdigit() else line for line in lines]
    kept[1] = "area,year,indicator,answer"
    path = tmp_path / "nocounts.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read(path, SHAPES / "tidy.yaml", tmp_path)
    why = "the kommun and stadsdel rows of X90560 (a ratio measure) need it"
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: column 'numerator' missing: {why}",
        f"{path}:2: column 'denominator' missing: {why}",
    ]


def test_a_kommun_table_shows_three_level_answers_with_answer_levels(
    sample: Dataset, tmp_path: Path
) -> None:
    """The two-header-rows workbook keeps U28545's three levels: with ``answer_levels`` the
    kommun's table prints them; without it, ``Ja``/``Nej`` as before."""
    content, data = content_for("two-header-rows.xlsx", tmp_path)
    levels = tool().level_text
    picked = {}
    for code in sorted(units_of(sample, COUNTIES)):
        row = next(
            r for r in sample.rows if (r.area, r.indicator, r.year) == (code, "U28545", 2021)
        )
        picked.setdefault(levels(row, code, None), code)
    wanted = ["Ja, för alla", "Ja, men inte för alla"]
    assert all(w in picked for w in wanted), picked
    lss = (content / "lss.yaml").read_text(encoding="utf-8")
    answers = '\n    answers: {"yes": Ja, "no": Nej, missing: "–", missing_words: uppgift saknas}\n'
    assert lss.count(answers) == 1
    texts: dict[tuple[bool, str], set[str]] = {}
    for option in (False, True):
        shown = answers + ("    answer_levels: true\n" if option else "")
        (content / "lss.yaml").write_text(lss.replace(answers, shown), encoding="utf-8")
        for word in wanted:
            out = tmp_path / f"{option}-{picked[word]}.pdf"
            argv = ["build", "--content", content, "--workbook", data]
            argv += ["--municipality", picked[word], "-o", out, "--fonts", ROOT / "fonts"]
            assert main([str(a) for a in argv]) == 0
            texts[option, word] = right_aligned_cells(out)
    for word in wanted:
        assert word in texts[True, word]
        assert word not in texts[False, word] and "Ja" in texts[False, word]


def right_aligned_cells(pdf: Path) -> set[str]:
    """The texts of the PDF's right-aligned cells, a cell's lines joined (pdftotext's reading
    order mixes a two-line cell with the cells beside it): words of a line close together are
    one run; a run just under another with the same right edge continues it."""
    found: set[str] = set()
    for page in pdftotext(pdf, "-bbox").split("<page")[1:]:
        runs: list[list[Any]] = []  # [left, top, right, text]
        for m in re.finditer(WORD, page):
            x0, y0, x1, text = float(m[1]), float(m[2]), float(m[3]), m[4]
            last = runs[-1] if runs else None
            if last and abs(last[1] - y0) < 0.5 and 0 <= x0 - last[2] < 3.5:
                last[2], last[3] = x1, f"{last[3]} {text}"
            else:
                runs.append([x0, y0, x1, text])
        for run in sorted(runs, key=lambda r: r[1]):
            above = [r for r in runs if abs(r[2] - run[2]) < 0.5 and 0 < run[1] - r[1] < 12]
            if above and above[-1][3]:
                above[-1][3] = f"{above[-1][3]} {run[3]}"
                run[3] = ""
        found |= {r[3] for r in runs if r[3]}
    return found


WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<')


def test_a_kolada_indicator_without_kpi_or_values_is_an_error(tmp_path: Path) -> None:
    """An indicator described in the layout that no KPI maps to, or whose KPI the export does
    not hold, would print 'no value' in every sheet: each is an error at the indicator."""
    folder = tmp_path / "k"
    folder.mkdir()
    text = (SHAPES / "kolada.yaml").read_text(encoding="utf-8")
    text = text.replace("    X90590: X90590\n", "")  # no KPI for X90590
    text = text.replace("    X90591: X90591\n", "    U99999: X90591\n")  # not in the export
    (folder / "workbook.yaml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    yaml = folder / "workbook.yaml"
    assert refused(SHAPES / "kolada.json", yaml) == [
        f"{yaml}:{lines.index('  X90590:') + 1}: indicator 'X90590' has no KPI under "
        "kolada.kpis or kolada.counts: map one to it, or delete the indicator",
        f"{yaml}:{lines.index('  X90591:') + 1}: indicator 'X90591' has no values in "
        "kolada.json (KPI U99999): export them too, or delete the indicator",
    ]
