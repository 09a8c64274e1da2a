"""Rich text to ReportLab paragraphs and table cells, every one tagged for the structure tree."""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from factsheet.formatting import join_units
from factsheet.model.richtext import RichText, plain
from factsheet.render import theme
from factsheet.render.flowables import CellText, TParagraph
from factsheet.render.tagging import Tag
from factsheet.xmltext import escape

SHORT_CELL = 8  # cells this short never wrap: numbers, years, Ja/Nej, "5 av 8" (has spaces)
# A cell's last word this short is kept with the word before it: a label never ends with
# "LSS", "län" or "SIP" alone on its last line.
SHORT_WORD = 5
_LAST_SPACE = re.compile(rf" (?=[^\s<>&]{{1,{SHORT_WORD}}}(?:</[a-z]+>)*$)")


def glue_last_word(text: str) -> str:
    """Cell markup whose short last word is joined to the one before it by a no-break space."""
    return _LAST_SPACE.sub("&nbsp;", text.rstrip(), count=1)


def markup(text: RichText, linked_notes: frozenset[str] | None = None) -> str:
    """ReportLab paragraph markup for rich text; all content text is escaped.

    A footnote call links to its note only when the note is placed (``linked_notes``); the
    first layout pass, which learns where notes go, has none placed yet.
    """
    out = []
    accent = theme.ACCENT.hexval().replace("0x", "#")
    for run in text:
        body = escape(run.text)
        if run.kind == "note":
            if linked_notes is not None and run.text in linked_notes:
                body = f'<a href="#{run.target}" color="{accent}">{body}</a>'
            body = (
                f'<a name="call-{run.text}"/><super>{body}</super>'
                f'<onDraw name="note" label="{run.text}"/>'
            )
        elif run.kind == "ref":
            body = f'<a href="#{run.target}" color="{accent}">{body}</a>'
        elif run.href:
            href = escape(run.href, {'"': "&quot;"})
            body = f'<a href="{href}" color="{accent}"><u>{body}</u></a>'
        if run.bold:
            body = f"<b>{body}</b>"
        if run.italic:
            body = f"<i>{body}</i>"
        out.append(body)
    return join_units("".join(out))


def para(
    text: RichText,
    style: ParagraphStyle,
    role: str,
    prefix: str = "",
    bullet: str | None = None,
    notes: frozenset[str] = frozenset(),
) -> TParagraph:
    source = prefix + markup(text, notes)
    p = TParagraph(source, style, bulletText=bullet)
    # The style by its name and its hyphenation (the content's exceptions make a style of the
    # same name break differently): what the memos of lines and balanced columns key on.
    p.memo = (source, (style.name, style.hyphenationLang), bullet or "")
    p.tag = Tag(role, plain(text))
    return p


def cell(
    text: str,
    style: ParagraphStyle,
    role: str,
    scope: str = "",
    ident: str = "",
    headers: tuple[str, ...] = (),
    span: int = 1,
) -> Flowable:
    """A table cell tagged TH (with Scope) or TD (with Headers): a paragraph when the text may
    wrap or holds markup, else a one-line CellText."""
    attrs: tuple[tuple[str, str], ...] = (("Scope", scope),) if scope else ()
    if span > 1:
        attrs += (("ColSpan", str(span)),)
    p: TParagraph | CellText
    if len(text) <= SHORT_CELL and not set(text) & set("<&; "):
        p = CellText(text, style)
    else:
        p = TParagraph(glue_last_word(text), style)
    p.tag = Tag(role, text, attrs=attrs, ident=ident, headers=headers)
    return p
