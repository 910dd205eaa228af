"""The document's Decree 30/2020 fields as every renderer shows them, read in one place.

``metadata.document`` in a report is a plain mapping written by the metadata reader
(:mod:`vnsign.metadata`), and it grows: a field may become a mapping with its value and
where it was read (``{"value": "2971/SNV-VP", "source": "text", ...}``), new keys may
appear. Renderers read it only through :func:`document_view`, which takes a string, a
``{"value": ...}`` mapping or a list of strings for any field and ignores everything it
does not know, so the terminal view, the batch tables and the register never break on a
report from a newer (or older) vnsign and never disagree about what a field says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def field_text(value: Any) -> str | None:
    """A field's text: a string, a ``{"value": ...}`` mapping, or a list (joined by "; ")."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        return field_text(value.get("value"))
    if isinstance(value, list | tuple):
        return "; ".join(field_texts(value)) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def field_texts(value: Any) -> tuple[str, ...]:
    """A list field (recipients, distribution) as strings; a single value as one item."""
    if isinstance(value, Mapping) and "value" in value:
        value = value["value"]
    items = value if isinstance(value, list | tuple) else [value]
    texts = (field_text(item) for item in items if not isinstance(item, list | tuple))
    return tuple(t for t in texts if t)


def _join(parts: tuple[str | None, ...], sep: str) -> str | None:
    return sep.join(p for p in parts if p) or None


@dataclass(frozen=True)
class DocumentView:
    """What the printed document says, as text ready to show (``None``: not shown)."""

    issuing_authority: str | None
    parent_authority: str | None
    number_symbol: str | None
    date: str | None  # ISO 8601 date as the metadata reader writes it (2025-09-25)
    place: str | None
    doc_type: str | None
    doc_type_code: str | None
    subject: str | None  # with its prefix ("V/v ...") when the document has one
    recipients: tuple[str, ...]
    distribution: tuple[str, ...]
    authority: str | None  # "TL. GIÁM ĐỐC": the authority prefix and on whose behalf
    signer_title: str | None
    signer_name: str | None
    marks: tuple[str, ...]  # urgency, confidentiality, copy form

    @property
    def signer_block(self) -> str | None:
        """Authority, title and name of the signer as printed (Decree 30, part 7)."""
        return _join((self.authority, self.signer_title, self.signer_name), " · ")

    @property
    def type_and_subject(self) -> str | None:
        """"Tên loại và trích yếu nội dung" of the register: "Công văn V/v ..."."""
        return _join((self.doc_type, self.subject), " ")

    @property
    def place_date(self) -> str | None:
        return _join((self.place, self.date), ", ")

    @property
    def date_value(self) -> dt.date | None:
        """The date as a date (for spreadsheets); ``None`` when it is not an ISO date."""
        if not self.date:
            return None
        try:
            return dt.date.fromisoformat(self.date)
        except ValueError:
            return None

    @property
    def is_empty(self) -> bool:
        return not any((self.issuing_authority, self.number_symbol, self.date, self.doc_type,
                        self.subject, self.signer_block))


def document_view(metadata: Mapping[str, Any] | None) -> DocumentView | None:
    """The view of ``metadata["document"]``, or ``None`` when the report has none."""
    doc = metadata.get("document") if isinstance(metadata, Mapping) else None
    if not isinstance(doc, Mapping):
        return None

    def text(key: str) -> str | None:
        return field_text(doc.get(key))

    number_symbol = text("number_symbol")
    if number_symbol is None and text("number") and text("symbol"):
        number_symbol = f"{text('number')}/{text('symbol')}"
    subject = text("subject")
    prefix = text("subject_prefix")
    if subject and prefix and not subject.startswith(prefix):
        subject = f"{prefix} {subject}"
    return DocumentView(
        issuing_authority=text("issuing_authority"),
        parent_authority=text("parent_authority"),
        number_symbol=number_symbol,
        date=text("date"),
        place=text("place"),
        doc_type=text("doc_type"),
        doc_type_code=text("doc_type_code"),
        subject=subject,
        recipients=field_texts(doc.get("recipients")),
        distribution=field_texts(doc.get("distribution")),
        authority=_join((text("authority_prefix"), text("on_behalf_of")), " "),
        signer_title=text("signer_title"),
        signer_name=text("signer_name"),
        marks=tuple(m for m in (text("urgency"), text("confidentiality"), text("copy_form"))
                    if m),
    )
