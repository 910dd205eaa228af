"""A pdfium document opened again every few pages: bounded memory for long page runs.

pdfium keeps every object it has read until its document is closed, a page's image data
included. A pass over every page of a scan in one document held each page's picture
stream until the end: reading the positioned text of the bench's 30 MB, 55-page scan rose
by 34 MiB, and measuring its pages for the OCR's reading order by 42 MB. A document opened
again over the same bytes copies nothing (pypdfium2 reads them in place) and costs about
a millisecond; what pdfium gives for a page does not depend on which pages the document
read before (``tests/pdf/test_lean_reading.py`` compares the positioned text of every
fixture and real document, and the reading order, read in one document and in documents
opened again).

Every pass over pages that pdfium draws or reads one after another takes its documents
from here: the text layout (``layout.read_layout``), the OCR and its page measurements
(``ocr.ocr_pages``).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

#: Pages read in one pdfium document before it is closed and opened again: an A4 scan
#: page's picture is about half a megabyte, so a document holds a few MB at most.
PAGES_PER_DOCUMENT = 8


class ReopenedDocument:
    """pdfium documents over ``data``, one after another: :meth:`for_page` gives the
    document to read the next page in, opened again once the current one has read
    :attr:`per_document` pages (:data:`PAGES_PER_DOCUMENT` unless given).

    Construction opens the first and raises what pdfium raises (the caller decides what
    an unreadable file means). Should opening again fail, the current document goes on
    (the memory it keeps is the only cost).
    """

    def __init__(self, data: Any, password: str | None = None,
                 per_document: int | None = None) -> None:
        import pypdfium2 as pdfium

        self._data, self._password = data, password
        self._pdfium = pdfium
        self.per_document = PAGES_PER_DOCUMENT if per_document is None else per_document
        self.doc: Any = pdfium.PdfDocument(data, password=password)
        self.pages = 0  # pages handed out from self.doc

    def __len__(self) -> int:
        return len(self.doc)

    def for_page(self) -> Any:
        """The document to read the next page in."""
        if self.pages >= self.per_document:
            try:
                fresh = self._pdfium.PdfDocument(self._data, password=self._password)
            except Exception as exc:  # it opened a moment ago: go on with this one
                log.debug("pdfium could not open the document again: %s", exc)
            else:
                self.doc.close()
                self.doc, self.pages = fresh, 0
        self.pages += 1
        return self.doc

    def forget_page(self) -> None:
        """Leave the page just read out of the count: it drew no picture. What its
        document keeps of it is small (its fonts serve the next pages), and opening again
        would only read those fonts again (+4 % instructions for the positioned text of
        three long real decrees, had every page counted)."""
        self.pages = max(0, self.pages - 1)

    def close(self) -> None:
        self.doc.close()
