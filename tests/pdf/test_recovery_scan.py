"""vnsign.pdf.recovery finds an object header by looking back from the end; the answer
must be the one of the plain forward scan it replaced, on any bytes (hostile included)."""

from __future__ import annotations

import random
import re

import pytest

from vnsign.pdf import recovery

_HEADER = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")


def forward_scan(data: bytes, position: int) -> tuple[int, int, int] | None:
    """The reference: the last header match of a forward scan of the window."""
    last = None
    for match in _HEADER.finditer(data, max(0, position - recovery._LOOK_BACK), position):
        last = match
    if last is None or b"endobj" in data[last.end():position]:
        return None
    return last.start(), int(last.group(1)), int(last.group(2))


# Pieces a header scan can trip over: digit runs longer than a number may be, every
# kind of PDF white space, keywords glued to words, endobj, stream bytes.
_PIECES = [b"0", b"1", b"12", b"12345", b"123456", b"12345678901", b" ", b"\n", b"\r\n",
           b"\t", b"\x0b", b"\x0c", b"obj", b"endobj", b"objx", b"xobj", b"/ByteRange",
           b"<<", b">>", b"/Contents <00ff>", b"stream\n\x00\xff\x10\nendstream", b"%",
           b"9 0 obj", b"10 0 obj\n", b"4294967296 65535 obj", b"7  \n 3 obj",
           b"end", b"ob", b"j"]


def _random_bytes(rng: random.Random) -> bytes:
    return b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60)))


def test_the_same_header_as_the_forward_scan_on_random_bytes() -> None:
    rng = random.Random(13)
    checked = 0
    for _ in range(4000):
        data = _random_bytes(rng)
        for position in {len(data), rng.randint(0, len(data)), data.rfind(b"/ByteRange")}:
            if position < 0:
                continue
            assert recovery._header_before(data, position) == forward_scan(data, position), \
                (data, position)
            checked += 1
    assert checked > 8000


@pytest.mark.parametrize("window_shift", [0, 1, 2, 3, 5, 9])
def test_the_same_header_at_the_edge_of_the_window(window_shift: int) -> None:
    """A header cut by the start of the 64 KiB window: both see only what is inside it."""
    head = b"123 0 obj\n<< /Type /Sig "
    filler = b"0" * (recovery._LOOK_BACK - window_shift)
    data = head + filler + b" 5 0 obj /ByteRange"
    for position in (len(data), len(data) - len(b"/ByteRange"), len(head) + 4):
        assert recovery._header_before(data, position) == forward_scan(data, position)


def test_finds_the_signature_object_of_a_real_layout() -> None:
    data = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
            b"12 0 obj\n<< /Type /Sig /Contents <" + b"0" * 40000 + b"> /ByteRange [0 1 2 3] >>"
            b"\nendobj\n")
    position = data.index(b"/ByteRange")
    assert recovery._header_before(data, position) == (data.index(b"12 0 obj"), 12, 0)
    # After the end of the object: no header.
    after = data.index(b"endobj\n", position) + 7
    assert recovery._header_before(data + b"/ByteRange", after) is None
