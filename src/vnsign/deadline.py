"""A time limit for one document: checked between steps, enforced by SIGALRM.

A hostile PDF can make a parser loop for minutes (deep nesting, huge object counts,
reference cycles the libraries do not catch). vnsign bounds each document by
``Policy.time_limit`` in two ways:

* :meth:`Deadline.check` between steps (before each signature, before metadata);
* when ``verify()`` runs in the main thread, a real-time interval timer whose signal
  handler raises :class:`TimeLimitExceeded` wherever the interpreter is, so that even
  a loop inside pyHanko or pypdf stops. Elsewhere (worker threads) only the checks
  apply; the batch runner bounds its worker processes itself.

:class:`TimeLimitExceeded` derives from BaseException on purpose: the libraries (and
vnsign's own guards) catch ``Exception`` to survive broken input, and must not
swallow the time limit and carry on. Native code (pdfium rendering, zlib) is not
interruptible; the signal lands as soon as it returns.

An interval timer already armed by the caller (a test's hang guard, a host's own
watchdog) is respected: if it would fire first, vnsign leaves it alone; otherwise
vnsign borrows the timer and re-arms the caller's with the time that remains.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeLimitExceeded(BaseException):
    """The document took longer than ``Policy.time_limit``.

    Not an error vnsign raises to its caller (verify() turns it into a report), and
    deliberately not an ``Exception``: pyHanko and vnsign catch ``Exception`` around
    every hostile structure, and the deadline must cut through all of them.
    """


class Deadline:
    """The moment a document's validation must be over (monotonic clock)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self.at = time.monotonic() + self.seconds if self.seconds else None

    def check(self) -> None:
        if self.at is not None and time.monotonic() >= self.at:
            raise TimeLimitExceeded(self.seconds)

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()


@contextmanager
def interrupt_at(deadline: Deadline) -> Iterator[None]:
    """Raise TimeLimitExceeded in this (main) thread when the deadline passes."""
    remaining = deadline.remaining()
    if remaining is None or not _can_use_signals():
        yield
        return
    previous_delay, previous_interval = signal.getitimer(signal.ITIMER_REAL)
    if previous_delay and previous_delay <= remaining:
        yield  # the caller's timer fires first; the step checks still apply
        return
    armed = True

    def _on_alarm(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise TimeLimitExceeded(deadline.seconds)

    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))
    try:
        yield
    finally:
        try:
            armed = False  # a signal landing before this line still raises; fine
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM,
                          previous_handler if previous_handler is not None else signal.SIG_DFL)
            if previous_delay:
                left = previous_delay - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), previous_interval)


def _can_use_signals() -> bool:
    return hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
