"""verify_many(): the one library function behind ``vnsign batch``, ``watch`` and Dask."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from vnsign.batch.executors import Executor, LocalExecutor
from vnsign.batch.job import Job
from vnsign.batch.results import BatchResult, Guard, guard_result
from vnsign.batch.worker import CRASHED, MEMORY, OK, TIMEOUT, Outcome, Task
from vnsign.policy import Policy

if TYPE_CHECKING:
    from vnsign.trust import TrustStore

_GUARDS = {TIMEOUT: Guard.TIMEOUT, MEMORY: Guard.MEMORY_LIMIT,
           CRASHED: Guard.WORKER_CRASHED}


def verify_many(sources: Iterable[str | os.PathLike[str]], *, trust: TrustStore | None = None,
                policy: Policy | None = None, password: str | None = None,
                executor: Executor | None = None,
                function: str | None = None) -> Iterator[BatchResult]:
    """Verify many documents in parallel; yield one result per source as each finishes.

    ``sources`` are file paths (read lazily, so a generator over a huge tree is fine).
    ``executor`` decides where the work runs: :class:`LocalExecutor` (the default: a
    process pool over all cores, 60 s and 4 GiB per document) or
    :class:`~vnsign.batch.executors.DaskExecutor` (a cluster). An executor passed in
    stays open for reuse; the default one is closed when the iterator ends.

    Results come in completion order, never raise for a bad document, and exist for
    every source: a document stopped by a guard (time or memory limit, crashed worker)
    yields an INDETERMINATE result whose ``error`` names the guard. ``function``
    (``module:name``, same signature as :func:`vnsign.verify`) replaces the verifier,
    for tests and extensions; it must be importable in the workers.
    """
    job = Job.build(trust, policy, password, function)
    own = executor is None
    runner: Executor = executor if executor is not None else LocalExecutor()
    tasks = (Task(index, os.fspath(source)) for index, source in enumerate(sources))
    stream = runner.map(job, tasks)
    try:
        for task, outcome in stream:
            yield to_result(task.path, outcome, job.policy)
    finally:
        # Stopped early (the caller broke off, Ctrl-C): end the work in flight now,
        # not whenever the garbage collector gets to it.
        close = getattr(stream, "close", None)
        if close is not None:
            close()
        if own:
            runner.close()


def to_result(path: str, outcome: Outcome, policy: Policy) -> BatchResult:
    """Turn a worker's outcome into a result (a guard report when a guard fired)."""
    if outcome.status == OK and outcome.report_json is not None:
        return BatchResult.from_report_json(path, outcome.report_json, outcome.duration)
    guard = _GUARDS.get(outcome.status, Guard.WORKER_ERROR)
    return guard_result(path, guard, outcome.detail or outcome.status, policy,
                        outcome.duration)
