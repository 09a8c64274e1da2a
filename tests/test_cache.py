"""The build cache: every test run has its own, keys change with the code, --no-cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from factsheet import cache


def test_a_test_run_never_touches_the_users_cache(
    tmp_path_factory: pytest.TempPathFactory, national_pdf: Path
) -> None:
    """conftest gives the run a cache of its own (under pytest's temporary folder), also to
    the CLI in a subprocess, and the builds of the run use it."""
    base = tmp_path_factory.getbasetemp()
    assert cache.cache_dir().is_relative_to(base)
    child = subprocess.run(
        [sys.executable, "-c", "from factsheet.cache import cache_dir; print(cache_dir())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(child.stdout.strip()).is_relative_to(base)
    assert any(cache.cache_dir().glob("*.json"))  # national_pdf was built through it
