"""Document metadata without cryptography: PDF Info/XMP and the Decree 30/2020 fields.

``read_metadata()`` is what ``vnsign inspect`` uses: a clerk registering incoming mail
wants the agency, number, date and subject fast, before (or without) verifying
signatures. ``verify()`` computes the same block through ``document_metadata()``, so
the two can never disagree.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from vnsign.models import Finding, PdfMetadata
from vnsign.pdf.source import Source, input_problem, load_source

if TYPE_CHECKING:
    from vnsign.pdf.layout import Stamp

METADATA_SCHEMA_ID = "vnsign.metadata/1"


def empty_metadata() -> dict[str, Any]:
    """The metadata block of a document whose content could not be read."""
    blank = PdfMetadata(None, None, None, None, None, None, None, None)
    return {"pdf": asdict(blank), "document": None, "sources": {}}


def document_metadata(view: Any) -> dict[str, Any]:
    """``{"pdf": ..., "document": ...}`` from a :class:`vnsign.pdf.pages.PdfView`."""
    if view is None:
        return empty_metadata()
    from vnsign.vn import decree30

    info = view.info()
    pdf = PdfMetadata(title=info.get("title"), author=info.get("author"),
                      subject=info.get("subject"), keywords=info.get("keywords"),
                      creator=info.get("creator"), producer=info.get("producer"),
                      created=info.get("created"), modified=info.get("modified"),
                      xmp=view.xmp())
    texts = page_texts(view)
    fields = decree30.parse(texts.texts).to_dict()
    plain = decree30.parse(texts.plain).to_dict() if texts.stamps else fields
    return {"pdf": asdict(pdf), "document": fields,
            "sources": field_sources(fields, plain, texts.stamps)}


@dataclass
class PageTexts:
    """The text of each page, with and without the stamps placed on it."""

    texts: list[str]
    plain: list[str]  # the same without annotation stamps
    stamps: list[Stamp]


def page_texts(view: Any) -> PageTexts:
    """Each page's text as the Decree 30 reader wants it: lines rebuilt from geometry.

    pdfium's positioned text (with the stamps placed where they stand) is preferred; a page
    it cannot read, or on which it finds nothing, falls back to pypdf's stream-order text.
    """
    from vnsign.pdf.layout import read_layout

    layouts = read_layout(view.data, view.password)
    count = view.page_count or 0
    result = PageTexts([], [], [])
    for index in range(count):
        layout = layouts[index] if index < len(layouts) else None
        if layout is not None and layout.lines:
            result.texts.append(layout.text)
            result.plain.append(layout.plain_text)
            result.stamps.extend(layout.stamps)
        else:
            text = view.page_text(index)
            result.texts.append(text)
            result.plain.append(text)
    return result


def field_sources(fields: dict[str, Any], plain: dict[str, Any],
                  stamps: list[Stamp]) -> dict[str, dict[str, Any]]:
    """Where each field that has a value was read: the page's text layer, or a stamp.

    A field whose value differs when the stamps are left out came from a stamp; the stamps
    named are those whose numbers the value contains ("8151" in "8151/BNV-CCHC", "18" and
    "9" in 2025-09-18), i.e. which signature widget printed it.
    """
    sources: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        if name == "pages" or value is None or value == []:
            continue
        named: list[dict[str, Any]] = []
        if value != plain.get(name):
            numbers = _numbers(json.dumps(value, ensure_ascii=False))
            named = [
                {"page": s.page, "field_name": s.field_name, "text": s.text}
                for s in stamps
                if (own := _numbers(s.text)) and own <= numbers
            ]
        # A value that changed without containing a stamp's text (the place, once the
        # stamped date completes its line) is still the text layer's.
        sources[name] = {"source": "stamp" if named else "text_layer", "confidence": None,
                         "stamps": named}
    return sources


def _numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"[0-9]+", text)}


@dataclass(frozen=True)
class MetadataReport:
    path: str | None
    sha256: str
    size: int
    pages: int | None
    encrypted: bool
    metadata: dict[str, Any]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        from vnsign.models import _plain

        return {
            "schema": METADATA_SCHEMA_ID,
            "file": {"path": self.path, "sha256": self.sha256, "size": self.size,
                     "pages": self.pages, "encrypted": self.encrypted},
            "metadata": self.metadata,
            "findings": _plain(list(self.findings)),
        }


def read_metadata(source: Source, *, password: str | None = None,
                  max_file_size: int | None = None) -> MetadataReport:
    """Read PDF Info/XMP and the Decree 30 fields of one document; never raises for bad input."""
    from vnsign import findings
    from vnsign.pdf.pages import PdfView
    from vnsign.policy import DEFAULT_MAX_FILE_SIZE

    limit = DEFAULT_MAX_FILE_SIZE if max_file_size is None else max_file_size
    loaded = load_source(source, limit)
    problem = input_problem(loaded, limit)
    if problem is not None or loaded.data is None:
        return MetadataReport(loaded.path, loaded.sha256, loaded.size, None, False,
                              empty_metadata(), (problem,) if problem else ())
    try:
        view = PdfView(loaded.data, password)
        encrypted = view.encrypted
        if not view.decrypted:
            return MetadataReport(loaded.path, loaded.sha256, loaded.size, None, True,
                                  empty_metadata(), (findings.make("PDF_ENCRYPTED"),))
        return MetadataReport(loaded.path, loaded.sha256, loaded.size, view.page_count,
                              encrypted, document_metadata(view), ())
    except Exception as exc:
        unreadable = findings.from_exception(exc)
        return MetadataReport(loaded.path, loaded.sha256, loaded.size, None, False,
                              empty_metadata(), (unreadable,))
