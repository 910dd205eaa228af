"""vnsign's PdfReader reads exactly what pyHanko's reader reads, only faster.

Two pyHanko costs are replaced (vnsign.pdf.reader): the offset table of an object stream
is parsed once instead of once per object, and the map of paths to each object that the
difference analysis builds per signed revision is computed without copying every
object. Both must give pyHanko's results, object for object and path for path, on the
fixtures and (when ../shared is present) on real documents with big object streams, a
hybrid cross-reference and a tagged structure tree.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.conftest import FIXTURES, SHARED
from vnsign.pdf.reader import PdfReader
from vnsign.pdf.usages import usage_paths

FILES = sorted(FIXTURES.glob("*.pdf")) + sorted((FIXTURES / "attacks").glob("*.pdf"))
SHARED_FILES = [SHARED / "corpora" / p for p in (
    "dss/pdf-structtreeroot-changes.pdf",  # tagged, hybrid xref
    "dss/timestamped-fields.pdf",
    "dss/pades-ltv.pdf",  # a dangling trailer reference
    "realvn/gov/btnmt-duthao-vgcacrypto.pdf",  # object streams
)]


def _open(cls: type, data: bytes) -> PdfFileReader | None:
    try:
        return cls(io.BytesIO(data), strict=False)  # type: ignore[no-any-return]
    except Exception:
        return None


def _objects(reader: PdfFileReader) -> dict[tuple[int, int, int], object]:
    found: dict[tuple[int, int, int], object] = {}
    for revision in range(reader.xrefs.total_revisions):
        view = reader.get_historical_resolver(revision)
        for ref in view.explicit_refs_in_revision():
            try:
                value: object = _plain(view(ref))
            except Exception as exc:
                value = f"error {type(exc).__name__}"
            found[(revision, ref.idnum, ref.generation)] = value
    return found


def _plain(obj: object, depth: int = 0) -> object:
    """A comparable form of a PDF object (reprs carry memory addresses)."""
    if depth > 50:
        return "deep"
    if isinstance(obj, generic.DecryptedObjectProxy):
        return _plain(obj.decrypted, depth + 1)
    if isinstance(obj, generic.IndirectObject):
        return ("ref", obj.idnum, obj.generation)
    if isinstance(obj, generic.NullObject):
        return None
    if isinstance(obj, generic.StreamObject):
        return ("stream", _plain(dict(obj), depth + 1), obj.encoded_data)
    if isinstance(obj, dict):
        return {str(k): _plain(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v, depth + 1) for v in obj]
    if isinstance(obj, (generic.TextStringObject, generic.ByteStringObject)):
        return ("str", bytes(obj.original_bytes))
    return repr(obj)


def _usages(reader: PdfFileReader, fast: bool) -> list[object]:
    result: list[object] = []
    for revision in range(reader.xrefs.total_revisions):
        view = reader.get_historical_resolver(revision)
        try:
            if fast:
                result.append(usage_paths(view))
            else:
                view._load_reverse_xref_cache()
                result.append(view._indirect_object_access_cache)
        except Exception as exc:
            result.append(f"error {type(exc).__name__}")
    return result


def _check(path: Path) -> None:
    data = path.read_bytes()
    theirs, ours = _open(PdfFileReader, data), _open(PdfReader, data)
    assert (theirs is None) == (ours is None)
    if theirs is None or ours is None:
        return
    assert _objects(ours) == _objects(theirs)
    theirs, ours = _open(PdfFileReader, data), _open(PdfReader, data)
    assert theirs is not None and ours is not None
    assert _usages(ours, fast=True) == _usages(theirs, fast=False)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_objects_and_usage_paths_as_pyhanko(path: Path) -> None:
    _check(path)


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_same_objects_and_usage_paths_on_real_documents(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not available on this machine")
    _check(path)


def test_a_reference_no_revision_defines_has_no_dependencies() -> None:
    # pades-ltv's trailers point /AdditionalStreams one past the last object: pyHanko's
    # walk stopped with a KeyError there, leaving every signature unanalysable.
    path = SHARED / "corpora" / "dss" / "pades-ltv.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not available on this machine")
    reader = PdfReader(io.BytesIO(path.read_bytes()), strict=False)
    last = reader.get_historical_resolver(reader.xrefs.total_revisions - 1)
    deps = last.collect_dependencies(last.trailer_view, since_revision=last.revision)
    assert all(ref.idnum != 60 for ref in deps)


def _copy_shape(obj: object, revision: object, depth: int = 0) -> object:
    """Everything pyHanko's copy into a revision decides, node by node: the type, the
    value of a primitive (and whether it is the very object), what each reference and
    container points to."""
    if depth > 60:
        return "deep"
    kind = type(obj).__name__
    if isinstance(obj, generic.IndirectObject):
        return (kind, obj.idnum, obj.generation, obj.get_pdf_handler() is revision)
    ref = getattr(obj, "container_ref", None)
    where = None if ref is None else (type(ref).__name__, getattr(ref, "idnum", None),
                                      getattr(ref, "generation", None),
                                      getattr(ref, "pdf", None) is revision)
    if isinstance(obj, generic.StreamObject):
        return (kind, where, obj.encoded_data,
                sorted((k, _copy_shape(v, revision, depth + 1)) for k, v in obj.items()))
    if isinstance(obj, generic.DictionaryObject):
        return (kind, where,
                sorted((k, _copy_shape(v, revision, depth + 1)) for k, v in obj.items()))
    if isinstance(obj, generic.ArrayObject):
        return (kind, where, [_copy_shape(v, revision, depth + 1) for v in obj])
    if isinstance(obj, generic.DecryptedObjectProxy):
        return (kind, _copy_shape(obj.raw_object, revision, depth + 1))
    return (kind, where, repr(obj))


@pytest.mark.parametrize("path", FILES + [p for p in SHARED_FILES if p.is_file()],
                         ids=lambda p: p.name)
def test_objects_copied_into_a_revision_are_pyhankos_copies(path: Path) -> None:
    from pyhanko.pdf_utils.reader import HistoricalResolver

    reader = _open(PdfReader, path.read_bytes())
    if reader is None:
        pytest.skip("unreadable")
    if reader.encrypted:
        reader.decrypt(b"secret")
    compared = 0
    for revision in range(reader.xrefs.total_revisions):
        view = reader.get_historical_resolver(revision)
        plain = HistoricalResolver(reader, revision)  # pyHanko's copy all the way down
        for ref in sorted(view.explicit_refs_in_revision(), key=lambda r: r.idnum)[:400]:
            try:
                raw = reader.get_object(ref, revision, transparent_decrypt=False)
            except Exception:
                continue
            ours = view._subsume_object(raw)
            theirs = plain._subsume_object(raw)
            assert _copy_shape(ours, view) == _copy_shape(theirs, plain), (revision, ref)
            compared += 1
    assert compared > 0
