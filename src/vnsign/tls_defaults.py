"""aiohttp's default TLS contexts, their CA certificates read when vnsign first opens an
HTTP session instead of when aiohttp is imported (vnsign's own processes only).

Why: pyHanko's ``sign.validation.ades`` imports pyhanko-certvalidator's aiohttp fetchers at
module level, so every verification imports aiohttp, and aiohttp's ``connector`` module
builds two TLS contexts as it is imported, each reading the system's CA bundle (about 150
certificates parsed by OpenSSL, twice). That was 0.49 of the 3.73 billion instructions a
cold ``vnsign verify`` of a corpus letter executes (13 %), and an offline run never opens
a connection.

:func:`defer_default_certificates` imports aiohttp with ``SSLContext.set_default_verify_paths``
held back for the length of that import only: the contexts aiohttp builds then are complete
but for their CA certificates. :func:`load_deferred_certificates` gives them exactly the call
that was held back; :func:`vnsign.validation.network.make_session`, the one place vnsign opens
a session, calls it first, so a run that goes online has the contexts aiohttp would have had
(``tests/test_tls_defaults.py`` compares their certificate stores with a fresh default
context's). Until then a context without CA certificates trusts no server at all: a
connection through it fails, it never succeeds wrongly.

Called, like :mod:`vnsign.collector`, only where vnsign owns the process (``vnsign verify``,
the workers of ``vnsign batch`` and ``vnsign watch``), before the validation stack is
imported: a library caller's aiohttp is left as the caller's imports made it. When aiohttp
is already imported, or builds no context at import, nothing is deferred.
"""

from __future__ import annotations

import importlib
import sys
import threading
from typing import Any

_deferred: list[Any] = []  # contexts whose set_default_verify_paths() was held back
_lock = threading.Lock()


def defer_default_certificates() -> None:
    """Import aiohttp now, its default contexts' CA certificates read later (see above)."""
    if "aiohttp" in sys.modules:
        return
    try:
        import ssl
    except ImportError:  # a Python without TLS: aiohttp builds no context to defer
        return
    # The method is _ssl._SSLContext's; shadowed on the subclass for the import, then the
    # shadow removed. No other thread runs yet in the processes that call this.
    own = ssl.SSLContext.__dict__.get("set_default_verify_paths")

    def hold_back(context: Any) -> None:
        _deferred.append(context)

    with _lock:
        ssl.SSLContext.set_default_verify_paths = hold_back  # type: ignore[method-assign,assignment]
        try:
            importlib.import_module("aiohttp")
        finally:
            if own is None:
                del ssl.SSLContext.set_default_verify_paths
            else:
                ssl.SSLContext.set_default_verify_paths = own  # type: ignore[method-assign]


def load_deferred_certificates() -> None:
    """Give the contexts built by :func:`defer_default_certificates` their CA certificates
    (the call held back); nothing when none was deferred. Before any HTTP session."""
    with _lock:
        while _deferred:
            _deferred.pop().set_default_verify_paths()


def deferred() -> int:
    """How many contexts still wait for their CA certificates (for tests and diagnostics)."""
    return len(_deferred)


__all__ = ["defer_default_certificates", "deferred", "load_deferred_certificates"]
