"""A non-standard trailer entry that pointed at nothing, filled by a later revision.

Some writers copy a trailer entry of their own into every incremental update and point
it at the next free object number, which the *next* revision then uses for something
else (seen with OpenOffice's /AdditionalStreams, the embedded ODF source, in EU DSS's
LTV test files). pyHanko records that dangling reference as a use of the object in the
signed revision and refuses the later revision that fills it, whatever the object is.

:class:`DanglingTrailerReferenceRule` clears only that path, at LTA_UPDATES: a
reference found under a trailer key that ISO 32000 does not define (no reader looks
there), to an object number that was free when signed. The object itself is still
judged by the rule for what it is (a DSS, a signature...), and a dangling reference
anywhere a reader looks (a page's /Contents, a catalog entry, a standard trailer entry)
stays unexplained.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis import ModificationLevel, QualifiedWhitelistRule, ReferenceUpdate
from pyhanko.sign.diff_analysis.rules_api import Context

from vnsign.validation.modifications.notes import note

# Trailer and cross-reference stream entries of ISO 32000-1 (7.5.5, 7.5.8, 7.6.1).
STANDARD_TRAILER_KEYS = frozenset({
    "/Size", "/Prev", "/Root", "/Encrypt", "/Info", "/ID", "/XRefStm", "/Type", "/W",
    "/Index", "/Filter", "/DecodeParms", "/Length", "/DL", "/F", "/FFilter", "/FDecodeParms",
})
_MAX_DEPTH = 8


class DanglingTrailerReferenceRule(QualifiedWhitelistRule):
    """Clear the use, in a private trailer entry, of an object number free when signed."""

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        trailer = old.trailer_view
        written = set(new.explicit_refs_in_revision())
        for key in set(trailer.keys()) - STANDARD_TRAILER_KEYS:
            for path, ref in _references(trailer.raw_get(key), (key,), 0):
                if ref in written and old.is_ref_unassignable(ref):
                    note("TRAILER_REFERENCE_FILLED", key)
                    yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(
                        ref, context_checked=Context.from_absolute(old, RawPdfPath(*path)))


def _references(value: Any, path: tuple[str | int, ...], depth: int
                ) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, reference) for the references written directly in a trailer value."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, generic.IndirectObject):
        yield path, value.reference
    elif isinstance(value, generic.ArrayObject):
        for i in range(len(value)):
            yield from _references(value.raw_get(i), (*path, i), depth + 1)
    elif isinstance(value, generic.DictionaryObject):
        for key in value.keys():
            yield from _references(value.raw_get(key), (*path, key), depth + 1)
