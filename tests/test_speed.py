"""The shortcuts taken for speed give the same results as the slow paths they replace."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as sax_escape

import pytest
import yaml
from page import ValidationProfile, validate_pdf

from factsheet.inputs import yamlsource
from factsheet.render import finish, theme
from factsheet.render.flowables import TParagraph, _Memo
from factsheet.render.tagging import Tag, Tagger
from factsheet.xmltext import escape

ROOT = Path(__file__).resolve().parent.parent

RETYPED = """\
code: 0114
kommuner: [0114, "0181", 2021-06-01]
published: 2021-06-01
flag: yes
nested:
  - a: 1.50
    b: plain text
  - [true, null, 012]
0114: a key YAML reads as a number
"""


def _shape(value: Any) -> Any:
    """A value with everything the loader records about where and how it was written."""
    if isinstance(value, yamlsource.Mapping):
        return (
            "mapping",
            value.line,
            value.key_lines,
            value.written,
            value.keys_written,
            [(k, _shape(v)) for k, v in value.items()],
        )
    if isinstance(value, yamlsource.Sequence):
        return ("sequence", value.line, value.item_lines, value.written, [_shape(v) for v in value])
    return (type(value).__name__, value)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "name", ["lss.yaml", "workbook.yaml", "retyped"], ids=["lss", "workbook", "retyped"]
)
def test_c_yaml_loader_reads_what_the_python_loader_reads(name: str) -> None:
    """Values, line numbers and the as-written text of retyped scalars (``0114``) agree."""
    assert yamlsource._Loader is not yamlsource._PyLoader  # the fast loader is in use
    text = RETYPED if name == "retyped" else (ROOT / "content" / "2021" / name).read_text()
    fast, _ = yamlsource._load(yamlsource._Loader, text, name)
    slow, _ = yamlsource._load(yamlsource._PyLoader, text, name)
    assert _shape(fast) == _shape(slow)
    if name == "retyped":
        assert fast.written["code"] == "0114"
        assert fast["kommuner"].written == {0: "0114", 2: "2021-06-01"}
        assert fast.keys_written[76] == "0114"


def test_yaml_error_message_is_the_python_loaders(tmp_path: Path) -> None:
    """libyaml words a syntax error differently; the message is PyYAML's, at the right line."""
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        yamlsource.load_yaml(path, "bad.yaml")
    assert str(info.value) == "bad.yaml:3: YAML syntax error: expected ',' or ']', but got ':'"


@pytest.mark.parametrize(
    "text",
    ["", "plain", "a & b", "<b>&amp;</b>", "x > y < z", "say \"hi\" & 'bye'", "&&<<>>"],
)
def test_escape_matches_saxutils(text: str) -> None:
    assert escape(text) == sax_escape(text)
    quote = {'"': "&quot;"}
    assert escape(text, quote) == sax_escape(text, quote)


def test_startup_imports_no_networking_or_heavy_modules() -> None:
    """Building one sheet imports neither the networking modules ``xml.sax.saxutils`` drags
    in nor the packages only a cold cache needs."""
    modules = ["urllib.request", "http.client", "matplotlib", "pandas", "openpyxl", "numpy"]
    modules += ["pikepdf"]  # the PDF is written in one pass, never re-opened
    code = (
        "import sys, factsheet.cli, factsheet.render.pages, factsheet.batch\n"
        f"print([m for m in {modules!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


def _page_whose_stream_deflates_to_cr() -> Any:
    """A one-page canvas, shown but not written, whose page stream deflates to bytes ending
    with CR. That last byte is the low byte of the Adler-32 sum of the bytes, so a comment of
    n letters in the stream (each adds 97) reaches every value within 256 tries."""
    from reportlab.pdfgen.canvas import Canvas

    theme.register_fonts(ROOT / "fonts")
    for n in range(600):
        canvas = Canvas(io.BytesIO(), invariant=1, lang="sv-SE")
        for key, value in META.items():
            getattr(canvas, f"set{key}")(value)
        canvas.setDateFormatter(lambda *_: "D:20210601000000+00'00'")
        tagger = canvas.tagger = Tagger()
        tag = Tag("P", "Rad")
        canvas._code.append("%" + "a" * n)
        tagger.begin(canvas, tag)
        canvas.setFont(theme.font_name("regular"), 9)
        canvas.drawString(72, 720, tag.text)
        tagger.end(canvas, tag)
        canvas.showPage()
        if zlib.compress(canvas._doc.Pages.pages[0].stream.encode(), 6).endswith(b"\r"):
            return canvas, tagger
    raise AssertionError("no text found")


META = {
    "Title": "Prov",
    "Author": "Socialstyrelsen",
    "Subject": "Prov",
    "Keywords": "prov",
    "Creator": "factsheet",
    "Producer": "factsheet (ReportLab)",
}


def test_stream_ending_with_cr_keeps_pdfa_valid(tmp_path: Path) -> None:
    """Deflated data ending with CR gets CR LF before ``endstream``; with a lone LF the
    validator reads CR LF as the end-of-line and finds /Length one byte off."""
    canvas, tagger = _page_whose_stream_deflates_to_cr()
    meta = finish.Meta(
        "Prov",
        "Socialstyrelsen",
        "Prov",
        "prov",
        "factsheet",
        "factsheet (ReportLab)",
        "sv-SE",
        "2021-06-01T00:00:00+00:00",
    )
    pdf = finish.finish(canvas, tagger, meta)
    assert b"\r\r\nendstream" in pdf
    path = tmp_path / "cr.pdf"
    path.write_bytes(pdf)
    report = validate_pdf(str(path), profile=ValidationProfile.PDF_A_2B)
    assert [(f.rule_id, f.message) for f in report.failures] == []


def test_every_stream_length_is_exact(national_pdf: Path) -> None:
    """Each stream's /Length counts exactly the bytes between ``stream`` + EOL and the EOL
    before ``endstream`` (what PDF/A checks), and nothing is ASCII85 on top of Flate."""
    pdf = national_pdf.read_bytes()
    streams = list(re.finditer(rb"/Length (\d+)[^>]*>>\nstream\n", pdf))
    assert len(streams) > 10
    for match in streams:
        end = match.end() + int(match.group(1))
        eol = b"\r\n" if pdf[end - 1 : end] == b"\r" else b"\n"
        assert pdf[end : end + len(eol) + 9] == eol + b"endstream"
    assert b"ASCII85Decode" not in pdf


def test_memo_is_bounded_and_keeps_what_is_used() -> None:
    """The line and parse memos stay at their size however many variants a worker builds,
    dropping the least recently used entry (the national text, used by every variant, stays)."""
    memo = _Memo(3)
    for key in "abc":
        memo.keep(key, key.upper())
    assert memo.find("a") == "A"  # used again: now the most recent
    memo.keep("d", "D")
    assert list(memo) == ["c", "a", "d"]
    assert memo.find("b") is None
    assert len(TParagraph._lines) <= TParagraph._lines.size
    assert len(TParagraph._parsed) <= TParagraph._parsed.size


def test_paragraphs_of_the_same_text_share_one_parse() -> None:
    """A paragraph's markup is parsed once per process; each still gets its own lines list."""
    theme.register_fonts(ROOT / "fonts")
    style = theme.styles().body
    first = TParagraph("Samma <b>text</b> i varje variant.", style)
    second = TParagraph("Samma <b>text</b> i varje variant.", style)
    assert first.frags is second.frags
    first.wrap(200, 1000)
    second.wrap(200, 1000)
    assert first.blPara is second.blPara  # the memoised lines
    other = TParagraph("En annan text.", style)
    assert other.frags is not first.frags


def test_cached_hyphenation_patterns_are_pyphens(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patterns read back from the build cache equal those pyphen parses, and a process
    with the entry cached never parses the dictionary."""
    import pyphen

    from factsheet import cache
    from factsheet.render import hyphdict, memo

    monkeypatch.setattr(memo, "_store", cache)  # as load_inputs hands it to the render stage
    path = pyphen.LANGUAGES[pyphen.language_fallback(hyphdict.LANGUAGE)]
    parsed = pyphen.HyphDict(path)
    encoded = hyphdict._encode(parsed)
    assert encoded is not None
    decoded = hyphdict._decode(json.loads(json.dumps(encoded)))
    assert decoded.patterns == parsed.patterns
    assert decoded.maxlen == parsed.maxlen
    for word in ("socionomexamen", "verksamhetsutveckling", "myndighetsutövningen"):
        assert decoded.positions(word) == parsed.positions(word)

    monkeypatch.setattr(hyphdict, "_done", False)
    monkeypatch.delitem(pyphen.hdcache, path, raising=False)
    hyphdict.preload()  # parses and stores (the test run's own cache folder)
    assert pyphen.hdcache[path].patterns == parsed.patterns

    def refuse(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(hyphdict, "_done", False)
    monkeypatch.delitem(pyphen.hdcache, path)
    monkeypatch.setattr(pyphen.HyphDict, "__init__", refuse)
    hyphdict.preload()  # from the build cache
    assert pyphen.hdcache[path].patterns == parsed.patterns

    # the line breaker's dictionary goes through the build cache too
    from factsheet.render import hyphenation

    monkeypatch.setattr(hyphdict, "_done", False)
    monkeypatch.delitem(pyphen.hdcache, path)
    hyphenation._dictionary.cache_clear()
    try:
        assert hyphenation._dictionary().positions("verksamhetsutveckling")
    finally:
        hyphenation._dictionary.cache_clear()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (1, True, TypeError),  # a year that is a boolean
        (1, 2021.0, TypeError),
        (3, float("nan"), ValueError),
        (3, float("inf"), ValueError),
        (3, "49", TypeError),
        (4, 1, TypeError),  # an answer that is a number
        (7, None, TypeError),
    ],
)
def test_the_cache_entrys_column_check_refuses_what_the_row_check_refuses(
    field: int, value: Any, error: type[Exception]
) -> None:
    """``dataset._rows`` checks a cache entry's rows a column at a time; a bad value anywhere
    is refused as the row-by-row check refuses it, and good rows come back unchanged."""
    from factsheet.model import dataset

    rows = [
        ["0114", 2021, "U28544", None, True, None, None, "Kommun!F4", ""],
        ["00", 2021, "U28544", 49.2, None, None, None, "Riket!F4", ""],
        ["0114", 2020, "X90560", None, None, 3, 7, "Kommun!G4", ""],
    ]
    assert dataset._rows(rows, dataset._ROW) is rows
    bad = [list(r) for r in rows]
    bad[1][field] = value
    with pytest.raises(error):
        dataset._typed(bad[1], dataset._ROW)
    with pytest.raises(error):
        dataset._rows(bad, dataset._ROW)
    with pytest.raises(TypeError):
        dataset._rows([*rows, rows[0][:8]], dataset._ROW)  # a row one field short


def test_hyphenated_words_come_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The points of the words a build hyphenated are kept in the build cache: the next build
    finds them there without loading pyphen's patterns; an edited entry is not trusted."""
    from factsheet import cache
    from factsheet.render import hyphdict, hyphenation, memo

    monkeypatch.setenv("FACTSHEET_CACHE", str(tmp_path))
    monkeypatch.setattr(memo, "_store", cache)
    monkeypatch.setattr(hyphdict, "_words", None)
    monkeypatch.setattr(hyphdict, "_added", False)
    words = ["socionomexamen", "verksamhetsutveckling", "myndighetsutövningen"]
    rules = hyphenation.Hyphenator()
    first = [rules.points(w) for w in words]
    assert all(first)
    memo.save()
    (entry,) = tmp_path.glob("hyphenated-*.json")

    def refuse(word: str) -> list[int]:
        raise AssertionError(f"pyphen asked for {word}")

    monkeypatch.setattr(hyphenation, "_pyphen_positions", refuse)
    monkeypatch.setattr(hyphdict, "_words", None)  # a new process
    assert [rules.points(w) for w in words] == first
    entry.write_text('{"socionomexamen": [99]}', encoding="utf-8")
    monkeypatch.setattr(hyphdict, "_words", None)
    with pytest.raises(AssertionError, match="pyphen asked"):
        rules.points("socionomexamen")


def test_a_rebuild_breaks_a_paragraph_once_with_the_slack_found_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slack ``even_breaks`` searched for is kept in the build cache: a new process breaks
    the paragraph once with it, into the same lines; an edited entry is not trusted."""
    from reportlab.platypus import Paragraph

    from factsheet import cache
    from factsheet.render import flowables, memo, slacks, theme

    monkeypatch.setenv("FACTSHEET_CACHE", str(tmp_path))
    monkeypatch.setattr(memo, "_store", cache)
    monkeypatch.setattr(slacks, "_known", None)
    theme.register_fonts((Path(__file__).resolve().parents[1] / "fonts").resolve())
    style = theme.styles().body
    # a number glued to its unit at a line's end makes a loose line: a search is needed
    text = " ".join(["Socialstyrelsens uppföljning visar att 12&nbsp;procent"] * 12)
    width = 150.0

    def lines_of() -> list[str]:
        paragraph = flowables.TParagraph(text, style)
        paragraph.wrap(width, 1e4)
        return flowables.line_texts(paragraph.blPara)

    calls: list[float] = []
    real = flowables.limited_breaks

    def counted(paragraph: Paragraph, width: object, slack: float = 0.0) -> object:
        calls.append(slack)
        return real(paragraph, width, slack)

    monkeypatch.setattr(flowables, "limited_breaks", counted)
    first = lines_of()
    searched = len(calls)
    assert searched > 1  # the search broke it more than once
    memo.save()
    (entry,) = tmp_path.glob("slacks-*.json")
    for fresh in (True, False):  # a new process: the memos empty
        flowables.TParagraph._lines.clear()
        flowables.TParagraph._parsed.clear()
        monkeypatch.setattr(slacks, "_known", None)
        calls.clear()
        assert lines_of() == first
        assert len(calls) == (1 if fresh else searched)
        entry.write_text('{"x": 99}', encoding="utf-8")  # edited: searched again next time
