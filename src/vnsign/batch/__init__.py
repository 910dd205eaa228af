"""Batch verification: many documents, a pool of guarded workers, a resumable ledger.

The one library entry point is :func:`verify_many` (also ``vnsign.verify_many``): it
takes sources, trust, policy and an executor (local process pool or Dask cluster) and
yields one :class:`BatchResult` per source as results arrive. Everything else here —
the SQLite ledger, input expansion, the policy file, CI gating, the watched inbox — is
built on it and used by the ``vnsign batch`` / ``report`` / ``watch`` commands.

Importing this package is cheap: the verification stack loads only in the workers.
"""

from __future__ import annotations

from vnsign.batch.api import verify_many
from vnsign.batch.executors import DaskExecutor, Executor, LocalExecutor
from vnsign.batch.results import BatchResult, Guard

__all__ = [
    "BatchResult",
    "DaskExecutor",
    "Executor",
    "Guard",
    "LocalExecutor",
    "verify_many",
]
