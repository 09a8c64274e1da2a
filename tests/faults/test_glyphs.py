"""No text silently lost: text pasted in NFD (as from macOS) is drawn as the precomposed
letters, and a character the embedded fonts cannot draw (CJK, emoji) is an input error naming
the YAML line (or the workbook cell) and the character, never a gap in the PDF."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, line_of, run_cli
from faultlib import CONTENT, FONTS

SHAPES = ROOT / "tests" / "data" / "next-edition"


def build(capsys: pytest.CaptureFixture[str], content: Path, output: Path):  # type: ignore[no-untyped-def]
    return run_cli(capsys, "build", "--content", content, "--fonts", FONTS, "-o", output)


def test_a_whole_content_file_in_nfd_builds_the_same_pdf(
    tmp_path: Path, national_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lss = content / "lss.yaml"
    decomposed = unicodedata.normalize("NFD", lss.read_text(encoding="utf-8"))
    assert "a\u0308" in decomposed  # ä as a and a combining diaeresis
    lss.write_text(decomposed, encoding="utf-8")
    code, _, err = build(capsys, content, tmp_path / "nfd.pdf")
    assert code == 0, err
    assert (tmp_path / "nfd.pdf").read_bytes() == national_pdf.read_bytes()


def test_characters_the_fonts_lack_are_an_error_with_line_and_code_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lss = content / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    anchor = "Uppföljning av enskildas uppfattning"
    assert text.count(anchor) == 1
    lss.write_text(text.replace(anchor, "Uppföljning av 社会 enskildas 🙂 uppfattning"), "utf-8")
    line = line_of(lss, "社会")
    out = tmp_path / "out.pdf"
    code, _, err = build(capsys, content, out)
    assert code == 2
    where = f"{lss}:{line}: paragraph 1: character"
    assert f"{where} U+793E '社' (CJK UNIFIED IDEOGRAPH-793E) cannot be drawn" in err[0]
    assert f"{where} U+4F1A '会'" in err[1]
    assert f"{where} U+1F642 '🙂' (SLIGHTLY SMILING FACE)" in err[2]
    assert err[-1] == "Aborted: 3 problems in the input; nothing was written."
    assert not out.exists()


def test_a_label_outside_the_reading_order_is_checked_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lss = content / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    assert text.count("  table: Tabell\n") == 1
    lss.write_text(text.replace("  table: Tabell\n", "  table: Tabell\u2f42\n"), "utf-8")
    code, _, err = run_cli(capsys, "check", "--content", content, "--fonts", FONTS)
    assert code == 2
    line = line_of(lss, "Tabell\u2f42")
    assert err[0].startswith(f"{lss}:{line}: labels.table: character U+2F42 ")


def test_an_indicator_name_a_legend_prints_is_checked_at_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SHAPES, content)
    book = openpyxl.load_workbook(SHAPES / "oj-lss-7-years.xlsx")
    sheet = book["Indikatorer"]
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "U28544")
    cell.value = f"{cell.value} 🙂"
    book.save(content / "book.xlsx")
    lss = content / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    assert text.count("workbook: oj-lss-7-years.xlsx\n") == 1
    text = text.replace("workbook: oj-lss-7-years.xlsx\n", "workbook: book.xlsx\n")
    assert text.count("    legend: [Utredningar, Uppföljningar]\n") == 1
    lss.write_text(text.replace("    legend: [Utredningar, Uppföljningar]\n", ""), "utf-8")
    code, _, err = build(capsys, content, tmp_path / "out.pdf")
    assert code == 2, err
    assert err[0].startswith(
        f"Indikatorer!{cell.coordinate}: the name of indicator U28544: character U+1F642 "
    ), err
