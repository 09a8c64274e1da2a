"""``factsheet build --watch``: rebuild when the content, the workbook or the fonts change.

Polls modification times (no extra dependency, works on every file system the build reads);
a change is acted on when the files have been still for one interval, so an editor's
save-in-steps gives one rebuild, not several.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

Stamp = dict[Path, tuple[float, int]]


# What a build writes, never an input: with ``-o`` inside the content folder, a rebuild that
# wrote them would be seen as a change and start the next rebuild, without end.
_WRITTEN = ("*.pdf", "*.PDF", "manifest.json")


def watched(paths: Iterable[Path]) -> list[Path]:
    """The files to watch: the given files, and the files directly in the given folders
    except hidden ones and what a build writes (PDFs, ``manifest.json``)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and not any(p.match(pattern) for pattern in _WRITTEN)
            )
        else:
            files.append(path)
    return files


def stamp(files: list[Path]) -> Stamp:
    out: Stamp = {}
    for file in files:
        try:
            status = file.stat()
        except OSError:
            continue  # a file being replaced; seen again on the next poll
        out[file] = (status.st_mtime, status.st_size)
    return out


def changed(before: Stamp, after: Stamp) -> list[Path]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def watch(
    paths: list[Path],
    rebuild: Callable[[list[Path]], None],
    interval: float = 0.5,
    keep_going: Callable[[], bool] = lambda: True,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Call ``rebuild(changed_files)`` after every settled change until ``keep_going`` is
    false (or Ctrl-C, which the CLI catches). ``ready()`` is called once the files as they
    are now have been noted: a change after it is seen."""
    current = stamp(watched(paths))
    ready()
    while keep_going():
        time.sleep(interval)
        latest = stamp(watched(paths))
        differences = changed(current, latest)
        if not differences:
            continue
        time.sleep(interval)  # let a save in several steps finish
        settled = stamp(watched(paths))
        rebuild(changed(current, settled))
        current = settled
