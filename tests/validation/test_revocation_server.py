"""Smoke test of the test revocation responder (tests/revocation_server.py)."""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp

from tests.revocation_server import PKI_DIR, RevocationServer, load_revocations


def _cert(stem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((PKI_DIR / f"{stem}.cert.pem").read_bytes())


def _fetch(url: str, data: bytes | None = None) -> bytes:
    headers = {"Content-Type": "application/ocsp-request"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return bytes(response.read())


def _ocsp_request(stem: str, issuer: str = "intermediate") -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(_cert(stem), _cert(issuer), hashes.SHA1())
    return builder.build().public_bytes(serialization.Encoding.DER)


@pytest.fixture
def server() -> Iterator[RevocationServer]:
    # port=0: a free port, so the smoke test never collides with a running responder.
    with RevocationServer(port=0, revoked=load_revocations()) as srv:
        yield srv


def test_crl_lists_revoked_certificates(server: RevocationServer) -> None:
    crl = x509.load_der_x509_crl(_fetch(f"{server.base_url}/crl/intermediate.crl"))
    intermediate = _cert("intermediate")
    assert crl.issuer == intermediate.subject
    public_key = intermediate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    assert crl.is_signature_valid(public_key)
    assert crl.next_update_utc is not None and crl.next_update_utc > datetime.now(UTC)
    for stem in ("revoked-crl", "revoked-ocsp"):
        entry = crl.get_revoked_certificate_by_serial_number(_cert(stem).serial_number)
        assert entry is not None
        assert entry.revocation_date_utc == datetime(2025, 9, 1, tzinfo=UTC)
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        assert reason == x509.ReasonFlags.key_compromise
    assert crl.get_revoked_certificate_by_serial_number(_cert("buivannam").serial_number) is None


def test_ocsp_statuses(server: RevocationServer) -> None:
    url = f"{server.base_url}/ocsp"
    intermediate = _cert("intermediate")

    revoked = ocsp.load_der_ocsp_response(_fetch(url, _ocsp_request("revoked-ocsp")))
    assert revoked.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert revoked.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert revoked.serial_number == _cert("revoked-ocsp").serial_number
    assert revoked.revocation_time_utc == datetime(2025, 9, 1, tzinfo=UTC)
    assert revoked.revocation_reason == x509.ReasonFlags.key_compromise
    # Signed by the intermediate CA directly.
    public_key = intermediate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    assert revoked.signature_hash_algorithm is not None
    public_key.verify(
        revoked.signature,
        revoked.tbs_response_bytes,
        padding.PKCS1v15(),
        revoked.signature_hash_algorithm,
    )

    good = ocsp.load_der_ocsp_response(_fetch(url, _ocsp_request("buivannam")))
    assert good.certificate_status == ocsp.OCSPCertStatus.GOOD

    # Same DN as the real intermediate, other key: not ours.
    unknown = ocsp.load_der_ocsp_response(
        _fetch(url, _ocsp_request("lookalike-signer", issuer="lookalike-intermediate"))
    )
    assert unknown.certificate_status == ocsp.OCSPCertStatus.UNKNOWN

    # RFC 6960 GET form.
    encoded = urllib.parse.quote(base64.b64encode(_ocsp_request("revoked-crl")).decode(), safe="")
    via_get = ocsp.load_der_ocsp_response(_fetch(f"{url}/{encoded}"))
    assert via_get.certificate_status == ocsp.OCSPCertStatus.REVOKED

    assert server.request_counts["/ocsp"] == 4


def test_ca_issuers_and_counts(server: RevocationServer) -> None:
    der = _fetch(f"{server.base_url}/certs/intermediate.cer")
    assert x509.load_der_x509_certificate(der) == _cert("intermediate")
    with pytest.raises(urllib.error.HTTPError):
        _fetch(f"{server.base_url}/nothing-here")
    assert server.request_counts == {"/certs/intermediate.cer": 1, "/nothing-here": 1}
