"""Sign a PDF at test time with a certificate made for the test (the committed test PKI).

Security tests need documents whose *attacker-chosen* parts vary: a certificate whose
common name is rich markup, a /Reason with escape sequences, an AIA address pointing
at a private network. Each is a real certificate issued with ``cryptography`` by the
committed test intermediate (or by a throw-away CA that nobody trusts), and a real
pyHanko signature over tests/fixtures/unsigned.pdf, made in memory.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.conftest import FIXTURES, PKI

VALID_FROM = datetime(2025, 1, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2027, 12, 31, tzinfo=UTC)
SIGNED_AT = datetime(2025, 9, 25, 8, 0, tzinfo=UTC)


def _load_key(stem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key((PKI / f"{stem}.key.pem").read_bytes(),
                                             password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _load_cert(stem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((PKI / f"{stem}.cert.pem").read_bytes())


def issue_signer(common_name: str, *, ca_issuers: str | None = None, ocsp: str | None = None,
                 trusted: bool = True, serial: int = 0x5EC0001) -> x509.Certificate:
    """A signing certificate for ``common_name`` (the key is buivannam's).

    ``trusted``: issued by the test intermediate (chains to the test root); otherwise by
    a throw-away CA that is in no trust store and not embedded, so a validator has to
    go looking for it (its AIA ``ca_issuers`` address).
    """
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    if trusted:
        issuer_name, issuer_key = _load_cert("intermediate").subject, _load_key("intermediate")
    else:
        issuer_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nobody's CA")])
        issuer_key = _load_key("lookalike-intermediate")
    public = _load_key("buivannam").public_key()
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
               .public_key(public).serial_number(serial)
               .not_valid_before(VALID_FROM).not_valid_after(VALID_UNTIL)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
               .add_extension(x509.KeyUsage(True, True, False, False, False, False, False,
                                            False, False), True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer_key.public_key()), False))
    access = []
    if ca_issuers:
        access.append(x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                             x509.UniformResourceIdentifier(ca_issuers)))
    if ocsp:
        access.append(x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                             x509.UniformResourceIdentifier(ocsp)))
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), False)
    return builder.sign(issuer_key, hashes.SHA256())


def sign_pdf(cert: x509.Certificate, *, reason: str | None = None,
             location: str | None = None, field_name: str = "Signature1",
             pdf: bytes | None = None) -> bytes:
    """``pdf`` (default: tests/fixtures/unsigned.pdf) signed by ``cert`` (CMS: signer only)."""
    der_key = _load_key("buivannam").private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    signer = signers.SimpleSigner(
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key), cert_registry=SimpleCertificateStore())
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256",
        subfilter=SigSeedSubFilter.ADOBE_PKCS7_DETACHED, reason=reason, location=location)
    source = pdf if pdf is not None else (FIXTURES / "unsigned.pdf").read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(source))
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer,
                      new_field_spec=fields.SigFieldSpec(field_name, on_page=0,
                                                         box=(300, 100, 560, 160)),
                      ).sign_pdf(writer, output=out)
    return out.getvalue()
