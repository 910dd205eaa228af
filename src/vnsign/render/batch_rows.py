"""Ledger rows flattened into table rows: shared by the CSV, XLSX and HTML reports.

One place decides what "the signer", "the signing time" or "the findings" of a row
are, so the three formats never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vnsign.gate import CiPolicy, Judgement, judge, signer_kind
from vnsign.models import DocumentReport, Finding, Severity, SignatureKind, SignerKind
from vnsign.render.document_view import document_view
from vnsign.render.labels import label
from vnsign.render.problems import message
from vnsign.render.signature_view import signer_name, signers, signing_time

if TYPE_CHECKING:
    from vnsign.batch.ledger import LedgerRow

# The document's fields as printed (Decree 30/2020): in every table, so that a clerk
# can sort and filter by number, date or agency. Keys are stable (CSV headers).
DOCUMENT_FIELD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("number_symbol", "number_symbol"),
    ("document_date", "date"),
    ("issuing_authority", "issuing_authority"),
    ("document_type", "doc_type"),
    ("subject", "subject"),
    ("printed_signer", "printed_signer"),
)

# Signature-level columns: (stable key used as the CSV header, label key for humans).
SIGNATURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("path", "file"),
    ("document_indication", "verdict"),
    ("gate", "gate"),
    ("signature_index", "signature"),
    ("kind", "kind"),
    ("field", "field"),
    ("page", "page"),
    ("signer", "signer"),
    ("signer_kind", "signer_kind"),
    ("organization", "organization"),
    ("identifiers", "identifiers"),
    ("issuer", "issuer"),
    ("serial_number", "serial"),
    ("signing_time", "signing_time"),
    ("time_proven", "proven"),
    ("signature_indication", "verdict"),
    ("signature_sub_indication", "sub_indication"),
    ("trusted", "trusted"),
    ("revocation", "revocation"),
    ("modifications_after", "modified_after"),
    ("findings", "findings"),
    ("document_findings", "findings"),
    ("sha256", "SHA-256"),
    ("error", "guard_errors"),
    *DOCUMENT_FIELD_COLUMNS,  # last: the CSV's earlier columns keep their places
)

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("path", "file"),
    *DOCUMENT_FIELD_COLUMNS,
    ("indication", "verdict"),
    ("sub_indication", "sub_indication"),
    ("gate", "gate"),
    ("signatures", "signatures"),
    ("passed", "PASSED"),
    ("failed", "FAILED"),
    ("indeterminate", "INDETERMINATE"),
    ("signers", "signer"),
    ("agency_signature", "agency_signature"),
    ("fully_valid", "fully_valid"),
    ("findings", "findings"),
    ("requirements", "requirements"),
    ("error", "guard_errors"),
    ("duration", "duration"),
    ("pages", "pages"),
    ("sha256", "SHA-256"),
    ("verified_at", "verified_at"),
)


@dataclass(frozen=True)
class Document:
    """A ledger row with its report (a model) and CI judgement, ready to render."""

    row: LedgerRow
    report: DocumentReport
    judgement: Judgement


def documents(rows: Sequence[LedgerRow], ci: CiPolicy | None = None) -> list[Document]:
    """Each row judged once: every report format of a run shares these judgements."""
    policy = ci or CiPolicy()
    return [Document(row=row, report=row.report, judgement=judge(row.report, policy))
            for row in rows]


def findings_text(findings: Sequence[Finding], lang: str) -> str:
    return "\n".join(f"[{f.severity.value}] {f.code}: {message(f, lang)}" for f in findings)


def document_fields(report: DocumentReport) -> dict[str, str | None]:
    """The :data:`DOCUMENT_FIELD_COLUMNS` of one report (all ``None`` without fields)."""
    view = document_view(report.metadata)
    if view is None:
        return {key: None for key, _ in DOCUMENT_FIELD_COLUMNS}
    return {"number_symbol": view.number_symbol, "document_date": view.date,
            "issuing_authority": view.issuing_authority, "document_type": view.doc_type,
            "subject": view.subject, "printed_signer": view.signer_name}


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text (CSV/XLSX injection).

    Signer names and findings come from the documents, i.e. from anyone: a cell that
    starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) would run as a formula in Excel.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _code(value: enum.Enum | None) -> str | None:
    """An enum member as its JSON code (tables hold plain text, not enum objects)."""
    return None if value is None else str(value.value)


def signature_rows(doc: Document, lang: str) -> list[dict[str, Any]]:
    """One dict per signature (a document without any gets one row, signature blank)."""
    report, row = doc.report, doc.row
    base = {
        "path": row.path,
        **document_fields(report),
        "document_indication": _code(report.indication),
        "gate": doc.judgement.status.value,
        "document_findings": findings_text(report.findings, lang),
        "sha256": row.sha256,
        "error": row.error or "",
    }
    rows = []
    for sig in report.signatures:
        signer = sig.signer
        chain = sig.chain
        when, proven = signing_time(sig)
        rows.append({
            **base,
            "signature_index": sig.index,
            "kind": _code(sig.kind),
            "field": sig.field,
            "page": sig.page,
            "signer": signer_name(sig),
            "signer_kind": _code(signer_kind(sig)),
            "organization": signer.affiliation if signer else "",
            "identifiers": signer.identifiers_text if signer else "",
            "issuer": (signer.issuer_common_name or signer.issuer) if signer else None,
            "serial_number": signer.serial_number if signer else None,
            "signing_time": when,
            "time_proven": proven,
            "signature_indication": _code(sig.indication),
            "signature_sub_indication": _code(sig.sub_indication),
            "trusted": chain.trusted if chain else None,
            "revocation": _code(chain.revocation.status) if chain else None,
            "modifications_after": _code(sig.integrity.modifications_after),
            "findings": findings_text(sig.findings, lang),
        })
    if not rows:
        rows.append({**base, **{key: None for key, _ in SIGNATURE_COLUMNS if key not in base}})
    return rows


def document_row(doc: Document, lang: str) -> dict[str, Any]:
    report, row = doc.report, doc.row
    summary = report.summary
    sigs = report.signatures
    return {
        "path": row.path,
        **document_fields(report),
        "indication": _code(report.indication),
        "sub_indication": _code(report.sub_indication),
        "gate": doc.judgement.status.value,
        "signatures": summary.signatures,
        "passed": summary.passed,
        "failed": summary.failed,
        "indeterminate": summary.indeterminate,
        "signers": "; ".join(signers(report)),
        "agency_signature": any(signer_kind(s) == SignerKind.AGENCY for s in sigs
                                if s.kind != SignatureKind.DOC_TIMESTAMP),
        "fully_valid": report.fully_valid,
        "findings": "\n".join(sorted({f.code for f in report.every_finding()
                                       if f.severity != Severity.INFO})),
        "requirements": "\n".join(m.vi if lang == "vi" else m.en
                                   for m in doc.judgement.problems),
        "error": row.error or "",
        "duration": round(row.duration, 3) if row.duration is not None else None,
        "pages": report.file.pages,
        "sha256": row.sha256,
        "verified_at": row.verified_at,
    }


def header(columns: Sequence[tuple[str, str]], lang: str) -> list[str]:
    """Human column titles; the two findings columns are told apart."""
    titles = []
    for key, label_key in columns:
        title = label(label_key, lang)
        if key == "document_findings":
            title = f"{title} ({label('document', lang).lower()})"
        elif key == "document_indication":
            title = f"{title} ({label('document', lang).lower()})"
        titles.append(title)
    return titles


def totals(docs: Sequence[Document]) -> dict[str, int]:
    counts = {"documents": len(docs), "PASSED": 0, "FAILED": 0, "INDETERMINATE": 0,
              "NO_SIGNATURE": 0, "errors": 0, "gate_failures": 0}
    for doc in docs:
        indication = doc.report.indication.value
        counts[indication] = counts.get(indication, 0) + 1
        counts["errors"] += doc.row.error is not None
        counts["gate_failures"] += doc.judgement.counted
    return counts
