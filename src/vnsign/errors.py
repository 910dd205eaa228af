"""Typed errors for *misuse* of the library (bad arguments, unusable trust files).

A broken or hostile PDF is not misuse: it yields a report whose verdict says so.
"""


class VnsignError(Exception):
    """Base class of every error vnsign raises on purpose."""


class TrustStoreError(VnsignError):
    """A trust or certificate file could not be used."""


class UsageError(VnsignError):
    """An argument to the public API is invalid."""
