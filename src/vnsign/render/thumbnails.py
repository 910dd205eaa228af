"""Pictures of visible signature stamps, cut from the rendered page (pypdfium2).

A person checking a batch wants to *see* each stamp — the signer's scrawl, the red seal —
next to what the certificate says. The page area under the widget rectangle (plus a
margin) is rendered and encoded as PNG for embedding in the HTML report.

The PNG encoder is the format's minimum (signature, IHDR, one zlib IDAT, IEND) in the
standard library: it saves a Pillow dependency for one picture per stamp.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import Any

from vnsign.models import SignatureReport

MARGIN = 10.0  # points around the widget rectangle
MAX_WIDTH_PX = 320
MAX_SCALE = 2.5


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_rgb(width: int, height: int, pixels: bytes, stride: int) -> bytes:
    """Encode 8-bit RGB rows (``stride`` bytes apart) as a PNG file."""
    rows = bytearray()
    row_bytes = width * 3
    for y in range(height):
        rows.append(0)  # filter type 0: none
        rows += pixels[y * stride:y * stride + row_bytes]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _chunk(b"IEND", b""))


def file_matches(path: str, sha256: str) -> bool:
    """The file on disk is still the one that was verified (else: no picture of it)."""
    from vnsign.pdf.source import sha256_file

    digest, _size = sha256_file(path)
    return bool(digest) and digest == sha256


def stamp_pictures(path: str, signatures: Sequence[SignatureReport],
                   password: str | None = None) -> dict[int, bytes]:
    """PNG per visible signature, keyed by the signature's ``index``.

    Invisible signatures (empty rectangle), unreadable pages and rendering errors give
    no entry; a picture is decoration, never a reason to fail a report.
    """
    wanted = [s for s in signatures
              if s.page and s.rect and abs(s.rect[2] - s.rect[0]) > 1
              and abs(s.rect[3] - s.rect[1]) > 1]
    if not wanted:
        return {}
    import importlib

    try:
        # Imported by name: pypdfium2 ships no type information.
        pdfium: Any = importlib.import_module("pypdfium2")
    except ImportError:
        return {}
    pictures: dict[int, bytes] = {}
    try:
        pdf = pdfium.PdfDocument(path, password=password)
    except Exception:
        return {}
    try:
        try:
            pdf.init_forms()
        except Exception:
            pass
        for sig in wanted:
            try:
                pictures[sig.index] = _render_one(pdf, sig)
            except Exception:
                continue
    finally:
        pdf.close()
    return pictures


def _render_one(pdf: Any, sig: SignatureReport) -> bytes:
    assert sig.page is not None and sig.rect is not None
    page = pdf[sig.page - 1]
    try:
        left, bottom, right, top = page.get_cropbox()
        x1, y1, x2, y2 = sig.rect
        x1, x2 = sorted((float(x1), float(x2)))
        y1, y2 = sorted((float(y1), float(y2)))
        x1, y1 = max(left, x1 - MARGIN), max(bottom, y1 - MARGIN)
        x2, y2 = min(right, x2 + MARGIN), min(top, y2 + MARGIN)
        if x2 - x1 < 2 or y2 - y1 < 2:
            raise ValueError("rectangle outside the page")
        scale = min(MAX_SCALE, MAX_WIDTH_PX / (x2 - x1))
        crop = (x1 - left, y1 - bottom, right - x2, top - y2)
        bitmap = page.render(scale=scale, crop=crop, rev_byteorder=True,
                             fill_color=(255, 255, 255, 255))
        try:
            if bitmap.n_channels != 3:
                raise ValueError("unexpected pixel format")
            data = bytes(bitmap.buffer)
            return png_rgb(bitmap.width, bitmap.height, data, bitmap.stride)
        finally:
            bitmap.close()
    finally:
        page.close()
