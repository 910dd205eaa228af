"""Form filling that pyHanko's field rules do not see: widgets kept apart from their field.

A form field and its widget annotation may be one dictionary or two: the field holds the
value (/V), and its /Kids hold one or more widgets (no /T of their own) that hold the
appearance (/AP) and the default appearance string (/DA). pyHanko's field rules compare
the field dictionary only, so filling such a field (its value on the field, a new
appearance on the widget, as Acrobat and every DocuSign-converted form do) leaves the
widget unexplained and fails every earlier signature.

:class:`FieldWidgetRule` clears, for a non-signature field that exists in both
revisions, each of its widgets whose only changes are the entries pyHanko's
GenericFieldModificationRule permits on a merged field-widget (/AP, /AS, /DA, /F, /Q,
/Ff, /Type and, for choice fields, /I), with the new appearance streams checked by
pyHanko's own appearance rule. The update carries the field's name, so a FieldMDP lock
on that field still refuses it (pyHanko raises on updates of locked fields), and its
level is FORM_FILLING, so DocMDP P=1 still refuses it. What stays disallowed: a widget
moved (/Rect), re-parented, given actions (/A, /AA), added or removed; a widget of a
signature field (judged by the signature-field rules); anything on a widget that is
also a field of its own.

Choice fields (list and combo boxes) store the selected items in /I beside /V (ISO
32000-1, 12.7.4.4), so :func:`field_value_keys` adds /I to pyHanko's value keys for the
field rule as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.constants import VALUE_UPDATE_KEYS
from pyhanko.sign.diff_analysis.form_rules_api import (
    FieldComparisonContext,
    FieldMDPRule,
    FormUpdate,
)
from pyhanko.sign.diff_analysis.rules.form_field_rules import _allow_appearance_update

from vnsign.pdf.objects import raw
from vnsign.validation.modifications.notes import note

# pyHanko's value keys plus /I, the selected indices of a choice field.
WIDGET_VALUE_KEYS = VALUE_UPDATE_KEYS | {"/I"}


def field_value_keys() -> frozenset[str]:
    """The keys a filled field may change (pyHanko's, plus /I for choice fields)."""
    return frozenset(WIDGET_VALUE_KEYS)


class FieldWidgetRule(FieldMDPRule):
    """Clear appearance updates of widgets kept in a (non-signature) field's /Kids."""

    def apply(self, context: FieldComparisonContext
              ) -> Iterable[tuple[ModificationLevel, FormUpdate]]:
        written = set(context.new.explicit_refs_in_revision())
        for name, spec in context.field_specs.items():
            if spec.field_type == "/Sig" or spec.old_field_ref is None or \
                    spec.new_field_ref is None:
                continue
            old_kids, new_kids = _widget_kids(spec.old_field), _widget_kids(spec.new_field)
            if old_kids is None or new_kids is None or old_kids != new_kids:
                continue  # not ours: pyHanko's rules judge the rest
            for kid in new_kids:
                if kid not in written:
                    continue
                updates = _widget_updates(context, name, kid)
                if updates is None:
                    continue  # left unexplained: level OTHER
                note("FORM_WIDGET_APPEARANCE_UPDATED", name)
                yield from updates


def _widget_kids(field: Any) -> list[Any] | None:
    """The references in /Kids that are widgets (not fields), or None."""
    kids = raw(field, "/Kids")
    if isinstance(kids, generic.IndirectObject):
        kids = kids.get_object()
    if not isinstance(kids, generic.ArrayObject):
        return None
    refs = []
    for i in range(len(kids)):
        kid = kids.raw_get(i)
        if not isinstance(kid, generic.IndirectObject):
            return None
        obj = kid.get_object()
        if not isinstance(obj, generic.DictionaryObject) or "/T" in obj:
            return None  # a sub-field: pyHanko lists it as a field of its own
        refs.append(kid.reference)
    return refs


def _widget_updates(context: FieldComparisonContext, name: str, ref: Any
                    ) -> list[tuple[ModificationLevel, FormUpdate]] | None:
    old_widget, new_widget = context.old(ref), context.new(ref)
    for widget in (old_widget, new_widget):
        if not isinstance(widget, generic.DictionaryObject) or \
                isinstance(widget, generic.StreamObject) or \
                raw(widget, "/Subtype") != "/Widget":
            return None
    keys = set(old_widget.keys()) | set(new_widget.keys())
    if any(raw(old_widget, k) != raw(new_widget, k) for k in keys - WIDGET_VALUE_KEYS):
        return None
    level = ModificationLevel.FORM_FILLING
    # The widget is reachable from its page's /Annots and the field's /Kids only as
    # itself; with nothing but value keys changed it is approved whole, as pyHanko
    # approves pages.
    updates = [(level, FormUpdate(updated_ref=ref, field_name=name))]
    try:
        updates.extend((level, FormUpdate(updated_ref=dep, field_name=name)) for dep in
                       _allow_appearance_update(old_widget, new_widget, context.old,
                                                context.new))
    except Exception:
        return None  # pyHanko's appearance rule refused it
    return updates
