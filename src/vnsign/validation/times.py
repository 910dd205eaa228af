"""The time part of a signature report: claimed, attested and proven signing times.

``claimed`` (/M) and the CMS signingTime come from the signer's own clock and prove
nothing; only a valid, trusted RFC 3161 timestamp (or a later document timestamp that
pyHanko accepted as proof of existence) gives ``best_proven``. The timestamp's
``status`` tells apart a token that proved the time (VALID), one whose authority is not
trusted (TSA_UNTRUSTED), one that is itself invalid (INVALID) and one the algorithm
policy refused (WEAK_ALGORITHM); the engine checked it on its own
(``vnsign.validation.engine.check_token``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from vnsign.attempt import attempt
from vnsign.models import SignatureKind, SigningTimes, TimestampInfo, TimestampStatus
from vnsign.timefmt import iso_vn
from vnsign.validation.engine import EngineOutcome, signature_timestamp
from vnsign.vn.certificate import common_name


def signing_times(emb: EmbeddedPdfSignature, kind: SignatureKind, status: Any,
           outcome: EngineOutcome, claimed_raw: str | None, validation_time: datetime
           ) -> SigningTimes:
    claimed = None
    if claimed_raw:
        claimed = iso_vn(attempt(lambda: generic.parse_pdf_date(claimed_raw, strict=False)))
    attr_time = iso_vn(attempt(lambda: generic_cms.extract_self_reported_ts(emb.signer_info)))
    poe = outcome.best_signature_time
    poe_proven = poe is not None and poe < validation_time - timedelta(seconds=1)
    ts_info: TimestampInfo | None
    if kind == SignatureKind.DOC_TIMESTAMP:
        ts_info = _timestamp_info(emb.signed_data, status)
        if ts_info is not None:
            ts_info = replace(ts_info, status=_doc_ts_status(outcome, ts_info))
    else:
        ts_info = _signature_timestamp_info(emb, outcome)
    best = None
    if ts_info is not None and ts_info.valid and ts_info.trusted:
        best = ts_info.time
    elif poe_proven:
        # A proof of existence from a later document timestamp (PAdES LTA evidence).
        best = iso_vn(poe)
    return SigningTimes(claimed=claimed, signing_time_attribute=attr_time, timestamp=ts_info,
                        best_proven=best)


def _signature_timestamp_info(emb: EmbeddedPdfSignature, outcome: EngineOutcome
                              ) -> TimestampInfo | None:
    token = signature_timestamp(emb)
    if token is None:
        return None
    check = outcome.token
    ts_info = _timestamp_info(token, check.status if check is not None else None)
    if ts_info is None:
        return None
    if check is None:  # the engine stopped before the token (an engine error)
        return replace(ts_info, valid=None, trusted=None, status=TimestampStatus.NOT_CHECKED)
    if check.proves_time:
        return replace(ts_info, valid=True, trusted=True, status=TimestampStatus.VALID)
    status = TimestampStatus(check.problem.value) if check.problem is not None \
        else TimestampStatus.NOT_CHECKED
    if status == TimestampStatus.INVALID:
        ts_info = replace(ts_info, valid=False)
    return replace(ts_info, trusted=False, status=status)


def _doc_ts_status(outcome: EngineOutcome, ts_info: TimestampInfo) -> TimestampStatus:
    name = getattr(outcome.subindic, "name", None)
    if name == "OK":
        return TimestampStatus.VALID
    if name is None:
        return TimestampStatus.NOT_CHECKED
    if ts_info.valid is False or name in ("HASH_FAILURE", "SIG_CRYPTO_FAILURE",
                                          "FORMAT_FAILURE"):
        return TimestampStatus.INVALID
    if name.startswith("CRYPTO_CONSTRAINTS"):
        return TimestampStatus.WEAK_ALGORITHM
    return TimestampStatus.TSA_UNTRUSTED


def _timestamp_info(token: Any, ts_status: Any) -> TimestampInfo | None:
    try:
        tst_info = token["encap_content_info"]["content"].parsed
        gen_time = tst_info["gen_time"].native
        digest = tst_info["message_imprint"]["hash_algorithm"]["algorithm"].native
    except Exception:
        return None
    tsa = None
    try:
        tsa = common_name(generic_cms.extract_certs_for_validation(token).signer_cert)
    except Exception:
        tsa_name = attempt(lambda: tst_info["tsa"].native)
        tsa = str(tsa_name) if tsa_name else None
    valid = trusted = None
    if ts_status is not None:
        valid = bool(ts_status.intact and ts_status.valid)
        trusted = bool(ts_status.trusted)
    return TimestampInfo(time=iso_vn(gen_time) or "", tsa=tsa, digest_algorithm=digest,
                         valid=valid, trusted=trusted)
