"""Output names, output checks and the one atomic writer of output files."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from factsheet.errors import FactsheetError, Problem
from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.spec import Spec


def output_problems(output: Path, folder: bool = False) -> list[Problem]:
    """Why nothing could be written at ``output`` (a PDF file, or a folder when ``folder``
    or when it is one), found before anything is built: an empty list when it can."""
    existing = output if output.is_dir() or folder else output.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    where = str(output)
    if folder and output.exists() and not output.is_dir():
        return [Problem(where, "cannot write here: it is a file, not a folder")]
    if not existing.is_dir():
        return [Problem(where, f"cannot write here: {existing} is a file, not a folder")]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [Problem(where, f"cannot write here: no permission to write in {existing}")]
    return []


def output_name(spec: Spec, area: Area) -> str:
    """``oj-2021-lss-riket.pdf``, ``oj-2021-lss-03-uppsala.pdf``, ``oj-2021-lss-0380-uppsala.pdf``,
    ``oj-2021-lss-0180-01-rinkeby-kista.pdf``: from codes and ASCII slugs only, so no area name
    can reach outside the output folder."""
    if area.kind == "riket":
        return f"oj-{spec.year}-lss-riket.pdf"
    if area.kind == "county":
        return f"oj-{spec.year}-lss-{area.code}-{areas.slug(area.short)}.pdf"
    return f"oj-{spec.year}-lss-{areas.slug(area.code)}-{areas.slug(area.name)}.pdf"


_TEMP_MARK = ".factsheet-"
_STALE = re.compile(r"\..+\.factsheet-[a-z0-9_]{8}\.tmp")
_PENDING: set[str] = set()  # temporary files this process is writing


def write_atomic(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename. The file gets the
    mode a new file gets under the user's umask (``0666 & ~umask``, usually 0644). A read-only
    file at ``target`` is not replaced (PermissionError); a symlink there is replaced by the
    file, its target is left as it is."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    if _read_only(target):
        raise PermissionError(errno.EACCES, "the file is read-only; it was not replaced")
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}{_TEMP_MARK}", suffix=".tmp", dir=target.parent
    )
    _PENDING.add(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _PENDING.discard(tmp)


def _read_only(target: Path) -> bool:
    """An existing file whose owner made it read-only (no write bit; checked on the mode,
    as root may write anything): the user keeps it. A symlink is replaced, never followed."""
    try:
        status = target.lstat()
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and not status.st_mode & 0o222


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_pending() -> None:
    """Remove the temporary files this process is writing (a worker told to stop)."""
    for tmp in list(_PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files that a crashed or killed run left in ``folder`` (only names
    this writer makes: ``.<name>.factsheet-XXXXXXXX.tmp``); call it holding ``folder_lock``."""
    removed = []
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return []
    for name in names:
        if _STALE.fullmatch(name):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                removed.append(folder / name)
    return removed


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the output folder for one run: a second run into the same folder (another
    terminal, a second batch) is refused at once instead of mixing its files and manifest with
    this one's. An advisory ``flock`` on the folder itself: nothing is written, and the lock
    goes with the last process holding it (also when killed). Stale temporary files are removed
    once it is held."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise FactsheetError(
            Problem(str(folder), f"cannot open the output folder: {exc.strerror or exc}")
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FactsheetError(
                Problem(
                    str(folder),
                    "another factsheet build is writing into this folder; nothing was written: "
                    "wait for it to finish or choose another folder with -o",
                )
            ) from None
        remove_stale(folder)
        yield
    finally:
        os.close(fd)
