"""Kommun and Stockholm stadsdel variants: the kommun's own answers beside its län and riket."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CONTENT, ROOT, normalize, pdftotext

from factsheet.batch import run
from factsheet.build import check, load_inputs
from factsheet.cli import main
from factsheet.formatting import format_number
from factsheet.inputs.workbook import load_layout, load_workbook
from factsheet.model import areas

CASES = {"0380": "Uppsala", "0115": "Vallentuna", "0980": "Gotland", "0180-01": "Rinkeby-Kista"}
WORDS = {True: "Ja", False: "Nej", None: "–"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kommuner")
    inputs = load_inputs(CONTENT, None, ROOT / "fonts")
    codes = ["00", *CASES]
    wanted = [areas.area(c) for c in codes]
    result = run(inputs, wanted, check(inputs, wanted), out, jobs=2)
    assert result.failed == []
    return out


@pytest.fixture(scope="module")
def data() -> Any:
    return load_workbook(CONTENT / "oj-2021-lss-sample.xlsx", load_layout(CONTENT))


def _text(built: Path, code: str, *args: str) -> str:
    return pdftotext(next(built.glob(f"oj-2021-lss-{code}-*.pdf")), *args)


def test_file_names_and_manifest(built: Path) -> None:
    names = {
        f["area"]: f["file"] for f in json.loads((built / "manifest.json").read_text())["files"]
    }
    assert names["0380"] == "oj-2021-lss-0380-uppsala.pdf"
    assert names["0180-01"] == "oj-2021-lss-0180-01-rinkeby-kista.pdf"
    assert names["0980"] == "oj-2021-lss-0980-gotland.pdf"


@pytest.mark.parametrize("code", list(CASES))
def test_named_with_its_county_on_page_one(built: Path, code: str) -> None:
    county = next(c.name for c in areas.counties() if c.code == areas.area(code).county)
    page = _text(built, code).split("\f")[0]
    if code == "0980":  # Gotland is its own län: compared with riket only
        assert "Gotland jämfört med riket" in page and county not in page
    else:
        assert f"{CASES[code]} jämfört med {county} och riket" in page


@pytest.mark.parametrize("code", list(CASES))
def test_tables_show_the_kommun_answers_beside_lan_and_riket(
    built: Path, data: Any, code: str
) -> None:
    lines = [
        re.sub(r"\s+", " ", line).strip() for line in _text(built, code, "-layout").splitlines()
    ]
    county = areas.area(code).county
    for indicator, years in (
        ("U33621", (2019, 2020, 2021)),
        ("U28551", (2017, 2018, 2019, 2020, 2021)),
    ):
        answers = [WORDS[data.answers.get((code, indicator, y))] for y in years]
        shares = [
            format_number(data.value(area, indicator, y).value)
            for area in ((county, "00") if code != "0980" else ("00",))  # Gotland: its own län
            for y in years
        ]
        row = " ".join([*answers, *shares])
        assert any(line.endswith(row) for line in lines), (code, indicator, row)


def test_non_respondent_says_so(built: Path, data: Any) -> None:
    assert data.answers.get(("0115", "X90591", 2021)) is False
    text = normalize(_text(built, "0115"))
    assert (
        normalize(
            "Vallentuna besvarade inte delenkäten om stöd till personer med "
            "funktionsnedsättning, LSS, 2021."
        )
        in text
    )
    assert (
        normalize("Vallentuna har inte lämnat uppgift om handläggarnas utbildning för 2021") in text
    )


def test_socionom_share_from_the_kommun_counts(built: Path, data: Any) -> None:
    share = format_number(data.unit_share("0980", "X90560", 2021))
    text = " ".join(_text(built, "0980").split()).replace("\u00a0", " ")
    assert (
        f"På Gotland har {share} procent av handläggarna socionomexamen, "
        "jämfört med 82 procent i riket" in text
    )


def test_kommun_chart_lists_the_units_of_its_county(built: Path, data: Any) -> None:
    page3 = _text(built, "0380").split("\f")[2]
    assert "socionomexamen, kommuner i Uppsala län 2021" in page3
    for unit in data.units_in("03", 2021):
        assert data.units[unit].name in page3


def test_stockholm_stad_asks_for_a_stadsdel(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--municipality", "0180", "--content", str(CONTENT)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "--municipality: Stockholm stad (0180) answers the survey as its "
        "stadsdelsområden; choose one: 0180-01 Rinkeby-Kista, 0180-02 Spånga-Tensta"
    )


def test_unknown_kommun_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--municipality", "Upsala", "--content", str(CONTENT)]) == 2
    assert (
        "unknown kommun or stadsdel 'Upsala' (did you mean 'Uppsala', 0380?)"
        in capsys.readouterr().err
    )


def test_single_build_equals_batch_build(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    assert (
        main(
            [
                "build",
                "--municipality",
                "Rinkeby-Kista",
                "--content",
                str(CONTENT),
                "--fonts",
                str(ROOT / "fonts"),
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert target.read_bytes() == next(built.glob("oj-2021-lss-0180-01-*.pdf")).read_bytes()


@pytest.mark.parametrize(
    ("code", "county", "units"),
    [("0380", "Uppsala län", "kommuner"), ("0180-01", "Stockholms län", "kommuner och stadsdelar")],
)
def test_a_county_s_units_are_named_as_they_are(
    built: Path, code: str, county: str, units: str
) -> None:
    """Stadsdelar only in Stockholms län: Uppsala's sheet said "kommuner och stadsdelar i
    Uppsala län" in its chart caption, its note and its sentence about the answers."""
    text = normalize(_text(built, code))
    if code == "0380":  # Stockholms län has more units than max_bars: the län chart instead
        assert normalize(f"socionomexamen, {units} i {county} 2021") in text
        assert normalize(f"De {units} som inte har lämnat uppgift") in text
    assert re.search(normalize(rf"I {county} besvarade \d+ av \d+ {units} delenkäten"), text)
    if code == "0380":
        assert "stadsdelariUppsala" not in text
