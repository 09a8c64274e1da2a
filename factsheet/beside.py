"""One slow step in a forked child while the parent does other work: two cores, one build.

A cold build reads the workbook with openpyxl (most of a second) and then needs modules and data
that do not depend on it (ReportLab's layout, matplotlib, the hyphenation patterns, about half a
second). ``beside`` runs the first in a child forked for it and the second in the parent at the
same time; the child sends its result back through a pipe.

The result is the one the step gives in the parent: the child returns it as data, or the
``InputError`` it raised with the same problems. When the child fails in any other way (a bug,
a signal, a result that cannot be sent), the parent runs the step itself, so that what it
raises is raised, with its traceback, where it is raised without the child. Without
``os.fork`` or a second core, the two run one after the other.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from factsheet.errors import InputError, Problem

T = TypeVar("T")


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def forks() -> bool:
    """Whether ``beside`` runs its step in a child: ``os.fork`` and a second core."""
    return hasattr(os, "fork") and cores() >= 2


def beside(
    work: Callable[[], Any],
    meanwhile: Callable[[], None],
    send: Callable[[Any], Any] = lambda value: value,
    receive: Callable[[Any], T] = lambda value: value,
) -> T:
    """``receive(send(work()))``, with ``work`` run in a forked child while the parent runs
    ``meanwhile``. ``send`` turns the result into what crosses the pipe (pickled) in the
    child, ``receive`` turns that back in the parent. An ``InputError`` of ``work`` is
    raised in the parent with its class and problems."""
    if not forks():
        meanwhile()
        return receive(send(work()))
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare: one after the other
        os.close(read_end)
        os.close(write_end)
        meanwhile()
        return receive(send(work()))
    if pid == 0:  # the child: never returns, whatever happens (a Ctrl-C just after the fork)
        try:
            os.close(read_end)
            _child(write_end, work, send)
        finally:
            os._exit(1)
    try:
        os.close(write_end)
        meanwhile()
        with os.fdopen(read_end, "rb") as pipe:
            read_end = -1  # closed with the file
            payload = pipe.read()
    except BaseException:  # Ctrl-C, or meanwhile failed: the child's work is not wanted
        if read_end >= 0:
            os.close(read_end)
        _stop(pid)
        raise
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return receive(send(work()))  # the child failed: the parent finds out how
    kind, value = pickle.loads(payload)
    if kind == "problems":
        error_class, problems = value
        raise error_class(problems)
    return receive(value)


def _child(write_end: int, work: Callable[[], Any], send: Callable[[Any], Any]) -> None:
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once
        gc.disable()  # a short life: what a collection would free goes with the process
        try:
            message: tuple[str, Any] = ("value", send(work()))
        except InputError as exc:
            problems: list[Problem] = list(exc.problems)
            message = ("problems", (type(exc), problems))
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    except BaseException:  # the parent runs the step again and reports what it raises
        pass
    finally:
        os._exit(status)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
