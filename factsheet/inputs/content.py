"""Content folder (YAML) -> validated ``Spec``; every problem is collected with file and line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from factsheet.errors import ContentError, Problem
from factsheet.inputs.validate import SchemaChecker, claim_problems
from factsheet.inputs.yamlsource import Mapping, Sequence, load_yaml
from factsheet.model import areas
from factsheet.model.spec import (
    Block,
    Claim,
    FigureSpec,
    FigureVariant,
    Hyphenation,
    Labels,
    Metadata,
    Sentence,
    Spec,
    Src,
    TableRow,
    TableSpec,
    Variant,
    year_of,
)

CONTENT_FILE = "lss.yaml"
_YEARREF = re.compile(r"^year(?:\s*([+-])\s*(\d+))?$")
_ID = re.compile(r"^[A-Z][A-Z0-9]*\d$")


def load_content(folder: Path) -> Spec:
    """Read and validate ``folder/lss.yaml``; raise ContentError listing every problem."""
    display = str(folder / CONTENT_FILE)
    if not folder.is_dir():
        raise ContentError(Problem(str(folder), "content folder not found"))
    data = load_yaml(folder / CONTENT_FILE, display)
    checker = SchemaChecker(display)
    checker.check_object(data, "document", "", 1)
    if not checker.problems:
        checker.problems += _hyphenation_problems(display, data)
    if checker.problems:
        raise ContentError(checker.problems)
    builder = _Builder(display, data)
    spec = builder.spec(str(folder))
    problems = builder.problems + [p for claim in spec.claims for p in claim_problems(claim)]
    if problems:
        raise ContentError(problems)
    return spec


_HYPHENATED = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)+$")


def _hyphenation_problems(display: str, data: Mapping) -> list[Problem]:
    """A listed word must be letters with at least one break point; a word never broken,
    letters only."""
    section = data.get("hyphenation", {})
    out = []
    for key, pattern, what in (
        (
            "words",
            _HYPHENATED,
            "a word with its break points marked by '-', e.g. 'socionom-examen'",
        ),
        ("never", re.compile(r"^[^\W\d_]+$"), "one word of letters only"),
    ):
        items = section.get(key, [])
        for i, word in enumerate(items):
            if not pattern.match(word):
                out.append(
                    Problem(
                        f"{display}:{items.item_lines[i]}",
                        f"hyphenation.{key}[{i}]: expected {what}, got {word!r}",
                    )
                )
    return out


def workbook_name(folder: Path) -> str | None:
    """The ``workbook:`` named in ``folder/lss.yaml``, read leniently (the content may have
    other problems), so that the workbook is checked in the same run; None when unreadable."""
    try:
        data = load_yaml(folder / CONTENT_FILE, str(folder / CONTENT_FILE))
    except ContentError:
        return None
    name = data.get("workbook") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else None


class _Builder:
    """Turns validated YAML into the frozen model."""

    def __init__(self, display: str, data: Mapping) -> None:
        self.display = display
        self.data = data
        self.year: int = data["year"]
        self.problems: list[Problem] = []

    def src(self, parent: Mapping | Sequence, key: Any) -> Src:
        if isinstance(parent, Sequence):
            line = parent.item_lines[key]
        else:
            line = parent.key_lines.get(key, parent.line)
        return Src(str(parent[key]), f"{self.display}:{line}")

    def where(self, parent: Mapping, key: str) -> str:
        return f"{self.display}:{parent.key_lines.get(key, parent.line)}"

    def srcs(self, seq: Sequence) -> tuple[Src, ...]:
        return tuple(self.src(seq, i) for i in range(len(seq)))

    def spec(self, folder: str) -> Spec:
        d = self.data
        meta, labels, box = d["metadata"], d["labels"], d["side_box"]
        return Spec(
            folder=folder,
            source=self.display,
            year=self.year,
            published=d["published"],
            language=d["language"],
            workbook=d["workbook"],
            pages=self.pages(d["pages"]),
            metadata=Metadata(
                self.src(meta, "title"),
                self.src(meta, "author"),
                self.src(meta, "subject"),
                self.srcs(meta.get("keywords", Sequence())),
            ),
            labels=Labels(
                *(
                    self.src(labels, k)
                    for k in (
                        "table",
                        "figure",
                        "references",
                        "footer",
                        "page",
                        "synthetic",
                        "missing",
                        "note_link",
                        "reference_link",
                    )
                ),
                **{
                    k: self.src(labels, k)
                    for k in (
                        "not_asked",
                        "years_shown",
                        "note_back",
                        "figure_area",
                        "figure_year",
                        "units_word",
                        "units_word_districts",
                    )
                    if k in labels
                },
            ),
            literal_numbers=tuple(self.src(item, "text") for item in d.get("literal_numbers", [])),
            title=self.src(d, "title"),
            ingress=self.src(d, "ingress"),
            box_heading=self.src(box, "heading"),
            box_items=self.srcs(box["items"]),
            body=self.blocks(d["body"]),
            footnotes={k: self.src(d["footnotes"], k) for k in d.get("footnotes", {})},
            references={
                k: self.reference(v, self.where(d["references"], k))
                for k, v in d.get("references", {}).items()
            },
            tables={
                k: self.table(k, v, self.where(d["tables"], k))
                for k, v in d.get("tables", {}).items()
            },
            variants={
                kind: self.variant(kind, v, self.where(d["variants"], kind))
                for kind, v in d.get("variants", {}).items()
            },
            figures={
                k: self.figure(k, v, self.where(d["figures"], k))
                for k, v in d.get("figures", {}).items()
            },
            claims=tuple(
                self.claim(i, c, f"{self.display}:{d['claims'].item_lines[i]}")
                for i, c in enumerate(d.get("claims", []))
            ),
            hyphenation=Hyphenation(
                tuple(d.get("hyphenation", {}).get("words", [])),
                tuple(d.get("hyphenation", {}).get("never", [])),
            ),
        )

    def reference(self, r: Mapping, where: str) -> Src:
        """One entry of the reference list: ``Author (year). Title. Series. URL`` (no full stop
        after a URL, which would read as part of the address)."""
        parts = [f"{r['author'].strip()} ({r['year']})", r["title"].strip()]
        parts += [r["series"].strip()] if "series" in r else []
        text = " ".join(p if p[-1] in ".?!" else p + "." for p in parts)
        if "url" in r:
            text += " " + r["url"].strip()
        return Src(text, where, bibliographic=True)

    def claim(self, index: int, c: Mapping, where: str) -> Claim:
        def year(key: str) -> int | None:
            return year_of(c[key], self.year) if key in c else None

        def number(key: str) -> float | None:
            return float(c[key]) if key in c else None

        return Claim(
            index=index,
            words=c["words"],
            inside=c.get("in", ""),
            indicator=c.get("indicator", ""),
            rule=c["rule"],
            first=year("from"),
            last=year("to") or self.year,
            year=year("year") or self.year,
            minimum=number("min"),
            maximum=number("max"),
            max_change=number("max_change"),
            min_change=number("min_change"),
            than=c.get("than", ""),
            where=where,
            keys=frozenset(c),
            sentences=c.get("sentences", 1),
            reason=c.get("reason", ""),
        )

    def variant(self, kind: str, v: Mapping, where: str) -> Variant:
        comparison, sentences = v["comparison"], v["sentences"]
        optional = {
            k: self.src(v, k)
            for k in ("count_header", "count", "meta_title", "meta_subject")
            if k in v
        }
        return Variant(
            kind=kind,
            subtitle=self.src(v, "subtitle"),
            unit=self.src(v, "unit"),
            riket_header=self.src(v, "riket_header"),
            threshold=comparison["threshold"],
            higher=self.src(comparison, "higher"),
            lower=self.src(comparison, "lower"),
            same=self.src(comparison, "same"),
            heading=self.src(v, "heading"),
            sentences=tuple(self.sentence(s) for s in sentences),
            where=where,
            answers={k: self.src(v["answers"], k) for k in v.get("answers", {})},
            answer_levels=bool(v.get("answer_levels", False)),
            single_unit=self.single_unit(v.get("single_unit", {})),
            **optional,
        )

    def single_unit(self, v: Mapping) -> dict[str, Any]:
        """Overrides of a variant's texts for a län with one kommun."""
        out: dict[str, Any] = {
            k: self.src(v, k) for k in ("subtitle", "heading", "meta_subject", "unit") if k in v
        }
        if "answers" in v:
            out["answers"] = {k: self.src(v["answers"], k) for k in v["answers"]}
        if "sentences" in v:
            out["sentences"] = tuple(self.sentence(s) for s in v["sentences"])
        return out

    def sentence(self, s: Mapping) -> Sentence:
        return Sentence(
            self.src(s, "text"),
            self.src(s, "missing") if "missing" in s else None,
            answer=s.get("answer"),
            no=self.src(s, "no") if "no" in s else None,
            then=self.sentence(s["then"]) if "then" in s else None,
        )

    def blocks(self, seq: Sequence) -> tuple[Block, ...]:
        out: list[Block] = []
        for i, item in enumerate(seq):
            kind = next(k for k in item if k != "only")
            value = item[kind]
            where = f"{self.display}:{seq.item_lines[i]}"
            start = len(out)
            if kind == "box":
                out.append(Block(kind, where, children=self.blocks(value)))
            elif kind == "contact":
                out.append(
                    Block(
                        kind,
                        where,
                        text=self.src(value, "heading"),
                        lines=self.srcs(value["lines"]),
                    )
                )
            elif kind == "page_break":
                if value:
                    out.append(Block(kind, where))
            elif kind == "start_page":
                out.append(Block(kind, where, ref=str(value)))
            elif kind in ("table", "figure"):
                out.append(Block(kind, where, ref=value))
            else:
                out.append(Block(kind, where, text=self.src(item, kind)))
            if "only" in item and len(out) > start:
                out[-1] = replace(out[-1], only=tuple(item["only"]))
        return tuple(out)

    def pages(self, value: Any) -> dict[str, int]:
        if isinstance(value, int):
            return dict.fromkeys(("riket", "county", "municipality"), value)
        county = value.get("county", value["riket"])
        return {
            "riket": value["riket"],
            "county": county,
            "municipality": value.get("municipality", county),
        }

    def table(self, key: str, t: Mapping, where: str) -> TableSpec:
        first, last = year_of(t["years"]["from"], self.year), year_of(t["years"]["to"], self.year)
        rows = t["rows"]
        if first > last:
            self.problem(t, "years", f"tables.{key}.years: 'from' ({first}) is after 'to' ({last})")
        by_area = isinstance(rows, dict)
        return TableSpec(
            id=key,
            caption=self.src(t, "caption"),
            unit=self.src(t, "unit"),
            header=self.src(t, "header"),
            years=tuple(range(first, last + 1)),
            rows=()
            if by_area
            else tuple(
                TableRow(
                    self.src(r, "label"), r["indicator"], f"{self.display}:{rows.item_lines[i]}"
                )
                for i, r in enumerate(rows)
            ),
            source=self.src(t, "source"),
            where=where,
            areas=rows["areas"] if by_area else "",
            indicator=rows["indicator"] if by_area else "",
            total=self.src(rows, "total") if by_area else None,
            note=self.src(t, "note") if "note" in t else None,
        )

    def problem(self, parent: Mapping, key: str, message: str) -> None:
        self.problems.append(Problem(self.where(parent, key), message))

    def figure(self, key: str, f: Mapping, where: str) -> FigureSpec:
        kind = f.get("kind", "bars")
        self.figure_problems(key, kind, f)
        years: tuple[int, ...] = ()
        if "years" in f:
            first = year_of(f["years"]["from"], self.year)
            years = tuple(range(first, year_of(f["years"]["to"], self.year) + 1))
        variants = {
            name: FigureVariant(
                level=fv.get("level", ""),
                **{
                    k: self.src(fv, k)
                    for k in (
                        "caption",
                        "note",
                        "chart_alt",
                        "alt",
                        "alt_missing",
                        "county_alt",
                        "county_alt_missing",
                    )
                    if k in fv
                },
            )
            for name, fv in f.get("variants", {}).items()
        }
        return FigureSpec(
            id=key,
            caption=self.src(f, "caption"),
            indicator=f.get("indicator", ""),
            level=f.get("level", "county"),
            year=year_of(f.get("year", "year"), self.year),
            order=f.get("order", "value-descending"),
            reference_label=self.src(f["reference"], "label") if "reference" in f else None,
            axis_label=self.src(f, "axis_label"),
            missing_order=f.get("missing_order", "nonresponse"),
            note=self.src(f, "note") if "note" in f else None,
            source=self.src(f, "source"),
            alt=self.src(f, "alt"),
            where=where,
            kind=kind,
            indicators=tuple(f.get("indicators", ())),
            legend=self.srcs(f["legend"]) if "legend" in f else (),
            years=years,
            county=f.get("county", ""),
            max_bars=f.get("max_bars", 30),
            variants=variants,
        )

    def figure_problems(self, key: str, kind: str, f: Mapping) -> None:
        """The keys a figure's kind needs and takes (the schema checks each key's type)."""
        path = f"figures.{key}"
        takes = {
            "bars": {
                "indicator",
                "level",
                "county",
                "max_bars",
                "year",
                "order",
                "reference",
                "missing_order",
            },
            "grouped-bars": {"indicators", "legend", "year", "order", "missing_order"},
            "trend": {"indicators", "legend", "years", "reference"},
        }[kind]
        common = {"kind", "caption", "axis_label", "note", "source", "alt", "variants"}
        for name in f:
            if name not in takes | common:
                self.problem(f, name, f"{path}.{name}: does not apply to kind {kind!r}")
        needs = {
            "bars": ("indicator",),
            "grouped-bars": ("indicators",),
            "trend": ("indicators", "years"),
        }[kind]
        for name in needs:
            if name not in f:
                self.problems.append(
                    Problem(f"{self.display}:{f.line}", f"{path}: kind {kind!r} needs {name!r}")
                )
        if "indicators" in f and len(f["indicators"]) < (2 if kind == "grouped-bars" else 1):
            self.problem(f, "indicators", f"{path}.indicators: {kind!r} needs at least two")
        if "legend" in f and "indicators" in f and len(f["legend"]) != len(f["indicators"]):
            self.problem(
                f,
                "legend",
                f"{path}.legend: {len(f['legend'])} names for {len(f['indicators'])} indicators",
            )
        if "county" in f and f.get("level") != "municipality":
            self.problem(f, "county", f"{path}.county: only with 'level: municipality'")
        if "county" in f and f["county"] not in {c.code for c in areas.counties()}:
            self.problem(f, "county", f'{path}.county: no county {f["county"]!r} (write e.g. "03")')
        if kind == "bars" and f.get("level", "county") == "county" and "reference" not in f:
            self.problem(f, "level", f"{path}: a län chart needs 'reference' (the riket line)")


class Locator:
    """The line of a place inside a content text. A text written over several lines (a folded
    ``>-`` block) has the line of its key in ``Src.where``; the line of a word in it is found
    by matching the text's words against the file's lines, in order."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def where(self, src: Src, offset: int) -> str:
        """``file:line`` of the character at ``offset`` in ``src.text``; ``src.where`` when it
        cannot be told (or the text is composed from several keys, as a reference is)."""
        path, _, start = src.where.rpartition(":")
        if not start.isdigit() or src.bibliographic:
            return src.where
        spans = [m.span() for m in re.finditer(r"\S+", src.text)]
        target = next((i for i, (_, end) in enumerate(spans) if end > offset), None)
        if target is None:
            return src.where
        words = [_unquoted(src.text[a:b]) for a, b in spans]
        lines = self._lines(path)
        first = int(start) - 1
        done = 0
        for number in range(first, min(len(lines), first + len(words) + 3)):
            written = [_unquoted(w) for w in lines[number].split()]
            matched = next(
                (
                    k
                    for k in range(min(len(written), len(words) - done), 0, -1)
                    if written[-k:] == words[done : done + k]
                ),
                0,
            )
            if matched and target < done + matched:
                return f"{path}:{number + 1}"
            done += matched
        return src.where

    def _lines(self, path: str) -> list[str]:
        if path not in self._files:
            try:
                text = Path(path).read_text(encoding="utf-8")
                self._files[path] = unicodedata.normalize("NFC", text).splitlines()
            except (OSError, UnicodeDecodeError):
                self._files[path] = []
        return self._files[path]


def _unquoted(word: str) -> str:
    return word.strip("\"'")
