"""The wheel a normal install uses holds the package's data files (the sRGB profile the PDF/A
output intent embeds, the area lists), not only its modules. ``.ci/run`` also installs it in a
fresh venv and builds a sheet from it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside it
    shutil.copytree(
        ROOT / "factsheet", source / "factsheet", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), source],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("factsheet-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    files = {
        path.relative_to(source).as_posix()
        for path in (source / "factsheet").rglob("*")
        if path.is_file()
    }
    assert "factsheet/data/sRGB.icc" in files
    assert sorted(files - packed) == []
