"""Every run header says which roots are trusted and where each came from.

The attack (issue 11): in CI, the repository's own ``vnsign.toml`` (or
``[tool.vnsign]``) names the trust roots, so a pull request can trust its own root — or
swap the contents of the PEM file the settings name — and make its own documents
PASSED. vnsign keeps that way of configuring a store (see docs/ci-recipes.md for why and
for the protections), but the run can no longer hide it: ``verify``, ``batch`` and
``watch`` print the roots with their origin on standard error, the batch reports carry
them in their header, and a root that is not one of the official roots vnsign pins says
so — loudly when it is *named* like one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.batch.support import OFFLINE_ARGS, TRUST_ARGS, vnsign
from tests.conftest import FIXTURES, PKI

DOC = str(FIXTURES / "cong-van-2971-snv-vp.pdf")


def fake_official_root(path: Path) -> None:
    """A self-signed root named exactly like the official VGCA G2 root."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "RootCA chuyên dùng Chính phủ G2")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(datetime(2025, 1, 1, tzinfo=UTC))
            .not_valid_after(datetime(2035, 1, 1, tzinfo=UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def test_verify_names_the_roots_given_on_the_command_line() -> None:
    proc = vnsign("verify", "--lang", "en", *TRUST_ARGS, *OFFLINE_ARGS, DOC)
    assert proc.returncode == 0, proc.stderr
    assert "Trusted roots (1):" in proc.stderr
    assert (f"--trust: {PKI / 'root.cert.pem'} — Test RootCA chuyên dùng Chính phủ G2"
            in proc.stderr)
    assert "not a known official root" in proc.stderr
    assert "Trusted roots" not in proc.stdout  # the report itself is unchanged


def test_a_repository_settings_file_that_trusts_its_own_root_shows_in_the_header(
        tmp_path: Path) -> None:
    fake_official_root(tmp_path / "vgca-rootca-g2.pem")
    (tmp_path / "vnsign.toml").write_text('trust = ["vgca-rootca-g2.pem"]\n', "utf-8")
    proc = vnsign("verify", "--json", "--lang", "en", *OFFLINE_ARGS, DOC, cwd=tmp_path)
    header = proc.stderr
    assert f"{tmp_path / 'vnsign.toml'}: {tmp_path / 'vgca-rootca-g2.pem'}" in header
    assert "WARNING: named like, but not the same certificate as, " \
           "'RootCA chuyên dùng Chính phủ G2'" in header


def test_no_root_at_all_is_said_too(tmp_path: Path) -> None:
    proc = vnsign("verify", "--lang", "vi", "--no-saved-trust", *OFFLINE_ARGS, DOC,
                  cwd=tmp_path)
    assert "Chứng thư số gốc tin cậy: không có — không chữ ký nào có thể hợp lệ" in proc.stderr


def test_batch_prints_the_roots_and_puts_them_in_its_reports(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.pdf").write_bytes(Path(DOC).read_bytes())
    html = tmp_path / "r.html"
    proc = vnsign("batch", str(docs), "--workers", "1", "--lang", "en", "-q",
                  "--report", str(html), *TRUST_ARGS, *OFFLINE_ARGS)
    assert proc.returncode == 0, proc.stderr
    assert "Trusted roots (1):" in proc.stderr  # even with -q
    page = html.read_text("utf-8")
    assert "Trusted roots" in page and "Test RootCA chuyên dùng Chính phủ G2" in page


def test_watch_prints_the_roots(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = vnsign("watch", str(inbox), "--accepted", str(tmp_path / "a"), "--quarantine",
                  str(tmp_path / "q"), "--once", "--interval", "0.05", "--lang", "en",
                  *TRUST_ARGS, *OFFLINE_ARGS)
    assert proc.returncode == 0, proc.stderr
    assert "Trusted roots (1):" in proc.stderr
