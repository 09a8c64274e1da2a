"""Tagged PDF: marked content on the page and the structure tree it belongs to.

Every content flowable is drawn through ``Tagged.drawOn`` and every decoration inside
``artifact``; both write marked-content operators (``/P <</MCID 3>> BDC ... EMC``,
``/Artifact BMC ... EMC``) into the page stream and record, in a ``Tagger``, which structure
element owns each marked-content id. ``finish.py`` then writes that tree into the PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


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

    def begin(self, canvas: Any, tag: Tag) -> None:
        if self.suspended:
            return
        node = self.nodes.get(id(tag))
        if node is None:
            node = self.nodes[id(tag)] = Node(tag)
            self.stack[-1].kids.append(node)
        self.stack.append(node)
        if tag.marked:
            page = canvas.getPageNumber()
            mcid = self.next_mcid.get(page, 0)
            self.next_mcid[page] = mcid + 1
            node.kids.append(("mcid", page, mcid))
            canvas._code.append(f"/{tag.role} <</MCID {mcid}>> BDC")

    def end(self, canvas: Any, tag: Tag) -> None:
        if self.suspended:
            return
        if tag.marked:
            canvas._code.append("EMC")
        self.stack.pop()

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
        node = self.stack[-1]
        page = canvas.getPageNumber()
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        node.kids.append(("mcid", page, mcid))
        canvas._code.append(f"/{node.tag.role} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            canvas._code.append("EMC")

    def annotation(self, canvas: Any, target: str) -> None:
        """A link annotation was added to the current page: a Link element in the current one."""
        page = canvas.getPageNumber()
        index = self.next_annot.get(page, 0)
        self.next_annot[page] = index + 1
        link = Node(Tag("Link", marked=False), contents=self.link_text(target))
        link.kids.append(("annot", page, index))
        self.stack[-1].kids.append(link)

    def walk(self) -> Iterator[tuple[int, Node]]:
        """(depth, node) in reading order, the Document root first."""
        todo: list[tuple[int, Node]] = [(0, self.root)]
        while todo:
            depth, node = todo.pop()
            yield depth, node
            todo.extend((depth + 1, k) for k in reversed(node.kids) if isinstance(k, Node))


class Tagged:
    """Mixin for flowables: drawing is bracketed by the tag; split parts keep the same tag."""

    tag: Tag | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is not None and self.tag is not None:
            tagger.begin(canvas, self.tag)
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            tagger.end(canvas, self.tag)
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
