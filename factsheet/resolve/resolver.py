"""(Spec, Dataset, area) -> ``Document``: placeholders filled, numbers formatted, calls numbered.

Every problem (unknown indicator, missing year, placeholder naming nothing, a digit typed into
the prose) is collected with the content location and raised together as ContentError.
An optional recorder receives a ``Trace`` (the value as printed and its ``Origin``) for every
value the resolver prints, for the audit trail (``factsheet explain``); it changes no output.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from factsheet.errors import ContentError, Problem, did_you_mean
from factsheet.formatting import format_number, swedish_list, year_span
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.dataset import Dataset
from factsheet.model.document import (
    Bar,
    ColumnGroup,
    Document,
    RBlock,
    ResolvedFigure,
    ResolvedTable,
)
from factsheet.model.richtext import LINK, RichText, Run, plain
from factsheet.model.spec import (
    Block,
    FigureSpec,
    FigureVariant,
    Sentence,
    Spec,
    Src,
    TableSpec,
    Variant,
    line_order,
    year_of,
)
from factsheet.model.trace import Origin, Trace
from factsheet.resolve import figures
from factsheet.resolve.context import AreaMissing, Context
from factsheet.resolve.markup import MarkupError, parse

_VALUE = re.compile(r"^([A-Z][A-Z0-9]*\d)(?::(year(?:[+-]\d+)?|\d{4}))?$")
_FUNC = re.compile(
    r"^(min|max|minname|maxname|missing):([A-Z][A-Z0-9]*\d)(?::(year(?:[+-]\d+)?|\d{4}))?$"
)
AREA_PLACEHOLDER = re.compile(
    r"^(area|yes|answered|compare|answer|county|unitmin|unitmax|unitminname|unitmaxname):"
    r"([A-Z][A-Z0-9]*\d)(?::(year(?:[+-]\d+)?|\d{4}))?$"
)
_YEAR = re.compile(r"^year(?:([+-])(\d+))?$")
_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=1000)
def _typed_number(text: str, literals: tuple[str, ...]) -> str | None:
    """The first number typed into ``text`` outside placeholders, addresses and the literal
    numbers (read once per process: every variant checks the same texts); None if none."""
    text = re.sub(r"\{[^{}]*\}", "", text)
    text = LINK.sub("", text)
    for literal in literals:
        text = text.replace(literal, "")
    if not _DIGIT.search(text):
        return None
    found = re.search(r"\S*\d\S*", text)
    return found.group() if found else ""


_CALL = re.compile(r"\{\s*(note|ref):([^{}]*?)\s*\}")


Recorder = Callable[[Trace], None]


class Resolver:
    """The national sheet. The area variants (``variants.py``) are subclasses that override
    the hooks: ``section``, ``area_placeholder``, ``column_groups``, ``resolve_figure``,
    ``figure_alt`` and ``front``."""

    variant: Variant | None = None

    def __init__(
        self,
        spec: Spec,
        data: Dataset,
        area: Area | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.spec, self.data = spec, data
        self.area = area or areas.riket()
        self.recorder = recorder
        self._origin: Origin | None = None  # of the value the last placeholder printed
        self.county = ""  # the län highlighted in figures and named in tables
        self.problems: list[Problem] = []
        self.notes: dict[str, str] = {}
        self.refs: dict[str, str] = {}
        self.counties = {c.code: c for c in areas.counties()}

    # --- placeholders -------------------------------------------------------------------
    def text(self, src: Src, ctx: Context | None = None) -> RichText:
        ctx = ctx or Context()
        self._check_digits(src)
        traced: list[tuple[str, Origin | None]] = []  # (placeholder, origin) per value printed
        try:
            text = parse(src.text, lambda name: self._placeholder(name, src, ctx, traced))
        except MarkupError as exc:
            self.problems.append(Problem(src.where, str(exc)))
            self._mark_calls(src.text)
            return (Run(src.text),)
        if self.recorder is not None:
            self._record_text(src, text, traced)
        return text

    def _record_text(
        self, src: Src, text: RichText, traced: list[tuple[str, Origin | None]]
    ) -> None:
        assert self.recorder is not None
        printed, offset, values = plain(text), 0, iter(traced)
        for run in text:
            if run.kind == "value":
                name, origin = next(values, ("", None))
                self.recorder(Trace(run.text, origin, src.where, src, printed, offset, name))
            offset += len(run.text)

    def record(
        self, printed: str, origin: Origin | None, where: str, part: str, context: str
    ) -> None:
        """A value printed outside running text: a table cell, a figure bar."""
        if self.recorder is not None:
            self.recorder(Trace(printed, origin, where, plain=context, part=part))

    def published(self, area: str, ind: str, year: int) -> Origin | None:
        """The origin of a published riket or län value: its workbook cell."""
        found = self.data.value(area, ind, year)
        return Origin("published", ind, area, year, (found.cell,)) if found else None

    def _mark_calls(self, text: str) -> None:
        """Count the note/ref calls of a text whose markup is broken, so that its notes are
        not also reported as never called."""
        for kind, key in _CALL.findall(text):
            entries = self.spec.footnotes if kind == "note" else self.spec.references
            if key in entries:
                self._call(key, entries, self.notes if kind == "note" else self.refs, kind)

    def _placeholder(
        self, name: str, src: Src, ctx: Context, traced: list[tuple[str, Origin | None]]
    ) -> list[Run]:
        self._origin = None
        try:
            runs = self._lookup(name, ctx)
        except AreaMissing:
            if ctx.strict:
                raise
            runs = [Run("–", kind="value")]
        except LookupError as exc:
            self.problems.append(Problem(src.where, f"placeholder {{{name}}}: {exc}"))
            runs = [Run("?", kind="value")]
        traced += [(name, self._origin) for r in runs if r.kind == "value"]
        return runs

    def _lookup(self, name: str, ctx: Context) -> list[Run]:
        year = _YEAR.match(name)
        if year:
            self._origin = Origin("year", expression=name)
            return [Run(str(year_of(name, self.spec.year)), kind="value")]
        if name == "years":
            if not ctx.years:
                raise LookupError("{years} is only defined in a table's caption and source")
            self._origin = Origin("years")
            return [Run(year_span(ctx.years[0], ctx.years[-1]), kind="value")]
        if name.startswith(("table:", "figure:")):
            return [Run(self._number_of(*name.split(":", 1)))]
        if name.startswith("note:"):
            return [self._call(name[5:], self.spec.footnotes, self.notes, "note")]
        if name.startswith("ref:"):
            return [self._call(name[4:], self.spec.references, self.refs, "ref")]
        if name in ("area", "units", "units_word", "county") or AREA_PLACEHOLDER.match(name):
            return [Run(self.area_placeholder(name, ctx), kind="value")]
        value = _VALUE.match(name)
        if value:
            ind, when = value.groups()
            printed = self.formatted(areas.RIKET, ind, self._year(when))
            self._origin = self.published(areas.RIKET, ind, self._year(when))
            return [Run(printed, kind="value")]
        func = _FUNC.match(name)
        if func:
            kind, ind, when = func.groups()
            return [Run(self._county_function(kind, ind, self._year(when), ctx), kind="value")]
        raise LookupError(
            "names nothing (expected year, year-N, years, an indicator id such as "
            "U33621 or U33621:year-1, min:/max:/minname:/maxname:/missing:ID, "
            "note:KEY, ref:KEY, table:ID or figure:ID)"
        )

    def area_placeholder(self, name: str, ctx: Context) -> str:
        """``{area}``, ``{county}``, ``{units}``, ``{units_word}``, ``{compare:ID}`` …: defined
        in variants."""
        raise LookupError("area placeholders are only defined in the variants section")

    def area_origin(self, area: str, ind: str, year: int) -> Origin | None:
        """A published value's cell, or a kommun's counts behind a ratio measure."""
        if areas.area(area).kind != "municipality":
            return self.published(area, ind, year)
        answer = self.data.answers.get((area, ind, year))
        counts = answer if isinstance(answer, tuple) else (0, 0)
        return Origin("ratio", ind, area, year, counts=counts)

    def _number_of(self, kind: str, ident: str) -> str:
        """``{table:ID}``/``{figure:ID}``: the number its caption gets in this sheet."""
        defined = self.spec.tables if kind == "table" else self.spec.figures
        if ident not in defined:
            known = ", ".join(sorted(defined)) or "none defined"
            raise LookupError(f"no {kind} {ident!r} (known: {known})")
        if (kind, ident) not in self.numbering:
            raise LookupError(f"{kind} {ident!r} is not placed in the {self.sheet} sheet")
        return str(self.numbering[(kind, ident)])

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
            hint = did_you_mean(ind, self.data.indicators)
            raise LookupError(f"unknown indicator {ind!r}{hint}")

    def value(self, area: str, ind: str, year: int) -> float | None:
        self.indicator(ind)
        if year not in self.data.years(ind):
            have = sorted(self.data.years(ind))
            span = year_span(have[0], have[-1]) if have else "none"
            raise LookupError(f"the workbook has no {year} values for {ind!r} (years: {span})")
        found = self.data.value(area, ind, year)
        return found.value if found else None

    def years_present(self, ind: str, years: tuple[int, ...]) -> None:
        """LookupError naming every year of ``years`` the workbook lacks for ``ind``."""
        self.indicator(ind)
        have = self.data.years(ind)
        lacking = [y for y in years if y not in have]
        if lacking:
            known = sorted(have)
            span = year_span(known[0], known[-1]) if known else "none"
            raise LookupError(
                f"the workbook has no {_years_text(lacking)} values for {ind!r} (years: {span})"
            )

    def formatted(self, area: str, ind: str, year: int) -> str:
        value = self.value(area, ind, year)
        if value is None:
            name = "riket" if area == areas.RIKET else area
            raise LookupError(f"no value for {ind!r} in {name} {year}")
        return format_number(value)

    def county_values(self, ind: str, year: int) -> dict[str, float | None]:
        self.value(areas.RIKET, ind, year)  # validates indicator and year
        return {code: self.value(code, ind, year) for code in self.counties}

    def _county_function(self, kind: str, ind: str, year: int, ctx: Context) -> str:
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
        chosen = tuple(c for c, v in present.items() if v == best)
        self._origin = Origin(
            kind[:3],
            ind,
            areas.RIKET,
            year,
            tuple(found.cell for c in chosen if (found := self.data.value(c, ind, year))),
            chosen,
        )
        if kind.endswith("name"):
            return swedish_list([self.counties[c].name for c, v in present.items() if v == best])
        return format_number(best)

    def missing_sorted(self, codes: list[str], ind: str, year: int, ctx: Context) -> list[str]:
        if ctx.missing_order == "nonresponse":
            return sorted(codes, key=lambda c: (-self.data.missing_share(c, ind, year), c))
        if ctx.missing_order == "name":
            return sorted(codes, key=lambda c: self.counties[c].short)
        return sorted(codes)

    def _check_digits(self, src: Src) -> None:
        if src.bibliographic:  # a reference's year and series number are not survey data
            return
        literals = tuple(literal.text for literal in self.spec.literal_numbers)
        found = _typed_number(src.text, literals)
        if found is not None:
            self.problems.append(
                Problem(
                    src.where,
                    f"number {found!r} typed "
                    "into the text: use a placeholder, or list it under literal_numbers",
                )
            )

    # --- blocks -------------------------------------------------------------------------
    @property
    def sheet(self) -> str:
        """The kind of sheet built: ``riket``, or the variant's ``county``/``municipality``."""
        return "riket" if self.variant is None else self.area.kind

    def placed(self, block: Block) -> bool:
        """Whether the block is placed in this kind of sheet (``only:``)."""
        return not block.only or self.sheet in block.only

    def _placements(self, blocks: tuple[Block, ...]) -> None:
        """The number every table and figure gets in this sheet, before any text names one."""
        for block in blocks:
            if not self.placed(block):
                continue
            if block.kind in ("table", "figure"):
                self.numbering.setdefault(
                    (block.kind, block.ref),
                    1 + sum(1 for kind, _ in self.numbering if kind == block.kind),
                )
            self._placements(block.children)

    def document(self) -> Document:
        s = self.spec
        labels = s.labels
        self.numbering: dict[tuple[str, str], int] = {}
        self._placements(s.body)
        doc = Document(
            year=s.year,
            language=s.language,
            published=s.published,
            pages=s.pages[self.sheet],
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
            missing_label=plain(self.text(labels.missing)),
            note_link=labels.note_link.text,
            reference_link=labels.reference_link.text,
            note_back=labels.note_back.text if labels.note_back else "",
            synthetic_mark=plain(self.text(labels.synthetic)) if self.data.synthetic else "",
        )
        self.front(doc)
        self.numbers = {"table": 0, "figure": 0}
        self.skipped: set[str] = set()  # notes and references called only in unplaced blocks
        doc.body = self.blocks(s.body)
        doc.footnotes = [(n, self.text(s.footnotes[k])) for k, n in self.notes.items()]
        doc.references = [(n, self.text(s.references[k])) for k, n in self.refs.items()]
        doc.hyphenation_words, doc.hyphenation_never = s.hyphenation.words, s.hyphenation.never
        self._unused("footnote", s.footnotes, self.notes)
        self._unused("reference", s.references, self.refs)
        if self.problems:
            # in the order of the file; a stable sort keeps a line's problems in order
            raise ContentError(sorted(self.problems, key=lambda p: line_order(p.where)))
        return doc

    def _unused(self, what: str, entries: dict[str, Src], used: dict[str, str]) -> None:
        for key, src in entries.items():
            if key not in used and f"{what}:{key}" not in self.skipped:
                self.problems.append(Problem(src.where, f"{what} {key!r} is never called"))

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[RBlock, ...]:
        out = []
        for block in blocks:
            if not self.placed(block):
                self._skip(block)
                continue
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
            elif block.kind == "area_section":
                out += self.area_section(block)
            elif block.text is not None:
                out.append(RBlock(block.kind, text=self.text(block.text)))
            elif block.kind == "start_page":
                out.append(RBlock(block.kind, lines=((Run(block.ref),),)))
            else:
                out.append(RBlock(block.kind))
        return tuple(out)

    def _skip(self, block: Block) -> None:
        """A block not placed in this sheet: its note and reference calls are not 'never
        called' (the sheet it is placed in numbers them)."""
        texts = [t.text for t in (block.text, *block.lines) if t is not None]
        definition: dict[str, Any] = (
            self.spec.tables if block.kind == "table" else self.spec.figures
        )
        if block.ref in definition:
            texts.append(repr(definition[block.ref]))  # every text of the table or figure
        for text in texts:
            for kind, key in _CALL.findall(text):
                self.skipped.add(f"{'footnote' if kind == 'note' else 'reference'}:{key}")
        for child in block.children:
            self._skip(child)

    def front(self, doc: Document) -> None:
        """What a variant adds to the front page (the area, its subtitle)."""

    def area_section(self, block: Block) -> list[RBlock]:
        assert block.text is not None
        if block.text.text != "variant":
            self.problems.append(
                Problem(block.where, f"area_section: expected 'variant', got {block.text.text!r}")
            )
            return []
        if not self.spec.variants:
            self.problems.append(
                Problem(block.where, "area_section: the content has no variants section")
            )
            return []
        return self.section()

    def section(self) -> list[RBlock]:
        """The variant's area section: nothing in the national sheet."""
        return []

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
        if spec.areas:
            return self.area_rows_table(spec)
        ctx = Context(years=spec.years)
        rows, new = [], False
        for i, row in enumerate(spec.rows):
            absent = "?"
            try:
                self.years_present(row.indicator, spec.years)
            except LookupError as exc:
                if self._new_indicator(row.indicator, spec.years):
                    absent, new = "–", True  # asked first in a later year of the table
                else:
                    self.problems.append(
                        Problem(row.where, f"tables.{spec.id}.rows[{i}].indicator: {exc}")
                    )
            cells = [
                absent if v is _ABSENT else "–" if v is None else format_number(v)
                for v in (
                    self.safe_value(areas.RIKET, row.indicator, y, _ABSENT) for y in spec.years
                )
            ]
            rows.append((self.text(row.label), tuple(cells)))
        groups, unit, years = self.column_groups(
            spec, tuple(cells for _, cells in rows), self.text(spec.unit)
        )
        ctx = Context(years=years)  # a variant may show fewer years: its caption says which
        if new and years != spec.years:  # the note on '–' only when a year shown has one
            new = any(
                not set(years) <= self.data.years(row.indicator)
                for row in spec.rows
                if row.indicator in self.data.indicators
            )
        caption, header = self.text(spec.caption, ctx), self.text(spec.header)
        for year in spec.years:
            part = f"table {spec.id} column heading"
            self.record(str(year), Origin("years"), spec.where, part, plain(header))
        for i, (row, (label, printed)) in enumerate(zip(spec.rows, rows, strict=True)):
            for year, cell in zip(spec.years, printed, strict=True):
                origin = self.published(areas.RIKET, row.indicator, year)
                part = f"table {spec.id} row {i + 1}, {year}"
                self.record(cell, origin, row.where, part, plain(label))
        note = self.table_note(spec, ctx, new)
        source = self.text(spec.source, ctx)
        labels = tuple(label for label, _ in rows)
        return ResolvedTable(
            self.numbers["table"], caption, unit, header, years, labels, groups, source, note
        )

    def _new_indicator(self, ind: str, years: tuple[int, ...]) -> bool:
        """An indicator asked first in a later year of the table: the workbook has every year
        from that one on, and none before (earlier years print ``–``)."""
        have = self.data.years(ind) if ind in self.data.indicators else set()
        shown = [y in have for y in years]
        if not self.__dict__.get("_workbook_years"):
            self._workbook_years = {y for i in self.data.indicators for y in self.data.years(i)}
        asked_others = all(y in self._workbook_years for y in years)
        return asked_others and any(shown) and shown == sorted(shown)

    def table_note(self, spec: TableSpec, ctx: Context, new: bool) -> RichText:
        """The table's own note, and the note on ``–`` for a question not yet asked."""
        note = self.text(spec.note, ctx) if spec.note else ()
        if not new:
            return note
        if self.spec.labels.not_asked is None:
            self.problems.append(
                Problem(
                    spec.where,
                    f"tables.{spec.id}: a row's indicator is new (no values in the table's first "
                    "years): add 'labels.not_asked', the note on its '–'",
                )
            )
            return note
        asked = self.text(self.spec.labels.not_asked, ctx)
        return (*note, Run(" "), *asked) if note else asked

    def area_rows_table(self, spec: TableSpec) -> ResolvedTable:
        """One row per län, then riket, of one indicator over the years; the sheet's own län
        in bold."""
        ctx = Context(years=spec.years)
        new = False
        try:
            self.years_present(spec.indicator, spec.years)
        except LookupError as exc:
            if self._new_indicator(spec.indicator, spec.years):
                new = True  # asked first in a later year of the table: earlier years print –
            else:
                self.problems.append(Problem(spec.where, f"tables.{spec.id}.rows.indicator: {exc}"))
        codes = [*self.counties, areas.RIKET]
        values = tuple(
            tuple(
                "–" if v is None else format_number(v)
                for v in (self.safe_value(code, spec.indicator, y) for y in spec.years)
            )
            for code in codes
        )
        assert spec.total is not None
        labels = (*((Run(self.counties[c].name),) for c in self.counties), self.text(spec.total))
        caption, unit, header = (
            self.text(spec.caption, ctx),
            self.text(spec.unit),
            self.text(spec.header),
        )
        for code, label, row in zip(codes, labels, values, strict=True):
            for year, cell in zip(spec.years, row, strict=True):
                origin = self.published(code, spec.indicator, year)
                self.record(cell, origin, spec.where, f"table {spec.id}, {year}", plain(label))
        note = self.table_note(spec, ctx, new)
        source = self.text(spec.source, ctx)
        bold = frozenset({codes.index(self.county)} if self.county else ())
        return ResolvedTable(
            self.numbers["table"],
            caption,
            unit,
            header,
            spec.years,
            labels,
            (ColumnGroup("values", "", values),),
            source,
            note,
            bold,
        )

    def column_groups(
        self, spec: TableSpec, riket: tuple[tuple[str, ...], ...], unit: RichText
    ) -> tuple[tuple[ColumnGroup, ...], RichText, tuple[int, ...]]:
        """The table's column groups, unit line and years shown: riket's values alone."""
        return (ColumnGroup("riket", "", riket),), unit, spec.years

    def safe_value(self, area: str, ind: str, year: int, absent: Any = None) -> Any:
        try:
            return self.value(area, ind, year)
        except LookupError:
            return absent  # reported once, by the national columns

    def figure(self, block: Block) -> ResolvedFigure | None:
        spec: FigureSpec | None = self._spec_of(block, self.spec.figures, "figure")
        if spec is None:
            return None
        self.numbers["figure"] += 1
        return self.resolve_figure(spec)

    def resolve_figure(self, spec: FigureSpec) -> ResolvedFigure:
        return figures.resolve_figure(self, spec, self.numbers["figure"])

    def figure_variant(self, spec: FigureSpec) -> FigureVariant:
        """What the figure says differently in this kind of sheet: nothing in riket."""
        return FigureVariant()

    def trend_area(self) -> tuple[str, str]:
        """The area (code, name) whose line a trend figure draws beside riket's."""
        return "", ""

    def sentence(self, sentence: Sentence) -> RichText:
        """A sentence with area placeholders: only in variants."""
        return self.text(sentence.text, Context(area=True))

    def record_bars(self, spec: FigureSpec, bars: tuple[Bar, ...], reference: float | None) -> None:
        part = f"figure {spec.id}"
        for bar in bars:
            if bar.value is not None:
                origin = self.area_origin(bar.code, spec.indicator, spec.year)
                self.record(bar.printed, origin, spec.where, f"{part} bar", bar.label)
        if reference is not None:
            origin = self.published(areas.RIKET, spec.indicator, spec.year)
            label = spec.reference_label.text if spec.reference_label else ""
            self.record(
                format_number(reference), origin, spec.where, f"{part} reference line", label
            )

    @staticmethod
    def bar_order(values: dict[str, float | None], order: str) -> list[tuple[str, float | None]]:
        items = list(values.items())
        if order == "code":
            return items
        sign = -1 if order == "value-descending" else 1
        present = sorted(
            (i for i in items if i[1] is not None), key=lambda i: (sign * (i[1] or 0), i[0])
        )
        return present


_ABSENT = object()  # a table cell whose indicator or year the workbook lacks


def _years_text(years: list[int]) -> str:
    """``2015``, ``2014–2016`` (consecutive) or ``2014, 2016``."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return year_span(years[0], years[-1])
    return ", ".join(str(y) for y in years)
