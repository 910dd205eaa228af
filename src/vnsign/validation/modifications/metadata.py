"""The XMP metadata stream rewritten by a later revision.

pyHanko's MetadataUpdateRule clears a new /Metadata stream only if it (and the signed
one) is well-formed XMP. Real writers leave an empty stream, or XML that does not
parse, after appending a signature (EU DSS's test files of documents signed by other
products do this), and EU DSS accepts it: the XMP stream is not page content, and
vnsign reports the file's metadata as current values with a warning when it changed.

:class:`MetadataRule` keeps every other check of pyHanko's rule: /Metadata must be an
indirect reference to a stream, and a later revision may only rewrite the metadata
stream itself or point to a new object, never overwrite another existing object. An
unreadable new stream is cleared with a finding that says so; XML that declares
entities is still refused (vnsign never resolves them, but nothing legitimate needs
them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis import MetadataUpdateRule, ReferenceUpdate, SuspiciousModification
from pyhanko.sign.diff_analysis.rules_api import Context

from vnsign.validation.modifications.notes import note


class MetadataRule(MetadataUpdateRule):
    """pyHanko's XMP rule, clearing an empty or unparsable later metadata stream."""

    def apply(self, old: Any, new: Any) -> Iterator[ReferenceUpdate]:
        new_ref = _metadata_ref(new.root)
        if new_ref is None:
            return
        if not isinstance(new_ref.get_object(), generic.StreamObject):
            raise SuspiciousModification("/Metadata should be a reference to a stream object")
        old_ref = _metadata_ref(old.root)
        if not (old_ref == new_ref or old.is_ref_unassignable(new_ref)):
            return  # overwrites another object: left unexplained
        if not _readable(new_ref):
            note("METADATA_STREAM_UNREADABLE")
        yield ReferenceUpdate(new_ref, context_checked=Context.from_absolute(
            old, RawPdfPath("/Root", "/Metadata")))


def _metadata_ref(root: Any) -> Any | None:
    try:
        return root.get_value_as_reference("/Metadata")
    except misc.IndirectObjectExpected:
        raise SuspiciousModification("/Metadata should be an indirect reference") from None
    except KeyError:
        return None


def _readable(ref: Any) -> bool:
    """Well-formed XMP (pyHanko's check); entities are refused outright."""
    try:
        MetadataUpdateRule.is_well_formed_xml(ref)
    except SuspiciousModification as exc:
        if "entities" in str(exc):
            raise
        return False
    return True
