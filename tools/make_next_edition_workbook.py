"""Write the next-edition test workbook: the bundled sample with one more year in front.

    python tools/make_next_edition_workbook.py   # -> tests/data/next-edition/oj-lss-7-years.xlsx

The sample (``content/2021/oj-2021-lss-sample.xlsx``) has 2016–2021; the test edition in
``tests/data/next-edition`` has a table over seven years, so this copy adds 2015: every Riket,
Län and Kommun row of 2016 once more with the year 2015 (the riket and län values stay the
aggregates of the kommun rows; X90560 has no data before 2020, so it is new in 2015 too). The
sheets, headers and properties are the sample's; the output is byte-identical between runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from make_sample_workbook import (  # noqa: E402
    _set_properties,
    _sheet,
    workbook_bytes,
    write_atomic,
)

SAMPLE = ROOT / "content" / "2021" / "oj-2021-lss-sample.xlsx"
OUTPUT = ROOT / "tests" / "data" / "next-edition" / "oj-lss-7-years.xlsx"
COPIED, ADDED = 2016, 2015
HEADER_ROW = 3


def build() -> Workbook:
    sample = load_workbook(SAMPLE)
    out = Workbook()
    out.remove(out.active)
    for ws in sample.worksheets:
        rows = [list(r) for r in ws.iter_rows(min_row=HEADER_ROW, values_only=True)]
        headers, data = rows[0], rows[1:]
        if "År" in headers:
            year = headers.index("År")
            added = [[*r[:year], ADDED, *r[year + 1 :]] for r in data if r[year] == COPIED]
            data = added + data
        _sheet(out, ws.title, headers, data)
    _set_properties(out)
    return out


def main() -> int:
    write_atomic(OUTPUT, workbook_bytes(build()))
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
