"""The one entry point: page texts in, :class:`DocumentFields` out.

A pure function: no I/O, linear in the input, and it never raises. Each reader (header,
recipients, closing) reports ``None`` for what it cannot find, so one unreadable part never
blanks the others."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vnsign.vn.decree30.closing import parse_closing, parse_recipients
from vnsign.vn.decree30.header import parse_header
from vnsign.vn.decree30.lexicon import (
    TYPE_CODES,
    bare_name,
    clean_output,
)
from vnsign.vn.decree30.model import DocumentFields
from vnsign.vn.decree30.prepare import drop_stamps, find_copy_form, prepare_page

# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _type_code(symbol: str | None) -> str | None:
    if symbol is None:
        return None
    head = re.split(r"[-/]", symbol, maxsplit=1)[0]
    return head if head in TYPE_CODES else None


def parse(pages: Sequence[str]) -> DocumentFields:
    """Read the Decree 30/2020 administrative fields from the text of a document's pages.

    ``pages`` holds one string per page, as extracted (NFC or NFD; any line breaks). A bare
    string is taken as a one-page document rather than a sequence of one-character pages, and
    a non-string page as an empty page, so that no caller mistake turns into an exception.
    ``pages`` in the result is the number of pages given (``None`` for none).
    """
    if isinstance(pages, str):
        pages = (pages,)
    raw = [page if isinstance(page, str) else "" for page in pages]
    prepared = [prepare_page(page) for page in raw]
    copy_form = find_copy_form(prepared)
    clean = [drop_stamps(lines) for lines in prepared]
    first = next((lines for lines in clean if lines), [])

    header = parse_header(first)
    recipients = parse_recipients(first)
    closing = parse_closing(clean)

    return DocumentFields(
        issuing_authority=clean_output(header.issuer),
        parent_authority=clean_output(header.parent),
        number=clean_output(header.number),
        symbol=clean_output(header.symbol),
        number_symbol=clean_output(header.number_symbol),
        place=clean_output(header.place),
        date=header.date,
        doc_type=clean_output(header.doc_type),
        doc_type_code=clean_output(_type_code(header.symbol)),
        subject=clean_output(header.subject),
        subject_prefix=header.subject_prefix,
        recipients=tuple(r for r in map(clean_output, recipients) if r is not None),
        distribution=tuple(d for d in map(clean_output, closing.distribution) if d is not None),
        authority_prefix=closing.prefix,
        on_behalf_of=clean_output(closing.on_behalf_of),
        signer_title=clean_output(closing.title),
        signer_name=clean_output(bare_name(closing.name) if closing.name is not None else None),
        urgency=header.urgency,
        confidentiality=header.confidentiality,
        copy_form=copy_form,
        pages=len(raw) or None,
    )
