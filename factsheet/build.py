"""The pipeline: read -> validate -> resolve -> lay out -> write. No printing, no exiting."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import areas
from .content import load_content
from .errors import FactsheetError, InputError, Problem
from .model import Spec
from .resolve import Document, resolve
from .workbook import Dataset, load_layout, load_workbook

if TYPE_CHECKING:
    from .pdf import Guess

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
    """Read content, workbook and fonts; report every problem of all three together."""
    problems: list[Problem] = []
    spec = data = None
    try:
        spec = load_content(content)
    except InputError as exc:
        problems += exc.problems
    try:
        layout = load_layout(content) if content.is_dir() else None
        if layout is not None:
            path = workbook or (content / spec.workbook if spec else None)
            if path is not None:
                data = load_workbook(path, layout)
    except InputError as exc:
        problems += exc.problems
    try:
        from .theme import register_fonts

        register_fonts(fonts.resolve())
    except InputError as exc:
        problems += exc.problems
    if problems or spec is None or data is None:
        raise InputError(problems)
    return Inputs(spec, data, fonts)


def check(inputs: Inputs, codes: list[str] | None = None) -> dict[str, Document]:
    """Resolve the national document and every area variant asked for (all counties by
    default): every placeholder, table, figure and variant sentence is checked. The problems of
    all areas are reported together, each once. Returns the resolved documents by area."""
    documents = {areas.RIKET: resolve(inputs.spec, inputs.data, areas.RIKET)}
    problems: list[Problem] = []
    for code in codes if codes is not None else [c.code for c in areas.counties()]:
        if code == areas.RIKET:
            continue
        try:
            documents[code] = resolve(inputs.spec, inputs.data, code)
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise InputError(problems)
    return documents


def find_area(query: str) -> str:
    """A county code from a code or name; InputError listing the valid ones."""
    try:
        return areas.find_county(query).code
    except LookupError:
        valid = ", ".join(f"{c.code} {c.short}" for c in areas.counties())
        raise InputError(Problem("--county", f"unknown county {query!r}; valid: {valid}")) from None


def output_name(spec: Spec, area: str = areas.RIKET) -> str:
    """``oj-2021-lss-riket.pdf``, ``oj-2021-lss-03-uppsala.pdf``: from codes and ASCII slugs
    only, so no area name can reach outside the output folder."""
    if area == areas.RIKET:
        return f"oj-{spec.year}-lss-riket.pdf"
    county = next(c for c in areas.counties() if c.code == area)
    return f"oj-{spec.year}-lss-{county.code}-{areas.slug(county.short)}.pdf"


def national_guess(document: Document) -> Guess:
    """Where the national sheet's footnotes go; a variant starts from it. Cached by the national
    document's content; the same value either way, so it never changes the output."""
    from . import cache
    from .pdf import Guess, render

    name = "plan-" + cache.digest(repr(document))
    stored = cache.read_json(name)
    if isinstance(stored, dict):
        try:
            plan = {int(p): tuple(str(n) for n in ns) for p, ns in stored["plan"].items()}
            return Guess(plan, frozenset(str(n) for n in stored["pushed"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    guess = render(document).guess
    cache.write_json(name, {"plan": guess.plan, "pushed": sorted(guess.pushed)})
    return guess


def build_one(inputs: Inputs, output: Path | None, area: str = areas.RIKET) -> Built:
    """Build one sheet; the earlier file at ``output`` is replaced only on success."""
    from .pdf import render, write_atomic

    started = time.perf_counter()
    documents = check(inputs, [area])
    rendered = render(documents[area], national_guess(documents[areas.RIKET]))
    target = output or DEFAULT_OUTPUT / output_name(inputs.spec, area)
    if target.is_dir():
        target = target / output_name(inputs.spec, area)
    try:
        write_atomic(rendered.pdf, target)
    except OSError as exc:
        raise FactsheetError(
            Problem(str(target), f"cannot write the PDF: {exc.strerror or exc}")
        ) from None
    return Built(target, rendered.pages, len(rendered.pdf), time.perf_counter() - started)
