"""Hostile input: every malformed or malicious file gets a clear result, never a traceback.

The files are built here, in memory, from a few lines each (the signed ones start from
tests/fixtures/attacks/base-signed.pdf). The assertions are about the verdict and the
finding codes, never about speed: the time limit is exercised by making a step slow
on purpose and checking that the report says TIME_LIMIT_EXCEEDED.
"""

from __future__ import annotations

import random
import re
import signal
import struct
import threading
import time
import zlib
from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, codes, fixture_trust
from vnsign import DocumentReport, Indication, verify

TRUST = fixture_trust()
SIGNED = (FIXTURES / "attacks" / "base-signed.pdf").read_bytes()
NOT_PASSED = {Indication.FAILED, Indication.INDETERMINATE, Indication.NO_SIGNATURE}


def run(data: bytes, **changes: Any) -> DocumentReport:
    report = verify(data, trust=TRUST, policy=replace(OFFLINE, **changes))
    report.to_dict()  # the report must also serialise
    # A hostile file is refused by the parsers or judged by the rules, never by a bug
    # in vnsign's own code that verify()'s last guard happened to catch.
    assert "INTERNAL_ERROR" not in codes(report.every_finding()), report.every_finding()
    return report


UNREADABLE = (Indication.INDETERMINATE, "FORMAT_FAILURE", ("INPUT_UNREADABLE",))
UNSIGNED = (Indication.NO_SIGNATURE, None, ("NO_SIGNATURES",))


def outcome(report: DocumentReport) -> tuple[Indication, str | None, tuple[str, ...]]:
    """The document's verdict and its own finding codes (unsigned inputs have no more)."""
    assert report.signatures == ()
    return report.indication, report.sub_indication, tuple(codes(report.findings))


def pdf(objects: dict[int, bytes], *, root: int = 1, prev: int | None = None) -> bytes:
    """A minimal PDF with a classic xref table (objects given as raw bodies)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[num]) if num in offsets \
            else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root)
    if prev is not None:
        out += b" /Prev %d" % (xref if prev < 0 else prev)
    out += b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_doc(content: bytes, extra: bytes = b"") -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R %s>>"
           % extra,
        4: content,
    }


def stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), filters) + data + b"\nendstream"


# -- truncation -------------------------------------------------------------------------

def cut_points() -> list[int]:
    size = len(SIGNED)
    points = {size * i // 40 for i in range(1, 40)}
    _, start1_len, start2, _ = (int(v) for v in re.findall(
        rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", SIGNED)[0])
    points |= {start1_len, start1_len + 1, start2 - 1, start2 + 1, size - 1, size - 6,
               SIGNED.rindex(b"startxref"), SIGNED.rindex(b"xref")}
    return sorted(p for p in points if 0 < p < size)


@pytest.mark.parametrize("cut", cut_points())
def test_truncated_signed_file_is_never_passed(cut: int) -> None:
    report = run(SIGNED[:cut])
    assert report.indication in NOT_PASSED
    assert report.indication != Indication.PASSED


def test_truncated_fixture_reports_the_signatures_of_its_intact_revisions() -> None:
    # Cut inside the revision adding Signature3: revisions 1-3 are read and verified,
    # Signature1 and Signature2 reported, each FAILED because bytes that no readable
    # revision owns follow (the file cannot be relied on); Signature3-5 are gone.
    report = run((FIXTURES / "truncated.pdf").read_bytes())
    assert (report.indication, report.sub_indication) == (Indication.FAILED,
                                                           "FORMAT_FAILURE")
    assert codes(report.findings)[0] == "FILE_DAMAGED"
    assert [(s.field, s.indication, s.sub_indication, s.integrity.digest_matches)
            for s in report.signatures] == [
        ("Signature1", Indication.FAILED, "FORMAT_FAILURE", True),
        ("Signature2", Indication.FAILED, "FORMAT_FAILURE", True)]
    for signature in report.signatures:
        assert "DATA_AFTER_LAST_REVISION" in codes(signature.findings)


def test_a_file_without_a_readable_revision_still_reports_its_signature() -> None:
    # Every cross-reference section broken: no intact revision at all. The signature is
    # found by scanning for /ByteRange and verified over its byte range (the broken
    # sections lie inside it, so the digest no longer matches), and FAILED because the
    # structure is damaged.
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n999999999", SIGNED)
    broken = broken.replace(b"\nxref", b"\nXREF")
    report = run(broken)
    assert report.indication == Indication.FAILED
    assert codes(report.findings) == ["INPUT_UNREADABLE"]
    [signature] = report.signatures
    assert (signature.indication, signature.sub_indication) == (Indication.FAILED,
                                                                "FORMAT_FAILURE")
    assert codes(signature.findings) == ["FILE_STRUCTURE_DAMAGED", "HASH_MISMATCH"]
    assert signature.integrity.digest_matches is False
    assert signature.signer is not None and signature.signer.common_name


def test_a_signature_in_the_unreadable_part_of_a_file_is_reported() -> None:
    # The last revision's startxref is broken: the revision before it (the unsigned
    # letter) is verified, and the signature of the broken revision is found by
    # scanning (the broken offset is part of what it signed, so the digest fails too).
    at = SIGNED.rindex(b"startxref")
    broken = SIGNED[:at] + b"startxref\n999999999\n%%EOF\n"
    report = run(broken)
    assert report.indication == Indication.FAILED
    assert codes(report.findings)[0] == "FILE_DAMAGED"
    [signature] = report.signatures
    assert codes(signature.findings) == ["FILE_STRUCTURE_DAMAGED", "HASH_MISMATCH"]
    assert signature.integrity.digest_matches is False


# -- nothing like a PDF -------------------------------------------------------------------

def test_zero_bytes() -> None:
    report = run(b"")
    assert (report.indication, report.sub_indication) == (Indication.INDETERMINATE,
                                                           "FORMAT_FAILURE")
    assert codes(report.findings) == ["INPUT_EMPTY"]


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes(seed: int) -> None:
    rng = random.Random(seed)
    body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(10, 20_000)))
    data = (b"%PDF-1.7\n" + body) if seed % 2 else body
    report = run(data)
    if seed % 2:  # a header, then noise: refused by the parser (or, repaired, unsigned)
        assert outcome(report) in (UNREADABLE, UNSIGNED)
    else:
        assert outcome(report) == (Indication.INDETERMINATE, "FORMAT_FAILURE",
                                   ("INPUT_NOT_PDF",))


def test_header_only() -> None:
    report = run(b"%PDF-1.7\n")
    assert (report.indication, report.sub_indication) == (Indication.INDETERMINATE,
                                                           "FORMAT_FAILURE")
    assert codes(report.findings) == ["INPUT_UNREADABLE"]


# -- structures that make parsers recurse, loop or allocate ------------------------------

@pytest.mark.parametrize("opening,closing", [(b"[", b"]"), (b"<< /A ", b" >>")])
def test_deep_nesting(opening: bytes, closing: bytes) -> None:
    deep = opening * 50_000 + b"0" + closing * 50_000
    report = run(pdf({**page_doc(stream(b"BT ET")), 5: deep,
                      1: b"<< /Type /Catalog /Pages 2 0 R /Deep 5 0 R >>"}))
    assert outcome(report) == UNSIGNED  # the deep object is never needed: the page is read
    assert report.file.pages == 1


def test_flate_bomb_in_page_content() -> None:
    bomb = zlib.compress(b" " * (64 * 1024 * 1024), 9)  # 64 MiB from ~64 kB
    report = run(pdf(page_doc(stream(bomb, b"/Filter /FlateDecode "))))
    assert report.indication == Indication.NO_SIGNATURE
    assert codes(report.findings) == ["NO_SIGNATURES"]


def test_flate_bomb_appended_after_signing() -> None:
    bomb = zlib.compress(b"0 0 m " * (8 * 1024 * 1024), 9)
    start = len(SIGNED)
    prev = int(re.findall(rb"startxref\s+(\d+)", SIGNED)[-1])
    size = int(re.findall(rb"/Size\s+(\d+)", SIGNED)[-1])
    update = b"5 0 obj\n" + stream(bomb, b"/Filter /FlateDecode ") + b"\nendobj\n"
    xref = start + len(update)
    update += b"xref\n5 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" \
        b"startxref\n%d\n%%%%EOF\n" % (start, size, prev, xref)
    report = run(SIGNED + update)
    assert (report.indication, report.sub_indication) == (Indication.FAILED, "FORMAT_FAILURE")
    assert "MODIFIED_DISALLOWED" in codes(report.signatures[0].findings)


@pytest.mark.parametrize("prev", [-1, 9])
def test_circular_prev_chain(prev: int) -> None:
    """/Prev pointing at its own xref section (or at junk)."""
    report = run(pdf(page_doc(stream(b"BT ET")), prev=prev))
    assert outcome(report) in (UNREADABLE, UNSIGNED)


def test_circular_page_tree() -> None:
    objects = page_doc(stream(b"BT ET"))
    objects[2] = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
    report = run(pdf(objects))
    assert outcome(report) == UNSIGNED


def object_stream_pdf(member: bytes) -> bytes:
    """A one-page PDF whose catalog's /AcroForm, object 5, is ``member`` in an object
    stream (the xref is a cross-reference stream, as object streams need)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}
    head = b"5 0 "
    bodies = {1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
              2: b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
              6: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
              3: b"<< /Type /ObjStm /N 1 /First %d /Length %d >>\nstream\n"
                 % (len(head), len(head + member)) + head + member + b"\nendstream"}
    for num, body in bodies.items():
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    offsets[4] = len(out)
    rows = [(0, 0, 65535)] + [(2, 3, 0) if n == 5 else (1, offsets[n], 0) for n in range(1, 7)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"4 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" \
        % len(table) + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[4]
    return bytes(out)


def test_an_object_that_is_a_comment_to_the_end_of_its_stream() -> None:
    """pyHanko's parser loops forever on such an object: 424 bytes took the whole time
    limit (TIME_LIMIT_EXCEEDED after 30 CPU seconds). vnsign's object reader refuses it
    at once."""
    report = run(object_stream_pdf(b"%no line end follows"), time_limit=60.0)
    assert outcome(report) == UNREADABLE
    assert outcome(run(object_stream_pdf(b"<< /Fields [] >>"))) == UNSIGNED


def test_huge_array() -> None:
    huge = b"[" + b"0 " * 1_000_000 + b"]"
    report = run(pdf({**page_doc(stream(b"BT ET")), 5: huge,
                      1: b"<< /Type /Catalog /Pages 2 0 R /Huge 5 0 R >>"}))
    assert outcome(report) == UNSIGNED


def test_hundreds_of_signature_fields() -> None:
    """300 signature fields with garbage CMS: one clear result each, all non-PASSED."""
    count = 300
    objects = page_doc(stream(b"BT ET"))
    fields = []
    for i in range(count):
        field, value = 10 + 2 * i, 11 + 2 * i
        fields.append(b"%d 0 R" % field)
        objects[field] = b"<< /FT /Sig /T (Sig%d) /V %d 0 R >>" % (i, value)
        objects[value] = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
                          b"/ByteRange [0 10 20 30] /Contents <3082%04X> >>" % i)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >> >>" \
        % b" ".join(fields)
    report = run(pdf(objects))
    assert report.indication == Indication.FAILED
    assert report.summary.signatures == count
    assert report.summary.failed == count
    assert all(s.sub_indication == "FORMAT_FAILURE" for s in report.signatures)


def test_garbage_cms() -> None:
    _, start1_len, start2, _ = (int(v) for v in re.findall(
        rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", SIGNED)[0])
    rng = random.Random(7)
    garbage = bytes(rng.getrandbits(8) for _ in range((start2 - start1_len - 2) // 2))
    data = SIGNED[:start1_len] + b"<" + garbage.hex().encode() + b">" + SIGNED[start2:]
    report = run(data)
    assert report.indication in (Indication.FAILED, Indication.INDETERMINATE)
    signature = report.signatures[0]
    assert "SIGNATURE_UNREADABLE" in codes(signature.findings) or \
        signature.indication == Indication.FAILED


@pytest.mark.parametrize("name", ["weak-sha1", "weak-md5"])
def test_weak_digests_never_pass(name: str) -> None:
    report = run((FIXTURES / "attacks" / f"{name}.pdf").read_bytes())
    assert (report.indication, report.sub_indication) == (Indication.INDETERMINATE,
                                                           "CRYPTO_CONSTRAINTS_FAILURE")


def test_encrypted_without_password() -> None:
    report = run((FIXTURES / "encrypted.pdf").read_bytes())
    assert codes(report.findings) == ["PDF_ENCRYPTED"]
    assert report.indication == Indication.INDETERMINATE


def test_encrypt_dictionary_that_is_garbage() -> None:
    data = pdf(page_doc(stream(b"BT ET")))
    data = data.replace(b"trailer\n<< ", b"trailer\n<< /Encrypt << /Filter /Nonsense /V 99 >> ")
    report = run(data)
    assert report.indication == Indication.INDETERMINATE
    assert codes(report.findings) in (["INPUT_UNREADABLE"], ["PDF_ENCRYPTED"])


# -- the time limit -----------------------------------------------------------------------

def _slow_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    import vnsign.verifier

    def slow(view: Any, **options: Any) -> dict[str, Any]:
        time.sleep(30)
        raise AssertionError("the time limit did not interrupt the step")

    monkeypatch.setattr(vnsign.verifier, "document_metadata", slow)


def test_time_limit_interrupts_a_slow_step(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_metadata(monkeypatch)
    handler_before = signal.getsignal(signal.SIGALRM)
    report = run(SIGNED, time_limit=0.5)
    assert (report.indication, report.sub_indication) == (Indication.INDETERMINATE, "GENERIC")
    assert codes(report.findings) == ["TIME_LIMIT_EXCEEDED"]
    assert "0.5" in report.findings[0].message.en
    # the handler and the timer are put back as they were
    assert signal.getsignal(signal.SIGALRM) == handler_before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_in_a_worker_thread() -> None:
    """No signals outside the main thread: the checks between steps still apply."""
    result: list[DocumentReport] = []
    worker = threading.Thread(target=lambda: result.append(run(SIGNED, time_limit=1e-9)))
    worker.start()
    worker.join()
    assert codes(result[0].findings) == ["TIME_LIMIT_EXCEEDED"]


def test_time_limit_respects_the_callers_timer() -> None:
    """A caller's own alarm (a hang guard) survives verify() and still fires later."""
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        report = run(SIGNED, time_limit=20.0)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert report.indication == Indication.PASSED
        assert 0 < remaining <= 100.0
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_no_time_limit() -> None:
    report = run(SIGNED, time_limit=None)
    assert report.indication == Indication.PASSED


def test_time_limit_counts_work_not_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step that only waits uses no CPU: it runs on until the wall-clock backstop
    (three times the limit), so a busy machine cannot turn a verdict into a timeout."""
    import vnsign.verifier
    from vnsign.deadline import WALL_FACTOR

    real = vnsign.verifier.document_metadata

    def waits(view: Any, **options: Any) -> Any:
        time.sleep(1.5)  # longer than the limit, shorter than the backstop
        return real(view, **options)

    monkeypatch.setattr(vnsign.verifier, "document_metadata", waits)
    assert 1.5 < 1.0 * WALL_FACTOR
    started = time.monotonic()
    report = run(SIGNED, time_limit=1.0)
    assert report.indication == Indication.PASSED, codes(report.findings)
    assert time.monotonic() - started >= 1.5


def test_time_limit_stops_a_busy_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step that works without end is stopped by its CPU time, in the middle."""
    import vnsign.verifier

    def spins(view: Any, **options: Any) -> Any:
        while True:
            sum(range(1000))

    monkeypatch.setattr(vnsign.verifier, "document_metadata", spins)
    started = time.monotonic()
    report = run(SIGNED, time_limit=0.5)
    assert codes(report.findings) == ["TIME_LIMIT_EXCEEDED"]
    assert time.monotonic() - started < 10
