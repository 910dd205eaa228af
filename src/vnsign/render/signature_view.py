"""Who signed and when, as every renderer shows it (one place, so that the terminal,
the batch tables and the register never disagree)."""

from __future__ import annotations

from vnsign.models import DocumentReport, SignatureKind, SignatureReport


def signer_name(sig: SignatureReport) -> str:
    """The certificate's common name, else its whole subject; empty without a signer."""
    signer = sig.signer
    if signer is None:
        return ""
    return signer.common_name or signer.subject or ""


def signing_time(sig: SignatureReport) -> tuple[str | None, bool]:
    """The best proven time, else the claimed one: (time, proven)."""
    times = sig.time
    if times.best_proven:
        return times.best_proven, True
    return (times.claimed or times.signing_time_attribute), False


def signer_kind_key(sig: SignatureReport) -> str:
    """The label key of the signature's kind: a document timestamp, else the signer's
    kind (PERSON, AGENCY, TSA, UNKNOWN)."""
    if sig.kind == SignatureKind.DOC_TIMESTAMP:
        return "doc_timestamp"
    return sig.signer.kind.value if sig.signer is not None else "UNKNOWN"


def signers(report: DocumentReport) -> list[str]:
    """The distinct signer names of a document, in signing order."""
    return list(dict.fromkeys(name for name in map(signer_name, report.signatures) if name))
