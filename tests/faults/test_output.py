"""The output folder under faults: a full disk, a read-only folder or file, a symlink at an
output name, the user's own folder with other files, a second run into the same folder. The
rule (README, "Output files"): a run writes only its sheets' names, ``manifest.json`` and its
own temporary files ``.<name>.factsheet-XXXXXXXX.tmp``; nothing else is replaced or deleted."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from conftest import run_cli
from faultlib import CONTENT, FONTS, check_folder

from factsheet import files

SHEET = "oj-2021-lss-riket.pdf"


def build(capsys: pytest.CaptureFixture[str], output: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli(capsys, "build", "--content", CONTENT, "--fonts", FONTS, "-o", output, *extra)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A sheet built before the fault, to be found intact after it."""
    out = tmp_path_factory.mktemp("earlier") / SHEET
    from factsheet.cli import main

    assert main(["build", "--content", str(CONTENT), "--fonts", str(FONTS), "-o", str(out)]) == 0
    return out.read_bytes()


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_keeps_the_earlier_pdf(
    tmp_path: Path,
    earlier: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / SHEET
    target.write_bytes(earlier)
    monkeypatch.setattr(os, "fsync", _full_disk)
    code, _, err = build(capsys, target)
    assert code == 1
    assert err[0] == f"{target}: cannot write the PDF: No space left on device"
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == [SHEET]


def test_disk_full_while_writing_the_manifest_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factsheet import batch

    real = files.write_atomic

    def manifest_fails(data: bytes, target: Path) -> None:
        if target.name == "manifest.json":
            _full_disk()
        real(data, target)

    monkeypatch.setattr(files, "write_atomic", manifest_fails)
    folder = tmp_path / "out"
    code, _, err = build(capsys, folder, "--all-counties", "-j", "1")
    assert code == 1
    assert (
        f"{folder / 'manifest.json'}: cannot write the manifest: No space left on device" in err[-2]
    )
    assert not (folder / "manifest.json").exists()
    assert check_folder(folder).temporary == []
    assert batch.MANIFEST == "manifest.json"


def test_read_only_folder_is_a_located_error(
    tmp_path: Path,
    earlier: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the tests run as root, for whom permission bits do not stop a write: the refusal that a
    # read-only folder gives is injected where the writer creates its temporary file
    target = tmp_path / SHEET
    target.write_bytes(earlier)

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    code, _, err = build(capsys, target)
    assert code == 1
    assert err[0] == f"{target}: cannot write the PDF: Read-only file system"
    assert target.read_bytes() == earlier


def test_a_read_only_output_file_is_not_replaced(
    tmp_path: Path, earlier: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / SHEET
    target.write_bytes(b"the user's own, read-only")
    target.chmod(0o444)
    code, _, err = build(capsys, target)
    assert code == 1
    assert err[0] == f"{target}: cannot write the PDF: the file is read-only; it was not replaced"
    assert target.read_bytes() == b"the user's own, read-only"
    assert sorted(p.name for p in tmp_path.iterdir()) == [SHEET]


def test_a_symlink_at_an_output_name_is_replaced_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere" / "precious.pdf"
    outside.parent.mkdir()
    outside.write_bytes(b"not a sheet")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / SHEET).symlink_to(outside)
    code, _, _ = build(capsys, folder)
    assert code == 0
    assert outside.read_bytes() == b"not a sheet"
    assert not (folder / SHEET).is_symlink()
    assert (folder / SHEET).read_bytes().startswith(b"%PDF-")


def test_the_users_folder_keeps_its_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    theirs = {
        "notes.txt": b"notes",
        "old-report.pdf": b"%PDF-1.4 the user's",
        ".draft.tmp": b"a temporary file that is not ours",
        ".oj-2021-lss-riket.pdf.1234.tmp": b"not ours either",
    }
    for name, body in theirs.items():
        (folder / name).write_bytes(body)
    (folder / "sub").mkdir()
    code, _, _ = build(capsys, folder, "--all-counties", "-j", "1")
    assert code == 0
    for name, body in theirs.items():
        assert (folder / name).read_bytes() == body
    assert (folder / "sub").is_dir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    ours = {entry["file"] for entry in manifest["files"]} | {"manifest.json", "sub"}
    assert {p.name for p in folder.iterdir()} == ours | set(theirs)


def test_a_second_run_into_a_held_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with files.folder_lock(folder):  # as a run in another terminal holds it
        code, _, err = build(capsys, folder, "--all-counties", "-j", "1")
        single, _, err_single = build(capsys, folder / SHEET)
    assert (code, single) == (1, 1)
    message = (
        f"{folder}: another factsheet build is writing into this folder; nothing was written: "
        "wait for it to finish or choose another folder with -o"
    )
    assert err[0] == message and err_single[0] == message
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_pdfs_get_the_mode_of_the_umask(tmp_path: Path, earlier: bytes, mask: int) -> None:
    previous = os.umask(mask)
    try:
        files.write_atomic(earlier, tmp_path / SHEET)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / SHEET).stat().st_mode) == 0o666 & ~mask


def test_two_batch_processes_into_one_folder_leave_a_consistent_folder(tmp_path: Path) -> None:
    """Two real processes: the second, started while the first is building, is refused and
    writes nothing; the first ends with every sheet and a manifest that matches the files."""
    import subprocess
    import time

    from faultlib import batch_args

    folder = tmp_path / "out"
    log = tmp_path / "first.log"
    with log.open("w", encoding="utf-8") as sink:
        first = subprocess.Popen(
            batch_args(folder, "--all-counties", "-j", "1"),
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + 120
        while "[1/22]" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            assert first.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.05)
        second = subprocess.run(
            batch_args(folder, "--all-counties", "-j", "1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert first.wait(timeout=300) == 0, log.read_text(encoding="utf-8")
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode == 1
    assert second.stderr.splitlines()[0] == (
        f"{folder}: another factsheet build is writing into this folder; nothing was written: "
        "wait for it to finish or choose another folder with -o"
    )
    found = check_folder(folder)
    assert (found.pdfs, found.listed, found.temporary) == (22, 22, [])
