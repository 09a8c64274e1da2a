"""Safe YAML loading that remembers where every value was written (for located messages)."""

from __future__ import annotations

import re
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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(Problem(display, "file not found")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(Problem(display, f"cannot read file: {exc}")) from None
    try:
        data, duplicates = _load(_Loader, text, display)
    except yaml.YAMLError:
        try:  # the same file through the pure-Python loader, for its message
            data, duplicates = _load(_PyLoader, text, display)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            raise ContentError(Problem(f"{display}:{line}", _reason(exc))) from None
        except yaml.YAMLError as exc:
            raise ContentError(Problem(display, f"YAML error: {exc}")) from None
    if duplicates:
        raise ContentError(duplicates)
    return data


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
