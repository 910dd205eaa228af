"""A CMS SignedData with several SignerInfos: the first is validated, as EU DSS does.

The documents are real pyHanko signatures of a fresh document under the test PKI,
whose CMS is rewritten in /Contents (outside the signed byte ranges, zero-padded to the
placeholder's size, so no offset moves) to hold its SignerInfo twice — or a broken copy
first and the genuine one second, which must never pass on the strength of the second.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from asn1crypto import cms, parser

from tests.conftest import shared_path
from tests.helpers import OFFLINE, codes, fixture_trust
from tests.signing import issue_signer, sign_pdf
from vnsign import Indication, Policy, SignatureReport, TrustStore, verify

_CONTENTS = re.compile(rb"/Contents <([0-9A-Fa-f]+)>")
SignerInfos = Callable[[cms.SignerInfo], list[cms.SignerInfo]]


@pytest.fixture(scope="module")
def signed() -> bytes:
    return sign_pdf(issue_signer("Nguyễn Văn An", serial=0x5EC1001))


def _with_signer_infos(pdf: bytes, build: SignerInfos) -> bytes:
    """``pdf`` whose CMS holds the SignerInfos ``build`` makes from its own one, in that
    order (asn1crypto would sort a SET OF as DER wants; a signer need not)."""
    match = _CONTENTS.search(pdf)
    assert match is not None
    info = cms.ContentInfo.load(bytes.fromhex(match.group(1).decode()), strict=False)
    signed_data = info["content"]
    original = signed_data["signer_infos"][0]
    body = b"".join(item.dump() for item in build(original))
    signed_data["signer_infos"] = cms.SignerInfos.load(parser.emit(0, 1, 17, body))
    new = info.dump().hex().upper().encode()
    room = len(match.group(1))
    assert len(new) <= room
    return pdf[:match.start(1)] + new.ljust(room, b"0") + pdf[match.end(1):]


def _copy(signer_info: cms.SignerInfo) -> cms.SignerInfo:
    return cms.SignerInfo.load(signer_info.dump())


def _broken(signer_info: cms.SignerInfo) -> cms.SignerInfo:
    """The same SignerInfo with the last byte of its signature value flipped."""
    copy = _copy(signer_info)
    value = bytearray(copy["signature"].native)
    value[-1] ^= 0x01
    copy["signature"] = bytes(value)
    return cms.SignerInfo.load(copy.dump())


def _finding(sig: SignatureReport, code: str) -> str:
    found = [f for f in sig.findings if f.code == code]
    assert len(found) == 1, codes(sig.findings)
    return found[0].message.en


def test_signer_info_twice_is_validated_on_the_first(signed: bytes) -> None:
    single = verify(signed, trust=fixture_trust(), policy=OFFLINE).signatures[0]
    assert single.indication == Indication.PASSED  # the control: the document as signed
    pdf = _with_signer_infos(signed, lambda si: [_copy(si), _copy(si)])
    report = verify(pdf, trust=fixture_trust(), policy=OFFLINE)
    sig = report.signatures[0]
    assert (report.indication, sig.indication, sig.sub_indication) == (
        Indication.PASSED, Indication.PASSED, None)
    assert sig.integrity.digest_matches is True and sig.integrity.signature_valid is True
    assert sig.signer is not None and sig.signer.common_name == "Nguyễn Văn An"
    assert sig.chain is not None and sig.chain.trusted is True
    assert sig.digest_algorithm == single.digest_algorithm
    assert sig.signature_algorithm == single.signature_algorithm
    finding = [f for f in sig.findings if f.code == "CMS_SEVERAL_SIGNERS"]
    assert len(finding) == 1 and finding[0].severity == "WARNING"
    assert "2 signer infos" in finding[0].message.en and "first" in finding[0].message.en
    assert "2 khối thông tin người ký" in finding[0].message.vi
    assert not {"CMS_MALFORMED", "SIGNATURE_UNREADABLE"} & set(codes(sig.findings))
    # Everything else is what the genuine single-signer document gets.
    assert set(codes(sig.findings)) - {"CMS_SEVERAL_SIGNERS"} == set(codes(single.findings))


def test_signer_info_twice_without_trust_is_untrusted_not_unreadable(signed: bytes) -> None:
    pdf = _with_signer_infos(signed, lambda si: [_copy(si), _copy(si)])
    sig = verify(pdf, trust=TrustStore(), policy=OFFLINE).signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                    "NO_CERTIFICATE_CHAIN_FOUND")
    assert sig.integrity.digest_matches is True
    assert "CMS_SEVERAL_SIGNERS" in codes(sig.findings)


def test_a_broken_first_signer_info_is_not_saved_by_a_good_second(signed: bytes) -> None:
    pdf = _with_signer_infos(signed, lambda si: [_broken(si), _copy(si)])
    report = verify(pdf, trust=fixture_trust(), policy=OFFLINE)
    sig = report.signatures[0]
    assert report.indication != Indication.PASSED
    assert (sig.indication, sig.sub_indication) == (Indication.FAILED, "SIG_CRYPTO_FAILURE")
    assert sig.integrity.signature_valid is False
    assert "SIGNATURE_CRYPTO_INVALID" in codes(sig.findings)
    assert "2 signer infos" in _finding(sig, "CMS_SEVERAL_SIGNERS")


def test_a_good_first_is_judged_alone_even_with_a_broken_second(signed: bytes) -> None:
    """As EU DSS: the others are ignored, so they change nothing either way."""
    pdf = _with_signer_infos(signed, lambda si: [_copy(si), _broken(si)])
    sig = verify(pdf, trust=fixture_trust(), policy=OFFLINE).signatures[0]
    assert sig.indication == Indication.PASSED
    assert "2 signer infos" in _finding(sig, "CMS_SEVERAL_SIGNERS")


def test_no_signer_info_stays_unreadable(signed: bytes) -> None:
    pdf = _with_signer_infos(signed, lambda si: [])
    report = verify(pdf, trust=fixture_trust(), policy=OFFLINE)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "FORMAT_FAILURE")
    assert "0 SignerInfos" in _finding(sig, "SIGNATURE_UNREADABLE")
    assert "CMS_SEVERAL_SIGNERS" not in codes(sig.findings)
    assert "INTERNAL_ERROR" not in codes(sig.findings) + codes(report.findings)


def test_dss_double_signer_info() -> None:
    """EU DSS's own file: one signature, intact, its first SignerInfo validated."""
    path = shared_path("corpora", "dss", "pdf-double-signer-info.pdf")
    report = verify(path, trust=TrustStore(), policy=Policy(offline=True))
    (sig,) = report.signatures
    assert sig.integrity.digest_matches is True and sig.integrity.signature_valid is True
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                    "NO_CERTIFICATE_CHAIN_FOUND")
    assert "2 signer infos" in _finding(sig, "CMS_SEVERAL_SIGNERS")
