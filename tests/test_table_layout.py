"""Tables on the page (issue 15): a "Källa" line never apart from its table, a table too long
for the rest of a page split between rows with its header repeated (its caption with the first
part) instead of pushed whole to the next page, and the column groups set apart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from conftest import CONTENT, ROOT
from reportlab.platypus import CondPageBreak, Table

from factsheet.build import load_inputs, national_guess
from factsheet.model import areas
from factsheet.render import pages, tables
from factsheet.render.flowables import TParagraph, TTable, line_texts
from factsheet.render.story import Layout
from factsheet.render.text import SHORT_WORD
from factsheet.resolve import resolve

FONTS = ROOT / "fonts"
# Riket, län of many and of few kommuner, and kommuner and stadsdelar of long and short names.
SAMPLE = ["00", "01", "09", "14", "25", "0180-01", "0180-13", "0980", "1380", "1415", "1480"]
SAMPLE += ["2080", "2584"]
QUARTER = (pages.PAGE_H - pages.MARGIN_TOP - pages.MARGIN_BOTTOM) / 4


@pytest.fixture(scope="module")
def inputs() -> Any:
    return load_inputs(CONTENT, None, FONTS)


def _area(code: str) -> Any:
    return areas.riket() if code == "00" else areas.area(code)


@pytest.fixture(scope="module")
def drawn(inputs: Any) -> dict[str, tuple[list[tuple[str, int, str]], dict[int, float]]]:
    """Per sheet of the sample: tables, their captions and source lines in the order drawn
    (kind, page, what), and the room left at the foot of each page's body."""
    out = {}
    events: list[tuple[str, int, str]] = []
    room: dict[int, float] = {}
    draw_paragraph, draw_table = TParagraph.draw, TTable.draw
    decorate = pages._SheetTemplate._decorate

    def paragraph(self: TParagraph) -> None:
        if self.style.name in ("caption", "source"):
            events.append((self.style.name, self.canv.getPageNumber(), self.getPlainText()))
        draw_paragraph(self)

    def table(self: TTable) -> None:
        events.append(("table", self.canv.getPageNumber(), self.tag.ident))
        draw_table(self)

    def foot(self: Any, canvas: Any, doc: Any) -> None:
        room[canvas.getPageNumber()] = self.frame._y - self.frame._y1
        decorate(self, canvas, doc)

    riket = resolve(inputs.spec, inputs.data, areas.riket())
    guess = national_guess(riket)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TParagraph, "draw", paragraph)
        patch.setattr(TTable, "draw", table)
        patch.setattr(pages._SheetTemplate, "_decorate", foot)
        for code in SAMPLE:
            events.clear()
            room.clear()
            doc = resolve(inputs.spec, inputs.data, _area(code))
            pages.plan_notes(doc, guess)
            out[code] = (list(events), dict(room))
    return out


def _sheets(
    drawn: dict[str, tuple[list[tuple[str, int, str]], dict[int, float]]],
) -> Iterator[tuple[str, list[tuple[str, int, str]], dict[int, float]]]:
    for code, (events, room) in drawn.items():
        assert [e for e in events if e[0] == "table"], code  # the sheet has tables
        yield code, events, room


def test_a_source_line_is_on_the_page_its_table_ends(drawn: Any) -> None:
    for code, events, _ in _sheets(drawn):
        for before, after in pairwise(events):
            if before[0] == "table" and after[0] == "source":
                assert after[1] == before[1], (code, before, after)


def test_no_table_is_pushed_whole_past_a_quarter_page(drawn: Any) -> None:
    """A table caption that opens a page: the page before it did not end a quarter page early
    (the table would have split there, its caption and first rows on that page)."""
    for code, events, room in _sheets(drawn):
        for i, (kind, page, text) in enumerate(events):
            if kind == "caption" and text.startswith("Tabell"):
                opens = all(e[1] < page for e in events[:i])
                assert not (opens and room.get(page - 1, 0) > QUARTER), (code, text, room)


def test_a_caption_is_on_the_page_of_its_table_s_first_part(drawn: Any) -> None:
    for code, events, _ in _sheets(drawn):
        for i, (kind, page, text) in enumerate(events):
            if kind == "caption" and text.startswith("Tabell"):
                first = next(e for e in events[i:] if e[0] == "table")
                assert first[1] == page, (code, text)


@pytest.fixture(scope="module")
def kommun_table(inputs: Any) -> tuple[Layout, list[Any], Any]:
    doc = resolve(inputs.spec, inputs.data, areas.area("1415"))
    layout = Layout(doc, pages.TEXT_W, pages.COLUMN_W)
    block = next(b for b in doc.body if b.kind == "table" and b.table)
    return layout, layout.table(block.table, pages.TEXT_W), block.table


def test_a_table_keeps_its_source_and_room_for_caption_and_first_rows(
    kommun_table: Any,
) -> None:
    _, (room, caption, unit, sourced), _ = kommun_table
    assert isinstance(room, CondPageBreak) and isinstance(sourced, tables.Sourced)
    assert [p.style.name for p in (caption, unit)] == ["caption", "unit"]
    assert sourced.after[-1].style.name == "source"
    table = sourced.table
    head = sum(table._rowHeights[: table.header_rows + 1]) if table.wrap(pages.TEXT_W, 1e4) else 0
    assert room.height >= caption.height + unit.height + head


def test_a_long_table_splits_between_rows_with_its_header_repeated(kommun_table: Any) -> None:
    _, (_, _, _, sourced), _ = kommun_table
    table = sourced.table
    width, _ = sourced.wrap(pages.TEXT_W, 1e4)
    rows = table._rowHeights
    room = sum(rows[: table.header_rows + 2]) + 1  # the header and two rows
    first, rest = sourced.split(width, room)
    assert isinstance(first, TTable) and isinstance(rest, tables.Sourced)
    assert len(first._cellvalues) == table.header_rows + 2
    assert rest.table.continued and rest.table.header_rows == table.header_rows
    repeated = rest.table._cellvalues[: table.header_rows]
    assert [[getattr(c, "text", None) for c in r] for r in repeated] == [
        [getattr(c, "text", None) for c in r] for r in table._cellvalues[: table.header_rows]
    ]
    assert rest.after == sourced.after  # the source goes with the last part


def test_the_last_rows_go_on_with_a_source_that_does_not_fit(kommun_table: Any) -> None:
    _, (_, _, _, sourced), _ = kommun_table
    width, _ = sourced.wrap(pages.TEXT_W, 1e4)
    first, rest = sourced.split(width, sourced.table_height + 1)  # the table fits, not its source
    n = len(sourced.table._cellvalues)
    assert len(first._cellvalues) == n - tables.MIN_ROWS
    assert len(rest.table._cellvalues) == sourced.table.header_rows + tables.MIN_ROWS


def test_a_split_leaves_two_rows_on_each_side(kommun_table: Any) -> None:
    """A table split with one row on the next page (under a repeated header, no caption: 71
    kommun sheets of the next edition) or one row under its caption: two rows at least."""
    _, (_, _, _, sourced), _ = kommun_table
    width, _ = sourced.wrap(pages.TEXT_W, 1e4)
    table = sourced.table
    rows, head = table._rowHeights, table.header_rows
    n = len(rows)
    assert n - head >= 4
    first, rest = sourced.split(width, sum(rows[: n - 1]) + 1)  # all rows but the last fit
    assert len(first._cellvalues) == n - 2
    assert len(rest.table._cellvalues) == head + 2
    assert sourced.split(width, sum(rows[: head + 1]) + 1) == []  # one row: the table moves on


def test_no_page_but_the_last_ends_a_quarter_page_early(drawn: Any) -> None:
    """The kommun's section started on page 4 though it fitted on page 3 (71 kommun sheets, all
    of Blekinge and Dalarna among them, left 200-263 pt of page 3 empty)."""
    for code, _, room in _sheets(drawn):
        last = max(room)
        early = {page: round(r) for page, r in room.items() if page < last and r > QUARTER}
        assert not early, (code, early)


def test_column_groups_are_set_apart(kommun_table: Any) -> None:
    """A rule and a gap before the län's and riket's columns: the groups do not run together."""
    _, (_, _, _, sourced), resolved = kommun_table
    table: Table = sourced.table
    table.wrap(pages.TEXT_W, 1e4)
    befores = sorted({col for (col, _row) in _rules_before(table)})
    n = len(resolved.groups)  # the kommun, its län and riket
    assert n == 3 and len(befores) == n - 1
    for col in befores:
        assert table._colWidths[col] == table._colWidths[col + 1] + tables.GROUP_GAP


def _rules_before(table: Table) -> Iterator[tuple[int, int]]:
    """(column, row) of every cell with a vertical rule at its left edge, from the style."""
    for op, (c0, r0), (c1, _), *_ in table._linecmds:
        if op == "LINEBEFORE" and c0 == c1 and c0 > 0:
            yield c0, r0


@pytest.mark.parametrize("code", ["0480", "2281", "1980", "0180-06"])
def test_a_group_s_name_breaks_between_words_only(inputs: Any, code: str) -> None:
    """ "Södermanlands län" over a kommun table's three years: the group is widened so that
    the name breaks between its words (or at its own hyphen), never inside one."""
    doc = resolve(inputs.spec, inputs.data, areas.area(code))
    for block in doc.body:
        if block.kind != "table" or not block.table or len(block.table.groups) < 2:
            continue
        table = tables.build(block.table, pages.TEXT_W)
        names = {g.label for g in block.table.groups}
        heads = [c for c in table._cellvalues[0] if c.tag.text in names]
        assert len(heads) == len(names)
        table.wrap(pages.TEXT_W, 1e4)
        for head in heads:
            if not isinstance(head, TParagraph):
                continue  # one line, never broken
            lines = line_texts(head.blPara)
            words = re.split(r"\s+|(?<=-)", head.tag.text)
            assert all(w in words for line in lines for w in re.split(r"\s+|(?<=-)", line)), lines


def test_a_column_of_three_level_answers_is_widened_to_two_lines(kommun_table: Any) -> None:
    """A kommun's cells with words (``answer_levels``) take at most two lines; a column of
    Ja/Nej keeps its width (and so the 2021 sheets theirs)."""
    import dataclasses

    _, _, resolved = kommun_table
    area = resolved.groups[0]
    assert area.key == "area"
    words = ("Ja, men inte för alla", "Nej", "Ja, för alla")
    rows = tuple(words[: len(row)] for row in area.rows)
    groups = (dataclasses.replace(area, rows=rows), *resolved.groups[1:])
    before = tables.build(resolved, pages.TEXT_W)
    after = tables.build(dataclasses.replace(resolved, groups=groups), pages.TEXT_W)
    widths, plain = after._colWidths, before._colWidths
    assert widths[2] == plain[2] and widths[1] > plain[1] and widths[3] > plain[3]
    assert widths[4:] == plain[4:] and sum(widths) == sum(plain)
    after.wrap(pages.TEXT_W, 1e4)
    for row in after._cellvalues[2:]:
        for cell in row[1:4]:
            if isinstance(cell, TParagraph):
                assert len(cell.blPara.lines) <= 2, cell.text


@pytest.mark.parametrize("code", ["00", "01", "2080", "0180-01", "1980", "0180-06"])
def test_a_cell_never_breaks_at_a_hyphen_nor_leaves_a_short_word_alone(
    inputs: Any, code: str
) -> None:
    """Tabell 2's "LSS-" / "vuxen" (read "LSSvuxen"), Tabell 1's row ending "LSS" alone on its
    last line (Falun, Rinkeby-Kista), a group header "Stockholms" / "län": no more."""
    doc = resolve(inputs.spec, inputs.data, _area(code))
    checked = 0
    for block in doc.body:
        if block.kind != "table" or not block.table:
            continue
        table = tables.build(block.table, pages.TEXT_W)
        table.wrap(pages.TEXT_W, 1e4)
        for row in table._cellvalues:
            for value in row:
                cell = value[0] if isinstance(value, (list, tuple)) else value
                if not isinstance(cell, TParagraph):
                    continue
                lines = [line.strip() for line in line_texts(cell.blPara)]
                checked += len(lines) > 1
                assert not any(line.endswith("-") for line in lines[:-1]), lines
                if len(lines) > 1:
                    last = lines[-1].replace("\u00a0", " ")
                    assert " " in last or len(last) > SHORT_WORD, lines
    assert checked  # some cells wrap
