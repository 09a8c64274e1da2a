"""Safe YAML loading that remembers where every value was written (for located messages)."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from factsheet.errors import ContentError, Problem


class Mapping(dict[str, Any]):
    """A YAML mapping; ``line`` is where it starts, ``key_lines`` where each key is.
    ``written`` holds, for each key whose unquoted value YAML read as something other than
    text (a number, a date, true/false), the value as written: ``0114`` is read as 76."""

    line: int = 0
    key_lines: dict[str, int]
    written: dict[Any, str]
    keys_written: dict[Any, str]


class Sequence(list[Any]):
    """A YAML sequence; ``item_lines`` holds the line of each item, ``written`` as for
    ``Mapping`` by item index."""

    line: int = 0
    item_lines: list[int]
    written: dict[int, str]


class _LineMixin:
    """Safe loading (no object construction) that records line numbers and rejects duplicate
    keys; mixed into the C loader (fast) and the pure-Python one (its error messages)."""

    duplicates: list[Problem]
    source: str

    def construct_mapping(self: Any, node: yaml.MappingNode, deep: bool = False) -> Mapping:
        self.flatten_mapping(node)
        result = Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines, result.written, result.keys_written = {}, {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a name, not a list or mapping", key_node.start_mark
                ) from None
            if key in result:
                self.duplicates.append(Problem(f"{self.source}:{line}", f"duplicate key {key!r}"))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
            if _retyped(key_node, key):
                result.keys_written[key] = key_node.value
            if _retyped(value_node, result[key]):
                result.written[key] = value_node.value
        return result

    def construct_sequence(self: Any, node: yaml.SequenceNode, deep: bool = False) -> Sequence:
        result = Sequence(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        result.written = {
            i: child.value for i, child in enumerate(node.value) if _retyped(child, result[i])
        }
        return result


def _retyped(node: yaml.Node, value: Any) -> bool:
    """An unquoted scalar that YAML read as something other than text (``0114`` -> 76)."""
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain: None from PyYAML's parser, "" from libyaml's
        and value is not None
        and not isinstance(value, str)
    )


class _PyLoader(_LineMixin, yaml.SafeLoader):  # type: ignore[misc]
    """The pure-Python loader: slower, but its syntax error messages say what was expected."""


# libyaml's scanner and parser when PyYAML was built with it (parsing the content ~8x faster);
# the values and line marks are the same, only error messages differ, so a file that fails is
# read again with the pure-Python loader for its message.
_Loader: type[Any] = _PyLoader
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(_LineMixin, yaml.CSafeLoader):  # type: ignore[misc]
        pass

    _Loader = _CLoader

for _cls in (_Loader, _PyLoader):
    _cls.add_constructor("tag:yaml.org,2002:map", _LineMixin.construct_mapping)
    _cls.add_constructor("tag:yaml.org,2002:seq", _LineMixin.construct_sequence)


def load_yaml(path: Path, display: str) -> Any:
    """Load one YAML file safely; syntax errors and duplicate keys become ContentError."""
    text = read_text(path, display)
    try:
        data, duplicates = _load(_Loader, text, display)
    except RecursionError:
        raise ContentError(_too_deep(text, display)) from None
    except yaml.YAMLError:
        try:  # the same file through the pure-Python loader, for its message
            data, duplicates = _load(_PyLoader, text, display)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            raise ContentError(Problem(f"{display}:{line}", _reason(exc))) from None
        except yaml.YAMLError as exc:
            raise ContentError(Problem(display, f"YAML error: {exc}")) from None
        except RecursionError:
            raise ContentError(_too_deep(text, display)) from None
    depth, size = _shape(data)
    if depth > MAX_DEPTH:  # what loaded still nests too deep for the checks after it
        raise ContentError(_too_deep(text, display))
    if size > MAX_VALUES:  # aliases of aliases ("billion laughs") expand without end
        raise ContentError(
            Problem(
                display,
                f"aliases (*name) expand to more than {MAX_VALUES:,} values; content is a few "
                "thousand: write the text out instead of repeating anchors",
            )
        )
    if duplicates:
        raise ContentError(duplicates)
    return data


def _shape(data: Any) -> tuple[int, int]:
    """How deep ``data`` nests lists and mappings and how many values it holds with every alias
    expanded; found without recursion and in time linear in the distinct objects (an alias
    is the same object again). A structure that contains itself counts as too deep."""
    done: dict[int, tuple[int, int]] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        value, closing = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        key = id(value)
        items = list(value.values() if isinstance(value, dict) else value)
        if closing:
            open_.discard(key)
            parts = [done.get(id(i), (0, 1)) for i in items]
            depth = 1 + max((d for d, _ in parts), default=0)
            done[key] = (depth, 1 + sum(s for _, s in parts))
            continue
        if key in done:
            continue
        if key in open_:
            return MAX_DEPTH + 1, 0
        open_.add(key)
        stack.append((value, True))
        stack.extend((item, False) for item in items if id(item) not in done)
    return done.get(id(data), (0, 1))


def read_text(path: Path, display: str) -> str:
    """The file's text as UTF-8, normalised to NFC (text pasted from macOS can be decomposed:
    a letter and a combining accent, which the fonts would draw as two glyphs or not at all).
    Only a regular file is read: a FIFO, a device or a folder is refused instead of blocking
    or reading without end."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ContentError(Problem(display, "file not found")) from None
    except OSError as exc:
        raise ContentError(Problem(display, f"cannot read file: {exc}")) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise ContentError(Problem(display, "cannot read file: not a regular file"))
        if status.st_size > MAX_BYTES:
            raise ContentError(
                Problem(
                    display,
                    f"cannot read file: {status.st_size // 1_000_000} MB is more than content "
                    f"can be ({MAX_BYTES // 1_000_000} MB)",
                )
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError(Problem(display, f"cannot read file: {exc}")) from None
    finally:
        os.close(fd)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(Problem(display, f"cannot read file: {exc}")) from None
    return unicodedata.normalize("NFC", text)


MAX_BYTES = 10_000_000  # a content file is a few dozen KB
MAX_DEPTH = 100  # content nests a few levels; a parser would recurse without end
MAX_VALUES = 1_000_000  # the 2021 content holds about 3 000


def _too_deep(text: str, display: str) -> Problem:
    """Where ``text`` nests more than ``MAX_DEPTH`` mappings and lists (found without
    recursion, from the parser's events)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_PyLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 0
                    return Problem(f"{display}:{line}", _DEEP)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return Problem(display, _DEEP)


_DEEP = f"nested more than {MAX_DEPTH} levels deep (lists and mappings inside each other)"


def _load(kind: type[Any], text: str, display: str) -> tuple[Any, list[Problem]]:
    loader = kind(text)
    loader.duplicates = []
    loader.source = display
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


_TAG = re.compile(r"constructor for the tag '([^']*)'")


def _reason(exc: yaml.MarkedYAMLError) -> str:
    """What is wrong, in words: a refused tag (``!!python/object``) or a syntax error."""
    problem = exc.problem or exc.context or "invalid YAML"
    tag = _TAG.search(problem)
    if isinstance(exc, yaml.constructor.ConstructorError) and tag:
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!", 1)
        return (
            f"YAML tag {name!r} is not allowed: content is plain YAML "
            "(text, numbers, lists, mappings); tags that build objects are refused"
        )
    if isinstance(exc, yaml.constructor.ConstructorError):
        return f"YAML error: {problem}"
    return f"YAML syntax error: {problem}"
