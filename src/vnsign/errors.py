"""Typed errors for *misuse* and set-up problems, all rooted at :class:`VnsignError`.

A broken or hostile PDF is not misuse: it yields a report whose verdict says so. What
raises is what the caller can fix: a bad argument, an unusable trust file, a ledger
that is not a ledger, a settings file with a typo, a worker pool that cannot start.
``except vnsign.VnsignError`` catches every one of them.

:func:`internal_origin` says whether an exception that reached ``verify()``'s guards is
a bug in vnsign rather than an input a parser rejected.
"""

from __future__ import annotations

import os
import sysconfig


class VnsignError(Exception):
    """Base class of every error vnsign raises on purpose."""


class TrustStoreError(VnsignError):
    """A trust or certificate file could not be used."""


class UsageError(VnsignError):
    """An argument to the public API is invalid."""


class SettingsError(VnsignError):
    """The settings file (vnsign.toml or [tool.vnsign]) is invalid."""


class LedgerError(VnsignError):
    """The ledger file cannot be used (not SQLite, a newer schema, not writable)."""


class WorkerStartError(VnsignError):
    """A batch worker could not even start: a set-up problem, not a problem of one file."""


class MalformedInput(VnsignError):
    """vnsign's own reading of a structure refused the input (e.g. an adbe.x509.rsa_sha1
    signature without /Cert). Never raised to a caller of ``verify()``: the report says
    SIGNATURE_UNREADABLE; the type only tells the input's fault from a bug in vnsign."""


# --- telling a bug in vnsign from an input the parser rejected --------------------------

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_STDLIB_DIRS = tuple({os.path.abspath(sysconfig.get_path(name)) + os.sep
                      for name in ("stdlib", "platstdlib")})
# Never a bug of vnsign's own code whatever raised them: resource limits a hostile file
# can exhaust (memory, recursion depth) and the errors vnsign raises on purpose.
_NOT_INTERNAL = (MemoryError, RecursionError, VnsignError)


def internal_origin(exc: BaseException) -> str | None:
    """Where ``exc`` shows a bug in vnsign itself (``"vnsign/pdf/fields.py:88"``), else None.

    ``verify()`` turns every exception into a report, so a parser that rejects a hostile
    file and an ``AttributeError`` in vnsign's own code would look alike. They are told
    apart by the innermost frame of the traceback outside the standard library: inside
    vnsign's package, vnsign met a case its code does not handle (a bug: the report says
    INTERNAL_ERROR and the fuzzers fail on it); inside pyHanko, pypdf, asn1crypto and the
    like, the library refused the input (INPUT_UNREADABLE, SIGNATURE_UNREADABLE).

    A heuristic with one known blind spot: vnsign misusing a library in a way that only
    fails deep inside it looks like the library rejecting the input.
    """
    if isinstance(exc, _NOT_INTERNAL):
        return None
    tb = exc.__traceback__
    innermost: str | None = None
    line = 0
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if not filename.startswith(_STDLIB_DIRS) or "site-packages" in filename:
            innermost, line = filename, tb.tb_lineno
        tb = tb.tb_next
    if innermost is None or not innermost.startswith(_PACKAGE_DIR + os.sep):
        return None
    relative = os.path.relpath(innermost, os.path.dirname(_PACKAGE_DIR))
    return f"{relative.replace(os.sep, '/')}:{line}"
