"""Cross-checks between the printed document and its signatures.

Starts from the real report of the 5-signature fixture and changes one fact at a time,
so each check is exercised on realistic data.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.helpers import check
from vnsign.models import DocumentReport, SignatureReport
from vnsign.vn.crosscheck import cross_check


@pytest.fixture(scope="module")
def report() -> DocumentReport:
    return check("cong-van-2971-snv-vp.pdf")


def fields(report: DocumentReport, **changes: Any) -> dict[str, Any]:
    doc = dict(report.metadata["document"])
    doc.update(changes)
    return doc


def codes(found: Any) -> list[str]:
    return [f.code for f in found]


def with_signer(sig: SignatureReport, **changes: Any) -> SignatureReport:
    assert sig.signer is not None
    return replace(sig, signer=replace(sig.signer, **changes))


def test_all_agree(report: DocumentReport) -> None:
    found = codes(cross_check(fields(report), report.signatures))
    assert "SIGNER_NAME_MATCHES_CERTIFICATE" in found
    assert "AGENCY_MATCHES_CERTIFICATE" in found
    assert not [c for c in found if "MISMATCH" in c or "AFTER" in c or "BEFORE" in c]


def test_printed_name_differs(report: DocumentReport) -> None:
    found = cross_check(fields(report, signer_name="Trần Văn Khác"), report.signatures)
    (mismatch,) = [f for f in found if f.code == "SIGNER_NAME_MISMATCH"]
    assert mismatch.severity.value == "WARNING"
    assert "Trần Văn Khác" in mismatch.message.vi and "Bùi Văn Nam" in mismatch.message.en


def test_name_matches_only_without_diacritics(report: DocumentReport) -> None:
    """VGCA generation 1 certificates carry ASCII-folded names."""
    sigs = list(report.signatures)
    sigs[0] = with_signer(sigs[0], common_name="Bui Van Nam")
    found = codes(cross_check(fields(report), sigs))
    assert "SIGNER_NAME_MATCHES_WITHOUT_DIACRITICS" in found
    assert "SIGNER_NAME_MATCHES_CERTIFICATE" not in found


def test_name_compared_case_and_nfd_insensitively(report: DocumentReport) -> None:
    import unicodedata

    printed = unicodedata.normalize("NFD", "BÙI VĂN NAM")
    found = codes(cross_check(fields(report, signer_name=printed), report.signatures))
    assert "SIGNER_NAME_MATCHES_CERTIFICATE" in found


def test_agency_differs(report: DocumentReport) -> None:
    found = codes(cross_check(fields(report, issuing_authority="SỞ TÀI CHÍNH"),
                              report.signatures))
    assert "AGENCY_MISMATCH" in found


def test_no_agency_signature_and_no_personal_signature(report: DocumentReport) -> None:
    only_person = [report.signatures[0]]
    assert "NO_AGENCY_SIGNATURE" in codes(cross_check(fields(report), only_person))
    only_agency = list(report.signatures[1:])
    assert "NO_PERSONAL_SIGNATURE" in codes(cross_check(fields(report), only_agency))


def test_personal_signature_after_agency(report: DocumentReport) -> None:
    sigs = [replace(s, index=i) for i, s in enumerate(
        [*report.signatures[1:], report.signatures[0]], start=1)]
    assert "PERSONAL_SIGNATURE_AFTER_AGENCY" in codes(cross_check(fields(report), sigs))


def test_signed_before_document_date(report: DocumentReport) -> None:
    found = cross_check(fields(report, date="2025-09-26"), report.signatures)
    before = [f for f in found if f.code == "SIGNED_BEFORE_DOCUMENT_DATE"]
    assert len(before) == 5 and "2025-09-25" in before[0].message.en


def test_signed_implausibly_late(report: DocumentReport) -> None:
    found = codes(cross_check(fields(report, date="2025-06-01"), report.signatures))
    assert found.count("SIGNED_LONG_AFTER_DOCUMENT_DATE") == 5
    ok = codes(cross_check(fields(report, date="2025-09-10"), report.signatures))
    assert "SIGNED_LONG_AFTER_DOCUMENT_DATE" not in ok


@pytest.mark.parametrize(("doc_type", "code", "expected"), [
    ("Quyết định", "QĐ", "DOC_TYPE_MATCHES_SYMBOL"),
    ("Quyết định", "KH", "DOC_TYPE_SYMBOL_MISMATCH"),
    ("Tờ trình", "TTr", "DOC_TYPE_MATCHES_SYMBOL"),
])
def test_type_code(report: DocumentReport, doc_type: str, code: str, expected: str) -> None:
    found = codes(cross_check(fields(report, doc_type=doc_type, doc_type_code=code),
                              report.signatures))
    assert expected in found


def test_stamp_naming_someone_else(report: DocumentReport) -> None:
    sigs = list(report.signatures)
    forged = "Nguyễn Văn Giả <gia@haiduong.gov.vn> đã ký lên văn bản này!"
    sigs[0] = replace(sigs[0], declared=replace(sigs[0].declared, reason=forged))
    found = cross_check(fields(report), sigs)
    (warning,) = [f for f in found if f.code == "STAMP_NAMES_OTHER_SIGNER"]
    assert warning.severity.value == "WARNING"
    assert "Nguyễn Văn Giả" in warning.message.vi and "#1" in warning.message.en


def test_no_document_fields(report: DocumentReport) -> None:
    """An image-only document: only the signature-side checks remain."""
    found = codes(cross_check(None, report.signatures))
    assert "SIGNER_NAME_MATCHES_CERTIFICATE" not in found
    assert found.count("STAMP_MATCHES_CERTIFICATE") == 5
