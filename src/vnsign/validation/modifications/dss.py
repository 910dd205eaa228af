"""Long-term validation data: the document security store (DSS) and its VRI entries.

pyHanko's DSSCompareRule lets a later revision add certificates, CRLs and OCSP
responses to the DSS and add per-signature VRI entries, but refuses any change to an
existing VRI entry. PAdES writers (EU DSS among them) rewrite an existing entry when
they extend a signature a second time, adding the newly fetched validation data to it.
ETSI EN 319 142-1 lets an LTV update add validation data, and DSS data is only
*evidence* for a validator, checked cryptographically before use, never content a
reader sees.

:class:`DSSRule` is pyHanko's rule (its structure checks, reused) with one change: an
existing VRI entry may be replaced by one that passes the same checks as a new entry
(only /Cert, /CRL and /OCSP arrays of streams, /TU, /TS). Still refused: a VRI entry
removed, a VRI key that is not a SHA-1 hash, unknown keys in the DSS or in a VRI entry,
anything but an array of stream references where one is expected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis import DSSCompareRule, ReferenceUpdate, SuspiciousModification
from pyhanko.sign.diff_analysis.commons import assert_not_stream, compare_key_refs
from pyhanko.sign.diff_analysis.constants import VRI_KEY_PATTERN
from pyhanko.sign.diff_analysis.rules.form_field_rules import _validate_dss_substructure
from pyhanko.sign.diff_analysis.rules_api import Context

from vnsign.validation.modifications.notes import note

_DSS_STREAM_KEYS = {"/Certs", "/CRLs", "/OCSPs"}
_VRI_STREAM_KEYS = {"/Cert", "/CRL", "/OCSP"}
_VRI_KEYS = {"/Type", "/TU", "/TS"} | _VRI_STREAM_KEYS


class DSSRule(DSSCompareRule):
    """pyHanko's DSS rule, also clearing VRI entries that were extended."""

    def apply(self, old: Any, new: Any) -> Iterator[ReferenceUpdate]:
        # The steps of pyHanko's DSSCompareRule.apply, with _vri_updates for the VRI.
        dss_context = Context.from_absolute(old, RawPdfPath("/Root", "/DSS"))
        old_dss, new_dss = yield from misc.map_with_return(
            compare_key_refs("/DSS", old, old.root, new.root),
            ReferenceUpdate.curry_ref(context_checked=dss_context))
        if new_dss is None:
            return
        if old_dss is None:
            old_dss = generic.DictionaryObject()
        if not isinstance(old_dss, generic.DictionaryObject):
            raise misc.PdfReadError("/DSS is not a dictionary")
        if not isinstance(new_dss, generic.DictionaryObject):
            raise SuspiciousModification("/DSS is not a dictionary")
        unexpected = set(new_dss.keys()) - ({"/Type", "/VRI"} | _DSS_STREAM_KEYS)
        if unexpected:
            raise SuspiciousModification(f"Unexpected keys in DSS: {unexpected}.")
        yield from _validate_dss_substructure(old, new, old_dss, new_dss, _DSS_STREAM_KEYS,
                                              is_vri=False, context=dss_context)
        old_vri, new_vri = yield from misc.map_with_return(
            compare_key_refs("/VRI", old, old_dss, new_dss),
            ReferenceUpdate.curry_ref(context_checked=Context.from_absolute(
                old, RawPdfPath("/Root", "/DSS", "/VRI"))))
        if new_vri is None:
            return
        if not isinstance(new_vri, generic.DictionaryObject):
            raise SuspiciousModification("/VRI is not a dictionary")
        if old_vri is None:
            old_vri = generic.DictionaryObject()
        elif not isinstance(old_vri, generic.DictionaryObject):
            raise misc.PdfReadError("/VRI is not a dictionary")
        yield from _vri_updates(old, new, old_vri, new_vri)


def _vri_updates(old: Any, new: Any, old_vri: Any, new_vri: Any
                 ) -> Iterator[ReferenceUpdate]:
    extended = 0
    for key in old_vri.keys():
        if key not in new_vri:
            raise SuspiciousModification(f"VRI key {key} was deleted.")
    for key in new_vri.keys():
        if key in old_vri and new_vri.raw_get(key) == old_vri.raw_get(key):
            continue
        if key in old_vri:
            extended += 1
        if not VRI_KEY_PATTERN.match(key):
            raise SuspiciousModification(f"VRI key {key} is not formatted correctly.")
        entry = new_vri.raw_get(key)
        if isinstance(entry, generic.IndirectObject):
            if not old.is_ref_unassignable(entry.reference):
                raise SuspiciousModification(f"VRI entry {key} overwrites an object.")
            yield ReferenceUpdate(entry.reference)
            entry = entry.get_object()
        assert_not_stream(entry)
        if not isinstance(entry, generic.DictionaryObject):
            raise SuspiciousModification("VRI entries should be dictionaries")
        if not set(entry.keys()) <= _VRI_KEYS:
            raise SuspiciousModification(
                f"Unexpected keys in VRI dictionary: {set(entry.keys()) - _VRI_KEYS}.")
        yield from _validate_dss_substructure(
            old, new, generic.DictionaryObject(), entry, _VRI_STREAM_KEYS, is_vri=True,
            context=Context.from_absolute(old, RawPdfPath("/Root", "/DSS", "/VRI", key)))
        try:
            ts_ref = entry.get_value_as_reference("/TS", optional=True)
        except misc.IndirectObjectExpected:
            ts_ref = None
        if ts_ref is not None and old.is_ref_unassignable(ts_ref):
            yield ReferenceUpdate(ts_ref)
    if extended:
        note("DSS_VRI_EXTENDED", str(extended))
