"""XML text escaping (as ``xml.sax.saxutils.escape``, whose import pulls in ``urllib.request``,
``http.client`` and ``email``: about 17 ms of start-up for three string replacements)."""

from __future__ import annotations


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` as entities, then each key of ``entities`` as its value."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        text = text.replace(key, value)
    return text
