"""What the CMS blob in /Contents says about itself, read defensively.

pyHanko reads the CMS to validate it; when it cannot (no certificates, several
signers, a truncated blob, a digest algorithm it refuses) vnsign still wants to say
*why* in the report: "the CMS carries no certificate", "it is signed with SHA-1",
"it is not even a SignedData". This module is that reader. Its one contract is that
:func:`describe_cms` never raises, whatever the bytes (it is a fuzzing target:
``fuzz/fuzz_cms.py``); asn1crypto parses lazily, so every field access is guarded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from asn1crypto import cms, x509

from vnsign.models import Signer

log = logging.getLogger(__name__)

T = TypeVar("T")

# Digest algorithms broken for signatures (collisions are practical or near it).
WEAK_DIGESTS = frozenset({"md2", "md4", "md5", "sha1"})


@dataclass(frozen=True)
class CmsDescription:
    """Facts about one CMS SignedData; every field is None/empty when unreadable."""

    parsed: bool  # a SignedData could be decoded at all
    problem: str | None  # why not, or what is structurally wrong with it
    signer_infos: int
    certificates: int
    digest_algorithm: str | None  # of the (first) signer, e.g. "sha256"
    signature_algorithm: str | None  # e.g. "sha256_rsa", "rsassa_pkcs1v15"
    has_encapsulated_content: bool
    signer: Signer | None  # identity from the signer's certificate, when found

    @property
    def weak_digest(self) -> str | None:
        """The digest algorithm's name when it is one vnsign never accepts."""
        if self.digest_algorithm in WEAK_DIGESTS:
            return self.digest_algorithm
        algo = self.signature_algorithm or ""
        for weak in WEAK_DIGESTS:
            if algo.startswith(weak + "_"):
                return weak
        return None


_UNREADABLE = CmsDescription(False, "not a CMS SignedData", 0, 0, None, None, False, None)


def _guard(default: T, func: Callable[[], T]) -> T:
    try:
        return func()
    except Exception as exc:  # asn1crypto raises many types on hostile DER
        log.debug("cms: %s", exc)
        return default


def describe_cms(data: bytes) -> CmsDescription:
    """Decode ``data`` (the /Contents bytes, zero padding allowed) and describe it."""
    try:
        return _describe(data)
    except Exception as exc:  # the contract: never raise
        log.debug("cms: %s", exc)
        return _UNREADABLE


def _describe(data: bytes) -> CmsDescription:
    if not data.strip(b"\x00"):
        return CmsDescription(False, "empty /Contents", 0, 0, None, None, False, None)
    # strict=False: the placeholder's zero padding follows the DER (the DER itself may
    # end in a zero byte, so the padding cannot simply be stripped).
    info = _guard(None, lambda: cms.ContentInfo.load(data, strict=False))
    if info is None or _guard(None, lambda: info["content_type"].native) != "signed_data":
        return _UNREADABLE
    signed: Any = _guard(None, lambda: info["content"])
    # One field decoded as a probe; `.native` of the whole SignedData would convert every
    # embedded CRL and OCSP response too (seconds for an LTV signature).
    if signed is None or _guard(None, lambda: signed["version"].native) is None:
        return _UNREADABLE
    no_items: list[Any] = []
    signer_infos: list[Any] = _guard(no_items, lambda: list(signed["signer_infos"]))
    certs: list[Any] = _guard(no_items, lambda: [c.chosen for c in signed["certificates"] or []
                                                 if c.name == "certificate"])
    first = signer_infos[0] if signer_infos else None
    digest = _guard(None, lambda: str(first["digest_algorithm"]["algorithm"].native)) \
        if first is not None else None
    sig_algo = _guard(None, lambda: str(first["signature_algorithm"]["algorithm"].native)) \
        if first is not None else None
    if sig_algo is None and first is not None:
        sig_algo = _guard(None, lambda: str(first["signature_algorithm"].signature_algo))
    econtent = _guard(False, lambda: signed["encap_content_info"]["content"].native
                      is not None)
    signer_cert = _guard(None, lambda: _signer_certificate(first, certs)) \
        if first is not None else None
    signer = _guard(None, lambda: _identity(signer_cert)) if signer_cert is not None else None
    problem = None
    if not signer_infos:
        problem = "no SignerInfo"
    elif len(signer_infos) > 1:
        problem = f"{len(signer_infos)} SignerInfos (exactly one expected)"
    elif not certs:
        problem = "no certificate embedded"
    elif signer_cert is None:
        problem = "the signer's certificate is not embedded"
    return CmsDescription(True, problem, len(signer_infos), len(certs), digest, sig_algo,
                          econtent, signer)


def _signer_certificate(signer_info: Any, certs: list[x509.Certificate]
                        ) -> x509.Certificate | None:
    sid = signer_info["sid"]
    for cert in certs:
        try:
            if _matches(sid, cert):
                return cert
        except Exception as exc:  # an undecodable serial, issuer or key identifier
            log.debug("cms: %s", exc)
    return None


def _matches(sid: Any, cert: x509.Certificate) -> bool:
    if sid.name == "issuer_and_serial_number":
        wanted = sid.chosen
        return bool(cert.serial_number == wanted["serial_number"].native and
                    cert.issuer == wanted["issuer"])
    if sid.name == "subject_key_identifier":
        return bool(cert.key_identifier == sid.chosen.native)
    return False


def _identity(cert: x509.Certificate) -> Signer:
    from vnsign.vn.certificate import signer_from_certificate

    return signer_from_certificate(cert)
