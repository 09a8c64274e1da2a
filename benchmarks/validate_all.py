"""Build all 324 sheets (riket, 21 län, 302 kommuner and stadsdelar) and validate every PDF
against PDF/UA-1 and PDF/A-2b with page-validation. Prints the failures, exits 1 if any.

    .venv/bin/python benchmarks/validate_all.py [--out DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from page import ValidationProfile, validate_pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="factsheet-all-"))
    cli = Path(sys.executable).with_name("factsheet")
    started = time.perf_counter()
    subprocess.run(
        [str(cli), "build", "--all", "-o", str(out)], check=True, stderr=subprocess.DEVNULL
    )
    built = time.perf_counter() - started
    failures = []
    pdfs = sorted(out.glob("*.pdf"))
    for pdf in pdfs:
        for profile in (ValidationProfile.PDF_UA_1, ValidationProfile.PDF_A_2B):
            failures += [
                (pdf.name, profile.name, f.rule_id, f.message)
                for f in validate_pdf(str(pdf), profile=profile).failures
            ]
    for failure in failures:
        print(*failure, sep="  ")
    print(
        f"{len(pdfs)} PDFs built in {built:.1f} s; {len(failures)} failed rules "
        "(PDF/UA-1 and PDF/A-2b)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
