"""pyHanko's PDF reader, with each object stream's offset table read once.

pyHanko 0.38 finds an object inside an object stream (``/Type /ObjStm``) by parsing the
stream's offset table from the start every time it reads one object, and it never
caches objects of earlier revisions. Reading every object of a document therefore costs
time quadratic in the size of its object streams: a 30-page Word document rewritten by
iTextSharp into object streams of 500 objects each (Decree 50/2026, 9,700 objects) took
30 s to read once, which the difference analysis of its first signature has to do (it
follows every reference of the signed revision). Here the offset table of each object
stream is parsed once per reader and kept; the object itself is then read exactly as
pyHanko reads it (same checks, same strict/non-strict results), so nothing but the
time changes. Anything unusual (a damaged table, an index out of range, an object not
in the table) goes to pyHanko's own code unchanged.

Every reader also gets vnsign's C-speed hex-string reader (:mod:`vnsign.pdf.hexstring`:
pyHanko reads a signature's /Contents one byte at a time otherwise).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath

from vnsign.pdf import hexstring

log = logging.getLogger(__name__)

# (/N, object number -> (position in the table, offset after /First)); the first
# occurrence of a number wins, as in pyHanko's scan.
_Table = tuple[int, dict[int, tuple[int, int]]]
_MAX_CHAIN = 64  # an object whose value is a reference to a reference to ...


class PdfReader(PdfFileReader):
    """A :class:`pyhanko.pdf_utils.reader.PdfFileReader` that indexes object streams."""

    def __init__(self, stream: Any, strict: bool = True, **kwargs: Any) -> None:
        hexstring.install()
        self._objstm_tables: dict[int, _Table | None] = {}
        super().__init__(stream, strict=strict, **kwargs)

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
        table = self._objstm_table(stmnum)
        entry = table[1].get(idnum) if table is not None else None
        if table is None or entry is None or not 0 <= idx < table[0] or \
                (self.strict and entry[0] != idx):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        stream: Any = generic.Reference(stmnum, 0, self).get_object()
        stream_data = BytesIO(stream.read_data(DecodePurpose.OBJECT_STREAM))
        stream_data.seek(int(stream["/First"]) + entry[1])
        # From here on, pyHanko's own steps for the object it found in the table.
        try:
            obj = generic.read_object(stream_data, generic.Reference(idnum, 0, self))
        except (misc.PdfStreamError, misc.PdfReadError):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
            if self.strict:
                return super()._get_object_from_stream(idnum, stmnum, idx)
            return obj
        misc.read_non_whitespace(stream_data, seek_back=True, allow_eof=True)
        return obj

    def get_historical_resolver(self, revision: int) -> Any:
        cache = self._historical_resolver_cache
        if revision not in cache:
            cache[revision] = _Revision(self, revision)
        return cache[revision]

    def _objstm_table(self, stmnum: int) -> _Table | None:
        if stmnum in self._objstm_tables:
            return self._objstm_tables[stmnum]
        table: _Table | None
        try:
            table = _read_table(generic.Reference(stmnum, 0, self).get_object())
        except Exception as exc:  # pyHanko's own path reports it as pyHanko does
            log.debug("object stream %d: offset table unreadable: %s", stmnum, exc)
            table = None
        self._objstm_tables[stmnum] = table
        return table


def _read_table(stream: Any) -> _Table | None:
    if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
        return None
    count = int(stream["/N"])
    data = BytesIO(stream.read_data(DecodePurpose.OBJECT_STREAM))
    entries: dict[int, tuple[int, int]] = {}
    for position in range(count):
        misc.read_non_whitespace(data, seek_back=True)
        objnum = int(generic.NumberObject.read_from_stream(data))
        misc.read_non_whitespace(data, seek_back=True)
        offset = int(generic.NumberObject.read_from_stream(data))
        entries.setdefault(objnum, (position, offset))
    return count, entries


class _Revision(HistoricalResolver):
    """pyHanko's view of one revision, with a cheaper map of where each object is used,
    and references to objects that no revision defines taken as null."""

    def _load_reverse_xref_cache(self) -> None:
        if self._indirect_object_access_cache is None:
            self._indirect_object_access_cache = usage_paths(self)

    def _collect_indirect_references(self, obj: Any, seen: Any,
                                     since_revision: Any = None) -> None:
        # A reference to an object number no cross-reference section defines is the
        # null object (ISO 32000-1, 7.3.10): it depends on nothing. pyHanko's walk asks
        # for the revision that introduced it and stops with a KeyError instead, so a
        # writer's dangling trailer entry (/AdditionalStreams pointing one past the
        # last object) made every earlier signature of the file unanalysable.
        if isinstance(obj, generic.IndirectObject) and since_revision is not None:
            try:
                self.reader.xrefs.get_introducing_revision(obj.reference)
            except KeyError:
                return
        super()._collect_indirect_references(obj, seen, since_revision)


def usage_paths(revision: Any) -> dict[Any, set[RawPdfPath]]:
    """Every path from the trailer to each indirect object of ``revision``.

    The same map as pyHanko's ``HistoricalResolver._load_reverse_xref_cache`` (which the
    difference analysis builds once per signed revision, to know through which paths an
    object rewritten later was reachable), computed by the same walk with the same
    rules: ``/Parent`` is never followed, ``/P`` is not followed inside the structure
    tree, a page-tree node is entered only through its place in the page tree, and a
    structure element only from within the structure tree. Two things differ, neither
    in the result: objects are read without pyHanko's per-revision deep copy (each
    reference is resolved in this revision by number), and paths are tuples. On a tagged
    30-page Word document this walk costs a third of pyHanko's, and it runs once per
    signature. ``tests/validation/test_reader.py`` checks that both give the same map.
    """
    reader = revision.reader
    number = revision.revision
    xrefs = reader.xrefs
    resolved: dict[tuple[int, int], Any] = {}

    def resolve(ref: Any) -> Any:
        """What ``revision(ref)`` returns, without the copy."""
        key = (ref.idnum, ref.generation)
        try:
            return resolved[key]
        except KeyError:
            pass
        cached = revision.cache.get(ref)
        if cached is not None:
            obj = cached.decrypted if isinstance(cached, generic.DecryptedObjectProxy) \
                else cached
        else:
            try:
                last_change = xrefs.get_last_change(ref)
            except KeyError:
                last_change = None
            if last_change is not None and last_change <= number:
                obj = reader.get_object(ref)
            else:
                obj = reader.get_object(ref, number)
        resolved[key] = obj
        return obj

    def deref(value: Any) -> Any:
        """``value.get_object()`` in this revision (chains of references included)."""
        for _ in range(_MAX_CHAIN):
            if not isinstance(value, generic.IndirectObject):
                return value
            value = resolve(value.reference)
        raise misc.PdfReadError("reference chain too long (a cycle?)")

    def item(container: Any, key: str) -> Any:
        """``container[key]`` in this revision: KeyError when absent or null."""
        if not isinstance(container, generic.DictionaryObject):
            raise TypeError(f"{type(container).__name__!r} object is not subscriptable")
        value = deref(container.raw_get(key))
        if isinstance(value, generic.NullObject):
            raise KeyError(key)
        return value

    collected: dict[Any, set[tuple[str | int, ...]]] = defaultdict(set)

    def walk(obj: Any, path: tuple[str | int, ...], on_path: frozenset[Any],
             page_tree: dict[Any, tuple[str | int, ...]], in_struct_tree: bool,
             struct_tree: set[Any]) -> None:
        if isinstance(obj, generic.IndirectObject):
            ref = obj.reference
            if ref in on_path:
                return
            collected[ref].add(path)
            on_path = on_path | {ref}
            obj = resolve(ref)
            if page_tree.get(ref, path) != path:
                return
            if not in_struct_tree and ref in struct_tree:
                return
        if isinstance(obj, generic.DictionaryObject):
            for key, value in obj.items():
                if key == "/Parent" or (in_struct_tree and key == "/P"):
                    continue
                walk(value, (*path, key), on_path, page_tree,
                     in_struct_tree or (path == ("/Root", "/StructTreeRoot") and key == "/K"),
                     struct_tree)
        elif isinstance(obj, generic.ArrayObject):
            for index, value in enumerate(obj):
                walk(value, (*path, index), on_path, page_tree, in_struct_tree, struct_tree)

    def page_tree_refs(pages: Any, path: tuple[str | int, ...]
                       ) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
        for index, kid in enumerate(item(pages, "/Kids")):
            kid_path = (*path, "/Kids", index)
            if isinstance(kid, generic.IndirectObject):
                yield kid.reference, kid_path
            kid = deref(kid)
            if kid.get("/Type", None) == "/Pages":
                yield from page_tree_refs(kid, kid_path)

    def struct_tree_refs(element: Any) -> Iterator[Any]:
        try:
            children = item(element, "/K")
        except KeyError:
            return
        if not isinstance(children, generic.ArrayObject):
            children = (children,)
        for child in children:
            child_ref = None
            if isinstance(child, generic.IndirectObject):
                child_ref = child.reference
                child = deref(child)
            if not isinstance(child, generic.DictionaryObject):
                continue
            try:
                if item(child, "/Type") != "/StructElem":
                    continue
            except KeyError:
                pass
            if child_ref is not None:
                yield child_ref
            yield from struct_tree_refs(child)

    root = revision.root
    pages_raw = root.raw_get("/Pages")
    pages_path: tuple[str | int, ...] = ("/Root", "/Pages")
    page_tree: dict[Any, tuple[str | int, ...]] = {}
    if isinstance(pages_raw, generic.IndirectObject):
        page_tree[pages_raw.reference] = pages_path
    for ref, path in page_tree_refs(deref(pages_raw), pages_path):
        if ref in page_tree:
            raise misc.PdfReadError("Circular reference in page tree in mapping stage")
        page_tree[ref] = path
    struct_tree: set[Any] = set()
    try:
        for ref in struct_tree_refs(deref(root.raw_get("/StructTreeRoot"))):
            if ref in struct_tree:
                raise misc.PdfReadError(
                    "Circular reference in structure tree in mapping stage")
            struct_tree.add(ref)
    except KeyError:
        pass
    walk(revision.trailer_view, (), frozenset(), page_tree, False, struct_tree)
    return {ref: {RawPdfPath(*path) for path in paths} for ref, paths in collected.items()}
