"""The fast positioned-text reader gives exactly what the plain one gives.

:func:`vnsign.pdf.layout._chars` is written for speed (pdfium functions bound without argument
conversion, a cache of what each code point is, min/max spelled out). The plain reading it
replaced is kept here, call for call, as the reference: every page of the fixtures and of the
shared corpora must give the same characters, field for field, from both.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SHARED
from vnsign.pdf import layout
from vnsign.pdf.layout import (
    BASELINE_TOLERANCE,
    CELL_GAP,
    COLUMN_IDLE_ROWS,
    MAX_ANGLE,
    MAX_CHARS,
    WORD_GAP,
    _Char,
    _containing,
    _display,
    _side,
)


def reference_chars(textpage: Any, own: int, rects: list[Any], rotation: int,
                    width: float, height: float) -> list[_Char]:
    """The plain reading: pypdfium2's declared bindings, one character at a time."""
    import pypdfium2.raw as c

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
        stamp = None
        origin = None
        if i >= own and rects:
            stamp = _containing(rects, (left + right) / 2, (bottom + top) / 2)
            if stamp is None:
                # Placed by the same functions (tests of their own: test_layout_and_stamps),
                # asked for every character where the fast reading asks once per object.
                placement = layout._forms_placement(textpage, i)
                if placement is None:
                    continue
                left, bottom, right, top = layout._placed_box(placement[0], left, bottom,
                                                              right, top)
                origin = placement[1]
                stamp = _containing(rects, (left + right) / 2, (bottom + top) / 2)
                if stamp is None:
                    continue
        x0, x1, y0, y1 = _display(left, right, bottom, top, rotation, width, height)
        size = max(c.FPDFText_GetFontSize(raw, i) or 0.0, (y1 - y0) / 1.5)
        base = (y0 + y1) / 2
        if origin is not None:
            base = _display(origin[0], origin[0], origin[1], origin[1], rotation, width,
                            height)[2]
        elif c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(ox), ctypes.byref(oy)):
            base = _display(ox.value, ox.value, oy.value, oy.value, rotation, width, height)[2]
        out.append(_Char(ch, x0, y0, x1, y1, base, size, False, i, stamp))
    return out


def reference_lines(chars: list[_Char]) -> list[str]:
    """The plain grouping into lines, columns, cells and words."""
    rows: list[tuple[float, float, list[_Char]]] = []
    for ch in sorted(chars, key=lambda k: (k.base, k.x0)):
        if rows and ch.base - rows[-1][0] <= BASELINE_TOLERANCE * min(ch.size, rows[-1][1]):
            rows[-1][2].append(ch)
            continue
        rows.append((ch.base, ch.size, [ch]))
    if not rows:
        return []
    xs = sorted(ch.x0 for ch in chars)
    ends = sorted(ch.x1 for ch in chars)
    middle = (xs[len(xs) // 50] + ends[-1 - len(ends) // 50]) / 2
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []
    idle = {"left": 0, "right": 0}
    for _, _, members in rows:
        cells = reference_cells(sorted(members, key=lambda k: k.x0))
        sides = {_side(cell, middle) for cell in cells}
        gap = any(
            idle[side] > COLUMN_IDLE_ROWS and (side in sides or len(sides) == 1)
            for side in ("left", "right")
        )
        if "both" in sides or gap:
            out.extend(left + right)
            left, right = [], []
        if "both" in sides:
            out.extend(text for text, _, _ in cells)
            continue
        for cell in cells:
            (left if _side(cell, middle) == "left" else right).append(cell[0])
        for side in idle:
            idle[side] = 0 if side in sides else idle[side] + 1
    out.extend(left + right)
    return out


def reference_cells(row: list[_Char]) -> list[tuple[str, float, float]]:
    gaps = sorted(b.x0 - a.x1 for a, b in itertools.pairwise(row))
    letter_gap = max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0
    cells: list[tuple[str, float, float]] = []
    current: list[str] = []
    start = row[0].x0
    previous: _Char | None = None
    for ch in row:
        if previous is not None:
            gap = ch.x0 - previous.x1
            size = max(min(ch.size, previous.size), 1.0)
            if gap > CELL_GAP * size:
                cells.append(("".join(current), start, previous.x1))
                current, start = [], ch.x0
            elif gap > letter_gap + WORD_GAP * size or previous.whole or (
                previous.spaced and previous.order < ch.order
            ):
                current.append(" ")
        current.append(ch.ch)
        previous = ch
    cells.append(("".join(current), start, row[-1].x1))
    return [(unicodedata.normalize("NFC", " ".join(text.split())), x0, x1)
            for text, x0, x1 in cells if text.strip()]


def _documents() -> list[Path]:
    found = sorted(FIXTURES.rglob("*.pdf"))
    for folder in ("realdocs", "realvn", "realscans"):
        found += sorted((SHARED / "corpora" / folder).rglob("*.pdf"))
    return found


@pytest.mark.parametrize("records", ["extension", "ctypes"])
def test_fast_reading_equals_the_plain_reading(monkeypatch: pytest.MonkeyPatch,
                                               records: str) -> None:
    """Characters and lines of every page, from the fast functions and from the plain ones,
    with pdfium's answers read by the C extension (vnsign.pdf._textscan) or through ctypes."""
    if records == "ctypes":
        monkeypatch.setattr(layout, "_native_scan", lambda: None)
    elif layout._native_scan() is None:
        pytest.skip("vnsign.pdf._textscan was not built (no C compiler at install)")
    fast_chars, fast_lines = layout._chars, layout._lines
    pages = groups = 0

    def both_chars(*args: Any) -> list[_Char]:
        nonlocal pages
        got = fast_chars(*args)
        # repr: a NaN coordinate (a broken matrix) equals itself there, not under ==.
        assert repr(got) == repr(reference_chars(*args))
        pages += 1
        return got

    def both_lines(chars: list[_Char]) -> list[str]:
        nonlocal groups
        got = fast_lines(chars)
        assert got == reference_lines(chars)
        groups += 1
        return got

    monkeypatch.setattr(layout, "_chars", both_chars)
    monkeypatch.setattr(layout, "_lines", both_lines)
    for pdf in _documents():
        layout.read_layout(pdf.read_bytes())
    assert pages > 100 and groups >= pages


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


def test_fast_lines_equal_the_plain_grouping_on_random_words() -> None:
    """Placed words (as OCR gives them), scattered at random: the same lines either way."""
    import random

    rng = random.Random(13)
    for _page in range(300):
        chars: list[_Char] = []
        for _ in range(rng.randint(0, 60)):
            x0 = rng.uniform(0, 595)
            size = rng.choice([0.5, 1.0, 9.0, 12.0, 13.5, 40.0])
            base = rng.choice([100.0, 114.0, 128.0, 300.0]) + rng.uniform(-4, 4)
            chars.append(_Char(rng.choice("aĐ ễ1"), x0, base - size, x0 + rng.uniform(0, 30),
                               base, base, size, rng.random() < 0.3, rng.randint(0, 99), None,
                               rng.random() < 0.2))
        assert layout._lines(list(chars)) == reference_lines(list(chars))


def test_the_extension_is_built_where_it_is_required() -> None:
    """CI installs a C compiler and sets VNSIGN_REQUIRE_TEXTSCAN, so that the extension's
    reading is the one tested there (elsewhere the ctypes reading stands in, as it does for a
    user without a compiler)."""
    if not os.environ.get("VNSIGN_REQUIRE_TEXTSCAN"):
        pytest.skip("VNSIGN_REQUIRE_TEXTSCAN is not set")
    assert layout._native_scan() is not None


def test_the_extension_reads_what_ctypes_reads() -> None:
    """Record for record, every field, on every page of the fixtures."""
    import pypdfium2 as pdfium

    if layout._native_scan() is None:
        pytest.skip("vnsign.pdf._textscan was not built (no C compiler at install)")
    f = layout._text_functions()
    compared = 0
    for pdf in sorted(FIXTURES.rglob("*.pdf"))[:40]:
        try:
            doc = pdfium.PdfDocument(pdf.read_bytes())
        except pdfium.PdfiumError:
            continue
        try:
            for index in range(len(doc)):
                textpage = doc[index].get_textpage()
                handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
                count = f.count(handle)
                native = list(layout._records(f, handle, count))
                plain = [_plain_record(textpage.raw, i) for i in range(count)]
                assert repr(native) == repr(plain)
                compared += count
                textpage.close()
        finally:
            doc.close()
    assert compared > 10_000


def _plain_record(raw: Any, i: int) -> tuple[Any, ...]:
    """pypdfium2's declared bindings, a box or origin not found read as zeros."""
    import pypdfium2.raw as c

    box, x, y = c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    box_ok = c.FPDFText_GetLooseCharBox(raw, i, box)
    origin_ok = c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(x), ctypes.byref(y))
    return (c.FPDFText_GetUnicode(raw, i), c.FPDFText_HasUnicodeMapError(raw, i),
            c.FPDFText_GetCharAngle(raw, i), box_ok,
            *((box.left, box.top, box.right, box.bottom) if box_ok else (0.0,) * 4),
            c.FPDFText_GetFontSize(raw, i), origin_ok,
            *((x.value, y.value) if origin_ok else (0.0, 0.0)))


def test_the_extension_refuses_a_null_page() -> None:
    from vnsign.pdf import native

    extension = native.textscan()
    if extension is None:
        pytest.skip("vnsign.pdf._textscan was not built (no C compiler at install)")
    addresses = layout._text_functions().addresses
    with pytest.raises(ValueError):
        extension.scan(0, 5, addresses)
    with pytest.raises(ValueError):
        extension.boxes(0, 5, addresses[0])
    assert extension.scan(1, 0, addresses) == b""
    assert extension.boxes(1, 0, addresses[0]) == b""
