"""The fast positioned-text reader gives exactly what the plain one gives.

:func:`vnsign.pdf.layout._chars` is written for speed (pdfium functions bound without argument
conversion, a cache of what each code point is, min/max spelled out). The plain reading it
replaced is kept here, call for call, as the reference: every page of the fixtures and of the
shared corpora must give the same characters, field for field, from both.
"""

from __future__ import annotations

import ctypes
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SHARED
from vnsign.pdf import layout
from vnsign.pdf.layout import MAX_ANGLE, MAX_CHARS, _Char, _containing, _display


def reference_chars(c: Any, textpage: Any, own: int, rects: list[Any], rotation: int,
                    width: float, height: float) -> list[_Char]:
    """The plain reading: pypdfium2's declared bindings, one character at a time."""
    raw = textpage.raw
    count = c.FPDFText_CountChars(raw)
    if count > MAX_CHARS:
        raise ValueError(f"{count} characters")
    box = c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    base_angle = {0: 0.0, 90: 1.5708, 180: 3.1416, 270: 4.7124}.get(rotation, 0.0)
    out: list[_Char] = []
    for i in range(count):
        code = c.FPDFText_GetUnicode(raw, i)
        if code in (0, 0xFFFE, 0xFFFF):
            continue
        ch = "-" if code in (0x02, 0xAD) else chr(code)
        if ch.isspace():
            if out and out[-1].order == i - 1:
                out[-1].spaced = True
            continue
        if unicodedata.category(ch)[0] == "C" or c.FPDFText_HasUnicodeMapError(raw, i) == 1:
            continue
        if unicodedata.combining(ch):
            if out and out[-1].order == i - 1:
                out[-1].ch += ch
                out[-1].order = i
            continue
        angle = c.FPDFText_GetCharAngle(raw, i)
        if angle >= 0:
            off = abs((angle - base_angle + 3.1416) % 6.2832 - 3.1416)
            if off > MAX_ANGLE:
                continue
        if not c.FPDFText_GetLooseCharBox(raw, i, box):
            continue
        left, right = min(box.left, box.right), max(box.left, box.right)
        bottom, top = min(box.bottom, box.top), max(box.bottom, box.top)
        x0, x1, y0, y1 = _display(left, right, bottom, top, rotation, width, height)
        stamp = None
        if i >= own and rects:
            cx, cy = (left + right) / 2, (bottom + top) / 2
            stamp = _containing(rects, cx, cy)
            if stamp is None:
                continue
        size = max(c.FPDFText_GetFontSize(raw, i) or 0.0, (y1 - y0) / 1.5)
        base = (y0 + y1) / 2
        if c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(ox), ctypes.byref(oy)):
            base = _display(ox.value, ox.value, oy.value, oy.value, rotation, width, height)[2]
        out.append(_Char(ch, x0, y0, x1, y1, base, size, False, i, stamp))
    return out


def _documents() -> list[Path]:
    found = sorted(FIXTURES.rglob("*.pdf"))
    for folder in ("realdocs", "realvn", "realscans"):
        found += sorted((SHARED / "corpora" / folder).rglob("*.pdf"))
    return found


def test_fast_characters_equal_the_plain_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = layout._chars
    pages = 0

    def both(*args: Any) -> list[_Char]:
        nonlocal pages
        got = fast(*args)
        # repr: a NaN coordinate (a broken matrix) equals itself there, not under ==.
        assert repr(got) == repr(reference_chars(*args))
        pages += 1
        return got

    monkeypatch.setattr(layout, "_chars", both)
    for pdf in _documents():
        layout.read_layout(pdf.read_bytes())
    assert pages > 100


def test_code_point_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "_KINDS_MAX", 3)
    layout._KINDS.clear()
    for code in range(0x41, 0x48):
        assert layout._kind(code) == (layout._LETTER, chr(code))
        assert len(layout._KINDS) <= 3
    assert layout._kind(0x02) == (layout._LETTER, "-")
    assert layout._kind(0x0301)[0] == layout._COMBINING
    assert layout._kind(0x20)[0] == layout._SPACE
    assert layout._kind(0x07)[0] == layout._SKIP
    layout._KINDS.clear()
