"""Structural checks of /ByteRange and /Contents, independent of pyHanko.

The published attacks on PDF signatures (Universal Signature Forgery, Signature
Wrapping) live in the gap between what a signature hashes and what a reader shows.
pyHanko judges coverage too, but the rules below are the ones an auditor asks about,
so vnsign states them itself, each as its own finding:

1. /Contents is a non-empty byte string and /ByteRange a *direct* array of exactly
   four non-negative integers (a float, a reference or a missing entry is not a
   ByteRange: USF);
2. the first range starts at byte 0;
3. the ranges do not overlap and stay inside the file;
4. the gap between them is exactly the /Contents hex string of that signature
   dictionary, delimiters included: ``<`` right after the ``/Contents`` key, hex
   digits only, ``>`` last, and its value equals the /Contents the dictionary
   declares. Signature Wrapping needs room in the gap for its own objects, which
   this rule leaves none of;
5. the last range ends where a revision ends: just after a ``%%EOF`` marker (with at
   most one end-of-line) that closes a cross-reference section of the file;
6. no two signatures' ranges collide: gaps of different signatures never overlap,
   and two different signatures never end at the same revision;
7. nothing but whitespace follows the end of the last revision: objects appended
   without a cross-reference section that points at them (Incremental Saving with a
   stripped xref or only a trailer) belong to no revision, so neither the signature
   nor the difference analysis sees them, while a viewer that repairs files does.

Reading the gap means looking at raw bytes around an offset: no PDF parser gives
"the bytes between two offsets" semantics, so this small scan is deliberate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic

from vnsign import findings
from vnsign.models import Finding

_WHITESPACE = b"\x00\t\n\x0c\r "
_HEX = re.compile(rb"[0-9A-Fa-f\x00\t\n\x0c\r ]*")


@dataclass(frozen=True)
class RangeFacts:
    """A signature's /ByteRange as four integers, when it is well-formed."""

    start1: int
    length1: int
    start2: int
    length2: int

    @property
    def gap(self) -> tuple[int, int]:
        return self.start1 + self.length1, self.start2

    @property
    def end(self) -> int:
        return self.start2 + self.length2


def read_byte_range(sig_dict: Any) -> tuple[RangeFacts | None, Finding | None]:
    """The /ByteRange of a signature dictionary, or the finding that says why not."""
    try:
        raw = sig_dict.raw_get("/ByteRange")
    except (KeyError, AttributeError):
        return None, findings.make("BYTERANGE_MISSING")
    if isinstance(raw, generic.NullObject) or raw is None:
        return None, findings.make("BYTERANGE_MISSING")
    if not isinstance(raw, generic.ArrayObject):
        return None, findings.make("BYTERANGE_MALFORMED",
                                   detail=f"{type(raw).__name__}, not a direct array")
    if len(raw) != 4:
        return None, findings.make("BYTERANGE_MALFORMED", detail=f"{len(raw)} numbers, not 4")
    values = []
    for index in range(4):
        item = raw.raw_get(index)
        # NumberObject is PDF's integer; a FloatObject, a reference or anything
        # else is not a byte offset.
        if not isinstance(item, generic.NumberObject) or isinstance(item, bool):
            return None, findings.make("BYTERANGE_MALFORMED",
                                       detail=f"item {index + 1} is {type(item).__name__}")
        if int(item) < 0:
            return None, findings.make("BYTERANGE_MALFORMED",
                                       detail=f"item {index + 1} is negative")
        values.append(int(item))
    return RangeFacts(*values), None


def _contents_bytes(sig_dict: Any) -> bytes | None:
    try:
        # Never decrypted: ISO 32000 exempts a signature's /Contents from encryption.
        value = sig_dict.raw_get("/Contents", decrypt=generic.EncryptedObjAccess.RAW)
    except (KeyError, AttributeError):
        return None
    if isinstance(value, (generic.ByteStringObject, generic.TextStringObject)):
        string: Any = value  # both keep the bytes as read in .original_bytes
        return bytes(string.original_bytes) or None
    return None


def revision_ends(data: bytes, startxrefs: list[int]) -> set[int]:
    """Offsets where a revision ends: after ``%%EOF`` (and after its end-of-line).

    Each revision's %%EOF is the first one after the ``startxref`` keyword that
    follows the revision's cross-reference section.
    """
    ends: set[int] = set()
    for offset in startxrefs:
        keyword = data.find(b"startxref", max(offset, 0))
        if keyword == -1:
            continue
        eof = data.find(b"%%EOF", keyword)
        if eof == -1:
            continue
        end = eof + 5
        ends.add(end)
        if data[end:end + 2] == b"\r\n":
            ends.add(end + 2)
        elif data[end:end + 1] in (b"\r", b"\n"):
            ends.add(end + 1)
    return ends


def check_structure(data: bytes, sig_dict: Any, ends: set[int]
                    ) -> tuple[RangeFacts | None, list[Finding]]:
    """Rules 1-5 for one signature dictionary; the findings are all ERRORs."""
    problems: list[Finding] = []
    contents = _contents_bytes(sig_dict)
    if contents is None:
        problems.append(findings.make("SIG_CONTENTS_MISSING"))
    facts, problem = read_byte_range(sig_dict)
    if facts is None:
        assert problem is not None
        problems.append(problem)
        return None, problems
    size = len(data)
    gap_start, gap_end = facts.gap
    if facts.start1 != 0:
        problems.append(findings.make("BYTERANGE_NOT_FROM_START", start=facts.start1))
    if gap_start >= gap_end:
        problems.append(findings.make("BYTERANGE_OVERLAP", first_end=gap_start,
                                      second_start=gap_end))
    if facts.end > size or gap_start > size:
        problems.append(findings.make("BYTERANGE_OUTSIDE_FILE", end=facts.end, size=size))
    if problems:
        return facts, problems
    gap_problem = _gap_problem(data, gap_start, gap_end, contents)
    if gap_problem is not None:
        problems.append(findings.make("BYTERANGE_GAP_NOT_CONTENTS", detail=gap_problem))
    if facts.end not in ends:
        problems.append(findings.make("BYTERANGE_NOT_REVISION_END", end=facts.end))
    return facts, problems


def _gap_problem(data: bytes, start: int, end: int, contents: bytes | None) -> str | None:
    gap = data[start:end]
    if len(gap) < 2 or gap[:1] != b"<" or gap[-1:] != b">":
        return "the excluded bytes are not delimited by < and >"
    inner = gap[1:-1]
    if _HEX.fullmatch(inner) is None:
        return "the excluded bytes hold more than one hex string"
    before = data[max(0, start - 64):start].rstrip(_WHITESPACE)
    if not before.endswith(b"/Contents"):
        return "the excluded hex string is not the value of a /Contents key"
    digits = inner.translate(None, _WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    if contents is not None and bytes.fromhex(digits.decode("ascii")) != contents:
        return "the excluded hex string differs from the dictionary's /Contents"
    return None


def trailing_data(data: bytes, ends: set[int]) -> Finding | None:
    """Rule 7: bytes after the last revision's end (whitespace and NULs aside)."""
    if not ends:
        return None
    last = max(ends)
    tail = data[last:].strip(_WHITESPACE)
    if not tail:
        return None
    return findings.make("DATA_AFTER_LAST_REVISION", size=len(data) - last)


def collisions(ranges: list[tuple[int, RangeFacts]]) -> dict[int, list[Finding]]:
    """Rule 6 over all signatures: {signature index: findings}."""
    result: dict[int, list[Finding]] = {}
    for i, (index_a, a) in enumerate(ranges):
        for index_b, b in ranges[i + 1:]:
            if a == b:
                continue  # one signature dictionary reached through two fields
            (a0, a1), (b0, b1) = a.gap, b.gap
            if (a0 < b1 and b0 < a1) or a.end == b.end:
                for index, other in ((index_a, index_b), (index_b, index_a)):
                    result.setdefault(index, []).append(
                        findings.make("BYTERANGE_COLLISION", other=other))
    return result
