"""The register of incoming documents (sổ đăng ký văn bản đến): a real batch, a real ledger,
``vnsign report --format register``, and the workbook read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.batch.support import OFFLINE_ARGS, TRUST_ARGS, vnsign
from tests.conftest import FIXTURES

VN = dt.timezone(dt.timedelta(hours=7))
METADATA = FIXTURES / "metadata"
# name in the inbox, fixture, when it arrived (its file time): arrival order d, a, c, b.
INBOX = [
    ("a-quang-ninh.pdf", METADATA / "15-cong-van-khan-mat-quang-ninh.pdf",
     dt.datetime(2025, 9, 6, 8, 5, tzinfo=VN)),
    ("b-cong-van.pdf", FIXTURES / "cong-van-2971-snv-vp.pdf",
     dt.datetime(2025, 9, 25, 17, 10, tzinfo=VN)),
    ("c-tampered.pdf", FIXTURES / "tampered-flipped-byte.pdf",
     dt.datetime(2025, 9, 25, 16, 59, tzinfo=VN)),
    ("d-to-trinh.pdf", METADATA / "03-to-trinh-snv-da-nang.pdf",
     dt.datetime(2025, 6, 10, 9, 0, tzinfo=VN)),
]
HEADER_VI = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng",
             "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ghi chú",
             "Kết luận", "Người ký (chữ ký số)", "Cảnh báo về chữ ký số", "Tệp"]
HEADER_EN = ["Date received", "Arrival no.", "Author", "Number and symbol", "Date",
             "Type and subject", "Unit or person receiving", "Notes", "Verdict",
             "Signers (digital signatures)", "Signature warnings", "File"]
# Expected rows, written from the documents themselves (their goldens in
# tests/fixtures/metadata/*.json and EXPECTED.md), in arrival order, numbered from 41.
EXPECTED = [
    {"Ngày đến": dt.datetime(2025, 6, 10), "Số đến": 41, "Tác giả": "SỞ NỘI VỤ",
     "Số, ký hiệu": "215/TTr-SNV", "Ngày tháng": dt.datetime(2025, 6, 9),
     "Tên loại và trích yếu nội dung": "Tờ trình Về việc phê duyệt Đề án vị trí việc làm "
                                       "của Sở Nội vụ thành phố Đà Nẵng",
     "Đơn vị hoặc người nhận": None, "Ghi chú": None, "Kết luận": "Không có chữ ký số",
     "Người ký (chữ ký số)": None, "Tệp": "d-to-trinh.pdf"},
    {"Ngày đến": dt.datetime(2025, 9, 6), "Số đến": 42,
     "Tác giả": "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Số, ký hiệu": "2210/SNNMT-TL",
     "Ngày tháng": dt.datetime(2025, 9, 5),
     "Tên loại và trích yếu nội dung": "Công văn V/v chủ động ứng phó với mưa lũ và nguy cơ "
                                       "sạt lở đất",
     "Đơn vị hoặc người nhận": None, "Ghi chú": "KHẨN; MẬT", "Kết luận": "Không có chữ ký số",
     "Người ký (chữ ký số)": None, "Tệp": "a-quang-ninh.pdf"},
    {"Ngày đến": dt.datetime(2025, 9, 25), "Số đến": 43, "Tác giả": "SỞ NỘI VỤ",
     "Số, ký hiệu": "2971/SNV-VP", "Ngày tháng": dt.datetime(2025, 9, 25),
     "Tên loại và trích yếu nội dung": "Công văn V/v hưởng ứng Ngày hội Đổi mới sáng tạo "
                                       "quốc gia 01-10 và sự kiện Techfest Hải Phòng 2025",
     "Đơn vị hoặc người nhận": None, "Ghi chú": None, "Kết luận": "Không hợp lệ",
     "Người ký (chữ ký số)": "Bùi Văn Nam\nSỞ NỘI VỤ", "Tệp": "c-tampered.pdf"},
    {"Ngày đến": dt.datetime(2025, 9, 25), "Số đến": 44, "Tác giả": "SỞ NỘI VỤ",
     "Số, ký hiệu": "2971/SNV-VP", "Ngày tháng": dt.datetime(2025, 9, 25),
     "Tên loại và trích yếu nội dung": "Công văn V/v hưởng ứng Ngày hội Đổi mới sáng tạo "
                                       "quốc gia 01-10 và sự kiện Techfest Hải Phòng 2025",
     "Đơn vị hoặc người nhận": None, "Ghi chú": None, "Kết luận": "Hợp lệ",
     "Người ký (chữ ký số)": "Bùi Văn Nam\nSỞ NỘI VỤ", "Tệp": "b-cong-van.pdf"},
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("register")
    inbox = folder / "inbox"
    inbox.mkdir()
    for name, source, arrived in INBOX:
        shutil.copyfile(source, inbox / name)
        os.utime(inbox / name, (arrived.timestamp(), arrived.timestamp()))
    path = folder / "ledger.sqlite"
    proc = vnsign("batch", str(inbox), "--ledger", str(path), "--workers", "1", "-q",
                  *TRUST_ARGS, *OFFLINE_ARGS)
    assert proc.returncode == 1, proc.stderr  # c-tampered.pdf FAILED
    return path


def sheet_rows(ws: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    return header, rows


def test_register_format_writes_the_register_alone(ledger: Path) -> None:
    from openpyxl import load_workbook

    out = ledger.parent / "so-den.xlsx"
    proc = vnsign("report", "--ledger", str(ledger), "--format", "register", "--output",
                  str(out), "--register-start", "41", "--lang", "vi")
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Sổ đăng ký văn bản đến"]
    ws = wb["Sổ đăng ký văn bản đến"]
    header, rows = sheet_rows(ws)
    assert header == HEADER_VI
    assert len(rows) == len(EXPECTED)
    for row, expected in zip(rows, EXPECTED, strict=True):
        for column, value in expected.items():
            if column == "Tệp":
                assert Path(row[column]).name == value
            else:
                assert row[column] == value, (column, row)
    warnings = [row["Cảnh báo về chữ ký số"] for row in rows]
    assert "Văn bản không có chữ ký số." in warnings[0]
    assert warnings[2].startswith("#1–#5: ") and warnings[2].count("\n") == 0
    assert warnings[3] is None
    # Dates are real dates, shown as Vietnamese write them.
    assert ws["A2"].number_format == "DD/MM/YYYY" and ws["E2"].number_format == "DD/MM/YYYY"


def test_register_is_print_ready(ledger: Path) -> None:
    from openpyxl import load_workbook

    out = ledger.parent / "print.xlsx"
    assert vnsign("report", "--ledger", str(ledger), "--format", "register", "-o", str(out),
                  "--lang", "vi").returncode == 0
    ws = load_workbook(out).active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$1:$1"  # the header row on every printed page
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in (ws.oddHeader.center.text or "")
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:L5"
    widths = {ws.cell(1, i).value: ws.column_dimensions[ws.cell(1, i).column_letter].width
              for i in range(1, ws.max_column + 1)}
    assert widths["Tên loại và trích yếu nội dung"] >= 40 and widths["Số đến"] <= 8
    assert [c.value for c in ws["B"][1:]] == [1, 2, 3, 4]  # numbered from 1 by default


def test_xlsx_report_has_the_register_and_document_columns(ledger: Path) -> None:
    from openpyxl import load_workbook

    out = ledger.parent / "report.xlsx"
    assert vnsign("report", "--ledger", str(ledger), "-o", str(out), "--lang", "en",
                  "--register-start", "7").returncode == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["Incoming register", "Documents", "Signatures", "Summary"]
    header, rows = sheet_rows(wb["Incoming register"])
    assert header == HEADER_EN
    assert [Path(r["File"]).name for r in rows] == [e["Tệp"] for e in EXPECTED]
    assert [r["Arrival no."] for r in rows] == [7, 8, 9, 10]
    assert [r["Verdict"] for r in rows] == ["No signature", "No signature", "Failed", "Passed"]
    assert wb["Incoming register"]["E2"].number_format == "YYYY-MM-DD"
    # The documents sheet: one row per document (by path), with the document's fields.
    header, docs = sheet_rows(wb["Documents"])
    assert header[:7] == ["File", "Number and symbol", "Date of issue", "Issuing agency",
                          "Document type", "Subject", "Signer (as printed)"]
    by_name = {Path(d["File"]).name: d for d in docs}
    quang_ninh = by_name["a-quang-ninh.pdf"]
    assert quang_ninh["Number and symbol"] == "2210/SNNMT-TL"
    assert quang_ninh["Date of issue"] == dt.datetime(2025, 9, 5)
    assert quang_ninh["Issuing agency"] == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    assert quang_ninh["Document type"] == "Công văn"
    assert quang_ninh["Subject"] == "V/v chủ động ứng phó với mưa lũ và nguy cơ sạt lở đất"
    assert quang_ninh["Signer (as printed)"] == "Vũ Thị Hải Yến"
    header, sigs = sheet_rows(wb["Signatures"])
    signed = [s for s in sigs if Path(s["File"]).name == "b-cong-van.pdf"]
    assert len(signed) == 5 and {s["Number and symbol"] for s in signed} == {"2971/SNV-VP"}


def test_csv_carries_the_document_fields(ledger: Path) -> None:
    import csv
    import io

    proc = vnsign("report", "--ledger", str(ledger), "--format", "csv", "--lang", "vi")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    by_name = {Path(r["path"]).name: r for r in rows}
    to_trinh = by_name["d-to-trinh.pdf"]
    assert (to_trinh["number_symbol"], to_trinh["document_date"], to_trinh["issuing_authority"],
            to_trinh["document_type"], to_trinh["printed_signer"]) == (
        "215/TTr-SNV", "2025-06-09", "SỞ NỘI VỤ", "Tờ trình", "Lê Quang Vinh")
    assert to_trinh["subject"].startswith("Về việc phê duyệt Đề án vị trí việc làm")
    # Additive: the columns scripts already read keep their places.
    assert list(rows[0])[:3] == ["path", "document_indication", "gate"]
    assert list(rows[0])[-6:] == ["number_symbol", "document_date", "issuing_authority",
                                  "document_type", "subject", "printed_signer"]


def test_date_received_falls_back_to_the_ledger_time() -> None:
    """A row without a recorded file time is dated by the ledger's verification time."""
    import json

    from tests.helpers import check
    from vnsign.batch.ledger import LedgerRow
    from vnsign.render.batch_rows import documents
    from vnsign.render.register import register_rows

    data = json.dumps(check("unsigned.pdf").to_dict())

    def row(path: str, mtime: dt.datetime | None, verified_at: str) -> LedgerRow:
        return LedgerRow(path=path, sha256="0" * 64, size=1,
                         mtime_ns=int(mtime.timestamp() * 1e9) if mtime else None,
                         policy_fingerprint="x", indication="NO_SIGNATURE",
                         sub_indication=None, report_json=data, duration=0.1, error=None,
                         detail=None, verified_at=verified_at, run_id=1)

    rows = register_rows(documents([
        row("/in/late.pdf", dt.datetime(2025, 10, 2, 23, 30, tzinfo=dt.UTC),  # 03/10 in VN
            "2025-10-04T08:00:00+07:00"),
        row("/in/unknown-time.pdf", None, "2025-10-01T23:30:00+07:00"),
    ]), "vi", start=5)
    assert [(r["path"], r["received"], r["arrival_number"]) for r in rows] == [
        ("/in/unknown-time.pdf", dt.date(2025, 10, 1), 5),
        ("/in/late.pdf", dt.date(2025, 10, 3), 6)]


def test_register_start_must_be_positive(ledger: Path) -> None:
    proc = vnsign("report", "--ledger", str(ledger), "--format", "register", "-o",
                  str(ledger.parent / "x.xlsx"), "--register-start", "0")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
