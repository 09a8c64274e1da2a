"""Walks content YAML against ``schema`` and collects problems with file:line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from factsheet.errors import Problem, did_you_mean
from factsheet.inputs import schema
from factsheet.model.spec import Claim

_YEARREF = re.compile(r"^year(?:\s*([+-])\s*(\d+))?$")
MAX_PAGES = 40  # a page budget beyond this is a typing mistake, not a fact sheet
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
        elif kind.startswith("either:"):
            self._check_either(value, kind[len("either:") :].split(" or "), path, line, written)
        else:
            message = _scalar_problem(value, kind)
            if message and written is not None and kind in ("text", "str", "id"):
                message += f": write '{written}' in quotes to keep it as text"
            if message:
                self.fail(line, path, message)

    def _check_either(
        self, value: Any, kinds: list[str], path: str, line: int, written: str | None
    ) -> None:
        """One of several shapes, chosen by what was written: a mapping, a list or a scalar."""
        for kind in kinds:
            mapping = kind.startswith(("obj:", "map["))
            listed = kind.startswith("list[")
            scalar = not mapping and not listed
            if (
                (mapping and isinstance(value, dict))
                or (listed and isinstance(value, list))
                or (scalar and not isinstance(value, dict | list))
            ):
                self.check_value(value, kind, path, line, written)
                return
        shapes = " or ".join(_shape(k) for k in kinds)
        self.fail(line, path, f"expected {shapes}, got {_describe(value)}")

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
            kinds_written = [k for k in item if k != "only"] if isinstance(item, dict) else []
            if len(kinds_written) != 1:
                self.fail(
                    where,
                    here,
                    "a block is a mapping with exactly one key, e.g. 'paragraph: ...' "
                    "(and optionally 'only: [riket, county, municipality]')",
                )
                continue
            if "only" in item:
                self.check_value(
                    item["only"], "list[enum:riket|county|municipality]", _join(here, "only"), where
                )
            key, inner = kinds_written[0], item[kinds_written[0]]
            if key not in kinds:
                self.fail(where, here, f"unknown block {key!r}" + _suggest(str(key), kinds))
                continue
            self.check_value(inner, kinds[key].kind, _join(here, key), where)


def _shape(kind: str) -> str:
    if kind.startswith(("obj:", "map[")):
        return "a mapping"
    if kind.startswith("list["):
        return "a list"
    return {"int": "a whole number", "pages": "a whole number", "id": "an indicator id"}.get(
        kind, kind
    )


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
    if kind == "pages":
        if type(value) is int and 1 <= value <= MAX_PAGES:
            return ""
        return f"expected a whole number of pages from 1 to {MAX_PAGES}, got {_describe(value)}"
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
        return f"expected an indicator id such as 'U33621', got {_describe(value)}"
    if kind.startswith("enum:"):
        choices = kind[len("enum:") :].split("|")
        if isinstance(value, str) and value in choices:
            return ""
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        return f"expected one of {', '.join(choices)}, got {value!r}{hint}"
    if kind == "yearref":
        if (type(value) is int and 1900 < value < 2200) or (
            isinstance(value, str) and _YEARREF.match(value)
        ):
            return ""
        return f"expected 'year', 'year-N' or a four-digit year, got {_describe(value)}"
    raise AssertionError(kind)


TRENDS = ("increasing", "decreasing", "increased", "decreased")
_KEYS = {
    **{rule: {"from", "to", "max_change", "min_change"} for rule in TRENDS},
    "stable": {"from", "to", "max_change"},
    "between": {"year", "min", "max"},
    "higher": {"year", "than"},
    "lower": {"year", "than"},
    "none": {"reason"},
}
_COMMON = {"words", "in", "rule", "sentences"}


def claim_problems(claim: Claim) -> list[Problem]:
    """What is wrong with a claim's keys for its rule."""
    path, rule = f"claims[{claim.index}]", claim.rule
    allowed = _COMMON | _KEYS[rule] | ({"indicator"} if rule != "none" else set())
    out = [
        Problem(claim.where, f"{path}: {key!r} does not apply to rule {rule!r}")
        for key in sorted(claim.keys - allowed)
    ]
    needed = {
        "'indicator'": rule != "none" and "indicator" not in claim.keys,
        "a 'reason'": rule == "none" and not claim.reason.strip(),
        "'from'": rule in (*TRENDS, "stable") and "from" not in claim.keys,
        "'max_change'": rule == "stable" and "max_change" not in claim.keys,
        "'than'": rule in ("higher", "lower") and "than" not in claim.keys,
        "'min' or 'max'": rule == "between" and not {"min", "max"} & claim.keys,
    }
    out += [
        Problem(claim.where, f"{path}: rule {rule!r} needs {keys}")
        for keys, missing in needed.items()
        if missing
    ]
    if claim.sentences < 1:
        out.append(Problem(claim.where, f"{path}.sentences: expected 1 or more"))
    if claim.first is not None and claim.first >= claim.last:
        out.append(
            Problem(
                claim.where,
                f"{path}: 'from' ({claim.first}) must be before 'to' ({claim.last})",
            )
        )
    return out
