"""The workbook is parsed in a forked child while the parent loads the layout: the result, the
problems and the failures are those of the step run in the parent."""

from __future__ import annotations

import os
import time

import pytest

from factsheet import beside as beside_module
from factsheet.beside import beside
from factsheet.errors import Problem, WorkbookError


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside_module, "cores", lambda: 2)


def test_work_runs_in_a_child_while_the_parent_runs_meanwhile() -> None:
    parent = os.getpid()
    meanwhile_in: list[int] = []
    result = beside(
        lambda: {"pid": os.getpid()},
        lambda: meanwhile_in.append(os.getpid()),
        send=lambda value: [value["pid"], "sent"],
        receive=lambda value: (value[0], value[1], "received"),
    )
    child, sent, received = result
    assert child != parent
    assert (sent, received) == ("sent", "received")
    assert meanwhile_in == [parent]


def test_an_input_error_of_the_child_is_raised_with_its_class_and_problems() -> None:
    problems = [Problem("Kommun!D7", "expected Ja/Nej, got 'Kanske'"), Problem("x", "y")]

    def work() -> None:
        raise WorkbookError(problems)

    with pytest.raises(WorkbookError) as raised:
        beside(work, lambda: None)
    assert type(raised.value) is WorkbookError
    assert raised.value.problems == problems
    assert str(raised.value) == "Kommun!D7: expected Ja/Nej, got 'Kanske'\nx: y"


def test_a_child_that_fails_otherwise_leaves_the_step_to_the_parent() -> None:
    parent = os.getpid()
    ran_in: list[int] = []

    def work() -> str:
        if os.getpid() != parent:
            raise RuntimeError("a bug in the child")
        ran_in.append(os.getpid())
        return "done in the parent"

    assert beside(work, lambda: None) == "done in the parent"
    assert ran_in == [parent]


def test_a_bug_raises_in_the_parent_with_its_own_type() -> None:
    def work() -> None:
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        beside(work, lambda: None)


def test_a_failing_meanwhile_stops_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)

    def meanwhile() -> None:
        raise ValueError("meanwhile failed")

    started = time.monotonic()
    with pytest.raises(ValueError, match="meanwhile failed"):
        beside(lambda: time.sleep(30), meanwhile)
    assert time.monotonic() - started < 5  # stopped, not waited for
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # stopped and waited for: no process left behind
        os.waitpid(forked[0], os.WNOHANG)


def test_one_core_runs_both_in_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside_module, "cores", lambda: 1)
    order: list[str] = []
    result = beside(lambda: order.append("work") or os.getpid(), lambda: order.append("meanwhile"))
    assert result == os.getpid()
    assert order == ["meanwhile", "work"]


def test_a_result_larger_than_the_pipe_arrives_whole() -> None:
    """The child writes more than a pipe holds while the parent is still busy: it waits for
    the parent to read, and nothing is lost or stuck."""
    rows = [[f"{i:04d}", i, "X90544", i / 7, None] for i in range(40_000)]  # about 2 MB

    def meanwhile() -> None:
        time.sleep(0.3)

    assert beside(lambda: rows, meanwhile) == rows
