"""The Typst peer of ``factsheet build --all-counties``: one process that compiles
``sheet.typ`` once per area (riket and the 21 län) to tagged PDF/A-2b + PDF/UA-1.

    python benchmarks/typst/build.py FOLDER OUT [--fonts DIR]

FOLDER holds ``sheet.typ`` and the ``data.json`` that ``export.py`` wrote; one PDF per area
goes into OUT. The benchmark times this whole process, alternating with factsheet's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import typst

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--fonts", type=Path, default=ROOT / "fonts")
    args = parser.parse_args()
    codes = json.loads((args.folder / "data.json").read_text(encoding="utf-8"))["areas"]
    args.out.mkdir(parents=True, exist_ok=True)
    compiler = typst.Compiler(
        str(args.folder / "sheet.typ"), font_paths=[str(args.fonts)], ignore_system_fonts=True
    )
    for code in codes:
        compiler.compile(
            output=str(args.out / f"{code}.pdf"),
            sys_inputs={"area": code},
            pdf_standards=["a-2b", "ua-1"],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
