"""The CI gate: does a document (and so the run) pass the organisation's bar?

``fail_on`` sets how strict the exit code is: ``failed`` tolerates INDETERMINATE,
``indeterminate`` (the default, as ``vnsign verify``) does not, ``warning`` also fails a
PASSED document with a WARNING or ERROR finding. Two requirements can be added:
at least N signatures, and at least one signature by an agency ("seal") certificate.
A document that misses a requirement counts as failed.

Counting rule: signatures that are not FAILED (PASSED or INDETERMINATE) count, document
timestamps do not (they say when, not who). Whether INDETERMINATE is acceptable is
``fail_on``'s decision, not the counter's.

Exit codes, the same for ``verify``, ``batch`` and ``watch``: 1 when a counted document
failed, 3 when a counted one is INDETERMINATE, has no signature or only warnings, 0
otherwise (2 is a usage error, decided by click).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from vnsign.models import (
    DocumentReport,
    Indication,
    Message,
    SignatureKind,
    SignatureReport,
    SignerKind,
)

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INDETERMINATE = 0, 1, 2, 3


class FailOn(enum.StrEnum):
    FAILED = "failed"
    INDETERMINATE = "indeterminate"
    WARNING = "warning"


class GateStatus(enum.StrEnum):
    OK = "OK"
    WARNING = "WARNING"  # PASSED, but something a person should look at
    INDETERMINATE = "INDETERMINATE"  # INDETERMINATE or NO_SIGNATURE
    FAILED = "FAILED"  # FAILED, or a requirement missed


@dataclass(frozen=True)
class CiPolicy:
    fail_on: FailOn = FailOn.INDETERMINATE
    require_signatures: int = 0
    require_agency_signature: bool = False


@dataclass(frozen=True)
class Judgement:
    status: GateStatus
    counted: bool  # does this document make the run fail under ``fail_on``?
    problems: tuple[Message, ...]  # requirements missed


def signer_kind(signature: SignatureReport) -> SignerKind:
    """PERSON / AGENCY / TSA / UNKNOWN, as the report says."""
    return signature.signer.kind if signature.signer is not None else SignerKind.UNKNOWN


def counting_signatures(report: DocumentReport) -> list[SignatureReport]:
    """Signatures that count towards the requirements (see the module docstring)."""
    return [s for s in report.signatures
            if s.kind != SignatureKind.DOC_TIMESTAMP and s.indication != Indication.FAILED]


def judge(report: DocumentReport, policy: CiPolicy) -> Judgement:
    problems: list[Message] = []
    counting = counting_signatures(report)
    if policy.require_signatures and len(counting) < policy.require_signatures:
        problems.append(Message(
            f"Có {len(counting)} chữ ký số, yêu cầu ít nhất {policy.require_signatures}.",
            f"{len(counting)} signature(s), at least {policy.require_signatures} required."))
    if policy.require_agency_signature and not any(
            signer_kind(s) == SignerKind.AGENCY for s in counting):
        problems.append(Message("Không có chữ ký số của cơ quan, tổ chức (chữ ký \"dấu\").",
                                "No signature by an agency (seal) certificate."))
    if report.indication == Indication.FAILED or problems:
        status = GateStatus.FAILED
    elif report.indication in (Indication.INDETERMINATE, Indication.NO_SIGNATURE):
        status = GateStatus.INDETERMINATE
    elif not report.fully_valid:
        status = GateStatus.WARNING
    else:
        status = GateStatus.OK
    counted = {
        GateStatus.OK: False,
        GateStatus.FAILED: True,
        GateStatus.INDETERMINATE: policy.fail_on in (FailOn.INDETERMINATE, FailOn.WARNING),
        GateStatus.WARNING: policy.fail_on == FailOn.WARNING,
    }[status]
    return Judgement(status=status, counted=counted, problems=tuple(problems))


def exit_code(judgements: Iterable[Judgement]) -> int:
    """The process exit code of a run over documents with these judgements.

    The one place exit codes are decided: ``vnsign verify`` judges with the default
    :class:`CiPolicy` (0 every document PASSED, 1 any FAILED, 3 otherwise), ``batch``
    and ``watch`` with the organisation's.
    """
    items = list(judgements)
    if not items:
        return EXIT_INDETERMINATE
    if any(j.counted and j.status == GateStatus.FAILED for j in items):
        return EXIT_FAILED
    if any(j.counted for j in items):
        return EXIT_INDETERMINATE
    return EXIT_PASSED
