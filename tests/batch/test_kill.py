"""SIGKILL in the middle of a batch, then run it again: nothing lost, nothing twice.

The batch runs in its own process group (as a shell job would); the whole group —
the batch and its workers — is killed with SIGKILL once the ledger holds some rows.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.batch.support import OFFLINE_ARGS, TRUST_ARGS, cli_env, copies, vnsign

COUNT = 60


def _rows(ledger: Path) -> dict[str, tuple[str, int]]:
    """path → (verified_at, run_id), read while another process may be writing."""
    if not ledger.exists():
        return {}
    db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=10)
    try:
        return {p: (v, r) for p, v, r in
                db.execute("SELECT path, verified_at, run_id FROM documents")}
    except sqlite3.OperationalError:  # the schema is not there yet
        return {}
    finally:
        db.close()


def test_sigkill_then_rerun_finishes_without_loss_or_duplicates(tmp_path: Path) -> None:
    files = copies(tmp_path / "docs", COUNT, ("signed-doc-timestamp.pdf",))
    ledger = tmp_path / "ledger.sqlite"
    args = ["batch", str(tmp_path / "docs"), "--ledger", str(ledger), *TRUST_ARGS,
            *OFFLINE_ARGS]
    proc = subprocess.Popen([sys.executable, "-m", "vnsign.cli", *args, "--workers", "1"],
                            env=cli_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(_rows(ledger)) < 8:
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    first = _rows(ledger)
    assert 8 <= len(first) < COUNT, len(first)

    again = vnsign(*args, "--workers", "2")
    assert again.returncode == 0, again.stdout + again.stderr  # every copy PASSED

    db = sqlite3.connect(ledger)
    paths = [row[0] for row in db.execute("SELECT path FROM documents")]
    runs = db.execute("SELECT id, finished_at, planned, skipped, verified FROM runs "
                      "ORDER BY id").fetchall()
    db.close()
    assert len(paths) == COUNT and set(paths) == {str(f) for f in files}  # none lost/twice
    final = _rows(ledger)
    for path, stamp in first.items():
        assert final[path] == stamp, f"{path} was verified again"  # finished rows kept
    (_first_run, killed_end, *_), (second_run, finished, planned, skipped, verified) = runs
    assert killed_end is None  # the killed run never finished
    assert finished is not None
    assert (planned, skipped, verified) == (COUNT - len(first), len(first), COUNT - len(first))
    assert all(final[p][1] == second_run for p in set(final) - set(first))
