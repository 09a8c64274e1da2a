"""ÖJ workbook (xlsx) -> ``Dataset``. Driven by ``workbook.yaml``; every problem names its cell.

Only this module opens the workbook. openpyxl parses the XML with defusedxml (a dependency), and
the file is checked against size bounds before it is opened, so a zip bomb is refused unread.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factsheet.errors import Problem, WorkbookError
from factsheet.inputs.validate import SchemaChecker
from factsheet.inputs.yamlsource import load_yaml
from factsheet.model import areas
from factsheet.model.dataset import Dataset, Indicator, Layout, Unit, Value

LAYOUT_FILE = "workbook.yaml"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_SHEETS = 64
MAX_ROWS = 200_000


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
    if path.is_dir():
        raise WorkbookError(Problem(where, "is a folder, not a workbook file"))
    if not path.is_file():
        raise WorkbookError(Problem(where, "workbook not found"))
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(Problem(where, "the file is empty (0 bytes), not an Excel .xlsx file"))
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            Problem(
                where,
                f"the file is {size / 2**20:.1f} MiB, more than the "
                f"{MAX_FILE_BYTES / 2**20:g} MiB allowed",
            )
        )
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            old_excel = handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        if old_excel:
            raise WorkbookError(
                Problem(where, "an old Excel .xls file, not .xlsx: save it as .xlsx in Excel")
            )
        raise WorkbookError(Problem(where, "not an Excel .xlsx file (it is not a zip archive)"))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError(
            Problem(where, f"not a readable .xlsx file (broken zip: {exc})")
        ) from None
    unpacked = sum(info.file_size for info in infos)
    names = [info.filename for info in infos]
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            Problem(
                where,
                f"unpacks to {unpacked / 2**20:.1f} MiB, more than the "
                f"{MAX_UNPACKED_BYTES / 2**20:g} MiB allowed (a possible zip bomb)",
            )
        )
    if "xl/workbook.xml" not in names:
        raise WorkbookError(Problem(where, "not an Excel .xlsx file (no xl/workbook.xml)"))
    if sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")) > MAX_SHEETS:
        raise WorkbookError(Problem(where, f"more than {MAX_SHEETS} sheets"))


def load_workbook(path: Path, layout: Layout) -> Dataset:
    """Read and validate the workbook; raise WorkbookError listing every problem."""
    check_archive(path)
    return _read(path, layout)


def _read(path: Path, layout: Layout) -> Dataset:
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook as open_xlsx  # heavy import, only when parsing

    try:
        book = open_xlsx(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        if _caused_by(exc, DefusedXmlException):
            raise WorkbookError(Problem(str(path), _BOMB)) from None
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(Problem(str(path), f"cannot open workbook: {first_line}")) from None
    reader = _Reader(path, layout, book, formula_cells(path))
    try:
        return reader.read()
    except DefusedXmlException:
        raise WorkbookError(Problem(str(path), f"sheet {reader.sheet!r}: {_BOMB}")) from None
    except (SyntaxError, zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        # SyntaxError covers xml.etree's ParseError; the others a damaged archive
        raise WorkbookError(
            Problem(str(path), f"sheet {reader.sheet!r}: cannot read it: {exc}")
        ) from None
    finally:
        book.close()


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """``exc`` is, or was raised while handling, an exception of ``kind``."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


_BOMB = (
    "the XML declares entities, which are refused (a possible XML bomb); "
    "save the workbook again from Excel or LibreOffice"
)

# Formula cells without a stored result (data_only reading sees them as empty): found in the
# sheet XML, which is only searched in detail when it holds a formula at all.
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>[^<]")  # a non-empty <v>
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def formula_cells(path: Path) -> dict[str, list[str]]:
    """Sheet name -> cells (``D7``) holding a formula without a stored result."""
    found: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, part in _sheet_parts(archive).items():
                xml = archive.read(part)
                if not _HAS_FORMULA.search(xml):
                    continue
                cells = [
                    ref.group(1).decode()
                    for attrs, inner in _CELL.findall(xml)
                    if _HAS_FORMULA.search(inner)
                    and not _HAS_VALUE.search(inner)
                    and (ref := _REF.search(attrs))
                ]
                if cells:
                    found[name] = cells
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError):
        return {}  # a damaged file: openpyxl reports it
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the archive (``xl/worksheets/sheet3.xml``)."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RID), "")
        if target:
            parts[sheet.get("name", "")] = target[1:] if target.startswith("/") else f"xl/{target}"
    return parts


class _Reader:
    def __init__(
        self,
        path: Path,
        layout: Layout,
        book: Any,
        formulas: dict[str, list[str]] | None = None,
    ) -> None:
        self.path, self.layout, self.book = path, layout, book
        self.formulas = formulas or {}
        self.problems: list[Problem] = []
        self.synthetic = False
        self.sheet = ""
        self.headers: dict[str, int] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def read(self) -> Dataset:
        if len(self.book.sheetnames) > MAX_SHEETS:
            raise WorkbookError(Problem(str(self.path), f"more than {MAX_SHEETS} sheets"))
        names = self.layout.sheets
        present = {key: name for key, name in names.items() if name in self.book.sheetnames}
        for name in names.values():
            if name not in self.book.sheetnames:
                self.fail(
                    str(self.path),
                    f"sheet {name!r} not found (sheets: {', '.join(self.book.sheetnames)})",
                )
        indicators = self.read_indicators(present["indicators"]) if "indicators" in present else {}
        values: dict[tuple[str, str, int], Value] = {}
        riket_years: set[int] = set()
        if "riket" in present:
            riket_years = self.read_values(present["riket"], indicators, values, {areas.RIKET})
        if "county" in present:
            counties = {c.code for c in areas.counties()}
            self.read_values(present["county"], indicators, values, counties, riket_years)
        self.problems += fraction_problems(values)
        data = Dataset(str(self.path), self.synthetic, indicators, values, {})
        if "municipality" in present:
            self.read_units(present["municipality"], indicators, data)
        self.formula_problems(list(present.values()))
        if self.problems:
            raise WorkbookError(self.problems)
        return data

    def formula_problems(self, sheets: list[str], shown: int = 10) -> None:
        for sheet in sheets:
            cells = self.formulas.get(sheet, [])
            for ref in cells[:shown]:
                self.fail(
                    f"{sheet}!{ref}",
                    "formula without a stored result: open the workbook in Excel or "
                    "LibreOffice and save it, so that the results are stored",
                )
            if len(cells) > shown:
                self.fail(sheet, f"{len(cells) - shown} more formula cells without a stored result")

    def rows(self, sheet: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield (row number, {header: value}) for the data rows of a sheet."""
        self.sheet = sheet
        ws = self.book[sheet]
        header_row = self.layout.header_row
        headers: list[str] = []
        self.headers = {}
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise WorkbookError(Problem(sheet, f"more than {MAX_ROWS} rows"))
            if number == 1 and row and isinstance(row[0], str) and header_row > 1:
                self.synthetic = self.synthetic or self.layout.synthetic_marker in row[0]
            if number == header_row:
                headers = [str(h).strip() if h is not None else "" for h in row]
                self.headers = {h: i for i, h in enumerate(headers) if h}
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
            if not _INDICATOR_ID.match(ident):
                self.fail(
                    self.cell(sheet, c["id"], number),
                    f"expected an indicator id such as 'U33621', got {row[c['id']]!r}",
                )
                continue
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

    def area_code(self, raw: Any, where: str, valid: set[str] | dict[str, str]) -> str | None:
        """A code from ``valid`` (text with its leading zeros); else a problem, None."""
        width = len(next(iter(valid), "00"))
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            example = str(int(raw)).zfill(width) if math.isfinite(raw) else "01"
            self.fail(
                where,
                f"area code {raw!r} is a number; codes are text with leading zeros "
                f"(e.g. {example!r}): format the column as text",
            )
            return None
        code = str(raw or "").strip()
        if code in valid:
            return code
        padded = code.zfill(width)
        if code.isdigit() and code.isascii() and padded in valid:
            self.fail(where, f"area code {code!r} lost its leading zero (expected {padded!r})")
        else:
            self.fail(where, f"unknown area code {code!r}")
        return None

    def year(self, sheet: str, row: dict[str, Any], number: int) -> int | None:
        header = self.layout.columns["year"]
        raw = row.get(header)
        found = year_value(raw)
        if found is None:
            self.fail(self.cell(sheet, header, number), f"expected a year, got {raw!r}")
        return found

    def read_values(
        self,
        sheet: str,
        indicators: dict[str, Indicator],
        values: dict[tuple[str, str, int], Value],
        valid: set[str],
        years: set[int] | None = None,
    ) -> set[int]:
        """Read an area sheet (riket or län); return the years it has."""
        c = self.layout.columns
        rows = list(self.rows(sheet))
        if not self.require(sheet, [c["area_code"], c["year"]]):
            return set()
        self.require(sheet, list(indicators))
        columns = [ind for ind in indicators if ind in self.headers]
        seen: dict[tuple[str, int], int] = {}
        for number, row in rows:
            raw = row.get(c["area_code"])
            code = self.area_code(raw, self.cell(sheet, c["area_code"], number), valid)
            year = self.year(sheet, row, number)
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
        self.check_complete(sheet, {code for code, _ in seen}, valid, seen, years or set())
        return {year for _, year in seen}

    def check_complete(
        self,
        sheet: str,
        present: set[str],
        valid: set[str],
        seen: dict[tuple[str, int], int],
        years: set[int],
    ) -> None:
        """Every area has a row, and (län) a row for every year riket has."""
        for code in sorted(valid - present):
            self.fail(sheet, f"no rows for area {code!r}")
        for code in sorted(present):
            lacking = sorted(y for y in years if (code, y) not in seen)
            if lacking:
                listed = ", ".join(str(y) for y in lacking)
                those = "that year" if len(lacking) == 1 else "those years"
                self.fail(sheet, f"no row for area {code!r} in {listed} (riket has {those})")

    def percentage(self, raw: Any, where: str) -> float | None:
        if raw is None or (isinstance(raw, str) and raw.strip() in self.layout.missing):
            return None
        number = _number(raw)
        if number is None or not 0 <= number <= 100:
            numeric_text = isinstance(raw, str) and _NUMERIC_TEXT.match(raw)
            hint = " (a number stored as text)" if numeric_text else ""
            self.fail(where, f"expected a percentage 0–100, got {raw!r}{hint}")
            return None
        return number

    def read_units(self, sheet: str, indicators: dict[str, Indicator], data: Dataset) -> None:
        c = self.layout.columns
        rows = list(self.rows(sheet))
        if not self.require(sheet, [c["area_code"], c["area_name"], c["county_code"], c["year"]]):
            return
        counties = {county.code for county in areas.counties()}
        known = areas.units()
        for number, row in rows:
            where = self.cell(sheet, c["area_code"], number)
            code = self.area_code(row.get(c["area_code"]), where, known)
            county_where = self.cell(sheet, c["county_code"], number)
            county = self.area_code(row.get(c["county_code"]), county_where, counties)
            year = self.year(sheet, row, number)
            if code is None or county is None or year is None:
                continue
            if known[code] != county:
                self.fail(
                    county_where,
                    f"county code {county!r} does not match unit {code!r} "
                    f"(which is in county {known[code]!r})",
                )
                continue
            data.units.setdefault(code, Unit(code, str(row.get(c["area_name"]) or ""), county))
            units = data.unit_years.setdefault(year, [])
            if code in units:
                self.fail(where, f"duplicate row for unit {code!r} in {year}")
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
        return self.yes_no(row.get(ind.id), self.cell(sheet, ind.id, number))

    def yes_no(self, raw: Any, where: str) -> bool | None:
        text = "" if raw is None else str(raw).strip()
        if text in self.layout.yes:
            return True
        if text in self.layout.no:
            return False
        if text not in self.layout.missing:
            expected = "/".join(sorted(self.layout.yes | self.layout.no))
            self.fail(where, f"expected {expected}, got {raw!r}")
        return None

    def count(self, raw: Any, where: str) -> int | None:
        if raw is None or (isinstance(raw, str) and raw.strip() in self.layout.missing):
            return None
        number = _number(raw)
        if number is None or number < 0 or not number.is_integer():
            self.fail(where, f"expected a count (a whole number ≥ 0), got {raw!r}")
            return None
        return int(number)


_INDICATOR_ID = re.compile(r"^[A-Z][A-Z0-9]*\d$")
_NUMERIC_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*%?\s*$")


def _number(raw: Any) -> float | None:
    """A finite number from an int or float cell; None for anything else (text, dates, NaN)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        number = float(raw)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def year_value(raw: Any) -> int | None:
    """A year 1900–2199 from a number or text cell (``2021``, ``2021.0``, ``'2021'``)."""
    number = _number(raw)
    if number is None and isinstance(raw, str) and raw.strip().isascii():
        text = raw.strip()
        number = float(text) if text.isdigit() and len(text) == 4 else None
    if number is None or not number.is_integer() or not 1900 <= number < 2200:
        return None
    return int(number)


def fraction_problems(values: dict[tuple[str, str, int], Value]) -> list[Problem]:
    """Percentages stored as fractions (0.82 for 82 %), found per indicator column: a column
    whose values all lie in 0–1 (with a value strictly between) while the other level's values
    are percentages, or both levels' columns look like that. See docs/workbook.md."""
    levels: dict[tuple[bool, str], list[Value]] = {}
    for (area, ind, _), value in values.items():
        if value.value is not None:
            levels.setdefault((area == areas.RIKET, ind), []).append(value)
    problems = []
    for ind in sorted({ind for _, ind in levels}):
        riket, county = levels.get((True, ind), []), levels.get((False, ind), [])
        riket_frac, county_frac = _fractions(riket), _fractions(county)
        if county_frac and (riket_frac or _top(riket) > 1):
            problems.append(_fraction_problem(ind, county, riket, "riket's"))
        if riket_frac and (county_frac or _scaled_fits(riket, county)):
            problems.append(_fraction_problem(ind, riket, county, "the län values"))
    return problems


def _fractions(values: list[Value]) -> bool:
    numbers = [v.value for v in values if v.value is not None]
    return bool(numbers) and max(numbers) <= 1 and any(0 < n < 1 for n in numbers)


def _top(values: list[Value]) -> float:
    return max((v.value for v in values if v.value is not None), default=0.0)


def _scaled_fits(riket: list[Value], county: list[Value]) -> bool:
    """Riket ×100 lies within the län range while riket as stored lies below it."""
    numbers = [v.value for v in county if v.value is not None]
    return bool(numbers) and min(numbers) <= 100 * _top(riket) <= max(numbers)


def _fraction_problem(ind: str, mine: list[Value], other: list[Value], whose: str) -> Problem:
    sample = next(v for v in mine if v.value is not None and 0 < v.value < 1)
    sheet, cell = sample.cell.split("!", 1)
    column = cell.rstrip("0123456789")
    percent = next((v for v in other if v.value is not None and v.value > 1), None)
    compared = (
        f", while {whose} are percentages (e.g. {percent.value:g} in {percent.cell})"
        if percent
        else f", as are {whose}"
    )
    return Problem(
        f"{sheet}!{column}:{column}",
        f"column {ind!r} holds fractions (every value is between 0 and 1, e.g. "
        f"{sample.value:g} in {cell}){compared}: store percentages as 0–100 "
        "(82 % as 82, not 0.82)",
    )
