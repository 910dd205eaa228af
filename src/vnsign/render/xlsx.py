"""XLSX (openpyxl): a sheet with one summary row per document, a sheet with one row
per signature — both with filters and a frozen header — and a sheet of totals.

For people: verdicts appear as words in the chosen language (Hợp lệ / Passed) and
coloured; all text is stored as text, never as a formula, whatever the document says.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from vnsign.render.batch_rows import (
    DOCUMENT_COLUMNS,
    SIGNATURE_COLUMNS,
    Document,
    document_row,
    header,
    signature_rows,
    totals,
)
from vnsign.render.labels import label

_FILLS = {"PASSED": "E3F4E8", "FAILED": "FBE3E1", "INDETERMINATE": "FFF3D6",
          "NO_SIGNATURE": "FFF3D6", "OK": "E3F4E8", "WARNING": "FFF3D6"}
_WORD_COLUMNS = {"indication", "document_indication", "signature_indication", "gate",
                 "signer_kind"}
_WIDTHS = {"path": 48, "signer": 28, "signers": 36, "organization": 36, "findings": 60,
           "document_findings": 40, "requirements": 36, "sha256": 20, "identifiers": 26,
           "issuer": 24, "signing_time": 26, "verified_at": 26, "serial_number": 20}


def _openpyxl(*names: str) -> list[Any]:
    """openpyxl modules, imported by name: it ships no type information (untyped use)."""
    import importlib

    return [importlib.import_module(name) for name in names]


def _word(key: str, value: Any, lang: str) -> Any:
    if value is None or key not in _WORD_COLUMNS:
        return value
    if key == "gate":
        return label(f"gate_{value}", lang)
    return label(str(value), lang)


def _sheet(wb: Any, title: str, columns: Sequence[tuple[str, str]],
           rows: Sequence[dict[str, Any]], lang: str, *, first: bool = False) -> None:
    cell_module, styles, utils = _openpyxl("openpyxl.cell.cell", "openpyxl.styles",
                                           "openpyxl.utils")
    ILLEGAL_CHARACTERS_RE = cell_module.ILLEGAL_CHARACTERS_RE
    Alignment, Font, PatternFill = styles.Alignment, styles.Font, styles.PatternFill
    get_column_letter = utils.get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header(columns, lang))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    keys = [key for key, _ in columns]
    for values in rows:
        line = []
        for key in keys:
            value = _word(key, values.get(key), lang)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            line.append(value)
        ws.append(line)
        row_cells = ws[ws.max_row]
        for key, cell in zip(keys, row_cells, strict=True):
            if cell.data_type == "f":
                cell.data_type = "s"  # text from a document is never a formula
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            raw = values.get(key)
            if key in ("indication", "document_indication", "signature_indication", "gate") \
                    and raw in _FILLS:
                cell.fill = PatternFill("solid", fgColor=_FILLS[str(raw)])
    for index, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 14)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(ws.max_row, 1)}"


def render_xlsx(docs: Sequence[Document], lang: str, meta: dict[str, str]) -> bytes:
    openpyxl, styles = _openpyxl("openpyxl", "openpyxl.styles")
    Workbook, Font = openpyxl.Workbook, styles.Font

    wb = Workbook()
    _sheet(wb, label("sheet_documents", lang), DOCUMENT_COLUMNS,
           [document_row(d, lang) for d in docs], lang, first=True)
    _sheet(wb, label("sheet_signatures", lang), SIGNATURE_COLUMNS,
           [row for d in docs for row in signature_rows(d, lang)], lang)
    ws = wb.create_sheet(label("sheet_summary", lang))
    ws.append([label("batch_title", lang)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    counts = totals(docs)
    for key, name in (("documents", label("documents", lang)), ("PASSED", label("PASSED", lang)),
                      ("FAILED", label("FAILED", lang)),
                      ("INDETERMINATE", label("INDETERMINATE", lang)),
                      ("NO_SIGNATURE", label("NO_SIGNATURE", lang)),
                      ("errors", label("guard_errors", lang)),
                      ("gate_failures", label("gate_FAILED", lang))):
        ws.append([name, counts.get(key, 0)])
    ws.append([])
    for key, value in meta.items():
        ws.append([key, value])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
