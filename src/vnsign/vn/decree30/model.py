"""The result of the parser: the Decree 30/2020 fields one document's text shows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentFields:
    """What the text of a document shows of its Decree 30/2020 administrative fields.

    Every string is NFC-normalised and whitespace-collapsed. A field the text does not show is
    ``None`` (an empty tuple for lists); nothing is inferred from other fields.
    """

    issuing_authority: str | None = None
    parent_authority: str | None = None
    number: str | None = None
    symbol: str | None = None
    number_symbol: str | None = None
    place: str | None = None
    date: str | None = None
    doc_type: str | None = None
    doc_type_code: str | None = None
    subject: str | None = None
    subject_prefix: str | None = None
    recipients: tuple[str, ...] = field(default_factory=tuple)
    distribution: tuple[str, ...] = field(default_factory=tuple)
    authority_prefix: str | None = None
    on_behalf_of: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    urgency: str | None = None
    confidentiality: str | None = None
    copy_form: str | None = None
    pages: int | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping with the field names as keys (tuples become lists)."""
        return {
            "issuing_authority": self.issuing_authority,
            "parent_authority": self.parent_authority,
            "number": self.number,
            "symbol": self.symbol,
            "number_symbol": self.number_symbol,
            "place": self.place,
            "date": self.date,
            "doc_type": self.doc_type,
            "doc_type_code": self.doc_type_code,
            "subject": self.subject,
            "subject_prefix": self.subject_prefix,
            "recipients": list(self.recipients),
            "distribution": list(self.distribution),
            "authority_prefix": self.authority_prefix,
            "on_behalf_of": self.on_behalf_of,
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "urgency": self.urgency,
            "confidentiality": self.confidentiality,
            "copy_form": self.copy_form,
            "pages": self.pages,
        }
