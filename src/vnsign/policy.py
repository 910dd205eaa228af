"""Validation policy: the knobs that change a verdict, in one frozen object.

The policy is recorded in every report (``policy``) and fingerprinted, so a verdict
can always be traced back to the rules that produced it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

DEFAULT_MAX_FILE_SIZE = 512 * 1024 * 1024
DEFAULT_TIME_LIMIT = 30.0


@dataclass(frozen=True)
class Policy:
    """How to validate.

    ``offline``: never touch the network (embedded revocation data only).
    ``require_revocation``: missing revocation data makes a signature fail to validate
    instead of being reported as unknown.
    ``validation_time``: validate as of this moment instead of now (tests, audits).
    ``network_timeout``: seconds per OCSP/CRL/AIA request.
    ``max_file_size``: larger inputs are refused with a clear result.
    ``max_download_size``: cap on one OCSP/CRL/certificate response (bytes).
    ``time_limit``: CPU seconds one document may take (and three times that in wall
    time, for a document that waits rather than works); past it the report is
    INDETERMINATE with TIME_LIMIT_EXCEEDED (None or 0: no limit). A hostile file must
    not hold a clerk's batch hostage, and a busy machine must not change a verdict
    (see vnsign.deadline).
    ``visual_check``: render each page as signed and as now (pypdfium2) when the
    difference analysis allowed later changes, and report what it allowed that a
    reader can see (see docs/security.md for the cost).
    ``strict_algorithms``: refuse SHA-1 everywhere, even in chains to a pinned VGCA root.
    Off by default: the Vietnamese government profile accepts SHA-1 there, with a warning
    (vnsign.validation.algorithms; the trade-off is in docs/trust.md).
    ``ocr``: ``auto`` (default), ``always`` or ``never``: when the document fields of
    scanned pages are read with Tesseract (see docs/metadata.md); it never changes a verdict.
    ``aia``: fetch a signer's missing issuer certificates from the AIA "CA issuers"
    address the certificate names (any certificate: the address is the sender's
    choice, see docs/security.md "Network rules"). False: never (``--no-aia``).
    ``allow_private_network``: let requests reach loopback, private, link-local and
    other non-public addresses (an intranet CA; the tests' local responders). Off by
    default: a certificate's addresses must not turn vnsign into a probe of the
    network it runs in.
    """

    name: str = "default"
    offline: bool = False
    require_revocation: bool = False
    validation_time: datetime | None = None
    network_timeout: float = 5.0
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_download_size: int = 10 * 1024 * 1024
    time_limit: float | None = DEFAULT_TIME_LIMIT
    visual_check: bool = True
    strict_algorithms: bool = False
    ocr: str = "auto"
    aia: bool = True
    allow_private_network: bool = False

    @property
    def revocation_mode(self) -> str:
        if self.require_revocation:
            return "REQUIRE"
        return "LOCAL_ONLY" if self.offline else "SOFT_FAIL"

    @property
    def algorithms(self) -> str:
        """The algorithm policy's name, as reports show it."""
        return "STRICT" if self.strict_algorithms else "VN_GOV"

    def fingerprint(self) -> str:
        data = asdict(self)
        data["validation_time"] = (
            self.validation_time.isoformat() if self.validation_time else None
        )
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
