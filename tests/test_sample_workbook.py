"""Tests for tools/make_sample_workbook.py and the committed sample workbook.

The riket/län recomputation here is deliberately independent of the
generator: it reads only the Kommun sheet.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "make_sample_workbook.py"
COMMITTED = ROOT / "content" / "2021" / "oj-2021-lss-sample.xlsx"
AREAS = ROOT / "factsheet" / "data" / "areas"

MARKER_START = "Syntetiska data – inte Socialstyrelsens statistik."
YEARS = range(2016, 2022)
U_IDS = [
    "U33620",
    "U33621",
    "U28544",
    "U28545",
    "X90544",
    "U28451",
    "U28454",
    "U28550",
    "U28551",
    "X90550",
    "X90551",
    "X90552",
]
AREA_IDS = [*U_IDS, "X90560", "X90590", "X90591"]
STAFF, SOCIONOM = "X90560 antal handläggare", "X90560 varav socionomexamen"
KOMMUN_HEADERS = [
    "Kod",
    "Namn",
    "Kommunkod",
    "Länskod",
    "År",
    "X90590",
    "X90591",
    *U_IDS,
    STAFF,
    SOCIONOM,
]
AREA_HEADERS = ["Kod", "Namn", "År", *AREA_IDS]


def _series(mid: str, first: int, values: list[int]) -> dict[tuple[str, int], int]:
    """Targets for consecutive years starting at ``first``."""
    return {(mid, first + i): v for i, v in enumerate(values)}


# Riket targets from the brief: (measure, year) -> integer percentage.
RIKET_TARGETS: dict[tuple[str, int], int] = {
    **_series("U33620", 2019, [16, 15, 12]),
    **_series("U33621", 2019, [56, 63, 61]),
    **_series("U28544", 2019, [19, 36, 41]),
    **_series("U28545", 2019, [13, 26, 29]),
    **_series("X90544", 2019, [6, 8, 7]),
    **_series("U28451", 2017, [35, 34, 35, 31, 32]),
    **_series("U28454", 2017, [33, 30, 29, 26, 30]),
    **_series("U28550", 2017, [40, 48, 51, 49, 49]),
    **_series("U28551", 2017, [40, 47, 49, 49, 49]),
    ("X90550", 2016): 26,
    ("X90550", 2021): 32,
    ("X90551", 2021): 43,
    ("X90552", 2021): 38,
    ("X90560", 2020): 80,
    ("X90560", 2021): 82,
    ("X90590", 2021): 94,
    ("X90591", 2021): 95,
}
SUPPRESSED_2021 = {"06", "19", "22"}

Row = dict[str, object]


def half_up(value: Decimal | float, places: str = "1") -> Decimal:
    """Round half-up (floats via their shortest repr)."""
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def integer(value: object) -> int:
    """Narrow a cell value to int."""
    assert isinstance(value, int), value
    return value


def number(value: object) -> float:
    """Narrow a cell value to a number."""
    assert isinstance(value, (int, float)), value
    return float(value)


def read_area(name: str) -> list[dict[str, str]]:
    """Rows of an area CSV, as text."""
    with (AREAS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_script(output: Path) -> bytes:
    """Run the generator into ``output`` and return the file's bytes."""
    subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)], check=True, capture_output=True
    )
    return output.read_bytes()


def sheet_rows(wb: Workbook, name: str) -> tuple[list[str], list[Row]]:
    """Header row 3 and data rows (from row 4) of a sheet, as dicts."""
    rows = list(wb[name].iter_rows(min_row=3, values_only=True))
    headers = [str(h) for h in rows[0]]
    return headers, [dict(zip(headers, r, strict=True)) for r in rows[1:]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly generated workbook."""
    out = tmp_path_factory.mktemp("sample") / "oj-2021-lss-sample.xlsx"
    run_script(out)
    return out


@pytest.fixture(scope="module")
def wb(generated: Path) -> Workbook:
    """The generated workbook, loaded."""
    return load_workbook(generated)


@pytest.fixture(scope="module")
def kommun(wb: Workbook) -> list[Row]:
    """Rows of the Kommun sheet."""
    return sheet_rows(wb, "Kommun")[1]


@pytest.fixture(scope="module")
def riket(wb: Workbook) -> dict[int, Row]:
    """Riket rows by year."""
    return {integer(r["År"]): r for r in sheet_rows(wb, "Riket")[1]}


@pytest.fixture(scope="module")
def county(wb: Workbook) -> dict[tuple[str, int], Row]:
    """Län rows by (county code, year)."""
    return {(str(r["Kod"]), integer(r["År"])): r for r in sheet_rows(wb, "Län")[1]}


def test_regeneration_is_byte_identical(generated: Path, tmp_path: Path) -> None:
    again = run_script(tmp_path / "again.xlsx")
    assert again == generated.read_bytes()
    assert COMMITTED.read_bytes() == again


def test_layout(wb: Workbook) -> None:
    assert wb.sheetnames == ["Indikatorer", "Riket", "Län", "Kommun"]
    for ws in wb.worksheets:
        assert str(ws["A1"].value).startswith(MARKER_START)
        assert all(c.value is None for c in ws[2])
    assert sheet_rows(wb, "Indikatorer")[0] == [
        "Id",
        "Namn",
        "Typ",
        "Enhet",
        "Beskrivning",
        "Beräkning",
    ]
    assert sheet_rows(wb, "Riket")[0] == AREA_HEADERS
    assert sheet_rows(wb, "Län")[0] == AREA_HEADERS
    assert sheet_rows(wb, "Kommun")[0] == KOMMUN_HEADERS


def test_indicators_sheet(wb: Workbook) -> None:
    rows = {r["Id"]: r for r in sheet_rows(wb, "Indikatorer")[1]}
    assert list(rows) == AREA_IDS
    assert rows["X90560"]["Typ"] == "bakgrundsmått"
    assert rows["X90560"]["Beräkning"] == "kvot"
    assert {rows[i]["Typ"] for i in U_IDS} == {"indikator"}
    assert {rows[i]["Typ"] for i in ("X90590", "X90591")} == {"svarsfrekvens"}
    assert {r["Enhet"] for r in rows.values()} == {"procent"}
    assert all(r["Beskrivning"] for r in rows.values())


def test_document_properties(wb: Workbook) -> None:
    props = wb.properties
    assert props.title is not None and "syntetiska data" in props.title
    assert props.creator == "factsheet"
    assert props.keywords == "synthetic"
    assert props.description == "Syntetiska data – inte Socialstyrelsens statistik"
    assert props.created == props.modified == datetime(2021, 6, 1)
    synthetic = {p.name: p.value for p in wb.custom_doc_props.props}
    assert synthetic == {"synthetic": True}


def test_units_and_codes(kommun: list[Row]) -> None:
    municipalities = {
        r["municipality_code"]: r["county_code"] for r in read_area("municipalities.csv")
    }
    by_year: dict[int, list[str]] = defaultdict(list)
    for row in kommun:
        code, mcode, ccode = row["Kod"], row["Kommunkod"], row["Länskod"]
        assert isinstance(code, str) and isinstance(mcode, str)
        assert isinstance(ccode, str) and len(ccode) == 2
        assert municipalities[mcode] == ccode
        assert code == mcode or (mcode == "0180" and code.startswith("0180-"))
        by_year[integer(row["År"])].append(code)
    assert sorted(by_year) == list(YEARS)
    for codes in by_year.values():
        assert len(codes) == len(set(codes)) == 302
        assert codes == sorted(codes)
        assert "0180" not in codes and "0114" in codes
        assert [c for c in codes if c.startswith("0180-")] == [
            f"0180-{i:02d}" for i in range(1, 14)
        ]


def test_kommun_cells(kommun: list[Row]) -> None:
    seen_missing: set[object] = set()
    for row in kommun:
        assert row["X90590"] in ("Ja", "Nej") and row["X90591"] in ("Ja", "Nej")
        answers = [row[i] for i in U_IDS]
        staff, socionom = row[STAFF], row[SOCIONOM]
        if row["X90591"] == "Nej":
            assert answers == [None] * 12 and staff is None and socionom is None
            continue
        assert set(answers) <= {"Ja", "Nej", None, "Uppgift saknas"}
        seen_missing |= set(answers) - {"Ja", "Nej"}
        if integer(row["År"]) < 2020:
            assert staff is None and socionom is None
        if isinstance(staff, int) and isinstance(socionom, int):
            assert 1 <= staff <= 80 and 0 <= socionom <= staff
    assert seen_missing == {None, "Uppgift saknas"}


def test_riket_targets(riket: dict[int, Row]) -> None:
    assert set(riket) == set(YEARS)
    assert {(r["Kod"], r["Namn"]) for r in riket.values()} == {("00", "Riket")}
    for (mid, year), target in RIKET_TARGETS.items():
        value = riket[year][mid]
        assert isinstance(value, (int, float)), (mid, year)
        assert half_up(value) == target, (mid, year, value)
    for year in YEARS:
        for mid in ("X90590", "X90591"):
            assert 93 <= half_up(number(riket[year][mid])) <= 97
        if year < 2020:
            assert riket[year]["X90560"] is None


def expected_value(rows: list[Row], mid: str, suppress: bool) -> float | None:
    """Independent recomputation of one area value from Kommun rows."""
    if mid == "X90560":
        both = [r for r in rows if isinstance(r[STAFF], int) and isinstance(r[SOCIONOM], int)]
        num = sum(integer(r[SOCIONOM]) for r in both)
        den = sum(integer(r[STAFF]) for r in both)
        missing = len(rows) - len(both)
    else:
        answers = [r[mid] for r in rows]
        num = answers.count("Ja")
        den = num + answers.count("Nej")
        missing = len(rows) - den
    if den == 0 or (suppress and Fraction(missing, len(rows)) > Fraction(1, 5)):
        return None
    exact = Decimal(100 * num) / Decimal(den)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_area_sheets_match_kommun(
    kommun: list[Row], riket: dict[int, Row], county: dict[tuple[str, int], Row]
) -> None:
    counties = [r["county_code"] for r in read_area("counties.csv")]
    assert set(county) == {(c, y) for c in counties for y in YEARS}
    assert list(county) == sorted(county, key=lambda k: (k[1], k[0]))
    for year in YEARS:
        in_year = [r for r in kommun if r["År"] == year]
        for mid in AREA_IDS:
            assert riket[year][mid] == expected_value(in_year, mid, False)
            for code in counties:
                in_county = [r for r in in_year if r["Länskod"] == code]
                got = county[(code, year)][mid]
                assert got == expected_value(in_county, mid, True), (mid, year, code)


def test_suppression(county: dict[tuple[str, int], Row]) -> None:
    empty = {
        (code, year, mid)
        for (code, year), row in county.items()
        for mid in AREA_IDS
        if row[mid] is None
    }
    no_data = {(code, year, "X90560") for (code, year) in county if year < 2020}
    assert empty - no_data == {(c, 2021, "X90560") for c in SUPPRESSED_2021}


def test_socionom_2021_county_range(county: dict[tuple[str, int], Row]) -> None:
    shown = [
        half_up(number(row["X90560"]))
        for (code, year), row in county.items()
        if year == 2021 and code not in SUPPRESSED_2021
    ]
    assert len(shown) == 18
    assert min(shown) == 65 and max(shown) == 94


def test_socionom_2021_missing_order(kommun: list[Row]) -> None:
    shares: dict[str, Fraction] = {}
    for code in SUPPRESSED_2021:
        units = [r for r in kommun if r["År"] == 2021 and r["Länskod"] == code]
        assert all(r["X90591"] == "Ja" for r in units)
        missing = sum(not isinstance(r[SOCIONOM], int) for r in units)
        shares[code] = Fraction(missing, len(units))
    assert sorted(shares, key=shares.__getitem__, reverse=True) == ["19", "06", "22"]


def test_gotland_answers_everything(kommun: list[Row]) -> None:
    for row in (r for r in kommun if r["Länskod"] == "09"):
        assert all(row[i] in ("Ja", "Nej") for i in U_IDS)
        if row["År"] == 2021:
            assert isinstance(row[STAFF], int) and isinstance(row[SOCIONOM], int)
