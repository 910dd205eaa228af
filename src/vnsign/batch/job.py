"""What every worker needs to verify documents the same way: trust, policy, password.

A :class:`Job` is plain picklable data (certificates as DER bytes), because it travels
to worker processes on this machine and to Dask workers on others. Its fingerprint is
the ledger's "policy fingerprint": a stored result is reused only when it was produced
under exactly the same rules and trust roots.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vnsign.policy import Policy

if TYPE_CHECKING:
    from vnsign.trust import TrustStore


@dataclass(frozen=True)
class Job:
    """Everything that decides a verdict, apart from the document itself.

    ``function`` is None for vnsign's own :func:`vnsign.verify` (an ordinary import in
    the worker). Tests (a deliberately misbehaving function) and extensions may name
    another callable with the same signature as ``module:name``; it is part of the
    fingerprint so results of another function are never taken for vnsign's.
    """

    roots: tuple[bytes, ...]
    other_certs: tuple[bytes, ...]
    policy: Policy
    password: str | None = None
    function: str | None = None
    trust_fingerprint: str = ""

    @classmethod
    def build(cls, trust: TrustStore | None, policy: Policy | None,
              password: str | None = None, function: str | None = None) -> Job:
        roots = tuple(c.dump() for c in trust.roots) if trust is not None else ()
        others = tuple(c.dump() for c in trust.other_certs) if trust is not None else ()
        trust_fp = trust.fingerprint() if trust is not None else _empty_trust_fingerprint()
        return cls(roots=roots, other_certs=others, policy=policy or Policy(),
                   password=password, function=function, trust_fingerprint=trust_fp)

    def fingerprint(self) -> str:
        """Policy + trust + vnsign's version, rules version and code digest (+ whether a
        password was given).

        The versions are included because another vnsign may judge the same file
        differently: ``__version__`` alone never changes between releases, so the
        rules version (bumped with each deliberate change of a verdict) and a digest of
        the code that runs (vnsign._version.code_version) are part of it. The password
        itself is not stored anywhere, only its presence.
        """
        from vnsign import _version

        data = {
            "policy": self.policy.fingerprint(),
            "trust": self.trust_fingerprint,
            "password": self.password is not None,
            "function": self.function or "vnsign.verifier:verify",
            "vnsign": _version.__version__,
            "rules": _version.RULES_VERSION,
            "code": _version.code_version(),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    def trust_store(self) -> TrustStore:
        """Rebuild the trust store inside a worker (asn1crypto loads only there)."""
        from asn1crypto import x509

        from vnsign.trust import TrustStore

        return TrustStore(roots=tuple(x509.Certificate.load(d) for d in self.roots),
                          other_certs=tuple(x509.Certificate.load(d)
                                            for d in self.other_certs))


def _empty_trust_fingerprint() -> str:
    return hashlib.sha256().hexdigest()
