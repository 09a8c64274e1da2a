"""The area variants (län, kommun): their section of sentences, their tables beside riket's, the
kommun chart. Functions of the ``Resolver`` (``r``), which calls them for a variant document."""

from __future__ import annotations

from dataclasses import replace

from factsheet.errors import Problem
from factsheet.formatting import format_number, join_units
from factsheet.model import areas
from factsheet.model.document import Bar, RBlock, ResolvedFigure, ResolvedTable
from factsheet.model.richtext import RichText, plain
from factsheet.model.spec import Block, FigureSpec, Sentence, TableSpec
from factsheet.model.trace import Origin
from factsheet.resolve.resolver import AreaMissing, Resolver, _Context


def area_section(r: Resolver, block: Block) -> list[RBlock]:
    assert block.text is not None
    if block.text.text != "variant":
        r.problems.append(
            Problem(block.where, f"area_section: expected 'variant', got {block.text.text!r}")
        )
        return []
    if not r.spec.variants:
        r.problems.append(Problem(block.where, "area_section: the content has no variants section"))
        return []
    if r.variant is None:
        return []
    heading = r.text(r.variant.heading, _Context(area=True))
    return [
        RBlock("heading", text=heading),
        RBlock("area_sentences", lines=tuple(r.sentence(s) for s in r.variant.sentences)),
    ]


def sentence(r: Resolver, sentence: Sentence) -> RichText:
    """The sentence, or its 'missing' text when the area lacks a value it names."""
    try:
        return r.text(sentence.text, _Context(area=True, strict=True))
    except AreaMissing as exc:
        if sentence.missing is None:
            r.problems.append(
                Problem(sentence.text.where, f"{exc}, and the sentence has no 'missing' text")
            )
            return ()
        return r.text(sentence.missing, _Context(area=True))


def area_table(r: Resolver, spec: TableSpec, table: ResolvedTable) -> ResolvedTable:
    """The variant's table: the area's values beside riket's, and the area's counts."""
    assert r.variant is not None
    assert r.variant.count is not None and r.variant.count_header is not None
    area_ctx = _Context(years=spec.years, area=True)
    riket_rows = [
        tuple(
            "–" if v is None else format_number(v)
            for v in (r._safe_value(areas.RIKET, row.indicator, y) for y in spec.years)
        )
        for row in spec.rows
    ]
    area_rows, counts = [], []
    last = spec.years[-1]
    name = r.counties[r.area].name
    for i, row in enumerate(spec.rows):
        values = [r._safe_value(r.area, row.indicator, y) for y in spec.years]
        area_rows.append(tuple("–" if v is None else format_number(v) for v in values))
        yes, answered = r.data.counts(r.area, row.indicator, last)
        count = r.variant.count.text.replace("{yes}", str(yes)).replace("{answered}", str(answered))
        counts.append(count if values[-1] is not None else "–")
        part = f"table {spec.id} row {i + 1}, {name}"
        for year, cell in zip(spec.years, area_rows[-1], strict=True):
            origin = r.published(r.area, row.indicator, year)
            r._record(cell, origin, row.where, f"{part} {year}", row.label.text)
        origin = Origin("counts", row.indicator, r.area, last, counts=(yes, answered))
        r._record(counts[-1], origin, row.where, f"{part} count {last}", row.label.text)
    return replace(
        table,
        unit=r.text(r.variant.unit, area_ctx),
        rows=tuple(
            (label, riket) for (label, _), riket in zip(table.rows, riket_rows, strict=True)
        ),
        area_label=r.counties[r.area].name,
        area_rows=tuple(area_rows),
        counts=tuple(counts),
        count_header=plain(r.text(r.variant.count_header, area_ctx)),
        riket_header=plain(r.text(r.variant.riket_header)),
    )


def municipal_table(r: Resolver, spec: TableSpec, table: ResolvedTable) -> ResolvedTable:
    """A kommun's table: its own answers in words, then its län's and riket's shares."""
    assert r.variant is not None
    area_ctx = _Context(years=spec.years, area=True)

    def shares(area: str) -> tuple[tuple[str, ...], ...]:
        return tuple(
            tuple(
                "–" if v is None else format_number(v)
                for v in (r._safe_value(area, row.indicator, y) for y in spec.years)
            )
            for row in spec.rows
        )

    answers = tuple(tuple(r.answer_word(row.indicator, y) for y in spec.years) for row in spec.rows)
    county_rows = shares(r.county)
    for i, row in enumerate(spec.rows):
        part = f"table {spec.id} row {i + 1}"
        for year, cell in zip(spec.years, county_rows[i], strict=True):
            origin = r.published(r.county, row.indicator, year)
            name = r.counties[r.county].name
            r._record(cell, origin, row.where, f"{part}, {name} {year}", row.label.text)
    return replace(
        table,
        unit=r.text(r.variant.unit, area_ctx),
        rows=tuple(
            (label, riket)
            for (label, _), riket in zip(table.rows, shares(areas.RIKET), strict=True)
        ),
        area_label=areas.area_name(r.area),
        area_rows=answers,
        county_label=r.counties[r.county].name,
        county_rows=county_rows,
        riket_header=plain(r.text(r.variant.riket_header)),
    )


def municipal_figure(r: Resolver, spec: FigureSpec, units: list[str]) -> ResolvedFigure:
    """Figur 1 in a kommun variant: the kommuner and stadsdelar of its län, it highlighted."""
    assert r.variant is not None and r.variant.figure_caption is not None
    ctx = _Context(years=(spec.year,), area=True)
    values = {u: r.data.unit_share(u, spec.indicator, spec.year) for u in units}
    reference = r.value(areas.RIKET, spec.indicator, spec.year)
    bars = tuple(
        Bar(u, areas.area_name(u), v, format_number(v), u == r.area)
        for u, v in r._bar_order(values, spec.order)
        if v is not None
    )
    bars += tuple(
        Bar(u, areas.area_name(u), None, "", u == r.area)
        for u in sorted(u for u, v in values.items() if v is None)
    )
    caption = r.text(r.variant.figure_caption, ctx)
    alt_parts = [plain(caption).rstrip("*") + "."]
    extra = Sentence(r.variant.figure_alt, r.variant.figure_alt_missing)
    alt_parts.append(plain(r.sentence(extra)))
    r._record_bars(spec, bars, reference)
    note = r.text(r.variant.figure_note, ctx) if r.variant.figure_note else ()
    return ResolvedFigure(
        r.numbers["figure"],
        caption,
        note,
        r.text(spec.source, ctx),
        join_units(" ".join(alt_parts)),
        plain(r.text(spec.axis_label)),
        bars,
        plain(r.text(spec.reference_label)),
        reference,
    )
