"""Words wider than their column: a long address breaks after / and - and stays inside the
side box (it ran off the page, x = 598 pt on a 595 pt page, text cut); a word that cannot break
is an input error at its line (it was cut at an arbitrary letter: 'Don' / 'audampf…')."""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

import pikepdf
import pytest
from conftest import line_of, pdftotext, run_cli
from faultlib import CONTENT, FONTS

ADDRESS = (
    "https://www.socialstyrelsen.se/statistik-och-data/oppna-jamforelser/socialtjanst/"
    "funktionsnedsattning/lss-och-socialpsykiatri/statistikdatabasen-och-tabeller"
)
ANCHOR = "      myndighetsutövningen.\n"


def content_with(tmp_path: Path, added: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lss = content / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1  # the end of the side box's first item
    lss.write_text(text.replace(ANCHOR, ANCHOR[:-1] + f" {added}\n"), encoding="utf-8")
    return content


def right_edge(pdf: Path) -> float:
    """The right end of the rightmost word on page 1."""
    words = pdftotext(pdf, "-bbox", "-f", "1", "-l", "1").split("<word ")[1:]
    return max(float(w.split('xMax="')[1].split('"')[0]) for w in words)


def test_a_long_address_breaks_at_slashes_and_hyphens_inside_the_box(
    tmp_path: Path, national_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = content_with(tmp_path, f"Se {ADDRESS} .")
    out = tmp_path / "out.pdf"
    code, _, err = run_cli(capsys, "build", "--content", content, "--fonts", FONTS, "-o", out)
    assert code == 0, err
    # no further right than the text of the sheet without it (the column edge); it ran off
    # the page, to x = 598 pt on a 595 pt page
    assert right_edge(out) <= right_edge(national_pdf) + 0.01
    with pikepdf.open(out) as pdf:
        targets = [str(a.A.URI) for a in pdf.pages[0].get("/Annots", []) if "/A" in a]
    assert targets.count(ADDRESS) >= 3  # one link per line it spans, each to the whole address


def test_a_word_that_cannot_break_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    word = "Donaudampfschiffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
    content = content_with(tmp_path, word)
    out = tmp_path / "out.pdf"
    code, _, err = run_cli(capsys, "build", "--content", content, "--fonts", FONTS, "-o", out)
    assert code == 2
    line = line_of(content / "lss.yaml", word)
    assert err[0].startswith(
        f"{content / 'lss.yaml'}:{line}: the word 'Donaudampfschiffahrtselektrizitätenhauptbetrie"
    )
    assert "wider than its column" in err[0] and "has no place to break" in err[0]
    assert not out.exists()


MORE_INFO = "https://www.socialstyrelsen.se/statistik-och-data/oppna-jamforelser/socialtjanst/"


@pytest.mark.parametrize("area", [[], ["--county", "09"], ["--municipality", "2080"]])
def test_an_address_in_ragged_text_breaks_after_a_slash_or_before_a_hyphen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], area: list[str]
) -> None:
    """The 'Mer information' address of page 4 was cut between letters in all 324 sheets
    ('https://ww' / 'w.socialstyrelsen.se/…/so' / 'cialtjanst/…')."""
    out = tmp_path / "out.pdf"
    code, _, err = run_cli(capsys, "build", *area, "--fonts", FONTS, "-o", out)
    assert code == 0, err
    lines = pdftotext(out, "-raw").splitlines()
    first = next(i for i, line in enumerate(lines) if "https://www.socialstyrelsen" in line)
    parts = [lines[first][lines[first].index("https://") :]]
    while not parts[-1].endswith("funktionsnedsattning/"):
        parts.append(lines[first + len(parts)])
    assert "".join(parts).startswith(MORE_INFO)
    assert len(parts) >= 3
    for head, tail in pairwise(parts):
        assert head.endswith("/") or tail.startswith("-"), (head, tail)
