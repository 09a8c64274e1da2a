"""What a reader of the national PDF notices: pages, fonts, metadata, numbers, links, bytes."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import CONTENT, ROOT, normalize, pdftotext

from factsheet.cli import main
from factsheet.formatting import format_number
from factsheet.inputs.workbook import load_layout, load_workbook
from factsheet.render.pages import MARGIN_X, PAGE_W

SEED_TABLES = {
    "U33620": {2019: 16, 2020: 15, 2021: 12},
    "U33621": {2019: 56, 2020: 63, 2021: 61},
    "U28544": {2019: 19, 2020: 36, 2021: 41},
    "U28545": {2019: 13, 2020: 26, 2021: 29},
    "X90544": {2019: 6, 2020: 8, 2021: 7},
    "U28451": {2017: 35, 2018: 34, 2019: 35, 2020: 31, 2021: 32},
    "U28454": {2017: 33, 2018: 30, 2019: 29, 2020: 26, 2021: 30},
    "U28550": {2017: 40, 2018: 48, 2019: 51, 2020: 49, 2021: 49},
    "U28551": {2017: 40, 2018: 47, 2019: 49, 2020: 49, 2021: 49},
}


@pytest.fixture(scope="module")
def dataset():  # type: ignore[no-untyped-def]
    return load_workbook(CONTENT / "oj-2021-lss-sample.xlsx", load_layout(CONTENT))


def test_four_pages_a4(national_pdf: Path) -> None:
    with pikepdf.open(national_pdf) as pdf:
        assert len(pdf.pages) == 4
        assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 595, 842]


def test_every_font_is_embedded(national_pdf: Path) -> None:
    out = subprocess.run(
        ["pdffonts", str(national_pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert "OpenSans" in row, row
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_metadata(national_pdf: Path) -> None:
    with pikepdf.open(national_pdf) as pdf:
        info = pdf.docinfo
        assert (
            str(info["/Title"])
            == "Öppna jämförelser 2021 – Stöd till personer med funktionsnedsättning LSS"
        )
        assert str(info["/Author"]) == "Socialstyrelsen"
        assert str(info["/Subject"]).startswith("Faktablad")
        assert str(info["/CreationDate"]).startswith("D:20210601")
        assert str(pdf.Root.Lang) == "sv-SE"


def test_table_values_equal_the_workbook_and_the_seed(national_pdf: Path, dataset) -> None:  # type: ignore[no-untyped-def]
    lines = [
        re.sub(r"\s+", " ", line).strip()
        for line in pdftotext(national_pdf, "-layout").splitlines()
    ]
    for indicator, seed in SEED_TABLES.items():
        years = sorted(seed)
        values = [dataset.value("00", indicator, y).value for y in years]
        assert [round(float(format_number(v))) for v in values] == [seed[y] for y in years]
        row = " ".join(format_number(v) for v in values)
        assert any(line.endswith(row) for line in lines), (indicator, row)


def test_numbers_in_prose_come_from_the_workbook(national_text: str) -> None:
    whole = normalize(national_text)
    for sentence in (
        "På riksnivå har 82 procent av handläggarna inom LSS en socionomexamen",
        "spridningen mellan länen är från 65 procent till 94 procent",
        "ökat från 26 procent till 32 procent",
        "Svarsfrekvens: 94 procent av kommunerna besvarade enkätens generella del och 95 procent",
    ):
        assert normalize(sentence) in whole, sentence


def test_number_and_unit_never_split_across_lines(national_pdf: Path) -> None:
    lines = pdftotext(national_pdf).splitlines()
    assert sum("procent" in line for line in lines) > 10
    for line, following in itertools.pairwise(lines):
        assert not (re.search(r"\d$", line) and re.match(r"(procent|%)", following)), (
            line,
            following,
        )


def test_synthetic_mark_on_every_page(national_pdf: Path) -> None:
    pages = pdftotext(national_pdf).split("\f")
    assert sum("Syntetiska data – inte Socialstyrelsens statistik" in p for p in pages) == 4


def test_links_are_clickable(national_pdf: Path) -> None:
    with pikepdf.open(national_pdf) as pdf:
        uris = {
            str(a.A.URI)
            for page in pdf.pages
            for a in page.get("/Annots", [])
            if a.get("/A") is not None and "/URI" in a.A
        }
    assert "mailto:maria.rude@socialstyrelsen.se" in uris
    assert any(u.startswith("https://kunskapsguiden.se/") for u in uris)
    assert (
        "https://www.socialstyrelsen.se/statistik-och-data/oppna-jamforelser/socialtjanst/funktionsnedsattning/"
        in uris
    )


def test_footnotes_sit_on_the_page_that_calls_them(national_pdf: Path) -> None:
    pages = pdftotext(national_pdf).split("\f")
    for call, note in (
        ("systematisk uppföljning1", "https://kunskapsguiden.se/"),
        ("bakgrundsmått2", "Ett bakgrundsmått skiljer sig mot en indikator"),
    ):
        page = next(i for i, p in enumerate(pages) if normalize(call) in normalize(p))
        assert normalize(note) in normalize(pages[page]), call


def test_figure_and_tables_on_their_pages(national_pdf: Path) -> None:
    pages = pdftotext(national_pdf).split("\f")
    assert "Tabell 1." in pages[1]
    assert "Figur 1." in pages[2]
    assert "Kontakt:" in pages[3] and "Öppna jämförelser" in pages[3]
    assert "Referenser" in pages[3]


def test_no_text_outside_the_page_area(national_pdf: Path) -> None:
    bbox = pdftotext(national_pdf, "-bbox")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox
    )
    assert len(words) > 1000
    for x0, y0, x1, y1 in ((float(a), float(b), float(c), float(d)) for a, b, c, d in words):
        assert x0 >= MARGIN_X - 1 and x1 <= PAGE_W - MARGIN_X + 1, (x0, x1)
        assert y0 >= 12 and y1 <= 830, (y0, y1)


def test_two_builds_give_identical_bytes(tmp_path: Path, national_pdf: Path) -> None:
    again = tmp_path / "again.pdf"
    assert (
        main(["build", "--content", str(CONTENT), "--fonts", str(ROOT / "fonts"), "-o", str(again)])
        == 0
    )
    assert again.read_bytes() == national_pdf.read_bytes()
