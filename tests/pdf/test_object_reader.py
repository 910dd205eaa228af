"""The fast object reader gives pyHanko exactly what pyHanko's own ``read_object`` gives.

vnsign.pdf.object_reader parses whole dictionaries, arrays, names, numbers and references
for pyHanko. A faster wrong parse would change what the difference analysis sees, so the
reader is compared with pyHanko's on the objects of the committed PDFs and of the real
documents in ../shared (when present): at each dictionary, array, name and number of their
bytes and of their decompressed streams (object streams among them), and on generated
hostile input. Same classes, same values, the same ``container_ref`` on every value, the
same exception and message, the stream left at the same byte.

The reader walks an object in C (vnsign.pdf._objscan) where the extension was built and in
Python (object_reader._Reader) otherwise: the comparisons run with each walk (``walk``),
and the two walks must also take the fast path on exactly the same objects.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic, misc

from tests.conftest import FIXTURES, ROOT
from tests.helpers import OFFLINE, fixture_trust
from vnsign import verify
from vnsign.pdf import hexstring, native, object_reader, tokens
from vnsign.pdf.source import SharedBytesIO

SHARED = ROOT.parent / "shared" / "corpora"
ORIGINAL = object_reader._ORIGINAL
PER_BUFFER = 3000  # object starts compared in one buffer


class _Handler:
    """What a container reference hands the parser: strictness, and objects (a stream's
    indirect /Length)."""

    strict = True

    def get_object(self, ref: Any) -> Any:
        return generic.NumberObject(3)


REF = generic.Reference(7, 0, _Handler())


def outcome(read: Any, data: bytes, start: int) -> tuple[Any, ...]:
    """What ``read`` gives at ``start``, with the parser's own recursion (pyHanko's arrays
    and dictionaries call ``generic.read_object`` for their values) going to ``read`` too:
    pyHanko's side is pyHanko's all the way down."""
    stream = SharedBytesIO(data)
    stream.seek(start)
    installed = generic.read_object
    generic.read_object = read
    try:
        value = read(stream, REF)
    except Exception as exc:
        return ("raised", type(exc), str(exc), stream.tell())
    finally:
        generic.read_object = installed
    return ("value", value, stream.tell())


def difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two parsed objects differ (class, value, container_ref, order), or None."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if getattr(a, "container_ref", None) is not getattr(b, "container_ref", None):
        return f"{path}: container_ref"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            found = difference(dict.__getitem__(a, key), dict.__getitem__(b, key),
                               f"{path}{key}")
            if found:
                return found
        if isinstance(a, generic.StreamObject) and a.encoded_data != b.encoded_data:
            return f"{path}: stream data"
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} != {len(b)} items"
        for i, (x, y) in enumerate(zip(list.__iter__(a), list.__iter__(b), strict=True)):
            found = difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, generic.IndirectObject):
        same = (a.idnum, a.generation) == (b.idnum, b.generation) and \
            a.get_pdf_handler() is b.get_pdf_handler()
        return None if same else f"{path}: {a!r} != {b!r}"
    if isinstance(a, generic.BooleanObject):
        return None if a.value == b.value else f"{path}: {a.value} != {b.value}"
    if isinstance(a, generic.NullObject):
        return None
    return None if a == b and str(a) == str(b) else f"{path}: {a!r} != {b!r}"


def endless_comment(data: bytes, start: int) -> bool:
    """pyHanko loops forever reading an object that is a comment without a line end."""
    return data[start:start + 1] == b"%" and not re.search(rb"[\r\n]", data[start:])


def mismatch(data: bytes, start: int) -> str | None:
    fast = outcome(object_reader.read_object, data, start)
    if endless_comment(data, start):
        return None if fast[:2] == ("raised", misc.PdfReadError) else f"{fast}"
    slow = outcome(ORIGINAL, data, start)
    if fast[0] != slow[0] or fast[0] == "raised":
        return None if fast == slow else f"{fast} != {slow}"
    if fast[2] != slow[2]:
        return f"stream left at {fast[2]}, pyHanko at {slow[2]}"
    return difference(fast[1], slow[1])


def disagreement(data: bytes, start: int) -> str | None:
    """Where the C walk and the Python walk differ at ``start``: one of them unsure (it
    hands the object on) where the other is not, or different objects or ends."""
    scan = native.objscan()
    object_reader._native()  # configured
    stream = SharedBytesIO(data)
    found = scan.read(data, start, stream, REF)
    stream = SharedBytesIO(data)
    try:
        expected: Any = object_reader._Reader(stream, REF).value(start, 0)
    except Exception:
        expected = None
    if found is None or expected is None:
        return None if found is expected else f"C {found!r}, Python {expected!r}"
    if found[1] != expected[1]:
        return f"C ends at {found[1]}, Python at {expected[1]}"
    return difference(found[0], expected[0])


def _documents() -> list[Path]:
    found = sorted(FIXTURES.rglob("*.pdf"))
    if (SHARED / "realvn").is_dir():
        found += sorted((SHARED / "realvn").rglob("*.pdf"))
    if (SHARED / "pdf-attacker").is_dir():
        found += sorted((SHARED / "pdf-attacker").rglob("*.pdf"))[:20]
    return found


def _buffers(data: bytes) -> list[bytes]:
    """The file's first bytes and its first Flate streams decompressed (object streams
    among them): bounded, so that the test's time does not grow with the corpus."""
    buffers = [data[:400_000]]
    for match in re.finditer(rb"stream\r?\n", data[:3_000_000]):
        try:
            buffers.append(zlib.decompressobj().decompress(data[match.end():], 100_000))
        except zlib.error:
            continue
        if len(buffers) > 40:
            break
    return buffers


def _starts(buffer: bytes) -> list[tuple[str, int]]:
    """Where objects start: each dictionary and array, every fifth name and number, at most
    :data:`PER_BUFFER` of them, spread over the buffer."""
    kinds = {b"<<": "dictionary", b"[": "array", b"/": "name"}
    found = [(kinds.get(m.group(), "number"), m.start())
             for i, m in enumerate(re.finditer(rb"<<|\[|/|[0-9+.-]", buffer))
             if m.group() in (b"<<", b"[") or i % 5 == 0]
    step = max(1, len(found) // PER_BUFFER)
    return found[::step]


@pytest.fixture(autouse=True)
def _fast_tokens() -> None:
    # Both sides parse with vnsign's token readers, as every vnsign reader does.
    tokens.install()
    hexstring.install()


def _built() -> bool:
    return native.objscan() is not None


@pytest.fixture(params=["c", "python"])
def walk(request: pytest.FixtureRequest) -> Any:
    """Each comparison with the C walk (skipped where it was not built) and with Python's."""
    if request.param == "c" and not _built():
        pytest.skip("vnsign.pdf._objscan was not built (no C compiler at install)")
    object_reader.use_native(request.param == "c")
    yield request.param
    object_reader.use_native(True)


def test_the_extension_is_built_where_it_is_required() -> None:
    """CI installs a C compiler and sets VNSIGN_REQUIRE_TEXTSCAN (for both extensions), so
    that the C walk is the one tested there."""
    if not os.environ.get("VNSIGN_REQUIRE_TEXTSCAN"):
        pytest.skip("VNSIGN_REQUIRE_TEXTSCAN is not set")
    assert _built()


def test_the_fallback_is_pyhankos_read_object() -> None:
    assert ORIGINAL.__module__ == "pyhanko.pdf_utils.generic"
    assert ORIGINAL.__name__ == "read_object"


def test_every_object_of_the_documents_reads_the_same(walk: str) -> None:
    """Dictionaries and arrays, names and numbers, in the documents and their streams.
    With the C walk, the Python walk must also read each of them alike or hand it on
    alike. (Where the extension is built, the Python walk is what a user without a
    compiler runs: it is compared with pyHanko at every other start, to spare time.)"""
    compared = {"dictionary": 0, "array": 0, "name": 0, "number": 0}
    step = 2 if walk == "python" and _built() else 1
    for path in _documents():
        for buffer in _buffers(path.read_bytes()):
            for kind, start in _starts(buffer)[::step]:
                found = mismatch(buffer, start)
                assert found is None, (path.name, start, found)
                if walk == "c":
                    assert disagreement(buffer, start) is None, (path.name, start)
                compared[kind] += 1
    assert min(compared.values()) > 5000 // step, compared


OBJECTISH = st.lists(st.sampled_from(
    [b"<<", b">>", b">", b"<", b"[", b"]", b"/A", b"/Type", b"/K", b"/a#20b", b"/\xc3\xa9",
     b"/", b" ", b"\n", b"\r\n", b"\x00", b"\x0b", b"\t", b"12", b"0", b"1", b"-", b"+",
     b".", b",", b"3.5", b"1 0 R", b"12 0 R", b"0 0 R", b"1 0 Rx", b"1\x0b0 R",
     b"1 0                 R", b"true", b"fals", b"false", b"null", b"nul", b"(a)",
     b"(a\\)", b"<4142>", b"<41 4>", b"% c\n", b"%", b"\n", b"stream\n", b"endstream", b"s",
     b"/Length 3", b"/Length 1 0 R", b"abc", b"R", b"{", b"}"]), max_size=30).map(b"".join)


@settings(max_examples=1500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=OBJECTISH, prefix=st.sampled_from([b"<<", b"[", b"", b"<</K [", b"/Name "]))
def test_hostile_input_reads_the_same(walk: str, body: bytes, prefix: bytes) -> None:
    data = prefix + body
    for start in range(min(len(data), 3)):
        assert mismatch(data, start) is None, (data, start)
        if walk == "c":
            assert disagreement(data, start) is None, (data, start)


@settings(max_examples=3000, deadline=None)
@given(body=st.binary(max_size=60),
       prefix=st.sampled_from([b"<<", b"[", b"", b"<</K [", b"/N ", b"12 0 R ", b"[1 2 "]))
def test_both_walks_agree_on_arbitrary_bytes(body: bytes, prefix: bytes) -> None:
    """Any bytes at all, and every object of the fixtures cut short (where a C walk would
    read past its buffer): the C walk reads what the Python walk reads, or hands on what it
    hands on."""
    if not _built():
        pytest.skip("vnsign.pdf._objscan was not built (no C compiler at install)")
    data = prefix + body
    for start in range(min(len(data), 3)):
        assert disagreement(data, start) is None, (data, start)


def test_both_walks_agree_on_objects_cut_short() -> None:
    if not _built():
        pytest.skip("vnsign.pdf._objscan was not built (no C compiler at install)")
    compared = 0
    for path in sorted(FIXTURES.rglob("*.pdf"))[:20]:
        for buffer in _buffers(path.read_bytes())[:4]:
            for match in list(re.finditer(rb"<<|\[", buffer))[:200]:
                start = match.start()
                for cut in (1, 2, 3, 5, 9, 17, 40, 120):
                    assert disagreement(buffer[:start + cut], start) is None, \
                        (path.name, start, cut)
                    compared += 1
    assert compared > 5000, compared


@pytest.mark.parametrize("data", [
    b"<</Type/Page/Kids[1 0 R 2 0 R]/Count 2>>",
    b"<< /K [ 3 4 << /MCID 5 /Pg 9 0 R >> ] /P 12 0 R /S /P >> endobj",
    b"<</Length 3>>stream\nabcendstream\nendobj",
    b"<</Length 2 0 R>>\nstream\r\nabcendstream",
    b"<</Length 3>> % a comment\nstream\nabcendstream",
    b"<</A 1/A 2>>",  # a duplicate key: pyHanko's error in strict mode
    b"[1 0 R]", b"[1 0 R", b"<</A 1 0 R>", b"<</A (x\\)y) /B <41>>>",
    b"[" * 200 + b"]" * 200,  # deeper than MAX_DEPTH
    b"123456789012345678 0 R ", b"0 0 R ", b"-3.25 ", b"1,5 ", b"1-2 ", b".5]",
    # Arrays of numbers alone (read in one match): widths, boxes, odd tokens, no spaces.
    b"[ 286 360 ] ", b"[0 0 595.2756 841.8898]", b"[]", b"[ ]", b"[\x00 1\x001 ]",
    b"[1 2 3", b"[1,5 2]", b"[1-2]", b"[+.5 -3 .]", b"[1 2 R]", b"[1\x0b2]", b"[12]x",
    b"[3 [ 286 360 ] 14 [ 754 ]]", b"[1 % c\n 2]", b"[--1]", b"[1.2.3]",
])
def test_edge_cases_read_the_same(walk: str, data: bytes) -> None:
    for start in range(len(data)):
        assert mismatch(data, start) is None, (data, start)
        if walk == "c":
            assert disagreement(data, start) is None, (data, start)


def test_only_certain_objects_take_the_fast_path(walk: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def original(stream: Any, *args: Any) -> Any:
        calls.append(stream.tell())
        return ORIGINAL(stream, *args)

    monkeypatch.setattr(object_reader, "_ORIGINAL", original)
    plain = b"<</Type /StructElem /K [0 1 2 0 R] /P 5 0 R /Alt (x) /ID <41> /B true>>"
    assert outcome(object_reader.read_object, plain, 0)[0] == "value"
    assert calls == []
    for awkward in (b"<</A 1 % c\n>>", b"<</A#20 1>>", b"<</A 1 /A 2>>"):
        calls.clear()
        assert mismatch(awkward, 0) is None
        assert calls == [0], awkward  # the whole object, from its first byte
    # A plain BytesIO is pyHanko's to read: looking at its bytes would copy them all.
    calls.clear()
    assert isinstance(object_reader.read_object(io.BytesIO(plain), REF), generic.DictionaryObject)
    # Once installed, pyHanko's reader asks read_object again for each value inside (all
    # of them go back to it); the object itself was handed over from its first byte.
    assert calls[0] == 0


@pytest.mark.parametrize("data", [b"%", b"% no line end", b"%%EOF"])
def test_a_comment_to_the_end_of_the_data_is_an_error_not_a_hang(walk: str,
                                                                    data: bytes) -> None:
    """pyHanko's read_object never returns here (it reads past the end looking for a line
    end); an object stream can hold such an object, so vnsign's reader says it is
    malformed."""
    stream = SharedBytesIO(b"[1 2] " + data)
    stream.seek(6)
    with pytest.raises(misc.PdfReadError, match="runs to the end of the data"):
        object_reader.read_object(stream, REF)
    assert mismatch(b"[1 2] " + data + b"\n/A", 6) is None  # with a line end: pyHanko's


def test_install_replaces_pyhankos_read_object_and_is_idempotent() -> None:
    object_reader.install()
    object_reader.install()
    assert generic.read_object is object_reader.read_object
    assert object_reader._ORIGINAL is not object_reader.read_object


@pytest.mark.parametrize("name", ["cong-van-2971-snv-vp.pdf", "comment-after-signing.pdf",
                                  "attacks/swa-moved-contents.pdf", "encrypted.pdf"])
def test_reports_are_identical_with_pyhankos_reader(name: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    trust = fixture_trust()

    def report(path: Path) -> dict[str, Any]:
        result = verify(path, trust=trust, policy=OFFLINE, password="secret")
        return replace(result, validated_at="").to_dict()

    fast = report(FIXTURES / name)
    monkeypatch.setattr(object_reader, "install", lambda: None)
    monkeypatch.setattr(generic, "read_object", ORIGINAL)
    assert report(FIXTURES / name) == fast
