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
class ChartData:
    bars: tuple[ChartBar, ...]
    reference_label: str
    reference_value: float | None
    reference_printed: str
    axis_label: str
    missing_text: str
