"""verify(): the only place that knows the order of the steps.

bytes → checks (empty, not a PDF, too large) → one pyHanko reader and one pypdf view
→ every filled signature field (document timestamps included) → vnsign's structural
/ByteRange checks → pyHanko AdES validation per signature → the visual check where
later changes were allowed → vnsign's verdict → document metadata → one report.

The whole run is bounded by ``Policy.time_limit`` (vnsign.deadline): past it the
report is INDETERMINATE with TIME_LIMIT_EXCEEDED, never a traceback or a hang.
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import datetime
from typing import Any

from vnsign import __version__, findings
from vnsign.deadline import Deadline, TimeLimitExceeded, interrupt_at
from vnsign.metadata import document_metadata, empty_metadata
from vnsign.models import (
    INDICATION_RANK,
    SCHEMA_ID,
    DocumentReport,
    FileInfo,
    Finding,
    Indication,
    PolicyInfo,
    SignatureReport,
    Summary,
)
from vnsign.pdf.source import LoadedInput, Source, load_source, looks_like_pdf
from vnsign.policy import Policy
from vnsign.timefmt import iso_vn, now_utc
from vnsign.trust import TrustStore

log = logging.getLogger(__name__)


def verify(source: Source, *, trust: TrustStore | None = None, policy: Policy | None = None,
           password: str | None = None) -> DocumentReport:
    """Verify every signature in one PDF and return the report.

    ``source`` is a path, bytes or a binary file object. ``trust`` names the trust
    roots (nothing is trusted otherwise); ``policy`` sets offline mode, revocation
    strictness and the validation time. Broken input never raises: the report says
    what is wrong. Only misuse (a wrong argument type) raises :class:`UsageError`.
    """
    trust = trust if trust is not None else TrustStore()
    policy = policy or Policy()
    started = now_utc()
    loaded = load_source(source, policy.max_file_size)
    problem = input_problem(loaded, policy)
    if problem is not None:
        return _report(loaded, policy, started, pages=None, encrypted=False, revisions=None,
                       signatures=(), metadata=empty_metadata(),
                       doc_findings=(problem,), forced=Indication.INDETERMINATE,
                       forced_sub="FORMAT_FAILURE")
    assert loaded.data is not None
    deadline = Deadline(policy.time_limit)
    try:
        with interrupt_at(deadline):
            return asyncio.run(_verify_pdf(loaded, loaded.data, trust, policy, started,
                                           password, deadline))
    except TimeLimitExceeded:
        log.debug("time limit exceeded", exc_info=True)
        problem = findings.make("TIME_LIMIT_EXCEEDED", limit=f"{policy.time_limit:g}")
        return _report(loaded, policy, started, pages=None, encrypted=False, revisions=None,
                       signatures=(), metadata=empty_metadata(), doc_findings=(problem,),
                       forced=Indication.INDETERMINATE, forced_sub="GENERIC")
    except Exception as exc:
        # The last line of defence: a parser bug or a hostile structure we did not
        # foresee still yields a report, never a traceback (the detail says where).
        log.debug("verification aborted", exc_info=True)
        problem = findings.make("INPUT_UNREADABLE", detail=f"{type(exc).__name__}: {exc}")
        return _report(loaded, policy, started, pages=None, encrypted=False, revisions=None,
                       signatures=(), metadata=empty_metadata(), doc_findings=(problem,),
                       forced=Indication.INDETERMINATE, forced_sub="FORMAT_FAILURE")


def input_problem(loaded: LoadedInput, policy: Policy) -> Finding | None:
    """Why the bytes cannot be a PDF at all (shared with read_metadata)."""
    if loaded.error is not None:
        return findings.make("INPUT_IO_ERROR", detail=loaded.error)
    if loaded.too_large:
        return findings.make("INPUT_TOO_LARGE", limit=policy.max_file_size)
    assert loaded.data is not None
    if not loaded.data:
        return findings.make("INPUT_EMPTY")
    if not looks_like_pdf(loaded.data):
        return findings.make("INPUT_NOT_PDF")
    return None


async def _verify_pdf(loaded: LoadedInput, data: bytes, trust: TrustStore, policy: Policy,
                      started: datetime, password: str | None, deadline: Deadline
                      ) -> DocumentReport:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from vnsign.pdf.fields import filled_signature_fields
    from vnsign.pdf.pages import PdfView

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        problem = findings.make("INPUT_UNREADABLE", detail=f"{type(exc).__name__}: {exc}")
        return _report(loaded, policy, started, pages=None, encrypted=False, revisions=None,
                       signatures=(), metadata=empty_metadata(), doc_findings=(problem,),
                       forced=Indication.INDETERMINATE, forced_sub="FORMAT_FAILURE")
    view: PdfView | None
    try:
        view = PdfView(data, password)
    except Exception as exc:
        log.debug("pypdf could not open the file: %s", exc)
        view = None
    try:
        encrypted = bool(reader.encrypted)
    except Exception as exc:  # a malformed /Encrypt entry
        problem = findings.make("INPUT_UNREADABLE", detail=f"{type(exc).__name__}: {exc}")
        return _report(loaded, policy, started, pages=None, encrypted=True, revisions=None,
                       signatures=(), metadata=empty_metadata(), doc_findings=(problem,),
                       forced=Indication.INDETERMINATE, forced_sub="FORMAT_FAILURE")
    revisions = _safe_int(lambda: reader.xrefs.total_revisions)
    pages = view.page_count if view is not None else None
    deadline.check()
    metadata = document_metadata(view)
    deadline.check()
    if encrypted and not _decrypt(reader, password):
        problem = findings.make("PDF_ENCRYPTED")
        return _report(loaded, policy, started, pages=pages, encrypted=True,
                       revisions=revisions, signatures=(), metadata=metadata,
                       doc_findings=(problem,), forced=Indication.INDETERMINATE,
                       forced_sub="FORMAT_FAILURE")
    try:
        fields = filled_signature_fields(reader)
    except Exception as exc:
        problem = findings.make("INPUT_UNREADABLE", detail=f"{type(exc).__name__}: {exc}")
        return _report(loaded, policy, started, pages=pages, encrypted=encrypted,
                       revisions=revisions, signatures=(), metadata=metadata,
                       doc_findings=(problem,), forced=Indication.INDETERMINATE,
                       forced_sub="FORMAT_FAILURE")
    signatures = await _validate_all(reader, fields, view, trust, policy, data, password,
                                     deadline)
    doc_findings: tuple[Finding, ...] = ()
    if not signatures:
        doc_findings = (findings.make("NO_SIGNATURES"),)
    else:
        from vnsign.vn.crosscheck import cross_check

        doc_findings = cross_check(metadata.get("document"), signatures)
    return _report(loaded, policy, started, pages=pages, encrypted=encrypted,
                   revisions=revisions, signatures=signatures, metadata=metadata,
                   doc_findings=doc_findings)


def _decrypt(reader: Any, password: str | None) -> bool:
    try:
        result = reader.decrypt(password or "")
        return bool(getattr(result, "status", None) is not None
                    and result.status.name != "FAILED")
    except Exception:
        return False


async def _validate_all(reader: Any, fields: list[Any], view: Any, trust: TrustStore,
                        policy: Policy, data: bytes, password: str | None,
                        deadline: Deadline) -> tuple[SignatureReport, ...]:
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    from vnsign.pdf.visual import VisualChecker
    from vnsign.validation.engine import run_engine
    from vnsign.validation.signature import build_report, unreadable_report
    from vnsign.validation.spec import build_setup

    setup = build_setup(trust, policy)
    roots = frozenset(cert.dump() for cert in trust.roots)
    loaded: list[tuple[Any, Any | None, str | None]] = []
    for fld in fields:
        try:
            loaded.append((fld, EmbeddedPdfSignature(reader, fld.field_ref, fld.name), None))
        except Exception as exc:
            loaded.append((fld, None, f"{type(exc).__name__}: {exc}"))
    # Signing order: by the revision each signature belongs to.
    loaded.sort(key=lambda item: (item[1].signed_revision if item[1] is not None else 1 << 30))
    structure = _structure_findings(reader, data, [fld for fld, _, _ in loaded])
    checker = VisualChecker(data, reader, password, deadline) if policy.visual_check else None
    reports: list[SignatureReport] = []
    try:
        for index, (fld, emb, error) in enumerate(loaded, start=1):
            deadline.check()
            if emb is None:
                sub_filter = _sub_filter(fld)
                reports.append(unreadable_report(index, fld, error or "?", view, sub_filter,
                                                 structure[index - 1]))
                continue
            is_doc_ts = emb.sig_object_type == "/DocTimeStamp"
            outcome = await run_engine(emb, is_doc_ts, setup)
            deadline.check()
            try:
                reports.append(build_report(index, fld, emb, outcome, view, policy,
                                            setup.timing.validation_time, roots,
                                            structure=structure[index - 1],
                                            visual_checker=checker))
            except Exception as exc:  # a report must exist for every signature
                log.debug("report assembly failed", exc_info=True)
                reports.append(unreadable_report(index, fld, f"{type(exc).__name__}: {exc}",
                                                 view, _sub_filter(fld)))
    finally:
        if setup.session is not None:
            await setup.session.close()
    return tuple(reports)


def _structure_findings(reader: Any, data: bytes, fields: list[Any]
                        ) -> list[tuple[Finding, ...]]:
    """vnsign's own /ByteRange and /Contents checks, per signature in signing order."""
    from vnsign.pdf.byterange import (
        RangeFacts,
        check_structure,
        collisions,
        revision_ends,
        trailing_data,
    )

    total = _safe_int(lambda: reader.xrefs.total_revisions) or 0
    startxrefs = []
    for revision in range(total):
        offset = _safe_int(lambda r=revision: reader.xrefs.get_startxref_for_revision(r))
        if offset is not None:
            startxrefs.append(offset)
    ends = revision_ends(data, startxrefs)
    result: list[list[Finding]] = []
    ranges: list[tuple[int, RangeFacts]] = []
    for index, fld in enumerate(fields, start=1):
        try:
            facts, problems = check_structure(data, fld.value_ref.get_object(), ends)
        except Exception as exc:  # a signature value that is not even a dictionary
            facts, problems = None, [findings.make("BYTERANGE_MALFORMED",
                                                   detail=type(exc).__name__)]
        result.append(problems)
        if facts is not None:
            ranges.append((index, facts))
    for index, extra in collisions(ranges).items():
        result[index - 1].extend(extra)
    tail = trailing_data(data, ends)
    if tail is not None:
        for items in result:
            items.append(tail)
    return [tuple(items) for items in result]


def _sub_filter(fld: Any) -> str | None:
    try:
        value = fld.value_ref.get_object().get("/SubFilter")
        return str(value).lstrip("/") if value is not None else None
    except Exception:
        return None


def _safe_int(func: Any) -> int | None:
    try:
        return int(func())
    except Exception:
        return None


def _report(loaded: LoadedInput, policy: Policy, started: datetime, *, pages: int | None,
            encrypted: bool, revisions: int | None, signatures: tuple[SignatureReport, ...],
            metadata: dict[str, Any], doc_findings: tuple[Finding, ...],
            forced: Indication | None = None, forced_sub: str | None = None
            ) -> DocumentReport:
    if forced is not None:
        indication, sub = forced, forced_sub
    elif not signatures:
        indication, sub = Indication.NO_SIGNATURE, None
    else:
        worst = max(signatures, key=lambda s: INDICATION_RANK[s.indication])
        indication, sub = worst.indication, worst.sub_indication
    summary = Summary(
        signatures=len(signatures),
        passed=sum(s.indication == Indication.PASSED for s in signatures),
        failed=sum(s.indication == Indication.FAILED for s in signatures),
        indeterminate=sum(s.indication == Indication.INDETERMINATE for s in signatures),
    )
    moment = policy.validation_time or started
    return DocumentReport(
        schema=SCHEMA_ID,
        vnsign_version=__version__,
        validated_at=iso_vn(started) or "",
        policy=PolicyInfo(name=policy.name, offline=policy.offline,
                          revocation=policy.revocation_mode,
                          validation_time=iso_vn(moment) or ""),
        file=FileInfo(path=loaded.path, sha256=loaded.sha256, size=loaded.size, pages=pages,
                      encrypted=encrypted, revisions=revisions),
        indication=indication,
        sub_indication=sub,
        summary=summary,
        signatures=signatures,
        metadata=metadata,
        findings=doc_findings,
    )
