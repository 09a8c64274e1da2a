"""Hostile workbooks (#16), each run as a real ``factsheet check``: a truncated xlsx, a zip with a
huge sheet XML, an .xlsm, a password-protected file, external links, 100 000 bad rows. Each is a
located error (exit 2) within 5 s of CPU and 300 MiB of memory for the whole process (its own
resource usage, from ``wait4``), start-up and reading the content included."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from faultlib import CONTENT, FONTS, factsheet

SAMPLE = CONTENT / "oj-2021-lss-sample.xlsx"
CPU_SECONDS = 5.0
MEMORY_MIB = 300

# Runs argv in a child and prints [exit code, CPU seconds, peak RSS in KiB] of that child.
LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps([os.waitstatus_to_exitcode(status), cpu, usage.ru_maxrss]))
"""


def _copy(target: Path, change: Callable[[str, bytes], bytes] = lambda n, b: b, **extra: bytes):
    """The sample with each part through ``change`` and ``extra`` parts added."""
    with zipfile.ZipFile(SAMPLE) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, change(info.filename, old.read(info)))
        for name, body in extra.items():
            new.writestr(name, body)


def truncated(path: Path) -> str:
    path.write_bytes(SAMPLE.read_bytes()[:-300])
    return "a damaged or truncated .xlsx file (the zip archive has no end)"


def huge_sheet_xml(path: Path) -> str:
    name = "xl/worksheets/sheet1.xml"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as sheet,
    ):
        sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        chunk = b" " * 2**20
        for _ in range(310):  # 310 MiB unpacked, a few hundred KB packed
            sheet.write(chunk)
        sheet.write(b"</sheetData></worksheet>")
    return "unpacks to 310.0 MiB, more than the 300 MiB allowed (a possible zip bomb)"


def macro_enabled(path: Path) -> str:
    _copy(path, **{"xl/vbaProject.bin": b"\0" * 16})
    return "xl/vbaProject.bin: a macro-enabled workbook (.xlsm): macros are never run here"


def password_protected(path: Path) -> str:
    directory = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory + bytes(448))
    return "the workbook is password-protected (encrypted)"


def external_links(path: Path) -> str:
    _copy(path, **{"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    return "xl/externalLinks/externalLink1.xml: the workbook links to 1 other workbook"


def bad_rows(path: Path) -> str:
    """100 000 rows of the Län sheet, each with an unknown code and a value that is no number."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>99</t></is></c>'
        b'<c r="C%d"><v>2021</v></c><c r="D%d" t="inlineStr"><is><t>x</t></is></c></row>'
        % (r, r, r, r)
        for r in range(1000, 101000)
    )

    def change(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet3.xml":
            return body
        head, _, tail = body.partition(b"</sheetData>")
        return head + rows + b"</sheetData>" + tail

    _copy(path, change)
    return "... and more problems: reading stopped at Län!2000:2000 after 1,000"


CASES = {
    "truncated.xlsx": truncated,
    "huge-sheet.xlsx": huge_sheet_xml,
    "macros.xlsm": macro_enabled,
    "secret.xlsx": password_protected,
    "linked.xlsx": external_links,
    "100000-rows.xlsx": bad_rows,
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_workbook_is_a_located_error_in_bounded_time_and_memory(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    expected = CASES[name](path)
    argv = factsheet("check", "--content", CONTENT, "--fonts", FONTS, "--workbook", path)
    with (tmp_path / "stderr").open("w+", encoding="utf-8") as sink:
        # Through a fresh launcher: a process's peak RSS (ru_maxrss) starts at its parent's
        # size at the fork, and the test process may be hundreds of MiB by now.
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *argv],
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            check=True,
        )
        sink.seek(0)
        err = sink.read().splitlines()
    returncode, cpu, peak_kib = json.loads(done.stdout)
    memory = peak_kib / 1024  # ru_maxrss is in KiB on Linux
    assert returncode == 2, err
    assert err[0].startswith(("Län!", f"{path}: ")), err[0]
    assert any(expected in line for line in err), err[:3]
    assert err[-1].startswith("Aborted: ") and len(err) <= 52
    assert not any("Traceback" in line for line in err)
    assert cpu < CPU_SECONDS and memory < MEMORY_MIB, (cpu, memory)


def test_the_rows_fixture_is_what_it_says(tmp_path: Path) -> None:
    bad_rows(tmp_path / "rows.xlsx")
    with zipfile.ZipFile(tmp_path / "rows.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet3.xml")
    assert xml.count(b"<row ") >= 100_000
    assert io.BytesIO(xml).getbuffer().nbytes > 10_000_000
