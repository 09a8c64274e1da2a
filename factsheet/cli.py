"""Command line: the only module that prints or exits. Exit 0 ok, 1 build failure, 2 input error."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import DEFAULT_CONTENT, DEFAULT_FONTS, build_national, check, load_inputs
from .errors import FactsheetError, InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factsheet", description="Build the ÖJ LSS fact sheet as PDF."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("build", "validate the inputs, then build the PDF"),
        ("check", "validate content and workbook without building"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "--content",
            type=Path,
            default=DEFAULT_CONTENT,
            help=f"content folder (default: {DEFAULT_CONTENT})",
        )
        sub.add_argument(
            "--workbook", type=Path, help="workbook (default: the one named in the content)"
        )
        sub.add_argument(
            "--fonts",
            type=Path,
            default=DEFAULT_FONTS,
            help=f"font folder (default: {DEFAULT_FONTS})",
        )
        sub.add_argument("--debug", action="store_true", help="show a traceback on errors")
        if name == "build":
            sub.add_argument(
                "-o",
                "--output",
                type=Path,
                help="output PDF file or folder (default: out/oj-YEAR-lss-riket.pdf)",
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        inputs = load_inputs(args.content, args.workbook, args.fonts)
        if args.command == "check":
            check(inputs)
            print(f"OK: {args.content} and its workbook have no problems")
            return 0
        built = build_national(inputs, args.output)
    except FactsheetError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        if isinstance(exc, InputError):
            print(
                f"Aborted: {count} problem{'s' if count != 1 else ''} in the input; "
                "nothing was written.",
                file=sys.stderr,
            )
        else:
            print("Build failed; nothing was written.", file=sys.stderr)
        return exc.exit_code
    print(
        f"Wrote {built.path} ({built.pages} pages, {built.size // 1024} KB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
