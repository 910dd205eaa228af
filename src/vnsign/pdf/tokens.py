"""C-speed readers for the small tokens of pyHanko's object parser: names, keywords,
whitespace, object headers and literal strings.

Why: pyHanko 0.38 reads every token one byte at a time in pure Python. A name
(``/Type``) goes through ``misc.read_until_delimiter`` (a generator yielding each byte)
and ``generic._decode_name`` (a loop over its bytes),
the whitespace between tokens through ``misc.read_non_whitespace``, the numbers of each
object header (``12 0 obj``) through ``misc.read_until_whitespace``, a number through
``NumberObject.read_from_stream`` (16-byte reads and a regex per chunk), a literal string
``(…)`` through ``generic._read_string_literal_bytes``. On the bench corpus these were a
tenth of the difference analysis (``bench/profile_verify.py``: ``_build``,
``read_non_whitespace``, ``_read_string_literal_bytes`` among the top functions), and the
first parse of a large tagged document (Decree 50/2026: 9,700 objects) is mostly such
tokens.

The replacements find the end of a token with one regular-expression search over a
chunk of the stream, then leave the stream exactly where pyHanko's loop leaves it.
They take the fast path only where the result is certain to be pyHanko's; anything
unusual (a comment, an escape pyHanko refuses or reads in its own odd way, the end of
the data, a token longer than :data:`MAX_FAST`) rewinds the stream and calls pyHanko's
own function, so errors, their messages and where the stream stops stay pyHanko's.
``tests/pdf/test_tokens.py`` compares both on every offset of the committed PDFs and on
generated hostile input.

pyHanko's parser looks these functions up in its modules' globals at each call, so
:func:`install` replaces those module attributes (as :mod:`vnsign.pdf.hexstring` does
for hex strings).
"""

from __future__ import annotations

import re
from typing import Any

from pyhanko.pdf_utils import generic, misc

# pyhanko.pdf_utils.misc.PDF_WHITESPACE and PDF_DELIMITERS (checked by the tests).
PDF_WHITESPACE = b" \n\r\t\f\x00"
PDF_DELIMITERS = b"()<>[]{}/%"
MAX_FAST = 1 << 20  # longer tokens go to pyHanko's own loop
FIRST_CHUNK = 64
LITERAL_CHUNK = 256

_DELIMITER = re.compile(rb"[ \n\r\t\f\x00()<>\[\]{}/%]")
_WHITESPACE = re.compile(rb"[ \n\r\t\f\x00]")
_NOT_WHITESPACE = re.compile(rb"[^ \n\r\t\f\x00]")
# A literal string's bytes up to the next unescaped parenthesis: plain bytes or a
# backslash with the byte after it (what follows an octal or line-end escape is plain).
_LITERAL_RUN = re.compile(rb"(?:[^()\\]+|\\.)*", re.S)
# pyHanko's escapes: up to three digits (it reads 8 and 9 too, then fails), a line end
# and one more CR or LF, or any other byte.
_LITERAL_ESCAPE = re.compile(rb"(\\(?:[0-9]{1,3}|[\r\n][\r\n]?|.))", re.S)

# pyHanko's own readers, kept before install() replaces them: the fallbacks.
_READ_UNTIL_DELIMITER = misc.read_until_delimiter
_READ_UNTIL_WHITESPACE = misc.read_until_whitespace
_READ_NON_WHITESPACE = misc.read_non_whitespace
_READ_STRING_LITERAL_BYTES = generic._read_string_literal_bytes
_DECODE_NAME = generic._decode_name
_READ_NUMBER = generic.NumberObject.__dict__["read_from_stream"].__func__

# A name pyHanko decodes byte for byte into itself: printable ASCII, no '#' escape, no
# delimiter (the name's reader stops at those anyway).
_PLAIN_NAME = re.compile(rb"[!-~]*")
_NOT_PLAIN = frozenset(b"#()<>[]{}/%")


def _search(stream: Any, pattern: re.Pattern[bytes]) -> tuple[int, bytes, int | None]:
    """(start, the bytes read from start, index of the first match or None at the end
    of the data or past :data:`MAX_FAST`); the stream is left wherever reading ended."""
    start = stream.tell()
    data: bytes = stream.read(FIRST_CHUNK)
    searched = 0
    while True:
        found = pattern.search(data, searched)
        if found is not None:
            return start, data, found.start()
        if len(data) > MAX_FAST:
            return start, data, None
        more = stream.read(max(len(data), FIRST_CHUNK))
        if not more:
            return start, data, None
        searched = len(data)
        data += more


def read_until_delimiter(stream: Any) -> bytes:
    """pyHanko's ``misc.read_until_delimiter``: the bytes up to the next whitespace or
    delimiter, the stream left at that byte (at the end when there is none)."""
    start, data, end = _search(stream, _DELIMITER)
    if end is None:
        if len(data) > MAX_FAST:
            stream.seek(start)
            return _READ_UNTIL_DELIMITER(stream)
        return data  # pyHanko reads to the end and stays there
    stream.seek(start + end)
    return data[:end]


def read_until_whitespace(stream: Any, maxchars: int | None = None) -> bytes:
    """pyHanko's ``misc.read_until_whitespace`` (an object header's numbers, the file
    header): the bytes up to the next whitespace byte, which is consumed, or up to
    ``maxchars`` bytes, or to the end of the data."""
    if maxchars is not None and (type(maxchars) is not int or maxchars <= 0):
        return _READ_UNTIL_WHITESPACE(stream, maxchars)
    start, data, at = _search(stream, _WHITESPACE)
    if maxchars is not None and (at is None or at >= maxchars) and len(data) >= maxchars:
        stream.seek(start + maxchars)  # pyHanko stops reading there
        return data[:maxchars]
    if at is None:
        if len(data) > MAX_FAST:
            stream.seek(start)
            return _READ_UNTIL_WHITESPACE(stream, maxchars)
        return data  # pyHanko reads to the end and stays there
    stream.seek(start + at + 1)
    return data[:at]


def read_non_whitespace(stream: Any, seek_back: bool = False,
                        allow_eof: bool = False) -> bytes:
    """pyHanko's ``misc.read_non_whitespace``: the next byte that is not whitespace,
    consumed (or not, with ``seek_back``). Comments and the end of the data go to
    pyHanko's function, from the first non-whitespace byte on."""
    start, data, at = _search(stream, _NOT_WHITESPACE)
    if at is None or data[at] == 0x25:  # the end, or '%': pyHanko's comment handling
        stream.seek(start + (at or 0))
        return _READ_NON_WHITESPACE(stream, seek_back=seek_back,  # type: ignore[no-any-return]
                                    allow_eof=allow_eof)
    stream.seek(start + at + (0 if seek_back else 1))
    return data[at:at + 1]


def read_string_literal_bytes(stream: Any) -> bytes:
    """pyHanko's ``generic._read_string_literal_bytes``: the bytes of the literal string
    at the stream's ``(``, escapes resolved, the stream left after its closing ``)``.

    Two regular expressions do the work: one finds the closing parenthesis (skipping
    escaped bytes, counting nested pairs), one splits the body at its escapes, which a
    table resolves.
    Handled here: the escapes pyHanko maps (``\\n``, ``\\(``, …), octal escapes of
    digits 0-7 worth at most 255, escaped line ends. Sent to pyHanko (which raises, or
    reads them its own way): digits 8 or 9 in an escape, an octal value above 255, any
    other escaped byte, a string the data ends in.
    """
    start = stream.tell()
    data: bytes = stream.read(LITERAL_CHUNK)
    if data[:1] != b"(":
        return _fallback_literal(stream, start)
    depth = 1
    position = 1
    while True:
        # The run stops at a parenthesis, or at the end of what was read (a backslash
        # can stop it only as the last byte read, before the byte it escapes).
        end = _LITERAL_RUN.match(data, position).end()  # type: ignore[union-attr]
        if end < len(data) and data[end] != 0x5C:
            depth += 1 if data[end] == 0x28 else -1
            position = end + 1
            if depth == 0:
                break
            continue
        more = stream.read(len(data)) if len(data) <= MAX_FAST else b""
        if not more:
            return _fallback_literal(stream, start)  # pyHanko's error, or its long read
        data += more
    stream.seek(start + end + 1)
    body = data[1:end]
    if 0x5C not in body:
        return body
    pieces = _LITERAL_ESCAPE.split(body)  # plain, escape, plain, escape, ..., plain
    try:
        pieces[1::2] = [_ESCAPES[escape] for escape in pieces[1::2]]
    except KeyError:  # an escape pyHanko refuses or reads in a way of its own
        return _fallback_literal(stream, start)
    return b"".join(pieces)


def _escapes() -> dict[bytes, bytes]:
    """Every escape this reader resolves itself, and what pyHanko makes of it."""
    table = {b"\\" + bytes((byte,)): bytes((byte,)) for byte in b"() /%<>[]#_&$\\"}
    table.update({b"\\n": b"\n", b"\\r": b"\r", b"\\t": b"\t", b"\\b": b"\b",
                  b"\\f": b"\f"})
    # An escaped line end adds nothing; pyHanko takes one more CR or LF with it.
    for first in (b"\r", b"\n"):
        table[b"\\" + first] = b""
        for second in (b"\r", b"\n"):
            table[b"\\" + first + second] = b""
    # Octal: one to three digits 0-7 worth at most 255 (pyHanko fails on the others).
    for value in range(256):
        for width in (1, 2, 3):
            digits = f"{value:0{width}o}"
            if len(digits) == width:
                table[b"\\" + digits.encode()] = bytes((value,))
    return table


_ESCAPES = _escapes()


def decode_name(name_bytes: bytes) -> Any:
    """pyHanko's ``generic._decode_name``: the NameObject of a name's bytes (after its
    ``/``). A plain name (printable ASCII, no ``#`` escape) is itself; anything else
    goes to pyHanko, which resolves the escapes or raises."""
    if _PLAIN_NAME.fullmatch(name_bytes) is None or not _NOT_PLAIN.isdisjoint(name_bytes):
        return _DECODE_NAME(name_bytes)
    return generic.NameObject("/" + name_bytes.decode("ascii"))


def read_number(stream: Any) -> Any:
    """pyHanko's ``NumberObject.read_from_stream``: the number at the stream (the bytes
    up to the first that pyHanko's ``NumberPattern`` stops at), the stream left at that
    byte. The same constructors make the value, so a malformed number fails alike."""
    start, data, end = _search(stream, generic.NumberObject.NumberPattern)
    if end is None:
        if len(data) > MAX_FAST:
            stream.seek(start)
            return _READ_NUMBER(stream)
        digits = data  # pyHanko reads to the end and stays there
    else:
        stream.seek(start + end)
        digits = data[:end]
    if digits.find(b".") != -1:
        return generic.FloatObject(digits.decode("ascii"))
    return generic.NumberObject(digits.decode("ascii"))


def _fallback_literal(stream: Any, start: int) -> bytes:
    stream.seek(start)
    return _READ_STRING_LITERAL_BYTES(stream)


# The modules whose globals pyHanko's parser looks these names up in.
_TARGETS = {
    "read_until_delimiter": (_READ_UNTIL_DELIMITER, read_until_delimiter),
    "read_until_whitespace": (_READ_UNTIL_WHITESPACE, read_until_whitespace),
    "read_non_whitespace": (_READ_NON_WHITESPACE, read_non_whitespace),
    "_read_string_literal_bytes": (_READ_STRING_LITERAL_BYTES, read_string_literal_bytes),
    "_decode_name": (_DECODE_NAME, decode_name),
}


def install() -> None:
    """Give pyHanko's parser these readers (idempotent): every pyHanko module that
    bound pyHanko's own function under that name gets the fast one."""
    from pyhanko.pdf_utils import reader, xref

    for module in (misc, generic, reader, xref):
        for name, (original, fast) in _TARGETS.items():
            if getattr(module, name, None) is original:
                setattr(module, name, fast)
    if generic.NumberObject.__dict__["read_from_stream"].__func__ is _READ_NUMBER:
        generic.NumberObject.read_from_stream = staticmethod(read_number)  # type: ignore[method-assign]


__all__ = ["decode_name", "install", "read_non_whitespace", "read_number",
           "read_string_literal_bytes", "read_until_delimiter", "read_until_whitespace"]
