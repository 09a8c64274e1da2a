"""Inline text of the content: placeholders, ``**bold**``, ``__italic__``, links. No ReportLab here.

The parser turns one content string into ``Run``s. Text is kept as written: characters such as
``<``, ``&`` and ``>`` are escaped only when the layout builds ReportLab markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Run:
    """A piece of text with its style. ``kind``: text, value, note (call), ref (call)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    kind: str = "text"
    target: str = ""  # note/ref anchor name


RichText = tuple[Run, ...]


def plain(text: RichText) -> str:
    """The text a reader sees (for alt text, metadata and checks)."""
    return "".join(r.text for r in text)
