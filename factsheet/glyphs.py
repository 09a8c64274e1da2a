"""Text the embedded fonts cannot draw is an input error, never a silent gap in the PDF.

A character without a glyph in the bundled fonts would be drawn as nothing (or as .notdef, which
PDF/A forbids): CJK, emoji, a letter with a combining accent that has no precomposed form. The
YAML text is normalised to NFC when read (``inputs.yamlsource``), so text pasted in NFD (as from
macOS) is drawn as the precomposed letters; what is still missing is reported here, with the
YAML line and the character (``U+793E``). Workbook text that reaches the sheet (the indicator
names a legend prints) is checked the same way, at its cell; area names are the package's own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, is_dataclass

from factsheet.errors import ContentError, Problem, WordTooWide
from factsheet.model.dataset import Dataset, Indicator
from factsheet.model.spec import Spec, Src, texts

# Characters the layout handles itself and never draws from a font: line breaks and spacing,
# the soft hyphen (a break opportunity), zero-width spaces and joiners.
_NOT_DRAWN = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff")


def drawable() -> frozenset[int]:
    """The code points every registered text face of the family has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    from factsheet.render.theme import FACES, font_name

    faces = [pdfmetrics.getFont(font_name(face)).face for face in FACES]
    common = set(faces[0].charToGlyph)
    for face in faces[1:]:
        common &= set(face.charToGlyph)
    return frozenset(common)


def undrawable(text: str, charset: frozenset[int]) -> list[tuple[int, str]]:
    """(offset, character) of each character of ``text`` that no glyph draws, first of each."""
    seen: set[str] = set()
    out = []
    for offset, char in enumerate(text):
        if char in seen or char in _NOT_DRAWN or ord(char) in charset or char == " ":
            continue
        seen.add(char)
        out.append((offset, char))
    return out


def describe(char: str) -> str:
    """``U+793E '社' (CJK UNIFIED IDEOGRAPH-793E)``."""
    name = unicodedata.name(char, "unnamed")
    shown = repr(char) if char.isprintable() else "(invisible)"
    return f"U+{ord(char):04X} {shown} ({name})"


def glyph_problems(spec: Spec, data: Dataset) -> list[Problem]:
    """One problem per character that cannot be drawn: for content text at its YAML line, for
    an indicator name a legend prints at its workbook cell. Empty when the fonts draw all."""
    from factsheet.inputs.content import Locator
    from factsheet.render.theme import fonts_digest

    if not fonts_digest():  # the fonts could not be read: reported as such, nothing to measure
        return []
    charset = drawable()
    locator = Locator()
    out = []
    for label, src in _content_texts(spec):
        for offset, char in undrawable(src.text, charset):
            out.append(Problem(locator.where(src, offset), _message(char, label)))
    for indicator in _printed_indicators(spec, data):
        for _, char in undrawable(indicator.name, charset):
            where = indicator.where or data.path
            out.append(Problem(where, _message(char, f"the name of indicator {indicator.id}")))
    return out


def _content_texts(spec: Spec) -> list[tuple[str, Src]]:
    """Every ``Src`` of the content drawn on the page: those ``texts`` names (``paragraph 3``)
    and then any other (labels, variant words), named by its path (``labels.not_asked``). The
    document metadata (title, subject, keywords: XMP and the viewer's title bar, drawn by no
    embedded font) is left out."""
    meta = [spec.metadata.title, spec.metadata.subject, spec.metadata.author]
    meta += [*spec.metadata.keywords]
    for variant in spec.variants.values():
        meta += [s for s in (variant.meta_title, variant.meta_subject) if s is not None]
    seen = {id(src) for src in meta}
    out = [(item.label, item.src) for item in texts(spec) if id(item.src) not in seen]
    seen |= {id(src) for _, src in out}

    def walk(value: object, path: str) -> None:
        if isinstance(value, Src):
            if id(value) not in seen:
                seen.add(id(value))
                out.append((path, value))
        elif is_dataclass(value) and not isinstance(value, type):
            for f in fields(value):
                walk(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, (tuple, list)):
            for i, item in enumerate(value, 1):
                walk(item, f"{path}[{i}]")

    walk(spec, "")
    return out


def length_problems(spec: Spec) -> list[Problem]:
    """One problem per content text too long for the page budget whatever the layout does:
    its words, set in the narrowest face at the smallest size of the sheet (7 pt) across the
    whole text width with the smallest leading, fill more pages than the largest ``pages``.
    Such a text would overflow anyway; it is refused before it is laid out, because breaking
    a paragraph of hundreds of thousands of words into lines again for every column it is
    tried in takes minutes. A text under this bound may still overflow: the layout says so."""
    from reportlab.pdfbase import pdfmetrics

    from factsheet.inputs.content import Locator
    from factsheet.render import pages, theme

    if not theme.fonts_digest():  # the fonts could not be read (reported as such)
        return []
    budget = max(spec.pages.values(), default=1)
    styles = theme.styles()
    smallest = [getattr(styles, f.name) for f in fields(styles)]
    size = min(s.fontSize for s in smallest)
    leading = min(s.leading for s in smallest)
    faces = [theme.font_name(face) for face in theme.FACES]
    page_area = pages.TEXT_W * (pages.PAGE_H - pages.MARGIN_TOP - pages.MARGIN_BOTTOM)
    room = budget * page_area / leading  # text width, in pt, that the budget can hold at most
    locator = Locator()
    out = []
    for label, src in _content_texts(spec):
        words = "".join(_PLACEHOLDER.sub("", src.text).split())
        width = min(pdfmetrics.stringWidth(words, face, size) for face in faces)
        if width <= room:
            continue
        need = width * leading / page_area
        out.append(
            Problem(
                locator.where(src, 0),
                f"{label}: {len(src.text):,} characters, more than the {budget} pages set by "
                f"'pages' can hold: set in the sheet's smallest type they would fill {need:.0f} "
                "pages; shorten the text",
            )
        )
    return out


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|[*_]")  # placeholders and markup: not printed as written


def _printed_indicators(spec: Spec, data: Dataset) -> list[Indicator]:
    """The indicators whose workbook name reaches the PDF: a figure without its own
    ``legend`` names its lines and bar groups by them."""
    wanted = [i for f in spec.figures.values() if not f.legend for i in f.indicators]
    return [data.indicators[i] for i in dict.fromkeys(wanted) if i in data.indicators]


def _message(char: str, label: str) -> str:
    return (
        f"{label}: character {describe(char)} cannot be drawn: the embedded fonts have no "
        "glyph for it, so it would be missing from the PDF; replace or remove it"
    )


def word_problem(error: WordTooWide, spec: Spec) -> ContentError:
    """The layout's ``WordTooWide`` at the line of the content text that holds the word (the
    first; a word made by a placeholder is looked for by its longest written part); at the
    content file when no text holds it (it came from the workbook)."""
    from factsheet.inputs.content import Locator

    locator = Locator()
    parts = [error.word, *sorted(re.split(r"[^\w/.:-]+", error.word), key=len, reverse=True)]
    where = spec.source
    for part in [p for p in parts if len(p) >= 3][:2]:
        found = next(
            ((src, src.text.find(part)) for _, src in _content_texts(spec) if part in src.text),
            None,
        )
        if found is not None:
            where = locator.where(*found)
            break
    return ContentError(Problem(where, error.problems[0].message))
