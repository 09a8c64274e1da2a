"""Structure hooks: every content block is drawn through ``Tagged.drawOn`` and every decoration
through ``artifact``. Today the ``Tagger`` records the reading order (role and text) of what is
drawn; the accessibility issue turns the same two hooks into marked content and a structure tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tag:
    """A structure role (PDF standard structure type: H1, H2, P, L, Table, Figure, Note, ...)."""

    role: str
    text: str = ""
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass
class Tagger:
    """Records what was drawn, in drawing order, with its page."""

    events: list[tuple[int, Tag]] = field(default_factory=list)
    depth: int = 0
    in_artifact: bool = False

    def begin(self, canvas: Any, tag: Tag) -> None:
        self.events.append((canvas.getPageNumber(), tag))
        self.depth += 1

    def end(self, canvas: Any, tag: Tag) -> None:
        self.depth -= 1

    @contextmanager
    def artifact(self, canvas: Any) -> Iterator[None]:
        self.in_artifact = True
        try:
            yield
        finally:
            self.in_artifact = False


class Tagged:
    """Mixin for flowables: brackets drawing with the canvas tagger; split parts keep the tag."""

    tag: Tag | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is not None and self.tag is not None:
            tagger.begin(canvas, self.tag)
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            tagger.end(canvas, self.tag)
        else:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]

    def split(self, width: float, height: float) -> list[Any]:
        parts = super().split(width, height)  # type: ignore[misc]
        for part in parts:
            if isinstance(part, Tagged):
                part.tag = self.tag
        return parts


@contextmanager
def artifact(canvas: Any) -> Iterator[None]:
    """Draw decorations (rules, backgrounds, footer) inside this block."""
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    if tagger is None:
        yield
        return
    with tagger.artifact(canvas):
        yield
