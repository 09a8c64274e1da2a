"""The audit trail: where each printed number came from."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.model.spec import Src


@dataclass(frozen=True)
class Origin:
    """Where a printed number came from, for the audit trail (``factsheet explain``).

    ``how``: ``published`` (a workbook cell), ``min``/``max`` (over the län in ``areas``),
    ``year`` (``expression`` relative to the edition's year), ``years`` (a table's span),
    ``counts`` (``counts`` = units answering Ja / units answering, from the kommun sheet),
    ``units`` (responding units of the area), ``ratio`` (``counts`` = summed numerator /
    denominator of a ratio measure, from the kommun sheet)."""

    how: str
    indicator: str = ""
    area: str = ""
    year: int = 0
    cells: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    counts: tuple[int, int] = (0, 0)
    expression: str = ""


@dataclass(frozen=True)
class Trace:
    """One value the resolver printed and its origin (None when it printed no value: a
    missing one or a placeholder in error). ``src``/``plain``/``offset``/``name``: the content
    text it stands in, that text as printed, where in it, and the placeholder; ``part``: the
    table cell or figure bar, for values printed outside running text."""

    printed: str
    origin: Origin | None
    where: str
    src: Src | None = None
    plain: str = ""
    offset: int = 0
    name: str = ""
    part: str = ""
