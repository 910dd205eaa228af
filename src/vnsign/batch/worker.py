"""The worker process: verifies one document at a time for a parent that guards it.

Started as ``python -m vnsign.batch.worker READ_FD WRITE_FD`` by
:class:`vnsign.batch.guarded.Child`. A plain subprocess rather than a
``multiprocessing`` child, because Dask runs its tasks inside daemonic processes,
which ``multiprocessing`` forbids to have children; one mechanism serves both paths.

Protocol (pickled messages over two pipes): the parent sends a :class:`WorkerInit`,
the worker answers ``("ready", pid)``; then for each ``Task`` it answers one
:class:`Outcome`. End of file on its input pipe means the parent is gone: exit.
The worker keeps the validation caches warm across documents.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from vnsign import collector, tls_defaults
from vnsign.batch.job import Job
from vnsign.models import DocumentReport

# Outcome statuses: "ok" carries a report; the others are guard events.
OK, TIMEOUT, MEMORY, CRASHED, ERROR = "ok", "timeout", "memory", "crashed", "error"


@dataclass(frozen=True)
class Task:
    """One document to verify: ``path`` always names it; ``data`` holds its bytes when
    the worker cannot read the path itself (a Dask worker on another machine)."""

    id: int
    path: str
    data: bytes | None = None


@dataclass(frozen=True)
class Outcome:
    status: str
    report_json: str | None = None
    duration: float = 0.0
    detail: str | None = None


@dataclass(frozen=True)
class WorkerInit:
    job: Job
    sys_path: tuple[str, ...]
    memory_limit: int | None  # bytes of address space (RLIMIT_AS); None: no limit
    die_with_parent: bool
    parent_pid: int


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when the parent dies (best effort elsewhere).

    A batch killed with SIGKILL must not leave workers verifying for nobody.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def leave() -> NoReturn:
    """End the worker at once, without the interpreter's teardown.

    Every outcome has been sent by then and nothing else is buffered but the standard
    streams. The teardown would free a warm worker's caches object by object (pyHanko's
    readers, pdfium documents, the validation caches): a tenth of a second or more that
    the batch waits for at its end, once per worker.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def limit_memory(limit: int) -> None:
    """Cap this worker's address space: allocations beyond it fail with MemoryError.

    Best effort where the system does not enforce RLIMIT_AS (macOS): the time limit and
    the crash guard still hold there.
    """
    import resource

    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def resolve_callable(ref: str) -> Callable[..., Any]:
    """The callable a ``module:name`` reference names (a test's or an extension's hook)."""
    module_name, _, name = ref.partition(":")
    func = getattr(importlib.import_module(module_name), name)
    if not callable(func):
        raise TypeError(f"{ref} is not callable")
    return func  # type: ignore[no-any-return]


def resolve_function(ref: str | None) -> Callable[..., DocumentReport]:
    """vnsign's own verify(), or the ``module:name`` hook a test or extension names."""
    if ref is None:
        from vnsign.verifier import verify

        return verify
    return resolve_callable(ref)


def _mentions_memory_error(report: DocumentReport) -> bool:
    """verify() turns any exception into a finding, MemoryError included.

    Under an address-space limit a MemoryError means the limit was hit, not that the
    PDF is broken, so such a report is reported as the memory guard instead.
    """
    return any("MemoryError" in f.message.en for f in report.every_finding())


def run_task(func: Callable[..., DocumentReport], job: Job, trust: Any, task: Task,
             memory_limit: int | None = None) -> Outcome:
    """Verify one document; every failure mode becomes an :class:`Outcome`."""
    started = time.monotonic()
    memory = (f"MemoryError, limit {memory_limit // (1024 * 1024)} MB" if memory_limit
              else "MemoryError")
    try:
        source: Any = task.path
        if task.data is not None:
            # Bytes from another machine, named like the file (verify() reads ``name``).
            buffer = io.BytesIO(task.data)
            buffer.name = task.path
            source = buffer
        report = func(source, trust=trust, policy=job.policy, password=job.password)
        if task.data is not None:
            # Verified from bytes: keep the name the caller knows the file by.
            report = replace(report, file=replace(report.file, path=task.path))
        if _mentions_memory_error(report):
            return Outcome(MEMORY, duration=time.monotonic() - started,
                           detail=memory)
        text = json.dumps(report.to_dict(), ensure_ascii=False)
        return Outcome(OK, report_json=text, duration=time.monotonic() - started)
    except MemoryError:
        return Outcome(MEMORY, duration=time.monotonic() - started, detail=memory)
    except Exception as exc:
        return Outcome(ERROR, duration=time.monotonic() - started,
                       detail=f"{type(exc).__name__}: {exc}"[:1000])


def main(argv: list[str]) -> NoReturn:
    from multiprocessing.connection import Connection

    inbox = Connection(int(argv[1]), writable=False)
    outbox = Connection(int(argv[2]), readable=False)
    try:
        init = inbox.recv()
    except EOFError:
        leave()
    assert isinstance(init, WorkerInit)
    import signal

    # Ctrl-C reaches the whole process group: the parent decides what happens to the work
    # in flight, a worker must not die of it and be taken for a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if init.die_with_parent:
        die_with_parent(init.parent_pid)
    for entry in reversed(init.sys_path):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    import faulthandler

    faulthandler.enable()  # a segfault leaves a Python traceback in our stderr log
    logging.basicConfig(level=logging.CRITICAL)
    for name in ("pyhanko", "pyhanko_certvalidator", "pypdf", "vnsign", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    tls_defaults.defer_default_certificates()  # before the job function's imports
    func = resolve_function(init.job.function)
    trust = init.job.trust_store()
    collector.tune_for_verifying()
    if init.memory_limit:
        limit_memory(init.memory_limit)
    outbox.send(("ready", os.getpid()))
    while True:
        try:
            task = inbox.recv()
        except EOFError:
            leave()
        outcome = run_task(func, init.job, trust, task, init.memory_limit)
        try:
            outbox.send(outcome)
        except MemoryError:
            outbox.send(Outcome(MEMORY, duration=outcome.duration, detail="MemoryError"))
        if outcome.status == MEMORY:
            # The heap may be in a bad state after hitting the limit: start afresh.
            leave()
        del outcome
        collector.after_document()


if __name__ == "__main__":
    # Run the module under its real name so pickled classes (Task, WorkerInit) match.
    from vnsign.batch import worker as _worker

    _worker.main(sys.argv)
