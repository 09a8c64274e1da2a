"""The shortcuts taken for speed give the same results as the slow paths they replace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as sax_escape

import pytest
import yaml

from factsheet.inputs import yamlsource
from factsheet.xmltext import escape

ROOT = Path(__file__).resolve().parent.parent

RETYPED = """\
code: 0114
kommuner: [0114, "0181", 2021-06-01]
published: 2021-06-01
flag: yes
nested:
  - a: 1.50
    b: plain text
  - [true, null, 012]
0114: a key YAML reads as a number
"""


def _shape(value: Any) -> Any:
    """A value with everything the loader records about where and how it was written."""
    if isinstance(value, yamlsource.Mapping):
        return (
            "mapping",
            value.line,
            value.key_lines,
            value.written,
            value.keys_written,
            [(k, _shape(v)) for k, v in value.items()],
        )
    if isinstance(value, yamlsource.Sequence):
        return ("sequence", value.line, value.item_lines, value.written, [_shape(v) for v in value])
    return (type(value).__name__, value)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "name", ["lss.yaml", "workbook.yaml", "retyped"], ids=["lss", "workbook", "retyped"]
)
def test_c_yaml_loader_reads_what_the_python_loader_reads(name: str) -> None:
    """Values, line numbers and the as-written text of retyped scalars (``0114``) agree."""
    assert yamlsource._Loader is not yamlsource._PyLoader  # the fast loader is in use
    text = RETYPED if name == "retyped" else (ROOT / "content" / "2021" / name).read_text()
    fast, _ = yamlsource._load(yamlsource._Loader, text, name)
    slow, _ = yamlsource._load(yamlsource._PyLoader, text, name)
    assert _shape(fast) == _shape(slow)
    if name == "retyped":
        assert fast.written["code"] == "0114"
        assert fast["kommuner"].written == {0: "0114", 2: "2021-06-01"}
        assert fast.keys_written[76] == "0114"


def test_yaml_error_message_is_the_python_loaders(tmp_path: Path) -> None:
    """libyaml words a syntax error differently; the message is PyYAML's, at the right line."""
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        yamlsource.load_yaml(path, "bad.yaml")
    assert str(info.value) == "bad.yaml:3: YAML syntax error: expected ',' or ']', but got ':'"


@pytest.mark.parametrize(
    "text",
    ["", "plain", "a & b", "<b>&amp;</b>", "x > y < z", "say \"hi\" & 'bye'", "&&<<>>"],
)
def test_escape_matches_saxutils(text: str) -> None:
    assert escape(text) == sax_escape(text)
    quote = {'"': "&quot;"}
    assert escape(text, quote) == sax_escape(text, quote)


def test_startup_imports_no_networking_or_heavy_modules() -> None:
    """Building one sheet imports neither the networking modules ``xml.sax.saxutils`` drags
    in nor the packages only a cold cache needs."""
    modules = ["urllib.request", "http.client", "matplotlib", "pandas", "openpyxl", "numpy"]
    code = (
        "import sys, factsheet.cli, factsheet.render.pages, factsheet.batch\n"
        f"print([m for m in {modules!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"
