"""Signatures pyHanko's EmbeddedPdfSignature cannot load, read by vnsign into the same shape.

Two kinds, each a :class:`PreparsedSignature` (the attributes pyHanko's constructor
sets, from a SignedData vnsign built): the legacy SubFilter adbe.x509.rsa_sha1, and a
CMS with several SignerInfos (:class:`FirstSignerSignature`, validated on the first as
EU DSS does; ``CMS_SEVERAL_SIGNERS``).

ISO 32000-1 §12.8.3.2: /Contents is a DER OCTET STRING holding a PKCS#1 v1.5 RSA
signature of the SHA-1 digest of the byte ranges; the certificates are in /Cert (a
string, or an array whose first entry is the signer's). pyHanko's EmbeddedPdfSignature
parses /Contents as CMS in its constructor and refuses it.

That signature is exactly what a CMS SignerInfo *without signed attributes* carries:
an RSASSA-PKCS1-v1_5 signature, with SHA-1, over the (detached) content. So
:class:`X509RsaSha1Signature` re-expresses the same fields as such a CMS — the same
signature value, the same certificates, nothing computed — and pyHanko then runs every
check as for any other signature: the digest over the byte ranges, the RSA signature
(with ``cryptography``), the chain, the key usage, the algorithm policy (SHA-1: refused
except under the Vietnamese government profile), revocation, the difference analysis.
The report names the SubFilter (``LEGACY_SUBFILTER``). adbe.pkcs7.sha1 (CMS with the
digest encapsulated) needs no such translation: see ``vnsign.validation.engine``.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import algos, cms, core, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import CMSExtractionError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from vnsign.errors import MalformedInput
from vnsign.validation.cms_repair import with_signer_info

X509_RSA_SHA1 = "/adbe.x509.rsa_sha1"


def load_signature(reader: PdfFileReader, field_ref: Any, name: str) -> EmbeddedPdfSignature:
    """The pyHanko view of one filled signature field, legacy SubFilters and CMS with
    several SignerInfos included (any other CMS pyHanko refuses stays refused)."""
    field = field_ref.get_object()
    value = field.get("/V") if isinstance(field, generic.DictionaryObject) else None
    value = value.get_object() if value is not None else None
    # /V may be anything in a hostile file (null, a number): pyHanko below refuses it
    sub_filter = value.get("/SubFilter") if isinstance(value, generic.DictionaryObject) else None
    if str(sub_filter) == X509_RSA_SHA1:
        return X509RsaSha1Signature(reader, field_ref, name)
    try:
        return EmbeddedPdfSignature(reader, field_ref, name)
    except CMSExtractionError:  # pyHanko's "exactly one SignerInfo", and only that
        return FirstSignerSignature(reader, field_ref, name)


def _certificates(entry: Any) -> list[x509.Certificate]:
    items = list(entry) if isinstance(entry, generic.ArrayObject) else [entry]
    certs = []
    for item in items:
        cert = x509.Certificate.load(bytes(item.get_object()))
        _ = cert.native  # a full parse: garbage is refused here, not deep in validation
        certs.append(cert)
    if not certs:
        raise MalformedInput("/Cert holds no certificate")
    return certs


def equivalent_cms(contents: bytes, cert_entry: Any) -> cms.SignedData:
    """The CMS SignedData that carries the same signature as an adbe.x509.rsa_sha1 one."""
    value = core.OctetString.load(contents.rstrip(b"\x00") or b"\x04\x00").native
    certs = _certificates(cert_entry)
    signer = certs[0]
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": signer.issuer, "serial_number": signer.serial_number}}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha1"}),
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
        "signature": value,
    })
    signed_data = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha1"})],
        "encap_content_info": {"content_type": "data"},
        "certificates": certs,
        "signer_infos": [signer_info],
    })
    return cms.SignedData.load(signed_data.dump())


class PreparsedSignature(EmbeddedPdfSignature):
    """EmbeddedPdfSignature over a SignedData that vnsign read from /Contents itself.

    pyHanko's constructor cannot be reused where its CMS reading refuses the signature
    (it parses /Contents before anything else), so this one sets the same attributes as
    pyHanko 0.38's, from the same places; every method of the class then works
    unchanged. Subclasses say how /Contents becomes the SignedData (``_signed_data``).
    """

    def __init__(self, reader: PdfFileReader, sig_field: Any, fq_name: str) -> None:
        self.reader = reader
        if isinstance(sig_field, generic.IndirectObject):
            sig_field = sig_field.get_object()
        self.sig_field = sig_field
        sig_object_ref = sig_field.raw_get("/V")
        self.sig_object = sig_object = sig_object_ref.get_object()
        if not isinstance(sig_object, generic.DictionaryObject):
            raise MalformedInput("the signature value is not a dictionary")
        try:
            self.byte_range = sig_object.raw_get("/ByteRange")
            contents = sig_object.raw_get("/Contents",
                                          decrypt=generic.EncryptedObjAccess.RAW)
        except KeyError as exc:
            raise MalformedInput(f"signature without {exc}") from exc
        if not isinstance(contents, (generic.ByteStringObject, generic.TextStringObject)):
            raise MalformedInput("/Contents must be string-like")
        self.pkcs7_content = contents.original_bytes
        self.signed_data = self._signed_data(sig_object, contents.original_bytes)
        self.signer_info = self.signed_data["signer_infos"][0]
        self._sd_cert_info = None
        self.md_algorithm = str(self.signer_info["digest_algorithm"]["algorithm"].native).lower()
        self.external_md_algorithm = self.md_algorithm
        eci = self.signed_data["encap_content_info"]
        if eci["content_type"].native == "tst_info":  # as pyHanko: the imprint's own
            self.external_md_algorithm = \
                eci["content"].parsed["message_imprint"]["hash_algorithm"]["algorithm"].native
        self.signed_revision = reader.xrefs.get_last_change(sig_object_ref.reference)
        self.coverage = None
        self.external_digests = {}
        self._docmdp = self._fieldmdp = None
        self._docmdp_queried = self._fieldmdp_queried = False
        self.tst_signature_digest = None
        self.diff_result = None
        self._integrity_checked = False
        self.fq_name = fq_name

    def _signed_data(self, sig_object: generic.DictionaryObject, contents: bytes
                     ) -> cms.SignedData:
        raise NotImplementedError


class X509RsaSha1Signature(PreparsedSignature):
    """EmbeddedPdfSignature for adbe.x509.rsa_sha1, over the equivalent CMS."""

    def _signed_data(self, sig_object: generic.DictionaryObject, contents: bytes
                     ) -> cms.SignedData:
        try:
            cert_entry = sig_object.raw_get("/Cert")
        except KeyError as exc:
            raise MalformedInput(f"adbe.x509.rsa_sha1 signature without {exc}") from exc
        return equivalent_cms(contents, cert_entry)


class FirstSignerSignature(PreparsedSignature):
    """A CMS SignedData with several SignerInfos: the first one is validated.

    pyHanko demands exactly one SignerInfo (RFC 5652 allows any number; ISO 32000-1
    §12.8.3.3.1 says a PDF signature has one). EU DSS validates the first one
    (``DSSASN1Utils.getFirstSignerInformation``, which logs that "the framework handles
    only one signer") and so does vnsign: the SignedData is handed to pyHanko with its
    first SignerInfo only, every other field as it is. Nothing that was signed changes:
    /Contents is outside the byte ranges, and a SignerInfo's signature covers its own
    signed attributes, not its neighbours. The report says how many there were and that
    only the first was validated (``CMS_SEVERAL_SIGNERS``); the others are ignored, so
    nothing they claim can make the signature any better than the first one is.
    """

    signer_count: int

    def _signed_data(self, sig_object: generic.DictionaryObject, contents: bytes
                     ) -> cms.SignedData:
        signed_data = cms.ContentInfo.load(contents)["content"]
        self.signer_count = len(signed_data["signer_infos"])
        if self.signer_count < 2:
            raise MalformedInput(f"the CMS SignedData holds {self.signer_count} SignerInfos "
                                 "(exactly one expected)")
        return with_signer_info(signed_data, signed_data["signer_infos"][0])
