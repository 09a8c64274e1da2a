"""Write the sample's data in each workbook shape the reader knows (docs/workbook.md).

    python tools/make_shape_fixtures.py                 # small fixtures -> tests/data/shapes
    python tools/make_shape_fixtures.py --full -o DIR   # every year and unit

Each shape is a data file and the ``workbook.yaml`` that reads it (``<shape>.yaml``):

* ``tidy.csv``: the tidy table, kommun and stadsdel rows only (riket and län are computed);
* ``one-sheet.xlsx``: ÖJ's usual result sheet: a preamble, the header found by its first cell
  ``K-kod``, riket, län, kommun and stadsdel rows in one sheet (stadsdelar by name, code cell
  ``0180``), ``-`` and ``..`` for missing values, a no-break space in headers, a ``Källa:`` row
  under the data; indicators described in ``workbook.yaml`` (ÖJ publishes them in a PDF);
* ``wide-years.xlsx``: riket, län and kommun sheets with the years side by side
  (``U33620 2020``), numbers written as text with a decimal comma;
* ``two-header-rows.xlsx``: one sheet, the indicator id merged over its years in the first
  header row and the years in the second; answers coded 1/0, and three levels for U28545
  ("Ja, för alla" / "Ja, men inte för alla" / "Nej");
* ``kolada.json``: a Kolada v3 export (``value: null``, ``isdeleted``, period as number or
  text, group values 0000/00xx, Stockholm stad without stadsdelar), three-level answers coded
  2/1/0.

Small fixtures hold 2020–2021, riket, every län, and the units of Stockholms and Uppsala län.
The output is byte-identical between runs (fixed timestamps in the xlsx zips).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factsheet.inputs.workbook import load_layout, load_workbook  # noqa: E402
from factsheet.model import areas  # noqa: E402
from factsheet.model.dataset import Dataset, Row  # noqa: E402

CONTENT = ROOT / "content" / "2021"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"
DEFAULT_OUTPUT = ROOT / "tests" / "data" / "shapes"
SMALL_YEARS = (2020, 2021)
SMALL_COUNTIES = ("01", "03")
FIXED = datetime(2021, 6, 1)
THREE_LEVELS = "U28545"
RATIO = "X90560"
COUNT_HEADERS = {"numerator": "varav socionomexamen", "denominator": "antal handläggare"}
NBSP = "\xa0"


class Source:
    """The sample's tidy rows, optionally cut to the small fixture's years and units."""

    def __init__(self, full: bool) -> None:
        self.data: Dataset = load_workbook(SAMPLE, load_layout(CONTENT))
        self.layout_text = (CONTENT / "workbook.yaml").read_text(encoding="utf-8")
        years = sorted({r.year for r in self.data.rows})
        self.years = years if full else [y for y in years if y in SMALL_YEARS]
        self.units = [
            code
            for code in sorted(self.data.units)
            if full or self.data.units[code].county in SMALL_COUNTIES
        ]
        self.indicators = list(self.data.indicators.values())
        self.marker = (
            "Syntetiska data – inte Socialstyrelsens statistik; "
            "skapad av tools/make_shape_fixtures.py"
        )

    def unit_row(self, code: str, year: int, ind: str) -> Row | None:
        return self.by_key.get((code, year, ind))

    @property
    def by_key(self) -> dict[tuple[str, int, str], Row]:
        if not hasattr(self, "_by_key"):
            self._by_key = {(r.area, r.year, r.indicator): r for r in self.data.rows}
        return self._by_key

    def present(self, code: str, year: int) -> bool:
        return code in self.data.unit_years.get(year, [])

    def value(self, area: str, ind: str, year: int) -> float | None:
        found = self.data.value(area, ind, year)
        return found.value if found else None

    def name(self, code: str) -> str:
        return areas.area_name(code)

    def indicators_yaml(self) -> str:
        lines = ["indicators:"]
        for ind in self.indicators:
            lines += [
                f"  {ind.id}:",
                f"    name: {json.dumps(ind.name, ensure_ascii=False)}",
                f"    type: {ind.type}",
                f"    unit: {ind.unit}",
                f"    description: {json.dumps(ind.description, ensure_ascii=False)}",
                f"    method: {'kvot' if ind.method == 'ratio' else 'andel ja'}",
            ]
        return "\n".join(lines) + "\n"


# What every shape's layout ends with: the methods' names, the response rule, the marker.
COMMON = """methods:
  share: andel ja
  ratio: kvot
response_indicator: X90591
suppression_threshold: 20
synthetic_marker: Syntetiska data
"""


def answer_text(row: Row | None, yes: str = "Ja", no: str = "Nej", missing: Any = None) -> Any:
    if row is None or row.answer is None:
        return missing
    return yes if row.answer else no


def level_text(row: Row | None, code: str, missing: Any) -> Any:
    """The three-level answer: the sample's Ja split by the unit's code, Nej kept."""
    if row is None or row.answer is None:
        return missing
    if not row.answer:
        return "Nej"
    return "Ja, för alla" if int(code[2:4]) % 2 == 0 else "Ja, men inte för alla"


# ------------------------------------------------------------------------------------- tidy


def tidy(src: Source) -> tuple[bytes, str]:
    out = io.StringIO()
    out.write(f"# {src.marker}\n")
    out.write("area,year,indicator,answer,numerator,denominator\n")
    for year in src.years:
        for code in src.units:
            if not src.present(code, year):
                continue
            for ind in src.indicators:
                row = src.unit_row(code, year, ind.id)
                if ind.method == "ratio":
                    num = "" if row is None or row.numerator is None else row.numerator
                    den = "" if row is None or row.denominator is None else row.denominator
                    out.write(f"{code},{year},{ind.id},,{num},{den}\n")
                else:
                    out.write(f"{code},{year},{ind.id},{answer_text(row, missing='')},,\n")
    layout = """# A tidy CSV of kommun rows (tools/make_shape_fixtures.py): fixed columns and one
# header line, so no sheets, header rows or column names.
sheets: {}
answers:
  "yes": [Ja]
  "no": [Nej]
  missing: ["", Uppgift saknas]
"""
    layout += COMMON
    return out.getvalue().encode(), layout + src.indicators_yaml()


# -------------------------------------------------------------------------------- one sheet


def one_sheet(src: Source) -> tuple[bytes, str]:
    book = Workbook()
    ws = book.active
    ws.title = "Resultat"
    ws.append([src.marker])
    ws.append(["Öppna jämförelser 2021 – Stöd till personer med funktionsnedsättning, LSS"])
    for note in range(9):
        ws.append([f"Anmärkning {note + 1}: resultat per kommun, län och riket." if note else None])
    ws.append([])
    counts = [f"{RATIO}{NBSP}{COUNT_HEADERS[k]}" for k in ("denominator", "numerator")]
    shares = [i.id for i in src.indicators if i.method == "share"]
    ws.append(["K-kod", "Namn", "År", *shares, f"{RATIO}", *counts])
    for year in src.years:
        for code in [areas.RIKET, *(c.code for c in areas.counties())]:
            values = [src.value(code, i, year) for i in [*shares, RATIO]]
            shown = ["-" if v is None else v for v in values]
            ws.append([code, src.name(code), year, *shown, None, None])
        for code in src.units:
            if not src.present(code, year):
                continue
            stadsdel = code.startswith(f"{areas.STOCKHOLM}-")
            name = f"{src.name(code)} stadsdelsområde" if stadsdel else src.name(code)
            answers = [answer_text(src.unit_row(code, year, i), missing="..") for i in shares]
            row = src.unit_row(code, year, RATIO)
            den = ".." if row is None or row.denominator is None else row.denominator
            num = ".." if row is None or row.numerator is None else row.numerator
            ws.append([areas.STOCKHOLM if stadsdel else code, name, year, *answers, None, den, num])
    ws.append([])
    ws.append(["Källa: Socialstyrelsen, Öppna jämförelser (syntetiska data)"])
    layout = """# One result sheet, as ÖJ publishes it (tools/make_shape_fixtures.py).
sheets:
  all: Resultat
header_label: K-kod
stop_at_non_code: true
columns:
  area_code: K-kod
  area_name: Namn
  year: År
ratio_columns:
  numerator: "{id} varav socionomexamen"
  denominator: "{id} antal handläggare"
answers:
  "yes": [Ja]
  "no": [Nej]
  missing: ["-", "..", Uppgift saknas]
"""
    layout += COMMON
    return save(book), layout + src.indicators_yaml()


# ------------------------------------------------------------------------------- wide years


def wide_years(src: Source) -> tuple[bytes, str]:
    book = Workbook()
    sheet = book.active
    sheet.title = "Indikatorer"
    sheet.append([src.marker])
    sheet.append([])
    sheet.append(["Id", "Namn", "Typ", "Enhet", "Beskrivning", "Beräkning"])
    for ind in src.indicators:
        method = "kvot" if ind.method == "ratio" else "andel ja"
        sheet.append([ind.id, ind.name, ind.type, ind.unit, ind.description, method])
    ids = [i.id for i in src.indicators]
    for title, codes in (
        ("Riket", [areas.RIKET]),
        ("Län", [c.code for c in areas.counties()]),
    ):
        ws = book.create_sheet(title)
        ws.append([src.marker])
        ws.append([])
        ws.append(["Kod", "Namn", *(f"{i} {y}" for i in ids for y in src.years)])
        for code in codes:
            cells = [_comma(src.value(code, i, y)) for i in ids for y in src.years]
            ws.append([code, src.name(code), *cells])
    ws = book.create_sheet("Kommun")
    ws.append([src.marker])
    ws.append([])
    shares = [i.id for i in src.indicators if i.method == "share"]
    headers = [f"{i} {y}" for i in shares for y in src.years]
    for role in ("denominator", "numerator"):
        headers += [f"{RATIO} {COUNT_HEADERS[role]} {y}" for y in src.years]
    ws.append(["Kod", "Namn", "Länskod", *headers])
    for code in src.units:
        if not all(src.present(code, y) for y in src.years):
            continue
        cells: list[Any] = [
            answer_text(src.unit_row(code, y, i)) for i in shares for y in src.years
        ]
        for role in ("denominator", "numerator"):
            for y in src.years:
                row = src.unit_row(code, y, RATIO)
                cells.append(None if row is None else getattr(row, role))
        ws.append([code, src.name(code), src.data.units[code].county, *cells])
    layout = src.layout_text.replace(
        "header_row: 3", 'header_row: 3\nwide_years: "{id} {year}"\ntext_numbers: true'
    )
    layout = layout.replace("  year: År\n", "").replace("  municipality_code: Kommunkod\n", "")
    layout = layout.replace(
        '  numerator: "{id} varav socionomexamen"\n  denominator: "{id} antal handläggare"',
        '  numerator: "{id} varav socionomexamen"\n  denominator: "{id} antal handläggare"',
    )
    return save(book), layout


def _comma(value: float | None) -> str | None:
    """A number as text with a decimal comma (``82,5``), as some exports write them."""
    return None if value is None else f"{value:g}".replace(".", ",")


# -------------------------------------------------------------------------- two header rows


def two_header_rows(src: Source) -> tuple[bytes, str]:
    book = Workbook()
    ws = book.active
    ws.title = "Data"
    ws.cell(1, 1, src.marker)
    ids = [i.id for i in src.indicators]
    top: list[Any] = ["Kod", "Namn"]
    bottom: list[Any] = [None, None]
    groups = [(i, i) for i in ids if i != RATIO] + [
        (RATIO, RATIO),
        (f"{RATIO} antal handläggare", RATIO),
        (f"{RATIO} varav socionomexamen", RATIO),
    ]
    for header, _ in groups:
        first = len(top) + 1
        for n, year in enumerate(src.years):
            top.append(header if n == 0 else None)
            bottom.append(year)
        ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=len(top))
    for col, (a, b) in enumerate(zip(top, bottom, strict=True), start=1):
        if a is not None:
            ws.cell(3, col, a)
        if b is not None:
            ws.cell(4, col, b)
    row_number = 5
    for code in [areas.RIKET, *(c.code for c in areas.counties())]:
        cells = [
            src.value(code, ind, y) if header == ind else None
            for header, ind in groups
            for y in src.years
        ]
        _put(ws, row_number, [code, src.name(code), *cells])
        row_number += 1
    for code in src.units:
        if not all(src.present(code, y) for y in src.years):
            continue
        cells = []
        for header, ind in groups:
            for y in src.years:
                row = src.unit_row(code, y, ind)
                if ind == RATIO:
                    role = "denominator" if "antal" in header else "numerator"
                    cells.append(None if header == RATIO or row is None else getattr(row, role))
                elif ind == THREE_LEVELS:
                    cells.append(level_text(row, code, "Uppgift saknas"))
                else:
                    cells.append(answer_text(row, 1, 0, "Uppgift saknas"))
        _put(ws, row_number, [code, src.name(code), *cells])
        row_number += 1
    layout = f"""# Two header rows: indicator over year (tools/make_shape_fixtures.py).
sheets:
  all: Data
header_row: 3
header_rows: 2
wide_years: "{{id}} {{year}}"
columns:
  area_code: Kod
  area_name: Namn
ratio_columns:
  numerator: "{{id}} varav socionomexamen"
  denominator: "{{id}} antal handläggare"
answers:
  "yes": ["1"]
  "no": ["0"]
  missing: [Uppgift saknas]
answer_maps:
  {THREE_LEVELS}:
    "yes": ["Ja, för alla", "Ja, men inte för alla"]
    "no": [Nej]
    levels: true
"""
    layout += COMMON
    return save(book), layout + src.indicators_yaml()


def _put(ws: Any, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        if value is not None:
            ws.cell(row, col, value)


# ----------------------------------------------------------------------------------- kolada


def kolada(src: Source) -> tuple[bytes, str]:
    kpis = {i.id: i.id for i in src.indicators if i.method == "share"}
    counts = {"denominator": "N90561", "numerator": "N90562"}
    values: list[dict[str, Any]] = []
    for year in src.years:
        for ind in src.indicators:
            if ind.method == "share":
                # Kolada's own group mean: ignored (the tool computes riket and län)
                values.append(_kolada(ind.id, "0000", year, 0.5))
                values.append(_kolada(ind.id, "0003", year, 0.5))
                values.append(_kolada(ind.id, areas.STOCKHOLM, year, 1))
            for code in src.units:
                if code.startswith(f"{areas.STOCKHOLM}-") or not src.present(code, year):
                    continue
                row = src.unit_row(code, year, ind.id)
                if ind.method == "ratio":
                    for role, kpi in counts.items():
                        count = None if row is None else getattr(row, role)
                        values.append(_kolada(kpi, code, year, count))
                elif ind.id == THREE_LEVELS:
                    level = level_text(row, code, None)
                    coded = {"Ja, för alla": 2, "Ja, men inte för alla": 1, "Nej": 0}.get(level)
                    values.append(_kolada(ind.id, code, year, coded))
                else:
                    values.append(_kolada(ind.id, code, year, answer_text(row, 1, 0)))
    values.append(
        {
            "kpi": "U33620",
            "municipality": "0114",
            "period": "2021",
            "values": [{"gender": "T", "count": 1, "status": "", "value": 1, "isdeleted": True}],
        }
    )
    lines = ",\n".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in values)
    text = f'{{"count":{len(values)},"values":[\n{lines}\n]}}\n'
    kpi_lines = "\n".join(f"    {k}: {v}" for k, v in kpis.items())
    layout = f"""# A saved Kolada v3 export (tools/make_shape_fixtures.py).
sheets: {{}}
answers:
  "yes": [Ja]
  "no": [Nej]
  missing: [Uppgift saknas]
methods:
  share: andel ja
  ratio: kvot
kolada:
  kpis:
{kpi_lines}
  "yes": [1, 2]
  "no": [0]
  counts:
    {RATIO}: {{numerator: {counts["numerator"]}, denominator: {counts["denominator"]}}}
response_indicator: X90591
suppression_threshold: 20
synthetic_marker: Syntetiska data
"""
    return text.encode(), layout + src.indicators_yaml()


def _kolada(kpi: str, area: str, year: int, value: Any) -> dict[str, Any]:
    period: Any = str(year) if year % 2 else year  # Kolada writes both
    return {
        "kpi": kpi,
        "municipality": area,
        "period": period,
        "values": [
            {"gender": "T", "count": 1, "status": "", "value": value, "isdeleted": False},
        ],
    }


# ----------------------------------------------------------------------------------- output


def save(book: Workbook) -> bytes:
    """The workbook's bytes, the same on every run: fixed properties and zip timestamps."""
    book.properties.created = book.properties.modified = FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as old,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in sorted(old.infolist(), key=lambda i: i.filename):
            data = old.read(info)
            if info.filename == "docProps/core.xml":
                data = _fixed_core(data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2021, 6, 1, 0, 0, 0))
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(entry, data)
    return fixed.getvalue()


def _fixed_core(xml: bytes) -> bytes:
    import re

    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2021-06-01T00:00:00Z\g<2>", xml
    )


SHAPES = {
    "tidy.csv": tidy,
    "one-sheet.xlsx": one_sheet,
    "wide-years.xlsx": wide_years,
    "two-header-rows.xlsx": two_header_rows,
    "kolada.json": kolada,
}


def write(output: Path, full: bool, names: tuple[str, ...] = tuple(SHAPES)) -> list[Path]:
    src = Source(full)
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SHAPES.items():
        if name not in names:
            continue
        data, layout = make(src)
        path = output / name
        path.write_bytes(data)
        (output / f"{path.stem}.yaml").write_text(layout, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--full", action="store_true", help="every year and unit")
    args = parser.parse_args(argv)
    for path in write(args.output, args.full):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
