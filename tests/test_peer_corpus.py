"""Other validators' own test files (../shared/corpora), with the verdicts they expect.

Never copied into the project: the test reads them in place and skips cleanly when the
folder is absent. A file the peer project says must not validate must never come out
PASSED; no file may crash or hang vnsign; and a file the peer project says is valid,
with the trust anchor its test used, must come out PASSED.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from vnsign import Indication, Policy, TrustStore, verify

CORPORA = SHARED / "corpora"
MANIFEST = CORPORA / "MANIFEST.json"
HANG_LIMIT_S = 120


def entries() -> list[dict[str, Any]]:
    if not MANIFEST.is_file():
        return []
    return list(json.loads(MANIFEST.read_text("utf-8")))


def validation_time(name: str) -> datetime | None:
    # The peers' tests validate at the time their certificates were valid:
    # pyHanko freezes time at 2020-11-01; the pdf-attacker demo signer expired in 2026.
    if name.startswith("pyhanko/"):
        return datetime(2020, 11, 1, tzinfo=UTC)
    if name.startswith("pdf-attacker/"):
        return datetime(2021, 1, 1, tzinfo=UTC)
    return None


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    def _alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"verification did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpora is not available")
@pytest.mark.parametrize("entry", entries(), ids=lambda e: e["file"])
def test_peer_file(entry: dict[str, Any]) -> None:
    path: Path = CORPORA / entry["file"]
    anchor = entry["trust_anchor"]
    trust = (TrustStore.load([CORPORA / anchor], use_saved=False, use_env=False)
             if anchor else TrustStore())
    policy = Policy(offline=True, validation_time=validation_time(entry["file"]))
    with hang_guard(HANG_LIMIT_S):
        report = verify(path, trust=trust, policy=policy)
    assert report.file.sha256 == entry["sha256"]
    if entry["expected_not_valid"]:
        assert report.indication != Indication.PASSED, entry["evidence"]
    elif anchor:
        assert report.indication == Indication.PASSED, [
            (s.indication, s.sub_indication, [f.code for f in s.findings])
            for s in report.signatures]
