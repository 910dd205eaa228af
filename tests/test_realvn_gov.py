"""Real Vietnamese government documents (../shared/corpora/realvn/gov), with the verdicts
their users rely on — the document's and each signature's, in signing order.

Never copied into the project: read in place, skipped cleanly when absent. The trust
roots and intermediates each file needs are given by its MANIFEST entry (offline: the
VGCA plugin embeds no revocation data). Files another issue must still fix are listed
in ``PENDING`` and expected to fail (strict: an entry that starts passing must be
removed from the list).

The verification runs under a time limit roomier than the default 30 s, so that a
loaded test machine does not turn a slow verdict into TIME_LIMIT_EXCEEDED; how long a
verdict takes is measured by bench/, not asserted here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from vnsign import DocumentReport, Indication, Policy, TrustStore, verify

GOV = SHARED / "corpora" / "realvn" / "gov"
MANIFEST = GOV / "MANIFEST.json"
VN_TRUST = SHARED / "trust" / "vn"

TIME_LIMIT_S = 240.0

# file -> why it is expected to fail for now (the issue that fixes it).
PENDING: dict[str, str] = {}

needs_corpus = pytest.mark.skipif(not MANIFEST.is_file(),
                                  reason="../shared/corpora/realvn/gov is not available")


def entries() -> list[dict[str, Any]]:
    if not MANIFEST.is_file():
        return []
    return list(json.loads(MANIFEST.read_text("utf-8")))


def _entry(name: str) -> dict[str, Any]:
    for entry in entries():
        if entry["file"] == name:
            return entry
    pytest.skip(f"{name} is not in the manifest")


@cache
def report_for(name: str, *, extra_trust: tuple[str, ...] = (), strict: bool = False
               ) -> DocumentReport:
    """One verification per (file, trust, policy): the documents are slow to render."""
    entry = _entry(name)
    trust = TrustStore.load([GOV / p for p in entry["trust"]] +
                            [VN_TRUST / p for p in extra_trust],
                            [GOV / p for p in entry["other_certs"]],
                            use_saved=False, use_env=False)
    return verify(GOV / name, trust=trust,
                  policy=Policy(offline=True, strict_algorithms=strict,
                                time_limit=TIME_LIMIT_S))


def codes(report: DocumentReport, index: int) -> list[str]:
    return [f.code for f in report.signatures[index - 1].findings]


def finding(report: DocumentReport, index: int, code: str) -> str:
    for item in report.signatures[index - 1].findings:
        if item.code == code:
            return item.message.en
    raise AssertionError(f"signature {index}: no {code} in {codes(report, index)}")


def _param(entry: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=PENDING[entry["file"]], strict=True)] \
        if entry["file"] in PENDING else []
    return pytest.param(entry, id=entry["file"], marks=marks)


@needs_corpus
@pytest.mark.parametrize("entry", [_param(e) for e in entries()])
def test_expected_verdicts(entry: dict[str, Any]) -> None:
    report = report_for(entry["file"])
    assert report.file.sha256 == entry["sha256"]
    got = [s.indication.value for s in report.signatures]
    assert got == entry["expected"]["signatures"], [
        (s.index, s.indication, s.sub_indication, [f.code for f in s.findings])
        for s in report.signatures]
    assert report.indication.value == entry["expected"]["document"]


@needs_corpus
def test_g2_seal_with_g1_timestamp_is_passed_on_the_current_time() -> None:
    """The portal's G2 seal carries a token from the G1 timestamp server (SHA-1 imprint):
    with only G2 trusted the signer is trusted, the time is not proven, and the report
    says why (TSA untrusted, weak algorithm) — never NO_CERTIFICATE_CHAIN_FOUND."""
    report = report_for("portal-06-bct.pdf")
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.PASSED, None)
    assert sig.chain is not None and sig.chain.trusted and sig.chain.hierarchy == "VGCA G2"
    assert sig.time.timestamp is not None
    assert sig.time.timestamp.status == "TSA_UNTRUSTED"
    assert sig.time.timestamp.trusted is False
    assert sig.time.best_proven is None
    assert "Máy chủ cấp dấu thời gian 01" in finding(report, 1, "TIMESTAMP_TSA_UNTRUSTED")
    assert "SHA-1 message imprint" in finding(report, 1, "TIMESTAMP_WEAK_ALGORITHM")
    assert "VALIDATED_AT_CURRENT_TIME" in codes(report, 1)
    assert "NO_TRUSTED_CHAIN" not in codes(report, 1)
    assert not report.fully_valid  # the unverified timestamp is a WARNING


@needs_corpus
def test_g1_trusted_too_proves_the_portal_time() -> None:
    report = report_for("portal-06-bct.pdf", extra_trust=("vgca-rootca-g1.pem",))
    sig = report.signatures[0]
    assert sig.indication == Indication.PASSED
    assert sig.time.best_proven == "2024-04-12T14:35:36+07:00"
    assert sig.time.timestamp is not None and sig.time.timestamp.status == "VALID"
    accepted = finding(report, 1, "WEAK_ALGORITHM_ACCEPTED")
    assert "VN_GOV" in accepted and "timestamp token: SHA-1 message imprint" in accepted
    assert "TIMESTAMP_TSA_UNTRUSTED" not in codes(report, 1)


@needs_corpus
def test_expired_g1_seal_is_judged_at_its_proven_time() -> None:
    report = report_for("portal-59-nd-g1-expired.pdf")
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.PASSED, None)
    assert sig.time.best_proven == "2022-09-06T16:35:41+07:00"
    assert sig.chain is not None and sig.chain.hierarchy == "VGCA G1"
    assert "2022-09-06T16:35:41+07:00" in finding(report, 1, "CERT_EXPIRED_SINCE_SIGNING")
    accepted = finding(report, 1, "WEAK_ALGORITHM_ACCEPTED")
    assert "VN_GOV" in accepted and "SHA-1 in the certificate of" in accepted
    assert report.policy.algorithms == "VN_GOV"


@needs_corpus
def test_g1_sha1_signatures_carry_the_profile_warning() -> None:
    report = report_for("bkhcn-qd-g1-sha1-5sig.pdf")
    for sig in report.signatures:
        assert sig.digest_algorithm == "sha1"
        assert sig.chain is not None and sig.chain.hierarchy == "VGCA G1"
        assert "SHA-1 digest" in finding(report, sig.index, "WEAK_ALGORITHM_ACCEPTED")
        assert sig.time.timestamp is not None and sig.time.timestamp.status == "VALID"


@needs_corpus
def test_g2_certificate_with_sha1_digest_and_a_broken_remote_signature() -> None:
    report = report_for("bkhcn-qd-broken-signservice.pdf")
    first, second = report.signatures[0], report.signatures[1]
    assert first.digest_algorithm == "sha1"
    assert first.chain is not None and first.chain.hierarchy == "VGCA G2"
    assert "SHA-1 digest" in finding(report, 1, "WEAK_ALGORITHM_ACCEPTED")
    assert (second.indication, second.sub_indication) == (Indication.FAILED,
                                                          "SIG_CRYPTO_FAILURE")
    assert second.integrity.digest_matches is True
    assert second.integrity.signature_valid is False


@needs_corpus
def test_vgcacrypto_cms_is_read_and_reported_non_conforming() -> None:
    report = report_for("btnmt-duthao-vgcacrypto.pdf")
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.PASSED, None)
    assert sig.integrity.digest_matches is True and sig.integrity.signature_valid is True
    assert "signatureAlgorithm" in finding(report, 1, "CMS_NON_CONFORMING")
    assert sig.signature_algorithm == "rsassa_pkcs1v15"


@needs_corpus
@pytest.mark.parametrize("name", ["portal-59-nd-g1-expired.pdf", "bkhcn-qd-g1-sha1-5sig.pdf"])
def test_strict_algorithms_refuse_g1(name: str) -> None:
    report = report_for(name, strict=True)
    assert report.policy.algorithms == "STRICT"
    assert (report.indication, report.sub_indication) == (Indication.INDETERMINATE,
                                                          "CRYPTO_CONSTRAINTS_FAILURE")
    for sig in report.signatures:
        assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                        "CRYPTO_CONSTRAINTS_FAILURE")
        assert "WEAK_ALGORITHM_ACCEPTED" not in codes(report, sig.index)


def test_pending_entries_are_manifest_files() -> None:
    if not MANIFEST.is_file():
        pytest.skip("../shared/corpora/realvn/gov is not available")
    names = {e["file"] for e in entries()}
    assert set(PENDING) <= names
    assert all(Path(name).suffix == ".pdf" for name in PENDING)
