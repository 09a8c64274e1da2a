"""Swedish number formatting, independent of the system locale.

Rules (also in docs/formatting.md):
- rounding is half up (away from zero at .5): 60.5 -> 61, 0.125 at two decimals -> 0.13,
  done on the decimal value, so binary floats such as 2.675 round as written;
- the decimal separator is a comma and thousands are grouped with a no-break space;
- a number followed by "procent" or "%" is joined to it with a no-break space.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
_UNIT_SPACE = re.compile(r"(\d) (procent|%)")


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round ``value`` half up to ``decimals`` places, as a Decimal."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int = 0) -> str:
    """Format like Swedish print: ``1234.5`` -> ``1 234,5`` (no-break space, decimal comma)."""
    rounded = round_half_up(value, decimals)
    sign = "−" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):.{decimals}f}".partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = NBSP.join(groups)
    return sign + (f"{text},{fraction}" if fraction else text)


def printed_value(value: float, decimals: int = 0) -> float:
    """The value as it is printed (rounded half up), for comparisons that must match the text."""
    return float(round_half_up(value, decimals))


def join_units(text: str) -> str:
    """Put a no-break space between a number and a following "procent" or "%"."""
    return _UNIT_SPACE.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)


def swedish_list(items: list[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B och C"``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def year_span(first: int, last: int) -> str:
    """``2019, 2021`` -> ``2019–2021`` (en dash); a single year stays as it is."""
    return str(first) if first == last else f"{first}–{last}"
