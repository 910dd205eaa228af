"""A C-speed reader for whole PDF objects, given to pyHanko's parser.

Why: pyHanko 0.38 parses an object token by token through a chain of Python calls, each
peeking and seeking its stream a byte at a time (``generic.read_object`` reads one byte
to choose a reader, the dictionary reader another to find the next key, a reference
``12 0 R`` is read byte by byte). :mod:`vnsign.pdf.tokens` made the tokens cheaper; what
is left is the chain itself. A tagged decree's structure tree is ten thousand small
dictionaries (Decree 50/2026: ~148,000 values), which any analysis of its signed revision
must read once.

This reader walks the object's bytes with a few regular expressions and builds the very
objects pyHanko's would: the same classes from the same constructors, the same
``container_ref`` on every value, the stream left at the same byte. It takes the fast
path only where the result is certain to be pyHanko's: dictionaries, arrays, plain names
(no ``#`` escape), numbers, references, booleans and null, in the ordinary layout (an array
of numbers alone, a font's widths or a box, in one match). Strings
go to pyHanko's own string readers (vnsign's fast ones, :mod:`vnsign.pdf.tokens` and
:mod:`vnsign.pdf.hexstring`), and a stream's payload to pyHanko's own
``_maybe_read_stream_payload``. Anything else (a comment, a duplicate key, a name
escape, a token pyHanko would read in its own odd way, the end of the data, nesting
deeper than :data:`MAX_DEPTH`, any exception) rewinds the stream and calls pyHanko's
own ``read_object`` from the object's first byte, so errors, warnings, their messages
and where the stream stops stay pyHanko's.

One difference is deliberate: an object that is a comment running to the end of the
data, on which pyHanko's ``read_object`` loops forever, is a parse error here
(:func:`_endless_comment`). ``tests/pdf/test_object_reader.py`` compares both readers on
the objects of the committed PDFs, of the real documents in ../shared and of their
decompressed streams, and on generated hostile input.

pyHanko's reader and its parser look ``read_object`` up in the ``generic`` module at each
call, so :func:`install` replaces that module attribute (as :mod:`vnsign.pdf.hexstring`
does for hex strings).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pyhanko.pdf_utils import generic, misc

from vnsign.errors import VnsignError
from vnsign.pdf import native
from vnsign.pdf.source import SharedBytesIO

MAX_DEPTH = 64  # deeper nesting goes to pyHanko (it recurses as deep as Python lets it)

# pyHanko's own reader, kept before install() replaces it: the fallback.
_ORIGINAL = generic.read_object

_WHITESPACE = re.compile(rb"[ \n\r\t\f\x00]*")
_LINE_END = re.compile(rb"[\r\n]")
# A plain name after its '/': the printable ASCII bytes pyHanko's _decode_name keeps as
# they are, up to a delimiter. The byte that ends it must be a delimiter or PDF whitespace
# (checked): a '#' escape, another byte or the end of the data are pyHanko's to read.
_PLAIN_NAME = re.compile(rb"[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]*")
_NAME_END = frozenset(b" \n\r\t\f\x00()<>[]{}/%")
# pyHanko's NumberObject reads the bytes its NumberPattern ([^+-.0-9]) does not stop at.
_NUMBER = re.compile(rb"[+,\-.0-9]*")
# A reference as pyHanko's IndirectObject reader takes it apart: digits, whitespace (its
# bytes.isspace), digits, PDF whitespace, R. \v is space to one and not to the other:
# left to pyHanko.
_REFERENCE = re.compile(rb"([0-9]+)[ \t\n\r\f]+([0-9]+)[ \t\n\r\f]+R")
# An array of numbers alone, whitespace between them (group 1: its content), and its
# tokens: what value() reads of such an array one number at a time.
_NUMBERS = re.compile(rb"\[[ \n\r\t\f\x00]*((?:[+\-.0-9][+,\-.0-9]*"
                      rb"(?:[ \n\r\t\f\x00]+[+\-.0-9][+,\-.0-9]*)*)?)[ \n\r\t\f\x00]*\]")
_NUMBER_TOKEN = re.compile(rb"[+\-.0-9][+,\-.0-9]*")
_DIGITS = frozenset(b"0123456789")
_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SIGNS = frozenset(b"+-.")
_KEYWORD = re.compile(rb"true|false|null")
_KEYWORD_STARTS = frozenset(b"tfn")

_NameObject = generic.NameObject
_NumberObject = generic.NumberObject
_FloatObject = generic.FloatObject
_IndirectObject = generic.IndirectObject
_ArrayObject = generic.ArrayObject
_DictionaryObject = generic.DictionaryObject
_BooleanObject = generic.BooleanObject
_NullObject = generic.NullObject


class _Unsure(VnsignError):
    """The fast path cannot promise pyHanko's result here (never leaves this module)."""


def read_object(stream: Any, container_ref: Any, as_metadata_stream: bool = False,
                in_content_stream: Any = generic.ContentOpReading.NO) -> Any:
    """pyHanko's ``generic.read_object``, at C speed on ordinary objects."""
    if as_metadata_stream or in_content_stream or type(stream) is not SharedBytesIO:
        # A plain BytesIO would copy its whole buffer to let us look at it (getbuffer).
        return _ORIGINAL(stream, container_ref, as_metadata_stream, in_content_stream)
    start = stream.tell()
    data = stream.shared
    value: Any = None
    end = start
    if _endless_comment(data, start):
        raise misc.PdfReadError(f"Comment at byte {start} runs to the end of the data")
    scan = _native()
    if scan is not None:
        found = scan.read(data, start, stream, container_ref)
        if found is not None:
            stream.seek(found[1])
            return found[0]
    try:
        value, end = _Reader(stream, container_ref).value(start, 0)
    except Exception:  # _Unsure, or anything pyHanko's own reading will report itself
        value = None
    if value is None:
        stream.seek(start)
        return _ORIGINAL(stream, container_ref, as_metadata_stream, in_content_stream)
    stream.seek(end)
    return value


def _endless_comment(data: bytes, start: int) -> bool:
    """An object that is a comment with no line end after it.

    The one place this reader departs from pyHanko's: pyHanko 0.38's ``read_object``
    reads such a comment byte by byte looking for a line end and never stops at the end
    of the data (it loops forever, and a hostile object stream can send it there). Here
    it is the parse error it should be.
    """
    if start >= len(data) or data[start] != 0x25:  # '%'
        return False
    return _LINE_END.search(data, start) is None


class _Reader:
    """One object's walk over the stream's bytes (``view``: the very bytes, no copy)."""

    __slots__ = ("handler", "ref", "size", "stream", "view")

    def __init__(self, stream: SharedBytesIO, container_ref: Any) -> None:
        self.view = stream.shared
        self.size = len(self.view)
        self.stream = stream
        self.ref = container_ref
        self.handler: Any = None

    def value(self, p: int, depth: int) -> tuple[Any, int]:
        """The object starting at ``p`` (no whitespace before it) and the offset after."""
        if p >= self.size:
            raise _Unsure
        byte = self.view[p]
        if byte == 0x2F:  # '/'
            value, end = self.name(p)
        elif byte == 0x3C:  # '<'
            if p + 1 < self.size and self.view[p + 1] == 0x3C:
                value, end = self.dictionary(p, depth)
            else:
                value, end = self.delegate(p, generic.read_hex_string_from_stream)
        elif byte == 0x5B:  # '['
            value, end = self.array(p, depth)
        elif byte in _DIGITS:
            value, end = self.number_or_reference(p)
        elif byte in _SIGNS:
            value, end = self.number(p)
        elif byte == 0x28:  # '('
            value, end = self.delegate(p, generic.read_string_from_stream)
        elif byte in _KEYWORD_STARTS:  # pyHanko reads 4 or 5 bytes, whatever follows
            keyword = _KEYWORD.match(self.view, p)
            if keyword is None:
                raise _Unsure
            word = keyword[0]
            value = _NullObject() if word == b"null" else _BooleanObject(word == b"true")
            end = keyword.end()
        else:  # a comment, or a byte pyHanko refuses
            raise _Unsure
        value.container_ref = self.ref
        return value, end

    def name(self, p: int) -> tuple[Any, int]:
        match = _PLAIN_NAME.match(self.view, p + 1)
        assert match is not None  # the class matches the empty string
        end = match.end()
        if end >= self.size or self.view[end] not in _NAME_END:
            raise _Unsure  # an escape, a byte pyHanko refuses, the end of the data
        return _NameObject("/" + self.view[p + 1:end].decode("ascii")), end

    def number(self, p: int) -> tuple[Any, int]:
        match = _NUMBER.match(self.view, p)
        assert match is not None
        end = match.end()
        if end >= self.size:
            raise _Unsure  # pyHanko reads to the end in its own way
        digits = self.view[p:end].decode("ascii")
        if "." in digits:
            return _FloatObject(digits), end
        return _NumberObject(digits), end

    def number_or_reference(self, p: int) -> tuple[Any, int]:
        # pyHanko peeks 20 bytes and matches its INDIRECT_PATTERN on them
        # (\d+\s+\d+\s+R[^a-zA-Z]), which can split the bytes one way only. Where ours
        # matches, so does pyHanko's exactly when the byte after the R is in the peek and
        # no letter; where ours does not, pyHanko's may still (a \v): left to pyHanko.
        match = _REFERENCE.match(self.view, p)
        if match is None:
            if generic.INDIRECT_PATTERN.match(self.view, p, p + 20) is not None:
                raise _Unsure
            return self.number(p)
        end = match.end()
        if end >= p + 20 or end >= self.size or self.view[end] in _LETTERS:
            return self.number(p)
        idnum, generation = int(match[1]), int(match[2])
        if idnum <= 0:
            raise _Unsure
        if self.handler is None:
            self.handler = self.ref.get_pdf_handler()
        return _IndirectObject(idnum, generation, self.handler), end

    def skip(self, p: int) -> int:
        match = _WHITESPACE.match(self.view, p)
        assert match is not None
        p = match.end()
        if p >= self.size or self.view[p] == 0x25:  # the end, or a comment: pyHanko's
            raise _Unsure
        return p

    def array(self, p: int, depth: int) -> tuple[Any, int]:
        if depth >= MAX_DEPTH:
            raise _Unsure
        numbers = _NUMBERS.match(self.view, p)
        if numbers is not None:
            # Numbers alone (a /Widths, /W or /MediaBox array): the tokens value() would
            # read one at a time (whitespace-separated runs of number bytes starting with a
            # digit, sign or point, no R anywhere: no reference), made by number()'s rule.
            ref = self.ref
            values: list[Any] = []
            for token in _NUMBER_TOKEN.findall(numbers[1]):
                digits = token.decode("ascii")
                number = _FloatObject(digits) if "." in digits else _NumberObject(digits)
                number.container_ref = ref
                values.append(number)
            return _ArrayObject(values), numbers.end()
        items: list[Any] = []
        p = self.skip(p + 1)
        while self.view[p] != 0x5D:  # ']'
            item, p = self.value(p, depth + 1)
            items.append(item)
            p = self.skip(p)
        return _ArrayObject(items), p + 1

    def dictionary(self, p: int, depth: int) -> tuple[Any, int]:
        if depth >= MAX_DEPTH:
            raise _Unsure
        data: dict[Any, Any] = {}
        p = self.skip(p + 2)
        view = self.view
        while view[p] != 0x3E:  # '>'
            if view[p] != 0x2F:
                raise _Unsure  # pyHanko fails on a key that is not a name
            key, p = self.name(p)
            value, p = self.value(self.skip(p), depth + 1)
            if key in data:
                raise _Unsure  # pyHanko raises or warns: its own words
            data[key] = value
            p = self.skip(p)
        if p + 1 >= self.size or view[p + 1] != 0x3E:
            raise _Unsure  # pyHanko takes any byte after the first '>'
        p += 2
        # pyHanko looks for a stream's payload after every dictionary.
        after = _WHITESPACE.match(view, p)
        assert after is not None
        following = after.end()
        if following < self.size and view[following] in (0x73, 0x25):  # 's', '%'
            found = _stream_after(self.stream, self.ref, p, data)
            if found is not None:
                return found
        return _DictionaryObject(data), p

    def delegate(self, p: int, read: Any) -> tuple[Any, int]:
        """A string, read by pyHanko's own (vnsign's fast) string reader."""
        return _delegated(self.stream, p, read)


def _stream_after(stream: SharedBytesIO, ref: Any, p: int, data: dict[Any, Any]
                  ) -> tuple[Any, int] | None:
    """The stream whose dictionary ends at ``p`` and the offset after it, read by
    pyHanko's own payload reader; None when no payload follows (a dictionary)."""
    stream.seek(p)
    payload = generic._maybe_read_stream_payload(stream, data, ref.get_pdf_handler())
    if payload is None:
        return None
    return generic.StreamObject(data, encoded_data=payload), stream.tell()


def _delegated(stream: SharedBytesIO, p: int, read: Any) -> tuple[Any, int]:
    stream.seek(p)
    value = read(stream)
    return value, stream.tell()


def _callback(stream: SharedBytesIO, ref: Any, kind: int, p: int, data: Any) -> Any:
    """What the C walk (:mod:`vnsign.pdf._objscan`) leaves to Python, read as
    :class:`_Reader` reads it: a string (``_STRING``, ``_HEX_STRING``) or a stream's
    payload (``_PAYLOAD``; None: a dictionary)."""
    if kind == _PAYLOAD:
        return _stream_after(stream, ref, p, data)
    return _delegated(stream, p, generic.read_string_from_stream if kind == _STRING
                      else generic.read_hex_string_from_stream)


_STRING, _HEX_STRING, _PAYLOAD = 0, 1, 2  # the C walk's requests (_objscan.c)
_use_native = True


@functools.cache
def _configured() -> Any | None:
    """The C extension, given this module's classes and limits once; None where it was
    not built (no C compiler at install)."""
    module = native.objscan()
    if module is not None:
        module.configure((_NameObject, _NumberObject, _FloatObject, _IndirectObject,
                          _ArrayObject, _DictionaryObject, _BooleanObject, _NullObject),
                         _callback, MAX_DEPTH)
    return module


def _native() -> Any | None:
    """The C walk, or None: not built, or switched off (``use_native(False)``)."""
    return _configured() if _use_native else None


def use_native(enabled: bool) -> None:
    """Walk objects with the C extension (the default, where built) or in Python alone:
    for the tests, which compare both walks with pyHanko's, and the benchmarks."""
    global _use_native
    _use_native = enabled


def install() -> None:
    """Give pyHanko's parser :func:`read_object` (idempotent)."""
    generic.read_object = read_object


__all__ = ["MAX_DEPTH", "install", "read_object", "use_native"]
