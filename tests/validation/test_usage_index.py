"""The difference analysis gives the same answer with the usage map made on demand.

``vnsign.pdf.usages.UsageIndex`` computes the paths to the objects the analysis asks
about instead of pyHanko's map of every path to every object, skipping every object
from which none of them can be reached. A faster wrong answer is a bug, so both are
compared here against the whole map (``usage_paths``, which test_reader.py holds equal
to pyHanko's own): the partial maps path for path, and — what a user relies on — each
signature's review (modification level, changed fields, vnsign's notes, or the exact
SuspiciousModification) on every signed fixture and every file of the shared corpora.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import HistoricalResolver
from pyhanko.sign.diff_analysis import DiffResult

from tests.conftest import FIXTURES, SHARED
from vnsign.pdf.reader import PdfReader, _Revision
from vnsign.pdf.usages import UsageIndex, usage_paths
from vnsign.validation.diff_rules import vnsign_diff_policy
from vnsign.validation.modifications.notes import NotedDiffResult

FIXTURE_FILES = sorted(FIXTURES.rglob("*.pdf"))
CORPORA = SHARED / "corpora"
_ADDRESS = re.compile(r"at 0x[0-9a-f]+")


def _shared_files() -> list[Path]:
    """The peer corpus (MANIFEST.json) and the real Vietnamese documents, when present."""
    files: list[Path] = []
    manifest = CORPORA / "MANIFEST.json"
    if manifest.is_file():
        files += [CORPORA / entry["file"] for entry in json.loads(manifest.read_text())]
    for folder in ("realvn/gov", "realdocs"):
        files += sorted((CORPORA / folder).glob("*.pdf"))
    return files


SHARED_FILES = _shared_files()


class _WholeMapRevision(_Revision):
    """The analysis as before UsageIndex: the whole map, looked up as pyHanko does."""

    def _load_reverse_xref_cache(self) -> None:
        if self._indirect_object_access_cache is None:
            self._indirect_object_access_cache = usage_paths(self)

    def _get_usages_of_ref(self, ref: Any) -> Any:
        return HistoricalResolver._get_usages_of_ref(self, ref)


class _WholeMapReader(PdfReader):
    def get_historical_resolver(self, revision: int) -> Any:
        cache = self._historical_resolver_cache
        if revision not in cache:
            cache[revision] = _WholeMapRevision(self, revision)
        return cache[revision]


def _open(cls: type[PdfReader], data: bytes) -> PdfReader | None:
    try:
        return cls(io.BytesIO(data), strict=False)
    except Exception:
        return None


def _outcome(result: object) -> object:
    if isinstance(result, DiffResult):
        notes = result.notes if isinstance(result, NotedDiffResult) else None
        return ("result", result.modification_level, sorted(result.changed_form_fields),
                notes)
    # SuspiciousModification; its message may name an object by its memory address
    return (type(result).__name__, _ADDRESS.sub("at 0x…", str(result)))


def _reviews(cls: type[PdfReader], data: bytes) -> list[object]:
    """Each signature's difference analysis, as the engine runs it (one reader, one
    policy, the signatures in file order)."""
    reader = _open(cls, data)
    if reader is None:
        return ["unreadable"]
    policy = vnsign_diff_policy()
    try:
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        return [f"error {type(exc).__name__}"]
    found: list[object] = []
    for emb in signatures:
        try:
            emb.compute_integrity_info(diff_policy=policy)
            found.append(_outcome(emb.diff_result))
        except Exception as exc:
            found.append(("error", type(exc).__name__, _ADDRESS.sub("at 0x…", str(exc))))
    return found


def _check_reviews(path: Path) -> None:
    data = path.read_bytes()
    assert _reviews(PdfReader, data) == _reviews(_WholeMapReader, data)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_each_signature_reviewed_as_with_the_whole_map(path: Path) -> None:
    _check_reviews(path)


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: str(p.relative_to(CORPORA)))
def test_each_signature_reviewed_as_with_the_whole_map_on_shared_corpora(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not available on this machine")
    _check_reviews(path)


def test_the_shared_corpora_are_compared_when_present() -> None:
    if not (CORPORA / "MANIFEST.json").is_file():
        pytest.skip("../shared is not available on this machine")
    assert len(SHARED_FILES) > 90


def _partial_maps_match(data: bytes) -> int:
    """For each revision, the paths UsageIndex finds for the objects later revisions
    rewrite, then for a spread of other objects, against the whole map. Returns how
    many objects with paths were compared."""
    whole_reader, reader = _open(PdfReader, data), _open(PdfReader, data)
    if whole_reader is None or reader is None:
        return 0
    compared = 0
    total = reader.xrefs.total_revisions
    for revision in range(total):
        try:
            whole: dict[Any, Any] | str = usage_paths(
                whole_reader.get_historical_resolver(revision))
        except Exception as exc:
            whole = f"error {type(exc).__name__}: {exc}"
        later: set[Any] = set()
        for newer in range(revision + 1, total):
            later |= reader.xrefs.explicit_refs_in_revision(newer)
        index: UsageIndex | None = None
        try:
            index = UsageIndex(reader.get_historical_resolver(revision))
            index.cover(later)
        except Exception as exc:
            assert f"error {type(exc).__name__}: {exc}" == whole
            continue
        assert isinstance(whole, dict), whole
        assert index.paths == {ref: paths for ref, paths in whole.items() if ref in later}
        others = sorted(whole, key=lambda ref: (ref.idnum, ref.generation))[::7]
        for ref in others[:5]:  # one at a time, as a rule asks
            index.cover((ref,))
        index.cover(others)
        asked = later | set(others)
        assert index.paths == {ref: paths for ref, paths in whole.items() if ref in asked}
        compared += len(index.paths)
        index.cover_all()
        assert index.paths == whole
    return compared


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.pdf")) +
                         sorted((FIXTURES / "attacks").glob("*.pdf")), ids=lambda p: p.name)
def test_partial_maps_are_the_whole_map_restricted(path: Path) -> None:
    _partial_maps_match(path.read_bytes())


def test_partial_maps_on_a_tagged_document_signed_six_times() -> None:
    path = CORPORA / "realvn" / "gov" / "nd-50-2026-certified-then-sealed.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not available on this machine")
    assert _partial_maps_match(path.read_bytes()) > 0


def test_the_analysis_asks_the_index_and_gets_pyhankos_answer() -> None:
    data = (FIXTURES / "cong-van-2971-snv-vp.pdf").read_bytes()
    reader, whole_reader = _open(PdfReader, data), _open(PdfReader, data)
    assert reader is not None and whole_reader is not None
    view = reader.get_historical_resolver(1)
    view._load_reverse_xref_cache()
    whole = usage_paths(whole_reader.get_historical_resolver(1))
    assert view._indirect_object_access_cache  # the rewritten objects' paths were found
    for ref in whole:  # any object asked about afterwards, rewritten or not
        assert view._get_usages_of_ref(ref) == whole[ref]
