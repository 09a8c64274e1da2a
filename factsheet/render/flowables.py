"""The custom flowables, each drawing its content tagged and its decoration as an artifact."""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, ClassVar

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.paragraph import _wsc

from factsheet.errors import WordTooWide
from factsheet.render import slacks, theme
from factsheet.render.chart import Chart
from factsheet.render.columns import layout_identity
from factsheet.render.hyphenation import MAX_IN_A_ROW, Hyphenator
from factsheet.render.longwords import install, too_wide
from factsheet.render.tagging import (
    NO_END,
    LineEnd,
    Tag,
    Tagged,
    TaggedText,
    Tagger,
    artifact,
    group,
    ttf_text,
)

_WHITESPACE = frozenset(_wsc)  # what ReportLab breaks lines at (not the no-break space)
_SOFT_HYPHEN = "\u00ad"
# Loose lines (``even_breaks``): a word gap stretched by more than this many spaces is loose;
# the paragraph is then broken up to MAX_SLACK pt short of the width, in SLACK_STEP steps.
LOOSE_GAP = 1.0
CAP = 1.25  # no line is stretched more than CAP * LOOSE_GAP spaces a gap
MAX_SLACK = slacks.MAX_SLACK
SLACK_STEP = 0.75


install()  # addresses wider than a line break at / and -


_CELLS = ("TH", "TD")


class _Memo(OrderedDict[Any, Any]):
    """A bounded memo: the least recently used entry goes when it is full, so that memory stays
    flat however many variants a process builds. What it holds is recomputed identically
    when needed again, so eviction never changes the output."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def find(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key: Any, value: Any) -> Any:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class TParagraph(Tagged, Paragraph):
    """A paragraph drawn through the structure hooks.

    Parsing the markup and breaking it into lines (with hyphenation) is most of the layout
    time, and most paragraphs are the same, at the same width, in every layout pass and every
    variant: the national text, table row labels and headers, notes. A paragraph made from
    text keeps its parse and its lines in per-process memos keyed by text, style, bullet (and
    width, and the registered fonts: ``build --watch`` registers changed ones). Lines are
    always computed on a separate probe paragraph, parsed afresh, so every paragraph, the first
    included, is drawn from the same lines and the output does not depend on which variant a
    worker happened to build first. ``memo`` may be set to another key (``text.para`` does).

    Its text is drawn by a ``TaggedText`` (``inline``), which needs to know how each line ends:
    ``source`` is the paragraph's text as written, ``offset`` where this part of it starts
    (the parts of a split paragraph share the source)."""

    memo: tuple[Any, ...] | None = None
    part: tuple[Any, ...] | None = None  # a split part: (whole's identity, widths, first line)
    too_wide: tuple[str, float, float] | None = None  # a word its lines could not set
    slack = 0.0  # pt its lines were broken short of the width (``even_breaks``)
    _wrapped_at: float | None = None  # the width of the last wrap, while its lines stand
    inline = True
    offset = 0
    _lines: ClassVar[_Memo] = _Memo(500)
    _parsed: ClassVar[_Memo] = _Memo(500)
    _part_lines: ClassVar[_Memo] = _Memo(500)

    def __init__(
        self,
        text: Any,
        style: Any = None,
        bulletText: Any = None,
        frags: Any = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        if frags is None and isinstance(text, str) and style is not None:
            self.memo = (text, style, bulletText or "")
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self.source = "".join(
            "\n" if getattr(f, "lineBreak", False) else getattr(f, "text", "") for f in self.frags
        )

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is not None or self.memo is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, style, bulletText, self.caseSensitive)
        parsed = self._parsed.find(key)
        if parsed is None:
            probe = Paragraph.__new__(Paragraph)
            probe.caseSensitive, probe.encoding = self.caseSensitive, self.encoding
            Paragraph._setup(probe, text, style, bulletText, None, cleaner)
            parsed = (probe.text, probe.frags, probe.style, probe.bulletText)
            self._parsed.keep(key, parsed)
        self.text, self.frags, self.style, self.bulletText = parsed
        self.debug = 0

    def identity(self) -> tuple[Any, ...] | None:
        """What determines this paragraph's text and style: the memo key of a paragraph made
        from text, or for a part split off one, the whole's identity, the widths it was broken
        at and the part's first line (a part's text is those lines of the whole's). None for a
        paragraph made from fragments."""
        if self.memo is not None:
            return (theme.fonts_digest(), *self.memo)
        return self.part

    def breakLines(self, width: Any) -> Any:
        if self.memo is None and self.part is not None:
            # The columns' balancing splits the same paragraph at the same lines again and
            # again, in every variant: the parts' lines are kept like the whole's.
            # A part is broken with the slack its whole was broken with: the same lines.
            widths = tuple(width) if isinstance(width, list) else width
            key = (self.part, widths, self.slack)
            found = self._part_lines.find(key)
            if found is None:
                lines, style, slack = even_breaks(self, width, self.slack)
                found = self._part_lines.keep(
                    key, (lines, style, too_wide(self, lines, width), slack)
                )
            lines, self.style, self.too_wide, self.slack = found
            return lines
        if self.memo is None:
            lines, self.style, self.slack = even_breaks(self, width)
            self.too_wide = too_wide(self, lines, width)
            return lines
        key = (theme.fonts_digest(), *self.memo, tuple(width) if isinstance(width, list) else width)
        found = self._lines.find(key)
        if found is None:
            source, _, bullet = self.memo
            probe = Paragraph(source, self.style, bulletText=bullet or None)
            justified = self.style.alignment == TA_JUSTIFY
            name = slacks.key(source, self.style, bullet, width) if justified else ""
            # the slack an earlier build searched for: the same lines, broken once
            lines, style, slack = even_breaks(probe, width, slacks.find(name) if name else None)
            if name:
                slacks.keep(name, slack)
            found = self._lines.keep(key, (lines, style, too_wide(probe, lines, width), slack))
        # the style refuses what had to stay whole
        lines, self.style, self.too_wide, self.slack = found
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The columns' balancing wraps the same paragraph at the same width a dozen times:
        # the lines, and so the size, are those of the last wrap (the height offered does
        # not change them). Splitting may change the lines: it forgets the width.
        if availWidth == self._wrapped_at:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        # (no room at all: ReportLab answers without setting a size, so nothing is kept)
        self._wrapped_at = availWidth if size == (self.width, self.height) else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self._wrapped_at = None
        identity = self.identity()
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            if identity is not None:
                widths = tuple(getattr(self, "_wrapWidths", (availWidth,)))
                first.part = (identity, widths, 0, len(first.blPara.lines))
                rest.part = (identity, widths, len(first.blPara.lines), None)
            first.slack = rest.slack = self.slack
            done = line_texts(self.blPara)[: len(first.blPara.lines)]
            first.source = rest.source = self.source
            first.offset = self.offset
            rest.offset = line_ends(done, self.source, self.offset)[1]
        return parts

    def beginText(self, x: float, y: float) -> Any:
        canvas = self.canv
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is None or tagger.suspended or self.tag is None or not self.tag.marked:
            return super().beginText(x, y)
        lines = self.blPara
        ends = line_ends(line_texts(lines), self.source, self.offset)[0]
        links = (getattr(lines, "link", None) or ()) if lines.kind == 0 else ()
        node = tagger.nodes[id(self.tag)]
        return TaggedText(canvas, x, y, tagger, node, ends, links, len(lines.lines))

    def draw(self) -> None:
        # Checked when drawn, not when broken: a paragraph is also measured at widths it is
        # never drawn at (a table's spanned header in one column). Table cells are left to
        # the table layout: their long words are area names, not text the author can change.
        if self.too_wide is not None and (self.tag is None or self.tag.role not in _CELLS):
            raise WordTooWide(*self.too_wide)
        code = self.canv._code
        start = len(code)
        super().draw()
        if getattr(self.canv, "tagger", None) is None:
            return
        # Link underlines are drawn outside the text object, whose marked content holds the
        # text: decorations, artifacts.
        text = next((i for i in range(start, len(code)) if code[i].startswith("BT")), start)
        first = start + 1 if start < text and code[start] == "q" else start
        if first < text:
            code[first:text] = ["/Artifact BMC", *code[first:text], "EMC"]


def even_breaks(
    paragraph: Paragraph, width: Any, slack: float | None = None
) -> tuple[Any, ParagraphStyle, float]:
    """Justified lines without loose ones where other breaks allow: ReportLab breaks a line
    as full as it can be, and a line whose next word could not be broken (a number glued to
    its unit, a short word, a name, a third hyphen in a row) was stretched to word gaps of up
    to 15 pt. When a line of the paragraph would have gaps wider than ``LOOSE_GAP`` times a
    space, the paragraph is broken again a little short of the width (up to ``MAX_SLACK``,
    which every line then shares, a fraction of a point a gap), and the breaks with the
    fewest and least loose lines are kept, in as many lines as before (the page layout
    stays); a line still much too loose is stretched less, short of the width (``_capped``).
    ``slack`` given: break with that one (a split part, like its whole). Returns the lines
    (justified to the full width), the style that made them and the slack."""
    style = paragraph.style
    if style.alignment != TA_JUSTIFY:
        lines, style = limited_breaks(paragraph, width)
        return lines, style, 0.0
    loose = LOOSE_GAP * stringWidth(" ", style.fontName, style.fontSize)
    if slack is not None:
        lines, found = limited_breaks(paragraph, _short(width, slack), slack)
        return _capped(lines, loose), found, slack
    lines, found = limited_breaks(paragraph, width)
    best = (_looseness(lines, loose), 0.0, lines, found)
    if best[0] == (0, 0.0):
        return _capped(lines, loose), found, 0.0
    for step in range(1, int(MAX_SLACK / SLACK_STEP) + 1):
        candidate = step * SLACK_STEP
        paragraph.style = style
        tried, used = limited_breaks(paragraph, _short(width, candidate), candidate)
        if len(tried.lines) != len(lines.lines):
            continue
        score = _looseness(tried, loose)
        if score < best[0]:
            best = (score, candidate, tried, used)
            if score == (0, 0.0):
                break
    _, slack, lines, found = best
    paragraph.style = found
    return _capped(lines, loose), found, slack


def _short(width: Any, slack: float) -> Any:
    return [w - slack for w in width] if isinstance(width, (list, tuple)) else width - slack


def _stretch(lines: Any) -> list[float | None]:
    """How far each word gap of each line is stretched (pt beyond a space); None for a line
    that is not justified (the last, one ended by a line break, one of a single word)."""
    out: list[float | None] = []
    for i, line in enumerate(lines.lines):
        if lines.kind == 0:
            extra, words = line
            spaces = len(words) - 1 + sum(w.count("\u00a0") for w in words)
        else:
            extra = line.extraSpace
            spaces = line.wordCount - 1
            spaces += sum(getattr(w, "text", "").count("\u00a0") for w in line.words)
            if getattr(line, "lineBreak", False):
                spaces = 0
        last = i == len(lines.lines) - 1
        out.append(extra / spaces if spaces > 0 and not last else None)
    return out


def _looseness(lines: Any, loose: float) -> tuple[int, float]:
    """The number of loose lines and how much too loose they are, together."""
    over = [s - loose for s in _stretch(lines) if s is not None and s > loose]
    return len(over), round(sum(o * o for o in over), 3)


def _capped(lines: Any, loose: float) -> Any:
    """A line still stretched more than ``CAP`` times ``loose`` a gap is stretched that much
    only, the rest of the room left at its end: a line a little short of the column rather
    than gaps a reader trips over."""
    cap = CAP * loose
    for i, stretch in enumerate(_stretch(lines)):
        if stretch is None or stretch <= cap:
            continue
        if lines.kind == 0:
            extra, words = lines.lines[i]
            lines.lines[i] = (extra * cap / stretch, words)
        else:
            lines.lines[i].extraSpace *= cap / stretch
    return lines


def limited_breaks(
    paragraph: Paragraph, width: Any, slack: float = 0.0
) -> tuple[Any, ParagraphStyle]:
    """The paragraph's lines with at most ``MAX_IN_A_ROW`` hyphenated line ends in a row:
    the word broken at the end of the line that would make one more stays whole (the
    hyphenator refuses it; at a word's own hyphen, such breaks are no longer made), and the
    paragraph is broken again. Returns the lines and the style that made them."""
    style = paragraph.style
    lines = Paragraph.breakLines(paragraph, width)
    for _ in range(3 * len(lines.lines)):
        hyphenator = style.hyphenationLang
        found = _over_the_limit(lines)
        if found is None or not isinstance(hyphenator, Hyphenator):
            break
        head, tail = found
        word = head + tail
        if len(head) in hyphenator.points(word):
            refusing = hyphenator.refusing(word.lower())
            style = ParagraphStyle(style.name, parent=style, hyphenationLang=refusing)
        elif style.embeddedHyphenation:
            style = ParagraphStyle(style.name, parent=style, embeddedHyphenation=0)
        else:
            break
        paragraph.style = style
        lines = Paragraph.breakLines(paragraph, width)
    if slack:  # broken short of the width, justified to it
        if lines.kind == 0:
            lines.lines = [(extra + slack, words) for extra, words in lines.lines]
        else:
            for line in lines.lines:
                line.extraSpace += slack
    return lines, style


def line_texts(lines: Any) -> list[str]:
    """The text of each line of a paragraph's ``breakLines`` result."""
    if lines.kind == 0:
        return [" ".join(words) for _, words in lines.lines]
    return ["".join(getattr(f, "text", "") for f in line.words) for line in lines.lines]


def line_ends(texts: Sequence[str], source: str, start: int = 0) -> tuple[list[LineEnd], int]:
    """``read_line_ends``, kept per process (the same lines of the same text are read in every
    layout pass and every variant); bounded like the line memo."""
    ends, at = _line_ends(tuple(texts), source, start)
    return list(ends), at


@functools.lru_cache(maxsize=1000)
def _line_ends(texts: tuple[str, ...], source: str, start: int) -> tuple[tuple[LineEnd, ...], int]:
    ends, at = read_line_ends(texts, source, start)
    return tuple(ends), at


def read_line_ends(texts: Sequence[str], source: str, start: int = 0) -> tuple[list[LineEnd], int]:
    """How each of a paragraph's lines (``texts``) ends for a reader, found by reading them
    against the paragraph's ``source`` text from ``start``; and where in the source they end.
    A line ends with a space where the source has whitespace (or a line break) after its last
    character; a hyphen at the end of a line that is not in the source was added by
    hyphenation. Where a line breaks inside a word of the source (at the word's own hyphen, in
    a URL), nothing is added. Lines that do not read as the source end as drawn."""
    ends: list[LineEnd] = []
    at, size = start, len(source)
    for text in texts:
        last = len(text.rstrip(_wsc))
        hyphen = -1
        for i in range(last):
            char = text[i]
            if char in _WHITESPACE:
                continue
            while at < size and (source[at] in _WHITESPACE or source[at] == _SOFT_HYPHEN):
                at += 1
            if at < size and source[at] == char:
                at += 1
            elif char == "-":  # added by hyphenation
                hyphen = i if i == last - 1 else -1
            else:
                return ends + [NO_END] * (len(texts) - len(ends)), at
        rest = at
        while rest < size and source[rest] == _SOFT_HYPHEN:
            rest += 1
        space = hyphen < 0 and last == len(text) and rest < size and source[rest] in _WHITESPACE
        ends.append(LineEnd(space, hyphen))
    return ends, at


def _over_the_limit(lines: Any) -> tuple[str, str] | None:
    """The word broken at the end of the line that makes ``MAX_IN_A_ROW`` + 1 hyphenated line
    ends in a row: its head (without the hyphen) and tail."""
    texts = [t.split() for t in line_texts(lines)]
    run = 0
    for words, following in pairwise(texts):
        if not (words and following and words[-1].endswith("-")):
            run = 0
            continue
        run += 1
        if run > MAX_IN_A_ROW:
            head = re.sub(r"^\W+", "", words[-1])[:-1]
            return head, re.sub(r"\W+$", "", following[0])
    return None


class TTable(Tagged, Table):
    """A table whose cells are TH/TD elements in TR rows, in one THead and one TBody; backgrounds
    and rules are artifacts. Cell flowables carry their TH/TD tags; the table adds the rows.
    The parts of a table split across pages share its THead and TBody, and a part's repeated
    header rows are artifacts."""

    def __init__(self, data: list[list[Any]], *args: Any, header_rows: int = 0, **kw: Any) -> None:
        # ReportLab makes the parts of a split table with Table's own signature.
        if header_rows:
            kw["repeatRows"] = header_rows
        super().__init__(data, *args, **kw)
        repeat = kw.get("repeatRows", 0)
        self.header_rows = header_rows or (repeat if isinstance(repeat, int) else 0)
        self.continued = False
        self.head = Tag("THead", marked=False)
        self.body = Tag("TBody", marked=False)
        self._renderCB = self._structure

    def split(self, width: float, height: float) -> list[Any]:
        parts = super().split(width, height)
        for i, part in enumerate(parts):
            part.head, part.body = self.head, self.body
            part.continued = self.continued or i > 0  # its header rows are a repeat
        return parts

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        # Every cell is a flowable that sets its own font and colour inside its tag: skip the
        # table's untagged per-cell font operators.
        self._curcellstyle = cellstyle
        super()._drawCell(cellval, cellstyle, pos, size)

    def _repeat(self, row: int) -> bool:
        return self.continued and row < self.header_rows

    def _structure(self, table: Table, event: str, *args: Any) -> None:
        canvas = self.canv
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is None:
            return
        if event in ("startBG", "startLines"):
            canvas._code.append("/Artifact BMC")
        elif event in ("endBG", "endLines"):
            canvas._code.append("EMC")
        elif event == "startRow":
            self._row_number = row = args[0]
            if row == 0 and not self.continued:
                tagger.begin(canvas, self.head)
            if row == self.header_rows:
                if not self.continued:
                    tagger.end(canvas, self.head)
                tagger.begin(canvas, self.body)
            if self._repeat(row):
                canvas._code.append("/Artifact BMC")
                tagger.suspended += 1
                return
            self._row = Tag("TR", marked=False)
            tagger.begin(canvas, self._row)
        elif event == "endRow":
            if self._repeat(self._row_number):
                tagger.suspended -= 1
                canvas._code.append("EMC")
                return
            tagger.end(canvas, self._row)
        elif event == "endTable":
            tagger.end(canvas, self.body)


class CellText(Tagged, Flowable):
    """A one-line table cell (a number, a year, Ja/Nej): far cheaper than a Paragraph, which
    matters with a hundred such cells in every variant's tables."""

    def __init__(self, text: str, style: Any) -> None:
        super().__init__()
        self.text, self.style = text, style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.style.leading

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        y = self.style.leading - style.fontSize
        font = getFont(style.fontName)
        if not font._dynamicFont or not canvas.bottomup:
            if style.alignment == 2:
                canvas.drawRightString(self.width, y, self.text)
            elif style.alignment == 1:
                canvas.drawCentredString(self.width / 2, y, self.text)
            else:
                canvas.drawString(0, y, self.text)
            return
        # What drawRightString, drawCentredString or drawString writes for a TrueType font,
        # without a text object for each of the hundred cells of a sheet.
        x = 0.0
        if style.alignment in (1, 2):
            width = stringWidth(self.text, style.fontName, style.fontSize)
            x = self.width - width if style.alignment == 2 else self.width / 2 - 0.5 * width
        shown, _ = ttf_text(font, self.text, canvas, canvas._fontsize, canvas._leading, -1)
        canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {shown} T* ET")


class ListItem(Flowable):
    """A list item: its label (Lbl) drawn in the indent, its body (LBody) a paragraph."""

    def __init__(self, label: str, body: TParagraph, text: str) -> None:
        super().__init__()
        self.label, self.body = label, body
        self.tag = Tag("LI", text, marked=False)
        self.label_tag = Tag("Lbl", label)
        body.tag = Tag("LBody", text)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.body.wrap(availWidth, availHeight)
        return self.width, self.height

    def identity(self) -> tuple[Any, ...] | None:
        """What sets it (``Columns`` remembers a run's balance by it): its body's."""
        body = self.body.identity()
        return None if body is None else ("li", body)

    def getSpaceAfter(self) -> float:
        return self.body.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.body.split(availWidth, availHeight)
        if len(parts) < 2:
            return []
        first = ListItem(self.label, parts[0], self.tag.text)
        first.tag, first.label_tag, parts[0].tag = self.tag, self.label_tag, self.body.tag
        rest = _Continued(parts[1], self.tag)
        return [first, rest]

    def draw(self) -> None:
        canvas, style = self.canv, self.body.style
        with group(canvas, self.tag):
            tagger: Tagger | None = getattr(canvas, "tagger", None)
            if tagger is not None:
                tagger.begin(canvas, self.label_tag)
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            canvas.drawString(0, self.height - style.fontSize, self.label)
            if tagger is not None:
                tagger.end(canvas, self.label_tag)
            self.body.drawOn(canvas, 0, 0)


class _Continued(Flowable):
    """The rest of a list item split across pages: more of the same LI and LBody."""

    def __init__(self, body: TParagraph, tag: Tag) -> None:
        super().__init__()
        self.body, self.tag = body, tag

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.body.wrap(availWidth, availHeight)
        return self.width, self.height

    def getSpaceAfter(self) -> float:
        return self.body.getSpaceAfter()

    def identity(self) -> tuple[Any, ...] | None:
        body = self.body.identity()
        return None if body is None else ("li-rest", body)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """A rest longer than a column splits again."""
        parts = self.body.split(availWidth, availHeight)
        return [_Continued(p, self.tag) for p in parts] if len(parts) > 1 else []

    def draw(self) -> None:
        with group(self.canv, self.tag):
            self.body.drawOn(self.canv, 0, 0)


class Group(Flowable):
    """Zero-size marker that opens (``start``) or closes a grouping element in the story."""

    def __init__(self, tag: Tag, start: bool) -> None:
        super().__init__()
        self.tag, self.start = tag, start
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def identity(self) -> tuple[Any, ...]:
        return ("group", self.start)  # no size: only where it stands counts

    def draw(self) -> None:
        tagger: Tagger | None = getattr(self.canv, "tagger", None)
        if tagger is not None:
            (tagger.begin if self.start else tagger.end)(self.canv, self.tag)


def grouped(tag: Tag, flowables: list[Flowable]) -> list[Flowable]:
    return [Group(tag, True), *flowables, Group(tag, False)]


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

    PADDING = 6.0

    def __init__(self, content: list[Flowable], width: float, padding: float = PADDING) -> None:
        super().__init__()
        self.content, self.box_width, self.padding = content, width, padding

    def identity(self) -> tuple[Any, ...] | None:
        """What sets it: its width, padding and content (None when an item cannot say)."""
        items = [layout_identity(f) for f in self.content]
        if any(item is None for item in items):
            return None
        return ("box", self.box_width, self.padding, *items)

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
    """Figur 1, drawn as vectors inside its Figure element (gridlines are artifacts). In a
    layout pass whose output is thrown away (``draft``), only its size matters."""

    def __init__(self, chart: Chart, draft: bool) -> None:
        super().__init__()
        self.chart, self.draft = chart, draft
        self.width, self.height = chart.width, chart.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if not self.draft:
            self.chart.draw(self.canv)
