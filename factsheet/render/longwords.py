"""Words wider than their column: addresses break after ``/``, before ``-``; any other is refused.

ReportLab breaks an address once, after a ``/``, when it does not fit the rest of a line; the
remainder is no longer taken for an address and, wider than a whole line, was drawn past the
column edge (over the side box, off the page). And a word wider than a line that has no
break point was cut at an arbitrary letter (``Don|audampf…``), silently. Here:

* ``install()`` lets a word that is wider than a whole line break after any ``/`` or before
  any ``-`` in it, at the last one that fits, without adding a hyphen. Only such words are
  touched: what fits a line is broken exactly as before.
* ``too_wide(paragraph, lines, width)`` finds a word that still could not be set: cut at a
  letter or running past the edge. The layout reports it as an input problem.
"""

from __future__ import annotations

import html
import re
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")


def _heads(text: str) -> list[int]:
    """The lengths of the heads ``text`` may be broken after, longest first: after a ``/``,
    before a ``-`` (a hyphen at the end of a line would read as hyphenation; at the start of
    the next it is plainly the address's own)."""
    heads = {i + 1 for i in range(1, len(text) - 1) if text[i] == "/"}
    heads |= {i for i in range(2, len(text) - 1) if text[i] == "-"}
    return sorted(heads, reverse=True)


def _pair(original: Any) -> Any:
    def pair(
        hyphenator: Any,
        s: Any,
        ww: float,
        newWidth: float,
        maxWidth: float,
        fontName: str,
        fontSize: float,
        *rest: Any,
    ) -> Any:
        found = original(hyphenator, s, ww, newWidth, maxWidth, fontName, fontSize, *rest)
        if found is not None or ww <= maxWidth or not isinstance(s, str):
            return found
        before = newWidth - ww
        for n in _heads(s):
            head = s[:n]
            width = stringWidth(head, fontName, fontSize)
            if before + width <= maxWidth:
                return "", 0, width, ww - width, head, s[n:]
        return None

    pair.wrapped = original  # type: ignore[attr-defined]
    return pair


def _frags_pair(original: Any) -> Any:
    def pair(hyphenator: Any, FW: Any, newWidth: float, maxWidth: float, *rest: Any) -> Any:
        found = original(hyphenator, FW, newWidth, maxWidth, *rest)
        ww = FW[0]
        if found is not None or ww <= maxWidth:
            return found
        split = rl._fragWordSplitRep(FW)
        if not split:
            return None
        text, where = split
        before = newWidth - ww
        for n in _heads(text):
            index, start = where[n]
            left = FW[1:index]
            frag, piece = FW[index]
            if piece[: n - start]:
                left.append((frag, piece[: n - start]))
            right = FW[index + 1 :]
            if piece[n - start :]:
                right.insert(0, (frag, piece[n - start :]))
            head = rl._rebuildFragWord(left)
            if before + head[0] <= maxWidth:
                return "", head, rl._rebuildFragWord(right)
        return None

    pair.wrapped = original  # type: ignore[attr-defined]
    return pair


def install() -> None:
    """Put the address breaks into ReportLab's line breaking (once per process)."""
    if not hasattr(rl._hyGenPair, "wrapped"):
        rl._hyGenPair = _pair(rl._hyGenPair)
    if not hasattr(rl._hyGenFragsPair, "wrapped"):
        rl._hyGenFragsPair = _frags_pair(rl._hyGenFragsPair)


def too_wide(paragraph: Any, lines: Any, width: Any) -> tuple[str, float, float] | None:
    """(word, its width, the column width) of a word wider than the column that could not be
    set: ReportLab cut it at a letter (``splitLongWords``) or a line runs past the column edge
    with it (an address too: one with a part too wide between its ``/`` and ``-``). None when
    every word was set."""
    column = min(width) if isinstance(width, (list, tuple)) else float(width)
    cut = getattr(paragraph, "_splitLongWordCount", 0) > 0
    over = any(_extra(line, lines.kind) < -1.0 for line in lines.lines)
    if not (cut or over):
        return None
    style = paragraph.style
    text = html.unescape(_TAG.sub("", str(getattr(paragraph, "text", "") or "")))
    wide = []
    for word in _SPACE.split(text):
        measured = stringWidth(word, style.fontName, style.fontSize)
        if measured > column:
            wide.append((measured, word))
    if not wide:
        return None  # a justified line squeezed by its spaces
    measured, word = max(wide)
    return word, measured, column


def _extra(line: Any, kind: int) -> float:
    return float(line[0] if kind == 0 else line.extraSpace)
