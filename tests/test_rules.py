"""Claims: trend and comparison words bound to rules over riket's values. `check` warns when the
data no longer supports the words, naming the sentence; `--strict` makes that an input error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, line_of
from conftest import run_cli as run
from openpyxl import load_workbook

from factsheet.build import load_inputs
from factsheet.model.spec import texts
from factsheet.resolve.claims import bind

FONTS = ROOT / "fonts"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"
YAML = CONTENT / "lss.yaml"


@pytest.fixture(scope="module")
def fewer_ibic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with riket's U28544 (IBIC in every investigation) for 2021 lower than for
    2020 (36.1): "allt fler" no longer holds."""
    book = load_workbook(SAMPLE)
    sheet = book["Riket"]
    headers = [c.value for c in sheet[3]]
    column = headers.index("U28544") + 1
    row = next(
        r
        for r in range(4, sheet.max_row + 1)
        if sheet.cell(r, headers.index("År") + 1).value == 2021
    )
    sheet.cell(row, column).value = 30.2
    path = tmp_path_factory.mktemp("fewer") / "fewer-ibic.xlsx"
    book.save(path)
    return path


def warnings_for_ibic(content: Path = CONTENT) -> list[str]:
    yaml = content / "lss.yaml"
    detail = '"allt fler" (U28544, 2019→2021: 19 → 36 → 30) no longer holds: expected increasing'
    return [
        f"{yaml}:{line_of(yaml, 'Allt fler använder arbetssättet')}: warning: {detail}; side box "
        'item 2: "Allt fler använder arbetssättet IBIC vid utredningar och uppföljninga…"',
        f"{yaml}:{line_of(yaml, 'Allt fler kommuner arbetar')}: warning: {detail}; paragraph 3: "
        '"Allt fler kommuner arbetar med det systematiska arbetssättet IBIC och…"',
        f"{yaml}:{line_of(yaml, 'allt fler använder en strukturerad')}: warning: {detail}; "
        'paragraph 3: "Så även om allt fler använder en strukturerad dokumentation vid utred…"',
    ]


def test_the_seeds_claims_hold(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--content", CONTENT, "--fonts", FONTS, "--strict")
    assert (code, out, err) == (0, [f"OK: {CONTENT} and its workbook have no problems"], [])
    spec = load_inputs(CONTENT, None, FONTS).spec
    prose = [item for item in texts(spec) if item.prose]
    assert len(spec.claims) > 20
    assert all(bind(claim, prose) for claim in spec.claims)


def test_check_warns_when_allt_fler_no_longer_holds(
    capsys: pytest.CaptureFixture[str], fewer_ibic: Path
) -> None:
    code, out, err = run(
        capsys, "check", "--content", CONTENT, "--fonts", FONTS, "--workbook", fewer_ibic
    )
    assert code == 0
    assert err == warnings_for_ibic()
    assert out == [f"OK: {CONTENT} and its workbook have no problems (3 warnings above)"]


def test_strict_check_fails(capsys: pytest.CaptureFixture[str], fewer_ibic: Path) -> None:
    argv = ["check", "--content", CONTENT, "--fonts", FONTS, "--workbook", fewer_ibic, "--strict"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, [])
    assert err == [
        *warnings_for_ibic(),
        "Aborted: 3 problems in the input; nothing was written.",
    ]


def test_strict_build_writes_nothing(
    capsys: pytest.CaptureFixture[str], fewer_ibic: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "sheet.pdf"
    common = ["--content", CONTENT, "--fonts", FONTS, "--workbook", fewer_ibic, "-o", pdf]
    code, _, err = run(capsys, "build", *common, "--strict")
    assert (code, err[-1]) == (2, "Aborted: 3 problems in the input; nothing was written.")
    assert not pdf.exists()
    code, out, err = run(capsys, "build", *common)
    assert (code, err) == (0, warnings_for_ibic())
    assert out[0].startswith(f"Wrote {pdf} (4 pages")


def add_claim(content: Path, claim: str) -> int:
    """Append a claim to the content's claims (the last list of lss.yaml); its line."""
    path = content / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("  - {words:")
    path.write_text(text.rstrip("\n") + f"\n  - {claim}\n", encoding="utf-8")
    return text.rstrip("\n").count("\n") + 2


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (
            '{words: "knappt hälften", indicator: U28550, rule: between, max: 50}',
            "claims[{index}].words: 'knappt hälften' does not occur in the text",
        ),
        (
            '{words: "omkring hälften", in: "psykiatrin", indicator: U28550, rule: between, '
            "max: 50}",
            "claims[{index}]: no sentence holds both 'omkring hälften' and 'psykiatrin'",
        ),
        (
            '{words: "allt fler", indicator: U28544, rule: rising, from: year-2}',
            "claims[{index}].rule: expected one of increasing, decreasing, increased, decreased, "
            "stable, between, higher, lower, none, got 'rising' (did you mean 'decreasing' or "
            "'increasing'?)",
        ),
        (
            '{words: "allt fler", indicator: U28544, rule: increasing}',
            "claims[{index}]: rule 'increasing' needs 'from'",
        ),
        (
            '{words: "allt fler", indicator: U28544, rule: increasing, from: year-2, min: 3}',
            "claims[{index}]: 'min' does not apply to rule 'increasing'",
        ),
        (
            '{words: "omkring hälften", indicator: U28550, rule: between}',
            "claims[{index}]: rule 'between' needs 'min' or 'max'",
        ),
        (
            '{words: "allt fler", indicator: U28544, rule: increasing, from: year}',
            "claims[{index}]: 'from' (2021) must be before 'to' (2021)",
        ),
        (
            '{words: "allt fler", indicator: U28524, rule: increasing, from: year-2}',
            "claims[{index}].indicator: unknown indicator 'U28524' (did you mean 'U28544'?)",
        ),
        (
            '{words: "allt fler", indicator: U28544, rule: increasing, from: 2010}',
            "claims[{index}].indicator: the workbook has no 2010–2015 values for 'U28544' "
            "(years: 2016–2021)",
        ),
        (
            '{words: "en större andel", indicator: U33621, rule: higher, than: U2854}',
            "claims[{index}].than: unknown indicator 'U2854' (did you mean 'U28454', 'U28544' or "
            "'U28545'?)",
        ),
        (
            '{words: "omkring hälften", indicator: U28550, rule: between, max: "55"}',
            "claims[{index}].max: expected a number, got text ('55')",
        ),
        (
            '{words: "omkring hälften", rule: none}',
            "claims[{index}]: rule 'none' needs a 'reason'",
        ),
        (
            '{words: "omkring hälften", rule: none, reason: "x", indicator: U28550}',
            "claims[{index}]: 'indicator' does not apply to rule 'none'",
        ),
        (
            '{words: "omkring hälften", rule: between, max: 50}',
            "claims[{index}]: rule 'between' needs 'indicator'",
        ),
        (
            '{words: "omkring hälften", sentences: 0, indicator: U28550, rule: between, max: 50}',
            "claims[{index}].sentences: expected 1 or more",
        ),
    ],
)
def test_a_claim_that_cannot_be_checked_is_an_input_error(
    capsys: pytest.CaptureFixture[str], content_copy: Path, claim: str, message: str
) -> None:
    index = len(load_inputs(CONTENT, None, FONTS).spec.claims)  # the added claim's
    line = add_claim(content_copy, claim)
    code, _, err = run(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    assert (code, err) == (
        2,
        [
            f"{content_copy}/lss.yaml:{line}: {message.format(index=index)}",
            "Aborted: 1 problem in the input; nothing was written.",
        ],
    )


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (
            '{words: "omkring hälften", indicator: U28550, rule: between, min: 50, max: 55}',
            '"omkring hälften" (U28550, 2021: 49) no longer holds: expected between 50 and 55',
        ),
        (
            '{words: "omkring hälften", indicator: U28550, rule: between, max: 45}',
            '"omkring hälften" (U28550, 2021: 49) no longer holds: expected at most 45',
        ),
        (
            '{words: "en större andel", indicator: U33620, rule: higher, than: U33621}',
            '"en större andel" (U33620 12, U33621 61, 2021) no longer holds: expected higher '
            "than U33621",
        ),
        (
            '{words: "en större andel", indicator: U33621, rule: lower, than: U33620, '
            "year: year-1}",
            '"en större andel" (U33621 63, U33620 15, 2020) no longer holds: expected lower '
            "than U33620",
        ),
        (
            '{words: "ökat från", indicator: X90550, rule: decreased, from: year-5}',
            '"ökat från" (X90550, 2016→2021: 26 → 32) no longer holds: expected lower in 2021 '
            "than in 2016",
        ),
        (
            '{words: "ökat från", indicator: X90550, rule: increased, from: year-5, '
            "min_change: 10}",
            '"ökat från" (X90550, 2016→2021: 26 → 32) no longer holds: expected higher in 2021 '
            "than in 2016, by at least 10 points",
        ),
        (
            '{words: "ökat från", indicator: X90550, rule: decreasing, from: year-5}',
            '"ökat från" (X90550, 2016→2021: 26 → 27 → 28 → 30 → 31 → 32) no longer holds: '
            "expected decreasing",
        ),
        (
            '{words: "liknande nivå", indicator: U28454, rule: stable, from: year-4, '
            "max_change: 5}",
            '"liknande nivå" (U28454, 2017→2021: 33 → 30 → 29 → 26 → 30) no longer holds: '
            "expected within 5 points",
        ),
    ],
)
def test_each_rule_names_the_values_and_what_it_expected(
    capsys: pytest.CaptureFixture[str], content_copy: Path, claim: str, expected: str
) -> None:
    add_claim(content_copy, claim)
    code, out, err = run(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    assert (code, out) == (
        0,
        [f"OK: {content_copy} and its workbook have no problems (1 warning above)"],
    )
    assert len(err) == 1 and f": warning: {expected}; " in err[0], err


NEW_SENTENCE = "Allt fler kommuner har en sådan plan för tredje året."


@pytest.fixture
def new_sentence(content_copy: Path) -> tuple[Path, int]:
    """The content with a sentence of trend words no claim was written for, added to paragraph
    6 ("allt fler" of claims[0] and [1], and "tredje året"); the line it is on."""
    path = content_copy / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "i storstäderna {ref:kompetens}."
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, f"{anchor} {NEW_SENTENCE}"), encoding="utf-8")
    return content_copy, line_of(path, NEW_SENTENCE)


def uncovered_warnings(content: Path, line: int) -> list[str]:
    yaml = content / "lss.yaml"
    stands = (
        'stands in 4 sentences (side box item 2: "Allt fler använder arbetssättet IBIC vi…"; '
        'paragraph 3: "Allt fler kommuner arbetar med det syst…"; paragraph 3: "Så även om allt '
        'fl använder en strukt…"; paragraph 6: "Allt fler kommuner har en sådan plan fö…"); '
        "'sentences' says 3: check the text, then set it to 4"
    ).replace("allt fl använder", "allt fler använder")
    claims = line_of(yaml, '{words: "allt fler", sentences: 3, indicator: U28544')
    return [
        f'{yaml}:{line}: warning: "tredje året" is in no claim (paragraph 6: "{NEW_SENTENCE}"); '
        "bind it to a rule under claims:, or to rule: none with a reason",
        f'{yaml}:{claims}: warning: claims[0] "allt fler" {stands}',
        f'{yaml}:{claims + 1}: warning: claims[1] "allt fler" {stands}',
    ]


def test_trend_words_no_claim_covers_are_warned_about(
    capsys: pytest.CaptureFixture[str], new_sentence: tuple[Path, int]
) -> None:
    content, line = new_sentence
    code, out, err = run(capsys, "check", "--content", content, "--fonts", FONTS)
    assert (code, out) == (
        0,
        [f"OK: {content} and its workbook have no problems (3 warnings above)"],
    )
    assert err == uncovered_warnings(content, line)


def test_strict_check_refuses_words_no_claim_covers(
    capsys: pytest.CaptureFixture[str], new_sentence: tuple[Path, int]
) -> None:
    content, line = new_sentence
    code, out, err = run(capsys, "check", "--content", content, "--fonts", FONTS, "--strict")
    assert (code, out) == (2, [])
    assert err == [
        *uncovered_warnings(content, line),
        "Aborted: 3 problems in the input; nothing was written.",
    ]


def test_a_claim_in_one_sentence_too_many_is_warned_about(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    """A claim without 'sentences:' is bound to one sentence: "en ökning sedan" written a
    second time (a sentence about another indicator) is not taken as checked."""
    path = content_copy / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "i storstäderna {ref:kompetens}."
    text = text.replace(anchor, f"{anchor} Det är en ökning sedan förra mätningen.")
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", content_copy, "--fonts", FONTS)
    claim = line_of(path, '{words: "en ökning sedan"')
    assert (code, len(err)) == (0, 1), err
    assert err[0].startswith(
        f'{path}:{claim}: warning: claims[7] "en ökning sedan" stands in 2 sentences ('
    )
    assert err[0].endswith(
        'paragraph 6: "Det är en ökning sedan förra mätningen."); bind it to one with '
        "'in:', or confirm them with 'sentences: 2'"
    )


def test_rule_none_acknowledges_words_and_new_lists_them_for_revision(
    capsys: pytest.CaptureFixture[str], new_sentence: tuple[Path, int]
) -> None:
    content, _ = new_sentence
    add_claim(content, '{words: "tredje året", rule: none, reason: "the plan\'s third year"}')
    path = content / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('{words: "allt fler", sentences: 3', '{words: "allt fler", sentences: 4')
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", "--content", content, "--fonts", FONTS, "--strict")
    assert (code, out, err) == (0, [f"OK: {content} and its workbook have no problems"], [])
    code, out, _ = run(capsys, "new", "2022", "--from", content)
    assert code == 0
    assert any(
        "no rule checks claims[" in line and "(the plan's third year)" in line for line in out
    ), out
