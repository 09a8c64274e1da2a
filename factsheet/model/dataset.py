"""What a workbook says, as one tidy long table, and the query API the resolver reads.

Every reader (the ÖJ sheets in any layout ``workbook.yaml`` describes, a tidy CSV, a Kolada
export) produces the same thing: ``Row``s of (area, year, indicator, value or answer, numerator,
denominator, source cell). ``Dataset.from_rows`` indexes them; riket and län values missing from
the rows are computed from the unit rows by ``aggregate`` (the documented rules in
docs/workbook.md).
"""

from __future__ import annotations

import gc
import math
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from operator import attrgetter
from typing import Any

from factsheet.model import areas


@dataclass(frozen=True)
class AnswerMap:
    """Texts meaning yes, no and no answer; ``levels`` keeps the text as written (three-level
    answers such as "Ja, för alla" / "Ja, men inte för alla" / "Nej")."""

    yes: frozenset[str]
    no: frozenset[str]
    missing: frozenset[str]
    levels: bool = False


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
    header_label: str = ""
    header_rows: int = 1
    stop_at_non_code: bool = False
    wide_years: str = ""
    text_numbers: bool = False
    answer_maps: dict[str, AnswerMap] = field(default_factory=dict)
    stadsdelar: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    kolada: dict[str, Any] = field(default_factory=dict)
    # A sheet's own header row or label (sheet name -> (row, label)), given under ``sheets:``.
    sheet_headers: dict[str, tuple[int, str]] = field(default_factory=dict)
    # The keys written in workbook.yaml (``columns.year``, ``sheets.all.header_row``) -> their
    # place (``workbook.yaml:12``), for the unused-key check; not part of the cache key.
    given: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # The version of the reader's checks: part of the layout's repr, so of the cache key, so a
    # workbook read under older checks is checked again.
    rules: int = 4

    def answer_map(self, indicator: str) -> AnswerMap:
        return self.answer_maps.get(indicator) or AnswerMap(self.yes, self.no, self.missing)

    def header(self, sheet: str) -> tuple[int, str]:
        """The sheet's header row and label (a label, when not empty, finds the row)."""
        return self.sheet_headers.get(sheet, (self.header_row, self.header_label))


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    type: str
    unit: str
    description: str
    method: str  # "share" or "ratio"
    where: str = ""  # the cell (or workbook.yaml line) of its name, which a legend may print


@dataclass(frozen=True)
class Value:
    """An area value (percent) and the cell it came from; ``value`` None = no value. A value
    computed from unit rows names the rows' cells (``Kommun!F4:F1815``) in ``cell``."""

    value: float | None
    cell: str


@dataclass(frozen=True)
class Unit:
    """A responding unit (kommun or stadsdel)."""

    code: str
    name: str
    county: str


@dataclass(frozen=True)
class Row:
    """One row of the tidy table: an area's value, or a unit's answer or counts, in a year.

    Riket and län rows carry ``value`` (percent); unit rows carry ``answer`` (yes/no, with
    ``level`` the text as written when the indicator keeps levels) or, for a ratio measure,
    ``numerator``/``denominator``. A unit row with nothing says the unit took part that year
    but has no answer."""

    area: str
    year: int
    indicator: str
    value: float | None = None
    answer: bool | None = None
    numerator: int | None = None
    denominator: int | None = None
    cell: str = ""
    level: str = ""


@dataclass
class Dataset:
    """Everything read from one workbook: the tidy rows and indexes over them."""

    path: str
    synthetic: bool
    indicators: dict[str, Indicator]
    values: dict[tuple[str, str, int], Value]  # (area code, indicator, year); riket is "00"
    units: dict[str, Unit]
    answers: dict[tuple[str, str, int], Any] = field(default_factory=dict)  # (unit, ind, year)
    unit_years: dict[int, list[str]] = field(default_factory=dict)
    _rows: list[Row] = field(default_factory=list)
    levels: dict[tuple[str, str, int], str] = field(default_factory=dict)  # answers as written
    computed: bool = False  # riket and län computed from the unit rows
    # The rows as the build cache holds them (lists of the fields, checked), made into ``Row``s
    # only when ``rows`` is asked for: a build reads the indexes, not the rows.
    _packed: list[list[Any]] | None = field(default=None, repr=False, compare=False)

    @property
    def rows(self) -> list[Row]:
        """The tidy rows."""
        if self._packed is not None:
            self._rows, self._packed = _made_rows(self._packed), None
        return self._rows

    @classmethod
    def from_rows(
        cls,
        path: str,
        synthetic: bool,
        indicators: dict[str, Indicator],
        units: dict[str, Unit],
        rows: list[Row],
    ) -> Dataset:
        """Index the tidy rows. Unit rows give ``answers`` (True/False, or the counts of a
        ratio measure) and ``unit_years``; riket and län rows give ``values``."""
        fields_of = list(map(_fields_of, rows))
        return cls(
            path,
            synthetic,
            indicators,
            units=units,
            _rows=rows,
            **_index(indicators, units, fields_of),
        )

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

    def has_units(self, indicator: str) -> bool:
        """Whether any kommun or stadsdel has an answer for the indicator (its column is on the
        kommun sheet)."""
        if not hasattr(self, "_answered"):
            self._answered = {ind for (_, ind, _) in self.answers}
        return indicator in self._answered

    def unit_column(self, indicator: str) -> str:
        """Where the unit rows of the indicator were read (``Kommun!H4:H1815``, the first and
        the last cell); "" when no unit row names a cell (no column on the kommun sheet)."""
        cells = [
            r.cell
            for r in self.rows
            if r.indicator == indicator and r.cell and r.area in self.units
        ]
        if not cells:
            return ""
        first, last = cells[0], cells[-1]
        if first == last:
            return first
        sheet, _, cell = last.rpartition("!")
        return f"{first}:{cell}" if sheet and first.startswith(f"{sheet}!") else f"{first}–{last}"

    def units_in(self, county: str, year: int) -> list[str]:
        """The responding units (kommuner, stadsdelar) of a county in a year."""
        return [u for u in self.unit_years.get(year, []) if self.units[u].county == county]

    def unit_share(self, unit: str, indicator: str, year: int) -> float | None:
        """A unit's own value of a ratio measure (percent, from its counts); None if missing."""
        answer = self.answers.get((unit, indicator, year))
        if not isinstance(answer, tuple):
            return None
        numerator, denominator = answer
        return 100 * numerator / denominator

    def answer_level(self, unit: str, indicator: str, year: int) -> str | None:
        """A unit's answer as written, for indicators whose answers keep their levels
        ("Ja, för alla"); None otherwise or when the unit has no answer."""
        return self.levels.get((unit, indicator, year))

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


# ----------------------------------------------------------------- riket and län from units


def round1(value: Fraction) -> float:
    """Half up to one decimal, as the published values are stored."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def aggregate(
    rows: list[Row],
    indicators: dict[str, Indicator],
    units: dict[str, Unit],
    threshold: int,
    response_indicator: str,
) -> list[Row]:
    """Riket and län rows computed from the unit rows (docs/workbook.md):

    - a yes/no indicator: 100 × units answering yes / units answering yes or no;
    - the response indicator (``response_indicator``): yes among all units of the area;
    - a ratio measure: 100 × Σ numerators / Σ denominators over the units reporting both;
    - a län has no value when more than ``threshold`` % of its units lack a value for the
      indicator that year (riket is never suppressed); no value either when nobody answered.

    Each computed row's cell names the unit rows it was computed from."""
    index: dict[tuple[str, int], dict[str, Row]] = {}
    for row in rows:
        if row.area in units:
            index.setdefault((row.indicator, row.year), {})[row.area] = row
    years = sorted({row.year for row in rows if row.area in units})
    present: dict[int, dict[str, None]] = {}
    for row in rows:
        if row.area in units:
            present.setdefault(row.year, {})[row.area] = None
    out: list[Row] = []
    for ind in indicators.values():
        for year in years:
            given = index.get((ind.id, year), {})
            everyone = list(present.get(year, {}))
            groups = [(areas.RIKET, everyone, False)]
            for county in areas.counties():
                members = [u for u in everyone if units[u].county == county.code]
                groups.append((county.code, members, True))
            for code, members, suppress in groups:
                value = _group_value(
                    ind,
                    members,
                    given,
                    threshold if suppress else None,
                    ind.id == response_indicator,
                )
                out.append(Row(code, year, ind.id, value, cell=_cells(members, given)))
    return out


def _group_value(
    ind: Indicator,
    members: list[str],
    given: dict[str, Row],
    threshold: int | None,
    response: bool,
) -> float | None:
    if not members:
        return None
    rows = [given.get(u) for u in members]
    if ind.method == "ratio":
        reported = [
            r
            for r in rows
            if r and r.numerator is not None and r.denominator is not None and r.denominator > 0
        ]
        num = sum(r.numerator or 0 for r in reported)
        den = sum(r.denominator or 0 for r in reported)
        missing = len(members) - len(reported)
    else:
        answered = [r.answer for r in rows if r is not None and r.answer is not None]
        num = answered.count(True)
        den = len(members) if response else len(answered)
        missing = len(members) - len(answered)
    if den == 0:
        return None
    if threshold is not None and Fraction(missing, len(members)) > Fraction(threshold, 100):
        return None
    return round1(Fraction(100 * num, den))


def _cells(members: list[str], given: dict[str, Row]) -> str:
    """The unit rows behind a computed value: ``Kommun!F4:F1815`` when they share a column,
    else the first and the count (``data.csv:2 and 211 more rows``)."""
    cells = [r.cell for u in members if (r := given.get(u)) is not None and r.cell]
    if not cells:
        return "computed from no unit rows"
    first, last = cells[0], cells[-1]
    if len(cells) == 1:
        return f"computed from {first}"
    sheet_a, _, ref_a = first.rpartition("!")
    sheet_b, _, ref_b = last.rpartition("!")
    col_a, col_b = ref_a.rstrip("0123456789"), ref_b.rstrip("0123456789")
    if sheet_a and sheet_a == sheet_b and col_a and col_a == col_b:
        return f"computed from {first}:{ref_b} ({len(cells)} units)"
    return f"computed from {first} … {last} ({len(cells)} units)"


# ----------------------------------------------------------------- the JSON codec (build cache)


def _index(indicators: dict[str, Indicator], units: dict[str, Unit], rows: list[Any]) -> Any:
    """``Dataset``'s indexes over rows given as sequences of ``Row``'s fields, in its order:
    unit rows give ``answers`` (True/False, or a ratio measure's counts), ``levels`` and
    ``unit_years``; riket and län rows give ``values``."""
    values: dict[tuple[str, str, int], Value] = {}
    answers: dict[tuple[str, str, int], Any] = {}
    levels: dict[tuple[str, str, int], str] = {}
    unit_years: dict[int, list[str]] = {}
    seen: set[tuple[int, str]] = set()
    ratio = {i.id for i in indicators.values() if i.method == "ratio"}
    for area, year, indicator, value, answer, numerator, denominator, cell, level in rows:
        key = (area, indicator, year)
        if area in units:
            if (year, area) not in seen:
                seen.add((year, area))
                unit_years.setdefault(year, []).append(area)
            if indicator in ratio:
                counted = numerator is not None and denominator is not None and denominator > 0
                answer = (numerator, denominator) if counted else None
            if answer is not None:
                answers[key] = answer
            if level:
                levels[key] = level
        else:
            values[key] = Value(value, cell)
    return {"values": values, "answers": answers, "unit_years": unit_years, "levels": levels}


def to_json(d: Dataset) -> dict[str, Any]:
    """The dataset as JSON-serialisable data (for the build cache): the tidy rows and what
    describes them; ``from_json`` rebuilds the indexes from the rows."""
    return {
        "synthetic": d.synthetic,
        "computed": d.computed,
        "indicators": [list(vars(i).values()) for i in d.indicators.values()],
        "units": [[u.code, u.name, u.county] for u in d.units.values()],
        "rows": [list(vars(r).values()) for r in d.rows],
    }


# The type of each field as the JSON holds it: a cache entry is a file anyone can edit (or a
# disk can damage), so what it returns is checked as strictly as a workbook cell.
_TEXT, _INT = (str,), (int,)
_INDICATOR = (_TEXT,) * 7
_UNIT = (_TEXT,) * 3
_ROW: tuple[tuple[Any, ...], ...] = (_TEXT, _INT, _TEXT, (int, float, None), (bool, None))
_ROW += ((int, None), (int, None), _TEXT, _TEXT)


def _typed(row: Any, kinds: tuple[tuple[Any, ...], ...]) -> list[Any]:
    """``row`` when it is a list of ``len(kinds)`` values of those types; TypeError else."""
    if not isinstance(row, list) or len(row) != len(kinds):
        raise TypeError(f"expected {len(kinds)} fields, got {row!r:.80}")
    for value, allowed in zip(row, kinds, strict=True):
        if value is None and None in allowed:
            continue
        types = tuple(k for k in allowed if k is not None)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise TypeError(f"unexpected {value!r:.40} in {row!r:.80}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} is not a number of the workbook")
    return row


def _finite(values: list[float]) -> bool:
    """No NaN or infinity among ``values`` (their exact sum is finite unless one is not)."""
    try:
        return math.isfinite(math.fsum(values))
    except OverflowError:  # finite values too large for a float sum: not percentages
        return False


def _rows(rows: Any, kinds: tuple[tuple[Any, ...], ...]) -> list[list[Any]]:
    """``rows`` when every row is ``_typed``; checked a column at a time (JSON gives exact
    types: ``type(v)`` is str, int, float, bool or None), row by row only to name a bad one."""
    if not isinstance(rows, list):
        raise TypeError("expected a list")
    width = len(kinds)
    if all(type(row) is list and len(row) == width for row in rows):
        exact = [{type(None) if k is None else k for k in allowed} for allowed in kinds]
        columns = list(zip(*rows, strict=True)) if rows else []
        good = all(set(map(type, col)) <= ok for col, ok in zip(columns, exact, strict=True))
        finite = all(_finite([v for v in col if type(v) is float]) for col in columns)
        if good and finite:
            return rows
    return [_typed(row, kinds) for row in rows]  # raises, naming the first bad row


_ROW_FIELDS = tuple(f.name for f in fields(Row))
_fields_of = attrgetter(*_ROW_FIELDS)  # a Row -> the tuple of its fields, in order
_new = object.__new__


def _row(values: list[Any]) -> Row:
    """``Row(*values)`` for values ``_rows`` has checked, without the frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` a field: a third of reading the cache entry)."""
    row = _new(Row)
    row.__dict__.update(zip(_ROW_FIELDS, values, strict=True))
    return row


def _made_rows(checked: list[list[Any]]) -> list[Row]:
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of rows that hold no cycles: nothing for it to collect
    try:
        return [_row(r) for r in checked]
    finally:
        if enabled:
            gc.enable()


def from_json(raw: dict[str, Any], path: str) -> Dataset:
    """The dataset ``to_json`` gave (read from ``path``); ValueError, KeyError or TypeError
    when ``raw`` has another shape. The indexes are built from the checked lists; the ``Row``s
    are made only if asked for."""
    indicators = {row[0]: Indicator(*_typed(row, _INDICATOR)) for row in raw["indicators"]}
    units = {code: Unit(code, name, county) for code, name, county in _rows(raw["units"], _UNIT)}
    checked = _rows(raw["rows"], _ROW)
    if not isinstance(raw["synthetic"], bool) or not isinstance(raw["computed"], bool):
        raise TypeError("synthetic and computed are true or false")
    indexes = _index(indicators, units, checked)
    return Dataset(
        path,
        bool(raw["synthetic"]),
        indicators,
        units=units,
        computed=bool(raw["computed"]),
        _packed=checked,
        **indexes,
    )
