"""The memory-lean ways of reading a document give exactly what the plain ways gave.

Each test puts a lean path (issue 13: a 30 MB scan peaked at 11x its size) next to the
straightforward code it replaced and asks for the same result, byte for byte: pypdf over a
stream that does not copy the file, page text without pypdf keeping the page images, the
grey OCR input made a band of rows at a time, the uncompressed image sent to Tesseract, the
page order measured lazily in documents opened again, and pdfium reading a signed revision
from the file's own memory.
"""

from __future__ import annotations

import ctypes
import io
import os
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from vnsign.pdf import ocr, reopened
from vnsign.pdf.layout import read_layout
from vnsign.pdf.pages import PdfView, SharedBytesIO, _guard, _nfc
from vnsign.pdf.source import shared_prefix

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCANS = sorted((FIXTURES / "scans").glob("*.pdf"))
# Text letters, image attachments, tagged and odd files: what pypdf is asked to read.
SAMPLES = [*SCANS, *sorted(FIXTURES.glob("*.pdf")),
           *sorted((FIXTURES / "metadata").glob("*.pdf"))[:12]]

needs_tesseract = pytest.mark.skipif(ocr.tesseract_problem() is not None,
                                     reason=f"OCR unavailable: {ocr.tesseract_problem()}")


def _plain_view(data: bytes) -> Any:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:  # as PdfView does: the empty user password
        try:
            reader.decrypt("")
        except Exception:
            pass
    return reader


@pytest.mark.parametrize("pdf", SAMPLES, ids=lambda p: p.name)
def test_pypdf_reads_the_same_from_the_shared_stream(pdf: Path) -> None:
    """Page texts (images forgotten after each page), Info and page count as before."""
    data = pdf.read_bytes()
    try:
        plain = _plain_view(data)
    except Exception as exc:  # an empty or hostile fixture: refused the same way
        with pytest.raises(type(exc)):
            PdfView(data)
        return
    view = PdfView(data)
    assert view.page_count == _guard(None, lambda: len(plain.pages))
    want = [_nfc_text(page) for page in _guard([], lambda: list(plain.pages))]
    assert [view.page_text(i) for i in range(len(want))] == want
    # Asked again, after the images were dropped from pypdf's cache: the same text.
    assert [view.page_text(i) for i in range(len(want))] == want
    assert view.info() == PdfView(data).info()


def _nfc_text(page: Any) -> str:
    return _nfc(_guard("", page.extract_text)) or ""


def test_the_shared_stream_copies_nothing() -> None:
    data = SCANS[0].read_bytes()
    stream = SharedBytesIO(data)
    with stream.getbuffer() as view:
        assert view.obj is data and view.nbytes == len(data) and view.readonly
    assert stream.read() == data


def test_page_text_does_not_keep_the_page_images() -> None:
    from pypdf.generic import StreamObject

    view = PdfView(SCANS[0].read_bytes())
    view.page_text(0)
    kept = [obj for obj in view.reader.resolved_objects.values()
            if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image"]
    assert kept == []


def _colour_page() -> bytes:
    """A page with black text, a red seal, a purple stamp and blue ink, 3 bands and a bit."""
    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    for y in range(80, 1000, 36):
        draw.rectangle((60, y, 780, y + 12), fill=(20, 20, 30))
    draw.ellipse((500, 700, 760, 960), outline=(220, 30, 40), width=18)
    draw.rectangle((80, 120, 300, 200), fill=(150, 40, 120))
    draw.line((100, 1000, 700, 1060), fill=(30, 60, 200), width=9)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=100)
    return buffer.getvalue()


def _documents() -> list[bytes]:
    return [pdf.read_bytes() for pdf in SCANS] + [_colour_page()]


def _whole_page_gray(page: Any) -> Image.Image:
    """The OCR input drawn the plain way: the whole page in one bitmap, then grey."""
    return ocr._without_red(page.render(scale=ocr.DPI / 72).to_pil())


@pytest.mark.parametrize("index", range(len(SCANS) + 1))
def test_grey_ocr_input_drawn_by_bands_is_the_whole_page_one(index: int) -> None:
    doc = pdfium.PdfDocument(_documents()[index])
    try:
        page = doc[0]
        whole = _whole_page_gray(page)
        page.close()
        assert whole.height > 2 * ocr._BAND_ROWS  # several bands and their seams
        banded = ocr._render_gray(doc, 0)
        assert banded.mode == whole.mode and banded.size == whole.size
        assert banded.tobytes() == whole.tobytes()
    finally:
        doc.close()


def _real_scan_pages() -> list[tuple[str, int]]:
    from tests.conftest import SHARED

    return [(pdf.name, i) for pdf in sorted((SHARED / "corpora" / "realscans").glob("*.pdf"))
            for i in range(2)]


@pytest.mark.parametrize(("name", "index"), _real_scan_pages(),
                         ids=[f"{n}-p{i + 1}" for n, i in _real_scan_pages()])
def test_real_scans_drawn_by_bands_read_as_the_whole_page(name: str, index: int) -> None:
    """Upright pages: the same grey page, byte for byte (without the margin rows, the
    seams of these scans differ). A page turned by /Rotate may place its picture a pixel
    over in a band: Tesseract reads the same words from it."""
    from tests.conftest import shared_path

    doc = pdfium.PdfDocument(shared_path("corpora", "realscans", name).read_bytes())
    try:
        if index >= len(doc):
            pytest.skip(f"{name} has one page")
        page = doc[index]
        whole, turned = _whole_page_gray(page), page.get_rotation() != 0
        page.close()
        banded = ocr._render_gray(doc, index)
    finally:
        doc.close()
    assert banded.size == whole.size
    if not turned:
        assert banded.tobytes() == whole.tobytes()
    elif banded.tobytes() != whole.tobytes():
        if ocr.tesseract_problem() is not None:
            pytest.skip(f"OCR unavailable: {ocr.tesseract_problem()}")
        words = [[word.text for word, _ in ocr._tesseract(ocr._pgm(image))]
                 for image in (whole, banded)]
        assert len(words[0]) > 100 and words[1] == words[0]


def _tesseract_tsv(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "vie", "--psm", "3",
                           "--dpi", str(ocr.DPI), "tsv"], input=buffer.getvalue(),
                          capture_output=True, check=True, timeout=120,
                          env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return proc.stdout


@needs_tesseract
def test_tesseract_reads_the_same_words_from_pgm_as_from_png() -> None:
    doc = pdfium.PdfDocument(SCANS[0].read_bytes())
    try:
        gray = ocr._render_gray(doc, 0)
    finally:
        doc.close()
    png = _tesseract_tsv(gray, "PNG")
    assert png.count(b"\n") > 50  # a page of words, not an empty read
    assert _tesseract_tsv(gray, "PPM") == png


def _pages_ending_at(ends: list[float]) -> bytes:
    images = []
    for end in ends:
        image = Image.new("RGB", (425, 550), "white")
        draw = ImageDraw.Draw(image)
        for y in range(50, int(550 * end), 20):
            draw.rectangle((40, y, 385, y + 7), fill="black")
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def test_lazy_reading_order_in_reopened_documents_is_the_order() -> None:
    """More pages than one thumbnail document measures, early ends spread over them."""
    ends = [0.9, 0.9, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.4, 0.9, 0.9, 0.6, 0.9,
            0.9, 0.9, 0.9, 0.9, 0.3, 0.9]
    assert len(ends) > 2 * reopened.PAGES_PER_DOCUMENT
    data = _pages_ending_at(ends)
    pages = list(range(len(ends)))
    doc = pdfium.PdfDocument(data)
    try:
        want = ocr.reading_order(doc, pages)
        one_doc = [ocr._ink_end(doc, i) for i in pages]
    finally:
        doc.close()
    assert want[:4] == [0, 2, 10, 13]  # the order is not trivial
    thumbnails = ocr._Thumbnails(data, None)
    try:
        assert [thumbnails.ink_end(i) for i in pages] == one_doc
        assert list(ocr._reading_order(pages, thumbnails.ink_end)) == want
    finally:
        thumbnails.close()
    # Lazily: the first three pages of the order measure pages 2 and 3 only.
    asked: list[int] = []

    def ink_end(index: int) -> float:
        asked.append(index)
        return one_doc[index]

    order = ocr._reading_order(pages, ink_end)
    assert [next(order) for _ in range(2)] == [0, 2] and asked == [1, 2]
    assert list(ocr._reading_order([4, 5], ink_end)) == [4, 5] and asked == [1, 2]


def _layout_documents() -> list[Path]:
    """Every kind of page pdfium lays out: the fixtures and, where present, the real
    documents (signed decrees with stamps, text letters, scans)."""
    from tests.conftest import SHARED

    real = [pdf for folder in ("realvn/gov", "realdocs", "realscans")
            for pdf in sorted((SHARED / "corpora" / folder).glob("*.pdf"))]
    return [*SAMPLES, *real]


@pytest.mark.parametrize("pdf", _layout_documents(), ids=lambda p: p.name)
def test_layout_read_in_reopened_documents_is_the_one_document_layout(
        pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The positioned text, stamps and image cover of every page are the same whether
    pdfium reads all pages in one document or each page in a document opened for it
    (stamps are flattened into the document's pages as they are read); text pages
    counted too here, which read_layout leaves out of the count."""
    data = pdf.read_bytes()
    monkeypatch.setattr(reopened, "PAGES_PER_DOCUMENT", 10**6)
    one_document = read_layout(data)
    monkeypatch.setattr(reopened, "PAGES_PER_DOCUMENT", 1)
    monkeypatch.setattr(reopened.ReopenedDocument, "forget_page", lambda self: None)
    assert read_layout(data) == one_document


def test_layout_opens_again_after_picture_pages_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan's pages are read in documents opened again; a text document's pages in one
    (opening again would read its fonts again for nothing)."""
    opened: list[Any] = []
    real_for_page = reopened.ReopenedDocument.for_page

    def counting(self: reopened.ReopenedDocument) -> Any:
        doc = real_for_page(self)
        if not opened or doc is not opened[-1]:
            opened.append(doc)
        return doc

    monkeypatch.setattr(reopened, "PAGES_PER_DOCUMENT", 2)
    monkeypatch.setattr(reopened.ReopenedDocument, "for_page", counting)
    scan = _pages_ending_at([0.9, 0.5, 0.9, 0.4, 0.9])  # five picture pages
    assert len(read_layout(scan)) == 5 and len(opened) == 3
    opened.clear()
    text = FIXTURES / "metadata" / "31-thong-tu-quy-pham-btc-word.pdf"  # three text pages
    layouts = read_layout(text.read_bytes())
    assert len(layouts) > 2 and not any(page and page.image_cover for page in layouts)
    assert len(opened) == 1


def test_reopened_documents_open_again_and_go_on_when_they_cannot() -> None:
    data = bytearray(_pages_ending_at([0.9, 0.5, 0.9, 0.4, 0.9]))
    # pdfium reads the bytes where they are (as it reads a signed revision): spoilt
    # below, they make the next opening fail for real.
    memory = (ctypes.c_ubyte * len(data)).from_buffer(data)
    docs = reopened.ReopenedDocument(memory, per_document=2)
    try:
        first = docs.for_page()
        assert docs.for_page() is first and len(docs) == 5
        second = docs.for_page()  # the third page: a document opened again
        assert second is not first and first.raw is None  # the first one closed
        assert ocr._ink_end(second, 3) < 0.5  # and it reads the pages
        assert docs.for_page() is second  # its second page
        data[:18] = b"not a PDF any more"
        third = docs.for_page()  # cannot open again: the open document goes on
        assert third is second and third.raw is not None
    finally:
        docs.close()
    with pytest.raises(pdfium.PdfiumError):  # the caller is told the file is unreadable
        reopened.ReopenedDocument(bytes(data))


def test_pdfium_reads_a_signed_revision_from_the_files_own_memory() -> None:
    data = (FIXTURES / "cong-van-2971-snv-vp.pdf").read_bytes()
    end = data.index(b"%%EOF") + 5  # the first revision
    view = shared_prefix(data, end)
    assert bytes(view) == data[:end]
    assert bytes(shared_prefix(data, len(data) + 10)) == data
    assert bytes(shared_prefix(bytearray(data), end)) == data[:end]
    assert bytes(shared_prefix(bytearray(data), -100)) == data[:-100]
    for odd in (0, -100, len(data) - 1, 5):  # as a slice would stop, whatever the end
        assert bytes(shared_prefix(data, odd)) == data[:odd]
    renders = []
    for source in (data[:end], view):
        doc = pdfium.PdfDocument(source)
        try:
            page = doc[0]
            bitmap = page.render(scale=1)
            renders.append((len(doc), bytes(bitmap.buffer)))
            page.close()
        finally:
            doc.close()
    assert renders[0] == renders[1]


def _scans_with_real_ones() -> list[Path]:
    from tests.conftest import SHARED

    return [*SCANS, *sorted((SHARED / "corpora" / "realscans").glob("*.pdf"))[:3]]


@pytest.mark.parametrize("pdf", _scans_with_real_ones(), ids=lambda p: p.name)
def test_pyhanko_reader_keeping_no_large_image_reads_what_pyhanko_reads(pdf: Path) -> None:
    """Objects of every revision and every usage path, as pyHanko's own reader has them."""
    from tests.validation.test_reader import _check

    _check(pdf)


def test_large_images_are_read_again_not_kept() -> None:
    from pyhanko.pdf_utils import generic

    from vnsign.pdf.reader import PdfReader
    from vnsign.pdf.usages import LARGE_IMAGE, kept_apart, usage_paths

    reader = PdfReader(io.BytesIO(SCANS[0].read_bytes()), strict=False)
    last = reader.xrefs.total_revisions - 1
    usage_paths(reader.get_historical_resolver(last))
    images = [ref for ref in reader.xrefs.explicit_refs_in_revision(0)
              if kept_apart(reader.get_object(ref))]
    assert images  # the scan's page picture
    cached = list(reader.resolved_objects.values())
    assert not [obj for obj in cached if isinstance(obj, generic.StreamObject)
                and obj.get("/Subtype") == "/Image" and len(obj.encoded_data) > LARGE_IMAGE]
    first, again = reader.get_object(images[0]), reader.get_object(images[0])
    assert first is not again and first.encoded_data == again.encoded_data
    assert dict(first) == dict(again)


def _huge_page() -> bytes:
    """One page of 200 × 200 inches (PDF's largest without /UserUnit): 3.6 GB of grey."""
    doc = pdfium.PdfDocument.new()
    try:
        doc.new_page(14_400, 14_400)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
    finally:
        doc.close()


def test_a_page_too_large_to_draw_is_not_read() -> None:
    """Refused before a pixel is allocated, as pdfium refused the whole-page bitmap."""
    import resource

    doc = pdfium.PdfDocument(_huge_page())
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with pytest.raises(ValueError, match=r"6000\d × 6000\d pixels"):
            ocr._render_gray(doc, 0)
        assert ocr._ocr_page(doc, 0) is None  # the page is skipped, the OCR goes on
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB
    finally:
        doc.close()
