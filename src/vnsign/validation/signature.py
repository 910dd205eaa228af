"""Assemble one SignatureReport from a signature field, pyHanko's outcome and the verdict."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils import generic
from pyhanko.sign.general import SignedDataCerts
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from vnsign import findings
from vnsign.attempt import attempt
from vnsign.models import (
    Chain,
    Coverage,
    Declared,
    Finding,
    Indication,
    Integrity,
    Modification,
    RevocationStatus,
    SignatureKind,
    SignatureReport,
    Signer,
    SignerKind,
    SigningTimes,
    SubIndication,
    TimestampStatus,
)
from vnsign.pdf.fields import (
    SignatureField,
    appearance_ref,
    declared_values,
    revision_covering,
    sub_filter_of,
    unchanged_since,
)
from vnsign.pdf.pages import PdfView
from vnsign.pdf.recovery import ScannedSignature
from vnsign.pdf.visual import VisualChecker
from vnsign.policy import Policy
from vnsign.timefmt import iso_vn
from vnsign.validation.algorithms import (
    PROFILE_LABEL,
    Profile,
    token_weak_uses,
    weak_algorithm_uses,
)
from vnsign.validation.chain import chain_report
from vnsign.validation.cms_reading import WEAK_DIGESTS, describe_cms
from vnsign.validation.engine import (
    PKCS7_SHA1,
    EngineOutcome,
    TokenProblem,
    embedded_certificates,
    signature_timestamp,
)
from vnsign.validation.legacy import FirstSignerSignature, X509RsaSha1Signature
from vnsign.validation.pades_level import pades_level
from vnsign.validation.spec import SIGNER_KEY_USAGE
from vnsign.validation.times import signing_times
from vnsign.validation.verdict import VerdictInput, decide
from vnsign.vn.certificate import signer_from_certificate
from vnsign.vn.signer_kind import classify_signer

log = logging.getLogger(__name__)

_COVERAGE = {
    "ENTIRE_FILE": Coverage.ENTIRE_FILE,
    "ENTIRE_REVISION": Coverage.ENTIRE_REVISION,
    "CONTIGUOUS_BLOCK_FROM_START": Coverage.ANOMALOUS,
    "UNCLEAR": Coverage.ANOMALOUS,
}
_MODIFICATION = {
    "NONE": Modification.NONE,
    "LTA_UPDATES": Modification.LTV_UPDATES,
    "FORM_FILLING": Modification.FORM_FILLING,
    "ANNOTATIONS": Modification.ANNOTATIONS,
    "OTHER": Modification.OTHER,
}


def signature_kind(emb: EmbeddedPdfSignature) -> SignatureKind:
    if emb.sig_object_type == "/DocTimeStamp":
        return SignatureKind.DOC_TIMESTAMP
    refs = emb.sig_object.get("/Reference")
    if isinstance(refs, generic.ArrayObject):
        for ref in refs:
            if ref.get_object().get("/TransformMethod") == "/DocMDP":
                return SignatureKind.CERTIFICATION
    return SignatureKind.SIGNATURE


def unreadable_report(index: int, fld: SignatureField, problem: Finding,
                      view: PdfView | None, sub_filter: str | None,
                      structure: tuple[Finding, ...] = ()) -> SignatureReport:
    """A signature pyHanko could not even load (broken /Contents, unsupported SubFilter),
    or whose report could not be put together; ``problem`` says why
    (SIGNATURE_UNREADABLE, or INTERNAL_ERROR for a bug in vnsign).

    INDETERMINATE/FORMAT_FAILURE, unless vnsign's structural checks found a definite
    violation (no /Contents, no or a malformed /ByteRange...): then FAILED.
    """
    found = [problem, *structure]
    cms = _raw_cms(fld)
    if cms is not None and cms.problem is not None:
        found.append(findings.make("CMS_MALFORMED", detail=cms.problem))
    indication = Indication.FAILED if structure else Indication.INDETERMINATE
    # A bug in vnsign says nothing about the file's format.
    sub = (SubIndication.GENERIC if problem.code == "INTERNAL_ERROR" and not structure
           else SubIndication.FORMAT_FAILURE)
    return SignatureReport(
        index=index, kind=SignatureKind.SIGNATURE, field=fld.name, revision=None,
        page=_page(view, fld), rect=fld.rect, sub_filter=sub_filter, digest_algorithm=None,
        signature_algorithm=None, signer=None,
        time=SigningTimes(None, None, None, None),
        integrity=Integrity(None, None, Coverage.UNKNOWN, Modification.UNKNOWN, None, None),
        chain=None, declared=Declared(None, None, None, None), stamp_text=None,
        indication=indication, sub_indication=sub, findings=tuple(found),
    )


def damaged_report(index: int, scanned: ScannedSignature, damage: str) -> SignatureReport:
    """A signature found by scanning a file pyHanko cannot read (vnsign.pdf.recovery).

    Always FAILED/FORMAT_FAILURE: its digest and signature value are checked over its
    byte range and reported, but without a readable file structure nothing says what
    the signature covers or what was changed after it.
    """
    return _scanned_report(index, scanned,
                           findings.make("FILE_STRUCTURE_DAMAGED", detail=damage))


def orphan_report(index: int, scanned: ScannedSignature) -> SignatureReport:
    """A signature value in a readable file that no field of its form refers to.

    FAILED/FORMAT_FAILURE: its field was removed, replaced or hidden after signing
    (or it never had one), so what a reader sees does not show it.
    """
    return _scanned_report(index, scanned, findings.make("SIGNATURE_NOT_IN_FORM"))


def _scanned_report(index: int, scanned: ScannedSignature, reason: Finding
                    ) -> SignatureReport:
    found = [reason]
    if scanned.problem is not None:
        found.append(findings.make("SIGNATURE_UNREADABLE", detail=scanned.problem))
    if scanned.digest_matches is False:
        found.append(findings.make("HASH_MISMATCH"))
    elif scanned.signature_valid is False:
        found.append(findings.make("SIGNATURE_CRYPTO_INVALID"))
    kind = SignatureKind.DOC_TIMESTAMP if scanned.sub_filter == "ETSI.RFC3161" \
        else SignatureKind.SIGNATURE
    return SignatureReport(
        index=index, kind=kind, field=None, revision=None, page=None, rect=None,
        sub_filter=scanned.sub_filter, digest_algorithm=scanned.digest_algorithm,
        signature_algorithm=None, signer=_signer(scanned.signer_cert, kind),
        time=SigningTimes(None, None, None, None),
        integrity=Integrity(scanned.digest_matches, scanned.signature_valid,
                            Coverage.UNKNOWN, Modification.UNKNOWN, None, scanned.byte_range),
        chain=None, declared=Declared(None, None, None, None), stamp_text=None,
        indication=Indication.FAILED, sub_indication=SubIndication.FORMAT_FAILURE,
        findings=tuple(found),
    )


def _raw_cms(fld: SignatureField) -> Any | None:
    try:
        contents = fld.value_ref.get_object().raw_get(
            "/Contents", decrypt=generic.EncryptedObjAccess.RAW)
    except Exception:
        return None
    if not isinstance(contents, (generic.ByteStringObject, generic.TextStringObject)):
        return None
    return describe_cms(bytes(contents.original_bytes))


def _page(view: PdfView | None, fld: SignatureField) -> int | None:
    ref = fld.widget_ref
    if view is None or not isinstance(ref, generic.IndirectObject):
        return None
    return view.page_of_annotation(ref.idnum, ref.generation)


def build_report(index: int, fld: SignatureField, emb: EmbeddedPdfSignature,
                 outcome: EngineOutcome, view: PdfView | None, policy: Policy,
                 validation_time: datetime, roots: frozenset[bytes], *,
                 structure: tuple[Finding, ...] = (),
                 visual_checker: VisualChecker | None = None) -> SignatureReport:
    """``structure``: vnsign's own /ByteRange findings for this signature
    (vnsign.pdf.byterange); ``visual_checker``: set when the policy asks for the
    visual check."""
    kind = signature_kind(emb)
    status = outcome.status
    certs = embedded_certificates(emb)
    signer_cert = _signer_cert(status, certs)
    covered = revision_covering(emb.reader, emb.byte_range)
    signed_vals, current_vals = declared_values(emb.reader, fld.value_ref, covered)
    extra: list[Finding] = []
    for key, label in (("/Reason", "/Reason"), ("/Location", "/Location"), ("/Name", "/Name"),
                       ("/ContactInfo", "/ContactInfo"), ("/M", "/M")):
        if signed_vals.get(key) != current_vals.get(key):
            extra.append(findings.make("DECLARED_VALUES_CHANGED", field=label))

    times = signing_times(emb, kind, status, outcome, signed_vals.get("/M"),
                          validation_time)
    integrity = _integrity(emb, status, outcome)
    chain = chain_report(status, outcome, policy)
    revoked_at = getattr(getattr(status, "revocation_details", None), "revocation_date", None)

    visual = None
    if visual_checker is not None and covered is not None and not structure and \
            _visual_check_applies(integrity):
        assert integrity.byte_range is not None
        visual = visual_checker.compare(integrity.byte_range[2] + integrity.byte_range[3],
                                        covered)

    subindic = outcome.subindic
    verdict = decide(VerdictInput(
        ades_status=subindic.status.name if subindic is not None else None,
        ades_subindic=subindic.name if subindic is not None else None,
        failure_msg=outcome.failure_msg,
        engine_error=outcome.engine_error,
        coverage=integrity.coverage,
        modification=integrity.modifications_after,
        modifications_allowed=integrity.modifications_allowed,
        integrity_error=outcome.integrity_error,
        integrity_malformed=outcome.integrity_malformed,
        proven_time=_parse_iso(times.best_proven),
        revoked_at=revoked_at,
        cert_not_after=signer_cert.not_valid_after if signer_cert else None,
        cert_not_before=signer_cert.not_valid_before if signer_cert else None,
        self_signed_untrusted=_self_signed_untrusted(signer_cert, roots),
        key_usage_ok=_key_usage_ok(signer_cert, kind),
        structure=structure,
        weak_digest=_weak_digest(emb),
        weak_accepted=outcome.profile == Profile.VN_GOV,
        visual=visual,
    ))
    if isinstance(emb, X509RsaSha1Signature):
        extra.append(findings.make("LEGACY_SUBFILTER", sub_filter="adbe.x509.rsa_sha1"))
    elif isinstance(emb, FirstSignerSignature):  # tolerated, said instead of CMS_MALFORMED
        extra.append(findings.make("CMS_SEVERAL_SIGNERS", count=emb.signer_count))
    elif verdict.indication != Indication.PASSED:
        cms = attempt(lambda: describe_cms(emb.pkcs7_content))
        if cms is not None and cms.problem is not None:
            extra.insert(0, findings.make("CMS_MALFORMED", detail=cms.problem))

    if integrity.coverage == Coverage.ENTIRE_REVISION and _metadata_changed(emb.reader, covered):
        extra.append(findings.make("METADATA_CHANGED_AFTER_SIGNING"))
    if verdict.indication != Indication.FAILED or integrity.modifications_allowed:
        extra.extend(_change_notes(emb))

    stamp = None
    if fld.widget_ref is not None and view is not None:
        ap = appearance_ref(fld.widget_ref)
        if ap is not None:
            if unchanged_since(emb.reader, [fld.widget_ref, ap], covered):
                stamp = view.stamp_text(fld.widget_ref.idnum, fld.widget_ref.generation)
            else:
                extra.append(findings.make("STAMP_CHANGED_AFTER_SIGNING"))

    extra[:0] = _evidence_findings(emb, outcome, times, verdict.indication, validation_time,
                                   revoked_at, signer_cert, policy)
    info = _context_findings(times, chain, certs, kind, verdict.indication)
    return SignatureReport(
        index=index, kind=kind, field=fld.name, revision=covered,
        page=_page(view, fld), rect=fld.rect,
        sub_filter=sub_filter_of(emb.sig_object),
        digest_algorithm=attempt(lambda: emb.md_algorithm),
        signature_algorithm=attempt(
            lambda: emb.signer_info["signature_algorithm"]["algorithm"].native),
        signer=_signer(signer_cert, kind),
        time=times, integrity=integrity, chain=chain,
        declared=Declared(signed_vals.get("/Reason"), signed_vals.get("/Location"),
                          signed_vals.get("/Name"), signed_vals.get("/ContactInfo")),
        stamp_text=stamp,
        indication=verdict.indication, sub_indication=verdict.sub_indication,
        findings=verdict.findings + tuple(extra) + tuple(info),
        pades_level=pades_level(emb),
    )


# Every writer touches these when it appends a revision (a further signature too).
_ROUTINE_INFO_KEYS = frozenset({"/ModDate", "/Producer"})


def _metadata_changed(reader: Any, revision: int | None) -> bool:
    """The Info dictionary says something else than when ``revision`` was signed.

    Only the descriptive entries count (title, author, subject, keywords, creator...):
    /ModDate and /Producer change with every incremental save. XMP is left out for the
    same reason: Acrobat rewrites its dates whenever it signs.
    """
    if revision is None:
        return False
    try:
        ref = reader.trailer.raw_get("/Info")
    except (KeyError, AttributeError):
        return False
    if not isinstance(ref, generic.IndirectObject) or unchanged_since(reader, [ref], revision):
        return False
    try:
        old = reader.get_historical_resolver(revision)(ref.reference)
    except Exception:
        return True  # an Info dictionary that did not exist when signed
    new = ref.get_object()
    if not isinstance(old, generic.DictionaryObject) or \
            not isinstance(new, generic.DictionaryObject):
        return True
    keys = (set(old.keys()) | set(new.keys())) - _ROUTINE_INFO_KEYS
    return any(attempt(partial(_text_of, old, key)) != attempt(partial(_text_of, new, key))
               for key in keys)


def _text_of(dictionary: Any, key: str) -> str:
    return str(dictionary.get(key))


def _visual_check_applies(integrity: Integrity) -> bool:
    """Where pyHanko *allowed* later changes, or could not classify them (then the
    pictures decide, verdict rule 4): unmodified files have nothing to compare, and
    disallowed changes already fail."""
    allowed = integrity.modifications_allowed is True and \
        integrity.modifications_after in (Modification.LTV_UPDATES,
                                          Modification.FORM_FILLING,
                                          Modification.ANNOTATIONS)
    unknown = integrity.modifications_allowed is None and \
        integrity.modifications_after == Modification.UNKNOWN
    return integrity.coverage == Coverage.ENTIRE_REVISION and \
        integrity.digest_matches is True and (allowed or unknown) and \
        integrity.byte_range is not None and len(integrity.byte_range) == 4


def _weak_digest(emb: EmbeddedPdfSignature) -> str | None:
    if _is_pkcs7_sha1(emb):
        return "sha1"  # the SubFilter's content digest, whatever the CMS's own digest
    digest = attempt(lambda: str(emb.md_algorithm).lower())
    if digest in WEAK_DIGESTS:
        return str(digest)
    algo = attempt(lambda: str(emb.signer_info["signature_algorithm"]["algorithm"].native))
    for weak in sorted(WEAK_DIGESTS):
        if isinstance(algo, str) and algo.startswith(weak + "_"):
            return weak
    return None


def _is_pkcs7_sha1(emb: EmbeddedPdfSignature) -> bool:
    return attempt(lambda: str(emb.sig_object.get("/SubFilter"))) == PKCS7_SHA1


def _signer(cert: x509.Certificate | None, kind: SignatureKind) -> Signer | None:
    if cert is None:
        return None
    signer: Signer | None = attempt(lambda: signer_from_certificate(cert))
    if signer is None:  # a certificate whose subject does not even decode
        return None
    role = SignerKind.TSA if kind == SignatureKind.DOC_TIMESTAMP else classify_signer(signer)
    return replace(signer, kind=role)


def _key_usage_ok(cert: x509.Certificate | None, kind: SignatureKind) -> bool | None:
    if cert is None or kind == SignatureKind.DOC_TIMESTAMP:
        return None
    try:
        SIGNER_KEY_USAGE.validate(cert)
    except Exception:
        return False
    return True


def _self_signed_untrusted(cert: x509.Certificate | None, roots: frozenset[bytes]) -> bool:
    if cert is None or cert.subject != cert.issuer:
        return False
    return cert.dump() not in roots



def _signer_cert(status: Any, certs: SignedDataCerts | None) -> x509.Certificate | None:
    cert = getattr(status, "signing_cert", None)
    if cert is not None:
        return cert
    return certs.signer_cert if certs is not None else None


def _parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _integrity(emb: EmbeddedPdfSignature, status: Any, outcome: EngineOutcome) -> Integrity:
    coverage = _COVERAGE.get(getattr(emb.coverage, "name", ""), Coverage.UNKNOWN)
    diff = emb.diff_result
    if diff is None:
        modification = Modification.UNKNOWN
    elif hasattr(diff, "modification_level"):
        modification = _MODIFICATION.get(diff.modification_level.name, Modification.OTHER)
    else:  # SuspiciousModification
        modification = Modification.OTHER
    allowed = None
    if diff is not None or coverage == Coverage.ENTIRE_FILE:
        allowed = attempt(lambda: emb.summarise_integrity_info()["docmdp_ok"])
    digest_ok = getattr(status, "intact", None)
    valid = getattr(status, "valid", None)
    if status is None and outcome.subindic is not None and outcome.subindic.name == "HASH_FAILURE":
        digest_ok = False
    byte_range = attempt(lambda: tuple(int(v) for v in emb.byte_range))
    return Integrity(digest_matches=digest_ok, signature_valid=valid, coverage=coverage,
                     modifications_after=modification, modifications_allowed=allowed,
                     byte_range=byte_range)


def _change_notes(emb: EmbeddedPdfSignature) -> list[Finding]:
    """What vnsign's modification rules cleared for this signature (one finding each)."""
    details: dict[str, list[str]] = {}
    for item in getattr(emb.diff_result, "notes", ()):
        found = details.setdefault(item.code, [])
        if item.detail and item.detail not in found:
            found.append(item.detail)
    return [findings.make(code, detail=", ".join(found)) for code, found in details.items()]


def _evidence_findings(emb: EmbeddedPdfSignature, outcome: EngineOutcome,
                       times: SigningTimes, indication: Indication,
                       validation_time: datetime, revoked_at: datetime | None,
                       cert: x509.Certificate | None, policy: Policy) -> list[Finding]:
    """What the verdict rests on: a re-read CMS, SHA-1 accepted under the Vietnamese
    government profile (where), why a timestamp proved nothing, past validation."""
    result = [findings.make("CMS_NON_CONFORMING",
                            detail=f"{r.element} re-encoded, read as {r.read_as}")
              for r in outcome.cms_repairs]
    uses: list[str] = []
    if _is_pkcs7_sha1(emb):
        result.append(findings.make("LEGACY_SUBFILTER", sub_filter="adbe.pkcs7.sha1"))
    if outcome.profile == Profile.VN_GOV:
        if _is_pkcs7_sha1(emb):
            uses.append("SHA-1 content digest (adbe.pkcs7.sha1)")
        uses += weak_algorithm_uses(emb.signer_info,
                                    getattr(outcome.status, "validation_path", None))
    token = outcome.token
    if token is not None and token.profile == Profile.VN_GOV and token.weak_refused:
        token_uses = token_weak_uses(signature_timestamp(emb),
                                     getattr(token.status, "validation_path", None))
        uses += [f"timestamp token: {use}" for use in token_uses]
    if uses:
        result.append(findings.make("WEAK_ALGORITHM_ACCEPTED", policy=PROFILE_LABEL,
                                    detail="; ".join(uses)))
    if token is not None and not token.proves_time:
        detail = token.detail or "?"
        tsa = times.timestamp.tsa if times.timestamp is not None else None
        if token.problem == TokenProblem.TSA_UNTRUSTED:
            result.append(findings.make("TIMESTAMP_TSA_UNTRUSTED", tsa=tsa or "?",
                                        detail=detail))
        elif token.problem == TokenProblem.INVALID:
            result.append(findings.make("TIMESTAMP_INVALID", detail=detail))
        if token.problem == TokenProblem.WEAK_ALGORITHM or token.weak_refused:
            weak = token_weak_uses(signature_timestamp(emb), None)
            result.append(findings.make("TIMESTAMP_WEAK_ALGORITHM", policy=policy.algorithms,
                                        detail="; ".join(weak) or detail))
        if times.best_proven is None:
            result.append(findings.make("VALIDATED_AT_CURRENT_TIME",
                                        time=iso_vn(validation_time) or "?"))
    if indication == Indication.PASSED and times.best_proven is not None:
        if cert is not None and cert.not_valid_after < validation_time:
            result.append(findings.make("CERT_EXPIRED_SINCE_SIGNING",
                                        date=iso_vn(cert.not_valid_after) or "?",
                                        time=times.best_proven))
        if revoked_at is not None:
            result.append(findings.make("CERT_REVOKED_SINCE_SIGNING",
                                        date=iso_vn(revoked_at) or "?", time=times.best_proven))
    return result


def _context_findings(times: SigningTimes, chain: Chain | None, certs: SignedDataCerts | None,
                      kind: SignatureKind, indication: Indication) -> list[Finding]:
    result: list[Finding] = []
    if kind != SignatureKind.DOC_TIMESTAMP:
        if times.timestamp is None:
            result.append(findings.make("NO_TIMESTAMP"))
        elif times.timestamp.status == TimestampStatus.NOT_CHECKED:
            result.append(findings.make("TIMESTAMP_NOT_CHECKED"))
        elif times.timestamp.status == TimestampStatus.VALID:
            result.append(findings.make("TIMESTAMP_VALID", time=times.timestamp.time,
                                        tsa=times.timestamp.tsa or "?"))
        # otherwise the reason was given with the evidence (_evidence_findings)
    if chain is not None and chain.trusted and chain.path:
        result.append(findings.make("CHAIN_TRUSTED", root=chain.path[-1].common_name or "?"))
        if certs is not None and not certs.other_certs and len(chain.path) > 1:
            result.append(findings.make("ONLY_SIGNER_CERT_EMBEDDED"))
    if chain is not None and indication == Indication.PASSED:
        status = chain.revocation.status
        if status == RevocationStatus.NOT_CHECKED:
            result.append(findings.make("REVOCATION_NOT_CHECKED"))
        elif status == RevocationStatus.UNKNOWN:
            result.append(findings.make("REVOCATION_UNKNOWN"))
    return result
