"""Command line: the only module that prints or exits. Exit 0 ok, 1 build failure, 2 input error."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from factsheet import cache
from factsheet.build import (
    DEFAULT_CONTENT,
    DEFAULT_FONTS,
    DEFAULT_OUTPUT,
    build_one,
    check,
    claim_warnings,
    prepare,
)
from factsheet.errors import FactsheetError, InputError, Interrupted
from factsheet.model import areas
from factsheet.model.areas import Area


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factsheet", description="Build the ÖJ LSS fact sheet as PDF."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("build", "validate the inputs, then build PDFs"),
        ("check", "validate content and workbook without building"),
        ("explain", "list every number the sheet prints and where it came from"),
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
        sub.add_argument(
            "--no-cache",
            action="store_true",
            help="neither read nor write the build cache (parsed workbook, charts)",
        )
        if name in ("build", "check"):
            sub.add_argument(
                "--strict",
                action="store_true",
                help="a claim the data no longer supports is an error (exit 2)",
            )
        if name == "check":
            sub.add_argument(
                "--all",
                action="store_true",
                help="lay out every sheet (riket, all län and all kommuner), not only riket, "
                "one län and one kommun",
            )
            sub.add_argument(
                "-j",
                "--jobs",
                type=_positive,
                help="worker processes for --all (default: all cores)",
            )
        if name == "build":
            sub.add_argument(
                "--watch",
                action="store_true",
                help="stay running and rebuild when the content, workbook or fonts change",
            )
        if name == "explain":
            which = sub.add_mutually_exclusive_group()
            which.add_argument("--county", metavar="LÄN", help="a county variant")
            which.add_argument("--municipality", metavar="KOMMUN", help="a kommun variant")
            sub.add_argument(
                "--format",
                choices=("text", "csv"),
                default="text",
                help="text for a terminal (default), csv for a spreadsheet",
            )
        if name == "build":
            which = sub.add_mutually_exclusive_group()
            which.add_argument(
                "--county",
                metavar="LÄN",
                help="build one county variant: code or name (03, Uppsala, 'Uppsala län')",
            )
            which.add_argument(
                "--all-counties",
                action="store_true",
                help="build riket and all 21 counties, in parallel",
            )
            which.add_argument(
                "--municipality",
                metavar="KOMMUN",
                help="build one kommun or Stockholm stadsdel: code or name (0380, Uppsala, "
                "0180-01, Rinkeby-Kista)",
            )
            which.add_argument(
                "--all-municipalities",
                action="store_true",
                help="build all 289 kommuner and 13 Stockholm stadsdelar, in parallel",
            )
            which.add_argument(
                "--all", action="store_true", help="build riket, all län and all kommuner"
            )
            sub.add_argument(
                "-o",
                "--output",
                type=Path,
                help="output PDF file or folder (default: out/; a folder with --all-counties)",
            )
            sub.add_argument(
                "-j", "--jobs", type=_positive, help="worker processes (default: all cores)"
            )
    text = "start next year's edition from this year's content folder"
    new = commands.add_parser("new", help=text, description=text)
    new.add_argument("year", type=int, metavar="YEAR", help="the new edition's year, e.g. 2022")
    new.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=DEFAULT_CONTENT,
        help=f"this year's content folder (default: {DEFAULT_CONTENT})",
    )
    new.add_argument(
        "--to", dest="target", type=Path, help="the new folder (default: YEAR beside --from)"
    )
    new.add_argument("--debug", action="store_true", help="show a traceback on errors")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with cache.bypassed(getattr(args, "no_cache", False)):
            if getattr(args, "watch", False):
                return _watch(args)
            return _run(args)
    except KeyboardInterrupt as exc:  # Ctrl-C: what was kept is said, no traceback
        if args.debug:
            raise
        problems = exc.problems if isinstance(exc, Interrupted) else []
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print("Interrupted; no file was left half-written.", file=sys.stderr)
        return Interrupted.exit_code
    except MemoryError:
        if args.debug:
            raise
        print(
            "Out of memory: the input is too large for this machine; no file was left "
            "half-written (a batch leaves no manifest.json: run it again).",
            file=sys.stderr,
        )
        return 1


def _watch(args: argparse.Namespace) -> int:
    """Build, then rebuild on every change to the content, the workbook or the fonts."""
    from factsheet.watch import watch

    paths = [args.content, args.fonts, *([args.workbook] if args.workbook else [])]

    def build() -> None:
        _run(args)
        sys.stdout.flush()  # each build's line shows at once, also through a pipe

    def rebuild(files: list[Path]) -> None:
        names = ", ".join(f.name for f in files)
        print(f"Changed: {names}; rebuilding", file=sys.stderr)
        build()

    def ready() -> None:
        print(f"Watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)", file=sys.stderr)

    try:
        build()
        watch(paths, rebuild, ready=ready)
    except KeyboardInterrupt as exc:
        for problem in exc.problems if isinstance(exc, Interrupted) else []:
            print(problem, file=sys.stderr)
        print("Stopped watching.", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        if args.command == "new":
            return _new(args.year, args.source, args.target)
        building = args.command == "build"
        inputs, area = prepare(
            args.content,
            args.workbook,
            args.fonts,
            county=args.county if args.command != "check" else None,
            output=(args.output or DEFAULT_OUTPUT) if building else None,
            folder=building
            and (
                _batch_areas(args) is not None
                or args.output is None
                or args.output.suffix.lower() != ".pdf"
            ),
            municipality=args.municipality if args.command != "check" else None,
        )
        if args.command == "explain":
            return _explain(inputs, area, args.format)
        if args.command == "check":
            _check(inputs, args.all, args.jobs, args.strict)
            warnings = claim_warnings(inputs)
            for warning in warnings:
                print(warning, file=sys.stderr)
            noted = ""
            if warnings:
                noted = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} above)"
            print(f"OK: {args.content} and its workbook have no problems{noted}")
            return 0
        if not args.strict:  # with --strict, they are among the problems of the build
            for warning in claim_warnings(inputs):
                print(warning, file=sys.stderr)
        wanted = _batch_areas(args)
        if wanted is not None:
            return _build_all(
                inputs, wanted, args.output or DEFAULT_OUTPUT, args.jobs, started, args.strict
            )
        built = build_one(inputs, args.output, area, args.strict)
    except FactsheetError as exc:
        if args.debug:
            raise
        return _report(exc)
    print(
        f"Wrote {built.path} ({built.pages} pages, {built.size // 1024} KB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def _check(inputs: object, every: bool, jobs: int | None, strict: bool) -> None:
    """Resolve riket and every county (every area with ``every``), then lay out riket, one
    county and one kommun (every area): InputError listing the problems, overflows included."""
    from factsheet import fit
    from factsheet.build import Inputs

    assert isinstance(inputs, Inputs)
    wanted = fit.everything() if every else fit.sample()
    # Every county is resolved (as before) and one kommun: problems shared by the areas of a
    # kind show there, once, before anything is laid out. With --all the workers resolve the
    # other kommuner.
    # So is the kommun of each län of one kommun (Gotland): its sheet has texts of its own
    # (single_unit) and shows the län chart.
    counties = [areas.area(c.code) for c in areas.counties()]
    kommun = [area for area in wanted if area.kind == "municipality"][:1]
    units = areas.responding_units()
    for county in counties:
        ours = [u for u in units if u.county == county.code]
        if len(ours) == 1 and all(area.code != ours[0].code for area in kommun):
            kommun.append(areas.area(ours[0].code))
    documents = check(inputs, [*counties, *kommun], strict)
    problems = fit.overflows(inputs, documents, wanted, jobs)
    if problems:
        raise InputError(problems)


def _explain(inputs: object, area: Area, form: str) -> int:
    from factsheet.build import Inputs
    from factsheet.explain import as_csv, as_text, explain

    assert isinstance(inputs, Inputs)
    check(inputs, [area])  # the same report as check and build when the input has problems
    entries = explain(inputs, area)
    if form == "csv":
        sys.stdout.write(as_csv(entries))
        return 0
    name = area.name
    title = (
        f"{len(entries)} numbers in the sheet for {name}, from {inputs.spec.source} and "
        f"{inputs.data.path}: each with its place and content line, the printed text around "
        "it (the number in «»), and where it came from."
    )
    sys.stdout.write(as_text(entries, title))
    return 0


def _new(year: int, source: Path, target: Path | None) -> int:
    from factsheet.edition import new_edition

    edition = new_edition(year, source, target)
    print(f"Created {edition.target} from {edition.source} for {edition.year}:")
    for change in edition.changes:
        print(f"  {change.where}: {change.key}: {change.before} → {change.after}")
    if edition.kept:
        shown = ", ".join(edition.kept[:4]) + (", …" if len(edition.kept) > 4 else "")
        print(
            f"  {len(edition.kept)} years written relative to year: were kept, as they move "
            f"with it ({shown})"
        )
    print(
        f"The workbook was not copied: put the {year} workbook at {edition.workbook} "
        "(or name another file under workbook:)."
    )
    print()
    print(
        f"Revise these {len(edition.review)} places: sentences with trend or comparison "
        "words, texts that name a year:"
    )
    for item in edition.review:
        print(f'{item.where}: {item.label}: {item.reason}: "{item.excerpt}"')
    print()
    print(f"Then: factsheet check --content {edition.target}")
    return 0


def _report(exc: FactsheetError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    count = len(exc.problems)
    if isinstance(exc, InputError):
        plural = "s" if count != 1 else ""
        print(
            f"Aborted: {count} problem{plural} in the input; nothing was written.", file=sys.stderr
        )
    else:
        print("Build failed; nothing was written.", file=sys.stderr)
    return exc.exit_code


def _batch_areas(args: argparse.Namespace) -> list[Area] | None:
    """The areas of a batch build, or None for a single sheet."""
    if args.command != "build":
        return None
    counties = [areas.area(c.code) for c in areas.counties()]
    kommuner = [areas.area(u.code) for u in areas.responding_units()]
    if args.all:
        return [areas.riket(), *counties, *kommuner]
    if args.all_counties:
        return [areas.riket(), *counties]
    if args.all_municipalities:
        return kommuner
    return None


def _build_all(
    inputs: object,
    wanted: list[Area],
    folder: Path,
    jobs: int | None,
    started: float,
    strict: bool = False,
) -> int:
    from factsheet.batch import Outcome, run
    from factsheet.build import Inputs

    assert isinstance(inputs, Inputs)
    # Shared problems (content, workbook, variant templates) show in riket and in any one area
    # of each kind: found here, before anything is written. Each worker resolves its own areas.
    kinds = {area.kind: area for area in reversed(wanted)}
    documents = check(inputs, list(kinds.values()), strict)
    tty = sys.stderr.isatty()

    def progress(outcome: Outcome, done: int, total: int) -> None:
        status = (
            f"FAILED {outcome.name}: {outcome.error}" if outcome.error else f"built {outcome.file}"
        )
        if tty:
            bar = "#" * (24 * done // total)
            sys.stderr.write(f"\r[{bar:<24}] {done}/{total} {outcome.name:<28}")
            if outcome.error or done == total:
                sys.stderr.write("\n" if not outcome.error else f"\n{status}\n")
        else:
            print(f"[{done}/{total}] {status}", file=sys.stderr)
        sys.stderr.flush()

    result = run(inputs, wanted, documents, folder, jobs, progress)
    built, failed = len(result.outcomes) - len(result.failed), len(result.failed)
    print(
        f"Done: {built} built, {failed} failed in {time.perf_counter() - started:.1f} s "
        f"(manifest: {folder / 'manifest.json'})"
    )
    return 1 if failed else 0


def run() -> None:
    """The console script: exit without tearing down the heap object by object (the process
    ends anyway; output is flushed first). Saves about 0.1 s on a large build."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
