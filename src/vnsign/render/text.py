"""The terminal report. By default the clerk's view: what a person registering or
checking a document reads first, on one screen.

1. the verdict in words and colour, with the count of signatures;
2. the document's fields as printed (agency, số/ký hiệu, date, type, subject, signer);
3. one row per signature: #, signer, person or agency, time (proven by a timestamp or
   only claimed by the signer's clock, +07:00), verdict;
4. every WARNING and ERROR, with the signatures it concerns (``#1–#5``).

``--details`` prints the full report (:mod:`vnsign.render.text_details`); ``--json`` the
JSON one. ``vnsign inspect`` (no signature checks) shows parts 2 and 4 the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from vnsign.models import DocumentReport, Finding, SignatureReport
from vnsign.render.document_view import DocumentView, document_view
from vnsign.render.labels import label
from vnsign.render.problems import Problem, message, problems
from vnsign.render.safe_text import plain
from vnsign.render.signature_view import signer_kind_key, signer_name, signing_time
from vnsign.render.terminal import (
    SEVERITY_MARK,
    SEVERITY_STYLE,
    STYLE,
    finding_lines,
    verdict_word,
)
from vnsign.render.text_details import document_block, render_details

if TYPE_CHECKING:
    from vnsign.metadata import MetadataReport

# Wider terminals get the same view: a line of 100 characters is still read at a glance.
MAX_WIDTH = 100


def render(report: DocumentReport, lang: str, console: Console, *,
           details: bool = False) -> None:
    """Print one report: the compact view, or the full one with ``details``."""
    if details:
        render_details(report, lang, console)
        return
    indication = report.indication.value
    width = min(console.width, MAX_WIDTH)
    console.print(Panel(compact(report, lang, width), title=_title(report.file.path, lang),
                        title_align="left", border_style=STYLE.get(indication, ""),
                        width=width))


def compact(report: DocumentReport, lang: str, width: int = MAX_WIDTH) -> Group:
    """The clerk's view of one report (without its frame, which ``width`` includes)."""
    parts: list[RenderableType] = [_verdict_line(report, lang)]
    view = document_view(report.metadata)
    if view is not None and not view.is_empty:
        parts.append(fields_grid(view, lang))
    if report.signatures:
        parts.append(Text(""))
        parts.append(_signature_table(report.signatures, lang, width - 4))
    parts.append(Text(""))
    parts.extend(problem_lines(problems(report, lang), lang))
    parts.append(Text(label("details_hint", lang), style="dim"))
    return Group(*parts)


def render_metadata(report: MetadataReport, lang: str, console: Console, *,
                    details: bool = False) -> None:
    """``vnsign inspect``: the document's fields in the same style, no verdict."""
    view = document_view(report.metadata)
    parts: list[RenderableType] = []
    if view is not None and not view.is_empty:
        parts.append(document_block(view, lang) if details else fields_grid(view, lang))
    if details:
        parts.append(_pdf_block(report.metadata.get("pdf"), lang))
    if report.findings:
        parts.append(finding_lines(report.findings, lang) if details
                     else Group(*problem_lines(_loose_problems(report.findings, lang), lang)))
    if not parts:
        parts.append(Text(label("none", lang), style="dim"))
    console.print(Panel(Group(*parts), title=_title(report.path, lang), title_align="left",
                        width=min(console.width, MAX_WIDTH)))


def _title(path: str | None, lang: str) -> Text:
    title = Text(f"{label('document', lang)}: ")
    title.append(plain(path or "-"))
    return title


def _verdict_line(report: DocumentReport, lang: str) -> Text:
    def L(key: str) -> str:
        return label(key, lang)

    indication = report.indication.value
    line = Text(f"{L('verdict')}: ", style="bold")
    line.append(verdict_word(indication, lang))
    if report.sub_indication:
        line.append(f" ({report.sub_indication.value})", style="dim")
    if indication == "PASSED" and not report.fully_valid:
        line.append(f" · {L('with_warnings').lower()}", style="yellow")
    summary = report.summary
    if summary.signatures:
        counts = [(k, n) for k, n in (("PASSED", summary.passed), ("FAILED", summary.failed),
                                      ("INDETERMINATE", summary.indeterminate)) if n]
        line.append(f"  ·  {summary.signatures} {L('signatures').lower()}: ")
        for position, (key, count) in enumerate(counts):
            if position:
                line.append(", ")
            line.append(f"{L(key).lower()} {count}", style=STYLE.get(key, "").replace(
                "bold ", ""))
    return line


def fields_grid(view: DocumentView, lang: str) -> Table:
    """Agency; number, date, type; subject; printed signer — four lines at most."""

    def L(key: str) -> str:
        return label(key, lang)

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="magenta", no_wrap=True)
    grid.add_column()
    if view.issuing_authority or view.parent_authority:
        agency = plain(view.issuing_authority or view.parent_authority)
        if view.issuing_authority and view.parent_authority:
            agency.append(" (")
            agency.append(plain(view.parent_authority))
            agency.append(")")
        grid.add_row(L("issuing_authority"), agency)
    pairs = [(key, value) for key, value in (("number_symbol", view.number_symbol),
                                             ("date", view.date), ("doc_type", view.doc_type))
             if value]
    if pairs or view.marks:
        line = Text()
        for position, (key, value) in enumerate(pairs):
            if position:
                line.append(f"   {L(key)} ", style="magenta")
            line.append(plain((value, "bold" if key == "number_symbol" else "")))
        for mark in view.marks:
            line.append("   ")
            line.append(plain((mark, "bold red")))
        grid.add_row(L(pairs[0][0]) if pairs else L("marks"), line)
    if view.subject:
        grid.add_row(L("subject"), plain(view.subject))
    if view.signer_block:
        grid.add_row(L("printed_signer"), plain(view.signer_block))
    return grid


def _signature_table(signatures: Sequence[SignatureReport], lang: str, width: int) -> Table:
    """One row per signature in ``width`` columns. The number, the time and the verdict
    get the width they need (rich would otherwise squeeze a verdict to "Chưa xác");
    the names wrap. When the line is short, "proven"/"claimed" goes under the time."""
    def L(key: str) -> str:
        return label(key, lang)

    rows = []
    for sig in signatures:
        when, proven = signing_time(sig)
        time = plain(when or "-")
        if when:
            time.append(f" {L('proven') if proven else L('claimed')}", style="dim")
        rows.append((str(sig.index), plain(signer_name(sig) or "-"), L(signer_kind_key(sig)),
                     time, verdict_word(sig.indication.value, lang)))
    headers = ("#", L("signer"), L("signer_kind"), L("signing_time"), L("verdict"))
    needed = [max(cell_len(str(cell)) for cell in column) for column in zip(headers, *rows,
                                                                             strict=True)]
    number, names, kinds, time_full, verdict = needed
    time_only = max(cell_len(str(headers[3])), *(cell_len(r[3].plain.split(" ")[0]) for r in rows))
    # Names need about 14 columns to stay on one or two lines; padding is 2 per column.
    roomy = number + time_full + verdict + min(names, 14) + min(kinds, 12) + 8 <= width
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold",
                  show_edge=False)
    table.add_column(headers[0], justify="right", width=number)
    table.add_column(headers[1])
    table.add_column(headers[2])
    table.add_column(headers[3], width=time_full if roomy else time_only)
    table.add_column(headers[4], width=verdict)
    for row in rows:
        table.add_row(*row)
    return table


def problem_lines(items: Sequence[Problem], lang: str) -> list[RenderableType]:
    """The warnings and errors, or a line saying there are none."""
    if not items:
        return [Text(label("no_problems", lang), style="green")]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    where = any(item.signatures for item in items)
    if where:
        grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        style = SEVERITY_STYLE.get(item.severity.value, "")
        text = plain((item.message, style))
        text.append(f" [{item.code}]", style="dim")
        cells = [Text(SEVERITY_MARK.get(item.severity.value, ""), style=style)]
        if where:
            cells.append(Text(item.where(), style="bold"))
        grid.add_row(*cells, text)
    return [Text(label("problems", lang), style="bold"), grid]


def _loose_problems(findings: Sequence[Finding], lang: str) -> list[Problem]:
    return [Problem(severity=f.severity, code=f.code, message=message(f, lang),
                    signatures=()) for f in findings]


def _pdf_block(pdf: Any, lang: str) -> Group:
    """The PDF's own metadata (Info/XMP), for ``inspect --details``."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column()
    if isinstance(pdf, dict):
        for key in ("title", "author", "subject", "keywords", "creator", "producer",
                    "created", "modified"):
            value = pdf.get(key)
            if isinstance(value, str) and value:
                grid.add_row(key.capitalize(), plain(value))
    return Group(Text(label("pdf_metadata", lang), style="bold"), grid)
