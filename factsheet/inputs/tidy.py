"""The tidy input (docs/workbook.md#the-tidy-table): one row per area, year and indicator, in a
CSV (``--workbook data.csv``) or a sheet (``sheets: {tidy: Data}``).

Columns: ``area``, ``year``, ``indicator`` and, as the row needs, ``value`` (a riket or län
percentage), ``answer`` (a unit's answer, as ``answers``/``answer_maps`` say) or ``numerator``
and ``denominator`` (a unit's counts for a ratio measure). Kommun rows alone are enough: riket
and län are then computed by the documented rules. Indicators are described in
``workbook.yaml`` (``indicators:``) or, for a sheet, in the indicator sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from factsheet.errors import Problem, WorkbookError, did_you_mean
from factsheet.inputs.cells import MAX_ROWS, Cells, Sheet, clean, finish, year_value
from factsheet.model import areas
from factsheet.model.dataset import Dataset, Indicator, Layout, Row, Unit

COLUMNS = ("area", "year", "indicator", "value", "answer", "numerator", "denominator")
REQUIRED = ("area", "year", "indicator")

# A record: the row's place ("data.csv:12"), a cell's place by column, the values by column.
Record = tuple[str, Callable[[str], str], dict[str, Any]]


class TidyReader(Cells):
    def __init__(
        self,
        path: Path,
        layout: Layout,
        indicators: dict[str, Indicator],
        columns: Iterable[str] = COLUMNS,
        header_at: str = "",
    ) -> None:
        super().__init__(path, layout)
        self.indicators = indicators
        self.rows_out: list[Row] = []
        self.units: dict[str, Unit] = {}
        self.seen: dict[tuple[str, int, str], str] = {}
        self.columns, self.header_at = set(columns), header_at or str(path)
        self.named: set[str] = set()  # indicators on some row, whatever else is wrong with it
        self.lacking: set[str] = set()  # columns missing that a row needs, each said once

    def read(self, records: Iterable[Record]) -> None:
        counties = {c.code for c in areas.counties()}
        units = areas.units()
        for row_at, cell, raw in records:
            code = self.code(raw.get("area"), cell("area"), counties, units)
            year = year_value(raw.get("year"))
            if year is None:
                self.fail(cell("year"), f"expected a year, got {raw.get('year')!r}")
            ident = clean(str(raw.get("indicator") or ""))
            self.named.add(ident)
            indicator = self.indicators.get(ident)
            if indicator is None:
                hint = did_you_mean(ident, self.indicators)
                self.fail(cell("indicator"), f"unknown indicator {ident!r}{hint}")
            if code is None or year is None or indicator is None:
                continue
            key = (code, year, ident)
            if key in self.seen:
                self.fail(
                    row_at, f"a second row for {code} {year} {ident} (first: {self.seen[key]})"
                )
                continue
            self.seen[key] = row_at
            if code in units:
                self.unit_row(code, year, indicator, raw, cell)
            else:
                self.area_row(code, year, ident, raw, cell)

    def code(self, raw: Any, where: str, counties: set[str], units: dict[str, str]) -> str | None:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return self.area_code(raw, where, units)
        code = clean(str(raw or ""))
        if code == areas.STOCKHOLM:
            self.fail(
                where,
                "0180 is Stockholm stad, which answers as its stadsdelar: "
                "use their codes (0180-01 … 0180-13)",
            )
            return None
        if code == areas.RIKET or code in counties or code in units:
            return code
        return self.area_code(code, where, units if len(code) > 2 else counties)

    def unit_row(
        self, code: str, year: int, ind: Indicator, raw: dict[str, Any], cell: Callable[[str], str]
    ) -> None:
        self.units.setdefault(code, Unit(code, areas.area_name(code), areas.units()[code]))
        if not self.missing(raw.get("value")):
            self.fail(
                cell("value"), "a kommun or stadsdel row has an answer or counts, not a value"
            )
        kind = "a ratio measure" if ind.method == "ratio" else "answered yes or no"
        for column in ("numerator", "denominator") if ind.method == "ratio" else ("answer",):
            self.need(column, f"the kommun and stadsdel rows of {ind.id} ({kind}) need it")
        if ind.method == "ratio":
            num = self.count(raw.get("numerator"), cell("numerator"))
            den = self.count(raw.get("denominator"), cell("denominator"))
            if num is not None and den is not None and num > den:
                self.fail(
                    cell("numerator"), f"numerator {num} is larger than the denominator {den}"
                )
                num = den = None
            self.rows_out.append(
                Row(code, year, ind.id, numerator=num, denominator=den, cell=cell("numerator"))
            )
            return
        answer, level = self.answer(raw.get("answer"), cell("answer"), ind.id)
        self.rows_out.append(
            Row(code, year, ind.id, answer=answer, cell=cell("answer"), level=level)
        )

    def need(self, column: str, why: str) -> None:
        """A column the rows need is missing: said once, at the header."""
        if column not in self.columns and column not in self.lacking:
            self.lacking.add(column)
            self.fail(self.header_at, f"column {column!r} missing: {why}")

    def area_row(
        self, code: str, year: int, ident: str, raw: dict[str, Any], cell: Callable[[str], str]
    ) -> None:
        self.need("value", f"the riket and län rows ({ident}) need it")
        for column in ("answer", "numerator", "denominator"):
            if not self.missing(raw.get(column)):
                self.fail(cell(column), "a riket or län row has a value, not answers or counts")
                return
        value = self.percentage(raw.get("value"), cell("value"))
        self.rows_out.append(Row(code, year, ident, value, cell=cell("value")))

    def complete(self, where: str) -> None:
        """With riket or län rows: every län and riket for every year and indicator given."""
        given = {(r.area, r.year, r.indicator) for r in self.rows_out if r.area not in self.units}
        if not given:
            return
        wanted = {(y, i) for _, y, i in given}
        codes = [areas.RIKET, *(c.code for c in areas.counties())]
        lacking = [(c, y, i) for y, i in sorted(wanted) for c in codes if (c, y, i) not in given]
        for code, year, ident in lacking[:20]:
            self.fail(where, f"no row for area {code!r}, {year}, {ident} (other areas have one)")
        if len(lacking) > 20:
            self.fail(where, f"{len(lacking) - 20} more area rows lacking")

    def unread(self, source: str) -> None:
        """Every indicator described has rows: one without any would print as 'no value'."""
        for ident, indicator in self.indicators.items():
            if ident not in self.named:
                self.fail(
                    indicator.where or source,
                    f"indicator {ident!r} has no rows in {source}: add its rows, or delete "
                    "the indicator",
                )

    def dataset(self, synthetic: bool) -> Dataset:
        self.complete(str(self.path))
        self.unread(self.path.name)
        return finish(self, str(self.path), synthetic, self.indicators)


def read_csv(path: Path, layout: Layout) -> Dataset:
    """A tidy CSV (UTF-8, comma, semicolon or tab separated; lines starting with ``#`` before
    the header are comments, the synthetic marker among them)."""
    import pandas as pd  # only here: reshaping and typed reading of large CSVs

    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkbookError(
            Problem(where, f"not UTF-8 text (byte {exc.start}): save the CSV as UTF-8")
        ) from None
    except OSError as exc:
        raise WorkbookError(Problem(where, f"cannot read it: {exc.strerror}")) from None
    lines = text.splitlines()
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    synthetic = any(layout.synthetic_marker in line for line in lines[:skipped])
    if skipped == len(lines):
        raise WorkbookError(Problem(where, "no header line (area,year,indicator,…)"))
    header = lines[skipped]
    sep = max((",", ";", "\t"), key=header.count)
    if len(lines) - skipped - 1 > MAX_ROWS:
        raise WorkbookError(Problem(where, f"more than {MAX_ROWS} rows"))
    try:
        frame = pd.read_csv(
            io.StringIO("\n".join(lines[skipped:])),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(Problem(where, f"not a readable CSV: {first}")) from None
    columns = [clean(str(c)) for c in frame.columns]
    frame.columns = columns
    problems = _column_problems(columns, f"{path}:{skipped + 1}")
    if problems:
        raise WorkbookError(problems)
    reader = TidyReader(path, layout, dict(layout.indicators), columns, f"{path}:{skipped + 1}")
    reader.text_numbers = True
    if not reader.indicators:
        raise WorkbookError(
            Problem(where, "no indicators: describe them under 'indicators:' in workbook.yaml")
        )
    reader.read(_csv_records(frame, path, skipped + 2))
    return reader.dataset(synthetic)


def _csv_records(frame: Any, path: Path, first_line: int) -> Iterator[Record]:
    names = list(frame.columns)
    for offset, values in enumerate(frame.itertuples(index=False, name=None)):
        if not any(v.strip() for v in values):
            continue
        line = f"{path}:{first_line + offset}"
        raw = {n: (v if v.strip() else None) for n, v in zip(names, values, strict=True)}

        def cell(column: str, at: str = line) -> str:
            return f"{at}: {column}"

        yield line, cell, raw


def _column_problems(columns: list[str], where: str) -> list[Problem]:
    problems = []
    for name in columns:
        if name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS)
            problems.append(Problem(where, f"unknown column {name!r}{hint}"))
    for name in REQUIRED:
        if name not in columns:
            problems.append(Problem(where, f"column {name!r} missing"))
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        problems.append(Problem(where, f"column {twice[0]!r} appears twice"))
    return problems


def read_rows(reader: Any, sheet: Sheet) -> None:
    """The tidy table in a sheet of a workbook (``sheets: {tidy: …}``)."""
    problems = _column_problems([h for h in sheet.headers if h], sheet.header_range)
    if problems:
        reader.problems += problems
        return
    headers = [h for h in sheet.headers if h]
    tidy = TidyReader(reader.path, reader.layout, reader.indicators, headers, sheet.header_range)
    tidy.problems = reader.problems
    tidy.read(_sheet_records(sheet))
    tidy.complete(sheet.name)
    tidy.unread(f"sheet {sheet.name!r}")
    reader.rows_out += tidy.rows_out
    reader.units.update(tidy.units)


def _sheet_records(sheet: Sheet) -> Iterator[Record]:
    for number, row in sheet.rows:
        if not any(v is not None and v != "" for v in row):
            continue
        raw = {h: row[i] if i < len(row) else None for h, i in sheet.index.items()}

        def cell(column: str, number: int = number) -> str:
            return sheet.cell(sheet.index.get(column, 0), number)

        yield f"{sheet.name}!{number}:{number}", cell, raw
