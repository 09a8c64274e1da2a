"""Generate a synthetic ÖJ 2021 LSS result workbook.

The workbook is shaped like a Socialstyrelsen "Öppna jämförelser 2021 – stöd
till personer med funktionsnedsättning LSS" result file, but every figure in
it is made up. It is written to ``content/2021/oj-2021-lss-sample.xlsx``
(override with ``--output``) and is byte-identical between runs.

Layout (every sheet: A1 = ``MARKER``, row 2 empty, row 3 = headers, data
from row 4, panes frozen at A4):

* ``Indikatorer``: ``Id | Namn | Typ | Enhet | Beskrivning | Beräkning``,
  one row per measure in ``MEASURES`` order.
* ``Riket``: ``Kod | Namn | År | U33620 … X90552 | X90560 | X90590 |
  X90591``; one row per year 2016–2021, Kod "00", Namn "Riket".
* ``Län``: same headers as ``Riket``; one row per län and year, sorted by
  year then county code; Kod = county code, Namn = county name.
* ``Kommun``: ``Kod | Namn | Kommunkod | Länskod | År | X90590 | X90591 |
  U33620 … X90552 | X90560 antal handläggare | X90560 varav
  socionomexamen``; one row per responding unit and year, sorted by year
  then Kod. Units are the 289 kommuner other than Stockholm (0180) plus the
  13 Stockholm stadsdelsområden "0180-01" … "0180-13".

Kommun cells: S/U cells hold "Ja" or "Nej"; item non-response is an empty
cell or the text "Uppgift saknas" (alternating); a unit that did not answer
the LSS part (X90591 = "Nej") has every U/B cell empty. X90560 cells are
integer counts, empty when not reported and in 2016–2019. One unit in
Västmanland reports only the number of handläggare in 2021; it counts as
missing for X90560.

Riket and Län values are percentages rounded half-up to one decimal and are
always computed from the Kommun rows (``aggregate``):

* yes/no measures: 100 × #Ja / (#Ja + #Nej);
* X90590/X90591: 100 × #Ja / #units;
* X90560: 100 × Σ socionomer / Σ handläggare over units reporting both.

A län value is suppressed (empty cell) when more than 20 % of its units lack
a value for the measure. The only suppression in the whole workbook is
X90560 in 2021 for Västmanland (19), Jönköping (06) and Västernorrland (22);
2020 has no suppression. X90560 has no data at all in 2016–2019.

All randomness comes from ``random.Random(SEED)`` (SEED = 20210601). Riket
values are chosen to lie within ±0.4 of their integer targets, so they round
to the target under any rounding rule. After saving, the zip is rewritten
with fixed timestamps and attributes; byte identity across machines assumes
the same Python ``random`` implementation and zlib.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import random
import re
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import BoolProperty
from openpyxl.styles import Font
from openpyxl.xml.functions import tostring

REPO_ROOT = Path(__file__).resolve().parents[1]
AREAS_DIR = REPO_ROOT / "factsheet" / "data" / "areas"
DEFAULT_OUTPUT = REPO_ROOT / "content" / "2021" / "oj-2021-lss-sample.xlsx"

SEED = 20210601
YEARS: tuple[int, ...] = tuple(range(2016, 2022))
FIXED_TIME = datetime(2021, 6, 1, 0, 0, 0)
ZIP_DATE_TIME = (2021, 6, 1, 0, 0, 0)
ZIP_EXTERNAL_ATTR = 0o100644 << 16

MARKER = (
    "Syntetiska data – inte Socialstyrelsens statistik. Skapad av "
    "tools/make_sample_workbook.py; värdena för län och kommuner är påhittade."
)
TITLE = "Öppna jämförelser 2021 – Stöd till personer med funktionsnedsättning LSS (syntetiska data)"
DESCRIPTION = "Syntetiska data – inte Socialstyrelsens statistik"

JA, NEJ, MISSING_TEXT = "Ja", "Nej", "Uppgift saknas"
RIKET_CODE, RIKET_NAME = "00", "Riket"
STOCKHOLM = "0180"
GOTLAND = "09"
SUPPRESSION_SHARE = Fraction(1, 5)
SAFE_MARGIN = Decimal("0.4")

GENERAL, LSS_PART, SOCIONOM = "X90590", "X90591", "X90560"
STAFF_HEADER = "X90560 antal handläggare"
SOCIONOM_HEADER = "X90560 varav socionomexamen"

# X90560 in 2021: forced item non-response (units missing / units in län).
SUPPRESSED_2021 = {"19": 4, "06": 4, "22": 2}
PARTIAL_REPORT_COUNTY = "19"


@dataclass(frozen=True)
class Measure:
    """One measure: id, Swedish name, type, calculation and description."""

    id: str
    name: str
    kind: str
    calculation: str
    description: str
    years: tuple[int, ...] = YEARS


def _yes_no(mid: str, name: str, criterion: str) -> Measure:
    """Build a yes/no indicator whose share is 'andel ja'."""
    description = (
        f"Andel kommuner och stadsdelar som svarat Ja på att {criterion}. "
        "Nämnare: kommuner och stadsdelar som besvarat frågan."
    )
    return Measure(mid, name, "indikator", "andel ja", description)


INDICATORS: tuple[Measure, ...] = (
    _yes_no(
        "U33620",
        "Enskildas uppfattning används till att utveckla myndighetsutövningen inom LSS",
        "enskildas uppfattning systematiskt används för att utveckla myndighetsutövningen inom LSS",
    ),
    _yes_no(
        "U33621",
        "Enskildas uppfattning används till att utveckla LSS – utförarverksamheter",
        "enskildas uppfattning systematiskt används för att utveckla "
        "utförarverksamheterna inom LSS",
    ),
    _yes_no(
        "U28544",
        "Använt IBIC (Individens behov i centrum) vid alla utredningar",
        "IBIC har använts vid alla utredningar enligt LSS",
    ),
    _yes_no(
        "U28545",
        "Använt IBIC (Individens behov i centrum) vid alla uppföljningar",
        "IBIC har använts vid alla uppföljningar enligt LSS",
    ),
    _yes_no(
        "X90544",
        "Använt resultat från systematisk uppföljning till verksamhetsutveckling",
        "resultat från systematisk uppföljning har använts för att utveckla verksamheten",
    ),
    _yes_no(
        "U28451",
        "Aktuell skriftlig överenskommelse om samverkan med barn- och ungdomspsykiatrin och LSS",
        "det finns en aktuell skriftlig överenskommelse om samverkan mellan "
        "LSS och barn- och ungdomspsykiatrin",
    ),
    _yes_no(
        "U28454",
        "Aktuell skriftlig överenskommelse om samverkan med vuxenpsykiatri och LSS",
        "det finns en aktuell skriftlig överenskommelse om samverkan mellan "
        "LSS och vuxenpsykiatrin",
    ),
    _yes_no(
        "U28550",
        "Aktuell skriftlig rutin för information om samordnad individuell plan (SIP) – LSS-barn",
        "det finns en aktuell skriftlig rutin för att informera barn med "
        "insatser enligt LSS om SIP",
    ),
    _yes_no(
        "U28551",
        "Aktuell skriftlig rutin för information om samordnad individuell plan (SIP) – LSS-vuxen",
        "det finns en aktuell skriftlig rutin för att informera vuxna med "
        "insatser enligt LSS om SIP",
    ),
    _yes_no(
        "X90550",
        "Aktuell samlad plan för handläggarnas kompetensutveckling",
        "det finns en aktuell samlad plan för LSS-handläggarnas kompetensutveckling",
    ),
    _yes_no(
        "X90551",
        "Aktuell plan för kompetensutveckling som innehåller fortbildning",
        "handläggarnas aktuella kompetensutvecklingsplan innehåller fortbildning",
    ),
    _yes_no(
        "X90552",
        "Aktuell plan för kompetensutveckling som innehåller handledning",
        "handläggarnas aktuella kompetensutvecklingsplan innehåller handledning",
    ),
)
SOCIONOM_MEASURE = Measure(
    SOCIONOM,
    "Andel handläggare med socionomexamen",
    "bakgrundsmått",
    "kvot",
    "Antal LSS-handläggare med socionomexamen i procent av samtliga "
    "LSS-handläggare, summerat över kommuner och stadsdelar som redovisat "
    "båda antalen.",
    (2020, 2021),
)
RESPONSE_MEASURES: tuple[Measure, ...] = (
    Measure(
        GENERAL,
        "Besvarat enkätens generella del",
        "svarsfrekvens",
        "andel ja",
        "Andel kommuner och stadsdelar som besvarat enkätens generella del. "
        "Nämnare: samtliga kommuner och stadsdelar.",
    ),
    Measure(
        LSS_PART,
        "Besvarat delenkäten stöd till personer med funktionsnedsättning, LSS",
        "svarsfrekvens",
        "andel ja",
        "Andel kommuner och stadsdelar som besvarat delenkäten om stöd till "
        "personer med funktionsnedsättning, LSS. Nämnare: samtliga kommuner "
        "och stadsdelar.",
    ),
)
MEASURES: tuple[Measure, ...] = (*INDICATORS, SOCIONOM_MEASURE, *RESPONSE_MEASURES)
MEASURE_BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}
AREA_MEASURE_ORDER: tuple[str, ...] = tuple(m.id for m in MEASURES)
INDICATOR_IDS: tuple[str, ...] = tuple(m.id for m in INDICATORS)

# Riket targets: the riket share rounded half-up to an integer, per year
# 2016–2021 (None = no data that year).
_T = tuple[int | None, ...]
TARGETS: dict[str, _T] = {
    "U33620": (14, 15, 17, 16, 15, 12),
    "U33621": (50, 52, 54, 56, 63, 61),
    "U28544": (12, 14, 17, 19, 36, 41),
    "U28545": (8, 10, 11, 13, 26, 29),
    "X90544": (5, 5, 6, 6, 8, 7),
    "U28451": (36, 35, 34, 35, 31, 32),
    "U28454": (34, 33, 30, 29, 26, 30),
    "U28550": (37, 40, 48, 51, 49, 49),
    "U28551": (36, 40, 47, 49, 49, 49),
    "X90550": (26, 27, 28, 30, 31, 32),
    "X90551": (36, 37, 39, 40, 42, 43),
    "X90552": (31, 32, 34, 35, 37, 38),
    SOCIONOM: (None, None, None, None, 80, 82),
    GENERAL: (95, 96, 93, 94, 95, 94),
    LSS_PART: (96, 95, 96, 94, 96, 95),
}

# X90560 county targets, handed out to counties by descending number of
# reporting handläggare (the largest counties get values near riket).
COUNTY_SOCIONOM_TARGETS: dict[int, tuple[int, ...]] = {
    2020: (80, 79, 81, 92, 63, 78, 83, 76, 85, 74, 87, 71, 88, 69, 82, 67, 77, 84, 72, 86, 75),
    2021: (82, 81, 83, 94, 65, 80, 85, 78, 87, 76, 89, 73, 90, 71, 84, 69, 79, 86),
}
FREE_SHARE_RANGE = (Fraction(62, 100), Fraction(92, 100))


@dataclass(frozen=True)
class County:
    """A län."""

    code: str
    name: str


@dataclass(frozen=True)
class Unit:
    """A responding unit: a kommun or a Stockholm stadsdelsområde."""

    code: str
    name: str
    municipality_code: str
    county_code: str


@dataclass
class UnitYear:
    """One unit's answers for one year (one row of the Kommun sheet)."""

    unit: Unit
    year: int
    general: str
    lss: str
    answers: dict[str, str | None] = field(default_factory=dict)
    staff: int | None = None
    socionomer: int | None = None

    def has_value(self, measure_id: str) -> bool:
        """Return True when the unit contributes a value for the measure."""
        if measure_id in (GENERAL, LSS_PART):
            return True
        if measure_id == SOCIONOM:
            return self.staff is not None and self.socionomer is not None
        return self.answers.get(measure_id) in (JA, NEJ)


# ---------------------------------------------------------------- rounding


def round1(value: Fraction) -> Decimal:
    """Round a percentage half-up to one decimal."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def round_int(value: Decimal | float) -> int:
    """Round half-up to an integer (floats via their shortest repr)."""
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def hits(numerator: int, denominator: int, target: int) -> bool:
    """True when 100 × num / den, stored to one decimal, rounds to target.

    The stored value must lie within ±0.4 of the target, so that it rounds to
    the target under any rounding rule (no x.5 ties).
    """
    value = round1(Fraction(100 * numerator, denominator))
    return abs(value - target) <= SAFE_MARGIN


# ------------------------------------------------------------------ areas


def _read_csv(name: str) -> list[dict[str, str]]:
    """Read an area CSV as text (codes keep their leading zeros)."""
    with (AREAS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_counties() -> list[County]:
    """Return the 21 län, sorted by code."""
    rows = _read_csv("counties.csv")
    return sorted((County(r["county_code"], r["county_name"]) for r in rows), key=lambda c: c.code)


def load_units() -> list[Unit]:
    """Return the 302 responding units, sorted by code."""
    units = [
        Unit(
            r["municipality_code"], r["municipality_name"], r["municipality_code"], r["county_code"]
        )
        for r in _read_csv("municipalities.csv")
        if r["municipality_code"] != STOCKHOLM
    ]
    districts = [
        r for r in _read_csv("stockholm_districts.csv") if r["municipality_code"] == STOCKHOLM
    ]
    units += [
        Unit(f"{STOCKHOLM}-{i:02d}", r["district_name"], STOCKHOLM, "01")
        for i, r in enumerate(districts, start=1)
    ]
    return sorted(units, key=lambda u: u.code)


# ------------------------------------------------------------- generation


def choose_count(target: int, total: int) -> int:
    """Return the number of Ja out of ``total`` that hits ``target`` exactly."""
    candidates = [k for k in range(total + 1) if hits(k, total, target)]
    if not candidates:
        raise ValueError(f"no count of {total} rounds to {target} %")
    ideal = Fraction(target * total, 100)
    return min(candidates, key=lambda k: (abs(k - ideal), k))


def _missing_capacity(units: Sequence[Unit]) -> dict[str, int]:
    """Per county: the most units that may lack a value without suppression."""
    sizes: dict[str, int] = defaultdict(int)
    for unit in units:
        sizes[unit.county_code] += 1
    return {code: n // 5 for code, n in sizes.items()}


def _pick_under_caps(
    rng: random.Random, pool: Sequence[Unit], count: int, caps: dict[str, int]
) -> list[Unit]:
    """Pick ``count`` units at random, at most ``caps[county]`` per county."""
    used: dict[str, int] = defaultdict(int)
    picked: list[Unit] = []
    for unit in rng.sample(list(pool), len(pool)):
        if len(picked) == count:
            break
        if used[unit.county_code] < caps.get(unit.county_code, 0):
            used[unit.county_code] += 1
            picked.append(unit)
    if len(picked) != count:
        raise ValueError(f"could only pick {len(picked)} of {count} units")
    return picked


class Generator:
    """Seeded generator of the Kommun rows for all years."""

    def __init__(self, units: Sequence[Unit], counties: Sequence[County], seed: int = SEED) -> None:
        self.units = list(units)
        self.counties = list(counties)
        self.rng = random.Random(seed)
        self.capacity = _missing_capacity(self.units)
        self._missing_toggle = False
        self.county_offset = {
            m: {c.code: self.rng.gauss(0, 0.4) for c in self.counties} for m in INDICATOR_IDS
        }
        self.unit_offset = {
            m: {u.code: self.rng.gauss(0, 0.7) for u in self.units} for m in INDICATOR_IDS
        }
        self.size = {u.code: self._unit_size(u) for u in self.units}

    def _unit_size(self, unit: Unit) -> float:
        """Typical number of LSS handläggare (xx80 = residence city)."""
        if unit.municipality_code == STOCKHOLM:
            return self.rng.uniform(6, 14)
        base = self.rng.lognormvariate(1.4, 0.6)
        return base * 4 if unit.code.endswith("80") else base

    def generate(self) -> list[UnitYear]:
        """Return all Kommun rows, sorted by year then code."""
        rows: list[UnitYear] = []
        for year in YEARS:
            rows.extend(self._generate_year(year))
        return rows

    def _generate_year(self, year: int) -> list[UnitYear]:
        """Generate response flags, yes/no answers and counts for a year."""
        index = YEARS.index(year)
        general_nej = self._response_nej(GENERAL, index)
        lss_nej = self._lss_nonrespondents(year, index)
        rows = [
            UnitYear(
                u, year, NEJ if u.code in general_nej else JA, NEJ if u.code in lss_nej else JA
            )
            for u in self.units
        ]
        for mid in INDICATOR_IDS:
            self._answer_yes_no(rows, mid, TARGETS[mid][index])
        if year in SOCIONOM_MEASURE.years:
            self._answer_counts(rows, year)
        return rows

    def _response_nej(self, mid: str, index: int) -> set[str]:
        """Codes of units that answer Nej on the general part."""
        target = TARGETS[mid][index]
        assert target is not None
        total = len(self.units)
        nej = total - choose_count(target, total)
        pool = [u for u in self.units if u.county_code != GOTLAND]
        return {u.code for u in _pick_under_caps(self.rng, pool, nej, self.capacity)}

    def _lss_nonrespondents(self, year: int, index: int) -> set[str]:
        """Codes of units that skip the LSS part (half the county slack)."""
        target = TARGETS[LSS_PART][index]
        assert target is not None
        total = len(self.units)
        nej = total - choose_count(target, total)
        caps = {code: cap // 2 for code, cap in self.capacity.items()}
        if year == 2021:
            caps.update({code: 0 for code in SUPPRESSED_2021})
        return {u.code for u in _pick_under_caps(self.rng, self.units, nej, caps)}

    def _remaining_caps(self, rows: Sequence[UnitYear]) -> dict[str, int]:
        """County slack left after LSS-part non-response."""
        caps = dict(self.capacity)
        for row in rows:
            if row.lss == NEJ:
                caps[row.unit.county_code] -= 1
        return caps

    def _missing_value(self) -> str | None:
        """Alternate item non-response between empty and 'Uppgift saknas'."""
        self._missing_toggle = not self._missing_toggle
        return MISSING_TEXT if self._missing_toggle else None

    def _answer_yes_no(self, rows: list[UnitYear], mid: str, target: int | None) -> None:
        """Fill one yes/no measure so that riket hits ``target`` exactly."""
        assert target is not None
        answering = [r for r in rows if r.lss == JA]
        skip = _pick_under_caps(
            self.rng,
            [r.unit for r in answering],
            self.rng.randint(1, 4),
            self._remaining_caps(rows),
        )
        skipped = {u.code for u in skip}
        for row in rows:
            row.answers[mid] = self._missing_value() if row.unit.code in skipped else None
        respondents = [r for r in answering if r.unit.code not in skipped]
        yes = choose_count(target, len(respondents))
        scored = sorted(
            respondents,
            key=lambda r: (
                -(
                    self.county_offset[mid][r.unit.county_code]
                    + self.unit_offset[mid][r.unit.code]
                    + self.rng.gauss(0, 0.5)
                ),
                r.unit.code,
            ),
        )
        for rank, row in enumerate(scored):
            row.answers[mid] = JA if rank < yes else NEJ

    def _staff_missing(self, rows: Sequence[UnitYear], year: int) -> set[str]:
        """Units with X90560 item non-response (forced pattern in 2021)."""
        answering = [r for r in rows if r.lss == JA]
        caps = self._remaining_caps(rows)
        missing: set[str] = set()
        if year == 2021:
            for code, count in sorted(SUPPRESSED_2021.items()):
                pool = [r.unit for r in answering if r.unit.county_code == code]
                missing |= {u.code for u in self.rng.sample(pool, count)}
                caps[code] = 0
        extra = _pick_under_caps(
            self.rng, [r.unit for r in answering], self.rng.randint(2, 5), caps
        )
        return missing | {u.code for u in extra}

    def _answer_counts(self, rows: list[UnitYear], year: int) -> None:
        """Fill X90560 counts so that län and riket hit their targets."""
        missing = self._staff_missing(rows, year)
        reporting = [r for r in rows if r.lss == JA and r.unit.code not in missing]
        for row in reporting:
            size = self.size[row.unit.code] * self.rng.uniform(0.85, 1.15)
            row.staff = min(80, max(1, round(size)))
        totals = county_socionom_totals(reporting, year)
        for code, total in sorted(totals.items()):
            in_county = [r for r in reporting if r.unit.county_code == code]
            self._spread_socionomer(in_county, total)
        if year == 2021:
            self._add_partial_report(rows, missing)

    def _spread_socionomer(self, rows: Sequence[UnitYear], total: int) -> None:
        """Split a county's socionom total over its units (≤ staff each)."""
        share = Fraction(total, sum(r.staff or 0 for r in rows))
        for row in rows:
            staff = row.staff or 0
            noisy = min(1.0, max(0.0, float(share) + self.rng.gauss(0, 0.1)))
            row.socionomer = min(staff, round(staff * noisy))
        order = self.rng.sample(list(rows), len(rows))
        diff = total - sum(r.socionomer or 0 for r in rows)
        while diff:
            step = 1 if diff > 0 else -1
            for row in order:
                value = (row.socionomer or 0) + step
                if diff and 0 <= value <= (row.staff or 0):
                    row.socionomer = value
                    diff -= step

    def _add_partial_report(self, rows: Sequence[UnitYear], missing: set[str]) -> None:
        """Let one non-reporting Västmanland unit give handläggare only."""
        candidates = [
            r
            for r in rows
            if r.unit.code in missing and r.unit.county_code == PARTIAL_REPORT_COUNTY
        ]
        first = min(candidates, key=lambda r: r.unit.code)
        first.staff = min(80, max(1, round(self.size[first.unit.code])))


def _feasible(target: int, staff: int) -> tuple[int, int] | None:
    """Range of socionom totals that round to ``target`` (None if empty)."""
    ok = [s for s in range(staff + 1) if hits(s, staff, target)]
    return (ok[0], ok[-1]) if ok else None


def _county_range(target: int, staff: int, riket: int) -> tuple[int, int, int]:
    """(low, high, start) socionom totals for a county, nudging the target
    toward riket when the county is too small to hit it exactly."""
    while (found := _feasible(target, staff)) is None:
        target += 1 if target < riket else -1
    ideal = round(Fraction(target * staff, 100))
    return found[0], found[1], min(max(ideal, found[0]), found[1])


def county_socionom_totals(reporting: Sequence[UnitYear], year: int) -> dict[str, int]:
    """Choose socionom totals per county hitting county and riket targets.

    Counties get the ``COUNTY_SOCIONOM_TARGETS`` values by descending staff.
    When riket cannot be reached within the counties' rounding ranges, the
    targets strictly between the lowest and highest are nudged by one point,
    county by county, until it can; the extremes are never changed.
    """
    staff: dict[str, int] = defaultdict(int)
    for row in reporting:
        staff[row.unit.county_code] += row.staff or 0
    riket = TARGETS[SOCIONOM][YEARS.index(year)]
    assert riket is not None
    free = set(SUPPRESSED_2021) if year == 2021 else set()
    ranked = sorted((c for c in staff if c not in free), key=lambda c: (-staff[c], c))
    targets = _assign_targets(ranked, staff, COUNTY_SOCIONOM_TARGETS[year])
    lowest, highest = min(targets.values()), max(targets.values())
    adjustable = [c for c in ranked if lowest < targets[c] < highest]
    for turn in range(20 * len(adjustable)):
        ranges = {c: _county_range(t, staff[c], riket) for c, t in targets.items()}
        ranges.update({c: _free_range(staff[c]) for c in free})
        totals, shortfall = _balance(ranges, sum(staff.values()), riket, free)
        if shortfall == 0:
            return totals
        code = adjustable[turn % len(adjustable)]
        nudged = targets[code] + (1 if shortfall > 0 else -1)
        if lowest < nudged < highest:
            targets[code] = nudged
    raise ValueError(f"cannot reach the riket X90560 target in {year}")


def _assign_targets(
    ranked: Sequence[str], staff: dict[str, int], values: Sequence[int]
) -> dict[str, int]:
    """Hand out county targets: the highest and lowest value go to the first
    counties from rank 4 on that can hit them exactly, the rest in order."""
    lowest, highest = min(values), max(values)
    remaining = list(ranked)
    targets: dict[str, int] = {}
    for extreme in (highest, lowest):
        code = next(c for c in remaining[3:] if _feasible(extreme, staff[c]))
        targets[code] = extreme
        remaining.remove(code)
    middle = [v for v in values if v not in (lowest, highest)]
    targets.update(zip(remaining, middle, strict=True))
    return targets


def _free_range(staff: int) -> tuple[int, int, int]:
    """(low, high, start) socionom totals for a suppressed county."""
    low = math.ceil(staff * FREE_SHARE_RANGE[0])
    high = math.floor(staff * FREE_SHARE_RANGE[1])
    return low, high, round(staff * Fraction(4, 5))


def _balance(
    ranges: dict[str, tuple[int, int, int]], staff: int, riket: int, free: set[str]
) -> tuple[dict[str, int], int]:
    """Move county totals within their ranges toward the riket target,
    preferring the suppressed counties (their values are not shown).

    Returns the totals and the remaining shortfall (0 = target reached,
    positive = riket still too low, negative = too high).
    """
    low, high = _feasible(riket, staff) or (0, -1)
    totals = {code: start for code, (_, _, start) in ranges.items()}
    while not low <= (total := sum(totals.values())) <= high:
        step = 1 if total < low else -1
        movable = [c for c, (lo, hi, _) in sorted(ranges.items()) if lo <= totals[c] + step <= hi]
        if not movable:
            return totals, (low - total if step > 0 else high - total)
        best = max(movable, key=lambda c: (c in free, ranges[c][1] - ranges[c][0], c))
        totals[best] += step
    return totals, 0


# ------------------------------------------------------------ aggregation


def aggregate(rows: Iterable[UnitYear], measure_id: str, suppress: bool) -> Decimal | None:
    """Percentage (one decimal) for a set of unit rows, or None."""
    rows = list(rows)
    if measure_id == SOCIONOM:
        reported = [r for r in rows if r.has_value(SOCIONOM)]
        den = sum(r.staff or 0 for r in reported)
        num = sum(r.socionomer or 0 for r in reported)
    elif measure_id in (GENERAL, LSS_PART):
        flags = [r.general if measure_id == GENERAL else r.lss for r in rows]
        num, den = flags.count(JA), len(flags)
    else:
        answers = [r.answers.get(measure_id) for r in rows]
        num, den = answers.count(JA), answers.count(JA) + answers.count(NEJ)
    missing = sum(not r.has_value(measure_id) for r in rows)
    if den == 0 or (suppress and Fraction(missing, len(rows)) > SUPPRESSION_SHARE):
        return None
    return round1(Fraction(100 * num, den))


def area_rows(
    units_rows: Sequence[UnitYear], counties: Sequence[County]
) -> tuple[list[list[object]], list[list[object]]]:
    """Return the Riket and Län sheet data rows."""
    riket: list[list[object]] = []
    county: list[list[object]] = []
    for year in YEARS:
        in_year = [r for r in units_rows if r.year == year]
        riket.append([RIKET_CODE, RIKET_NAME, year, *_values(in_year, suppress=False)])
        for c in counties:
            in_county = [r for r in in_year if r.unit.county_code == c.code]
            county.append([c.code, c.name, year, *_values(in_county, suppress=True)])
    return riket, county


def _values(rows: Sequence[UnitYear], suppress: bool) -> list[float | None]:
    """Aggregated values in ``AREA_MEASURE_ORDER`` as floats."""
    out: list[float | None] = []
    for mid in AREA_MEASURE_ORDER:
        value = aggregate(rows, mid, suppress)
        out.append(None if value is None else float(value))
    return out


def check(rows: Sequence[UnitYear], counties: Sequence[County]) -> None:
    """Assert riket targets, the suppression pattern and the 2021 X90560
    county range."""
    _check_riket(rows)
    _check_suppression(rows, counties)
    shown = [
        aggregate(
            [r for r in rows if r.year == 2021 and r.unit.county_code == c.code], SOCIONOM, True
        )
        for c in counties
    ]
    rounded = [round_int(v) for v in shown if v is not None]
    expected = min(COUNTY_SOCIONOM_TARGETS[2021]), max(COUNTY_SOCIONOM_TARGETS[2021])
    if (min(rounded), max(rounded)) != expected:
        raise AssertionError(f"X90560 2021 county range {rounded}")


def _check_riket(rows: Sequence[UnitYear]) -> None:
    """Assert that every riket value rounds to its target."""
    for mid, targets in TARGETS.items():
        for year, target in zip(YEARS, targets, strict=True):
            value = aggregate((r for r in rows if r.year == year), mid, False)
            got = None if value is None else round_int(value)
            if got != target:
                raise AssertionError(f"{mid} {year}: riket {got} != {target}")


def _check_suppression(rows: Sequence[UnitYear], counties: Sequence[County]) -> None:
    """Assert that only X90560 2021 in the three chosen counties is suppressed."""
    for year in YEARS:
        for c in counties:
            in_county = [r for r in rows if r.year == year and r.unit.county_code == c.code]
            for mid in AREA_MEASURE_ORDER:
                if year not in MEASURE_BY_ID[mid].years:
                    continue
                suppressed = aggregate(in_county, mid, True) is None
                expected = year == 2021 and mid == SOCIONOM and c.code in SUPPRESSED_2021
                if suppressed != expected:
                    raise AssertionError(f"{mid} {year} {c.code}: suppression")


# ---------------------------------------------------------------- writing


def _sheet(
    wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Add a sheet with the marker, a bold header row 3 and data rows."""
    ws = wb.create_sheet(title)
    ws["A1"] = MARKER
    for col, header in enumerate(headers, start=1):
        ws.cell(row=3, column=col, value=header).font = Font(bold=True)
    for r, values in enumerate(rows, start=4):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=col, value=value)
    ws.freeze_panes = "A4"


def _kommun_row(row: UnitYear) -> list[object]:
    """One Kommun sheet row."""
    u = row.unit
    return [
        u.code,
        u.name,
        u.municipality_code,
        u.county_code,
        row.year,
        row.general,
        row.lss,
        *(row.answers.get(m) for m in INDICATOR_IDS),
        row.staff,
        row.socionomer,
    ]


def build_workbook(rows: Sequence[UnitYear], counties: Sequence[County]) -> Workbook:
    """Build the workbook in memory."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        "Indikatorer",
        ["Id", "Namn", "Typ", "Enhet", "Beskrivning", "Beräkning"],
        ([m.id, m.name, m.kind, "procent", m.description, m.calculation] for m in MEASURES),
    )
    riket, county = area_rows(rows, counties)
    area_headers = ["Kod", "Namn", "År", *AREA_MEASURE_ORDER]
    _sheet(wb, "Riket", area_headers, riket)
    _sheet(wb, "Län", area_headers, county)
    kommun_headers = [
        "Kod",
        "Namn",
        "Kommunkod",
        "Länskod",
        "År",
        GENERAL,
        LSS_PART,
        *INDICATOR_IDS,
        STAFF_HEADER,
        SOCIONOM_HEADER,
    ]
    _sheet(wb, "Kommun", kommun_headers, (_kommun_row(r) for r in rows))
    _set_properties(wb)
    return wb


def _set_properties(wb: Workbook) -> None:
    """Fixed document properties plus the custom 'synthetic' flag."""
    props = wb.properties
    props.title = TITLE
    props.creator = "factsheet"
    props.keywords = "synthetic"
    props.description = DESCRIPTION
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    wb.custom_doc_props.append(BoolProperty(name="synthetic", value=True))


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise the workbook and normalise the zip for reproducibility."""
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = FIXED_TIME  # openpyxl stamps "now" on save
    core = tostring(wb.properties.to_tree())
    return _normalise_zip(_shared_strings(raw.getvalue()), {"docProps/core.xml": core})


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr">'
    rb"<is><t((?: xml:space=\"preserve\")?)>(.*?)</t></is></c>",
    re.S,
)
_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _shared_strings(raw: bytes) -> bytes:
    """The workbook with its text cells in a shared-strings table, as Excel and LibreOffice
    save them (openpyxl writes each text inline, which is slower to read: the sample should
    read like the workbooks users get)."""
    strings: dict[tuple[bytes, bytes], int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        ref, style, space, text = match.groups()
        index = strings.setdefault((space, text), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (ref, style, index)

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data)
                if b't="inlineStr"' in data:
                    raise ValueError(f"{info.filename}: an inline string not converted")
            elif info.filename == "[Content_Types].xml":
                override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/>'
                data = data.replace(b"</Types>", override % _SST_TYPE + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = b'<Relationship Id="rIdSharedStrings" Type="%s" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel % _SST_REL + b"</Relationships>")
            dst.writestr(info, data)
        items = b"".join(b"<si><t%s>%s</t></si>" % key for key in strings)
        dst.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%s</sst>' % (len(strings), len(strings), items),
        )
    return out.getvalue()


def _normalise_zip(raw: bytes, replace: dict[str, bytes]) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, same entry order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = replace.get(info.filename) or src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = ZIP_EXTERNAL_ATTR
            entry.create_system = 3
            dst.writestr(entry, data)
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file next to ``path`` and replace it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates the file as 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def generate(output: Path) -> None:
    """Generate, verify and write the sample workbook."""
    counties = load_counties()
    rows = Generator(load_units(), counties).generate()
    check(rows, counties)
    write_atomic(output, workbook_bytes(build_workbook(rows, counties)))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"target .xlsx (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)
    generate(args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
