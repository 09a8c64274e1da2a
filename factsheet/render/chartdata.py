"""What a chart shows (``ChartData``) and its display list (``Op``): shared by the chart that
draws it (``chart``) and the matplotlib layout that records it (``chart_mpl``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Op = list[Any]


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: float | None
    printed: str
    highlight: bool = False


@dataclass(frozen=True)
class ChartSeries:
    """One indicator (or one area's line) over the chart's categories."""

    label: str
    values: tuple[float | None, ...]
    printed: tuple[str, ...]
    highlight: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class ChartData:
    """``kind`` ``bars``: ``bars`` and the reference line; ``grouped-bars`` (one group of bars
    per category) and ``trend`` (one line per series over the categories): ``series``."""

    bars: tuple[ChartBar, ...]
    reference_label: str
    reference_value: float | None
    reference_printed: str
    axis_label: str
    missing_text: str
    kind: str = "bars"
    categories: tuple[str, ...] = ()
    series: tuple[ChartSeries, ...] = ()
    highlight: str = ""  # the category to stress (the sheet's own län)
