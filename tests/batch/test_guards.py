"""Per-document guards with real worker processes: time limit, memory limit, crashes.

The worker hook (tests.batch.support.misbehaving_verify) really sleeps, really
allocates until the address-space limit refuses, really calls os._exit and really
dereferences NULL. Nothing about the pool is mocked. Each misbehaving file must get
its own INDETERMINATE result with the reason, and the good files around them must
still be verified.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.batch.support import HOOK, copies
from tests.helpers import OFFLINE, fixture_trust
from vnsign.batch import BatchResult, Guard, LocalExecutor, verify_many

NAMES = ("ok-1", "sleep", "alloc", "exit", "segv", "ok-2", "ok-3")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BatchResult]:
    folder = tmp_path_factory.mktemp("guards")
    paths = []
    for name in NAMES:
        paths += copies(folder, 1, ("signed-doc-timestamp.pdf",), prefix=name)
    # 2 workers, 15 s per document (roomy: a loaded CI machine is slow), 1 GiB of address
    # space per worker.
    with LocalExecutor(2, timeout=15, memory_limit_mb=1024) as pool:
        found = list(verify_many(paths, trust=fixture_trust(), policy=OFFLINE,
                                 executor=pool, function=HOOK))
    return {Path(r.path).name.split("-0")[0]: r for r in found}


def test_every_file_has_exactly_one_result(results: dict[str, BatchResult]) -> None:
    assert sorted(results) == sorted(NAMES)


def test_good_files_around_the_bad_ones_are_verified(results: dict[str, BatchResult]
                                                     ) -> None:
    for name in ("ok-1", "ok-2", "ok-3"):
        assert results[name].error is None
        assert results[name].indication == "PASSED"


def _check(result: BatchResult, guard: Guard, *words: str) -> None:
    assert result.error == guard
    assert result.indication == "INDETERMINATE"
    assert result.report.sub_indication == "GENERIC"
    finding = result.report.to_dict()["findings"][0]
    assert finding["code"] == guard.value and finding["severity"] == "ERROR"
    assert finding["message"]["vi"] and finding["message"]["en"]
    for word in words:
        assert word in (result.detail or ""), result.detail
    # The file is identified even though no verdict was reached.
    assert result.sha256 and result.report.file.sha256 == result.sha256


def test_time_limit(results: dict[str, BatchResult]) -> None:
    _check(results["sleep"], Guard.TIMEOUT, "15 s")
    assert results["sleep"].duration >= 4


def test_memory_limit(results: dict[str, BatchResult]) -> None:
    _check(results["alloc"], Guard.MEMORY_LIMIT, "MemoryError", "1024 MB")


def test_worker_exit(results: dict[str, BatchResult]) -> None:
    _check(results["exit"], Guard.WORKER_CRASHED, "exit status 7")


def test_worker_segfault(results: dict[str, BatchResult]) -> None:
    _check(results["segv"], Guard.WORKER_CRASHED, "SIGSEGV", "Segmentation fault")
    # faulthandler in the worker: the reason names where it crashed.
    assert "misbehaving_verify" in (results["segv"].detail or "")


def test_a_worker_that_cannot_start_stops_the_batch(tmp_path: Path) -> None:
    """A broken set-up is not a problem of one file: it must not produce N crash rows."""
    from vnsign.batch.guarded import WorkerStartError

    files = copies(tmp_path, 2, ("unsigned.pdf",))
    with LocalExecutor(1) as pool, pytest.raises(WorkerStartError):
        list(verify_many(files, policy=OFFLINE, executor=pool,
                         function="tests.no_such_module:verify"))


def test_closing_the_pool_ends_every_worker_cleanly(tmp_path: Path) -> None:
    """Idle workers exit by themselves when the pool closes, each with status 0: none
    is left running and none had to be killed (a killed worker's status is negative).
    The worker leaves with os._exit once its input ends, so this is also the check that
    it does so only after every outcome was delivered."""
    from vnsign.batch.guarded import Child

    files = copies(tmp_path, 4, ("signed-doc-timestamp.pdf",))
    started: list[Child] = []
    with LocalExecutor(2) as pool:
        found = list(verify_many(files, trust=fixture_trust(), policy=OFFLINE,
                                 executor=pool))
        started = list(pool._children)
    assert [(r.error, r.indication) for r in found] == [(None, "PASSED")] * 4
    assert len(started) == 2
    assert [c.proc.poll() for c in started] == [0, 0]
