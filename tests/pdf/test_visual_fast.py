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
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.conftest import FIXTURES
from tests.pdf.test_unchanged_pages import draw_on_page_content
from vnsign.pdf import visual
from vnsign.pdf.unchanged_pages import UnchangedPages

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
    """The whole page, its quarters, two far-apart stamps, a /Rect of NaNs, and an
    empty /Rect in a corner with a stamp far from it."""
    whole = (0.0, 0.0, width, height)
    quarters = [(x, y, x + width / 2, y + height / 2)
                for x in (0.0, width / 2) for y in (0.0, height / 2)]
    apart = [(20.0, 20.0, 120.0, 60.0), (width - 200.0, height - 90.0, width - 20.0,
                                         height - 30.0)]
    nan = (math.nan, math.nan, math.nan, math.nan)
    return [[(whole, False)], [(q, False) for q in quarters], [(r, True) for r in apart],
            [(nan, False), (quarters[1], True)], [((0.0, 0.0, 0.0, 0.0), True), (apart[1], False)]]


@pytest.mark.parametrize("reader", ["extension", "ctypes"])
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_character_boxes_are_the_helpers(path: Path, reader: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The boxes read by the C extension (vnsign.pdf.native) or through ctypes."""
    from vnsign.pdf import native

    if reader == "ctypes":
        monkeypatch.setattr(native, "textscan", lambda: None)
    elif native.textscan() is None:
        pytest.skip("vnsign.pdf._textscan was not built (no C compiler at install)")
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


# -- the text layer of a page proven unchanged is read once, from the current file ------

def signed_revisions(path: Path) -> tuple[bytes, Any, list[tuple[int, int]]]:
    """(file, pyHanko reader, (signed revision, end of its bytes) per signature)."""
    data = path.read_bytes()
    reader = PdfFileReader(BytesIO(data), strict=False)
    ends = [(emb.signed_revision, emb.byte_range[2] + emb.byte_range[3])
            for emb in reader.embedded_signatures]
    return data, reader, ends


def characters(page: Any) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every character of the page with its box, through the pypdfium2 helpers."""
    textpage = page.get_textpage()
    try:
        return [(textpage.get_text_range(i, 1), textpage.get_charbox(i))
                for i in range(textpage.count_chars())]
    finally:
        textpage.close()


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_a_text_layer_proven_unchanged_is_the_signed_one(path: Path) -> None:
    """What text_pages proves, checked against pdfium itself: the signed revision's
    page has the very characters, boxes and text of the current page."""
    data, reader, ends = signed_revisions(path)
    unchanged = UnchangedPages(reader)
    now = pdfium.PdfDocument(data)
    proven = 0
    for revision, end in ends:
        then = pdfium.PdfDocument(data[:end])
        for index in unchanged.text_pages(revision, len(then), len(now)):
            assert characters(then[index]) == characters(now[index])
            proven += 1
    # Content rewritten, optional content changed: nothing to prove there.
    assert proven > 0 or path.name in {"modified-page-content.pdf",
                                       "shadow-hide-optional-content.pdf"}


def rewritten_page(data: bytes, tmp_path: Path, key: str, value: Any) -> Path:
    """An incremental update that writes page 1's dictionary again with one entry
    set (its content and resources untouched)."""
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    page = ref.get_object()
    page[generic.NameObject(key)] = value
    writer.mark_update(ref)
    out = BytesIO()
    writer.write(out)
    path = tmp_path / "rewritten.pdf"
    path.write_bytes(out.getvalue())
    return path


def test_a_page_written_again_with_other_entries_proves_nothing(tmp_path: Path) -> None:
    """A new /Annots leaves the text layer alone; a new /Rotate or /CropBox may move
    or reorder the characters, so the page is read again from the signed revision."""
    data = FIXTURES.joinpath("cong-van-2971-snv-vp.pdf").read_bytes()
    last = PdfFileReader(BytesIO(data), strict=False).xrefs.total_revisions - 1
    annots = rewritten_page(data, tmp_path, "/Annots", generic.ArrayObject())
    reader = PdfFileReader(BytesIO(annots.read_bytes()), strict=False)
    assert 0 in UnchangedPages(reader).text_pages(last, 2, 2)
    assert 0 not in UnchangedPages(reader).pages(last, 2, 2)
    for key, value in (("/Rotate", generic.NumberObject(90)),
                       ("/CropBox", generic.ArrayObject(
                           [generic.NumberObject(v) for v in (0, 0, 300, 300)]))):
        path = rewritten_page(data, tmp_path, key, value)
        reader = PdfFileReader(BytesIO(path.read_bytes()), strict=False)
        proven = UnchangedPages(reader).text_pages(last, 2, 2)
        assert 0 not in proven and 1 in proven


def test_content_drawn_over_proves_nothing(tmp_path: Path) -> None:
    path = draw_on_page_content(FIXTURES.joinpath("cong-van-2971-snv-vp.pdf").read_bytes(),
                                0, tmp_path)
    _data, reader, ends = signed_revisions(path)
    for revision, _end in ends:
        assert 0 not in UnchangedPages(reader).text_pages(revision, 2, 2)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_reading_the_text_layer_once_changes_no_outcome(path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """Every signature's visual outcome, with the text layer read from the current
    file where proven the same and with it read from every signed revision."""
    data, reader, ends = signed_revisions(path)

    def outcomes() -> list[visual.VisualOutcome]:
        checker = visual.VisualChecker(data, reader, None)
        return [checker.compare(end, revision) for revision, end in ends]

    fast = outcomes()
    monkeypatch.setattr(UnchangedPages, "text_pages", lambda self, *args: frozenset())
    assert outcomes() == fast


# -- pixel differences: bands of equal rows are skipped ---------------------------------

def differences_row_by_row(now: tuple[bytes, int, int, int],
                           then: tuple[bytes, int, int, int],
                           boxes: list[Any]) -> tuple[bool, bool]:
    """The comparison as it was, every row sliced and compared (the reference)."""
    buf_now, width, height, stride = now
    buf_then = then[0]
    pixel = stride // width if width else 3
    in_permitted = False
    for y in range(height):
        start = y * stride
        row_now = buf_now[start:start + width * pixel]
        row_then = buf_then[start:start + width * pixel]
        if row_now == row_then:
            continue
        covering = sorted((max(b.x0, 0), min(b.x1, width), b.signature) for b in boxes
                          if b.y0 <= y <= b.y1 and b.x0 < width and b.x1 > 0)
        x = 0
        for x0, x1, signature in covering:
            if x0 > x and row_now[x * pixel:x0 * pixel] != row_then[x * pixel:x0 * pixel]:
                return True, in_permitted
            if not signature and x1 > x0 and \
                    row_now[x0 * pixel:x1 * pixel] != row_then[x0 * pixel:x1 * pixel]:
                in_permitted = True
            x = max(x, x1)
        if x < width and row_now[x * pixel:] != row_then[x * pixel:]:
            return True, in_permitted
    return False, in_permitted


def box_sets(width: int, height: int) -> list[list[Any]]:
    Box = visual._Box
    return [[], [Box(0, 0, width, height, True)], [Box(0, 0, width, height, False)],
            [Box(10, 31, 200, 33, False), Box(150, 60, width + 5, 97, True)],
            [Box(-4, height - 40, 90, height + 3, True)]]


def test_skipping_equal_bands_finds_the_same_differences() -> None:
    """Synthetic pictures with one changed pixel at and around band edges, and the
    real renders of the five-signature fixture as signed and as now."""
    width, height = 64, 100
    blank = bytes([255]) * (width * 3 * height)
    pairs = []
    for y in (0, 31, 32, 33, 63, 64, 99):
        for x in (0, 11, 63):
            changed = bytearray(blank)
            changed[(y * width + x) * 3 + 1] = 0
            pairs.append(((bytes(changed), width, height, width * 3),
                          (blank, width, height, width * 3)))
    path = FIXTURES / "cong-van-2971-snv-vp.pdf"
    data, _reader, ends = signed_revisions(path)
    now = pdfium.PdfDocument(data)
    for _revision, end in ends:
        then = pdfium.PdfDocument(data[:end])
        for index in range(len(then)):
            pairs.append((visual._render(now[index]), visual._render(then[index])))
    for a, b in pairs:
        for boxes in box_sets(a[1], a[2]):
            assert visual._differences(a, b, boxes) == differences_row_by_row(a, b, boxes)


def test_new_stamps_leave_pyhankos_log_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """The visual check asks a signed revision for an annotation's earlier /Rect only when
    the annotation existed then: asking for a new one (every later stamp) made pyHanko
    log 'Could not find object … in history' into a library user's log."""
    import logging

    from tests.helpers import OFFLINE, fixture_trust
    from vnsign import verify

    with caplog.at_level(logging.WARNING):
        report = verify(FIXTURES / "cong-van-2971-snv-vp.pdf", trust=fixture_trust(),
                        policy=OFFLINE)
    assert len(report.signatures) == 5 and report.indication == "PASSED"
    assert not [r for r in caplog.records if "in history" in r.getMessage()]
