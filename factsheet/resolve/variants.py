"""The area variants: a county (län) sheet and a kommun (or stadsdel) sheet. Each is the
national ``Resolver`` with its hooks overridden: the area section of sentences, the area
placeholders, the tables' column groups beside riket's, the figure's alt text and, for a
kommun, the chart of the kommuner of its län."""

from __future__ import annotations

import re
from dataclasses import replace

from factsheet.errors import Problem
from factsheet.formatting import format_number, printed_value, swedish_list
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.dataset import Dataset
from factsheet.model.document import ColumnGroup, Document, RBlock
from factsheet.model.richtext import RichText, Run, plain
from factsheet.model.spec import FigureSpec, FigureVariant, Sentence, Spec, TableSpec, Variant
from factsheet.model.trace import Origin
from factsheet.resolve.context import AreaMissing, Context
from factsheet.resolve.figures import county_chart
from factsheet.resolve.resolver import AREA_PLACEHOLDER, Recorder, Resolver

Rows = tuple[tuple[str, ...], ...]
COUNTY_PLACEHOLDER = re.compile(r"\{county[:}]")
MAX_YEAR_COLUMNS = 15  # year and count columns a variant table holds beside its labels


def single_unit(county: str) -> bool:
    """Whether a län is a single kommun (Gotland): its kommun is the län, its shares are of
    one answer. Decided by the area lists, not by who answered this year."""
    return sum(1 for u in areas.responding_units() if u.county == county) == 1


class CountyResolver(Resolver):
    """A län's sheet: its values beside riket's, sentences comparing the two."""

    variant: Variant

    def __init__(
        self, spec: Spec, data: Dataset, area: Area | None = None, recorder: Recorder | None = None
    ) -> None:
        super().__init__(spec, data, area, recorder)
        self.variant = spec.variants[self.area.kind]
        self.county = self.area.county
        self.single_unit = single_unit(self.county)
        if self.single_unit and self.variant.single_unit:
            # a län of one kommun: no "1 av länets 1 kommuner", no kommun beside itself
            self.variant = replace(self.variant, **self.variant.single_unit)

    # --- hooks ------------------------------------------------------------------------
    def front(self, doc: Document) -> None:
        doc.area = self.area
        doc.subtitle = self.text(self.variant.subtitle, Context(area=True))
        if self.variant.meta_title is not None:
            doc.meta_title = plain(self.text(self.variant.meta_title, Context(area=True)))
        if self.variant.meta_subject is not None:
            doc.meta_subject = plain(self.text(self.variant.meta_subject, Context(area=True)))

    def section(self) -> list[RBlock]:
        heading = self.text(self.variant.heading, Context(area=True))
        return [
            RBlock("heading", text=heading),
            RBlock("area_sentences", lines=tuple(self.sentence(s) for s in self.variant.sentences)),
        ]

    def figure_variant(self, spec: FigureSpec) -> FigureVariant:
        return spec.variants.get(self.area.kind, FigureVariant())

    def trend_area(self) -> tuple[str, str]:
        return self.area.code, self.area.name

    def column_groups(
        self, spec: TableSpec, riket: Rows, unit: RichText
    ) -> tuple[tuple[ColumnGroup, ...], RichText, tuple[int, ...]]:
        """The län's values and the count behind its last year's share, then riket's."""
        if self.single_unit and self.variant.answers:  # its kommun's answers, not 0 or 100
            return self.answer_groups(spec)
        assert self.variant.count is not None and self.variant.count_header is not None
        self.unit_problems(spec, counted=True)
        years = self.shown_years(spec, groups=2, extra=1)
        area_ctx = Context(years=years, area=True)
        riket = self.shares(spec, areas.RIKET, years)
        area_rows, counts = [], []
        last = years[-1]
        for i, row in enumerate(spec.rows):
            values = [self.safe_value(self.area.code, row.indicator, y) for y in years]
            area_rows.append(tuple("–" if v is None else format_number(v) for v in values))
            yes, answered = self.data.counts(self.area.code, row.indicator, last)
            count = self.variant.count.text.replace("{yes}", str(yes))
            counts.append(count.replace("{answered}", str(answered)))
            if values[-1] is None or self.is_ratio(row.indicator) or not answered:
                # a ratio has no yes-count; no kommun answered that year: no "0 av 0"
                counts[-1] = "–"
            part = f"table {spec.id} row {i + 1}, {self.area.name}"
            for year, cell in zip(years, area_rows[-1], strict=True):
                origin = self.published(self.area.code, row.indicator, year)
                self.record(cell, origin, row.where, f"{part} {year}", row.label.text)
            origin = Origin("counts", row.indicator, self.area.code, last, counts=(yes, answered))
            self.record(counts[-1], origin, row.where, f"{part} count {last}", row.label.text)
        unit = self.years_shown(spec, years, self.text(self.variant.unit, area_ctx))
        count_header = plain(self.text(self.variant.count_header, area_ctx))
        groups = (
            ColumnGroup(
                "area", self.area.name, tuple(area_rows), True, count_header, tuple(counts)
            ),
            ColumnGroup("riket", plain(self.text(self.variant.riket_header)), riket),
        )
        return groups, unit, years

    def shown_years(self, spec: TableSpec, groups: int, extra: int = 0) -> tuple[int, ...]:
        """The last years of the table that fit: at most ``MAX_YEAR_COLUMNS`` year and count
        columns in all, so that labels keep room and are never split inside a word."""
        room = max(1, (MAX_YEAR_COLUMNS - extra) // groups)
        return spec.years[-room:]

    def years_shown(self, spec: TableSpec, years: tuple[int, ...], unit: RichText) -> RichText:
        """The unit line, saying so when the table shows fewer years than the national one."""
        if years == spec.years:
            return unit
        said = self.spec.labels.years_shown
        if said is None:
            self.problems.append(
                Problem(
                    spec.where,
                    f"tables.{spec.id}: a {self.area.kind} sheet shows only {len(years)} of its "
                    f"{len(spec.years)} years (more columns would not fit): add "
                    "'labels.years_shown' to say so under the table",
                )
            )
            return unit
        return (*unit, Run(" "), *self.text(said, Context(years=years, area=True)))

    def unit_problems(self, spec: TableSpec, counted: bool) -> None:
        """A table row whose indicator no kommun answered in any year: its column is missing
        from the kommun sheet or empty. A kommun sheet would print only dashes, a county sheet
        "0 av 0" as its count (``counted``: only the rows that print a count)."""
        for i, row in enumerate(spec.rows):
            ind = row.indicator
            if ind not in self.data.indicators or self.data.has_units(ind):
                continue
            if counted and self.is_ratio(ind):
                continue
            column = self.data.unit_column(ind)
            if column:
                what = (
                    f"the kommun sheet's column for {ind!r} ({column}) is empty: no kommun or "
                    "stadsdel has an answer in any year"
                )
            else:
                what = (
                    f"the workbook has no kommun answers for {ind!r} (no column on the kommun "
                    "sheet)"
                )
            self.problems.append(
                Problem(
                    row.where,
                    f"tables.{spec.id}.rows[{i}].indicator: {what}; a county sheet's table "
                    "counts them ('Ja av svarande') and a kommun sheet's shows them",
                )
            )

    def answer_groups(
        self, spec: TableSpec
    ) -> tuple[tuple[ColumnGroup, ...], RichText, tuple[int, ...]]:
        """A kommun's answers in words, then its län's and riket's shares; a kommun that is
        its län (Gotland) has no län group: its shares are its own answers over again."""
        years = self.shown_years(spec, groups=2 if self.single_unit else 3)
        area_ctx = Context(years=years, area=True)
        self.unit_problems(spec, counted=False)
        answers = tuple(tuple(self.own_cell(row.indicator, y) for y in years) for row in spec.rows)
        county_rows = self.shares(spec, self.county, years)
        name = self.counties[self.county].name
        for i, row in enumerate(spec.rows if not self.single_unit else ()):
            part = f"table {spec.id} row {i + 1}"
            for year, cell in zip(years, county_rows[i], strict=True):
                origin = self.published(self.county, row.indicator, year)
                self.record(cell, origin, row.where, f"{part}, {name} {year}", row.label.text)
        unit = self.years_shown(spec, years, self.text(self.variant.unit, area_ctx))
        riket = self.shares(spec, areas.RIKET, years)
        groups = [
            ColumnGroup("area", self.area.name, answers, True),
            ColumnGroup("county", name, county_rows),
            ColumnGroup("riket", plain(self.text(self.variant.riket_header)), riket),
        ]
        if self.single_unit:
            del groups[1]
        return tuple(groups), unit, years

    # --- area placeholders ------------------------------------------------------------
    def area_placeholder(self, name: str, ctx: Context) -> str:
        if not ctx.area:
            return super().area_placeholder(name, ctx)
        if name == "area":
            return self.area.name
        if name == "county":
            return self.counties[self.county].name
        if name == "units_word":
            return self.units_word()
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
        if kind.startswith("unit"):
            return self._unit_extreme(kind[4:], ind, year)
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

    def _unit_extreme(self, kind: str, ind: str, year: int) -> str:
        """``{unitmax:ID}``, ``{unitmaxname:ID}`` …: the highest or lowest share among the
        län's kommuner and stadsdelar (a kommun chart's range), or the names that have it."""
        units = self.data.units_in(self.county, year)
        values = {u: self.data.unit_share(u, ind, year) for u in units}
        present = {u: v for u, v in values.items() if v is not None}
        if not present:
            raise AreaMissing(f"no kommun in {self.county} has a value for {ind!r} in {year}")
        best = (min if kind.startswith("min") else max)(present.values())
        chosen = [u for u, v in present.items() if v == best]
        self._origin = self.area_origin(chosen[0], ind, year)
        if kind.endswith("name"):
            return swedish_list([areas.area_name(u) for u in chosen])
        return format_number(best)

    def units_word(self) -> str:
        """What the län's responding units are called: its kommuner, or its kommuner and
        stadsdelar (Stockholms län, whose Stockholm stad answers as stadsdelsområden)."""
        labels = self.spec.labels
        districts = any(
            u.county == self.county and u.code.startswith(f"{areas.STOCKHOLM}-")
            for u in areas.responding_units()
        )
        word = labels.units_word_districts if districts else labels.units_word
        if word is None:
            key = "units_word_districts" if districts else "units_word"
            raise LookupError(f"{{units_word}} needs 'labels.{key}'")
        return plain(self.text(word))

    def area_value(self, ind: str, year: int) -> float | None:
        """The area's own value: a county's published value."""
        return self.value(self.area.code, ind, year)

    def is_ratio(self, ind: str) -> bool:
        indicator = self.data.indicators.get(ind)
        return indicator is not None and indicator.method == "ratio"

    def own_cell(self, ind: str, year: int) -> str:
        """The kommun's own cell in a table: its answer in words, or for a ratio measure its
        share from its counts (``–`` when it reported none)."""
        if not self.is_ratio(ind):
            return self.answer_level(ind, year) or self.answer_word(ind, year)
        unit = self.own_unit()
        share = self.data.unit_share(unit, ind, year) if unit is not None else None
        return "–" if share is None else format_number(share)

    def answer_level(self, ind: str, year: int) -> str | None:
        """With ``answer_levels``, the kommun's answer as the workbook writes it (``Ja, för
        alla``), for an indicator whose answers keep their levels; else None."""
        unit = self.own_unit()
        if not self.variant.answer_levels or unit is None:
            return None
        return self.data.answer_level(unit, ind, year)

    def answer_word(self, ind: str, year: int, sentence: bool = False) -> str:
        """The kommun's own yes/no answer in words (``Ja``, ``Nej``; missing: ``–`` in a table,
        ``uppgift saknas`` in a sentence)."""
        words, unit = self.variant.answers, self.own_unit()
        if not words or unit is None:
            raise LookupError("{answer:ID} is only defined in the municipality variant")
        answer = self.data.answers.get((unit, ind, year))
        if answer is True:
            return words["yes"].text
        if answer is False:
            return words["no"].text
        return words["missing_words" if sentence else "missing"].text

    def compare(self, mine: float, riket: float) -> str:
        """Comparison words, decided on the values as printed, so text and tables agree."""
        diff = printed_value(mine) - printed_value(riket)
        if abs(diff) <= self.variant.threshold:
            return self.variant.same.text
        return (self.variant.higher if diff > 0 else self.variant.lower).text

    # --- helpers ----------------------------------------------------------------------
    def sentence(self, sentence: Sentence) -> RichText:
        """The sentence, or its 'missing' text when the area lacks a value it names; with an
        ``answer``, the text for the kommun's own answer (yes, no, none); then its ``then``."""
        said = self.said(sentence)
        if sentence.then is None:
            return said
        return (*said, Run(" "), *self.sentence(sentence.then))

    def said(self, sentence: Sentence) -> RichText:
        text = sentence.text
        if sentence.answer is not None:
            answer = self.own_answer(sentence)
            if answer is None:
                why = f"{self.area.name} has no answer to {sentence.answer!r}"
                return self.missing(sentence, why)
            if answer is False:
                if sentence.no is None:
                    self.problems.append(
                        Problem(sentence.text.where, "a sentence with 'answer' needs a 'no' text")
                    )
                    return ()
                text = sentence.no
        try:
            return self.text(text, Context(area=True, strict=True))
        except AreaMissing as exc:
            return self.missing(sentence, str(exc))

    def missing(self, sentence: Sentence, why: str) -> RichText:
        if sentence.missing is None:
            self.problems.append(
                Problem(sentence.text.where, f"{why}, and the sentence has no 'missing' text")
            )
            return ()
        return self.text(sentence.missing, Context(area=True))

    def own_answer(self, sentence: Sentence) -> bool | None:
        """The yes/no answer the sentence tells of: the kommun's own, or the one kommun's of
        a län that is one kommun (None: no answer)."""
        ind, year = sentence.answer, self.spec.year
        assert ind is not None
        where = sentence.text.where
        unit = self.own_unit()
        if unit is None:
            self.problems.append(
                Problem(
                    where, f"answer: {ind!r}: a {self.area.kind} sheet has no answer of its own"
                )
            )
            return None
        try:
            self.value(areas.RIKET, ind, year)  # validates indicator and year
        except LookupError as exc:
            self.problems.append(Problem(where, f"answer: {exc}"))
            return None
        if self.data.indicators[ind].method == "ratio":
            self.problems.append(
                Problem(where, f"answer: {ind!r} is a ratio measure, not a yes/no question")
            )
            return None
        answer = self.data.answers.get((unit, ind, year))
        return answer if isinstance(answer, bool) else None

    def own_unit(self) -> str | None:
        """The kommun whose answers the sheet tells: a län's only kommun, else none."""
        if not self.single_unit:
            return None
        return next(u.code for u in areas.responding_units() if u.county == self.county)

    def shares(self, spec: TableSpec, area: str, years: tuple[int, ...]) -> Rows:
        """An area's printed values for every row and year of a table (``–`` when absent)."""
        return tuple(
            tuple(
                "–" if v is None else format_number(v)
                for v in (self.safe_value(area, row.indicator, y) for y in years)
            )
            for row in spec.rows
        )


class MunicipalResolver(CountyResolver):
    """A kommun's (or stadsdel's) sheet: its own answers beside its län's and riket's shares,
    and the chart of the kommuner of its län."""

    def column_groups(
        self, spec: TableSpec, riket: Rows, unit: RichText
    ) -> tuple[tuple[ColumnGroup, ...], RichText, tuple[int, ...]]:
        if self.single_unit:
            self.unit_without_county()
        return self.answer_groups(spec)

    def unit_without_county(self) -> None:
        """A kommun that is its län (Gotland) has no län columns: a unit line naming
        ``{county}`` ("Gotlands län och riket: andel …") would speak of a group not shown."""
        unit = self.variant.unit
        if not COUNTY_PLACEHOLDER.search(unit.text):
            return
        problem = Problem(
            unit.where,
            f"variants.{self.area.kind}.unit names {{county}}, but the tables of a kommun that "
            "is its own län (Gotland) have no columns of its län: give a unit line without it "
            "under 'single_unit' (unit: \"{area}: svar (…). Riket: andel …\")",
        )
        if problem not in self.problems:
            self.problems.append(problem)

    def own_unit(self) -> str | None:
        return self.area.code

    def figure_variant(self, spec: FigureSpec) -> FigureVariant:
        """A kommun that is its län (Gotland) gets the län chart, itself highlighted, for a
        chart of the kommuner of its län would be one bar."""
        fv = super().figure_variant(spec)
        if self.single_unit and (fv.level or spec.level) == "municipality":
            return county_chart(self, spec, fv)
        return fv

    def trend_area(self) -> tuple[str, str]:
        """A kommun answers yes or no: its län's line stands beside riket's."""
        return self.county, self.counties[self.county].name

    def area_value(self, ind: str, year: int) -> float | None:
        """A kommun's share from its counts (ratio measures only: a kommun's yes/no answer is
        ``{answer:ID}``)."""
        if self.data.indicators[ind].method != "ratio":
            raise LookupError(f"{ind!r} is a yes/no question: use {{answer:{ind}}} for a kommun")
        return self.data.unit_share(self.area.code, ind, year)
