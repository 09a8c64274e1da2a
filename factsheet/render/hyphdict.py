"""pyphen's parsed Swedish hyphenation patterns, from the build cache (``memo``'s store).

Parsing ``hyph_sv.dic`` (15 000 patterns) costs about 80 ms, once in every process that breaks
a hyphenated line: the national build, and each worker of a batch. The parsed patterns are
stored as JSON in the build cache (keyed by the dictionary's bytes and pyphen's version) and
put into pyphen's own cache of dictionaries before ``hyphenation._dictionary`` first builds
its ``pyphen.Pyphen(lang="sv")``, which finds them there. Reading them back takes a
few milliseconds; the hyphenation points are the same (a test compares them).

Most builds need no patterns at all: the points of every word a build looked up are kept in
the store too (``positions``; keyed by the dictionary's bytes, pyphen's version and the
letters kept on each side), so a rebuild, or a sheet of the same text, finds its words there
and only a new word loads the patterns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factsheet.render import memo

LANGUAGE = "sv"
MAX_WORDS = 20_000  # words whose points are kept: a sheet has about 1 500
_done = False
_words: dict[str, tuple[int, ...]] | None = None
_added = False
_side = 0


def positions(word: str, side: int, compute: Callable[[str], list[int]]) -> tuple[int, ...]:
    """Where pyphen may break ``word`` leaving ``side`` letters each side: from the words
    kept in the store, else ``compute(word)`` (pyphen), which is then kept."""
    global _added
    words = _known(side)
    found = words.get(word)
    if found is None:
        found = tuple(compute(word))
        if len(words) < MAX_WORDS:
            words[word] = found
            _added = True
    return found


def _known(side: int) -> dict[str, tuple[int, ...]]:
    global _words, _side
    if _words is None or side != _side:
        store = memo.store()
        _words, _side = (_stored(store, side) if store is not None else {}), side
        memo.on_save(_save_words)
    return _words


def _stored(store: memo.Store, side: int) -> dict[str, tuple[int, ...]]:
    """The words in the store; empty when there are none or the entry was edited."""
    name = _words_name(store, side)
    stored = store.read_json(name) if name else None
    if not isinstance(stored, dict) or len(stored) > MAX_WORDS:
        return {}
    words = {}
    for word, points in stored.items():
        if not (
            isinstance(word, str)
            and isinstance(points, list)
            and all(type(p) is int and 0 < p < len(word) for p in points)
        ):
            return {}  # an edited entry: computed afresh
        words[word] = tuple(points)
    return words


def _words_name(store: memo.Store, side: int) -> str | None:
    import pyphen

    try:
        path = pyphen.LANGUAGES[pyphen.language_fallback(LANGUAGE)]
        return "hyphenated-" + store.file_digest(path, pyphen.__version__, side)
    except (OSError, KeyError):
        return None


def _save_words(store: memo.Store) -> None:
    """Into the store, with what other processes (a batch's workers) stored meanwhile."""
    global _added
    if _added and _words is not None:
        name = _words_name(store, _side)
        if name:
            merged = _stored(store, _side)
            for word, points in _words.items():
                if len(merged) < MAX_WORDS:
                    merged[word] = points
            store.write_json(name, {w: list(p) for w, p in sorted(merged.items())})
        _added = False


def preload() -> None:
    """Once per process: the patterns into pyphen's cache, from the build cache if there."""
    global _done
    if _done:
        return
    _done = True
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(LANGUAGE)]
    store = memo.store()
    if path in pyphen.hdcache or store is None:
        return  # without a store pyphen parses the dictionary itself
    try:
        name = "hyphenation-" + store.file_digest(path, pyphen.__version__)
    except OSError:
        return  # pyphen reports it when it reads the file
    stored = store.read_json(name)
    parsed = _decode(stored) if isinstance(stored, dict) else None
    if parsed is None:
        parsed = pyphen.HyphDict(path)
        encoded = _encode(parsed)
        if encoded is not None:
            store.write_json(name, encoded)
    pyphen.hdcache[path] = parsed


def _encode(parsed: Any) -> dict[str, Any] | None:
    """The patterns as JSON: one line ``letters start digits`` each (``ab 1 0203``), a
    quarter of the size of nested lists and several times faster to read back. None when a
    pattern has a nonstandard hyphenation (values that are not plain ints) or values above 9,
    which this form does not hold."""
    lines = []
    for key, (start, values) in parsed.patterns.items():
        if any(type(v) is not int or not 0 <= v <= 9 for v in values) or " " in key:
            return None
        lines.append(f"{key} {start} {''.join(map(str, values))}")
    return {"maxlen": parsed.maxlen, "patterns": "\n".join(lines)}


def _decode(stored: dict[str, Any]) -> Any:
    """A ``pyphen.HyphDict`` from ``_encode``'s JSON, without reading the dictionary; None
    when ``stored`` has another shape."""
    import pyphen

    digits = {str(d): d for d in range(10)}
    try:
        patterns = {}
        for line in stored["patterns"].split("\n"):
            key, start, values = line.split(" ")
            patterns[key] = (int(start), tuple([digits[v] for v in values]))
        maxlen = int(stored["maxlen"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    return parsed
