"""Figur 1 with matplotlib, drawn as vectors straight onto the ReportLab canvas.

matplotlib lays the chart out (object API, never pyplot); ``CanvasRenderer`` is a small
matplotlib renderer whose paths and text become ReportLab canvas operations, so text stays
text in the bundled font and nothing is rasterised. No SVG round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from . import theme


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: float | None
    printed: str
    highlight: bool = False


@dataclass(frozen=True)
class ChartData:
    bars: tuple[ChartBar, ...]
    reference_label: str
    reference_value: float | None
    reference_printed: str
    axis_label: str
    missing_text: str


def _rl_font(prop: FontProperties) -> str:
    weight = prop.get_weight()
    bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
        isinstance(weight, int | float) and weight >= 600
    )
    return theme.font_name("bold" if bold else "regular")


class CanvasRenderer(RendererBase):
    """Draws matplotlib artists onto a ReportLab canvas at 72 dpi (1 display unit = 1 pt)."""

    def __init__(self, canvas: Canvas | None, width: float, height: float) -> None:
        super().__init__()
        self.canvas, self.width, self.height = canvas, width, height

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        name, size = _rl_font(prop), prop.get_size_in_points()
        ascent, descent = pdfmetrics.getAscentDescent(name, size)
        return pdfmetrics.stringWidth(s, name, size), ascent - descent, -descent

    def draw_path(
        self, gc: GraphicsContextBase, path: MplPath, transform: Any, rgbFace: Any = None
    ) -> None:
        if self.canvas is None:
            return
        c = self.canvas
        p = c.beginPath()
        for vertices, code in path.iter_segments(transform, simplify=False):
            if code == MplPath.MOVETO:
                p.moveTo(*vertices)
            elif code == MplPath.LINETO:
                p.lineTo(*vertices)
            elif code == MplPath.CURVE3:
                p.curveTo(
                    vertices[0], vertices[1], vertices[0], vertices[1], vertices[2], vertices[3]
                )
            elif code == MplPath.CURVE4:
                p.curveTo(*vertices)
            elif code == MplPath.CLOSEPOLY:
                p.close()
        stroke = gc.get_linewidth() > 0 and gc.get_rgb()[3] > 0
        fill = rgbFace is not None and (len(rgbFace) < 4 or rgbFace[3] > 0)
        c.saveState()
        if fill:
            c.setFillColorRGB(*rgbFace[:3])
        if stroke:
            c.setStrokeColorRGB(*gc.get_rgb()[:3])
            c.setLineWidth(gc.get_linewidth())
            offset, dashes = gc.get_dashes()
            if dashes:
                c.setDash([float(d) for d in dashes], offset or 0)  # type: ignore[arg-type, union-attr]
            c.setLineCap({"butt": 0, "round": 1, "projecting": 2}[gc.get_capstyle()])
        c.drawPath(p, stroke=int(stroke), fill=int(fill))
        c.restoreState()

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        if self.canvas is None:
            return
        c = self.canvas
        c.saveState()
        c.setFillColorRGB(*gc.get_rgb()[:3])
        c.setFont(_rl_font(prop), prop.get_size_in_points())
        c.translate(x, y)
        if angle:
            c.rotate(angle)
        c.drawString(0, 0, s)
        c.restoreState()


class Chart:
    """A laid-out horizontal bar chart; ``draw`` paints it at the canvas origin."""

    def __init__(self, data: ChartData, width: float, row_height: float = 10.0) -> None:
        self.data = data
        self.width = width
        self.height = row_height * len(data.bars) + 42
        self.figure = self._build()

    def _build(self) -> Figure:
        data, fig = self.data, Figure(figsize=(self.width / 72, self.height / 72), dpi=72)
        FigureCanvasBase(fig)
        fig.patch.set_visible(False)
        label_width = (
            max(
                pdfmetrics.stringWidth(b.label + "*", theme.font_name("bold"), 8) for b in data.bars
            )
            + 8
        )
        ax = fig.add_axes(
            (
                label_width / self.width,
                24 / self.height,
                1 - (label_width + 30) / self.width,
                1 - 38 / self.height,
            )
        )
        ax.patch.set_visible(False)
        n = len(data.bars)
        positions = list(range(n - 1, -1, -1))
        font = {"family": "sans-serif", "size": 8}
        for pos, bar in zip(positions, data.bars, strict=True):
            colour = theme.BAR_HIGHLIGHT if bar.highlight else theme.BAR
            if bar.value is None:
                ax.text(
                    1,
                    pos,
                    data.missing_text,
                    va="center",
                    ha="left",
                    color=theme.MUTED.rgb(),
                    fontdict=font,
                )
                continue
            ax.barh(
                pos,
                bar.value,
                height=0.68,
                color=colour.rgb(),
                linewidth=1.2 if bar.highlight else 0,
                edgecolor=theme.INK.rgb() if bar.highlight else "none",
            )
            ax.text(
                bar.value + 0.8,
                pos,
                bar.printed,
                va="center",
                ha="left",
                color=theme.INK.rgb(),
                fontdict={**font, "weight": "bold" if bar.highlight else "normal"},
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
            )
        ax.set_yticks(positions, [b.label + ("*" if b.value is None else "") for b in data.bars])
        for tick, bar in zip(ax.get_yticklabels(), data.bars, strict=True):
            tick.set_fontsize(8)
            tick.set_color(theme.INK.rgb())
            if bar.highlight:
                tick.set_fontweight("bold")
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 20))
        ax.tick_params(axis="x", labelsize=7.5, colors=theme.MUTED.rgb(), length=0)
        ax.tick_params(axis="y", length=0, pad=4)
        ax.set_xlabel(data.axis_label, fontsize=7.5, color=theme.MUTED.rgb(), labelpad=2)
        ax.grid(axis="x", color=theme.GRID.rgb(), linewidth=0.5)
        ax.set_axisbelow(True)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        if data.reference_value is not None:
            ax.axvline(
                data.reference_value, color=theme.INK.rgb(), linewidth=1, linestyle=(0, (3, 2))
            )
            ax.text(
                data.reference_value,
                n - 0.35,
                f"{data.reference_label} {data.reference_printed}",
                ha="center",
                va="bottom",
                color=theme.INK.rgb(),
                fontdict={**font, "weight": "bold"},
            )
        return fig

    def draw(self, canvas: Canvas) -> None:
        self.figure.draw(CanvasRenderer(canvas, self.width, self.height))
