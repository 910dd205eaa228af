"""The visual check: does each page look as it did when it was signed?

pyHanko's difference analysis judges *objects*: a filled form field, a comment or a new
signature is permitted, whatever it shows. Shadow attacks and certification attacks
hide their payload in exactly such permitted objects, and the next one may find a gap
in the object rules. So, like EU DSS, vnsign also looks at the result: the bytes up to
the end of the signed revision are a complete PDF; pdfium renders each page of that
PDF and of the file as it is now, and the pictures are compared pixel by pixel.

A difference is *explained* when it lies inside the rectangle of an annotation that
was added or changed after signing (a new signature's stamp, a filled form field, a
comment). Differences inside a new signed signature's stamp are the normal workflow
(agency seal after the personal signature) and say nothing; differences inside filled
fields or comments are reported as a warning; any other difference means the page a
reader sees was changed by something no permission covers.

Cost: each page of each revision is rendered at most once, and not at all when
``vnsign.pdf.unchanged_pages`` proves from the cross-reference sections that every
object the page is drawn from is the one that was signed (identical inputs draw
identical pictures): in the usual workflow only the pages that received a stamp are
rendered, and those only inside the rectangles of the annotations that changed when
``UnchangedPages.annotation_changes`` proves the rest of the page is as signed (the
pictures can differ nowhere else). At 72 dpi an A4 page takes a few milliseconds
(docs/security.md has the measurements). Rendering is native code: the time limit's
signal lands between pages, not inside one. The characters under a new stamp are
looked up in the signed page's text layer, read once per page from the current file
when that layer is proven unchanged (``UnchangedPages.text_pages``: a stamp is an
annotation, not page text).
"""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from pyhanko.pdf_utils import generic

from vnsign.deadline import Deadline
from vnsign.pdf import native
from vnsign.pdf.objects import get as _get
from vnsign.pdf.picture import picture_size
from vnsign.pdf.source import shared_prefix
from vnsign.pdf.unchanged_pages import AnnotationChanges, UnchangedPages

log = logging.getLogger(__name__)

SCALE = 1.0  # 72 dpi: one pixel per point, enough to see a changed digit
MAX_PAGES = 200  # pages compared per revision; larger documents are compared in part
#: A page drawn larger than this at SCALE is not compared: A0 is 8 million pixels, a hostile
#: 200-inch page 207 million (622 MB a picture, and a comparison holds two).
MAX_PAGE_PIXELS = 50_000_000
_MARGIN = 2  # pixels around an annotation rectangle (anti-aliased edges)
_MAX_TREE_NODES = 100_000
_MAX_CHARS = 20_000  # characters of one page examined for text hidden by a stamp
_MAX_QUOTE = 120  # characters of hidden text quoted in the finding
_INK = 3 * 160  # a pixel darker than this (sum of the three channels) is ink
_MIN_INK = 3  # pixels of ink a character needs to count
# Pixels drawn around each area of a clipped render beyond its box: pdfium's pixels on
# the edge of a clip may differ from the whole page's by a grey level.
_CLIP_MARGIN = 4
_MAX_CLIPPED_SHARE = 0.5  # areas covering more of the page: the whole page is drawn

_Clips = tuple[tuple[int, int, int, int], ...]  # device rectangles: x0, y0, x1, y1
#: A drawn page: BGR pixels (the buffer pdfium drew in), width, height, bytes per row.
_Picture = tuple[bytes | bytearray, int, int, int]


@dataclass(frozen=True)
class VisualOutcome:
    """What the rendering comparison found for one signature (vnsign.validation.verdict
    turns it into findings and, for unexplained differences, a FAILED)."""

    unexplained_pages: tuple[int, ...] = ()  # 1-based
    permitted_pages: tuple[int, ...] = ()
    not_run: str | None = None  # why the comparison could not be made
    # (page, text) where a later signature's stamp hides text of the signed page
    hidden_text: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class _Box:
    x0: int
    y0: int
    x1: int
    y1: int
    signature: bool  # the stamp of a signed signature field
    rect: tuple[float, float, float, float] | None = None  # the annotation's /Rect


class VisualChecker:
    """Compares pages of signed revisions with the current file; one per document."""

    def __init__(self, data: bytes, reader: Any, password: str | None,
                 deadline: Deadline | None = None) -> None:
        self.data = data
        self.reader = reader
        self.password = password
        self.deadline = deadline
        self._current: Any | None = None
        # renders of the current file's pages: (index, clips or None) -> picture
        self._current_pages: dict[tuple[int, _Clips | None],
                                  _Picture] = {}
        self._open_pages: dict[int, Any] = {}  # pdfium pages of the current file
        self._text_layers: dict[int, _TextLayer] = {}  # their characters, read once
        self._page_dicts: list[Any] | None = None
        self._signature_widgets: set[Any] | None = None
        self._unchanged = UnchangedPages(reader)
        # (first byte after the revision, 0-based page) -> renders; None: the current file
        self.renders: dict[tuple[int | None, int], int] = {}
        self.clipped_renders: dict[tuple[int | None, int], int] = {}  # only some areas

    def compare(self, signed_end: int, signed_revision: int) -> VisualOutcome:
        try:
            import pypdfium2  # noqa: F401
        except ImportError:
            return VisualOutcome(not_run="pypdfium2 is not installed")
        try:
            return self._compare(signed_end, signed_revision)
        except Exception as exc:  # pdfium refuses a revision, a hostile page tree
            log.debug("visual check failed", exc_info=True)
            return VisualOutcome(not_run=f"{type(exc).__name__}: {exc}")

    def _compare(self, signed_end: int, signed_revision: int) -> VisualOutcome:
        import pypdfium2 as pdfium

        if self._current is None:
            self._current = _open(pdfium, self.data, self.password)
        # The signed revision's bytes, shared with the file's (not a copy of them).
        signed = _open(pdfium, shared_prefix(self.data, signed_end), self.password)
        try:
            count_now, count_then = len(self._current), len(signed)
            unexplained: list[int] = []
            permitted: list[int] = []
            hidden: list[tuple[int, str]] = []
            if count_now != count_then:
                unexplained.extend(range(min(count_now, count_then) + 1,
                                         max(count_now, count_then) + 1))
            same = self._provably_same(signed, signed_revision)
            same_text = self._same_text_layer(signed, signed_revision)
            regions = self._annotation_changes(signed, signed_revision)
            for index in range(min(count_now, count_then, MAX_PAGES)):
                if self.deadline is not None:
                    self.deadline.check()
                if index in same:
                    continue  # the same objects: the same picture
                page_then = signed[index]
                try:
                    boxes = clips = None
                    if index in regions and index in same_text:
                        boxes = self._changed_boxes(index, signed_revision,
                                                    self._current_page(index))
                        clips = self._clips(index, signed_revision, regions[index], boxes)
                    if clips is None:  # the whole page, then and now
                        now = self._render_current(index)
                        then = self._render(page_then, signed_end, index)
                    else:  # only where the annotations that changed are drawn
                        now = self._render_current(index, clips)
                        then = self._render(page_then, signed_end, index, clips)
                    if now == then:
                        continue
                    if now[1:] != then[1:]:
                        unexplained.append(index + 1)
                        continue
                    if boxes is None:
                        boxes = self._changed_boxes(index, signed_revision,
                                                    self._current_page(index))
                    outside, in_permitted = _differences(now, then, boxes)
                    if outside:
                        unexplained.append(index + 1)
                    elif in_permitted:
                        permitted.append(index + 1)
                    stamps = [b for b in boxes if b.signature]
                    # The signed page's characters, read from the current page when
                    # its text layer is provably the one signed (read once per page).
                    layer = partial(self._current_text, index) if index in same_text \
                        else None
                    text = _hidden_text(page_then, stamps,
                                        self._earlier_stamps(index, signed_revision),
                                        now, then, layer)
                    if text:
                        hidden.append((index + 1, text))
                finally:
                    page_then.close()
        finally:
            signed.close()
        not_run = None
        if min(count_now, count_then) > MAX_PAGES:
            not_run = f"only the first {MAX_PAGES} pages were compared"
        return VisualOutcome(tuple(sorted(set(unexplained))), tuple(permitted), not_run,
                             tuple(hidden))

    def _read_by_xref(self, signed: Any) -> bool:
        """Whether pdfium read both files through their cross-reference tables: a
        repaired file may be read otherwise than the proofs of unchanged_pages assume."""
        import pypdfium2.raw as pdfium_c

        current = self._current
        assert current is not None
        return all(pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(document.raw)
                   for document in (current, signed))

    def _provably_same(self, signed: Any, signed_revision: int) -> frozenset[int]:
        """Pages not worth rendering: proven unchanged, and both files read by pdfium
        through their cross-reference tables (a repaired file may be read otherwise)."""
        assert self._current is not None
        if not self._read_by_xref(signed):
            return frozenset()
        return self._unchanged.pages(signed_revision, len(signed), len(self._current))

    def _same_text_layer(self, signed: Any, signed_revision: int) -> frozenset[int]:
        """Pages whose characters need not be read again from the signed revision:
        their text layer is proven unchanged (vnsign.pdf.unchanged_pages), both files
        read by pdfium through their cross-reference tables."""
        assert self._current is not None
        if not self._read_by_xref(signed):
            return frozenset()
        return self._unchanged.text_pages(signed_revision, len(signed), len(self._current))

    def _annotation_changes(self, signed: Any, signed_revision: int
                            ) -> dict[int, AnnotationChanges]:
        """Pages that can differ only inside the rectangles of annotations that are not
        as signed (vnsign.pdf.unchanged_pages), both files read by pdfium through their
        cross-reference tables."""
        assert self._current is not None
        if not self._read_by_xref(signed):
            return {}
        return self._unchanged.annotation_changes(signed_revision, len(signed),
                                                  len(self._current))

    def _clips(self, index: int, signed_revision: int, changes: AnnotationChanges,
               boxes: list[_Box]) -> _Clips | None:
        """Where a page that can differ only inside some annotations' rectangles is drawn:
        those rectangles, now and when signed, and the boxes of the characters centred
        under new stamps (the search for hidden text weighs their ink, so all of it);
        disjoint device rectangles with a margin. None when the whole page is better
        drawn: a rectangle cannot be read, an annotation may be drawn away from it
        (NoZoom, NoRotate), or the areas cover much of the page."""
        page = self._current_page(index)
        areas = list(boxes)
        annots = [ref.get_object() for ref in changes.added]
        if changes.removed:
            old = self.reader.get_historical_resolver(signed_revision)
            annots.extend(old(ref.reference) for ref in changes.removed
                          if self._existed_at(ref.reference, signed_revision))
        if any(_unanchored(annot) for annot in annots):
            return None
        rects = [_get(annot, "/Rect") for annot in annots]
        stamps = [(b.rect, False) for b in boxes if b.signature and b.rect is not None]
        if stamps:
            rects.extend(box for _, box in self._current_text(index).centred_in(stamps))
        for rect in rects:
            box = _device_box(page, rect, False) if _finite(rect) else None
            if box is None:
                return None
            areas.append(box)
        width, height = picture_size(page, SCALE, MAX_PAGE_PIXELS)
        clips = _disjoint([(b.x0 - _CLIP_MARGIN, b.y0 - _CLIP_MARGIN,
                            b.x1 + _CLIP_MARGIN + 1, b.y1 + _CLIP_MARGIN + 1)
                           for b in areas], width, height)
        covered = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in clips)
        if covered > _MAX_CLIPPED_SHARE * width * height:
            return None
        return clips

    def _current_page(self, index: int) -> Any:
        """Page ``index`` of the current file, loaded once and kept for the document."""
        page = self._open_pages.get(index)
        if page is None:
            assert self._current is not None
            page = self._open_pages[index] = self._current[index]
        return page

    def _current_text(self, index: int) -> _TextLayer:
        layer = self._text_layers.get(index)
        if layer is None:
            layer = _TextLayer(self._current_page(index))
            self._text_layers[index] = layer
        return layer

    def _render_current(self, index: int, clips: _Clips | None = None
                        ) -> _Picture:
        cached = self._current_pages.get((index, clips))
        if cached is None:
            cached = self._render(self._current_page(index), None, index, clips)
            self._current_pages[(index, clips)] = cached
        return cached

    def _render(self, page: Any, revision_end: int | None, index: int,
                clips: _Clips | None = None) -> _Picture:
        key = (revision_end, index)
        if clips is None:
            self.renders[key] = self.renders.get(key, 0) + 1
            return _render(page)
        self.clipped_renders[key] = self.clipped_renders.get(key, 0) + 1
        return _render_clipped(page, clips)

    # -- which areas the permitted changes may paint -----------------------------------

    def _changed_boxes(self, index: int, signed_revision: int, pdfium_page: Any
                       ) -> list[_Box]:
        pages = self._pages()
        if index >= len(pages):
            return []
        boxes: list[_Box] = []
        old_resolver = self.reader.get_historical_resolver(signed_revision)
        annots = _get(pages[index], "/Annots")
        if not isinstance(annots, generic.ArrayObject):
            return []
        for i in range(len(annots)):
            ref = annots.raw_get(i)
            if not isinstance(ref, generic.IndirectObject):
                continue
            annot = ref.get_object()
            if not isinstance(annot, generic.DictionaryObject):
                continue
            if not self._changed_after(ref, annot, signed_revision):
                continue
            signature = ref.reference in self._signed_signature_widgets() or \
                _is_signed_signature(annot)
            rects = [_get(annot, "/Rect")]
            if self._existed_at(ref.reference, signed_revision):
                try:
                    old = old_resolver(ref.reference)
                    if isinstance(old, generic.DictionaryObject):
                        rects.append(_get(old, "/Rect"))
                except Exception:
                    pass  # unreadable then: nothing known to have been there
            for rect in rects:
                box = _device_box(pdfium_page, rect, signature)
                if box is not None:
                    boxes.append(box)
        return boxes

    def _existed_at(self, ref: Any, revision: int) -> bool:
        """Whether the object was in the file by ``revision``. Asked first because pyHanko
        logs a warning for every object a historical resolver cannot find, and a new
        annotation (every approval stamp) is such an object: a library user's log would
        fill with it."""
        try:
            return bool(self.reader.xrefs.get_introducing_revision(ref) <= revision)
        except KeyError:
            return False

    def _earlier_stamps(self, index: int, signed_revision: int
                        ) -> list[tuple[float, ...]]:
        """Rectangles of signed signatures' stamps already on the page when signed."""
        pages = self._pages()
        annots = _get(pages[index], "/Annots") if index < len(pages) else None
        if not isinstance(annots, generic.ArrayObject):
            return []
        result: list[tuple[float, ...]] = []
        for i in range(len(annots)):
            ref = annots.raw_get(i)
            if not isinstance(ref, generic.IndirectObject):
                continue
            annot = ref.get_object()
            if not isinstance(annot, generic.DictionaryObject) or \
                    self._changed_after(ref, annot, signed_revision):
                continue
            if ref.reference not in self._signed_signature_widgets() and \
                    not _is_signed_signature(annot):
                continue
            try:
                x1, y1, x2, y2 = (float(v) for v in _get(annot, "/Rect"))
            except (TypeError, ValueError):
                continue
            if x1 != x2 and y1 != y2:
                result.append((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
        return result

    def _changed_after(self, ref: Any, annot: Any, revision: int) -> bool:
        for dep in _appearance_refs(ref, annot):
            try:
                if self.reader.xrefs.get_last_change(dep) > revision:
                    return True
            except Exception:
                return True  # unknown provenance: let it explain nothing extra
        return False

    def _signed_signature_widgets(self) -> set[Any]:
        """Widgets of filled signature fields, found through the form: a widget in a
        field's /Kids need not point back to its field with /Parent."""
        if self._signature_widgets is None:
            self._signature_widgets = set()
            try:
                from pyhanko.pdf_utils.form_tools import enumerate_fields_in

                found = list(enumerate_fields_in(
                    self.reader.root["/AcroForm"]["/Fields"], filled_status=True,
                    with_name=None, refs_seen=set(), target_field_type="/Sig"))
            except Exception:
                found = []
            for _name, _value, field_ref in found:
                self._signature_widgets.add(field_ref.reference)
                kids = _get(field_ref.get_object(), "/Kids")
                if isinstance(kids, generic.ArrayObject):
                    for i in range(len(kids)):
                        kid = kids.raw_get(i)
                        if isinstance(kid, generic.IndirectObject):
                            self._signature_widgets.add(kid.reference)
        return self._signature_widgets

    def _pages(self) -> list[Any]:
        if self._page_dicts is None:
            self._page_dicts = list(_walk_pages(_get(self.reader.root, "/Pages")))
        return self._page_dicts


def _open(pdfium: Any, data: Any, password: str | None) -> Any:
    # data: the file's bytes, or a signed revision's (vnsign.pdf.source.shared_prefix)
    document = pdfium.PdfDocument(data, password=password)
    # Form fields are drawn only with a form environment: without it pdfium skips
    # every widget, and a filled-in field would change nothing on the picture.
    document.init_forms()
    return document


def _render(page: Any) -> _Picture:
    """The page as 3-byte BGR pixels on white, annotations and form widgets drawn.

    The same picture as ``page.render(scale=SCALE, draw_annots=True,
    may_draw_forms=True)`` (tests/pdf/test_visual_fast.py compares the two), drawn
    straight into a buffer already white: pypdfium2's helper allocates a zeroed
    buffer, fills it white through pdfium and wraps it in objects, and the bytes must
    then be copied out of it; together about a millisecond per page. The pixels come
    back as the bytearray they were drawn in (compared and sliced, never changed).
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    width, height = picture_size(page, SCALE, MAX_PAGE_PIXELS)
    stride = width * 3  # packed rows, as pypdfium2 makes them
    pixels = bytearray(b"\xff") * (stride * height)
    buffer = (ctypes.c_ubyte * len(pixels)).from_buffer(pixels)
    bitmap = pdfium_c.FPDFBitmap_CreateEx(width, height, pdfium_c.FPDFBitmap_BGR, buffer,
                                          stride)
    if not bitmap:  # what page.render would have said, pdfium's bitmap being null
        raise pdfium.PdfiumError("Failed to fill bitmap rectangle.")
    try:
        where = (0, 0, width, height, 0)  # no offset, the bitmap's size, no rotation
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page.raw, *where, pdfium_c.FPDF_ANNOT)
        if page.formenv:  # the document's form environment (init_forms)
            pdfium_c.FPDF_FFLDraw(page.formenv, bitmap, page.raw, *where,
                                  pdfium_c.FPDF_ANNOT)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)  # the bitmap only; the pixels are ours
        del buffer  # releases the export, the pixels stay
    return pixels, width, height, stride


def _render_clipped(page: Any, clips: _Clips) -> _Picture:
    """The page as :func:`_render` sizes it, its content drawn only inside ``clips``
    (disjoint device rectangles, x1 and y1 excluded), white elsewhere; the form
    widgets, drawn by pdfium's form environment, which takes no clip, everywhere.

    For a page that can differ only inside some annotations' rectangles, the signed
    revision and the current file drawn this way differ exactly where drawn whole
    they would: outside the clips both are white, or show the same widgets on white.
    pdfium draws the page's content through a matrix here, the scale that maps the
    page onto the bitmap; inside a clip the pixels are those of the whole page drawn
    the same way (tests/pdf/test_visual_regions.py), and may differ by a grey level on
    some lines from :func:`_render`'s, which is why both sides of a comparison are
    always drawn the same way.
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    width, height = picture_size(page, SCALE, MAX_PAGE_PIXELS)
    stride = width * 3
    pixels = bytearray(b"\xff") * (stride * height)
    buffer = (ctypes.c_ubyte * len(pixels)).from_buffer(pixels)
    bitmap = pdfium_c.FPDFBitmap_CreateEx(width, height, pdfium_c.FPDFBitmap_BGR, buffer,
                                          stride)
    if not bitmap:
        raise pdfium.PdfiumError("Failed to fill bitmap rectangle.")
    try:
        matrix = pdfium_c.FS_MATRIX(width / page.get_width(), 0, 0,
                                    height / page.get_height(), 0, 0)
        for x0, y0, x1, y1 in clips:
            clip = pdfium_c.FS_RECTF(x0, y0, x1, y1)  # left, top, right, bottom
            pdfium_c.FPDF_RenderPageBitmapWithMatrix(bitmap, page.raw, ctypes.byref(matrix),
                                                     ctypes.byref(clip), pdfium_c.FPDF_ANNOT)
        if page.formenv:
            pdfium_c.FPDF_FFLDraw(page.formenv, bitmap, page.raw, 0, 0, width, height, 0,
                                  pdfium_c.FPDF_ANNOT)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)
        del buffer
    return pixels, width, height, stride


def _unanchored(annot: Any) -> bool:
    """Whether a viewer may draw the annotation other than scaled and rotated with the
    page into its /Rect: the NoZoom and NoRotate flags (ISO 32000-1, 12.5.3) keep its
    size or its upright position, anchored at a corner of the rectangle."""
    flags = _get(annot, "/F") if isinstance(annot, generic.DictionaryObject) else None
    if not isinstance(flags, (generic.NumberObject, generic.FloatObject)):
        return False  # no flags a viewer reads
    return bool(int(flags) & (8 | 16))  # a real number: its integer part, as pdfium


def _finite(rect: Any) -> bool:
    """Whether ``rect`` is four finite numbers (a NaN maps to no device pixel)."""
    try:
        values = [float(v) for v in rect]
    except (TypeError, ValueError):
        return False
    return len(values) == 4 and all(math.isfinite(v) for v in values)


def _disjoint(rects: list[tuple[int, int, int, int]], width: int, height: int) -> _Clips:
    """``rects`` inside the page, overlapping or touching ones merged into the rectangle
    around them until none overlap: a pixel drawn by two clipped renders would be
    blended twice."""
    pending = [(max(x0, 0), max(y0, 0), min(x1, width), min(y1, height))
               for x0, y0, x1, y1 in rects]
    pending = [r for r in pending if r[0] < r[2] and r[1] < r[3]]
    merged: list[tuple[int, int, int, int]] = []
    while pending:
        x0, y0, x1, y1 = pending.pop()
        for i, (a0, b0, a1, b1) in enumerate(merged):
            if x0 <= a1 and a0 <= x1 and y0 <= b1 and b0 <= y1:
                del merged[i]
                pending.append((min(x0, a0), min(y0, b0), max(x1, a1), max(y1, b1)))
                break
        else:
            merged.append((x0, y0, x1, y1))
    return tuple(sorted(merged))


def _walk_pages(root: Any) -> Iterator[Any]:
    """Leaf page dictionaries in order; cycles and absurd trees end the walk."""
    stack = [root]
    seen: set[int] = set()
    while stack and len(seen) < _MAX_TREE_NODES:
        node = stack.pop()
        if not isinstance(node, generic.DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        kids = _get(node, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            stack.extend(reversed([kids[i] for i in range(len(kids))]))
        elif _get(node, "/Type") != "/Pages":
            yield node


def _appearance_refs(ref: Any, annot: Any) -> Iterator[Any]:
    """The annotation and the objects its normal appearance is drawn from."""
    yield ref.reference
    raw_ap = annot.raw_get("/AP") if "/AP" in annot else None
    if isinstance(raw_ap, generic.IndirectObject):
        yield raw_ap.reference
    ap = _get(annot, "/AP")
    if not isinstance(ap, generic.DictionaryObject) or "/N" not in ap:
        return
    normal = ap.raw_get("/N")
    if isinstance(normal, generic.IndirectObject):
        yield normal.reference
    states = normal.get_object()
    if isinstance(states, generic.DictionaryObject) and \
            not isinstance(states, generic.StreamObject):
        for key in list(states.keys()):
            state = states.raw_get(key)
            if isinstance(state, generic.IndirectObject):
                yield state.reference


def _is_signed_signature(annot: Any) -> bool:
    field = annot
    for _ in range(8):  # /FT and /V may sit on the parent field
        if not isinstance(field, generic.DictionaryObject):
            return False
        if _get(field, "/FT") == "/Sig":
            return _get(field, "/V") is not None
        field = _get(field, "/Parent")
    return False


def _device_box(page: Any, rect: Any, signature: bool) -> _Box | None:
    import ctypes

    import pypdfium2.raw as pdfium_c

    try:
        x1, y1, x2, y2 = (float(v) for v in rect)
    except (TypeError, ValueError):
        return None
    width = round(page.get_width() * SCALE)
    height = round(page.get_height() * SCALE)
    points = []
    for x, y in ((x1, y1), (x2, y2), (x1, y2), (x2, y1)):
        dx, dy = ctypes.c_int(), ctypes.c_int()
        ok = pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, x, y,
                                        ctypes.byref(dx), ctypes.byref(dy))
        if not ok:
            return None
        points.append((dx.value, dy.value))
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return _Box(min(xs) - _MARGIN, min(ys) - _MARGIN, max(xs) + _MARGIN, max(ys) + _MARGIN,
                signature, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))


def _hidden_text(page: Any, stamps: list[_Box], earlier: list[tuple[float, ...]],
                 now: _Picture, then: _Picture,
                 layer: Callable[[], _TextLayer] | None = None) -> str:
    """The text of the signed page that later signatures' stamps paint over, or "".

    A character counts when its centre lies inside a new stamp and the stamp changes
    it: most of the ink it had is gone (an opaque stamp hides it), or the stamp paints
    across it (a stamp printing another number over "Số: 2971"). One case is normal
    and not reported: an agency seal laid over the stamp of an earlier signature on the
    same page (Decree 30/2020: the seal covers about a third of the signature, on its
    left), which crosses the signer's title without hiding it; a seal there that
    *hides* text is still reported. Text under an earlier stamp had no ink on the
    signed page, so covering that stamp again reports nothing.
    """
    rects = [(b.rect, _overlaps_any(b.rect, earlier)) for b in stamps if b.rect is not None]
    if not rects:
        return ""
    # ``layer``: where the same characters were read already (the current file's page)
    own = layer is None
    text_layer = _TextLayer(page) if layer is None else layer()
    try:
        marked: list[str] = []
        for i, (left, bottom, right, top) in text_layer.centred_in(rects):
            cx, cy = (left + right) / 2, (bottom + top) / 2
            over = [seal for r, seal in rects if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]]
            if not over:
                continue
            char = text_layer.char(i)
            if not char.strip():
                marked.append(" ")
                continue
            box = _device_box(page, (left, bottom, right, top), False)
            if box is None:
                continue
            lost, painted = _ink_change(now, then, box)
            if lost or (painted and not all(over)):
                marked.append(char)
    finally:
        if own:
            text_layer.close()
    text = " ".join("".join(marked).split())
    return text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE - 1] + "\u2026"


class _TextLayer:
    """The characters of one page as pdfium reads them (at most ``_MAX_CHARS``): every
    box read once, then asked which are centred under the stamps, as often as needed
    (a page of the current file stands in for the same text layer in several signed
    revisions)."""

    def __init__(self, page: Any) -> None:
        self.textpage = page.get_textpage()
        self.count = min(self.textpage.count_chars(), _MAX_CHARS)
        self._boxes = _char_boxes(self.textpage, self.count)

    def centred_in(self, rects: Sequence[tuple[tuple[float, ...], bool]]
                   ) -> list[tuple[int, tuple[float, float, float, float]]]:
        """(index, box) of the characters centred inside one of ``rects``."""
        return self._boxes.centred_in(rects)

    def char(self, index: int) -> str:
        return str(self.textpage.get_text_range(index, 1))

    def close(self) -> None:
        self.textpage.close()


class _CharBoxes:
    """Character boxes as pdfium's FPDFText_GetCharBox gives them, packed (left, right,
    bottom, top per character), with their centres, and the characters ordered by the
    height of their centre: a stamp spans a few lines, whose characters are found by
    bisection, not by testing each of the page's thousands for each stamp."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = values
        lefts, rights = values[0::4], values[1::4]
        bottoms, tops = values[2::4], values[3::4]
        self.xs = [(left + right) / 2 for left, right in zip(lefts, rights, strict=True)]
        self.ys = [(bottom + top) / 2 for bottom, top in zip(bottoms, tops, strict=True)]
        # A NaN centre is inside nothing (every comparison with it is false) and would
        # break the order: it is left out.
        self._by_y = sorted((i for i, y in enumerate(self.ys) if not math.isnan(y)),
                            key=self.ys.__getitem__)
        self._sorted_ys = [self.ys[i] for i in self._by_y]

    def centred_in(self, rects: Sequence[tuple[tuple[float, ...], bool]]
                   ) -> list[tuple[int, tuple[float, float, float, float]]]:
        """(index, (left, bottom, right, top)) of the characters whose centre lies
        inside one of ``rects`` at least, in index order."""
        inside: set[int] = set()
        for (x0, y0, x1, y1, *_), _seal in rects:
            if any(math.isnan(v) for v in (x0, y0, x1, y1)):
                continue  # inside nothing, as every comparison with NaN is false
            lo = bisect.bisect_left(self._sorted_ys, y0)
            hi = bisect.bisect_right(self._sorted_ys, y1)
            xs = self.xs
            inside.update(i for i in self._by_y[lo:hi] if x0 <= xs[i] <= x1)
        v = self.values
        return [(i, (v[4 * i], v[4 * i + 2], v[4 * i + 1], v[4 * i + 3]))
                for i in sorted(inside)]


def _char_boxes(textpage: Any, count: int) -> _CharBoxes:
    """The boxes of the first ``count`` characters, the same as
    ``textpage.get_charbox(i)`` for each (tests/pdf/test_visual_fast.py compares them).

    A page holds thousands of characters and a stamp covers a few dozen, and the
    helper's conversions (four new doubles, pointer type checks, a tuple) cost twice
    the pdfium call: the C extension (:mod:`vnsign.pdf.native`) reads every box in one
    call; without it the library function is called through an untyped-pointer prototype
    of itself, writing every box into one array.
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    count = max(count, 0)
    typed = pdfium_c.FPDFText_GetCharBox
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    extension = native.textscan()
    if extension is not None and handle:
        packed = extension.boxes(handle, count, ctypes.cast(typed, ctypes.c_void_p).value)
        if packed is None:
            raise pdfium.PdfiumError("Failed to get charbox.")  # as the helper says
        return _CharBoxes(cast(list[float], memoryview(packed).cast("d").tolist()))
    get_box = type(typed)(ctypes.cast(typed, ctypes.c_void_p).value)
    get_box.argtypes = (ctypes.c_void_p, ctypes.c_int) + (ctypes.c_void_p,) * 4
    get_box.restype = typed.restype
    boxes = (ctypes.c_double * (4 * count))()
    base = ctypes.addressof(boxes)
    for i in range(count):
        at = base + 32 * i  # four doubles a character
        if not get_box(handle, i, at, at + 8, at + 16, at + 24):
            raise pdfium.PdfiumError("Failed to get charbox.")  # as the helper says
    values = cast(list[float], memoryview(boxes).cast("B").cast("d").tolist())
    return _CharBoxes(values)


def _chars_centred_in(textpage: Any, count: int,
                      rects: Sequence[tuple[tuple[float, ...], bool]]
                      ) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(index, box) of the first ``count`` characters centred inside one of ``rects``,
    in one reading of the page's boxes."""
    return _char_boxes(textpage, count).centred_in(rects)


def _overlaps_any(rect: tuple[float, ...], others: list[tuple[float, ...]]) -> bool:
    return any(rect[0] < o[2] and o[0] < rect[2] and rect[1] < o[3] and o[1] < rect[3]
               for o in others)


def _ink_change(now: _Picture, then: _Picture,
                box: _Box) -> tuple[bool, bool]:
    """(most dark pixels of ``box`` on the signed page are gone, the box was painted
    across: a sixth or more of its pixels changed)."""
    buf_now, width, height, stride = now
    buf_then = then[0]
    pixel = stride // width if width else 3
    inked = kept = changed = total = 0
    for y in range(max(box.y0 + _MARGIN, 0), min(box.y1 - _MARGIN + 1, height)):
        row = y * stride
        for x in range(max(box.x0 + _MARGIN, 0), min(box.x1 - _MARGIN + 1, width)):
            at = row + x * pixel
            before, after = buf_then[at:at + 3], buf_now[at:at + 3]
            total += 1
            if before != after:
                changed += 1
            if sum(before) < _INK:
                inked += 1
                if sum(after) < _INK:
                    kept += 1
    lost = inked >= _MIN_INK and kept * 2 < inked
    return lost, total > 0 and changed * 6 >= total


_BAND = 32  # rows compared at once before looking at each


def _rows_that_differ(buf_now: bytes | bytearray, buf_then: bytes | bytearray,
                      height: int, stride: int) -> Iterator[int]:
    """The rows whose bytes may differ, in order: a band of rows equal as a whole is
    skipped (each of its rows is equal), the others are handed over row by row.

    A stamp changes a few dozen rows of a page of hundreds; comparing bands instead
    of every row saves a thousand slices per page."""
    for top in range(0, height, _BAND):
        bottom = min(top + _BAND, height)
        if buf_now[top * stride:bottom * stride] != buf_then[top * stride:bottom * stride]:
            yield from range(top, bottom)


def _differences(now: _Picture, then: _Picture,
                 boxes: list[_Box]) -> tuple[bool, bool]:
    """(a pixel differs outside every box, a pixel differs inside a non-signature box)."""
    buf_now, width, height, stride = now
    buf_then = then[0]
    pixel = stride // width if width else 3
    in_permitted = False
    for y in _rows_that_differ(buf_now, buf_then, height, stride):
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
