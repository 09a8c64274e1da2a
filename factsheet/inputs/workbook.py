"""Workbook -> ``Dataset``: the ÖJ sheets in the layout ``workbook.yaml`` describes, a tidy CSV
(``inputs/tidy.py``) or a saved Kolada export (``inputs/kolada.py``). Every reader produces the
same tidy rows (``model.dataset.Row``); the checks and the riket/län computation run on those.
Every problem names its cell.

Only this package opens the workbook. openpyxl parses the XML with defusedxml (a dependency),
and the file is checked against size bounds before it is opened, so a zip bomb is refused
unread; the sheets are streamed row by row and their cells counted before parsing, so memory
stays bounded whatever the file declares.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factsheet.errors import Problem, WorkbookError
from factsheet.inputs.cells import (
    INDICATOR_ID,
    LAYOUT_FILE,
    MAX_FOUND,
    MAX_PROBLEMS,
    MAX_ROWS,
    Cells,
    Sheet,
    clean,
    finish,
    fraction_problems,
    year_value,
)
from factsheet.inputs.validate import SchemaChecker
from factsheet.inputs.yamlsource import load_yaml
from factsheet.model import areas
from factsheet.model.dataset import (
    AnswerMap,
    Dataset,
    Indicator,
    Layout,
    Row,
    Unit,
    Value,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_SHEETS = 64
MAX_COLUMNS = 2_000
MAX_CELLS = 2_000_000  # cells (empty ones too) in all sheets, counted before parsing


def load_layout(folder: Path) -> Layout:
    display = str(folder / LAYOUT_FILE)
    data = load_yaml(folder / LAYOUT_FILE, display)
    checker = SchemaChecker(display)
    checker.check_object(data, "workbook_layout", "", 1)
    if checker.problems:
        raise WorkbookError(checker.problems)
    problems: list[Problem] = []
    lines = getattr(data, "key_lines", {})
    answers = data["answers"]
    indicators = {}
    methods = {data["methods"]["share"]: "share", data["methods"]["ratio"]: "ratio"}
    for ident, spec in data.get("indicators", {}).items():
        method = methods.get(spec["method"])
        line = getattr(data["indicators"], "key_lines", {}).get(ident, 0)
        if method is None:
            known = ", ".join(repr(m) for m in methods)
            problems.append(
                Problem(
                    f"{display}:{line}",
                    f"indicators.{ident}.method: expected one of {known}, got {spec['method']!r}",
                )
            )
            continue
        indicators[ident] = Indicator(
            ident,
            spec["name"],
            spec["type"],
            spec["unit"],
            spec.get("description", ""),
            method,
            f"{display}:{line}",
        )
    if "indicators" not in data["sheets"] and not indicators and "kolada" not in data:
        problems.append(
            Problem(
                f"{display}:{lines.get('sheets', 1)}",
                "sheets.indicators: missing: name the indicator sheet, or describe the "
                "indicators under 'indicators:'",
            )
        )
    sheets, sheet_headers = _sheets(data["sheets"])
    columns = data.get("columns", {})
    needed = [k for k in _INDICATOR_COLUMNS if "indicators" in data["sheets"]]
    if any(k in data["sheets"] for k in ("riket", "county", "municipality", "all")):
        needed += ["area_code", "area_name"]
    if needed:
        lacking = [k for k in needed if k not in columns]
        if lacking:
            line = getattr(columns, "line", lines.get("sheets", 1))
            problems.append(
                Problem(
                    f"{display}:{line}",
                    f"columns: {', '.join(lacking)} missing: the sheets need them",
                )
            )
    if "ratio_columns" not in data and any(k in data["sheets"] for k in ("municipality", "all")):
        problems.append(
            Problem(
                f"{display}:{lines.get('sheets', 1)}",
                "ratio_columns: missing: the unit sheet's counts of a ratio measure need it",
            )
        )
    if problems:
        raise WorkbookError(problems)
    maps = {
        ident: AnswerMap(
            frozenset(clean(str(x)) for x in spec["yes"]),
            frozenset(clean(str(x)) for x in spec["no"]),
            frozenset([*(clean(str(x)) for x in spec.get("missing", answers["missing"])), ""]),
            bool(spec.get("levels", False)),
        )
        for ident, spec in data.get("answer_maps", {}).items()
    }
    return Layout(
        sheets=sheets,
        header_row=data.get("header_row", 1),
        columns=dict(columns),
        ratio_columns=dict(data.get("ratio_columns", {})),
        yes=frozenset(clean(x) for x in answers["yes"]),
        no=frozenset(clean(x) for x in answers["no"]),
        missing=frozenset([*(clean(x) for x in answers["missing"]), ""]),
        share_method=data["methods"]["share"],
        ratio_method=data["methods"]["ratio"],
        response_indicator=data["response_indicator"],
        suppression_threshold=data["suppression_threshold"],
        synthetic_marker=data["synthetic_marker"],
        header_label=data.get("header_label", ""),
        header_rows=data.get("header_rows", 1),
        stop_at_non_code=data.get("stop_at_non_code", False),
        wide_years=data.get("wide_years", ""),
        text_numbers=data.get("text_numbers", False),
        answer_maps=maps,
        stadsdelar={clean(k).casefold(): v for k, v in data.get("stadsdelar", {}).items()},
        indicators=indicators,
        kolada=dict(data.get("kolada", {})),
        sheet_headers=sheet_headers,
        given=_given(data, display),
    )


_INDICATOR_COLUMNS = ("id", "name", "type", "unit", "method")


def _sheets(given: dict[str, Any]) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    """``sheets:`` -> (key -> sheet name, sheet name -> its own header row and label)."""
    names, headers = {}, {}
    for key, value in given.items():
        if isinstance(value, dict):
            names[key] = value["name"]
            if "header_row" in value or "header_label" in value:
                headers[value["name"]] = (value.get("header_row", 1), value.get("header_label", ""))
        else:
            names[key] = value
    return names, headers


def _given(data: Any, display: str) -> dict[str, str]:
    """Every key written (top level, ``columns.*``, ``sheets.*.header_*``) -> its place."""

    def place(mapping: Any, key: str) -> str:
        return f"{display}:{getattr(mapping, 'key_lines', {}).get(key, 1)}"

    out = {key: place(data, key) for key in data}
    for key in data.get("columns", {}):
        out[f"columns.{key}"] = place(data["columns"], key)
    for key, value in data["sheets"].items():
        if isinstance(value, dict):
            for inner in value:
                out[f"sheets.{key}.{inner}"] = place(value, inner)
    return out


# ------------------------------------------------------------------------- the file itself

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def check_archive(path: Path) -> None:
    """Refuse files that are not xlsx or exceed the size bounds, before parsing anything."""
    where = str(path)
    _check_file(path)
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(8)
            if head == _CFB:
                handle.seek(0)
                encrypted = _ENCRYPTED in handle.read(MAX_FILE_BYTES)
                raise WorkbookError(
                    Problem(
                        where,
                        "the workbook is password-protected (encrypted): open it in Excel, "
                        "remove the password (File > Info > Protect Workbook) and save it again"
                        if encrypted
                        else "an old Excel .xls file, not .xlsx: save it as .xlsx in Excel",
                    )
                )
        if head.startswith(b"PK\x03\x04"):
            raise WorkbookError(
                Problem(
                    where,
                    "a damaged or truncated .xlsx file (the zip archive has no end): "
                    "copy or download it again",
                )
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
    if "xl/vbaProject.bin" in names:
        raise WorkbookError(
            Problem(
                f"{where}: xl/vbaProject.bin",
                "a macro-enabled workbook (.xlsm): macros are never run here; save it as "
                "an Excel Workbook (.xlsx) without macros",
            )
        )
    links = [n for n in names if n.startswith("xl/externalLinks/") and n.endswith(".xml")]
    if links:
        raise WorkbookError(
            Problem(
                f"{where}: {links[0]}",
                f"the workbook links to {len(links)} other workbook"
                f"{'s' if len(links) > 1 else ''}, so its values may come from files that "
                "are not here: break the links (Data > Edit Links > Break Link) and save",
            )
        )
    if sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")) > MAX_SHEETS:
        raise WorkbookError(Problem(where, f"more than {MAX_SHEETS} sheets"))


def _check_file(path: Path) -> None:
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


def check_input(path: Path, layout: Layout | None = None) -> None:
    """Refuse what cannot be read, before it is hashed or parsed: a CSV or JSON file that is
    not there or too large; an .xlsx that is no workbook (``check_archive``); with the
    layout, a ``workbook.yaml`` key that the file's reader does not read."""
    if path.suffix.lower() in (".csv", ".json"):
        _check_file(path)
    else:
        check_archive(path)
    if layout is not None:
        problems = unused_keys(path, layout)
        if problems:
            raise WorkbookError(problems)


# The keys every reader reads (the required ones, and the indicators described in the layout).
_ALWAYS = {
    "sheets",
    "answers",
    "methods",
    "indicators",
    "response_indicator",
    "suppression_threshold",
    "synthetic_marker",
}
_RESULT_SHEETS = ("riket", "county", "municipality", "all")
_UNIT_SHEETS = ("municipality", "all")


def unused_keys(path: Path, layout: Layout) -> list[Problem]:
    """The keys of ``workbook.yaml`` that the reader chosen for ``path`` (by its suffix) does not
    read: an error at the key's line, since the author meant something by it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader, used = "the tidy CSV reader", {"answer_maps"}
        why = "a tidy CSV has fixed columns and one header line"
    elif suffix == ".json":
        reader, used = "the Kolada reader", {"kolada"}
        why = "a Kolada export is read by the 'kolada:' mapping"
    else:
        reader, used = "the workbook (.xlsx) reader", _xlsx_keys(layout)
        why = "no sheet named under 'sheets:' needs it"
    used |= _ALWAYS
    flat = suffix in (".csv", ".json")  # no sheets: 'sheets' itself is the problem
    problems = []
    for key, where in layout.given.items():
        parent = key.split(".")[0]
        reported = parent not in used or (parent == "sheets" and flat)
        if key in used or ("." in key and reported):  # a key under one reported whole
            continue
        problems.append(Problem(where, f"{key}: not read by {reader} ({why}): delete it"))
    if flat and layout.sheets:
        problems.append(
            Problem(
                layout.given.get("sheets", LAYOUT_FILE),
                f"sheets: not read by {reader} ({why}): write 'sheets: {{}}'",
            )
        )
    return problems


def _xlsx_keys(layout: Layout) -> set[str]:
    """What the workbook reader reads, given the sheets the layout names."""
    sheets = layout.sheets
    used = {"answer_maps"}
    if sheets:
        used.add("header_rows")
    for key, name in sheets.items():
        used.add(f"sheets.{key}.name")
        own = name in layout.sheet_headers
        if own and f"sheets.{key}.header_label" in layout.given:
            used.add(f"sheets.{key}.header_label")
        elif own:
            used.add(f"sheets.{key}.header_row")
        elif layout.header_label:
            used.add("header_label")
        else:
            used.add("header_row")
    if any(k != "indicators" for k in sheets):
        used.add("text_numbers")
    if "indicators" in sheets:
        used |= {"columns", *(f"columns.{k}" for k in (*_INDICATOR_COLUMNS, "description"))}
    if any(k in sheets for k in _RESULT_SHEETS):
        used |= {"columns", "columns.area_code", "columns.area_name"}
        used |= {"wide_years", "stop_at_non_code"}
        if not layout.wide_years:
            used.add("columns.year")
    if any(k in sheets for k in _UNIT_SHEETS):
        used |= {"ratio_columns", "stadsdelar", "columns.municipality_code", "columns.county_code"}
    return used


def load_workbook(path: Path, layout: Layout) -> Dataset:
    """Read and validate the workbook, a tidy CSV or a Kolada export; raise WorkbookError
    listing every problem."""
    check_input(path, layout)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from factsheet.inputs import tidy

        return tidy.read_csv(path, layout)
    if suffix == ".json":
        from factsheet.inputs import kolada

        return kolada.read(path, layout)
    return _read(path, layout)


def _read(path: Path, layout: Layout) -> Dataset:
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook as open_xlsx  # heavy import, only when parsing

    scan = scan_sheets(path)
    try:
        book = open_xlsx(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        if _caused_by(exc, DefusedXmlException):
            raise WorkbookError(Problem(str(path), _BOMB)) from None
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(Problem(str(path), f"cannot open workbook: {first_line}")) from None
    reader = SheetReader(path, layout, book, scan.formulas)
    try:
        return reader.read()
    except DefusedXmlException:
        raise WorkbookError(Problem(str(path), f"sheet {reader.sheet!r}: {_BOMB}")) from None
    except (SyntaxError, zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError) as exc:
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
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>[^<]")  # a non-empty <v>
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class Scan:
    def __init__(self) -> None:
        self.cells: dict[str, int] = {}
        self.formulas: dict[str, list[str]] = {}


def scan_sheets(path: Path) -> Scan:
    """Count every sheet's cells (empty ones too) by streaming its XML, before openpyxl
    parses anything, and refuse a workbook with more than ``MAX_CELLS``; find formula cells
    without a stored result. Memory: one chunk of XML at a time."""
    scan = Scan()
    try:
        with zipfile.ZipFile(path) as archive:
            for name, part in _sheet_parts(archive).items():
                cells, has_formula = 0, False
                with archive.open(part) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        block = tail + chunk
                        # a tag cut at the chunk's end is counted with the next chunk
                        cut = block.rfind(b"<")
                        whole, tail = block[:cut], block[cut:]
                        cells += _count_cells(whole)
                        has_formula = has_formula or bool(_HAS_FORMULA.search(whole))
                        if sum(scan.cells.values()) + cells > MAX_CELLS:
                            break
                    cells += _count_cells(tail)
                scan.cells[name] = cells
                if sum(scan.cells.values()) > MAX_CELLS:
                    raise WorkbookError(
                        Problem(
                            f"{path}: sheet {name!r}",
                            f"more than {MAX_CELLS:,} cells (empty ones included) in the "
                            "workbook: delete the unused rows and columns, or copy the data "
                            "into a new workbook",
                        )
                    )
                if has_formula:
                    found = _formulas(archive.read(part))
                    if found:
                        scan.formulas[name] = found
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError, EOFError):
        return scan  # a damaged file: openpyxl reports it
    except Exception as exc:  # defusedxml refusals of workbook.xml: openpyxl reports them
        if isinstance(exc, WorkbookError):
            raise
        return scan
    return scan


def _count_cells(xml: bytes) -> int:
    if b":c" in xml:  # a namespace prefix (<x:c ...>): the slower exact count
        return len(_ANY_CELL.findall(xml))
    return xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/")


def formula_cells(path: Path) -> dict[str, list[str]]:
    """Sheet name -> cells (``D7``) holding a formula without a stored result."""
    return scan_sheets(path).formulas


def _formulas(xml: bytes) -> list[str]:
    return [
        ref.group(1).decode()
        for attrs, inner in _CELL.findall(xml)
        if _HAS_FORMULA.search(inner)
        and not _HAS_VALUE.search(inner)
        and (ref := _REF.search(attrs))
    ]


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


# ------------------------------------------------------------------------------ the values


class SheetReader(Cells):
    """The ÖJ sheets: an indicator sheet (or indicators in workbook.yaml), riket, län and unit
    sheets, or one sheet with every level; year columns side by side or a year column; one
    or two header rows, the header found by its row or a label."""

    def __init__(
        self, path: Path, layout: Layout, book: Any, formulas: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(path, layout)
        self.book = book
        self.formulas = formulas or {}
        self.synthetic = False
        self.sheet = ""
        self.rows_out: list[Row] = []
        self.units: dict[str, Unit] = {}
        self.seen_units: set[tuple[str, int]] = set()

    # -- the whole workbook

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
        indicators = dict(self.layout.indicators)
        if "indicators" in present:
            indicators.update(self.read_indicators(present["indicators"]))
        self.indicators = indicators
        riket_years: set[int] = set()
        counties = {c.code for c in areas.counties()}
        if "tidy" in present:
            from factsheet.inputs import tidy

            sheet = self.open(present["tidy"])
            tidy.read_rows(self, sheet)
        if "riket" in present:
            riket_years = self.read_areas(present["riket"], {areas.RIKET})
        if "county" in present:
            self.read_areas(present["county"], counties, riket_years)
        if "all" in present:
            self.read_all(present["all"])
        self.problems += fraction_problems(
            {
                (r.area, r.indicator, r.year): Value(r.value, r.cell)
                for r in self.rows_out
                if r.area not in self.units and r.value is not None
            }
        )
        if "municipality" in present:
            self.read_units(present["municipality"])
        self.formula_problems(list(present.values()))
        return finish(self, str(self.path), self.synthetic, indicators)

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

    # -- one sheet

    def open(self, name: str) -> Sheet:
        """The sheet's header (its row, or the row starting with ``header_label``; with
        ``header_rows: 2`` the row below too) and an iterator over its data rows."""
        self.sheet = name
        ws = self.book[name]
        ws.reset_dimensions()  # never trust the declared size: rows come as they are
        rows = self._numbered(ws)
        layout = self.layout
        header_row, label = layout.header(name)
        top: list[Any] = []
        at = 0
        for number, row in rows:
            if number == 1 and row and isinstance(row[0], str) and (label or header_row > 1):
                self.synthetic = self.synthetic or layout.synthetic_marker in row[0]
            first = next((clean(str(v)) for v in row if v is not None and str(v).strip()), "")
            if (label and first == clean(label)) or (not label and number == header_row):
                top, at = list(row), number
                break
        if not at:
            where = f"{name}: no row starts with {label!r}" if label else f"{name}!A{header_row}"
            raise WorkbookError(
                Problem(where, "header row not found" if label else "header row is empty")
            )
        headers = [clean(str(h)) if h is not None else "" for h in top]
        if layout.header_rows == 2:
            second = next(rows, (at + 1, ()))[1]
            headers = _two_rows(headers, [clean(str(h)) if h is not None else "" for h in second])
            at += 1
        if not any(headers):
            raise WorkbookError(Problem(f"{name}!A{at}", "header row is empty"))
        sheet = Sheet(name, headers, at, rows)
        self.duplicate_headers(sheet)
        return sheet

    def _numbered(self, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise WorkbookError(Problem(self.sheet, f"more than {MAX_ROWS} rows"))
            if len(self.problems) >= MAX_FOUND:  # 100 000 bad rows: no need to read them all
                raise WorkbookError(
                    [
                        *self.problems[:MAX_PROBLEMS],
                        Problem(
                            str(self.path),
                            f"... and more problems: reading stopped at {self.sheet}!{number}:"
                            f"{number} after {len(self.problems):,} (the first {MAX_PROBLEMS} "
                            "are listed)",
                        ),
                    ]
                )
            if len(row) > MAX_COLUMNS:
                last = len(row)
                while last and row[last - 1] is None:
                    last -= 1
                if last > MAX_COLUMNS:
                    raise WorkbookError(
                        Problem(
                            f"{self.sheet}!{number}:{number}", f"more than {MAX_COLUMNS} columns"
                        )
                    )
                row = row[:last]
            yield number, row

    def data(self, sheet: Sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The data rows: non-empty rows after the header (all of them, or up to the first
        whose code cell is not a code with ``stop_at_non_code``)."""
        code = sheet.index.get(self.layout.columns.get("area_code", ""))
        for number, row in sheet.rows:
            if not any(v is not None and v != "" for v in row):
                continue
            if self.layout.stop_at_non_code and code is not None:
                raw = row[code] if code < len(row) else None
                if not self._looks_like_code(raw, row, sheet):
                    return
            yield number, row

    def _looks_like_code(self, raw: Any, row: tuple[Any, ...], sheet: Sheet) -> bool:
        if isinstance(raw, str) and _CODE.match(clean(raw)):
            return True
        return self.stadsdel(row, sheet) is not None

    def duplicate_headers(self, sheet: Sheet) -> None:
        first: dict[str, int] = {}
        for i, header in enumerate(sheet.headers):
            if not header:
                continue
            if header in first:
                self.fail(
                    sheet.header_cell(i),
                    f"column {header!r} appears twice, in {sheet.header_cell(first[header])} and "
                    f"{sheet.header_cell(i)}: delete or rename one",
                )
            else:
                first[header] = i

    def require(self, sheet: Sheet, headers: list[str]) -> bool:
        absent = [h for h in headers if h not in sheet.index]
        for h in absent:
            self.fail(sheet.header_range, f"column {h!r} not found in the header row")
        return not absent

    def value_at(self, row: tuple[Any, ...], column: int | None) -> Any:
        return row[column] if column is not None and column < len(row) else None

    # -- indicators

    def read_indicators(self, name: str) -> dict[str, Indicator]:
        c, out = self.layout.columns, {}
        methods = {self.layout.share_method: "share", self.layout.ratio_method: "ratio"}
        sheet = self.open(name)
        if not self.require(sheet, [c["id"], c["name"], c["type"], c["unit"], c["method"]]):
            return {}
        col = {
            k: sheet.index.get(c[k])
            for k in ("id", "name", "type", "unit", "method", "description")
        }
        for number, row in self.data_plain(sheet):
            raw_id = self.value_at(row, col["id"])
            ident = clean(str(raw_id or ""))
            if not INDICATOR_ID.match(ident):
                self.fail(
                    sheet.cell(col["id"] or 0, number),
                    f"expected an indicator id such as 'U33621', got {raw_id!r}",
                )
                continue
            raw_method = self.value_at(row, col["method"])
            method = methods.get(clean(str(raw_method or "")))
            if method is None:
                self.fail(
                    sheet.cell(col["method"] or 0, number),
                    f"expected one of {', '.join(repr(m) for m in methods)}, got {raw_method!r}",
                )
                continue
            if ident in out:
                self.fail(sheet.cell(col["id"] or 0, number), f"duplicate indicator id {ident!r}")
            out[ident] = Indicator(
                ident,
                clean(str(self.value_at(row, col["name"]) or "")),
                clean(str(self.value_at(row, col["type"]) or "")),
                clean(str(self.value_at(row, col["unit"]) or "")),
                str(self.value_at(row, col["description"]) or ""),
                method,
                sheet.cell(col["name"] or 0, number),
            )
        if not out and not self.problems:
            self.fail(name, "no indicators found")
        return out

    def data_plain(self, sheet: Sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for number, row in sheet.rows:
            if any(v is not None and v != "" for v in row):
                yield number, row

    # -- which column holds what

    def plan(self, sheet: Sheet, units: bool) -> list[tuple[int, str, int | None, str]]:
        """(column, indicator, year or None, role) for the sheet's value columns; role is
        ``value`` (a percentage or an answer) or ``numerator``/``denominator``. Long layout:
        a column per indicator (``{id}``), the year in the year column. Wide layout
        (``wide_years``): a column per indicator and year."""
        out: list[tuple[int, str, int | None, str]] = []
        ratio = self.layout.ratio_columns
        roles = [("value", "{id}")]
        if units:
            roles += [(k, ratio[k]) for k in ("numerator", "denominator")]
        if self.layout.wide_years:
            pattern = self.wide_pattern()
            for i, header in enumerate(sheet.headers):
                for role, template in roles:
                    found = pattern(template).match(header)
                    if found:
                        ident = self.indicator_of(found.group("ind"))
                        out.append((i, ident, int(found.group("year")), role))
                        break
            return out
        for ind in self.indicators.values():
            for role, template in roles:
                if role == "value" and units and ind.method == "ratio":
                    continue
                if role != "value" and ind.method != "ratio":
                    continue
                header = template.replace("{id}", ind.id)
                if header in sheet.index:
                    out.append((sheet.index[header], ind.id, None, role))
        return out

    def wide_pattern(self) -> Any:
        ids = sorted(self.indicators, key=len, reverse=True)
        names = sorted({clean(i.name) for i in self.indicators.values()}, key=len, reverse=True)
        choices = "|".join(re.escape(x) for x in [*ids, *names])

        def pattern(template: str) -> re.Pattern[str]:
            text = clean(self.layout.wide_years.replace("{id}", template))
            parts = re.split(r"(\{id\}|\{name\}|\{year\})", text)
            regex = "".join(
                f"(?P<ind>{choices})"
                if p in ("{id}", "{name}")
                else r"(?P<year>\d{4})"
                if p == "{year}"
                else re.escape(p)
                for p in parts
            )
            return re.compile(f"^{regex}$")

        return pattern

    def indicator_of(self, text: str) -> str:
        if text in self.indicators:
            return text
        return next(i.id for i in self.indicators.values() if clean(i.name) == text)

    def check_plan(
        self, sheet: Sheet, plan: list[tuple[int, str, int | None, str]], units: bool
    ) -> None:
        """Every indicator has its columns in the sheet (a ratio measure both counts)."""
        have = {(ind, role) for _, ind, _, role in plan}
        years = sorted({y for _, _, y, _ in plan if y is not None})
        for ind in self.indicators.values():
            if units and ind.method == "ratio":
                wanted = [("numerator", "numerator"), ("denominator", "denominator")]
            else:
                wanted = [("value", "{id}")]
            for role, key in wanted:
                if (ind.id, role) in have:
                    continue
                template = "{id}" if key == "{id}" else self.layout.ratio_columns[key]
                problem = Problem(sheet.header_range, self.not_found(ind, template, years))
                if problem not in self.problems:  # one sheet, two plans (area and unit rows)
                    self.problems.append(problem)

    def not_found(self, ind: Indicator, template: str, years: list[int]) -> str:
        """The header (or the headers, one per year) looked for, as the sheet would hold it."""
        pattern = self.layout.wide_years
        if not pattern:
            return f"column {template.replace('{id}', ind.id)!r} not found in the header row"
        column = pattern.replace("{id}", template).replace("{name}", clean(ind.name))
        column = column.replace("{id}", ind.id)
        shown = [column.replace("{year}", str(y)) for y in years] or [
            column.replace("{year}", "<year>")
        ]
        listed = ", ".join(repr(s) for s in shown)
        found = "column" if len(shown) == 1 else "columns"
        where = "header row"
        if self.layout.header_rows == 2:
            where = f"two header rows ({column.replace('{year}', '').strip()!r} over the years)"
        return f"{found} {listed} not found in the {where}"

    # -- riket and län sheets

    def read_areas(self, name: str, valid: set[str], years: set[int] | None = None) -> set[int]:
        """Read an area sheet (riket or län); return the years it has."""
        c = self.layout.columns
        sheet = self.open(name)
        needed = [c["area_code"]] if self.layout.wide_years else [c["area_code"], c["year"]]
        if not self.require(sheet, needed):
            return set()
        plan = self.plan(sheet, units=False)
        self.check_plan(sheet, plan, units=False)
        seen: dict[tuple[str, int], int] = {}
        code_col = sheet.index[c["area_code"]]
        for number, row in self.data(sheet):
            code = self.area_code(self.value_at(row, code_col), sheet.cell(code_col, number), valid)
            year = None if self.layout.wide_years else self.year(sheet, row, number)
            if code is None or (year is None and not self.layout.wide_years):
                continue
            self.area_row(sheet, plan, row, number, code, year, seen)
        self.check_complete(name, {code for code, _ in seen}, valid, seen, years or set())
        return {year for _, year in seen}

    def area_row(
        self,
        sheet: Sheet,
        plan: list[tuple[int, str, int | None, str]],
        row: tuple[Any, ...],
        number: int,
        code: str,
        year: int | None,
        seen: dict[tuple[str, int], int],
    ) -> None:
        years: set[int] = (
            {year} if year is not None else {y for _, _, y, _ in plan if y is not None}
        )
        for y in sorted(years):
            if (code, y) in seen:
                where = sheet.cell(sheet.index[self.layout.columns["area_code"]], number)
                self.fail(
                    where,
                    f"duplicate row for area {code!r} and year {y} (first on row {seen[code, y]})",
                )
                return
        for y in years:
            seen[code, y] = number
        for column, ind, column_year, role in plan:
            at = year if column_year is None else column_year
            if role != "value" or at is None:
                continue
            where = sheet.cell(column, number)
            value = self.percentage(self.value_at(row, column), where)
            self.rows_out.append(Row(code, at, ind, value, cell=where))

    def year(self, sheet: Sheet, row: tuple[Any, ...], number: int) -> int | None:
        column = sheet.index[self.layout.columns["year"]]
        raw = self.value_at(row, column)
        found = year_value(raw)
        if found is None:
            self.fail(sheet.cell(column, number), f"expected a year, got {raw!r}")
        return found

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

    # -- unit sheets

    def stadsdel(self, row: tuple[Any, ...], sheet: Sheet) -> str | None:
        """A Stockholm stadsdel's code from its name (the survey has no codes for them)."""
        column = sheet.index.get(self.layout.columns.get("area_name", ""))
        name = clean(str(self.value_at(row, column) or "")).casefold()
        return _stadsdel_codes(self.layout).get(name) if name else None

    def unit_code(self, sheet: Sheet, row: tuple[Any, ...], number: int) -> str | None:
        code_col = sheet.index[self.layout.columns["area_code"]]
        raw = self.value_at(row, code_col)
        if isinstance(raw, str) and clean(raw) in areas.units() and clean(raw) != areas.STOCKHOLM:
            return clean(raw)
        named = self.stadsdel(row, sheet)
        if named is not None:
            return named
        return self.area_code(raw, sheet.cell(code_col, number), areas.units())

    def read_units(self, name: str) -> None:
        c = self.layout.columns
        sheet = self.open(name)
        needed = [c["area_code"], c["area_name"], *self.unit_columns()]
        if not self.layout.wide_years:
            needed.append(c["year"])
        if not self.require(sheet, needed):
            return
        plan = self.plan(sheet, units=True)
        self.check_plan(sheet, plan, units=True)
        for number, row in self.data(sheet):
            code = self.unit_code(sheet, row, number)
            if code is None or not self.unit_county(sheet, row, number, code):
                continue
            year = None if self.layout.wide_years else self.year(sheet, row, number)
            if year is None and not self.layout.wide_years:
                continue
            self.unit_row(sheet, plan, row, number, code, year)

    def unit_columns(self) -> list[str]:
        """The unit sheet's optional columns that the layout names: then required."""
        return [
            self.layout.columns[k]
            for k in ("municipality_code", "county_code")
            if k in self.layout.columns
        ]

    def unit_county(self, sheet: Sheet, row: tuple[Any, ...], number: int, code: str) -> bool:
        """The unit's kommun and county columns, when there are, agree with the area lists."""
        column = sheet.index.get(self.layout.columns.get("municipality_code", ""))
        if column is not None:
            raw = self.value_at(row, column)
            kommun = code[:4]
            if clean(str(raw if raw is not None else "")) != kommun:
                self.fail(
                    sheet.cell(column, number),
                    f"kommun code {raw!r} does not match unit {code!r} (expected {kommun!r})",
                )
                return False
        column = sheet.index.get(self.layout.columns.get("county_code", ""))
        known = areas.units()[code]
        if column is not None:
            where = sheet.cell(column, number)
            counties = {county.code for county in areas.counties()}
            county = self.area_code(self.value_at(row, column), where, counties)
            if county is None:
                return False
            if county != known:
                self.fail(
                    where,
                    f"county code {county!r} does not match unit {code!r} "
                    f"(which is in county {known!r})",
                )
                return False
        if code not in self.units:
            name_col = sheet.index.get(self.layout.columns.get("area_name", ""))
            name = clean(str(self.value_at(row, name_col) or "")) or areas.area_name(code)
            self.units[code] = Unit(code, name, known)
        return True

    def unit_row(
        self,
        sheet: Sheet,
        plan: list[tuple[int, str, int | None, str]],
        row: tuple[Any, ...],
        number: int,
        code: str,
        year: int | None,
    ) -> None:
        years: list[int] = sorted(
            {year} if year is not None else {y for _, _, y, _ in plan if y is not None}
        )
        for y in years:
            if (code, y) in self.seen_units:
                where = sheet.cell(sheet.index[self.layout.columns["area_code"]], number)
                self.fail(where, f"duplicate row for unit {code!r} in {y}")
                return
        counts: dict[tuple[str, int], dict[str, tuple[int | None, str]]] = {}
        answers: dict[tuple[str, int], tuple[bool | None, str, str]] = {}
        for column, ind, column_year, role in plan:
            yy = year if column_year is None else column_year
            if yy is None:
                continue
            where = sheet.cell(column, number)
            raw = self.value_at(row, column)
            if role == "value":
                answer, level = self.answer(raw, where, ind)
                answers[ind, yy] = (answer, level, where)
            else:
                counts.setdefault((ind, yy), {})[role] = (self.count(raw, where), where)
        for y in years:
            self.seen_units.add((code, y))
            for indicator in self.indicators.values():
                if indicator.method == "ratio":
                    got = counts.get((indicator.id, y), {})
                    num, num_at = got.get("numerator", (None, ""))
                    den, _ = got.get("denominator", (None, ""))
                    if num is not None and den is not None and num > den:
                        self.fail(num_at, f"numerator {num} is larger than the denominator {den}")
                        num = den = None
                    self.rows_out.append(
                        Row(code, y, indicator.id, numerator=num, denominator=den, cell=num_at)
                    )
                else:
                    answer, level, where = answers.get((indicator.id, y), (None, "", ""))
                    self.rows_out.append(
                        Row(code, y, indicator.id, answer=answer, cell=where, level=level)
                    )

    # -- every level in one sheet

    def read_all(self, name: str) -> None:
        """One sheet with riket, län and unit rows (ÖJ's usual result sheet): the level is the
        code's (``00``, a län code, a kommun code or a stadsdel's name)."""
        c = self.layout.columns
        sheet = self.open(name)
        needed = [c["area_code"], c["area_name"], *self.unit_columns()]
        if not self.layout.wide_years:
            needed.append(c["year"])
        if not self.require(sheet, needed):
            return
        area_plan = self.plan(sheet, units=False)
        unit_plan = self.plan(sheet, units=True)
        self.check_plan(sheet, area_plan, units=False)
        self.check_plan(sheet, unit_plan, units=True)
        counties = {county.code for county in areas.counties()}
        seen: dict[tuple[str, int], int] = {}
        code_col = sheet.index[c["area_code"]]
        for number, row in self.data(sheet):
            raw = self.value_at(row, code_col)
            text = clean(str(raw)) if isinstance(raw, str) else raw
            year = None if self.layout.wide_years else self.year(sheet, row, number)
            if year is None and not self.layout.wide_years:
                continue
            if text == areas.RIKET or text in counties:
                assert isinstance(text, str)
                self.area_row(sheet, area_plan, row, number, text, year, seen)
                continue
            code = self.unit_code(sheet, row, number)
            if code is not None and self.unit_county(sheet, row, number, code):
                self.unit_row(sheet, unit_plan, row, number, code, year)
        present = {code for code, _ in seen}
        if present:
            riket_years = {y for code, y in seen if code == areas.RIKET}
            self.check_complete(name, present, {areas.RIKET} | counties, seen, riket_years)


_CODE = re.compile(r"^\d{2}(?:\d{2})?(?:-\d{2})?$")


def _stadsdel_codes(layout: Layout) -> dict[str, str]:
    """Stadsdel name (casefolded) -> code: the bundled list, with and without
    ``stadsdelsområde``, and the layout's ``stadsdelar``."""
    found: dict[str, str] = {}
    for unit in areas.responding_units():
        if unit.code.startswith(f"{areas.STOCKHOLM}-"):
            name = unit.name.casefold()
            found[name] = unit.code
            found[f"{name} stadsdelsområde"] = unit.code
            found[f"{name} sdo"] = unit.code
    found.update(layout.stadsdelar)
    return found


def _two_rows(top: list[str], bottom: list[str]) -> list[str]:
    """Two header rows as one: the top row's text carried right over its merged (empty)
    cells, joined with the row below (``U28544`` over ``2021`` -> ``U28544 2021``)."""
    out, carried = [], ""
    for i in range(max(len(top), len(bottom))):
        above = top[i] if i < len(top) else ""
        below = bottom[i] if i < len(bottom) else ""
        if above:
            carried = above
        if not below:
            out.append(above)
            carried = "" if not above else carried
        else:
            out.append(f"{carried} {below}".strip())
    return out
