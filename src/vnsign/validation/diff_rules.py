"""The difference-analysis policy: pyHanko's default rules plus one for comments.

pyHanko's default policy has no rule that clears annotations added after signing, so a
reviewer's sticky note makes a signature look as tampered with as a rewritten page. The
PDF standard (DocMDP P=3, and any approval signature) permits commenting, and clerks do
it, so vnsign adds one narrow rule (:class:`PageAnnotationRule`) at level ANNOTATIONS:

* only *new* objects (never an object number that existed when the document was
  signed) of markup subtypes used for comments;
* no actions (/A, /AA) on them: a "comment" that runs JavaScript or opens a link is
  not a comment;
* pages keep every earlier annotation, and nothing in a page dictionary but /Annots
  changes.

Everything else stays unexplained and pyHanko classifies it as OTHER. Level ANNOTATIONS
still fails signatures that only permit form filling (DocMDP P=1/2), and vnsign reports
it as a WARNING for a person to look at (a comment can cover text).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.form_tools import enumerate_fields_in
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    FormUpdatingRule,
    GenericFieldModificationRule,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
)

from vnsign.pdf.objects import get as _get
from vnsign.pdf.objects import indirect_refs as _indirect_refs
from vnsign.pdf.objects import raw as _raw

COMMENT_SUBTYPES = frozenset({
    "/Text", "/Popup", "/Highlight", "/Underline", "/StrikeOut", "/Squiggly", "/Caret",
    "/FreeText", "/Ink", "/Square", "/Circle", "/Line", "/Polygon", "/PolyLine", "/Stamp",
})
_MAX_PAGES = 100_000


class PageAnnotationRule(QualifiedWhitelistRule):
    """Clear annotations appended to pages: new signature widgets and comments."""

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            old_root = old.root["/Pages"]
            new_root = new.root["/Pages"]
        except (KeyError, TypeError):
            return
        widgets = _new_signature_widgets(old, new)
        for page_ref, old_page, new_page in _paired_pages(old_root, new_root):
            yield from _page_updates(old, new, page_ref, old_page, new_page, widgets)


def _paired_pages(old_node: Any, new_node: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(page ref, old page, new page) for page trees of identical shape.

    Each tree's references resolve through its own revision (pyHanko attaches the
    historical resolver to every object it hands out).
    """
    stack = [(old_node, new_node)]
    seen: set[Any] = set()
    while stack:
        old, new = stack.pop()
        old_refs, new_refs = _kid_refs(old), _kid_refs(new)
        if old_refs is None or new_refs is None or old_refs != new_refs:
            return  # page tree changed: not a comment-only update
        for old_ref, new_ref in zip(old_refs, new_refs, strict=True):
            if old_ref.reference in seen or len(seen) > _MAX_PAGES:
                return
            seen.add(old_ref.reference)
            old_kid, new_kid = old_ref.get_object(), new_ref.get_object()
            if not isinstance(old_kid, generic.DictionaryObject) or \
                    not isinstance(new_kid, generic.DictionaryObject):
                return
            if _get(old_kid, "/Type") == "/Pages":
                stack.append((old_kid, new_kid))
            else:
                yield new_ref, old_kid, new_kid


def _kid_refs(node: Any) -> list[Any] | None:
    kids = _get(node, "/Kids") if isinstance(node, generic.DictionaryObject) else None
    return _indirect_refs(kids)


def _annot_refs(page: Any) -> list[Any] | None:
    value = _get(page, "/Annots")
    return [] if value is None else _indirect_refs(value)


def _page_updates(old: Any, new: Any, page_ref: Any, old_page: Any, new_page: Any,
                  signature_widgets: set[Any]
                  ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
    if not isinstance(old_page, generic.DictionaryObject) or \
            not isinstance(new_page, generic.DictionaryObject) or \
            isinstance(new_page, generic.StreamObject):
        return
    old_annots, new_annots = _annot_refs(old_page), _annot_refs(new_page)
    if old_annots is None or new_annots is None:
        return
    old_set = {r.reference for r in old_annots}
    new_set = {r.reference for r in new_annots}
    added = [r for r in new_annots if r.reference not in old_set]
    if not added or not old_set <= new_set:
        return
    # Nothing but /Annots may differ on the page itself.
    keys = (set(old_page.keys()) | set(new_page.keys())) - {"/Annots"}
    for key in keys:
        if _raw(old_page, key) != _raw(new_page, key):
            return
    updates: list[tuple[ModificationLevel, ReferenceUpdate]] = []
    page_level = ModificationLevel.LTA_UPDATES
    for ref in added:
        if not old.is_ref_unassignable(ref.reference):
            return  # reuses an object number from the signed revision
        annot = ref.get_object()
        if not isinstance(annot, generic.DictionaryObject) or \
                isinstance(annot, generic.StreamObject):
            return
        if ref.reference in signature_widgets:
            # The field itself (and its appearance) is vetted by pyHanko's
            # SigFieldCreationRule; here we only bind its widget to the page.
            continue
        if _get(annot, "/Subtype") not in COMMENT_SUBTYPES or "/A" in annot or "/AA" in annot:
            return
        page_level = ModificationLevel.ANNOTATIONS
        updates.append((ModificationLevel.ANNOTATIONS, ReferenceUpdate(ref.reference)))
        for dep in new.collect_dependencies(annot, since_revision=old.revision + 1):
            updates.append((ModificationLevel.ANNOTATIONS, ReferenceUpdate(dep)))
    updates.append((page_level, ReferenceUpdate(page_ref.reference)))
    raw_annots = new_page.raw_get("/Annots")
    if isinstance(raw_annots, generic.IndirectObject):
        updates.append((page_level, ReferenceUpdate(raw_annots.reference)))
    yield from updates


def _new_signature_widgets(old: Any, new: Any) -> set[Any]:
    """References of the widgets of signature fields created after ``old``.

    Found from the form (the field itself when it is its own widget, else its /Kids),
    as pyHanko's SigFieldCreationRule does: a widget need not point back to its field.
    """
    result: set[Any] = set()
    try:
        fields = new.root["/AcroForm"]["/Fields"]
        found = list(enumerate_fields_in(fields, filled_status=None, with_name=None,
                                         refs_seen=set(), target_field_type="/Sig"))
    except Exception:
        return result
    for _name, _value, field_ref in found:
        if not isinstance(field_ref, generic.IndirectObject) or \
                not old.is_ref_unassignable(field_ref.reference):
            continue
        field = field_ref.get_object()
        kids = _get(field, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            for i in range(len(kids)):
                kid = kids.raw_get(i)
                if isinstance(kid, generic.IndirectObject):
                    result.add(kid.reference)
        else:
            result.add(field_ref.reference)
    return result


def vnsign_diff_policy() -> StandardDiffPolicy:
    """pyHanko's default policy, with page-annotation bindings judged by one rule.

    pyHanko's SigFieldCreationRule binds new signature widgets to pages and rejects
    every other new annotation in the same comparison, so a comment added after a
    later signature would condemn all earlier signatures. vnsign turns that part of
    the rule off and lets :class:`PageAnnotationRule` judge every page's /Annots:
    new signature widgets at LTA_UPDATES (as pyHanko does), comments at ANNOTATIONS.
    """
    return StandardDiffPolicy(
        global_rules=[*DEFAULT_DIFF_POLICY.global_rules, PageAnnotationRule()],
        form_rule=FormUpdatingRule(field_rules=[
            SigFieldCreationRule(approve_widget_bindings=False),
            SigFieldModificationRule(),
            GenericFieldModificationRule(),
        ]),
    )
