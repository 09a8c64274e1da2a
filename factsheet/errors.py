"""Typed errors. The library raises these; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

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
