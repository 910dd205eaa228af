"""Signature fields: where they sit, what they declare, what their stamp says.

pyHanko gives us the signature objects; pypdf gives page numbers and the text of a
visible stamp. Declared values (/Reason, /Location, /Name, /ContactInfo, /M) are read
*as of the revision the signature covers*, so a later incremental update that rewrites
them ("dictionary spoofing") cannot change what the report shows.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.form_tools import enumerate_fields_in
from pyhanko.pdf_utils.reader import PdfFileReader

from vnsign.pdf.objects import get

log = logging.getLogger(__name__)

DECLARED_KEYS = ("/Reason", "/Location", "/Name", "/ContactInfo", "/M")


@dataclass(frozen=True)
class SignatureField:
    """One filled signature field as found in the current revision."""

    name: str
    field_ref: Any  # pyHanko IndirectObject of the field
    value_ref: Any  # pyHanko IndirectObject (or direct object) of the /V signature dict
    widget_ref: Any | None
    rect: tuple[float, float, float, float] | None


def filled_signature_fields(reader: PdfFileReader) -> list[SignatureField]:
    """Every filled /Sig field reachable from /AcroForm /Fields, in document order."""
    try:
        fields = reader.root["/AcroForm"]["/Fields"]
    except (KeyError, TypeError):
        return []
    result = []
    for fq_name, value, field_ref in enumerate_fields_in(
        fields, filled_status=True, with_name=None, refs_seen=set(), target_field_type="/Sig"
    ):
        field = field_ref.get_object()
        widget_ref = None
        if "/Rect" in field:
            widget_ref = field_ref
        else:
            kids = field.get("/Kids")
            if isinstance(kids, generic.ArrayObject) and kids:
                widget_ref = kids.raw_get(0)
        rect = None
        if widget_ref is not None:
            rect = _rect(widget_ref.get_object().get("/Rect"))
        result.append(SignatureField(str(fq_name), field_ref, value, widget_ref, rect))
    return result


def _rect(raw: Any) -> tuple[float, float, float, float] | None:
    try:
        x1, y1, x2, y2 = (float(v) for v in raw)
    except (TypeError, ValueError):
        return None
    return (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))


def revision_covering(reader: PdfFileReader, byte_range: Any) -> int | None:
    """The last revision whose cross-reference section starts inside the signed bytes.

    The /ByteRange ends where the signed revision ends; this is independent of where
    the signature dictionary was last (re)written, which an attacker controls.
    """
    try:
        values = [int(v) for v in byte_range]
        signed_end = values[2] + values[3]
    except (TypeError, ValueError, IndexError):
        return None
    found = None
    for revision in range(reader.xrefs.total_revisions):
        if reader.xrefs.get_startxref_for_revision(revision) < signed_end:
            found = revision
    return found


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    text = unicodedata.normalize("NFC", text).strip()
    return text or None


def sub_filter_of(signature_dict: Any) -> str | None:
    """The /SubFilter of a signature dictionary without its slash (``adbe.pkcs7.detached``).

    The one place the SubFilter is read: for signatures pyHanko loaded and for those it
    could not, so both kinds of report name it the same way.
    """
    value = get(signature_dict, "/SubFilter")
    return str(value).lstrip("/") if value is not None else None


def declared_values(
    reader: PdfFileReader, value_ref: Any, revision: int | None
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """(signed values, current values) of /Reason, /Location, /Name, /ContactInfo, /M.

    Read with :func:`vnsign.pdf.objects.get`, which decrypts: ``dict.get`` would hand
    back pyHanko's encrypted-string proxy (whose text is its Python repr), so every
    declared value of an encrypted document looked rewritten.
    """
    current = value_ref.get_object() if hasattr(value_ref, "get_object") else value_ref
    now = {key: _text(get(current, key)) for key in DECLARED_KEYS}
    if revision is None or not isinstance(value_ref, generic.IndirectObject):
        return now, now
    try:
        historical = reader.get_historical_resolver(revision)
        signed_dict = historical(value_ref.reference)
        signed = {key: _text(get(signed_dict, key)) for key in DECLARED_KEYS}
    except Exception as exc:  # a hostile file may lack the object at that revision
        log.debug("signed-revision lookup failed: %s", exc)
        return now, now
    return signed, now


def unchanged_since(reader: PdfFileReader, refs: list[Any], revision: int | None) -> bool:
    """True when none of ``refs`` was rewritten after ``revision``."""
    if revision is None:
        return False
    for ref in refs:
        if not isinstance(ref, generic.IndirectObject):
            continue
        try:
            if reader.xrefs.get_last_change(ref.reference) > revision:
                return False
        except Exception:
            return False
    return True


def appearance_ref(widget_ref: Any) -> Any | None:
    """The normal appearance stream reference of a widget, if it has one."""
    try:
        ap = widget_ref.get_object().get("/AP")
        if ap is None:
            return None
        return ap.raw_get("/N") if isinstance(ap, generic.DictionaryObject) else None
    except Exception:
        return None
