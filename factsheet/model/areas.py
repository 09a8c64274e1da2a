"""The bundled area lists (län, kommuner, Stockholm stadsdelar). Codes are always text."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

RIKET = "00"
KINDS = ("riket", "county", "municipality")


@dataclass(frozen=True)
class Area:
    """The area a sheet is built for. ``kind``: ``riket``, ``county`` (a län) or
    ``municipality`` (a kommun or a Stockholm stadsdel); ``county``: the län's code (its own
    for a county, its län's for a kommun, empty for riket)."""

    code: str
    name: str
    kind: str
    county: str = ""
    short: str = ""  # a län's short name (``Uppsala``); the name otherwise


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


@cache
def units() -> dict[str, str]:
    """The codes a responding unit may have, with their county: every kommun (``0114``) and
    Stockholm's stadsdelsområden (``0180-01`` … in the order of stockholm_districts.csv)."""
    found = {m.code: m.county for m in municipalities()}
    districts = _rows("stockholm_districts.csv")
    for number, row in enumerate(districts, start=1):
        found[f"{row['municipality_code']}-{number:02d}"] = found[row["municipality_code"]]
    return found


def slug(text: str) -> str:
    """A file-name-safe slug: ``Västra Götaland`` -> ``vastra-gotaland``. Only [a-z0-9-]."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "area"


def find_county(query: str) -> County:
    """A county by code (``03``), name (``Uppsala län``) or short name (``uppsala``)."""
    wanted = query.strip().casefold()
    for county in counties():
        if wanted in (county.code, county.name.casefold(), county.short.casefold()):
            return county
    raise LookupError(query)


STOCKHOLM = "0180"


@cache
def responding_units() -> tuple[Municipality, ...]:
    """The units that answer the survey: every kommun but Stockholm stad, which answers as its
    stadsdelsområden, coded ``0180-01`` … ``0180-13`` in the order of stockholm_districts.csv
    (a code of our own: the survey has none)."""
    districts = tuple(
        Municipality(f"{row['municipality_code']}-{number:02d}", row["district_name"], "01")
        for number, row in enumerate(_rows("stockholm_districts.csv"), start=1)
    )
    kommuner = tuple(m for m in municipalities() if m.code != STOCKHOLM)
    return tuple(sorted(kommuner + districts, key=lambda m: m.code))


@cache
def _catalogue() -> dict[str, Area]:
    found = {RIKET: Area(RIKET, "Riket", "riket", "", "Riket")}
    found.update({c.code: Area(c.code, c.name, "county", c.code, c.short) for c in counties()})
    for u in responding_units():
        found[u.code] = Area(u.code, u.name, "municipality", u.county, u.name)
    return found


def area(code: str) -> Area:
    """The area with this code (``00``, ``03``, ``0380``, ``0180-01``); KeyError if none."""
    return _catalogue()[code]


def riket() -> Area:
    return _catalogue()[RIKET]


def find_municipality(query: str) -> Municipality:
    """A kommun or stadsdel by code (``0380``, ``0180-01``) or name (``Uppsala``,
    ``Rinkeby-Kista``); Stockholm stad as a whole is a LookupError with its own message."""
    wanted = query.strip().casefold()
    if wanted in (STOCKHOLM, "stockholm", "stockholms stad", "stockholm stad"):
        raise LookupError("stockholm")
    for unit in responding_units():
        if wanted in (unit.code, unit.name.casefold()):
            return unit
    raise LookupError(query)


def area_name(code: str) -> str:
    return area(code).name
