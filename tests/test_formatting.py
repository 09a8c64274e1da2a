"""Swedish number formatting without the system locale."""

from __future__ import annotations

import locale

import pytest

from factsheet.formatting import (
    NBSP,
    format_number,
    join_units,
    round_half_up,
    swedish_list,
    year_span,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (60.5, 0, "61"),
        (61.5, 0, "62"),  # Python's round() gives 62 here but 60 for 60.5: half to even
        (2.675, 2, "2,68"),  # 2.675 is 2.67499999... in binary; rounded as written
        (0.125, 2, "0,13"),
        (1234567.25, 1, f"1{NBSP}234{NBSP}567,3"),
        (-3.5, 0, "−4"),
        (82.0, 0, "82"),
    ],
)
def test_format_number(value: float, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_half_up_not_half_to_even() -> None:
    assert round(60.5) == 60
    assert int(round_half_up(60.5)) == 61


def test_independent_of_the_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locale, "localeconv", lambda: {"decimal_point": ".", "thousands_sep": ","})
    assert format_number(1234.5, 1) == f"1{NBSP}234,5"


def test_units_get_a_no_break_space() -> None:
    assert join_units("61 procent och 5 %") == f"61{NBSP}procent och 5{NBSP}%"
    assert join_units("sedan procent") == "sedan procent"


def test_lists_and_spans() -> None:
    assert swedish_list(["Västmanland", "Jönköping", "Västernorrland"]) == (
        "Västmanland, Jönköping och Västernorrland"
    )
    assert swedish_list(["Gotland"]) == "Gotland"
    assert year_span(2019, 2021) == "2019–2021"
    assert year_span(2021, 2021) == "2021"
