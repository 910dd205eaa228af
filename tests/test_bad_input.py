"""Bad input gets a clear, non-PASSED result — never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vnsign import Indication, Policy, verify

OFFLINE = Policy(offline=True)


def codes(report):  # type: ignore[no-untyped-def]
    return [f.code for f in report.findings]


def test_empty_bytes() -> None:
    report = verify(b"", policy=OFFLINE)
    assert report.indication == Indication.INDETERMINATE
    assert report.sub_indication == "FORMAT_FAILURE"
    assert codes(report) == ["INPUT_EMPTY"]
    assert report.file.size == 0
    assert report.signatures == ()


def test_not_a_pdf() -> None:
    report = verify(b"hello, this is plain text\n" * 10, policy=OFFLINE)
    assert report.indication == Indication.INDETERMINATE
    assert codes(report) == ["INPUT_NOT_PDF"]


def test_missing_file(tmp_path: Path) -> None:
    report = verify(tmp_path / "nope.pdf", policy=OFFLINE)
    assert report.indication == Indication.INDETERMINATE
    assert codes(report) == ["INPUT_IO_ERROR"]
    assert report.file.path == str(tmp_path / "nope.pdf")


def test_too_large() -> None:
    report = verify(b"%PDF-1.7\n" + b"0" * 100, policy=Policy(offline=True, max_file_size=50))
    assert codes(report) == ["INPUT_TOO_LARGE"]
    assert report.indication == Indication.INDETERMINATE


def test_header_only() -> None:
    report = verify(b"%PDF-1.7\n", policy=OFFLINE)
    assert report.indication in (Indication.INDETERMINATE, Indication.NO_SIGNATURE)
    assert report.indication != Indication.PASSED


def test_file_object_and_bytes_agree() -> None:
    data = b"%PDF-1.4\ngarbage"
    a = verify(data, policy=OFFLINE)
    b = verify(io.BytesIO(data), policy=OFFLINE)
    assert a.file.sha256 == b.file.sha256
    assert a.indication == b.indication


@pytest.mark.parametrize("cut", [10, 200, 1000, 5000])
def test_truncated_minimal_pdf(cut: int) -> None:
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
           b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n") * 20
    report = verify(pdf[:cut], policy=OFFLINE)
    assert report.indication != Indication.PASSED
