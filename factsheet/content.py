"""Content folder (YAML) -> validated ``Spec``; every problem is collected with file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from . import schema
from .errors import ContentError, Problem, did_you_mean
from .model import (
    Block,
    Claim,
    FigureSpec,
    Labels,
    Metadata,
    Sentence,
    Spec,
    Src,
    TableRow,
    TableSpec,
    Variant,
)
from .yamlsource import Mapping, Sequence, load_yaml

CONTENT_FILE = "lss.yaml"
_YEARREF = re.compile(r"^year(?:\s*([+-])\s*(\d+))?$")
_ID = re.compile(r"^[A-Z][A-Z0-9]*\d$")


class SchemaChecker:
    """Walks the YAML against ``schema`` and collects problems."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []

    def at(self, line: int) -> str:
        return f"{self.display}:{line}"

    def fail(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.at(line), f"{path}: {message}" if path else message))

    def check_object(self, value: Any, name: str, path: str, line: int) -> None:
        if not isinstance(value, dict):
            self.fail(line, path, f"expected a mapping, got {_describe(value)}")
            return
        keys = {k.name: k for k in schema.lookup(name)}
        lines = getattr(value, "key_lines", {})
        written = getattr(value, "written", {})
        for key, item in value.items():
            where = lines.get(key, line)
            if key not in keys:
                shown = getattr(value, "keys_written", {}).get(key, str(key))
                self.fail(where, _join(path, shown), "unknown key" + _suggest(shown, keys))
                continue
            self.check_value(item, keys[key].kind, _join(path, key), where, written.get(key))
        for key in keys.values():
            if key.required and key.name not in value:
                self.fail(
                    getattr(value, "line", line), _join(path, key.name), "missing required key"
                )

    def check_value(
        self, value: Any, kind: str, path: str, line: int, written: str | None = None
    ) -> None:
        if kind.startswith("obj:"):
            self.check_object(value, kind[4:], path, line)
        elif kind.startswith("list["):
            self._check_list(value, kind[5:-1], path, line)
        elif kind.startswith("map["):
            self._check_map(value, kind[4:-1], path, line)
        elif kind == "blocks":
            self._check_blocks(value, path, line)
        else:
            message = _scalar_problem(value, kind)
            if message and written is not None and kind in ("text", "str", "id"):
                message += f": write '{written}' in quotes to keep it as text"
            if message:
                self.fail(line, path, message)

    def _check_list(self, value: Any, kind: str, path: str, line: int) -> None:
        if not isinstance(value, list):
            self.fail(line, path, f"expected a list, got {_describe(value)}")
            return
        lines = getattr(value, "item_lines", [line] * len(value))
        written = getattr(value, "written", {})
        for i, item in enumerate(value):
            self.check_value(item, kind, f"{path}[{i}]", lines[i], written.get(i))

    def _check_map(self, value: Any, kind: str, path: str, line: int) -> None:
        if not isinstance(value, dict):
            self.fail(line, path, f"expected a mapping, got {_describe(value)}")
            return
        lines = getattr(value, "key_lines", {})
        written = getattr(value, "written", {})
        for key, item in value.items():
            if not isinstance(key, str):
                shown = getattr(value, "keys_written", {}).get(key, repr(key))
                self.fail(
                    lines.get(key, line),
                    path,
                    f"key {shown} must be text: YAML reads it as {_describe(key)}; "
                    f"quote it: '{shown}'",
                )
                continue
            self.check_value(item, kind, _join(path, key), lines.get(key, line), written.get(key))

    def _check_blocks(self, value: Any, path: str, line: int) -> None:
        if not isinstance(value, list):
            self.fail(line, path, f"expected a list of blocks, got {_describe(value)}")
            return
        kinds = {k.name: k for k in schema.BLOCKS}
        lines = getattr(value, "item_lines", [line] * len(value))
        for i, item in enumerate(value):
            where, here = lines[i], f"{path}[{i}]"
            if not isinstance(item, dict) or len(item) != 1:
                self.fail(
                    where, here, "a block is a mapping with exactly one key, e.g. 'paragraph: ...'"
                )
                continue
            ((key, inner),) = item.items()
            if key not in kinds:
                self.fail(where, here, f"unknown block {key!r}" + _suggest(str(key), kinds))
                continue
            self.check_value(inner, kinds[key].kind, _join(here, key), where)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _suggest(word: str, options: Any) -> str:
    return did_you_mean(word, options)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    names = {
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        dt.date: "a date",
    }
    for typ, name in names.items():
        if isinstance(value, typ):
            return f"{name} ({value!r})" if isinstance(value, int | float | str) else name
    return type(value).__name__


def _scalar_problem(value: Any, kind: str) -> str:
    if kind == "text":
        return (
            ""
            if isinstance(value, str) and value.strip()
            else f"expected text, got {_describe(value)}"
        )
    if kind == "str":
        return "" if isinstance(value, str) else f"expected text, got {_describe(value)}"
    if kind == "int":
        return "" if type(value) is int else f"expected a whole number, got {_describe(value)}"
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return "" if ok else f"expected a number, got {_describe(value)}"
    if kind == "bool":
        return "" if isinstance(value, bool) else f"expected true or false, got {_describe(value)}"
    if kind == "date":
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return "" if ok else f"expected a date YYYY-MM-DD, got {_describe(value)}"
    if kind == "id":
        if isinstance(value, str) and _ID.match(value):
            return ""
        return f"expected an indicator id such as 'U28541', got {_describe(value)}"
    if kind == "yearref":
        if (type(value) is int and 1900 < value < 2200) or (
            isinstance(value, str) and _YEARREF.match(value)
        ):
            return ""
        return f"expected 'year', 'year-N' or a four-digit year, got {_describe(value)}"
    raise AssertionError(kind)


def year_of(ref: int | str, year: int) -> int:
    """Resolve a validated ``yearref`` against the edition's year."""
    if isinstance(ref, int):
        return ref
    match = _YEARREF.match(ref)
    assert match is not None
    sign, amount = match.groups()
    offset = int(amount or 0)
    return year - offset if sign == "-" else year + offset


def load_content(folder: Path) -> Spec:
    """Read and validate ``folder/lss.yaml``; raise ContentError listing every problem."""
    display = str(folder / CONTENT_FILE)
    if not folder.is_dir():
        raise ContentError(Problem(str(folder), "content folder not found"))
    data = load_yaml(folder / CONTENT_FILE, display)
    checker = SchemaChecker(display)
    checker.check_object(data, "document", "", 1)
    if checker.problems:
        raise ContentError(checker.problems)
    return _Builder(display, data).spec(str(folder))


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
            pages=d["pages"],
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
                )
            ),
            literal_numbers=tuple(self.src(item, "text") for item in d.get("literal_numbers", [])),
            title=self.src(d, "title"),
            ingress=self.src(d, "ingress"),
            box_heading=self.src(box, "heading"),
            box_items=self.srcs(box["items"]),
            body=self.blocks(d["body"]),
            footnotes={k: self.src(d["footnotes"], k) for k in d.get("footnotes", {})},
            references={k: self.src(d["references"], k) for k in d.get("references", {})},
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
        )

    def claim(self, index: int, c: Mapping, where: str) -> Claim:
        def year(key: str) -> int | None:
            return year_of(c[key], self.year) if key in c else None

        def number(key: str) -> float | None:
            return float(c[key]) if key in c else None

        return Claim(
            index=index,
            words=c["words"],
            inside=c.get("in", ""),
            indicator=c["indicator"],
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
        )

    def variant(self, kind: str, v: Mapping, where: str) -> Variant:
        comparison, sentences = v["comparison"], v["sentences"]
        optional = {
            k: self.src(v, k)
            for k in ("count_header", "count", "figure_caption", "figure_note")
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
            sentences=tuple(
                Sentence(self.src(s, "text"), self.src(s, "missing") if "missing" in s else None)
                for s in sentences
            ),
            figure_alt=self.src(v, "figure_alt"),
            figure_alt_missing=self.src(v, "figure_alt_missing"),
            where=where,
            answers={k: self.src(v["answers"], k) for k in v.get("answers", {})},
            figure_mode=v.get("figure", "county"),
            max_bars=v.get("max_bars", 0),
            **optional,
        )

    def blocks(self, seq: Sequence) -> tuple[Block, ...]:
        out = []
        for i, item in enumerate(seq):
            ((kind, value),) = item.items()
            where = f"{self.display}:{seq.item_lines[i]}"
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
        return tuple(out)

    def table(self, key: str, t: Mapping, where: str) -> TableSpec:
        first, last = year_of(t["years"]["from"], self.year), year_of(t["years"]["to"], self.year)
        rows = t["rows"]
        return TableSpec(
            id=key,
            caption=self.src(t, "caption"),
            unit=self.src(t, "unit"),
            header=self.src(t, "header"),
            years=tuple(range(first, last + 1)),
            rows=tuple(
                TableRow(
                    self.src(r, "label"), r["indicator"], f"{self.display}:{rows.item_lines[i]}"
                )
                for i, r in enumerate(rows)
            ),
            source=self.src(t, "source"),
            where=where,
        )

    def figure(self, key: str, f: Mapping, where: str) -> FigureSpec:
        return FigureSpec(
            id=key,
            caption=self.src(f, "caption"),
            indicator=f["indicator"],
            level=f["level"],
            year=year_of(f["year"], self.year),
            order=f["order"],
            reference_label=self.src(f["reference"], "label"),
            axis_label=self.src(f, "axis_label"),
            missing_order=f["missing_order"],
            note=self.src(f, "note") if "note" in f else None,
            source=self.src(f, "source"),
            alt=self.src(f, "alt"),
            where=where,
        )


class Locator:
    """The line of a place inside a content text. A text written over several lines (a folded
    ``>-`` block) has the line of its key in ``Src.where``; the line of a word in it is found
    by matching the text's words against the file's lines, in order."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def where(self, src: Src, offset: int) -> str:
        """``file:line`` of the character at ``offset`` in ``src.text``; ``src.where`` when it
        cannot be told."""
        path, _, start = src.where.rpartition(":")
        if not start.isdigit():
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
                self._files[path] = Path(path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._files[path] = []
        return self._files[path]


def line_order(where: str) -> tuple[str, int]:
    """A sort key putting ``file:line`` places in the order of their files."""
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (where, 0)


def _unquoted(word: str) -> str:
    return word.strip("\"'")
