"""Document metadata without cryptography: PDF Info/XMP and the Decree 30/2020 fields.

``read_metadata()`` is what ``vnsign inspect`` uses: a clerk registering incoming mail
wants the agency, number, date and subject fast, before (or without) verifying
signatures. ``verify()`` computes the same block through ``document_metadata()``, so
the two can never disagree.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from vnsign.models import Finding, PdfMetadata
from vnsign.pdf.source import Source, input_problem, load_source

if TYPE_CHECKING:
    from vnsign.pdf.layout import Stamp

METADATA_SCHEMA_ID = "vnsign.metadata/1"

log = logging.getLogger(__name__)


def empty_metadata() -> dict[str, Any]:
    """The metadata block of a document whose content could not be read."""
    blank = PdfMetadata(None, None, None, None, None, None, None, None)
    return {"pdf": asdict(blank), "document": None, "sources": {}}


def document_metadata(view: Any, *, ocr: str = "auto",
                      budget: float | None = None) -> tuple[dict[str, Any], list[Finding]]:
    """``({"pdf", "document", "sources"}, findings)`` from a :class:`vnsign.pdf.pages.PdfView`.

    ``ocr``: ``auto`` reads pages without a usable text layer with Tesseract when it is
    installed, ``always`` reads every page (of the first :data:`vnsign.pdf.ocr.MAX_PAGES`)
    that way, ``never`` does not. ``budget``: seconds OCR may take (``verify()`` keeps the rest
    of its time limit for the signatures). The findings say which pages have no text layer,
    whether OCR ran, and which fields it read with low confidence.
    """
    if view is None:
        return empty_metadata(), []
    from vnsign.vn import decree30

    info = view.info()
    pdf = PdfMetadata(title=info.get("title"), author=info.get("author"),
                      subject=info.get("subject"), keywords=info.get("keywords"),
                      creator=info.get("creator"), producer=info.get("producer"),
                      created=info.get("created"), modified=info.get("modified"),
                      xmp=view.xmp())
    texts = page_texts(view)
    found: list[Finding] = []
    plain_before = list(texts.plain)
    try:
        ocr_pages = _run_ocr(view, texts, ocr, budget, found)
    except Exception as exc:  # OCR is a bonus: its failure must not cost the text layer
        log.debug("OCR failed: %s", exc)
        texts.texts, texts.plain = list(texts.layer), plain_before
        ocr_pages = []
    fields = decree30.parse(texts.texts).to_dict()
    plain = decree30.parse(texts.plain).to_dict() if texts.stamps or ocr_pages else fields
    layer = decree30.parse(texts.layer).to_dict() if ocr_pages else plain
    sources = field_sources(fields, plain, texts.stamps)
    if ocr_pages:
        _mark_ocr(sources, fields, layer, ocr_pages, found)
    if fields.get("copy_form") is None:
        _copy_form_from_stamp(fields, sources, texts.long_stamps)
    return {"pdf": asdict(pdf), "document": fields, "sources": sources}, found


@dataclass
class PageTexts:
    """The text of each page, with and without the stamps placed on it."""

    texts: list[str]
    plain: list[str]  # the same without annotation stamps
    stamps: list[Stamp]
    layer: list[str] = field(default_factory=list)  # the text layer alone (before OCR)
    long_stamps: list[Stamp] = field(default_factory=list)  # signature boxes, not page text
    scanned: list[bool] = field(default_factory=list)  # an image covers most of the page


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
        result.scanned.append(layout is not None and layout.image_cover >= SCAN_COVER)
        if layout is not None:
            result.long_stamps.extend(layout.long_stamps)
        if layout is not None and layout.lines:
            result.texts.append(layout.text)
            result.plain.append(layout.plain_text)
            result.stamps.extend(layout.stamps)
        else:
            text = view.page_text(index)
            result.texts.append(text)
            result.plain.append(text)
    result.layer = list(result.texts)
    return result


def _run_ocr(view: Any, texts: PageTexts, mode: str, budget: float | None,
             found: list[Finding]) -> list[Any]:
    """OCR the pages that need it (``mode``), in place in ``texts``; the pages read."""
    import time

    from vnsign import findings
    from vnsign.pdf import ocr

    # A scan: an image over most of the page, and hardly any text (the portal's signing
    # box). A text page with little on it (the end of a letter) is not one.
    missing = [i for i, text in enumerate(texts.plain)
               if texts.scanned[i] and not ocr.usable_text_layer(text)]
    wanted = list(range(len(texts.texts))) if mode == "always" else missing
    if mode == "auto" and missing and _text_layer_suffices(texts, missing[0]):
        found.append(findings.make("SCANNED_PAGES_NOT_READ", pages=_pages(missing)))
        return []
    if mode == "never" or not wanted:
        if missing:
            found.append(findings.make("TEXT_LAYER_MISSING", pages=_pages(missing),
                                       reason="--ocr never"))
        return []
    problem = ocr.tesseract_problem()
    if problem is not None:
        if missing:
            found.append(findings.make("TEXT_LAYER_MISSING", pages=_pages(missing),
                                       reason=problem))
        return []
    from vnsign.vn import decree30

    started = time.monotonic()

    def done(read: list[Any]) -> bool:
        # The closing (distribution or signer) ends the pages worth reading; so does the time.
        for page in read:
            texts.texts[page.page - 1] = _merge(texts.layer[page.page - 1], page.text)
        fields = decree30.parse(texts.texts[:max(p.page for p in read)] if read else [])
        closing = bool(fields.distribution) or fields.signer_name is not None
        late = budget is not None and time.monotonic() - started > budget * 0.6
        return closing or late

    pages = ocr.ocr_pages(view.data, view.password, wanted, done)
    for page in pages:
        texts.texts[page.page - 1] = _merge(texts.layer[page.page - 1], page.text)
        texts.plain[page.page - 1] = texts.texts[page.page - 1]
    if missing:
        # No OCR time in the message: the same file and policy give the same report.
        found.append(findings.make(
            "TEXT_LAYER_MISSING_OCR", pages=_pages(missing),
            read=_pages([p.page - 1 for p in pages]) or "-"))
    return pages


def _text_layer_suffices(texts: PageTexts, first_scan: int) -> bool:
    """Do the pages before the first scanned one give the document's header and closing?

    Then the scanned pages are attachments of a complete document (an annex, a scanned
    form, photos after a letter). The fields are the first document's, so OCR of those
    pages could add nothing but the cost of reading them — seconds a page, on every such
    letter of an archive.
    """
    from vnsign.vn import decree30

    if first_scan == 0:
        return False
    fields = decree30.parse(texts.texts[:first_scan])
    header = fields.issuing_authority is not None and fields.number_symbol is not None
    closing = bool(fields.distribution) or fields.signer_name is not None
    return header and closing


def _merge(layer: str, ocr_text: str) -> str:
    """The OCR lines after what little the text layer has (an electronic copy's stamp)."""
    return f"{layer}\n{ocr_text}" if layer.strip() else ocr_text


def _copy_form_from_stamp(fields: dict[str, Any], sources: dict[str, dict[str, Any]],
                          stamps: list[Stamp]) -> None:
    """An electronic copy says so in the copier's signature box on page 1 ("SAO Y" / agency
    / time), which is too long to join the page text: its copy form is the document's."""
    from vnsign.vn.decree30.prepare import copy_form_of_stamp

    for stamp in stamps:
        form = copy_form_of_stamp(stamp.text) if stamp.page == 1 else None
        if form is not None:
            fields["copy_form"] = form
            sources["copy_form"] = {"source": "stamp", "confidence": None, "stamps": [
                {"page": stamp.page, "field_name": stamp.field_name, "text": stamp.text}]}
            return


def _pages(indexes: list[int]) -> str:
    return ", ".join(str(i + 1) for i in indexes)


def _mark_ocr(sources: dict[str, dict[str, Any]], fields: dict[str, Any],
              layer: dict[str, Any], pages: list[Any], found: list[Finding]) -> None:
    """Fields the text layer alone does not give were read by OCR: their confidence is the
    mean confidence of the OCR words that make up the value."""
    from vnsign import findings
    from vnsign.pdf.ocr import LOW_CONFIDENCE

    words: dict[str, list[float]] = {}
    for page in pages:
        for word in page.words:
            for token in re.split(r"[\s/]+", word.text):
                words.setdefault(_token(token), []).append(word.confidence)
    low: list[str] = []
    for name, value in fields.items():
        if name not in sources or value == layer.get(name):
            continue
        text = json.dumps(value, ensure_ascii=False)
        tokens = [_token(tok) for tok in re.split(r"[\s/]+", text)]
        confs = [max(words[tok]) for tok in tokens if tok in words]
        if not confs and name == "date":
            confs = [max(words[tok]) for tok in map(str, _numbers(text)) if tok in words]
        confidence = round(sum(confs) / len(confs), 2) if confs else 0.0
        sources[name] = {"source": "ocr", "confidence": confidence, "stamps": []}
        if confidence < LOW_CONFIDENCE:
            low.append(name)
    if low:
        found.append(findings.make("OCR_LOW_CONFIDENCE", fields=", ".join(low),
                                   threshold=f"{LOW_CONFIDENCE:.2f}"))


def _token(text: str) -> str:
    return text.strip(".,;:()[]\"'").casefold()


#: An image covering this share of a page makes it a scanned page.
SCAN_COVER = 0.5


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
                  max_file_size: int | None = None, ocr: str = "auto") -> MetadataReport:
    """Read PDF Info/XMP and the Decree 30 fields of one document; never raises for bad input.

    ``ocr`` (``auto``, ``always``, ``never``): when to read pages with Tesseract, see
    :func:`document_metadata`.
    """
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
        metadata, found = document_metadata(view, ocr=ocr)
        return MetadataReport(loaded.path, loaded.sha256, loaded.size, view.page_count,
                              encrypted, metadata, tuple(found))
    except Exception as exc:
        unreadable = findings.from_exception(exc)
        return MetadataReport(loaded.path, loaded.sha256, loaded.size, None, False,
                              empty_metadata(), (unreadable,))
