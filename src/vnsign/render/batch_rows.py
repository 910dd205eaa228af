"""Ledger rows flattened into table rows: shared by the CSV, XLSX and HTML reports.

One place decides what "the signer", "the signing time" or "the findings" of a row
are, so the three formats never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vnsign.batch.gate import CiPolicy, Judgement, judge, signer_kind
from vnsign.render.labels import label

if TYPE_CHECKING:
    from vnsign.batch.ledger import LedgerRow

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
)

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("path", "file"),
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
    """A ledger row with its parsed report and CI judgement, ready to render."""

    row: LedgerRow
    report: dict[str, Any]
    judgement: Judgement


def documents(rows: Sequence[LedgerRow], ci: CiPolicy | None = None) -> list[Document]:
    policy = ci or CiPolicy()
    result = []
    for row in rows:
        report = row.report
        result.append(Document(row=row, report=report, judgement=judge(report, policy)))
    return result


def message(finding: dict[str, Any], lang: str) -> str:
    text = (finding.get("message") or {}).get("vi" if lang == "vi" else "en") or ""
    return str(text)


def findings_text(findings: Sequence[dict[str, Any]], lang: str) -> str:
    return "\n".join(f"[{f.get('severity')}] {f.get('code')}: {message(f, lang)}"
                     for f in findings)


def signer_name(sig: dict[str, Any]) -> str:
    signer = sig.get("signer") or {}
    return str(signer.get("common_name") or signer.get("subject") or "")


def signing_time(sig: dict[str, Any]) -> tuple[str | None, bool]:
    """The best proven time, else the claimed one: (time, proven)."""
    times = sig.get("time") or {}
    if times.get("best_proven"):
        return str(times["best_proven"]), True
    claimed = times.get("claimed") or times.get("signing_time_attribute")
    return (str(claimed) if claimed else None), False


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text (CSV/XLSX injection).

    Signer names and findings come from the documents, i.e. from anyone: a cell that
    starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) would run as a formula in Excel.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def signature_rows(doc: Document, lang: str) -> list[dict[str, Any]]:
    """One dict per signature (a document without any gets one row, signature blank)."""
    report, row = doc.report, doc.row
    base = {
        "path": row.path,
        "document_indication": report.get("indication"),
        "gate": doc.judgement.status.value,
        "document_findings": findings_text(report.get("findings") or [], lang),
        "sha256": row.sha256,
        "error": row.error or "",
    }
    rows = []
    for sig in report.get("signatures") or []:
        signer = sig.get("signer") or {}
        chain = sig.get("chain") or {}
        when, proven = signing_time(sig)
        rows.append({
            **base,
            "signature_index": sig.get("index"),
            "kind": sig.get("kind"),
            "field": sig.get("field"),
            "page": sig.get("page"),
            "signer": signer_name(sig),
            "signer_kind": signer_kind(sig),
            "organization": ", ".join(filter(None, [*signer.get("organizational_units", []),
                                                    signer.get("organization")])),
            "identifiers": ", ".join(f"{i.get('kind')}:{i.get('value')}"
                                     for i in signer.get("identifiers") or []),
            "issuer": signer.get("issuer_common_name") or signer.get("issuer"),
            "serial_number": signer.get("serial_number"),
            "signing_time": when,
            "time_proven": proven,
            "signature_indication": sig.get("indication"),
            "signature_sub_indication": sig.get("sub_indication"),
            "trusted": chain.get("trusted") if chain else None,
            "revocation": ((chain.get("revocation") or {}).get("status") if chain else None),
            "modifications_after": (sig.get("integrity") or {}).get("modifications_after"),
            "findings": findings_text(sig.get("findings") or [], lang),
        })
    if not rows:
        rows.append({**base, **{key: None for key, _ in SIGNATURE_COLUMNS if key not in base}})
    return rows


def document_row(doc: Document, lang: str) -> dict[str, Any]:
    report, row = doc.report, doc.row
    summary = report.get("summary") or {}
    sigs = report.get("signatures") or []
    every = list(report.get("findings") or [])
    for sig in sigs:
        every.extend(sig.get("findings") or [])
    return {
        "path": row.path,
        "indication": report.get("indication"),
        "sub_indication": report.get("sub_indication"),
        "gate": doc.judgement.status.value,
        "signatures": summary.get("signatures", len(sigs)),
        "passed": summary.get("passed"),
        "failed": summary.get("failed"),
        "indeterminate": summary.get("indeterminate"),
        "signers": "; ".join(dict.fromkeys(signer_name(s) for s in sigs if signer_name(s))),
        "agency_signature": any(signer_kind(s) == "AGENCY" for s in sigs
                                if s.get("kind") != "DOC_TIMESTAMP"),
        "fully_valid": _fully_valid(report),
        "findings": "\n".join(sorted({str(f.get("code")) for f in every
                                      if f.get("severity") != "INFO"})),
        "requirements": "\n".join(m.vi if lang == "vi" else m.en
                                  for m in doc.judgement.problems),
        "error": row.error or "",
        "duration": round(row.duration, 3) if row.duration is not None else None,
        "pages": (report.get("file") or {}).get("pages"),
        "sha256": row.sha256,
        "verified_at": row.verified_at,
    }


def _fully_valid(report: dict[str, Any]) -> bool:
    from vnsign.batch.gate import fully_valid

    return fully_valid(report)


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
        indication = str(doc.report.get("indication"))
        counts[indication] = counts.get(indication, 0) + 1
        counts["errors"] += doc.row.error is not None
        counts["gate_failures"] += doc.judgement.counted
    return counts
