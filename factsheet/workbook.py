"""ÖJ workbook (xlsx) -> ``Dataset``. Driven by ``workbook.yaml``; every problem names its cell.

Only this module opens the workbook. openpyxl parses the XML with defusedxml (a dependency), and
the file is checked against size bounds before it is opened, so a zip bomb is refused unread.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import areas
from .content import SchemaChecker
from .errors import Problem, WorkbookError
from .yamlsource import load_yaml

LAYOUT_FILE = "workbook.yaml"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_SHEETS = 64
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Layout:
    """The validated reader configuration (see docs/content.md, workbook layout)."""

    sheets: dict[str, str]
    header_row: int
    columns: dict[str, str]
    ratio_columns: dict[str, str]
    yes: frozenset[str]
    no: frozenset[str]
    missing: frozenset[str]
    share_method: str
    ratio_method: str
    response_indicator: str
    suppression_threshold: int
    synthetic_marker: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    type: str
    unit: str
    description: str
    method: str  # "share" or "ratio"


@dataclass(frozen=True)
class Value:
    """A published area value (percent) and the cell it came from; ``value`` None = no value."""

    value: float | None
    cell: str


@dataclass(frozen=True)
class Unit:
    """A responding unit (kommun or stadsdel) of the municipality sheet."""

    code: str
    name: str
    county: str


@dataclass
class Dataset:
    """Everything read from one workbook."""

    path: str
    synthetic: bool
    indicators: dict[str, Indicator]
    values: dict[tuple[str, str, int], Value]  # (area code, indicator, year); riket is "00"
    units: dict[str, Unit]
    answers: dict[tuple[str, str, int], Any] = field(default_factory=dict)  # (unit, ind, year)
    unit_years: dict[int, list[str]] = field(default_factory=dict)

    def value(self, area: str, indicator: str, year: int) -> Value | None:
        return self.values.get((area, indicator, year))

    def years(self, indicator: str) -> set[int]:
        """The years with a riket value for the indicator."""
        if not hasattr(self, "_years"):
            index: dict[str, set[int]] = {}
            for (area, ind, year), value in self.values.items():
                if area == areas.RIKET and value.value is not None:
                    index.setdefault(ind, set()).add(year)
            self._years = index
        return self._years.get(indicator, set())

    def units_in(self, county: str, year: int) -> list[str]:
        """The responding units (kommuner, stadsdelar) of a county in a year."""
        return [u for u in self.unit_years.get(year, []) if self.units[u].county == county]

    def counts(self, county: str, indicator: str, year: int) -> tuple[int, int]:
        """(units answering Ja, units answering at all) in the county; for a ratio measure
        both are the units that reported the counts."""
        answers = [self.answers.get((u, indicator, year)) for u in self.units_in(county, year)]
        given = [a for a in answers if a is not None]
        return sum(1 for a in given if a is True or isinstance(a, tuple)), len(given)

    def missing_share(self, county: str, indicator: str, year: int) -> float:
        """Share of the county's units without a value for the indicator (0–1)."""
        units = self.units_in(county, year)
        if not units:
            return 0.0
        missing = sum(1 for u in units if self.answers.get((u, indicator, year)) is None)
        return missing / len(units)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (as Excel names columns)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def load_layout(folder: Path) -> Layout:
    display = str(folder / LAYOUT_FILE)
    data = load_yaml(folder / LAYOUT_FILE, display)
    checker = SchemaChecker(display)
    checker.check_object(data, "workbook_layout", "", 1)
    if checker.problems:
        raise WorkbookError(checker.problems)
    answers = data["answers"]
    return Layout(
        sheets=dict(data["sheets"]),
        header_row=data["header_row"],
        columns=dict(data["columns"]),
        ratio_columns=dict(data["ratio_columns"]),
        yes=frozenset(answers["yes"]),
        no=frozenset(answers["no"]),
        missing=frozenset([*answers["missing"], ""]),
        share_method=data["methods"]["share"],
        ratio_method=data["methods"]["ratio"],
        response_indicator=data["response_indicator"],
        suppression_threshold=data["suppression_threshold"],
        synthetic_marker=data["synthetic_marker"],
    )


def check_archive(path: Path) -> None:
    """Refuse files that are not xlsx or exceed the size bounds, before parsing anything."""
    where = str(path)
    if not path.is_file():
        raise WorkbookError(Problem(where, "workbook not found"))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise WorkbookError(Problem(where, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB"))
    if not zipfile.is_zipfile(path):
        raise WorkbookError(Problem(where, "not an Excel .xlsx file (it is not a zip archive)"))
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        names = archive.namelist()
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            Problem(
                where,
                f"unpacks to {unpacked // 2**20} MiB, more than the "
                f"{MAX_UNPACKED_BYTES // 2**20} MiB allowed",
            )
        )
    if "xl/workbook.xml" not in names:
        raise WorkbookError(Problem(where, "not an Excel .xlsx file (no xl/workbook.xml)"))


def load_workbook(path: Path, layout: Layout, use_cache: bool = True) -> Dataset:
    """Read and validate the workbook; raise WorkbookError listing every problem."""
    check_archive(path)
    from . import cache

    if use_cache:
        cached = cache.load(path, layout)
        if cached is not None:
            return cached
    data = _read(path, layout)
    if use_cache:
        cache.store(path, layout, data)
    return data


def _read(path: Path, layout: Layout) -> Dataset:
    from openpyxl import load_workbook as open_xlsx  # heavy import, only when parsing

    try:
        book = open_xlsx(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise WorkbookError(Problem(str(path), f"cannot open workbook: {exc}")) from None
    try:
        return _Reader(path, layout, book).read()
    finally:
        book.close()


class _Reader:
    def __init__(self, path: Path, layout: Layout, book: Any) -> None:
        self.path, self.layout, self.book = path, layout, book
        self.problems: list[Problem] = []
        self.synthetic = False

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def read(self) -> Dataset:
        if len(self.book.sheetnames) > MAX_SHEETS:
            raise WorkbookError(Problem(str(self.path), f"more than {MAX_SHEETS} sheets"))
        names = self.layout.sheets
        missing = [n for n in names.values() if n not in self.book.sheetnames]
        if missing:
            raise WorkbookError(
                [
                    Problem(
                        str(self.path),
                        f"sheet {n!r} not found (sheets: {', '.join(self.book.sheetnames)})",
                    )
                    for n in missing
                ]
            )
        indicators = self.read_indicators(names["indicators"])
        values: dict[tuple[str, str, int], Value] = {}
        self.read_values(names["riket"], indicators, values, {areas.RIKET})
        self.read_values(names["county"], indicators, values, {c.code for c in areas.counties()})
        data = Dataset(str(self.path), self.synthetic, indicators, values, {})
        self.read_units(names["municipality"], indicators, data)
        if self.problems:
            raise WorkbookError(self.problems)
        return data

    def rows(self, sheet: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield (row number, {header: value}) for the data rows of a sheet."""
        ws = self.book[sheet]
        header_row = self.layout.header_row
        first = ws.cell(1, 1).value if header_row > 1 else None
        if isinstance(first, str) and self.layout.synthetic_marker in first:
            self.synthetic = True
        headers: list[str] = []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise WorkbookError(Problem(sheet, f"more than {MAX_ROWS} rows"))
            if number == header_row:
                headers = [str(h).strip() if h is not None else "" for h in row]
                self.headers = {h: i for i, h in enumerate(headers)}
            elif number > header_row and any(v is not None and v != "" for v in row):
                yield number, dict(zip(headers, row, strict=False))
        if not headers:
            raise WorkbookError(Problem(f"{sheet}!A{header_row}", "header row is empty"))

    def cell(self, sheet: str, header: str, row: int) -> str:
        return f"{sheet}!{column_letter(self.headers.get(header, 0) + 1)}{row}"

    def require(self, sheet: str, headers: list[str]) -> bool:
        absent = [h for h in headers if h not in self.headers]
        for h in absent:
            self.fail(
                f"{sheet}!{self.layout.header_row}:{self.layout.header_row}",
                f"column {h!r} not found in the header row",
            )
        return not absent

    def read_indicators(self, sheet: str) -> dict[str, Indicator]:
        c, out = self.layout.columns, {}
        methods = {self.layout.share_method: "share", self.layout.ratio_method: "ratio"}
        rows = list(self.rows(sheet))
        if not self.require(sheet, [c["id"], c["name"], c["type"], c["unit"], c["method"]]):
            return {}
        for number, row in rows:
            ident = str(row[c["id"]] or "").strip()
            method = methods.get(str(row[c["method"]] or "").strip())
            if method is None:
                self.fail(
                    self.cell(sheet, c["method"], number),
                    f"expected one of "
                    f"{', '.join(repr(m) for m in methods)}, got {row[c['method']]!r}",
                )
                continue
            if ident in out:
                self.fail(self.cell(sheet, c["id"], number), f"duplicate indicator id {ident!r}")
            out[ident] = Indicator(
                ident,
                str(row[c["name"]] or ""),
                str(row[c["type"]] or ""),
                str(row[c["unit"]] or ""),
                str(row.get(c["description"]) or ""),
                method,
            )
        if not out and not self.problems:
            self.fail(sheet, "no indicators found")
        return out

    def area_code(
        self, sheet: str, row: dict[str, Any], number: int, valid: set[str]
    ) -> str | None:
        header = self.layout.columns["area_code"]
        raw = row.get(header)
        where = self.cell(sheet, header, number)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            self.fail(
                where,
                f"area code {raw!r} is a number; codes are text with leading zeros "
                f"(e.g. {str(int(raw)).zfill(2)!r}): format the column as text",
            )
            return None
        code = str(raw or "").strip()
        if code not in valid:
            self.fail(where, f"unknown area code {code!r}")
            return None
        return code

    def year(self, sheet: str, row: dict[str, Any], number: int) -> int | None:
        header = self.layout.columns["year"]
        raw = row.get(header)
        try:
            return int(str(raw).strip())
        except ValueError:
            self.fail(self.cell(sheet, header, number), f"expected a year, got {raw!r}")
            return None

    def read_values(
        self,
        sheet: str,
        indicators: dict[str, Indicator],
        values: dict[tuple[str, str, int], Value],
        valid: set[str],
    ) -> None:
        c = self.layout.columns
        rows = list(self.rows(sheet))
        if not self.require(sheet, [c["area_code"], c["year"]]):
            return
        columns = [i for i in indicators if i in self.headers]
        seen: dict[tuple[str, int], int] = {}
        for number, row in rows:
            code, year = self.area_code(sheet, row, number, valid), self.year(sheet, row, number)
            if code is None or year is None:
                continue
            if (code, year) in seen:
                self.fail(
                    self.cell(sheet, c["area_code"], number),
                    f"duplicate row for area {code!r} and year {year} "
                    f"(first on row {seen[code, year]})",
                )
                continue
            seen[code, year] = number
            for ind in columns:
                where = self.cell(sheet, ind, number)
                values[code, ind, year] = Value(self.percentage(row.get(ind), where), where)
        present = {code for code, _ in seen}
        for code in sorted(valid - present):
            self.fail(sheet, f"no rows for area {code!r}")

    def percentage(self, raw: Any, where: str) -> float | None:
        if raw is None or (isinstance(raw, str) and raw.strip() in self.layout.missing):
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.fail(where, f"expected a percentage 0–100, got {raw!r}")
            return None
        if not 0 <= raw <= 100:
            self.fail(where, f"expected a percentage 0–100, got {raw!r}")
            return None
        return float(raw)

    def read_units(self, sheet: str, indicators: dict[str, Indicator], data: Dataset) -> None:
        c = self.layout.columns
        rows = list(self.rows(sheet))
        if not self.require(sheet, [c["area_code"], c["area_name"], c["county_code"], c["year"]]):
            return
        counties = {county.code for county in areas.counties()}
        for number, row in rows:
            code_raw, county = row.get(c["area_code"]), str(row.get(c["county_code"]) or "").strip()
            year = self.year(sheet, row, number)
            if not isinstance(code_raw, str):
                self.fail(
                    self.cell(sheet, c["area_code"], number),
                    f"area code {code_raw!r} must be text with its leading zeros",
                )
                continue
            if county not in counties:
                self.fail(
                    self.cell(sheet, c["county_code"], number), f"unknown county code {county!r}"
                )
                continue
            if year is None:
                continue
            code = code_raw.strip()
            data.units.setdefault(code, Unit(code, str(row.get(c["area_name"]) or ""), county))
            units = data.unit_years.setdefault(year, [])
            if code in units:
                self.fail(
                    self.cell(sheet, c["area_code"], number),
                    f"duplicate row for unit {code!r} in {year}",
                )
                continue
            units.append(code)
            for ind in indicators.values():
                answer = self.answer(sheet, row, number, ind)
                if answer is not None:
                    data.answers[code, ind.id, year] = answer

    def answer(self, sheet: str, row: dict[str, Any], number: int, ind: Indicator) -> Any:
        if ind.method == "ratio":
            headers = [
                self.layout.ratio_columns[k].replace("{id}", ind.id)
                for k in ("numerator", "denominator")
            ]
            if not all(h in self.headers for h in headers):
                return None
            counts = [self.count(row.get(h), self.cell(sheet, h, number)) for h in headers]
            if counts[0] is None or counts[1] is None or counts[1] == 0:
                return None
            if counts[0] > counts[1]:
                self.fail(
                    self.cell(sheet, headers[0], number),
                    f"numerator {counts[0]} is larger than the denominator {counts[1]}",
                )
                return None
            return (counts[0], counts[1])
        if ind.id not in self.headers:
            return None
        raw = row.get(ind.id)
        text = "" if raw is None else str(raw).strip()
        if text in self.layout.yes:
            return True
        if text in self.layout.no:
            return False
        if text not in self.layout.missing:
            expected = "/".join(sorted(self.layout.yes | self.layout.no))
            self.fail(self.cell(sheet, ind.id, number), f"expected {expected}, got {raw!r}")
        return None

    def count(self, raw: Any, where: str) -> int | None:
        if raw is None or (isinstance(raw, str) and raw.strip() in self.layout.missing):
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0 or raw != int(raw):
            self.fail(where, f"expected a count (a whole number ≥ 0), got {raw!r}")
            return None
        return int(raw)
