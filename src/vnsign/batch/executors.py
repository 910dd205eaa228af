"""Where documents are verified: a local pool of guarded processes, or a Dask cluster.

Both executors take a :class:`~vnsign.batch.job.Job` and an iterable of tasks and yield
``(task, outcome)`` pairs in completion order, pulling tasks lazily so that a batch of
a million files never sits in memory. Both apply the same per-file guards — time
limit, memory limit, crashed worker — through :class:`~vnsign.batch.guarded.Child`, so
a document gets the same treatment on a laptop and on a cluster.

Why not ``concurrent.futures.ProcessPoolExecutor``: one crashed worker breaks the whole
pool (every pending future fails) and a running task cannot be stopped at a time limit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from vnsign.batch.guarded import STARTUP_TIMEOUT, Child
from vnsign.batch.job import Job
from vnsign.batch.worker import CRASHED, ERROR, MEMORY, TIMEOUT, Outcome, Task
from vnsign.errors import WorkerStartError

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_LIMIT_MB = 4096


def guard_timeout(time_limit: float | None) -> float | None:
    """When the parent kills a worker that has not answered (BATCH_TIMEOUT).

    The document's own time limit (``Policy.time_limit``, ``--time-limit``: CPU time,
    with a wall-clock backstop at :data:`vnsign.deadline.WALL_FACTOR` times it) is
    enforced inside the worker and yields a real report (TIME_LIMIT_EXCEEDED); the
    guard is the backstop for a worker stuck where that cannot reach (native code, a
    deadlock), one limit later than the wall-clock backstop: 120 s of wall time for the
    default 30 s. No limit, no guard.
    """
    from vnsign.deadline import WALL_FACTOR

    return (WALL_FACTOR + 1) * time_limit if time_limit else None


def default_workers() -> int:
    """All cores this process may use (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _limit_bytes(memory_limit_mb: int | None) -> int | None:
    return memory_limit_mb * 1024 * 1024 if memory_limit_mb else None


class Executor(Protocol):
    """Runs tasks for a job and yields each ``(task, outcome)`` as it completes."""

    def map(self, job: Job, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """A pool of guarded worker processes on this machine.

    ``workers``: processes (default: all cores). ``timeout``: seconds per document
    (``None``: no limit). ``memory_limit_mb``: address-space limit per worker
    (``None`` or 0: none). Workers live as long as the executor (reuse it across
    :meth:`map` calls to keep their caches warm, as ``vnsign watch`` does) and die
    with the parent process.
    """

    def __init__(self, workers: int | None = None, *, timeout: float | None = DEFAULT_TIMEOUT,
                 memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB) -> None:
        self.workers = workers if workers and workers > 0 else default_workers()
        self.timeout = timeout if timeout and timeout > 0 else None
        self.memory_limit = _limit_bytes(memory_limit_mb)
        self._children: list[Child] = []
        self._job: Job | None = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self, job: Job) -> Child:
        return Child(job, memory_limit=self.memory_limit, die_with_parent=True)

    def _prepare(self, job: Job) -> None:
        if self._job is not None and self._job != job:
            self.close()
        self._job = job
        self._children = [c for c in self._children if c.alive]
        while len(self._children) < self.workers:
            self._children.append(self._spawn(job))

    def map(self, job: Job, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        from multiprocessing.connection import wait

        self._prepare(job)
        pending = iter(tasks)
        exhausted = False
        starting = {id(c): time.monotonic() for c in self._children if not c.ready}
        try:
            while True:
                for index, child in enumerate(self._children):
                    if exhausted or child.busy or not child.ready:
                        continue
                    if not child.alive:  # died while idle: not the next document's fault
                        child.close()
                        fresh = self._spawn(job)
                        starting[id(fresh)] = time.monotonic()
                        self._children[index] = fresh
                        continue
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    child.submit(task, self.timeout)
                busy = [c for c in self._children if c.busy]
                booting = [c for c in self._children if not c.ready]
                if not busy:
                    if exhausted:
                        return
                    if not booting:
                        continue  # unreachable: idle, ready workers got a task above
                now = time.monotonic()
                deadlines = [c.deadline for c in busy if c.deadline is not None]
                deadlines += [starting.get(id(c), now) + STARTUP_TIMEOUT for c in booting]
                wait_for = max(0.0, min(deadlines) - now) if deadlines else None
                readable = set(wait([c.recv_conn for c in busy + booting], timeout=wait_for))
                now = time.monotonic()
                for index, child in enumerate(list(self._children)):
                    if not child.ready:
                        if child.recv_conn in readable or (
                                now >= starting.get(id(child), now) + STARTUP_TIMEOUT):
                            child.wait_ready(timeout=0)  # raises WorkerStartError if dead
                            starting.pop(id(child), None)
                        continue
                    if not child.busy:
                        continue
                    task = child.task
                    assert task is not None
                    if child.recv_conn in readable:
                        outcome = child.collect()
                    elif child.deadline is not None and now >= child.deadline:
                        outcome = child.expire()
                    else:
                        continue
                    if outcome.status in (CRASHED, MEMORY, TIMEOUT) or not child.alive:
                        child.close()
                        fresh = self._spawn(job)
                        starting[id(fresh)] = time.monotonic()
                        self._children[index] = fresh
                    yield task, outcome
        finally:
            # Abandoned mid-way (consumer stopped, Ctrl-C): stop the work in flight; the
            # next map() starts replacements.
            for child in [c for c in self._children if c.busy]:
                child.close()
            self._children = [c for c in self._children if not c.busy]

    def close(self) -> None:
        children, self._children = self._children, []
        # Every idle worker is told first (end of file on its input), then each is
        # waited for: they exit side by side rather than one after the other.
        for child in children:
            if not child.busy:
                child.release()
        for child in children:
            child.close()
        self._job = None


class DaskExecutor:
    """The same work on a Dask ``distributed`` cluster.

    ``address``: the scheduler (``tcp://host:8786``) or an existing ``Client``.
    Documents travel as bytes, so workers need no shared file system; each Dask worker
    thread verifies through its own guarded child process, so the time limit, memory
    limit and crash guard hold on the cluster exactly as they do locally. At most
    ``in_flight`` documents (default: twice the cluster's threads) are submitted at a
    time, which bounds memory on the client and the scheduler.
    """

    def __init__(self, address: Any, *, timeout: float | None = DEFAULT_TIMEOUT,
                 memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
                 in_flight: int | None = None) -> None:
        self.address = address
        self.timeout = timeout if timeout and timeout > 0 else None
        self.memory_limit = _limit_bytes(memory_limit_mb)
        self.in_flight = in_flight

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: a client made from an address lives only inside map()."""

    def _read(self, task: Task, max_size: int) -> Task:
        try:
            if os.path.getsize(task.path) <= max_size:
                with open(task.path, "rb") as handle:
                    return Task(task.id, task.path, handle.read())
        except OSError:
            pass
        # Unreadable or too large here: the worker tries the path and reports why.
        return task

    def map(self, job: Job, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        import uuid

        from distributed import Client, as_completed

        own = not isinstance(self.address, Client)
        client = Client(self.address, set_as_default=False) if own else self.address
        try:
            threads = sum(client.nthreads().values()) or 1
            limit = self.in_flight or max(2, 2 * threads)
            job_future = client.scatter(job, broadcast=True, hash=False)
            prefix = f"vnsign-{uuid.uuid4().hex[:12]}"
            running: dict[str, Task] = {}
            completed = as_completed(loop=client.loop)
            pending = iter(tasks)

            def submit_next() -> bool:
                task = next(pending, None)
                if task is None:
                    return False
                remote = self._read(task, job.policy.max_file_size)
                future = client.submit(run_on_worker, job_future, remote, self.timeout,
                                       self.memory_limit, key=f"{prefix}-{task.id}",
                                       pure=False, retries=0)
                running[str(future.key)] = task
                completed.add(future)
                return True

            while len(running) < limit and submit_next():
                pass
            for future in completed:
                task = running.pop(str(future.key))
                try:
                    outcome = future.result()
                except Exception as exc:  # the Dask worker itself died (KilledWorker)
                    outcome = Outcome(CRASHED, detail=f"dask: {type(exc).__name__}: {exc}")
                if not isinstance(outcome, Outcome):
                    outcome = Outcome(ERROR, detail=f"unexpected result {type(outcome)!r}")
                future.release()
                submit_next()
                yield task, outcome
        finally:
            if own:
                client.close()


_LOCAL = threading.local()


def run_on_worker(job: Job, task: Task, timeout: float | None,
                  memory_limit: int | None) -> Outcome:
    """Runs inside a Dask worker: verify one document in this thread's guarded child.

    The child is kept between tasks (warm caches) and replaced after a guard fired.
    """
    child: Child | None = getattr(_LOCAL, "child", None)
    if child is not None and (child.job != job or not child.alive):
        child.close()
        child = None
    if child is None:
        child = Child(job, memory_limit=memory_limit, die_with_parent=False)
        _LOCAL.child = child
    try:
        child.wait_ready()
    except WorkerStartError as exc:
        _LOCAL.child = None
        return Outcome(ERROR, detail=str(exc))
    child.submit(task, timeout)
    outcome = child.result(timeout)
    if outcome.status in (TIMEOUT, CRASHED, MEMORY):
        child.close()
        _LOCAL.child = None
    return outcome
