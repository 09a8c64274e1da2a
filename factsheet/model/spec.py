"""Frozen data passed between the stages. No I/O here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

_YEARREF = re.compile(r"^year(?:\s*([+-])\s*(\d+))?$")


@dataclass(frozen=True)
class Src:
    """A piece of content text and where it was written (``file:line``)."""

    text: str
    where: str
    bibliographic: bool = False  # a reference entry: its digits (years, numbers) are not data


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
    rows: tuple[TableRow, ...]  # indicator rows; empty when ``areas`` is set
    source: Src
    where: str
    areas: str = ""  # "counties": one row per län (then riket) of ``indicator``
    indicator: str = ""
    total: Src | None = None  # the label of riket's row in a table of län rows
    note: Src | None = None


@dataclass(frozen=True)
class FigureVariant:
    """What a figure says in a county or kommun sheet; None/"" where the figure's own applies."""

    level: str = ""
    caption: Src | None = None
    note: Src | None = None
    chart_alt: Src | None = None  # a kommun chart's own alt text (its kind, range, riket)
    alt: Src | None = None
    alt_missing: Src | None = None
    county_alt: Src | None = None  # a kommun sheet showing the län chart: about its län
    county_alt_missing: Src | None = None


@dataclass(frozen=True)
class FigureSpec:
    """A figure: ``kind`` ``bars`` (``indicator`` by area in ``year``), ``grouped-bars``
    (``indicators`` by län in ``year``) or ``trend`` (``indicators`` over ``years``)."""

    id: str
    caption: Src
    indicator: str
    level: str
    year: int
    order: str
    reference_label: Src | None
    axis_label: Src
    missing_order: str
    note: Src | None
    source: Src
    alt: Src
    where: str
    kind: str = "bars"
    indicators: tuple[str, ...] = ()
    legend: tuple[Src, ...] = ()
    years: tuple[int, ...] = ()
    county: str = ""
    max_bars: int = 30
    variants: dict[str, FigureVariant] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """One body block. ``kind`` is a key of ``schema.BLOCKS``."""

    kind: str
    where: str
    text: Src | None = None
    ref: str = ""
    lines: tuple[Src, ...] = ()
    children: tuple[Block, ...] = ()
    only: tuple[str, ...] = ()  # the kinds of sheet it is placed in; empty: every kind


@dataclass(frozen=True)
class Metadata:
    title: Src
    author: Src
    subject: Src
    keywords: tuple[Src, ...]


@dataclass(frozen=True)
class Hyphenation:
    """Exceptions to the hyphenation rules: words with marked break points, words never
    broken."""

    words: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


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
    not_asked: Src | None = None
    years_shown: Src | None = None
    note_back: Src | None = None
    figure_area: Src | None = None  # heads of a chart's data table for assistive technology
    figure_year: Src | None = None
    units_word: Src | None = None  # {units_word}: a län's units, without and with stadsdelar
    units_word_districts: Src | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence of a variant's area section. With ``answer`` (an indicator's ID) it tells
    a kommun's own yes/no answer: ``text`` when it answered yes, ``no`` when it answered no,
    ``missing`` when it did not answer. ``then`` follows it in the same item, with its own
    ``missing`` (a comparison whose values may be suppressed)."""

    text: Src
    missing: Src | None
    answer: str | None = None
    no: Src | None = None
    then: Sentence | None = None


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
    where: str
    count_header: Src | None = None  # county: the count column
    count: Src | None = None
    answers: dict[str, Src] = field(default_factory=dict)  # municipality: yes/no/missing words
    answer_levels: bool = False  # municipality: a table shows three-level answers as written
    meta_title: Src | None = None  # the PDF's title and subject naming the area
    meta_subject: Src | None = None
    single_unit: dict[str, Any] = field(default_factory=dict)  # overrides for a one-kommun län


@dataclass(frozen=True)
class Claim:
    """Trend or comparison words of the prose bound to a rule over riket's values (``claims:``).

    ``first``/``last`` are the years a trend runs over, ``year`` the year of a level or a
    comparison; None where the rule takes none. Checked by ``rules.evaluate``."""

    index: int
    words: str
    inside: str  # other words of the sentence meant ('in:'), or ""
    indicator: str
    rule: str
    first: int | None
    last: int
    year: int
    minimum: float | None
    maximum: float | None
    max_change: float | None
    min_change: float | None
    than: str
    where: str
    keys: frozenset[str] = frozenset()  # the keys as written
    sentences: int = 1  # how many sentences hold the words
    reason: str = ""  # rule none: why the words need no rule


@dataclass(frozen=True)
class Spec:
    """The validated content of one edition."""

    folder: str
    source: str
    year: int
    published: dt.date
    language: str
    workbook: str
    pages: dict[str, int]  # by kind of sheet: riket, county, municipality
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
    claims: tuple[Claim, ...] = ()
    hyphenation: Hyphenation = Hyphenation()


@dataclass(frozen=True)
class TextItem:
    """One content text with a label saying where it is in the sheet (``paragraph 3``,
    ``side box item 2``); ``prose``: running text an author writes sentences in."""

    label: str
    src: Src
    prose: bool


def texts(spec: Spec) -> list[TextItem]:
    """Every text of the content, in reading order, then footnotes, references, tables,
    figures, variants, metadata and labels."""
    out = [TextItem("title", spec.title, False), TextItem("ingress", spec.ingress, True)]
    out.append(TextItem("side box heading", spec.box_heading, True))
    out += [TextItem(f"side box item {i}", s, True) for i, s in enumerate(spec.box_items, 1)]
    counts: dict[str, int] = {}

    def walk(blocks: tuple[Block, ...], inside: str) -> None:
        for block in blocks:
            if block.kind == "box":
                walk(block.children, " (box)")
            elif block.kind == "contact" and block.text is not None:
                out.append(TextItem("contact heading", block.text, False))
                out.extend(
                    TextItem(f"contact line {i}", s, False) for i, s in enumerate(block.lines, 1)
                )
            elif block.text is not None and block.kind in ("heading", "subheading", "paragraph"):
                counts[block.kind] = counts.get(block.kind, 0) + 1
                label = f"{block.kind} {counts[block.kind]}{inside}"
                out.append(TextItem(label, block.text, True))
            elif block.text is not None and block.kind == "references":
                out.append(TextItem("reference list heading", block.text, False))

    walk(spec.body, "")
    out += [TextItem(f"footnote {k}", s, True) for k, s in spec.footnotes.items()]
    out += [TextItem(f"reference {k}", s, True) for k, s in spec.references.items()]
    for t in spec.tables.values():
        out.append(TextItem(f"table {t.id} caption", t.caption, True))
        out += [
            TextItem(f"table {t.id} {k}", s, False)
            for k, s in (("unit", t.unit), ("header", t.header))
        ]
        out += [
            TextItem(f"table {t.id} row {i} label", r.label, False) for i, r in enumerate(t.rows, 1)
        ]
        if t.note is not None:
            out.append(TextItem(f"table {t.id} note", t.note, True))
        out.append(TextItem(f"table {t.id} source", t.source, False))
    for f in spec.figures.values():
        out.append(TextItem(f"figure {f.id} caption", f.caption, True))
        if f.note is not None:
            out.append(TextItem(f"figure {f.id} note", f.note, True))
        out += [
            TextItem(f"figure {f.id} {k}", s, False)
            for k, s in (
                ("source", f.source),
                ("alt text", f.alt),
                ("axis label", f.axis_label),
                ("reference label", f.reference_label),
                *((f"legend {i}", s) for i, s in enumerate(f.legend, 1)),
            )
            if s is not None
        ]
        for kind, fv in f.variants.items():
            out += [
                TextItem(f"figure {f.id} {kind} {k.replace('_', ' ')}", s, k in ("caption", "note"))
                for k in ("caption", "note", "alt", "alt_missing")
                if (s := getattr(fv, k)) is not None
            ]
    for v in spec.variants.values():
        for key in (
            "subtitle",
            "unit",
            "heading",
            "count_header",
        ):
            value = getattr(v, key)
            if value is not None:
                out.append(TextItem(f"{v.kind} variant {key.replace('_', ' ')}", value, False))
        for key in ("subtitle", "unit", "heading"):
            if key in v.single_unit:
                what = f"{v.kind} variant single unit {key}"
                out.append(TextItem(what, v.single_unit[key], False))
        for what, sentences in (
            ("sentence", v.sentences),
            ("single unit sentence", v.single_unit.get("sentences", ())),
        ):
            for i, sentence in enumerate(sentences, 1):
                out += _sentence_texts(f"{v.kind} variant {what} {i}", sentence)
    meta = spec.metadata
    out += [
        TextItem("document title (metadata)", meta.title, False),
        TextItem("document subject (metadata)", meta.subject, False),
        TextItem("footer", spec.labels.footer, False),
    ]
    return out


def _sentence_texts(what: str, sentence: Sentence) -> list[TextItem]:
    out = [TextItem(what, sentence.text, True)]
    for key in ("no", "missing"):
        if (src := getattr(sentence, key)) is not None:
            out.append(TextItem(f"{what} ({key})", src, True))
    if sentence.then is not None:
        out += _sentence_texts(f"{what} then", sentence.then)
    return out


def year_of(ref: int | str, year: int) -> int:
    """Resolve a validated ``yearref`` against the edition's year."""
    if isinstance(ref, int):
        return ref
    match = _YEARREF.match(ref)
    assert match is not None
    sign, amount = match.groups()
    offset = int(amount or 0)
    return year - offset if sign == "-" else year + offset


def line_order(where: str) -> tuple[str, int]:
    """A sort key putting ``file:line`` places in the order of their files."""
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (where, 0)
