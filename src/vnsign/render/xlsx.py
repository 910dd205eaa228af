"""XLSX (openpyxl): the register of incoming documents, a sheet with one summary row per
document, a sheet with one row per signature — all with filters and a frozen header —
and a sheet of totals. ``vnsign report --format register`` writes the register alone.

For people: verdicts appear as words in the chosen language (Hợp lệ / Passed) and
coloured; dates are real dates (DD/MM/YYYY in Vietnamese) so that Excel sorts and filters
them; all text is stored as text, never as a formula, whatever the document says. Every
sheet prints landscape on A4, one page wide, with its header row on every page.
"""

from __future__ import annotations

import datetime as dt
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
from vnsign.render.register import REGISTER_COLUMNS, register_rows

_FILLS = {"PASSED": "E3F4E8", "FAILED": "FBE3E1", "INDETERMINATE": "FFF3D6",
          "NO_SIGNATURE": "FFF3D6", "OK": "E3F4E8", "WARNING": "FFF3D6"}
_WORD_COLUMNS = {"indication", "document_indication", "signature_indication", "gate",
                 "signer_kind"}
_FILL_COLUMNS = {"indication", "document_indication", "signature_indication", "gate"}
_DATE_COLUMNS = {"document_date", "received"}
_WIDTHS = {"path": 48, "signer": 28, "signers": 36, "organization": 36, "findings": 60,
           "document_findings": 40, "requirements": 36, "sha256": 20, "identifiers": 26,
           "issuer": 24, "signing_time": 26, "verified_at": 26, "serial_number": 20,
           "number_symbol": 16, "document_date": 12, "issuing_authority": 28,
           "document_type": 14, "subject": 50, "printed_signer": 22}
# The register is printed: widths that fit an A4 page across (landscape, scaled to fit).
_REGISTER_WIDTHS = {"received": 11, "arrival_number": 7, "author": 22, "number_symbol": 15,
                    "document_date": 11, "type_subject": 46, "recipient": 16, "notes": 12,
                    "indication": 13, "signers": 20, "warnings": 40, "path": 28}


def _openpyxl(*names: str) -> list[Any]:
    """openpyxl modules, imported by name: it ships no type information (untyped use)."""
    import importlib

    return [importlib.import_module(name) for name in names]


def _value(key: str, value: Any, lang: str) -> Any:
    """What the cell holds: verdict words, real dates, text without illegal characters."""
    if value is None:
        return None
    if key in _WORD_COLUMNS:
        return label(f"gate_{value}" if key == "gate" else str(value), lang)
    if key in _DATE_COLUMNS and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _sheet(wb: Any, title: str, columns: Sequence[tuple[str, str]],
           rows: Sequence[dict[str, Any]], lang: str, *, first: bool = False,
           widths: dict[str, int] | None = None, print_title: str | None = None) -> Any:
    cell_module, styles, utils = _openpyxl("openpyxl.cell.cell", "openpyxl.styles",
                                           "openpyxl.utils")
    ILLEGAL_CHARACTERS_RE = cell_module.ILLEGAL_CHARACTERS_RE
    Alignment, Font, PatternFill = styles.Alignment, styles.Font, styles.PatternFill
    get_column_letter = utils.get_column_letter
    date_format = "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"
    sizes = widths or _WIDTHS

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
            value = _value(key, values.get(key), lang)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            line.append(value)
        ws.append(line)
        row_cells = ws[ws.max_row]
        for key, cell in zip(keys, row_cells, strict=True):
            if cell.data_type == "f":
                cell.data_type = "s"  # text from a document is never a formula
            if isinstance(cell.value, dt.date):
                cell.number_format = date_format
            if isinstance(cell.value, str) and ("\n" in cell.value or widths):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            raw = values.get(key)
            if key in _FILL_COLUMNS and raw in _FILLS:
                cell.fill = PatternFill("solid", fgColor=_FILLS[str(raw)])
    for index, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(index)].width = sizes.get(key, 14)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(ws.max_row, 1)}"
    _print_ready(ws, lang, print_title or title)
    return ws


def _print_ready(ws: Any, lang: str, title: str) -> None:
    """Landscape A4, one page wide, the header row on every page, a title and page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddHeader.center.font = "Arial,Bold"
    ws.oddFooter.right.text = label("page_of", lang)


def _register(wb: Any, docs: Sequence[Document], lang: str, start: int, *,
              first: bool) -> None:
    _sheet(wb, label("sheet_register", lang), REGISTER_COLUMNS,
           register_rows(docs, lang, start), lang, first=first, widths=_REGISTER_WIDTHS,
           print_title=label("sheet_register", lang).upper())


def render_xlsx(docs: Sequence[Document], lang: str, meta: dict[str, str], *,
                register_start: int = 1) -> bytes:
    openpyxl, styles = _openpyxl("openpyxl", "openpyxl.styles")
    Workbook, Font = openpyxl.Workbook, styles.Font

    wb = Workbook()
    _register(wb, docs, lang, register_start, first=True)
    _sheet(wb, label("sheet_documents", lang), DOCUMENT_COLUMNS,
           [document_row(d, lang) for d in docs], lang)
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
                      ("gate_failures", label("gate_failures", lang))):
        ws.append([name, counts.get(key, 0)])
    ws.append([])
    for key, value in meta.items():
        ws.append([key, value])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    return _save(wb)


def render_register(docs: Sequence[Document], lang: str, *, start: int = 1) -> bytes:
    """A workbook holding only the register (``vnsign report --format register``)."""
    (openpyxl,) = _openpyxl("openpyxl")
    wb = openpyxl.Workbook()
    _register(wb, docs, lang, start, first=True)
    return _save(wb)


def _save(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
