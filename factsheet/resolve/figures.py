"""Figures of every kind, in every kind of sheet: ``bars`` (one indicator by län, or by the
kommuner of a län), ``grouped-bars`` (several indicators by län) and ``trend`` (several
indicators over years, riket's line and, in a variant, its area's).

Each figure's caption, note and alt text are its own; a variant may give its own caption,
note and a sentence about the area for the alt text (``figures.ID.variants``). Nothing of one
figure reaches another."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from factsheet.errors import Problem
from factsheet.formatting import format_number, join_units
from factsheet.model import areas
from factsheet.model.document import Bar, ResolvedFigure, Series
from factsheet.model.richtext import RichText, plain
from factsheet.model.spec import FigureSpec, FigureVariant, Sentence
from factsheet.resolve.context import Context

if TYPE_CHECKING:
    from factsheet.resolve.resolver import Resolver


def resolve_figure(r: Resolver, spec: FigureSpec, number: int) -> ResolvedFigure:
    figure = _resolve_figure(r, spec, number)
    return replace(figure, data=data_table(r, figure))


def data_table(r: Resolver, f: ResolvedFigure) -> tuple[tuple[str, ...], ...]:
    """What a sighted reader gets from the chart, as rows of text: every bar's (or
    category's) name and value in the chart's order, and the reference line's."""
    labels = r.spec.labels
    first = labels.figure_year if f.kind == "trend" else labels.figure_area
    if first is None:
        return ()
    missing = plain(r.text(labels.missing))
    head = plain(r.text(first))
    if f.kind == "bars":
        rows: list[tuple[str, ...]] = [(head, f.axis_label or plain(f.caption))]
        rows += [(b.label, b.printed or missing) for b in f.bars]
        if f.reference_label and f.reference_value is not None:
            rows.append((f.reference_label, format_number(f.reference_value)))
        return tuple(rows)
    series: list[tuple[str, ...]] = [(head, *(s.label for s in f.series))]
    for i, category in enumerate(f.categories):
        series.append((category, *(s.printed[i] or missing for s in f.series)))
    return tuple(series)


def _resolve_figure(r: Resolver, spec: FigureSpec, number: int) -> ResolvedFigure:
    fv = r.figure_variant(spec)
    if spec.kind == "trend":
        return _trend(r, spec, number, fv)
    if spec.kind == "grouped-bars":
        return _grouped(r, spec, number, fv)
    if (fv.level or spec.level) == "municipality":
        figure = _municipal(r, spec, number, fv)
        if figure is not None:
            return figure
        if fv.level == "municipality":  # too many kommuner: the län chart, as in riket
            fv = county_chart(r, spec, fv)
    return _county_bars(r, spec, number, fv)


def county_chart(r: Resolver, spec: FigureSpec, fv: FigureVariant) -> FigureVariant:
    """A kommun sheet that shows the län chart instead of its kommuner's: the alt text
    speaks of the län the chart highlights (``county_alt``, required: without it the alt text
    would not say which bar is highlighted), never of a kommun value it does not show."""
    if fv.county_alt is None:
        where = (fv.alt or fv.caption or spec.alt).where
        problem = Problem(
            where,
            f"figures.{spec.id}.variants.municipality: a kommun sheet that shows the län chart "
            "instead of its kommuner's (a län of one kommun, or of more kommuner than max_bars) "
            "highlights its län, which the alt text does not name: add 'county_alt' (and "
            "'county_alt_missing'), e.g. \"{county} har {county:"
            f'{spec.indicator}}} procent."',
        )
        if problem not in r.problems:
            r.problems.append(problem)
    return FigureVariant(level="county", alt=fv.county_alt, alt_missing=fv.county_alt_missing)


def _context(r: Resolver, spec: FigureSpec, fv: FigureVariant) -> Context:
    years = spec.years or (spec.year,)
    return Context(years=years, missing_order=spec.missing_order, area=r.variant is not None)


def _texts(
    r: Resolver, spec: FigureSpec, fv: FigureVariant, ctx: Context
) -> tuple[RichText, RichText, RichText]:
    """Caption, note and source: the variant's where it gives them."""
    caption = r.text(fv.caption or spec.caption, ctx)
    note_src = fv.note or spec.note
    note = r.text(note_src, ctx) if note_src else ()
    return caption, note, r.text(spec.source, ctx)


def _alt(r: Resolver, spec: FigureSpec, fv: FigureVariant, ctx: Context) -> str:
    """The figure's alt text, and the variant's sentence about its area."""
    alt = plain(r.text(spec.alt, Context(years=ctx.years, missing_order=ctx.missing_order)))
    return f"{alt} {_area_sentence(r, fv)}".rstrip() if fv.alt else alt


def _area_sentence(r: Resolver, fv: FigureVariant) -> str:
    assert fv.alt is not None
    return plain(r.sentence(Sentence(fv.alt, fv.alt_missing)))


def _county_bars(r: Resolver, spec: FigureSpec, number: int, fv: FigureVariant) -> ResolvedFigure:
    """One bar per län, riket as the reference line; the sheet's län highlighted."""
    ctx = Context(years=(spec.year,), missing_order=spec.missing_order)
    try:
        values = r.county_values(spec.indicator, spec.year)
        reference = r.value(areas.RIKET, spec.indicator, spec.year)
    except LookupError as exc:
        r.problems.append(Problem(spec.where, f"figures.{spec.id}.indicator: {exc}"))
        values, reference = {}, None
    missing = r.missing_sorted(
        [c for c, v in values.items() if v is None], spec.indicator, spec.year, ctx
    )
    bars = tuple(
        Bar(c, r.counties[c].short, v, format_number(v), c == r.county)
        for c, v in r.bar_order(values, spec.order)
        if v is not None
    )
    bars += tuple(Bar(c, r.counties[c].short, None, "", c == r.county) for c in missing)
    alt = _alt(r, spec, fv, ctx)
    caption, note, source = _texts(r, spec, fv, _context(r, spec, fv))
    r.record_bars(spec, bars, reference)
    return ResolvedFigure(
        number,
        caption,
        note,
        source,
        join_units(alt),
        plain(r.text(spec.axis_label)),
        bars,
        plain(r.text(spec.reference_label)) if spec.reference_label else "",
        reference if spec.reference_label else None,
    )


def _units(r: Resolver, spec: FigureSpec) -> tuple[str, list[str]]:
    """The län whose kommuner are shown (``""``: every län) and its responding units."""
    county = r.county or spec.county
    if county:
        return county, r.data.units_in(county, spec.year)
    return "", [u for u in r.data.unit_years.get(spec.year, [])]


def _municipal(
    r: Resolver, spec: FigureSpec, number: int, fv: FigureVariant
) -> ResolvedFigure | None:
    """The kommuner and stadsdelar of a län (or of all), the sheet's own highlighted; None
    in a variant when they are more than ``max_bars`` (the län chart is shown instead)."""
    try:
        r.value(areas.RIKET, spec.indicator, spec.year)  # validates indicator and year
    except LookupError as exc:
        r.problems.append(Problem(spec.where, f"figures.{spec.id}.indicator: {exc}"))
        return None
    if r.data.indicators[spec.indicator].method != "ratio":
        r.problems.append(
            Problem(
                spec.where,
                f"figures.{spec.id}: a kommun chart needs a ratio measure (a kommun's share "
                f"from its counts); {spec.indicator!r} is a yes/no question",
            )
        )
        return None
    county, units = _units(r, spec)
    if not units or len(units) > spec.max_bars:
        if r.variant is None:
            where = r.counties[county].name if county else "riket"
            r.problems.append(
                Problem(
                    spec.where,
                    f"figures.{spec.id}: {len(units)} kommuner and stadsdelar in {where} "
                    f"are more than max_bars ({spec.max_bars}); set 'county' or 'max_bars'",
                )
            )
        return None
    ctx = Context(years=(spec.year,), area=r.variant is not None)
    values = {u: r.data.unit_share(u, spec.indicator, spec.year) for u in units}
    reference = r.value(areas.RIKET, spec.indicator, spec.year)
    own = r.area.code
    bars = tuple(
        Bar(u, areas.area_name(u), v, format_number(v), u == own)
        for u, v in r.bar_order(values, spec.order)
        if v is not None
    )
    bars += tuple(
        Bar(u, areas.area_name(u), None, "", u == own)
        for u in sorted(u for u, v in values.items() if v is None)
    )
    caption, note, source = _texts(r, spec, fv, ctx)
    if r.variant is not None and fv.level == "municipality":
        # The figure's alt describes the national chart: this one is told by its own alt text
        # (its kind, range and riket line), or else by its caption.
        if fv.chart_alt is not None:
            parts = [plain(r.text(fv.chart_alt, ctx))]
        else:
            parts = [plain(caption).rstrip("*") + "."]
        if fv.alt:
            parts.append(_area_sentence(r, fv))
        alt = " ".join(parts)
    else:
        alt = _alt(r, spec, fv, ctx)
    r.record_bars(spec, bars, reference)
    return ResolvedFigure(
        number,
        caption,
        note,
        source,
        join_units(alt),
        plain(r.text(spec.axis_label)),
        bars,
        plain(r.text(spec.reference_label)) if spec.reference_label else "",
        reference if spec.reference_label else None,
    )


def _legend(r: Resolver, spec: FigureSpec) -> list[str]:
    if spec.legend:
        return [plain(r.text(s)) for s in spec.legend]
    return [r.data.indicators[i].name if i in r.data.indicators else i for i in spec.indicators]


def _checked(r: Resolver, spec: FigureSpec, years: tuple[int, ...]) -> bool:
    ok = True
    for i, ind in enumerate(spec.indicators):
        try:
            r.years_present(ind, years)
        except LookupError as exc:
            r.problems.append(Problem(spec.where, f"figures.{spec.id}.indicators[{i}]: {exc}"))
            ok = False
    return ok


def _grouped(r: Resolver, spec: FigureSpec, number: int, fv: FigureVariant) -> ResolvedFigure:
    """Every län, one bar per indicator; ordered by the first indicator; the sheet's län
    highlighted."""
    ctx = _context(r, spec, fv)
    codes = list(r.counties)
    series: list[Series] = []
    if _checked(r, spec, (spec.year,)):
        first = {c: r.value(c, spec.indicators[0], spec.year) for c in codes}
        present = [c for c, _ in r.bar_order(first, spec.order)]
        codes = present + sorted(c for c in codes if c not in present)
        for label, ind in zip(_legend(r, spec), spec.indicators, strict=True):
            values = tuple(r.value(c, ind, spec.year) for c in codes)
            printed = tuple("" if v is None else format_number(v) for v in values)
            series.append(Series(label, values, printed))
            for code, value, text in zip(codes, values, printed, strict=True):
                if value is not None:
                    origin = r.published(code, ind, spec.year)
                    r.record(text, origin, spec.where, f"figure {spec.id} bar", label)
    caption, note, source = _texts(r, spec, fv, ctx)
    highlight = r.counties[r.county].short if r.county else ""
    return ResolvedFigure(
        number,
        caption,
        note,
        source,
        join_units(_alt(r, spec, fv, ctx)),
        plain(r.text(spec.axis_label)),
        (),
        "",
        None,
        kind="grouped-bars",
        categories=tuple(r.counties[c].short for c in codes),
        series=tuple(series),
        highlight=highlight,
    )


def _trend(r: Resolver, spec: FigureSpec, number: int, fv: FigureVariant) -> ResolvedFigure:
    """Riket's values over the years, one line per indicator; a variant adds its area's line
    (a kommun's: its län's, since a kommun answers yes or no) beside each."""
    ctx = _context(r, spec, fv)
    series: list[Series] = []
    riket_label = plain(r.text(spec.reference_label)) if spec.reference_label else ""
    area, name = r.trend_area()
    if _checked(r, spec, spec.years):
        legend = _legend(r, spec)
        many = len(spec.indicators) > 1
        for label, ind in zip(legend, spec.indicators, strict=True):
            lines = [(areas.RIKET, riket_label or label, False)]
            if area:
                lines.insert(0, (area, name, True))
            for code, who, own in lines:
                values = tuple(r.safe_value(code, ind, y) for y in spec.years)
                printed = tuple("" if v is None else format_number(v) for v in values)
                text = f"{who}: {label}" if many and who != label else who
                series.append(Series(text, values, printed, own, dashed=bool(area) and not own))
                for year, value, shown in zip(spec.years, values, printed, strict=True):
                    if value is not None:
                        origin = r.published(code, ind, year)
                        r.record(shown, origin, spec.where, f"figure {spec.id} {year}", text)
    caption, note, source = _texts(r, spec, fv, ctx)
    return ResolvedFigure(
        number,
        caption,
        note,
        source,
        join_units(_alt(r, spec, fv, ctx)),
        plain(r.text(spec.axis_label)),
        (),
        "",
        None,
        kind="trend",
        categories=tuple(str(y) for y in spec.years),
        series=tuple(series),
    )
