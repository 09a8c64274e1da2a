"""Frozen data passed between the stages. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Src:
    """A piece of content text and where it was written (``file:line``)."""

    text: str
    where: str


@dataclass(frozen=True)
class TableRow:
    label: Src
    indicator: str
    where: str


@dataclass(frozen=True)
class TableSpec:
    id: str
    caption: Src
    unit: Src
    header: Src
    years: tuple[int, ...]
    rows: tuple[TableRow, ...]
    source: Src
    where: str


@dataclass(frozen=True)
class FigureSpec:
    id: str
    caption: Src
    indicator: str
    level: str
    year: int
    order: str
    reference_label: Src
    axis_label: Src
    missing_order: str
    note: Src | None
    source: Src
    alt: Src
    where: str


@dataclass(frozen=True)
class Block:
    """One body block. ``kind`` is a key of ``schema.BLOCKS``."""

    kind: str
    where: str
    text: Src | None = None
    ref: str = ""
    lines: tuple[Src, ...] = ()
    children: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Metadata:
    title: Src
    author: Src
    subject: Src
    keywords: tuple[Src, ...]


@dataclass(frozen=True)
class Labels:
    table: Src
    figure: Src
    references: Src
    footer: Src
    page: Src
    synthetic: Src
    missing: Src
    note_link: Src
    reference_link: Src


@dataclass(frozen=True)
class Sentence:
    text: Src
    missing: Src | None


@dataclass(frozen=True)
class Variant:
    """Text used only in area variants: ``kind`` is ``county`` or ``municipality``."""

    kind: str
    subtitle: Src
    unit: Src
    riket_header: Src
    threshold: int
    higher: Src
    lower: Src
    same: Src
    heading: Src
    sentences: tuple[Sentence, ...]
    figure_alt: Src
    figure_alt_missing: Src
    where: str
    count_header: Src | None = None  # county: the count column
    count: Src | None = None
    answers: dict[str, Src] = field(default_factory=dict)  # municipality: yes/no/missing words
    figure_mode: str = "county"
    max_bars: int = 0
    figure_caption: Src | None = None
    figure_note: Src | None = None


@dataclass(frozen=True)
class Spec:
    """The validated content of one edition."""

    folder: str
    source: str
    year: int
    published: dt.date
    language: str
    workbook: str
    pages: int
    metadata: Metadata
    labels: Labels
    literal_numbers: tuple[Src, ...]
    title: Src
    ingress: Src
    box_heading: Src
    box_items: tuple[Src, ...]
    body: tuple[Block, ...]
    footnotes: dict[str, Src] = field(default_factory=dict)
    references: dict[str, Src] = field(default_factory=dict)
    tables: dict[str, TableSpec] = field(default_factory=dict)
    figures: dict[str, FigureSpec] = field(default_factory=dict)
    variants: dict[str, Variant] = field(default_factory=dict)
