"""Run pyHanko's AdES validation for one embedded signature and keep the raw facts.

Which pyHanko entry point runs is decided here, once:

* a signature's RFC 3161 token is **evidence, not a gate**. It is validated on its own
  first (``ades_timestamp_validation``, ETSI EN 319 102-1 §5.4), so that the report can
  tell "TSA untrusted" from "token invalid" from "weak algorithm" from "time proven"
  (``TokenCheck``). pyHanko's validation with time would otherwise report a failed token
  as the signature's own sub-indication — a VGCA G2 seal with a token from the G1
  timestamp server came out as NO_CERTIFICATE_CHAIN_FOUND although its signer is
  trusted. A signer that reaches no trust anchor gets no such validation (nothing it
  proved could be used), but its token's integrity is checked without trust
  (``token_integrity``): a token copied from another signature is invalid;
* with a valid token, the signature goes through ``ades_with_time_validation`` (§5.5:
  the token's time becomes the proof of existence that settles expiry and revocation:
  a certificate that expired since, or was revoked after that time, is judged at it);
* without one (absent, or it failed), ``ades_basic_validation`` (§5.3) at the validation
  time — the current time unless the policy says otherwise. The report says the time
  was not proven and why;
* when either leaves a time-related INDETERMINATE and the document carries long-term
  evidence (document timestamps or a DSS), ``ades_lta_validation`` (§5.6) gets a chance
  to resolve it with that evidence. LTA is not run first because pyHanko's
  past-certificate validation demands revocation data with its own proof of existence,
  which a plain timestamped VGCA signature never has;
* a document timestamp goes through ``ades_timestamp_validation``.

Each of these runs under the STRICT algorithm profile first, and again under the
Vietnamese government profile when STRICT refused an algorithm (``_under_profiles``;
see ``vnsign.validation.algorithms``). The profile that decided is kept in the outcome.

The difference analysis always runs first (``compute_integrity_info``): a verdict
without it would have to say "unknown", never "unmodified".
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from pyhanko.pdf_utils import misc
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.general import (
    CMSExtractionError,
    SignedDataCerts,
    extract_certificate_info,
    extract_signer_info,
)
from pyhanko.sign.validation import ades, generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from vnsign.validation.algorithms import (
    Profile,
    imprint_algorithm,
    refused_digests,
    token_weak_uses,
)
from vnsign.validation.cms_repair import CmsRepair, repair_signer_info
from vnsign.validation.spec import ValidationSetup

log = logging.getLogger(__name__)

# The SubFilter whose CMS encapsulates the SHA-1 digest of the byte ranges (ISO 32000-1
# §12.8.3.3.1); pyHanko reads only detached CMS, so vnsign checks that digest itself.
PKCS7_SHA1 = "/adbe.pkcs7.sha1"


class TokenProblem(enum.StrEnum):
    """Why a signature timestamp did not prove the signing time."""

    TSA_UNTRUSTED = "TSA_UNTRUSTED"  # the TSA's chain reaches no trusted root (or is bad)
    INVALID = "INVALID"  # the token itself: imprint mismatch, bad signature, malformed
    WEAK_ALGORITHM = "WEAK_ALGORITHM"  # an algorithm the policy refuses


@dataclass(frozen=True)
class TokenCheck:
    """The signature timestamp, validated on its own (ETSI EN 319 102-1 §5.4)."""

    subindic: Any | None  # AdESSubIndic of the decisive run, None on an exception
    status: Any | None  # TimestampSignatureStatus
    profile: Profile | None  # the profile it validated under; None when it did not
    problem: TokenProblem | None
    detail: str | None = None
    weak_refused: bool = False  # the STRICT profile refused one of its algorithms

    @property
    def proves_time(self) -> bool:
        return self.problem is None and self.profile is not None


@dataclass
class EngineOutcome:
    """What pyHanko said about one signature, before vnsign's own rules apply."""

    subindic: Any | None = None  # pyhanko.sign.ades.report.AdESSubIndic
    status: Any | None = None  # PdfSignatureStatus / TimestampSignatureStatus
    failure_msg: str | None = None
    best_signature_time: datetime | None = None
    integrity_error: str | None = None
    # The difference analysis stopped on an object it could not parse: readers may
    # draw such a file differently, so identical pictures cannot clear it.
    integrity_malformed: bool = False
    engine_error: str | None = None
    validation_objects: list[Any] = field(default_factory=list)
    embedded_revinfo: set[bytes] = field(default_factory=set)
    # The algorithm profile under which the signer's result was reached.
    profile: Profile = Profile.STRICT
    token: TokenCheck | None = None  # None: no signature timestamp
    cms_repairs: tuple[CmsRepair, ...] = ()


def signature_timestamp(emb: EmbeddedPdfSignature) -> Any | None:
    """The first RFC 3161 token in the signer's unsigned attributes, if any."""
    try:
        return next(generic_cms.extract_tst_data_iter(emb.signer_info, signed=False), None)
    except Exception as exc:
        log.debug("unreadable signature timestamp: %s", exc)
        return None


def _name(subindic: Any) -> str:
    return str(getattr(subindic, "name", ""))


_WEAK = frozenset({"CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"})
_NO_CHAIN = frozenset({"NO_CERTIFICATE_CHAIN_FOUND", "CERTIFICATE_CHAIN_GENERAL_FAILURE"})
_TOKEN_INVALID = frozenset({"HASH_FAILURE", "SIG_CRYPTO_FAILURE", "FORMAT_FAILURE"})

Result = Any  # an AdES*ValidationResult


def _reaches_anchor(result: Result) -> bool:
    """A path to a trust anchor was found (whatever else went wrong)."""
    status = getattr(result, "api_status", None)
    return getattr(status, "validation_path", None) is not None and \
        _name(result.ades_subindic) not in _NO_CHAIN | _WEAK


@dataclass(frozen=True)
class ProfileRun:
    """The decisive result of ``_under_profiles`` and how it was reached."""

    result: Result
    profile: Profile
    weak_refused: bool  # STRICT refused an algorithm
    vn_gov_failure: Result | None = None  # VN_GOV's result when it found no VGCA path


def _refused(result: Result, profile: Profile) -> bool:
    return _name(result.ades_subindic) in _WEAK


async def _under_profiles(setup: ValidationSetup,
                          run: Callable[[Profile], Awaitable[Result]],
                          refused: Callable[[Result, Profile], bool] = _refused
                          ) -> ProfileRun:
    """``run`` under STRICT; again under VN_GOV when STRICT refused an algorithm.

    The VN_GOV result is taken only when it reached an anchor — necessarily a pinned
    VGCA root, the only ones its trust manager holds. Otherwise STRICT's refusal stands.
    ``refused`` says whether a result refused an algorithm (pyHanko's CRYPTO_CONSTRAINTS
    sub-indications, plus what pyHanko does not check itself: a token's imprint).
    """
    strict = await run(Profile.STRICT)
    if not refused(strict, Profile.STRICT):
        return ProfileRun(strict, Profile.STRICT, False)
    if not setup.vn_gov_available:
        return ProfileRun(strict, Profile.STRICT, True)
    vn = await run(Profile.VN_GOV)
    if _reaches_anchor(vn) and not refused(vn, Profile.VN_GOV):
        return ProfileRun(vn, Profile.VN_GOV, True)
    return ProfileRun(strict, Profile.STRICT, True, vn_gov_failure=vn)


async def check_token(emb: EmbeddedPdfSignature, setup: ValidationSetup) -> TokenCheck | None:
    """Validate the signature timestamp on its own; None when there is none."""
    token = signature_timestamp(emb)
    if token is None:
        return None
    imprint = generic_cms.message_imprint_checker(emb.signer_info)
    # pyHanko's algorithm policy never sees the message imprint's digest algorithm
    # (the VGCA timestamp server's is SHA-1): the profiles decide it here.
    imprint_algo = imprint_algorithm(token)

    def refused(result: Result, profile: Profile) -> bool:
        return _refused(result, profile) or \
            imprint_algo in refused_digests(profile)

    async def run(profile: Profile) -> Result:
        return await ades.ades_timestamp_validation(
            token, setup.spec_for(profile).signature_validation_spec,
            expected_tst_imprint=imprint, timing_info=setup.timing)

    try:
        done = await _under_profiles(setup, run, refused)
    except Exception as exc:  # a token too malformed for pyHanko's validator
        log.debug("timestamp validation error", exc_info=True)
        return TokenCheck(None, None, None, TokenProblem.INVALID,
                          detail=f"{type(exc).__name__}: {exc}")
    result = done.result
    name = _name(result.ades_subindic)
    if name == "OK" and not refused(result, done.profile):
        return TokenCheck(result.ades_subindic, result.api_status, done.profile, None,
                          weak_refused=done.weak_refused)
    if done.vn_gov_failure is not None:  # why the profile could not help: say that
        name = _name(done.vn_gov_failure.ades_subindic)
    if name in _TOKEN_INVALID:
        problem = TokenProblem.INVALID
    elif name in _WEAK or name == "OK":  # OK but a refused imprint algorithm
        problem = TokenProblem.WEAK_ALGORITHM
    else:  # no chain, or the TSA's certificate is expired, revoked, unusable
        problem = TokenProblem.TSA_UNTRUSTED
    return TokenCheck(result.ades_subindic, result.api_status, None, problem,
                      detail=result.failure_msg or name, weak_refused=done.weak_refused)


def token_integrity(emb: EmbeddedPdfSignature, token: Any) -> TokenCheck | None:
    """The signature timestamp's own integrity, without trust; None when it is intact.

    Where ``check_token`` does not run (the signer reaches no trust anchor) the token
    would otherwise go unchecked, yet two of its defects need no trust to see: a
    message imprint that is not the digest of *this* signature's value (a token copied
    from another signature, EU DSS's ``isMessageImprintDataIntact``) and a token whose
    own CMS signature does not verify with the certificate it names. Either makes the
    token invalid whoever trusts its TSA (``TokenProblem.INVALID``). Nothing here
    builds a chain or goes online: an intact token stays unchecked, as before, and so
    does one without its TSA's certificate once its imprint matches (RFC 3161 lets a
    TSA leave it out; only a chain could then judge the token).
    """
    try:
        defect = _token_defect(emb.signer_info, token)
    except Exception as exc:  # a token too malformed to check, as in check_token
        log.debug("timestamp integrity error", exc_info=True)
        # e.g. an RSA algorithm named over an EC key trips an assertion, with no message
        defect = f"{type(exc).__name__}: {exc}" if str(exc) else \
            f"its signature cannot be verified with its certificate ({type(exc).__name__})"
    if defect is None:
        return None
    return TokenCheck(None, None, None, TokenProblem.INVALID, detail=defect)


def _token_defect(signer_info: Any, token: Any) -> str | None:
    """Why the token does not belong to ``signer_info`` or does not verify; None if it does."""
    content = token["encap_content_info"]
    imprint = content["content"].parsed["message_imprint"]
    expected = generic_cms.message_imprint_checker(signer_info)(
        imprint["hash_algorithm"]["algorithm"].native)
    if imprint["hashed_message"].native != expected:
        return "message imprint does not match this signature's value"
    tsa_signer = extract_signer_info(token)
    try:
        tsa_cert = extract_certificate_info(token).signer_cert
    except CMSExtractionError:  # RFC 3161 §2.4.1: certReq false leaves the TSA's out
        return None
    digest = get_pyca_cryptography_hash(tsa_signer["digest_algorithm"]["algorithm"].native)
    md = hashes.Hash(digest)
    md.update(bytes(content["content"]))
    intact, valid = generic_cms.validate_sig_integrity(
        tsa_signer, tsa_cert, expected_content_type=content["content_type"].native,
        actual_digest=md.finalize())
    if not intact:
        return "the token's content does not match its own message digest"
    if not valid:
        return "the token's signature value does not verify"
    return None


async def run_engine(emb: EmbeddedPdfSignature, is_doc_timestamp: bool,
                     setup: ValidationSetup) -> EngineOutcome:
    outcome = EngineOutcome(cms_repairs=repair_signer_info(emb))
    try:
        emb.compute_integrity_info(diff_policy=setup.pdf_spec.diff_policy)
    except Exception as exc:  # the diff engine on hostile structures
        outcome.integrity_error = f"{type(exc).__name__}: {exc}"
        outcome.integrity_malformed = isinstance(exc, misc.PdfError)
        # Keep going without the diff: coverage and the hash still matter, and the
        # verdict logic turns "modifications unknown" into a non-PASSED result.
        try:
            emb.compute_integrity_info(diff_policy=setup.pdf_spec.diff_policy, skip_diff=True)
        except Exception as exc2:
            outcome.engine_error = f"{type(exc2).__name__}: {exc2}"
            return outcome
    try:
        if is_doc_timestamp:
            result = await _doc_timestamp(emb, setup, outcome)
        else:
            result = await _signature(emb, setup, outcome)
    except Exception as exc:
        log.debug("pyHanko validation error", exc_info=True)
        outcome.engine_error = f"{type(exc).__name__}: {exc}"
        return outcome
    if result is None:
        return outcome
    outcome.subindic = result.ades_subindic
    outcome.status = result.api_status
    outcome.failure_msg = result.failure_msg
    outcome.validation_objects = list(result.validation_objects)
    outcome.embedded_revinfo = _embedded_revinfo_digests(emb)
    return outcome


async def _doc_timestamp(emb: EmbeddedPdfSignature, setup: ValidationSetup,
                         outcome: EngineOutcome) -> Result | None:
    imprint_algo = imprint_algorithm(emb.signed_data)

    def refused(result: Result, profile: Profile) -> bool:
        return _refused(result, profile) or imprint_algo in refused_digests(profile)

    async def run(profile: Profile) -> Result:
        return await ades.ades_timestamp_validation(
            emb.signed_data, setup.spec_for(profile).signature_validation_spec,
            expected_tst_imprint=emb.compute_digest, timing_info=setup.timing)

    done = await _under_profiles(setup, run, refused)
    if done.weak_refused and done.profile == Profile.STRICT and \
            _name(done.result.ades_subindic) == "OK":
        # pyHanko accepted it, but its imprint uses an algorithm the policy refuses.
        outcome.subindic = AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE
        outcome.status = done.result.api_status
        outcome.failure_msg = f"message imprint {imprint_algo}"
        return None
    outcome.profile = done.profile
    return done.result


async def _signature(emb: EmbeddedPdfSignature, setup: ValidationSetup,
                     outcome: EngineOutcome) -> Result | None:
    raw_digest: bytes | None = emb.compute_digest()
    legacy_sha1 = _sub_filter(emb) == PKCS7_SHA1

    def refused(result: Result, profile: Profile) -> bool:
        # pyHanko's policy sees only the CMS's own digest, never adbe.pkcs7.sha1's
        # SHA-1 content digest: the profiles decide that one here.
        return _refused(result, profile) or (legacy_sha1 and "sha1" in refused_digests(profile))

    if legacy_sha1:
        # The CMS signs its encapsulated content, the SHA-1 digest of the byte ranges:
        # pyHanko checks the signature over that content (raw_digest None), vnsign that
        # the content is the digest of this document.
        raw_digest = None
        if _encapsulated(emb) != emb.compute_digest("sha1"):
            outcome.subindic = AdESFailure.HASH_FAILURE
            return None
    status_kwargs = emb.summarise_integrity_info()

    def with_time(tsa: Profile | None) -> Callable[[Profile], Awaitable[Result]]:
        async def run(profile: Profile) -> Result:
            return await ades.ades_with_time_validation(
                emb.signed_data, setup.spec_for(profile, tsa).signature_validation_spec,
                timing_info=setup.timing, raw_digest=raw_digest,
                extra_status_kwargs=status_kwargs, status_cls=PdfSignatureStatus)
        return run

    async def basic(profile: Profile) -> Result:
        return await ades.ades_basic_validation(
            emb.signed_data, setup.spec_for(profile).signature_validation_spec,
            timing_info=setup.timing, raw_digest=raw_digest)

    token = signature_timestamp(emb)
    if token is not None:
        # The common case first: signer and token both pass, in one validation.
        done = await _under_profiles(setup, with_time(None), refused)
        ts_status = getattr(done.result.api_status, "timestamp_validity", None)
        imprint = imprint_algorithm(token)
        if _name(done.result.ades_subindic) == "OK" and ts_status is not None and \
                imprint not in refused_digests(done.profile):
            path = getattr(ts_status, "validation_path", None)
            outcome.token = TokenCheck(
                done.result.ades_subindic, ts_status, done.profile, None,
                weak_refused=done.profile == Profile.VN_GOV and
                bool(token_weak_uses(token, path)))
            outcome.profile = done.profile
            outcome.best_signature_time = done.result.best_signature_time
            return done.result
    # The signer on its own, at the validation time (the current time): the fallback
    # when the time is not proven, and the gate for looking at the token at all — a
    # broken or untrusted signature is not worth a request to its TSA's responder; its
    # token's own integrity is still checked, offline (token_integrity).
    done = await _under_profiles(setup, basic, refused)
    result, outcome.profile = done.result, done.profile
    if token is not None and _reaches_anchor(result) and \
            _name(result.ades_subindic) not in _TOKEN_INVALID:
        check = outcome.token = await check_token(emb, setup)
        if check is not None and check.proves_time:
            done = await _under_profiles(setup, with_time(check.profile), refused)
            result, outcome.profile = done.result, done.profile
            outcome.best_signature_time = result.best_signature_time
    elif token is not None:
        outcome.token = token_integrity(emb, token)
    return await _with_lta(emb, setup, outcome, result)


async def _with_lta(emb: EmbeddedPdfSignature, setup: ValidationSetup,
                    outcome: EngineOutcome, result: Result) -> Result:
    """Long-term evidence (DSS, document timestamps) for a time-related INDETERMINATE."""
    if _name(result.ades_subindic) in _LTA_CAN_RESOLVE and _has_ltv_evidence(emb):
        lta = await ades.ades_lta_validation(emb, setup.spec_for(outcome.profile),
                                             timing_info=setup.timing)
        if _name(lta.ades_subindic) == "OK":
            result = lta
            outcome.best_signature_time = lta.best_signature_time
    return result


def _sub_filter(emb: EmbeddedPdfSignature) -> str | None:
    try:
        return str(emb.sig_object.get("/SubFilter"))
    except Exception:
        return None


def _encapsulated(emb: EmbeddedPdfSignature) -> bytes | None:
    try:
        content = emb.signed_data["encap_content_info"]["content"]
        return bytes(content.native) if content.native is not None else None
    except Exception:
        return None


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
