"""The terminal report: the compact clerk's view by default, the full one with --details."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from rich.console import Console

from tests.conftest import FIXTURES, PKI
from tests.helpers import check
from vnsign.models import DocumentReport
from vnsign.render.text import render

MAIN = "cong-van-2971-snv-vp.pdf"
# The five signatures of the example as the signed document shows them (EXPECTED.md):
# signer, person or agency, the time shown (proven by a timestamp, else claimed).
SIGNERS = [
    ("Bùi Văn Nam", "Cá nhân", "Person", "2025-09-25T15:56:11+07:00", True),
    ("SỞ NỘI VỤ", "Cơ quan, tổ chức", "Agency", "2025-09-25T16:46:49+07:00", False),
    ("SỞ NỘI VỤ", "Cơ quan, tổ chức", "Agency", "2025-09-25T16:46:49+07:00", False),
    ("SỞ NỘI VỤ", "Cơ quan, tổ chức", "Agency", "2025-09-25T16:46:49+07:00", False),
    ("SỞ NỘI VỤ", "Cơ quan, tổ chức", "Agency", "2025-09-25T16:47:15+07:00", True),
]


def shown(report: DocumentReport, lang: str, *, details: bool = False,
          width: int = 100) -> tuple[str, str]:
    """(plain text, text with ANSI colours) as a terminal of ``width`` columns shows it."""
    console = Console(width=width, record=True, force_terminal=True, color_system="standard",
                      highlight=False)
    render(report, lang, console, details=details)
    return console.export_text(clear=False), console.export_text(styles=True)


@pytest.fixture(scope="module")
def passed() -> DocumentReport:
    return check(MAIN)


@pytest.fixture(scope="module")
def untrusted_root() -> DocumentReport:
    from vnsign import TrustStore

    return check(MAIN, trust=TrustStore.load([], [], use_saved=False, use_env=False))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compact_view_fits_and_names_every_signer_with_its_time(
        passed: DocumentReport, lang: str) -> None:
    text, _ = shown(passed, lang)
    lines = text.splitlines()
    assert len(lines) <= 40  # the issue: "at most about 40 lines" (done when: 60)
    assert max(len(line) for line in lines) <= 100
    rows = [line for line in lines if line.startswith("│ ") and line[2:4].strip().isdigit()]
    assert len(rows) == 5
    for row, (name, kind_vi, kind_en, when, proven) in zip(rows, SIGNERS, strict=True):
        assert name in row and when in row, row
        assert (kind_vi if lang == "vi" else kind_en) in row
        mark = {("vi", True): "đã chứng minh", ("vi", False): "tự khai",
                ("en", True): "proven", ("en", False): "claimed"}[lang, proven]
        assert mark in row
        assert ("Hợp lệ" if lang == "vi" else "Passed") in row
    # The document's fields, two to four lines, with the register's words.
    for phrase in ("SỞ NỘI VỤ (UBND THÀNH PHỐ HẢI PHÒNG)", "2971/SNV-VP", "2025-09-25",
                   "Công văn", "V/v hưởng ứng Ngày hội Đổi mới sáng tạo",
                   "TL. GIÁM ĐỐC · CHÁNH VĂN PHÒNG · Bùi Văn Nam"):
        assert phrase in text, phrase
    words = ("Cơ quan ban hành", "Số, ký hiệu", "Ngày ban hành", "Trích yếu") if lang == "vi" \
        else ("Issuing agency", "Number and symbol", "Date of issue", "Subject")
    for word in words:
        assert word in text
    # The compact view leaves the certificate details to --details.
    assert "SHA-256" not in text and "3C10E32940A3B3EC464B7497F2B385F8" not in text


@pytest.mark.parametrize("width", [80, 100])
def test_a_narrow_terminal_never_cuts_a_verdict_or_a_time(untrusted_root: DocumentReport,
                                                          width: int) -> None:
    text, _ = shown(untrusted_root, "vi", width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    rows = [line for line in text.splitlines() if line[2:4].strip().isdigit()]
    assert len(rows) == 5
    for row, (_name, _vi, _en, when, _proven) in zip(rows, SIGNERS, strict=True):
        assert when in row and "Chưa xác định được" in row, row


@pytest.mark.parametrize(("lang", "word"), [("vi", "Hợp lệ"), ("en", "Passed")])
def test_verdict_in_words_and_green(passed: DocumentReport, lang: str, word: str) -> None:
    text, ansi = shown(passed, lang)
    assert text.splitlines()[1].startswith(f"│ {'Kết luận' if lang == 'vi' else 'Verdict'}: "
                                           f"{word}")
    assert f"\x1b[1;32m{word}\x1b[0m" in ansi  # bold green
    assert ("Không có cảnh báo hay lỗi." if lang == "vi" else "No warnings or errors.") in text


@pytest.mark.parametrize(("lang", "word", "heading"),
                         [("vi", "Chưa xác định được", "Cảnh báo và lỗi"),
                          ("en", "Indeterminate", "Warnings and errors")])
def test_problems_name_the_signatures_they_concern(untrusted_root: DocumentReport, lang: str,
                                                   word: str, heading: str) -> None:
    text, ansi = shown(untrusted_root, lang)
    assert f"\x1b[1;33m{word}\x1b[0m" in ansi  # bold yellow
    assert heading in text
    # One line for the five signatures without a trusted chain, not five.
    assert text.count("[NO_TRUSTED_CHAIN]") == 1
    line = next(li for li in text.splitlines() if "#1–#5" in li)
    assert line.lstrip("│ ").startswith("✗ #1–#5")
    # INFO findings stay in the full report.
    assert "[MODIFIED_FORM_FILLING]" not in text and "[NO_TIMESTAMP]" not in text


def test_failed_is_red_with_the_reason() -> None:
    text, ansi = shown(check("tampered-flipped-byte.pdf"), "vi")
    assert "\x1b[1;31mKhông hợp lệ\x1b[0m" in ansi
    assert "HASH_FAILURE" in text and text.count("[HASH_MISMATCH]") == 1


def test_details_is_the_full_report(passed: DocumentReport) -> None:
    text, _ = shown(passed, "vi", details=True)
    for phrase in ("SHA-256", "Số hiệu chứng thư", "3C10E32940A3B3EC464B7497F2B385F8",
                   "Chuỗi chứng thư số", "Kiểm tra tình trạng thu hồi", "Hình ảnh chữ ký",
                   "Nơi gửi đến (Kính gửi)", "[CHAIN_TRUSTED]", "[MODIFIED_FORM_FILLING]"):
        assert phrase in text, phrase
    assert len(text.splitlines()) > 100


def test_text_from_the_document_is_never_markup(passed: DocumentReport) -> None:
    """A signer or agency name that looks like rich markup prints as it is written."""
    evil = "[bold red]Hợp lệ[/] [/nonexistent] [link=http://x]"
    sig = passed.signatures[0]
    assert sig.signer is not None
    signer = dataclasses.replace(sig.signer, common_name=evil)
    metadata = {**passed.metadata, "document": {**passed.metadata["document"],
                                                "issuing_authority": evil,
                                                "subject": {"value": evil, "source": "ocr"}}}
    hostile = dataclasses.replace(passed, metadata=metadata, signatures=(
        dataclasses.replace(sig, signer=signer), *passed.signatures[1:]))
    for details in (False, True):
        text, _ = shown(hostile, "en", details=details, width=200)
        assert evil in text


def test_a_report_without_fields_or_signatures() -> None:
    text, _ = shown(check("not-a-pdf.pdf"), "en")
    assert "Verdict: Indeterminate (FORMAT_FAILURE)" in text
    assert "✗ The file is not a PDF" in text and "[INPUT_NOT_PDF]" in text
    assert "Issuing agency" not in text


def run(*args: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "VNSIGN"))}
    env.update(COLUMNS="100", LANG="C.UTF-8", VNSIGN_DATA_DIR=os.devnull + "-none")
    return subprocess.run([sys.executable, "-m", "vnsign.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_cli_default_is_compact_and_details_is_full() -> None:
    trust = ["--offline", "--at", "2026-11-26T07:00:00", "--trust", str(PKI / "root.cert.pem"),
             "--other-certs", str(PKI / "intermediate.cert.pem"), str(FIXTURES / MAIN)]
    compact = run("verify", "--lang", "vi", *trust)
    full = run("verify", "--lang", "vi", "--details", *trust)
    assert compact.returncode == full.returncode == 0, compact.stderr + full.stderr
    assert len(compact.stdout.splitlines()) <= 60  # the "done when"
    for name, _, _, when, _ in SIGNERS:
        assert name in compact.stdout and when in compact.stdout
    assert "Chuỗi chứng thư số" not in compact.stdout
    assert "Chuỗi chứng thư số" in full.stdout and len(full.stdout.splitlines()) > 100


def test_inspect_in_the_same_style() -> None:
    path = str(FIXTURES / "metadata" / "02-quyet-dinh-quy-pham-quang-ngai.pdf")
    compact = run("inspect", "--lang", "vi", path)
    full = run("inspect", "--lang", "vi", "--details", path)
    assert compact.returncode == full.returncode == 0
    for phrase in ("Cơ quan ban hành", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "Số, ký hiệu",
                   "12/2025/QĐ-UBND", "Ngày ban hành 2025-03-03", "Loại văn bản Quyết định",
                   "Người ký (trên văn bản)", "Võ Văn Khánh"):
        assert phrase in compact.stdout, phrase
    assert "Nơi nhận" not in compact.stdout  # the distribution list is in --details
    assert "Nơi nhận" in full.stdout and "Thông tin của tệp PDF" in full.stdout

