"""Typed errors for *misuse* and set-up problems, all rooted at :class:`VnsignError`.

A broken or hostile PDF is not misuse: it yields a report whose verdict says so. What
raises is what the caller can fix: a bad argument, an unusable trust file, a ledger
that is not a ledger, a settings file with a typo, a worker pool that cannot start.
``except vnsign.VnsignError`` catches every one of them.
"""


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
