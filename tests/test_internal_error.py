"""A bug in vnsign is not an unreadable file: INTERNAL_ERROR, with the traceback logged.

``verify()`` never raises for a document, so before this distinction every exception —
a parser refusing a hostile file, or an ``AttributeError`` in vnsign's own code — became
INPUT_UNREADABLE, and the fuzzers could hardly fail. Here a step is made to fail inside
vnsign's own code (a vnsign function called with a wrong argument) and the report must
say INTERNAL_ERROR, where it happened, and no verdict about the file.
"""

from __future__ import annotations

import logging

import pytest

import vnsign.validation.signature
import vnsign.verifier
from tests.conftest import FIXTURES
from tests.helpers import check, codes
from vnsign import Indication, SubIndication
from vnsign.errors import internal_origin
from vnsign.pdf.source import sha256_file


def _vnsign_bug(*args: object, **kwargs: object) -> None:
    sha256_file(None)  # type: ignore[arg-type]  # TypeError raised inside vnsign's code


def test_a_bug_in_a_document_step_is_an_internal_error(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(vnsign.verifier, "document_metadata", _vnsign_bug)
    with caplog.at_level(logging.DEBUG, logger="vnsign"):
        report = check("cong-van-2971-snv-vp.pdf")
    assert (report.indication, report.sub_indication) == (Indication.INDETERMINATE,
                                                           SubIndication.GENERIC)
    assert codes(report.findings) == ["INTERNAL_ERROR"]
    message = report.findings[0].message
    assert "TypeError" in message.en and "vnsign/pdf/source.py:" in message.en
    assert "lỗi của phần mềm" in message.vi
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert logged and "vnsign/pdf/source.py" in logged[0].getMessage()


def test_a_bug_while_building_a_signature_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vnsign.validation.signature, "build_report", _vnsign_bug)
    report = check("signed-doc-timestamp.pdf")
    assert report.indication == Indication.INDETERMINATE
    for sig in report.signatures:
        assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                        SubIndication.GENERIC)
        assert codes(sig.findings)[0] == "INTERNAL_ERROR"


def test_a_file_the_parser_refuses_is_not_an_internal_error() -> None:
    # pyHanko refuses the truncated file; vnsign reads its intact revisions instead
    # (vnsign.pdf.recovery): a damaged input, not a bug.
    report = check("truncated.pdf")
    assert codes(report.findings)[0] == "FILE_DAMAGED"
    assert report.sub_indication == SubIndication.FORMAT_FAILURE
    assert all("INTERNAL_ERROR" not in codes(s.findings) for s in report.signatures)


def test_where_an_exception_was_raised_decides() -> None:
    from asn1crypto import x509

    with pytest.raises(TypeError) as bug:
        _vnsign_bug()
    assert (internal_origin(bug.value) or "").startswith("vnsign/pdf/source.py:")
    with pytest.raises(ValueError) as refused:  # asn1crypto refusing the bytes
        _ = x509.Certificate.load((FIXTURES / "not-a-pdf.pdf").read_bytes()).native
    assert internal_origin(refused.value) is None
    with pytest.raises(MemoryError) as exhausted:  # a resource limit, wherever it strikes
        raise MemoryError
    assert internal_origin(exhausted.value) is None
