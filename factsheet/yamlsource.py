"""Safe YAML loading that remembers where every value was written (for located messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem


class Mapping(dict[str, Any]):
    """A YAML mapping; ``line`` is where it starts, ``key_lines`` where each key is."""

    line: int = 0
    key_lines: dict[str, int]


class Sequence(list[Any]):
    """A YAML sequence; ``item_lines`` holds the line of each item."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader (no object construction) that records line numbers and rejects duplicate keys."""

    duplicates: list[Problem]
    source: str

    def construct_mapping(  # type: ignore[override]
        self, node: yaml.MappingNode, deep: bool = False
    ) -> Mapping:
        self.flatten_mapping(node)
        result = Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in result:
                self.duplicates.append(Problem(f"{self.source}:{line}", f"duplicate key {key!r}"))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Sequence:
        result = Sequence(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load_yaml(path: Path, display: str) -> Any:
    """Load one YAML file safely; syntax errors and duplicate keys become ContentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(Problem(display, "file not found")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(Problem(display, f"cannot read file: {exc}")) from None
    loader = _Loader(text)
    loader.duplicates = []
    loader.source = display
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = exc.problem or exc.context or "invalid YAML"
        raise ContentError(Problem(f"{display}:{line}", f"YAML syntax error: {reason}")) from None
    except yaml.YAMLError as exc:
        raise ContentError(Problem(display, f"YAML error: {exc}")) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise ContentError(loader.duplicates)
    return data
