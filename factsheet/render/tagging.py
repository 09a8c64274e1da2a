"""Tagged PDF: marked content on the page and the structure tree it belongs to.

Every content flowable is drawn through ``Tagged.drawOn`` and every decoration inside
``artifact``; both write marked-content operators (``/P <</MCID 3>> BDC ... EMC``,
``/Artifact BMC ... EMC``) into the page stream and record, in a ``Tagger``, which structure
element owns each marked-content id. ``finish.py`` then writes that tree into the PDF.

A paragraph's text is written by a ``TaggedText``, which keeps its marked content inside the
text object (BDC/EMC and BT/ET must nest): the text of a link is a marked-content sequence of
its Link element, beside the link annotation, and every line ends so that the text reads on
as words (a space at a line end between words; a hyphen added by hyphenation reads as a soft
hyphen), the way a screen reader or text extraction reads it (ISO 32000-1, 14.8.2).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject


@dataclass(frozen=True, eq=False)
class Tag:
    """A structure element: a standard structure type (H1, P, Table, TH, Figure, Note ...).

    ``marked``: the element owns marked content (its drawing); grouping elements (Table, TR,
    L, LI, Sect) only hold other elements. ``attrs`` become the element's /A dictionary
    (e.g. ``Scope``), ``alt`` its /Alt, ``ident`` its /ID, ``headers`` its /Headers.
    Identity matters, not value: the parts of a split paragraph share one Tag, so one element.
    """

    role: str
    text: str = ""
    marked: bool = True
    attrs: tuple[tuple[str, str], ...] = ()
    alt: str = ""
    ident: str = ""
    headers: tuple[str, ...] = ()


@dataclass
class Node:
    """A structure element in the tree, with its kids in reading order."""

    tag: Tag
    kids: list[Node | tuple[str, int, int]] = field(
        default_factory=list
    )  # ("mcid"|"annot", page, n)
    contents: str = ""  # a Link's annotation /Contents


class Tagger:
    """Writes marked content on the canvas and builds the structure tree as it is drawn."""

    def __init__(self, link_text: Any = None) -> None:
        self.root = Node(Tag("Document", marked=False))
        self.stack: list[Node] = [self.root]
        self.nodes: dict[int, Node] = {}
        self.next_mcid: dict[int, int] = {}
        self.next_annot: dict[int, int] = {}
        self.artifact_depth = 0
        self.suspended = 0  # inside a repeated table header (an artifact): record nothing
        self.link_text = link_text or (lambda target: target)
        self.expected: dict[str, list[Node]] = {}  # link target -> Link elements, in order

    def begin(self, canvas: Any, tag: Tag, inline: bool = False) -> None:
        """Open ``tag``'s element inside the current one; ``inline``: its marked content is
        written by the flowable itself (a ``TaggedText``), not around its drawing."""
        if self.suspended:
            return
        node = self.nodes.get(id(tag))
        if node is None:
            node = self.nodes[id(tag)] = Node(tag)
            self.stack[-1].kids.append(node)
        self.stack.append(node)
        if tag.marked and not inline:
            canvas._code.append(self.open(canvas, node))

    def end(self, canvas: Any, tag: Tag, inline: bool = False) -> None:
        if self.suspended:
            return
        if tag.marked and not inline:
            canvas._code.append("EMC")
        self.stack.pop()

    def open(self, canvas: Any, node: Node) -> str:
        """A new marked-content id of ``node`` on the current page: the operator that opens
        its sequence."""
        page = canvas.getPageNumber()
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        node.kids.append(("mcid", page, mcid))
        return f"/{node.tag.role} <</MCID {mcid}>> BDC"

    def take_back(self, canvas: Any, node: Node) -> None:
        """Forget the id that ``open`` gave ``node`` last (its sequence stayed empty)."""
        page = canvas.getPageNumber()
        mcid = self.next_mcid[page] - 1
        node.kids.remove(("mcid", page, mcid))
        self.next_mcid[page] = mcid

    @contextmanager
    def artifact(self, canvas: Any) -> Iterator[None]:
        canvas._code.append("/Artifact BMC")
        self.artifact_depth += 1
        try:
            yield
        finally:
            self.artifact_depth -= 1
            canvas._code.append("EMC")

    @contextmanager
    def marked(self, canvas: Any) -> Iterator[None]:
        """One more marked-content sequence of the current (grouping) element, for content that
        alternates with artifacts (a chart between its gridlines): artifacts may not nest."""
        canvas._code.append(self.open(canvas, self.stack[-1]))
        try:
            yield
        finally:
            canvas._code.append("EMC")

    def link(self, parent: Node, target: str) -> Node:
        """A new Link element, the last kid of ``parent``, for a link to ``target``."""
        link = Node(Tag("Link"), contents=self.link_text(target))
        parent.kids.append(link)
        return link

    def expect(self, target: str, link: Node) -> None:
        """The next annotation for ``target`` belongs to ``link`` (which holds its text)."""
        self.expected.setdefault(target, []).append(link)

    def annotation(self, canvas: Any, target: str) -> None:
        """A link annotation was added to the current page: it goes in the Link element that
        holds the link's text, or in a new Link element in the current one."""
        page = canvas.getPageNumber()
        index = self.next_annot.get(page, 0)
        self.next_annot[page] = index + 1
        waiting = self.expected.get(target)
        link = waiting.pop(0) if waiting else self.link(self.stack[-1], target)
        link.kids.append(("annot", page, index))

    def walk(self) -> Iterator[tuple[int, Node]]:
        """(depth, node) in reading order, the Document root first."""
        todo: list[tuple[int, Node]] = [(0, self.root)]
        while todo:
            depth, node = todo.pop()
            yield depth, node
            todo.extend((depth + 1, k) for k in reversed(node.kids) if isinstance(k, Node))


class Tagged:
    """Mixin for flowables: drawing is bracketed by the tag; split parts keep the same tag.
    ``inline``: the flowable writes its element's marked content itself (``TaggedText``)."""

    tag: Tag | None = None
    inline = False

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is not None and self.tag is not None:
            tagger.begin(canvas, self.tag, self.inline)
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            tagger.end(canvas, self.tag, self.inline)
        else:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]

    def split(self, width: float, height: float) -> list[Any]:
        parts = super().split(width, height)  # type: ignore[misc]
        for part in parts:
            if isinstance(part, Tagged):
                part.tag = self.tag
        return parts


@contextmanager
def artifact(canvas: Any) -> Iterator[None]:
    """Draw decorations (rules, backgrounds, footer, page numbers) inside this block."""
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    if tagger is None:
        yield
        return
    with tagger.artifact(canvas):
        yield


@contextmanager
def marked(canvas: Any) -> Iterator[None]:
    """Content of the current grouping element (see ``Tagger.marked``)."""
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    if tagger is None:
        yield
        return
    with tagger.marked(canvas):
        yield


@contextmanager
def group(canvas: Any, tag: Tag) -> Iterator[None]:
    """A grouping element (no marked content of its own) around what is drawn inside."""
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    if tagger is None:
        yield
        return
    tagger.begin(canvas, tag)
    try:
        yield
    finally:
        tagger.end(canvas, tag)


@dataclass(frozen=True)
class LineEnd:
    """How a line of a paragraph ends for a reader of its text: ``space``, a space glyph after
    the line's last character (the line breaks between words); ``hyphen``, the index in the
    line's text of a hyphen that hyphenation added (-1: none)."""

    space: bool = False
    hyphen: int = -1


NO_END = LineEnd()
# A hyphen added at a line break is a soft hyphen to a reader (ISO 32000-1, 14.8.2.2.3):
# marked content whose ActualText is U+00AD, which a screen reader skips.
SOFT_HYPHEN = "/Span <</ActualText <FEFF00AD>>> BDC"


def _shows(code: Sequence[str]) -> bool:
    """Whether text-object code paints any text."""
    return any(" Tj" in op or " TJ" in op for op in code)


def _target(href: str) -> str:
    """A link's target as ``TaggedCanvas`` reports its annotation."""
    return "#" + href[len("document:") :] if href.startswith("document:") else href


def ttf_text(
    font: Any, text: str, canvas: Any, size: float, leading: float, current: int
) -> tuple[str, int]:
    """The operators ReportLab's text object writes to show ``text`` in a TrueType ``font``
    (``PDFTextObject._formatText``, unshaped), starting in subset ``current`` (-1: none yet);
    and the subset it ends in."""
    doc, escape = canvas._doc, canvas._escape
    out = []
    head = ""
    for subset, run in font.splitString(text, doc):
        if subset != current:
            head = head or f"{fp_str(size)} Tf {fp_str(leading)} TL"
            out.append(f"{font.getSubsetInternalName(subset, doc)} {head}")
            current = subset
        out.append(f"({escape(run)}) Tj")
    return " ".join(out), current


class TaggedText(PDFTextObject):
    """The text object of a tagged paragraph (see the module doc). ReportLab's paragraph
    draws each line through ``_textOut`` (the line's last call with ``TStar``) and reports
    where a link's text starts and ends through ``_linkRecord``; ``ends`` says how each line
    ends; ``links``, the links of a paragraph that is one link as a whole (ReportLab reports
    none for those)."""

    def __init__(
        self,
        canvas: Any,
        x: float,
        y: float,
        tagger: Tagger,
        node: Node,
        ends: Sequence[LineEnd],
        links: Sequence[tuple[Any, str]] = (),
        lines: int = 0,
    ) -> None:
        super().__init__(canvas, x, y)
        self._tagger, self._owner, self._ends = tagger, node, ends
        self._current = node
        self._opened = 0  # where the current sequence's drawing starts in the code
        self._line = self._done = 0  # the line being drawn, its characters drawn so far
        self._text_at = 0  # where the code of the last text drawn starts
        self._line_end_at = -1  # where the code that ends a line starts, just after it
        self._links: dict[Any, Node] = {}
        if links:  # one Link element holds the text, each line has an annotation per link
            first = self._links[links[0]] = tagger.link(node, links[0][1])
            for key in links[1:]:
                self._links[key] = tagger.link(node, key[1])
            for _ in range(lines):
                for key in links:
                    tagger.expect(_target(key[1]), self._links[key])
            node = first
        self._open(node)

    def _open(self, node: Node) -> None:
        self._current = node
        self._code.append(self._tagger.open(self._canvas, node))
        self._opened = len(self._code)

    def _close(self) -> None:
        if _shows(self._code[self._opened :]):
            self._code.append("EMC")
        else:  # nothing drawn: no sequence
            del self._code[self._opened - 1]
            self._tagger.take_back(self._canvas, self._current)

    def _switch(self, at: int, node: Node) -> None:
        """End the current sequence at code index ``at``, and draw what follows in a new one
        of ``node``."""
        at = max(at, self._opened)
        tail = self._code[at:]
        del self._code[at:]
        self._close()
        self._open(node)
        if self._line_end_at >= at:  # the line's end moves with the tail
            self._line_end_at += len(self._code) - at
        self._code.extend(tail)

    def _formatText(self, text: str) -> str:
        """ReportLab's, for the text of a paragraph in a TrueType font (all of it), without
        its generality: the same operators, several times a line."""
        font = getFont(self._fontname)
        if not font._dynamicFont or (font.shapable and isinstance(text, ShapedStr)):
            return str(super()._formatText(text))
        canvas = self._canvas
        shown, self._curSubset = ttf_text(
            font, text, canvas, self._fontsize, self._leading, self.__dict__["_curSubset"]
        )
        return shown

    def _textOut(self, text: str, TStar: int = 0) -> None:
        end = self._ends[self._line] if self._line < len(self._ends) else NO_END
        self._text_at = len(self._code)
        self._line_end_at = -1
        cut = end.hyphen - self._done
        if 0 <= cut < len(text) and text[cut] == "-":
            if cut:
                self._code.append(self._formatText(text[:cut]))
            self._code.append(f"{SOFT_HYPHEN} {self._formatText('-')} EMC")
            if text[cut + 1 :]:
                self._code.append(self._formatText(text[cut + 1 :]))
        elif text:
            self._code.append(self._formatText(text))
        self._done += len(text)
        if TStar:
            self._line_end_at = len(self._code)
            if end.space:
                self._code.append(self._formatText(" "))
            self._code.append("T*")
            self._line += 1
            self._done = 0

    def _linkRecord(self, key: Any, what: str) -> None:
        if what == "start":  # reported just after the link's first text of the line
            link = self._links.get(key)
            if link is None:
                link = self._links[key] = self._tagger.link(self._owner, key[1])
            self._switch(self._text_at, link)
            self._tagger.expect(_target(key[1]), link)
        else:  # a line's end (space and all) is not part of the link
            at = self._line_end_at if self._line_end_at >= 0 else len(self._code)
            self._switch(at, self._owner)

    def getCode(self) -> str:
        self._close()
        return str(super().getCode())
