"""Which pages provably look the same in a signed revision and in the file as it is now.

The visual check renders each page of a signed revision and of the current file and
compares the pictures. A page whose every input to the renderer is byte-for-byte the
one that was signed cannot look different, so rendering it twice proves nothing; this
module finds those pages from the cross-reference sections, and says nothing about a
page unless it can prove it. A page is unchanged since revision ``r`` when:

* the file is not encrypted, every later update left the object streams of earlier
  revisions alone (an object stored in one is read through it), and no object that
  the page is drawn from lies beyond the start of revision ``r``'s cross-reference
  section (the signed bytes hold it);
* the page trees of both revisions hold the same page objects in the same order, with
  honest ``/Count`` values (the renderer uses them to find page ``i``);
* no object reachable from the page — content, resources, annotations and their
  appearances, the fields behind the widgets, the ``/Parent`` nodes the page inherits
  from — was written or freed after ``r``, under any generation number (a renderer
  may resolve ``5 0 R`` to object 5 of another generation);
* the form around the widgets is the same: the ``/AcroForm`` entries a renderer uses
  (``/DR``, ``/DA``, ``/NeedAppearances``, ...), and the field tree above each widget
  on the page;
* the catalogue entries a renderer may use (``/OCProperties``, anything not known to
  be irrelevant) are the same objects.

Whether the renderer itself read the file through its cross-reference table (and not
by repairing it) is the visual check's to confirm; with a repaired file nothing is
skipped.

A weaker proof serves the search for text hidden under a stamp: a page's *text layer*
(the characters pdfium finds and their boxes) is drawn from everything above but the
page's annotations and the form, so a page that received a stamp after signing keeps
it (``UnchangedPages.text_pages``), and its characters are read once per document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic

from vnsign.errors import VnsignError
from vnsign.pdf.objects import get as _get
from vnsign.pdf.objects import indirect_refs, raw

_MAX_OBJECTS = 20_000  # objects one page is drawn from; beyond that nothing is proven
_MAX_NODES = 100_000  # page tree and field tree nodes

# Catalogue entries that no renderer draws from; every other entry must be unchanged.
# /AcroForm (compared entry by entry below) and /Pages (the page trees) are handled apart.
_CATALOG_IRRELEVANT = frozenset({
    "/Type", "/Version", "/Extensions", "/PageLabels", "/Names", "/Dests",
    "/ViewerPreferences", "/PageLayout", "/PageMode", "/Outlines", "/Threads",
    "/OpenAction", "/AA", "/URI", "/Metadata", "/StructTreeRoot", "/MarkInfo",
    "/Lang", "/SpiderInfo", "/OutputIntents", "/PieceInfo", "/Perms", "/Legal",
    "/Requirements", "/Collection", "/NeedsRendering", "/DSS", "/AF",
    "/AcroForm", "/Pages",
})
# /AcroForm entries that change with every new signature and are not drawn from.
_FORM_IRRELEVANT = frozenset({"/Fields", "/SigFlags"})
# The page entry that pdfium's text layer does not read: annotations are drawn, not text.
_TEXT_IRRELEVANT = frozenset({"/Annots"})

Resolve = Callable[[Any], Any]
# what every proof of one revision rests on (UnchangedPages._common)
_Common = tuple[set[int], int, Any, list[int], list[int]]


@dataclass(frozen=True)
class AnnotationChanges:
    """The annotations of one page that are not as signed (references, as the page's
    ``/Annots`` holds them): listed now (added or changed), and listed in the signed
    revision (removed or changed; the same reference as ``added`` when changed)."""

    added: tuple[Any, ...]
    removed: tuple[Any, ...]


class _Unprovable(VnsignError):
    """Something about the file keeps every page from being proven unchanged (internal:
    never leaves this module)."""


class UnchangedPages:
    """One per document: the proofs share the object walks of the current file."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self._revisions = int(reader.xrefs.total_revisions)
        self._closures: dict[int, tuple[frozenset[int], int] | None] = {}
        self._text_closures: dict[int, tuple[frozenset[int], int] | None] = {}
        self._changed: dict[int, set[int]] = {}  # revision -> _changed_after(revision)
        self._current_tree: tuple[list[int], set[int]] | None = None
        self._current_chains: dict[int, frozenset[int]] | None = None
        self._annotation_closures: dict[int, tuple[frozenset[int], int] | None] = {}
        self._barrier: frozenset[int] | None = None
        self._signed_chains: dict[int, dict[int, frozenset[int]]] = {}
        self._commons: dict[tuple[int, int, int, bool], _Common | None] = {}

    def pages(self, revision: int, page_count_then: int, page_count_now: int
              ) -> frozenset[int]:
        """0-based indexes of the pages that look the same in ``revision`` and now.

        The page counts are the renderer's: when they disagree with the page trees
        read here, the renderer sees other pages and nothing is skipped.
        """
        try:
            return self._pages(revision, page_count_then, page_count_now)
        except Exception:  # _Unprovable, or a hostile structure: it proves nothing
            return frozenset()

    def _pages(self, revision: int, count_then: int, count_now: int) -> frozenset[int]:
        common = self._common(revision, count_then, count_now, with_form=True)
        if common is None:
            return frozenset()
        changed, limit, old, leaves_now, leaves_then = common
        chains_then = self._chains_then(revision, old)
        return frozenset(
            index for index in range(min(len(leaves_now), len(leaves_then)))
            if leaves_now[index] == leaves_then[index] and self._drawn_as_signed(
                self._page_closure(leaves_now[index]), changed, limit, chains_then))

    def _drawn_as_signed(self, closure: tuple[frozenset[int], int] | None,
                         changed: set[int], limit: int,
                         chains_then: dict[int, frozenset[int]]) -> bool:
        """Whether the objects of ``closure`` (a page's, an annotation's) are all as
        signed: none written since, none stored past the signed revision, and each in
        the same place of the field tree then and now."""
        if closure is None:
            return False
        objects, last_offset = closure
        if objects & changed or last_offset >= limit:
            return False
        chains_now = self._chains_now()
        return not any(
            chains_now.get(ref, frozenset()) != chains_then.get(ref, frozenset()) or
            chains_now.get(ref, frozenset()) & changed for ref in objects)

    def text_pages(self, revision: int, page_count_then: int, page_count_now: int
                   ) -> frozenset[int]:
        """0-based indexes of the pages whose *text layer* is the same in ``revision``
        and now: the characters pdfium finds on the page and their boxes.

        pdfium's text page is made from the page's content, its resources and its own
        entries (the boxes and the rotation order the characters), never from its
        annotations or the form: a page that received a stamp after signing keeps its
        text layer when everything it is drawn from but ``/Annots`` is as signed. The
        same conditions as :meth:`pages` otherwise, and the page dictionary itself may
        have been written again only with every entry but ``/Annots`` the same.
        """
        try:
            return self._text_pages(revision, page_count_then, page_count_now)
        except Exception:  # _Unprovable, or a hostile structure: it proves nothing
            return frozenset()

    def _text_pages(self, revision: int, count_then: int, count_now: int
                    ) -> frozenset[int]:
        common = self._common(revision, count_then, count_now, with_form=False)
        if common is None:
            return frozenset()
        changed, limit, old, leaves_now, leaves_then = common
        return frozenset(
            index for index in range(min(len(leaves_now), len(leaves_then)))
            if leaves_now[index] == leaves_then[index] and
            self._same_text_layer(leaves_now[index], changed, limit, old))

    def _same_text_layer(self, page: int, changed: set[int], limit: int, old: Resolve
                         ) -> bool:
        """Whether page object ``page`` draws its text layer from what was signed."""
        closure = self._text_closure(page)
        if closure is None:
            return False
        objects, last_offset = closure  # without the page dictionary
        if objects & changed or last_offset >= limit:
            return False
        if page in changed:  # written again: as signed but for its annotations?
            ref = generic.IndirectObject(page, self._generation(page), self.reader)
            try:
                _same_entries(ref.get_object(), old(ref.reference), _TEXT_IRRELEVANT)
            except _Unprovable:
                return False
            return True
        return self._offset(page) < limit

    def annotation_changes(self, revision: int, page_count_then: int, page_count_now: int
                           ) -> dict[int, AnnotationChanges]:
        """Pages that look the same in ``revision`` and now *but inside the rectangles of
        some annotations*, by 0-based index: which annotations those are.

        A page qualifies when everything :meth:`pages` asks of it holds, except that
        annotations were added to ``/Annots``, removed from it, or changed (the
        annotation or anything it is drawn from, its field included). An annotation's
        appearance is drawn inside its ``/Rect`` (the renderer maps the appearance's
        box onto the rectangle and clips to it), and each annotation is drawn on its
        own over the page, in the order of ``/Annots``: so when the annotations that
        are the same keep their order, the picture can differ only inside the
        rectangles, then and now, of those that are not. Pages :meth:`pages` proves
        unchanged are not listed; neither is any page this cannot be proven of.
        """
        try:
            return self._annotation_changes(revision, page_count_then, page_count_now)
        except Exception:  # _Unprovable, or a hostile structure: it proves nothing
            return {}

    def _annotation_changes(self, revision: int, count_then: int, count_now: int
                            ) -> dict[int, AnnotationChanges]:
        common = self._common(revision, count_then, count_now, with_form=True)
        if common is None:
            return {}
        changed, limit, old, leaves_now, leaves_then = common
        chains_then = self._chains_then(revision, old)
        result: dict[int, AnnotationChanges] = {}
        for index in range(min(len(leaves_now), len(leaves_then))):
            page = leaves_now[index]
            if page != leaves_then[index] or \
                    not self._same_text_layer(page, changed, limit, old):
                continue
            ref = generic.IndirectObject(page, self._generation(page), self.reader)
            now = _annotation_refs(ref.get_object())
            then = _annotation_refs(old(ref.reference))
            if now is None or then is None:
                continue
            signed = {_key(a) for a in then}
            same = {_key(a) for a in now if _key(a) in signed and self._drawn_as_signed(
                self._annotation_closure(a), changed, limit, chains_then)}
            if [_key(a) for a in now if _key(a) in same] != \
                    [_key(a) for a in then if _key(a) in same]:
                continue  # the same annotations, drawn in another order
            added = tuple(a for a in now if _key(a) not in same)
            removed = tuple(a for a in then if _key(a) not in same)
            if added or removed:
                result[index] = AnnotationChanges(added, removed)
        return result

    def _annotation_closure(self, annot: Any) -> tuple[frozenset[int], int] | None:
        """Every object number the annotation may be drawn from and the last offset
        among them. The page tree is not walked into: a reference to a page (the
        annotation's ``/P``, a link's destination) draws nothing, and following it
        would reach every page of the document. None when the walk is too large."""
        key = annot.idnum
        if key not in self._annotation_closures:
            barrier = self._page_tree_barrier() - {annot.idnum}
            walked = self._closure([annot], frozenset(), set(barrier))
            self._annotation_closures[key] = None if walked is None else \
                (walked[0] - barrier, walked[1])
        return self._annotation_closures[key]

    def _page_tree_barrier(self) -> frozenset[int]:
        """The nodes of the current page tree an annotation's walk stops at: its
        dictionaries (a stream in the tree is no page a renderer would read, and may be
        drawn from: it is walked)."""
        if self._barrier is None:
            _, nodes = self._tree_now()
            self._barrier = frozenset(
                n for n in nodes if not isinstance(
                    _object(self.reader, n, self._generation(n)), generic.StreamObject))
        return self._barrier

    def _common(self, revision: int, count_then: int, count_now: int, with_form: bool
                ) -> _Common | None:
        """What every page's proof rests on, or None when nothing can be proven:
        (object numbers changed after ``revision``, where its cross-reference section
        starts, its resolver, the leaf pages now and then). ``with_form``: the
        /AcroForm entries a renderer draws widgets with must be the same too. Found
        once per question (:meth:`pages` and :meth:`annotation_changes` ask the same)."""
        key = (revision, count_then, count_now, with_form)
        if key not in self._commons:
            self._commons[key] = self._find_common(*key)
        return self._commons[key]

    def _find_common(self, revision: int, count_then: int, count_now: int, with_form: bool
                     ) -> _Common | None:
        if not 0 <= revision < self._revisions - 1 or self.reader.encrypted:
            return None
        changed = self._changed.get(revision)
        if changed is None:  # asked by pages() and text_pages() for each signature
            changed = self._changed[revision] = self._changed_after(revision)
        if changed & self._object_streams_until(revision):
            return None
        old = self.reader.get_historical_resolver(revision)
        old_root = old.root
        root = self.reader.root
        catalog_refs = _same_entries(root, old_root, _CATALOG_IRRELEVANT)
        if with_form:
            form_now, form_then = _get(root, "/AcroForm"), _get(old_root, "/AcroForm")
            if (form_now is None) != (form_then is None):
                return None
            if form_now is not None:
                catalog_refs |= _same_entries(form_now, form_then, _FORM_IRRELEVANT)
        shared = self._closure(catalog_refs, frozenset())
        limit = self.reader.xrefs.get_xref_container_info(revision).start_location
        if shared is None or shared[0] & changed or shared[1] >= limit:
            return None
        leaves_now, _ = self._tree_now()
        leaves_then, _ = _page_tree(old_root)
        if len(leaves_now) != count_now or len(leaves_then) != count_then:
            return None
        return changed, limit, old, leaves_now, leaves_then

    # -- what later updates touched ------------------------------------------------------

    def _changed_after(self, revision: int) -> set[int]:
        """Object numbers written, freed or used as cross-reference streams after it."""
        changed: set[int] = set()
        for later in range(revision + 1, self._revisions):
            data = self.reader.xrefs.get_xref_data(later)
            changed.update(_numbers_in(data))
            stream = self.reader.xrefs.get_xref_container_info(later).stream_ref
            if stream is not None:
                changed.add(stream.idnum)
        return changed

    def _object_streams_until(self, revision: int) -> set[int]:
        used: set[int] = set()
        for earlier in range(revision + 1):
            data = self.reader.xrefs.get_xref_data(earlier)
            used.update(data.obj_streams_used)
            if data.hybrid is not None:
                used.update(data.hybrid.xref_data.obj_streams_used)
        return used

    def _offset(self, idnum: int) -> int:
        """Where the object's current definition starts (its object stream's, if any);
        -1 for an object no section defines (a dangling reference)."""
        for revision in range(self._revisions - 1, -1, -1):
            for data in _with_hybrid(self.reader.xrefs.get_xref_data(revision)):
                if idnum in data.xrefs_in_objstm:
                    container = data.xrefs_in_objstm[idnum].obj_stream_id
                    if container == idnum:
                        raise _Unprovable("object stream inside itself")
                    return self._offset(container)
                if idnum in data.standard_xrefs:
                    return int(data.standard_xrefs[idnum][1])
                if idnum in data.freed:
                    return -1
        return -1

    # -- the objects a page is drawn from ------------------------------------------------

    def _page_closure(self, page: int) -> tuple[frozenset[int], int] | None:
        if page not in self._closures:
            ref = generic.IndirectObject(page, self._generation(page), self.reader)
            self._closures[page] = self._closure({ref}, frozenset({page}))
        return self._closures[page]

    def _text_closure(self, page: int) -> tuple[frozenset[int], int] | None:
        """Every object number the page's text layer may be drawn from — what its
        entries but ``/Annots`` reach, and the ``/Parent`` nodes it inherits from —
        and the last offset among them; the page dictionary itself is left out (the
        caller compares it). None when the walk is too large to prove anything."""
        if page not in self._text_closures:
            ref = generic.IndirectObject(page, self._generation(page), self.reader)
            obj = ref.get_object()
            result = None
            if isinstance(obj, generic.DictionaryObject):
                seen = {page}
                stack = _refs_in(obj, skip=("/Parent", "/Annots"))
                inherited = self._inherit(obj, seen, stack)
                walked = self._closure(stack, frozenset(), seen)
                if walked is not None:
                    result = walked[0] - {page}, max(walked[1], inherited)
            self._text_closures[page] = result
        return self._text_closures[page]

    def _generation(self, idnum: int) -> int:
        for revision in range(self._revisions - 1, -1, -1):
            entry = self.reader.xrefs.get_xref_data(revision).standard_xrefs.get(idnum)
            if entry is not None:
                return int(entry[0])
        return 0

    def _closure(self, start: Iterable[Any], pages: frozenset[int],
                 seen: set[int] | None = None) -> tuple[frozenset[int], int] | None:
        """Every object number reachable from ``start`` and the last offset among them.

        A page's own ``/Parent`` is followed for what the page inherits only (not the
        ``/Kids`` of its ancestors: the other pages do not draw on it); everything else
        is followed wherever it leads. ``seen``: objects already accounted for (not
        walked again, but part of the result). None when the walk is too large to
        prove anything.
        """
        seen = set() if seen is None else seen
        last = -1
        stack: list[Any] = list(start)
        while stack:
            ref = stack.pop()
            idnum = ref.idnum
            if idnum in seen:
                continue
            seen.add(idnum)
            if len(seen) > _MAX_OBJECTS:
                return None
            last = max(last, self._offset(idnum))
            obj = ref.get_object()
            if idnum in pages and isinstance(obj, generic.DictionaryObject):
                stack.extend(_refs_in(obj, skip=("/Parent", )))
                last = max(last, self._inherit(obj, seen, stack))
            else:
                stack.extend(_refs_in(obj))
        return frozenset(seen), last

    def _inherit(self, page: Any, seen: set[int], stack: list[Any]) -> int:
        """Walk up the page's ``/Parent`` nodes for what it inherits (not their
        ``/Kids``: the other pages do not draw on them); the last offset among them."""
        last = -1
        node = raw(page, "/Parent")
        for _ in range(64):
            if not isinstance(node, generic.IndirectObject) or node.idnum in seen:
                return last
            seen.add(node.idnum)
            last = max(last, self._offset(node.idnum))
            parent = node.get_object()
            if not isinstance(parent, generic.DictionaryObject):
                return last
            stack.extend(_refs_in(parent, skip=("/Parent", "/Kids")))
            node = raw(parent, "/Parent")
        raise _Unprovable("page tree too deep")

    def _tree_now(self) -> tuple[list[int], set[int]]:
        if self._current_tree is None:
            self._current_tree = _page_tree(self.reader.root)
        return self._current_tree

    def _chains_then(self, revision: int, old: Any) -> dict[int, frozenset[int]]:
        """The field tree's chains in ``revision`` (asked by :meth:`pages` and
        :meth:`annotation_changes` for each signature)."""
        if revision not in self._signed_chains:
            self._signed_chains[revision] = _field_chains(
                _get(_get(old.root, "/AcroForm"), "/Fields"))
        return self._signed_chains[revision]

    def _chains_now(self) -> dict[int, frozenset[int]]:
        if self._current_chains is None:
            self._current_chains = _field_chains(
                _get(_get(self.reader.root, "/AcroForm"), "/Fields"))
        return self._current_chains


def _with_hybrid(data: Any) -> list[Any]:
    return [data] if data.hybrid is None else [data, data.hybrid.xref_data]


def _numbers_in(data: Any) -> set[int]:
    numbers: set[int] = set()
    for part in _with_hybrid(data):
        numbers.update(part.standard_xrefs)
        numbers.update(part.xrefs_in_objstm)
        numbers.update(part.freed)
    return numbers


#: What may hold a reference: the values :func:`_refs_in` looks into.
_HOLDERS = (generic.IndirectObject, generic.DictionaryObject, generic.ArrayObject,
            generic.DecryptedObjectProxy)


def _refs_in(obj: Any, skip: tuple[str, ...] = ()) -> list[Any]:
    """The indirect references held by ``obj`` and its direct parts (stream dict too).

    An array's numbers and strings (a font's /Widths: hundreds) are passed over where
    they stand instead of each going through the stack; the references are found in
    the same order.
    """
    found: list[Any] = []
    stack: list[Any] = [obj]
    first = True
    holders, proxy = _HOLDERS, generic.DecryptedObjectProxy
    while stack:
        value = stack.pop()
        if isinstance(value, generic.IndirectObject):
            found.append(value)
        elif isinstance(value, generic.DictionaryObject):
            for key in list(value.keys()):
                if first and key in skip:
                    continue
                stack.append(value.raw_get(key))
        elif isinstance(value, generic.ArrayObject):
            # What raw_get gives: the decrypted value for a proxy (pyHanko's transparent
            # access), the item itself otherwise.
            stack.extend(item.decrypted if isinstance(item, proxy) else item
                         for item in list.__iter__(value) if isinstance(item, holders))
        first = False
    return found


def _same_entries(now: Any, then: Any, irrelevant: frozenset[str]) -> set[Any]:
    """The references behind the entries of two dictionaries that must be the same;
    raises when an entry differs beyond that."""
    if not isinstance(now, generic.DictionaryObject) or \
            not isinstance(then, generic.DictionaryObject):
        raise _Unprovable("not a dictionary")
    keys = (set(now.keys()) | set(then.keys())) - irrelevant
    refs: set[Any] = set()
    for key in keys:
        if key not in now or key not in then or \
                not _same_value(now.raw_get(key), then.raw_get(key), refs):
            raise _Unprovable(f"{key} differs")
    return refs


def _same_value(a: Any, b: Any, refs: set[Any]) -> bool:
    """Structural equality of two direct values; references must be the same object
    (their contents are checked by the caller) and are collected in ``refs``."""
    if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
        if not (isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject)):
            return False
        if (a.idnum, a.generation) != (b.idnum, b.generation):
            return False
        refs.add(a)
        return True
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        return False
    if isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject):
        return set(a.keys()) == set(b.keys()) and \
            all(_same_value(a.raw_get(k), b.raw_get(k), refs) for k in a.keys())
    if isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject):
        return len(a) == len(b) and \
            all(_same_value(a.raw_get(i), b.raw_get(i), refs) for i in range(len(a)))
    return type(a) is type(b) and bool(a == b)


def _page_tree(root: Any) -> tuple[list[int], set[int]]:
    """(leaf page object numbers in order, every node's), from a catalogue; raises
    unless every node is indirect, typed, acyclic and counts its leaves honestly."""
    top = raw(root, "/Pages")
    if not isinstance(top, generic.IndirectObject):
        raise _Unprovable("no indirect page tree")
    leaves: list[int] = []
    nodes: set[int] = set()

    def walk(ref: Any, depth: int) -> int:
        if ref.idnum in nodes or len(nodes) > _MAX_NODES or depth > 64:
            raise _Unprovable("page tree cycle or too large")
        nodes.add(ref.idnum)
        node = ref.get_object()
        if not isinstance(node, generic.DictionaryObject):
            raise _Unprovable("page tree node is not a dictionary")
        kind = _get(node, "/Type")
        if "/Kids" not in node:
            if kind != "/Page":
                raise _Unprovable("untyped page")
            leaves.append(ref.idnum)
            return 1
        kids = indirect_refs(_get(node, "/Kids"))
        if kind != "/Pages" or kids is None:
            raise _Unprovable("untyped page tree node")
        below = sum(walk(kid, depth + 1) for kid in kids)
        count = _get(node, "/Count")
        if not isinstance(count, int) or isinstance(count, bool) or count != below:
            raise _Unprovable("page tree /Count does not count the pages")
        return below

    walk(top, 0)
    return leaves, nodes


def _field_chains(fields: Any) -> dict[int, frozenset[int]]:
    """For every node of the field tree: the nodes above it through ``/Kids``, itself
    included (a renderer draws a widget as the field its form says it belongs to)."""
    chains: dict[int, frozenset[int]] = {}
    if fields is None:
        return chains
    top = indirect_refs(fields)
    if top is None:
        raise _Unprovable("direct or malformed /Fields")
    stack: list[tuple[Any, frozenset[int]]] = [(ref, frozenset()) for ref in top]
    visited = 0
    while stack:
        ref, above = stack.pop()
        visited += 1
        if visited > _MAX_NODES or ref.idnum in above:
            raise _Unprovable("field tree cycle or too large")
        chain = above | {ref.idnum}
        chains[ref.idnum] = chains.get(ref.idnum, frozenset()) | chain
        node = ref.get_object()
        kids = _get(node, "/Kids") if isinstance(node, generic.DictionaryObject) else None
        if kids is None:
            continue
        refs = indirect_refs(kids)
        if refs is None:
            raise _Unprovable("malformed /Kids")
        stack.extend((kid, chain) for kid in refs)
    return chains


def _key(ref: Any) -> tuple[int, int]:
    return int(ref.idnum), int(ref.generation)


def _annotation_refs(page: Any) -> list[Any] | None:
    """The references in a page's ``/Annots`` ([] without one), or None when an entry
    is not a reference (a direct annotation dictionary is not told apart here)."""
    if not isinstance(page, generic.DictionaryObject):
        return None
    if "/Annots" not in page:
        return []
    annots = _get(page, "/Annots")
    if not isinstance(annots, generic.ArrayObject):
        return None
    return indirect_refs(annots)


def _object(reader: Any, idnum: int, generation: int) -> Any:
    try:
        return generic.IndirectObject(idnum, generation, reader).get_object()
    except Exception:
        return None
