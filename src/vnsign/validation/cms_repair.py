"""Read the CMS that national signing tools write, where asn1crypto is stricter than NSS.

VGCACrypto (the Government Cipher Committee's signing tool) writes the SignerInfo's
``signatureAlgorithm`` as the OID rsaEncryption followed by RSASSA-PSS parameters (a
SEQUENCE) where RFC 3279/4055 put NULL. asn1crypto refuses the element ("Null ... should
have been primitive, but constructed was found"), so pyHanko cannot validate the
signature at all; pdfsig (NSS) reads the OID and verifies a PKCS#1 v1.5 signature.

The element is outside the signed attributes — it tells the verifier how to check the
signature, it is not itself signed — so re-encoding it changes nothing that was signed.
:func:`repair_signer_info` re-encodes each AlgorithmIdentifier of the SignerInfo that
asn1crypto cannot read with the parameters its OID defines, decides with
``cryptography`` which reading the signature value verifies under (the OID's, or the
RSASSA-PSS parameters written beside it), and hands the repaired SignedData back to
pyHanko, which then runs every check as usual (integrity, signature, chain, timestamp,
revocation). The report says the CMS was non-conforming (``CMS_NON_CONFORMING``).
Nothing is parsed by hand: asn1crypto reads the generic structure, ``cryptography``
verifies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from asn1crypto import algos, cms, core

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CmsRepair:
    """One element re-encoded, and what it now says."""

    element: str  # e.g. "signatureAlgorithm"
    read_as: str  # e.g. "rsassa_pkcs1v15"


class _AnyAlgorithm(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """An AlgorithmIdentifier with its parameters left uninterpreted."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


def _readable(value: Any) -> bool:
    try:
        _ = value.native
        return True
    except Exception:
        return False


def _plain(oid: str, cls: type[core.Sequence]) -> core.Sequence:
    """The AlgorithmIdentifier with the parameters its OID defines (NULL or absent)."""
    probe = cls({"algorithm": oid})
    name = str(probe["algorithm"].native)
    if name.startswith(("ecdsa", "sha1_ecdsa", "sha224_ecdsa", "sha256_ecdsa",
                        "sha384_ecdsa", "sha512_ecdsa", "ed25519", "ed448", "dsa")) \
            or "_dsa" in name or "_ecdsa" in name:
        return probe
    return cls({"algorithm": oid, "parameters": core.Null()})


def _pss_reading(generic: _AnyAlgorithm) -> algos.SignedDigestAlgorithm | None:
    """The RSASSA-PSS reading of stray PSS parameters, when they parse as such."""
    params = generic["parameters"]
    if params is None or isinstance(params, core.Void):
        return None
    try:
        pss = algos.RSASSAPSSParams.load(params.dump())
        _ = pss.native
        return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": pss})
    except Exception:
        return None


def _verifies(signer_info: cms.SignerInfo, algorithm: algos.SignedDigestAlgorithm,
              cert: Any) -> bool:
    """The signature value verifies over the signed attributes under ``algorithm``."""
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    try:
        key = cx509.load_der_x509_certificate(cert.dump()).public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            return False
        signed = signer_info["signed_attrs"]
        # RFC 5652 §5.4: the attributes are signed as a SET (tag 0x31), not with the
        # [0] IMPLICIT tag (0xA0) they carry in the SignerInfo; the length is the same.
        data = b"\x31" + signed.dump()[1:]
        digest = getattr(hashes, str(signer_info["digest_algorithm"]["algorithm"].native)
                         .upper())()
        if algorithm.signature_algo == "rsassa_pss":
            params = algorithm["parameters"]
            mgf_hash = getattr(hashes, str(params["mask_gen_algorithm"]["parameters"]
                                           ["algorithm"].native).upper())()
            pad: padding.AsymmetricPadding = padding.PSS(
                padding.MGF1(mgf_hash), int(params["salt_length"].native))
        else:
            pad = padding.PKCS1v15()
        key.verify(signer_info["signature"].native, data, pad, digest)
        return True
    except Exception as exc:
        log.debug("cms repair: %s", exc)
        return False


def repair_signer_info(emb: Any) -> tuple[CmsRepair, ...]:
    """Re-encode what asn1crypto cannot read in ``emb``'s SignerInfo, in place.

    ``emb`` is a pyHanko EmbeddedPdfSignature; its ``signed_data`` and ``signer_info``
    are replaced when something was repaired. Returns what was repaired (empty when the
    CMS was conforming or is beyond this repair: pyHanko then reports it as before).
    """
    try:
        signer_info = emb.signer_info
        repairs: list[CmsRepair] = []
        values: dict[str, Any] = {}
        digest = signer_info["digest_algorithm"]
        if not _readable(digest):
            generic = _AnyAlgorithm.load(digest.dump())
            values["digest_algorithm"] = _plain(generic["algorithm"].dotted,
                                                algos.DigestAlgorithm)
            repairs.append(CmsRepair("digestAlgorithm",
                                     str(values["digest_algorithm"]["algorithm"].native)))
        signature = signer_info["signature_algorithm"]
        if not _readable(signature):
            generic = _AnyAlgorithm.load(signature.dump())
            chosen = _plain(generic["algorithm"].dotted, algos.SignedDigestAlgorithm)
            trial = cms.SignerInfo.load(signer_info.dump())  # the attributes, untouched
            if "digest_algorithm" in values:
                trial = _with(trial, {"digest_algorithm": values["digest_algorithm"]})
            pss = _pss_reading(generic)
            cert = emb._init_cert_info().signer_cert
            if pss is not None and not _verifies(trial, chosen, cert) and \
                    _verifies(trial, pss, cert):
                chosen = pss
            values["signature_algorithm"] = chosen
            repairs.append(CmsRepair("signatureAlgorithm", str(chosen.signature_algo)))
        if not repairs:
            return ()
        rebuilt = with_signer_info(emb.signed_data, _with(signer_info, values))
        _ = rebuilt["signer_infos"][0]["signature_algorithm"].native  # readable now
        emb.signed_data = rebuilt
        emb.signer_info = rebuilt["signer_infos"][0]
        return tuple(repairs)
    except Exception as exc:  # beyond repair: leave it to pyHanko to report
        log.debug("cms repair failed: %s", exc)
        return ()


def with_signer_info(signed_data: cms.SignedData, signer_info: cms.SignerInfo
                     ) -> cms.SignedData:
    """``signed_data`` with ``signer_info`` as its one SignerInfo, every other field
    byte for byte (a repaired SignerInfo, or the first of several)."""
    return cms.SignedData.load(cms.SignedData({
        **{name: signed_data[name] for name in
           ("version", "digest_algorithms", "encap_content_info", "certificates", "crls")
           if signed_data[name] is not None and not isinstance(signed_data[name], core.Void)},
        "signer_infos": cms.SignerInfos([signer_info]),
    }).dump())


def _with(signer_info: cms.SignerInfo, values: dict[str, Any]) -> cms.SignerInfo:
    """A copy of ``signer_info`` with some fields replaced (the rest byte for byte)."""
    fields = {name: signer_info[name] for name, *_ in cms.SignerInfo._fields
              if name not in values and signer_info[name] is not None and
              not isinstance(signer_info[name], core.Void)}
    return cms.SignerInfo.load(cms.SignerInfo({**fields, **values}).dump())
