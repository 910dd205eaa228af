"""Turn whatever the caller passed (path, bytes, file object) into bytes, with limits.

vnsign reads a document into memory once and hands the same bytes to every step
(hashing, pyHanko, pypdf), so a file is never opened twice for one report and a
file that changes on disk mid-validation cannot produce a mixed verdict.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vnsign import findings
from vnsign.errors import UsageError
from vnsign.models import Finding

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


@dataclass(frozen=True)
class LoadedInput:
    data: bytes | None  # None when the input could not be read or was over the limit
    path: str | None
    size: int
    sha256: str
    error: str | None = None  # why data is None (I/O error text)
    too_large: bool = False


def load_source(source: Source, max_size: int) -> LoadedInput:
    """Read ``source`` fully (bounded by ``max_size``); never raises for I/O problems."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return _loaded(data, None, max_size)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_size:
                return LoadedInput(None, str(path), size, "", too_large=True)
            with path.open("rb") as handle:
                data = handle.read(max_size + 1)
        except OSError as exc:
            return LoadedInput(None, str(path), 0, "", error=exc.strerror or str(exc))
        return _loaded(data, str(path), max_size)
    if hasattr(source, "read"):
        data = source.read(max_size + 1)
        if not isinstance(data, bytes):
            raise UsageError("file objects must be opened in binary mode")
        name = getattr(source, "name", None)
        return _loaded(data, str(name) if isinstance(name, str) else None, max_size)
    raise UsageError(f"cannot verify a {type(source).__name__}; pass a path, bytes or a file")


def _loaded(data: bytes, path: str | None, max_size: int) -> LoadedInput:
    if len(data) > max_size:
        return LoadedInput(None, path, len(data), "", too_large=True)
    return LoadedInput(data, path, len(data), hashlib.sha256(data).hexdigest())


class SharedBytesIO(io.BytesIO):
    """A read-only stream over ``data`` that never copies it.

    ``io.BytesIO(data)`` shares the bytes object until someone asks for a writable view:
    ``getbuffer()`` makes it copy the whole buffer first. pypdf calls ``getbuffer()`` to
    learn the stream's size while it reads the cross-reference table, so every document
    was held twice for the whole report (30 MB more for a 30 MB scan). A read-only
    ``memoryview`` of the same bytes answers the same questions (``nbytes``, ``bytes()``)
    without the copy; nothing that reads the document writes to its stream. The bytes
    themselves are :attr:`shared`: vnsign's object reader (``vnsign.pdf.object_reader``)
    parses them in place.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.shared = data

    def getbuffer(self) -> memoryview:
        return memoryview(self.shared)


def shared_prefix(data: bytes, end: int) -> ctypes.Array[ctypes.c_ubyte]:
    """The first ``end`` bytes of ``data``, for pdfium, without copying them.

    A signed revision is the file's first bytes (up to the end of that revision), and
    ``data[:end]`` copied all of them: the size of the file once more per revision the
    visual check opened (30 MB for the bench's 30 MB scan). pdfium reads a document from
    memory through a pointer and a length and never writes there, so a ctypes array over
    the same memory as ``data`` gives it the very same bytes. The array keeps ``data``
    alive (an attribute of its own), and ``data`` is immutable, so what pdfium reads can
    change neither under it nor after.
    """
    if isinstance(data, bytes):
        end = slice(None, end).indices(len(data))[1]  # where data[:end] would stop
    else:  # a caller's bytearray or memoryview may change: a copy, as before
        data = bytes(data[:end])
        end = len(data)
    address = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value
    view = (ctypes.c_ubyte * end).from_address(address) if address else (ctypes.c_ubyte * 0)()
    view._vnsign_owner = data  # type: ignore[attr-defined]  # the memory it points into
    return view


def looks_like_pdf(data: bytes) -> bool:
    """PDF readers accept the header within the first 1024 bytes (ISO 32000 tolerance)."""
    return b"%PDF-" in data[:1024]


def input_problem(loaded: LoadedInput, max_file_size: int) -> Finding | None:
    """Why the bytes cannot be a PDF at all (shared by verify() and read_metadata())."""
    if loaded.error is not None:
        return findings.make("INPUT_IO_ERROR", detail=loaded.error)
    if loaded.too_large:
        return findings.make("INPUT_TOO_LARGE", limit=max_file_size)
    assert loaded.data is not None
    if not loaded.data:
        return findings.make("INPUT_EMPTY")
    if not looks_like_pdf(loaded.data):
        return findings.make("INPUT_NOT_PDF")
    return None


def sha256_file(path: str | os.PathLike[str]) -> tuple[str, int]:
    """Stream-hash a file: (hex digest, size), or ("", 0) when it cannot be read.

    The one streaming SHA-256 of vnsign: the ledger's change detection, watch's
    re-check before filing a document and the HTML report's stamp pictures use it.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return "", 0
    return digest.hexdigest(), size
