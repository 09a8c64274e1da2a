"""Running text set in columns: a measure of 60–80 characters on a page as wide as A4's.

``Columns`` holds a run of text flowables (headings, paragraphs, lists, boxes) between the
elements that span the page (tables, figures). In a frame as wide as two columns it sets its
text in two, balanced (the shortest height that holds it all, the first column filled first);
in a frame one column wide in one. When the text does not fit
the rest of the frame, the columns are filled to its foot, one after the other, and the rest
goes on in the next frame. A ``CondPageBreak`` in the run (before a heading) ends the column
when too little of it is left, as it ends a frame. Flowables are drawn in reading order, the
first column first, so the structure tree follows the text.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, FrameBreak, Paragraph, Spacer

FUZZ = 1e-6
BALANCED_KEPT = 256  # balanced heights remembered (per process)
# The balanced height of a run of text, by what it depends on (``Columns._key``): most runs
# are the same in every variant of a sheet, and the balancing lays a run out a dozen times.
_BALANCED: OrderedDict[tuple[Any, ...], float | None] = OrderedDict()
TOLERANCE = 0.5  # pt: how closely the balanced height is searched
ASIDE_GAP = 12.0  # pt between the aside and the text below it


@dataclass(frozen=True)
class Placed:
    """A flowable in a column: ``top`` is its distance below the column's top."""

    flowable: Flowable
    top: float
    height: float


Column = list[Placed]


def fill(items: list[Flowable], width: float, height: float) -> tuple[Column, list[Flowable]]:
    """One column of ``width`` x ``height``: what it holds and what is left (a flowable that
    does not fit whole is split where it can be). Space before a column's first flowable is
    dropped, as at the top of a frame."""
    placed: Column = []
    used = 0.0
    for i, f in enumerate(items):
        if isinstance(f, CondPageBreak):
            if height - used < f.height:
                return placed, items[i:]
            continue
        space = f.getSpaceBefore() if placed else 0.0
        room = height - used - space
        h = f.wrap(width, room)[1]
        if h <= room + FUZZ:
            placed.append(Placed(f, used + space, h))
            used += space + h + f.getSpaceAfter()
            continue
        parts = _unshared(f).split(width, room) if room > 0 else []
        if parts:
            h = parts[0].wrap(width, room)[1]
            if h <= room + FUZZ:
                placed.append(Placed(parts[0], used + space, h))
                return placed, [*parts[1:], *items[i + 1 :]]
        return placed, items[i:]
    return placed, []


def _unshared(f: Flowable) -> Flowable:
    """``f`` with lines of its own: splitting a paragraph appends a space to each line's last
    fragment in place, and a paragraph's lines may be shared (``TParagraph``'s memo) with
    the same text in other layout passes and other sheets, which must not change with it."""
    body = getattr(f, "body", f)  # a list item splits its body
    lines = getattr(body, "blPara", None) if isinstance(body, Paragraph) else None
    if lines is not None and lines.kind == 1:
        copied = [line.clone(words=_own_end(line.words)) for line in lines.lines]
        body.blPara = lines.clone(lines=copied)
    return f


def _own_end(words: list[Any]) -> list[Any]:
    """A line's words, its last one that is not an empty marker and those after it copied:
    the word the split appends its space to (ReportLab's ``_split_blParaHard``)."""
    i = len(words) - 1
    while i >= 0 and hasattr(words[i], "cbDefn") and not getattr(words[i].cbDefn, "width", 0):
        i -= 1
    if i < 0:
        return list(words)  # no such word in this line: the one of a line before is copied
    return [*words[:i], *(w.clone() for w in words[i:])]


def layout_identity(f: Flowable) -> tuple[Any, ...] | None:
    """What sets ``f`` as this package's flowables say it (``identity()``, a tuple: a
    paragraph's text, style and fonts...); None for any other (ReportLab's ``identity`` is a
    description naming the object's address, which a later object may reuse)."""
    if isinstance(f, CondPageBreak | Spacer):  # (a CondPageBreak is a Spacer)
        return (type(f).__name__, getattr(f, "width", 0), f.height)
    identity = getattr(f, "identity", None)
    found = identity() if identity is not None else None
    return found if isinstance(found, tuple) else None


def depth(column: Column) -> float:
    """How far down the column its content reaches (space after the last flowable excluded)."""
    return max((p.top + p.height for p in column), default=0.0)


class Columns(Flowable):
    """A run of text flowables set in as many columns of about ``column`` width as the frame
    holds (one or two), ``gap`` apart; ``aside`` (page 1's side box) heads the first column:
    read before the text, which goes on below it and then in the second column."""

    def __init__(
        self,
        content: list[Flowable],
        column: float,
        gap: float,
        aside: Flowable | None = None,
        fixed: list[Column] | None = None,
    ) -> None:
        super().__init__()
        self.content, self.column, self.gap, self.aside = content, column, gap, aside
        self.fixed = fixed  # a part split off at a frame's foot: its columns are set
        self.columns: list[Column] = fixed or []
        self.drawn: list[tuple[Flowable, float]] = []  # (flowable, its top on the page)

    def count(self, width: float) -> int:
        return max(1, int((width + self.gap) / (self.column + self.gap) + FUZZ))

    def column_width(self, width: float) -> float:
        n = self.count(width)
        return (width - self.gap * (n - 1)) / n

    space_before: float | None = None  # a part split off: the whole's (it was given the room)

    def getSpaceBefore(self) -> float:
        if self.space_before is not None:
            return self.space_before
        return self.content[0].getSpaceBefore() if self.content and not self.aside else 0.0

    def getSpaceAfter(self) -> float:
        return self.content[-1].getSpaceAfter() if self.content else 0.0

    def _aside(self, width: float) -> float:
        """The height the aside takes at the head of its column, the gap below included."""
        if self.aside is None:
            return 0.0
        return self.aside.wrap(width, 10_000)[1] + ASIDE_GAP

    def layout(self, width: float, height: float) -> tuple[list[Column], list[Flowable]]:
        """The columns filled one after the other to ``height``, and what is left over."""
        n, cw = self.count(width), self.column_width(width)
        columns: list[Column] = []
        rest = self.content
        for i in range(n):
            skip = self._aside(cw) if i == 0 else 0.0
            column, rest = fill(rest, cw, height - skip)
            columns.append([Placed(p.flowable, p.top + skip, p.height) for p in column])
        return columns, rest

    def depth(self, columns: list[Column], width: float) -> float:
        aside = self._aside(self.column_width(width)) - ASIDE_GAP if self.aside else 0.0
        return max([aside, *(depth(c) for c in columns)])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if self.fixed is not None:
            self.height = self.depth(self.fixed, availWidth)
            return self.width, self.height
        key = self._key(availWidth, availHeight)
        columns: list[Column] | None = None
        if key is not None and key in _BALANCED:
            _BALANCED.move_to_end(key)
            high = _BALANCED[key]
            # What was remembered must still hold: the whole text at that height (or, for a
            # run the frame splits, not at this one), else the run is balanced anew.
            at = availHeight if high is None else high
            columns, rest = self.layout(availWidth, at)
            holds = not rest and self.depth([], availWidth) <= availHeight
            if holds == (high is None):
                columns = None
        if columns is None:
            high = self._balanced(availWidth, availHeight)
            if key is not None:
                _BALANCED[key] = high
                if len(_BALANCED) > BALANCED_KEPT:
                    _BALANCED.popitem(last=False)
            if high is not None:
                columns = self.layout(availWidth, high)[0]
        if high is None or columns is None:  # the frame splits it
            self.columns, self.height = [], availHeight + 1
            return self.width, self.height
        self.columns = columns
        self.height = self.depth(self.columns, availWidth)
        return self.width, self.height

    def _balanced(self, width: float, height: float) -> float | None:
        """The shortest height (within ``TOLERANCE``) whose columns hold all the text, or None
        when ``height`` does not hold it."""
        columns, rest = self.layout(width, height)
        if rest or self.depth([], width) > height:
            return None
        low, high = 0.0, self.depth(columns, width)
        while len(columns) > 1 and high - low > TOLERANCE:
            middle = (low + high) / 2
            if self.layout(width, middle)[1]:
                low = middle
            else:
                high = middle
        return high

    def _key(self, width: float, height: float) -> tuple[Any, ...] | None:
        """What the balanced height depends on: the text's flowables (by what sets them:
        a paragraph's text, style and fonts, a list item's label and body...), the column,
        gap and room. None when a flowable cannot say (it is balanced anew)."""
        parts: list[Any] = []
        for f in [*self.content, *([self.aside] if self.aside is not None else [])]:
            found = layout_identity(f)
            if found is None:
                return None
            parts.append(found)
        if self.aside is not None:
            parts.append("aside")
        return (tuple(parts), self.column, self.gap, width, height)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.fixed is not None or self.depth([], availWidth) > availHeight:
            return []
        columns, rest = self.layout(availWidth, availHeight)
        if not any(columns) and self.aside is None:
            return []
        content = [p.flowable for c in columns for p in c]
        first = Columns(content, self.column, self.gap, self.aside, columns)
        first.space_before = self.getSpaceBefore()  # a CondPageBreak's 0, not a heading's
        return [first, Columns(rest, self.column, self.gap)] if rest else [first]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.origin = y
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        cw = self.column_width(self.width)
        placed = [(i, p) for i, column in enumerate(self.columns) for p in column]
        if self.aside is not None:  # read first
            height = self._aside(cw) - ASIDE_GAP
            placed.insert(0, (0, Placed(self.aside, 0.0, height)))
        self.drawn = []
        for i, p in placed:
            p.flowable.drawOn(self.canv, i * (cw + self.gap), self.height - p.top - p.height)
            self.drawn.append((p.flowable, self.origin + self.height - p.top))


class FullWidth(Flowable):
    """Moves on, frame by frame, to one at least ``width`` wide: a table or a figure that spans
    the page is never set in page 1's column (nor beside its side box)."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.need = width
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth + 0.5 < self.need:
            frame = self._doctemplateAttr("frame")
            if frame is not None:
                frame.add_generated_content(FrameBreak(), FullWidth(self.need))
        return 0, 0

    def draw(self) -> None:
        pass
