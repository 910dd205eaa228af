"""The only HTTP client vnsign uses (revocation data, missing intermediates, and the
official roots ``vnsign trust fetch-vn`` downloads).

Every address it may contact comes from a certificate, and a certificate in a PDF is
chosen by whoever sent the PDF. Rules, all enforced here so that no other module can
forget one:

* **public addresses only**: by default no connection is made to a loopback, private,
  link-local (169.254.169.254, the cloud metadata service), multicast, reserved or
  otherwise non-global address. The check is made on the address a connection is about
  to use, *after* DNS resolution, for the first request and for every redirect alike
  (aiohttp hands every connection attempt to :func:`_guarded_socket`), so a host name
  that resolves to 127.0.0.1, an IP literal or a redirect to 10.0.0.1 are all refused.
  ``Policy.allow_private_network`` (``--allow-private-network``,
  ``VNSIGN_ALLOW_PRIVATE_NETWORK=1``) lifts it for an intranet CA;
* http and https only, for the first request and for every redirect;
* a response body is capped (``Policy.max_download_size``, after decompression, so a
  gzip bomb stops at the cap too);
* short per-request timeouts (pyHanko's fetchers apply ``Policy.network_timeout``);
* no cookies, no proxy or credentials from the environment;
* every request is recorded (:class:`vnsign.models.NetworkRequest`: address, purpose,
  outcome) and listed in the report, so a reader sees where the document made vnsign go;
* one cache per run: every signature of a document shares one set of fetchers, so the
  same OCSP response, CRL or issuer certificate is fetched once, not once per
  signature (and the request budget of pyHanko's ``FetchLimits`` covers the run).

Nothing here runs in ``--offline`` mode: the validation spec then has no fetcher.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from pyhanko_certvalidator.fetchers.api import FetcherBackend

from vnsign.errors import VnsignError
from vnsign.models import FetchOutcome, FetchPurpose, NetworkRequest
from vnsign.tls_defaults import load_deferred_certificates

ALLOWED_SCHEMES = frozenset({"http", "https"})
_CHUNK = 64 * 1024
_MAX_URL_IN_REPORT = 2048


class ResponseTooLarge(aiohttp.ClientPayloadError, VnsignError):
    """The server sent more than the cap; pyHanko treats it as a failed fetch (it
    catches aiohttp's errors, so this stays one)."""


class DisallowedScheme(aiohttp.InvalidURL, VnsignError):
    """A URL (or redirect) that is not http(s)."""


class BlockedAddress(OSError, VnsignError):
    """An address vnsign does not connect to without ``allow_private_network``.

    An ``OSError`` (EACCES), as a refused connection would be: aiohttp reports it as a
    connection error, which pyHanko treats as a failed fetch.
    """

    def __init__(self, address: str) -> None:
        super().__init__(errno.EACCES, f"connection to {address} refused: not a public "
                                       "address (--allow-private-network allows it)")


def address_allowed(address: str, *, allow_private_network: bool = False) -> bool:
    """May vnsign connect to this IP address?

    Only globally routable unicast addresses, unless private networks are allowed
    (then anything but the unspecified address). An IPv4 address written as IPv6
    (``::ffff:127.0.0.1``) is judged as the IPv4 address it is.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return False
    if allow_private_network:
        return True
    return ip.is_global and not ip.is_multicast


def _guarded_socket(allow_private_network: bool) -> Callable[[Any], socket.socket]:
    """aiohttp's socket factory: called with the resolved address of every connection
    attempt (IP literals, every DNS answer, every redirect), before connecting."""

    def factory(addr_info: Any) -> socket.socket:
        family, type_, proto, _canonname, sockaddr = addr_info
        if not address_allowed(str(sockaddr[0]), allow_private_network=allow_private_network):
            raise BlockedAddress(str(sockaddr[0]))
        return socket.socket(family=family, type=type_, proto=proto)

    return factory


def _capped_response_class(limit: int, log: list[NetworkRequest] | None
                           ) -> type[aiohttp.ClientResponse]:
    class CappedResponse(aiohttp.ClientResponse):
        async def read(self) -> bytes:
            if self._body is None:
                if self.content_length is not None and self.content_length > limit:
                    self.close()
                    _mark_too_large(log, str(self.url))
                    raise ResponseTooLarge(f"response of {self.content_length} bytes "
                                           f"exceeds the {limit}-byte limit")
                buffer = bytearray()
                while chunk := await self.content.read(_CHUNK):
                    buffer += chunk
                    if len(buffer) > limit:
                        self.close()
                        _mark_too_large(log, str(self.url))
                        raise ResponseTooLarge(f"response exceeds the {limit}-byte limit")
                self._body = bytes(buffer)
            return await super().read()

    return CappedResponse


def _mark_too_large(log: list[NetworkRequest] | None, url: str) -> None:
    if log is None:
        return
    for index in range(len(log) - 1, -1, -1):
        entry = log[index]
        if entry.url == _shown(url) and entry.outcome is FetchOutcome.OK:
            log[index] = NetworkRequest(entry.url, entry.purpose, FetchOutcome.TOO_LARGE,
                                        entry.status)
            return


Handler = Callable[[aiohttp.ClientRequest], Awaitable[aiohttp.ClientResponse]]
Middleware = Callable[[aiohttp.ClientRequest, Handler], Awaitable[aiohttp.ClientResponse]]


def _shown(url: str) -> str:
    return url if len(url) <= _MAX_URL_IN_REPORT else url[:_MAX_URL_IN_REPORT] + "…"


def _purpose(request: aiohttp.ClientRequest) -> FetchPurpose:
    """What pyHanko is fetching, from the Accept header its fetchers send."""
    accept = request.headers.get("Accept", "")
    if "ocsp" in accept:
        return FetchPurpose.OCSP
    if "pkix-crl" in accept:
        return FetchPurpose.CRL
    if "pkix-cert" in accept or "pkcs7" in accept:
        return FetchPurpose.CERTIFICATE
    return FetchPurpose.OTHER


def _blocked(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (BlockedAddress, DisallowedScheme)):
            return True
        seen.add(id(current))
        current = getattr(current, "os_error", None) or current.__cause__
    return False


def _recording(log: list[NetworkRequest] | None) -> Middleware:
    """Refuse other schemes, and record every request (each redirect hop too)."""

    async def middleware(request: aiohttp.ClientRequest,
                         handler: Handler) -> aiohttp.ClientResponse:
        url, purpose = _shown(str(request.url)), _purpose(request)
        outcome, status = FetchOutcome.FAILED, None
        try:
            if request.url.scheme not in ALLOWED_SCHEMES:
                raise DisallowedScheme(request.url)
            response = await handler(request)
            status = response.status
            outcome = FetchOutcome.OK if status < 400 else FetchOutcome.HTTP_ERROR
            return response
        except BaseException as exc:  # recorded, then re-raised (timeouts cancel us)
            outcome = FetchOutcome.BLOCKED if _blocked(exc) else FetchOutcome.FAILED
            raise
        finally:
            if log is not None:
                log.append(NetworkRequest(url=url, purpose=purpose, outcome=outcome,
                                          status=status))

    return middleware


class SharedFetchersBackend(FetcherBackend):
    """A pyHanko fetcher backend that hands out the *same* fetchers every time.

    pyHanko asks its backend for fresh fetchers (with empty caches) for every
    validation operation; vnsign validates several signatures per document, usually
    with the same certificates, so it shares them for the run.
    """

    def __init__(self, inner: FetcherBackend) -> None:
        self._inner = inner
        self._fetchers: Any | None = None

    def get_fetchers(self) -> Any:
        if self._fetchers is None:
            self._fetchers = self._inner.get_fetchers()
        return self._fetchers

    async def close(self) -> None:
        await self._inner.close()


@dataclass(frozen=True)
class Download:
    url: str
    data: bytes | None
    error: str | None


async def _download(urls: Sequence[str], timeout: float, max_size: int,
                    allow_private_network: bool) -> list[Download]:
    results: list[Download] = []
    session = make_session(max_size, allow_private_network=allow_private_network)
    try:
        for url in urls:
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                    if resp.status != 200:
                        results.append(Download(url, None, f"HTTP {resp.status}"))
                        continue
                    results.append(Download(url, await resp.read(), None))
            except Exception as exc:  # unreachable, refused, too large, bad scheme
                results.append(Download(url, None, f"{type(exc).__name__}: {exc}"))
    finally:
        await session.close()
    return results


def download(urls: Sequence[str], *, timeout: float = 10.0, max_size: int = 1024 * 1024,
             allow_private_network: bool = False) -> list[Download]:
    """Fetch each address with the same rules as revocation data (``vnsign trust
    fetch-vn``): one result per address, the error instead of the bytes when it failed."""
    import asyncio

    return asyncio.run(_download(urls, timeout, max_size, allow_private_network))


def make_session(max_download_size: int, *, allow_private_network: bool = False,
                 log: list[NetworkRequest] | None = None) -> aiohttp.ClientSession:
    """A session bound to the running event loop; the caller closes it.

    ``log``, when given, receives one :class:`NetworkRequest` per request made.
    """
    load_deferred_certificates()  # vnsign.tls_defaults: before aiohttp's contexts serve
    connector = aiohttp.TCPConnector(socket_factory=_guarded_socket(allow_private_network))
    kwargs: dict[str, Any] = {
        "connector": connector,
        "response_class": _capped_response_class(max_download_size, log),
        "middlewares": (_recording(log),),
        "trust_env": False,
        "cookie_jar": aiohttp.DummyCookieJar(),
    }
    return aiohttp.ClientSession(**kwargs)
