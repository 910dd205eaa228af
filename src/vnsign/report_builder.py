"""Build a DocumentReport: the one place that turns facts into the document's verdict.

``verify()`` builds every report here, and so does batch mode for a document a guard
stopped (time limit, memory limit, crashed worker): both get the same shape, the same
summary arithmetic and the same "worst signature decides" rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from vnsign._version import __version__
from vnsign.metadata import empty_metadata
from vnsign.models import (
    INDICATION_RANK,
    SCHEMA_ID,
    DocumentReport,
    FileInfo,
    Finding,
    Indication,
    NetworkRequest,
    PolicyInfo,
    SignatureReport,
    SubIndication,
    Summary,
)
from vnsign.policy import Policy
from vnsign.timefmt import iso_vn


def document_report(*, file: FileInfo, policy: Policy, started: datetime,
                    signatures: Sequence[SignatureReport] = (),
                    metadata: dict[str, Any] | None = None,
                    findings: Sequence[Finding] = (),
                    forced: tuple[Indication, SubIndication] | None = None,
                    network_requests: Sequence[NetworkRequest] = ()
                    ) -> DocumentReport:
    """The report of one document.

    The document's indication is the worst signature's (FAILED > INDETERMINATE >
    PASSED), NO_SIGNATURE when there is none, or ``forced`` when the document could
    not be examined at all (unreadable, encrypted, over the time limit).
    """
    sigs = tuple(signatures)
    indication: Indication
    sub: SubIndication | None
    if forced is not None:
        indication, sub = forced
    elif not sigs:
        indication, sub = Indication.NO_SIGNATURE, None
    else:
        worst = max(sigs, key=lambda s: INDICATION_RANK[s.indication])
        indication, sub = worst.indication, worst.sub_indication
    summary = Summary(
        signatures=len(sigs),
        passed=sum(s.indication == Indication.PASSED for s in sigs),
        failed=sum(s.indication == Indication.FAILED for s in sigs),
        indeterminate=sum(s.indication == Indication.INDETERMINATE for s in sigs),
    )
    moment = policy.validation_time or started
    return DocumentReport(
        schema=SCHEMA_ID,
        vnsign_version=__version__,
        validated_at=iso_vn(started) or "",
        policy=PolicyInfo(name=policy.name, offline=policy.offline,
                          revocation=policy.revocation_mode,
                          validation_time=iso_vn(moment) or "",
                          algorithms=policy.algorithms, aia=policy.aia,
                          private_network=policy.allow_private_network),
        file=file,
        indication=indication,
        sub_indication=sub,
        summary=summary,
        signatures=sigs,
        metadata=metadata if metadata is not None else empty_metadata(),
        findings=tuple(findings),
        network_requests=tuple(network_requests),
    )
