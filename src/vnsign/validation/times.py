"""The time part of a signature report: claimed, attested and proven signing times.

``claimed`` (/M) and the CMS signingTime come from the signer's own clock and prove
nothing; only a valid, trusted RFC 3161 timestamp (or a later document timestamp that
pyHanko accepted as proof of existence) gives ``best_proven``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from vnsign.attempt import attempt
from vnsign.models import SignatureKind, SigningTimes, TimestampInfo
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
    if kind == SignatureKind.DOC_TIMESTAMP:
        token = emb.signed_data
        ts_status = status
    else:
        token = signature_timestamp(emb)
        ts_status = getattr(status, "timestamp_validity", None)
    poe = outcome.best_signature_time
    poe_proven = poe is not None and poe < validation_time - timedelta(seconds=1)
    ts_info = _timestamp_info(token, ts_status) if token is not None else None
    if ts_info is not None and ts_status is None and poe_proven and \
            kind != SignatureKind.DOC_TIMESTAMP:
        # pyHanko adopts a timestamp's time as proof of existence only after
        # validating it, but some of its result paths drop the timestamp status.
        ts_info = replace(ts_info, valid=True, trusted=True)
    best = None
    if ts_info is not None and ts_info.valid and ts_info.trusted:
        best = ts_info.time
    elif poe_proven:
        # A proof of existence from a later document timestamp (PAdES LTA evidence).
        best = iso_vn(poe)
    return SigningTimes(claimed=claimed, signing_time_attribute=attr_time, timestamp=ts_info,
                        best_proven=best)


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
