"""JSON Lines / JSON: the core ``vnsign.report/1`` report of each document, as stored.

The ledger keeps each report's JSON text exactly as produced, so these outputs are
byte-for-byte the reports ``vnsign verify --json`` would print, with no re-encoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vnsign.render.batch_rows import Document


def render_jsonl(docs: Sequence[Document]) -> bytes:
    return "".join(doc.row.report_json + "\n" for doc in docs).encode("utf-8")


def render_json(docs: Sequence[Document]) -> bytes:
    """A JSON array of reports (for tools that want one document, not lines)."""
    body = ",\n".join(doc.row.report_json for doc in docs)
    return (f"[\n{body}\n]\n" if docs else "[]\n").encode("utf-8")
