"""Page templates, footnotes, footer, metadata: a resolved ``Document`` -> PDF bytes.

Footnotes are real: the notes called on a page are set at the foot of that page. The body frame
of each page is shortened by the notes reserved for it (the plan); which notes land on which page
is learnt by laying out, and the layout is repeated until every note drawn on a page fits its
reservation (usually two passes; a plan from a build of similar content saves one). When a
reservation pushes the call onto the next page, the plan keeps both reservations, as a
typesetter would, so the layout cannot oscillate.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from factsheet import __version__
from factsheet.errors import RenderError
from factsheet.model.document import Document
from factsheet.render import theme
from factsheet.render.columns import Columns
from factsheet.render.finish import Meta, finish
from factsheet.render.flowables import ShadedBox, TParagraph
from factsheet.render.story import Layout, wrap_height
from factsheet.render.tagging import Node, Tag, Tagger, artifact, group

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 32.0, 44.0, 54.0
TEXT_W = PAGE_W - 2 * MARGIN_X
# Two columns of running text: about 61 characters a line of 8.5 pt body (issue 15: 60-80).
GUTTER = 14.0
COLUMN_W = (TEXT_W - GUTTER) / 2
BOX_W = COLUMN_W  # page 1's side box heads the first column
NOTE_GAP = 12.0
MAX_PASSES = 4
CREATOR = f"factsheet {__version__}"
PRODUCER = f"factsheet {__version__} (ReportLab)"

NotePlan = dict[int, tuple[str, ...]]


@dataclass(frozen=True)
class Guess:
    """Where the footnotes went in a similar document: reservations and pushed calls."""

    plan: NotePlan
    pushed: frozenset[str] = frozenset()


@dataclass
class Planned:
    """A layout without a PDF: how many pages, and where the footnotes went."""

    pages: int
    guess: Guess


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    guess: Guess
    tagger: Tagger


class TaggedCanvas(Canvas):
    """Tells the tagger about every link annotation, so it becomes a Link element."""

    _state_of = itemgetter(*Canvas.STATE_ATTRIBUTES)

    def push_state_stack(self) -> None:
        # ReportLab's, with the state kept as a tuple: every flowable drawn saves and
        # restores the canvas state (hundreds of times a sheet).
        self.state_stack.append(self._state_of(self.__dict__))
        state: Any = self.__dict__["_extgstate"]
        self._extgstate = state.pushCopy()

    def pop_state_stack(self) -> None:
        self.__dict__.update(zip(Canvas.STATE_ATTRIBUTES, self.state_stack.pop(), strict=True))

    def linkRect(self, contents: Any, destinationname: str, *args: Any, **kw: Any) -> Any:
        result = super().linkRect(contents, destinationname, *args, **kw)
        if getattr(self, "tagger", None) is not None and kw.get("addtopage", 1):
            self.tagger.annotation(self, "#" + destinationname)
        return result

    def linkURL(self, url: str, rect: Any, *args: Any, **kw: Any) -> None:
        super().linkURL(url, rect, *args, **kw)
        if getattr(self, "tagger", None) is not None:
            self.tagger.annotation(self, url)


class _SheetTemplate(BaseDocTemplate):
    """The fact sheet: page 1 with title, side box and body; then body pages with footnotes."""

    def __init__(self, buffer: io.BytesIO, doc: Document, layout: Layout, plan: NotePlan) -> None:
        self.sheet, self.layout, self.plan = doc, layout, plan
        self.total = doc.pages  # printed as {pages}: the budget until the count is known
        self.note_pages: dict[str, int] = {}
        self.outline: list[str] = []
        self.note_calls: dict[str, Node] = {}
        self.overflow = 0.0
        self.notes = {n: layout.footnote(n, text) for n, text in doc.footnotes}
        self.mark_tag = Tag("P", doc.synthetic_mark)
        self.meta = meta = _meta(doc)
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=meta.keywords,
            creator=meta.creator,
            producer=meta.producer,
            invariant=1,
            lang=meta.language,
            initialFontName=theme.font_name("regular"),
            displayDocTitle=1,
        )

    # --- geometry -----------------------------------------------------------------------
    def note_height(self, page: int) -> float:
        notes = [self.notes[n] for n in self.plan.get(page, ())]
        return _note_depth(note_columns(notes)) + NOTE_GAP if notes else 0.0

    def build_templates(self, front_height: float) -> None:
        """Page 1: the title across the page, then the side box and the text in two columns;
        then pages of two columns. Tables and figures span the page."""
        top = PAGE_H - MARGIN_TOP
        first = [
            Frame(MARGIN_X, top - front_height, TEXT_W, front_height, 0, 0, 0, 0, id="front"),
            self._body_frame(1, MARGIN_X, TEXT_W, top - front_height),
        ]
        templates = [
            PageTemplate(
                "p1", first, onPage=self._mark, onPageEnd=self._decorate, autoNextPageTemplate="p2"
            )
        ]
        for page in range(2, self.sheet.pages + 2):
            nxt = f"p{min(page + 1, self.sheet.pages + 1)}"
            templates.append(
                PageTemplate(
                    f"p{page}",
                    [self._body_frame(page, MARGIN_X, TEXT_W, top)],
                    onPage=self._mark,
                    onPageEnd=self._decorate,
                    autoNextPageTemplate=nxt,
                )
            )
        self.addPageTemplates(templates)

    def _body_frame(self, page: int, x: float, width: float, top: float) -> Frame:
        bottom = MARGIN_BOTTOM + self.note_height(page)
        return Frame(x, bottom, width, top - bottom, 0, 0, 0, 0, id=f"body{page}")

    # --- hooks --------------------------------------------------------------------------
    def beforeDocument(self) -> None:
        canvas = self.canv
        canvas.tagger = Tagger(self._link_text)
        canvas.showOutline()  # the reader opens with the bookmarks shown
        canvas.setNamedCB("note", self._note_drawn)
        stamp = self.sheet.published.strftime("D:%Y%m%d000000+00'00'")  # type: ignore[attr-defined]
        canvas.setDateFormatter(lambda *_: stamp)

    def _link_text(self, target: str) -> str:
        """/Contents of a link annotation: where it leads, in words."""
        for prefix, text in (
            ("#note-", self.sheet.note_link),
            ("#ref-", self.sheet.reference_link),
            ("#call-", self.sheet.note_back),
        ):
            if target.startswith(prefix):
                return text.replace("{n}", target[len(prefix) :])
        return target.removeprefix("mailto:")

    def _mark(self, canvas: Any, _doc: Any) -> None:
        """The synthetic-data mark: content on page 1 (read first), an artifact on the others."""
        if not self.sheet.synthetic_mark:
            return
        page = canvas.getPageNumber()
        with group(canvas, self.mark_tag) if page == 1 else artifact(canvas):
            canvas.saveState()
            canvas.setFont(theme.font_name("bold"), 8)
            canvas.setFillColor(theme.SYNTHETIC)
            canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 28, self.sheet.synthetic_mark)
            canvas.restoreState()

    def _note_drawn(self, canvas: Any, kind: str, label: str) -> None:
        self.note_pages.setdefault(label, canvas.getPageNumber())
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is not None:  # the element that calls the note (its paragraph)
            self.note_calls.setdefault(label, tagger.stack[-1])

    def afterFlowable(self, flowable: Any) -> None:
        self._bookmark(flowable)
        if self.page > self.sheet.pages:
            self.overflow += getattr(flowable, "height", 0) + flowable.getSpaceAfter()
            if self.page > self.sheet.pages + 1:  # a whole page over: no use going on
                raise _OverBudget

    def _bookmark(self, flowable: Any) -> None:
        """An outline entry (bookmark) for every heading, at its level: H1 the top."""
        if isinstance(flowable, Columns):
            for item, top in flowable.drawn:
                self._bookmark_at(item, top)
        else:
            self._bookmark_at(flowable, None)

    def _bookmark_at(self, flowable: Any, top: float | None) -> None:
        headings = flowable.content if isinstance(flowable, ShadedBox) else [flowable]
        for item in headings:
            tag = getattr(item, "tag", None)
            if tag is None or tag.role not in ("H1", "H2", "H3") or not tag.text:
                continue
            key = f"heading-{len(self.outline)}"
            if top is None:  # drawn straight into the frame, which is now below it
                top = self.frame._y + getattr(flowable, "height", 0)
            self.canv.bookmarkHorizontalAbsolute(key, top)
            self.canv.addOutlineEntry(tag.text, key, int(tag.role[1]) - 1, closed=False)
            self.outline.append(tag.text)

    def _decorate(self, canvas: Any, _doc: Any) -> None:
        page = canvas.getPageNumber()
        self._draw_notes(canvas, page)
        styles = theme.styles()
        with artifact(canvas):
            canvas.saveState()
            canvas.setStrokeColor(theme.RULE)
            canvas.setLineWidth(0.4)
            canvas.line(MARGIN_X, MARGIN_BOTTOM - 22, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 22)
            canvas.setFont(styles.footer.fontName, styles.footer.fontSize)
            canvas.setFillColor(theme.MUTED)
            canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 33, self.sheet.footer)
            label = self.sheet.page_label.format(page=page, pages=self.total)
            canvas.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 33, label)
            canvas.restoreState()

    def _draw_notes(self, canvas: Any, page: int) -> None:
        numbers = [
            n for n, p in sorted(self.note_pages.items(), key=lambda i: int(i[0])) if p == page
        ]
        if not numbers:
            return
        if not set(numbers) <= set(self.plan.get(page, ())):
            return  # not reserved here: this pass only learns where the calls fall
        columns = note_columns([self.notes[n] for n in numbers])
        top = MARGIN_BOTTOM + _note_depth(columns)
        with artifact(canvas):
            canvas.saveState()
            canvas.setStrokeColor(theme.RULE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN_X, top + NOTE_GAP / 2, MARGIN_X + 60, top + NOTE_GAP / 2)
            canvas.restoreState()
        for i, column in enumerate(columns):  # read in order: the first column first
            y = top
            for note in column:
                y -= note.wrap(COLUMN_W, PAGE_H)[1]
                note.drawOn(canvas, MARGIN_X + i * (COLUMN_W + GUTTER), y)
                y -= note.getSpaceAfter()


def note_columns(notes: list[TParagraph]) -> list[list[TParagraph]]:
    """A page's footnotes in (at most) two columns of the body's measure, in order, the first
    column the deeper: a note line of about 80 characters, not 160 across the page."""
    if len(notes) < 2:
        return [notes]
    splits = [[notes[:k], notes[k:]] for k in range(1, len(notes))]
    fitting = [s for s in splits if _depth(s[0]) >= _depth(s[1])] or splits
    return min(fitting, key=_note_depth)


def _depth(column: list[TParagraph]) -> float:
    return wrap_height(column, COLUMN_W)


def _note_depth(columns: list[list[TParagraph]]) -> float:
    return max(_depth(c) for c in columns)


class _OverBudget(Exception):
    """Raised from ``afterFlowable`` when the layout has filled a page beyond the budget."""


def _plan_of(note_pages: dict[str, int]) -> NotePlan:
    plan: dict[int, list[str]] = {}
    for number, page in sorted(note_pages.items(), key=lambda item: int(item[0])):
        plan.setdefault(page, []).append(number)
    return {page: tuple(numbers) for page, numbers in plan.items()}


def _merge(a: NotePlan, b: NotePlan) -> NotePlan:
    pages = sorted(set(a) | set(b))
    return {p: tuple(sorted(set(a.get(p, ())) | set(b.get(p, ())), key=int)) for p in pages}


def plan_notes(doc: Document, guess: Guess | None = None) -> Planned:
    """Lay the document out as ``render`` does, without drawing the charts or writing a PDF:
    where its footnotes go and how many pages it takes (RenderError when it overflows its
    page budget). ``check`` uses it, and a variant starts from the national sheet's plan."""
    template, plan, pushed = _lay_out(doc, guess, write=False)
    return Planned(template.page, Guess(plan, pushed))


def render(doc: Document, guess: Guess | None = None) -> Rendered:
    """Lay out and write the PDF; RenderError when the content overflows its page budget.

    ``guess`` (from the national sheet, for a variant) usually makes the first pass final.
    The result depends only on the document and the guess, so it is deterministic."""
    template, plan, pushed = _lay_out(doc, guess, write=True)
    tagger = template.canv.tagger
    _notes_after_calls(tagger, template.note_calls)
    pdf = finish(template.canv, tagger, template.meta)
    return Rendered(pdf, template.page, Guess(plan, pushed), tagger)


def _lay_out(
    doc: Document, guess: Guess | None, write: bool
) -> tuple[_SheetTemplate, NotePlan, frozenset[str]]:
    """The passes of the layout until the footnotes settle: the final pass's template (its
    canvas not yet saved), the note plan and the pushed calls. Without ``write`` every pass is
    a draft (no chart drawn)."""
    plan = dict(guess.plan) if guess else {}
    pushed = guess.pushed if guess else frozenset()
    charts: dict[int, Any] = {}
    called = {number for number, _ in doc.footnotes}
    total = doc.pages
    for _ in range(MAX_PASSES + 1):
        buffer = io.BytesIO()
        placed = frozenset(n for numbers in plan.values() for n in numbers)
        # A pass without room for every called note cannot be the final one: a draft.
        layout = Layout(
            doc,
            TEXT_W,
            COLUMN_W,
            placed,
            charts,
            draft=not write or not called <= placed,
            pushed=pushed,
        )
        template = _SheetTemplate(buffer, doc, layout, plan)
        template.total = total
        template._doSave = 0  # saved below, once the pass is known to be final
        front = layout.front()
        front_height = wrap_height(front, TEXT_W) + 6
        box = layout.side_box()
        box_room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - front_height - template.note_height(1)
        if box.wrap(BOX_W, box_room)[1] > box_room:
            raise RenderError(
                f"page 1: the side box is {box.height - box_room:.0f} pt taller than "
                f"the space beside the body ({box_room:.0f} pt); shorten its items"
            )
        template.build_templates(front_height)
        body = layout.body(box)
        _charts_fit(doc, charts)
        try:
            template.build([*front, FrameBreak(), *body], canvasmaker=TaggedCanvas)
        except _OverBudget:  # stopped a page after the budget: the rest is not laid out
            lines = template.overflow / theme.styles().body.leading
            raise RenderError(
                f"page {doc.pages} overflows by more than a page (at least "
                f"{template.overflow:.0f} pt, about {lines:.0f} "
                f"lines of body text; the layout stopped there): the content needs more than the "
                f"{doc.pages} pages set by 'pages'; shorten the text or move a page_break"
            ) from None
        except LayoutError:  # a block that cannot be split is taller than a page
            raise RenderError(
                f"page {template.page}: a block is taller than the page and cannot be split "
                f"(the content needs more than the {doc.pages} pages set by 'pages'); "
                "shorten the text"
            ) from None
        found = _plan_of(template.note_pages)
        if all(set(notes) <= set(plan.get(page, ())) for page, notes in found.items()):
            if (
                template.page == total
                or template.page > doc.pages
                or "{pages}" not in doc.page_label
            ):
                break
            total = template.page  # fewer pages than the budget: print the real count
            continue
        # A reservation that pushed its own call onto the next page: start the calling
        # paragraph on that page instead (once); otherwise reserve on both pages.
        moved = {
            n
            for page, notes in plan.items()
            for n in notes
            if template.note_pages.get(n, page) > page
        }
        if moved and not pushed:
            pushed, plan = frozenset(moved), found
        else:
            plan = found if not plan else _merge(plan, found)
    else:
        raise RenderError(
            f"footnotes: their placement did not settle after {MAX_PASSES} layout passes"
        )
    if template.page > doc.pages:
        raise RenderError(
            f"page {doc.pages} overflows by {template.overflow:.0f} pt (about "
            f"{template.overflow / theme.styles().body.leading:.0f} lines of body text): the "
            f"content needs more than the {doc.pages} pages set by 'pages'; shorten the text or "
            "move a page_break"
        )
    return template, plan, pushed


def _charts_fit(doc: Document, charts: dict[int, Any]) -> None:
    """RenderError for a chart taller than a page's text area (a bar chart of hundreds of
    kommuner): said with its figure and size, before the layout fails without them."""
    room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 60  # its caption and source line above, below
    for number, chart in sorted(charts.items()):
        if chart.height > room:
            bars = len(chart.data.bars)
            raise RenderError(
                f"{doc.figure_label} {number}: its {bars} bars make the chart "
                f"{chart.height:.0f} pt tall, more than a page holds ({room:.0f} pt); show fewer "
                "(max_bars, or county: for the kommuner of one län)"
            )


def _notes_after_calls(tagger: Tagger, calls: dict[str, Node]) -> None:
    """Move each footnote's Note element from the foot of its page to just after the element
    that calls it, so that a screen reader reads the note after the sentence it explains."""
    parents = {id(k): n for _, n in tagger.walk() for k in n.kids if isinstance(k, Node)}
    notes = {n.tag.ident: n for _, n in tagger.walk() if n.tag.role == "Note"}
    for number, call in sorted(calls.items(), key=lambda item: -int(item[0])):
        note = notes.get(f"note-{number}")
        host = parents.get(id(call))
        if note is None or host is None or id(note) not in parents:
            continue
        parents[id(note)].kids.remove(note)
        host.kids.insert(host.kids.index(call) + 1, note)
        parents[id(note)] = host


def _meta(doc: Document) -> Meta:
    """The document information, the same in the Info dictionary and the XMP metadata."""
    return Meta(
        title=doc.meta_title,
        author=doc.meta_author,
        subject=doc.meta_subject,
        keywords=", ".join(doc.meta_keywords),
        creator=CREATOR,
        producer=PRODUCER,
        language=doc.language,
        date=doc.published.strftime("%Y-%m-%dT00:00:00+00:00"),  # type: ignore[attr-defined]
    )
