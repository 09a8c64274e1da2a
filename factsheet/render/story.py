"""Resolved document -> ReportLab flowables. Every content flowable carries a structure ``Tag``.

This is the only module that builds ReportLab markup; text from the content is escaped here, so
``<``, ``&`` and ``>`` print as written.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from factsheet.formatting import format_number
from factsheet.model.document import Document, RBlock, ResolvedFigure, ResolvedTable
from factsheet.model.richtext import RichText, plain
from factsheet.render import tables, theme
from factsheet.render.chart import Chart, ChartTable
from factsheet.render.chartdata import ChartBar, ChartData, ChartSeries
from factsheet.render.columns import Columns, FullWidth
from factsheet.render.flowables import (
    ChartFlowable,
    ListItem,
    ShadedBox,
    StartPage,
    TParagraph,
    grouped,
)
from factsheet.render.hyphenation import Hyphenator
from factsheet.render.tagging import Tag
from factsheet.render.text import markup, para
from factsheet.xmltext import escape

KEEP_LINES = 3
# The ingress (page 1's lead paragraph) is set narrower than the page: about 80 characters a
# line at most, not the 110 of the full width.
INGRESS_W = 380.0
MIN_TABLE_ROWS = tables.MIN_ROWS  # rows that follow a caption at a page's foot


# Blocks that span the page's width; the text between them is set in columns.
SPANNING = ("table", "figure", "page_break", "start_page")


class Layout:
    """Builds the flowables of one document for a page ``width`` whose running text is set in
    columns ``column`` wide (the side box on page 1 fills one), two to the page's width."""

    def __init__(
        self,
        doc: Document,
        width: float,
        column: float,
        placed_notes: frozenset[str] = frozenset(),
        charts: dict[int, Chart] | None = None,
        draft: bool = False,
        pushed: frozenset[str] = frozenset(),
    ) -> None:
        self.doc, self.width, self.column = doc, width, column
        self.notes = placed_notes
        self.charts = {} if charts is None else charts  # shared between layout passes
        self.draft = draft
        self.pushed = pushed  # notes whose calling paragraph starts a new page
        self.s = theme.styles(Hyphenator(doc.hyphenation_words, doc.hyphenation_never))

    def front(self) -> list[Flowable]:
        out: list[Flowable] = [para(self.doc.title, self.s.title, "H1")]
        if self.doc.subtitle:
            out.append(para(self.doc.subtitle, self.s.subtitle, "P"))
        ingress = ParagraphStyle(
            "ingress", parent=self.s.ingress, rightIndent=max(0.0, self.width - INGRESS_W)
        )
        return [*out, para(self.doc.ingress, ingress, "P")]

    def side_box(self) -> ShadedBox:
        content: list[Flowable] = [para(self.doc.box_heading, self.s.box_heading, "H2")]
        content += self.bullets(self.doc.box_items, self.s.bullet)
        box = ShadedBox(content, self.column)
        box.tag = Tag("Sect", plain(self.doc.box_heading), marked=False)
        return box

    def bullets(
        self,
        items: tuple[RichText, ...],
        style: ParagraphStyle,
        labels: list[str] | None = None,
        prefixes: list[str] | None = None,
    ) -> list[Flowable]:
        """A list (L) of items (LI: Lbl and LBody)."""
        out: list[Flowable] = []
        for i, item in enumerate(items):
            body = TParagraph((prefixes[i] if prefixes else "") + markup(item, self.notes), style)
            out.append(ListItem(labels[i] if labels else "•", body, plain(item)))
        return grouped(Tag("L", marked=False), out)

    def body(self, aside: Flowable | None = None) -> list[Flowable]:
        """Tables and figures across the page; the text between them in columns, the first
        of which ``aside`` (the side box) heads."""
        out: list[Flowable] = []
        run: list[Flowable] = []
        gap = self.width - 2 * self.column

        def flush() -> None:
            if run or (aside is not None and not out):
                out.append(Columns(list(run), self.column, gap, None if out else aside))
                run.clear()

        for block in self.doc.body:
            if block.kind in SPANNING:
                flush()
                if block.kind in ("table", "figure"):
                    out.append(FullWidth(self.width))
                out += self.block(block, self.width)
                continue
            for f in self.block(block, self.column):
                if isinstance(f, PageBreak):  # a paragraph whose note call starts a page
                    flush()
                    out.append(f)
                else:
                    run.append(f)
        flush()
        return out

    def block(self, block: RBlock, width: float) -> list[Flowable]:
        s = self.s
        if block.kind in ("heading", "subheading"):
            style = s.heading if block.kind == "heading" else s.subheading
            # A subheading heads a section of the back page (Öppna jämförelser, Mer
            # information), not a part of the body's last section: a heading of the same level.
            heading = para(block.text, style, "H2")
            # Keep a heading with the first lines after it, without dragging a whole paragraph.
            room = heading.wrap(width, 10_000)[1] + style.spaceBefore + KEEP_LINES * s.body.leading
            return [CondPageBreak(room), heading]
        if block.kind == "paragraph":
            # A long URL cannot stretch: justified, it leaves wide gaps in the line before it.
            has_url = any(r.href.startswith("http") for r in block.text)
            paragraph = para(
                block.text, s.body_ragged if has_url else s.body, "P", notes=self.notes
            )
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
            # The heading ("Kontakt:") leads the first line, as on the agency's sheets.
            lines = [markup(line) for line in block.lines]
            lines[0] = f"{markup(block.text)} {lines[0]}" if lines else markup(block.text)
            p = TParagraph("<br/>".join(lines), s.contact)
            p.tag = Tag("P", " ".join(plain(t) for t in (block.text, *block.lines)))
            return [p]
        if block.kind == "box":
            inner = [f for child in block.children for f in self.block(child, width - 12)]
            box = ShadedBox(inner, width)
            box.tag = Tag("Sect", marked=False)
            return [box, Spacer(1, 8)]
        if block.kind == "references":
            return self.references(block.text)
        if block.kind == "area_sentences":
            return self.bullets(block.lines, s.area_item)
        raise AssertionError(block.kind)

    def caption(self, text: RichText, label: str, number: int) -> TParagraph:
        return para(text, self.s.caption, "Caption", prefix=f"{escape(label)} {number}. ")

    def table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        """Caption and unit stay with the table's header and first rows; a table too long for
        the rest of the page splits there, its header repeated, rather than leaving a gap."""
        s = self.s
        table = tables.build(t, width)
        caption = self.caption(t.caption, self.doc.table_label, t.number)
        unit, source = para(t.unit, s.unit, "P"), para(t.source, s.source, "P")
        notes = [para(t.note, s.table_note, "P")] if t.note else []
        rows = table._cellvalues[: table.header_rows + MIN_TABLE_ROWS]
        head = sum(
            max(
                c.wrap(w, 1000)[1]
                for c, w in zip(row, table._colWidths, strict=False)
                if isinstance(c, Flowable)
            )
            + 4
            for row in rows
        )
        room = caption.wrap(self.width, 1000)[1] + unit.wrap(self.width, 1000)[1] + head + 12
        return [CondPageBreak(room), caption, unit, tables.Sourced(table, [*notes, source])]

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
            kind=f.kind,
            categories=f.categories,
            series=tuple(
                ChartSeries(s.label, s.values, s.printed, s.highlight, s.dashed) for s in f.series
            ),
            highlight=f.highlight,
        )
        if f.number not in self.charts:
            self.charts[f.number] = Chart(data, width)
        chart = ChartFlowable(self.charts[f.number], self.draft)
        chart.tag = Tag("Figure", f.alt, marked=False, alt=f.alt)
        parts: list[Flowable] = [caption, chart]
        if f.data:  # its values, read by assistive technology (takes no room)
            ident = f"figure-{f.number}-data"
            parts.append(ChartTable(f.data, chart.width, chart.height, ident))
        if f.note:
            note = para(f.note, s.source, "Note")
            note.tag = Tag("Note", plain(f.note), ident=f"figure-{f.number}-note")
            parts.append(note)
        parts.append(para(f.source, s.source, "P"))
        return KeepTogether(parts)

    def references(self, heading: RichText) -> list[Flowable]:
        if not self.doc.references:
            return []
        numbers = [number for number, _ in self.doc.references]
        items = tuple(text for _, text in self.doc.references)
        labels = [f"[{n}]" for n in numbers]
        anchors = [f'<a name="ref-{n}"/>' for n in numbers]
        heading_p = para(heading, self.s.subheading, "H2")
        return [heading_p, *self.bullets(items, self.s.reference, labels, anchors)]

    def footnote(self, number: str, text: RichText) -> TParagraph:
        label = number  # on the line, not raised: text extraction keeps it with its note
        if self.doc.note_back:  # the number leads back to the call
            accent = theme.ACCENT.hexval().replace("0x", "#")
            label = f'<a href="#call-{number}" color="{accent}">{label}</a>'
        p = TParagraph(f'<a name="note-{number}"/>{label} {markup(text)}', self.s.footnote)
        p.tag = Tag("Note", f"{number} {plain(text)}", ident=f"note-{number}")
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
