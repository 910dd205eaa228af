"""Past validation: a signature is judged at the time its timestamp proves.

``expired-signer-timestamped.pdf`` was signed and timestamped on 2024-06-03, while its
certificate was valid (it expired on 2024-12-31); ``revoked-after-timestamp.pdf`` on
2025-06-02, before its certificate was revoked (2025-09-01, the test responder). Both
are PASSED with the evidence. Without a proof of existence — the same file with its
token broken — the expired one is INDETERMINATE/OUT_OF_BOUNDS_NO_POE.
"""

from __future__ import annotations

from asn1crypto import cms

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, check, codes, fixture_trust
from tests.revocation_server import RevocationServer
from vnsign import Indication, Policy, verify


def test_expired_since_signing_is_passed_at_the_proven_time() -> None:
    sig = check("expired-signer-timestamped.pdf").signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.PASSED, None)
    assert sig.time.best_proven == "2024-06-03T09:30:00+07:00"
    assert sig.time.timestamp is not None and sig.time.timestamp.status == "VALID"
    assert "CERT_EXPIRED_SINCE_SIGNING" in codes(sig.findings)
    assert sig.signer is not None and sig.signer.valid_until.startswith("2025-01-01")


def _break_token(pdf: bytes) -> bytes:
    """The same file with one byte of the timestamp token's signature value flipped.

    The token is an unsigned attribute of the CMS, in /Contents, outside the signed
    byte ranges: the signature itself stays intact, only the token becomes invalid.
    """
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    der = bytes.fromhex(pdf[start:end].decode())
    signed_data = cms.ContentInfo.load(der, strict=False)["content"]
    token = signed_data["signer_infos"][0]["unsigned_attrs"][0]["values"][0]
    value = token["content"]["signer_infos"][0]["signature"].native
    at = der.index(value) + len(value) - 1
    broken = der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1:]
    return pdf[:start] + broken.hex().upper().encode() + pdf[end:]


def test_expired_without_proof_of_existence_is_out_of_bounds_no_poe() -> None:
    pdf = _break_token((FIXTURES / "expired-signer-timestamped.pdf").read_bytes())
    sig = verify(pdf, trust=fixture_trust(), policy=OFFLINE).signatures[0]
    assert sig.integrity.digest_matches is True and sig.integrity.signature_valid is True
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                    "OUT_OF_BOUNDS_NO_POE")
    assert sig.time.timestamp is not None and sig.time.timestamp.status == "INVALID"
    assert sig.time.best_proven is None
    assert {"TIMESTAMP_INVALID", "VALIDATED_AT_CURRENT_TIME",
            "CERT_OUT_OF_VALIDITY_NO_POE"} <= set(codes(sig.findings))


def test_broken_token_on_a_valid_signer_only_loses_the_time() -> None:
    """Timestamps are evidence, not a gate: a bad token does not make the signer bad."""
    pdf = _break_token((FIXTURES / "cong-van-2971-snv-vp.pdf").read_bytes())
    sig = verify(pdf, trust=fixture_trust(), policy=OFFLINE).signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.PASSED, None)
    assert sig.time.timestamp is not None and sig.time.timestamp.status == "INVALID"
    assert sig.time.best_proven is None
    assert "TIMESTAMP_INVALID" in codes(sig.findings)


def test_revoked_after_the_proven_time_is_passed_with_the_evidence(
        responder: RevocationServer) -> None:
    online = Policy(offline=False, network_timeout=5.0, allow_private_network=True)  # 127.0.0.1
    r = check("revoked-after-timestamp.pdf", policy=online)
    sig = r.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.PASSED, None)
    assert sig.chain is not None and sig.chain.revocation.status.value == "REVOKED"
    assert sig.chain.revocation.revoked_at == "2025-09-01T07:00:00+07:00"
    assert sig.time.best_proven == "2025-06-02T10:15:00+07:00"
    assert "CERT_REVOKED_SINCE_SIGNING" in codes(sig.findings)
    assert not r.fully_valid  # a revoked certificate is worth a look, even so
