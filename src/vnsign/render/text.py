"""The terminal report: one panel per document, a block per signature (rich).

Every value that comes from the document (names, reasons, stamp text, metadata, the
file name, details inside finding messages) is shown with
:func:`vnsign.render.safe_text.plain`: literally, never as rich markup, with control
characters made visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from vnsign.models import DocumentReport, Finding, SignatureKind, SignatureReport
from vnsign.render.labels import label
from vnsign.render.safe_text import plain

_STYLE = {"PASSED": "bold green", "FAILED": "bold red", "INDETERMINATE": "bold yellow",
          "NO_SIGNATURE": "bold yellow"}
_SEVERITY_STYLE = {"INFO": "dim", "WARNING": "yellow", "ERROR": "red"}


def render(report: DocumentReport, lang: str, console: Console) -> None:
    """Print one report, from the same model ``--json`` serialises."""
    def L(key: str) -> str:
        return label(key, lang)

    file = report.file
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row(L("file"), plain(file.path or "-"))
    head.add_row("SHA-256", plain(file.sha256 or "-"))
    head.add_row(L("pages"), str(file.pages) if file.pages is not None else "-")
    if file.encrypted:
        head.add_row(L("encrypted"), L("yes"))
    indication = report.indication.value
    verdict = Text(L(indication), style=_STYLE.get(indication, ""))
    if report.sub_indication:
        verdict.append(f" ({report.sub_indication.value})")
    head.add_row(L("verdict"), verdict)
    summary = report.summary
    head.add_row(L("signatures"), f"{summary.signatures} · {L('PASSED')} {summary.passed}"
                 f" · {L('FAILED')} {summary.failed}"
                 f" · {L('INDETERMINATE')} {summary.indeterminate}")
    parts: list[Any] = [head]
    doc = report.metadata.get("document")
    if doc:
        parts.append(Text(""))
        parts.append(document_block(doc, lang))
    if report.findings:
        parts.append(Text(L("crosschecks") if report.signatures else L("findings"),
                          style="bold"))
    for finding in report.findings:
        parts.append(_finding(finding, lang))
    for sig in report.signatures:
        parts.append(Text(""))
        parts.append(_signature(sig, lang))
    title = plain(f"{L('document')}: ", file.path or "-")
    console.print(Panel(Group(*parts), title=title, title_align="left",
                        border_style=_STYLE.get(indication, "")))


def document_block(doc: dict[str, Any], lang: str) -> Group:
    """The Decree 30 fields a clerk writes in the register, as the document shows them."""

    def L(key: str) -> str:
        return label(key, lang)

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="magenta")
    grid.add_column()

    def row(key: str, value: str | None) -> None:
        if value:
            grid.add_row(L(key), plain(value))

    row("parent_authority", doc.get("parent_authority"))
    row("issuing_authority", doc.get("issuing_authority"))
    row("number_symbol", doc.get("number_symbol"))
    row("place_date", ", ".join(v for v in (doc.get("place"), doc.get("date")) if v))
    row("doc_type", " / ".join(v for v in (doc.get("doc_type"), doc.get("doc_type_code")) if v))
    subject = doc.get("subject")
    if subject and doc.get("subject_prefix"):
        subject = f"{doc['subject_prefix']} {subject}"
    row("subject", subject)
    row("recipients", "; ".join(doc.get("recipients") or []))
    row("distribution", "; ".join(doc.get("distribution") or []))
    authority = " ".join(v for v in (doc.get("authority_prefix"), doc.get("on_behalf_of")) if v)
    block = [authority, doc.get("signer_title"), doc.get("signer_name")]
    row("signer_block", " · ".join(v for v in block if v))
    row("marks", " · ".join(v for v in (doc.get("urgency"), doc.get("confidentiality"),
                                        doc.get("copy_form")) if v))
    return Group(Text(L("doc_fields"), style="bold"), grid)


def render_findings(items: Sequence[Finding], lang: str) -> Group:
    return Group(*(_finding(f, lang) for f in items))


def _finding(finding: Finding, lang: str) -> Text:
    style = _SEVERITY_STYLE.get(finding.severity.value, "")
    text = finding.message.vi if lang == "vi" else finding.message.en
    return plain((f"  • [{finding.code}] {text}", style))


def _signature(sig: SignatureReport, lang: str) -> Group:
    def L(key: str) -> str:
        return label(key, lang)

    kind = L("doc_timestamp") if sig.kind == SignatureKind.DOC_TIMESTAMP else L("signature")
    title = plain((f"{kind} #{sig.index} · ", "bold"), (sig.field or "-", "bold"))
    title.append("  ")
    title.append(L(sig.indication.value), style=_STYLE.get(sig.indication.value, ""))
    if sig.sub_indication:
        title.append(f" ({sig.sub_indication.value})")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan")
    grid.add_column()

    def row(key: str, *value: object, multiline: bool = False) -> None:
        grid.add_row(plain(key), plain(*value, multiline=multiline))

    signer = sig.signer
    if signer is not None:
        row(L("signer"), signer.common_name or signer.subject)
        if signer.email:
            row(L("email"), signer.email)
        if signer.affiliation:
            row(L("organization"), signer.affiliation)
        if signer.identifiers:
            row(L("identifiers"), ", ".join(f"{i.kind}: {i.value}" for i in signer.identifiers))
        row(L("issuer"), signer.issuer_common_name or signer.issuer)
        row(L("serial"), signer.serial_number)
        row(L("validity"), f"{signer.valid_from} → {signer.valid_until}")
    times = sig.time
    claimed = times.claimed or times.signing_time_attribute
    if claimed:
        row(L("signing_time"), f"{claimed} ({L('claimed')})")
    if times.timestamp is not None:
        ts = times.timestamp
        state = L("PASSED") if ts.valid and ts.trusted else L("INDETERMINATE")
        row(L("timestamp"), f"{ts.time} · {ts.tsa or '-'} · {state}")
    if times.best_proven:
        row("", f"{times.best_proven} ({L('proven')})")
    integ = sig.integrity
    intact = integ.digest_matches
    row(L("integrity"), L("intact") if intact else
        (L("altered") if intact is False else L("UNKNOWN")))
    row(L("coverage"), L(integ.coverage.value))
    row(L("modified_after"), L(integ.modifications_after.value))
    chain = sig.chain
    if chain is not None:
        names = " → ".join(c.common_name or c.subject for c in chain.path) or "-"
        row(L("chain"), f"{L('trusted') if chain.trusted else L('untrusted')} · {names}")
        rev = chain.revocation
        source = f" ({rev.source.value})" if rev.source else ""
        row(L("revocation"), f"{L(rev.status.value)}{source}")
    declared = sig.declared
    if declared.reason:
        row(L("reason"), declared.reason)
    if declared.location:
        row(L("location"), declared.location)
    if sig.stamp_text:
        where = f" ({L('page')} {sig.page})" if sig.page else ""
        row(L("stamp") + where, sig.stamp_text, multiline=True)
    parts: list[Any] = [title, grid]
    parts.extend(_finding(f, lang) for f in sig.findings)
    return Group(*parts)
