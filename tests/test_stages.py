"""Each stage on its own, without a PDF: a tiny Spec and Dataset resolve to the Document a
user would expect, and a tiny Document lays out to the table a reader would see."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import CONTENT, ROOT

from factsheet.inputs.content import load_content
from factsheet.model import areas
from factsheet.model.dataset import Dataset, Indicator, Unit, Value
from factsheet.model.document import ColumnGroup, ResolvedTable
from factsheet.model.richtext import Run, plain
from factsheet.model.spec import Block, Spec, Src, TableRow, TableSpec
from factsheet.resolve import resolve
from factsheet.resolve.variants import CountyResolver, MunicipalResolver

UPPSALA, KNIVSTA, HEBY = "03", "0330", "0331"


def _src(text: str) -> Src:
    return Src(text, "tiny.yaml:1")


@pytest.fixture(scope="module")
def tiny() -> tuple[Spec, Dataset]:
    """The bundled edition's words (labels, variants) with one table of one indicator over
    two years, and a workbook of riket, every län and two kommuner of Uppsala län."""
    bundled = load_content(CONTENT)
    table = TableSpec(
        "t1",
        _src("Kompetensplan {years}"),
        _src("Andel, procent"),
        _src("Indikator"),
        (2020, 2021),
        (TableRow(_src("Samlad kompetensplan"), "X1", "tiny.yaml:2"),),
        _src("Källa: test"),
        "tiny.yaml:3",
    )
    spec = replace(
        bundled,
        body=(
            Block("table", "tiny.yaml:4", ref="t1"),
            Block("area_section", "tiny.yaml:5", _src("variant")),
        ),
        tables={"t1": table},
        figures={},
        footnotes={},
        references={},
        claims=(),
        ingress=_src("Ingress."),
        box_items=(_src("En punkt."),),
        variants={k: replace(v, sentences=()) for k, v in bundled.variants.items()},
    )
    values = {
        ("00", "X1", 2020): Value(26.0, "Riket!C2"),
        ("00", "X1", 2021): Value(32.4, "Riket!D2"),
    }
    for i, county in enumerate(areas.counties()):
        values[(county.code, "X1", 2020)] = Value(20.0 + i, f"Län!C{i + 2}")
        values[(county.code, "X1", 2021)] = Value(
            None if county.code == "19" else 50.0, f"Län!D{i + 2}"
        )
    units = {KNIVSTA: Unit(KNIVSTA, "Knivsta", UPPSALA), HEBY: Unit(HEBY, "Heby", UPPSALA)}
    answers = {(KNIVSTA, "X1", 2020): False, (KNIVSTA, "X1", 2021): True, (HEBY, "X1", 2021): False}
    data = Dataset(
        "tiny.xlsx",
        False,
        {"X1": Indicator("X1", "Kompetensplan", "fråga", "procent", "", "share")},
        values,
        units,
        answers,
        {2020: [KNIVSTA, HEBY], 2021: [KNIVSTA, HEBY]},
    )
    return spec, data


def _table(spec: Spec, data: Dataset, code: str) -> ResolvedTable:
    document = resolve(spec, data, areas.area(code))
    (table,) = [b.table for b in document.body if b.table is not None]
    return table


def test_riket_table_has_one_group_of_riket_values(tiny: tuple[Spec, Dataset]) -> None:
    table = _table(*tiny, areas.RIKET)
    assert plain(table.caption) == "Kompetensplan 2020–2021"
    assert [plain(label) for label in table.labels] == ["Samlad kompetensplan"]
    assert table.groups == (ColumnGroup("riket", "", (("26", "32"),)),)


def test_county_table_puts_the_county_beside_riket(tiny: tuple[Spec, Dataset]) -> None:
    area, riket = _table(*tiny, UPPSALA).groups
    assert (area.key, area.label, area.highlight) == ("area", "Uppsala län", True)
    assert area.rows == (("21", "50"),)
    assert area.counts == ("1 av 2",)  # Knivsta Ja, Heby Nej in 2021
    assert (riket.key, riket.label, riket.rows, riket.highlight) == (
        "riket",
        "Riket",
        (("26", "32"),),
        False,
    )


def test_county_without_a_value_prints_a_dash_and_no_count(tiny: tuple[Spec, Dataset]) -> None:
    area, _ = _table(*tiny, "19").groups
    index = [c.code for c in areas.counties()].index("19")
    assert area.rows == ((str(20 + index), "–"),)
    assert area.counts == ("–",)


def test_kommun_table_has_its_answers_its_county_and_riket(tiny: tuple[Spec, Dataset]) -> None:
    mine, county, riket = _table(*tiny, KNIVSTA).groups
    assert (mine.label, mine.rows, mine.highlight) == ("Knivsta", (("Nej", "Ja"),), True)
    assert (county.key, county.label, county.rows) == ("county", "Uppsala län", (("21", "50"),))
    assert riket.rows == (("26", "32"),)


def test_the_resolver_is_chosen_once_from_the_area_kind(tiny: tuple[Spec, Dataset]) -> None:
    from factsheet.resolve import resolver_for

    spec, data = tiny
    assert type(resolver_for(spec, data, areas.area(UPPSALA))) is CountyResolver
    assert type(resolver_for(spec, data, areas.area(KNIVSTA))) is MunicipalResolver
    # an edition without a kommun variant builds the national sheet for a kommun
    national_only = replace(spec, variants={"county": spec.variants["county"]})
    document = resolve(national_only, data, areas.area(KNIVSTA))
    assert document.area == areas.riket()


def test_one_builder_lays_out_every_kind_of_table(tiny: tuple[Spec, Dataset]) -> None:
    """From the Document to the flowable, no PDF: columns, header rows and the headers every
    data cell names for a screen reader."""
    from factsheet.render import tables
    from factsheet.render.theme import register_fonts

    register_fonts(ROOT / "fonts")
    spec, data = tiny
    shapes = {}
    for code in (areas.RIKET, UPPSALA, KNIVSTA):
        table = tables.build(_table(spec, data, code), 400)
        data_row = table._cellvalues[-1]
        shapes[code] = (
            table.header_rows,
            len(data_row),
            [c.tag.role for c in data_row],
            data_row[1].tag.headers,
        )
    assert shapes[areas.RIKET] == (1, 3, ["TH", "TD", "TD"], ())
    assert shapes[UPPSALA] == (
        2,
        6,  # label, 2 years of the län, its count, 2 years of riket
        ["TH", "TD", "TD", "TD", "TD", "TD"],
        ("t1-area", "t1-area-2020", "t1-row0"),
    )
    assert shapes[KNIVSTA][:3] == (2, 7, ["TH"] + ["TD"] * 6)
    assert _texts(tables.build(_table(spec, data, KNIVSTA), 400)._cellvalues[0]) == [
        "",
        "Knivsta",
        "",
        "Uppsala län",
        "",
        "Riket",
        "",
    ]


def _texts(row: list[object]) -> list[str]:
    return [c.tag.text for c in row]  # type: ignore[attr-defined]


def test_run_types_are_plain_data() -> None:
    assert plain((Run("a"), Run("b", bold=True))) == "ab"


def test_a_kommun_table_needs_the_kommun_column(tiny: tuple[Spec, Dataset]) -> None:
    """Without the indicator's column on the kommun sheet a kommun sheet's table would print
    only dashes, a county sheet's count "0 av 0": an error naming the row, in both."""
    from factsheet.errors import ContentError

    spec, data = tiny
    bare = Dataset(data.path, False, data.indicators, data.values, data.units, {}, data.unit_years)
    expected = [
        "tiny.yaml:2: tables.t1.rows[0].indicator: the workbook has no kommun answers for 'X1' "
        "(no column on the kommun sheet); a county sheet's table counts them ('Ja av svarande') "
        "and a kommun sheet's shows them"
    ]
    for code in (KNIVSTA, UPPSALA):
        with pytest.raises(ContentError) as caught:
            resolve(spec, bare, areas.area(code))
        assert [str(p) for p in caught.value.problems] == expected, code


def test_an_empty_kommun_column_is_named_with_its_cells(tiny: tuple[Spec, Dataset]) -> None:
    """The column is there but no kommun answered in any year (a blanked column): the message
    says so and names its cells, not "no column"; the county sheet printed "0 av 0" before."""
    from factsheet.errors import ContentError
    from factsheet.model.dataset import Row

    spec, data = tiny
    rows = [
        Row(unit, year, "X1", cell=f"Kommun!H{n}")
        for n, (unit, year) in enumerate(
            [(KNIVSTA, 2020), (HEBY, 2020), (KNIVSTA, 2021), (HEBY, 2021)], start=4
        )
    ]
    empty = Dataset.from_rows(data.path, False, data.indicators, data.units, rows)
    empty.values.update(data.values)
    for code in (KNIVSTA, UPPSALA):
        with pytest.raises(ContentError) as caught:
            resolve(spec, empty, areas.area(code))
        assert [str(p) for p in caught.value.problems] == [
            "tiny.yaml:2: tables.t1.rows[0].indicator: the kommun sheet's column for 'X1' "
            "(Kommun!H4:H7) is empty: no kommun or stadsdel has an answer in any year; a county "
            "sheet's table counts them ('Ja av svarande') and a kommun sheet's shows them"
        ], code


def test_no_kommun_answer_in_the_last_year_prints_no_zero_count(
    tiny: tuple[Spec, Dataset],
) -> None:
    """The län has a value for 2021 but none of its kommuner answered that year: its count is
    "–", not "0 av 0"."""
    spec, data = tiny
    answers = {(KNIVSTA, "X1", 2020): True}
    sparse = Dataset(
        data.path, False, data.indicators, data.values, data.units, answers, data.unit_years
    )
    table = next(b.table for b in resolve(spec, sparse, areas.area(UPPSALA)).body if b.table)
    assert table.groups[0].counts == ("–",)
    table = next(b.table for b in resolve(spec, data, areas.area(UPPSALA)).body if b.table)
    assert table.groups[0].counts == ("1 av 2",)
