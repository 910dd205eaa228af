"""The same batch on a Dask cluster (a real distributed.LocalCluster, one worker process)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.batch.support import HOOK, MAIN, OFFLINE_ARGS, TRUST_ARGS, copies, vnsign
from tests.helpers import OFFLINE, fixture_trust

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=":0", silence_logs=50) as local:
        yield local


def test_batch_on_dask_streams_into_the_same_ledger(tmp_path: Path, cluster: Any) -> None:
    docs = tmp_path / "docs"
    for name in (MAIN, "tampered-flipped-byte.pdf", "unsigned.pdf", "signed-doc-timestamp.pdf"):
        copies(docs, 1, (name,), prefix=name.removesuffix(".pdf"))
    ledger = tmp_path / "ledger.sqlite"
    args = ["batch", str(docs), "--ledger", str(ledger), "--lang", "en", *TRUST_ARGS,
            *OFFLINE_ARGS]
    on_dask = vnsign(*args, "--dask", cluster.scheduler_address)
    assert on_dask.returncode == 1, on_dask.stdout + on_dask.stderr
    assert "Passed 2 · Failed 1 · Indeterminate 0 · No signature 1" in on_dask.stdout
    db = sqlite3.connect(ledger)
    rows = dict(db.execute("SELECT path, indication FROM documents").fetchall())
    executors = [r[0] for r in db.execute("SELECT executor FROM runs")]
    db.close()
    assert sorted(Path(p).name for p in rows) == sorted(p.name for p in docs.iterdir())
    assert rows[str(docs / "tampered-flipped-byte-000.pdf")] == "FAILED"
    assert executors == ["dask"]
    # Same resume semantics: the local pool finds nothing left to do.
    local = vnsign(*args, "--workers", "1")
    assert local.returncode == 1
    assert "Verified 0 · Skipped (unchanged) 4" in local.stdout


def test_guards_hold_on_the_cluster(tmp_path: Path, cluster: Any) -> None:
    from vnsign.batch import DaskExecutor, Guard, verify_many

    files = []
    for prefix in ("ok", "exit", "sleep"):
        files += copies(tmp_path, 1, ("signed-doc-timestamp.pdf",), prefix=prefix)
    with distributed.Client(cluster, set_as_default=False) as client:
        results = {Path(r.path).name: r for r in verify_many(
            files, trust=fixture_trust(), policy=OFFLINE,
            executor=DaskExecutor(client, timeout=15), function=HOOK)}
    assert results["ok-000.pdf"].indication == "PASSED"
    assert results["ok-000.pdf"].report.file.path == str(files[0])  # sent as bytes
    assert results["exit-000.pdf"].error == Guard.WORKER_CRASHED
    assert results["sleep-000.pdf"].error == Guard.TIMEOUT
