"""`factsheet new`: next year's edition from this year's, and what the author must revise."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, line_of
from conftest import run_cli as run

from factsheet.resolve.claims import sentences, trend_words

FONTS = ROOT / "fonts"
SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTSHEET_CACHE", str(tmp_path / "cache"))
        yield


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    """This year's edition in a folder of its own, named as in content/."""
    target = tmp_path / "content" / "2021"
    shutil.copytree(CONTENT, target)
    return target


def test_new_edition_copies_and_moves_the_year_on(
    capsys: pytest.CaptureFixture[str], source: Path
) -> None:
    code, out, err = run(capsys, "new", "2022", "--from", source)
    target = source.parent / "2022"
    assert (code, err) == (0, [])
    assert sorted(p.name for p in target.iterdir()) == ["lss.yaml", "workbook.yaml"]
    before = (source / "lss.yaml").read_text(encoding="utf-8").splitlines()
    after = (target / "lss.yaml").read_text(encoding="utf-8").splitlines()
    changed = {
        i + 1: new for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new
    }
    assert changed == {4: "year: 2022", 5: "published: 2022-06-01", 7: "workbook: oj-2022-lss.xlsx"}
    assert (target / "workbook.yaml").read_bytes() == (source / "workbook.yaml").read_bytes()
    assert out[:4] == [
        f"Created {target} from {source} for 2022:",
        f"  {target}/lss.yaml:4: year: 2021 → 2022",
        f"  {target}/lss.yaml:5: published: 2021-06-01 → 2022-06-01",
        f"  {target}/lss.yaml:7: workbook: oj-2021-lss-sample.xlsx → oj-2022-lss.xlsx",
    ]
    assert out[4].startswith(
        "  22 years written relative to year: were kept, as they move with it "
        "(tables.t1.years.from: year-2, tables.t1.years.to: year,"
    )
    assert (
        f"The workbook was not copied: put the 2022 workbook at {target}/oj-2022-lss.xlsx "
        "(or name another file under workbook:)."
    ) in out
    assert out[-1] == f"Then: factsheet check --content {target}"


def test_the_author_is_told_what_to_revise(
    capsys: pytest.CaptureFixture[str], source: Path
) -> None:
    code, out, _ = run(capsys, "new", "2022", "--from", source)
    target = source.parent / "2022" / "lss.yaml"
    assert code == 0
    start = next(i for i, line in enumerate(out) if line.startswith("Revise these "))
    listed = [line for line in out[start + 1 :] if line.startswith(str(target))]
    assert out[start] == (
        f"Revise these {len(listed)} places: sentences with trend or comparison words, "
        "texts that name a year:"
    )
    ibic = line_of(target, "Allt fler kommuner arbetar")
    notes = line_of(target, "    Under 2020 och 2021 leder")
    report = line_of(target, "  lagesrapport:\n")
    literal = line_of(target, '{text: "Under 2020 och 2021 leder"')
    for expected in (
        f'{target}:{ibic}: paragraph 3: trend or comparison: "allt fler"; checked by '
        'claims[0], claims[1]: "Allt fler kommuner arbetar med det systematiska arbetssättet '
        'IBIC och dokumenterar bedömn…"',
        f'{target}:{notes}: footnote systematisk: names the year 2020, 2021: "Under 2020 och '
        '2021 leder SKR och Socialstyrelsen ett pilotprojekt inom partnerskapet för…"',
        f"{target}:{report}: reference lagesrapport: names the year 2021: "
        '"Insatser och stöd till personer med funktionsnedsättning – Lägesrapport 2021."',
        f"{target}:{literal}: literal_numbers: literal number with a year: 2020, 2021: "
        '"Under 2020 och 2021 leder"',
    ):
        assert expected in listed
    # the words of the list are all flagged (alone or in a longer phrase)
    text = target.read_text(encoding="utf-8")
    flagged = [
        words
        for line in listed
        for words in re.findall(r'"([^"]+)"', line.split("trend or comparison: ", 1)[-1])
    ]
    for words in ("allt fler", "ökat", "ökning", "minskning", "minskat", "liten", "omkring",
                  "knappt", "hälften", "tredjedel", "majoriteten", "sedan", "fortfarande",
                  "alltjämt", "vanligare", "större andel", "färre", "fler"):  # fmt: skip
        assert any(re.search(rf"\b{words}\b", found) for found in flagged), words
        assert re.search(rf"\b{words}\b", text, re.IGNORECASE)
    assert [line_of_where(line) for line in listed] == sorted(
        line_of_where(line) for line in listed
    )


def line_of_where(line: str) -> int:
    return int(re.match(r".+?lss\.yaml:(\d+):", line).group(1))  # type: ignore[union-attr]


def test_explicit_years_move_on_relative_ones_stay(
    capsys: pytest.CaptureFixture[str], source: Path
) -> None:
    path = source / "lss.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("years: {from: year-2, to: year}", "years: {from: 2019, to: 2021}")
    text = text.replace("    year: year\n", "    year: 2021  # the figure's year\n")
    text = text.replace(
        "rule: increasing, from: year-2, to: year}", "rule: increasing, from: 2019, to: 2021}", 1
    )
    path.write_text(text, encoding="utf-8")
    target = source.parent / "next"
    code, out, _ = run(capsys, "new", "2022", "--from", source, "--to", target)
    assert code == 0
    moved = (target / "lss.yaml").read_text(encoding="utf-8")
    assert "    years: {from: 2020, to: 2022}\n" in moved
    assert "    year: 2022  # the figure's year\n" in moved
    assert "rule: increasing, from: 2020, to: 2022}" in moved
    assert "    years: {from: year-4, to: year}\n" in moved  # relative: kept
    table = line_of(target / "lss.yaml", "years: {from: 2020")
    assert f"  {target}/lss.yaml:{table}: tables.t1.years.from: 2019 → 2020" in out
    assert f"  {target}/lss.yaml:{table}: tables.t1.years.to: 2021 → 2022" in out


def test_an_existing_folder_is_never_overwritten(
    capsys: pytest.CaptureFixture[str], source: Path
) -> None:
    target = source.parent / "2022"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "new", "2022", "--from", source)
    assert (code, out) == (2, [])
    assert err == [
        f"{target}: already exists: nothing was copied; remove it or choose another folder "
        "with --to",
        "Aborted: 1 problem in the input; nothing was written.",
    ]
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_the_year_must_be_later(capsys: pytest.CaptureFixture[str], source: Path) -> None:
    code, _, err = run(capsys, "new", "2021", "--from", source)
    assert (code, err[0]) == (2, f"YEAR: 2021 is not after 2021, the year of {source}/lss.yaml")
    assert not (source.parent / "2021.partial").exists()


def test_last_years_workbook_standing_in_reports_the_missing_year(
    capsys: pytest.CaptureFixture[str], source: Path, tmp_path: Path
) -> None:
    assert run(capsys, "new", "2022", "--from", source)[0] == 0
    target = source.parent / "2022"
    shutil.copy(SAMPLE, target / "oj-2022-lss.xlsx")
    pdf = tmp_path / "out.pdf"
    code, out, err = run(capsys, "build", "--content", target, "--fonts", FONTS, "-o", pdf)
    assert (code, out) == (2, [])
    assert not pdf.exists()
    yaml = target / "lss.yaml"
    ingress_item = line_of(yaml, "    - >-\n      Det är framför allt")
    assert err[0] == (
        f"{target}/oj-2022-lss.xlsx: the workbook has no values for 2022, the year of the "
        "content (it has 2016–2021): put the 2022 workbook in place"
    )
    assert err[1] == (
        f"{yaml}:{ingress_item}: placeholder {{U33621}}: the workbook has no 2022 values for "
        "'U33621' (years: 2016–2021)"
    )
    first_row = line_of(yaml, "indicator: U33620}")
    assert (
        f"{yaml}:{first_row}: tables.t1.rows[0].indicator: the workbook has no 2022 values "
        "for 'U33620' (years: 2016–2021)"
    ) in err
    problems = err[1:-1]
    assert err[-1] == f"Aborted: {len(err) - 1} problems in the input; nothing was written."
    assert len(problems) > 20
    assert len(set(problems)) == len(problems)  # each once
    assert all(re.match(rf"{re.escape(str(yaml))}:\d+: \S", p) for p in problems)  # located
    assert all("2022" in p for p in problems)  # one cause
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)  # in the order of the file
    for command in ("check", "explain"):
        code, _, reported = run(capsys, command, "--content", target, "--fonts", FONTS)
        assert (code, reported) == (2, err)


def test_trend_words_and_sentences() -> None:
    text = "Allt fler gör det. Det är en liten minskning sedan {year-5}. {U33621} procent."
    assert sentences(text) == [(0, 18), (19, 60), (61, 78)]
    assert trend_words(text) == [(0, "Allt fler"), (29, "liten minskning"), (45, "sedan")]
    assert trend_words("Flera förändringar i ökningstakten") == []
