"""Stamp pictures are drawn in a guarded child process, never in the report's process.

The issue-11 finding: thumbnails were rendered by the process writing the HTML report,
outside every per-file guard, so one hostile page (pdfium looping or allocating) could
hang or exhaust the report. Here real documents go through a real child; the
misbehaving renderers (tests/render/thumbnail_hooks.py) loop, hog memory and crash
inside it, the way native code on a hostile page would.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

import vnsign.render.thumbnails as thumbnails
from tests.conftest import FIXTURES
from tests.helpers import check, hang_guard
from vnsign.models import SignatureReport
from vnsign.render.thumbnails import StampRenderer

MAIN = FIXTURES / "cong-van-2971-snv-vp.pdf"
HOOK = "tests.render.thumbnail_hooks:by_name"


@pytest.fixture(scope="module")
def signatures() -> tuple[SignatureReport, ...]:
    return check(MAIN.name).signatures


def variant(tmp_path: Path, marker: bytes) -> tuple[str, str]:
    """The main fixture with a marker comment appended (still a readable PDF)."""
    import hashlib

    data = MAIN.read_bytes() + b"\n" + marker + b"\n"
    path = tmp_path / f"doc-{hashlib.sha256(marker).hexdigest()[:8]}.pdf"
    path.write_bytes(data)
    return str(path), hashlib.sha256(data).hexdigest()


def test_pictures_of_the_visible_stamps(signatures: tuple[SignatureReport, ...]) -> None:
    import hashlib

    with StampRenderer() as renderer:
        result = renderer.pictures(str(MAIN), hashlib.sha256(MAIN.read_bytes()).hexdigest(),
                                   signatures)
    assert result.missing is None
    assert len(result.images) == 4  # four visible stamps, one invisible signature
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in result.images.values())


@pytest.mark.parametrize("marker", [b"%HANG", b"%HOG", b"%CRASH"])
def test_a_misbehaving_page_costs_only_its_own_pictures(
        tmp_path: Path, signatures: tuple[SignatureReport, ...], marker: bytes) -> None:
    before = variant(tmp_path, b"%")
    bad = variant(tmp_path, marker)
    after = variant(tmp_path, b"%%")
    started = time.monotonic()
    with hang_guard(60), StampRenderer(time_limit=5, memory_limit_mb=512,
                                       renderer=HOOK) as renderer:
        results = [renderer.pictures(path, sha, signatures) for path, sha in
                   (before, bad, after)]
    assert time.monotonic() - started < 50
    assert [len(r.images) for r in results] == [4, 0, 4]
    assert [r.missing for r in results] == [None, "pictures_failed", None]


def test_a_file_changed_since_verification_gets_no_pictures(
        tmp_path: Path, signatures: tuple[SignatureReport, ...]) -> None:
    import hashlib

    path = tmp_path / "doc.pdf"
    shutil.copyfile(MAIN, path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes((FIXTURES / "modified-page-content.pdf").read_bytes())
    with StampRenderer() as renderer:
        result = renderer.pictures(str(path), sha, signatures)
    assert result.images == {} and result.missing == "file_changed"


def test_the_html_report_draws_through_the_guard(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """render_html hands the drawing to the child: a hanging page still yields the page,
    with the pictures of the other documents and a note for that one."""
    from vnsign.batch.ledger import LedgerRow
    from vnsign.render.batch_rows import documents
    from vnsign.render.html import render_html
    from vnsign.render.labels import label

    report = check(MAIN.name)
    rows = []
    for marker in (b"%", b"%HANG"):
        path, sha = variant(tmp_path, marker)
        data = report.to_dict()
        data["file"]["sha256"] = sha
        rows.append(LedgerRow(path=path, sha256=sha, size=1, mtime_ns=1,
                              policy_fingerprint="x", indication="PASSED",
                              sub_indication=None, report_json=json.dumps(data),
                              duration=0.1, error=None, detail=None,
                              verified_at="2026-11-26T15:00:00+07:00", run_id=1))
    monkeypatch.setattr(thumbnails, "PICTURE_TIME_LIMIT", 5)
    with hang_guard(60):
        page = render_html(documents(rows), "en", {}, renderer=HOOK).decode("utf-8")
    assert page.count('<img class="thumb"') == 4
    assert label("pictures_failed", "en") in page
