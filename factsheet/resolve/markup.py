"""Inline markup of content text (**bold**, __italic__, links, {placeholders}) -> RichText."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from factsheet.model.richtext import LINK, URL, RichText, Run

# An address is taken whole before the markup tokens: its ``__`` or ``**`` is not italic or bold.
_TOKEN = re.compile(rf"(?P<url>{URL})|\{{\{{|\}}\}}|\{{[^{{}}]*\}}|\*\*|__|[{{}}]")


class MarkupError(ValueError):
    """Unbalanced or unknown markup; the message says what."""


# Markup of other languages an author may reach for; it would print as written, so it is refused.
_FOREIGN = (
    (
        re.compile(r"\[[^\[\]]+\]\((?:https?://|mailto:|www\.)[^()\s]*\)"),
        "a Markdown link: write the address itself, it becomes a link",
    ),
    (
        re.compile(
            r"</?(?:a|b|i|u|em|strong|br|p|font|span|sup|sub|super|strike|para|img|link)"
            r"(?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>",
            re.IGNORECASE,
        ),
        "HTML tags are not markup here: use **bold** or __italic__ ('<' and '>' print as written)",
    ),
)


def parse(text: str, placeholder: Callable[[str], list[Run]]) -> RichText:
    """Split ``text`` into runs; ``placeholder(name)`` resolves ``{name}``. The markup of a
    text is read once per process (``_template``); only its placeholders are resolved for
    each call, in the order they stand, up to a markup error, which is raised where it stands."""
    runs: list[Run] = []
    for op in _template(text):
        if op[0] == "runs":
            runs += op[1]
        elif op[0] == "placeholder":
            _, name, bold, italic = op
            runs += [
                replace(r, bold=bold or r.bold, italic=italic or r.italic)
                for r in placeholder(name)
            ]
        else:
            raise MarkupError(op[1])
    return tuple(_merge(runs))


Op = tuple[Any, ...]  # ("runs", runs) | ("placeholder", name, bold, italic) | ("error", message)


@functools.lru_cache(maxsize=1000)
def _template(text: str) -> tuple[Op, ...]:
    """The markup of ``text`` as literal runs, placeholders to resolve and, last, the error
    that stops it (if any)."""
    for pattern, advice in _FOREIGN:
        found = pattern.search(text)
        if found:
            return (("error", f"unknown markup {found.group()!r}: {advice}"),)
    ops: list[Op] = []
    bold = italic = False
    pos = 0

    def literal(part: str) -> None:
        runs: list[Run] = []
        _add_text(runs, part, bold, italic)
        if runs:
            ops.append(("runs", tuple(runs)))

    for match in _TOKEN.finditer(text):
        literal(text[pos : match.start()])
        token = match.group()
        pos = match.end()
        if match.group("url"):
            literal(token)
        elif token in ("{{", "}}"):
            literal(token[0])
        elif token == "**":
            bold = not bold
        elif token == "__":
            italic = not italic
        elif token in ("{", "}"):
            ops.append(
                ("error", f"unbalanced {token!r}: write '{token}{token}' for a literal brace")
            )
            return tuple(ops)
        else:
            ops.append(("placeholder", token[1:-1].strip(), bold, italic))
    literal(text[pos:])
    if bold:
        ops.append(("error", "unbalanced '**' (bold is opened but not closed)"))
    elif italic:
        ops.append(("error", "unbalanced '__' (italic is opened but not closed)"))
    return tuple(ops)


def _add_text(runs: list[Run], text: str, bold: bool, italic: bool) -> None:
    pos = 0
    for match in LINK.finditer(text):
        if match.start() > pos:
            runs.append(Run(text[pos : match.start()], bold, italic))
        url = match.group()
        href = url if url.startswith("http") else f"mailto:{url}"
        runs.append(Run(url, bold, italic, href=href))
        pos = match.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if (
            out
            and out[-1].kind == run.kind == "text"
            and (out[-1].bold, out[-1].italic, out[-1].href) == (run.bold, run.italic, run.href)
            and not run.href
        ):
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out
