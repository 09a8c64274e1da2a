"""Any shape of sheet in every variant (issue #12): a next-year edition in tests/data/next-edition
with a third table (seven years, a new indicator), a second län figure, a trend figure, grouped
bars, a table of län rows, a riket-only paragraph and references to tables and figures by id,
built for riket, counties, a one-kommun county, its kommun, kommuner of a small and a large län
and a stadsdel. Its workbook is the sample with 2015 added (tools/make_next_edition_workbook.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, pdftotext
from page import ValidationProfile, validate_pdf

from factsheet.build import Inputs, check, load_inputs, national_guess
from factsheet.formatting import format_number
from factsheet.model import areas
from factsheet.model.document import Document, ResolvedFigure, ResolvedTable
from factsheet.model.richtext import plain
from factsheet.render.pages import render

SHAPES = ROOT / "tests" / "data" / "next-edition"
CODES = ("00", "03", "09", "0330", "0180-01", "0980", "1060")


PDFS = ("00", "03", "09", "0330", "1060")  # built; validated against PDF/UA-1 and PDF/A-2b


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(SHAPES, None, ROOT / "fonts")


@pytest.fixture(scope="module")
def documents(inputs: Inputs) -> dict[str, Document]:
    return check(inputs, [areas.area(c) for c in CODES])


@pytest.fixture(scope="module")
def pdfs(
    documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    guess = national_guess(documents["00"])
    folder = tmp_path_factory.mktemp("shapes")
    out = {}
    for code in PDFS:
        rendered = render(documents[code], guess)
        path = folder / f"{code}.pdf"
        path.write_bytes(rendered.pdf)
        out[code] = (path, rendered.pages)
    return out


def _figures(document: Document) -> dict[int, ResolvedFigure]:
    return {b.figure.number: b.figure for b in document.body if b.figure is not None}


def _tables(document: Document) -> dict[int, ResolvedTable]:
    return {b.table.number: b.table for b in document.body if b.table is not None}


def _text(document: Document) -> str:
    return " ".join(plain(b.text) for b in document.body)


def test_every_area_builds_every_figure_kind(documents: dict[str, Document]) -> None:
    for code in CODES:
        kinds = [f.kind for f in _figures(documents[code]).values()]
        assert kinds == ["bars", "bars", "trend", "grouped-bars"], code


def test_references_print_the_number_the_caption_gets(documents: dict[str, Document]) -> None:
    document = documents["00"]
    captions = {plain(t.caption).split(" ")[0]: n for n, t in _tables(document).items()}
    assert captions["Planer"] == 2 and captions["Andel"] == 3  # t3 and t4, placed before t2
    assert "Figur 2 visar" in _text(document) and "figur 3 hur" in _text(document)
    assert "Tabell 2 samlar planerna" in _text(document)
    assert "tabell 3 visar socionomexamen" in _text(document)


def test_a_riket_only_block_is_only_in_riket(documents: dict[str, Document]) -> None:
    line = "Det här stycket står bara i det nationella faktabladet."
    assert line in _text(documents["00"])
    assert all(line not in _text(documents[c]) for c in CODES[1:])


def test_alt_texts_are_each_figures_own(documents: dict[str, Document]) -> None:
    """A county's sentence of Figur 1 (socionomexamen) never reaches another figure."""
    figures = {
        n: replace(f, alt=f.alt.replace("\u00a0", " "))
        for n, f in _figures(documents["09"]).items()
    }
    assert figures[1].alt.endswith("Gotlands län har 86 procent.")
    assert figures[2].alt.endswith("Riket har 61 procent. Gotlands län har 0 procent.")
    assert "socionom" not in figures[2].alt + figures[3].alt + figures[4].alt
    assert figures[3].alt.endswith("Linjerna för Gotlands län står bredvid rikets.")
    national = _figures(documents["00"])
    assert figures[4].alt == national[4].alt.replace(
        "\u00a0", " "
    )  # no variant text given: the figure's own


def test_trend_draws_the_areas_line_beside_riket(documents: dict[str, Document]) -> None:
    riket, county, kommun = (_figures(documents[c])[3] for c in ("00", "03", "0330"))
    assert [s.label for s in riket.series] == ["Riket: Utredningar", "Riket: Uppföljningar"]
    assert [s.label for s in county.series] == [
        "Uppsala län: Utredningar",
        "Riket: Utredningar",
        "Uppsala län: Uppföljningar",
        "Riket: Uppföljningar",
    ]
    assert [s.label for s in kommun.series] == [s.label for s in county.series]  # its län's
    assert plain(county.caption) == (
        "Använt IBIC vid alla utredningar och uppföljningar, Uppsala län och riket 2017–2021"
    )
    assert county.categories == ("2017", "2018", "2019", "2020", "2021")
    assert riket.series[0].printed[-1] == "41"  # the seed's 2021 value


def test_grouped_bars_highlight_the_county(documents: dict[str, Document]) -> None:
    figure = _figures(documents["03"])[4]
    assert figure.highlight == "Uppsala" and len(figure.categories) == 21
    assert [s.label for s in figure.series] == ["Fortbildning", "Handledning"]


def test_county_rows_table_bolds_the_sheets_county(documents: dict[str, Document]) -> None:
    tables = {c: _tables(documents[c])[3] for c in ("00", "03", "0330")}
    labels = [plain(label) for label in tables["00"].labels]
    assert len(labels) == 22 and labels[-1] == "Riket" and labels[0] == "Stockholms län"
    assert tables["00"].bold_rows == frozenset()
    assert tables["03"].bold_rows == tables["0330"].bold_rows == {labels.index("Uppsala län")}
    assert tables["00"].groups[0].rows[-1] == ("80", "82")  # riket's socionom share 2021: 82


def test_a_new_indicator_prints_a_dash_with_a_note(documents: dict[str, Document]) -> None:
    table = _tables(documents["00"])[2]
    assert table.years == (2015, 2016, 2017, 2018, 2019, 2020, 2021)
    assert table.groups[0].rows[3][:5] == ("–", "–", "–", "–", "–")
    assert plain(table.note) == "– Frågan ställdes inte detta år."


def test_a_kommun_table_shows_the_years_that_fit_and_says_so(
    documents: dict[str, Document],
) -> None:
    county, kommun = _tables(documents["03"])[2], _tables(documents["0330"])[2]
    assert county.years == (2015, 2016, 2017, 2018, 2019, 2020, 2021)  # 15 columns fit
    assert kommun.years == (2017, 2018, 2019, 2020, 2021)  # 3 groups: 15 columns at most
    assert all(len(row) == 5 for group in kommun.groups for row in group.rows)
    assert plain(kommun.unit).endswith("Tabellen visar åren 2017–2021.")
    assert "Tabellen visar" not in plain(county.unit)


def test_a_variant_tables_caption_and_source_name_the_years_it_shows(
    documents: dict[str, Document],
) -> None:
    county, kommun = _tables(documents["03"])[2], _tables(documents["0330"])[2]
    assert plain(county.caption).endswith("socionomexamen 2015–2021")
    assert plain(kommun.caption).endswith("socionomexamen 2017–2021")  # as the unit line says
    assert plain(kommun.source).endswith("kommunundersökning, 2017–2021.")


def test_a_ratio_row_shows_the_kommuns_own_share_and_no_yes_count(
    inputs: Inputs, documents: dict[str, Document]
) -> None:
    """The socionom share is a ratio of counts: a kommun has a share of its own, not a Ja/Nej
    answer, and a län has no 'Ja av svarande' count for it."""
    kommun, county = _tables(documents["0330"])[2], _tables(documents["03"])[2]
    own = kommun.groups[0]
    assert own.key == "area"
    share = inputs.data.unit_share("0330", "X90560", 2021)
    assert share is not None
    assert own.rows[3][-1] == format_number(share) != "–"
    assert own.rows[3][:3] == ("–", "–", "–")  # 2017-2019: not asked yet
    assert county.groups[0].counts[3] == "–"
    assert county.groups[0].counts[0] != "–"  # a yes/no row keeps its count


def test_a_new_indicator_in_a_county_rows_table_prints_a_dash(inputs: Inputs) -> None:
    from factsheet.resolve import resolve

    spec = inputs.spec
    t4 = spec.tables["t4"]
    longer = replace(t4, years=tuple(range(2016, 2022)))
    document = resolve(replace(spec, tables={**spec.tables, "t4": longer}), inputs.data)
    table = _tables(document)[3]
    assert table.years == tuple(range(2016, 2022))
    assert table.groups[0].rows[-1] == ("–", "–", "–", "–", "80", "82")  # riket
    assert plain(table.note).endswith("– Frågan ställdes inte detta år.")


def test_pages_per_kind_and_the_real_count(pdfs: dict[str, Any]) -> None:
    for code, (path, pages) in pdfs.items():
        text = pdftotext(path)
        assert f"Sida 1 av {pages}" in text, code
        assert f"Sida {pages} av {pages}" in text, code
    assert pdfs["0330"][1] < 8  # the kommun budget is 8; its footer says the real count


@pytest.mark.parametrize("code", PDFS)
@pytest.mark.parametrize("profile", [ValidationProfile.PDF_UA_1, ValidationProfile.PDF_A_2B])
def test_every_shape_validates(pdfs: dict[str, Any], code: str, profile: Any) -> None:
    report = validate_pdf(str(pdfs[code][0]), profile=profile)
    assert [(f.rule_id, f.message) for f in report.failures] == []


def test_captions_round_trip_from_the_pdf(pdfs: dict[str, Any]) -> None:
    text = " ".join(pdftotext(pdfs["09"][0]).split())
    for caption in (
        "Figur 2. Enskildas uppfattning används till att utveckla utförarverksamheter, län 2021",
        "Figur 3. Använt IBIC vid alla utredningar och uppföljningar, Gotlands län och riket",
        "Figur 4. Plan för kompetensutveckling med fortbildning och med handledning, län 2021",
        "Tabell 3. Andel handläggare med socionomexamen, län 2020–2021",
    ):
        assert caption in text


def test_a_national_kommun_chart_of_one_county(inputs: Inputs, tmp_path: Path) -> None:
    from factsheet.resolve import resolve

    spec = inputs.spec
    f1 = replace(spec.figures["f1"], level="municipality", county="03")
    document = resolve(replace(spec, figures={**spec.figures, "f1": f1}), inputs.data)
    figure = _figures(document)[1]
    uppsala = {a.code for a in (areas.area(u) for u in inputs.data.units_in("03", 2021))}
    assert {b.code for b in figure.bars} == uppsala


def test_every_chart_kind_gives_its_values_as_a_table(documents: dict[str, Document]) -> None:
    """Each chart's values as rows of text for assistive technology: the heads, then every
    bar or category (län, year) with its printed values, in the chart's order."""
    kinds = set()
    for document in documents.values():
        for figure in _figures(document).values():
            kinds.add(figure.kind)
            head, *rows = figure.data
            if figure.kind == "bars":
                assert head[0] == "Område"
                assert [r[0] for r in rows[: len(figure.bars)]] == [b.label for b in figure.bars]
                assert all(len(r) == 2 for r in rows)
            else:
                first = "År" if figure.kind == "trend" else "Område"
                assert head == (first, *(s.label for s in figure.series))
                assert [r[0] for r in rows] == list(figure.categories)
                for i, row in enumerate(rows):
                    assert row[1:] == tuple(s.printed[i] or "uppgift saknas" for s in figure.series)
    assert kinds == {"bars", "grouped-bars", "trend"}


def _label_boxes(ops: list[Any]) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, y0, x1, y1) of a trend chart's value labels (6.5 pt; ticks are 8 pt)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from factsheet.render import theme

    boxes = []
    for op in ops:
        if op[0] == "t" and op[5] == 6.5:
            width = stringWidth(op[3], theme.font_name(op[4]), op[5])
            boxes.append((op[3], op[1], op[2], op[1] + width, op[2] + 0.72 * op[5]))
    return boxes


def test_no_trend_chart_prints_a_value_label_over_another(inputs: Inputs) -> None:
    """Riket and every län (a kommun sheet draws its län's line): four lines of close values
    put up to four labels at one year; none may overprint another."""
    from factsheet.render.chart_mpl import record
    from factsheet.render.pages import BOX_W, TEXT_W
    from factsheet.render.story import Layout
    from factsheet.resolve import resolve

    overlaps, charts = {}, 0
    for code in ["00", *(c.code for c in areas.counties())]:
        document = resolve(inputs.spec, inputs.data, areas.area(code))
        layout = Layout(document, TEXT_W, BOX_W)
        layout.body()
        for chart in layout.charts.values():
            if chart.data.kind != "trend":
                continue
            charts += 1
            boxes = _label_boxes(record(chart.data, chart.width, chart.height))
            assert len(boxes) >= len(chart.data.categories)
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                        overlaps.setdefault(code, []).append((a[0], b[0]))
    assert charts == 22
    assert overlaps == {}


def test_a_chart_taller_than_a_page_is_refused_with_its_size(inputs: Inputs) -> None:
    """The kommuner of all län in one chart (max_bars raised to hold them): said with the
    figure, its bars and its height; the layout failed without them ("a block is taller than
    the page")."""
    from factsheet.errors import RenderError
    from factsheet.resolve import resolve

    spec = inputs.spec
    f1 = replace(spec.figures["f1"], level="municipality", county=None, max_bars=400)
    document = resolve(replace(spec, figures={**spec.figures, "f1": f1}), inputs.data)
    assert len(_figures(document)[1].bars) == 302
    with pytest.raises(RenderError) as raised:
        render(document)
    assert str(raised.value.problems[0]).startswith(
        "Figur 1: its 302 bars make the chart 3062 pt tall, more than a page holds (684 pt); "
        "show fewer (max_bars, or county: for the kommuner of one län)"
    )


def test_every_area_of_the_next_edition_lays_out_within_its_pages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """riket, all 21 län and all 302 kommuner and stadsdelar: ``check --all`` lays each one out
    and reports any that overflows its pages or fails."""
    from conftest import run_cli

    fonts = ROOT / "fonts"
    code, out, err = run_cli(capsys, "check", "--all", "--content", SHAPES, "--fonts", fonts)
    assert (code, err) == (0, [])
    assert out[-1] == f"OK: {SHAPES} and its workbook have no problems"


def test_the_third_table_spans_seven_years_where_they_fit(documents: dict[str, Document]) -> None:
    """Tabell 2 (t3) covers 2015–2021: riket and every county sheet print all seven years; a
    kommun sheet (its answers, its län's and riket's shares: three groups) the last five, and
    its unit line says so; Gotland, a kommun that is its län, has two groups and all seven."""
    seven = tuple(range(2015, 2022))
    for code in ("00", "03", "09", "0980"):
        table = _tables(documents[code])[2]
        assert table.years == seven, code
        assert all(len(row) == 7 for group in table.groups for row in group.rows), code
        assert "Tabellen visar" not in plain(table.unit), code
    for code in ("0330", "1060", "0180-01"):
        table = _tables(documents[code])[2]
        assert table.years == seven[2:], code
        assert [g.key for g in table.groups] == ["area", "county", "riket"], code
        assert plain(table.unit).endswith("Tabellen visar åren 2017–2021."), code


def test_seven_years_print_in_the_pdfs(pdfs: dict[str, Any]) -> None:
    for code, years in (("00", "2015–2021"), ("03", "2015–2021"), ("1060", "2017–2021")):
        text = " ".join(pdftotext(pdfs[code][0]).split())
        assert f"kompetensutveckling och socionomexamen {years}" in text, code
    assert "2015" not in pdftotext(pdfs["1060"][0]).split("Tabell 2.")[1].split("Tabell 3.")[0]


def test_gotlands_unit_line_names_only_the_groups_shown(documents: dict[str, Document]) -> None:
    """Gotland (0980) is the only kommun of Gotlands län: its tables have no län group, so its
    unit line (single_unit) names riket only; it said "Gotlands län och riket: andel …"."""
    for table in _tables(documents["0980"]).values():
        if table.groups[0].key != "area":
            continue  # the table of län rows
        assert [g.key for g in table.groups] == ["area", "riket"]
        assert plain(table.unit).startswith(
            "Gotland: svar (Ja, Nej, – uppgift saknas). Riket: andel som svarat ja, procent."
        )
        assert "län" not in plain(table.unit)


def test_a_unit_line_naming_the_missing_county_group_is_an_error(inputs: Inputs) -> None:
    from factsheet.errors import ContentError
    from factsheet.resolve import resolve

    spec = inputs.spec
    municipality = replace(spec.variants["municipality"], single_unit={})
    bare = replace(spec, variants={**spec.variants, "municipality": municipality})
    with pytest.raises(ContentError) as raised:
        resolve(bare, inputs.data, areas.area("0980"))
    line = municipality.unit.where
    assert [str(p) for p in raised.value.problems] == [
        f"{line}: variants.municipality.unit names {{county}}, but the tables of a kommun that "
        "is its own län (Gotland) have no columns of its län: give a unit line without it under "
        "'single_unit' (unit: \"{area}: svar (…). Riket: andel …\")"
    ]
    resolve(bare, inputs.data, areas.area("1060"))  # a kommun of a larger län shows its län


def test_the_lan_chart_fallback_names_the_highlighted_lan(documents: dict[str, Document]) -> None:
    """Rinkeby-Kista (Stockholms län: more units than max_bars) and Gotland (its län's only
    kommun) show the län chart with their län highlighted: the alt text names it."""
    for code, county in (("0180-01", "Stockholm"), ("0980", "Gotland")):
        figure = _figures(documents[code])[1]
        assert {b.code for b in figure.bars if b.highlight} == {areas.area(code).county}, code
        assert [b.label for b in figure.bars if b.highlight] == [county]
        alt = figure.alt.replace("\u00a0", " ")
        assert alt.startswith("Liggande stapeldiagram över andelen handläggare"), code
        name = areas.area(areas.area(code).county).name
        (bar,) = (b for b in figure.bars if b.highlight)
        assert alt.endswith(f"{name}, som är markerat, har {bar.printed} procent."), alt


def test_the_lan_chart_fallback_needs_county_alt(inputs: Inputs) -> None:
    """Without county_alt the fallback's alt text said nothing of the highlighted län: now an
    error at the figure's kommun variant, once, for every sheet that falls back."""
    from factsheet.errors import ContentError
    from factsheet.resolve import resolve

    spec = inputs.spec
    f1 = spec.figures["f1"]
    variant = replace(f1.variants["municipality"], county_alt=None, county_alt_missing=None)
    bare = replace(
        spec,
        figures={
            **spec.figures,
            "f1": replace(f1, variants={**f1.variants, "municipality": variant}),
        },
    )
    assert variant.alt is not None
    for code in ("0180-01", "0980"):
        with pytest.raises(ContentError) as raised:
            resolve(bare, inputs.data, areas.area(code))
        assert [str(p) for p in raised.value.problems] == [
            f"{variant.alt.where}: figures.f1.variants.municipality: a kommun sheet that shows "
            "the län chart instead of its kommuner's (a län of one kommun, or of more kommuner "
            "than max_bars) highlights its län, which the alt text does not name: add "
            "'county_alt' (and 'county_alt_missing'), e.g. \"{county} har {county:X90560} "
            'procent."'
        ], code
    resolve(bare, inputs.data, areas.area("1060"))  # its kommuner's chart: no län to name


def test_every_figure_kind_lays_out_in_a_small_lan_kommun_sheet(
    documents: dict[str, Document], pdfs: dict[str, Any]
) -> None:
    """Olofström (1060, Blekinge: five kommuner): its kommuner's bars, the grouped bars of the
    län and its län's trend beside riket's are laid out and printed with their captions."""
    from factsheet.render.pages import BOX_W, TEXT_W
    from factsheet.render.story import Layout

    document = documents["1060"]
    layout = Layout(document, TEXT_W, BOX_W)
    layout.body()
    kinds = sorted(chart.data.kind for chart in layout.charts.values())
    assert kinds == ["bars", "bars", "grouped-bars", "trend"]
    figures = _figures(document)
    assert len(figures[1].bars) == 5 and figures[1].bars[0].label != "Stockholm"
    assert figures[4].highlight == "Blekinge"
    assert figures[3].series[0].label == "Blekinge län: Utredningar"
    text = " ".join(pdftotext(pdfs["1060"][0]).split())
    for caption in (
        "Figur 1. Andel handläggare med socionomexamen, kommuner i Blekinge län 2021",
        "Figur 3. Använt IBIC vid alla utredningar och uppföljningar, Blekinge län och riket",
        "Figur 4. Plan för kompetensutveckling med fortbildning och med handledning, län 2021",
    ):
        assert caption in text
