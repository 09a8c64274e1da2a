"""Figur 1: a horizontal bar chart laid out by matplotlib and drawn as vectors in the PDF.

matplotlib (object API, never pyplot) lays the chart out in ``chart_mpl``; a small recording
renderer turns its paths and text into a display list of canvas operations, which ``draw``
replays onto the ReportLab canvas: text stays text in the bundled font, nothing is rasterised,
there is no SVG round trip. The display list depends only on the chart's data, its size and the
fonts (the labels are placed by their metrics), so it is kept in the store the pipeline hands
in (``memo``, the build cache): a rebuild, or
another variant with the same chart, does not import matplotlib at all. The PDF is the same
either way, since both paths replay the same list.
"""

from __future__ import annotations

from dataclasses import asdict
from itertools import groupby

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from factsheet.render import memo, theme
from factsheet.render.chartdata import ChartData, Op
from factsheet.render.tagging import Tag, artifact, group, marked

LAYOUT = 2  # the version of chart_mpl's layout: part of the cache key
TREND_HEIGHT = 150.0
LEGEND_HEIGHT = 14.0


def height_of(data: ChartData, row_height: float) -> float:
    """Bars: a row per bar; grouped bars: a row per bar of every group, and the legend; a
    trend: a fixed height."""
    if data.kind == "trend":
        return TREND_HEIGHT
    if data.kind == "grouped-bars":
        rows = len(data.categories) * (len(data.series) * 0.8 + 0.5)
        return row_height * rows + 42 + LEGEND_HEIGHT
    return row_height * len(data.bars) + 42


class Chart:
    """A chart of a given width; its height follows from the number of bars."""

    def __init__(self, data: ChartData, width: float, row_height: float = 10.0) -> None:
        self.data, self.width = data, width
        self.height = height_of(data, row_height)
        self._ops: list[Op] | None = None

    def ops(self) -> list[Op]:
        """The display list: from the store, or laid out by matplotlib and recorded."""
        if self._ops is None:
            store = memo.store()
            name = ""
            if store is not None:
                name = "chart-" + store.digest(
                    asdict(self.data), self.width, self.height, theme.fonts_digest(), LAYOUT
                )
            ops = store.read_json(name) if store is not None else None
            if not isinstance(ops, list):
                from factsheet.render.chart_mpl import record

                ops = record(self.data, self.width, self.height)
                if store is not None:
                    store.write_json(name, ops)
            self._ops = ops
        return self._ops

    def draw(self, canvas: Canvas) -> None:
        """Replay the display list inside the current Figure element: runs of content as its
        marked content, decorative paths (``"a"``: gridlines) as artifacts between them."""
        for decorative, run in groupby(self.ops(), key=lambda op: op[0] == "a"):
            with artifact(canvas) if decorative else marked(canvas):
                for op in run:
                    (_draw_text if op[0] == "t" else _draw_path)(canvas, op)


def _draw_path(c: Canvas, op: Op) -> None:
    _, segments, fill, stroke, width, dashes, offset, cap = op
    path = c.beginPath()
    for segment in segments:
        kind, points = segment[0], segment[1:]
        if kind == "m":
            path.moveTo(*points)
        elif kind == "l":
            path.lineTo(*points)
        elif kind == "c":
            path.curveTo(*points)
        else:
            path.close()
    c.saveState()
    if fill:
        c.setFillColorRGB(*fill)
    if stroke:
        c.setStrokeColorRGB(*stroke)
        c.setLineWidth(width)
        if dashes:
            c.setDash(dashes, offset)
        c.setLineCap(cap)
    c.drawPath(path, stroke=int(bool(stroke)), fill=int(bool(fill)))
    c.restoreState()


def _draw_text(c: Canvas, op: Op) -> None:
    _, x, y, text, face, size, angle, rgb = op
    c.saveState()
    c.setFillColorRGB(*rgb)
    c.setFont(theme.font_name(face), size)
    c.translate(x, y)
    if angle:
        c.rotate(angle)
    c.drawString(0, 0, text)
    c.restoreState()


DATA_FONT_SIZE = 1.0  # hidden text: small, so extraction keeps it apart from the chart's
DATA_LEADING = 1.25
DATA_COLUMN = 40.0


class ChartTable(Flowable):
    """A chart's values as a Table element for assistive technology, right after its
    Figure: a row of column heads (TH, scope Column), then a row per bar or category (TH,
    scope Row; TD for each value). Its text is invisible (text render mode 3) and laid over
    the top of the chart's own area, row by row, so it takes no room on the page and a
    sighted reader sees only the chart; a screen reader reads the Figure's alt text, then
    this table. Being small, text extraction reads it as one block of its own."""

    def __init__(
        self, rows: tuple[tuple[str, ...], ...], width: float, height: float, ident: str
    ) -> None:
        super().__init__()
        self.rows, self.width, self.chart_height = rows, width, height
        self.height = 0.0
        self.table = Tag("Table", marked=False, ident=ident)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, 0.0

    def draw(self) -> None:
        canvas: Canvas = self.canv
        if getattr(canvas, "tagger", None) is None or not self.rows:
            return
        column = min(DATA_COLUMN, self.width / len(self.rows[0]))
        with group(canvas, self.table):
            for i, row in enumerate(self.rows):
                with group(canvas, Tag("TR", marked=False)):
                    y = self.chart_height - (i + 1) * DATA_LEADING
                    for j, text in enumerate(row):
                        role = "TH" if i == 0 or j == 0 else "TD"
                        scope = (("Scope", "Column" if i == 0 else "Row"),) if role == "TH" else ()
                        with group(canvas, Tag(role, text, attrs=scope)):
                            _hidden_text(canvas, j * column, y, text)


def _hidden_text(c: Canvas, x: float, y: float, text: str) -> None:
    """Text that is there to be read, not seen (render mode 3: neither filled nor stroked)."""
    t = c.beginText(x, y)
    t.setTextRenderMode(3)
    t.setFont(theme.font_name("regular"), DATA_FONT_SIZE)
    t.textOut(text)
    c.drawText(t)
