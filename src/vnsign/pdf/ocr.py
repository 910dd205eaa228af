"""Text of scanned pages: Tesseract (Vietnamese model) on pages rendered by pdfium.

Most signed documents on the government portal are scans: the page is a picture, and the
only text is the portal's signing box. For those the Decree 30 reader gets its lines from
OCR instead, and every field it reads that way carries Tesseract's confidence.

How a page is read:

* rendered by pdfium at :data:`DPI` (Tesseract reads 10-14 pt print best at about 300 dpi),
  with the page's /Rotate applied;
* the **red channel** only: a red seal over the signer block, a red "ĐẾN" stamp over the
  title and red handwriting turn (nearly) white, while black and blue ink stay dark;
* **deskewed**: the angle whose rotation gives the sharpest row profile (text lines
  horizontal) within ±:data:`MAX_SKEW` degrees;
* read by the ``tesseract`` binary (Debian ``tesseract-ocr`` + ``tesseract-ocr-vie``) with
  ``-l vie`` and TSV output: words with boxes and confidences, which are laid out into lines
  and columns by the same geometry as a text layer (:func:`vnsign.pdf.layout.lines_from_words`).

Page 1 is read first (the header, the title and the subject), then the pages whose text ends
early (the closing with "Nơi nhận:" and the signer follows the body, and a long document's
body ends well above the bottom of its closing page), then the others, at most
:data:`MAX_PAGES`; reading stops at the page that shows the closing.

Nothing here raises: a missing binary, a page pdfium cannot render or a Tesseract failure
gives ``None`` with a reason, and the caller reports the fields as unread.
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from vnsign.pdf.layout import Word, lines_from_words
from vnsign.pdf.reopened import ReopenedDocument

log = logging.getLogger(__name__)

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[str, ...] = ("auto", "always", "never")

DPI = 300
#: A page drawn larger than this at :data:`DPI` is not read (A1 is 70 million pixels). A
#: hostile page of 200 × 200 inches would be 3.6 GB of grey; a whole-page bitmap was
#: bounded by pdfium's 2 GB, bands are not.
MAX_PAGE_PIXELS = 100_000_000
MAX_PAGES = 6
MAX_SKEW = 4.0  # degrees
SKEW_STEP = 0.25
TESSERACT_TIMEOUT = 120.0  # seconds per page
#: A page whose text layer has fewer letters than this has no usable text layer (a scan with
#: at most the portal's one-line signing box).
MIN_LETTERS = 200
#: A field read with a lower mean word confidence is reported as low-confidence.
LOW_CONFIDENCE = 0.6
#: Words Tesseract is less sure of than this are noise (stamp ink, seal edges, specks).
MIN_WORD_CONFIDENCE = 0.3
LINE_CONFIDENCE = 0.6
RED_MARGIN = 40
MIN_LINE_CHARS = 3


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0-1


@dataclass
class OcrPage:
    page: int  # 1-based
    lines: list[str] = field(default_factory=list)
    words: list[OcrWord] = field(default_factory=list)
    seconds: float = 0.0
    skew: float = 0.0  # degrees corrected

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def usable_text_layer(text: str) -> bool:
    """Does a page's text layer carry the document's text (not just a signing box)?"""
    return sum(ch.isalpha() for ch in text) >= MIN_LETTERS


@functools.cache
def tesseract_problem() -> str | None:
    """Why OCR cannot run here (``None`` when it can): binary, Vietnamese model, Pillow."""
    binary = shutil.which("tesseract")
    if binary is None:
        return "tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)"
    try:
        langs = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                               timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run: {exc}"
    if "vie" not in (langs.stdout + langs.stderr).split():
        return "tesseract has no Vietnamese model (Debian: tesseract-ocr-vie)"
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        return "Pillow is not installed"
    return None


def ocr_pages(data: bytes, password: str | None, pages: list[int],
              done: Any = None) -> list[OcrPage]:
    """OCR the given 0-based pages in order; ``done(lines_so_far)`` may stop the run early."""
    try:
        docs = ReopenedDocument(data, password)
    except Exception as exc:
        log.debug("pdfium: %s", exc)
        return []
    out: list[OcrPage] = []
    thumbnails = _Thumbnails(data, password)
    try:
        # Lazily: a page is measured only when the order is needed past it, so a document
        # whose closing is found early is not measured to its end.
        order = _reading_order(pages, thumbnails.ink_end)
        for index in itertools.islice(order, MAX_PAGES):
            result = _ocr_page(docs.for_page(), index)
            if result is not None:
                out.append(result)
            if done is not None and done(out):
                break
    finally:
        thumbnails.close()
        docs.close()
    return out


#: Text that stops above this share of the page height ends the body of a document: the
#: closing ("Nơi nhận:" and the signer) stands on such a page.
EARLY_END = 0.75
#: Pages measured for :func:`reading_order` (a thumbnail each, a few milliseconds).
MEASURED_PAGES = 80
_THUMB_DPI = 36


def reading_order(doc: Any, pages: list[int]) -> list[int]:
    """The pages worth reading first: page 1 (header, title, subject), then, in document
    order, the pages whose text ends early, then the rest.

    A long decree has its signer on page 24 of 31 (forms follow): reading from page 1 on,
    the closing is out of reach, but its page is the first one after page 1 whose text stops
    well above the bottom margin (the body ended there). The order needs no OCR: the lowest
    row of ink of a small rendering.
    """
    return list(_reading_order(pages, functools.partial(_ink_end, doc)))


def _reading_order(pages: list[int], ink_end: Callable[[int], float]) -> Iterator[int]:
    """:func:`reading_order`, one page at a time: ``ink_end(index)`` is asked for a page
    only when the order is wanted past it (the early pages come in document order, so
    each one can be given as soon as it is measured; the others wait for the end)."""
    if len(pages) <= 2:
        yield from pages
        return
    first, rest = pages[0], pages[1:]
    yield first
    later: list[int] = []
    for position, index in enumerate(rest):
        end = ink_end(index) if position < MEASURED_PAGES else 1.0
        if end < EARLY_END:
            yield index
        else:
            later.append(index)
    yield from later


class _Thumbnails:
    """Where the text of each page stops (:func:`_ink_end`), from pdfium documents of their
    own (vnsign.pdf.reopened), opened on the first page measured.

    Measuring the 54 pages of a 30 MB scan in the document used for OCR kept the file's
    images a second time (+42 MB) through the whole OCR run; rendering does not depend on
    which pages the document rendered before.
    """

    def __init__(self, data: bytes, password: str | None) -> None:
        self.data = data
        self.password = password
        self.docs: ReopenedDocument | None = None

    def ink_end(self, index: int) -> float:
        if self.docs is None:
            try:
                self.docs = ReopenedDocument(self.data, self.password)
            except Exception as exc:  # it opened for the OCR document a moment ago
                log.debug("pdfium (thumbnails): %s", exc)
                return 1.0
        return _ink_end(self.docs.for_page(), index)

    def close(self) -> None:
        if self.docs is not None:
            self.docs.close()
        self.docs = None


def _ink_end(doc: Any, index: int) -> float:
    """Where the page's text stops, as a share of its height (1.0 when it cannot tell)."""
    from PIL import Image

    try:
        page = doc[index]
        try:
            image = page.render(scale=_THUMB_DPI / 72).to_pil().convert("L")
        finally:
            page.close()
    except Exception as exc:
        log.debug("thumbnail of page %d failed: %s", index + 1, exc)
        return 1.0
    ink = image.point(lambda v: 255 if v < 140 else 0)
    profile = list(ink.resize((1, ink.height), Image.Resampling.BOX).tobytes())
    rows = {i for i, v in enumerate(profile) if v > 255 * 0.04}
    # A row of text is at least two thumbnail rows high; a lone row is a speck or a rule.
    text_rows = [i for i in rows if i - 1 in rows or i + 1 in rows]
    height: int = ink.height
    return max(text_rows, default=height) / max(height, 1)


def _ocr_page(doc: Any, index: int) -> OcrPage | None:
    start = time.perf_counter()
    try:
        gray = _render_gray(doc, index)
        angle = _skew(gray)
        if angle:
            gray = gray.rotate(angle, resample=_bicubic(), expand=False, fillcolor=255)
        page_image = _pgm(gray)
        del gray  # Tesseract reads the PGM; the grey image would double it while it runs
        words = _tesseract(page_image)
        scale = 72 / DPI
        boxes = [Word(w.text, x0 * scale, y0 * scale, x1 * scale, y1 * scale, base * scale,
                      size * scale)
                 for w, (x0, y0, x1, y1, base, size) in words]
        # Specks, seal edges and signature strokes read as one- to three-character lines
        # ("ó", "/", "đưa") between a title and the name; no field line is that short.
        lines = [restore_surname(correct_tones(line)) for line in lines_from_words(boxes)
                 if sum(ch.isalnum() for ch in line) > MIN_LINE_CHARS]
    except Exception as exc:  # pdfium, Pillow or Tesseract failed on this page
        log.debug("OCR of page %d failed: %s", index + 1, exc)
        return None
    result = OcrPage(index + 1, lines, [w for w, _ in words])
    result.seconds = time.perf_counter() - start
    result.skew = angle
    return result


#: Titles and place names of the header and the signer block. Tesseract's Vietnamese model
#: often misplaces the tone marks of capitals ("GIÁM ĐÓC", "HIỆU TRƯỜNG", "LÂM ĐÒNG"); a run
#: of words whose bare letters are those of one of these phrases is that phrase.
KNOWN_PHRASES: tuple[str, ...] = (
    "PHÓ HIỆU TRƯỞNG", "HIỆU TRƯỞNG", "PHÓ GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "GIÁM ĐỐC",
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ CHỦ NHIỆM", "CHỦ NHIỆM",
    "PHÓ THỦ TƯỚNG", "THỦ TƯỚNG", "CỤC TRƯỞNG", "VỤ TRƯỞNG", "VIỆN TRƯỞNG", "CHÁNH VĂN PHÒNG",
    "TRƯỞNG PHÒNG", "TRƯỞNG BAN", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "HÀ NỘI", "LAI CHÂU", "ĐIỆN BIÊN", "SƠN LA", "LẠNG SƠN", "QUẢNG NINH", "THANH HÓA",
    "NGHỆ AN", "HÀ TĨNH", "CAO BẰNG", "TUYÊN QUANG", "LÀO CAI", "THÁI NGUYÊN", "PHÚ THỌ",
    "BẮC NINH", "HƯNG YÊN", "HẢI PHÒNG", "NINH BÌNH", "QUẢNG TRỊ", "ĐÀ NẴNG", "QUẢNG NGÃI",
    "GIA LAI", "KHÁNH HÒA", "LÂM ĐỒNG", "ĐẮK LẮK", "HỒ CHÍ MINH", "ĐỒNG NAI", "TÂY NINH",
    "CẦN THƠ", "VĨNH LONG", "ĐỒNG THÁP", "CÀ MAU", "AN GIANG", "TỈNH LÂM ĐỒNG",
)


def _bare(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word.upper().replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isalnum())


@functools.cache
def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {tuple(_bare(w) for w in p.split()): tuple(p.split()) for p in KNOWN_PHRASES}


#: Letters Vietnamese does not have, which the model reads for one it has ("Sÿ" for "Sỹ").
_NOT_VIETNAMESE = str.maketrans({"ÿ": "ỹ", "Ÿ": "Ỹ"})


def correct_tones(line: str) -> str:
    """Put back the tone marks of a known title or place that OCR misread (same letters)."""
    words = line.translate(_NOT_VIETNAMESE).split(" ")
    bare = [_bare(w) for w in words]
    phrases = _phrases()
    sizes = sorted({len(k) for k in phrases}, reverse=True)
    joined = _joined_phrases()
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in sizes:
            if i + n > len(words):
                continue
            known = phrases.get(tuple(bare[i:i + n]))
            span = n
            if known is None:
                # A word split in two ("TRƯỞN G"): n + 1 pieces with the phrase's letters.
                known = joined.get("".join(bare[i:i + n + 1])) if i + n < len(words) else None
                span = n + 1
                if known is None or len(known) != n:
                    continue
            if any(not w[:1].isupper() for w in words[i:i + span] if w):
                continue
            upper = all(w.isupper() for w in words[i:i + span] if any(c.isalpha() for c in w))
            tail = words[i + span - 1][len(words[i + span - 1].rstrip(".,;:")):]
            fixed = [right if upper else right.capitalize() for right in known]
            fixed[-1] += tail
            out.extend(fixed)
            i += span
            break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


#: Family names whose first letter a seal or a signature stroke often hides, by what is left;
#: none of the remainders starts a name ("guyễn Sinh Nhật Tân" is "Nguyễn Sinh Nhật Tân").
_CUT_SURNAMES = {
    name[1:]: name
    for name in ("Nguyễn", "Trần", "Phạm", "Huỳnh", "Đặng", "Trương", "Trịnh", "Nguyên")
}


def restore_surname(line: str) -> str:
    """Put back the hidden first letter of a signer's family name: a line of 2-6 capitalised
    name words after a remainder that only one common family name leaves."""
    words = line.split(" ")
    full = _CUT_SURNAMES.get(words[0])
    if full is None or not 2 <= len(words) <= 6:
        return line
    if not all(w.isalpha() and w.istitle() for w in words[1:]):
        return line
    return " ".join([full, *words[1:]])


@functools.cache
def _joined_phrases() -> dict[str, tuple[str, ...]]:
    return {"".join(k): v for k, v in _phrases().items()}


def _render_gray(doc: Any, index: int) -> Any:
    """The page at :data:`DPI`, as :func:`_without_red` makes it Tesseract's input.

    Drawn a band of rows at a time, each band turned grey before the next is drawn. A
    whole A4 page at 300 dpi held the 26 MB BGR bitmap, and pdfium's stretch of a scanned
    image to it another 17 MB, at once (53 MB above the file, the bench scan's peak); a
    band holds a few MB. Each band is drawn through the whole page's geometry, shifted
    by whole rows (what ``page.render`` does for a crop), with :data:`_BAND_MARGIN` rows
    more above and below that are dropped: pdfium's image stretching reads neighbouring
    rows, so without them the rows at a band's edges come out a grey level or more off.
    With them the grey page is the whole page's, byte for byte, on every upright page
    tested (tests/pdf/test_lean_reading.py); on a page turned by /Rotate a scanned image
    may land one pixel over in a band, and Tesseract reads the same words.

    Each band is drawn by a page loaded for it and closed before the band is turned grey
    (:func:`_render_rows`): pdfium decodes a scanned picture again for every band it
    draws, and an open page keeps the last decoding (11 MiB for an A4 scan page), which
    the next band's drawing and this band's conversion would hold on top of their own.
    """
    from PIL import Image

    from vnsign.pdf.picture import picture_size

    page = doc[index]
    try:
        width, height = picture_size(page, DPI / 72, MAX_PAGE_PIXELS)
    finally:
        page.close()
    gray = Image.new("L", (width, height))
    for top in range(0, height, _BAND_ROWS):
        rows = min(_BAND_ROWS, height - top)
        first, last = max(0, top - _BAND_MARGIN), min(height, top + rows + _BAND_MARGIN)
        # _without_red is per pixel: the band's grey, margins dropped after.
        band = _without_red(_render_rows(doc, index, width, height, first, last))
        gray.paste(band.crop((0, top - first, width, top - first + rows)), (0, top))
    return gray


#: Rows of the page drawn and turned grey at a time (:func:`_render_gray`): 3.8 MB of
#: BGR for an A4 page at 300 dpi, 7 bands a page. `vnsign verify` of the bench scan
#: peaked at 135, 138.5 and 147 MiB with 256, 512 and 1024 rows; fewer bands draw faster
#: (each walks the page and decodes its picture again).
_BAND_ROWS = 512
#: Rows drawn above and below a band and dropped, so that its edge rows are the whole
#: page's (pdfium's image filters reach past a band's edge: with none, rows at the
#: edges of the real scans came out off; 8 sufficed on them, 16 leaves room).
_BAND_MARGIN = 16


def _render_rows(doc: Any, index: int, width: int, height: int, first: int,
                 last: int) -> Any:
    """Rows ``first`` to ``last`` (excluded) of page ``index`` drawn ``width`` × ``height``
    as ``page.render`` draws it (white, annotations, then the form widgets), as an RGB
    image. The page is loaded for this drawing and closed before the copy to Pillow, so
    that pdfium's decoding of its pictures is gone by then (see :func:`_render_gray`).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    bitmap = pdfium.PdfBitmap.new_native(width, last - first, pdfium_c.FPDFBitmap_BGR)
    try:
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, last - first)
        where = (0, -first, width, height, 0)  # the whole page's size, shifted up
        page = doc[index]
        try:
            pdfium_c.FPDF_RenderPageBitmap(bitmap.raw, page.raw, *where, pdfium_c.FPDF_ANNOT)
            if page.formenv:
                pdfium_c.FPDF_FFLDraw(page.formenv, bitmap.raw, page.raw, *where,
                                      pdfium_c.FPDF_ANNOT)
        finally:
            page.close()
        return bitmap.to_pil()  # Pillow's own RGB copy: it decodes BGR, it cannot share it
    finally:
        bitmap.close()


def _without_red(rgb: Any) -> Any:
    """Grey levels with red ink (seals, "ĐẾN" stamps, red handwriting) turned white.

    The red channel alone already fades bright red; a darker, purplish seal still shows in
    it, so a pixel whose red exceeds both green and blue by :data:`RED_MARGIN` goes white too.
    """
    from PIL import ImageChops

    red, green, blue = rgb.split()
    redness = ImageChops.subtract(red, ImageChops.lighter(green, blue))
    mask = redness.point(lambda v: 255 if v > RED_MARGIN else 0)
    gray = red
    gray.paste(255, mask=mask)
    return gray


def _word_like(text: str) -> bool:
    """A token that reads as a word even when Tesseract doubts it ("QUYÉT", "/TTr-CAT-PC06"):
    letters in one case pattern, or a long run of letters and digits."""
    core = text.strip(".,;:()")
    if sum(ch.isalnum() for ch in core) >= 6:
        return True
    return len(core) >= 2 and core.isalpha() and (core.isupper() or core.islower()
                                                   or core.istitle())


def _bicubic() -> Any:
    from PIL import Image

    return Image.Resampling.BICUBIC


def _skew(gray: Any) -> float:
    """The rotation (degrees) that makes text lines horizontal, from row profiles.

    Each candidate rotation of a small, binarised copy is squeezed to one pixel per row (the
    row's mean darkness); horizontal lines of text give the most contrasted profile.
    """
    from PIL import Image

    small = gray.copy()
    small.thumbnail((900, 900))
    binary = small.point(lambda v: 0 if v < 160 else 255)
    best, best_score = 0.0, -1.0
    steps = int(MAX_SKEW / SKEW_STEP)
    for k in range(-steps, steps + 1):
        angle = k * SKEW_STEP
        turned = binary.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=255)
        profile = list(turned.resize((1, turned.height), Image.Resampling.BOX).tobytes())
        mean = sum(profile) / len(profile)
        score = sum((v - mean) ** 2 for v in profile)
        if score > best_score:
            best, best_score = angle, score
    return best if abs(best) >= SKEW_STEP else 0.0


def _pgm(gray: Any) -> memoryview:
    """The grey page as Tesseract's input: an 8-bit PGM, viewed in place (not copied).

    Uncompressed: Tesseract decodes the same pixels from any lossless format, and PNG's
    compression cost more CPU than anything else of a page (0.85 s for a noisy 300 dpi scan
    page, 0.15 s for a clean one; PGM: 2 ms). A view of the buffer, because a copy of it
    (``getvalue()``) is another 8.7 MB of peak memory for an A4 page.
    """
    buffer = io.BytesIO()
    gray.save(buffer, format="PPM")
    return buffer.getbuffer()


def _tesseract(page_image: memoryview) -> list[tuple[OcrWord, tuple[float, ...]]]:
    """Words with their pixel boxes, their line's bottom and the type size, in reading order."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "vie", "--psm", "3", "--dpi", str(DPI), "tsv"],
        input=page_image, capture_output=True, timeout=TESSERACT_TIMEOUT, env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip()[-200:])
    rows = proc.stdout.decode("utf-8", "replace").splitlines()[1:]
    lines: dict[tuple[str, ...], tuple[float, float]] = {}
    words: list[tuple[tuple[str, ...], OcrWord, tuple[float, float, float, float]]] = []
    for row in rows:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level, key = cols[0], tuple(cols[1:5])
        left, top, width, height = (float(v) for v in cols[6:10])
        if level == "4":
            lines[key] = (top + height, height)
        elif level == "5" and cols[11].strip():
            conf = max(0.0, min(float(cols[10]), 100.0)) / 100
            words.append((key, OcrWord(cols[11].strip(), conf),
                          (left, top, left + width, top + height)))
    placed = _split_tall_lines(words, lines)
    best: dict[float, float] = {}  # by the line a word stands on
    for (_, word, _), (base, _) in zip(words, placed, strict=True):
        best[base] = max(best.get(base, 0.0), word.confidence)
    return [
        (word, (*box, base, size))
        for (_, word, box), (base, size) in zip(words, placed, strict=True)
        # A doubtful word is noise (stamp ink, specks, a signature's strokes) unless it reads
        # as a word on a line Tesseract is sure of ("QUYÉT" beside "ĐỊNH").
        if _printable(word.text) and (
            word.confidence >= MIN_WORD_CONFIDENCE
            or (_word_like(word.text) and best[base] >= LINE_CONFIDENCE)
        )
    ]


#: Punctuation a document prints. A "word" with any other sign ("T7}", "T†TĐ1": a stamp's
#: edge, handwriting) is not print.
_PRINTED_SIGNS = frozenset(".,;:-–—/()[]\"'“”‘’%&+!?*")


def _printable(text: str) -> bool:
    return all(ch.isalnum() or ch in _PRINTED_SIGNS for ch in text)


#: A Tesseract line taller than this many times its median word is two lines (or more) that
#: a stamp or a seal beside them bridged ("NGHỊ ĐỊNH" and the subject under it, joined by the
#: "ĐẾN" box at the margin).
TALL_LINE = 1.7


def _split_tall_lines(
    words: list[tuple[tuple[str, ...], OcrWord, tuple[float, float, float, float]]],
    lines: dict[tuple[str, ...], tuple[float, float]],
) -> list[tuple[float, float]]:
    """``(baseline, type size)`` of each word: its Tesseract line's, or, where that line is
    too tall to be one line, the line its own box stands on (words grouped by their middles)."""
    by_line: dict[tuple[str, ...], list[int]] = {}
    for i, (key, _, _) in enumerate(words):
        by_line.setdefault(key, []).append(i)
    placed: list[tuple[float, float]] = [(0.0, 1.0)] * len(words)
    for key, members in by_line.items():
        heights = sorted(words[i][2][3] - words[i][2][1] for i in members)
        median = max(heights[len(heights) // 2], 1.0)
        bottom, height = lines.get(key, (0.0, 0.0))
        if height <= TALL_LINE * median:
            for i in members:
                base = bottom or words[i][2][3]
                placed[i] = (base, max((height or median) / 1.3, 1.0))
            continue
        # Group by the middle of the box: a new line where the middles jump by half a word.
        order = sorted(members, key=lambda i: (words[i][2][1] + words[i][2][3]) / 2)
        groups: list[list[int]] = []
        last = None
        for i in order:
            middle = (words[i][2][1] + words[i][2][3]) / 2
            if last is None or middle - last > median / 2:
                groups.append([])
            groups[-1].append(i)
            last = middle
        for group in groups:
            top = min(words[i][2][1] for i in group)
            base = max(words[i][2][3] for i in group)
            for i in group:
                placed[i] = (base, max((base - top) / 1.3, 1.0))
    return placed
