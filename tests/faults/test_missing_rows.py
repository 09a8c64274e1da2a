"""A kommun the workbook has no rows for (a cut or wrong workbook) is an input error naming
it, not a sheet that says 'uppgift saknas' in every place."""

from __future__ import annotations

import pytest
from faultlib import CONTENT, FONTS

from factsheet.build import Inputs, check, load_inputs
from factsheet.errors import InputError
from factsheet.model import areas
from factsheet.model.dataset import Dataset


def without(inputs: Inputs, code: str) -> Inputs:
    data = inputs.data
    rows = [r for r in data.rows if r.area != code]
    units = {c: u for c, u in data.units.items() if c != code}
    cut = Dataset.from_rows(data.path, data.synthetic, data.indicators, units, rows)
    return Inputs(inputs.spec, cut, inputs.fonts)


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(CONTENT, None, FONTS)


def test_a_kommun_without_rows_is_an_error(inputs: Inputs) -> None:
    kommun = areas.area("0114")
    assert check(inputs, [kommun])  # with its rows it resolves
    with pytest.raises(InputError) as raised:
        check(without(inputs, "0114"), [kommun, areas.area("0115")])
    assert [str(p) for p in raised.value.problems] == [
        f"{inputs.data.path}: Upplands Väsby (0114) has no rows in the workbook, in any year: "
        "its sheet would say that every answer is missing; check that the workbook is complete"
    ]


def test_a_stadsdel_without_rows_is_an_error(inputs: Inputs) -> None:
    with pytest.raises(InputError) as raised:
        check(without(inputs, "0180-01"), [areas.area("0180-01")])
    assert "Rinkeby-Kista (0180-01) has no rows in the workbook" in str(raised.value.problems[0])
