"""The pipeline: read -> validate -> resolve -> lay out -> write. No printing, no exiting."""

from __future__ import annotations

import difflib
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from factsheet import cache
from factsheet.beside import beside, forks
from factsheet.errors import FactsheetError, InputError, Problem, RenderError, WordTooWide
from factsheet.files import output_name, output_problems
from factsheet.formatting import year_span
from factsheet.glyphs import glyph_problems, length_problems, word_problem
from factsheet.inputs.content import Locator, load_content, workbook_name
from factsheet.inputs.workbook import check_input, load_layout, load_workbook
from factsheet.model import areas, dataset
from factsheet.model.areas import Area
from factsheet.model.dataset import Dataset, Layout
from factsheet.model.document import Document
from factsheet.model.spec import Spec
from factsheet.resolve import claims, resolve

if TYPE_CHECKING:
    from factsheet.render.pages import Guess, Rendered

T = TypeVar("T")

DEFAULT_CONTENT = Path("content/2021")
DEFAULT_FONTS = Path("fonts")
DEFAULT_OUTPUT = Path("out")


@dataclass(frozen=True)
class Inputs:
    spec: Spec
    data: Dataset
    fonts: Path


@dataclass(frozen=True)
class Built:
    path: Path
    pages: int
    size: int
    seconds: float


def load_inputs(content: Path, workbook: Path | None, fonts: Path) -> Inputs:
    """Read content, workbook and fonts; report every problem of all three together. When
    content and workbook are readable but something else is wrong (fonts), the content is
    also resolved against the workbook, so that its problems are in the same report."""
    from factsheet.render import memo

    memo.use(cache)  # charts and hyphenation patterns are kept in the build cache
    problems: list[Problem] = []
    font_problems: list[Problem] = []
    fonts_read = False

    def meanwhile() -> None:  # while the workbook is parsed in a child process
        nonlocal fonts_read
        fonts_read = True
        _collect(font_problems, _register_fonts, fonts)
        _warm_up()

    spec = _collect(problems, load_content, content)
    data = None
    if content.is_dir():
        layout = _collect(problems, load_layout, content)
        path = workbook or _workbook_path(content, spec)
        if layout is not None and path is not None:
            data = _collect(problems, read_workbook, path, layout, meanwhile)
    if not fonts_read:
        _collect(font_problems, _register_fonts, fonts)
    problems += [p for p in font_problems if p not in problems]
    if problems and spec is not None and data is not None:
        _collect(problems, check, Inputs(spec, data, fonts), [])
    if problems or spec is None or data is None:
        raise InputError(problems)
    return Inputs(spec, data, fonts)


def read_workbook(
    path: Path, layout: Layout, meanwhile: Callable[[], None] = lambda: None
) -> Dataset:
    """The workbook's data: from the build cache when this file was read before with this
    layout and this code, else read (and stored). ``meanwhile`` runs while the workbook is
    parsed, in the parent, with the parsing in a child process (``beside``); when the
    workbook is not parsed, it is not run."""
    check_input(path, layout)  # no workbook, or an unused layout key: refused unread
    try:
        name = "workbook-" + cache.file_digest(path, repr(layout))
    except OSError:
        return load_workbook(path, layout)  # which says what is wrong with the file
    stored = cache.read_json(name)
    if isinstance(stored, dict):
        try:
            return dataset.from_json(stored, str(path))
        except (ValueError, KeyError, TypeError):
            pass

    def parse() -> dict[str, Any]:
        packed = dataset.to_json(load_workbook(path, layout))
        cache.write_json(name, packed)
        return packed

    def receive(packed: dict[str, Any]) -> Dataset:
        try:
            return dataset.from_json(packed, str(path))
        except (ValueError, KeyError, TypeError):  # rows the cache's check refuses: as read
            return load_workbook(path, layout)

    return beside(parse, meanwhile, receive=receive)


def _warm_up() -> None:
    """Load what a build needs after the workbook and that does not depend on it: the layout
    modules, the hyphenation patterns and matplotlib (a workbook read anew usually means
    charts not drawn before). Run while a child process parses the workbook; matplotlib only
    then (without a second core it would be work a build with cached charts never does)."""
    from factsheet.render import hyphdict, pages  # noqa: F401

    hyphdict.preload()
    if forks():
        from factsheet.render import chart_mpl  # noqa: F401


def _collect(problems: list[Problem], step: Callable[..., T], *args: object) -> T | None:
    """Run one reading step; its problems join ``problems`` (each once) instead of stopping."""
    try:
        return step(*args)
    except InputError as exc:
        problems += [p for p in exc.problems if p not in problems]
        return None


def _workbook_path(content: Path, spec: Spec | None) -> Path | None:
    """The workbook the content names, also when the content has other problems."""
    name = spec.workbook if spec else workbook_name(content)
    return content / name if name else None


def _register_fonts(fonts: Path) -> None:
    from factsheet.render.theme import register_fonts

    register_fonts(fonts.resolve())


def prepare(
    content: Path,
    workbook: Path | None,
    fonts: Path,
    county: str | None = None,
    output: Path | None = None,
    folder: bool = False,
    municipality: str | None = None,
) -> tuple[Inputs, Area]:
    """Everything checked before anything is built: the area asked for, the output path,
    content, workbook and fonts. Returns the inputs and the area; InputError lists
    every problem found."""
    problems: list[Problem] = []
    area: Area | None = areas.riket()
    if county is not None:
        area = _collect(problems, find_area, county)
    elif municipality is not None:
        area = _collect(problems, find_municipality, municipality)
    if output is not None:
        problems += output_problems(output, folder)
    inputs = _collect(problems, load_inputs, content, workbook, fonts)
    if problems or inputs is None or area is None:
        raise InputError(problems)
    return inputs, area


def check(
    inputs: Inputs, wanted: list[Area] | None = None, strict: bool = False
) -> dict[str, Document]:
    """Resolve the national document and every area variant asked for (all counties by
    default): every placeholder, table, figure and variant sentence is checked, and every
    claim can be checked (``claim_warnings`` lists those the data no longer supports; with
    ``strict`` they are problems here). The problems of all areas are reported together, each
    once. Returns the resolved documents by area code."""
    problems = year_problems(inputs) + glyph_problems(inputs.spec, inputs.data)
    too_long = length_problems(inputs.spec)
    if too_long:  # resolving such a text for every area would take long: said at once
        raise InputError(problems + too_long)
    verdict = claims.evaluate(inputs.spec, inputs.data, values=not problems, locate=Locator().where)
    failed = verdict.errors + (verdict.warnings if strict else [])
    try:
        documents = {areas.RIKET: resolve(inputs.spec, inputs.data, areas.riket())}
    except InputError as exc:
        raise InputError([*problems, *exc.problems, *failed]) from None
    problems += failed
    answered = {u for units in inputs.data.unit_years.values() for u in units}
    for area in wanted if wanted is not None else [areas.area(c.code) for c in areas.counties()]:
        if area.kind == "riket":
            continue
        if area.kind == "municipality" and area.code not in answered:
            problems.append(_no_rows(inputs.data.path, area))
            continue
        try:
            documents[area.code] = resolve(inputs.spec, inputs.data, area)
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise InputError(problems)
    return documents


def _no_rows(path: str, area: Area) -> Problem:
    """A kommun the workbook has no row for in any year: its sheet would print 'uppgift
    saknas' in every place, which is a cut or wrong workbook, not the kommun's answers."""
    return Problem(
        path,
        f"{area.name} ({area.code}) has no rows in the workbook, in any year: its sheet would "
        "say that every answer is missing; check that the workbook is complete",
    )


def year_problems(inputs: Inputs) -> list[Problem]:
    """One problem when the workbook has nothing for the content's year (last year's workbook
    for a new edition): said once, before the placeholders that name the year."""
    data, year = inputs.data, inputs.spec.year
    years = {y for ind in data.indicators for y in data.years(ind)}
    if not years or year in years:
        return []
    span = year_span(min(years), max(years))
    return [
        Problem(
            data.path,
            f"the workbook has no values for {year}, the year of the content (it has {span}): "
            f"put the {year} workbook in place",
        )
    ]


def claim_warnings(inputs: Inputs) -> list[Problem]:
    """The claims (trend and comparison words bound to rules) the data no longer supports,
    one per sentence; empty when all hold. A claim that cannot be checked is a problem of
    ``check`` instead."""
    return claims.evaluate(inputs.spec, inputs.data, locate=Locator().where).warnings


def find_area(query: str) -> Area:
    """A county from a code or name; InputError listing the valid ones."""
    try:
        return areas.area(areas.find_county(query).code)
    except LookupError:
        pass
    padded = query.strip().zfill(2)
    if query.strip().isdigit() and any(c.code == padded for c in areas.counties()):
        raise InputError(
            Problem(
                "--county", f"unknown county {query!r}: county codes have two digits ({padded!r})"
            )
        )
    valid = ", ".join(f"{c.code} {c.short}" for c in areas.counties())
    raise InputError(Problem("--county", f"unknown county {query!r}; valid: {valid}"))


def find_municipality(query: str) -> Area:
    """A kommun or stadsdel from a code or name; InputError saying what to do."""
    try:
        return areas.area(areas.find_municipality(query).code)
    except LookupError as exc:
        if exc.args == ("stockholm",):
            districts = ", ".join(
                f"{u.code} {u.name}"
                for u in areas.responding_units()
                if u.county == "01" and u.code.startswith(areas.STOCKHOLM)
            )
            raise InputError(
                Problem(
                    "--municipality",
                    (
                        "Stockholm stad (0180) answers the survey as its stadsdelsområden; "
                        f"choose one: {districts}"
                    ),
                )
            ) from None
    names = {u.name: u.code for u in areas.responding_units()}
    close = difflib.get_close_matches(query.strip(), list(names), n=1)
    hint = f" (did you mean {close[0]!r}, {names[close[0]]}?)" if close else ""
    raise InputError(
        Problem(
            "--municipality",
            f"unknown kommun or stadsdel {query!r}{hint}; give a code such as "
            "'0380' or '0180-01', or a name",
        )
    )


def national_guess(document: Document) -> Guess:
    """Where the national sheet's footnotes go; a variant starts from it. Cached by the national
    document's content; the same value either way, so it never changes the output."""
    guess = _stored_guess(document)
    if guess is not None:
        return guess
    from factsheet.render.pages import Guess, plan_notes

    try:  # a draft: where the notes go does not depend on the chart, which it does not draw
        return _store_guess(document, plan_notes(document).guess)
    except RenderError:  # the national sheet does not fit: a variant is laid out unguided
        return Guess({})  # (its own overflow is its own, not the national sheet's)


def _national(document: Document) -> Rendered:
    """The national sheet laid out unguided: it finds where its footnotes go itself, the same
    bytes as a build guided by that plan, so a first build lays it out once, not once more for
    the plan. The plan is stored for the next build and the variants."""
    from factsheet.render.pages import render

    rendered = render(document)
    _store_guess(document, rendered.guess)
    return rendered


def _store_guess(document: Document, guess: Guess) -> Guess:
    cache.write_json(_plan_name(document), {"plan": guess.plan, "pushed": sorted(guess.pushed)})
    return guess


def _plan_name(document: Document) -> str:
    return "plan-" + cache.digest(repr(document))


def _stored_guess(document: Document) -> Guess | None:
    from factsheet.render.pages import Guess

    stored = cache.read_json(_plan_name(document))
    if isinstance(stored, dict):
        try:
            plan = {int(p): tuple(str(n) for n in ns) for p, ns in stored["plan"].items()}
            return Guess(plan, frozenset(str(n) for n in stored["pushed"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    return None


def build_one(
    inputs: Inputs, output: Path | None, area: Area | None = None, strict: bool = False
) -> Built:
    """Build one sheet; the earlier file at ``output`` is replaced only on success. With
    ``strict``, a claim the data no longer supports stops the build (InputError)."""
    started = time.perf_counter()
    frozen = gc.get_freeze_count()  # a caller's own freeze is left as it is
    gc.freeze()  # the inputs and modules: the layout's collections need not traverse them
    try:
        return _build_one(inputs, output, area or areas.riket(), strict, started)
    finally:
        if not frozen:
            gc.unfreeze()


def _build_one(
    inputs: Inputs, output: Path | None, area: Area, strict: bool, started: float
) -> Built:
    from factsheet.files import folder_lock, write_atomic
    from factsheet.render.pages import render

    documents = check(inputs, [area], strict)
    try:
        national = documents[areas.RIKET]
        guess = _stored_guess(national)
        if area.kind == "riket" and guess is None:  # laid out once, not once more for the plan
            rendered = _national(national)
        else:
            rendered = render(documents[area.code], guess or national_guess(national))
    except WordTooWide as exc:
        raise word_problem(exc, inputs.spec) from None
    target = output or DEFAULT_OUTPUT / output_name(inputs.spec, area)
    if target.is_dir() or target.suffix.lower() != ".pdf":  # a folder, existing or to be made
        target = target / output_name(inputs.spec, area)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with folder_lock(target.parent):
            write_atomic(rendered.pdf, target)
    except OSError as exc:
        raise FactsheetError(
            Problem(str(target), f"cannot write the PDF: {exc.strerror or exc}")
        ) from None
    from factsheet.render import memo

    memo.save()  # what the layout gathered for the next build (hyphenated words)
    return Built(target, rendered.pages, len(rendered.pdf), time.perf_counter() - started)
