"""What a placeholder may refer to where it stands, and the signal of a missing area value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Context:
    """What a placeholder may refer to besides the document-wide ones."""

    years: tuple[int, ...] = ()
    missing_order: str = "code"
    area: bool = False  # area placeholders allowed (variant text)
    strict: bool = False  # a missing area value raises AreaMissing instead of a problem


class AreaMissing(LookupError):
    """The area has no value (suppressed or not reported): the 'missing' text applies."""
