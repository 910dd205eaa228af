"""The HTTP client's rules, proven against real local servers (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import aiohttp
import pytest
from yarl import URL

from tests.batch.support import TRUST_ARGS, cli_env, vnsign
from tests.helpers import check, codes, fixture_trust
from tests.signing import issue_signer, sign_pdf
from tests.test_schema import check as schema_check
from vnsign import DocumentReport, Indication, Policy, verify
from vnsign.models import FetchOutcome, FetchPurpose, NetworkRequest
from vnsign.validation import network
from vnsign.validation.network import (
    BlockedAddress,
    DisallowedScheme,
    _recording,
    address_allowed,
    make_session,
)

BIG = 64 * 1024 * 1024


class _Hostile(BaseHTTPRequestHandler):
    sent: ClassVar[dict[str, int]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/redirect-to?"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?", 1)[1])
            self.end_headers()
            return
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


async def _get(url: str, cap: int, log: list[NetworkRequest] | None = None,
               private: bool = True) -> bytes:
    """GET with vnsign's session; ``private``: the opt-in the local servers need."""
    async with make_session(cap, allow_private_network=private, log=log) as session, \
            session.get(url) as response:
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
    """aiohttp refuses a redirect to another scheme before any middleware runs; this
    holds vnsign to it (an aiohttp that let it through would fail here)."""
    log: list[NetworkRequest] = []
    with pytest.raises((aiohttp.NonHttpUrlRedirectClientError, DisallowedScheme)):
        asyncio.run(_get(hostile + path, cap=1024, log=log))
    assert [(e.outcome, e.status) for e in log] == [(FetchOutcome.OK, 302)]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "ldap://127.0.0.1/x"])
def test_non_http_url_refused(url: str) -> None:
    with pytest.raises((aiohttp.NonHttpUrlClientError, DisallowedScheme)):
        asyncio.run(_get(url, cap=1024))


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "gopher://127.0.0.1:11211/_stats"])
def test_vnsign_refuses_other_schemes_itself(url: str) -> None:
    """vnsign's own check, independent of aiohttp's: the request never reaches the
    connector, and the report records it as BLOCKED."""
    log: list[NetworkRequest] = []
    reached: list[str] = []

    async def handler(request: aiohttp.ClientRequest) -> aiohttp.ClientResponse:
        reached.append(str(request.url))
        raise AssertionError("the connector was reached")

    async def send() -> None:
        request = aiohttp.ClientRequest("GET", URL(url), loop=asyncio.get_running_loop())
        await _recording(log)(request, handler)

    with pytest.raises(DisallowedScheme):
        asyncio.run(send())
    assert reached == []
    assert [(e.url, e.outcome) for e in log] == [(url, FetchOutcome.BLOCKED)]


# -- no requests to the network vnsign runs in (SSRF, beacons) ---------------------------

@pytest.mark.parametrize("address", [
    "127.0.0.1", "::1", "::ffff:127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1",
    "169.254.169.254", "fe80::1", "fc00::1", "100.64.0.1", "0.0.0.0", "224.0.0.1",
    "255.255.255.255", "240.0.0.1", "not an address"])
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not address_allowed(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "203.162.4.190", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(address)
    assert address_allowed(address, allow_private_network=True)


def test_private_network_opt_in() -> None:
    assert address_allowed("127.0.0.1", allow_private_network=True)
    assert address_allowed("10.1.2.3", allow_private_network=True)
    assert not address_allowed("0.0.0.0", allow_private_network=True)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"])
def test_loopback_is_never_contacted_by_default(hostile: str, host: str) -> None:
    """An IP literal, a name that resolves to loopback (checked after DNS resolution)
    and an IPv4-mapped IPv6 literal: no connection reaches the server."""
    port = hostile.rsplit(":", 1)[1]
    log: list[NetworkRequest] = []
    with pytest.raises(aiohttp.ClientConnectorError) as refused:
        asyncio.run(_get(f"http://{host}:{port}/probe", cap=1024, log=log, private=False))
    assert isinstance(refused.value.os_error, BlockedAddress)
    assert _Hostile.sent.get("/probe") is None
    assert [(e.outcome, e.status) for e in log] == [(FetchOutcome.BLOCKED, None)]


@pytest.fixture
def second_loopback() -> Iterator[str]:
    """A counting server on 127.0.0.2 (still loopback: no network beyond this host)."""
    try:
        server = ThreadingHTTPServer(("127.0.0.2", 0), _Hostile)
    except OSError as exc:
        pytest.skip(f"127.0.0.2 unavailable: {exc}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_redirect_is_checked(hostile: str, second_loopback: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The first address is allowed (here: 127.0.0.1 counts as public), the redirect
    target is not: the second server never hears from vnsign."""
    monkeypatch.setattr(network, "address_allowed",
                        lambda address, allow_private_network=False: address == "127.0.0.1")
    log: list[NetworkRequest] = []
    target = f"{second_loopback}/after-redirect"
    with pytest.raises(aiohttp.ClientConnectorError) as refused:
        asyncio.run(_get(f"{hostile}/redirect-to?{target}", cap=1024, log=log,
                         private=False))
    assert isinstance(refused.value.os_error, BlockedAddress)
    assert _Hostile.sent.get("/after-redirect") is None
    assert [(e.url, e.outcome, e.status) for e in log] == [
        (f"{hostile}/redirect-to?{target}", FetchOutcome.OK, 302),
        (target, FetchOutcome.BLOCKED, None)]


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
        policy = Policy(offline=False, network_timeout=10, max_download_size=256 * 1024,
                        allow_private_network=True)
        report = check("revoked-crl.pdf", policy=policy)
    finally:
        server.shutdown()
        server.server_close()
    sig = report.signatures[0]
    assert sig.chain is not None
    assert sig.chain.revocation.status.value == "UNKNOWN"
    assert "REVOCATION_UNKNOWN" in codes(sig.findings)
    assert report.indication != Indication.FAILED or report.sub_indication != "REVOKED"
    crl = [r for r in report.network_requests if r.purpose == FetchPurpose.CRL]
    assert crl and {r.outcome for r in crl} == {FetchOutcome.TOO_LARGE}


# -- the attack end to end: a signed PDF whose certificate names the address ------------

class _Counting(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        self.send_response(404)
        self.end_headers()


@pytest.fixture
def listener() -> Iterator[str]:
    _Counting.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def beacon_pdf(ca_issuers: str) -> bytes:
    """Signed by a certificate of a CA nobody trusts, whose AIA names ``ca_issuers``:
    path building goes looking for that CA there (the sender learns the file was
    opened, or makes vnsign probe an address of the sender's choice)."""
    return sign_pdf(issue_signer("Nguyễn Văn Gửi", ca_issuers=ca_issuers, trusted=False))


def certificate_requests(report: DocumentReport) -> list[tuple[str, FetchOutcome]]:
    return [(r.url, r.outcome) for r in report.network_requests
            if r.purpose == FetchPurpose.CERTIFICATE]


def test_a_certificate_cannot_make_vnsign_call_a_local_address(listener: str) -> None:
    url = f"{listener}/beacon.cer"
    report = verify(beacon_pdf(url), trust=fixture_trust(),
                    policy=Policy(offline=False, network_timeout=5))
    assert _Counting.seen == []
    assert report.indication == Indication.INDETERMINATE
    assert certificate_requests(report) == [(url, FetchOutcome.BLOCKED)]
    assert report.policy.private_network is False and report.policy.aia is True
    schema_check(report.to_dict())  # the listing is part of the published contract
    assert DocumentReport.from_dict(report.to_dict()) == report


def test_nor_the_cloud_metadata_service() -> None:
    url = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
    report = verify(beacon_pdf(url), trust=fixture_trust(),
                    policy=Policy(offline=False, network_timeout=5))
    assert certificate_requests(report) == [(url, FetchOutcome.BLOCKED)]


def test_private_network_opt_in_reaches_it_and_says_so(listener: str) -> None:
    url = f"{listener}/intranet-ca.cer"
    report = verify(beacon_pdf(url), trust=fixture_trust(),
                    policy=Policy(offline=False, network_timeout=5, allow_private_network=True))
    assert _Counting.seen == ["/intranet-ca.cer"]
    assert certificate_requests(report) == [(url, FetchOutcome.HTTP_ERROR)]
    assert report.policy.private_network is True


def test_no_aia_fetches_no_certificate(listener: str) -> None:
    report = verify(beacon_pdf(f"{listener}/beacon.cer"), trust=fixture_trust(),
                    policy=Policy(offline=False, network_timeout=5, allow_private_network=True,
                                  aia=False))
    assert _Counting.seen == []
    assert report.network_requests == ()
    assert report.policy.aia is False


def test_command_line_switches(listener: str, tmp_path: Path) -> None:
    """--allow-private-network / VNSIGN_ALLOW_PRIVATE_NETWORK=1 / --no-aia, as a user
    gives them; a settings file cannot open the private network."""
    pdf = tmp_path / "beacon.pdf"
    pdf.write_bytes(beacon_pdf(f"{listener}/cli.cer"))
    base = ("verify", "--json", *TRUST_ARGS, "--timeout", "5", str(pdf))

    def run(*extra: str, **env: str) -> tuple[list[str], bool, bool]:
        """Outcomes of the listed requests, policy.aia, policy.private_network."""
        result = vnsign(*base, *extra, env=cli_env(**env), cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        data = json.loads(result.stdout)
        policy = data["policy"]
        return ([q["outcome"] for q in data["network_requests"]], policy["aia"],
                policy["private_network"])

    assert run() == (["BLOCKED"], True, False)
    assert _Counting.seen == []
    assert run("--allow-private-network") == (["HTTP_ERROR"], True, True)
    assert run(VNSIGN_ALLOW_PRIVATE_NETWORK="1") == (["HTTP_ERROR"], True, True)
    assert _Counting.seen == ["/cli.cer", "/cli.cer"]
    assert run("--allow-private-network", "--no-aia") == ([], False, True)
    (tmp_path / "vnsign.toml").write_text("allow-private-network = true\n", "utf-8")
    refused = vnsign(*base, cwd=tmp_path)
    assert refused.returncode == 2 and "allow-private-network" in refused.stderr
    assert _Counting.seen == ["/cli.cer", "/cli.cer"]
