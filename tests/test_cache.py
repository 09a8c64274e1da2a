"""The build cache: every test run has its own, keys change with the code, --no-cache."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT

from factsheet import cache
from factsheet.cli import main


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


def test_the_fingerprint_follows_the_code(tmp_path: Path) -> None:
    """A changed source or data file of the package gives another fingerprint, so other keys."""
    copy = tmp_path / "factsheet"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert cache.fingerprint(copy) == cache.fingerprint()
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "cache.cpython-311.pyc").write_bytes(b"compiled")
    assert cache.fingerprint.__wrapped__(copy) == cache.fingerprint()  # bytecode is no code

    chart = copy / "render" / "chart_mpl.py"
    chart.write_text(chart.read_text(encoding="utf-8").replace("8", "9", 1), encoding="utf-8")
    assert cache.fingerprint.__wrapped__(copy) != cache.fingerprint()
    shutil.copytree(cache.PACKAGE, copy, dirs_exist_ok=True)
    assert cache.fingerprint.__wrapped__(copy) == cache.fingerprint()
    with (copy / "data" / "areas" / "counties.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert cache.fingerprint.__wrapped__(copy) != cache.fingerprint()


def test_keys_hold_the_code_and_the_library_versions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key, file_key = cache.digest("chart", 1), cache.file_digest(CONTENT / "lss.yaml", "layout")
    assert cache.digest("chart", 1) == key
    assert cache.versions() == {
        name: version(name) for name in ("reportlab", "matplotlib", "openpyxl")
    }
    with monkeypatch.context() as patch:
        patch.setattr(cache, "fingerprint", lambda: "the code after an edit")
        assert cache.digest("chart", 1) != key
        assert cache.file_digest(CONTENT / "lss.yaml", "layout") != file_key
    unpatched = cache.fingerprint.__wrapped__(cache.PACKAGE)
    monkeypatch.setattr(cache, "versions", lambda: {"reportlab": "9.9"})
    assert cache.fingerprint.__wrapped__(cache.PACKAGE) != unpatched


def test_a_warm_cache_serves_nothing_made_by_other_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, national_pdf: Path, private_cache: Path
) -> None:
    """The cached charts are spoilt, as if an older chart_mpl.py had drawn nothing: a build
    uses them (as any build before this fix did after a code change), a build with
    --no-cache neither reads nor writes the cache, and a build by other code (another
    fingerprint) computes everything afresh."""
    folder = tmp_path / "cache"
    shutil.copytree(private_cache, folder)  # warm: the national sheet was built through it
    monkeypatch.setenv("FACTSHEET_CACHE", str(folder))
    charts = list(folder.glob("chart-*.json"))
    assert charts
    for chart in charts:
        chart.write_text("[]", encoding="utf-8")
    argv = ["build", "--content", str(CONTENT), "--fonts", str(ROOT / "fonts"), "-o"]
    expected = national_pdf.read_bytes()

    assert main([*argv, str(tmp_path / "stale.pdf")]) == 0
    assert (tmp_path / "stale.pdf").read_bytes() != expected

    entries = {path: path.read_bytes() for path in folder.iterdir()}
    assert main([*argv, str(tmp_path / "bypassed.pdf"), "--no-cache"]) == 0
    assert (tmp_path / "bypassed.pdf").read_bytes() == expected
    assert {path: path.read_bytes() for path in folder.iterdir()} == entries
    assert cache.enabled()  # for this process's later builds again

    monkeypatch.setattr(cache, "fingerprint", lambda: "the code after an edit")
    assert main([*argv, str(tmp_path / "fresh.pdf")]) == 0
    assert (tmp_path / "fresh.pdf").read_bytes() == expected


def test_the_render_stage_stores_only_in_what_the_pipeline_hands_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart laid out without a store (render used on its own) is recorded, not cached; with
    the build cache handed in (as ``load_inputs`` does) it is stored and read back equal."""
    from factsheet.render import memo
    from factsheet.render.chart import Chart
    from factsheet.render.chartdata import ChartBar, ChartData

    folder = tmp_path / "cache"
    monkeypatch.setenv("FACTSHEET_CACHE", str(folder))
    monkeypatch.setattr(memo, "_store", None)
    bars = (ChartBar("Uppsala län", 40.0, "40"), ChartBar("Gotlands län", 60.0, "60", True))
    data = ChartData(bars, "Riket", 50.0, "50", "Procent", "uppgift saknas")
    bare = Chart(data, 200.0).ops()
    assert bare and not list(folder.glob("chart-*"))
    memo.use(cache)
    stored = Chart(data, 200.0).ops()
    assert [p.name.startswith("chart-") for p in folder.iterdir()] == [True]
    assert Chart(data, 200.0).ops() == stored == bare
