"""The visual check draws only the areas a page can differ in, and finds what it found
drawing the whole page.

A page whose content, resources and form are as signed, and whose annotations changed
(the agency's stamps after the person's signature), can look different only inside the
rectangles of the annotations that changed: vnsign.pdf.unchanged_pages proves it from the
cross-reference sections, and the visual check then draws both revisions only there. These
tests hold each part of that argument: pdfium clips an appearance to its rectangle, a
clipped render is the whole page's picture inside its clips, the proof refuses what it must
refuse, and on every committed PDF and real document the outcome is the same as with whole
pages.
"""

from __future__ import annotations

import math
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.conftest import FIXTURES, ROOT
from tests.pdf.test_unchanged_pages import FIVE_SIGNATURES, draw_on_page_content
from vnsign.pdf import visual
from vnsign.pdf.unchanged_pages import UnchangedPages

pdfium = pytest.importorskip("pypdfium2")
REALVN = ROOT.parent / "shared" / "corpora" / "realvn"


def signed_ends(reader: Any) -> list[tuple[int, int]]:
    """(end of the signed revision, revision) of each signature something follows."""
    found = []
    for emb in reader.embedded_signatures:
        try:
            end = int(emb.byte_range[2]) + int(emb.byte_range[3])
        except Exception:
            continue
        if emb.signed_revision < reader.xrefs.total_revisions - 1:
            found.append((end, emb.signed_revision))
    return found


def documents() -> list[Path]:
    found = sorted(FIXTURES.glob("*.pdf")) + sorted((FIXTURES / "attacks").glob("*.pdf")) + \
        sorted((FIXTURES / "modifications").glob("*.pdf"))
    if REALVN.is_dir():
        found += sorted(REALVN.rglob("*.pdf"))
    return found


# -- what the proof rests on: pdfium draws an appearance inside its rectangle -----------

def _one_annotation_pdf(subtype: bytes, extra: bytes, matrix: bytes) -> bytes:
    """A page with one annotation at /Rect [50 50 100 80] whose appearance fills a
    square far larger than its box."""
    drawing = b"0 g -500 -500 1200 1200 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype " + subtype + b" /Rect [50 50 100 80] /F 4 " + extra +
        b" /AP << /N 5 0 R >> /P 3 0 R >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 50 30]" + matrix +
        b" /Length %d >>\nstream\n" % len(drawing) + drawing + b"\nendstream",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


@pytest.mark.parametrize("subtype,extra", [
    (b"/Square", b""), (b"/Stamp", b""), (b"/Widget", b"/FT /Btn /T (x) /Ff 65536"),
    (b"/Widget", b"/FT /Sig /T (s)")])
@pytest.mark.parametrize("matrix", [b"", b" /Matrix [0 1 -1 0 0 0]", b" /Matrix [3 0 0 3 9 9]"])
def test_pdfium_draws_an_appearance_only_inside_its_rectangle(
        subtype: bytes, extra: bytes, matrix: bytes) -> None:
    document = pdfium.PdfDocument(_one_annotation_pdf(subtype, extra, matrix))
    document.init_forms()
    page = document[0]
    try:
        pixels, width, height, stride = visual._render(page)
    finally:
        page.close()
        document.close()
    ink = [(x, y) for y in range(height) for x in range(width)
           if pixels[y * stride + 3 * x] < 128]
    assert ink  # the appearance is drawn ...
    xs, ys = [x for x, _ in ink], [y for _, y in ink]
    # ... and only inside /Rect [50 50 100 80]: device x 50..99, y 120..149
    assert (min(xs), max(xs), min(ys), max(ys)) == (50, 99, 120, 149)


# -- a clipped render is the whole page's picture inside its clips ------------------------

def _inside(picture: tuple[bytes, int, int, int], clip: tuple[int, int, int, int]
            ) -> list[bytes]:
    """The rows of ``clip`` one pixel in from its edges (pdfium's edge pixels may differ
    by a grey level; the visual check draws a margin around what it compares)."""
    pixels, _width, _height, stride = picture
    x0, y0, x1, y1 = clip
    return [bytes(pixels[y * stride + 3 * (x0 + 1):y * stride + 3 * (x1 - 1)])
            for y in range(y0 + 1, y1 - 1)]


def render_documents() -> list[Path]:
    found = [FIVE_SIGNATURES, FIXTURES / "attacks" / "cert-sneaky-signed-p2.pdf",
             FIXTURES / "modifications" / "tagged-certified-then-sealed.pdf"]
    if REALVN.is_dir():
        found += sorted(REALVN.rglob("*.pdf"))[:4]
    return found


@pytest.mark.parametrize("path", render_documents(), ids=lambda p: p.name)
def test_a_clipped_render_is_the_whole_page_inside_its_clips(path: Path) -> None:
    document = pdfium.PdfDocument(path.read_bytes())
    document.init_forms()
    try:
        for index in range(min(len(document), 3)):
            page = document[index]
            try:
                width = math.ceil(page.get_width() * visual.SCALE)
                height = math.ceil(page.get_height() * visual.SCALE)
                whole = visual._render_clipped(page, ((0, 0, width, height),))
                assert whole[1:] == visual._render(page)[1:]
                clips = ((7, 11, width // 3, height // 4),
                         (width // 2, height // 3, width - 9, height // 3 + 57),
                         (40, height - 160, width // 2, height - 3))
                clipped = visual._render_clipped(page, clips)
                for clip in clips:
                    assert _inside(clipped, clip) == _inside(whole, clip), (index, clip)
            finally:
                page.close()
    finally:
        document.close()


def test_clips_are_disjoint_and_inside_the_page() -> None:
    clips = visual._disjoint([(-5, -5, 10, 10), (8, 8, 20, 20), (30, 0, 40, 5),
                              (39, 4, 50, 9), (100, 100, 90, 120), (60, 60, 70, 70)], 64, 64)
    assert clips == ((0, 0, 20, 20), (30, 0, 50, 9), (60, 60, 64, 64))


# -- what the proof says ---------------------------------------------------------------

def annotations_changed_after(reader: Any, revision: int) -> dict[int, set[int]]:
    """0-based page -> annotation object numbers written after ``revision``, read with
    pyHanko's own cross-reference data (not with vnsign)."""
    pages = [ref.get_object() for ref in reader.root["/Pages"]["/Kids"]]
    changed: dict[int, set[int]] = {}
    for index, page in enumerate(pages):
        for ref in page.get("/Annots", generic.ArrayObject()):
            if reader.xrefs.get_last_change(ref.reference) > revision:
                changed.setdefault(index, set()).add(ref.reference.idnum)
    return changed


def test_the_new_stamps_are_the_changed_annotations() -> None:
    reader = PdfFileReader(BytesIO(FIVE_SIGNATURES.read_bytes()), strict=False)
    proof = UnchangedPages(reader)
    revisions = [r for _, r in signed_ends(reader)]
    assert len(revisions) == 4
    for revision in revisions:
        changes = proof.annotation_changes(revision, 2, 2)
        expected = annotations_changed_after(reader, revision)
        assert set(changes) == set(expected)  # the stamped pages, no other
        for index, change in changes.items():
            assert {a.idnum for a in change.added} == expected[index]
            assert change.removed == ()  # stamps are only ever added here
            assert not set(changes) & proof.pages(revision, 2, 2)


def test_a_page_drawn_on_after_signing_is_not_proven(tmp_path: Path) -> None:
    path = draw_on_page_content(FIVE_SIGNATURES.read_bytes(), 0, tmp_path)
    reader = PdfFileReader(BytesIO(path.read_bytes()), strict=False)
    proof = UnchangedPages(reader)
    for _, revision in signed_ends(reader):
        assert 0 not in proof.annotation_changes(revision, 2, 2)


def _updated(data: bytes, change: Any, tmp_path: Path) -> tuple[Path, Any]:
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    change(writer)
    out = BytesIO()
    writer.write(out)
    path = tmp_path / "updated.pdf"
    path.write_bytes(out.getvalue())
    return path, PdfFileReader(BytesIO(out.getvalue()), strict=False)


def test_annotations_drawn_in_another_order_prove_nothing(tmp_path: Path) -> None:
    data = FIVE_SIGNATURES.read_bytes()
    original = PdfFileReader(BytesIO(data), strict=False)
    # The fourth signature: page 1 held two stamps then, and receives a third after it.
    revision = original.xrefs.total_revisions - 2
    assert len(annotations_changed_after(original, revision)[0]) == 1
    assert len(original.root["/Pages"]["/Kids"][0].get_object()["/Annots"]) == 3
    assert 0 in UnchangedPages(original).annotation_changes(revision, 2, 2)

    def reverse(writer: Any) -> None:
        page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
        page = page_ref.get_object()
        annots = page["/Annots"]
        page[generic.NameObject("/Annots")] = generic.ArrayObject(
            [annots.raw_get(i) for i in reversed(range(len(annots)))])
        writer.update_container(page)

    _, reader = _updated(data, reverse, tmp_path)
    proof = UnchangedPages(reader)
    assert 0 not in proof.annotation_changes(revision, 2, 2)
    assert 0 not in proof.pages(revision, 2, 2)


def test_an_appearance_drawn_again_is_a_changed_annotation(tmp_path: Path) -> None:
    data = FIVE_SIGNATURES.read_bytes()
    original = PdfFileReader(BytesIO(data), strict=False)
    last = original.xrefs.total_revisions - 1
    stamp_ref = original.root["/Pages"]["/Kids"][0].get_object()["/Annots"].raw_get(0)

    def redraw(writer: Any) -> None:
        annot = writer.root["/Pages"]["/Kids"][0].get_object()["/Annots"][0]
        normal = annot["/AP"].raw_get("/N")
        stream = normal.get_object()
        stream.strip_filters()
        stream._data = stream._encoded_data = stream.data + b"\n0 0 0 rg 0 0 5 5 re f\n"
        writer.mark_update(normal)

    _, reader = _updated(data, redraw, tmp_path)
    changes = UnchangedPages(reader).annotation_changes(last, 2, 2)
    assert 0 in changes
    assert stamp_ref.idnum in {a.idnum for a in changes[0].added}
    assert stamp_ref.idnum in {a.idnum for a in changes[0].removed}


# -- the outcome is the whole page's -----------------------------------------------------

def outcomes(data: bytes, regions: bool, monkeypatch: pytest.MonkeyPatch
             ) -> tuple[list[visual.VisualOutcome], visual.VisualChecker]:
    with monkeypatch.context() as patch:
        if not regions:
            patch.setattr(UnchangedPages, "annotation_changes", lambda self, *args: {})
        reader = PdfFileReader(BytesIO(data), strict=False)
        checker = visual.VisualChecker(data, reader, None)
        found = [checker.compare(end, revision)
                 for end, revision in signed_ends(reader)]
    return found, checker


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_drawing_only_the_changed_areas_finds_what_whole_pages_find(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    try:
        PdfFileReader(BytesIO(data), strict=False).embedded_signatures  # noqa: B018
    except Exception:
        pytest.skip("pyHanko cannot read its signatures")
    clipped, checker = outcomes(data, True, monkeypatch)
    whole, _ = outcomes(data, False, monkeypatch)
    assert clipped == whole
    if path == FIVE_SIGNATURES:  # the usual workflow: no page drawn whole
        assert checker.clipped_renders and not checker.renders
    if path.name == "cert-sneaky-signed-p2.pdf":  # the covered number, found in a clip
        assert checker.clipped_renders
        assert any(outcome.hidden_text for outcome in clipped)


@pytest.mark.parametrize("flags", [8, 16, 24, 28])
def test_an_annotation_drawn_away_from_its_rectangle_is_drawn_with_the_whole_page(
        flags: int, tmp_path: Path) -> None:
    """NoZoom and NoRotate let a viewer draw an annotation anchored at a corner of its
    /Rect rather than inside it: a page with such a new annotation is drawn whole."""
    data = FIVE_SIGNATURES.read_bytes()
    original = PdfFileReader(BytesIO(data), strict=False)
    revision = original.xrefs.total_revisions - 2  # page 1 receives one stamp after it

    def flag(writer: Any) -> None:
        annots = writer.root["/Pages"]["/Kids"][0].get_object()["/Annots"]
        ref = annots.raw_get(len(annots) - 1)  # the stamp made after that signature
        annot = ref.get_object()
        annot[generic.NameObject("/F")] = generic.NumberObject(flags)
        writer.update_container(annot)

    path, reader = _updated(data, flag, tmp_path)
    checker = visual.VisualChecker(path.read_bytes(), reader, None)
    changes = UnchangedPages(reader).annotation_changes(revision, 2, 2)
    assert 0 in changes  # proven: only annotations changed ...
    end = next(e for e, r in signed_ends(reader) if r == revision)
    checker.compare(end, revision)
    assert checker.renders.get((end, 0)) == 1  # ... but page 1 is drawn whole
    assert (end, 0) not in checker.clipped_renders


# -- a page too large to draw ----------------------------------------------------------

def _signed_twice_on_a_huge_page() -> bytes:
    """A 200 × 200 inch page (PDF's largest without /UserUnit) signed, then signed again:
    drawn at 72 dpi it would be 207 million pixels, 622 MB a picture."""
    from tests.signing import issue_signer, sign_pdf

    writer = IncrementalPdfFileWriter(BytesIO((FIXTURES / "unsigned.pdf").read_bytes()))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page["/MediaBox"] = generic.ArrayObject(generic.NumberObject(v) for v in (0, 0, 14_400, 14_400))
    page.pop("/CropBox", None)
    writer.update_container(page)
    buffer = BytesIO()
    writer.write(buffer)
    cert = issue_signer("Bùi Văn Nam")
    once = sign_pdf(cert, pdf=buffer.getvalue())
    return sign_pdf(cert, pdf=once, field_name="Signature2")


def test_a_page_too_large_to_draw_is_not_compared_and_says_so() -> None:
    import resource

    data = _signed_twice_on_a_huge_page()
    reader = PdfFileReader(BytesIO(data), strict=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    checker = visual.VisualChecker(data, reader, None)
    outcomes = [checker.compare(end, revision) for end, revision in signed_ends(reader)]
    assert len(outcomes) == 1 and outcomes[0].not_run is not None  # a widget added after it
    assert "page too large to draw: 14400 × 14400 pixels" in outcomes[0].not_run
    assert outcomes[0].unexplained_pages == () and checker.renders == {}
    assert checker.clipped_renders == {}
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB
