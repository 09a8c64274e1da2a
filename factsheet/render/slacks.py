"""How far short of its width each justified paragraph is broken, kept for the next build.

``flowables.even_breaks`` searches, for a paragraph with a loose line, the slack (0 to
``MAX_SLACK`` pt short of the width) whose breaks have the fewest and least loose lines: up to
a dozen line breakings of the paragraph. The slack it found depends only on the paragraph's
text, style, bullet and width and on the fonts, so it is kept in the store the pipeline hands
the render stage (``memo``, the build cache, whose keys hold the code), and a rebuild breaks
the paragraph once, with that slack: the same lines. Nothing is kept without a store.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from factsheet.render import memo, theme

MAX_ENTRIES = 20_000  # paragraphs whose slack is kept: a sheet has about 150
MAX_SLACK = 9.0

_known: dict[str, float] | None = None
_added = False


def key(source: str, style: Any, bullet: str, width: Any) -> str:
    """The paragraph's text, every attribute of its style (the hyphenation rules and
    exceptions included), its bullet, its width and the fonts."""
    attrs = sorted((k, repr(v)) for k, v in vars(style).items() if k != "parent")
    widths = tuple(width) if isinstance(width, list) else width
    text = repr((theme.fonts_digest(), source, bullet, attrs, widths))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def find(name: str) -> float | None:
    return _slacks().get(name)


def keep(name: str, slack: float) -> None:
    global _added
    known = _slacks()
    if known.get(name) != slack and len(known) < MAX_ENTRIES:
        known[name] = slack
        _added = True


def _entry(store: memo.Store) -> str:
    return "slacks-" + store.digest("slacks", MAX_SLACK)


def _slacks() -> dict[str, float]:
    global _known
    if _known is None:
        store = memo.store()
        _known = _stored(store) if store is not None else {}
        memo.on_save(_save)
    return _known


def _stored(store: memo.Store) -> dict[str, float]:
    """The entry in the store; empty when there is none or it was edited (not trusted)."""
    stored = store.read_json(_entry(store))
    if not isinstance(stored, dict) or len(stored) > MAX_ENTRIES:
        return {}
    good = all(
        isinstance(name, str)
        and type(value) in (int, float)
        and math.isfinite(value)
        and 0 <= value <= MAX_SLACK
        for name, value in stored.items()
    )
    return {name: float(value) for name, value in stored.items()} if good else {}


def _save(store: memo.Store) -> None:
    """Into the store, with what other processes (a batch's workers) stored meanwhile."""
    global _added
    if _added and _known is not None:
        merged = _stored(store)
        for name, slack in _known.items():
            if len(merged) < MAX_ENTRIES:
                merged[name] = slack
        store.write_json(_entry(store), dict(sorted(merged.items())))
        _added = False
