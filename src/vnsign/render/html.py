"""The HTML report: one self-contained page for the people who check a batch.

Totals at the top (each a filter), a search box, filters by verdict, issuing agency and
document type, a table of documents — with the fields a clerk registers: number and
symbol, date, agency, type, subject, printed signer — that sorts by any column, and
per document — one click away — the findings
and the signatures: signer, kind, time (proven or only claimed), verdict, findings,
and a picture of the visible stamp cut from the page (see ``thumbnails``).

Everything in the page comes from documents, i.e. from anyone, so every value is
escaped, and a Content-Security-Policy forbids the page any network access.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Sequence
from typing import Any

from vnsign._version import __version__
from vnsign.gate import signer_kind
from vnsign.models import INDICATION_RANK, Finding, Severity, SignatureKind, SignatureReport
from vnsign.render.batch_rows import Document, document_fields, totals
from vnsign.render.html_assets import CSS, JS
from vnsign.render.labels import label
from vnsign.render.problems import message
from vnsign.render.signature_view import signer_name, signers, signing_time
from vnsign.render.thumbnails import Pictures

DEFAULT_MAX_PICTURES = 1000
_RANK = {indication.value: rank for indication, rank in INDICATION_RANK.items()}

# The document's fields in the table: (data attribute and CSS class, batch_rows key).
_FIELD_ATTRS = (("number", "number_symbol"), ("date", "document_date"),
                ("agency", "issuing_authority"), ("doctype", "document_type"),
                ("subject", "subject"), ("printed", "printed_signer"))
# The table's columns: (data attribute it sorts by, "num" for numbers, label key).
_COLUMNS = (("path", "", "file"), ("rank", "num", "verdict"), ("number", "", "number_symbol"),
            ("date", "", "date"), ("agency", "", "issuing_authority"),
            ("doctype", "", "doc_type"), ("subject", "", "subject"),
            ("printed", "", "printed_signer"), ("sigs", "num", "signatures"),
            ("signers", "", "signer"), ("time", "", "signing_time"),
            ("duration", "num", "duration"))

_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _common_dir(paths: Sequence[str]) -> str:
    if not paths:
        return ""
    try:
        common = os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:
        return ""
    return common


def _badge(code: str, lang: str, css: str | None = None) -> str:
    return f'<span class="badge {_e(css or code)}">{_e(label(code, lang))}</span>'


def _items(findings: Sequence[Finding], lang: str) -> str:
    return "".join(
        f'<li class="{_e(f.severity.value)}"><code>{_e(f.code)}</code> '
        f"{_e(message(f, lang))}</li>" for f in findings)


def _findings(findings: Sequence[Finding], lang: str) -> str:
    """Warnings and errors in full; informational notes folded (one click away)."""
    serious = [f for f in findings if f.severity != Severity.INFO]
    notes = [f for f in findings if f.severity == Severity.INFO]
    html_parts = []
    if serious:
        html_parts.append(f'<ul class="findings">{_items(serious, lang)}</ul>')
    if notes:
        html_parts.append(f'<details class="notes"><summary>{len(notes)} '
                          f'{_e(label("notes", lang))}</summary>'
                          f'<ul class="findings">{_items(notes, lang)}</ul></details>')
    return "".join(html_parts)


def _signature(sig: SignatureReport, picture: bytes | None, lang: str,
               missing: str | None) -> str:
    L = lambda key: label(key, lang)  # noqa: E731
    indication = sig.indication.value
    kind = L("doc_timestamp") if sig.kind == SignatureKind.DOC_TIMESTAMP else L("signature")
    when, proven = signing_time(sig)
    signer = sig.signer

    parts = [f'<div class="sig {_e(indication)}">',
             f'<h3><span>{_e(kind)} #{_e(sig.index)}</span>'
             f'<span class="who">{_e(signer_name(sig) or "-")}</span>'
             f"{_badge(indication, lang)}</h3>"]
    rect = sig.rect or (0, 0, 0, 0)
    if picture is not None:
        data = base64.b64encode(picture).decode("ascii")
        parts.append(f'<img class="thumb" alt="{_e(L("stamp"))}" '
                     f'src="data:image/png;base64,{data}">')
    elif not any(rect):
        parts.append(f'<p class="nothumb">{_e(L("invisible"))}</p>')
    elif missing is not None:
        parts.append(f'<p class="nothumb">{_e(L(missing))}</p>')
    rows: list[tuple[str, Any]] = []
    if signer is not None:
        rows.append((L("signer_kind"), L(signer_kind(sig).value)))
        if signer.affiliation:
            rows.append((L("organization"), signer.affiliation))
        if signer.identifiers_text:
            rows.append((L("identifiers"), signer.identifiers_text))
        rows.append((L("issuer"), signer.issuer_common_name or signer.issuer))
    if when:
        rows.append((L("signing_time"), f"{when} ({L('proven') if proven else L('claimed')})"))
    if sig.sub_indication:
        rows.append((L("sub_indication"), sig.sub_indication.value))
    chain = sig.chain
    if chain is not None:
        rows.append((L("chain"), L("trusted") if chain.trusted else L("untrusted")))
        rows.append((L("revocation"), L(chain.revocation.status.value)))
    rows.append((L("modified_after"), L(sig.integrity.modifications_after.value)))
    if sig.field:
        page = f" · {L('page')} {sig.page}" if sig.page else ""
        rows.append((L("field"), f"{sig.field}{page}"))
    parts.append("<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
                 + "</dl>")
    parts.append(_findings(sig.findings, lang))
    parts.append("</div>")
    return "".join(parts)


def _document(doc: Document, lang: str, base: str, pictures: Pictures) -> str:
    L = lambda key: label(key, lang)  # noqa: E731
    report, row = doc.report, doc.row
    indication = report.indication.value
    sigs = report.signatures
    names = signers(report)
    fields = document_fields(report)
    times = sorted(t for t in (signing_time(s)[0] for s in sigs) if t)
    rel = os.path.relpath(row.path, base) if base else row.path
    folder, name = os.path.split(rel)
    every = report.every_finding()
    sub = report.sub_indication.value if report.sub_indication else None
    search = " ".join([rel, indication, L(indication), sub or "",
                       *(v for v in fields.values() if v),
                       *names, *(f.code for f in every),
                       *(message(f, lang) for f in every), row.error or ""]).lower()
    rank = _RANK.get(indication, 0)
    attrs = (f'data-verdict="{_e(indication)}" data-rank="{rank}" data-path="{_e(rel)}" '
             f'data-sigs="{len(sigs)}" data-signers="{_e("; ".join(names))}" '
             + "".join(f'data-{attr}="{_e(fields[key])}" ' for attr, key in _FIELD_ATTRS
                       if fields[key])
             + f'data-time="{_e(times[0] if times else "")}" '
             f'data-duration="{row.duration or 0:.3f}" data-search="{_e(search)}"'
             + (' data-error="1"' if row.error else ""))
    verdict_cell = _badge(indication, lang) + (f'<span class="sub">{_e(sub)}</span>'
                                               if sub else "")
    if doc.judgement.problems:
        verdict_cell += f'<span class="sub">{_e(L("requirements"))}</span>'
    elif doc.judgement.status.value == "WARNING":
        verdict_cell += f'<span class="sub">{_e(L("with_warnings"))}</span>'
    main = (f'<tr class="main"><td><button class="toggle" aria-expanded="false" '
            f'aria-label="{_e(L("details"))}">▸</button> '
            f'<span class="file" title="{_e(row.path)}">{_e(name)}</span>'
            + (f'<div class="dir">{_e(folder)}</div>' if folder else "")
            + f"</td><td>{verdict_cell}</td>"
            + "".join(f'<td class="{attr}">{_e(fields[key] or "-")}</td>'
                      for attr, key in _FIELD_ATTRS)
            + f'<td class="num">{len(sigs)}</td>'
            f"<td>{'<br>'.join(_e(s) for s in names) or '-'}</td>"
            f'<td class="time">{_e(times[0] if times else "-").replace("T", "<wbr>T", 1)}</td>'
            f'<td class="num">{row.duration or 0:.2f}</td></tr>')
    detail = [f'<tr class="detail" hidden><td colspan="{len(_COLUMNS)}">']
    if doc.judgement.problems:
        items = "".join(f"<div>{_e(p.vi if lang == 'vi' else p.en)}</div>"
                        for p in doc.judgement.problems)
        detail.append(f'<div class="problems"><strong>{_e(L("requirements"))}</strong>'
                      f"{items}</div>")
    detail.append(f'<div class="dir">SHA-256 {_e(row.sha256)} · {_e(L("verified_at"))} '
                  f"{_e(row.verified_at)}</div>")
    detail.append(_findings(report.findings, lang))
    if sigs:
        detail.append('<div class="sigs">')
        for sig in sigs:
            detail.append(_signature(sig, pictures.images.get(sig.index), lang,
                                     pictures.missing))
        detail.append("</div>")
    detail.append("</td></tr>")
    return f'<tbody class="doc" {attrs}>{main}{"".join(detail)}</tbody>'


def _field_filter(docs: Sequence[Document], attr: str, title: str, every: str) -> str:
    """A select filtering by one document field: every value the documents show, sorted."""
    key = dict(_FIELD_ATTRS)[attr]
    values = sorted({v for d in docs if (v := document_fields(d.report)[key])})
    options = (f'<option value="">{_e(title)}: {_e(every)}</option>'
               + "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values))
    return (f'<select id="{attr}" data-field="{attr}" aria-label="{_e(title)}">'
            f"{options}</select>")


def render_html(docs: Sequence[Document], lang: str, meta: dict[str, str], *,
                max_pictures: int = DEFAULT_MAX_PICTURES, renderer: str | None = None
                ) -> bytes:
    """The page. Stamp pictures are cut from the files on disk when they still have the
    verified content (SHA-256 checked), up to ``max_pictures`` in one page, in a guarded
    child process (:class:`vnsign.render.thumbnails.StampRenderer`)."""
    from vnsign.render.thumbnails import StampRenderer

    L = lambda key: label(key, lang)  # noqa: E731
    base = _common_dir([d.row.path for d in docs])
    counts = totals(docs)
    budget = max_pictures
    bodies = []
    with StampRenderer(renderer=renderer) as stamps:
        for doc in docs:
            pictures = Pictures({})
            if budget > 0:
                pictures = stamps.pictures(doc.row.path, doc.row.sha256,
                                           doc.report.signatures)
                budget -= len(pictures.images)
            bodies.append(_document(doc, lang, base, pictures))
    cards = [("all", "all", counts["documents"], L("documents"))]
    for code in ("PASSED", "FAILED", "INDETERMINATE", "NO_SIGNATURE"):
        cards.append((code, code, counts.get(code, 0), L(code)))
    if counts["errors"]:
        cards.append(("ERROR", "ERROR", counts["errors"], L("guard_errors")))
    card_html = "".join(
        f'<button type="button" class="card {_e(css)}" data-filter="{_e(value)}" '
        f'aria-pressed="false"><span class="n">{n}</span><span class="t">{_e(text)}</span>'
        f"</button>" for css, value, n, text in cards)
    options = "".join(f'<option value="{_e(v)}">{_e(t)}</option>'
                      for v, t in [("all", L("all")), ("PASSED", L("PASSED")),
                                   ("FAILED", L("FAILED")),
                                   ("INDETERMINATE", L("INDETERMINATE")),
                                   ("NO_SIGNATURE", L("NO_SIGNATURE")),
                                   ("ERROR", L("guard_errors"))])
    meta_line = " · ".join(f"{_e(k)}: {_e(v)}" for k, v in meta.items())
    head = "".join(f'<th data-key="{k}"' + (f' data-type="{t}"' if t else "")
                   + f'><button type="button">{_e(L(key))}</button></th>'
                   for k, t, key in _COLUMNS)
    agencies = _field_filter(docs, "agency", L("issuing_authority"), L("all"))
    doctypes = _field_filter(docs, "doctype", L("doc_type"), L("all"))
    template = f"{L('showing')} {{shown}} {L('of')} {{total}}"
    capped = (f'<p class="nothumb">{_e(L("thumbnails_capped"))}</p>' if budget <= 0 and docs
              else "")

    page = f"""<!DOCTYPE html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="generator" content="vnsign {_e(__version__)}">
<title>{_e(L("batch_title"))}</title>
<style>{CSS}</style>
</head>
<body>
<header class="top"><h1>{_e(L("batch_title"))}</h1><p class="meta">{meta_line}</p></header>
<main>
<section class="cards">{card_html}</section>
<section class="controls">
<input type="search" id="q" placeholder="{_e(L("search_hint"))}" aria-label="{_e(L("search"))}">
<select id="verdict" aria-label="{_e(L("verdict"))}">{options}</select>
{agencies}
{doctypes}
<button type="button" id="expand">{_e(L("details"))} ±</button>
<span id="count" data-template="{_e(template)}"></span>
</section>
{capped}
<table class="docs" id="docs">
<thead><tr>{head}</tr></thead>
{"".join(bodies)}
</table>
<p id="empty" hidden>{_e(L("no_documents"))}</p>
<footer>vnsign {_e(__version__)} · {_e(base)}</footer>
</main>
<script>{JS}</script>
</body>
</html>
"""
    return page.encode("utf-8")
