"""A saved Kolada v3 export (``--workbook export.json``) -> tidy rows (docs/workbook.md#kolada).

Kolada publishes the ÖJ answers per kommun as KPI values (1/0, or 2/1/0 for three-level
answers). ``workbook.yaml`` maps KPIs to indicators (``kolada.kpis``), says which values count
as yes and no, and which KPIs hold the counts of a ratio measure. Kolada's group values (riket
``0000``, län ``0001``–``0025``) are unweighted means of the kommuner, not the survey's
shares, so they are checked but not used: riket and län are computed from the kommun rows.
Kolada has no Stockholm stadsdelar: Stockholm stad (``0180``) is one kommun there and is left
out, so Stockholms län is computed without it. No network: the file is a saved export.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from factsheet.errors import Problem, WorkbookError
from factsheet.inputs.cells import MAX_ROWS, Cells, finish, year_value
from factsheet.model import areas
from factsheet.model.dataset import Dataset, Layout, Row, Unit

_GROUP = re.compile(r"^00(\d\d)$")


class KoladaReader(Cells):
    def __init__(self, path: Path, layout: Layout) -> None:
        super().__init__(path, layout)
        self.rows_out: list[Row] = []
        self.units: dict[str, Unit] = {}
        mapping = layout.kolada
        self.kpis: dict[str, str] = dict(mapping.get("kpis", {}))
        self.counts: dict[str, tuple[str, str]] = {}
        for ident, spec in mapping.get("counts", {}).items():
            self.counts[spec["numerator"]] = (ident, "numerator")
            self.counts[spec["denominator"]] = (ident, "denominator")
        self.yes = {float(v) for v in mapping.get("yes", [])}
        self.no = {float(v) for v in mapping.get("no", [])}

    def read(self, entries: list[Any]) -> Dataset:
        where = str(self.path)
        indicators = self.layout.indicators
        for kpi, ident in self.kpis.items():
            if ident not in indicators:
                self.fail(
                    f"workbook.yaml: kolada.kpis.{kpi}",
                    f"{ident!r} is not one of the indicators described under 'indicators:'",
                )
        counts: dict[tuple[str, int, str], dict[str, tuple[int | None, str]]] = {}
        answers: dict[tuple[str, int, str], tuple[bool | None, str]] = {}
        units = areas.units()
        present: set[tuple[str, int]] = set()
        for number, entry in enumerate(entries):
            at = f"{where}: values[{number}]"
            if not isinstance(entry, dict):
                self.fail(at, "expected an object with kpi, municipality, period and values")
                continue
            kpi = str(entry.get("kpi", ""))
            area = str(entry.get("municipality", entry.get("municipality_id", "")))
            year = year_value(entry.get("period"))
            if year is None:
                self.fail(at, f"period: expected a year, got {entry.get('period')!r}")
                continue
            if kpi not in self.kpis and kpi not in self.counts:
                continue  # KPIs of other questions in the same export
            if _GROUP.match(area) or area == areas.STOCKHOLM:
                continue  # group means; Stockholm stad (no stadsdelar in Kolada)
            if area not in units:
                self.fail(at, f"municipality: unknown kommun id {area!r}")
                continue
            if _deleted(entry.get("values")):
                continue  # a value Kolada has withdrawn
            value = _total(entry.get("values"))
            present.add((area, year))
            if kpi in self.kpis:
                answers[area, year, self.kpis[kpi]] = (self.answer_of(value, at), at)
            else:
                ident, role = self.counts[kpi]
                counts.setdefault((area, year, ident), {})[role] = (self.count(value, at), at)
        self.unvalued(answers, counts)
        for area, year in sorted(present):
            self.units.setdefault(area, Unit(area, areas.area_name(area), units[area]))
            for ind in indicators.values():
                if ind.method == "ratio":
                    got = counts.get((area, year, ind.id), {})
                    num, at = got.get("numerator", (None, ""))
                    den, _ = got.get("denominator", (None, ""))
                    if num is not None and den is not None and (den == 0 or num > den):
                        if num > den:
                            self.fail(at, f"numerator {num} is larger than the denominator {den}")
                        num = den = None
                    self.rows_out.append(
                        Row(area, year, ind.id, numerator=num, denominator=den, cell=at)
                    )
                else:
                    answer, at = answers.get((area, year, ind.id), (None, ""))
                    self.rows_out.append(Row(area, year, ind.id, answer=answer, cell=at))
        return finish(self, where, False, dict(indicators))

    def unvalued(
        self, answers: dict[tuple[str, int, str], Any], counts: dict[tuple[str, int, str], Any]
    ) -> None:
        """Every indicator described has a KPI and values in the export: one without would
        print as 'no value' in every sheet."""
        valued = {key[2] for key in answers} | {key[2] for key in counts}
        mapped = set(self.kpis.values()) | {ident for ident, _ in self.counts.values()}
        for ident, indicator in self.layout.indicators.items():
            where = indicator.where or "workbook.yaml: indicators"
            if ident not in mapped:
                self.fail(
                    where,
                    f"indicator {ident!r} has no KPI under kolada.kpis or kolada.counts: map "
                    "one to it, or delete the indicator",
                )
            elif ident not in valued:
                kpis = sorted(k for k, i in self.kpis.items() if i == ident)
                kpis += sorted(k for k, (i, _) in self.counts.items() if i == ident)
                self.fail(
                    where,
                    f"indicator {ident!r} has no values in {self.path.name} (KPI "
                    f"{', '.join(kpis)}): export them too, or delete the indicator",
                )

    def answer_of(self, value: float | None, at: str) -> bool | None:
        if value is None:
            return None
        if value in self.yes:
            return True
        if value in self.no:
            return False
        expected = "/".join(f"{v:g}" for v in sorted(self.yes | self.no))
        self.fail(at, f"expected {expected} (kolada yes/no), got {value:g}")
        return None


def _deleted(values: Any) -> bool:
    return isinstance(values, list) and any(
        isinstance(item, dict) and item.get("gender", "T") == "T" and item.get("isdeleted")
        for item in values
    )


def _total(values: Any) -> float | None:
    """The value for both genders (``gender: T``), None when null or deleted."""
    if not isinstance(values, list):
        return None
    for item in values:
        if not isinstance(item, dict) or item.get("gender", "T") != "T":
            continue
        if item.get("isdeleted") or item.get("value") is None:
            return None
        raw = item["value"]
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        try:
            return float(str(raw).replace(",", "."))
        except ValueError:
            return None
    return None


def read(path: Path, layout: Layout) -> Dataset:
    where = str(path)
    if not layout.kolada:
        raise WorkbookError(
            Problem(
                where, "a .json workbook is read as a Kolada export: add 'kolada:' to workbook.yaml"
            )
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkbookError(Problem(where, f"not a Kolada JSON export: {exc}")) from None
    except OSError as exc:
        raise WorkbookError(Problem(where, f"cannot read it: {exc.strerror}")) from None
    entries = data.get("values") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise WorkbookError(Problem(where, "not a Kolada v3 export (no 'values' list)"))
    if len(entries) > MAX_ROWS:
        raise WorkbookError(Problem(where, f"more than {MAX_ROWS} values"))
    return KoladaReader(path, layout).read(entries)
