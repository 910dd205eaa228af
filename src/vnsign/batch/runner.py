"""A batch run: plan against the ledger, verify what is new, record as results arrive.

Resume semantics: a file is skipped when the ledger holds a real verdict (no guard
error) for the same path, produced under the same job fingerprint (policy, trust,
vnsign version), for the same content. "Same content" is decided cheaply when size
and mtime are unchanged, and by SHA-256 when only the mtime moved (a ``touch`` or a
copy that kept the bytes). Rows made by a guard (time limit, memory limit, crash) are
always retried: their cause may have been the machine, not the file.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vnsign.batch.api import verify_many
from vnsign.batch.executors import Executor
from vnsign.batch.job import Job
from vnsign.batch.ledger import FileState, Ledger
from vnsign.batch.results import BatchResult
from vnsign.pdf.source import sha256_file
from vnsign.policy import Policy

if TYPE_CHECKING:
    from vnsign.trust import TrustStore


@dataclass
class RunState:
    """Progress of a run, passed to the caller's callback after each event."""

    run_id: int
    total: int = 0  # files named by the inputs
    planned: int = 0  # files to verify in this run
    skipped: int = 0  # unchanged since the ledger's row
    done: int = 0  # verified so far in this run
    counts: Counter[str] = field(default_factory=Counter)  # indication → files done
    errors: int = 0  # rows made by a guard
    last: BatchResult | None = None


@dataclass(frozen=True)
class Plan:
    todo: list[str]
    skipped: list[str]
    mtimes: dict[str, int | None]


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def plan(paths: Sequence[str], states: dict[str, FileState], fingerprint: str, *,
         force: bool, touch: Callable[[str, int], None] | None = None) -> Plan:
    """Which files need verifying. ``touch`` records a new mtime for unchanged content."""
    todo: list[str] = []
    skipped: list[str] = []
    mtimes: dict[str, int | None] = {}
    for path in paths:
        stat = _stat(path)
        mtimes[path] = stat[1] if stat else None
        state = states.get(path)
        if (force or stat is None or state is None or state.error is not None
                or state.policy_fingerprint != fingerprint or state.size != stat[0]):
            todo.append(path)
            continue
        if state.mtime_ns == stat[1]:
            skipped.append(path)
            continue
        sha, _size = sha256_file(path)
        if sha and sha == state.sha256:
            if touch is not None:
                touch(path, stat[1])
            skipped.append(path)
        else:
            todo.append(path)
    return Plan(todo=todo, skipped=skipped, mtimes=mtimes)


def normalise(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Absolute paths without duplicates, first occurrence first: the ledger's keys."""
    seen: set[str] = set()
    result = []
    for raw in paths:
        path = os.path.abspath(os.fspath(raw))
        if path not in seen:
            seen.add(path)
            result.append(path)
    return result


def run_batch(paths: Sequence[str | os.PathLike[str]], *, ledger: Ledger,
              trust: TrustStore | None, policy: Policy | None, password: str | None = None,
              executor: Executor, force: bool = False, function: str | None = None,
              executor_name: str = "local",
              on_progress: Callable[[RunState], None] | None = None) -> RunState:
    """Verify ``paths`` into ``ledger``; returns the final state of the run.

    Each result is committed to the ledger before the next one is awaited, so an
    interruption (Ctrl-C, SIGKILL, power to the workers) loses only work in flight.
    """
    files = normalise(paths)
    job = Job.build(trust, policy, password, function)
    fingerprint = job.fingerprint()
    run_id = ledger.start_run(fingerprint, executor_name)
    the_plan = plan(files, ledger.states(), fingerprint, force=force, touch=ledger.touch)
    ledger.plan_run(run_id, len(the_plan.todo), len(the_plan.skipped))
    state = RunState(run_id=run_id, total=len(files), planned=len(the_plan.todo),
                     skipped=len(the_plan.skipped))
    if on_progress is not None:
        on_progress(state)
    results: Iterator[BatchResult] = verify_many(
        the_plan.todo, trust=trust, policy=job.policy, password=password,
        executor=executor, function=function)
    try:
        for result in results:
            ledger.record(result, policy_fingerprint=fingerprint,
                          mtime_ns=the_plan.mtimes.get(result.path), run_id=run_id)
            state.done += 1
            state.counts[result.indication] += 1
            state.errors += result.error is not None
            state.last = result
            if on_progress is not None:
                on_progress(state)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    ledger.finish_run(run_id, state.done)
    return state
