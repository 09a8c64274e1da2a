"""The tidy model: riket and län computed from unit rows, and workbook faults (#16) refused
with their place, within bounded time and memory."""

from __future__ import annotations

import dataclasses
import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook as open_xlsx

from factsheet.errors import WorkbookError
from factsheet.inputs import workbook
from factsheet.model import areas, dataset
from factsheet.model.dataset import Dataset

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content" / "2021"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"


@pytest.fixture(scope="module")
def layout() -> workbook.Layout:
    return workbook.load_layout(CONTENT)


@pytest.fixture(scope="module")
def published(layout: workbook.Layout) -> Dataset:
    return workbook.load_workbook(SAMPLE, layout)


@pytest.fixture(scope="module")
def computed(layout: workbook.Layout) -> Dataset:
    """The sample read from its Kommun sheet only: riket and län computed."""
    sheets = {k: v for k, v in layout.sheets.items() if k in ("indicators", "municipality")}
    units_only = dataclasses.replace(layout, sheets=sheets)
    return workbook.load_workbook(SAMPLE, units_only)


def assert_same_data(data: Dataset, published: Dataset) -> None:
    """Everything the resolver reads is the same as the sample's."""
    assert data.indicators == published.indicators
    assert {k: v.value for k, v in data.values.items()} == {
        k: v.value for k, v in published.values.items()
    }
    assert data.answers == published.answers
    assert data.unit_years == published.unit_years
    assert {u.code: u.county for u in data.units.values()} == {
        u.code: u.county for u in published.units.values()
    }


def test_riket_and_lan_computed_from_the_kommun_rows_are_the_published_ones(
    computed: Dataset, published: Dataset
) -> None:
    assert computed.computed and not published.computed
    assert len(published.values) == 22 * 6 * 15
    assert_same_data(computed, published)
    # the suppressed län (more than 20 % of units without a value) stay suppressed
    assert [c for c in ("06", "19", "22") if computed.value(c, "X90560", 2021).value is None] == [
        "06",
        "19",
        "22",
    ]


def test_a_computed_value_names_the_cells_it_comes_from(computed: Dataset) -> None:
    value = computed.value("03", "U33621", 2021)
    assert value is not None
    assert value.cell.startswith("computed from Kommun!")
    assert value.cell.endswith("units)")


def test_the_tidy_rows_are_the_only_truth(published: Dataset) -> None:
    """The indexes are built from the tidy rows: the same rows give the same dataset."""
    again = Dataset.from_rows(
        published.path, published.synthetic, published.indicators, published.units, published.rows
    )
    assert again.values == published.values and again.answers == published.answers
    riket = [r for r in published.rows if r.area == areas.RIKET and r.indicator == "U33621"]
    assert [r.year for r in riket] == list(range(2016, 2022))
    assert riket[-1].cell == "Riket!E9"


def test_the_cache_codec_keeps_the_tidy_rows(published: Dataset, computed: Dataset) -> None:
    for data in (published, computed):
        again = dataset.from_json(json.loads(json.dumps(dataset.to_json(data))), data.path)
        assert again.values == data.values and again.answers == data.answers
        assert again.levels == data.levels and again.unit_years == data.unit_years
        assert again.computed == data.computed
        assert again._packed is not None  # the indexes came from the lists, not from Rows
        assert again.rows == data.rows and again._packed is None


# --- faults -------------------------------------------------------------------------------


def problems(path: Path, layout: workbook.Layout) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        workbook.load_workbook(path, layout)
    return [str(p) for p in caught.value.problems]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = open_xlsx(SAMPLE)
    book["Kommun"].delete_rows(12, book["Kommun"].max_row)
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    book.save(path)
    return path


def test_a_duplicated_indicator_column_names_both_cells(
    small: Path, tmp_path: Path, layout: workbook.Layout
) -> None:
    book = open_xlsx(small)
    sheet = book["Län"]
    assert sheet["E3"].value == "U33621"
    sheet.cell(3, sheet.max_column + 1, "U33621")  # a pasted copy at the end
    path = tmp_path / "dup.xlsx"
    book.save(path)
    assert problems(path, layout) == [
        "Län!S3: column 'U33621' appears twice, in Län!E3 and Län!S3: delete or rename one"
    ]


def test_a_password_protected_workbook_is_called_so(
    tmp_path: Path, layout: workbook.Layout
) -> None:
    # An encrypted xlsx is a compound file holding an "EncryptedPackage" stream.
    directory = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory + bytes(448))
    assert problems(path, layout) == [
        f"{path}: the workbook is password-protected (encrypted): open it in Excel, remove the "
        "password (File > Info > Protect Workbook) and save it again"
    ]
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1016))
    assert problems(old, layout) == [
        f"{old}: an old Excel .xls file, not .xlsx: save it as .xlsx in Excel"
    ]


def _rewrite(src: Path, dst: Path, extra: dict[str, bytes], drop_end: int = 0) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for name, data in extra.items():
            new.writestr(name, data)
    data = buffer.getvalue()
    dst.write_bytes(data[: len(data) - drop_end] if drop_end else data)


def test_macros_external_links_and_truncation_are_located(
    small: Path, tmp_path: Path, layout: workbook.Layout
) -> None:
    macro = tmp_path / "macro.xlsm"
    _rewrite(small, macro, {"xl/vbaProject.bin": b"\0" * 16})
    assert problems(macro, layout) == [
        f"{macro}: xl/vbaProject.bin: a macro-enabled workbook (.xlsm): macros are never run "
        "here; save it as an Excel Workbook (.xlsx) without macros"
    ]
    linked = tmp_path / "linked.xlsx"
    _rewrite(small, linked, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert problems(linked, layout) == [
        f"{linked}: xl/externalLinks/externalLink1.xml: the workbook links to 1 other workbook, "
        "so its values may come from files that are not here: break the links "
        "(Data > Edit Links > Break Link) and save"
    ]
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(small.read_bytes()[:-300])
    assert problems(cut, layout) == [
        f"{cut}: a damaged or truncated .xlsx file (the zip archive has no end): "
        "copy or download it again"
    ]


def test_a_small_file_of_millions_of_empty_cells_is_refused_fast_and_small(
    small: Path, tmp_path: Path, layout: workbook.Layout
) -> None:
    """195 KB on disk, 2.1 million styled empty cells: refused before openpyxl parses it."""
    cells = b'<c r="A4" s="0"/>' * 300
    rows = b"".join(b'<row r="%d">' % r + cells + b"</row>" for r in range(4, 7004))
    with zipfile.ZipFile(small) as archive:
        xml = archive.read("xl/worksheets/sheet3.xml")
    head, _, tail = xml.partition(b"</sheetData>")
    path = tmp_path / "empty-cells.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(small) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = (
                head + rows + b"</sheetData>" + tail
                if info.filename.endswith("sheet3.xml")
                else old.read(info)
            )
            new.writestr(info.filename, data)
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 400_000
    tracemalloc.start()
    start = time.process_time()  # CPU time: the machine may be busy
    found = problems(path, layout)
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == [
        f"{path}: sheet 'Län': more than 2,000,000 cells (empty ones included) in the workbook: "
        "delete the unused rows and columns, or copy the data into a new workbook"
    ]
    assert seconds < 5 and peak < 50 * 2**20, (seconds, peak)


def test_the_list_of_problems_is_capped(
    small: Path, tmp_path: Path, layout: workbook.Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_xlsx(small)
    for row in range(4, 130):
        book["Län"].cell(row, 4, "x")
    path = tmp_path / "bad.xlsx"
    book.save(path)
    found = problems(path, layout)
    assert len(found) == 51
    assert found[:2] == [
        "Län!D4: expected a percentage 0–100, got 'x'",
        "Län!D5: expected a percentage 0–100, got 'x'",
    ]
    assert found[-1] == f"{path}: ... and 76 more problems (the first 50 are listed)"


def test_missing_count_columns_are_an_error(
    small: Path, tmp_path: Path, layout: workbook.Layout
) -> None:
    book = open_xlsx(small)
    sheet = book["Kommun"]
    assert sheet["U3"].value == "X90560 varav socionomexamen"
    sheet["U3"] = "socionomer"
    path = tmp_path / "no-counts.xlsx"
    book.save(path)
    assert problems(path, layout) == [
        "Kommun!3:3: column 'X90560 varav socionomexamen' not found in the header row"
    ]


def test_an_answer_map_for_no_indicator_is_an_error(layout: workbook.Layout) -> None:
    wrong = dataclasses.replace(
        layout, answer_maps={"U28545X": workbook.AnswerMap(frozenset(), frozenset(), frozenset())}
    )
    assert problems(SAMPLE, wrong) == [
        "workbook.yaml: answer_maps.U28545X: no indicator 'U28545X' in the workbook "
        "(did you mean 'U28545'?)"
    ]
