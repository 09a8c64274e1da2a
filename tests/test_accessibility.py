"""Tagged PDF: PDF/UA-1 and PDF/A-2b with zero failed rules, and checks the validator lacks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import CONTENT, ROOT
from page import ValidationProfile, validate_pdf

from factsheet.build import check, load_inputs, national_guess
from factsheet.model import areas
from factsheet.model.richtext import plain
from factsheet.render.flowables import line_ends
from factsheet.render.pages import render
from factsheet.render.tagging import LineEnd

PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    inputs = load_inputs(CONTENT, None, ROOT / "fonts")
    codes = ("03", "09", "19", "0180-01", "0115", "0380")
    documents = check(inputs, [areas.area(c) for c in codes])
    guess = national_guess(documents["00"])
    folder = tmp_path_factory.mktemp("tagged")
    out: dict[str, Any] = {}
    for code, document in documents.items():
        rendered = render(document, guess)
        path = folder / f"{code}.pdf"
        path.write_bytes(rendered.pdf)
        out[code] = (path, rendered.tagger, document)
    return out


@pytest.mark.parametrize("code", ["00", "03", "09", "19", "0180-01", "0115", "0380"])
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


@pytest.mark.parametrize("code", ["00", "03", "09", "19", "0180-01", "0115", "0380"])
def test_headings_nest_and_are_bookmarked_on_every_kind_of_sheet(
    built: dict[str, Any], code: str
) -> None:
    # issue 15: the back page's headings were H3 after the body's last H2 (read as parts of it)
    with pikepdf.open(built[code][0]) as pdf:
        roles = [r for r, _ in _elements(pdf) if re.fullmatch(r"H\d", r)]
        assert pdf.Root.PageMode == "/UseOutlines"
        with pdf.open_outline() as outline:
            (top,) = outline.root
            titles = [item.title for item in top.children]
            assert all(not item.children for item in top.children)
    assert roles[0] == "H1" and set(roles[1:]) == {"H2"}, roles
    assert len(titles) == len(roles) - 1
    assert titles[-3:] == ["Öppna jämförelser", "Mer information", "Referenser"]
    if code != "00":  # a variant's own section is a section of its own, before the back page's
        assert titles[-4].startswith(areas.area(code).name), titles


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
        charts = [e for r, e in elements if r == "Table" and str(e.get("/ID", "")).startswith("f")]
        chart_rows = sum(len(e.K) for e in charts)  # Figur 1's data, for assistive technology
        tables = [e for r, e in elements if r == "Table" and e not in charts]
        long_table = tables[1]
        body = next(k for k in long_table.K if str(k.S) == "/TBody")
        pages = {row.Pg.objgen for row in body.K}
        heads = [r for r, _ in elements].count("THead")
    assert len(tables) == 2 and heads == 2  # Tabell 1 and the long Tabell 2, one head each
    rows = [e for r, e in elements if r == "TR"]
    assert len(charts) == 1 and chart_rows == 1 + 21 + 1  # heads, the län, riket
    assert len(rows) - chart_rows == 1 + 5 + 1 + 3 + 30  # header and data rows, each once
    assert len(pages) == 2  # the long table's rows are on two pages, in its one TBody


# --- the text a screen reader reads: marked content through the structure tree ----------------
def _to_unicode(font: Any) -> dict[int, str]:
    out: dict[int, str] = {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-F]+)> <([0-9A-F]+)>", block):
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return out


def _marked_text(page: Any) -> dict[int, str]:
    """The text of each marked-content id of a page, as a reader gets it: the glyphs' Unicode,
    or the ActualText of the marked content around them."""
    fonts = {str(name): _to_unicode(font) for name, font in page.Resources.Font.items()}
    texts: dict[int, str] = {}
    marks: list[list[Any]] = []  # [mcid, actual text, actual text given]
    codes: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else {}
            mcid = int(props["/MCID"]) if "/MCID" in props else None
            actual = str(props["/ActualText"]) if "/ActualText" in props else None
            marks.append([mcid, actual, False])
        elif op == "EMC":
            marks.pop()
        elif op == "Tf":
            codes = fonts[str(operands[0])]
        elif op in ("Tj", "TJ"):
            shown = operands[0] if op == "TJ" else [operands[0]]
            data = b"".join(bytes(s) for s in shown if isinstance(s, pikepdf.String))
            text = "".join(codes[b] for b in data)
            owner = next((m[0] for m in reversed(marks) if m[0] is not None), None)
            if owner is None or any(m[0] is None and m[1] is None for m in marks):
                continue  # an artifact
            actual = next((m for m in reversed(marks) if m[1] is not None), None)
            if actual is not None:
                text, actual[2] = ("" if actual[2] else actual[1]), True
            texts[owner] = texts.get(owner, "") + text
    return texts


def _read(pdf: pikepdf.Pdf) -> list[tuple[str, str, Any]]:
    """(role, text, element) of every structure element in reading order; an element's text
    is that of its marked content and its kids' in order."""
    pages = {page.objgen: _marked_text(page) for page in pdf.pages}
    out: list[tuple[str, str, Any]] = []

    def visit(elem: Any) -> str:
        entry = [str(elem.S)[1:], "", elem]
        out.append(entry)  # type: ignore[arg-type]
        kids = elem.get("/K", [])
        text = ""
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if kid.get("/Type") == "/MCR":
                text += pages[kid.Pg.objgen].get(int(kid.MCID), "")
            elif kid.get("/Type") == pikepdf.Name.StructElem:
                text += visit(kid)
        entry[1] = text
        return text

    for kid in pdf.Root.StructTreeRoot.K:
        visit(kid)
    return [(role, text, elem) for role, text, elem in out]


def _plain(text: str) -> str:
    """Text as read aloud: soft hyphens are not read, any run of spaces is one space."""
    return re.sub(r"[\s\u00a0]+", " ", text.replace("\u00ad", "")).strip()


@pytest.mark.parametrize("code", ["00", "03", "0115", "0180-01"])
def test_text_reads_as_written(built: dict[str, Any], code: str) -> None:
    """Read through the structure tree, every element's text is the content's text: no two
    words run together across a line ("personermed"), no hyphen that hyphenation added is
    read as a hard hyphen ("kvalite-ten"), a link's text is read where it stands."""
    path, tagger, _ = built[code]
    with pikepdf.open(path) as pdf:
        read = _read(pdf)
    nodes = [node for _, node in tagger.walk()]
    assert [role for role, _, _ in read] == [node.tag.role for node in nodes]
    compared = soft = 0
    for (role, text, _), node in zip(read, nodes, strict=True):
        if role in ("P", "H1", "H2", "LBody", "Note", "Caption", "TH", "TD") and node.tag.text:
            expected = _plain(node.tag.text)
            got = _plain(text)
            if role == "Caption":  # "Tabell 1. " is drawn before the caption's text
                got = re.sub(r"^(Tabell|Figur) \d+\. ", "", got)
            assert got == expected, role
            compared += 1
            soft += text.count("\u00ad")
    assert compared > 50
    assert soft >= 5  # hyphenated line ends are there, and read as soft hyphens
    contact = next(t for r, t, _ in read if r == "P" and t.startswith("Kontakt:"))
    assert _plain(contact).startswith("Kontakt: Maria Rude Telefon: ")  # <br/> lines too


@pytest.mark.parametrize("code", ["00", "03", "0115"])
def test_each_link_holds_its_text_and_annotation(built: dict[str, Any], code: str) -> None:
    with pikepdf.open(built[code][0]) as pdf:
        read = _read(pdf)
        annotations = {a.objgen for page in pdf.pages for a in page.get("/Annots", [])}
        linked = set()
        for role, text, elem in read:
            if role != "Link":
                continue
            kids = list(elem.K)
            objects = [k.Obj for k in kids if k.get("/Type") == "/OBJR"]
            assert objects and text.strip(), (text, [str(o.Contents) for o in objects])
            linked |= {o.objgen for o in objects}
            for target in objects:
                uri = str(target.get("/A", {}).get("/URI", ""))
                if uri:  # a web or e-mail link reads as the address it opens
                    assert _plain(text) == uri.removeprefix("mailto:")
        assert linked == annotations  # every annotation is in a Link that holds its text
        texts = {r: [t for role, t, _ in read if role == r] for r in ("Link", "P", "Note")}
        assert "[1]" in texts["Link"] and "1" in texts["Link"]  # a reference, a note call


def test_line_ends_follow_the_source() -> None:
    """Where a line breaks: between words (a space), at a hyphen that hyphenation added (a
    soft hyphen), inside a word at its own hyphen or in a URL (nothing), at a line break."""
    ends, at = line_ends(
        ["en kvalite-", "ten för LSS-", "verksamheter och", "barn- och"],
        ("en kvaliteten för LSS-verksamheter och barn- och"),
    )
    assert ends == [LineEnd(hyphen=10), LineEnd(), LineEnd(space=True), LineEnd()]
    assert at == len("en kvaliteten för LSS-verksamheter och barn- och")
    url = "se https://example.se/a/b/c."
    assert line_ends(["se https://example.se/", "a/b/c."], url)[0] == [LineEnd(), LineEnd()]
    assert line_ends(["Kontakt: Maria", "Rude"], "Kontakt: Maria\nRude")[0][0] == LineEnd(True)
    # a soft hyphen in the source: the drawn hyphen is the added one
    assert line_ends(["kva-", "litet"], "kva\u00adlitet")[0][0] == LineEnd(hyphen=3)
    # the second part of a split paragraph starts where the first one ended
    first, at = line_ends(["en kvalite-"], "en kvaliteten är")
    assert first == [LineEnd(hyphen=10)] and line_ends(["ten är"], "en kvaliteten är", at)[1] == 16


def _marked_ops(page: Any) -> dict[int, list[tuple[str, list[Any]]]]:
    """The operators inside each marked-content sequence of a page, by MCID."""
    out: dict[int, list[tuple[str, list[Any]]]] = {}
    open_ids: list[int | None] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            open_ids.append(None if mcid is None else int(mcid))
        elif op == "BMC":
            open_ids.append(None)
        elif op == "EMC":
            open_ids.pop()
        elif ids := [i for i in open_ids if i is not None]:
            out.setdefault(ids[-1], []).append((op, list(operands)))
    return out


@pytest.mark.parametrize("code", ["00", "0180-01", "0380"])
def test_chart_values_are_a_table_for_assistive_technology(
    built: dict[str, Any], code: str
) -> None:
    """After its Figure (whose alt text is a summary) comes a Table of the chart's values:
    a row of TH heads (scope Column), then a row per bar with its name (TH, scope Row) and its
    value (TD), and riket's; its text is drawn, invisible (render mode 3)."""
    path, _, document = built[code]
    (figure,) = [b.figure for b in document.body if b.figure is not None]
    assert len(figure.data) == 1 + len(figure.bars) + 1
    with pikepdf.open(path) as pdf:
        elements = _elements(pdf)
        table = next(
            e for r, e in elements if r == "Table" and str(e.get("/ID")) == "figure-1-data"
        )
        kids = [k for k in table.P.K if isinstance(k, pikepdf.Dictionary)]
        at = [k.objgen for k in kids].index(table.objgen)
        assert str(kids[at - 1].S) == "/Figure" and str(kids[at - 1].Alt) == figure.alt
        assert len(table.K) == len(figure.data)
        pages = {p.objgen: _marked_ops(p) for p in pdf.pages}
        for i, (row, texts) in enumerate(zip(table.K, figure.data, strict=True)):
            cells = list(row.K)
            assert [str(c.S) for c in cells] == ["/TH"] + ["/TH" if i == 0 else "/TD"] * (
                len(texts) - 1
            )
            assert str(cells[0].A.Scope) == ("/Column" if i == 0 else "/Row")
            for cell in cells:
                ref = cell.K[0]
                ops = pages[ref.Pg.objgen][int(ref.MCID)]
                assert ("Tr", [3]) in [
                    (op, [int(x) for x in args]) for op, args in ops if op == "Tr"
                ]
                assert any(op == "Tj" for op, _ in ops)
