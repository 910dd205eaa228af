"""The PAdES baseline level a signature's *structure* shows (ETSI EN 319 142-1).

This is a description, not a verdict: B-T means "carries a timestamp", not "the
timestamp is valid" (that is ``time.timestamp.valid``). Levels:

* B-B   — SubFilter ETSI.CAdES.detached;
* B-T   — B-B plus a signature timestamp, or a document timestamp after it;
* B-LT  — B-T plus a DSS with revocation data (OCSP responses or CRLs);
* B-LTA — B-LT plus a document timestamp after the signature.

Signatures with SubFilter adbe.pkcs7.detached (the VGCA plugin's) are not PAdES: None.
"""

from __future__ import annotations

from typing import Any

from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from vnsign.validation.engine import signature_timestamp


def pades_level(emb: EmbeddedPdfSignature) -> str | None:
    try:
        if emb.sig_object_type == "/DocTimeStamp":
            return None
        if str(emb.sig_object.get("/SubFilter")) != "/ETSI.CAdES.detached":
            return None
        later_doc_ts = any(
            other.sig_object_type == "/DocTimeStamp" and other.signed_revision > emb.signed_revision
            for other in emb.reader.embedded_signatures)
        if signature_timestamp(emb) is None and not later_doc_ts:
            return "B-B"
        if not _dss_has_revocation_data(emb.reader):
            return "B-T"
        return "B-LTA" if later_doc_ts else "B-LT"
    except Exception:
        return None


def _dss_has_revocation_data(reader: Any) -> bool:
    try:
        dss = reader.root["/DSS"]
    except (KeyError, TypeError):
        return False
    return any(key in dss for key in ("/OCSPs", "/CRLs"))
