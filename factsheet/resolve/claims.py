"""Trend and comparison words: found in the prose, and bound to rules over the data.

``TREND_WORDS`` is the list of Swedish words and phrases that state a trend, a level or a
comparison ("allt fler", "en liten minskning", "omkring en tredjedel"); ``factsheet new`` lists
every sentence holding one for the author to revise. A ``claims:`` entry of the content binds
such words to a rule over riket's values (``increasing``, ``between``, ...); ``evaluate``
finds the sentences that hold the words, checks the rule on the printed (rounded) values and
returns a warning, naming the sentence, for each sentence whose words the data no longer
supports. It also warns about trend words that no claim covers (``rule: none`` with a
``reason`` covers words that state nothing about the workbook's data) and about a claim that
stands in another number of sentences than its ``sentences`` (default 1): a new sentence with
the same words is not silently checked by an old claim.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from factsheet.errors import Problem
from factsheet.formatting import format_number, printed_value
from factsheet.model import areas
from factsheet.model.dataset import Dataset
from factsheet.model.richtext import LINK
from factsheet.model.spec import Claim, Spec, Src, TextItem, line_order, texts
from factsheet.resolve.resolver import Resolver

# Words that state a trend over time, a level in words or a comparison. Whole words, any case;
# a longer phrase wins over a word inside it ("allt fler" over "fler").
TREND_WORDS: tuple[str, ...] = (
    # trends
    "allt fler",
    "allt färre",
    "alltmer",
    "allt mindre",
    "ökat",
    "ökar",
    "ökade",
    "ökning",
    "ökningen",
    "minskat",
    "minskar",
    "minskade",
    "minskning",
    "minskningen",
    "liten minskning",
    "liten ökning",
    "sedan",
    "fortfarande",
    "alltjämt",
    "fortsatt",
    "fortsätter",
    "samma nivå",
    "liknande nivå",
    "oförändrad",
    "oförändrat",
    "förra året",
    "tidigare år",
    "de senaste åren",
    "i år",
    "första gången",
    "andra året",
    "tredje året",
    # levels in words
    "liten",
    "omkring",
    "ungefär",
    "cirka",
    "drygt",
    "knappt",
    "nästan",
    "hälften",
    "tredjedel",
    "fjärdedel",
    "var tredje",
    "var fjärde",
    "varannan",
    "majoriteten",
    "flertalet",
    "merparten",
    "de flesta",
    "många",
    "väldigt få",
    "enbart",
    # comparisons
    "fler",
    "färre",
    "vanligare",
    "ovanligare",
    "större andel",
    "mindre andel",
    "större",
    "mindre",
    "högre",
    "lägre",
    "skiljer sig",
    "spridningen",
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ0-9{\"'(])")
_TRENDS = re.compile(
    r"\b(?:"
    + "|".join(
        r"\s+".join(re.escape(w) for w in words.split())
        for words in sorted(TREND_WORDS, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        spans.append((start, end.start()))
        start = end.end()
    return [*spans, (start, len(text))]


def trend_words(text: str) -> list[tuple[int, str]]:
    """(offset, words) of every trend or comparison phrase of ``TREND_WORDS`` in ``text``."""
    return [(m.start(), " ".join(m.group().split())) for m in _TRENDS.finditer(text)]


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def prose_trend_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of the trend words a reader reads: links and placeholders
    (``{compare:X90560}``, ``{note:id}``) blanked out, offsets kept."""
    masked = LINK.sub(lambda m: " " * len(m.group()), text)
    masked = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), masked)
    return [(m.start(), m.end(), " ".join(m.group().split())) for m in _TRENDS.finditer(masked)]


def excerpt(text: str, width: int = 70) -> str:
    """The start of a sentence, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bound:
    """A sentence that holds a claim's words: its text, label and the words' offset."""

    item: TextItem
    sentence: tuple[int, int]
    offset: int
    spans: tuple[tuple[int, int], ...] = ()  # every place of the words in the sentence

    @property
    def text(self) -> str:
        return self.item.src.text[self.sentence[0] : self.sentence[1]]


def bind(claim: Claim, items: list[TextItem]) -> list[Bound]:
    """The sentences of the prose that hold the claim's words (and its ``in`` words)."""
    words = _phrase(claim.words)
    inside = _phrase(claim.inside) if claim.inside else None
    plain = _flat(claim.words)
    found = []
    for item in items:
        if plain not in _flat(item.src.text):  # a quick test before the sentences
            continue
        for start, end in sentences(item.src.text):
            sentence = item.src.text[start:end]
            places = [(start + m.start(), start + m.end()) for m in words.finditer(sentence)]
            if places and (inside is None or inside.search(sentence)):
                found.append(Bound(item, (start, end), places[0][0], tuple(places)))
    return found


@functools.lru_cache(maxsize=1000)
def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=1024)
def _phrase(words: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words.split()) + r"(?!\w)", re.IGNORECASE
    )


Locate = Callable[[Src, int], str]


@dataclass(frozen=True)
class Verdict:
    errors: list[Problem]  # claims that cannot be checked: input errors
    warnings: list[Problem]  # claims the data no longer supports


def evaluate(
    spec: Spec, data: Dataset, values: bool = True, locate: Locate | None = None
) -> Verdict:
    """Check every claim: its words in the prose and (``values``) its rule against riket's
    printed values (its keys were checked when the content was read); warn about trend words no
    claim covers and about a claim bound to more or fewer sentences than it says. ``locate``
    gives the ``file:line`` of a place in a text (the line of the sentence in a folded block)."""
    items = [item for item in texts(spec) if item.prose]
    resolver = Resolver(spec, data)
    where = locate or (lambda src, offset: src.where)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    claimed: dict[int, list[tuple[int, int]]] = {}  # id(item.src) -> places of claimed words
    for claim in spec.claims:
        found: list[Problem] = []
        bound = bind(claim, items)
        for b in bound:
            claimed.setdefault(id(b.item.src), []).extend(b.spans)
        if not bound:
            found.append(_not_found(claim))
        elif len(bound) != claim.sentences:
            warnings.append(_count_warning(claim, bound))
        if values and not found and claim.rule != "none":
            try:
                failure = _check(claim, resolver)
            except LookupError as exc:
                key, message = exc.args
                found.append(Problem(claim.where, f"claims[{claim.index}].{key}: {message}"))
                failure = None
            for b in bound if failure else []:
                warnings.append(
                    Problem(
                        where(b.item.src, b.offset),
                        f'warning: "{claim.words}" ({failure}; {b.item.label}: "{excerpt(b.text)}"',
                    )
                )
        errors += found
    warnings += _unclaimed(items, claimed, where)
    return Verdict(errors, sorted(warnings, key=lambda w: line_order(w.where)))


def _count_warning(claim: Claim, bound: list[Bound]) -> Problem:
    n = len(bound)
    places = "; ".join(f'{b.item.label}: "{excerpt(b.text, 40)}"' for b in bound)
    stands = f"stands in {n} sentence{'s' if n != 1 else ''} ({places})"
    if claim.sentences == 1:
        advice = f"bind it to one with 'in:', or confirm them with 'sentences: {n}'"
    else:
        advice = f"'sentences' says {claim.sentences}: check the text, then set it to {n}"
    return Problem(
        claim.where, f'warning: claims[{claim.index}] "{claim.words}" {stands}; {advice}'
    )


def _unclaimed(
    items: list[TextItem], claimed: dict[int, list[tuple[int, int]]], where: Locate
) -> list[Problem]:
    """A warning for each trend or comparison phrase of the prose outside every claim's words."""
    out = []
    for item in items:
        text, places = item.src.text, claimed.get(id(item.src), [])
        for offset, end, words in prose_trend_words(text):
            if any(a < end and offset < b for a, b in places):
                continue
            start, stop = next((a, b) for a, b in sentences(text) if a <= offset < b + 1)
            out.append(
                Problem(
                    where(item.src, offset),
                    f'warning: "{words}" is in no claim ({item.label}: '
                    f'"{excerpt(text[start:stop])}"); bind it to a rule under claims:, or to '
                    "rule: none with a reason",
                )
            )
    return out


def _not_found(claim: Claim) -> Problem:
    where, path = claim.where, f"claims[{claim.index}]"
    if claim.inside:
        return Problem(
            where, f"{path}: no sentence holds both {claim.words!r} and {claim.inside!r}"
        )
    return Problem(where, f"{path}.words: {claim.words!r} does not occur in the text")


def _values(resolver: Resolver, key: str, ind: str, years: list[int]) -> list[float]:
    """Riket's values as printed; LookupError(key, message) naming what the workbook lacks."""
    out = []
    try:
        resolver.years_present(ind, tuple(years))
        for year in years:
            resolver.formatted(areas.RIKET, ind, year)  # LookupError for an empty cell
            out.append(printed_value(resolver.value(areas.RIKET, ind, year) or 0.0))
    except LookupError as exc:
        raise LookupError(key, str(exc)) from None
    return out


def _check(claim: Claim, resolver: Resolver) -> str | None:
    """None when the data supports the claim, else ``detail) no longer holds: expected ...``."""
    ind, rule = claim.indicator, claim.rule
    if rule in ("between", "higher", "lower"):
        (mine,) = _values(resolver, "indicator", ind, [claim.year])
        if rule == "between":
            low, high = claim.minimum, claim.maximum
            holds = (low is None or mine >= low) and (high is None or mine <= high)
            return None if holds else _failed(f"{ind}, {claim.year}: {_n(mine)}", _range(claim))
        (other,) = _values(resolver, "than", claim.than, [claim.year])
        holds = mine > other if rule == "higher" else mine < other
        detail = f"{ind} {_n(mine)}, {claim.than} {_n(other)}, {claim.year}"
        return None if holds else _failed(detail, f"{rule} than {claim.than}")
    assert claim.first is not None
    years = list(range(claim.first, claim.last + 1))
    shown = _values(resolver, "indicator", ind, years)
    if rule in ("increased", "decreased"):
        shown = [shown[0], shown[-1]]
    detail = f"{ind}, {claim.first}→{claim.last}: {' → '.join(_n(v) for v in shown)}"
    steps = list(itertools.pairwise(shown))
    if rule == "stable":
        assert claim.max_change is not None
        holds = max(shown) - min(shown) <= claim.max_change
        return None if holds else _failed(detail, f"within {claim.max_change:g} points")
    up = rule in ("increasing", "increased")
    holds = all(b > a if up else b < a for a, b in steps)
    change = abs(shown[-1] - shown[0])
    holds = holds and (claim.max_change is None or change <= claim.max_change)
    holds = holds and (claim.min_change is None or change >= claim.min_change)
    expected = {
        "increasing": "increasing",
        "decreasing": "decreasing",
        "increased": f"higher in {claim.last} than in {claim.first}",
        "decreased": f"lower in {claim.last} than in {claim.first}",
    }[rule]
    return None if holds else _failed(detail, expected + _limits(claim))


def _failed(detail: str, expected: str) -> str:
    return f"{detail}) no longer holds: expected {expected}"


def _range(claim: Claim) -> str:
    low, high = claim.minimum, claim.maximum
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def _limits(claim: Claim) -> str:
    low, high = claim.min_change, claim.max_change
    if low is not None and high is not None:
        return f", by {low:g} to {high:g} points"
    if high is not None:
        return f", by at most {high:g} points"
    return f", by at least {low:g} points" if low is not None else ""


def _n(value: float) -> str:
    return format_number(value)
