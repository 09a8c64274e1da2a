"""The audit trail: every number a sheet prints, where it stands and where it came from.

The resolver is run with a recorder (``resolve.Resolver(recorder=...)``); each ``Trace`` it
records becomes an ``Entry``: the number as printed, the block it stands in (``paragraph 3``,
``table 1 (t1) row 2, 2021``, ``figure 1 (f1) bar``), the content line, the printed text around
it, and its origin (indicator, area, year, workbook cells, how it was computed). Values
without digits (names, comparison words, answers) are left out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from factsheet.build import Inputs
from factsheet.inputs.content import Locator
from factsheet.inputs.workbook import load_layout
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.dataset import Layout
from factsheet.model.spec import Src, texts
from factsheet.model.trace import Origin, Trace
from factsheet.resolve import resolve

CONTEXT = 40  # characters of printed text on each side of a number
FIELDS = (
    "number",
    "place",
    "where",
    "context",
    "indicator",
    "indicator_name",
    "area",
    "area_name",
    "year",
    "cells",
    "how",
)
# Printed on every page, or not printed (document properties, alt text): listed last.
_LAST = ("document title (metadata)", "document subject (metadata)", "footer")


@dataclass(frozen=True)
class Entry:
    number: str
    place: str
    where: str
    context: str
    indicator: str = ""
    indicator_name: str = ""
    area: str = ""
    area_name: str = ""
    year: str = ""
    cells: str = ""
    how: str = ""


def explain(inputs: Inputs, area: Area | None = None) -> list[Entry]:
    """Every number the sheet of ``area`` prints, in reading order (the footer, the document
    properties and alt text last). Raises the resolver's InputError when the content has
    problems."""
    traces: list[Trace] = []
    resolve(inputs.spec, inputs.data, area, traces.append)
    labels = {item.src: item.label for item in texts(inputs.spec)}
    layout = load_layout(Path(inputs.spec.folder))
    explainer = _Explainer(inputs, layout, labels)
    entries = [explainer.entry(t) for t in traces if any(c.isdigit() for c in t.printed)]
    last = [e for e in entries if e.place in _LAST or "alt" in e.place.split()]
    return [e for e in entries if e not in last] + last


class _Explainer:
    def __init__(self, inputs: Inputs, layout: Layout, labels: dict[Src, str]) -> None:
        self.inputs, self.layout, self.labels = inputs, layout, labels
        self.locator = Locator()
        self.seen: dict[tuple[Src, str], int] = {}  # placeholders of a text already placed

    def entry(self, trace: Trace) -> Entry:
        if trace.src is not None:
            place = self.labels.get(trace.src, "text")
            where = self.where(trace.src, trace.name)
            context = around(trace.plain, trace.offset, len(trace.printed))
        else:
            place, where = trace.part, trace.where
            context = f"{trace.plain}: «{trace.printed}»"
        entry = Entry(trace.printed, place, where, " ".join(context.split()))
        origin = trace.origin
        if origin is None:
            return entry
        indicator = self.inputs.data.indicators.get(origin.indicator)
        return Entry(
            entry.number,
            place,
            where,
            entry.context,
            origin.indicator,
            indicator.name if indicator else "",
            origin.area,
            areas.area_name(origin.area) if origin.area else "",
            str(origin.year) if origin.year else "",
            "; ".join(origin.cells),
            self.how(origin),
        )

    def where(self, src: Src, name: str) -> str:
        """The line of the placeholder: the k-th ``{name}`` of the text for its k-th value."""
        k = self.seen.get((src, name), 0)
        self.seen[src, name] = k + 1
        found = list(re.finditer(r"\{\s*" + re.escape(name) + r"\s*\}", src.text))
        return self.locator.where(src, found[k].start()) if k < len(found) else src.where

    def unit_source(self) -> str:
        """Where the unit (kommun, stadsdel) rows are read: their sheet (``Kommun sheet``, the
        one result sheet of an ÖJ file), else the file (a tidy CSV, a Kolada export)."""
        sheets = self.layout.sheets
        sheet = sheets.get("municipality") or next(iter(sheets.values()), "")
        if sheet:
            return f"{sheet} sheet"
        return Path(self.inputs.data.path).name

    def how(self, o: Origin) -> str:
        sheet = self.unit_source()
        year = self.inputs.spec.year
        if o.how == "published":
            return f"published value {o.cells[0]}"
        if o.how in ("min", "max"):
            named = [
                f"{areas.area_name(code)} {cell}"
                for code, cell in zip(o.areas, o.cells, strict=False)
            ]
            return f"{o.how} over län: {'; '.join(named)}"
        if o.how == "year":
            return f"{o.expression} (from year: {year})"
        if o.how == "years":
            return f"the table's years (from year: {year})"
        if o.how == "counts":
            yes, answered = o.counts
            return (
                f"share of responding units {yes}/{answered}: units answering "
                f"{'/'.join(sorted(self.layout.yes))} of those that answered ({sheet})"
            )
        if o.how == "units":
            return f"responding units in {areas.area_name(o.area)} ({sheet})"
        numerator, denominator = (
            self.layout.ratio_columns.get(k, k).replace("{id}", o.indicator)
            for k in ("numerator", "denominator")
        )
        return (
            f"ratio of counts {o.counts[0]}/{o.counts[1]} "
            f"({sheet}: {numerator!r} / {denominator!r})"
        )


def around(text: str, offset: int, length: int, width: int = CONTEXT) -> str:
    """The printed text around a number, the number marked: ``…före «61» efter…``."""
    start, end = max(0, offset - width), min(len(text), offset + length + width)
    before = ("…" if start else "") + text[start:offset]
    after = text[offset + length : end] + ("…" if end < len(text) else "")
    return f"{before}«{text[offset : offset + length]}»{after}"


def as_text(entries: list[Entry], title: str) -> str:
    """For a terminal: each number, its place and line, the text around it, its origin."""
    out = [title, ""]
    for e in entries:
        out.append(f"{e.number:<6} {e.place} ({e.where})")
        out.append(f"{'':<6} {e.context}")
        source = [
            f"{e.indicator} {e.indicator_name}".strip(),
            " ".join(p for p in (e.area_name, e.year) if p),
            e.how,
        ]
        out.append(f"{'':<6} " + "; ".join(p for p in source if p))
    return "\n".join(out) + "\n"


def as_csv(entries: list[Entry]) -> str:
    """One row per number, with a header row (``FIELDS``). A cell that a spreadsheet would
    take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return:
    content text is free text) is written with a leading apostrophe, which shows it as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows([_inert(getattr(e, f)) for f in FIELDS] for e in entries)
    return buffer.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
