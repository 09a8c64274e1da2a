"""Tagged PDF: PDF/UA-1 and PDF/A-2b with zero failed rules, and checks the validator lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import CONTENT, ROOT
from page import ValidationProfile, validate_pdf

from factsheet.build import check, load_inputs, national_guess
from factsheet.model import areas
from factsheet.model.richtext import plain
from factsheet.render.pages import render

PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    inputs = load_inputs(CONTENT, None, ROOT / "fonts")
    documents = check(inputs, [areas.area(c) for c in ("03", "09", "19", "0180-01", "0115")])
    guess = national_guess(documents["00"])
    folder = tmp_path_factory.mktemp("tagged")
    out: dict[str, Any] = {}
    for code, document in documents.items():
        rendered = render(document, guess)
        path = folder / f"{code}.pdf"
        path.write_bytes(rendered.pdf)
        out[code] = (path, rendered.tagger, document)
    return out


@pytest.mark.parametrize("code", ["00", "03", "09", "19", "0180-01", "0115"])
@pytest.mark.parametrize("profile", [ValidationProfile.PDF_UA_1, ValidationProfile.PDF_A_2B])
def test_validator_reports_zero_failures(built: dict[str, Any], code: str, profile: Any) -> None:
    report = validate_pdf(str(built[code][0]), profile=profile)
    assert [(f.rule_id, f.message) for f in report.failures] == []


def _elements(pdf: pikepdf.Pdf) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []

    def visit(elem: Any) -> None:
        out.append((str(elem.S)[1:], elem))
        kids = elem.get("/K", [])
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                visit(kid)

    for kid in pdf.Root.StructTreeRoot.K:
        visit(kid)
    return out


@pytest.mark.parametrize("code", ["00", "03"])
def test_structure_tree_is_the_tagged_reading_order(built: dict[str, Any], code: str) -> None:
    path, tagger, _ = built[code]
    with pikepdf.open(path) as pdf:
        in_pdf = [role for role, _ in _elements(pdf)]
    assert in_pdf == [node.tag.role for _, node in tagger.walk()]


def test_reading_order_follows_the_content(built: dict[str, Any]) -> None:
    _, tagger, document = built["00"]
    drawn = [n.tag.text for _, n in tagger.walk() if n.tag.role in ("H1", "H2", "H3", "P", "LBody")]
    expected = [plain(document.title), plain(document.ingress), plain(document.box_heading)]
    expected += [plain(item) for item in document.box_items]
    for block in document.body:
        if block.kind in ("heading", "subheading", "paragraph"):
            expected.append(plain(block.text))
    position = 0
    for text in expected:
        assert text in drawn[position:], text[:60]
        position = drawn.index(text, position) + 1


def test_headings_tables_figures_links(built: dict[str, Any]) -> None:
    for code in ("00", "03"):
        with pikepdf.open(built[code][0]) as pdf:
            elements = _elements(pdf)
            roles = [r for r, _ in elements]
            assert roles[:2] == ["Document", "P"]  # the synthetic-data mark is read first
            assert roles.count("H1") == 1 and "H2" in roles
            assert {
                "Table",
                "THead",
                "TBody",
                "TR",
                "TH",
                "TD",
                "L",
                "LI",
                "Lbl",
                "LBody",
                "Note",
                "Link",
                "Figure",
                "Caption",
            } <= set(roles)
            for role, elem in elements:
                if role == "TH":
                    assert str(elem.A.Scope) in ("/Column", "/Row")
                if role == "Figure":
                    assert len(str(elem.Alt)) > 50
                if role == "Note":
                    assert str(elem.ID)
            for page in pdf.pages:
                assert page.Tabs == pikepdf.Name.S
                for annotation in page.get("/Annots", []):
                    assert "/StructParent" in annotation and str(annotation.Contents)
    with pikepdf.open(built["03"][0]) as pdf:
        headed = [e for r, e in _elements(pdf) if r == "TD" and "/A" in e and "/Headers" in e.A]
        assert headed and all(len(e.A.Headers) == 3 for e in headed)


def test_figure_alt_text_is_from_the_data(built: dict[str, Any]) -> None:
    alts = {}
    for code in ("00", "03", "19"):
        with pikepdf.open(built[code][0]) as pdf:
            alts[code] = next(str(e.Alt) for r, e in _elements(pdf) if r == "Figure")
    assert "Riket har 82\u00a0procent" in alts["00"]
    assert "Högst andel har Värmlands län med 94\u00a0procent" in alts["00"]
    assert "Uppgift saknas för Västmanland, Jönköping och Västernorrland" in alts["00"]
    assert "Uppsala län har 70\u00a0procent" in alts["03"]
    assert alts["19"].endswith("För Västmanlands län saknas uppgift.")


@pytest.mark.parametrize("code", ["00", "19", "0180-01"])
def test_no_untagged_painting_operators(built: dict[str, Any], code: str) -> None:
    with pikepdf.open(built[code][0]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            depth = 0
            for _operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    depth += 1
                elif op == "EMC":
                    depth -= 1
                elif op in PAINTING:
                    assert depth > 0, f"page {number}: {op} outside marked content"
            assert depth == 0


def test_document_level_entries(built: dict[str, Any]) -> None:
    with pikepdf.open(built["00"][0]) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "sv-SE"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "<pdfaid:part>2</pdfaid:part>" in xmp
        assert "Öppna jämförelser 2021 – Stöd till personer med funktionsnedsättning LSS" in xmp
        assert pdf.Root.OutputIntents[0].S == pikepdf.Name.GTS_PDFA1


def test_cli_output_is_the_tagged_pdf(national_pdf: Path) -> None:
    report = validate_pdf(str(national_pdf), profile=ValidationProfile.PDF_UA_1)
    assert report.failures == []


def test_a_table_split_across_pages_stays_one_tagged_table(content_copy: Path) -> None:
    """A long table continues on the next page with its header repeated: the repeat is an
    artifact, so the structure has one THead and every row once."""
    lss = content_copy / "lss.yaml"
    text = lss.read_text(encoding="utf-8").replace("pages: 4", "pages: 6")
    row = (
        "      - {label: Aktuell skriftlig överenskommelse om samverkan med vuxenpsykiatri "
        "och LSS, indicator: U28454}\n"
    )
    text = text.replace(row, row * 30, 1)
    lss.write_text(text, encoding="utf-8")
    inputs = load_inputs(content_copy, None, ROOT / "fonts")
    documents = check(inputs, [])
    rendered = render(documents["00"])
    path = content_copy / "split.pdf"
    path.write_bytes(rendered.pdf)
    assert validate_pdf(str(path), profile=ValidationProfile.PDF_UA_1).failures == []
    with pikepdf.open(path) as pdf:
        elements = _elements(pdf)
        tables = [e for r, e in elements if r == "Table"]
        long_table = tables[1]
        body = next(k for k in long_table.K if str(k.S) == "/TBody")
        pages = {row.Pg.objgen for row in body.K}
        heads = [r for r, _ in elements].count("THead")
    assert len(tables) == 2 and heads == 2  # Tabell 1 and the long Tabell 2, one head each
    rows = [e for r, e in elements if r == "TR"]
    assert len(rows) == 1 + 5 + 1 + 3 + 30  # header and data rows of both tables, each once
    assert len(pages) == 2  # the long table's rows are on two pages, in its one TBody
