"""CSV: one row per signature, UTF-8 with a byte-order mark.

Excel opens a CSV as the machine's legacy code page unless the file starts with a
BOM; with it, Vietnamese names (Bùi Văn Nam, SỞ NỘI VỤ) show correctly. Headers are
stable English keys (scripts rely on them); the values are the report's codes, and
finding messages are in the chosen language. Cells are guarded against formula
injection (see :func:`vnsign.render.batch_rows.safe_cell`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from vnsign.render.batch_rows import SIGNATURE_COLUMNS, Document, safe_cell, signature_rows


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)


def render_csv(docs: Sequence[Document], lang: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    keys = [key for key, _ in SIGNATURE_COLUMNS]
    writer.writerow(keys)
    for doc in docs:
        for row in signature_rows(doc, lang):
            writer.writerow([_text(row.get(key)) for key in keys])
    return buffer.getvalue().encode("utf-8-sig")
