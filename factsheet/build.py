"""The pipeline: read -> validate -> resolve -> lay out -> write. No printing, no exiting."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import areas
from .content import load_content
from .errors import FactsheetError, InputError, Problem
from .model import Spec
from .resolve import Document, resolve
from .workbook import Dataset, load_layout, load_workbook

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


def check(inputs: Inputs) -> Document:
    """Resolve the national document: every placeholder, table and figure is checked."""
    return resolve(inputs.spec, inputs.data, areas.RIKET)


def output_name(spec: Spec, area: str = areas.RIKET) -> str:
    return f"oj-{spec.year}-lss-riket.pdf"


def build_national(inputs: Inputs, output: Path | None) -> Built:
    """Build the national sheet; the earlier file at ``output`` is replaced only on success."""
    from .pdf import render, write_atomic

    started = time.perf_counter()
    document = check(inputs)
    rendered = render(document)
    target = output or DEFAULT_OUTPUT / output_name(inputs.spec)
    if target.is_dir():
        target = target / output_name(inputs.spec)
    try:
        write_atomic(rendered.pdf, target)
    except OSError as exc:
        raise FactsheetError(
            Problem(str(target), f"cannot write the PDF: {exc.strerror or exc}")
        ) from None
    return Built(target, rendered.pages, len(rendered.pdf), time.perf_counter() - started)
