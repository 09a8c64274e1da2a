"""The bundled area lists (län, kommuner, Stockholm stadsdelar). Codes are always text."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

RIKET = "00"


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("factsheet").joinpath("data", "areas", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def counties() -> tuple[County, ...]:
    return tuple(
        County(r["county_code"], r["county_name"], r["county_name_short"])
        for r in _rows("counties.csv")
    )


@cache
def municipalities() -> tuple[Municipality, ...]:
    return tuple(
        Municipality(r["municipality_code"], r["municipality_name"], r["county_code"])
        for r in _rows("municipalities.csv")
    )
