"""Shared fixtures of the validation tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.revocation_server import RevocationServer, load_revocations


@pytest.fixture(scope="module")
def responder() -> Iterator[RevocationServer]:
    """The test PKI's OCSP/CRL responder on 127.0.0.1:48231, one per test module."""
    try:
        server = RevocationServer(revoked=load_revocations()).start()
    except OSError as exc:  # port taken by something else on this machine
        pytest.skip(f"port 48231 unavailable: {exc}")
    yield server
    server.stop()
