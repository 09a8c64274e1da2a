"""The built national sheet reproduces every line of the published 2021 fact sheet."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import normalize, pdftotext


def _blocks(text: str) -> list[str]:
    """Extracted lines: where a paragraph is interrupted (a page foot, a footnote, the side box),
    the seed line is split between the end of one extracted line and the start of another."""
    return [normalize(b) for b in re.split(r"\n|\f", text) if normalize(b)]


def _found(line: str, blocks: list[str], whole: str) -> bool:
    """Found whole, or split once where one extracted line ends and another begins."""
    if line in whole:
        return True
    for k in range(4, len(line) - 3):
        head, tail = line[:k], line[k:]
        if any(b.endswith(head) for b in blocks) and any(b.startswith(tail) for b in blocks):
            return True
    return False


def test_every_seed_line_is_in_the_pdf(national_pdf: Path, seed_text: str) -> None:
    text = pdftotext(national_pdf)
    blocks, whole = _blocks(text), normalize(text)
    lines = [normalize(line) for line in seed_text.splitlines()]
    missing = [line for line in lines if line and not _found(line, blocks, whole)]
    assert missing == []


def test_seed_paragraphs_are_single_blocks(national_text: str, seed_text: str) -> None:
    """Whole sentences survive, not just lines: a long seed sentence is found in one piece."""
    whole = normalize(national_text)
    sentence = (
        "Så även om allt fler använder en strukturerad dokumentation vid utredning och "
        "uppföljning tycks det inte leda till att fler sammanställer uppgifterna"
    )
    assert normalize(sentence) in whole


def test_the_check_can_fail(tmp_path: Path, national_pdf: Path) -> None:
    """Guard: the line matcher rejects a line that is not in the PDF."""
    text = pdftotext(national_pdf)
    assert not _found(
        normalize("Det här står inte i faktabladet alls"), _blocks(text), normalize(text)
    )
