"""vnsign's optional C extensions, or None where they were not built.

``setup.py`` builds them where a C compiler is found. Without :mod:`vnsign.pdf._textscan`
the callers (:mod:`vnsign.pdf.layout`, :mod:`vnsign.pdf.visual`) make the same pdfium
calls through ctypes, one character at a time; without :mod:`vnsign.pdf._objscan`
:mod:`vnsign.pdf.object_reader` walks each object in Python. The results are the same.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def textscan() -> Any | None:
    """The text extension module, or None."""
    try:
        from vnsign.pdf import _textscan  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _textscan


@functools.cache
def objscan() -> Any | None:
    """The object-walk extension module, or None."""
    try:
        from vnsign.pdf import _objscan  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _objscan
