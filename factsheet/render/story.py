"""Resolved document -> ReportLab flowables. Every content flowable carries a structure ``Tag``.

This is the only module that builds ReportLab markup; text from the content is escaped here, so
``<``, ``&`` and ``>`` print as written.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, TableStyle

from factsheet.formatting import format_number, join_units
from factsheet.model.document import Document, RBlock, ResolvedFigure, ResolvedTable
from factsheet.model.richtext import RichText, plain
from factsheet.render import theme
from factsheet.render.chart import Chart, ChartBar, ChartData
from factsheet.render.flowables import (
    CellText,
    ChartFlowable,
    ListItem,
    ShadedBox,
    StartPage,
    TParagraph,
    TTable,
    grouped,
)
from factsheet.render.tagging import Tag

NUMBER_COLUMN = 34.0
AREA_NUMBER_COLUMN = 25.0
COUNT_COLUMN = 50.0
MUNICIPAL_COLUMN = 22.0
SHORT_CELL = 8  # cells this short never wrap: numbers, years, Ja/Nej, "5 av 8" (has spaces)
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
    source = prefix + markup(text, notes)
    p = TParagraph(source, style, bulletText=bullet)
    p.memo = (source, style.name, bullet or "")
    p.tag = Tag(role, plain(text))
    return p


def cell(
    text: str,
    style: ParagraphStyle,
    role: str,
    scope: str = "",
    ident: str = "",
    headers: tuple[str, ...] = (),
    span: int = 1,
) -> Flowable:
    """A table cell tagged TH (with Scope) or TD (with Headers): a paragraph when the text may
    wrap or holds markup, else a one-line CellText."""
    attrs: tuple[tuple[str, str], ...] = (("Scope", scope),) if scope else ()
    if span > 1:
        attrs += (("ColSpan", str(span)),)
    p: TParagraph | CellText
    if len(text) <= SHORT_CELL and not set(text) & set("<&; "):
        p = CellText(text, style)
    else:
        p = TParagraph(text, style)
    p.tag = Tag(role, text, attrs=attrs, ident=ident, headers=headers)
    return p


def year_heads(years: tuple[int, ...], group: str) -> list[Flowable]:
    """The year headers under a group header (area, län, riket), each naming its group."""
    style = theme.styles().cell_year_small
    return [
        cell(str(y), style, "TH", scope="Column", ident=f"{group}-{y}", headers=(group,))
        for y in years
    ]


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
        content: list[Flowable] = [para(self.doc.box_heading, self.s.box_heading, "H2")]
        content += self.bullets(self.doc.box_items, self.s.bullet)
        box = ShadedBox(content, self.box_width)
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
            lines = [markup(block.text)] + [markup(line) for line in block.lines]
            p = TParagraph("<br/>".join(lines), s.contact)
            p.tag = Tag("P", " ".join(plain(t) for t in (block.text, *block.lines)))
            return [p]
        if block.kind == "box":
            inner = [f for child in block.children for f in self.block(child, width - 18)]
            box = ShadedBox(inner, width)
            box.tag = Tag("Sect", marked=False)
            return [box, Spacer(1, 10)]
        if block.kind == "references":
            return self.references(block.text)
        if block.kind == "area_sentences":
            return self.bullets(block.lines, s.area_item)
        raise AssertionError(block.kind)

    def caption(self, text: RichText, label: str, number: int) -> TParagraph:
        return para(text, self.s.caption, "Caption", prefix=f"{escape(label)} {number}. ")

    def table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        if t.county_label:
            return self.municipal_table(t, width)
        if t.area_label:
            return self.area_table(t, width)
        s, ident = self.s, f"t{t.number}"
        head = [cell(markup(t.header), s.cell_head, "TH", scope="Column")]
        head += [cell(str(y), s.cell_num_head, "TH", scope="Column") for y in t.years]
        rows = [
            [
                cell(markup(label), s.cell, "TH", scope="Row"),
                *[cell(v, s.cell_num, "TD") for v in values],
            ]
            for label, values in t.rows
        ]
        widths = [NUMBER_COLUMN] * len(t.years)
        table = TTable(
            [head, *rows], header_rows=1, colWidths=[width - sum(widths), *widths], hAlign="LEFT"
        )
        table.tag = Tag("Table", plain(t.caption), marked=False, ident=ident)
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
        unit, source = para(t.unit, s.unit, "P"), para(t.source, s.source, "P")
        return self.table_parts(caption, unit, table, source)

    def table_parts(
        self, caption: Flowable, unit: Flowable, table: TTable, source: Flowable
    ) -> list[Flowable]:
        """Caption and unit stay with the table's header and first rows; a table too long for
        the rest of the page splits there, its header repeated, rather than leaving a gap."""
        width = self.width
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
        room = caption.wrap(width, 1000)[1] + unit.wrap(width, 1000)[1] + head + 12
        return [CondPageBreak(room), caption, unit, table, source]

    def area_table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        """A variant's table: the area's columns (tinted, bold) with its counts, then riket's.
        Two header rows, so every data cell names its headers (/Headers) by their /ID."""
        s, n, ident = self.s, len(t.years), f"t{t.number}"
        area, riket, count = f"{ident}-area", f"{ident}-riket", f"{ident}-count"
        top: list[Flowable] = [
            cell("", s.cell, "TD"),
            cell(
                escape(t.area_label),
                s.cell_group_area,
                "TH",
                scope="Column",
                ident=area,
                span=n + 1,
            ),
            *[cell("", s.cell, "TD") for _ in range(n)],
            cell(escape(t.riket_header), s.cell_group, "TH", scope="Column", ident=riket, span=n),
            *[cell("", s.cell, "TD") for _ in range(n - 1)],
        ]
        head = [
            cell(markup(t.header), s.cell_head, "TH", scope="Column"),
            *year_heads(t.years, area),
            cell(
                escape(t.count_header),
                s.cell_count_head,
                "TH",
                scope="Column",
                ident=count,
                headers=(area,),
            ),
            *year_heads(t.years, riket),
        ]
        rows = []
        for i, ((label, national), mine, counted) in enumerate(
            zip(t.rows, t.area_rows, t.counts, strict=True)
        ):
            row = f"{ident}-row{i}"
            rows.append(
                [
                    cell(markup(label), s.cell, "TH", scope="Row", ident=row),
                    *[
                        cell(v, s.cell_num_area, "TD", headers=(area, f"{area}-{y}", row))
                        for v, y in zip(mine, t.years, strict=True)
                    ],
                    cell(counted, s.cell_num_area, "TD", headers=(area, count, row)),
                    *[
                        cell(v, s.cell_num, "TD", headers=(riket, f"{riket}-{y}", row))
                        for v, y in zip(national, t.years, strict=True)
                    ],
                ]
            )
        widths = [AREA_NUMBER_COLUMN] * n + [COUNT_COLUMN] + [AREA_NUMBER_COLUMN] * n
        return self.grouped_table(
            t,
            width,
            [top, head, *rows],
            widths,
            [
                ("SPAN", (1, 0), (n + 1, 0)),
                ("SPAN", (n + 2, 0), (-1, 0)),
                ("BACKGROUND", (1, 0), (n + 1, -1), theme.BOX),
                ("LEFTPADDING", (1, 0), (n + 1, -1), 2),
                ("RIGHTPADDING", (1, 0), (n + 1, -1), 3),
                ("LEFTPADDING", (n + 2, 0), (n + 2, 0), 6),
            ],
        )

    def municipal_table(self, t: ResolvedTable, width: float) -> list[Flowable]:
        """A kommun's table: its answers (tinted, bold), then its län's and riket's shares, each
        group under a spanning header; every data cell names its headers."""
        s, n, ident = self.s, len(t.years), f"t{t.number}"
        groups = [
            (f"{ident}-area", t.area_label, s.cell_group_area, t.area_rows, s.cell_num_area),
            (f"{ident}-county", t.county_label, s.cell_group, t.county_rows, s.cell_num),
            (
                f"{ident}-riket",
                t.riket_header,
                s.cell_group,
                tuple(v for _, v in t.rows),
                s.cell_num,
            ),
        ]
        top: list[Flowable] = [cell("", s.cell, "TD")]
        head: list[Flowable] = [cell(markup(t.header), s.cell_head, "TH", scope="Column")]
        for gid, label, style, _, _ in groups:
            top += [cell(escape(label), style, "TH", scope="Column", ident=gid, span=n)]
            top += [cell("", s.cell, "TD") for _ in range(n - 1)]
            head += year_heads(t.years, gid)
        rows = []
        for i, (row_label, _) in enumerate(t.rows):
            row = f"{ident}-row{i}"
            cells: list[Flowable] = [cell(markup(row_label), s.cell, "TH", scope="Row", ident=row)]
            for gid, _, _, values, style in groups:
                cells += [
                    cell(v, style, "TD", headers=(gid, f"{gid}-{y}", row))
                    for v, y in zip(values[i], t.years, strict=True)
                ]
            rows.append(cells)
        widths = [MUNICIPAL_COLUMN] * (3 * n)
        return self.grouped_table(
            t,
            width,
            [top, head, *rows],
            widths,
            [
                *[("SPAN", (1 + g * n, 0), (n + g * n, 0)) for g in range(3)],
                ("BACKGROUND", (1, 0), (n, -1), theme.BOX),
                ("LEFTPADDING", (1, 0), (-1, -1), 1),
                ("RIGHTPADDING", (1, 0), (-1, -1), 2),
            ],
        )

    def grouped_table(
        self,
        t: ResolvedTable,
        width: float,
        data: list[list[Flowable]],
        widths: list[float],
        style: list[tuple[Any, ...]],
    ) -> list[Flowable]:
        """A variant's table with two header rows (groups over years), and its caption, unit
        and source."""
        s = self.s
        table = TTable(data, header_rows=2, colWidths=[width - sum(widths), *widths], hAlign="LEFT")
        table.tag = Tag("Table", plain(t.caption), marked=False, ident=f"t{t.number}")
        table.setStyle(
            TableStyle(
                [
                    *TABLE_BASE,
                    *style,
                    ("LINEBELOW", (1, 0), (-1, 0), 0.4, theme.RULE),
                    ("LINEBELOW", (0, 1), (-1, 1), 0.6, theme.ACCENT),
                    ("LINEBELOW", (0, 2), (-1, -2), 0.25, theme.GRID),
                ]
            )
        )
        caption = self.caption(t.caption, self.doc.table_label, t.number)
        unit, source = para(t.unit, s.unit, "P"), para(t.source, s.source, "P")
        return self.table_parts(caption, unit, table, source)

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
        chart.tag = Tag("Figure", f.alt, marked=False, alt=f.alt)
        parts: list[Flowable] = [caption, chart]
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
        heading_p = para(heading, self.s.subheading, "H3")
        return [heading_p, *self.bullets(items, self.s.reference, labels, anchors)]

    def footnote(self, number: str, text: RichText) -> TParagraph:
        p = TParagraph(
            f'<a name="note-{number}"/><super>{number}</super>&nbsp;{markup(text)}', self.s.footnote
        )
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
