"""``attempt()``: read one optional fact from a possibly hostile structure.

Report assembly pulls many small facts (an algorithm name, a date, a byte range) out of
objects a forger controls. Any of them may be missing or malformed; the fact is then
``None`` in the report and the rest of the report still stands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def attempt(func: Callable[[], T]) -> T | None:
    """``func()``, or None when it raises."""
    try:
        return func()
    except Exception:
        return None
