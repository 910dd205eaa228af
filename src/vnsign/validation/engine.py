"""Run pyHanko's AdES validation for one embedded signature and keep the raw facts.

Which pyHanko entry point runs is decided here, once:

* a signature with an RFC 3161 signature timestamp goes through
  ``ades_with_time_validation`` (ETSI EN 319 102-1 §5.5: the timestamp is validated
  and becomes the proof of existence that settles expiry and revocation questions);
  when that leaves a time-related INDETERMINATE and the document carries long-term
  evidence (document timestamps or a DSS), ``ades_lta_validation`` (§5.6) gets a
  chance to resolve it with that evidence. LTA is not run first because pyHanko's
  past-certificate validation demands revocation data with its own proof of
  existence, which a plain timestamped VGCA signature never has;
* a signature without one goes through ``ades_basic_validation`` (§5.3, at the
  validation time; the integrity facts come from the EmbeddedPdfSignature itself,
  since that entry point only builds a plain CMS status). pyHanko's "validation
  with time" treats a missing timestamp as SIG_CONSTRAINTS_FAILURE, which would
  make every plain VGCA signature INDETERMINATE; without time evidence, the basic
  process *is* the right ETSI process;
* a document timestamp goes through ``ades_timestamp_validation``.

The difference analysis always runs first (``compute_integrity_info``): a verdict
without it would have to say "unknown", never "unmodified".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pyhanko.sign.general import SignedDataCerts
from pyhanko.sign.validation import ades, generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus

from vnsign.validation.spec import ValidationSetup

log = logging.getLogger(__name__)


@dataclass
class EngineOutcome:
    """What pyHanko said about one signature, before vnsign's own rules apply."""

    subindic: Any | None = None  # pyhanko.sign.ades.report.AdESSubIndic
    status: Any | None = None  # PdfSignatureStatus / TimestampSignatureStatus
    failure_msg: str | None = None
    best_signature_time: datetime | None = None
    integrity_error: str | None = None
    engine_error: str | None = None
    validation_objects: list[Any] = field(default_factory=list)
    embedded_revinfo: set[bytes] = field(default_factory=set)


def signature_timestamp(emb: EmbeddedPdfSignature) -> Any | None:
    """The first RFC 3161 token in the signer's unsigned attributes, if any."""
    try:
        return next(generic_cms.extract_tst_data_iter(emb.signer_info, signed=False), None)
    except Exception as exc:
        log.debug("unreadable signature timestamp: %s", exc)
        return None


async def run_engine(emb: EmbeddedPdfSignature, is_doc_timestamp: bool,
                     setup: ValidationSetup) -> EngineOutcome:
    outcome = EngineOutcome()
    try:
        emb.compute_integrity_info(diff_policy=setup.pdf_spec.diff_policy)
    except Exception as exc:  # the diff engine on hostile structures
        outcome.integrity_error = f"{type(exc).__name__}: {exc}"
        # Keep going without the diff: coverage and the hash still matter, and the
        # verdict logic turns "modifications unknown" into a non-PASSED result.
        try:
            emb.compute_integrity_info(diff_policy=setup.pdf_spec.diff_policy, skip_diff=True)
        except Exception as exc2:
            outcome.engine_error = f"{type(exc2).__name__}: {exc2}"
            return outcome
    spec = setup.pdf_spec.signature_validation_spec
    try:
        if is_doc_timestamp:
            result = await ades.ades_timestamp_validation(
                emb.signed_data, spec, expected_tst_imprint=emb.compute_digest,
                timing_info=setup.timing,
            )
            outcome.best_signature_time = None
        elif signature_timestamp(emb) is not None:
            result = await ades.ades_with_time_validation(
                emb.signed_data, spec, timing_info=setup.timing,
                raw_digest=emb.compute_digest(),
                extra_status_kwargs=emb.summarise_integrity_info(),
                status_cls=PdfSignatureStatus,
            )
            if _name(result.ades_subindic) in _LTA_CAN_RESOLVE and _has_ltv_evidence(emb):
                lta = await ades.ades_lta_validation(emb, setup.pdf_spec,
                                                     timing_info=setup.timing)
                if _name(lta.ades_subindic) == "OK":
                    result = lta
            outcome.best_signature_time = result.best_signature_time
        else:
            result = await ades.ades_basic_validation(
                emb.signed_data, spec, timing_info=setup.timing,
                raw_digest=emb.compute_digest(),
            )
    except Exception as exc:
        log.debug("pyHanko validation error", exc_info=True)
        outcome.engine_error = f"{type(exc).__name__}: {exc}"
        return outcome
    outcome.subindic = result.ades_subindic
    outcome.status = result.api_status
    outcome.failure_msg = result.failure_msg
    outcome.validation_objects = list(result.validation_objects)
    outcome.embedded_revinfo = _embedded_revinfo_digests(emb)
    return outcome


def _name(subindic: Any) -> str:
    return str(getattr(subindic, "name", ""))


# Time-related INDETERMINATE results that long-term evidence may settle.
_LTA_CAN_RESOLVE = frozenset({
    "REVOKED_NO_POE", "REVOKED_CA_NO_POE", "OUT_OF_BOUNDS_NO_POE",
    "OUT_OF_BOUNDS_NOT_REVOKED", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE", "TRY_LATER",
})


def _has_ltv_evidence(emb: EmbeddedPdfSignature) -> bool:
    """A DSS or a document timestamp after the signature (PAdES B-LT / B-LTA)."""
    try:
        if "/DSS" in emb.reader.root:
            return True
        return any(s.sig_object_type == "/DocTimeStamp" and s.signed_revision >
                   emb.signed_revision for s in emb.reader.embedded_signatures)
    except Exception:
        return False


def _embedded_revinfo_digests(emb: EmbeddedPdfSignature) -> set[bytes]:
    """Digests of the CRLs/OCSP responses the document itself carries (DSS, CMS attr)."""
    digests: set[bytes] = set()
    try:
        knowledge = [ades._dss_to_local_knowledge(reader=emb.reader),
                     ades._adobe_revinfo_archival_to_local_knowledge(emb)]
    except Exception:
        return digests
    for item in knowledge:
        digests.update(o.ocsp_response_data.dump() for o in item.known_ocsps)
        digests.update(c.crl_data.dump() for c in item.known_crls)
    return digests


def embedded_certificates(emb: EmbeddedPdfSignature) -> SignedDataCerts | None:
    try:
        return emb._init_cert_info()
    except Exception:
        return None
