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
class Series:
    """One indicator's values across the figure's categories (years of a trend, län of grouped
    bars) in one area: a line of a trend chart, one bar of each group of grouped bars."""

    label: str
    values: tuple[float | None, ...]
    printed: tuple[str, ...]
    highlight: bool = False
    dashed: bool = False  # riket's line beside the area's in a variant trend


@dataclass(frozen=True)
class ResolvedFigure:
    """``kind`` ``bars``: ``bars`` and the reference line; ``grouped-bars`` and ``trend``:
    ``series`` over ``categories`` (län names; years), ``highlight`` the category to stress."""

    number: int
    caption: RichText
    note: RichText
    source: RichText
    alt: str
    axis_label: str
    bars: tuple[Bar, ...]
    reference_label: str
    reference_value: float | None
    kind: str = "bars"
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    highlight: str = ""
    # the chart's values as a table for assistive technology: a row of heads, then one row
    # per bar or category (its name, then its printed values); empty: none
    data: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ColumnGroup:
    """Columns of one area in a table, one per year: ``key`` names the group (``riket``,
    ``county``, ``area``); ``label`` its header (empty: the table has only this group);
    ``highlight`` the sheet's own area (tinted, bold); ``counts`` an optional last column
    (the units behind the last year's share) under ``count_header``."""

    key: str
    label: str
    rows: tuple[tuple[str, ...], ...]  # per table row, one printed value per year
    highlight: bool = False
    count_header: str = ""
    counts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedTable:
    """A table: row labels, then its column groups side by side (riket alone in the national
    sheet; the län and riket in a county sheet; the kommun, its län and riket in a kommun
    sheet)."""

    number: int
    caption: RichText
    unit: RichText
    header: RichText
    years: tuple[int, ...]
    labels: tuple[RichText, ...]
    groups: tuple[ColumnGroup, ...]
    source: RichText
    note: RichText = ()  # under the table, before the source
    bold_rows: frozenset[int] = frozenset()  # the sheet's own län in a table of län rows


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
    area: areas.Area = field(default_factory=areas.riket)  # a variant's area
    subtitle: RichText = ()
    note_link: str = "{n}"
    reference_link: str = "{n}"
    note_back: str = ""  # the link from a footnote back to its call; none when empty
    footnotes: list[tuple[str, RichText]] = field(default_factory=list)
    references: list[tuple[str, RichText]] = field(default_factory=list)
    # hyphenation exceptions of the content: words with marked break points, words never broken
    hyphenation_words: tuple[str, ...] = ()
    hyphenation_never: tuple[str, ...] = ()
