"""The one-pass /ByteRange digests are the digests pyHanko computes itself.

vnsign.pdf.range_digests hands pyHanko every signature's digest, computed in one pass
over the file. A wrong digest would turn a tampered file's FAILED into a PASSED (or a
genuine one's PASSED into FAILED), so each one is compared with pyHanko's own
``byte_range_digest`` on every signed PDF committed here (the attack files among them)
and on the real documents in ../shared when present, and the shapes it must leave to
pyHanko are checked to stay pyHanko's.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.sign.general import byte_range_digest

from tests.conftest import FIXTURES, ROOT
from vnsign.pdf import range_digests
from vnsign.pdf.reader import PdfReader
from vnsign.validation.legacy import load_signature

SHARED = ROOT.parent / "shared" / "corpora" / "realvn"


def _signatures(data: bytes) -> list[Any]:
    from vnsign.pdf.fields import filled_signature_fields

    reader = PdfReader(io.BytesIO(data), strict=False)
    found = []
    for fld in filled_signature_fields(reader):
        try:
            found.append(load_signature(reader, fld.field_ref, fld.name))
        except Exception:
            continue  # unreadable: pyHanko's to judge, nothing to prefill
    return found


def _own_digest(emb: Any) -> bytes:
    """What pyHanko computes when nothing is in its cache."""
    return byte_range_digest(emb.reader.stream, byte_range=emb.byte_range,
                             md_algorithm=emb.external_md_algorithm)[1]


def _signed_files() -> list[Path]:
    found = sorted(FIXTURES.rglob("*.pdf"))
    if SHARED.is_dir():
        found += sorted(SHARED.rglob("*.pdf"))
    return found


@pytest.mark.parametrize("path", _signed_files(), ids=lambda p: p.name)
def test_every_prefilled_digest_is_pyhankos(path: Path) -> None:
    data = path.read_bytes()
    try:
        signatures = _signatures(data)
    except Exception:
        pytest.skip("no signature form pyHanko can read")
    made = range_digests.prefill(data, signatures)
    for emb in signatures:
        cached = emb.external_digests.get(emb.external_md_algorithm)
        if cached is None:
            continue
        assert cached == _own_digest(emb), emb.field_name
    if len({emb.external_md_algorithm for emb in signatures}) == 1 and \
            len(signatures) > 1 and \
            all(range_digests._plain_ranges(e.byte_range, len(data)) for e in signatures):
        assert made == len(signatures)


def test_a_five_signature_document_is_hashed_in_one_pass() -> None:
    data = (FIXTURES / "cong-van-2971-snv-vp.pdf").read_bytes()
    signatures = _signatures(data)
    assert len(signatures) == 5
    assert range_digests.prefill(data, signatures) == 5
    assert [e.compute_digest() for e in signatures] == [_own_digest(e) for e in signatures]
    # pyHanko's check of the digest finds the same value it would have computed
    assert all(e.compute_digest() is e.external_digests[e.external_md_algorithm]
               for e in signatures)


def test_a_tampered_file_keeps_its_wrong_digest() -> None:
    data = (FIXTURES / "tampered-flipped-byte.pdf").read_bytes()
    signatures = _signatures(data) * 2  # the same signature twice: a pass is shared
    range_digests.prefill(data, signatures)
    emb = signatures[0]
    assert emb.compute_digest() == _own_digest(emb)
    signed_attrs = emb.signer_info["signed_attrs"]
    declared = next(a["values"][0].native for a in signed_attrs
                    if a["type"].native == "message_digest")
    assert emb.compute_digest() != declared


class _Fake:
    def __init__(self, byte_range: Any, algorithm: str = "sha256") -> None:
        self.byte_range = byte_range
        self.external_md_algorithm = algorithm
        self.external_digests: dict[str, bytes] = {}


def _array(*values: Any) -> generic.ArrayObject:
    return generic.ArrayObject([v if isinstance(v, generic.PdfObject) else
                                generic.NumberObject(v) for v in values])


def test_shapes_pyhanko_reads_its_own_way_are_left_to_it() -> None:
    data = bytes(range(256)) * 8
    left = [
        _Fake(_array(1, 10, 20, 10)),  # not from byte 0
        _Fake(_array(0, 10, 20)),  # three numbers
        _Fake(_array(0, 10, 2000, 100)),  # past the end of the file
        _Fake(_array(0, 4000, 20, 10)),  # the first range past the end
        _Fake(_array(0, -1, 20, 10)),  # negative
        _Fake(_array(0, 10, generic.FloatObject(20), 10)),  # not a byte count
        _Fake(_array(0, 10, generic.BooleanObject(True), 10)),
        _Fake(generic.IndirectObject(1, 0, None)),  # a reference, not an array
        _Fake(_array(0, 10, 20, 10), "no-such-digest"),
        _Fake(_array(0, 12, 20, 10), "no-such-digest"),
    ]
    assert range_digests.prefill(data, left) == 0
    assert all(not fake.external_digests for fake in left)


def test_overlapping_and_unordered_ranges_hash_what_pyhanko_hashes() -> None:
    import hashlib

    data = bytes(range(256)) * 40
    fakes = [_Fake(_array(0, 900, 300, 2000)), _Fake(_array(0, 100, 50, 10)),
             _Fake(_array(0, 5000, 5000, 0)), _Fake(_array(0, 0, 0, 10240)),
             _Fake(_array(0, 900, 950, 10), "sha1")]
    assert range_digests.prefill(data, fakes) == 4  # the lone SHA-1 one is pyHanko's
    for fake in fakes[:4]:
        _, a, b, c = (int(v) for v in fake.byte_range)
        assert fake.external_digests["sha256"] == \
            hashlib.sha256(data[:a] + data[b:b + c]).digest()
        assert fake.external_digests["sha256"] == byte_range_digest(
            io.BytesIO(data), byte_range=fake.byte_range, md_algorithm="sha256")[1]
    assert not fakes[4].external_digests


def test_a_digest_already_known_is_not_replaced() -> None:
    data = bytes(1000)
    fakes = [_Fake(_array(0, 10, 20, 10)), _Fake(_array(0, 30, 40, 10))]
    fakes[0].external_digests["sha256"] = b"given"
    assert range_digests.prefill(data, fakes) == 0  # one left: nothing shared
    assert fakes[0].external_digests["sha256"] == b"given"
