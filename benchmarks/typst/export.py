"""Export the resolved sheets of riket and the 21 län as JSON for the Typst comparison sheet.

    .venv/bin/python benchmarks/typst/export.py OUT.json [--content DIR] [--fonts DIR]

The text, tables, chart values and footnotes of each area come from ``factsheet``'s resolver
(content + sample workbook), so the Typst build lays out exactly what ``factsheet`` lays out;
only the layout, hyphenation, tagging and PDF writing are Typst's. Rich text is a list of runs
``[text, flags, target]``: flags ``b`` bold, ``i`` italic, ``n`` a footnote call (target: the
note's number), ``r`` a reference call, ``u`` a link (target: the URL).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from factsheet.build import check, load_inputs  # noqa: E402
from factsheet.model import areas  # noqa: E402
from factsheet.model.document import Document, RBlock, ResolvedFigure, ResolvedTable  # noqa: E402
from factsheet.model.richtext import RichText, plain  # noqa: E402


def runs(text: RichText) -> list[list[str]]:
    out: list[list[str]] = []
    for run in text:
        flags = ("b" if run.bold else "") + ("i" if run.italic else "")
        target = ""
        if run.kind == "note":
            flags, target = flags + "n", run.text
        elif run.kind == "ref":
            flags, target = flags + "r", run.target
        elif run.href:
            flags, target = flags + "u", run.href
        if out and not target and not out[-1][2] and out[-1][1] == flags:
            out[-1][0] += run.text  # plain text split only where placeholders were
        else:
            out.append([run.text, flags, target])
    return out


def table(t: ResolvedTable) -> dict[str, Any]:
    return {
        "number": t.number,
        "caption": runs(t.caption),
        "unit": runs(t.unit),
        "header": plain(t.header),
        "years": [str(y) for y in t.years],
        "labels": [plain(label) for label in t.labels],
        "groups": [
            {
                "label": g.label,
                "highlight": g.highlight,
                "rows": [list(r) for r in g.rows],
                "count_header": g.count_header,
                "counts": list(g.counts),
            }
            for g in t.groups
        ],
        "source": runs(t.source),
    }


def figure(f: ResolvedFigure) -> dict[str, Any]:
    return {
        "number": f.number,
        "caption": runs(f.caption),
        "note": runs(f.note),
        "source": runs(f.source),
        "alt": f.alt,
        "axis": f.axis_label,
        "bars": [[b.label, b.value, b.printed, b.highlight] for b in f.bars],
        "reference": [f.reference_label, f.reference_value],
    }


def block(b: RBlock) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": b.kind, "text": runs(b.text)}
    if b.lines:
        out["lines"] = [runs(line) for line in b.lines]
    if b.children:
        out["children"] = [block(child) for child in b.children]
    if b.table is not None:
        out["table"] = table(b.table)
    if b.figure is not None:
        out["figure"] = figure(b.figure)
    return out


def document(doc: Document) -> dict[str, Any]:
    return {
        "title": runs(doc.title),
        "subtitle": runs(doc.subtitle),
        "ingress": runs(doc.ingress),
        "box_heading": runs(doc.box_heading),
        "box_items": [runs(item) for item in doc.box_items],
        "body": [block(b) for b in doc.body],
        "footnotes": {n: runs(text) for n, text in doc.footnotes},
        "references": [[n, runs(text)] for n, text in doc.references],
        "meta": {
            "title": doc.meta_title,
            "author": doc.meta_author,
            "subject": doc.meta_subject,
            "keywords": list(doc.meta_keywords),
        },
        "footer": doc.footer,
        "page_label": doc.page_label,
        "table_label": doc.table_label,
        "figure_label": doc.figure_label,
        "references_label": doc.references_label,
        "synthetic_mark": doc.synthetic_mark,
    }


def export(content: Path, fonts: Path) -> dict[str, Any]:
    inputs = load_inputs(content, None, fonts)
    wanted = [areas.riket(), *(areas.area(c.code) for c in areas.counties())]
    documents = check(inputs, wanted)
    return {
        "year": inputs.spec.year,
        "areas": [a.code for a in wanted],
        "sheets": {a.code: document(documents[a.code]) for a in wanted},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--content", type=Path, default=ROOT / "content" / "2021")
    parser.add_argument("--fonts", type=Path, default=ROOT / "fonts")
    args = parser.parse_args()
    data = export(args.content, args.fonts)
    args.output.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
