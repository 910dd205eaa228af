"""The document as a reader sees it (pypdf): pages, Info/XMP metadata, stamp text.

pypdf is the one text extractor in vnsign; this module keeps every pypdf call in one
place, each guarded, because a hostile file must degrade to "unknown", not a crash.
"""

from __future__ import annotations

import functools
import itertools
import logging
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from vnsign.pdf.source import SharedBytesIO
from vnsign.timefmt import iso_vn

log = logging.getLogger(__name__)

T = TypeVar("T")

_INFO_KEYS = {
    "title": "/Title",
    "author": "/Author",
    "subject": "/Subject",
    "keywords": "/Keywords",
    "creator": "/Creator",
    "producer": "/Producer",
}


def _guard(default: T, func: Callable[[], T]) -> T:
    try:
        return func()
    except Exception as exc:  # pypdf raises many types on hostile input
        log.debug("pypdf: %s", exc)
        return default


def _nfc(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).replace("\x00", "").strip()
    return text or None


@functools.cache
def _share_named_encodings() -> None:
    """Give pypdf's text extraction a memo of its named single-byte encodings.

    pypdf builds the 256-entry table of an encoding by name (WinAnsi, for every text
    extraction it sets up and for every font without an encoding of its own) by decoding
    each byte value anew: a tenth of the time of a stamp's text. The table depends on the
    name alone, so it is built once per process; every caller still gets its own copy,
    because pypdf's callers change their table (a font's /Differences). A pypdf without
    that function under that name is left as it is (then nothing is memoised).
    """
    from pypdf import _codecs
    from pypdf._text_extraction import _text_extractor
    from pypdf.generic import _font

    original = getattr(_codecs, "encoding_dict_from_named_encoding", None)
    if original is None:
        return
    tables: dict[str, dict[int, str]] = {}

    def named_encoding(encoding: str) -> dict[int, str]:
        table = tables.get(encoding)
        if table is None:
            table = tables[encoding] = original(encoding)
        return dict(table)

    for module in (_text_extractor, _font):
        if getattr(module, "encoding_dict_from_named_encoding", None) is original:
            module.encoding_dict_from_named_encoding = named_encoding  # type: ignore[attr-defined]


class PdfView:
    """A pypdf reader over the same bytes pyHanko reads."""

    def __init__(self, data: bytes, password: str | None = None) -> None:
        from pypdf import PdfReader

        _share_named_encodings()
        self.data = data
        self.password = password
        self.reader: Any = PdfReader(SharedBytesIO(data), strict=False)
        self.encrypted = bool(self.reader.is_encrypted)
        # pypdf's PasswordType: 0 = not decrypted, 1 = user, 2 = owner password.
        self.decrypted = not self.encrypted or bool(
            _guard(0, lambda: int(self.reader.decrypt(password or ""))))
        self._annot_pages: dict[tuple[int, int], int] | None = None

    @property
    def page_count(self) -> int | None:
        return _guard(None, lambda: len(self.reader.pages))

    def page_of_annotation(self, idnum: int, generation: int) -> int | None:
        """1-based page number whose /Annots lists the given object."""
        if self._annot_pages is None:
            empty: dict[tuple[int, int], int] = {}
            self._annot_pages = _guard(empty, self._build_annot_map)
        page = self._annot_pages.get((idnum, generation))
        return page + 1 if page is not None else None

    def _build_annot_map(self) -> dict[tuple[int, int], int]:
        mapping: dict[tuple[int, int], int] = {}
        for index, page in enumerate(self.reader.pages):
            annots = page.get("/Annots")
            if annots is None:
                continue
            for item in annots.get_object():
                if hasattr(item, "idnum"):
                    mapping.setdefault((item.idnum, item.generation), index)
        return mapping

    def info(self) -> dict[str, str | None]:
        """PDF Info dictionary; dates as ISO 8601 in +07:00."""
        meta = _guard(None, lambda: self.reader.metadata)
        result: dict[str, str | None] = {}
        for key, pdf_key in _INFO_KEYS.items():
            result[key] = _nfc(_guard(None, partial(meta.get, pdf_key))) if meta else None
        result["created"] = _guard(None, lambda: _date(meta.creation_date)) if meta else None
        result["modified"] = _guard(None, lambda: _date(meta.modification_date)) if meta else None
        return result

    def xmp(self) -> dict[str, str]:
        """A few well-known XMP properties (Dublin Core, xmp:, pdf:) as plain strings."""
        return _guard({}, self._xmp)

    def _xmp(self) -> dict[str, str]:
        meta = self.reader.xmp_metadata
        if meta is None:
            return {}
        result: dict[str, str] = {}
        simple = {
            "dc_title": lambda: meta.dc_title,
            "dc_creator": lambda: meta.dc_creator,
            "dc_description": lambda: meta.dc_description,
            "xmp_create_date": lambda: meta.xmp_create_date,
            "xmp_modify_date": lambda: meta.xmp_modify_date,
            "xmp_creator_tool": lambda: meta.xmp_creator_tool,
            "pdf_producer": lambda: meta.pdf_producer,
            "pdf_keywords": lambda: meta.pdf_keywords,
        }
        for key, getter in simple.items():
            value = _guard(None, getter)
            if isinstance(value, dict):
                value = value.get("x-default") or next(iter(value.values()), None)
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            if isinstance(value, datetime):
                value = iso_vn(value)
            text = _nfc(value)
            if text:
                result[key] = text
        return result

    def page_texts(self, limit: int | None = None) -> list[str]:
        """Extracted text of each page (NFC), empty string for a page that fails."""
        no_pages: list[Any] = []
        pages: list[Any] = _guard(no_pages, lambda: list(self.reader.pages))
        if limit is not None:
            pages = pages[:limit]
        return [_nfc(_guard("", p.extract_text)) or "" for p in pages]

    def page_text(self, index: int) -> str:
        """Extracted text of one page (0-based; NFC), empty string for a page that fails.

        The images the extraction looked at are not kept (see :meth:`_forget_new_images`).
        """
        known = len(_guard({}, lambda: self.reader.resolved_objects))
        try:
            return _nfc(_guard("", lambda: self.reader.pages[index].extract_text())) or ""
        finally:
            _guard(None, lambda: self._forget_new_images(known))

    def _forget_new_images(self, known: int) -> None:
        """Drop from pypdf's object cache the image XObjects read after its first ``known``
        entries (a dict keeps the order in which pypdf added them).

        To tell an image from a form, pypdf's text extraction reads every XObject a page
        paints, and a stream object is read with its data: the page's picture. pypdf keeps
        each object it has read for the reader's life, so the text of a 55-page scan kept
        every page's JPEG (the size of the file) until the report was done. An evicted
        image is read again from the same bytes, equal, if anything asks for it later.
        """
        from pypdf.generic import StreamObject

        objects = self.reader.resolved_objects
        for key in list(itertools.islice(objects, known, None)):
            obj = objects[key]
            if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image":
                del objects[key]

    def stamp_text(self, idnum: int, generation: int) -> str | None:
        """Text drawn by a widget's normal appearance stream, extracted by pypdf."""
        return _guard(None, lambda: self._stamp_text(idnum, generation))

    def _stamp_text(self, idnum: int, generation: int) -> str | None:
        from pypdf import PageObject
        from pypdf.generic import IndirectObject

        widget: Any = IndirectObject(idnum, generation, self.reader).get_object()
        ap = widget.get("/AP")
        if ap is None:
            return None
        normal = ap.get_object().raw_get("/N").get_object()
        # What pypdf's "Do" does in a page: an image holds no text (its data is not parsed
        # as content), and a stream without /Subtype stops the reading (a KeyError here).
        if normal["/Subtype"] == "/Image":
            return None
        # pypdf reads a form XObject's text as it would inside a page (its own resources,
        # fonts and positions): the same text as a throw-away page that paints it gave
        # (compared on every annotation of the fixtures and corpora, 1,958 of them), at
        # less cost (no page content to parse, one text extraction set up instead of two).
        text = PageObject(pdf=self.reader).extract_xform_text(normal)
        lines = [line.strip() for line in (text or "").splitlines()]
        return _nfc("\n".join(line for line in lines if line))


def _date(value: Any) -> str | None:
    return iso_vn(value) if isinstance(value, datetime) else None
