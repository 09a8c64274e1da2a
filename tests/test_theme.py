"""Colours meet WCAG 2.1 contrast: 4.5:1 for text, 3:1 for the chart's bars against white.
Fonts are registered again when their files change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT
from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from factsheet.build import load_inputs
from factsheet.render import theme
from factsheet.render.flowables import TParagraph


def _luminance(colour: Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour.rgb())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("name", ["INK", "ACCENT", "MUTED", "SYNTHETIC"])
@pytest.mark.parametrize("background", [white, theme.BOX])
def test_text_colours_reach_4_5_to_1(name: str, background: Color) -> None:
    assert contrast(getattr(theme, name), background) >= 4.5


@pytest.mark.parametrize("name", ["BAR", "BAR_HIGHLIGHT"])
def test_bars_reach_3_to_1_against_the_page(name: str) -> None:
    assert contrast(getattr(theme, name), white) >= 3


def test_highlight_differs_from_the_other_bars_in_greyscale() -> None:
    """The highlighted county must stand out in greyscale print too (it also has an outline
    and a bold label)."""
    assert abs(_luminance(theme.BAR_HIGHLIGHT) - _luminance(theme.BAR)) > 0.02


def test_contrast_formula() -> None:
    assert contrast(Color(0, 0, 0), white) == pytest.approx(21)


def test_a_changed_font_file_is_registered_again(tmp_path: Path) -> None:
    """build --watch reads the inputs again for every rebuild: a font file saved meanwhile
    must be used, not the one registered first; unchanged files are not read again."""
    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    regular, bold = theme.font_name("regular"), theme.font_name("bold")
    try:
        load_inputs(CONTENT, None, fonts)
        before = pdfmetrics.stringWidth("Faktablad", regular, 10)
        assert before != pdfmetrics.stringWidth("Faktablad", bold, 10)
        registered, digest = pdfmetrics.getFont(regular), theme.fonts_digest()
        load_inputs(CONTENT, None, fonts)
        assert pdfmetrics.getFont(regular) is registered  # unchanged: not read again

        shutil.copyfile(fonts / "OpenSans-Bold.ttf", fonts / "OpenSans-Regular.ttf")
        load_inputs(CONTENT, None, fonts)
        assert pdfmetrics.stringWidth("Faktablad", regular, 10) == pdfmetrics.stringWidth(
            "Faktablad", bold, 10
        )
        assert theme.fonts_digest() != digest  # so the chart's cache key changes too
    finally:
        theme.register_fonts(ROOT / "fonts")  # the fonts of the other tests
    assert pdfmetrics.stringWidth("Faktablad", regular, 10) == before
    assert theme.fonts_digest() == digest


def test_line_breaks_follow_a_changed_font_file(tmp_path: Path) -> None:
    """Paragraph lines are memoised per process: the memo must not hand out lines broken with
    the fonts registered before."""
    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    text = "Det finns olika stödmaterial och projekt nationellt som syftar till att hjälpa"
    style = theme.styles().body

    def lines(paragraph: Paragraph) -> list[str]:
        paragraph.wrap(150, 1000)
        return [" ".join(words) for _, words in paragraph.blPara.lines]

    def memoised() -> list[str]:
        paragraph = TParagraph(text, style)
        paragraph.memo = (text, style.name, "")
        return lines(paragraph)

    try:
        theme.register_fonts(fonts)
        regular = memoised()
        assert regular == lines(Paragraph(text, style))
        shutil.copyfile(fonts / "OpenSans-Bold.ttf", fonts / "OpenSans-Regular.ttf")
        theme.register_fonts(fonts)
        assert memoised() == lines(Paragraph(text, style)) != regular
    finally:
        theme.register_fonts(ROOT / "fonts")
    assert memoised() == regular


def test_the_quick_split_gives_reportlabs_subsets_and_codes() -> None:
    """theme._Font.splitString takes a short cut for text whose characters all have codes:
    over a run of texts (new characters, no-break spaces, a character the font lacks, more
    than one subset's worth of characters) each result and the final state equal ReportLab's."""
    import random

    from reportlab.pdfbase.ttfonts import TTFont

    from factsheet.render.theme import _Font

    path = str(ROOT / "fonts" / "OpenSans-Regular.ttf")
    ours, theirs = _Font("QuickSplit", path), TTFont("PlainSplit", path)
    glyphs = [chr(c) for c in ours.face.charToGlyph if c > 32][:400]
    chars = [*glyphs, "\u00a0", "社", " "]
    rng = random.Random(14)
    texts = ["Socialstyrelsen", "Socialstyrelsen", "Öppna\u00a0jämförelser", ""]
    texts += ["".join(rng.choice(chars[: 20 + 2 * i]) for _ in range(30)) for i in range(200)]

    class Doc:  # ReportLab keeps a font's state per document, weakly
        pass

    doc_a, doc_b = Doc(), Doc()
    fast = 0
    for text in texts:
        known = ours.state.get(doc_a)
        fast += known is not None and all(
            (32 if ord(c) == 0xA0 else ord(c)) in known.assignments for c in text
        )
        assert ours.splitString(text, doc_a) == theirs.splitString(text, doc_b), text
    assert fast > 50  # the short cut was taken, not only ReportLab's loop
    state_a, state_b = ours.state[doc_a], theirs.state[doc_b]
    assert state_a.assignments == state_b.assignments and state_a.subsets == state_b.subsets
    assert len(state_a.subsets) > 1
