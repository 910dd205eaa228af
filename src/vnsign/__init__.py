"""vnsign: verify digitally signed Vietnamese official documents (PDF).

The public API::

    from vnsign import verify, TrustStore, Policy
    report = verify("cong-van.pdf", trust=TrustStore.load(["roots/"]), policy=Policy())
    report.indication, report.to_dict()

Imports are lazy so that ``vnsign --help`` and ``import vnsign`` stay fast: pyHanko
and pypdf load only when a document is verified.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vnsign._version import __version__

__all__ = [
    "DocumentReport",
    "Finding",
    "Indication",
    "LedgerError",
    "MetadataReport",
    "Policy",
    "SettingsError",
    "SignatureReport",
    "SubIndication",
    "TrustStore",
    "TrustStoreError",
    "UsageError",
    "VnsignError",
    "WorkerStartError",
    "__version__",
    "read_metadata",
    "verify",
    "verify_many",
]

if TYPE_CHECKING:
    from vnsign.batch import verify_many
    from vnsign.errors import (
        LedgerError,
        SettingsError,
        TrustStoreError,
        UsageError,
        VnsignError,
        WorkerStartError,
    )
    from vnsign.metadata import MetadataReport, read_metadata
    from vnsign.models import DocumentReport, Finding, Indication, SignatureReport, SubIndication
    from vnsign.policy import Policy
    from vnsign.trust import TrustStore
    from vnsign.verifier import verify

_LAZY = {
    "verify": "vnsign.verifier",
    "read_metadata": "vnsign.metadata",
    "MetadataReport": "vnsign.metadata",
    "Policy": "vnsign.policy",
    "TrustStore": "vnsign.trust",
    "DocumentReport": "vnsign.models",
    "SignatureReport": "vnsign.models",
    "Finding": "vnsign.models",
    "Indication": "vnsign.models",
    "SubIndication": "vnsign.models",
    "verify_many": "vnsign.batch",
    "VnsignError": "vnsign.errors",
    "UsageError": "vnsign.errors",
    "TrustStoreError": "vnsign.errors",
    "SettingsError": "vnsign.errors",
    "LedgerError": "vnsign.errors",
    "WorkerStartError": "vnsign.errors",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'vnsign' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
