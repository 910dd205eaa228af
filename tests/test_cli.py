"""The command line: exit codes, JSON output, Vietnamese/English text, trust store.

Runs the installed ``vnsign`` entry point in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, PKI

TRUST = ["--trust", str(PKI / "root.cert.pem"), "--other-certs", str(PKI / "intermediate.cert.pem")]
AT = ["--at", "2026-11-26T07:00:00"]


def run(*args: str, env: dict[str, str] | None = None, data_dir: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    full_env.pop("VNSIGN_TRUST", None)
    full_env["LANG"] = "C.UTF-8"
    full_env["COLUMNS"] = "200"
    if data_dir is not None:
        full_env["VNSIGN_DATA_DIR"] = str(data_dir)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "vnsign.cli", *args], capture_output=True,
                          text=True, env=full_env, timeout=120, check=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "vnsign-data"


def verify_json(*args: str, data_dir: Path) -> tuple[int, list[dict[str, Any]]]:
    proc = run("verify", "--json", "--offline", *AT, *args, data_dir=data_dir)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, lines


def test_exit_0_when_all_passed(data_dir: Path) -> None:
    code, reports = verify_json(*TRUST, str(FIXTURES / "cong-van-2971-snv-vp.pdf"),
                                data_dir=data_dir)
    assert code == 0
    assert [r["indication"] for r in reports] == ["PASSED"]
    assert reports[0]["summary"]["signatures"] == 5


def test_exit_1_when_any_failed(data_dir: Path) -> None:
    code, reports = verify_json(*TRUST, str(FIXTURES / "cong-van-2971-snv-vp.pdf"),
                                str(FIXTURES / "tampered-flipped-byte.pdf"), data_dir=data_dir)
    assert code == 1
    assert [r["indication"] for r in reports] == ["PASSED", "FAILED"]


def test_exit_1_for_a_truncated_signed_file(data_dir: Path) -> None:
    # Its intact revisions are verified; the cut-off rest makes every signature FAILED.
    code, reports = verify_json(*TRUST, str(FIXTURES / "truncated.pdf"), data_dir=data_dir)
    assert code == 1
    assert reports[0]["indication"] == "FAILED"


@pytest.mark.parametrize("name", ["unsigned.pdf", "not-a-pdf.pdf", "empty.pdf",
                                  "encrypted.pdf", "lookalike-root.pdf"])
def test_exit_3_otherwise(data_dir: Path, name: str) -> None:
    code, reports = verify_json(*TRUST, str(FIXTURES / name), data_dir=data_dir)
    assert code == 3
    assert reports[0]["indication"] in ("INDETERMINATE", "NO_SIGNATURE")


def test_exit_3_without_trust(data_dir: Path) -> None:
    code, reports = verify_json(str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    assert code == 3
    assert reports[0]["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"


def test_exit_2_on_usage_errors(data_dir: Path) -> None:
    assert run("verify", data_dir=data_dir).returncode == 2  # no file
    assert run("verify", "--lang", "fr", "x.pdf", data_dir=data_dir).returncode == 2
    assert run("verify", "--trust", "/nonexistent", "x.pdf", data_dir=data_dir).returncode == 2
    bad = FIXTURES / "not-a-pdf.pdf"  # exists but holds no certificate
    proc = run("verify", "--trust", str(bad), str(bad), data_dir=data_dir)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_missing_file_is_a_result_not_a_crash(data_dir: Path, tmp_path: Path) -> None:
    code, reports = verify_json(str(tmp_path / "missing.pdf"), data_dir=data_dir)
    assert code == 3
    assert reports[0]["findings"][0]["code"] == "INPUT_IO_ERROR"


def test_vietnamese_text_report(data_dir: Path) -> None:
    proc = run("verify", "--details", "--lang", "vi", "--offline", *AT, *TRUST,
               str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for phrase in ("Kết luận", "Hợp lệ", "Người ký", "Bùi Văn Nam", "SỞ NỘI VỤ",
                   "Thời gian ký", "2025-09-25T15:56:11+07:00", "Dấu thời gian",
                   "Tính toàn vẹn", "Chuỗi chứng thư số", "Chưa kiểm tra",
                   "đã ký lên văn bản này!"):
        assert phrase in out, phrase
    assert "Traceback" not in proc.stderr


def test_language_follows_locale(data_dir: Path) -> None:
    args = ("verify", "--offline", *AT, *TRUST, str(FIXTURES / "tampered-flipped-byte.pdf"))
    vi = run(*args, env={"LANG": "vi_VN.UTF-8"}, data_dir=data_dir)
    en = run(*args, env={"LANG": "en_US.UTF-8"}, data_dir=data_dir)
    assert vi.returncode == en.returncode == 1
    assert "Không hợp lệ" in vi.stdout and "Failed" not in vi.stdout
    assert "Failed" in en.stdout and "Không hợp lệ" not in en.stdout


def test_json_is_pure_json(data_dir: Path) -> None:
    """--json never mixes human text or log lines into stdout."""
    proc = run("verify", "--json", "--offline", *AT, *TRUST,
               str(FIXTURES / "modified-page-content.pdf"), data_dir=data_dir)
    assert proc.returncode == 1
    (line,) = proc.stdout.splitlines()
    assert json.loads(line)["indication"] == "FAILED"


def test_trust_store_add_list_remove(data_dir: Path) -> None:
    added = run("trust", "add", str(PKI / "root.cert.pem"), data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    listed = run("trust", "list", "--json", data_dir=data_dir)
    (entry,) = json.loads(listed.stdout)
    assert entry["common_name"] == "Test RootCA chuyên dùng Chính phủ G2"

    # the saved root is used by verify without --trust
    code, reports = verify_json("--other-certs", str(PKI / "intermediate.cert.pem"),
                                str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    assert code == 0 and reports[0]["indication"] == "PASSED"
    # ... unless told to ignore it
    code, _ = verify_json("--no-saved-trust", "--other-certs",
                          str(PKI / "intermediate.cert.pem"),
                          str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    assert code == 3

    removed = run("trust", "remove", entry["sha256"][:12], data_dir=data_dir)
    assert removed.returncode == 0
    assert json.loads(run("trust", "list", "--json", data_dir=data_dir).stdout) == []
    assert run("trust", "remove", "deadbeefdead", data_dir=data_dir).returncode == 2


def test_vnsign_trust_environment_variable(data_dir: Path) -> None:
    env = {"VNSIGN_TRUST": str(PKI / "root.cert.pem")}
    proc = run("verify", "--json", "--offline", *AT, "--other-certs",
               str(PKI / "intermediate.cert.pem"), str(FIXTURES / "cong-van-2971-snv-vp.pdf"),
               env=env, data_dir=data_dir)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["indication"] == "PASSED"


def test_trust_accepts_pkcs7_bundle_and_folder(data_dir: Path, tmp_path: Path) -> None:
    from asn1crypto import cms, pem

    from vnsign.trust import load_certificates

    certs = load_certificates([PKI / "root.cert.pem", PKI / "intermediate.cert.pem"])
    signed = cms.SignedData({
        "version": "v1", "digest_algorithms": [], "signer_infos": [],
        "encap_content_info": {"content_type": "data"},
        "certificates": [cms.CertificateChoices({"certificate": c}) for c in certs],
    })
    bundle = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    (tmp_path / "ca.p7b").write_bytes(bundle)
    (tmp_path / "ca-pem.p7b").write_bytes(pem.armor("PKCS7", bundle))
    (tmp_path / "root.der").write_bytes(certs[0].dump())
    assert len(load_certificates([tmp_path / "ca.p7b"])) == 2
    assert len(load_certificates([tmp_path / "ca-pem.p7b"])) == 2
    assert len(load_certificates([tmp_path])) == 2  # de-duplicated across files
    code, reports = verify_json("--trust", str(tmp_path / "root.der"), "--other-certs",
                                str(tmp_path / "ca.p7b"),
                                str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    assert code == 0 and reports[0]["indication"] == "PASSED"


def test_help_is_lazy() -> None:
    """`vnsign --help` must not import the heavy validation stack."""
    code = ("import sys, vnsign.cli\n"
            "from click.testing import CliRunner\n"
            "CliRunner().invoke(vnsign.cli.main, ['--help'])\n"
            "CliRunner().invoke(vnsign.cli.main, ['verify', '--help'])\n"
            "heavy = [m for m in ('pyhanko', 'pypdf', 'rich', 'asn1crypto', 'cryptography')"
            " if m in sys.modules]\n"
            "print(heavy)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert proc.stdout.strip() == "[]"


def test_trust_add_recognises_official_roots(data_dir: Path) -> None:
    from tests.conftest import shared_path

    official = shared_path("trust", "vn", "vgca-rootca-g2.pem")
    proc = run("trust", "add", str(official), data_dir=data_dir)
    assert proc.returncode == 0
    assert "official VGCA G2 certificate (ca.gov.vn)" in proc.stdout
    assert "WARNING" not in proc.stderr


def test_trust_add_warns_about_lookalike_names(data_dir: Path, tmp_path: Path) -> None:
    """A self-made root named exactly like the official NEAC root is flagged."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Vietnam National Root CA")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    fake = tmp_path / "vnrca256.pem"
    fake.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    proc = run("trust", "add", str(fake), data_dir=data_dir)
    assert proc.returncode == 0
    assert "WARNING" in proc.stderr and "Vietnam National Root CA" in proc.stderr


def test_inspect_json_and_exit_codes(data_dir: Path) -> None:
    proc = run("inspect", "--json", str(FIXTURES / "unsigned.pdf"),
               str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    assert proc.returncode == 0
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["schema"] == "vnsign.metadata/1"
    for report in (first, second):
        doc = report["metadata"]["document"]
        assert doc["number_symbol"] == "2971/SNV-VP"
        assert doc["issuing_authority"] == "SỞ NỘI VỤ"
        assert doc["signer_name"] == "Bùi Văn Nam"
    bad = run("inspect", "--json", str(FIXTURES / "not-a-pdf.pdf"), data_dir=data_dir)
    assert bad.returncode == 3
    assert json.loads(bad.stdout)["findings"][0]["code"] == "INPUT_NOT_PDF"


def test_inspect_does_no_cryptography() -> None:
    code = ("import sys\n"
            "from vnsign import read_metadata\n"
            f"r = read_metadata({str(FIXTURES / 'cong-van-2971-snv-vp.pdf')!r})\n"
            "assert r.metadata['document']['date'] == '2025-09-25'\n"
            "print([m for m in ('pyhanko', 'pyhanko_certvalidator', 'aiohttp')"
            " if m in sys.modules])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert proc.stdout.strip() == "[]"


def test_verify_text_shows_document_fields_and_crosschecks(data_dir: Path) -> None:
    proc = run("verify", "--details", "--lang", "vi", "--offline", *AT, *TRUST,
               str(FIXTURES / "cong-van-2971-snv-vp.pdf"), data_dir=data_dir)
    for phrase in ("Thông tin văn bản", "Số, ký hiệu", "2971/SNV-VP", "Trích yếu",
                   "Đối chiếu văn bản và chữ ký số", "SIGNER_NAME_MATCHES_CERTIFICATE"):
        assert phrase in proc.stdout, phrase


def test_trust_import_vn_saves_only_pinned_certificates(data_dir: Path, tmp_path: Path
                                                        ) -> None:
    from tests.conftest import shared_path

    folder = shared_path("trust", "vn")
    proc = run("trust", "import-vn", str(folder / "vgca-rootca-g2.pem"),
               str(folder / "vgca-g2-ca-phuc-vu-cac-co-quan-nha-nuoc.pem"),
               str(PKI / "lookalike-root.cert.pem"), data_dir=data_dir)
    assert proc.returncode == 0
    assert "RootCA chuyên dùng Chính phủ G2  (VGCA G2 root, ca.gov.vn" in proc.stdout
    assert "CA phục vụ các cơ quan Nhà nước G2  (VGCA G2 intermediate" in proc.stdout
    assert "lookalike-root.cert.pem" in proc.stderr and "not a pinned" in proc.stderr
    listed = json.loads(run("trust", "list", "--json", data_dir=data_dir).stdout)
    assert [e["common_name"] for e in listed] == ["RootCA chuyên dùng Chính phủ G2"]
    nothing = run("trust", "import-vn", str(PKI / "root.cert.pem"), data_dir=tmp_path / "other")
    assert nothing.returncode == 1


def test_strict_algorithms_from_the_command_line_and_the_settings_file(
        data_dir: Path, tmp_path: Path) -> None:
    from tests.conftest import shared_path

    folder = shared_path("trust", "vn")
    doc = shared_path("corpora", "realvn", "gov", "portal-59-nd-g1-expired.pdf")
    args = ["--no-saved-trust", "--trust", str(folder / "vgca-rootca-g1.pem"),
            "--other-certs", str(folder / "vgca-g1-co-quan-chung-thuc-so-chinh-phu.pem"),
            "--no-visual-check"]
    proc = run("verify", "--json", "--offline", *args, str(doc), data_dir=data_dir)
    profile = json.loads(proc.stdout)
    assert proc.returncode == 0 and profile["policy"]["algorithms"] == "VN_GOV"
    proc = run("verify", "--json", "--offline", "--strict-algorithms", *args, str(doc),
               data_dir=data_dir)
    strict = json.loads(proc.stdout)
    assert proc.returncode == 3 and strict["policy"]["algorithms"] == "STRICT"
    assert (strict["indication"], strict["sub_indication"]) == ("INDETERMINATE",
                                                              "CRYPTO_CONSTRAINTS_FAILURE")
    settings = tmp_path / "vnsign.toml"
    settings.write_text("strict-algorithms = true\n", encoding="utf-8")
    proc = run("verify", "--json", "--offline", "--config", str(settings), *args, str(doc),
               data_dir=data_dir)
    assert proc.returncode == 3 and json.loads(proc.stdout)["policy"]["algorithms"] == "STRICT"
