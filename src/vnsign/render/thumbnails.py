"""Pictures of visible signature stamps, cut from the rendered page (pypdfium2).

A person checking a batch wants to *see* each stamp — the signer's scrawl, the red seal —
next to what the certificate says. The page area under the widget rectangle (plus a
margin) is rendered and encoded as PNG for embedding in the HTML report.

Rendering a page is native code running on a hostile file, so it never runs in the
process that writes the report: :class:`StampRenderer` hands each document to a child
process (``python -m vnsign.render.thumbnails``) under the same kind of guards a batch
worker has — a time limit per document (the child is killed past it), an address-space
limit, and a crash costs only that document's pictures. The child reads the file,
checks that its SHA-256 is still the verified one and renders from those same bytes, so
a picture always shows the verified document.

The PNG encoder is the format's minimum (signature, IHDR, one zlib IDAT, IEND) in the
standard library: it saves a Pillow dependency for one picture per stamp.
"""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
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


# One stamp to draw: (signature index, page number from 1, widget rectangle).
Stamp = tuple[int, int, tuple[float, float, float, float]]
Renderer = Callable[[bytes, Sequence[Stamp]], dict[int, bytes]]

PICTURE_TIME_LIMIT = 30.0  # seconds per document
PICTURE_MEMORY_LIMIT_MB = 1024  # address space of the child
STARTUP_TIMEOUT = 120.0


@dataclass(frozen=True)
class Pictures:
    """The pictures of one document's stamps, by signature index; ``missing`` names (a
    label key) why there are none although there are visible stamps."""

    images: dict[int, bytes]
    missing: str | None = None  # "file_changed" or "pictures_failed"


def visible_stamps(signatures: Sequence[SignatureReport]) -> list[Stamp]:
    """The signatures with a visible widget (invisible ones have an empty rectangle)."""
    return [(s.index, s.page, s.rect) for s in signatures
            if s.page and s.rect and abs(s.rect[2] - s.rect[0]) > 1
            and abs(s.rect[3] - s.rect[1]) > 1]


def render_stamps(data: bytes, stamps: Sequence[Stamp]) -> dict[int, bytes]:
    """PNG per stamp of the PDF ``data``, keyed by signature index (runs in the child).

    Unreadable pages and rendering errors give no entry: a picture is decoration, never
    a reason to fail a report.
    """
    import importlib

    try:
        # Imported by name: pypdfium2 ships no type information.
        pdfium: Any = importlib.import_module("pypdfium2")
    except ImportError:
        return {}
    pictures: dict[int, bytes] = {}
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:
        return {}
    try:
        try:
            pdf.init_forms()
        except Exception:
            pass
        for index, page, rect in stamps:
            try:
                pictures[index] = _render_one(pdf, page, rect)
            except Exception:
                continue
    finally:
        pdf.close()
    return pictures


class StampRenderer:
    """Stamp pictures made in a guarded child process, one document at a time.

    ``renderer`` names the function that draws (``module:name``, default
    :func:`render_stamps`); tests name a misbehaving one to prove the guards.
    """

    def __init__(self, *, time_limit: float | None = None,
                 memory_limit_mb: int | None = PICTURE_MEMORY_LIMIT_MB,
                 renderer: str | None = None) -> None:
        self.time_limit = time_limit or PICTURE_TIME_LIMIT
        self.memory_limit = memory_limit_mb * 1024 * 1024 if memory_limit_mb else None
        self.renderer = renderer
        self._child: _Child | None = None

    def __enter__(self) -> StampRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pictures(self, path: str, sha256: str,
                 signatures: Sequence[SignatureReport]) -> Pictures:
        stamps = visible_stamps(signatures)
        if not stamps:
            return Pictures({})
        if self._child is None:
            self._child = _Child(self.memory_limit, self.renderer)
        child = self._child
        answer = (child.ask((path, sha256, stamps), self.time_limit) if child.ready
                  else _FAILED)
        if answer is _FAILED:
            child.kill()  # overran the limit, or died: a fresh child for the next one
            self._child = None
            return Pictures({}, "pictures_failed")
        if answer is None:
            return Pictures({}, "file_changed")
        assert isinstance(answer, dict)
        return Pictures(answer)

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


_FAILED = object()


class _Child:
    """The child process and its two pipes (the same mechanism as batch workers)."""

    def __init__(self, memory_limit: int | None, renderer: str | None) -> None:
        from vnsign.batch.guarded import spawn

        self.proc, self.send, self.recv = spawn("vnsign.render.thumbnails")
        # Start-up (imports, pdfium) is not charged to the first document's time limit.
        self.ready = self.ask((tuple(sys.path), memory_limit, os.getpid(), renderer),
                              STARTUP_TIMEOUT) == "ready"

    def ask(self, request: object, timeout: float) -> object:
        try:
            self.send.send(request)
            if not self.recv.poll(timeout):
                return _FAILED
            return self.recv.recv()
        except (EOFError, OSError):  # it died (crash, memory limit, killed)
            return _FAILED

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self.close()

    def close(self) -> None:
        for conn in (self.send, self.recv):
            try:
                conn.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def _draw(path: str, sha256: str, stamps: Sequence[Stamp], renderer: Renderer
          ) -> dict[int, bytes] | None:
    """In the child: the pictures, or None when the file is not the verified one."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    return renderer(data, stamps)


def main(argv: list[str]) -> int:
    import importlib

    inbox = Connection(int(argv[1]), writable=False)
    outbox = Connection(int(argv[2]), readable=False)
    try:
        sys_path, memory_limit, parent_pid, renderer_ref = inbox.recv()
    except EOFError:
        return 0
    for entry in reversed(sys_path):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    from vnsign.batch.worker import die_with_parent, limit_memory, resolve_callable

    die_with_parent(parent_pid)
    renderer: Renderer = (resolve_callable(renderer_ref) if renderer_ref else render_stamps)
    try:
        importlib.import_module("pypdfium2")  # loaded before the memory limit applies
    except ImportError:
        pass
    if memory_limit:
        limit_memory(memory_limit)
    outbox.send("ready")
    while True:
        try:
            path, sha256, stamps = inbox.recv()
        except EOFError:
            return 0
        outbox.send(_draw(path, sha256, stamps, renderer))


def _render_one(pdf: Any, page_number: int, rect: tuple[float, float, float, float]) -> bytes:
    page = pdf[page_number - 1]
    try:
        left, bottom, right, top = page.get_cropbox()
        x1, y1, x2, y2 = rect
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


if __name__ == "__main__":
    # Run under its real name, so the child's module is this one (python -m).
    from vnsign.render import thumbnails as _thumbnails

    sys.exit(_thumbnails.main(sys.argv))
