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
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from vnsign import findings
from vnsign.attempt import attempt
from vnsign.deadline import Deadline, TimeLimitExceeded, interrupt_at
from vnsign.metadata import document_metadata
from vnsign.models import (
    DocumentReport,
    FileInfo,
    Finding,
    Indication,
    NetworkRequest,
    SignatureReport,
    SubIndication,
)
from vnsign.pdf.recovery import ScannedSignature
from vnsign.pdf.source import (
    LoadedInput,
    SharedBytesIO,
    Source,
    input_problem,
    load_source,
)
from vnsign.policy import Policy
from vnsign.report_builder import document_report
from vnsign.timefmt import now_utc
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
    problem = input_problem(loaded, policy.max_file_size)
    if problem is not None:
        return _unexamined(loaded, policy, started, problem)
    assert loaded.data is not None
    deadline = Deadline(policy.time_limit)
    # Every request made for this document, filled by the HTTP client as it goes, so
    # that even a report cut short by the time limit lists where vnsign went.
    network: list[NetworkRequest] = []
    try:
        with interrupt_at(deadline):
            return asyncio.run(_verify_pdf(loaded, loaded.data, trust, policy, started,
                                           password, deadline, network))
    except TimeLimitExceeded:
        log.debug("time limit exceeded", exc_info=True)
        problem = findings.make("TIME_LIMIT_EXCEEDED", limit=f"{policy.time_limit:g}")
        return _unexamined(loaded, policy, started, problem, sub=SubIndication.GENERIC,
                           network=network)
    except Exception as exc:
        # The last line of defence: a parser bug or a hostile structure we did not
        # foresee still yields a report, never a traceback (the detail says where).
        log.debug("verification aborted", exc_info=True)
        return _unexamined(loaded, policy, started, _unreadable(exc), network=network)


def _unreadable(exc: BaseException) -> Finding:
    """INPUT_UNREADABLE, or INTERNAL_ERROR when the exception is a bug in vnsign."""
    return findings.from_exception(exc)


def _file_info(loaded: LoadedInput, *, pages: int | None = None, encrypted: bool = False,
               revisions: int | None = None) -> FileInfo:
    return FileInfo(path=loaded.path, sha256=loaded.sha256, size=loaded.size, pages=pages,
                    encrypted=encrypted, revisions=revisions)


def _unexamined(loaded: LoadedInput, policy: Policy, started: datetime, problem: Finding,
                *, sub: SubIndication = SubIndication.FORMAT_FAILURE,
                metadata: dict[str, Any] | None = None,
                network: Sequence[NetworkRequest] = (), **file_facts: Any) -> DocumentReport:
    """The report of a document whose signatures could not be examined at all.

    INDETERMINATE with ``sub`` (FORMAT_FAILURE unless said otherwise; GENERIC for a bug
    in vnsign, which says nothing about the file) and ``problem`` saying why; whatever
    was learnt about the file (pages, encryption, revisions, the metadata) is kept.
    """
    if problem.code == "INTERNAL_ERROR":
        sub = SubIndication.GENERIC
    return document_report(file=_file_info(loaded, **file_facts), policy=policy,
                           started=started, metadata=metadata, findings=(problem,),
                           forced=(Indication.INDETERMINATE, sub), network_requests=network)


@dataclass(frozen=True)
class _Damage:
    """What could not be read of a file verified through its intact prefix."""

    detail: str  # why the whole file could not be read
    readable: int  # bytes verified (up to the end of the last intact revision)
    tail: int  # bytes after them
    scanned: tuple[ScannedSignature, ...]  # signature dictionaries found in the tail


def _opens(data: bytes) -> bool:
    from vnsign.pdf.reader import PdfReader

    reader = PdfReader(SharedBytesIO(data), strict=False)
    return bool(reader.xrefs.total_revisions) and reader.encrypted in (True, False)


async def _verify_pdf(loaded: LoadedInput, data: bytes, trust: TrustStore, policy: Policy,
                      started: datetime, password: str | None, deadline: Deadline,
                      network: list[NetworkRequest], damage: _Damage | None = None
                      ) -> DocumentReport:
    from vnsign.pdf.fields import filled_signature_fields
    from vnsign.pdf.pages import PdfView
    from vnsign.pdf.reader import PdfReader
    from vnsign.validation import name_prep

    name_prep.install()  # asn1crypto prepares the same issuer names again and again
    try:
        reader = PdfReader(SharedBytesIO(data), strict=False)
        encrypted = bool(reader.encrypted)  # raises on a malformed /Encrypt entry
    except Exception as exc:
        if damage is not None:
            raise
        return await _recovered(loaded, data, trust, policy, started, password, deadline,
                                network, exc)
    view: PdfView | None
    try:
        view = PdfView(data, password)
    except Exception as exc:
        log.debug("pypdf could not open the file: %s", exc)
        view = None
    revisions = attempt(lambda: int(reader.xrefs.total_revisions))
    pages = view.page_count if view is not None else None
    deadline.check()
    # OCR of a scan runs in Tesseract's process: it costs this thread no CPU time but wall
    # time, which the deadline bounds at a multiple of the limit. It starts no new page once
    # it has used 60 % of the limit in wall time, so the signatures, which decide the
    # verdict, keep their full CPU budget and most of the wall-time backstop.
    metadata, metadata_findings = document_metadata(view, ocr=policy.ocr,
                                                    budget=deadline.seconds)
    deadline.check()
    if encrypted and not _decrypt(reader, password):
        return _unexamined(loaded, policy, started, findings.make("PDF_ENCRYPTED"),
                           metadata=metadata, pages=pages, encrypted=True,
                           revisions=revisions)
    try:
        fields = filled_signature_fields(reader)
    except Exception as exc:
        return _unexamined(loaded, policy, started, _unreadable(exc), metadata=metadata,
                           pages=pages, encrypted=encrypted, revisions=revisions)
    signatures = await _validate_all(reader, fields, view, trust, policy, data, password,
                                     deadline, network, tail=damage.tail if damage else 0)
    doc_findings: tuple[Finding, ...] = ()
    if damage is not None:
        signatures += _damaged_reports(damage.scanned, len(signatures), damage.detail)
        doc_findings = (findings.make("FILE_DAMAGED", detail=damage.detail,
                                      size=damage.readable),)
    if not signatures:
        doc_findings += (findings.make("NO_SIGNATURES"),)
    else:
        from vnsign.vn.crosscheck import cross_check

        doc_findings += cross_check(metadata.get("document"), signatures)
    doc_findings = (*doc_findings, *metadata_findings)
    return document_report(file=_file_info(loaded, pages=pages, encrypted=encrypted,
                                           revisions=revisions),
                           policy=policy, started=started, signatures=signatures,
                           metadata=metadata, findings=doc_findings,
                           network_requests=network)


async def _recovered(loaded: LoadedInput, data: bytes, trust: TrustStore, policy: Policy,
                     started: datetime, password: str | None, deadline: Deadline,
                     network: list[NetworkRequest], exc: Exception) -> DocumentReport:
    """A file pyHanko cannot open: its intact revisions, else its scanned signatures.

    Never "0 signatures" for a file that holds them (vnsign.pdf.recovery says how).
    """
    from vnsign.pdf.recovery import intact_prefix, scan_signatures

    detail = f"{type(exc).__name__}: {exc}"
    end = intact_prefix(data, _opens)
    deadline.check()
    if end is not None:
        damage = _Damage(detail, end, len(data) - end, tuple(scan_signatures(data, end)))
        return await _verify_pdf(loaded, data[:end], trust, policy, started, password,
                                 deadline, network, damage)
    scanned = scan_signatures(data)
    if not scanned:
        return _unexamined(loaded, policy, started, _unreadable(exc))
    return document_report(file=_file_info(loaded), policy=policy, started=started,
                           signatures=_damaged_reports(scanned, 0, detail),
                           metadata=None, findings=(_unreadable(exc),))


def _damaged_reports(scanned: tuple[ScannedSignature, ...] | list[ScannedSignature],
                     before: int, detail: str) -> tuple[SignatureReport, ...]:
    from vnsign.validation.signature import damaged_report

    return tuple(damaged_report(before + i, item, detail)
                 for i, item in enumerate(scanned, start=1))


def _decrypt(reader: Any, password: str | None) -> bool:
    try:
        result = reader.decrypt(password or "")
        return bool(getattr(result, "status", None) is not None
                    and result.status.name != "FAILED")
    except Exception:
        return False


async def _validate_all(reader: Any, fields: list[Any], view: Any, trust: TrustStore,
                        policy: Policy, data: bytes, password: str | None,
                        deadline: Deadline, network: list[NetworkRequest], tail: int = 0
                        ) -> tuple[SignatureReport, ...]:
    from vnsign.pdf import range_digests
    from vnsign.pdf.visual import VisualChecker
    from vnsign.validation.engine import run_engine
    from vnsign.validation.legacy import load_signature
    from vnsign.validation.signature import build_report, unreadable_report
    from vnsign.validation.spec import build_setup

    setup = build_setup(trust, policy, network)
    roots = frozenset(cert.dump() for cert in trust.roots)
    fields, also_in = _one_field_per_value(fields)
    loaded: list[tuple[Any, Any | None, Finding | None]] = []
    for fld in fields:
        try:
            loaded.append((fld, load_signature(reader, fld.field_ref, fld.name), None))
        except Exception as exc:
            loaded.append((fld, None, findings.from_exception(exc, "SIGNATURE_UNREADABLE")))
    # Signing order: by the revision each signature belongs to.
    loaded.sort(key=lambda item: (item[1].signed_revision if item[1] is not None else 1 << 30))
    # One pass over the file for every signature's digest (pyHanko reads the file once
    # per signature); pyHanko finds them in its cache and checks them as before.
    range_digests.prefill(data, [emb for _, emb, _ in loaded if emb is not None])
    structure = _structure_findings(reader, data, [fld for fld, _, _ in loaded], tail)
    checker = VisualChecker(data, reader, password, deadline) if policy.visual_check else None
    reports: list[SignatureReport] = []
    try:
        for index, (fld, emb, error) in enumerate(loaded, start=1):
            deadline.check()
            if emb is None:
                sub_filter = _sub_filter(fld)
                assert error is not None
                reports.append(unreadable_report(index, fld, error, view, sub_filter,
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
                reports.append(unreadable_report(
                    index, fld, findings.from_exception(exc, "SIGNATURE_UNREADABLE"), view,
                    _sub_filter(fld)))
    finally:
        if setup.session is not None:
            await setup.session.close()
    reports = [_with_other_fields(report, also_in.get(report.field or "")) for report in reports]
    reports.extend(_signatures_outside_the_form(reader, data, fields, len(reports)))
    return tuple(reports)


def _one_field_per_value(fields: list[Any]) -> tuple[list[Any], dict[str, list[str]]]:
    """One entry per signature: a signature dictionary referenced from several fields
    (or written twice, vnsign.pdf.recovery.signature_key) is one signature, as a reader
    sees it. Returns the fields kept and, by kept field name, the names of the others."""
    kept: list[Any] = []
    first: dict[Any, Any] = {}
    others: dict[str, list[str]] = {}
    for fld in fields:
        value = attempt(partial(_value_of, fld))
        if value is not None and value in first:
            others.setdefault(first[value].name, []).append(fld.name)
            continue
        if value is not None:
            first[value] = fld
        kept.append(fld)
    return kept, others


def _value_of(fld: Any) -> Any | None:
    from vnsign.pdf.recovery import signature_key

    return signature_key(fld.value_ref.get_object())


def _with_other_fields(report: SignatureReport, others: list[str] | None) -> SignatureReport:
    if not others:
        return report
    from dataclasses import replace

    names = ", ".join([report.field or "?", *others])
    return replace(report, findings=(*report.findings,
                                     findings.make("SIGNATURE_IN_SEVERAL_FIELDS",
                                                   fields=names)))


def _signatures_outside_the_form(reader: Any, data: bytes, fields: list[Any], before: int
                                 ) -> list[SignatureReport]:
    """Signature values in the file that no field of the current form refers to.

    A signature whose field a later revision removed, replaced or hid is still a
    signature of this file: it is reported (FAILED: what a reader sees no longer shows
    it), verified over its byte range. Usage-rights and permission signatures
    (/Perms, e.g. Adobe's /UR3) are not signatures of the document and are left out.
    """
    from vnsign.pdf.recovery import scan_signatures, signature_key
    from vnsign.validation.signature import orphan_report

    known = {attempt(partial(_value_of, fld)) for fld in fields}
    perms = attempt(lambda: reader.root["/Perms"])
    if perms is not None:
        for key in list(perms.keys()):
            known.add(attempt(partial(signature_key, attempt(partial(perms.__getitem__, key)))))
    skip = frozenset(value for value in known if value is not None)
    scanned = scan_signatures(data, skip=skip)
    return [orphan_report(before + i, item) for i, item in enumerate(scanned, start=1)]


def _structure_findings(reader: Any, data: bytes, fields: list[Any], tail: int = 0
                        ) -> list[tuple[Finding, ...]]:
    """vnsign's own /ByteRange and /Contents checks, per signature in signing order.

    ``tail``: bytes of a damaged file after the intact prefix in ``data`` (the bytes
    after the last revision that no revision owns, as far as any reader can tell).
    """
    from vnsign.pdf.byterange import (
        RangeFacts,
        check_structure,
        collisions,
        revision_ends,
        trailing_data,
    )

    total = attempt(lambda: int(reader.xrefs.total_revisions)) or 0
    startxrefs = []
    for revision in range(total):
        offset = attempt(partial(_startxref, reader, revision))
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
    after = trailing_data(data, ends) if not tail else \
        findings.make("DATA_AFTER_LAST_REVISION", size=tail)
    if after is not None:
        for items in result:
            items.append(after)
    return [tuple(items) for items in result]


def _sub_filter(fld: Any) -> str | None:
    from vnsign.pdf.fields import sub_filter_of

    return attempt(lambda: sub_filter_of(fld.value_ref.get_object()))


def _startxref(reader: Any, revision: int) -> int:
    return int(reader.xrefs.get_startxref_for_revision(revision))
