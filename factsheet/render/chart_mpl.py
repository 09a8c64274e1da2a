"""The matplotlib side of Figur 1: lay the chart out and record it as a display list.

Imported only when a chart is not in the cache (matplotlib costs ~0.4 s to import).
"""

from __future__ import annotations

from typing import Any

from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from reportlab.pdfbase import pdfmetrics

from factsheet.render import theme
from factsheet.render.chartdata import ChartData, Op

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
ARTIFACT = "artifact"


def _r(value: float) -> float:
    return round(float(value), 3)


def _face(prop: FontProperties) -> str:
    weight = prop.get_weight()
    bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
        isinstance(weight, int | float) and weight >= 600
    )
    return "bold" if bold else "regular"


class RecordingRenderer(RendererBase):
    """A matplotlib renderer at 72 dpi (1 unit = 1 pt) that records canvas operations;
    text is measured with the same font metrics ReportLab draws it with."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.ops: list[Op] = []
        self.groups: list[str | None] = []

    def open_group(self, s: str, gid: str | None = None) -> None:
        self.groups.append(gid)

    def close_group(self, s: str) -> None:
        if self.groups:
            self.groups.pop()

    def _decorative(self) -> bool:
        """Inside an artist marked ``artifact`` (gridlines): not content, for tagging."""
        return ARTIFACT in self.groups

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        name, size = theme.font_name(_face(prop)), prop.get_size_in_points()
        ascent, descent = pdfmetrics.getAscentDescent(name, size)
        return pdfmetrics.stringWidth(s, name, size), ascent - descent, -descent

    def draw_path(
        self, gc: GraphicsContextBase, path: MplPath, transform: Any, rgbFace: Any = None
    ) -> None:
        segments: list[list[Any]] = []
        for vertices, code in path.iter_segments(transform, simplify=False):
            v = [_r(x) for x in vertices]
            if code == MplPath.MOVETO:
                segments.append(["m", *v])
            elif code == MplPath.LINETO:
                segments.append(["l", *v])
            elif code == MplPath.CURVE3:
                segments.append(["c", v[0], v[1], v[0], v[1], v[2], v[3]])
            elif code == MplPath.CURVE4:
                segments.append(["c", *v])
            elif code == MplPath.CLOSEPOLY:
                segments.append(["z"])
        stroke = gc.get_linewidth() > 0 and gc.get_rgb()[3] > 0
        fill = rgbFace is not None and (len(rgbFace) < 4 or rgbFace[3] > 0)
        offset, dashes = gc.get_dashes()
        self.ops.append(
            [
                "a" if self._decorative() else "p",
                segments,
                [_r(x) for x in rgbFace[:3]] if fill else None,
                [_r(x) for x in gc.get_rgb()[:3]] if stroke else None,
                _r(gc.get_linewidth()),
                [_r(d) for d in dashes] if dashes is not None and stroke else [],  # type: ignore[union-attr, arg-type]
                _r(offset or 0),
                _CAPS[gc.get_capstyle()],
            ]
        )

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
        rgb = [_r(c) for c in gc.get_rgb()[:3]]
        self.ops.append(
            ["t", _r(x), _r(y), s, _face(prop), _r(prop.get_size_in_points()), _r(angle), rgb]
        )


def record(data: ChartData, width: float, height: float) -> list[Op]:
    kinds = {"bars": _figure, "grouped-bars": _grouped_figure, "trend": _trend_figure}
    figure = kinds[data.kind](data, width, height)
    renderer = RecordingRenderer(width, height)
    figure.draw(renderer)
    return renderer.ops


LABEL_GAP = 0.8  # x units between a bar's end (or the reference line) and its value label
LABEL_PAD = 0.6  # points of white around a value label
LINE_CLEAR = 1.5  # points kept free on each side of the reference line


def _label_x(value: float, printed: str, reference: float | None, per_pt: float) -> float:
    """Where a bar's value label starts: just after the bar's end, or, when the label would
    sit on the reference line, just after the line (the line never runs through a label)."""
    x = value + LABEL_GAP
    if reference is None:
        return x
    width = (pdfmetrics.stringWidth(printed, theme.font_name("bold"), 8) + 2 * LABEL_PAD) * per_pt
    clear = LINE_CLEAR * per_pt
    if x - LABEL_PAD * per_pt < reference + clear and x + width > reference - clear:
        return reference + clear + LABEL_PAD * per_pt
    return x


def _figure(data: ChartData, width: float, height: float) -> Figure:
    fig = Figure(figsize=(width / 72, height / 72), dpi=72)
    FigureCanvasBase(fig)
    fig.patch.set_visible(False)
    label_width = (
        max(pdfmetrics.stringWidth(b.label + "*", theme.font_name("bold"), 8) for b in data.bars)
        + 8
    )
    ax = fig.add_axes(
        (label_width / width, 24 / height, 1 - (label_width + 30) / width, 1 - 38 / height)
    )
    per_pt = 100 / (width - label_width - 30)  # x units (0-100) per point
    ax.patch.set_visible(False)
    n = len(data.bars)
    positions = list(range(n - 1, -1, -1))
    font = {"family": "sans-serif", "size": 8}
    for pos, bar in zip(positions, data.bars, strict=True):
        if bar.value is None:
            if data.missing_text:
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
        colour = theme.BAR_HIGHLIGHT if bar.highlight else theme.BAR
        ax.barh(
            pos,
            bar.value,
            height=0.68,
            color=colour.rgb(),
            linewidth=1.2 if bar.highlight else 0,
            edgecolor=theme.INK.rgb() if bar.highlight else "none",
        )
        ax.text(
            _label_x(bar.value, bar.printed, data.reference_value, per_pt),
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
    for line in ax.get_xgridlines():
        line.set_gid(ARTIFACT)
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if data.reference_value is not None:
        ax.axvline(data.reference_value, color=theme.INK.rgb(), linewidth=1, linestyle=(0, (3, 2)))
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


# Series colours: the accent, the bar blue, a dark orange and a grey-violet; each also has its
# own marker, so lines stay apart in greyscale print.
SERIES = ("#005A8C", "#3F7FB0", "#A14A0B", "#5B4E77")
MARKERS = ("o", "s", "^", "D")


def _canvas(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width / 72, height / 72), dpi=72)
    FigureCanvasBase(fig)
    fig.patch.set_visible(False)
    return fig


def _axes_style(ax: Any, grid_axis: str, label: str, value_axis: str) -> None:
    ax.patch.set_visible(False)
    ax.grid(axis=grid_axis, color=theme.GRID.rgb(), linewidth=0.5)
    for line in ax.get_xgridlines() + ax.get_ygridlines():
        line.set_gid(ARTIFACT)
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="both", labelsize=7.5, colors=theme.MUTED.rgb(), length=0)
    setter = ax.set_xlabel if value_axis == "x" else ax.set_ylabel
    setter(label, fontsize=7.5, color=theme.MUTED.rgb(), labelpad=2)


def _legend(ax: Any, handles: list[Any], columns: int) -> None:
    legend = ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=columns,
        frameon=False,
        fontsize=7.5,
        handlelength=2.2,
        borderaxespad=0.2,
        columnspacing=1.2,
    )
    for text in legend.get_texts():
        text.set_color(theme.INK.rgb())


def _grouped_figure(data: ChartData, width: float, height: float) -> Figure:
    """Horizontal bars: a group per category (län), a bar per series (indicator)."""
    fig = _canvas(width, height)
    bold = theme.font_name("bold")
    label_width = max(pdfmetrics.stringWidth(c, bold, 8) for c in data.categories) + 8
    top = 14 + 20
    ax = fig.add_axes(
        (label_width / width, 24 / height, 1 - (label_width + 30) / width, 1 - (24 + top) / height)
    )
    k = len(data.series)
    step = k * 0.8 + 0.5
    bar = 0.72
    handles = []
    for i, series in enumerate(data.series):
        colour = SERIES[i % len(SERIES)]
        for j, (value, printed) in enumerate(zip(series.values, series.printed, strict=True)):
            pos = (len(data.categories) - 1 - j) * step + (k - 1 - i) * 0.8
            if value is None:
                continue
            own = data.categories[j] == data.highlight
            ax.barh(
                pos,
                value,
                height=bar,
                color=colour,
                linewidth=1.0 if own else 0,
                edgecolor=theme.INK.rgb() if own else "none",
            )
            ax.text(
                value + 0.8,
                pos,
                printed,
                va="center",
                ha="left",
                color=theme.INK.rgb(),
                fontdict={"size": 6.5, "weight": "bold" if own else "normal"},
            )
        handles.append(Patch(facecolor=colour, label=series.label))
    centres = [
        (len(data.categories) - 1 - j) * step + (k - 1) * 0.4 for j in range(len(data.categories))
    ]
    labels = [
        c + ("" if any(s.values[j] is not None for s in data.series) else "*")
        for j, c in enumerate(data.categories)
    ]
    ax.set_yticks(centres, labels)
    for tick, category in zip(ax.get_yticklabels(), data.categories, strict=True):
        tick.set_fontsize(8)
        tick.set_color(theme.INK.rgb())
        if category == data.highlight:
            tick.set_fontweight("bold")
    ax.set_ylim(-0.6, len(data.categories) * step - 0.5)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    _axes_style(ax, "x", data.axis_label, "x")
    _legend(ax, handles, min(k, 2))
    return fig


def _trend_figure(data: ChartData, width: float, height: float) -> Figure:
    """One line per series over the years, every point labelled with its value (the highest
    line's label above its point, the others' below, then moved apart where labels would
    overlap: ``_label_offsets``); an area's line solid and bold, riket's beside it dashed."""
    fig = _canvas(width, height)
    legend_rows = (len(data.series) + 1) // 2
    head = 10 + 11 * legend_rows
    ax = fig.add_axes((34 / width, 26 / height, 1 - 52 / width, 1 - (26 + head) / height))
    highest = max((v for s in data.series for v in s.values if v is not None), default=100)
    ceiling = min(100, 20 * (int(highest + 12) // 20 + 1))
    per_unit = (height - 26 - head) / ceiling  # points per percent on the value axis
    positions = list(range(len(data.categories)))
    paired = any(s.dashed for s in data.series)
    handles = []
    for i, series in enumerate(data.series):
        index = i // 2 if paired else i
        colour = SERIES[index % len(SERIES)]
        points = [(x, v) for x, v in zip(positions, series.values, strict=True) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        (line,) = ax.plot(
            xs,
            ys,
            color=colour,
            linewidth=2.0 if series.highlight else 1.3,
            linestyle=(0, (3, 2)) if series.dashed else "-",
            marker=MARKERS[index % len(MARKERS)],
            markersize=4,
            label=series.label,
        )
        handles.append(line)
    for x in positions:
        for (value, printed, bold), offset in _label_offsets(data, x, per_unit):
            ax.annotate(
                printed,
                (x, value),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                va="center",
                color=theme.INK.rgb(),
                fontsize=TREND_LABEL_SIZE,
                fontweight="bold" if bold else "normal",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": LABEL_PAD},
            )
    ax.set_xticks(positions, list(data.categories))
    ax.set_xlim(-0.4, len(positions) - 0.6)
    ax.set_ylim(0, ceiling)
    ax.set_yticks(range(0, ceiling + 1, 20))
    _axes_style(ax, "y", data.axis_label, "y")
    _legend(ax, handles, 2)
    return fig


TREND_LABEL_SIZE = 6.5
TREND_LABEL_STEP = 7.5  # points between the centres of two labels at one year


def _label_offsets(
    data: ChartData, x: int, per_unit: float
) -> list[tuple[tuple[float, str, bool], float]]:
    """The value labels of the year at ``x`` and each one's offset from its point, in points.
    The highest line's label stands above its point (also a point near the axis, clear of the
    year labels), the others below; equal printed values share one label. Where two would
    overlap, they are moved apart, in the order of their values, within the axes."""
    wanted: list[tuple[float, tuple[float, str, bool]]] = []  # (centre, label)
    seen: set[tuple[str, bool]] = set()
    values = [s.values[x] for s in data.series]
    for i, series in enumerate(data.series):
        value = series.values[x]
        if value is None:
            continue
        top = all(
            o is None or o < value or (o == value and j >= i)
            for j, o in enumerate(values)
            if j != i
        )
        top = top or value < 8
        if (series.printed[x], top) in seen:
            continue
        seen.add((series.printed[x], top))
        half = TREND_LABEL_SIZE / 2
        centre = value * per_unit + (5 + half if top else -(7 + half))
        wanted.append((centre, (value, series.printed[x], series.highlight)))
    wanted.sort(key=lambda item: -item[1][0])  # in the order of the values, highest first
    centres = [c for c, _ in wanted]
    for k in range(1, len(centres)):  # downwards: each at least a step below the one above
        centres[k] = min(centres[k], centres[k - 1] - TREND_LABEL_STEP)
    floor = TREND_LABEL_SIZE / 2
    if centres and centres[-1] < floor:  # below the axis: upwards from the floor
        centres[-1] = floor
        for k in range(len(centres) - 2, -1, -1):
            centres[k] = max(centres[k], centres[k + 1] + TREND_LABEL_STEP)
    return [
        (label, centre - label[0] * per_unit)
        for centre, (_, label) in zip(centres, wanted, strict=True)
    ]
