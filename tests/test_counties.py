"""County variants: built in one batch, each names and highlights its county and shows its
numbers beside riket's, with comparison words that agree with the printed numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, normalize, pdftotext

from factsheet.cli import main
from factsheet.formatting import format_number, printed_value
from factsheet.inputs.workbook import load_layout, load_workbook
from factsheet.model import areas

WORDS = {"högre än i": 1, "lägre än i": -1, "i nivå med": 0}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("counties")
    code = main(
        [
            "build",
            "--all-counties",
            "--content",
            str(CONTENT),
            "--fonts",
            str(ROOT / "fonts"),
            "-o",
            str(out),
        ]
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return load_workbook(CONTENT / "oj-2021-lss-sample.xlsx", load_layout(CONTENT))


def _pdf(batch: Path, code: str) -> Path:
    return next(batch.glob(f"oj-2021-lss-{code}-*.pdf"))


def test_all_22_built_with_a_manifest(batch: Path) -> None:
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    files = {f["area"]: f for f in manifest["files"]}
    assert set(files) == {"00", *(c.code for c in areas.counties())}
    assert manifest["failed"] == []
    assert files["03"]["file"] == "oj-2021-lss-03-uppsala.pdf"
    assert files["14"]["file"] == "oj-2021-lss-14-vastra-gotaland.pdf"
    for entry in files.values():
        assert (batch / entry["file"]).stat().st_size == entry["size"]
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


@pytest.mark.parametrize("code", ["03", "09", "19", "01"])
def test_county_named_on_page_one(batch: Path, code: str) -> None:
    county = next(c for c in areas.counties() if c.code == code)
    first_page = pdftotext(_pdf(batch, code)).split("\f")[0]
    assert f"{county.name} jämfört med riket" in first_page


@pytest.mark.parametrize("code", ["03", "09", "19", "25"])
def test_table_rows_show_county_values_beside_riket(batch: Path, data, code: str) -> None:  # type: ignore[no-untyped-def]
    text = pdftotext(_pdf(batch, code), "-layout")
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    for indicator, years in (
        ("U33621", (2019, 2020, 2021)),
        ("U28550", (2017, 2018, 2019, 2020, 2021)),
    ):
        mine = [data.value(code, indicator, y).value for y in years]
        riket = [data.value("00", indicator, y).value for y in years]
        yes, answered = data.counts(code, indicator, years[-1])
        cells = ["–" if v is None else format_number(v) for v in mine]
        cells.append(f"{yes} av {answered}" if mine[-1] is not None else "–")
        if code == "09":  # one kommun: its answers in words, no count
            words = {True: "Ja", False: "Nej", None: "–"}
            cells = [words[data.answers.get(("0980", indicator, y))] for y in years]
        row = " ".join([*cells, *(format_number(v) for v in riket)])
        assert any(line.endswith(row) for line in lines), (code, indicator, row)


def test_gotland_has_one_unit(batch: Path) -> None:
    text = normalize(pdftotext(_pdf(batch, "09")))
    assert normalize("Gotlands län består av en kommun. Den besvarade delenkäten") in text
    assert normalize("av länets 1 kommuner") not in text


def test_suppressed_county_gets_text_not_a_number(batch: Path) -> None:
    text = normalize(pdftotext(_pdf(batch, "19")))
    assert (
        normalize("För Västmanlands län saknas uppgift om andelen handläggare med socionomexamen")
        in text
    )
    assert normalize("I Västmanlands län har") not in text


def test_comparison_words_match_the_printed_numbers(batch: Path, data) -> None:  # type: ignore[no-untyped-def]
    pattern = re.compile(
        r"I (.+? län) har (\d+) procent av handläggarna socionomexamen, jämfört med "
        r"(\d+) procent i riket\. Andelen är (högre än i|lägre än i|i nivå med) riket"
    )
    seen = 0
    for county in areas.counties():
        text = " ".join(pdftotext(_pdf(batch, county.code)).split())
        match = pattern.search(text.replace("\u00a0", " "))
        if data.value(county.code, "X90560", 2021).value is None:
            assert match is None
            continue
        assert match, county.name
        mine, riket = int(match.group(2)), int(match.group(3))
        assert mine == printed_value(data.value(county.code, "X90560", 2021).value)
        diff = mine - riket
        expected = 0 if abs(diff) <= 2 else (1 if diff > 0 else -1)
        assert WORDS[match.group(4)] == expected, county.name
        seen += 1
    assert seen == 18


def test_rerun_gives_identical_bytes(batch: Path, tmp_path: Path) -> None:
    assert (
        main(
            [
                "build",
                "--county",
                "Uppsala",
                "--content",
                str(CONTENT),
                "--fonts",
                str(ROOT / "fonts"),
                "-o",
                str(tmp_path / "u.pdf"),
            ]
        )
        == 0
    )
    assert (tmp_path / "u.pdf").read_bytes() == _pdf(batch, "03").read_bytes()


def test_unknown_county_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--county", "Atlantis", "--content", str(CONTENT)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--county: unknown county 'Atlantis'; valid: 01 Stockholm, 03 Uppsala")
    assert err.endswith("Aborted: 1 problem in the input; nothing was written.\n")


def test_chart_highlights_the_county_by_colour_and_bold_label(data) -> None:  # type: ignore[no-untyped-def]
    from factsheet.build import load_inputs
    from factsheet.render.chart import Chart
    from factsheet.render.chartdata import ChartBar, ChartData
    from factsheet.resolve import resolve

    inputs = load_inputs(CONTENT, None, ROOT / "fonts")
    for code, label in (("03", "Uppsala"), ("19", "Västmanland*")):
        figure = next(
            b.figure
            for b in resolve(inputs.spec, inputs.data, areas.area(code)).body
            if b.kind == "figure"
        )
        assert figure is not None
        bars = tuple(ChartBar(b.label, b.value, b.printed, b.highlight) for b in figure.bars)
        chart = Chart(
            ChartData(bars, "Riket", figure.reference_value, "82", "Procent", "uppgift saknas"), 400
        )
        texts = [op for op in chart.ops() if op[0] == "t"]
        assert [op[3] for op in texts if op[4] == "bold" and op[3] == label] == [label]
        assert all(op[4] == "regular" for op in texts if op[3] in ("Kalmar", "Gotland"))
        if code == "03":  # a drawn bar with the highlight colour and an outline
            fills = [op for op in chart.ops() if op[0] == "p" and op[2] and op[3]]
            assert len(fills) == 1


def test_every_county_pdf_passes_pdf_ua_and_pdf_a(batch: Path) -> None:
    from page import ValidationProfile, validate_pdf

    failures = {
        (pdf.name, f.rule_id)
        for pdf in sorted(batch.glob("*.pdf"))
        for profile in (ValidationProfile.PDF_UA_1, ValidationProfile.PDF_A_2B)
        for f in validate_pdf(str(pdf), profile=profile).failures
    }
    assert len(list(batch.glob("*.pdf"))) == 22
    assert failures == set()


def test_a_stream_ending_with_a_carriage_return_ends_crlf(batch: Path) -> None:
    """PDF/A reads a CR before endstream as part of the line end: a stream whose data ends
    with a CR byte must be followed by a whole CR LF, so that /Length stays right."""
    import pikepdf

    for pdf in batch.glob("*.pdf"):
        whole = pdf.read_bytes()
        with pikepdf.open(pdf) as document:
            for obj in document.objects:
                if isinstance(obj, pikepdf.Stream):
                    raw = obj.read_raw_bytes()
                    if raw.endswith(b"\r"):
                        assert raw + b"\r\nendstream" in whole, (pdf.name, obj.objgen)


def test_response_count_agrees_with_the_response_rate(batch: Path, data) -> None:  # type: ignore[no-untyped-def]
    pattern = re.compile(
        r"besvarade (\d+) av länets (\d+) (?:kommuner|kommuner och stadsdelar) delenkäten .*?, "
        r"(\d+) procent att jämföra"
    )
    for county in areas.counties():
        text = " ".join(pdftotext(_pdf(batch, county.code)).split()).replace("\u00a0", " ")
        if county.code == "09":  # one kommun: its answer (test_gotland_has_one_unit)
            assert data.counts("09", "X90591", 2021) == (1, 1)
            continue
        match = pattern.search(text)
        assert match, county.name
        answered, units, rate = (int(g) for g in match.groups())
        assert (answered, units) == (
            data.counts(county.code, "X90591", 2021)[0],
            len(data.units_in(county.code, 2021)),
        )
        assert rate == round(100 * answered / units + 1e-9), county.name
    stockholm = " ".join(pdftotext(_pdf(batch, "01")).split())
    assert "besvarade 36 av länets 38 kommuner" in stockholm


def test_output_named_like_a_folder_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "dir"
    code = main(
        [
            "build",
            "--county",
            "03",
            "--content",
            str(CONTENT),
            "--fonts",
            str(ROOT / "fonts"),
            "-o",
            str(folder),
        ]
    )
    assert code == 0
    assert (folder / "oj-2021-lss-03-uppsala.pdf").is_file()


def test_blank_county_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--county", "", "--content", str(CONTENT)]) == 2
    assert capsys.readouterr().err.startswith("--county: unknown county ''")


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--all-counties", "-j", "0"])
    assert exit_info.value.code == 2
    assert "expected a whole number of at least 1, got '0'" in capsys.readouterr().err
