"""Helpers for tests that verify the committed fixtures."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from tests.conftest import FIXTURES, PKI
from vnsign import DocumentReport, Policy, TrustStore, verify

# Offline tests validate at a fixed moment so that results never depend on the clock.
AT = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
OFFLINE = Policy(offline=True, validation_time=AT)


def fixture_trust(with_intermediate: bool = True) -> TrustStore:
    """The test root as the only trust anchor (+ the intermediate as an extra cert)."""
    others = [PKI / "intermediate.cert.pem"] if with_intermediate else []
    return TrustStore.load([PKI / "root.cert.pem"], others, use_saved=False, use_env=False)


def check(name: str, policy: Policy = OFFLINE, trust: TrustStore | None = None,
          **kwargs: Any) -> DocumentReport:
    return verify(FIXTURES / name, trust=trust if trust is not None else fixture_trust(),
                  policy=policy, **kwargs)


def codes(findings: Any) -> list[str]:
    return [f.code for f in findings]


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the test after ``seconds``: a hang fails, never blocks."""
    def _alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
