"""The CI gate: does a document (and so the run) pass the organisation's bar?

``fail_on`` sets how strict the exit code is: ``failed`` tolerates INDETERMINATE,
``indeterminate`` (the default, as ``vnsign verify``) does not, ``warning`` also fails a
PASSED document with a WARNING or ERROR finding. Two requirements can be added:
at least N signatures, and at least one signature by an agency ("seal") certificate.
A document that misses a requirement counts as failed.

Counting rule: signatures that are not FAILED (PASSED or INDETERMINATE) count, document
timestamps do not (they say when, not who). Whether INDETERMINATE is acceptable is
``fail_on``'s decision, not the counter's.

Exit codes, as for ``verify``: 1 when a counted document failed, 3 when a counted one
is INDETERMINATE, has no signature or only warnings, 0 otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vnsign.models import Identifier, Message, Signer

EXIT_PASSED, EXIT_FAILED, EXIT_INDETERMINATE = 0, 1, 3


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


def signer_from_dict(data: dict[str, Any]) -> Signer:
    """The report's signer object back as a :class:`Signer` (for classify_signer)."""
    return Signer(
        common_name=data.get("common_name"), email=data.get("email"),
        organization=data.get("organization"),
        organizational_units=tuple(data.get("organizational_units") or ()),
        locality=data.get("locality"), state=data.get("state"), country=data.get("country"),
        identifiers=tuple(Identifier(kind=str(i.get("kind")), value=str(i.get("value")))
                          for i in data.get("identifiers") or ()),
        serial_number=str(data.get("serial_number") or ""),
        subject=str(data.get("subject") or ""), issuer=str(data.get("issuer") or ""),
        issuer_common_name=data.get("issuer_common_name"),
        valid_from=str(data.get("valid_from") or ""),
        valid_until=str(data.get("valid_until") or ""),
        certificate_sha256=str(data.get("certificate_sha256") or ""))


def signer_kind(signature: dict[str, Any]) -> str:
    """PERSON / AGENCY / UNKNOWN for one signature of a report."""
    from vnsign.vn.signer_kind import classify_signer

    signer = signature.get("signer")
    return classify_signer(signer_from_dict(signer) if signer else None).value


def _counting(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in report.get("signatures") or []
            if s.get("kind") != "DOC_TIMESTAMP" and s.get("indication") != "FAILED"]


def fully_valid(report: dict[str, Any]) -> bool:
    """Same rule as DocumentReport.fully_valid, on the JSON form."""
    if report.get("indication") != "PASSED":
        return False
    every = list(report.get("findings") or [])
    for sig in report.get("signatures") or []:
        every.extend(sig.get("findings") or [])
    return all(f.get("severity") == "INFO" for f in every)


def judge(report: dict[str, Any], policy: CiPolicy) -> Judgement:
    problems: list[Message] = []
    counting = _counting(report)
    if policy.require_signatures and len(counting) < policy.require_signatures:
        problems.append(Message(
            f"Có {len(counting)} chữ ký số, yêu cầu ít nhất {policy.require_signatures}.",
            f"{len(counting)} signature(s), at least {policy.require_signatures} required."))
    if policy.require_agency_signature and not any(
            signer_kind(s) == "AGENCY" for s in counting):
        problems.append(Message("Không có chữ ký số của cơ quan, tổ chức (chữ ký \"dấu\").",
                                "No signature by an agency (seal) certificate."))
    indication = report.get("indication")
    if indication == "FAILED" or problems:
        status = GateStatus.FAILED
    elif indication in ("INDETERMINATE", "NO_SIGNATURE"):
        status = GateStatus.INDETERMINATE
    elif not fully_valid(report):
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
    items = list(judgements)
    if not items:
        return EXIT_INDETERMINATE
    if any(j.counted and j.status == GateStatus.FAILED for j in items):
        return EXIT_FAILED
    if any(j.counted for j in items):
        return EXIT_INDETERMINATE
    return EXIT_PASSED
