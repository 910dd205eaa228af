"""Signatures added after a certification signature (DocMDP P=2 and P=3).

ISO 32000 lets a certifying author choose P=2 ("filling in forms, instantiating page
templates, and signing") or P=3 (also annotations). Signing means adding a signature
*in a new field* as much as in a prepared one: that is how Vietnamese government
documents are made (the leader's personal signature certifies the decree with P=2,
then the agency's seal signs it several times, each time in a new field, stamping the
number and the date), and how Acrobat, pdfsig and EU DSS read the standard. pyHanko's
SigFieldCreationRule refuses every new *visible* signature field after a certification
signature, which fails such documents.

:class:`SigningAfterCertificationRule` is that rule with one change: a new visible
signature field is cleared after a certification when it is *signed* in the same
revision (its /V is a signature). What stays disallowed:

* a new visible field that is not signed: an empty "signature" whose appearance can
  paint anything over the certified page (the Sneaky Signature attack) - refused as
  pyHanko refuses it;
* everything pyHanko checks about new fields: only signature fields may be created,
  no field is deleted, the value is a new signature dictionary, and P=1 still permits
  nothing but LTV updates;
* what the new stamp *shows*: the visual check compares the pages, and a stamp that
  covers text of the certified revision is reported with the text it covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import ModificationLevel, SigFieldCreationRule
from pyhanko.sign.diff_analysis.form_rules_api import FieldComparisonContext, FormUpdate
from pyhanko.sign.diff_analysis.rules.form_field_rules import is_field_visible

from vnsign.validation.modifications.notes import certification_in_force, note


class SigningAfterCertificationRule(SigFieldCreationRule):
    """pyHanko's SigFieldCreationRule, clearing new *signed* fields after certification."""

    def __init__(self) -> None:
        # Widget bindings to pages are judged by vnsign's page rule (modifications.pages).
        super().__init__(approve_widget_bindings=False, allow_new_visible_after_certify=True)

    def apply(self, context: FieldComparisonContext
              ) -> Iterable[tuple[ModificationLevel, FormUpdate]]:
        unsigned_visible: set[Any] = set()
        signed_visible: dict[Any, str] = {}
        for name, spec in context.field_specs.items():
            if spec.field_type != "/Sig" or spec.old_field_ref is not None or \
                    spec.new_field_ref is None:
                continue
            field = spec.new_field
            if not isinstance(field, generic.DictionaryObject) or not is_field_visible(field):
                continue
            if "/V" in field:
                signed_visible[spec.new_field_ref] = name
            else:
                unsigned_visible.add(spec.new_field_ref)
        for level, update in super().apply(context):
            if update.updated_ref in unsigned_visible:
                update = replace(update, valid_when_certifying=False)
            elif update.updated_ref in signed_visible and certification_in_force():
                note("SIGNED_AFTER_CERTIFICATION", signed_visible[update.updated_ref])
            yield level, update
