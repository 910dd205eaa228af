"""The HTTP client's rules, proven against real local servers (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import aiohttp
import pytest

from tests.helpers import check, codes
from vnsign import Indication, Policy
from vnsign.validation.network import make_session

BIG = 64 * 1024 * 1024


class _Hostile(BaseHTTPRequestHandler):
    sent: ClassVar[dict[str, int]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/redirect-ftp"):
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/secret")
            self.end_headers()
            return
        if self.path.startswith("/redirect-file"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        declared = self.path.startswith("/declared")
        self.send_response(200)
        self.send_header("Content-Type", "application/pkix-crl")
        if declared:
            self.send_header("Content-Length", str(BIG))
        self.end_headers()
        chunk = b"\x30" * 65536
        total = 0
        try:
            while total < BIG:
                self.wfile.write(chunk)
                total += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            type(self).sent[self.path] = total

    do_POST = do_GET


@pytest.fixture
def hostile() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def _get(url: str, cap: int) -> bytes:
    async with make_session(cap) as session, session.get(url) as response:
        return await response.read()


def test_body_cap_without_content_length(hostile: str) -> None:
    with pytest.raises(aiohttp.ClientPayloadError):
        asyncio.run(_get(hostile + "/stream", cap=1024 * 1024))
    assert _Hostile.sent.get("/stream", 0) < BIG  # the client hung up long before the end


def test_body_cap_with_declared_length(hostile: str) -> None:
    with pytest.raises(aiohttp.ClientPayloadError):
        asyncio.run(_get(hostile + "/declared", cap=1024 * 1024))


def test_small_bodies_pass(hostile: str) -> None:
    data = asyncio.run(_get(hostile + "/stream", cap=BIG + 1))
    assert len(data) == BIG


@pytest.mark.parametrize("path", ["/redirect-ftp", "/redirect-file"])
def test_redirect_to_other_scheme_refused(hostile: str, path: str) -> None:
    with pytest.raises(aiohttp.ClientError):
        asyncio.run(_get(hostile + path, cap=1024))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "ldap://127.0.0.1/x"])
def test_non_http_url_refused(url: str) -> None:
    with pytest.raises(aiohttp.ClientError):
        asyncio.run(_get(url, cap=1024))


def test_oversized_crl_makes_revocation_unknown_not_a_hang() -> None:
    """The CRL address of the fixture certificate serves an endless body: the fetch is
    cut at the cap and revocation is reported UNKNOWN (never GOOD)."""
    try:
        server = ThreadingHTTPServer(("127.0.0.1", 48231), _Hostile)
    except OSError:
        pytest.skip("port 48231 busy")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        policy = Policy(offline=False, network_timeout=10, max_download_size=256 * 1024)
        report = check("revoked-crl.pdf", policy=policy)
    finally:
        server.shutdown()
        server.server_close()
    sig = report.signatures[0]
    assert sig.chain is not None
    assert sig.chain.revocation.status.value == "UNKNOWN"
    assert "REVOCATION_UNKNOWN" in codes(sig.findings)
    assert report.indication != Indication.FAILED or report.sub_indication != "REVOKED"
