"""Typed errors. The library raises these; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem: where (file:line, Sheet!Cell, a path) and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class FactsheetError(Exception):
    """Base class: a failure the user can act on. Carries one or more problems."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(FactsheetError):
    """The user's input (content, workbook, fonts, paths) is wrong: exit 2."""

    exit_code = 2


class ContentError(InputError):
    """A content (YAML) problem."""


class WorkbookError(InputError):
    """A workbook (Excel) problem."""


class FontError(InputError):
    """A font file is missing or unusable."""


class RenderError(FactsheetError):
    """Laying out or writing the PDF failed (for example a page overflows): exit 1."""


class WordTooWide(RenderError):
    """A word wider than its column with no place to break. The layout does not know where the
    word was written; ``glyphs.word_problem`` turns it into a located ContentError."""

    def __init__(self, word: str, width: float, column: float) -> None:
        self.word, self.width, self.column = word, width, column
        super().__init__(
            f"the word {_shown(word)} is {width:.0f} pt wide, wider than its column "
            f"({column:.0f} pt), and has no place to break (an address breaks after / and -): "
            "shorten it, or put a space or a hyphen in it"
        )


def _shown(word: str) -> str:
    return repr(word if len(word) <= 60 else word[:57] + "...")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'X90544'?)`` for the closest option(s), or ``""`` when none is close:
    similar enough (difflib), then fewest edits (a swap of neighbours counts as one). Equally
    close options are listed, at most three, in order."""
    choices = [str(o) for o in options]
    same_case = [c for c in choices if c.casefold() == word.casefold()]
    if same_case:
        return f" (did you mean {same_case[0]!r}?)"
    similar = difflib.get_close_matches(word, choices, n=len(choices))
    if not similar:
        return ""
    edits = {c: _edits(word, c) for c in similar}
    fewest = min(edits.values())
    names = [repr(c) for c in sorted(c for c in similar if edits[c] == fewest)[:3]]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f" (did you mean {listed}?)"


def _edits(a: str, b: str) -> int:
    """Edits turning ``a`` into ``b``: insert, delete, replace, swap neighbours (OSA distance)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


class Interrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C (SIGINT) or SIGTERM after cleaning up: exit 130. ``problems``
    say what was kept (a batch writes the manifest of the sheets that are complete)."""

    exit_code = 130

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
