"""The full terminal report (``--details``): one panel per document, a block per
signature with its certificate, times, integrity, chain, revocation and every finding.

Every value that comes from the document (names, reasons, stamp text, metadata, the
file name, details inside finding messages) is shown with
:func:`vnsign.render.safe_text.plain`: literally, never as rich markup, with control
characters made visible.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from vnsign.models import DocumentReport, SignatureKind, SignatureReport
from vnsign.render.document_view import DocumentView
from vnsign.render.labels import label
from vnsign.render.safe_text import plain
from vnsign.render.terminal import STYLE, finding_line


def render_details(report: DocumentReport, lang: str, console: Console) -> None:
    """Print one report in full, from the same model ``--json`` serialises."""
    from vnsign.render.document_view import document_view

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
    verdict = Text(L(indication), style=STYLE.get(indication, ""))
    if report.sub_indication:
        verdict.append(f" ({report.sub_indication.value})")
    head.add_row(L("verdict"), verdict)
    summary = report.summary
    head.add_row(L("signatures"), f"{summary.signatures} · {L('PASSED')} {summary.passed}"
                 f" · {L('FAILED')} {summary.failed}"
                 f" · {L('INDETERMINATE')} {summary.indeterminate}")
    parts: list[Any] = [head]
    view = document_view(report.metadata)
    if view is not None:
        parts.append(Text(""))
        parts.append(document_block(view, lang))
    if report.findings:
        parts.append(Text(L("crosschecks") if report.signatures else L("findings"),
                          style="bold"))
    for finding in report.findings:
        parts.append(finding_line(finding, lang))
    for sig in report.signatures:
        parts.append(Text(""))
        parts.append(_signature(sig, lang))
    title = Text(f"{L('document')}: ")
    title.append(plain(file.path or "-"))
    console.print(Panel(Group(*parts), title=title, title_align="left",
                        border_style=STYLE.get(indication, "")))


def document_block(view: DocumentView, lang: str) -> Group:
    """Every Decree 30 field the document shows, as it shows them."""

    def L(key: str) -> str:
        return label(key, lang)

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="magenta")
    grid.add_column()

    def row(key: str, value: str | None) -> None:
        if value:
            grid.add_row(L(key), plain(value))

    row("parent_authority", view.parent_authority)
    row("issuing_authority", view.issuing_authority)
    row("number_symbol", view.number_symbol)
    row("place_date", view.place_date)
    row("doc_type", " / ".join(v for v in (view.doc_type, view.doc_type_code) if v))
    row("subject", view.subject)
    row("recipients", "; ".join(view.recipients))
    row("distribution", "; ".join(view.distribution))
    row("signer_block", view.signer_block)
    row("marks", " · ".join(view.marks))
    return Group(Text(L("doc_fields"), style="bold"), grid)


def _signature(sig: SignatureReport, lang: str) -> Group:
    def L(key: str) -> str:
        return label(key, lang)

    kind = L("doc_timestamp") if sig.kind == SignatureKind.DOC_TIMESTAMP else L("signature")
    title = Text(f"{kind} #{sig.index} · ", style="bold")
    title.append(plain((sig.field or "-", "bold")))
    title.append("  ")
    title.append(L(sig.indication.value), style=STYLE.get(sig.indication.value, ""))
    if sig.sub_indication:
        title.append(f" ({sig.sub_indication.value})")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan")
    grid.add_column()

    def row(key: str, value: str | None) -> None:
        grid.add_row(L(key) if key else "", plain(value or "-"))

    signer = sig.signer
    if signer is not None:
        row("signer", signer.common_name or signer.subject)
        if signer.email:
            row("email", signer.email)
        if signer.affiliation:
            row("organization", signer.affiliation)
        if signer.identifiers:
            row("identifiers", signer.identifiers_text)
        row("issuer", signer.issuer_common_name or signer.issuer)
        row("serial", signer.serial_number)
        row("validity", f"{signer.valid_from} → {signer.valid_until}")
    times = sig.time
    claimed = times.claimed or times.signing_time_attribute
    if claimed:
        row("signing_time", f"{claimed} ({L('claimed')})")
    if times.timestamp is not None:
        ts = times.timestamp
        state = L("PASSED") if ts.valid and ts.trusted else L("INDETERMINATE")
        row("timestamp", f"{ts.time} · {ts.tsa or '-'} · {state}")
    if times.best_proven:
        row("", f"{times.best_proven} ({L('proven')})")
    integ = sig.integrity
    intact = integ.digest_matches
    row("integrity", L("intact") if intact else
        (L("altered") if intact is False else L("UNKNOWN")))
    row("coverage", L(integ.coverage.value))
    row("modified_after", L(integ.modifications_after.value))
    chain = sig.chain
    if chain is not None:
        names = " → ".join(c.common_name or c.subject for c in chain.path) or "-"
        row("chain", f"{L('trusted') if chain.trusted else L('untrusted')} · {names}")
        rev = chain.revocation
        source = f" ({rev.source.value})" if rev.source else ""
        row("revocation", f"{L(rev.status.value)}{source}")
    declared = sig.declared
    if declared.reason:
        row("reason", declared.reason)
    if declared.location:
        row("location", declared.location)
    if sig.stamp_text:
        where = f" ({L('page')} {sig.page})" if sig.page else ""
        grid.add_row(L("stamp") + where, plain(sig.stamp_text, multiline=True))
    parts: list[Any] = [title, grid]
    parts.extend(finding_line(f, lang) for f in sig.findings)
    return Group(*parts)
