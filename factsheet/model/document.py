"""The resolved document: what the layout draws, in reading order. No ReportLab, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from factsheet.model import areas
from factsheet.model.richtext import RichText


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    value: float | None
    printed: str
    highlight: bool = False


@dataclass(frozen=True)
class ResolvedFigure:
    number: int
    caption: RichText
    note: RichText
    source: RichText
    alt: str
    axis_label: str
    bars: tuple[Bar, ...]
    reference_label: str
    reference_value: float | None


@dataclass(frozen=True)
class ResolvedTable:
    number: int
    caption: RichText
    unit: RichText
    header: RichText
    years: tuple[int, ...]
    rows: tuple[tuple[RichText, tuple[str, ...]], ...]
    source: RichText
    area_label: str = ""  # a variant: the area's values beside riket's
    area_rows: tuple[tuple[str, ...], ...] = ()
    counts: tuple[str, ...] = ()
    count_header: str = ""
    riket_header: str = ""
    county_label: str = ""  # a kommun variant: its län's shares between its answers and riket
    county_rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class RBlock:
    kind: str
    text: RichText = ()
    lines: tuple[RichText, ...] = ()
    children: tuple[RBlock, ...] = ()
    table: ResolvedTable | None = None
    figure: ResolvedFigure | None = None


@dataclass
class Document:
    """What the layout draws, in reading order."""

    year: int
    language: str
    published: object
    pages: int
    title: RichText
    ingress: RichText
    box_heading: RichText
    box_items: tuple[RichText, ...]
    body: tuple[RBlock, ...]
    meta_title: str
    meta_author: str
    meta_subject: str
    meta_keywords: tuple[str, ...]
    footer: str
    page_label: str
    table_label: str
    figure_label: str
    references_label: str
    missing_label: str
    synthetic_mark: str  # empty when the workbook is not synthetic
    area_code: str = areas.RIKET
    area_name: str = ""
    subtitle: RichText = ()
    note_link: str = "{n}"
    reference_link: str = "{n}"
    footnotes: list[tuple[str, RichText]] = field(default_factory=list)
    references: list[tuple[str, RichText]] = field(default_factory=list)
