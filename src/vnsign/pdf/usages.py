"""Where each object of one revision is used: the paths from the trailer to it.

pyHanko's difference analysis needs, for the signed revision, every path through which
an object later rewritten was reachable (``HistoricalResolver._load_reverse_xref_cache``),
so that a rule clears the rewrite together with the place it was used. pyHanko builds
that map for *every* object, by enumerating every path from the trailer, once per
signed revision. On Decree 50/2026 (a tagged 30-page Word document, 9,700 objects, six
signatures) that is 29,000 paths per revision and three quarters of the difference
analysis, although the analysis then asks about the seven objects the later revisions
rewrote.

:class:`UsageIndex` gives the same paths for the objects asked about, and walks only
where they can be. It first reads the revision's reference graph (each object's
references, read once per reader while the object stays the same) and marks every
object from which an object asked about, or one that cannot be read, can be reached;
the walk — pyHanko's, with pyHanko's rules — then skips every other object. The graph
follows every reference except ``/Parent`` (which the walk never follows either), so it
reaches at least what the walk reaches and the pruning never drops a path: the paths
to the objects asked about are exactly pyHanko's, and an unreadable object the walk
would meet is met, in the same order, with the same error.
``tests/validation/test_reader.py`` checks the full map against pyHanko's on every
fixture and ``tests/validation/test_usage_index.py`` the partial maps against the full.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import RawPdfPath

_MAX_CHAIN = 64  # an object whose value is a reference to a reference to ...

Key = tuple[int, int]  # (object number, generation)
Path = tuple[str | int, ...]


@dataclass
class ReaderCache:
    """What stays true of a reader's objects from one revision's index to the next."""

    # object -> (the object as read, whether /P was skipped, the references it holds):
    # valid while the revision resolves the object to that same object.
    edges: dict[Key, tuple[Any, bool, tuple[Any, ...]]] = field(default_factory=dict)
    # object -> the last revision that wrote it (None: none did).
    last_change: dict[Key, int | None] = field(default_factory=dict)


#: Image data larger than this is not kept in memory once read (:func:`kept_apart`).
LARGE_IMAGE = 64 * 1024


def kept_apart(obj: Any) -> bool:
    """Is ``obj`` an image XObject too big to keep once read?

    pyHanko reads a stream with its data, and the usage map reads every object of a
    revision to learn its references: every page picture of a scan was held (the size of
    the file again) until the report was done. Such an image is never cached — not by the
    reader (:class:`vnsign.pdf.reader.PdfReader`), not here — and is read again from the
    same bytes, equal, whenever something asks for it: its references are those of its
    dictionary, and reading it costs a copy of its data.
    """
    if type(obj) is not generic.StreamObject:  # nor a decrypted-object proxy
        return False
    try:
        return obj.get("/Subtype") == "/Image" and len(obj.encoded_data) > LARGE_IMAGE
    except Exception:  # an unreadable stream keeps pyHanko's usual treatment
        return False


def usage_paths(revision: Any) -> dict[Any, set[RawPdfPath]]:
    """Every path from the trailer to each indirect object of ``revision``.

    The same map as pyHanko's ``HistoricalResolver._load_reverse_xref_cache``, computed
    by the same walk with the same rules: ``/Parent`` is never followed, ``/P`` is not
    followed inside the structure tree, a page-tree node is entered only through its
    place in the page tree, and a structure element only from within the structure
    tree. Two things differ, neither in the result: objects are read without pyHanko's
    per-revision deep copy (each reference is resolved in this revision by number), and
    paths are tuples.
    """
    return UsageIndex(revision).all_paths()


def last_change_of(reader: Any, ref: Any) -> int | None:
    """The last revision that wrote ``ref`` (None: none did)."""
    try:
        last: int = reader.xrefs.get_last_change(ref)
    except KeyError:
        return None
    return last


def read_uncopied(revision: Any, ref: Any, last_change: int | None) -> Any:
    """What ``revision(ref)`` returns, without pyHanko's copy of it into the revision.

    pyHanko's resolver copies every object it reads, rebinding each reference inside to
    the revision (a large array: hundreds of new objects). A reader that looks at the
    object's own values and never follows a reference from it needs no copy.
    ``last_change``: the last revision that wrote ``ref``, as :func:`last_change_of`
    answers.
    """
    cached = revision.cache.get(ref)
    if cached is not None:
        return cached.decrypted if isinstance(cached, generic.DecryptedObjectProxy) \
            else cached
    if last_change is not None and last_change <= revision.revision:
        return revision.reader.get_object(ref)
    return revision.reader.get_object(ref, revision.revision)


class UsageIndex:
    """The paths to objects of one revision, computed for the objects asked about.

    Construction reads the page tree and the structure tree (raising what pyHanko's
    walk raises on a broken one); :meth:`cover` adds the paths to more objects;
    :attr:`paths` holds them, keyed by reference, as pyHanko's cache does.
    """

    def __init__(self, revision: Any, cache: ReaderCache | None = None) -> None:
        self.revision = revision
        self.paths: dict[Any, set[RawPdfPath]] = {}
        self.covered: set[Key] = set()
        self._resolved: dict[Key, Any] = {}
        self._cache = cache if cache is not None else ReaderCache()
        self._reverse: dict[Key, list[Key]] | None = None
        self._unreadable: set[Key] = set()
        self._walked = False
        self.complete = False  # every object covered
        self.page_tree, self.struct_tree = self._trees()

    def cover(self, refs: Collection[Any]) -> None:
        """Find the paths to ``refs`` (those not covered yet) and add them to :attr:`paths`."""
        if self.complete:
            return
        targets = {(ref.idnum, ref.generation) for ref in refs} - self.covered
        if not targets and self._walked:
            return
        # The first walk runs even for no target: it meets every unreadable object the
        # whole walk would meet, and raises what pyHanko raises, at the same point.
        self._walked = True
        reverse = self._reverse_graph()
        useful = set(targets) | self._unreadable
        pending = list(useful)
        while pending:
            for source in reverse.get(pending.pop(), ()):
                if source not in useful:
                    useful.add(source)
                    pending.append(source)
        found = self._walk(targets, useful)
        self.covered |= targets
        for ref, paths in found.items():
            self.paths.setdefault(ref, set()).update(RawPdfPath(*path) for path in paths)

    def cover_all(self) -> None:
        """Find the paths to every object: :attr:`paths` becomes pyHanko's whole map."""
        if not self.complete:
            self.paths.update(self.all_paths())
            self.complete = True

    def all_paths(self) -> dict[Any, set[RawPdfPath]]:
        """The paths to every object: pyHanko's whole map."""
        found = self._walk(None, None)
        return {ref: {RawPdfPath(*path) for path in paths} for ref, paths in found.items()}

    def resolve(self, ref: Any) -> Any:
        """What ``revision(ref)`` returns, without the copy."""
        key = (ref.idnum, ref.generation)
        try:
            return self._resolved[key]
        except KeyError:
            pass
        obj = read_uncopied(self.revision, ref, self._last_change(key))
        if not kept_apart(obj):
            self._resolved[key] = obj
        return obj

    def _last_change(self, key: Key) -> int | None:
        """The last revision that wrote object ``key`` (None: none did), memoised per
        reader: pyHanko's lookup tries every cross-reference section, newest first."""
        try:
            return self._cache.last_change[key]
        except KeyError:
            pass
        last = last_change_of(self.revision.reader, generic.Reference(*key))
        self._cache.last_change[key] = last
        return last

    def deref(self, value: Any) -> Any:
        """``value.get_object()`` in this revision (chains of references included)."""
        for _ in range(_MAX_CHAIN):
            if not isinstance(value, generic.IndirectObject):
                return value
            value = self.resolve(value.reference)
        raise misc.PdfReadError("reference chain too long (a cycle?)")

    def item(self, container: Any, key: str) -> Any:
        """``container[key]`` in this revision: KeyError when absent or null."""
        if not isinstance(container, generic.DictionaryObject):
            raise TypeError(f"{type(container).__name__!r} object is not subscriptable")
        value = self.deref(container.raw_get(key))
        if isinstance(value, generic.NullObject):
            raise KeyError(key)
        return value

    def _trees(self) -> tuple[dict[Any, Path], set[Any]]:
        """Where each page-tree node sits, and which objects are structure elements."""
        root = self.revision.root
        pages_raw = root.raw_get("/Pages")
        pages_path: Path = ("/Root", "/Pages")
        page_tree: dict[Any, Path] = {}
        if isinstance(pages_raw, generic.IndirectObject):
            page_tree[pages_raw.reference] = pages_path
        for ref, path in self._page_tree_refs(self.deref(pages_raw), pages_path):
            if ref in page_tree:
                raise misc.PdfReadError("Circular reference in page tree in mapping stage")
            page_tree[ref] = path
        struct_tree: set[Any] = set()
        try:
            for ref in self._struct_tree_refs(self.deref(root.raw_get("/StructTreeRoot"))):
                if ref in struct_tree:
                    raise misc.PdfReadError(
                        "Circular reference in structure tree in mapping stage")
                struct_tree.add(ref)
        except KeyError:
            pass
        return page_tree, struct_tree

    def _page_tree_refs(self, pages: Any, path: Path) -> Iterator[tuple[Any, Path]]:
        for index, kid in enumerate(self.item(pages, "/Kids")):
            kid_path = (*path, "/Kids", index)
            if isinstance(kid, generic.IndirectObject):
                yield kid.reference, kid_path
            kid = self.deref(kid)
            if kid.get("/Type", None) == "/Pages":
                yield from self._page_tree_refs(kid, kid_path)

    def _struct_tree_refs(self, element: Any) -> Iterator[Any]:
        try:
            children = self.item(element, "/K")
        except KeyError:
            return
        if not isinstance(children, generic.ArrayObject):
            children = (children,)
        for child in children:
            child_ref = None
            if isinstance(child, generic.IndirectObject):
                child_ref = child.reference
                child = self.deref(child)
            if not isinstance(child, generic.DictionaryObject):
                continue
            try:
                if self.item(child, "/Type") != "/StructElem":
                    continue
            except KeyError:
                pass
            if child_ref is not None:
                yield child_ref
            yield from self._struct_tree_refs(child)

    def _walk(self, targets: set[Key] | None, useful: set[Key] | None
              ) -> dict[Any, set[Path]]:
        """pyHanko's walk; with ``useful``, only into objects from which a target can be
        reached, recording only the paths to ``targets``."""
        collected: dict[Any, set[Path]] = defaultdict(set)
        resolve = self.resolve
        page_tree, struct_tree = self.page_tree, self.struct_tree

        def walk(obj: Any, path: Path, on_path: frozenset[Any], in_struct_tree: bool) -> None:
            if isinstance(obj, generic.IndirectObject):
                ref = obj.reference
                if ref in on_path:
                    return
                if useful is not None:
                    key = (ref.idnum, ref.generation)
                    if key not in useful:
                        return
                    if key in targets:  # type: ignore[operator]
                        collected[ref].add(path)
                else:
                    collected[ref].add(path)
                on_path = on_path | {ref}
                obj = resolve(ref)
                if page_tree.get(ref, path) != path:
                    return
                if not in_struct_tree and ref in struct_tree:
                    return
            if isinstance(obj, generic.DictionaryObject):
                for key_, value in obj.items():
                    if key_ == "/Parent" or (in_struct_tree and key_ == "/P"):
                        continue
                    walk(value, (*path, key_), on_path,
                         in_struct_tree or (path == ("/Root", "/StructTreeRoot")
                                            and key_ == "/K"))
            elif isinstance(obj, generic.ArrayObject):
                for index, value in enumerate(obj):
                    walk(value, (*path, index), on_path, in_struct_tree)

        walk(self.revision.trailer_view, (), frozenset(), False)
        return collected

    def _reverse_graph(self) -> dict[Key, list[Key]]:
        """Who refers to whom in this revision, reversed; unreadable objects noted.

        Every reference is followed from the trailer but those the walk never follows:
        ``/Parent`` anywhere, ``/P`` within a structure element (the walk enters one only
        inside the structure tree, where it skips /P). So the graph holds at least every
        step the walk can take. Iterative: a deep document must not exhaust the stack.
        """
        if self._reverse is not None:
            return self._reverse
        reverse: dict[Key, list[Key]] = defaultdict(list)
        seen: set[Key] = set()
        struct_tree = self.struct_tree
        pending = list(_references_in(self.revision.trailer_view, False))
        while pending:
            ref = pending.pop()
            key = (ref.idnum, ref.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                obj = self.resolve(ref)
            except Exception:  # the walk, if it gets here, raises it as pyHanko does
                self._unreadable.add(key)
                continue
            in_struct_tree = ref in struct_tree
            cached = self._cache.edges.get(key)
            if cached is not None and cached[0] is obj and cached[1] == in_struct_tree:
                refs = cached[2]
            else:
                refs = tuple(_references_in(obj, in_struct_tree))
                if not kept_apart(obj):  # an image read again is another object anyway
                    self._cache.edges[key] = (obj, in_struct_tree, refs)
            for target in refs:
                reverse[(target.idnum, target.generation)].append(key)
                pending.append(target)
        self._reverse = reverse
        return reverse


def _references_in(obj: Any, skip_p: bool) -> Iterator[Any]:
    """The references ``obj`` holds, directly or in its direct values, but under /Parent
    (and /P with ``skip_p``)."""
    pending = [obj]
    while pending:
        value = pending.pop()
        if isinstance(value, generic.IndirectObject):
            yield value.reference
        elif isinstance(value, generic.DictionaryObject):
            pending.extend(item for key, item in value.items()
                           if key != "/Parent" and not (skip_p and key == "/P"))
        elif isinstance(value, generic.ArrayObject):
            pending.extend(value)
