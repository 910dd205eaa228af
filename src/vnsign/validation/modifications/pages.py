"""Changes to page dictionaries: annotations added, inherited attributes written out.

pyHanko clears a page update only when a new signature field binds its widget to the
page, and rejects any other page change in the same comparison. Real writers do more,
all of it invisible or judged elsewhere, so :class:`PageRule` judges every page of an
unchanged page tree and clears a page when each difference is one of:

* **/Annots grew** (every earlier annotation kept) by
  - widgets of signature fields created after signing (their fields are judged by the
    signature-field rules), at LTA_UPDATES, as pyHanko does;
  - the widget of an *existing* signature field that is signed in this revision and
    was on no page before (a document timestamp or a signature in a prepared field
    whose widget the writer attaches only when it signs), at LTA_UPDATES;
  - comments: *new* objects of the markup subtypes, without actions (/A, /AA): a
    "comment" that runs JavaScript or opens a link is not a comment. Level ANNOTATIONS,
    so it fails signatures that only permit form filling (DocMDP P=1/2), and vnsign
    reports it as a warning (a comment can cover text);
* **/Annots rewritten** with the same entries (an indirect array written out directly,
  or the reverse);
* **an inherited attribute written into the page with the value it inherited**
  (/MediaBox, /CropBox, /Rotate, /Resources: ISO 32000-1, 7.7.3.4). iText 5 (the
  Vietnamese government's signing plugin) copies them into every page it stamps;
  the page renders exactly as before. Level LTA_UPDATES, with a finding naming them.

What stays disallowed: a new page or a reordered page tree, a removed annotation, any
other page entry changed (/Contents, /Resources with another value, /UserUnit, /AA,
/Group...), an existing annotation attached to a page (except the widget case above),
and an attribute written into a page with a value other than the one it inherited.

:class:`PageTreeMarkerRule` clears iText's version marker (/ITXT) in the root of the
page tree, which iText 2-5 rewrite on every save; nothing reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.form_tools import enumerate_fields_in
from pyhanko.sign.diff_analysis import ModificationLevel, QualifiedWhitelistRule, ReferenceUpdate

from vnsign.pdf.objects import get, indirect_refs, raw
from vnsign.validation.modifications.notes import note

COMMENT_SUBTYPES = frozenset({
    "/Text", "/Popup", "/Highlight", "/Underline", "/StrikeOut", "/Squiggly", "/Caret",
    "/FreeText", "/Ink", "/Square", "/Circle", "/Line", "/Polygon", "/PolyLine", "/Stamp",
})
INHERITABLE = ("/MediaBox", "/CropBox", "/Rotate", "/Resources")
WRITER_MARKERS = frozenset({"/ITXT"})  # iText's version, in the page tree root
_MAX_PAGES = 100_000
_MAX_DEPTH = 64  # page-tree ancestors followed for an inherited value
_MAX_COMPARE = 10_000  # values compared for one attribute


class PageRule(QualifiedWhitelistRule):
    """Clear page updates that add annotations or write out inherited attributes."""

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        old_root, new_root = get(old.root, "/Pages"), get(new.root, "/Pages")
        if old_root is None or new_root is None:
            return
        widgets = _signature_widgets_bound(old, new)
        written = set(new.explicit_refs_in_revision())
        for page_ref, old_page, new_page in _paired_pages(old_root, new_root):
            if page_ref.reference in written:
                yield from _page_updates(old, new, page_ref, old_page, new_page, widgets)


class PageTreeMarkerRule(QualifiedWhitelistRule):
    """Clear a page-tree root whose only change is a writer's version marker."""

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        old_ref, new_ref = raw(old.root, "/Pages"), raw(new.root, "/Pages")
        if not isinstance(old_ref, generic.IndirectObject) or old_ref != new_ref or \
                old_ref.reference not in set(new.explicit_refs_in_revision()):
            return
        old_node, new_node = old_ref.get_object(), new_ref.get_object()
        if not _plain_dict(old_node) or not _plain_dict(new_node):
            return
        changed = {key for key in set(old_node.keys()) | set(new_node.keys())
                   if raw(old_node, key) != raw(new_node, key)}
        if not changed or not changed <= WRITER_MARKERS:
            return
        for key in changed:
            if not isinstance(raw(new_node, key), (generic.TextStringObject,
                                                   generic.ByteStringObject,
                                                   generic.NameObject, type(None))):
                return
        note("WRITER_MARKER_UPDATED", ", ".join(sorted(changed)))
        yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(old_ref.reference)


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
            return  # page tree changed: judged by nobody, so level OTHER
        for old_ref, new_ref in zip(old_refs, new_refs, strict=True):
            if old_ref.reference in seen or len(seen) > _MAX_PAGES:
                return
            seen.add(old_ref.reference)
            old_kid, new_kid = old_ref.get_object(), new_ref.get_object()
            if not isinstance(old_kid, generic.DictionaryObject) or \
                    not isinstance(new_kid, generic.DictionaryObject):
                return
            if get(old_kid, "/Type") == "/Pages":
                stack.append((old_kid, new_kid))
            else:
                yield new_ref, old_kid, new_kid


def _kid_refs(node: Any) -> list[Any] | None:
    kids = get(node, "/Kids") if isinstance(node, generic.DictionaryObject) else None
    return indirect_refs(kids)


def _annot_refs(page: Any) -> list[Any] | None:
    value = get(page, "/Annots")
    return [] if value is None else indirect_refs(value)


def _page_updates(old: Any, new: Any, page_ref: Any, old_page: Any, new_page: Any,
                  signature_widgets: set[Any]
                  ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
    if not _plain_dict(old_page) or not _plain_dict(new_page):
        return
    old_annots, new_annots = _annot_refs(old_page), _annot_refs(new_page)
    if old_annots is None or new_annots is None:
        return
    old_set = {r.reference for r in old_annots}
    if not old_set <= {r.reference for r in new_annots}:
        return  # an annotation was removed
    explicit = []
    for key in (set(old_page.keys()) | set(new_page.keys())) - {"/Annots"}:
        old_value, new_value = raw(old_page, key), raw(new_page, key)
        if old_value == new_value:
            continue
        if key in INHERITABLE and key not in old_page and \
                _same_value(_inherited(old_page, key), new_value):
            explicit.append(key)
            continue
        return  # any other change of the page itself
    updates: list[tuple[ModificationLevel, ReferenceUpdate]] = []
    page_level = ModificationLevel.LTA_UPDATES
    for ref in (r for r in new_annots if r.reference not in old_set):
        annot = ref.get_object()
        if not _plain_dict(annot):
            return
        if ref.reference in signature_widgets:
            # The field itself (and its appearance) is vetted by the signature-field
            # rules; here we only bind its widget to the page.
            continue
        if not old.is_ref_unassignable(ref.reference):
            return  # an object that existed when signed, newly shown on the page
        if get(annot, "/Subtype") not in COMMENT_SUBTYPES or "/A" in annot or "/AA" in annot:
            return
        page_level = ModificationLevel.ANNOTATIONS
        updates.append((ModificationLevel.ANNOTATIONS, ReferenceUpdate(ref.reference)))
        for dep in new.collect_dependencies(annot, since_revision=old.revision + 1):
            updates.append((ModificationLevel.ANNOTATIONS, ReferenceUpdate(dep)))
    if explicit:
        note("INHERITED_PAGE_ATTRIBUTES_WRITTEN", ", ".join(sorted(explicit)))
    # Pages are referenced from many places (annotations' /P, outlines, the structure
    # tree): after the comparison above, pyHanko's own rule also approves them whole.
    updates.append((page_level, ReferenceUpdate(page_ref.reference)))
    raw_annots = raw(new_page, "/Annots")
    if isinstance(raw_annots, generic.IndirectObject) and \
            (old.is_ref_unassignable(raw_annots.reference) or
             raw_annots == raw(old_page, "/Annots")):
        updates.append((page_level, ReferenceUpdate(raw_annots.reference)))
    yield from updates


def _inherited(page: Any, key: str) -> Any:
    """The value ``key`` inherits from the page's ancestors (unresolved), or None."""
    node = get(page, "/Parent")
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, generic.DictionaryObject):
            return None
        if key in node:
            return node.raw_get(key)
        node = get(node, "/Parent")
    return None


def _same_value(inherited: Any, written: Any) -> bool:
    """Whether a value written into a page is the one it inherited.

    The top level may be a reference on one side and the object itself on the other;
    below that, references must name the same objects. Numbers compare by value
    (595 and 595.0 are one width).
    """
    if inherited is None or written is None:
        return False
    budget = [_MAX_COMPARE]

    def same(a: Any, b: Any, top: bool) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
            if isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject):
                return bool(a.reference == b.reference)
            if not top:
                return False
            a = a.get_object() if isinstance(a, generic.IndirectObject) else a
            b = b.get_object() if isinstance(b, generic.IndirectObject) else b
        if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
            return False
        if isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject):
            return set(a.keys()) == set(b.keys()) and \
                all(same(a.raw_get(k), b.raw_get(k), False) for k in a.keys())
        if isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject):
            return len(a) == len(b) and \
                all(same(a.raw_get(i), b.raw_get(i), False) for i in range(len(a)))
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
                not isinstance(a, bool) and not isinstance(b, bool):
            return float(a) == float(b)
        return type(a) is type(b) and bool(a == b)

    return same(inherited, written, True)


def _signature_widgets_bound(old: Any, new: Any) -> set[Any]:
    """Widgets that may be attached to a page in ``new``: those of signature fields
    created after ``old``, and those of existing fields signed only in ``new``.

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
    for _name, value, field_ref in found:
        if not isinstance(field_ref, generic.IndirectObject):
            continue
        if not old.is_ref_unassignable(field_ref.reference) and \
                not _signed_only_now(old, field_ref, value):
            continue
        field = field_ref.get_object()
        kids = get(field, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            for i in range(len(kids)):
                kid = kids.raw_get(i)
                if isinstance(kid, generic.IndirectObject):
                    result.add(kid.reference)
        else:
            result.add(field_ref.reference)
    return result


def _signed_only_now(old: Any, field_ref: Any, value: Any) -> bool:
    """An existing signature field, empty when signed, filled in this revision."""
    if value is None:
        return False
    try:
        old_field = old(field_ref.reference)
    except Exception:
        return False
    return _plain_dict(old_field) and "/V" not in old_field


def _plain_dict(obj: Any) -> bool:
    return isinstance(obj, generic.DictionaryObject) and \
        not isinstance(obj, generic.StreamObject)
