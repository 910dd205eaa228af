"""The parent's handle on one worker process: start it, give it work, stop it.

Guards live on this side: the parent measures the time limit and kills a worker that
overruns it; a worker that dies (segfault, ``os._exit``, the kernel's OOM killer) shows
up as end of file on its pipe, and the tail of its stderr log says why. Either way the
document in flight gets an outcome and the slot gets a fresh worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from typing import IO

from vnsign.batch.job import Job
from vnsign.batch.worker import CRASHED, TIMEOUT, Outcome, Task, WorkerInit
from vnsign.errors import WorkerStartError

STARTUP_TIMEOUT = 120.0


def describe_exit(code: int | None) -> str:
    """``signal 11 (SIGSEGV)`` / ``exit status 3``, the wording used in crash reasons."""
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "?"
        return f"signal {-code} ({name})"
    return f"exit status {code}"


def spawn(module: str, stderr: IO[bytes] | int = subprocess.DEVNULL
          ) -> tuple[subprocess.Popen[bytes], Connection, Connection]:
    """Start ``python -m MODULE READ_FD WRITE_FD``: the process, the pipe to it and the
    pipe from it (pickled messages; end of file on either side means the other is gone).
    Batch workers and the stamp-picture child both start this way."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr, close_fds=True)
    finally:
        os.close(to_child_r)
        os.close(from_child_w)
    return (proc, Connection(to_child_w, readable=False),
            Connection(from_child_r, writable=False))


class Child:
    """One worker process with at most one task in flight."""

    def __init__(self, job: Job, *, memory_limit: int | None, die_with_parent: bool) -> None:
        self.job = job
        self.task: Task | None = None
        self.deadline: float | None = None
        self.started_task_at = 0.0
        self._log: IO[bytes] = tempfile.TemporaryFile(prefix="vnsign-worker-")
        self._log_mark = 0
        self.proc, self.send_conn, self.recv_conn = spawn("vnsign.batch.worker", self._log)
        init = WorkerInit(job=job, sys_path=tuple(sys.path), memory_limit=memory_limit,
                          die_with_parent=die_with_parent, parent_pid=os.getpid())
        try:
            self.send_conn.send(init)
        except OSError:
            pass  # it died already; wait_ready() reports it
        self._ready = False

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Block until the worker has loaded the verification stack."""
        if self._ready:
            return
        try:
            if self.recv_conn.poll(timeout):
                message = self.recv_conn.recv()
                if isinstance(message, tuple) and message and message[0] == "ready":
                    self._ready = True
                    return
        except (EOFError, OSError):
            pass
        self.kill()
        raise WorkerStartError(f"worker did not start ({describe_exit(self.proc.poll())}): "
                               f"{self.log_tail(0)}")

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def busy(self) -> bool:
        return self.task is not None

    def submit(self, task: Task, timeout: float | None) -> None:
        self.wait_ready()
        self.task = task
        self.started_task_at = time.monotonic()
        self.deadline = self.started_task_at + timeout if timeout else None
        self._log_mark = self._log_size()
        try:
            self.send_conn.send(task)
        except OSError:
            pass  # the worker is gone; collect() sees end of file and reports the crash

    def collect(self) -> Outcome:
        """The outcome of the task in flight, once its pipe is readable (or at EOF)."""
        task = self.task
        assert task is not None
        try:
            outcome = self.recv_conn.recv()
            assert isinstance(outcome, Outcome)
        except (EOFError, OSError):
            outcome = self._crash_outcome()
        self.task = None
        self.deadline = None
        return outcome

    def result(self, timeout: float | None) -> Outcome:
        """Blocking form for one task (Dask threads): the outcome, or a timeout outcome."""
        assert self.task is not None
        remaining = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        if self.recv_conn.poll(remaining):
            return self.collect()
        return self.expire()

    def expire(self) -> Outcome:
        """Kill an overrunning worker; its document gets the timeout outcome."""
        elapsed = time.monotonic() - self.started_task_at
        limit = (self.deadline or 0.0) - self.started_task_at
        self.kill()
        self.task = None
        self.deadline = None
        return Outcome(TIMEOUT, duration=elapsed, detail=f"{limit:g} s")

    def _crash_outcome(self) -> Outcome:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        detail = describe_exit(code)
        tail = self.log_tail(self._log_mark)
        if tail:
            detail += f"; {tail}"
        return Outcome(CRASHED, duration=time.monotonic() - self.started_task_at,
                       detail=detail)

    def _log_size(self) -> int:
        try:
            return os.fstat(self._log.fileno()).st_size
        except OSError:
            return 0

    def log_tail(self, since: int, limit: int = 4000) -> str:
        """What the worker wrote to stderr since ``since``, condensed for a crash reason.

        A fatal error (faulthandler) is shown from its start: the innermost frames come
        first and say where it died; other output is shown by its last lines.
        """
        try:
            size = self._log_size()
            start = max(since, size - limit)
            self._log.seek(start)
            text = self._log.read(size - start).decode("utf-8", "replace")
        except OSError:
            return ""
        fatal = text.find("Fatal Python error")
        if fatal >= 0:
            lines = [line.strip() for line in text[fatal:].splitlines()
                     if line.strip() and not line.startswith(("Current thread", "Thread 0x"))]
            return " | ".join(lines[:4])
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return " | ".join(lines[-4:])

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def release(self) -> None:
        """Close both pipes: an idle worker sees end of file and exits by itself."""
        for conn in (self.send_conn, self.recv_conn):
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        """Stop the worker: closing its input lets an idle worker exit by itself."""
        self.release()
        if self.busy:
            self.kill()
        else:
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
