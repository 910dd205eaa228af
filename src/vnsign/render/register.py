"""The register of incoming documents (sổ đăng ký văn bản đến), one row per document.

The columns are the register's own, in its order, so that the sheet can be printed and
filed as the office's register: Ngày đến, Số đến, Tác giả, Số ký hiệu, Ngày tháng, Tên
loại và trích yếu nội dung, Đơn vị hoặc người nhận (left for the clerk), Ghi chú (the
marks a register notes: urgency, confidentiality, copy form); then vnsign's: the
verdict, the signers and the signatures' warnings, and the file.

**Ngày đến (date received) is the file's modification time** as the ledger recorded it
when the file was planned for verification: the moment the file was written into the
folder — saved from the mail, downloaded from the document exchange, dropped into the
inbox. It is the arrival even for a backlog verified weeks later, and it does not move
when the ledger verifies the file again (``--force``, a new trust store), which the
ledger's verification time does. Only a row without a recorded mtime falls back to the
ledger time (``verified_at``). Copies that keep the sender's time (``cp -p``, an
unpacked ZIP) carry that time instead: the clerk corrects the cell.

Rows are in arrival order (date received, then path) and numbered from ``start``
(``vnsign report --register-start N``: numbering continues the office's register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from vnsign.render.batch_rows import Document
from vnsign.render.document_view import document_view
from vnsign.render.problems import problems_text
from vnsign.render.signature_view import signers
from vnsign.timefmt import VN_TZ

REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("received", "reg_received"),
    ("arrival_number", "reg_number"),
    ("author", "reg_author"),
    ("number_symbol", "number_symbol"),
    ("document_date", "reg_date"),
    ("type_subject", "reg_type_subject"),
    ("recipient", "reg_recipient"),
    ("notes", "reg_notes"),
    ("indication", "verdict"),
    ("signers", "reg_signers"),
    ("warnings", "reg_warnings"),
    ("path", "file"),
)


def received_at(doc: Document) -> dt.datetime:
    """When the document arrived, in Vietnam time (see the module docstring)."""
    row = doc.row
    if row.mtime_ns is not None:
        return dt.datetime.fromtimestamp(row.mtime_ns / 1e9, VN_TZ)
    try:
        moment = dt.datetime.fromisoformat(row.verified_at)
    except ValueError:
        return dt.datetime.fromtimestamp(0, VN_TZ)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VN_TZ)


def register_rows(docs: Sequence[Document], lang: str, start: int = 1) -> list[dict[str, Any]]:
    """The register's rows in arrival order; dates as ``datetime.date`` (or ``None``)."""
    ordered = sorted(docs, key=lambda d: (received_at(d), d.row.path))
    rows = []
    for number, doc in enumerate(ordered, start=start):
        report = doc.report
        view = document_view(report.metadata)
        warnings = problems_text(report, lang)
        if doc.row.error:
            warnings = "\n".join(w for w in (doc.row.error, warnings) if w)
        rows.append({
            "received": received_at(doc).date(),
            "arrival_number": number,
            "author": view.issuing_authority if view else None,
            "number_symbol": view.number_symbol if view else None,
            "document_date": view.date_value if view else None,
            "type_subject": view.type_and_subject if view else None,
            "recipient": None,
            "notes": "; ".join(view.marks) if view and view.marks else None,
            "indication": report.indication.value,
            "signers": "\n".join(signers(report)) or None,
            "warnings": warnings or None,
            "path": doc.row.path,
        })
    return rows
