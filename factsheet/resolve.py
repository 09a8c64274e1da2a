"""(Spec, Dataset, area) -> ``Document``: placeholders filled, numbers formatted, calls numbered.

Every problem (unknown indicator, missing year, placeholder naming nothing, a digit typed into
the prose) is collected with the content location and raised together as ContentError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import areas, schema
from .content import year_of
from .errors import ContentError, Problem
from .formatting import format_number, join_units, swedish_list, year_span
from .model import Block, FigureSpec, Spec, Src, TableSpec
from .richtext import LINK, MarkupError, RichText, Run, parse, plain
from .workbook import Dataset

_VALUE = re.compile(r"^([A-Z][A-Z0-9]*\d)(?::(year(?:[+-]\d+)?|\d{4}))?$")
_FUNC = re.compile(
    r"^(min|max|minname|maxname|missing):([A-Z][A-Z0-9]*\d)(?::(year(?:[+-]\d+)?|\d{4}))?$"
)
_YEAR = re.compile(r"^year(?:([+-])(\d+))?$")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    value: float | None
    printed: str


@dataclass(frozen=True)
class ResolvedFigure:
    number: int
    caption: RichText
    note: RichText
    source: RichText
    alt: str
    axis_label: str
    bars: tuple[Bar, ...]
    reference_label: str
    reference_value: float | None


@dataclass(frozen=True)
class ResolvedTable:
    number: int
    caption: RichText
    unit: RichText
    header: RichText
    years: tuple[int, ...]
    rows: tuple[tuple[RichText, tuple[str, ...]], ...]
    source: RichText


@dataclass(frozen=True)
class RBlock:
    kind: str
    text: RichText = ()
    lines: tuple[RichText, ...] = ()
    children: tuple[RBlock, ...] = ()
    table: ResolvedTable | None = None
    figure: ResolvedFigure | None = None


@dataclass
class Document:
    """What the layout draws, in reading order."""

    year: int
    language: str
    published: object
    pages: int
    title: RichText
    ingress: RichText
    box_heading: RichText
    box_items: tuple[RichText, ...]
    body: tuple[RBlock, ...]
    meta_title: str
    meta_author: str
    meta_subject: str
    meta_keywords: tuple[str, ...]
    footer: str
    page_label: str
    table_label: str
    figure_label: str
    references_label: str
    synthetic_mark: str  # empty when the workbook is not synthetic
    footnotes: list[tuple[str, RichText]] = field(default_factory=list)
    references: list[tuple[str, RichText]] = field(default_factory=list)


@dataclass
class _Context:
    """What a placeholder may refer to besides the document-wide ones."""

    years: tuple[int, ...] = ()
    missing_order: str = "code"


class Resolver:
    def __init__(self, spec: Spec, data: Dataset, area: str = areas.RIKET) -> None:
        self.spec, self.data, self.area = spec, data, area
        self.problems: list[Problem] = []
        self.notes: dict[str, str] = {}
        self.refs: dict[str, str] = {}
        self.counties = {c.code: c for c in areas.counties()}

    # --- placeholders -------------------------------------------------------------------
    def text(self, src: Src, ctx: _Context | None = None) -> RichText:
        ctx = ctx or _Context()
        self._check_digits(src)
        try:
            return parse(src.text, lambda name: self._placeholder(name, src, ctx))
        except MarkupError as exc:
            self.problems.append(Problem(src.where, str(exc)))
            return (Run(src.text),)

    def _placeholder(self, name: str, src: Src, ctx: _Context) -> list[Run]:
        try:
            return self._lookup(name, ctx)
        except LookupError as exc:
            self.problems.append(Problem(src.where, f"placeholder {{{name}}}: {exc}"))
            return [Run("?", kind="value")]

    def _lookup(self, name: str, ctx: _Context) -> list[Run]:
        year = _YEAR.match(name)
        if year:
            return [Run(str(year_of(name, self.spec.year)), kind="value")]
        if name == "years":
            if not ctx.years:
                raise LookupError("{years} is only defined in a table's caption and source")
            return [Run(year_span(ctx.years[0], ctx.years[-1]), kind="value")]
        if name.startswith("note:"):
            return [self._call(name[5:], self.spec.footnotes, self.notes, "note")]
        if name.startswith("ref:"):
            return [self._call(name[4:], self.spec.references, self.refs, "ref")]
        value = _VALUE.match(name)
        if value:
            ind, when = value.groups()
            return [Run(self.formatted(self.area, ind, self._year(when)), kind="value")]
        func = _FUNC.match(name)
        if func:
            kind, ind, when = func.groups()
            return [Run(self._county_function(kind, ind, self._year(when), ctx), kind="value")]
        raise LookupError(
            "names nothing (expected year, year-N, years, an indicator id such as "
            "U28541 or U28541:year-1, min:/max:/minname:/maxname:/missing:ID, "
            "note:KEY or ref:KEY)"
        )

    def _year(self, when: str | None) -> int:
        if when is None:
            return self.spec.year
        return int(when) if when.isdigit() else year_of(when, self.spec.year)

    def _call(self, key: str, entries: dict[str, Src], numbers: dict[str, str], kind: str) -> Run:
        if key not in entries:
            what = "footnote" if kind == "note" else "reference"
            known = ", ".join(sorted(entries)) or "none defined"
            raise LookupError(f"no {what} {key!r} (known: {known})")
        number = numbers.setdefault(key, str(len(numbers) + 1))
        text = number if kind == "note" else f"[{number}]"
        return Run(text, kind=kind, target=f"{kind}-{number}")

    def indicator(self, ind: str) -> None:
        if ind not in self.data.indicators:
            import difflib

            close = difflib.get_close_matches(ind, list(self.data.indicators), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise LookupError(f"unknown indicator {ind!r}{hint}")

    def value(self, area: str, ind: str, year: int) -> float | None:
        self.indicator(ind)
        if year not in self.data.years(ind):
            have = sorted(self.data.years(ind))
            span = year_span(have[0], have[-1]) if have else "none"
            raise LookupError(f"the workbook has no {year} values for {ind!r} (years: {span})")
        found = self.data.value(area, ind, year)
        return found.value if found else None

    def formatted(self, area: str, ind: str, year: int) -> str:
        value = self.value(area, ind, year)
        if value is None:
            name = "riket" if area == areas.RIKET else area
            raise LookupError(f"no value for {ind!r} in {name} {year}")
        return format_number(value)

    def county_values(self, ind: str, year: int) -> dict[str, float | None]:
        self.value(areas.RIKET, ind, year)  # validates indicator and year
        return {code: self.value(code, ind, year) for code in self.counties}

    def _county_function(self, kind: str, ind: str, year: int, ctx: _Context) -> str:
        values = self.county_values(ind, year)
        present = {c: v for c, v in values.items() if v is not None}
        if kind == "missing":
            absent = [c for c, v in values.items() if v is None]
            return swedish_list(
                [self.counties[c].short for c in self.missing_sorted(absent, ind, year, ctx)]
            )
        if not present:
            raise LookupError(f"no county has a value for {ind!r} in {year}")
        pick = min if kind.startswith("min") else max
        best = pick(present.values())
        if kind.endswith("name"):
            return swedish_list([self.counties[c].name for c, v in present.items() if v == best])
        return format_number(best)

    def missing_sorted(self, codes: list[str], ind: str, year: int, ctx: _Context) -> list[str]:
        if ctx.missing_order == "nonresponse":
            return sorted(codes, key=lambda c: (-self.data.missing_share(c, ind, year), c))
        if ctx.missing_order == "name":
            return sorted(codes, key=lambda c: self.counties[c].short)
        return sorted(codes)

    def _check_digits(self, src: Src) -> None:
        text = re.sub(r"\{[^{}]*\}", "", src.text)
        text = LINK.sub("", text)
        for literal in self.spec.literal_numbers:
            text = text.replace(literal.text, "")
        if _DIGIT.search(text):
            found = re.search(r"\S*\d\S*", text)
            self.problems.append(
                Problem(
                    src.where,
                    f"number {found.group() if found else ''!r} typed "
                    "into the text: use a placeholder, or list it under literal_numbers",
                )
            )

    # --- blocks -------------------------------------------------------------------------
    def document(self) -> Document:
        s = self.spec
        labels = s.labels
        doc = Document(
            year=s.year,
            language=s.language,
            published=s.published,
            pages=s.pages,
            title=self.text(s.title),
            ingress=self.text(s.ingress),
            box_heading=self.text(s.box_heading),
            box_items=tuple(self.text(i) for i in s.box_items),
            body=(),
            meta_title=plain(self.text(s.metadata.title)),
            meta_author=plain(self.text(s.metadata.author)),
            meta_subject=plain(self.text(s.metadata.subject)),
            meta_keywords=tuple(plain(self.text(k)) for k in s.metadata.keywords),
            footer=plain(self.text(labels.footer)),
            page_label=labels.page.text,
            table_label=plain(self.text(labels.table)),
            figure_label=plain(self.text(labels.figure)),
            references_label=plain(self.text(labels.references)),
            synthetic_mark=plain(self.text(labels.synthetic)) if self.data.synthetic else "",
        )
        self.numbers = {"table": 0, "figure": 0}
        doc.body = self.blocks(s.body)
        doc.footnotes = [(n, self.text(s.footnotes[k])) for k, n in self.notes.items()]
        doc.references = [(n, self.text(s.references[k])) for k, n in self.refs.items()]
        self._unused("footnote", s.footnotes, self.notes)
        self._unused("reference", s.references, self.refs)
        if self.problems:
            raise ContentError(self.problems)
        return doc

    def _unused(self, what: str, entries: dict[str, Src], used: dict[str, str]) -> None:
        for key, src in entries.items():
            if key not in used:
                self.problems.append(Problem(src.where, f"{what} {key!r} is never called"))

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[RBlock, ...]:
        out = []
        for block in blocks:
            if block.kind == "table":
                out.append(RBlock("table", table=self.table(block)))
            elif block.kind == "figure":
                out.append(RBlock("figure", figure=self.figure(block)))
            elif block.kind == "box":
                out.append(RBlock("box", children=self.blocks(block.children)))
            elif block.kind == "contact":
                assert block.text is not None
                out.append(
                    RBlock(
                        "contact",
                        text=self.text(block.text),
                        lines=tuple(self.text(line) for line in block.lines),
                    )
                )
            elif block.text is not None:
                out.append(RBlock(block.kind, text=self.text(block.text)))
            else:
                out.append(RBlock(block.kind))
        return tuple(out)

    def _spec_of(self, block: Block, defs: dict[str, Any], what: str) -> Any:
        if block.ref not in defs:
            known = ", ".join(sorted(defs)) or "none defined"
            self.problems.append(Problem(block.where, f"no {what} {block.ref!r} (known: {known})"))
            return None
        return defs[block.ref]

    def table(self, block: Block) -> ResolvedTable | None:
        spec: TableSpec | None = self._spec_of(block, self.spec.tables, "table")
        if spec is None:
            return None
        self.numbers["table"] += 1
        ctx = _Context(years=spec.years)
        rows = []
        for row in spec.rows:
            cells = []
            for year in spec.years:
                try:
                    value = self.value(self.area, row.indicator, year)
                    cells.append("–" if value is None else format_number(value))
                except LookupError as exc:
                    self.problems.append(Problem(row.where, f"indicator: {exc}"))
                    cells.append("?")
            rows.append((self.text(row.label), tuple(cells)))
        return ResolvedTable(
            self.numbers["table"],
            self.text(spec.caption, ctx),
            self.text(spec.unit),
            self.text(spec.header),
            spec.years,
            tuple(rows),
            self.text(spec.source, ctx),
        )

    def figure(self, block: Block) -> ResolvedFigure | None:
        spec: FigureSpec | None = self._spec_of(block, self.spec.figures, "figure")
        if spec is None:
            return None
        self.numbers["figure"] += 1
        for key, value, allowed in (
            ("level", spec.level, schema.LEVELS),
            ("order", spec.order, schema.FIGURE_ORDERS),
            ("missing_order", spec.missing_order, schema.MISSING_ORDERS),
        ):
            if value not in allowed:
                self.problems.append(
                    Problem(
                        spec.where,
                        f"figures.{spec.id}.{key}: expected one of "
                        f"{', '.join(allowed)}, got {value!r}",
                    )
                )
        ctx = _Context(years=(spec.year,), missing_order=spec.missing_order)
        try:
            values = self.county_values(spec.indicator, spec.year)
            reference = self.value(areas.RIKET, spec.indicator, spec.year)
        except LookupError as exc:
            self.problems.append(Problem(spec.where, f"indicator: {exc}"))
            values, reference = {}, None
        missing = self.missing_sorted(
            [c for c, v in values.items() if v is None], spec.indicator, spec.year, ctx
        )
        bars = tuple(
            Bar(c, self.counties[c].short, v, "" if v is None else format_number(v))
            for c, v in self._bar_order(values, spec.order)
            if v is not None
        )
        bars += tuple(Bar(c, self.counties[c].short, None, "") for c in missing)
        return ResolvedFigure(
            self.numbers["figure"],
            self.text(spec.caption, ctx),
            self.text(spec.note, ctx) if spec.note else (),
            self.text(spec.source, ctx),
            join_units(plain(self.text(spec.alt, ctx))),
            plain(self.text(spec.axis_label)),
            bars,
            plain(self.text(spec.reference_label)),
            reference,
        )

    @staticmethod
    def _bar_order(values: dict[str, float | None], order: str) -> list[tuple[str, float | None]]:
        items = list(values.items())
        if order == "code":
            return items
        sign = -1 if order == "value-descending" else 1
        present = sorted(
            (i for i in items if i[1] is not None), key=lambda i: (sign * (i[1] or 0), i[0])
        )
        return present


def resolve(spec: Spec, data: Dataset, area: str = areas.RIKET) -> Document:
    """Resolve the whole document for one area; raise ContentError listing every problem."""
    return Resolver(spec, data, area).document()
