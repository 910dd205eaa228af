"""A time limit for one document: CPU time, checked between steps, enforced by a signal.

A hostile PDF can make a parser loop for minutes (deep nesting, huge object counts,
reference cycles the libraries do not catch). vnsign bounds each document by
``Policy.time_limit``:

* the limit is on the **CPU time** of the thread that verifies, not on the clock on the
  wall. A verdict must not depend on how busy the machine is: on a loaded batch server
  (or a CI runner shared with other jobs) a genuine decree that needs 10 s of work
  would otherwise come out INDETERMINATE/TIME_LIMIT_EXCEEDED one day and PASSED the
  next. A document that *waits* instead of working (a stalled download: every
  request has its own timeout and the number of requests is capped) is bounded by a
  wall-clock backstop at :data:`WALL_FACTOR` times the limit;
* :meth:`Deadline.check` between steps (before each signature, before metadata, between
  rendered pages);
* when ``verify()`` runs in the main thread, a watchdog thread reads the main thread's
  CPU clock and, once the limit is spent, sends it a signal whose handler raises
  :class:`TimeLimitExceeded` wherever the interpreter is, so that even a loop inside
  pyHanko or pypdf stops. Elsewhere (worker threads) only the checks apply; the batch
  runner bounds its worker processes itself.

:class:`TimeLimitExceeded` derives from BaseException on purpose: the libraries (and
vnsign's own guards) catch ``Exception`` to survive broken input, and must not
swallow the time limit and carry on. Native code (pdfium rendering, zlib) is not
interruptible; the signal lands as soon as it returns.

The signal is SIGVTALRM, delivered to the verifying thread only: the caller's own
SIGALRM and real-time interval timer (a test's hang guard, a host's watchdog) are
never touched.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# Wall-clock backstop: a document may wait (network, disk) this many times its CPU
# limit before it is stopped all the same.
WALL_FACTOR = 3.0
_POLL_S = 0.05
_SIGNAL = getattr(signal, "SIGVTALRM", None)


class TimeLimitExceeded(BaseException):
    """The document took longer than ``Policy.time_limit``.

    Not an error vnsign raises to its caller (verify() turns it into a report), and
    deliberately not an ``Exception``: pyHanko and vnsign catch ``Exception`` around
    every hostile structure, and the deadline must cut through all of them.
    """


class Deadline:
    """The CPU time (and, as a backstop, the wall time) one document may use.

    Made in the thread that verifies: its CPU clock is that thread's.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self._cpu_start = time.thread_time()
        self._wall_start = time.monotonic()

    def spent(self) -> bool:
        """Is the limit used up? (Call from the verifying thread.)"""
        if self.seconds is None:
            return False
        return (time.thread_time() - self._cpu_start >= self.seconds
                or time.monotonic() - self._wall_start >= self.seconds * WALL_FACTOR)

    def check(self) -> None:
        if self.spent():
            raise TimeLimitExceeded(self.seconds)


@contextmanager
def interrupt_at(deadline: Deadline) -> Iterator[None]:
    """Raise TimeLimitExceeded in this (main) thread when the deadline is spent."""
    if deadline.seconds is None or not _can_use_signals():
        yield
        return
    assert _SIGNAL is not None
    target = threading.get_ident()
    clock = time.pthread_getcpuclockid(target)
    cpu_start = time.clock_gettime(clock)
    wall_start = time.monotonic()
    limit = deadline.seconds
    stop = threading.Event()
    armed = True

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise TimeLimitExceeded(limit)

    def _watch() -> None:
        while not stop.wait(_POLL_S):
            cpu = time.clock_gettime(clock) - cpu_start
            if cpu >= limit or time.monotonic() - wall_start >= limit * WALL_FACTOR:
                signal.pthread_kill(target, _SIGNAL)
                return

    previous_handler = signal.signal(_SIGNAL, _on_signal)
    watchdog = threading.Thread(target=_watch, name="vnsign-deadline", daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        try:
            armed = False  # a signal landing before this line still raises; fine
        finally:
            stop.set()
            watchdog.join()
            signal.signal(_SIGNAL,
                          previous_handler if previous_handler is not None else signal.SIG_DFL)


def _can_use_signals() -> bool:
    return _SIGNAL is not None and hasattr(signal, "pthread_kill") and \
        hasattr(time, "pthread_getcpuclockid") and \
        threading.current_thread() is threading.main_thread()
