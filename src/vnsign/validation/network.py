"""The only HTTP client vnsign uses (revocation data and missing intermediates).

Rules, all enforced here so that no other module can forget one:

* http and https only, for the first request and for every redirect (a certificate's
  AIA or CRL address is chosen by whoever made the certificate);
* a response body is capped (``Policy.max_download_size``, after decompression, so a
  gzip bomb stops at the cap too);
* short per-request timeouts (pyHanko's fetchers apply ``Policy.network_timeout``);
* no cookies, no proxy or credentials from the environment;
* one cache per run: every signature of a document shares one set of fetchers, so the
  same OCSP response, CRL or issuer certificate is fetched once, not once per
  signature (and the request budget of pyHanko's ``FetchLimits`` covers the run).

Nothing here runs in ``--offline`` mode: the validation spec then has no fetcher.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from pyhanko_certvalidator.fetchers.api import FetcherBackend

from vnsign.errors import VnsignError

ALLOWED_SCHEMES = frozenset({"http", "https"})
_CHUNK = 64 * 1024


class ResponseTooLarge(aiohttp.ClientPayloadError, VnsignError):
    """The server sent more than the cap; pyHanko treats it as a failed fetch (it
    catches aiohttp's errors, so this stays one)."""


class DisallowedScheme(aiohttp.InvalidURL, VnsignError):
    """A URL (or redirect) that is not http(s)."""


def _capped_response_class(limit: int) -> type[aiohttp.ClientResponse]:
    class CappedResponse(aiohttp.ClientResponse):
        async def read(self) -> bytes:
            if self._body is None:
                if self.content_length is not None and self.content_length > limit:
                    self.close()
                    raise ResponseTooLarge(f"response of {self.content_length} bytes "
                                           f"exceeds the {limit}-byte limit")
                buffer = bytearray()
                while chunk := await self.content.read(_CHUNK):
                    buffer += chunk
                    if len(buffer) > limit:
                        self.close()
                        raise ResponseTooLarge(f"response exceeds the {limit}-byte limit")
                self._body = bytes(buffer)
            return await super().read()

    return CappedResponse


Handler = Callable[[aiohttp.ClientRequest], Awaitable[aiohttp.ClientResponse]]


async def _http_only(request: aiohttp.ClientRequest, handler: Handler) -> aiohttp.ClientResponse:
    if request.url.scheme not in ALLOWED_SCHEMES:
        raise DisallowedScheme(request.url)
    return await handler(request)


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


async def _download(urls: Sequence[str], timeout: float, max_size: int) -> list[Download]:
    results: list[Download] = []
    session = make_session(max_size)
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


def download(urls: Sequence[str], *, timeout: float = 10.0, max_size: int = 1024 * 1024
             ) -> list[Download]:
    """Fetch each address with the same rules as revocation data (``vnsign trust
    fetch-vn``): one result per address, the error instead of the bytes when it failed."""
    import asyncio

    return asyncio.run(_download(urls, timeout, max_size))


def make_session(max_download_size: int) -> aiohttp.ClientSession:
    """A session bound to the running event loop; the caller closes it."""
    kwargs: dict[str, Any] = {
        "response_class": _capped_response_class(max_download_size),
        "middlewares": (_http_only,),
        "trust_env": False,
        "cookie_jar": aiohttp.DummyCookieJar(),
    }
    return aiohttp.ClientSession(**kwargs)
