"""The fast hex-string reader gives pyHanko exactly what pyHanko's own reader gives.

vnsign.pdf.hexstring replaces pyHanko's byte-by-byte hex-string reader; a faster
wrong parse of a signature's /Contents would change verdicts, so the two readers are
compared on every hex string of the committed PDFs and on generated hostile input:
same value and type, same exception and message, same position of the stream after.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic, misc

from tests.conftest import FIXTURES, PKI
from vnsign import Policy, TrustStore, verify
from vnsign.pdf import hexstring

ORIGINAL = hexstring._ORIGINAL  # pyHanko's, whether or not install() already ran


def outcome(read: Callable[[Any], Any], data: bytes, start: int = 0) -> tuple[Any, ...]:
    stream = io.BytesIO(data)
    stream.seek(start)
    try:
        value = read(stream)
    except Exception as exc:
        return ("raised", type(exc), str(exc), stream.tell())
    return ("value", type(value), bytes(value.original_bytes), str(value), stream.tell())


def fixture_pdfs() -> list[Path]:
    return sorted(FIXTURES.rglob("*.pdf"))


def test_constants_and_fallback_are_pyhankos() -> None:
    assert ORIGINAL.__module__ == "pyhanko.pdf_utils.generic"
    assert ORIGINAL.__name__ == "read_hex_string_from_stream"
    assert hexstring.PDF_WHITESPACE == misc.PDF_WHITESPACE
    assert hexstring.HEX_DIGITS == generic.HEX_DIGITS


def test_every_hex_string_of_the_fixtures_reads_the_same() -> None:
    hexstring.install()
    compared = 0
    for path in fixture_pdfs():
        data = path.read_bytes()
        start = data.find(b"<")
        while start != -1:
            if data[start + 1:start + 2] != b"<" and data[start - 1:start] != b"<":
                assert outcome(hexstring.read_hex_string, data, start) == \
                    outcome(ORIGINAL, data, start), (path.name, start)
                compared += 1
            start = data.find(b"<", start + 1)
    assert compared > 1000  # signatures' /Contents, trailer IDs, attack cases


HEXISH = st.lists(st.sampled_from([b"0", b"7", b"a", b"F", b" ", b"\n", b"\r", b"\x00",
                                   b"\t", b"\f", b">", b"%", b"g", b"<", b"\xff", b"(",
                                   b"% comment >\n"]), max_size=60).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(body=HEXISH, prefix=st.sampled_from([b"<", b"", b"x"]))
def test_hostile_strings_read_the_same(body: bytes, prefix: bytes) -> None:
    data = prefix + body
    assert outcome(hexstring.read_hex_string, data) == outcome(ORIGINAL, data)


@pytest.mark.parametrize("size", [15, 16, 17, 55])
def test_strings_across_chunks_read_the_same(size: int, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    monkeypatch.setattr(hexstring, "CHUNK", 16)
    for tail in (b">", b"> trailing", b"", b"%>", b"\n>", b" 0>"):
        data = b"<" + (b"0123456789 abcdef" * 4)[:size] + tail
        assert outcome(hexstring.read_hex_string, data) == outcome(ORIGINAL, data)


def test_longer_than_the_bound_goes_to_pyhanko(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hexstring, "MAX_FAST", 64)
    monkeypatch.setattr(hexstring, "CHUNK", 16)
    calls = []

    def original(stream: Any) -> Any:
        calls.append(stream.tell())
        return ORIGINAL(stream)

    monkeypatch.setattr(hexstring, "_ORIGINAL", original)
    data = b"<" + b"ab" * 100 + b">"
    assert outcome(hexstring.read_hex_string, data) == outcome(ORIGINAL, data)
    assert calls == [0]


def test_install_is_idempotent() -> None:
    hexstring.install()
    hexstring.install()
    assert generic.read_hex_string_from_stream is hexstring.read_hex_string
    assert hexstring._ORIGINAL is ORIGINAL


@pytest.mark.parametrize("name", ["cong-van-2971-snv-vp.pdf", "attacks/swa-moved-contents.pdf",
                                  "attacks/usf-contents-empty.pdf", "encrypted.pdf"])
def test_reports_are_identical_with_pyhankos_reader(name: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    trust = TrustStore.load([PKI / "root.cert.pem"], [PKI / "intermediate.cert.pem"],
                            use_saved=False, use_env=False)
    policy = Policy(offline=True, validation_time=datetime(2026, 11, 26, 7, tzinfo=UTC))

    def report(path: Path) -> dict[str, Any]:
        result = verify(path, trust=trust, policy=policy, password="secret")
        return replace(result, validated_at="").to_dict()

    fast = report(FIXTURES / name)
    monkeypatch.setattr(hexstring, "install", lambda: None)
    monkeypatch.setattr(generic, "read_hex_string_from_stream", ORIGINAL)
    assert report(FIXTURES / name) == fast
