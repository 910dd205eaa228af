"""A C-speed reader for PDF hex strings, given to pyHanko's object parser.

Why: pyHanko 0.38 reads a hex string (``<3082...>``) one byte at a time in pure
Python (``generic.read_hex_string_from_stream``: a generator over
``misc.read_non_whitespace``). A signature's ``/Contents`` is such a string, 16 to 64
thousand hex digits, so reading the signatures of a 5-signature document cost about
0.1 s — more than the cryptography. pyHanko's reader has no option for another string
reader: its ``generic.read_object`` looks ``read_hex_string_from_stream`` up in its
module each time, so :func:`install` replaces that one module attribute.

The replacement takes the fast path only when the result is certain to be pyHanko's:
the bytes between ``<`` and the first ``>`` are hex digits and PDF whitespace only, at
most :data:`MAX_FAST` of them. Then pyHanko's loop would read exactly those digits and
stop after that ``>``, so ``bytes.translate`` + ``binascii.unhexlify`` give the same
value, the stream ends at the same offset, and the value goes through the same
``generic.pdf_string``. Anything else — a ``%`` (pyHanko skips it as a comment), a
stray byte (pyHanko raises), the end of the data before ``>``, a string longer than
the bound — rewinds the stream and calls pyHanko's own function, so errors, their
messages and where the stream stops stay pyHanko's. The scan reads at most
:data:`MAX_FAST` bytes beyond what pyHanko would, in chunks, and stops at the first
byte that rules the fast path out.
"""

from __future__ import annotations

import binascii
import os
from typing import Any

from pyhanko.pdf_utils import generic

# pyhanko.pdf_utils.misc.PDF_WHITESPACE and generic.HEX_DIGITS (checked by the tests).
PDF_WHITESPACE = b" \n\r\t\f\x00"
HEX_DIGITS = b"0123456789abcdefABCDEF"
CHUNK = 1 << 16
MAX_FAST = 1 << 24  # 16 MiB of digits; a signature's /Contents is well under 1 MiB

# pyHanko's own reader, kept before install() replaces it: the fallback.
_ORIGINAL = generic.read_hex_string_from_stream


def read_hex_string(stream: Any) -> Any:
    """pyHanko's ``read_hex_string_from_stream``, at C speed on well-formed strings.

    ``stream`` is positioned at the ``<`` (pyHanko's ``read_object`` peeked it).
    """
    start = stream.tell()
    digits = _scan(stream)
    if digits is None:
        stream.seek(start)
        return _ORIGINAL(stream)
    if len(digits) % 2:
        digits += b"0"  # as pyHanko: an odd final digit is followed by 0
    return generic.pdf_string(binascii.unhexlify(digits))


def _scan(stream: Any) -> bytes | None:
    """The hex digits up to the closing ``>`` (stream left just after it), or None."""
    if stream.read(1) != b"<":
        return None
    parts: list[bytes] = []
    scanned = 0
    while scanned <= MAX_FAST:
        chunk = stream.read(CHUNK)
        if not chunk:
            return None  # no '>' before the end: pyHanko's error
        end = chunk.find(b">")
        body = chunk if end == -1 else chunk[:end]
        digits = body.translate(None, PDF_WHITESPACE)
        if digits.translate(None, HEX_DIGITS):
            return None  # a comment or a byte pyHanko refuses
        parts.append(digits)
        scanned += len(body)
        if end != -1:
            if scanned > MAX_FAST:
                return None
            # Leave the stream just after the '>', as pyHanko does.
            stream.seek(end + 1 - len(chunk), os.SEEK_CUR)
            return b"".join(parts)
    return None


def install() -> None:
    """Give pyHanko's parser :func:`read_hex_string` (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string
