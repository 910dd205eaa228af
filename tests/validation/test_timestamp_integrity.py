"""A signature timestamp's own integrity is checked even when nobody trusts its TSA.

The main fixture has two timestamped signatures (1 and 5). Copying the token of
signature 1 into signature 5's CMS (an unsigned attribute, in /Contents, outside the
signed byte ranges) gives what EU DSS's ``pades-two-sig-copied-tst.pdf`` tests: both
signatures intact, signature 5's token a genuine token of another signature value, so
its message imprint does not match. Without trust the token must still be reported
invalid; an intact token of an untrusted signer stays "not checked", as before.
"""

from __future__ import annotations

import re

from asn1crypto import cms

from tests.conftest import FIXTURES, shared_path
from tests.helpers import OFFLINE, codes, fixture_trust
from vnsign import Indication, Policy, SignatureReport, TrustStore, verify

MAIN = FIXTURES / "cong-van-2971-snv-vp.pdf"
_CONTENTS = re.compile(rb"/Contents <([0-9A-Fa-f]+)>")


def _signed_data(hex_value: bytes) -> cms.ContentInfo:
    return cms.ContentInfo.load(bytes.fromhex(hex_value.decode()), strict=False)


def _with_token(pdf: bytes, target: int, token: cms.ContentInfo) -> bytes:
    """``pdf`` with the signature timestamp of its ``target``-th /Contents replaced.

    The new CMS is zero-padded to the placeholder's length, so no offset moves and the
    signed byte ranges are untouched.
    """
    match = list(_CONTENTS.finditer(pdf))[target]
    info = _signed_data(match.group(1))
    signer_info = info["content"]["signer_infos"][0]
    signer_info["unsigned_attrs"] = cms.CMSAttributes([cms.CMSAttribute({
        "type": "signature_time_stamp_token", "values": [token]})])
    new = info.dump().hex().upper().encode()
    room = len(match.group(1))
    assert len(new) <= room
    return pdf[:match.start(1)] + new.ljust(room, b"0") + pdf[match.end(1):]


def _token_of(pdf: bytes, index: int) -> cms.ContentInfo:
    info = _signed_data(list(_CONTENTS.finditer(pdf))[index].group(1))
    attr = info["content"]["signer_infos"][0]["unsigned_attrs"][0]
    token: cms.ContentInfo = attr["values"][0]
    return token


def _copied_token_pdf() -> bytes:
    pdf = MAIN.read_bytes()
    return _with_token(pdf, 4, _token_of(pdf, 0))  # signature 5 gets signature 1's token


def _broken_token_pdf() -> bytes:
    """Signature 5 with one byte of its own token's signature value flipped."""
    pdf = MAIN.read_bytes()
    token = _token_of(pdf, 4)
    tsa_signer = token["content"]["signer_infos"][0]
    value = bytearray(tsa_signer["signature"].native)
    value[-1] ^= 0x01
    tsa_signer["signature"] = bytes(value)
    return _with_token(pdf, 4, cms.ContentInfo.load(token.dump()))


def _token_without_certificates_pdf() -> bytes:
    """Signature 5 with its own token, the TSA's certificate left out (RFC 3161 certReq)."""
    pdf = MAIN.read_bytes()
    token = _token_of(pdf, 4)
    del token["content"]["certificates"]
    return _with_token(pdf, 4, cms.ContentInfo.load(token.dump()))


def _detail(sig: SignatureReport, code: str) -> str:
    found = [f for f in sig.findings if f.code == code]
    assert found, codes(sig.findings)
    return found[0].message.en


def test_copied_token_is_invalid_without_trust() -> None:
    report = verify(_copied_token_pdf(), trust=TrustStore(), policy=OFFLINE)
    first, copied = report.signatures[0], report.signatures[4]
    assert report.indication == Indication.INDETERMINATE
    for sig in report.signatures:
        assert sig.integrity.digest_matches is True and sig.integrity.signature_valid is True
        assert sig.indication == Indication.INDETERMINATE
    assert copied.time.timestamp is not None
    assert copied.time.timestamp.status == "INVALID"
    assert copied.time.timestamp.valid is False and copied.time.best_proven is None
    assert "message imprint" in _detail(copied, "TIMESTAMP_INVALID")
    assert "TIMESTAMP_NOT_CHECKED" not in codes(copied.findings)
    # The token where it belongs is intact: unchecked (untrusted TSA), not invalid.
    assert first.time.timestamp is not None and first.time.timestamp.status == "NOT_CHECKED"
    assert "TIMESTAMP_NOT_CHECKED" in codes(first.findings)
    assert "TIMESTAMP_INVALID" not in codes(first.findings)


def test_token_with_a_bad_signature_is_invalid_without_trust() -> None:
    sig = verify(_broken_token_pdf(), trust=TrustStore(), policy=OFFLINE).signatures[4]
    assert sig.integrity.digest_matches is True
    assert sig.indication == Indication.INDETERMINATE
    assert sig.time.timestamp is not None and sig.time.timestamp.status == "INVALID"
    assert "does not verify" in _detail(sig, "TIMESTAMP_INVALID")


def test_token_without_its_certificate_stays_unchecked_without_trust() -> None:
    """Its imprint matches; its signature needs the TSA's certificate, which only a
    chain could supply: not invalid, not checked."""
    sig = verify(_token_without_certificates_pdf(), trust=TrustStore(),
                 policy=OFFLINE).signatures[4]
    assert sig.time.timestamp is not None and sig.time.timestamp.status == "NOT_CHECKED"
    assert "TIMESTAMP_INVALID" not in codes(sig.findings)


def test_copied_token_with_trust_proves_no_time() -> None:
    """Trusted signer and TSA: the copied token is invalid (its imprint), the time is
    not proven; the signer's own signature is judged at the validation time."""
    report = verify(_copied_token_pdf(), trust=fixture_trust(), policy=OFFLINE)
    first, copied = report.signatures[0], report.signatures[4]
    assert first.time.timestamp is not None and first.time.timestamp.status == "VALID"
    assert copied.time.timestamp is not None and copied.time.timestamp.status == "INVALID"
    assert copied.time.best_proven is None
    assert {"TIMESTAMP_INVALID", "VALIDATED_AT_CURRENT_TIME"} <= set(codes(copied.findings))


def test_dss_copied_signature_timestamp() -> None:
    """EU DSS's own file: its second signature's token is the first one's."""
    path = shared_path("corpora", "dss", "pades-two-sig-copied-tst.pdf")
    report = verify(path, trust=TrustStore(), policy=Policy(offline=True))
    first, second = report.signatures
    assert report.indication == Indication.INDETERMINATE
    assert first.integrity.digest_matches is True and second.integrity.digest_matches is True
    assert first.time.timestamp is not None and first.time.timestamp.status == "NOT_CHECKED"
    assert second.time.timestamp is not None and second.time.timestamp.valid is False
    assert "message imprint" in _detail(second, "TIMESTAMP_INVALID")
