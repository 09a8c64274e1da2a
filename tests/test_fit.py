"""`factsheet check` lays sheets out: riket, one county and one kommun (every area with
`--all`), and reports each sheet that overflows its page budget with the area, the page and
by how much: the same words `build` stops with for that area."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from conftest import run_cli as run

from factsheet import fit
from factsheet.build import check, load_inputs
from factsheet.model import areas

FONTS = ROOT / "fonts"
ABORTED = "Aborted: {} problem{} in the input; nothing was written."


def edit(content: Path, old: str, new: str) -> None:
    path = content / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_error(capsys: pytest.CaptureFixture[str], content: Path, *area: str) -> str:
    """The overflow message `build` stops with for one area (exit 1, nothing written)."""
    out = content.parent / "built.pdf"
    code, _, err = run(capsys, "build", "--content", content, "--fonts", FONTS, *area, "-o", out)
    assert (code, err[1:]) == (1, ["Build failed; nothing was written."])
    assert not out.exists()
    return err[0]


def test_the_sample_is_the_largest_county_and_its_longest_kommun_name() -> None:
    riket, county, kommun = fit.sample()
    units = areas.responding_units()
    count = {c.code: sum(u.county == c.code for u in units) for c in areas.counties()}
    assert riket == areas.riket()
    assert county.kind == "county" and count[county.code] == max(count.values())
    assert kommun.kind == "municipality" and kommun.county == county.code
    assert len(kommun.name) == max(len(u.name) for u in units if u.county == county.code)
    assert (county.code, kommun.code) == ("14", "1415")  # Västra Götaland, Stenungsund


def test_check_reports_every_sample_sheet_that_overflows(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    edit(content_copy, "\npages: 4\n", "\npages: 3\n")
    code, out, err = run(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    assert (code, out) == (2, [])
    assert err == [
        f"Riket: {build_error(capsys, content_copy)}",
        f"Västra Götalands län (14): {build_error(capsys, content_copy, '--county', '14')}",
        f"Stenungsund (1415): {build_error(capsys, content_copy, '--municipality', '1415')}",
        ABORTED.format(3, "s"),
    ]
    assert err[0].startswith("Riket: page 3 overflows by ")
    assert err[0].endswith(
        "the content needs more than the 3 pages set by 'pages'; shorten the text or move a "
        "page_break"
    )


LONG = (
    "Den här meningen är skriven för att göra kommunens avsnitt längre än vad sidan rymmer, "
    "så att bara kommunernas faktablad får för mycket text och de andra får plats. "
)


def test_only_the_kommun_sheet_overflows(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    """Text only a kommun's sheet prints: riket and the county fit, the kommun is named."""
    make_kommun_text_long(content_copy)
    code, out, err = run(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    assert (code, out) == (2, [])
    overflow = build_error(capsys, content_copy, "--municipality", "1415")
    assert overflow.startswith("page 4 overflows by ")
    assert err == [f"Stenungsund (1415): {overflow}", ABORTED.format(1, "")]


def make_kommun_text_long(content: Path) -> None:
    """A long sentence in the municipality variant (after its last one): only kommun sheets
    get longer."""
    end = '          missing: "En sådan plan har {X90550} procent av kommunerna i riket."\n\n'
    edit(content, end, f"{end[:-1]}      - text: {LONG * 40}\n\n")


def test_check_all_lays_out_every_area(
    capsys: pytest.CaptureFixture[str], content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--all` lays out what ``fit.everything`` lists (here cut to a few areas, laid out in
    worker processes) and names each area that does not fit, in the order of the list, and
    no other."""
    codes = ["00", "03", "0180-01", "1415", "25", "0380", "2584", "09", "0980"]
    assert set(codes) <= {a.code for a in fit.everything()} and len(fit.everything()) == 324
    monkeypatch.setattr(fit, "everything", lambda: [areas.area(c) for c in codes])
    monkeypatch.setattr(fit, "PARALLEL_FROM", 2)
    argv = ["check", "--content", content_copy, "--fonts", FONTS, "--all", "-j", "2"]
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (0, [f"OK: {content_copy} and its workbook have no problems"], [])
    make_kommun_text_long(content_copy)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, [])
    assert [e.split(": page 4 overflows by ")[0] for e in err] == [
        "Rinkeby-Kista (0180-01)",
        "Stenungsund (1415)",
        "Uppsala (0380)",
        "Kiruna (2584)",
        ABORTED.format(4, "s"),
    ]  # riket, the län and Gotland (a one-kommun län: texts of its own) do not print it


def test_overflows_in_workers_match_one_process(content_copy: Path) -> None:
    edit(content_copy, "\npages: 4\n", "\npages: 3\n")
    inputs = load_inputs(content_copy, None, FONTS)
    wanted = [areas.area(c) for c in ("00", "03", "0180-01", "1415", "25", "0380", "09", "0980")]
    documents = check(inputs, [])
    parallel = fit.overflows(inputs, documents, wanted, jobs=2)
    assert [p.where for p in parallel] == [
        "Riket",
        "Uppsala län (03)",
        "Rinkeby-Kista (0180-01)",
        "Stenungsund (1415)",
        "Norrbottens län (25)",
        "Uppsala (0380)",
        "Gotlands län (09)",
        "Gotland (0980)",
    ]
    assert all(p.message.startswith("page 3 overflows by ") for p in parallel)
    assert parallel == fit.overflows(inputs, documents, wanted, jobs=1)
