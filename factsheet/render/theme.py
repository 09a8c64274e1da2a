"""Fonts, colours and paragraph styles. Fonts are registered explicitly, again when they change."""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from factsheet.errors import FontError, Problem
from factsheet.render.hyphenation import Hyphenator

FAMILY = "OpenSans"
FACES = {
    "regular": "OpenSans-Regular.ttf",
    "bold": "OpenSans-Bold.ttf",
    "italic": "OpenSans-Italic.ttf",
    "bolditalic": "OpenSans-BoldItalic.ttf",
    "semibold": "OpenSans-Semibold.ttf",
}
REQUIRED_CHARS = "åäöÅÄÖé–”’€"

# Colours, checked against WCAG 2.1 (tests/test_theme.py): text colours reach 4.5:1 on white
# and on the box tint.
INK = HexColor("#1A1A1A")
ACCENT = HexColor("#005A8C")  # headings, links: 7.0:1 on white
MUTED = HexColor("#4D4D4D")  # source lines, footer: 8.5:1 on white
BOX = HexColor("#E6F0F6")  # box background
RULE = HexColor("#8C8C8C")
BAR = HexColor("#3F7FB0")
BAR_HIGHLIGHT = HexColor("#B3461C")
GRID = HexColor("#D9D9D9")
SYNTHETIC = HexColor("#A3201D")  # 6.6:1 on white


def font_name(face: str) -> str:
    return f"{FAMILY}-{face}"


# What is registered now: the folder and its font files' stat (mtime, size, inode), and a
# sha256 of their bytes (for cache keys of what the fonts' metrics shape).
_registered: tuple[Path, tuple[tuple[int, int, int] | None, ...]] | None = None
_digest = ""


def _stats(folder: Path) -> tuple[tuple[int, int, int] | None, ...]:
    out: list[tuple[int, int, int] | None] = []
    for filename in FACES.values():
        try:
            status = (folder / filename).stat()
        except OSError:
            out.append(None)
            continue
        out.append((status.st_mtime_ns, status.st_size, status.st_ino))
    return tuple(out)


def register_fonts(folder: Path) -> None:
    """Register the family from ``folder``; FontError when a face is missing or lacks å/ä/ö.
    Nothing is read when these files are registered already; a font file that changed since
    (``build --watch``) or another folder is read and registered anew, in place of the old."""
    global _registered, _digest
    signature = (folder, _stats(folder))
    if signature == _registered:
        return
    if not folder.is_dir():
        expected = ", ".join(FACES.values())
        raise FontError(Problem(str(folder), f"font folder not found (it must hold {expected})"))
    problems, fonts, digest = [], [], hashlib.sha256()
    for face, filename in FACES.items():
        path = folder / filename
        if not path.is_file():
            problems.append(Problem(str(path), "font file not found"))
            continue
        try:
            digest.update(path.read_bytes())
            font = _Font(font_name(face), str(path))
        except (TTFError, OSError, ValueError) as exc:
            problems.append(Problem(str(path), f"not a usable TrueType font: {exc}"))
            continue
        _remember_subsets(font.face)
        absent = [c for c in REQUIRED_CHARS if ord(c) not in font.face.charToGlyph]
        if absent:
            problems.append(Problem(str(path), f"font lacks characters {''.join(absent)!r}"))
            continue
        fonts.append(font)
    if problems:
        raise FontError(problems)
    _unregister()
    for font in fonts:
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=font_name("regular"),
        bold=font_name("bold"),
        italic=font_name("italic"),
        boldItalic=font_name("bolditalic"),
    )
    _registered, _digest = signature, digest.hexdigest()


class _Font(TTFont):
    """ReportLab's TrueType font with a quicker ``splitString`` for the usual case: text whose
    every character already has its code in the sheet's first subset (after the first lines of
    a sheet, nearly all text). The result is what ReportLab's loop gives, which it still gives
    for the rest (a new character, one the font lacks, a second subset)."""

    # (a weak reference to the document drawn now, its state, texts -> their codes in it)
    _last: tuple[Any, Any, dict[str, bytes]] | None = None

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        # The state of the document drawn now, without a weak-keyed lookup for every run of
        # text (hundreds a sheet): a document's state, once made, stays its state.
        last = self._last
        if last is not None and last[0]() is doc:
            state, known = last[1], last[2]
        else:
            state, known = self.state.get(doc), {}
            if state is not None:
                self._last = (weakref.ref(doc), state, known)
        if state is not None and isinstance(text, str):
            # A text met before in this document: once all its characters have codes, they
            # keep them (line ends, hyphens, Ja/Nej: half the runs of a sheet recur).
            found = known.get(text)
            if found is not None:
                return [(0, found)] if found else []
            assigned = state.assignments
            try:
                codes = [assigned[32 if c == 0xA0 else c] for c in map(ord, text)]
            except KeyError:
                codes = None
            if codes is not None and (not codes or max(codes) < 256):
                found = known[text] = bytes(codes)
                return [(0, found)] if found else []
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: Any) -> None:
        """ReportLab's; it then forgets the document's state, and so does the shortcut."""
        super().addObjects(doc)
        self._last = None


SUBSETS_KEPT = 2  # per face: a sheet uses one subset of each, mostly the last sheet's


def _remember_subsets(face: Any) -> None:
    """Make the face remember the subset fonts it made: each sheet embeds a subset of every
    face it uses, and most sheets use the very characters the sheet before used, in the same
    order. The subset is a function of the font file and the characters, so the bytes are the
    same either way."""
    make = face.makeSubset
    made: OrderedDict[tuple[int, ...], bytes] = OrderedDict()

    def make_subset(subset: list[int]) -> bytes:
        key = tuple(subset)
        found = made.get(key)
        if found is None:
            found = made[key] = make(subset)
            if len(made) > SUBSETS_KEPT:
                made.popitem(last=False)
        else:
            made.move_to_end(key)
        return found

    face.makeSubset = make_subset


def _unregister() -> None:
    """Forget the family's faces: ReportLab keeps the first font registered under a name (and
    under its face's name), so a changed file would otherwise never be used."""
    for face in FACES:
        old = pdfmetrics._fonts.pop(font_name(face), None)
        if old is not None:
            for name, font in list(pdfmetrics._dynFaceNames.items()):
                if font is old:
                    del pdfmetrics._dynFaceNames[name]


def fonts_digest() -> str:
    """A sha256 of the registered font files' bytes ("" before any): part of the cache key of
    anything laid out with their metrics."""
    return _digest


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    ingress: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    body_ragged: ParagraphStyle
    box_heading: ParagraphStyle
    bullet: ParagraphStyle
    box_body: ParagraphStyle
    caption: ParagraphStyle
    unit: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_num: ParagraphStyle
    cell_num_head: ParagraphStyle
    cell_num_area: ParagraphStyle
    cell_year_small: ParagraphStyle
    cell_count_head: ParagraphStyle
    cell_group: ParagraphStyle
    cell_group_area: ParagraphStyle
    subtitle: ParagraphStyle
    area_item: ParagraphStyle
    source: ParagraphStyle
    table_note: ParagraphStyle
    footnote: ParagraphStyle
    reference: ParagraphStyle
    contact: ParagraphStyle
    footer: ParagraphStyle


def _style(
    name: str, size: float, leading: float, face: str = "regular", color: Color = INK, **kw: object
) -> ParagraphStyle:
    options: dict[str, object] = {
        "hyphenationLang": "",  # hyphenated: justified body text only (``styles``)
        "embeddedHyphenation": 1,
        "uriWasteReduce": 0.3,
        # Any text split across columns or pages leaves 2 lines at least on each side (no
        # widow, no orphan): body text, list items, boxes and notes alike.
        "allowWidows": 0,
        "allowOrphans": 0,
        **kw,
    }
    return ParagraphStyle(
        name,
        fontName=font_name(face),
        bulletFontName=font_name("regular"),
        fontSize=size,
        leading=leading,
        textColor=color,
        **options,
    )


def _cell(name: str, *args: Any, **kw: Any) -> ParagraphStyle:
    """A table cell's style: never broken at a word's own hyphen ("LSS-" / "vuxen" was read
    "LSSvuxen" by text extraction); a cell wraps between words only."""
    return _style(name, *args, embeddedHyphenation=0, **kw)


@cache
def styles(hyphenator: Hyphenator | None = None) -> Styles:
    """The styles; justified body text is hyphenated by ``hyphenator`` (the house rules with
    the content's exceptions; the rules alone when None), no other text is."""
    body = _style(
        "body",
        8.5,
        12,
        alignment=TA_JUSTIFY,
        spaceAfter=4.5,
        hyphenationLang=hyphenator or Hyphenator(),
    )
    return Styles(
        title=_style("title", 22, 27, "bold", ACCENT, spaceAfter=10, hyphenationLang=""),
        ingress=_style("ingress", 10.5, 14.5, alignment=TA_LEFT, spaceAfter=12),
        heading=_style(
            "heading", 13, 16.5, "bold", ACCENT, spaceBefore=8, spaceAfter=5, hyphenationLang=""
        ),
        subheading=_style(
            "subheading", 11, 14, "bold", ACCENT, spaceBefore=2, spaceAfter=3, hyphenationLang=""
        ),
        body=body,
        # Ragged: a paragraph with a URL, not hyphenated. A URL longer than the rest of the
        # line breaks after a '/' or '-' (``longwords``: as often as it needs), never between
        # letters; ``uriWasteReduce`` lets ReportLab try those breaks at all.
        body_ragged=ParagraphStyle(
            "body_ragged",
            parent=body,
            alignment=TA_LEFT,
            hyphenationLang="",
            uriWasteReduce=0.3,
            embeddedHyphenation=0,
        ),
        box_heading=_style("box_heading", 11, 14, "bold", ACCENT, spaceAfter=6, hyphenationLang=""),
        bullet=_style("bullet", 8.5, 11.6, leftIndent=10, bulletIndent=0, spaceAfter=5),
        box_body=_style("box_body", 9, 12.6, spaceAfter=5),
        caption=_style("caption", 9.5, 12.5, "bold", spaceBefore=6, spaceAfter=1, keepWithNext=1),
        unit=_style("unit", 8.5, 11, "italic", MUTED, spaceAfter=4),
        cell=_cell("cell", 8.5, 10.8),
        cell_head=_cell("cell_head", 8.5, 10.8, "bold"),
        cell_num=_cell("cell_num", 8.5, 10.8, alignment=2),
        cell_num_head=_cell("cell_num_head", 8.5, 10.8, "bold", alignment=2),
        cell_year_small=_cell("cell_year_small", 7, 9, "bold", alignment=2),
        cell_num_area=_cell("cell_num_area", 8.5, 10.8, "bold", alignment=2),
        cell_count_head=_cell("cell_count_head", 7, 8.5, "bold", alignment=2, hyphenationLang=""),
        cell_group=_cell("cell_group", 8.5, 10.8, "bold", alignment=1),
        cell_group_area=_cell("cell_group_area", 8.5, 10.8, "bold", ACCENT, alignment=1),
        subtitle=_style("subtitle", 14, 18, "semibold", ACCENT, spaceAfter=8, hyphenationLang=""),
        area_item=_style("area_item", 8.5, 11.5, leftIndent=10, spaceAfter=1),
        source=_style("source", 7.5, 10, color=MUTED, spaceBefore=3, spaceAfter=6),
        table_note=_style("table_note", 7.5, 10, color=MUTED, spaceBefore=3, spaceAfter=0),
        footnote=_style("footnote", 7.5, 9.5, color=INK, leftIndent=7, firstLineIndent=-7),
        reference=_style("reference", 7, 8.4, leftIndent=14, spaceAfter=0.5),
        contact=_style("contact", 9, 12.5, spaceBefore=12, spaceAfter=4),
        footer=_style("footer", 7.5, 9, color=MUTED, hyphenationLang=""),
    )
