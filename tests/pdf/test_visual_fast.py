"""The visual check's fast paths against the pypdfium2 helpers they replace.

vnsign.pdf.visual renders pages into a buffer of its own and reads character boxes
through pdfium directly, because the helpers' per-call overhead was most of the
check's time. These tests hold the fast paths to the helpers' answers, byte for byte
and box for box, on every page of every signed revision of real fixtures (a report
must never change because a shortcut did).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from tests.conftest import FIXTURES
from vnsign.pdf import visual

# Several signatures with stamps over text, a scan, filled forms, comments, shadow
# attacks: pages that exercise widgets, annotations and text layers.
DOCUMENTS = [
    FIXTURES / "cong-van-2971-snv-vp.pdf",
    FIXTURES / "comment-after-signing.pdf",
    FIXTURES / "modified-page-content.pdf",
    FIXTURES / "attacks" / "shadow-replace-form-value.pdf",
    FIXTURES / "attacks" / "shadow-hide-optional-content.pdf",
    FIXTURES / "attacks" / "fieldmdp-unlocked-field-filled.pdf",
    FIXTURES / "attacks" / "cert-evil-annotation-p2.pdf",
]


def revisions(path: Path) -> Iterator[bytes]:
    """The file as it is and each prefix that ends with %%EOF (every revision)."""
    data = path.read_bytes()
    end = 0
    while (found := data.find(b"%%EOF", end)) != -1:
        end = found + len(b"%%EOF")
        yield data[:end]
    if end < len(data):
        yield data


def pages(path: Path) -> Iterator[Any]:
    for data in revisions(path):
        document = pdfium.PdfDocument(data)
        document.init_forms()
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    yield page
                finally:
                    page.close()
        finally:
            document.close()


def helper_render(page: Any) -> tuple[bytes, int, int, int]:
    """What the visual check did before: pypdfium2's render helper, bytes copied out."""
    bitmap = page.render(scale=visual.SCALE, draw_annots=True, may_draw_forms=True)
    try:
        return bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride
    finally:
        bitmap.close()


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_render_is_the_helpers_picture(path: Path) -> None:
    count = 0
    for page in pages(path):
        assert visual._render(page) == helper_render(page)
        count += 1
    assert count > 0


def helper_centres(textpage: Any, count: int, rects: list[tuple[tuple[float, ...], bool]]
                   ) -> list[tuple[int, tuple[float, float, float, float]]]:
    """The loop the visual check had: the helper's box of every character, kept when
    its centre is inside one of ``rects``."""
    found = []
    for i in range(count):
        left, bottom, right, top = textpage.get_charbox(i)
        cx, cy = (left + right) / 2, (bottom + top) / 2
        if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r, _ in rects):
            found.append((i, (left, bottom, right, top)))
    return found


def stamp_sets(width: float, height: float) -> list[list[tuple[tuple[float, ...], bool]]]:
    """The whole page, its quarters, two far-apart stamps, and a /Rect of NaNs."""
    whole = (0.0, 0.0, width, height)
    quarters = [(x, y, x + width / 2, y + height / 2)
                for x in (0.0, width / 2) for y in (0.0, height / 2)]
    apart = [(20.0, 20.0, 120.0, 60.0), (width - 200.0, height - 90.0, width - 20.0,
                                         height - 30.0)]
    nan = (math.nan, math.nan, math.nan, math.nan)
    return [[(whole, False)], [(q, False) for q in quarters], [(r, True) for r in apart],
            [(nan, False), (quarters[1], True)]]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_character_boxes_are_the_helpers(path: Path) -> None:
    seen = 0
    for page in pages(path):
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            for rects in stamp_sets(page.get_width(), page.get_height()):
                fast = visual._chars_centred_in(textpage, count, rects)
                # Only candidates: the caller tests each rect, as the helper loop did.
                kept = [(i, box) for i, box in fast
                        if any(r[0] <= (box[0] + box[2]) / 2 <= r[2] and
                               r[1] <= (box[1] + box[3]) / 2 <= r[3] for r, _ in rects)]
                assert kept == helper_centres(textpage, count, rects)
                seen += len(kept)
        finally:
            textpage.close()
    assert seen > 0 or path.name == "modified-page-content.pdf"
