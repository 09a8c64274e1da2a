"""A text far beyond the page budget (#16: 250 000 words in a paragraph did not finish in 300 s):
refused before it is laid out, quickly, at its line; a text that overflows by more than a page
stops the layout a page after the budget instead of laying all of it out."""

from __future__ import annotations

import random
import re
import resource
import shutil
import subprocess
from pathlib import Path

import pytest
from faultlib import CONTENT, FONTS, factsheet

from factsheet.build import check, load_inputs
from factsheet.errors import RenderError
from factsheet.model import areas
from factsheet.render.pages import plan_notes

LAST = "      verksamheter att komma igång med systematisk uppföljning{note:systematisk}."
WORDS = ["kommun", "verksamhet", "och", "stöd", "insats", "uppföljning", "det", "är", "en"]
CPU_SECONDS = 60  # generous for a loaded machine: the refusal takes about 3 s of CPU


def with_words(tmp_path: Path, count: int) -> tuple[Path, int]:
    """A copy of the content whose paragraph 4 has ``count`` more words; and its line."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    lss = folder / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    assert text.count(LAST) == 1
    rng = random.Random(count)
    more = " ".join(rng.choice(WORDS) for _ in range(count))
    lss.write_text(text.replace(LAST, f"{LAST[:-1]} {more}."), encoding="utf-8")
    return folder, text[: text.index(LAST)].count("\n")  # the line of 'paragraph: >-'


def _limit_cpu() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def test_a_paragraph_of_250_000_words_is_refused_quickly_at_its_line(tmp_path: Path) -> None:
    content, line = with_words(tmp_path, 250_000)
    target = tmp_path / "out" / "oj-2021-lss-riket.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF- the earlier sheet")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the kernel stops the process after CPU_SECONDS of CPU (SIGXCPU): a layout that goes on
    # fails the test instead of hanging it
    done = subprocess.run(
        factsheet("build", "--content", content, "--fonts", FONTS, "-o", target),
        capture_output=True,
        text=True,
        timeout=10 * CPU_SECONDS,
        preexec_fn=_limit_cpu,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    lines = done.stderr.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(content / 'lss.yaml'))}:{line}: paragraph 4: 1,\d{{3}},\d{{3}} "
        r"characters, more than the 4 pages set by 'pages' can hold: set in the sheet's "
        r"smallest type they would fill \d{2,3} pages; shorten the text",
        lines[0],
    ), lines[0][:300]
    assert lines[-1] == "Aborted: 1 problem in the input; nothing was written."
    assert "Traceback" not in done.stderr
    assert target.read_bytes() == b"%PDF- the earlier sheet"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    assert cpu < CPU_SECONDS, cpu


def test_the_layout_stops_a_page_after_the_budget(tmp_path: Path) -> None:
    # about six pages too many: under the refusal bound, so the layout is what finds it
    content, _ = with_words(tmp_path, 5_000)
    inputs = load_inputs(content, None, FONTS)
    document = check(inputs, [areas.riket()])[areas.RIKET]
    with pytest.raises(RenderError) as caught:
        plan_notes(document)
    (problem,) = caught.value.problems
    assert problem.message.startswith("page 4 overflows by more than a page (at least "), problem
    assert problem.message.endswith(
        "lines of body text; the layout stopped there): the content needs more than the 4 pages "
        "set by 'pages'; shorten the text or move a page_break"
    )
    at_least = float(problem.message.split("(at least ")[1].split(" pt")[0])
    assert 500 < at_least < 1600, at_least  # one page (two columns) over, not all six


@pytest.mark.parametrize("pages", ["1000000000000000000000000000000", "41", "0", "-3"])
def test_pages_beyond_the_bound_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pages: str
) -> None:
    """``pages: 10**30`` passed check and the build grew to 24 GB (#16)."""
    from conftest import run_cli

    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    lss = folder / "lss.yaml"
    text = lss.read_text(encoding="utf-8")
    assert text.count("\npages: 4\n") == 1
    lss.write_text(text.replace("\npages: 4\n", f"\npages: {pages}\n"), encoding="utf-8")
    line = text[: text.index("\npages: 4\n")].count("\n") + 2
    code, _, err = run_cli(capsys, "check", "--content", folder, "--fonts", FONTS)
    assert code == 2
    assert err[0] == (
        f"{lss}:{line}: pages: expected a whole number of pages from 1 to 40, "
        f"got a number ({pages})"
    )
