"""Shared helpers for the batch tests (no tests here).

``misbehaving_verify`` is the worker hook of the guard tests: it runs *inside* the real
worker processes (``verify_many(..., function="tests.batch.support:misbehaving_verify")``)
and misbehaves according to the file name, so the guards are tested against real
timeouts, real allocation failures and real crashes.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES, PKI

HOOK = "tests.batch.support:misbehaving_verify"
TRUST_ARGS = ["--no-saved-trust", "--trust", str(PKI / "root.cert.pem"),
              "--other-certs", str(PKI / "intermediate.cert.pem")]
OFFLINE_ARGS = ["--offline", "--at", "2026-11-26T07:00:00"]
MAIN = "cong-van-2971-snv-vp.pdf"
OTHER_AGENCIES = ("02-quyet-dinh-quy-pham-quang-ngai.pdf", "05-thong-bao-vp-ubnd-tphcm.pdf")


def misbehaving_verify(source: Any, *, trust: Any, policy: Any, password: Any) -> Any:
    """vnsign.verify, except for files named ``sleep…``, ``alloc…``, ``exit…``, ``segv…``."""
    name = os.path.basename(str(getattr(source, "name", source)))
    if name.startswith("sleep"):
        time.sleep(600)
    elif name.startswith("alloc"):
        hoard = []
        while True:  # until the address-space limit says no
            hoard.append(bytearray(64 << 20))
    elif name.startswith("exit"):
        os._exit(7)
    elif name.startswith("segv"):
        import ctypes

        ctypes.string_at(0)  # a real SIGSEGV
    from vnsign import verify

    return verify(source, trust=trust, policy=policy, password=password)


def copies(folder: Path, count: int, names: tuple[str, ...] = (MAIN,),
           prefix: str = "doc") -> list[Path]:
    """``count`` fixture copies under distinct names (``doc-000.pdf`` …)."""
    folder.mkdir(parents=True, exist_ok=True)
    result = []
    for index in range(count):
        target = folder / f"{prefix}-{index:03d}.pdf"
        shutil.copyfile(FIXTURES / names[index % len(names)], target)
        result.append(target)
    return result


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.pop("VNSIGN_TRUST", None)
    # Never the developer's own saved trust store.
    env["VNSIGN_DATA_DIR"] = os.path.join(os.path.dirname(__file__), ".no-such-vnsign-data")
    env["LANG"] = "C.UTF-8"
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


def vnsign(*args: str, cwd: Path | None = None, stdin: str | None = None,
           env: dict[str, str] | None = None, timeout: float = 180
           ) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would (a fresh process, no terminal)."""
    return subprocess.run([sys.executable, "-m", "vnsign.cli", *args], capture_output=True,
                          text=True, cwd=cwd, input=stdin, env=env or cli_env(),
                          timeout=timeout, check=False)


@functools.lru_cache(maxsize=1)
def fixture_ledger() -> Path:
    """A ledger over every committed fixture, and two documents of other agencies and
    types from ``tests/fixtures/metadata`` (verified once per test session)."""
    import atexit
    import tempfile

    from tests.helpers import OFFLINE, fixture_trust
    from vnsign.batch.executors import LocalExecutor
    from vnsign.batch.ledger import Ledger
    from vnsign.batch.runner import run_batch

    folder = Path(tempfile.mkdtemp(prefix="vnsign-test-ledger-"))
    atexit.register(shutil.rmtree, folder, True)
    docs = folder / "docs"
    docs.mkdir()
    for pdf in [*sorted(FIXTURES.glob("*.pdf")), *(FIXTURES / "metadata" / name for name in
                                                  OTHER_AGENCIES)]:
        shutil.copyfile(pdf, docs / pdf.name)
    path = folder / "ledger.sqlite"
    with Ledger(path) as ledger, LocalExecutor(2) as executor:
        run_batch(sorted(docs.glob("*.pdf")), ledger=ledger, trust=fixture_trust(),
                  policy=OFFLINE, executor=executor)
    return path
