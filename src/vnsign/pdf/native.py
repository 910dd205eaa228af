"""The optional C extension :mod:`vnsign.pdf._textscan`, or None where it was not built.

``setup.py`` builds it where a C compiler is found; without it the callers
(:mod:`vnsign.pdf.layout`, :mod:`vnsign.pdf.visual`) make the same pdfium calls through
ctypes, one character at a time, with the same results.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def textscan() -> Any | None:
    """The extension module, or None."""
    try:
        from vnsign.pdf import _textscan  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _textscan
