"""The whole verdict of every committed fixture, field by field (offline).

Expected values come from tests/fixtures/EXPECTED.md: the fixture script sets the
signers, times and layout, so these are the facts a correct validator must report.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, check, codes, fixture_trust
from vnsign import Indication, Policy, TrustStore

VN = "+07:00"
PERSON = "Bùi Văn Nam"
AGENCY = "SỞ NỘI VỤ"
INTERMEDIATE_CN = "Test CA phục vụ các cơ quan Nhà nước G2"
ROOT_CN = "Test RootCA chuyên dùng Chính phủ G2"
TSA_CN = "Test VGCA Time Stamping Authority"

# (field, signer, time, page, has timestamp, modifications after, visible)
MAIN_SIGNATURES = [
    ("Signature1", PERSON, "2025-09-25T15:56:11", 2, True, "FORM_FILLING", True),
    ("Signature2", AGENCY, "2025-09-25T16:46:49", 2, False, "FORM_FILLING", True),
    ("Signature3", AGENCY, "2025-09-25T16:46:49", 1, False, "FORM_FILLING", True),
    ("Signature4", AGENCY, "2025-09-25T16:46:49", 1, False, "FORM_FILLING", False),
    ("Signature5", AGENCY, "2025-09-25T16:47:15", 1, True, "NONE", True),
]


@pytest.fixture(scope="module")
def main_report() -> dict[str, Any]:
    return check("cong-van-2971-snv-vp.pdf").to_dict()


def test_main_document_level(main_report: dict[str, Any]) -> None:
    r = main_report
    assert r["schema"] == "vnsign.report/1"
    assert r["indication"] == "PASSED" and r["sub_indication"] is None
    assert r["summary"] == {"signatures": 5, "passed": 5, "failed": 0, "indeterminate": 0}
    assert r["file"]["pages"] == 2
    assert r["file"]["revisions"] == 6
    assert r["file"]["encrypted"] is False
    data = (FIXTURES / "cong-van-2971-snv-vp.pdf").read_bytes()
    assert r["file"]["size"] == len(data)
    assert r["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert r["policy"] == {"name": "default", "offline": True, "revocation": "LOCAL_ONLY",
                           "validation_time": "2026-11-26T14:00:00+07:00",
                           "algorithms": "VN_GOV", "aia": True, "private_network": False}
    assert r["network_requests"] == []
    # cross-checks between the printed document and its signatures: all agree
    assert [f["code"] for f in r["findings"]] == [
        "STAMP_MATCHES_CERTIFICATE"] * 5 + [
        "SIGNER_NAME_MATCHES_CERTIFICATE", "AGENCY_MATCHES_CERTIFICATE",
        "SIGNER_EMAIL_DOMAIN_DIFFERS_FROM_AGENCY"]
    assert all(f["severity"] == "INFO" for f in r["findings"])


@pytest.mark.parametrize("index", range(5))
def test_main_each_signature(main_report: dict[str, Any], index: int) -> None:
    field, signer, time, page, has_ts, modified, visible = MAIN_SIGNATURES[index]
    s = main_report["signatures"][index]
    assert s["index"] == index + 1
    assert s["kind"] == "SIGNATURE"
    assert s["field"] == field
    assert s["revision"] == index + 1
    assert s["page"] == page
    assert (s["rect"] != [0.0, 0.0, 0.0, 0.0]) is visible
    assert s["sub_filter"] == "adbe.pkcs7.detached"
    assert s["digest_algorithm"] == "sha256"
    assert s["signature_algorithm"] == "sha256_rsa"
    assert s["indication"] == "PASSED" and s["sub_indication"] is None

    # the signer, from the certificate
    who = s["signer"]
    assert who["common_name"] == signer
    assert who["kind"] == ("PERSON" if signer == PERSON else "AGENCY")
    assert who["country"] == "VN" and who["locality"] == "Hải Phòng"
    assert who["issuer_common_name"] == INTERMEDIATE_CN
    assert who["issuer"] == f"CN={INTERMEDIATE_CN}, O=Ban Cơ yếu Chính phủ, C=VN"
    if signer == PERSON:
        assert who["email"] == "buivannam@haiduong.gov.vn"
        assert who["organization"] == "UBND thành phố Hải Phòng"
        assert who["organizational_units"] == ["Văn phòng", "Sở Nội vụ"]
        assert who["identifiers"] == [{"kind": "CCCD", "value": "001088012345"}]
        assert who["subject"].startswith("UID=CCCD:001088012345, CN=Bùi Văn Nam, ")
    else:
        assert who["email"] == "sonoivu@haiphong.gov.vn"
        # encoded as a BMPString in the certificate: decoded the same
        assert who["organization"] == "UBND THÀNH PHỐ HẢI PHÒNG"
        assert who["organizational_units"] == []
        assert who["identifiers"] == [{"kind": "MST", "value": "0200123456"}]
    assert who["valid_from"].endswith(VN) and who["valid_until"].endswith(VN)

    # times: /M and CMS signingTime are the signer's claims; the timestamp proves
    t = s["time"]
    assert t["claimed"] == time + VN
    assert t["signing_time_attribute"] == time + VN
    if has_ts:
        assert t["timestamp"] == {"time": time + VN, "tsa": TSA_CN, "digest_algorithm": "sha256",
                                  "valid": True, "trusted": True, "status": "VALID"}
        assert t["best_proven"] == time + VN
    else:
        assert t["timestamp"] is None and t["best_proven"] is None

    # integrity
    integ = s["integrity"]
    assert integ["digest_matches"] is True and integ["signature_valid"] is True
    assert integ["coverage"] == ("ENTIRE_FILE" if index == 4 else "ENTIRE_REVISION")
    assert integ["modifications_after"] == modified
    assert integ["modifications_allowed"] is True
    assert integ["byte_range"][0] == 0 and len(integ["byte_range"]) == 4

    # chain: intermediate from --other-certs, then the trusted root; offline
    chain = s["chain"]
    assert chain["trusted"] is True
    assert [c["common_name"] for c in chain["path"]] == [INTERMEDIATE_CN, ROOT_CN]
    assert chain["revocation"] == {"status": "NOT_CHECKED", "source": None,
                                   "revoked_at": None, "reason": None}
    assert chain["hierarchy"] is None  # a test root, not an official VGCA/NEAC one
    assert s["pades_level"] is None  # adbe.pkcs7.detached, like the VGCA plugin: not PAdES

    # declared values, as the Vietnamese plugin writes them
    email = who["email"]
    assert s["declared"] == {"reason": f"{signer} <{email}> đã ký lên văn bản này!",
                             "location": "Việt Nam", "name": None, "contact_info": None}

    found = codes_of(s)
    assert "CHAIN_TRUSTED" in found and "ONLY_SIGNER_CERT_EMBEDDED" in found
    assert "REVOCATION_NOT_CHECKED" in found
    assert ("TIMESTAMP_VALID" if has_ts else "NO_TIMESTAMP") in found
    assert all(f["severity"] == "INFO" for f in s["findings"])


def codes_of(sig: dict[str, Any]) -> list[str]:
    return [f["code"] for f in sig["findings"]]


def test_main_stamp_texts(main_report: dict[str, Any]) -> None:
    sigs = main_report["signatures"]
    assert sigs[0]["stamp_text"] == (
        "Việt Nam\nBùi Văn Nam <buivannam@haiduong.gov.vn> đã ký lên văn bản này!\n"
        "2025-09-25T15:56:11+0700")
    assert sigs[2]["stamp_text"] == (
        "Việt Nam\nSỞ NỘI VỤ <sonoivu@haiphong.gov.vn> đã ký lên văn bản này!\n"
        "2025-09-25T16:46:49+0700")
    assert "SỞ NỘI VỤ" in sigs[1]["stamp_text"] and "2025-09-25" in sigs[1]["stamp_text"]
    assert sigs[3]["stamp_text"] is None  # invisible signature: no appearance text
    assert sigs[4]["stamp_text"].endswith("2025-09-25T16:47:15+0700")


def test_main_metadata(main_report: dict[str, Any]) -> None:
    doc = main_report["metadata"]["document"]
    assert doc["issuing_authority"] == "SỞ NỘI VỤ"
    assert doc["parent_authority"] == "UBND THÀNH PHỐ HẢI PHÒNG"
    assert doc["number_symbol"] == "2971/SNV-VP"
    assert doc["date"] == "2025-09-25"
    assert doc["doc_type"] == "Công văn" and doc["subject_prefix"] == "V/v"
    assert doc["signer_name"] == "Bùi Văn Nam" and doc["authority_prefix"] == "TL."
    pdf = main_report["metadata"]["pdf"]
    assert set(pdf) >= {"title", "author", "creator", "producer", "created", "modified", "xmp"}


def test_main_is_fully_valid() -> None:
    assert check("cong-van-2971-snv-vp.pdf").fully_valid


def test_without_intermediate_offline_no_chain() -> None:
    """Only the signer's certificate is embedded: without the intermediate (and offline,
    so no AIA fetching) no chain can be built."""
    r = check("cong-van-2971-snv-vp.pdf", trust=fixture_trust(with_intermediate=False))
    assert r.indication == Indication.INDETERMINATE
    assert r.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert all(s.chain is not None and not s.chain.trusted for s in r.signatures)
    assert all("NO_TRUSTED_CHAIN" in codes(s.findings) for s in r.signatures)


def test_nothing_trusted_implicitly() -> None:
    """No trust roots configured: intact signatures are INDETERMINATE, never PASSED."""
    r = check("cong-van-2971-snv-vp.pdf", trust=TrustStore())
    assert r.indication == Indication.INDETERMINATE
    assert r.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert all(s.integrity.digest_matches for s in r.signatures)


def test_vietnamese_national_roots_do_not_trust_test_pki() -> None:
    """Trusting the real VGCA/NEAC roots must not make the test PKI trusted."""
    from tests.conftest import shared_path

    real = TrustStore.load([shared_path("trust", "vn")], use_saved=False, use_env=False)
    r = check("cong-van-2971-snv-vp.pdf", trust=real)
    assert r.indication == Indication.INDETERMINATE


def test_signed_doc_timestamp() -> None:
    r = check("signed-doc-timestamp.pdf").to_dict()
    assert r["indication"] == "PASSED"
    assert r["file"]["revisions"] == 3
    sig, dts = r["signatures"]
    assert sig["kind"] == "SIGNATURE" and sig["signer"]["common_name"] == PERSON
    assert sig["integrity"]["modifications_after"] == "LTV_UPDATES"
    assert sig["indication"] == "PASSED"
    assert dts["kind"] == "DOC_TIMESTAMP" and dts["field"] == "DocTimeStamp1"
    assert dts["sub_filter"] == "ETSI.RFC3161"
    assert dts["signer"]["common_name"] == TSA_CN
    assert dts["signer"]["kind"] == "TSA"
    assert dts["time"]["timestamp"]["time"] == "2025-09-25T17:00:00+07:00"
    assert dts["time"]["timestamp"]["valid"] is True
    assert dts["time"]["best_proven"] == "2025-09-25T17:00:00+07:00"
    assert dts["integrity"]["coverage"] == "ENTIRE_FILE"
    assert dts["indication"] == "PASSED"


def test_flipped_byte_fails_every_signature() -> None:
    r = check("tampered-flipped-byte.pdf")
    assert r.indication == Indication.FAILED and r.sub_indication == "HASH_FAILURE"
    assert r.summary.failed == 5
    for s in r.signatures:
        assert s.indication == Indication.FAILED and s.sub_indication == "HASH_FAILURE"
        assert s.integrity.digest_matches is False
        assert "HASH_MISMATCH" in codes(s.findings)
        assert s.time.best_proven is None  # a broken signature proves nothing


def test_page_content_changed_after_signing() -> None:
    r = check("modified-page-content.pdf")
    assert r.indication == Indication.FAILED and r.sub_indication == "FORMAT_FAILURE"
    for s in r.signatures:
        assert s.integrity.digest_matches is True  # the signed bytes are intact ...
        assert s.integrity.modifications_after.value == "OTHER"  # ... the document is not
        assert s.integrity.modifications_allowed is False
        assert s.indication == Indication.FAILED
        assert "MODIFIED_DISALLOWED" in codes(s.findings)


def test_comment_after_signing_passes_with_warning() -> None:
    r = check("comment-after-signing.pdf")
    assert r.indication == Indication.PASSED
    assert not r.fully_valid  # a person should look at the comment
    for s in r.signatures:
        assert s.indication == Indication.PASSED
        assert s.integrity.modifications_after.value == "ANNOTATIONS"
        warning = [f for f in s.findings if f.code == "MODIFIED_ANNOTATIONS"]
        assert warning and warning[0].severity.value == "WARNING"


def test_expired_signer_fails() -> None:
    """The timestamp proves signing on 2025-09-25; the certificate expired 2024-12-31."""
    r = check("expired-signer.pdf")
    assert r.indication == Indication.FAILED and r.sub_indication == "EXPIRED"
    s = r.signatures[0]
    assert s.signer is not None and s.signer.common_name == "Nguyễn Văn Hết Hạn"
    assert s.signer.valid_until == "2025-01-01T06:59:59+07:00"
    assert s.time.best_proven == "2025-09-25T15:56:11+07:00"
    assert "CERT_EXPIRED" in codes(s.findings)


def test_lookalike_root_is_not_trusted() -> None:
    r = check("lookalike-root.pdf")
    assert r.indication == Indication.INDETERMINATE
    assert r.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    s = r.signatures[0]
    assert s.signer is not None and s.signer.common_name == PERSON  # same name ...
    assert s.chain is not None and s.chain.trusted is False  # ... other key
    assert s.integrity.digest_matches is True


def test_wrong_key_usage() -> None:
    r = check("wrong-keyusage.pdf")
    assert r.indication == Indication.INDETERMINATE
    assert r.sub_indication == "CHAIN_CONSTRAINTS_FAILURE"
    assert "KEY_USAGE_INVALID" in codes(r.signatures[0].findings)


def test_revoked_offline_is_passed_but_says_not_checked() -> None:
    """Offline, with no embedded revocation data, revocation cannot be known: the
    signature is PASSED (soft-fail, the documented default) and the report must say that
    revocation was not checked (the online tests prove the FAILED verdict)."""
    for name in ("revoked-crl.pdf", "revoked-ocsp.pdf"):
        r = check(name)
        s = r.signatures[0]
        assert (r.indication, r.sub_indication) == (Indication.PASSED, None)
        assert (s.indication, s.sub_indication) == (Indication.PASSED, None)
        assert s.chain is not None and s.chain.trusted
        assert s.chain.revocation.status.value == "NOT_CHECKED"
        assert s.chain.revocation.source is None
        assert "REVOCATION_NOT_CHECKED" in codes(s.findings)


def test_revoked_offline_with_required_revocation_is_not_passed() -> None:
    policy = Policy(offline=True, require_revocation=True, validation_time=OFFLINE.validation_time)
    for name in ("revoked-crl.pdf", "revoked-ocsp.pdf", "cong-van-2971-snv-vp.pdf"):
        r = check(name, policy=policy)
        assert r.indication == Indication.INDETERMINATE, name


def test_unsigned_document() -> None:
    r = check("unsigned.pdf")
    assert r.indication == Indication.NO_SIGNATURE and r.sub_indication is None
    assert r.signatures == () and codes(r.findings) == ["NO_SIGNATURES"]
    assert r.file.pages == 2
    assert r.metadata["document"]["number_symbol"] == "2971/SNV-VP"


@pytest.mark.parametrize(("name", "code"), [
    ("not-a-pdf.pdf", "INPUT_NOT_PDF"),
    ("empty.pdf", "INPUT_EMPTY"),
    ("encrypted.pdf", "PDF_ENCRYPTED"),
])
def test_unusable_input(name: str, code: str) -> None:
    r = check(name)
    assert r.indication == Indication.INDETERMINATE
    assert r.sub_indication == "FORMAT_FAILURE"
    assert codes(r.findings) == [code]
    assert r.signatures == ()


def test_encrypted_with_password() -> None:
    r = check("encrypted.pdf", password="secret")
    assert r.file.encrypted is True
    assert r.indication == Indication.PASSED
    assert [s.signer.common_name for s in r.signatures if s.signer] == [PERSON]


def test_encrypted_wrong_password() -> None:
    r = check("encrypted.pdf", password="wrong")
    assert codes(r.findings) == ["PDF_ENCRYPTED"]
