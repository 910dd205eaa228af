"""The visual check renders each page of each revision at most once, and skips a page
only when it is provably the one that was signed (vnsign.pdf.unchanged_pages)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, fixture_trust
from vnsign import DocumentReport, verify
from vnsign.pdf import visual
from vnsign.pdf.unchanged_pages import UnchangedPages

FIVE_SIGNATURES = FIXTURES / "cong-van-2971-snv-vp.pdf"
TRUST = fixture_trust()
INK = b"\nq 0 0 0 rg 120 380 260 60 re f Q\n"  # a black bar in the middle of the page


def verify_counting(path: Path, monkeypatch: pytest.MonkeyPatch
                    ) -> tuple[DocumentReport, dict[tuple[int | None, int], int]]:
    """The report, and how often each (end of revision, 0-based page) was drawn, whole
    or in part (None: the current file)."""
    checkers: list[visual.VisualChecker] = []
    original = visual.VisualChecker.__init__

    def init(self: visual.VisualChecker, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        checkers.append(self)

    monkeypatch.setattr(visual.VisualChecker, "__init__", init)
    report = verify(path, trust=TRUST, policy=OFFLINE)
    assert len(checkers) == 1
    drawn = dict(checkers[0].renders)
    for key, count in checkers[0].clipped_renders.items():
        drawn[key] = drawn.get(key, 0) + count
    return report, drawn


def outcome(report: DocumentReport) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.indication.value, tuple(sorted(f.code for f in s.findings)))
            for s in report.signatures]


def annotated_after(path: Path) -> dict[int, set[int]]:
    """For each revision a signature was made in: the 0-based pages that received or
    changed an annotation afterwards (read with pyHanko, independently of vnsign)."""
    reader = PdfFileReader(BytesIO(path.read_bytes()), strict=False)
    pages = [ref.get_object() for ref in reader.root["/Pages"]["/Kids"]]
    result: dict[int, set[int]] = {}
    for emb in reader.embedded_signatures:
        revision = emb.signed_revision
        result[revision] = {
            index for index, page in enumerate(pages)
            for ref in page.get("/Annots", generic.ArrayObject())
            if reader.xrefs.get_last_change(ref.reference) > revision}
    return result


def test_an_unchanged_page_is_not_rendered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    report, renders = verify_counting(FIVE_SIGNATURES, monkeypatch)
    assert report.indication.value == "PASSED"
    # each page of each signed revision at most once (the current file's pages are drawn
    # again for each set of areas a comparison needs: vnsign.pdf.visual._clips)
    assert {count for (end, _), count in renders.items() if end is not None} == {1}
    signed_ends = sorted({end for end, _ in renders if end is not None})
    stamped = annotated_after(FIVE_SIGNATURES)
    compared = sorted(revision for revision, pages in stamped.items() if pages)
    assert len(signed_ends) == len(compared) == 4
    for end, revision in zip(signed_ends, compared, strict=True):
        rendered = {page for e, page in renders if e == end}
        assert rendered == stamped[revision]  # the pages without a new stamp are skipped
    page_count = 2
    assert len(renders) < (len(compared) + 1) * page_count


def test_skipping_changes_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    skipped, _ = verify_counting(FIVE_SIGNATURES, monkeypatch)
    monkeypatch.setattr(UnchangedPages, "pages", lambda self, *args: frozenset())
    monkeypatch.setattr(UnchangedPages, "annotation_changes", lambda self, *args: {})
    rendered, renders = verify_counting(FIVE_SIGNATURES, monkeypatch)
    assert len(renders) == 4 * 2 + 2  # every page of every compared revision, and now
    assert set(renders.values()) == {1}  # whole, each once
    assert outcome(skipped) == outcome(rendered)


def draw_on_page_content(data: bytes, page_index: int, tmp_path: Path) -> Path:
    """An incremental update that rewrites the content stream of one page — the
    stream object only: the page dictionary and its annotations stay as signed."""
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    page = writer.root["/Pages"]["/Kids"][page_index].get_object()
    ref = page.raw_get("/Contents")
    assert isinstance(ref, generic.IndirectObject)
    stream = ref.get_object()
    stream.strip_filters()
    stream._data = stream._encoded_data = stream.data + INK
    writer.mark_update(ref)
    out = BytesIO()
    writer.write(out)
    path = tmp_path / "drawn-over.pdf"
    path.write_bytes(out.getvalue())
    return path


def test_a_page_changed_in_a_later_revision_is_still_caught(tmp_path: Path) -> None:
    """Page 2 received nothing after the second signature, so it is skipped for the
    later ones; once its content stream is rewritten, every signature's comparison
    renders it and finds the difference (the difference analysis refuses the update
    too; here the visual check is asked directly, as for a change it permitted)."""
    path = draw_on_page_content(FIVE_SIGNATURES.read_bytes(), 1, tmp_path)
    data = path.read_bytes()
    reader = PdfFileReader(BytesIO(data), strict=False)
    checker = visual.VisualChecker(data, reader, None)
    signatures = reader.embedded_signatures
    assert len(signatures) == 5
    for emb in signatures:
        start, length = emb.byte_range[2], emb.byte_range[3]
        found = checker.compare(start + length, emb.signed_revision)
        assert found.not_run is None
        assert 2 in found.unexplained_pages
        assert checker.renders[(start + length, 1)] == 1
    assert verify(path, trust=TRUST, policy=OFFLINE).indication.value == "FAILED"


def test_an_object_of_another_generation_proves_nothing(tmp_path: Path) -> None:
    """A renderer may resolve ``7 0 R`` to a later object 7 of generation 1: an object
    number written again after signing, under any generation, is a change."""
    data = FIVE_SIGNATURES.read_bytes()
    reader = PdfFileReader(BytesIO(data), strict=False)
    page = reader.root["/Pages"]["/Kids"][1].get_object()
    contents = page.raw_get("/Contents")
    last = reader.xrefs.total_revisions - 1
    before = UnchangedPages(reader).pages(last - 1, 2, 2)
    assert 1 in before
    body = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(INK), INK)
    offset = len(data) + 1
    update = (b"\n%d 1 obj\n" % contents.idnum + body + b"\nendobj\n")
    xref_at = offset + len(update)
    trailer = reader.trailer_view
    tail = (b"xref\n%d 1\n%010d 00001 n \ntrailer\n<< /Size %d /Root %d %d R /Prev %d >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (
                contents.idnum, offset, int(trailer["/Size"]),
                reader.root_ref.idnum, reader.root_ref.generation,
                reader.xrefs.get_startxref_for_revision(last), xref_at))
    updated = data + b"\n" + update + tail
    reader2 = PdfFileReader(BytesIO(updated), strict=False)
    assert reader2.xrefs.total_revisions == last + 2
    assert 1 not in UnchangedPages(reader2).pages(last - 1, 2, 2)
    assert 1 not in UnchangedPages(reader2).pages(last, 2, 2)
