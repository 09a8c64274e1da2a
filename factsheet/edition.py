"""Next year's edition from this year's: ``factsheet new 2022 --from content/2021``.

The content folder is copied without its workbook. In ``lss.yaml``, ``year:`` and
``published:`` move on, ``workbook:`` names next year's file, and four-digit years written in
table ``years``, figure ``year`` and claims move on; ranges written relative to ``year``
(``year-2``) are left as they are, as they move with it. The file is edited line by line, so
comments and layout stay as written. Then every place the author must revise is listed: each
sentence with trend or comparison words (``rules.TREND_WORDS``), each text that names a year,
each placeholder fixed to a year, each literal number with a year.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet.errors import InputError, Problem
from factsheet.inputs.content import CONTENT_FILE, Locator, load_content
from factsheet.inputs.yamlsource import Mapping, load_yaml
from factsheet.model.richtext import LINK
from factsheet.model.spec import Spec, line_order, texts
from factsheet.resolve.claims import bind, excerpt, sentences, trend_words

_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_FIXED = re.compile(r"\{[^{}:]*(?::[^{}:]*)?:(?:19|20|21)\d\d\s*\}")
_WORKBOOKS = ("*.xlsx", "*.xlsm", "*.xls", "~$*")
FIRST_YEAR, LAST_YEAR = 1000, 9999


@dataclass(frozen=True)
class Change:
    """A value of ``lss.yaml`` moved on: ``where`` is ``file:line``."""

    where: str
    key: str
    before: str
    after: str


@dataclass(frozen=True)
class Review:
    """A place the author must read again: ``where`` (``file:line``), the block, why."""

    where: str
    label: str
    reason: str
    excerpt: str


@dataclass(frozen=True)
class Edition:
    source: Path
    target: Path
    year: int
    changes: list[Change]
    kept: list[str]  # year ranges written relative to ``year``, left as they are
    workbook: Path  # where next year's workbook goes
    review: list[Review]


def new_edition(year: int, source: Path, target: Path | None = None) -> Edition:
    """Copy ``source`` to ``target`` (default: a folder named ``year`` beside it) as the
    edition of ``year``; InputError when the source is not a valid content folder, the target
    exists or the year is not after the source's."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            Problem("YEAR", f"{year} is not a year of four digits ({FIRST_YEAR}-{LAST_YEAR})")
        )
    if not source.is_dir():
        raise InputError(Problem(str(source), "content folder not found"))
    spec = load_content(source)
    shift = year - spec.year
    if shift <= 0:
        raise InputError(
            Problem("YEAR", f"{year} is not after {spec.year}, the year of {spec.source}")
        )
    target = target if target is not None else source.parent / str(year)
    if target.exists():
        raise InputError(
            Problem(
                str(target),
                "already exists: nothing was copied; remove it or choose another folder with --to",
            )
        )
    display = str(target / CONTENT_FILE)
    raw = load_yaml(source / CONTENT_FILE, spec.source)
    lines = (source / CONTENT_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    mover = _Mover(lines, display, shift)
    mover.move(raw, year)
    _copy(source, target, "".join(mover.lines))
    new = load_content(target)
    review = mover.failed + _review(new)
    return Edition(
        source,
        target,
        year,
        mover.changes,
        mover.kept,
        target / new.workbook,
        sorted(review, key=lambda r: line_order(r.where)),
    )


class _Mover:
    """Edits values on their own lines of ``lss.yaml``."""

    def __init__(self, lines: list[str], display: str, shift: int) -> None:
        self.lines, self.display, self.shift = lines, display, shift
        self.changes: list[Change] = []
        self.kept: list[str] = []
        self.failed: list[Review] = []

    def move(self, raw: Mapping, year: int) -> None:
        self.edit(raw, "year", str(year))
        published: dt.date = raw["published"]
        self.edit(raw, "published", _later(published, self.shift).isoformat())
        self.edit(raw, "workbook", f"oj-{year}-lss.xlsx")
        for key, table in raw.get("tables", {}).items():
            self.years(table["years"], ("from", "to"), f"tables.{key}.years")
        for key, figure in raw.get("figures", {}).items():
            self.years(figure, ("year",), f"figures.{key}")
        for i, claim in enumerate(raw.get("claims", [])):
            self.years(claim, ("from", "to", "year"), f"claims[{i}]")

    def years(self, mapping: Mapping, keys: tuple[str, ...], path: str) -> None:
        for key in keys:
            value = mapping.get(key)
            if type(value) is int:
                self.edit(mapping, key, str(value + self.shift), f"{path}.{key}")
            elif value is not None:
                self.kept.append(f"{path}.{key}: {value}")

    def edit(self, mapping: Mapping, key: str, after: str, path: str = "") -> None:
        line = mapping.key_lines[key]
        before = _written(mapping[key])
        where = f"{self.display}:{line}"
        pattern = re.compile(
            rf"(?<![\w-])({re.escape(key)}\s*:\s*)(['\"]?){re.escape(before)}\2(?![\w-])"
        )
        text, count = pattern.subn(
            lambda m: f"{m.group(1)}{m.group(2)}{after}{m.group(2)}", self.lines[line - 1], 1
        )
        if count:
            self.lines[line - 1] = text
            self.changes.append(Change(where, path or key, before, after))
        else:
            reason = f"{path or key} not moved on: write {after} here by hand"
            self.failed.append(Review(where, path or key, reason, before))


def _written(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _later(date: dt.date, years: int) -> dt.date:
    """The same month and day ``years`` later (29 February becomes 28 February)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _copy(source: Path, target: Path, content: str) -> None:
    """Copy the folder without workbooks and with the new ``lss.yaml``, complete or not at
    all: into a temporary folder beside the target, then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        # symlinks are copied as links, never followed: a link to a parent folder would copy
        # without end
        shutil.copytree(source, staging, symlinks=True, ignore=shutil.ignore_patterns(*_WORKBOOKS))
        written = staging / CONTENT_FILE
        written.unlink()  # a link to a shared file: the new text must not be written through it
        written.write_text(content, encoding="utf-8")
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(Problem(str(target), f"cannot create the edition: {exc}")) from None
    except BaseException:  # Ctrl-C, out of memory: nothing half-copied is left
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _review(spec: Spec) -> list[Review]:
    """Every sentence with trend or comparison words, a year written out or a placeholder
    fixed to a year; every literal number with a year."""
    items = [item for item in texts(spec) if item.prose]
    checked: dict[tuple[int, int], list[str]] = {}
    unchecked: dict[tuple[int, int], list[str]] = {}  # rule none: the author must revise them
    for claim in spec.claims:
        for bound in bind(claim, items):
            key = (id(bound.item.src), bound.sentence[0])
            if claim.rule == "none":
                note = f"claims[{claim.index}] ({claim.reason})"
                unchecked.setdefault(key, []).append(note)
            else:
                checked.setdefault(key, []).append(f"claims[{claim.index}]")
    locator = Locator()
    out = []
    for item in items:
        text = item.src.text
        for start, end in sentences(text):
            sentence = text[start:end]
            reasons = _reasons(sentence)
            if not reasons:
                continue
            claims = checked.get((id(item.src), start))
            if claims:
                reasons.append(f"checked by {', '.join(claims)}")
            claims = unchecked.get((id(item.src), start))
            if claims:
                reasons.append(f"no rule checks {', '.join(claims)}")
            where = locator.where(item.src, start)
            out.append(Review(where, item.label, "; ".join(reasons), excerpt(sentence, 90)))
    for literal in spec.literal_numbers:
        years = _YEAR.findall(literal.text)
        if years:
            reason = f"literal number with a year: {', '.join(years)}"
            out.append(Review(literal.where, "literal_numbers", reason, literal.text))
    return out


def _reasons(sentence: str) -> list[str]:
    masked = LINK.sub(lambda m: " " * len(m.group()), sentence)
    fixed = _FIXED.findall(masked)
    masked = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), masked)
    reasons = []
    words = list(dict.fromkeys(w.lower() for _, w in trend_words(masked)))
    if words:
        reasons.append("trend or comparison: " + ", ".join(f'"{w}"' for w in words))
    years = list(dict.fromkeys(_YEAR.findall(masked)))
    if years:
        reasons.append(f"names the year {', '.join(years)}")
    if fixed:
        reasons.append(f"placeholder fixed to a year: {', '.join(fixed)}")
    return reasons
