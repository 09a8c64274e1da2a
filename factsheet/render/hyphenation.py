"""Swedish hyphenation by the house rules.

Only words of at least ``MIN_WORD`` letters are broken, leaving at least ``MIN_SIDE`` letters on
each side; a break at a compound joint (``socionom-examen``, ``utförar-verksamhet``) is tried
before a break between syllables a few letters further right. The joints come from the
content's exception list (``hyphenation.words``): a listed word breaks only where it is
marked, and each marked part of at least ``MIN_PART`` letters makes a joint in any other word
that ends or starts with it (``verksamhets-utveckling`` marks ``kompetens|utveckling``). Words
listed under ``hyphenation.never`` and the names of areas (län, kommuner, stadsdelar) are never
broken.

``Hyphenator`` is what ReportLab calls as a paragraph style's ``hyphenationLang``: word -> the
(head, tail) pairs to try, in order of preference. Which styles hyphenate at all (justified
body text only: never headings, captions, unit lines, table cells or ragged text) is set in
``theme``; the limit on hyphenated line ends in a row is kept in ``flowables.TParagraph``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import pyphen

from factsheet.model import areas
from factsheet.render import hyphdict

MIN_WORD = 7
MIN_SIDE = 3
MIN_PART = 4
MAX_IN_A_ROW = 2  # hyphenated line ends in a row
# A compound joint is tried before a syllable break up to this many letters to its right: the
# better break, without leaving much more of the line empty.
JOINT_BONUS = 4


@cache
def _dictionary() -> pyphen.Pyphen:
    hyphdict.preload()  # the parsed patterns from the build cache, into pyphen's cache
    return pyphen.Pyphen(lang="sv", left=MIN_SIDE, right=MIN_SIDE)


def _pyphen_positions(word: str) -> list[int]:
    return list(_dictionary().positions(word))


@cache
def _names() -> frozenset[str]:
    """Every word of an area's name (``Hässelby-Vällingby``, ``Gotlands``), lower case."""
    names = [c.name for c in areas.counties()] + [c.short for c in areas.counties()]
    names += [m.name for m in areas.municipalities()]
    names += [u.name for u in areas.responding_units()]
    words = {w for name in names for w in name.replace("-", " ").split()}
    return frozenset(w.lower() for w in words) | frozenset(w.lower() + "s" for w in words)


@dataclass(frozen=True)
class Hyphenator:
    """The hyphenation rules with the content's exceptions; hashable, so that it can key
    caches of styles and line breaks. ``refused``: words this paragraph must not break (to keep
    to ``MAX_IN_A_ROW``)."""

    words: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    refused: frozenset[str] = frozenset()
    _joints: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for entry in self.words:
            plain = entry.replace("-", "").lower()
            cuts, at = [], 0
            for piece in entry.split("-")[:-1]:
                at += len(piece)
                cuts.append(at)
            self._joints[plain] = tuple(cuts)

    def refusing(self, word: str) -> Hyphenator:
        return Hyphenator(self.words, self.never, self.refused | {word})

    @property
    def parts(self) -> tuple[str, ...]:
        return _parts(self.words)

    def points(self, word: str) -> list[int]:
        """Where ``word`` may break, best first: from the right (which fills the line best),
        a compound joint ahead of syllable breaks up to ``JOINT_BONUS`` letters right of it."""
        lower = word.lower()
        if (
            len(word) < MIN_WORD
            or not word.isalpha()
            or lower in self.refused
            or lower in _names()
            or lower in {n.lower() for n in self.never}
        ):
            return []
        listed = self._listed(lower)
        if listed is not None:
            return sorted((p for p in listed if self._fits(word, p)), reverse=True)
        found = hyphdict.positions(word, MIN_SIDE, _pyphen_positions)
        syllables = [p for p in found if self._fits(word, p)]
        return sorted(
            syllables, key=lambda p: p + JOINT_BONUS * self._joint(lower, p), reverse=True
        )

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        for point in self.points(word):
            yield word[:point], word[point:]

    def _listed(self, lower: str) -> tuple[int, ...] | None:
        """The marked joints of the longest listed word that ``lower`` starts with (its
        inflected forms: ``socionomexamen`` covers ``socionomexamens``)."""
        best = max((w for w in self._joints if lower.startswith(w)), key=len, default=None)
        return None if best is None else self._joints[best]

    def _joint(self, lower: str, point: int) -> bool:
        head, tail = lower[:point], lower[point:]
        return any(head.endswith(p) or tail.startswith(p) for p in self.parts)

    @staticmethod
    def _fits(word: str, point: int) -> bool:
        return MIN_SIDE <= point <= len(word) - MIN_SIDE


@cache
def _parts(words: tuple[str, ...]) -> tuple[str, ...]:
    pieces = {p.lower() for entry in words for p in entry.split("-")}
    return tuple(sorted(p for p in pieces if len(p) >= MIN_PART))
