"""Document metadata without cryptography: PDF Info/XMP and the Decree 30/2020 fields.

``read_metadata()`` is what ``vnsign inspect`` uses: a clerk registering incoming mail
wants the agency, number, date and subject fast, before (or without) verifying
signatures. ``verify()`` computes the same block through ``document_metadata()``, so
the two can never disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from vnsign.models import Finding, PdfMetadata
from vnsign.pdf.source import Source, input_problem, load_source

METADATA_SCHEMA_ID = "vnsign.metadata/1"


def empty_metadata() -> dict[str, Any]:
    """The metadata block of a document whose content could not be read."""
    blank = PdfMetadata(None, None, None, None, None, None, None, None)
    return {"pdf": asdict(blank), "document": None}


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
    fields = decree30.parse(view.page_texts())
    return {"pdf": asdict(pdf), "document": fields.to_dict()}


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
        unreadable = findings.make("INPUT_UNREADABLE", detail=f"{type(exc).__name__}: {exc}")
        return MetadataReport(loaded.path, loaded.sha256, loaded.size, None, False,
                              empty_metadata(), (unreadable,))
