"""The fast token readers give pyHanko exactly what pyHanko's own readers give.

vnsign.pdf.tokens replaces pyHanko's byte-by-byte readers of names and keywords,
whitespace and literal strings. A faster wrong parse would change what the difference
analysis sees, so each reader is compared with pyHanko's on every relevant offset of the
committed PDFs and of the real documents in ../shared (when present), and on generated
hostile input: same value, same exception and message, same position of the stream after.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils import reader as pyhanko_reader
from pyhanko.pdf_utils import xref as pyhanko_xref

from tests.conftest import FIXTURES, ROOT
from tests.helpers import OFFLINE, fixture_trust
from vnsign import verify
from vnsign.pdf import tokens

ORIGINALS: dict[str, Callable[..., Any]] = {
    "delimiter": tokens._READ_UNTIL_DELIMITER,
    "until_whitespace": tokens._READ_UNTIL_WHITESPACE,
    "whitespace": tokens._READ_NON_WHITESPACE,
    "literal": tokens._READ_STRING_LITERAL_BYTES,
    "number": tokens._READ_NUMBER,
}
FAST: dict[str, Callable[..., Any]] = {
    "delimiter": tokens.read_until_delimiter,
    "until_whitespace": tokens.read_until_whitespace,
    "whitespace": tokens.read_non_whitespace,
    "literal": tokens.read_string_literal_bytes,
    "number": tokens.read_number,
}
SHARED = ROOT.parent / "shared" / "corpora" / "realvn"


def outcome(read: Callable[..., Any], data: bytes, start: int = 0, **kwargs: Any
            ) -> tuple[Any, ...]:
    stream = io.BytesIO(data)
    stream.seek(start)
    try:
        value = read(stream, **kwargs)
    except Exception as exc:
        return ("raised", type(exc), str(exc), stream.tell())
    return ("value", type(value), value, stream.tell())


def name_outcome(decode: Callable[[bytes], Any], name: bytes) -> tuple[Any, ...]:
    try:
        value = decode(name)
    except Exception as exc:
        return ("raised", type(exc), str(exc))
    return ("value", type(value), str(value))


def same_name(name: bytes) -> bool:
    return name_outcome(tokens.decode_name, name) == name_outcome(tokens._DECODE_NAME, name)


def same(kind: str, data: bytes, start: int = 0, **kwargs: Any) -> bool:
    return outcome(FAST[kind], data, start, **kwargs) == \
        outcome(ORIGINALS[kind], data, start, **kwargs)


def test_constants_and_fallbacks_are_pyhankos() -> None:
    assert tokens.PDF_WHITESPACE == misc.PDF_WHITESPACE
    assert tokens.PDF_DELIMITERS == misc.PDF_DELIMITERS
    for kind, module, name in (("delimiter", "pyhanko.pdf_utils.misc", "read_until_delimiter"),
                               ("until_whitespace", "pyhanko.pdf_utils.misc",
                                "read_until_whitespace"),
                               ("whitespace", "pyhanko.pdf_utils.misc", "read_non_whitespace"),
                               ("literal", "pyhanko.pdf_utils.generic",
                                "_read_string_literal_bytes")):
        assert ORIGINALS[kind].__module__ == module
        assert ORIGINALS[kind].__name__ == name
    assert tokens._READ_NUMBER.__qualname__ == "NumberObject.read_from_stream"
    assert tokens._DECODE_NAME.__module__ == "pyhanko.pdf_utils.generic"
    assert tokens._DECODE_NAME.__name__ == "_decode_name"


def _documents() -> list[Path]:
    found = sorted(FIXTURES.rglob("*.pdf"))
    if SHARED.is_dir():
        found += sorted(SHARED.rglob("*.pdf"))[:6]
    return found


def test_every_token_of_the_documents_reads_the_same() -> None:
    """Names after each '/', literal strings at each '(', numbers at digits and signs,
    whitespace at each whitespace byte (both ways), in the documents' unfiltered bytes."""
    compared = {"delimiter": 0, "whitespace": 0, "literal": 0, "number": 0,
                "until_whitespace": 0}
    for path in _documents():
        data = path.read_bytes()[:400_000]
        for index, byte in enumerate(data):
            if byte == 0x2F:  # '/': a name's bytes follow
                assert same("delimiter", data, index + 1), (path.name, index)
                name = io.BytesIO(data[index + 1:index + 200])
                assert same_name(ORIGINALS["delimiter"](name)), (path.name, index)
                compared["delimiter"] += 1
            elif byte == 0x28 and index % 3 == 0:  # '(' (a third of them: time)
                assert same("literal", data, index), (path.name, index)
                compared["literal"] += 1
            elif byte in b"+-.0123456789" and index % 5 == 0:
                assert same("number", data, index), (path.name, index)
                compared["number"] += 1
            elif byte in b"0123456789" and data[index - 1:index] in b"\n\r ":
                # where an object header may start ("12 0 obj")
                assert same("until_whitespace", data, index), (path.name, index)
                assert same("until_whitespace", data, index, maxchars=3), (path.name, index)
                compared["until_whitespace"] += 1
            elif byte in b" \n\r" and index % 7 == 0:
                assert same("whitespace", data, index), (path.name, index)
                assert same("whitespace", data, index, seek_back=True), (path.name, index)
                compared["whitespace"] += 1
    assert min(compared.values()) > 1000, compared


TOKENISH = st.lists(st.sampled_from(
    [b"a", b"Z", b"0", b"7", b"8", b"9", b"3", b" ", b"\n", b"\r", b"\x00", b"\t", b"\f",
     b"(", b")", b"\\", b"/", b"%", b"<", b">", b"[", b"]", b"{", b"}", b"#", b"n", b"\xff",
     b"\\\r\n", b"\\377", b"\\400", b"\\18", b"% c )\n"]), max_size=40).map(b"".join)


@settings(max_examples=600, deadline=None)
@given(body=TOKENISH, prefix=st.sampled_from([b"(", b"", b"  ", b"/"]))
def test_hostile_input_reads_the_same(body: bytes, prefix: bytes) -> None:
    data = prefix + body
    for start in range(min(len(data), 4)):
        assert same("delimiter", data, start)
        assert same("literal", data, start)
        assert same("number", data, start)
        for maxchars in (None, 1, 2, 5, 20, 0, -1):
            assert same("until_whitespace", data, start, maxchars=maxchars)
        for seek_back in (False, True):
            for allow_eof in (False, True):
                assert same("whitespace", data, start, seek_back=seek_back,
                            allow_eof=allow_eof)


@settings(max_examples=400, deadline=None)
@given(name=st.lists(st.sampled_from([b"a", b"Z", b"0", b"#", b"#2", b"#20", b"#4g", b"#zz",
                                      b"\x7f", b"\x80", b"\xc3\xa9", b" ", b"(", b"/",
                                      b"!", b"~", b"\x00"]), max_size=12).map(b"".join))
def test_names_decode_the_same(name: bytes) -> None:
    assert same_name(name)


@pytest.mark.parametrize("size", [1, 60, 63, 64, 65, 130, 253, 254, 255, 256, 300, 600])
def test_tokens_across_chunks_read_the_same(size: int) -> None:
    body = (b"abc\\(de\\)f(g)h\\nij\\101k\\\nl" * 20)[:size]
    for data in (b"(" + body + b")", b"(" + body + b") tail", b"(" + body,
                 b"(" + body + b"\\", b"(" + body + b"\\1"):
        assert same("literal", data)
    for data in (b"x" * size, b"x" * size + b" ", b"x" * size + b"/Next"):
        assert same("delimiter", data)
        for maxchars in (None, 20, size, size + 1):
            assert same("until_whitespace", data, maxchars=maxchars)
    for data in (b"1" * size, b"1" * size + b" 0 R", b"-" + b"2" * size + b".5]"):
        assert same("number", data)
    for data in (b" " * size, b" " * size + b"x", b" " * size + b"%c\nx"):
        assert same("whitespace", data)
        assert same("whitespace", data, allow_eof=True)


def test_longer_than_the_bound_goes_to_pyhanko(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "MAX_FAST", 100)
    calls = []

    def original(stream: Any) -> Any:
        calls.append(stream.tell())
        return ORIGINALS["literal"](stream)

    monkeypatch.setattr(tokens, "_READ_STRING_LITERAL_BYTES", original)
    data = b"(" + b"ab" * 200 + b")"
    assert outcome(tokens.read_string_literal_bytes, data) == \
        outcome(ORIGINALS["literal"], data)
    assert calls == [0]


def test_install_replaces_every_binding_and_is_idempotent() -> None:
    tokens.install()
    tokens.install()
    assert misc.read_until_delimiter is tokens.read_until_delimiter
    assert misc.read_until_whitespace is tokens.read_until_whitespace
    assert generic.read_until_delimiter is tokens.read_until_delimiter
    assert generic.read_non_whitespace is tokens.read_non_whitespace
    assert generic._read_string_literal_bytes is tokens.read_string_literal_bytes
    assert generic._decode_name is tokens.decode_name
    assert generic.NumberObject.read_from_stream is tokens.read_number
    for module in (misc, generic, pyhanko_reader, pyhanko_xref):
        for name in ("read_until_delimiter", "read_non_whitespace"):
            assert getattr(module, name, None) in (None, FAST["delimiter"],
                                                   FAST["whitespace"]), (module, name)


@pytest.mark.parametrize("name", ["cong-van-2971-snv-vp.pdf", "attacks/swa-moved-contents.pdf",
                                  "attacks/usf-contents-empty.pdf", "encrypted.pdf"])
def test_reports_are_identical_with_pyhankos_readers(name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    trust = fixture_trust()

    def report(path: Path) -> dict[str, Any]:
        result = verify(path, trust=trust, policy=OFFLINE, password="secret")
        return replace(result, validated_at="").to_dict()

    fast = report(FIXTURES / name)
    monkeypatch.setattr(tokens, "install", lambda: None)
    for module in (misc, generic, pyhanko_reader, pyhanko_xref):
        for attr, (original, quick) in tokens._TARGETS.items():
            if getattr(module, attr, None) is quick:
                monkeypatch.setattr(module, attr, original)
    monkeypatch.setattr(generic.NumberObject, "read_from_stream",
                        staticmethod(tokens._READ_NUMBER))
    assert report(FIXTURES / name) == fast
