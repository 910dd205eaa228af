"""Tagged-PDF bookkeeping: structure-tree updates that only register new annotations.

A tagged PDF (every Word or LibreOffice export with accessibility on, and so most
Vietnamese documents) keeps a logical structure tree beside the pages: each paragraph,
table and widget is a structure element, and the /ParentTree number tree maps each page
(/StructParents) and each annotation (/StructParent) back to its elements. A writer that
adds a signature field or a comment to such a document tags it too: it appends a new
/Form or /Annot element (whose only content is an object reference, /OBJR, to the new
widget) to an existing element's /K, rewrites the /ParentTree with one new key, and
bumps /ParentTreeNextKey. iText does this on every signature; pyHanko's policy has no
rule for it, so every earlier signature of a tagged document failed.

:class:`StructureTreeRule` clears exactly that, at level LTA_UPDATES (the structure tree
changes nothing a reader sees; the new annotation is judged by its own rule):

* the structure tree root keeps every entry except /K (children may be added),
  /ParentTree and /ParentTreeNextKey (which may only grow);
* an existing structure element may only gain children in /K, with its old children
  kept in their order;
* each added child is a new structure element (an object number unused when signed)
  with a known set of keys, its /P the element it was added to, and content that is
  only object references to *new* objects (the new widgets or annotations) - never
  marked content of the signed pages, never an existing object;
* the new /ParentTree maps every old key to the same elements as before (arrays copied
  entry by entry), and new keys only to the new elements.

Anything else in the structure tree (re-tagging signed content, changed roles, an
/IDTree or /RoleMap edit, removed elements) stays unexplained: level OTHER.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import ModificationLevel, QualifiedWhitelistRule, ReferenceUpdate

from vnsign.pdf.usages import last_change_of, read_uncopied
from vnsign.validation.modifications.notes import note

_LEVEL = ModificationLevel.LTA_UPDATES
# Entries a structure element added for a new annotation may carry (ISO 32000-1, 14.7.2).
_NEW_ELEMENT_KEYS = frozenset({
    "/Type", "/S", "/P", "/K", "/Pg", "/Alt", "/ActualText", "/T", "/Lang", "/E", "/A", "/C",
})
_ROOT_MUTABLE = frozenset({"/K", "/ParentTree", "/ParentTreeNextKey"})
_MAX_TREE_NODES = 200_000
_MAX_DEPTH = 32


class StructureTreeRule(QualifiedWhitelistRule):
    """Clear structure-tree updates that only register new annotations."""

    def apply_qualified(self, old: Any, new: Any
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            old_ref = old.root.raw_get("/StructTreeRoot")
            new_ref = new.root.raw_get("/StructTreeRoot")
        except (KeyError, AttributeError):
            return
        if not isinstance(old_ref, generic.IndirectObject) or old_ref != new_ref:
            return
        updates = _vet(old, new, old_ref)
        if updates is None:
            return
        # Only objects this revision wrote need clearing (and say that something changed).
        written = set(new.explicit_refs_in_revision())
        updates = [update for update in updates if update.updated_ref in written]
        if updates:
            note("STRUCTURE_TREE_UPDATED")
        yield from ((_LEVEL, update) for update in updates)


def _vet(old: Any, new: Any, root_ref: Any) -> list[ReferenceUpdate] | None:
    """The updates to clear, or None when anything is not pure bookkeeping."""
    written = set(new.explicit_refs_in_revision())
    old_root, new_root = _dict(old(root_ref.reference)), _dict(new(root_ref.reference))
    if old_root is None or new_root is None:
        return None
    keys = set(old_root.keys()) | set(new_root.keys())
    if any(_raw(old_root, k) != _raw(new_root, k) for k in keys - _ROOT_MUTABLE):
        return None
    if not _next_key_grows(old_root, new_root):
        return None
    updates: list[ReferenceUpdate] = []
    added: set[Any] = set()  # references of the new structure elements
    # Every existing element rewritten in this revision, the root included.
    candidates = [ref for ref in written if not old.is_ref_unassignable(ref)]
    for ref in candidates:
        if ref == root_ref.reference:
            old_elem, new_elem = old_root, new_root
        else:
            pair = _elements(old, new, ref)
            if pair is None:
                continue  # not ours to judge
            old_elem, new_elem = pair
            if not _only_kids_changed(old_elem, new_elem):
                return None
        kids = _added_kids(old_elem, new_elem)
        if kids is None:
            return None
        for kid in kids:
            found = _vet_new_element(old, new, kid, ref)
            if found is None:
                return None
            added.add(kid.reference)
            updates.extend(found)
        updates.append(ReferenceUpdate(ref))  # blanket: only /K grew, as checked
    done = set(candidates)

    def earlier() -> set[Any]:
        return _added_before(old, new, root_ref.reference, old_root, new_root, done)

    tree = _vet_parent_tree(old, new, old_root, new_root, added, written, earlier)
    if tree is None:
        return None
    updates.extend(tree)
    return updates


def _added_before(old: Any, new: Any, root_ref: Any, old_root: Any, new_root: Any,
                  done: set[Any]) -> set[Any]:
    """The new elements that the revisions between the signed one and this one added.

    Each (signed, later) revision pair is reviewed alone, so when this revision rewrites
    only the /ParentTree (an unchanged copy, as some writers save it), the keys that an
    earlier signature's revision registered name elements this revision did not add. They
    are the same kind of bookkeeping and were vetted in their own revision's pair; here they
    are vetted again, against the signed revision, and only an element that passes counts.
    An element that does not pass adds nothing (its keys then stay unexplained); it never
    makes this revision's own vetting fail, which is the intermediate pair's to judge.
    """
    earlier: set[Any] = set()
    xrefs = new.reader.xrefs
    for revision in range(old.revision + 1, new.revision):
        earlier |= set(xrefs.explicit_refs_in_revision(revision))
    added: set[Any] = set()
    for ref in earlier - done:
        if old.is_ref_unassignable(ref):
            continue  # a new object: an element added, not one given children
        if ref == root_ref:
            old_elem, new_elem = old_root, new_root
        else:
            pair = _elements(old, new, ref)
            if pair is None or not _only_kids_changed(*pair):
                continue
            old_elem, new_elem = pair
        for kid in _added_kids(old_elem, new_elem) or ():
            if _vet_new_element(old, new, kid, ref) is not None:
                added.add(kid.reference)
    return added


def _elements(old: Any, new: Any, ref: Any) -> tuple[Any, Any] | None:
    """Object ``ref`` as signed and as now, when it is a structure element in both."""
    old_elem, new_elem = _dict(old(ref)), _dict(new(ref))
    if old_elem is None or new_elem is None or not _is_element(old_elem) or \
            not _is_element(new_elem):
        return None
    return old_elem, new_elem


def _only_kids_changed(old_elem: Any, new_elem: Any) -> bool:
    """Does every entry of the element but /K keep its value?"""
    return all(_raw(old_elem, k) == _raw(new_elem, k)
               for k in (set(old_elem.keys()) | set(new_elem.keys())) - {"/K"})


def _next_key_grows(old_root: Any, new_root: Any) -> bool:
    old_key, new_key = _raw(old_root, "/ParentTreeNextKey"), _raw(new_root, "/ParentTreeNextKey")
    if old_key == new_key:
        return True
    return isinstance(new_key, int) and (old_key is None or
                                         (isinstance(old_key, int) and new_key >= old_key))


def _added_kids(old_elem: Any, new_elem: Any) -> list[Any] | None:
    """The children added to /K (old ones kept, in order), or None."""
    old_kids, new_kids = _kids(old_elem), _kids(new_elem)
    if old_kids is None or new_kids is None:
        return None
    position = 0
    added = []
    for kid in new_kids:
        if position < len(old_kids) and kid == old_kids[position]:
            position += 1
        else:
            added.append(kid)
    if position != len(old_kids):
        return None  # an old child was removed or moved
    if not all(isinstance(kid, generic.IndirectObject) for kid in added):
        return None  # new marked content or a direct element: not bookkeeping
    return added


def _kids(elem: Any) -> list[Any] | None:
    if "/K" not in elem:
        return []
    value = elem.raw_get("/K")
    if isinstance(value, generic.ArrayObject):
        return [value.raw_get(i) for i in range(len(value))]
    if isinstance(value, generic.IndirectObject):
        try:
            resolved = value.get_object()
        except Exception:
            return None
        if isinstance(resolved, generic.ArrayObject):
            return None  # an indirect /K array rewritten in place: not handled
    return [value]


def _vet_new_element(old: Any, new: Any, kid: Any, parent_ref: Any
                     ) -> list[ReferenceUpdate] | None:
    if not old.is_ref_unassignable(kid.reference):
        return None  # an existing object moved into the tree
    elem = _dict(kid.get_object())
    if elem is None or not _is_element(elem) or not set(elem.keys()) <= _NEW_ELEMENT_KEYS:
        return None
    parent = _raw(elem, "/P")
    if not isinstance(parent, generic.IndirectObject) or parent.reference != parent_ref:
        return None
    # Attributes and classes must be written out in the element: a reference there could
    # smuggle in any new object under this rule's approval.
    if any(key in elem and new.collect_dependencies(elem.raw_get(key)) for key in ("/A", "/C")):
        return None
    updates = [ReferenceUpdate(kid.reference)]
    content = _content_items(elem)
    if content is None or not content:
        return None
    for item_ref, item in content:
        if item_ref is not None:
            if not old.is_ref_unassignable(item_ref):
                return None
            updates.append(ReferenceUpdate(item_ref))
        target = _raw(item, "/Obj")
        if not isinstance(target, generic.IndirectObject) or \
                not old.is_ref_unassignable(target.reference):
            return None  # tags an object that existed when signed
        # The target itself (the widget or annotation) is cleared by its own rule.
    return updates


def _content_items(elem: Any) -> list[tuple[Any | None, Any]] | None:
    """The object references (/OBJR) making up a new element's /K, or None."""
    raw = elem.raw_get("/K")
    items = [raw.raw_get(i) for i in range(len(raw))] if isinstance(raw, generic.ArrayObject) \
        else [raw]
    result: list[tuple[Any | None, Any]] = []
    for item in items:
        ref = item.reference if isinstance(item, generic.IndirectObject) else None
        value = item.get_object() if ref is not None else item
        obj = _dict(value)
        if obj is None or _raw(obj, "/Type") != "/OBJR" or \
                not set(obj.keys()) <= {"/Type", "/Obj", "/Pg"}:
            return None
        result.append((ref, obj))
    return result


def _vet_parent_tree(old: Any, new: Any, old_root: Any, new_root: Any, added: set[Any],
                     written: set[Any], earlier: Callable[[], set[Any]]
                     ) -> list[ReferenceUpdate] | None:
    """The updates that clear the /ParentTree, or None. ``added``: the elements this
    revision added; ``earlier``: those the revisions since the signed one added, looked
    for only when a new key names an element this revision did not add."""
    old_raw, new_raw = _raw(old_root, "/ParentTree"), _raw(new_root, "/ParentTree")
    if old_raw is None and new_raw is None:
        return []
    old_nodes: list[Any] = []
    new_nodes: list[Any] = []
    old_entries = _number_tree(old_raw, old_nodes) if old_raw is not None else {}
    new_entries = _number_tree(new_raw, new_nodes)
    if old_entries is None or new_entries is None or not set(old_entries) <= set(new_entries):
        return None  # malformed, or an entry was dropped
    updates: list[ReferenceUpdate] = []
    memo = _entries_memo(new.reader)
    looked_earlier = False
    for key, value in new_entries.items():
        if key in old_entries:
            items = _entry_items(value, new, memo)
            if items is None or _entry_items(old_entries[key], old, memo) != items:
                return None  # the key now names other elements
        elif not _registers_added(items := _entry_items(value, new, memo), added):
            if looked_earlier:
                return None
            added = added | earlier()
            looked_earlier = True
            if not _registers_added(items, added):
                return None
        if not isinstance(value, generic.IndirectObject) or value.reference in added:
            continue
        # A value array: a new copy, or the same key's array rewritten with equal content.
        old_value = old_entries.get(key)
        same_object = isinstance(old_value, generic.IndirectObject) and old_value == value
        if value.reference in written and not old.is_ref_unassignable(value.reference) and \
                not same_object:
            return None
        updates.append(ReferenceUpdate(value.reference))
    for node in new_nodes:
        # The tree's own nodes: new ones, or nodes of the old tree; never another object.
        if not old.is_ref_unassignable(node) and node not in old_nodes:
            return None
        updates.append(ReferenceUpdate(node))
    return updates


def _number_tree(raw: Any, nodes: list[Any] | None = None) -> dict[int, Any] | None:
    """A number tree's entries (key -> unresolved value), or None if malformed."""
    entries: dict[int, Any] = {}
    stack: list[tuple[Any, int]] = [(raw, 0)]
    seen: set[Any] = set()
    while stack:
        node_raw, depth = stack.pop()
        if isinstance(node_raw, generic.IndirectObject):
            if node_raw.reference in seen or len(seen) > _MAX_TREE_NODES:
                return None
            seen.add(node_raw.reference)
            if nodes is not None:
                nodes.append(node_raw.reference)
        node = _dict(node_raw.get_object() if isinstance(node_raw, generic.IndirectObject)
                     else node_raw)
        if node is None or depth > _MAX_DEPTH:
            return None
        if "/Nums" in node:
            nums = node["/Nums"]
            if not isinstance(nums, generic.ArrayObject) or len(nums) % 2:
                return None
            for i in range(0, len(nums), 2):
                key = nums.raw_get(i)
                if not isinstance(key, int) or key in entries:
                    return None
                entries[int(key)] = nums.raw_get(i + 1)
        if "/Kids" in node:
            kids = node["/Kids"]
            if not isinstance(kids, generic.ArrayObject):
                return None
            stack.extend((kids.raw_get(i), depth + 1) for i in range(len(kids)))
    return entries


def _entry_items(value: Any, revision: Any, memo: dict[Any, list[Any] | None]
                 ) -> list[Any] | None:
    """The structure elements a /ParentTree value names, read in ``revision`` (an array
    rewritten in place is compared by content), or None if it is no such value.

    Every revision pair of a document compares the same arrays again (one per page, often
    hundreds of entries, each read through a revision's copying resolver), and iText
    writes them anew, unchanged, with every signature. What an array names depends on its
    bytes alone (its items are taken as references, never followed), so it is kept per
    reader (``memo``) by the place in the file those bytes are read from.
    """
    if isinstance(value, generic.IndirectObject):
        ref = value.reference
        key = (ref, _definition(revision, ref))
        if key[1] is not None and key in memo:
            return memo[key]
        try:
            resolved = read_uncopied(revision, ref, last_change_of(revision.reader, ref))
        except Exception:
            return None
        items = [ref] if not isinstance(resolved, generic.ArrayObject) \
            else _array_items(resolved)
        if key[1] is not None:
            memo[key] = items
        return items
    return _array_items(value) if isinstance(value, generic.ArrayObject) else None


def _array_items(value: Any) -> list[Any] | None:
    items = [value.raw_get(i) for i in range(len(value))]
    if not all(isinstance(i, (generic.IndirectObject, generic.NullObject)) for i in items):
        return None
    return [i.reference if isinstance(i, generic.IndirectObject) else None for i in items]


def _definition(revision: Any, ref: Any) -> Any:
    """Where ``revision`` reads ``ref`` from: its offset, or its place in an object stream
    with the stream's offset; None when unknown (nothing is then kept)."""
    try:
        xrefs = revision.reader.xrefs
        where = xrefs.get_historical_ref(ref, revision.revision)
        if where is None or isinstance(where, int):
            return where
        stream = xrefs.get_historical_ref(generic.Reference(where.obj_stream_id, 0),
                                          revision.revision)
        return (where, stream) if isinstance(stream, int) else None
    except Exception:  # a resolver without a history: read it every time
        return None


def _entries_memo(reader: Any) -> dict[Any, list[Any] | None]:
    """The reader's memo of :func:`_entry_items` (a fresh one for a reader that keeps
    none: vnsign's :class:`vnsign.pdf.reader.PdfReader` keeps it for the document)."""
    memos = getattr(reader, "analysis_memos", None)
    if memos is None:
        return {}
    memo: dict[Any, list[Any] | None] = memos.setdefault("parent_tree_entries", {})
    return memo


def _registers_added(items: list[Any] | None, added: set[Any]) -> bool:
    """A new /ParentTree value (its :func:`_entry_items`): only the new elements (and
    empty slots)."""
    if not items or all(item is None for item in items):
        return False
    return all(item is None or item in added for item in items)


def _is_element(obj: Any) -> bool:
    kind = _raw(obj, "/Type")
    return kind == "/StructElem" or (kind is None and "/S" in obj and "/P" in obj)


def _dict(obj: Any) -> Any | None:
    if isinstance(obj, generic.DictionaryObject) and not isinstance(obj, generic.StreamObject):
        return obj
    return None


def _raw(dictionary: Any, key: str) -> Any:
    try:
        return dictionary.raw_get(key)
    except KeyError:
        return None
