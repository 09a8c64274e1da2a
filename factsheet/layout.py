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
AREA_NUMBER_COLUMN = 25.0
COUNT_COLUMN = 50.0
TABLE_BASE = [
    ("FONT", (0, 0), (-1, -1), theme.font_name("regular"), 8.5),
    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (0, -1), 12),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("LINEABOVE", (0, 0), (-1, 0), 0.8, theme.ACCENT),
    ("LINEBELOW", (0, -1), (-1, -1), 0.8, theme.ACCENT),
]
KEEP_LINES = 3
MIN_TABLE_ROWS = 1


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


class StartPage(Flowable):
    """Moves to the top of page ``page`` unless the flow is already on it (or later): a back
    page that starts on page 4 whether the body ended on page 3 or spilled onto page 4."""

    def __init__(self, page: int) -> None:
        super().__init__()
        self.page = page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.canv.getPageNumber() >= self.page:
            return 0, 0
        return availWidth, availHeight + 1  # does not fit: the frame ends here

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return [] if self.canv.getPageNumber() < self.page and availHeight > 0 else [self]

    def draw(self) -> None:
        pass


class ShadedBox(Tagged, Flowable):
    """Flowables on a tinted background (the background is an artifact). Never splits."""

    def __init__(self, content: list[Flowable], width: float, padding: float = 8) -> None:
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
        pushed: frozenset[str] = frozenset(),
    ) -> None:
        self.doc, self.width, self.box_width = doc, width, box_width
        self.notes = placed_notes
        self.charts = {} if charts is None else charts  # shared between layout passes
        self.draft = draft
        self.pushed = pushed  # notes whose calling paragraph starts a new page
        self.s = theme.styles()

    def front(self) -> list[Flowable]:
        out: list[Flowable] = [para(self.doc.title, self.s.title, "H1")]
        if self.doc.subtitle:
            out.append(para(self.doc.subtitle, self.s.subtitle, "P"))
        return [*out, para(self.doc.ingress, self.s.ingress, "P")]

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
            paragraph = para(block.text, s.body, "P", notes=self.notes)
            if any(r.kind == "note" and r.text in self.pushed for r in block.text):
                return [PageBreak(), paragraph]
            return [paragraph]
        if block.kind == "page_break":
            return [PageBreak()]
        if block.kind == "start_page":
            return [StartPage(int(plain(block.lines[0])))]
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
        if block.kind == "area_sentences":
            return [para(line, s.area_item, "LI", bullet="•") for line in block.lines]
        raise AssertionError(block.kind)

    def caption(self, text: RichText, label: str, number: int) -> TParagraph:
        return para(text, self.s.caption, "Caption", prefix=f"{escape(label)} {number}. ")

    def table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        if t.area_label:
            return self.area_table(t, width)
        s = self.s
        head = [TParagraph(markup(t.header), s.cell_head)]
        head += [TParagraph(str(y), s.cell_num_head) for y in t.years]
        rows = [
            [TParagraph(markup(label), s.cell), *[TParagraph(v, s.cell_num) for v in values]]
            for label, values in t.rows
        ]
        widths = [NUMBER_COLUMN] * len(t.years)
        table = TTable(
            [head, *rows], colWidths=[width - sum(widths), *widths], repeatRows=1, hAlign="LEFT"
        )
        table.tag = Tag("Table", plain(t.caption))
        table.setStyle(
            TableStyle(
                [
                    *TABLE_BASE,
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, theme.ACCENT),
                    ("LINEBELOW", (0, 1), (-1, -2), 0.25, theme.GRID),
                ]
            )
        )
        caption = self.caption(t.caption, self.doc.table_label, t.number)
        return self.table_parts(
            caption, para(t.unit, s.unit, "P"), table, para(t.source, s.source, "P")
        )

    def table_parts(
        self, caption: Flowable, unit: Flowable, table: TTable, source: Flowable
    ) -> list[Flowable]:
        """Caption and unit stay with the table's header and first rows; a table too long for
        the rest of the page splits there, its header repeated, rather than leaving a gap."""
        width = self.width
        rows = table._cellvalues[: table.repeatRows + MIN_TABLE_ROWS]
        head = sum(
            max(
                c.wrap(w, 1000)[1]
                for c, w in zip(row, table._colWidths, strict=False)
                if isinstance(c, Flowable)
            )
            + 4
            for row in rows
        )
        room = caption.wrap(width, 1000)[1] + unit.wrap(width, 1000)[1] + head + 12
        return [CondPageBreak(room), caption, unit, table, source]

    def area_table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        """A variant's table: the area's columns (tinted, bold) with its counts, then riket's."""
        s, n = self.s, len(t.years)
        years = [TParagraph(str(y), s.cell_year_small) for y in t.years]
        top: list[Flowable | str] = [
            TParagraph("", s.cell),
            TParagraph(escape(t.area_label), s.cell_group_area),
        ]
        top += [""] * n + [TParagraph(escape(t.riket_header), s.cell_group)] + [""] * (n - 1)
        head = [
            TParagraph(markup(t.header), s.cell_head),
            *years,
            TParagraph(escape(t.count_header), s.cell_count_head),
            *[TParagraph(str(y), s.cell_year_small) for y in t.years],
        ]
        rows = [
            [
                TParagraph(markup(label), s.cell),
                *[TParagraph(v, s.cell_num_area) for v in mine],
                TParagraph(count, s.cell_num_area),
                *[TParagraph(v, s.cell_num) for v in riket],
            ]
            for (label, riket), mine, count in zip(t.rows, t.area_rows, t.counts, strict=True)
        ]
        widths = [AREA_NUMBER_COLUMN] * n + [COUNT_COLUMN] + [AREA_NUMBER_COLUMN] * n
        table = TTable(
            [top, head, *rows],
            colWidths=[width - sum(widths), *widths],
            repeatRows=2,
            hAlign="LEFT",
        )
        table.tag = Tag("Table", plain(t.caption))
        table.setStyle(
            TableStyle(
                [
                    *TABLE_BASE,
                    ("SPAN", (1, 0), (n + 1, 0)),
                    ("SPAN", (n + 2, 0), (-1, 0)),
                    ("BACKGROUND", (1, 0), (n + 1, -1), theme.BOX),
                    ("LEFTPADDING", (1, 0), (n + 1, -1), 2),
                    ("RIGHTPADDING", (1, 0), (n + 1, -1), 3),
                    ("LEFTPADDING", (n + 2, 0), (n + 2, 0), 6),
                    ("LINEBELOW", (1, 0), (-1, 0), 0.4, theme.RULE),
                    ("LINEBELOW", (0, 1), (-1, 1), 0.6, theme.ACCENT),
                    ("LINEBELOW", (0, 2), (-1, -2), 0.25, theme.GRID),
                ]
            )
        )
        caption = self.caption(t.caption, self.doc.table_label, t.number)
        return self.table_parts(
            caption, para(t.unit, s.unit, "P"), table, para(t.source, s.source, "P")
        )

    def figure(self, f: ResolvedFigure, width: float) -> Flowable:
        s = self.s
        caption = self.caption(f.caption, self.doc.figure_label, f.number)
        reference = "" if f.reference_value is None else format_number(f.reference_value)
        data = ChartData(
            bars=tuple(ChartBar(b.label, b.value, b.printed, b.highlight) for b in f.bars),
            reference_label=f.reference_label,
            reference_value=f.reference_value,
            reference_printed=reference,
            axis_label=f.axis_label,
            missing_text=self.doc.missing_label,
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
