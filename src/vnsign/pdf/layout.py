"""Page text rebuilt from where each character stands (pdfium), with the text of stamps.

The Decree 30 reader needs lines as a reader sees them. The order of the text stream does
not give them: Word exports of justified text draw each word (or letter) on its own, so a
stream-order extractor yields one word per line or no spaces at all ("ĐẠIHỌCQUỐCGIAHÀNỘI").
pdfium's text page gives every character with its box; lines are rebuilt from those boxes
(characters whose vertical extents overlap), words from the horizontal gaps, and the two
columns of a header or closing row from the wide gaps between cells.

e-office systems stamp the number and the date of a document into *signature widgets* when
the clerk signs ("Số: 8151 /BNV-CCHC" where the page itself reads "Số: /BNV-CCHC"). Those
appearances are not page content, so pdfium is asked to flatten them onto an in-memory copy of
the page: their characters then come after the page's own, with boxes, and are placed where
they stand. Only short appearances (a number, a day, a month) join the page lines; a large
signature appearance ("Ký bởi: ...", the signer's picture) would only add noise to the signer
block. Every joined stamp is kept as a :class:`Stamp`, so that a field can say it came from a
stamp, and from which widget.

Everything is guarded: a page pdfium cannot read gives ``None`` and the caller falls back to
the stream-order text.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import operator
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from vnsign.pdf import native
from vnsign.pdf.reopened import ReopenedDocument

log = logging.getLogger(__name__)

#: A stamp joins the page lines when its text is at most this long and this many lines.
STAMP_MAX_CHARS = 40
STAMP_MAX_LINES = 2
#: A gap wider than this many times the font size separates two cells (columns) of one line.
CELL_GAP = 2.5
#: A gap wider than the line's letter gap by this fraction of the font size separates words.
WORD_GAP = 0.15
#: Characters turned further than this from the page's horizontal (radians) are not line text
#: (watermarks, vertical margin notes); italic shear reads as about 0.21.
MAX_ANGLE = 0.4
#: Characters whose baselines are this close (times the font size) stand on one line.
BASELINE_TOLERANCE = 0.3
#: A two-column run ends when one column has had no text for more rows than this.
COLUMN_IDLE_ROWS = 1
#: More characters than this on a page: the page is not laid out (a data dump); stream order.
MAX_CHARS = 60_000


@dataclass(frozen=True)
class Stamp:
    """Text an annotation's appearance draws on a page (a number stamped at signing)."""

    page: int  # 1-based
    text: str
    field_name: str | None  # the form field (signature) the widget belongs to
    subtype: str  # "Widget", "FreeText", "Stamp", ...


@dataclass
class PageLayout:
    """The lines of one page, top to bottom, cells of a line left to right."""

    lines: list[str] = field(default_factory=list)
    plain_lines: list[str] = field(default_factory=list)  # the same without the stamps
    stamps: list[Stamp] = field(default_factory=list)
    #: appearances too long to join the page text (signature boxes), their lines joined by "\n"
    long_stamps: list[Stamp] = field(default_factory=list)
    chars: int = 0  # characters of the page's own text layer (stamps not counted)
    image_cover: float = 0.0  # share of the page covered by its largest image (a scan: ~1)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def plain_text(self) -> str:
        return "\n".join(self.plain_lines)


@dataclass(frozen=True)
class Word:
    """A word placed on a page by someone else (OCR): display coordinates in points."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    base: float  # baseline (the bottom of its line)
    size: float  # type size


def lines_from_words(words: list[Word]) -> list[str]:
    """Lines and columns from placed words, by the same geometry as a text layer's."""
    chars = [_Char(w.text, w.x0, w.y0, w.x1, w.y1, w.base, w.size, True, i, None, True)
             for i, w in enumerate(words) if w.text]
    return _lines(chars)


@dataclass(slots=True)  # slots: thousands a page, created and read in hot loops
class _Char:
    ch: str
    x0: float
    y0: float  # top (display coordinates, y down)
    x1: float
    y1: float  # bottom
    base: float  # baseline
    size: float  # font size
    spaced: bool  # a space (drawn, or inferred by pdfium) follows it in the text stream
    order: int  # position in the text stream
    stamp: int | None  # index into the page's stamp list, None for page text
    whole: bool = False  # a whole word (OCR), followed by a space whatever the gap


#: Sort keys of :func:`_lines`: top to bottom then left to right, and left to right.
_BASE_THEN_X = operator.attrgetter("base", "x0")
_X = operator.attrgetter("x0")

_SUBTYPES = {1: "Text", 3: "FreeText", 13: "Stamp", 20: "Widget"}


def read_layout(data: bytes, password: str | None = None,
                pages: list[int] | None = None) -> list[PageLayout | None]:
    """Layout of the given 0-based pages (all when ``None``); ``None`` for a page that fails.

    The pages are read in documents opened again every few pages that draw a picture
    (vnsign.pdf.reopened): one document kept every page's picture of a scan until the
    last page was read.
    """
    try:
        docs = ReopenedDocument(data, password)
    except Exception as exc:  # pdfium refuses the file: the caller keeps pypdf's text
        log.debug("pdfium: %s", exc)
        return []
    try:
        indexes = list(range(len(docs))) if pages is None else pages
        result: list[PageLayout | None] = []
        for index in indexes:
            try:
                layout = _page_layout(docs.for_page(), index)
            except Exception as exc:
                log.debug("pdfium page %d: %s", index + 1, exc)
                result.append(None)
                continue
            if not layout.image_cover:
                docs.forget_page()  # a text page: nothing worth opening again for
            result.append(layout)
        return result
    finally:
        docs.close()


def _page_layout(doc: Any, index: int) -> PageLayout:
    import pypdfium2.raw as c

    page = doc[index]
    textpage = None
    try:
        stamps, rects = _annotation_stamps(c, page, index + 1)
        textpage = page.get_textpage()
        own = textpage.count_chars()
        if stamps:
            # Flattening writes the appearances into this in-memory copy's content; the page
            # must be reloaded, and its text page rebuilt, for them to be seen. Without
            # stamps the text page just built is the one to read.
            textpage.close()
            textpage = None
            c.FPDFPage_Flatten(page.raw, c.FLAT_NORMALDISPLAY)
            page.close()
            page = doc[index]
            textpage = page.get_textpage()
        rotation = int(page.get_rotation()) % 360
        width, height = page.get_size()
        cover = _image_cover(c, page, width * height)
        chars, long = _keep_short_stamps(
            _chars(textpage, own, rects, rotation, width, height))
    finally:
        if textpage is not None:
            textpage.close()
        page.close()
    layout = PageLayout(chars=own, image_cover=cover)
    layout.long_stamps = [
        Stamp(stamps[i].page, "\n".join(lines), stamps[i].field_name, stamps[i].subtype)
        for i, lines in sorted(long.items())
    ]
    layout.lines = _lines(chars)
    layout.plain_lines = (
        _lines([ch for ch in chars if ch.stamp is None])
        if any(ch.stamp is not None for ch in chars) else layout.lines
    )
    for i, stamp in enumerate(stamps):
        text = " ".join(_lines([ch for ch in chars if ch.stamp == i]))
        if text:
            layout.stamps.append(Stamp(stamp.page, text, stamp.field_name, stamp.subtype))
    return layout


def _image_cover(c: Any, page: Any, area: float) -> float:
    """The share of the page the largest image object covers (top-level objects)."""
    best = 0.0
    left, bottom = ctypes.c_float(), ctypes.c_float()
    right, top = ctypes.c_float(), ctypes.c_float()
    for i in range(min(c.FPDFPage_CountObjects(page.raw), 500)):
        obj = c.FPDFPage_GetObject(page.raw, i)
        if not obj or c.FPDFPageObj_GetType(obj) != c.FPDF_PAGEOBJ_IMAGE:
            continue
        if c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom),
                                   ctypes.byref(right), ctypes.byref(top)):
            covered = abs(right.value - left.value) * abs(top.value - bottom.value)
            best = max(best, covered / area if area > 0 else 0.0)
    return min(best, 1.0)


def _annotation_stamps(c: Any, page: Any, number: int) -> tuple[list[Stamp], list[Any]]:
    """Annotations with an appearance, their field names and their rectangles."""
    stamps: list[Stamp] = []
    rects: list[Any] = []
    for i in range(c.FPDFPage_GetAnnotCount(page.raw)):
        annot = c.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            subtype = c.FPDFAnnot_GetSubtype(annot)
            if subtype not in _SUBTYPES:
                continue
            rect = c.FS_RECTF()
            if not c.FPDFAnnot_GetRect(annot, rect):
                continue
            name = _string_value(c, annot, "T")
            if name is None:
                parent = c.FPDFAnnot_GetLinkedAnnot(annot, b"Parent")
                if parent:
                    name = _string_value(c, parent, "T")
                    c.FPDFPage_CloseAnnot(parent)
            stamps.append(Stamp(number, "", name, _SUBTYPES[subtype]))
            rects.append((min(rect.left, rect.right), min(rect.bottom, rect.top),
                          max(rect.left, rect.right), max(rect.bottom, rect.top)))
        finally:
            c.FPDFPage_CloseAnnot(annot)
    return stamps, rects


def _string_value(c: Any, annot: Any, key: str) -> str | None:
    size = c.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)
    if size <= 2:
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    c.FPDFAnnot_GetStringValue(annot, key.encode(), buffer, size)
    text = bytes(buffer)[:size - 2].decode("utf-16-le", errors="replace")
    return unicodedata.normalize("NFC", text).strip() or None


def _chars(textpage: Any, own: int, rects: list[Any], rotation: int,
           width: float, height: float) -> list[_Char]:
    """The visible, horizontal characters of the page in display coordinates.

    This loop runs once per character of every page (thousands a page), so it is written for
    speed: what pdfium says of the characters comes from :func:`_records` (one C call for the
    page when the extension is built), what a code point is comes from a cache
    (:func:`_kind`), and the common unrotated page skips the general coordinate transform.
    Each step keeps the exact order and arithmetic of the plain per-character reading
    (``tests/vn/test_layout_fast_path.py`` holds that reading and checks that both give the
    same characters).
    """
    f = _text_functions()
    handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    count = f.count(handle)
    if count > MAX_CHARS:
        raise ValueError(f"{count} characters")
    base_angle = {0: 0.0, 90: 1.5708, 180: 3.1416, 270: 4.7124}.get(rotation, 0.0)
    text_object = f.text_object
    placements: dict[int | None, _Placement | None] = {}
    kinds = _KINDS
    skip, space, letter = _SKIP, _SPACE, _LETTER
    out: list[_Char] = []
    for i, (code, map_error, angle, box_ok, b_left, b_top, b_right, b_bottom, nominal,
            origin_ok, o_x, o_y) in enumerate(_records(f, handle, count)):
        what, ch = kinds.get(code) or _kind(code)
        if what != letter:  # the rare kinds here; letters, nearly all, go straight on
            if what == skip:
                continue
            if what == space:
                if out and out[-1].order == i - 1:
                    out[-1].spaced = True
                continue
            if map_error == 1:
                continue  # a glyph without a Unicode mapping reads as garbage
            # A combining mark (NFD text) belongs to the letter before it in the stream;
            # its own box would sort it beside the wrong letter.
            if out and out[-1].order == i - 1:
                out[-1].ch += ch
                out[-1].order = i
            continue
        if map_error == 1:
            continue
        # Upright text on an unrotated page (nearly every character) is 0 off the horizontal:
        # no need to work that out.
        if angle >= 0 and (angle or base_angle):
            off = abs((angle - base_angle + 3.1416) % 6.2832 - 3.1416)
            if off > MAX_ANGLE:
                continue
        # The loose box spans the font's ascent to descent and the glyph's advance: adjacent
        # letters touch, a space leaves a gap, whatever the glyph's own shape.
        if not box_ok:
            continue
        # min() and max() spelled out (the same results, NaN included): this is the hot loop.
        left = b_right if b_right < b_left else b_left
        right = b_right if b_right > b_left else b_left
        bottom = b_top if b_top < b_bottom else b_bottom
        top = b_top if b_top > b_bottom else b_bottom
        stamp = None
        placed_origin = None
        if i >= own and rects:
            cx, cy = (left + right) / 2, (bottom + top) / 2
            stamp = _containing(rects, cx, cy)
            if stamp is None:
                # Outside every widget: drawn outside its rectangle (not placed), or left in
                # its form's space by pdfium (placed, once per text object).
                obj = text_object(handle, i) if text_object is not None else None
                if obj not in placements:
                    placements[obj] = _forms_placement(textpage, i) if obj else None
                placement = placements[obj]
                if placement is None:
                    continue
                left, bottom, right, top = _placed_box(placement[0], left, bottom, right, top)
                placed_origin = placement[1]
                stamp = _containing(rects, (left + right) / 2, (bottom + top) / 2)
                if stamp is None:
                    continue
        if rotation == 0:
            x0, x1, y0, y1 = left, right, height - top, height - bottom
        else:
            x0, x1, y0, y1 = _display(left, right, bottom, top, rotation, width, height)
        # The nominal size is 1 when the text matrix does the scaling; the loose box then
        # tells the size as drawn.
        nominal = nominal or 0.0
        drawn = (y1 - y0) / 1.5
        size = drawn if drawn > nominal else nominal
        base = (y0 + y1) / 2
        if placed_origin is not None:
            px, py = placed_origin
            base = _display(px, px, py, py, rotation, width, height)[2]
        elif origin_ok:
            if rotation == 0:
                base = height - o_y
            else:
                base = _display(o_x, o_x, o_y, o_y, rotation, width, height)[2]
        out.append(_Char(ch, x0, y0, x1, y1, base, size, False, i, stamp))
    return out


#: What :func:`_forms_placement` finds for one text object: the map from its form's space
#: to the page (``a b c d e f``), and the page position of its characters' origin.
_Placement = tuple[tuple[float, float, float, float, float, float], tuple[float, float]]


def _forms_placement(textpage: Any, index: int) -> _Placement | None:
    """How to place on the page the characters pdfium left in their form's own space.

    pdfium reads a marked-content span's /ActualText in place of the span's glyphs and gives
    each of its characters an equal share of the text object's rectangle, with the object's
    position as origin; but that rectangle and position are in the space of the form XObject
    the text is drawn in: the matrix of the forms around it is never applied (pdfium's
    ``CPDF_TextPage::ProcessMarkedContent``). Flattened appearances are always drawn in
    forms, and pyHanko's stamps (as tagged stamps of other tools) mark every line with
    /ActualText, so without this their characters stand far from their widget and are lost.

    Such a character's own matrix (FPDFText_GetMatrix) is its object's text matrix followed by
    the forms' matrix; the object's matrix (FPDFPageObj_GetMatrix) is the text matrix alone;
    so the two give the map from form space to the page (``a b c d e f``, pdfium's order), and
    the page position of the shared origin. The answer is the same for every character of one
    text object (:func:`_chars` asks once per object). ``None`` when the character is not one
    of these (its origin is not its object's position, or no form is around it) or this
    pdfium lacks the functions: the caller then drops the character, as before.
    """
    import pypdfium2.raw as c

    if not hasattr(c, "FPDFText_GetTextObject"):
        return None
    full, own = c.FS_MATRIX(), c.FS_MATRIX()
    obj = c.FPDFText_GetTextObject(textpage.raw, index)
    if not obj or not c.FPDFText_GetMatrix(textpage.raw, index, full) \
            or not c.FPDFPageObj_GetMatrix(obj, own):
        return None
    ox, oy = ctypes.c_double(), ctypes.c_double()
    if not c.FPDFText_GetCharOrigin(textpage.raw, index, ox, oy):
        return None
    if abs(ox.value - own.e) > 0.01 or abs(oy.value - own.f) > 0.01:
        return None  # a glyph pdfium placed itself: its box is already on the page
    det = own.a * own.d - own.b * own.c
    if abs(det) < 1e-9:
        return None
    # Undo the text matrix (its inverse), then apply the character's whole matrix.
    ia, ib, ic, id_ = own.d / det, -own.b / det, -own.c / det, own.a / det
    ie, if_ = -(own.e * ia + own.f * ic), -(own.e * ib + own.f * id_)
    forms = (ia * full.a + ib * full.c, ia * full.b + ib * full.d,
             ic * full.a + id_ * full.c, ic * full.b + id_ * full.d,
             ie * full.a + if_ * full.c + full.e, ie * full.b + if_ * full.d + full.f)
    if max(abs(v - w) for v, w in zip(forms, (1, 0, 0, 1, 0, 0), strict=True)) < 1e-6:
        return None  # no forms around it: nothing was left out
    return forms, _on_page(forms, ox.value, oy.value)


def _on_page(m: tuple[float, float, float, float, float, float], x: float,
             y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _placed_box(m: tuple[float, float, float, float, float, float], left: float,
                bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    """``(left, bottom, right, top)`` of the box mapped by ``m`` (its four corners)."""
    a, b, c, d, e, f = m
    xs = (a * left + c * bottom, a * left + c * top, a * right + c * bottom, a * right + c * top)
    ys = (b * left + d * bottom, b * left + d * top, b * right + d * bottom, b * right + d * top)
    return min(xs) + e, min(ys) + f, max(xs) + e, max(ys) + f


#: What a code point is to :func:`_chars`: skipped (no text, a control character), a space
#: (it marks the character before it as spaced), a combining mark, or a letter.
_SKIP, _SPACE, _COMBINING, _LETTER = range(4)
#: :func:`_kind` by code point, filled as pages are read (a page uses a few dozen).
_KINDS: dict[int, tuple[int, str]] = {}
#: A hostile file could name every code point; past this the cache starts again.
_KINDS_MAX = 65_536


def _kind(code: int) -> tuple[int, str]:
    """What the code point pdfium reports is, and the text it reads as (cached)."""
    if code in (0, 0xFFFE, 0xFFFF):
        kind = (_SKIP, "")
    else:
        # pdfium reports a hyphen that ends a line as U+0002; a soft hyphen is one too.
        ch = "-" if code in (0x02, 0xAD) else chr(code)
        if ch.isspace():
            kind = (_SPACE, ch)
        elif unicodedata.category(ch)[0] == "C":
            kind = (_SKIP, ch)
        elif unicodedata.combining(ch):
            kind = (_COMBINING, ch)
        else:
            kind = (_LETTER, ch)
    if len(_KINDS) >= _KINDS_MAX:
        _KINDS.clear()
    _KINDS[code] = kind
    return kind


#: One character as :mod:`vnsign.pdf._textscan` packs it (its C source has the struct):
#: code point, Unicode map error, angle, loose box (found, left, top, right, bottom), font
#: size, origin (found, x, y).
RECORD = struct.Struct("=Iifi4fdi4x2d")
_Record = tuple[int, int, float, int, float, float, float, float, float, int, float, float]


def _records(f: _TextFunctions, handle: Any, count: int) -> Iterator[_Record]:
    """What pdfium says of each of the first ``count`` characters, a :data:`RECORD` each.

    From the C extension in one call when it was built (the ctypes calls cost fifty times
    pdfium's own work); otherwise the same six calls, in the same order, through ctypes,
    one character at a time, but for the code point alone of what :func:`_chars` skips or
    reads as a space. Both give the same characters (``tests/vn/test_layout_fast_path``).
    """
    scan = _native_scan()
    if scan is not None:
        return RECORD.iter_unpack(scan(handle.value, count, f.addresses))
    return _records_by_ctypes(f, handle, count)


def _native_scan() -> Callable[[int, int, tuple[int, ...]], bytes] | None:
    """``vnsign.pdf._textscan.scan``, or None when the extension was not built."""
    module = native.textscan()
    return None if module is None else cast(Callable[[int, int, tuple[int, ...]], bytes],
                                            module.scan)


def _records_by_ctypes(f: _TextFunctions, handle: Any, count: int) -> Iterator[_Record]:
    unicode, map_error, angle = f.unicode, f.map_error, f.angle
    loose_box, font_size, origin = f.loose_box, f.font_size, f.origin
    box = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
    box_ref = ctypes.byref(box)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    kinds, skip, space = _KINDS, _SKIP, _SPACE
    for i in range(count):
        code = unicode(handle, i)
        what = (kinds.get(code) or _kind(code))[0]
        if what == skip or what == space:
            # _chars reads nothing but the code point of these: the calls are saved.
            yield (code, 0, 0.0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0)
            continue
        error, turned = map_error(handle, i), angle(handle, i)
        box_ok = loose_box(handle, i, box_ref)
        if not box_ok:
            box[:] = [0.0, 0.0, 0.0, 0.0]  # as the extension reports a box not found
        b_left, b_top, b_right, b_bottom = box[:]
        size = font_size(handle, i)
        origin_ok = origin(handle, i, x_ref, y_ref)
        if not origin_ok:
            x.value = y.value = 0.0
        yield (code, error, turned, box_ok, b_left, b_top, b_right, b_bottom, size, origin_ok,
               x.value, y.value)


@dataclass(frozen=True)
class _TextFunctions:
    """pdfium's per-character text functions, without ctypes' per-call argument conversion.

    pypdfium2 declares the argument types of every function, so ctypes checks and converts
    each argument on each call: about half the cost of a call, and a page makes five or six
    calls per character. These are the same C functions with the same result types but no
    declared argument types; :func:`_chars` passes exactly what C expects (a ``c_void_p``
    handle, an ``int`` index, ``byref`` pointers), so nothing needs converting.
    """

    count: Any
    unicode: Any
    map_error: Any
    angle: Any
    loose_box: Any
    font_size: Any
    origin: Any
    text_object: Any  # None when this pdfium lacks FPDFText_GetTextObject
    #: The addresses of unicode, map_error, angle, loose_box, font_size and origin, for
    #: the C extension (in that order).
    addresses: tuple[int, ...] = ()


@functools.cache
def _text_functions() -> _TextFunctions:
    import pypdfium2.raw as c

    def unchecked(function: Any) -> Any:
        fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
        fast.restype = function.restype
        return fast

    def address(function: Any) -> int:
        return int(ctypes.cast(function, ctypes.c_void_p).value or 0)

    # The text object as a plain int (a dictionary key); None for a pdfium without it.
    text_object = None
    if hasattr(c, "FPDFText_GetTextObject"):
        text_object = unchecked(c.FPDFText_GetTextObject)
        text_object.restype = ctypes.c_void_p
    per_character = (c.FPDFText_GetUnicode, c.FPDFText_HasUnicodeMapError,
                     c.FPDFText_GetCharAngle, c.FPDFText_GetLooseCharBox,
                     c.FPDFText_GetFontSize, c.FPDFText_GetCharOrigin)
    return _TextFunctions(
        addresses=tuple(address(function) for function in per_character),
        count=unchecked(c.FPDFText_CountChars),
        unicode=unchecked(c.FPDFText_GetUnicode),
        map_error=unchecked(c.FPDFText_HasUnicodeMapError),
        angle=unchecked(c.FPDFText_GetCharAngle),
        loose_box=unchecked(c.FPDFText_GetLooseCharBox),
        font_size=unchecked(c.FPDFText_GetFontSize),
        origin=unchecked(c.FPDFText_GetCharOrigin),
        text_object=text_object,
    )


def _display(left: float, right: float, bottom: float, top: float, rotation: int,
             width: float, height: float) -> tuple[float, float, float, float]:
    """``(x0, x1, y0, y1)`` as the page is displayed (its /Rotate applied), y downwards."""
    if rotation == 90:
        return bottom, top, left, right
    if rotation == 180:
        return width - right, width - left, bottom, top
    if rotation == 270:
        return height - top, height - bottom, width - right, width - left
    return left, right, height - top, height - bottom


def _containing(rects: list[Any], x: float, y: float) -> int | None:
    best: int | None = None
    best_area = 0.0
    for i, (x0, y0, x1, y1) in enumerate(rects):
        if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1:
            area = (x1 - x0) * (y1 - y0)
            if best is None or area < best_area:
                best, best_area = i, area
    return best


def _keep_short_stamps(chars: list[_Char]) -> tuple[list[_Char], dict[int, list[str]]]:
    """Drop the characters of stamps too long to be a stamped number or date; the lines of
    those stamps by stamp index (an electronic copy's "SAO Y" / agency / time box)."""
    by_stamp: dict[int, list[_Char]] = {}
    for ch in chars:
        if ch.stamp is not None:
            by_stamp.setdefault(ch.stamp, []).append(ch)
    drop: dict[int, list[str]] = {}
    for index, members in by_stamp.items():
        lines = _lines(members)
        if len(lines) > STAMP_MAX_LINES or sum(len(line) for line in lines) > STAMP_MAX_CHARS:
            drop[index] = lines
    return [ch for ch in chars if ch.stamp is None or ch.stamp not in drop], drop


def _lines(chars: list[_Char]) -> list[str]:
    """Group characters into lines (close baselines), then cells and words.

    Baselines, not boxes: a font's ascent-to-descent box is taller than the line spacing of
    tightly set text, so boxes of adjacent lines overlap while their baselines never do.

    Runs of rows whose cells each stay on one side of the page (the two-column header, the
    closing row with "Nơi nhận:" beside the signer) are read column by column, as the eye
    reads them: all of the left column, then all of the right. A row with a cell across the
    middle (body text, the centred type line) ends such a run.
    """
    rows: list[list[_Char]] = []
    members: list[_Char] = []
    row_base = row_size = 0.0
    for ch in sorted(chars, key=_BASE_THEN_X):
        # The smaller of the two sizes: a tall stray box (a stamp read by OCR, a drop cap)
        # must not pull the next line into its own. (min() spelled out: this runs per char.)
        size = ch.size
        if members and ch.base - row_base <= BASELINE_TOLERANCE * (
                row_size if row_size < size else size):
            members.append(ch)
            continue
        members = [ch]
        rows.append(members)
        row_base, row_size = ch.base, size
    if not rows:
        return []
    # The middle of the text area: a few stray characters far out (page numbers, margin
    # notes) do not move it.
    xs = sorted([ch.x0 for ch in chars])
    ends = sorted([ch.x1 for ch in chars])
    middle = (xs[len(xs) // 50] + ends[-1 - len(ends) // 50]) / 2
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []
    idle = {"left": 0, "right": 0}  # rows since each column last had text
    for members in rows:
        cells = _cells(sorted(members, key=_X))
        cell_sides = [_side(cell, middle) for cell in cells]
        sides = set(cell_sides)
        gap = any(
            idle[side] > COLUMN_IDLE_ROWS and (side in sides or len(sides) == 1)
            for side in ("left", "right")
        )
        if "both" in sides or gap:
            # The two-column run is over: a row across the middle, one column empty for a
            # while, or a column that starts again after such a gap (a new block).
            out.extend(left + right)
            left, right = [], []
        if "both" in sides:
            out.extend(text for text, _, _ in cells)
            continue
        for cell, side in zip(cells, cell_sides, strict=True):
            (left if side == "left" else right).append(cell[0])
        for side in idle:
            idle[side] = 0 if side in sides else idle[side] + 1
    out.extend(left + right)
    return out


def _side(cell: tuple[str, float, float], middle: float) -> str:
    _, x0, x1 = cell
    slack = (x1 - x0) * 0.15
    if x1 - slack <= middle:
        return "left"
    if x0 + slack >= middle:
        return "right"
    return "both"


def _cells(row: list[_Char]) -> list[tuple[str, float, float]]:
    """Split a line into cells at wide gaps and into words at gaps wider than the letters'.

    Letter-spaced text ("Đ ề  n g h ị") leaves the same gap between all letters of a word:
    the typical gap of the line (its median) is the letter gap, and a word gap is wider.
    """
    # gaps[i] is the gap before row[i + 1]; min() and max() are spelled out below (same
    # results, NaN included) because this loop runs once per character.
    gaps = list(map(operator.sub, [ch.x0 for ch in row[1:]], [ch.x1 for ch in row[:-1]]))
    ordered = sorted(gaps)
    letter_gap = max(0.0, ordered[len(ordered) // 2]) if ordered else 0.0
    cells: list[tuple[str, float, float]] = []
    previous = row[0]
    current: list[str] = [previous.ch]
    start = previous.x0
    for ch, gap in zip(row[1:], gaps, strict=True):
        size, other = ch.size, previous.size
        smaller = other if other < size else size
        size = 1.0 if 1.0 > smaller else smaller
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
