"""Resolved document -> ReportLab flowables. Every content flowable carries a structure ``Tag``.

This is the only module that builds ReportLab markup; text from the content is escaped here, so
``<``, ``&`` and ``>`` print as written.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from . import theme
from .chart import Chart, ChartBar, ChartData
from .formatting import format_number, join_units
from .resolve import Document, RBlock, ResolvedFigure, ResolvedTable
from .richtext import RichText, plain
from .tagging import Tag, Tagged, artifact

NUMBER_COLUMN = 34.0
KEEP_LINES = 3


class TParagraph(Tagged, Paragraph):
    """A paragraph drawn through the structure hooks."""


class TTable(Tagged, Table):
    """A table drawn through the structure hooks."""


def markup(text: RichText, linked_notes: frozenset[str] | None = None) -> str:
    """ReportLab paragraph markup for rich text; all content text is escaped.

    A footnote call links to its note only when the note is placed (``linked_notes``); the
    first layout pass, which learns where notes go, has none placed yet.
    """
    out = []
    accent = theme.ACCENT.hexval().replace("0x", "#")
    for run in text:
        body = escape(run.text)
        if run.kind == "note":
            if linked_notes is not None and run.text in linked_notes:
                body = f'<a href="#{run.target}" color="{accent}">{body}</a>'
            body = f'<super>{body}</super><onDraw name="note" label="{run.text}"/>'
        elif run.kind == "ref":
            body = f'<a href="#{run.target}" color="{accent}">{body}</a>'
        elif run.href:
            href = escape(run.href, {'"': "&quot;"})
            body = f'<a href="{href}" color="{accent}"><u>{body}</u></a>'
        if run.bold:
            body = f"<b>{body}</b>"
        if run.italic:
            body = f"<i>{body}</i>"
        out.append(body)
    return join_units("".join(out))


def para(
    text: RichText,
    style: ParagraphStyle,
    role: str,
    prefix: str = "",
    bullet: str | None = None,
    notes: frozenset[str] = frozenset(),
) -> TParagraph:
    p = TParagraph(prefix + markup(text, notes), style, bulletText=bullet)
    p.tag = Tag(role, plain(text))
    return p


class ShadedBox(Tagged, Flowable):
    """Flowables on a tinted background (the background is an artifact). Never splits."""

    def __init__(self, content: list[Flowable], width: float, padding: float = 9) -> None:
        super().__init__()
        self.content, self.box_width, self.padding = content, width, padding

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = self.box_width - 2 * self.padding
        self.heights = [f.wrap(inner, availHeight)[1] for f in self.content]
        gaps = [f.getSpaceAfter() for f in self.content[:-1]]
        self.height = sum(self.heights) + sum(gaps) + 2 * self.padding
        self.width = self.box_width
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        with artifact(canvas):
            canvas.saveState()
            canvas.setFillColor(theme.BOX)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canvas.restoreState()
        y = self.height - self.padding
        for flowable, height in zip(self.content, self.heights, strict=True):
            y -= height
            flowable.drawOn(canvas, self.padding, y)
            y -= flowable.getSpaceAfter()


class ChartFlowable(Tagged, Flowable):
    """Figur 1: a matplotlib chart drawn as vectors. In a layout pass whose output is thrown
    away (``draft``), only its size matters and it is not drawn."""

    def __init__(self, chart: Chart, draft: bool) -> None:
        super().__init__()
        self.chart, self.draft = chart, draft
        self.width, self.height = chart.width, chart.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if not self.draft:
            self.chart.draw(self.canv)


class Layout:
    """Builds the flowables of one document for a given text width."""

    def __init__(
        self,
        doc: Document,
        width: float,
        box_width: float,
        placed_notes: frozenset[str] = frozenset(),
        charts: dict[int, Chart] | None = None,
        draft: bool = False,
    ) -> None:
        self.doc, self.width, self.box_width = doc, width, box_width
        self.notes = placed_notes
        self.charts = {} if charts is None else charts  # shared between layout passes
        self.draft = draft
        self.s = theme.styles()

    def front(self) -> list[Flowable]:
        return [
            para(self.doc.title, self.s.title, "H1"),
            para(self.doc.ingress, self.s.ingress, "P"),
        ]

    def side_box(self) -> ShadedBox:
        content: list[Flowable] = [para(self.doc.box_heading, self.s.box_heading, "Caption")]
        content += [para(item, self.s.bullet, "LI", bullet="•") for item in self.doc.box_items]
        box = ShadedBox(content, self.box_width)
        box.tag = Tag("Aside", plain(self.doc.box_heading))
        return box

    def body(self) -> list[Flowable]:
        return [f for block in self.doc.body for f in self.block(block, self.width)]

    def block(self, block: RBlock, width: float) -> list[Flowable]:
        s = self.s
        if block.kind in ("heading", "subheading"):
            style = s.heading if block.kind == "heading" else s.subheading
            heading = para(block.text, style, "H2" if block.kind == "heading" else "H3")
            # Keep a heading with the first lines after it, without dragging a whole paragraph.
            room = heading.wrap(width, 10_000)[1] + style.spaceBefore + KEEP_LINES * s.body.leading
            return [CondPageBreak(room), heading]
        if block.kind == "paragraph":
            return [para(block.text, s.body, "P", notes=self.notes)]
        if block.kind == "page_break":
            return [PageBreak()]
        if block.kind == "table" and block.table:
            return self.table(block.table, width)
        if block.kind == "figure" and block.figure:
            return [self.figure(block.figure, width)]
        if block.kind == "contact":
            lines = [markup(block.text)] + [markup(line) for line in block.lines]
            p = TParagraph("<br/>".join(lines), s.contact)
            p.tag = Tag("P", " ".join(plain(t) for t in (block.text, *block.lines)))
            return [p]
        if block.kind == "box":
            inner = [f for child in block.children for f in self.block(child, width - 18)]
            box = ShadedBox(inner, width)
            box.tag = Tag("Sect")
            return [box, Spacer(1, 10)]
        if block.kind == "references":
            return self.references(block.text)
        raise AssertionError(block.kind)

    def table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        s = self.s
        caption = para(
            t.caption, s.caption, "Caption", prefix=f"{escape(self.doc.table_label)} {t.number}. "
        )
        unit = para(t.unit, s.unit, "P")
        head = [TParagraph(markup(t.header), s.cell_head)] + [
            TParagraph(str(y), s.cell_num_head) for y in t.years
        ]
        rows = [
            [TParagraph(markup(label), s.cell)] + [TParagraph(v, s.cell_num) for v in values]
            for label, values in t.rows
        ]
        label_width = width - NUMBER_COLUMN * len(t.years)
        table = TTable(
            [head, *rows],
            colWidths=[label_width] + [NUMBER_COLUMN] * len(t.years),
            repeatRows=1,
            hAlign="LEFT",
        )
        table.tag = Tag("Table", plain(t.caption))
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), theme.font_name("regular"), 8.5),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, -1), 12),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, theme.ACCENT),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, theme.ACCENT),
                    ("LINEBELOW", (0, 1), (-1, -2), 0.25, theme.GRID),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.8, theme.ACCENT),
                ]
            )
        )
        source = para(t.source, s.source, "P")
        return [caption, unit, table, source]

    def figure(self, f: ResolvedFigure, width: float) -> Flowable:
        s = self.s
        caption = para(
            f.caption, s.caption, "Caption", prefix=f"{escape(self.doc.figure_label)} {f.number}. "
        )
        reference = "" if f.reference_value is None else format_number(f.reference_value)
        data = ChartData(
            bars=tuple(ChartBar(b.label, b.value, b.printed) for b in f.bars),
            reference_label=f.reference_label,
            reference_value=f.reference_value,
            reference_printed=reference,
            axis_label=f.axis_label,
            missing_text="",
        )
        if f.number not in self.charts:
            self.charts[f.number] = Chart(data, width)
        chart = ChartFlowable(self.charts[f.number], self.draft)
        chart.tag = Tag("Figure", f.alt, (("Alt", f.alt),))
        parts: list[Flowable] = [caption, chart]
        if f.note:
            parts.append(para(f.note, s.source, "Note"))
        parts.append(para(f.source, s.source, "P"))
        return KeepTogether(parts)

    def references(self, heading: RichText) -> list[Flowable]:
        if not self.doc.references:
            return []
        out: list[Flowable] = [para(heading, self.s.subheading, "H3")]
        for number, text in self.doc.references:
            p = TParagraph(
                f'<a name="ref-{number}"/>[{number}]&nbsp;&nbsp;{markup(text)}', self.s.reference
            )
            p.tag = Tag("LI", f"[{number}] {plain(text)}")
            out.append(p)
        return out

    def footnote(self, number: str, text: RichText) -> TParagraph:
        p = TParagraph(
            f'<a name="note-{number}"/><super>{number}</super>&nbsp;{markup(text)}', self.s.footnote
        )
        p.tag = Tag("Note", f"{number} {plain(text)}")
        return p


def wrap_height(flowables: list[Any], width: float) -> float:
    """Total height of flowables stacked in a frame of ``width`` (space between included)."""
    total = 0.0
    for i, f in enumerate(flowables):
        total += f.wrap(width, 10_000)[1]
        if i:
            total += f.getSpaceBefore()
        if i < len(flowables) - 1:
            total += f.getSpaceAfter()
    return total
