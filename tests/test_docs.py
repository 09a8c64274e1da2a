"""Documentation that must not drift from the code."""

from __future__ import annotations

from conftest import ROOT

from factsheet import schema


def test_content_reference_is_generated_from_the_schema() -> None:
    assert (ROOT / "docs" / "content.md").read_text(encoding="utf-8") == schema.markdown(), (
        "docs/content.md is stale: run python -m factsheet.schema > docs/content.md"
    )


def test_every_schema_key_is_described() -> None:
    keys = [
        k for keys in (*schema.OBJECTS.values(), *schema.WORKBOOK_OBJECTS.values()) for k in keys
    ]
    assert all(k.doc.strip().endswith((".", ")")) for k in [*keys, *schema.BLOCKS])
