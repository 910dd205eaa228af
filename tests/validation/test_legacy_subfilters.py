"""Legacy SubFilters pyHanko does not read: adbe.pkcs7.sha1 and adbe.x509.rsa_sha1.

The fixtures (tests/fixtures/legacy, made by make_legacy.py beside them) are signed under
the test PKI, so their SHA-1 — which both formats imply — is refused: intact, valid, and
INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE, like any SHA-1 signature outside VGCA. A byte
changed in the signed range is FAILED/HASH_FAILURE. EU DSS's own pkcs7_sha1.pdf reports
both of its signatures intact.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, shared_path
from tests.helpers import OFFLINE, check, codes, fixture_trust
from vnsign import Indication, Policy, verify

SUB_FILTERS = {"legacy/pkcs7-sha1.pdf": "adbe.pkcs7.sha1",
               "legacy/x509-rsa-sha1.pdf": "adbe.x509.rsa_sha1"}
LEGACY = tuple(SUB_FILTERS)


@pytest.mark.parametrize("name", LEGACY)
def test_intact_and_refused_under_the_test_pki(name: str) -> None:
    sig = check(name).signatures[0]
    assert sig.sub_filter == SUB_FILTERS[name]
    assert sig.integrity.digest_matches is True
    assert sig.integrity.signature_valid is True
    assert sig.integrity.modifications_after.value == "NONE"
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                    "CRYPTO_CONSTRAINTS_FAILURE")
    assert {"WEAK_ALGORITHM", "LEGACY_SUBFILTER"} <= set(codes(sig.findings))
    assert "CMS_MALFORMED" not in codes(sig.findings)
    assert sig.signer is not None and sig.signer.common_name == "Bùi Văn Nam"


@pytest.mark.parametrize("name", LEGACY)
def test_a_changed_byte_is_a_hash_failure(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    at = data.index(b"/Creator (vnsign") + len(b"/Creator (")
    tampered = data[:at] + b"w" + data[at + 1:]
    sig = verify(tampered, trust=fixture_trust(), policy=OFFLINE).signatures[0]
    assert sig.integrity.digest_matches is False
    assert (sig.indication, sig.sub_indication) == (Indication.FAILED, "HASH_FAILURE")


def test_dss_pkcs7_sha1_reports_both_signatures_intact() -> None:
    path = shared_path("corpora", "dss", "pkcs7_sha1.pdf")
    report = verify(path, policy=Policy(offline=True))
    assert [s.sub_filter for s in report.signatures] == ["adbe.pkcs7.sha1",
                                                         "adbe.pkcs7.detached"]
    for sig in report.signatures:
        assert sig.integrity.digest_matches is True, sig.index
        assert sig.integrity.signature_valid is True, sig.index
        assert sig.indication != Indication.PASSED  # no trust anchor, and SHA-1


def test_x509_signature_without_certificates_is_unreadable_not_a_bug() -> None:
    data = (FIXTURES / "legacy" / "x509-rsa-sha1.pdf").read_bytes()
    broken = data.replace(b"/Cert [", b"/Cerx [", 1)  # same length: the key is gone
    assert broken != data
    report = verify(broken, trust=fixture_trust(), policy=OFFLINE)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "FORMAT_FAILURE")
    assert "SIGNATURE_UNREADABLE" in codes(sig.findings)
    assert "INTERNAL_ERROR" not in codes(sig.findings) + codes(report.findings)
