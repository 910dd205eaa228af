"""``vnsign batch`` and ``vnsign report`` as a user runs them (fresh processes, no TTY)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.batch.support import MAIN, OFFLINE_ARGS, TRUST_ARGS, copies, vnsign
from tests.conftest import FIXTURES, PKI, ROOT

SET = (MAIN, "tampered-flipped-byte.pdf", "unsigned.pdf")
REPORTS = ("r.csv", "r.xlsx", "r.xml", "r.jsonl", "r.json", "r.html")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("cli")
    docs = folder / "docs"
    docs.mkdir()
    for name in SET:
        (docs / name).write_bytes((FIXTURES / name).read_bytes())
    args = ["batch", str(docs), "--ledger", str(folder / "ledger.sqlite"), "--workers", "2",
            "--lang", "en", *TRUST_ARGS, *OFFLINE_ARGS]
    for name in REPORTS:
        args += ["--report", str(folder / "out" / name)]
    return folder, vnsign(*args)


def test_exit_code_and_summary(first_run: tuple[Path, Any]) -> None:
    _folder, proc = first_run
    assert proc.returncode == 1, proc.stderr  # tampered-flipped-byte.pdf FAILED
    assert "3 documents · Verified 3 · Skipped (unchanged) 0" in proc.stdout
    assert "Passed 1 · Failed 1 · Indeterminate 0 · No signature 1" in proc.stdout
    assert "tampered-flipped-byte.pdf  HASH_FAILURE" in proc.stdout
    # Not a terminal: no progress bar.
    assert "ETA" not in proc.stderr and "━" not in proc.stderr


def test_rerun_skips_everything(first_run: tuple[Path, Any]) -> None:
    folder, _ = first_run
    proc = vnsign("batch", str(folder / "docs"), "--ledger", str(folder / "ledger.sqlite"),
                  "--workers", "1", "--lang", "vi", *TRUST_ARGS, *OFFLINE_ARGS)
    assert proc.returncode == 1
    assert "3 văn bản · Đã kiểm tra 0 · Bỏ qua (không thay đổi) 3" in proc.stdout
    # One word per verdict: the failing document is listed with the word of the totals.
    assert "Không hợp lệ 1" in proc.stdout
    assert any(line.startswith("  Không hợp lệ  ") and "tampered-flipped-byte.pdf" in line
               for line in proc.stdout.splitlines()), proc.stdout
    assert "Không đạt" not in proc.stdout


def test_csv_has_bom_and_one_row_per_signature(first_run: tuple[Path, Any]) -> None:
    folder, _ = first_run
    raw = (folder / "out" / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for Vietnamese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_file: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_file.setdefault(Path(row["path"]).name, []).append(row)
    assert [len(by_file[n]) for n in SET] == [5, 5, 1]
    main = by_file[MAIN]
    assert [r["signer"] for r in main[:2]] == ["Bùi Văn Nam", "SỞ NỘI VỤ"]
    assert [r["signer_kind"] for r in main[:2]] == ["PERSON", "AGENCY"]
    assert main[0]["signing_time"] == "2025-09-25T15:56:11+07:00"
    assert main[0]["time_proven"] == "true"
    assert {r["signature_indication"] for r in by_file["tampered-flipped-byte.pdf"]} == {
        "FAILED"}
    assert by_file["unsigned.pdf"][0]["signature_index"] == ""
    assert "NO_SIGNATURES" in by_file["unsigned.pdf"][0]["document_findings"]


def test_xlsx_sheets_with_filters(first_run: tuple[Path, Any]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(folder_of(first_run) / "out" / "r.xlsx")
    assert wb.sheetnames == ["Incoming register", "Documents", "Signatures", "Summary"]
    docs, sigs = wb["Documents"], wb["Signatures"]
    assert docs.max_row == 1 + 3 and sigs.max_row == 1 + 11
    assert docs.auto_filter.ref == f"A1:{docs.cell(1, docs.max_column).column_letter}4"
    assert sigs.auto_filter.ref and sigs.auto_filter.ref.startswith("A1:")
    assert docs.freeze_panes == "B2"
    header = [c.value for c in docs[1]]
    verdicts = {Path(r[0]).name: r[header.index("Verdict")]
                for r in docs.iter_rows(min_row=2, values_only=True)}
    assert verdicts == {MAIN: "Passed", "tampered-flipped-byte.pdf": "Failed",
                        "unsigned.pdf": "No signature"}


def folder_of(run: tuple[Path, Any]) -> Path:
    return run[0]


def test_junit_is_valid_xml_with_failures(first_run: tuple[Path, Any]) -> None:
    tree = ET.parse(folder_of(first_run) / "out" / "r.xml")
    suite = tree.getroot().find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert sorted(cases) == sorted(SET)
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    assert cases[MAIN].find("failure") is None
    failure = cases["tampered-flipped-byte.pdf"].find("failure")
    assert failure is not None and failure.get("type") == "FAILED"
    assert "HASH_MISMATCH" in (failure.text or "")
    unsigned = cases["unsigned.pdf"].find("failure")
    assert unsigned is not None and unsigned.get("type") == "INDETERMINATE"


def test_json_reports_follow_the_schema(first_run: tuple[Path, Any]) -> None:
    import jsonschema

    schema = json.loads((ROOT / "src/vnsign/schema/report.schema.json").read_text("utf-8"))
    out = folder_of(first_run) / "out"
    lines = (out / "r.jsonl").read_text("utf-8").splitlines()
    array = json.loads((out / "r.json").read_text("utf-8"))
    assert [json.loads(line) for line in lines] == array
    assert len(array) == 3
    for report in array:
        jsonschema.validate(report, schema)


def test_report_rerenders_from_the_ledger(first_run: tuple[Path, Any]) -> None:
    folder = folder_of(first_run)
    proc = subprocess.run(
        [sys.executable, "-m", "vnsign.cli", "report", "--ledger", str(folder / "ledger.sqlite"),
         "--format", "csv", "--lang", "en"], capture_output=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (folder / "out" / "r.csv").read_bytes()
    out = folder / "again.html"
    proc2 = vnsign("report", "--ledger", str(folder / "ledger.sqlite"), "-o", str(out))
    assert proc2.returncode == 0, proc2.stderr
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    bad = vnsign("report", "--ledger", str(folder / "ledger.sqlite"), "-o", "x.unknown")
    assert bad.returncode == 2


def test_stdin_list_globs_quiet_and_fail_on(tmp_path: Path) -> None:
    copies(tmp_path / "a", 2, (MAIN,))
    copies(tmp_path / "b", 1, ("unsigned.pdf",), prefix="u")
    listing = f"# inputs\n{tmp_path / 'a'}\n{tmp_path / 'b' / 'u-*.pdf'}\n"
    proc = vnsign("batch", "--from-list", "-", "--quiet", "--fail-on", "failed", "--workers",
                  "1", "--report", str(tmp_path / "r.jsonl"), *TRUST_ARGS, *OFFLINE_ARGS,
                  stdin=listing)
    assert proc.returncode == 0, proc.stderr  # NO_SIGNATURE tolerated by --fail-on failed
    assert proc.stdout == ""
    reports = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert sorted(r["indication"] for r in reports) == ["NO_SIGNATURE", "PASSED", "PASSED"]


def test_settings_file_and_command_line_override(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    copies(docs, 1, (MAIN,), prefix="agency")
    copies(docs, 1, ("signed-doc-timestamp.pdf",), prefix="person-only")
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'store'\n\n[tool.vnsign]\n"
        f"trust = '{PKI / 'root.cert.pem'}'\nother-certs = ['{PKI / 'intermediate.cert.pem'}']\n"
        "no-saved-trust = true\noffline = true\nat = '2026-11-26T07:00:00+00:00'\n"
        "require-agency-signature = true\nrequire-signatures = 9\nworkers = 1\n"
        "ledger = 'ledger.sqlite'\n")
    proc = vnsign("batch", "docs", "--lang", "en", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "at least 9 required" in proc.stdout and "No signature by an agency" in proc.stdout
    assert (tmp_path / "ledger.sqlite").exists()  # relative to the settings file
    proc = vnsign("batch", "docs", "--lang", "en", "--require-signatures", "1", cwd=tmp_path)
    assert proc.returncode == 1
    assert "at least" not in proc.stdout
    assert "person-only-000.pdf  No signature by an agency" in proc.stdout
    assert "agency-000.pdf" not in proc.stdout
    assert "Skipped (unchanged) 2" in proc.stdout  # same policy: the ledger is reused


def test_all_passed_exits_0_and_usage_errors_exit_2(tmp_path: Path) -> None:
    files = copies(tmp_path, 1, ("signed-doc-timestamp.pdf",))
    ok = vnsign("batch", str(files[0]), "--workers", "1", *TRUST_ARGS, *OFFLINE_ARGS)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert vnsign("batch", str(files[0]), "--report", "x.pdf").returncode == 2
    assert vnsign("batch").returncode == 2
    (tmp_path / "vnsign.toml").write_text("fail_on = 'never'\n")
    bad = vnsign("batch", str(files[0]), cwd=tmp_path)
    assert bad.returncode == 2 and "fail-on" in bad.stderr
    nothing = vnsign("batch", str(tmp_path / "*.nothing.pdf"))
    assert nothing.returncode == 3 and "no PDF" in nothing.stderr


def test_help_stays_lazy() -> None:
    code = ("import sys, vnsign.cli\n"
            "from click.testing import CliRunner\n"
            "for cmd in (['--help'], ['batch', '--help'], ['report', '--help'],"
            " ['watch', '--help']):\n"
            "    assert CliRunner().invoke(vnsign.cli.main, cmd).exit_code == 0\n"
            "heavy = [m for m in ('pyhanko', 'pypdf', 'rich', 'asn1crypto', 'cryptography',"
            " 'openpyxl', 'pypdfium2', 'distributed', 'dask', 'sqlite3')"
            " if m in sys.modules]\n"
            "print(heavy)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert proc.stdout.strip() == "[]"
