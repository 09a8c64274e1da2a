"""What every workbook reader shares: how a cell's text, number, percentage, count, answer, area
code and year are read (``Cells``), a sheet's header and rows (``Sheet``), and the rows read ->
``Dataset`` with riket and län computed when the file has only kommun rows (``finish``). The
readers (``workbook`` for ÖJ sheets, ``tidy`` for a tidy CSV, ``kolada`` for a Kolada export)
import from here, never from each other."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factsheet.errors import Problem, WorkbookError, did_you_mean
from factsheet.model import areas
from factsheet.model.dataset import Dataset, Indicator, Layout, Row, Unit, Value, aggregate

LAYOUT_FILE = "workbook.yaml"
MAX_ROWS = 200_000
MAX_PROBLEMS = 50  # problems listed; the rest are counted
MAX_FOUND = 1_000  # problems found before a reader stops reading: the input is refused anyway


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (as Excel names columns)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Header or cell text as compared: NFC, no-break and other spaces as one space.
    Remembered: a sheet repeats a few texts (Ja, Nej, codes) thousands of times."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\xa0", " ").split())


def capped(problems: list[Problem], where: str, shown: int | None = None) -> list[Problem]:
    """The first ``MAX_PROBLEMS`` problems and a last line counting the rest."""
    limit = MAX_PROBLEMS if shown is None else shown
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    return [
        *problems[:limit],
        Problem(where, f"... and {rest} more problems (the first {limit} are listed)"),
    ]


class Cells:
    """How cell values are read: percentages, counts, answers, codes, years. Collects
    problems; shared by every reader."""

    def __init__(self, path: Path, layout: Layout) -> None:
        self.path, self.layout = path, layout
        self.problems: list[Problem] = []
        self.text_numbers = layout.text_numbers  # a CSV holds only text
        # (indicator, type, value) -> the answer it reads as; the same few values recur
        self._answers: dict[tuple[str, type, Any], tuple[bool | None, str]] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def missing(self, raw: Any) -> bool:
        return raw is None or (isinstance(raw, str) and clean(raw) in self.layout.missing)

    def number(self, raw: Any) -> float | None:
        number = _number(raw)
        if number is None and self.text_numbers and isinstance(raw, str):
            text = clean(raw).replace(" ", "").replace(",", ".")
            if _PLAIN_NUMBER.match(text):
                number = float(text)
        return number

    def percentage(self, raw: Any, where: str) -> float | None:
        if self.missing(raw):
            return None
        number = self.number(raw)
        if number is None or not 0 <= number <= 100:
            numeric_text = isinstance(raw, str) and _NUMERIC_TEXT.match(raw)
            hint = " (a number stored as text)" if numeric_text and number is None else ""
            self.fail(where, f"expected a percentage 0–100, got {raw!r}{hint}")
            return None
        return number

    def count(self, raw: Any, where: str) -> int | None:
        if self.missing(raw):
            return None
        number = self.number(raw)
        if number is None or number < 0 or not number.is_integer():
            self.fail(where, f"expected a count (a whole number ≥ 0), got {raw!r}")
            return None
        return int(number)

    def yes_no(self, raw: Any, where: str, indicator: str = "") -> bool | None:
        return self.answer(raw, where, indicator)[0]

    def answer(self, raw: Any, where: str, indicator: str = "") -> tuple[bool | None, str]:
        """(yes/no/None, the answer as written when the indicator keeps levels)."""
        key = (indicator, type(raw), raw)  # with the type: True == 1 == 1.0 as keys
        try:
            found = self._answers.get(key)
            remember = True
        except TypeError:  # an unhashable value: read it as it is
            found, remember = None, False
        if found is not None:
            return found
        words = self.layout.answer_map(indicator)
        number = _number(raw)
        if number is not None and number.is_integer():
            text = str(int(number))
        else:
            text = "" if raw is None else clean(str(raw))
        level = text if words.levels else ""
        if text in words.yes or text in words.no:
            found = (text in words.yes, level)
            if remember:
                self._answers[key] = found  # a problem is not remembered: it is reported
            return found
        if text not in words.missing:
            expected = "/".join(sorted(words.yes | words.no))
            self.fail(where, f"expected {expected}, got {raw!r}")
        return None, ""

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
        code = clean(str(raw or ""))
        if code in valid:
            return code
        padded = code.zfill(width)
        if code.isdigit() and code.isascii() and padded in valid:
            self.fail(where, f"area code {code!r} lost its leading zero (expected {padded!r})")
        else:
            self.fail(where, f"unknown area code {code!r}")
        return None


# The old name: tests and tools reach the cell readers through it.
class _Reader(Cells):
    def __init__(self, path: Path, layout: Layout, book: Any = None) -> None:
        super().__init__(path, layout)


INDICATOR_ID = re.compile(r"^[A-Z][A-Z0-9]*\d$")
_NUMERIC_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*%?\s*$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


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


# ------------------------------------------------------------------------------ the sheets


class Sheet:
    """One sheet's header and its data rows, streamed."""

    def __init__(self, name: str, headers: list[str], header_at: int, rows: Iterator[Any]):
        self.name, self.headers, self.header_at, self.rows = name, headers, header_at, rows
        self.index = {h: i for i, h in reversed(list(enumerate(headers))) if h}
        self._letters: dict[int, str] = {}  # column -> "Sheet!AB"

    def cell(self, column: int, row: int) -> str:
        letters = self._letters.get(column)
        if letters is None:
            letters = self._letters[column] = f"{self.name}!{column_letter(column + 1)}"
        return f"{letters}{row}"

    def header_cell(self, column: int) -> str:
        return self.cell(column, self.header_at)

    @property
    def header_range(self) -> str:
        return f"{self.name}!{self.header_at}:{self.header_at}"


# ----------------------------------------------------------------------- the tidy table done


def finish(reader: Cells, path: str, synthetic: bool, indicators: dict[str, Indicator]) -> Dataset:
    """The rows read -> a Dataset: riket and län computed from the unit rows when the file
    has none (docs/workbook.md); every problem raised, the list capped."""
    rows: list[Row] = getattr(reader, "rows_out", [])
    units: dict[str, Unit] = getattr(reader, "units", {})
    for ident in reader.layout.answer_maps:
        if ident not in indicators:
            reader.fail(
                f"{LAYOUT_FILE}: answer_maps.{ident}",
                f"no indicator {ident!r} in the workbook" + did_you_mean(ident, indicators),
            )
    if reader.problems:
        raise WorkbookError(capped(reader.problems, path))
    published = any(r.area not in units for r in rows)
    if not published:
        if not units:
            raise WorkbookError(Problem(path, "no rows for riket, län or any kommun"))
        layout = reader.layout
        for ident in (layout.response_indicator,):
            if ident not in indicators:
                reader.fail(
                    f"{LAYOUT_FILE}: response_indicator",
                    f"{ident!r} is not an indicator of the workbook",
                )
        if reader.problems:
            raise WorkbookError(capped(reader.problems, path))
        rows = rows + aggregate(
            rows, indicators, units, layout.suppression_threshold, layout.response_indicator
        )
    data = Dataset.from_rows(path, synthetic, indicators, units, rows)
    data.computed = not published
    return data


# ------------------------------------------------------------------------- fraction checks


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
