"""Publication quality (issue 15): complete references, the measure, hyphenation, the chart's
labels, and tagged text a screen reader can follow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, line_of, normalize, run_cli

FONTS = ROOT / "fonts"


def _edit(content: Path, old: str, new: str) -> None:
    path = content / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- references ---------------------------------------------------------------------------
def test_reference_list_names_every_source_in_full(national_text: str) -> None:
    """[1]–[7] each name author, year and title; no placeholder text is printed."""
    flat = normalize(national_text)
    assert "Källannamngesinte" not in flat
    found = re.findall(r"\[(\d)\]\s+([^\[]+?)\((\d{4})\)\.", national_text)
    numbers = [n for n, _, _ in found]
    assert numbers == [str(n) for n in range(1, 8)]
    for wanted in (
        "Socialstyrelsen (2014). Socialstyrelsens allmänna råd om kompetens",
        "SOSFS 2014:2",
        "Myndigheten för vård- och omsorgsanalys (2021). Effekten av IBIC",
        "Myndigheten för delaktighet (2021). Barn och unga mitt i en pandemi",
        "Insatser och stöd till personer med funktionsnedsättning – Lägesrapport 2021",
        "Vad har IVO sett 2020?",
    ):
        assert normalize(wanted) in flat, wanted


def test_reference_without_year_or_title_is_refused(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    yaml = content_copy / "lss.yaml"
    rad = line_of(yaml, "  allmanna-rad:\n") + 1  # the entry's first line
    _edit(content_copy, "    year: 2014\n", "")
    _edit(content_copy, "    title: Vad har IVO sett 2020?", "    url: https://www.ivo.se/ #")
    ivo = line_of(yaml, "  ivo:\n") + 1
    code, _, err = run_cli(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    assert code == 2
    assert err == [
        f"{yaml}:{rad}: references.allmanna-rad.year: missing required key",
        f"{yaml}:{ivo}: references.ivo.title: missing required key",
        "Aborted: 2 problems in the input; nothing was written.",
    ]


def test_reference_as_bare_text_is_refused(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    """The old one-line form says nothing checkable: refused, pointing at the entry."""
    yaml = content_copy / "lss.yaml"
    start = line_of(yaml, "  ivo:\n")
    text = yaml.read_text(encoding="utf-8")
    head, _, _ = text.partition("  ivo:\n")
    rest = text.split("  ivo:\n", 1)[1].split("\n\n", 1)[1]
    yaml.write_text(head + '  ivo: "Inspektionen för vård och omsorg (IVO)."\n\n' + rest, "utf-8")
    code, _, err = run_cli(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    assert code == 2
    assert err[0].startswith(f"{yaml}:{start}: references.ivo: expected a mapping, got text")
    assert CONTENT.is_dir()
