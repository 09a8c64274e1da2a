"""What a workbook says: indicators, published values with their cells, unit answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factsheet.model import areas


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
    # The version of the reader's checks: part of the layout's repr, so of the cache key, so a
    # workbook read under older checks is checked again.
    rules: int = 2


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

    def unit_share(self, unit: str, indicator: str, year: int) -> float | None:
        """A unit's own value of a ratio measure (percent, from its counts); None if missing."""
        answer = self.answers.get((unit, indicator, year))
        if not isinstance(answer, tuple):
            return None
        numerator, denominator = answer
        return 100 * numerator / denominator

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


def to_json(d: Dataset) -> dict[str, Any]:
    """The dataset as JSON-serialisable data (for the build cache); ``from_json`` reverses it."""
    return {
        "synthetic": d.synthetic,
        "indicators": [list(vars(i).values()) for i in d.indicators.values()],
        "values": [[*k, v.value, v.cell] for k, v in d.values.items()],
        "units": [[u.code, u.name, u.county] for u in d.units.values()],
        "answers": [[*k, v] for k, v in d.answers.items()],
        "unit_years": [[y, codes] for y, codes in d.unit_years.items()],
    }


def from_json(raw: dict[str, Any], path: str) -> Dataset:
    """The dataset ``to_json`` gave (read from ``path``); ValueError, KeyError or TypeError
    when ``raw`` has another shape."""
    indicators = {row[0]: Indicator(*row) for row in raw["indicators"]}
    values = {(a, i, int(y)): Value(v, cell) for a, i, y, v, cell in raw["values"]}
    units = {code: Unit(code, name, county) for code, name, county in raw["units"]}
    answers = {
        (u, i, int(y)): (tuple(v) if isinstance(v, list) else v) for u, i, y, v in raw["answers"]
    }
    unit_years = {int(y): list(codes) for y, codes in raw["unit_years"]}
    return Dataset(path, bool(raw["synthetic"]), indicators, values, units, answers, unit_years)
