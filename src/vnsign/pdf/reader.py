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
pyHanko reads a signature's /Contents one byte at a time otherwise) and token readers
(:mod:`vnsign.pdf.tokens`: names, whitespace, literal strings) and object reader
(:mod:`vnsign.pdf.object_reader`: whole dictionaries, arrays and references, which also
refuses the endless comment pyHanko's parser loops on), and keeps no large
image in its object cache (:func:`vnsign.pdf.usages.kept_apart`: a scan's pages are read
again when asked for, not held for the whole report).
"""

from __future__ import annotations

import logging
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader

from vnsign.pdf import hexstring, object_reader, tokens
from vnsign.pdf.source import SharedBytesIO
from vnsign.pdf.usages import ReaderCache, UsageIndex, kept_apart

log = logging.getLogger(__name__)

_MISSES_BEFORE_WHOLE_MAP = 8

# What HistoricalResolver._subsume_object returns as it is, and what it copies.
_UNCOPIED = frozenset({generic.NumberObject, generic.FloatObject, generic.NameObject,
                       generic.BooleanObject, generic.NullObject, generic.TextStringObject,
                       generic.ByteStringObject})
_COPIED = frozenset({generic.DictionaryObject, generic.ArrayObject, generic.StreamObject})

# (/N, object number -> (position in the table, offset after /First)); the first
# occurrence of a number wins, as in pyHanko's scan.
_Table = tuple[int, dict[int, tuple[int, int]]]


class PdfReader(PdfFileReader):
    """A :class:`pyhanko.pdf_utils.reader.PdfFileReader` that indexes object streams."""

    def __init__(self, stream: Any, strict: bool = True, **kwargs: Any) -> None:
        hexstring.install()
        tokens.install()
        object_reader.install()
        self._objstm_tables: dict[int, _Table | None] = {}
        self._usage_cache = ReaderCache()  # for vnsign.pdf.usages, across revisions
        # Results the difference analysis's rules keep for the whole document, by rule,
        # each keyed so that it holds in every revision pair (structure._entry_items: by
        # where the object's bytes are read from).
        self.analysis_memos: dict[str, dict[Any, Any]] = {}
        super().__init__(stream, strict=strict, **kwargs)

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
        table = self._objstm_table(stmnum)
        entry = table[1].get(idnum) if table is not None else None
        if table is None or entry is None or not 0 <= idx < table[0] or \
                (self.strict and entry[0] != idx):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        stream: Any = generic.Reference(stmnum, 0, self).get_object()
        stream_data = SharedBytesIO(stream.read_data(DecodePurpose.OBJECT_STREAM))
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

    def cache_indirect_object(self, generation: int, idnum: int, obj: Any) -> Any:
        # A large image is read again when asked for, not kept (usages.kept_apart).
        if kept_apart(obj):
            return obj
        return super().cache_indirect_object(generation, idnum, obj)

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
    data = SharedBytesIO(stream.read_data(DecodePurpose.OBJECT_STREAM))
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

    def __init__(self, reader: PdfReader, revision: int) -> None:
        super().__init__(reader, revision)
        self._usages: UsageIndex | None = None
        self._misses = 0  # objects asked about that the map was not made for

    def _load_reverse_xref_cache(self) -> None:
        # pyHanko's map holds every object; the analysis asks about the objects that
        # later revisions rewrite (and, in some rules, a field or an appearance). The
        # map is made for those first, and extended for any other object asked about.
        if self._indirect_object_access_cache is None:
            reader = self.reader
            usages = UsageIndex(self, getattr(reader, "_usage_cache", None))
            later: set[Any] = set()
            for revision in range(self.revision + 1, reader.xrefs.total_revisions):
                later |= reader.xrefs.explicit_refs_in_revision(revision)
            usages.cover(later)
            self._usages = usages
            self._indirect_object_access_cache = usages.paths

    def _get_usages_of_ref(self, ref: Any) -> Any:
        usages = self._usages
        if usages is not None and self._indirect_object_access_cache is usages.paths and \
                not usages.complete and (ref.idnum, ref.generation) not in usages.covered:
            # An object no later revision rewrote: a form rule checking a field or an
            # appearance. A few are found one by one; a rule that asks about many (every
            # field of a form) gets the whole map at once, which costs what pyHanko pays.
            self._misses += 1
            if self._misses > _MISSES_BEFORE_WHOLE_MAP:
                usages.cover_all()
            else:
                usages.cover((ref,))
        return super()._get_usages_of_ref(ref)

    def _subsume_object(self, obj: Any) -> Any:
        """pyHanko's copy of an object into this revision (references rebound to it),
        without its per-node detour: pyHanko builds a new Reference for every node, a
        number or a name included, and then throws it away. Only the exact types of a
        parsed, unencrypted object take this path; everything else (an encrypted
        object's proxy, an object without a container, a subclass) is pyHanko's.
        ``tests/pdf/test_lean_reading.py`` compares both copies node for node."""
        kind = type(obj)
        ref = getattr(obj, "container_ref", None)
        if kind in _UNCOPIED and ref is not None:
            return obj  # pyHanko reuses a primitive as it is
        if kind is generic.IndirectObject and ref is not None:
            return generic.IndirectObject(obj.idnum, obj.generation, self)
        if kind in _COPIED and type(ref) is generic.Reference:
            copy = self._subsume_object
            result: Any
            if kind is generic.ArrayObject:
                result = generic.ArrayObject([copy(value) for value in obj])
            elif kind is generic.DictionaryObject:
                result = generic.DictionaryObject({k: copy(v) for k, v in obj.items()})
            else:
                result = generic.StreamObject({k: copy(v) for k, v in obj.items()},
                                              encoded_data=obj.encoded_data)
            result.container_ref = generic.Reference(ref.idnum, ref.generation, self)
            return result
        return super()._subsume_object(obj)

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
