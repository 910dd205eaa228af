"""Signatures of files pyHanko cannot open: truncated, damaged or deliberately broken.

pyHanko's reader (even non-strict) refuses a file whose cross-reference data is broken,
whose /Encrypt entry is not a dictionary, or that stops in the middle of a revision. A
verdict of "0 signatures" for such a file would be wrong: a clerk holding a broken copy
of a signed decree must be told that it *was* signed, by whom, and that this copy cannot
be relied on. So, when the file as a whole cannot be read:

1. **An intact earlier revision.** The bytes up to an earlier end of revision (``%%EOF``)
   are a complete PDF. If pyHanko opens the longest such prefix, vnsign verifies it as
   usual and reports its signatures; the bytes after it belong to no readable revision,
   which vnsign's structural check already reports for every signature
   (``DATA_AFTER_LAST_REVISION``, FAILED): they may change anything a viewer shows.
2. **A scan for signature dictionaries.** Signatures in what cannot be read (the only
   revision, or the part after the intact prefix) are found by their ``/ByteRange``:
   each enclosing ``N G obj`` is parsed with pyHanko's object parser, and each distinct
   signature value (``/Contents``) is verified over its byte range with pyHanko's CMS
   check. Such a signature is reported FAILED/FORMAT_FAILURE with ``FILE_STRUCTURE_DAMAGED``:
   the digest may match, but what the signature covers, and what was changed after it,
   cannot be established from a damaged file.

The scan is the one place where vnsign looks at raw bytes for objects; it exists because
the library truly cannot read these files (the case: EU DSS's corrupted and spoofing test
files, truncated downloads).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic, misc

from vnsign.pdf.source import SharedBytesIO

log = logging.getLogger(__name__)

_EOF = re.compile(rb"%%EOF[ \t\r\n]*")
_OBJ_HEADER = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_BYTERANGE = re.compile(rb"/ByteRange\b")
_LOOK_BACK = 1 << 16  # bytes searched before a /ByteRange for its object header
_DIGITS_AND_SPACE = frozenset(b"0123456789 \t\n\r\x0b\x0c")  # what a header is made of
MAX_PREFIXES = 64  # earlier ends of revision tried, newest first
MAX_SIGNATURES = 200


@dataclass(frozen=True)
class ScannedSignature:
    """A signature dictionary found by scanning, verified over its byte range."""

    offset: int  # where its object starts
    object_id: tuple[int, int]
    byte_range: tuple[int, ...] | None
    contents: bytes
    sub_filter: str | None
    field_hint: str | None  # /Name or /Reason, to tell signatures apart in the report
    digest_matches: bool | None
    signature_valid: bool | None
    signer_cert: Any | None  # asn1crypto certificate, when the CMS could be read
    digest_algorithm: str | None
    problem: str | None  # why it could not be verified, if so


def revision_ends(data: bytes) -> list[int]:
    """Offsets just after each ``%%EOF`` marker (and its line end), in file order."""
    return [m.end() for m in _EOF.finditer(data)]


def intact_prefix(data: bytes, opens: Any) -> int | None:
    """The end of the longest prefix, ending at a revision end, that ``opens`` accepts.

    ``opens(prefix) -> bool`` tries pyHanko's reader on the bytes. Only prefixes shorter
    than the file are tried (the whole file already failed).
    """
    ends = [end for end in revision_ends(data) if end < len(data.rstrip())]
    for end in reversed(ends[-MAX_PREFIXES:]):
        try:
            if opens(data[:end]):
                return end
        except Exception:  # a prefix that breaks the reader is simply not intact
            continue
    return None


SignatureKey = tuple[bytes, tuple[int, ...] | None]


def signature_key(sig: Any) -> SignatureKey | None:
    """What makes a signature one signature: its value and the bytes it covers.

    The same dictionary reached through two fields, or written again by a later
    revision with the same /Contents and /ByteRange (dictionary spoofing), is one
    signature. The same value copied into a dictionary over *other* bytes is another
    signature (one that will not verify).
    """
    contents = _contents(sig)
    return None if contents is None else (contents, _byte_range(sig))


def scan_signatures(data: bytes, start: int = 0, *,
                    skip: frozenset[SignatureKey] = frozenset()) -> list[ScannedSignature]:
    """Signature dictionaries at or after ``start``, one per signature, verified; those
    in ``skip`` (signatures reported otherwise) are left out."""
    return [_verify(data, header, obj, contents)
            for header, obj, contents in find_signature_dicts(data, start)
            if (contents, _byte_range(obj)) not in skip]


def find_signature_dicts(data: bytes, start: int = 0
                         ) -> list[tuple[tuple[int, int, int], Any, bytes]]:
    """(header, dictionary, /Contents) of each distinct signature in the bytes."""
    found: list[tuple[tuple[int, int, int], Any, bytes]] = []
    seen_values: set[SignatureKey] = set()
    seen_offsets: set[int] = set()
    for match in _BYTERANGE.finditer(data, start):
        if len(found) >= MAX_SIGNATURES:
            break
        header = _header_before(data, match.start())
        if header is None or header[0] in seen_offsets:
            continue
        seen_offsets.add(header[0])
        obj = _parse_object(data, header)
        if not isinstance(obj, generic.DictionaryObject) or "/Contents" not in obj:
            continue
        key = signature_key(obj)
        if key is None or key in seen_values:
            continue
        seen_values.add(key)
        found.append((header, obj, key[0]))
    return found


def _header_before(data: bytes, position: int) -> tuple[int, int, int] | None:
    """(offset, object number, generation) of the last object header before ``position``.

    The answer of a forward scan for ``N G obj`` over the 64 KiB before ``position``
    (its last match, none if an ``endobj`` follows it), found without the scan, which
    cost milliseconds per signature on every document: the last header ends at the last
    ``obj`` keyword that has one, so the keywords are visited from the end and the
    pattern is tried only on the digits and white space just before each (a header is
    made of nothing else, so a match cannot start earlier than that run). An ``endobj``
    met first means ``position`` lies after the end of its object. tests/pdf/
    test_recovery_scan.py compares this with the forward scan on hostile bytes.
    """
    window_start = max(0, position - _LOOK_BACK)
    keyword = position
    while True:
        keyword = data.rfind(b"obj", window_start, keyword)
        if keyword < 0:
            return None
        if data[max(window_start, keyword - 3):keyword] == b"end":
            return None
        run = keyword
        while run > window_start and data[run - 1] in _DIGITS_AND_SPACE:
            run -= 1
        # One byte past the keyword, so that ``\b`` sees the byte that follows it.
        match = _OBJ_HEADER.search(data, run, min(position, keyword + 4)) if run < keyword \
            else None
        if match is not None:
            if b"endobj" in data[match.end():position]:
                return None
            return match.start(), int(match.group(1)), int(match.group(2))


def _parse_object(data: bytes, header: tuple[int, int, int]) -> Any | None:
    offset, number, generation = header
    stream = SharedBytesIO(data)
    match = _OBJ_HEADER.match(data, offset)
    if match is None:
        return None
    stream.seek(match.end())
    try:
        misc.read_non_whitespace(stream, seek_back=True)
        return generic.read_object(stream, generic.Reference(number, generation, None))
    except Exception as exc:
        log.debug("object %d %d at %d unreadable: %s", number, generation, offset, exc)
        return None


def _contents(sig: Any) -> bytes | None:
    try:
        value = sig.raw_get("/Contents", decrypt=generic.EncryptedObjAccess.RAW)
    except (KeyError, TypeError, AttributeError):
        return None
    if not isinstance(value, (generic.ByteStringObject, generic.TextStringObject)):
        return None
    raw = bytes(value.original_bytes)
    return raw.rstrip(b"\x00") or None


def _verify(data: bytes, header: tuple[int, int, int], sig: Any, contents: bytes
            ) -> ScannedSignature:
    byte_range = _byte_range(sig)
    sub_filter = _name(sig, "/SubFilter")
    hint = None
    for key in ("/Name", "/Reason"):
        try:
            value = sig.raw_get(key)
        except KeyError:
            continue
        if isinstance(value, (generic.TextStringObject, generic.ByteStringObject)):
            hint = str(value)
            break
    facts: dict[str, Any] = {"digest_matches": None, "signature_valid": None,
                             "signer_cert": None, "digest_algorithm": None, "problem": None}
    try:
        facts.update(_check_cms(data, byte_range, contents))
    except Exception as exc:
        facts["problem"] = f"{type(exc).__name__}: {exc}"
    return ScannedSignature(offset=header[0], object_id=(header[1], header[2]),
                            byte_range=byte_range, contents=contents, sub_filter=sub_filter,
                            field_hint=hint, **facts)


def _check_cms(data: bytes, byte_range: tuple[int, ...] | None, contents: bytes
               ) -> dict[str, Any]:
    from asn1crypto import cms
    from pyhanko.sign.general import extract_signer_info
    from pyhanko.sign.validation.generic_cms import (
        extract_certs_for_validation,
        validate_sig_integrity,
    )

    signed_data = cms.ContentInfo.load(contents)["content"]
    signer_info = extract_signer_info(signed_data)
    certs = extract_certs_for_validation(signed_data)
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    facts: dict[str, Any] = {"signer_cert": certs.signer_cert, "digest_algorithm": algorithm}
    if byte_range is None or len(byte_range) != 4 or \
            byte_range[0] + byte_range[1] > len(data) or byte_range[2] + byte_range[3] > len(data):
        facts["problem"] = "the /ByteRange is missing, malformed or outside the file"
        return facts
    digest = hashlib.new(algorithm)
    whole = memoryview(data)  # the ranges hashed in place: a slice of bytes is a copy
    digest.update(whole[byte_range[0]:byte_range[0] + byte_range[1]])
    digest.update(whole[byte_range[2]:byte_range[2] + byte_range[3]])
    content_type = signed_data["encap_content_info"]["content_type"].native
    intact, valid = validate_sig_integrity(signer_info, certs.signer_cert, content_type,
                                           digest.digest())
    facts.update(digest_matches=bool(intact), signature_valid=bool(valid))
    return facts


def _byte_range(sig: Any) -> tuple[int, ...] | None:
    try:
        value = sig.raw_get("/ByteRange")
    except KeyError:
        return None
    if not isinstance(value, generic.ArrayObject):
        return None
    items = [value.raw_get(i) for i in range(len(value))]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return None
    return tuple(int(v) for v in items)


def _name(sig: Any, key: str) -> str | None:
    try:
        value = sig.raw_get(key)
    except KeyError:
        return None
    return str(value).lstrip("/") if isinstance(value, generic.NameObject) else None
