"""``trust import-vn`` / ``trust fetch-vn``: only pinned VGCA/NEAC certificates are saved.

The download runs against a real HTTP server on 127.0.0.1 that plays ca.gov.vn: it serves
the official G2 root, a look-alike under the intermediate's address, a 404 and a PKCS#7
bundle. The shared copies of the official certificates come from ../shared/trust/vn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from asn1crypto import pem

from tests.conftest import PKI, shared_path
from vnsign.trust import TrustStore, saved_intermediates_dir, saved_store_dir
from vnsign.validation.network import download
from vnsign.vn.official_trust import import_certificates, import_files


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VNSIGN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _saved(folder: Path) -> list[str]:
    return sorted(p.name.split("-", 1)[1] for p in folder.glob("*.pem")) \
        if folder.is_dir() else []


def test_import_saves_official_certificates_and_names_each(data_dir: Path) -> None:
    folder = shared_path("trust", "vn")
    result = import_files([folder, PKI / "root.cert.pem", PKI / "lookalike-root.cert.pem"])
    names = {item.known.name: item.known.hierarchy for item in result.imported}
    assert names["RootCA chuyên dùng Chính phủ G2"] == "VGCA G2"
    assert names["Co quan chung thuc so chuyen dung Chinh phu (RootCA)"] == "VGCA G1"
    assert names["Vietnam National Root CA"] == "NEAC"
    assert len(result.imported) == 11  # every file of the shared folder is official
    # the test PKI's roots carry VGCA-like names, but no pinned fingerprint
    refused = {r.origin.rsplit("/", 1)[-1] for r in result.refused}
    assert refused == {"root.cert.pem", "lookalike-root.cert.pem"}
    assert all(r.reason == "not a pinned VGCA or NEAC certificate" for r in result.refused)
    # roots are trust anchors; CAs only help to build chains
    roots = _saved(saved_store_dir())
    intermediates = _saved(saved_intermediates_dir())
    assert "RootCA-chuy-n-d-ng-Ch-nh-ph-G2.pem" in roots
    assert any(name.startswith("CA-ph-c-v") for name in intermediates)
    assert len(roots) == 4 and len(intermediates) == 7
    store = TrustStore.load()
    assert len(store.roots) == 4 and len(store.other_certs) == 7


class _Official(BaseHTTPRequestHandler):
    """ca.gov.vn as the test needs it."""

    routes: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.routes.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def official_server() -> Iterator[str]:
    folder = shared_path("trust", "vn")
    g2_root = pem.unarmor((folder / "vgca-rootca-g2.pem").read_bytes())[2]
    lookalike = pem.unarmor((PKI / "lookalike-root.cert.pem").read_bytes())[2]
    bundle = (folder / "neac-vietnam-national-root-ca.pem").read_bytes() + \
        (folder / "neac-vnpt-ca-sha2.pem").read_bytes()
    _Official.routes = {"/pki/pub/crt/rootcag2.crt": g2_root,
                        "/pki/pub/crt/cpcag2.crt": lookalike,
                        "/crt/vnrca256.p7b": bundle}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Official)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_fetch_accepts_only_pinned_fingerprints(data_dir: Path, official_server: str) -> None:
    sources = [official_server + path for path in
               ("/pki/pub/crt/rootcag2.crt", "/pki/pub/crt/cpcag2.crt",
                "/pki/pub/cert/cp.crt", "/crt/vnrca256.p7b")]
    downloads = download(sources, timeout=5, allow_private_network=True)  # 127.0.0.1
    result = import_certificates((d.url, d.data) for d in downloads if d.data is not None)
    assert [d.error for d in downloads] == [None, None, "HTTP 404", None]
    assert sorted(i.known.name for i in result.imported) == [
        "RootCA chuyên dùng Chính phủ G2", "VNPT-CA SHA2", "Vietnam National Root CA"]
    # the look-alike served at the official address is refused and named
    assert [(r.origin, r.common_name) for r in result.refused] == [
        (sources[1], "Test RootCA chuyên dùng Chính phủ G2")]
    assert len(_saved(saved_store_dir())) == 2 and len(_saved(saved_intermediates_dir())) == 1


def test_fetch_reports_unreachable_sources(data_dir: Path) -> None:
    # Port 9 on the loopback (discard): nothing listens there in the test environment.
    downloads = download(["http://127.0.0.1:9/rootcag2.crt", "file:///etc/passwd"], timeout=2)
    result = import_certificates((d.url, d.data) for d in downloads if d.data is not None)
    assert all(d.data is None and d.error for d in downloads)
    assert result.imported == [] and not saved_store_dir().exists()
