"""One builder for every table: row labels, then the column groups of a ``ResolvedTable``
side by side (riket alone; the län and riket; the kommun, its län and riket).

A table with one group has one header row of years. With several, a first header row names
each group over its years; the sheet's own area is tinted and bold; every data cell names its
headers (group, year, row) by their /ID so that a screen reader can say what a number is.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle

from factsheet.model.document import ColumnGroup, ResolvedTable
from factsheet.model.richtext import plain
from factsheet.render import theme
from factsheet.render.flowables import TTable
from factsheet.render.tagging import Tag
from factsheet.render.text import cell, glue_last_word, markup
from factsheet.xmltext import escape

NUMBER_COLUMN = 34.0  # a year column of a one-group table
COUNT_COLUMN = 50.0
# The width of a year column by the number of groups: narrower as the groups multiply.
GROUP_COLUMN = {2: 25.0, 3: 22.0}
WORD_ROOM = 6.0  # pt beyond a cell's words: its padding (at most 2 + 3 pt) and 1 pt to spare
GROUP_GAP = 5.0  # before each column group after the first, at a rule
CELL_SIZE = 8.5  # pt, the group headers' font size (theme.cell_group)
LABEL_PADDING = 5.5  # pt, a group header's padding, both sides (GROUP_GAP more after the first)
MIN_ROWS = 2  # data rows on each side of a table's split
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


def build(t: ResolvedTable, width: float) -> TTable:
    """The table flowable, tagged Table with THead/TBody rows, TH with Scope, TD with Headers."""
    if len(t.groups) == 1:
        return _single(t, width)
    return _grouped(t, width)


def _single(t: ResolvedTable, width: float) -> TTable:
    s = theme.styles()
    (group,) = t.groups
    head = [cell(markup(t.header), s.cell_head, "TH", scope="Column")]
    head += [cell(str(y), s.cell_num_head, "TH", scope="Column") for y in t.years]
    rows = [
        [
            cell(markup(label), s.cell_head if bold else s.cell, "TH", scope="Row"),
            *[cell(v, s.cell_num_area if bold else s.cell_num, "TD") for v in values],
        ]
        for i, (label, values) in enumerate(zip(t.labels, group.rows, strict=True))
        for bold in [i in t.bold_rows]
    ]
    widths = [NUMBER_COLUMN] * len(t.years)
    style = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, theme.ACCENT),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, theme.GRID),
        *[("BACKGROUND", (0, i + 1), (-1, i + 1), theme.BOX) for i in sorted(t.bold_rows)],
    ]
    return _table(t, width, [head, *rows], widths, 1, style)


def _span(group: ColumnGroup, n: int) -> int:
    return n + (1 if group.count_header else 0)


def _grouped(t: ResolvedTable, width: float) -> TTable:
    s, n, ident = theme.styles(), len(t.years), f"t{t.number}"
    ids = [f"{ident}-{g.key}" for g in t.groups]
    top: list[Flowable] = [cell("", s.cell, "TD")]
    head: list[Flowable] = [cell(markup(t.header), s.cell_head, "TH", scope="Column")]
    widths: list[float] = []
    column = GROUP_COLUMN.get(len(t.groups), min(GROUP_COLUMN.values()))
    for gid, g in zip(ids, t.groups, strict=True):
        style = s.cell_group_area if g.highlight else s.cell_group
        span = _span(g, n)
        top += [cell(escape(g.label), style, "TH", scope="Column", ident=gid, span=span)]
        top += [cell("", s.cell, "TD") for _ in range(span - 1)]
        head += year_heads(t.years, gid)
        widths += [column] * n
        if g.count_header:
            count = f"{ident}-count"
            head.append(
                cell(
                    escape(g.count_header),
                    s.cell_count_head,
                    "TH",
                    scope="Column",
                    ident=count,
                    headers=(gid,),
                )
            )
            widths.append(COUNT_COLUMN)
    rows = []
    for i, label in enumerate(t.labels):
        row = f"{ident}-row{i}"
        cells: list[Flowable] = [cell(markup(label), s.cell, "TH", scope="Row", ident=row)]
        for gid, g in zip(ids, t.groups, strict=True):
            style = s.cell_num_area if g.highlight else s.cell_num
            cells += [
                cell(v, style, "TD", headers=(gid, f"{gid}-{y}", row))
                for v, y in zip(g.rows[i], t.years, strict=True)
            ]
            if g.count_header:
                cells.append(cell(g.counts[i], style, "TD", headers=(gid, f"{ident}-count", row)))
        rows.append(cells)
    style = [*_spans(t.groups, n), *_group_style(t.groups, n)]
    style += [
        ("LINEBELOW", (1, 0), (-1, 0), 0.4, theme.RULE),
        ("LINEBELOW", (0, 1), (-1, 1), 0.6, theme.ACCENT),
        ("LINEBELOW", (0, 2), (-1, -2), 0.25, theme.GRID),
    ]
    _room_for_names(t.groups, n, widths)
    _room_for_words(t.groups, n, widths)
    style += _separated(t.groups, n, widths)
    return _table(t, width, [top, head, *rows], widths, 2, style)


def _room_for_names(groups: tuple[ColumnGroup, ...], n: int, widths: list[float]) -> None:
    """Widen (in place) the number columns of a group whose header has a word wider than the
    group ("Södermanlands län" over three years): a name is broken between words only, never
    inside a word nor at its hyphen, and its short last word stays with the word before it
    ("Stockholms län", not "Stockholms" / "län")."""
    font, first = theme.font_name("bold"), 0
    for i, g in enumerate(groups):
        span = _span(g, n)
        words = glue_last_word(g.label.replace("&", "+")).replace("&nbsp;", "\u00a0").split(" ")
        padding = LABEL_PADDING + (GROUP_GAP if i else 0.0)
        need = max(stringWidth(w, font, CELL_SIZE) for w in words) + padding
        short = need - sum(widths[first : first + span])
        if short > 0:
            for i in range(first, first + span):
                widths[i] += short / span
        first += span


def _room_for_words(groups: tuple[ColumnGroup, ...], n: int, widths: list[float]) -> None:
    """Widen (in place) a year column whose cells hold words, not numbers, wider than it (a
    three-level answer, "Ja, men inte för alla"), so each such cell takes at most two lines.
    Numbers, ``Ja``, ``Nej`` and ``–`` fit every column, which then keeps its width."""
    s, first = theme.styles(), 0
    for g in groups:
        style = s.cell_num_area if g.highlight else s.cell_num
        for year in range(n):
            texts = {row[year] for row in g.rows if " " in row[year]}
            need = max(
                (_two_lines(text, style.fontName, style.fontSize) for text in texts), default=0.0
            )
            widths[first + year] = max(widths[first + year], need + WORD_ROOM if need else 0)
        first += _span(g, n)


def _two_lines(text: str, font: str, size: float) -> float:
    """The width ``text`` needs to be set in at most two lines, broken between words (a short
    last word kept with the one before, as the cell sets it: ``glue_last_word``)."""
    words = glue_last_word(text).replace("&nbsp;", "\u00a0").split(" ")
    return min(
        max(stringWidth(" ".join(part), font, size) for part in (words[:i], words[i:]))
        for i in range(1, len(words))
    )


def _separated(
    groups: tuple[ColumnGroup, ...], n: int, widths: list[float]
) -> list[tuple[Any, ...]]:
    """A gap and a thin rule before each group after the first, so that the kommun's, the
    län's and riket's columns read as groups: the group's first column is ``GROUP_GAP``
    wider (``widths``, of the number columns, is widened in place) and as much padded."""
    out: list[tuple[Any, ...]] = []
    first = 1
    for i, g in enumerate(groups):
        if i:
            widths[first - 1] += GROUP_GAP
            out += [
                ("LINEBEFORE", (first, 0), (first, -1), 0.5, theme.RULE),
                ("LEFTPADDING", (first, 0), (first, -1), GROUP_GAP),
            ]
        first += _span(g, n)
    return out


def _spans(groups: tuple[ColumnGroup, ...], n: int) -> list[tuple[Any, ...]]:
    out, first = [], 1
    for g in groups:
        last = first + _span(g, n) - 1
        out.append(("SPAN", (first, 0), (last, 0)))
        first = last + 1
    return out


def _group_style(groups: tuple[ColumnGroup, ...], n: int) -> list[tuple[Any, ...]]:
    """The tint of the highlighted group and the padding between columns: two groups have
    room for wider padding (and a gap before the second group's header), three are tight."""
    out: list[tuple[Any, ...]] = []
    first = 1
    for g in groups:
        last = first + _span(g, n) - 1
        if g.highlight:
            out.append(("BACKGROUND", (first, 0), (last, -1), theme.BOX))
            if len(groups) == 2:
                out += [
                    ("LEFTPADDING", (first, 0), (last, -1), 2),
                    ("RIGHTPADDING", (first, 0), (last, -1), 3),
                    ("LEFTPADDING", (last + 1, 0), (last + 1, 0), 6),
                ]
        first = last + 1
    if len(groups) > 2:
        out += [("LEFTPADDING", (1, 0), (-1, -1), 1), ("RIGHTPADDING", (1, 0), (-1, -1), 2)]
    return out


class Sourced(Flowable):
    """A table with what follows it (its note, its "Källa" line): these are never set apart
    from the table. A table longer than the room left splits between rows (its header rows
    repeated, ``TTable``); the part that ends the table carries them, and when the whole table
    fits but they do not, its last rows go on with them."""

    def __init__(self, table: TTable, after: list[Flowable]) -> None:
        super().__init__()
        self.table, self.after = table, after

    def _after(self, width: float) -> float:
        return sum(f.getSpaceBefore() + f.wrap(width, 10_000)[1] for f in self.after)

    def getSpaceBefore(self) -> float:
        return float(self.table.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.after[-1].getSpaceAfter()) if self.after else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.table_height = self.table.wrap(availWidth, availHeight)[1]
        self.width, self.height = availWidth, self.table_height + self._after(availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split between rows, at least ``MIN_ROWS`` data rows on each side (a lone row on the
        next page, under a repeated header without its caption, reads as a stray)."""
        height = self.table.wrap(availWidth, availHeight)[1]
        room = availHeight if height > availHeight else height - 0.01  # the last row moves
        heights, head = self.table._rowHeights, self.table.header_rows
        rows = len(heights) - head
        fits = 0
        while fits < rows and sum(heights[: head + fits + 1]) <= room + 1e-6:
            fits += 1
        fits = min(fits, rows - MIN_ROWS)
        if fits < MIN_ROWS:
            return []
        parts = self.table.split(availWidth, sum(heights[: head + fits]) + 0.01)
        if len(parts) != 2:
            return []
        return [parts[0], Sourced(parts[1], self.after)]

    def draw(self) -> None:
        y = self.height - self.table_height
        self.table.drawOn(self.canv, 0, y)
        for f in self.after:
            y -= f.getSpaceBefore() + f.height
            f.drawOn(self.canv, 0, y)


def year_heads(years: tuple[int, ...], group: str) -> list[Flowable]:
    """The year headers under a group header, each naming its group."""
    style = theme.styles().cell_year_small
    return [
        cell(str(y), style, "TH", scope="Column", ident=f"{group}-{y}", headers=(group,))
        for y in years
    ]


def _table(
    t: ResolvedTable,
    width: float,
    data: list[list[Flowable]],
    widths: list[float],
    header_rows: int,
    style: list[tuple[Any, ...]],
) -> TTable:
    table = TTable(
        data, header_rows=header_rows, colWidths=[width - sum(widths), *widths], hAlign="LEFT"
    )
    table.tag = Tag("Table", plain(t.caption), marked=False, ident=f"t{t.number}")
    table.setStyle(TableStyle([*TABLE_BASE, *style]))
    return table
