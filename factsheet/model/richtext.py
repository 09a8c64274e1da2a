"""Inline text of the content: placeholders, ``**bold**``, ``__italic__``, links. No ReportLab here.

The parser turns one content string into ``Run``s. Text is kept as written: characters such as
``<``, ``&`` and ``>`` are escaped only when the layout builds ReportLab markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An address: no spaces, quotes, angle brackets or braces (a {placeholder} ends it); a
# parenthesis only in a balanced pair (``…/Foo_(bar)``), so the ``)`` that closes the sentence's
# own parenthesis is not taken; it does not end in sentence punctuation or in the ``*``/``_``
# of bold or italic around it. ``__`` and ``**`` inside it are part of the address.
URL = (
    r"https?://(?:[^\s<>\"{}()]|\([^\s<>\"{}()]*\))*"
    r"(?:[^\s<>\"{}().,;:!?*_]|\([^\s<>\"{}()]*\))"
)
LINK = re.compile(URL + r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


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
