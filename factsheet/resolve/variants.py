"""The area variants: a county (län) sheet and a kommun (or stadsdel) sheet. Each is the
national ``Resolver`` with its hooks overridden: the area section of sentences, the area
placeholders, the tables' column groups beside riket's, the figure's alt text and, for a
kommun, the chart of the kommuner of its län."""

from __future__ import annotations

from factsheet.errors import Problem
from factsheet.formatting import format_number, join_units, printed_value
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.dataset import Dataset
from factsheet.model.document import Bar, ColumnGroup, Document, RBlock, ResolvedFigure
from factsheet.model.richtext import RichText, plain
from factsheet.model.spec import FigureSpec, Sentence, Spec, TableSpec, Variant
from factsheet.model.trace import Origin
from factsheet.resolve.resolver import AREA_PLACEHOLDER, AreaMissing, Context, Recorder, Resolver

Rows = tuple[tuple[str, ...], ...]


class CountyResolver(Resolver):
    """A län's sheet: its values beside riket's, sentences comparing the two."""

    variant: Variant

    def __init__(
        self, spec: Spec, data: Dataset, area: Area | None = None, recorder: Recorder | None = None
    ) -> None:
        super().__init__(spec, data, area, recorder)
        self.variant = spec.variants[self.area.kind]
        self.county = self.area.county

    # --- hooks ------------------------------------------------------------------------
    def front(self, doc: Document) -> None:
        doc.area = self.area
        doc.subtitle = self.text(self.variant.subtitle, Context(area=True))

    def section(self) -> list[RBlock]:
        heading = self.text(self.variant.heading, Context(area=True))
        return [
            RBlock("heading", text=heading),
            RBlock("area_sentences", lines=tuple(self.sentence(s) for s in self.variant.sentences)),
        ]

    def figure_alt(self, alt: str) -> str:
        extra = Sentence(self.variant.figure_alt, self.variant.figure_alt_missing)
        return f"{alt} {plain(self.sentence(extra))}"

    def column_groups(
        self, spec: TableSpec, riket: Rows, unit: RichText
    ) -> tuple[tuple[ColumnGroup, ...], RichText]:
        """The län's values and the count behind its last year's share, then riket's."""
        assert self.variant.count is not None and self.variant.count_header is not None
        area_ctx = Context(years=spec.years, area=True)
        riket = self.shares(spec, areas.RIKET)
        area_rows, counts = [], []
        last = spec.years[-1]
        for i, row in enumerate(spec.rows):
            values = [self.safe_value(self.area.code, row.indicator, y) for y in spec.years]
            area_rows.append(tuple("–" if v is None else format_number(v) for v in values))
            yes, answered = self.data.counts(self.area.code, row.indicator, last)
            count = self.variant.count.text.replace("{yes}", str(yes))
            counts.append(count.replace("{answered}", str(answered)))
            if values[-1] is None:
                counts[-1] = "–"
            part = f"table {spec.id} row {i + 1}, {self.area.name}"
            for year, cell in zip(spec.years, area_rows[-1], strict=True):
                origin = self.published(self.area.code, row.indicator, year)
                self.record(cell, origin, row.where, f"{part} {year}", row.label.text)
            origin = Origin("counts", row.indicator, self.area.code, last, counts=(yes, answered))
            self.record(counts[-1], origin, row.where, f"{part} count {last}", row.label.text)
        unit = self.text(self.variant.unit, area_ctx)
        count_header = plain(self.text(self.variant.count_header, area_ctx))
        groups = (
            ColumnGroup(
                "area", self.area.name, tuple(area_rows), True, count_header, tuple(counts)
            ),
            ColumnGroup("riket", plain(self.text(self.variant.riket_header)), riket),
        )
        return groups, unit

    # --- area placeholders ------------------------------------------------------------
    def area_placeholder(self, name: str, ctx: Context) -> str:
        if not ctx.area:
            return super().area_placeholder(name, ctx)
        if name == "area":
            return self.area.name
        if name == "county":
            return self.counties[self.county].name
        if name == "units":
            units = len(self.data.units_in(self.county, self.spec.year))
            self._origin = Origin("units", area=self.county, year=self.spec.year)
            return str(units)
        match = AREA_PLACEHOLDER.match(name)
        assert match is not None
        kind, ind, when = match.groups()
        year = self._year(when)
        self.value(areas.RIKET, ind, year)  # validates indicator and year
        if kind in ("yes", "answered"):
            yes, answered = self.data.counts(self.county, ind, year)
            self._origin = Origin("counts", ind, self.county, year, counts=(yes, answered))
            return str(yes if kind == "yes" else answered)
        if kind == "answer":
            return self.answer_word(ind, year, sentence=True)
        if kind == "county":
            mine, where = self.value(self.county, ind, year), self.counties[self.county].name
        else:
            mine, where = self.area_value(ind, year), self.area.name
        if mine is None:
            raise AreaMissing(f"{where} has no value for {ind!r} in {year}")
        if kind in ("area", "county"):
            code = self.county if kind == "county" else self.area.code
            self._origin = self.area_origin(code, ind, year)
            return format_number(mine)
        riket = self.value(areas.RIKET, ind, year)
        if riket is None:
            raise LookupError(f"no riket value for {ind!r} in {year}")
        return self.compare(mine, riket)

    def area_value(self, ind: str, year: int) -> float | None:
        """The area's own value: a county's published value."""
        return self.value(self.area.code, ind, year)

    def answer_word(self, ind: str, year: int, sentence: bool = False) -> str:
        raise LookupError("{answer:ID} is only defined in the municipality variant")

    def compare(self, mine: float, riket: float) -> str:
        """Comparison words, decided on the values as printed, so text and tables agree."""
        diff = printed_value(mine) - printed_value(riket)
        if abs(diff) <= self.variant.threshold:
            return self.variant.same.text
        return (self.variant.higher if diff > 0 else self.variant.lower).text

    # --- helpers ----------------------------------------------------------------------
    def sentence(self, sentence: Sentence) -> RichText:
        """The sentence, or its 'missing' text when the area lacks a value it names."""
        try:
            return self.text(sentence.text, Context(area=True, strict=True))
        except AreaMissing as exc:
            if sentence.missing is None:
                self.problems.append(
                    Problem(sentence.text.where, f"{exc}, and the sentence has no 'missing' text")
                )
                return ()
            return self.text(sentence.missing, Context(area=True))

    def shares(self, spec: TableSpec, area: str) -> Rows:
        """An area's printed values for every row and year of a table (``–`` when absent)."""
        return tuple(
            tuple(
                "–" if v is None else format_number(v)
                for v in (self.safe_value(area, row.indicator, y) for y in spec.years)
            )
            for row in spec.rows
        )


class MunicipalResolver(CountyResolver):
    """A kommun's (or stadsdel's) sheet: its own answers beside its län's and riket's shares,
    and the chart of the kommuner of its län."""

    def column_groups(
        self, spec: TableSpec, riket: Rows, unit: RichText
    ) -> tuple[tuple[ColumnGroup, ...], RichText]:
        """Its answers in words, then its län's and riket's shares."""
        area_ctx = Context(years=spec.years, area=True)
        answers = tuple(
            tuple(self.answer_word(row.indicator, y) for y in spec.years) for row in spec.rows
        )
        county_rows = self.shares(spec, self.county)
        name = self.counties[self.county].name
        for i, row in enumerate(spec.rows):
            part = f"table {spec.id} row {i + 1}"
            for year, cell in zip(spec.years, county_rows[i], strict=True):
                origin = self.published(self.county, row.indicator, year)
                self.record(cell, origin, row.where, f"{part}, {name} {year}", row.label.text)
        unit = self.text(self.variant.unit, area_ctx)
        groups = (
            ColumnGroup("area", self.area.name, answers, True),
            ColumnGroup("county", name, county_rows),
            ColumnGroup(
                "riket",
                plain(self.text(self.variant.riket_header)),
                self.shares(spec, areas.RIKET),
            ),
        )
        return groups, unit

    def resolve_figure(self, spec: FigureSpec) -> ResolvedFigure:
        """The kommuner of its län when they fit (``max_bars``), else the län chart."""
        units = self.data.units_in(self.county, spec.year)
        if self.variant.figure_mode == "municipalities" and 0 < len(units) <= self.variant.max_bars:
            return self.municipal_figure(spec, units)
        return super().resolve_figure(spec)

    def municipal_figure(self, spec: FigureSpec, units: list[str]) -> ResolvedFigure:
        assert self.variant.figure_caption is not None
        ctx = Context(years=(spec.year,), area=True)
        values = {u: self.data.unit_share(u, spec.indicator, spec.year) for u in units}
        reference = self.value(areas.RIKET, spec.indicator, spec.year)
        code = self.area.code
        bars = tuple(
            Bar(u, areas.area_name(u), v, format_number(v), u == code)
            for u, v in self.bar_order(values, spec.order)
            if v is not None
        )
        bars += tuple(
            Bar(u, areas.area_name(u), None, "", u == code)
            for u in sorted(u for u, v in values.items() if v is None)
        )
        caption = self.text(self.variant.figure_caption, ctx)
        alt_parts = [plain(caption).rstrip("*") + "."]
        extra = Sentence(self.variant.figure_alt, self.variant.figure_alt_missing)
        alt_parts.append(plain(self.sentence(extra)))
        self.record_bars(spec, bars, reference)
        note = self.text(self.variant.figure_note, ctx) if self.variant.figure_note else ()
        return ResolvedFigure(
            self.numbers["figure"],
            caption,
            note,
            self.text(spec.source, ctx),
            join_units(" ".join(alt_parts)),
            plain(self.text(spec.axis_label)),
            bars,
            plain(self.text(spec.reference_label)),
            reference,
        )

    def area_value(self, ind: str, year: int) -> float | None:
        """A kommun's share from its counts (ratio measures only: a kommun's yes/no answer is
        ``{answer:ID}``)."""
        if self.data.indicators[ind].method != "ratio":
            raise LookupError(f"{ind!r} is a yes/no question: use {{answer:{ind}}} for a kommun")
        return self.data.unit_share(self.area.code, ind, year)

    def answer_word(self, ind: str, year: int, sentence: bool = False) -> str:
        """Its own yes/no answer in words (``Ja``, ``Nej``; missing: ``–`` in a table,
        ``uppgift saknas`` in a sentence)."""
        words = self.variant.answers
        if not words:
            return super().answer_word(ind, year, sentence)
        answer = self.data.answers.get((self.area.code, ind, year))
        if answer is True:
            return words["yes"].text
        if answer is False:
            return words["no"].text
        return words["missing_words" if sentence else "missing"].text
