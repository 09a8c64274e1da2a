"""pyphen's parsed Swedish hyphenation patterns, from the build cache (``memo``'s store).

Parsing ``hyph_sv.dic`` (15 000 patterns) costs about 80 ms, once in every process that breaks
a hyphenated line: the national build, and each worker of a batch. The parsed patterns are
stored as JSON in the build cache (keyed by the dictionary's bytes and pyphen's version) and
put into pyphen's own cache of dictionaries before ``hyphenation._dictionary`` first builds
its ``pyphen.Pyphen(lang="sv")``, which finds them there. Reading them back takes a
few milliseconds; the hyphenation points are the same (a test compares them).
"""

from __future__ import annotations

from typing import Any

from factsheet.render import memo

LANGUAGE = "sv"
_done = False


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
