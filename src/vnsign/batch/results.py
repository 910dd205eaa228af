"""What a batch yields per document, including the rows made by the per-file guards.

A guard (time limit, memory limit, crashed worker) never loses a file: it becomes a
result with indication INDETERMINATE, a finding that says which guard fired, and a
report that has the same shape as any other (``vnsign.report/1``), so every consumer
— ledger, renderers, CI gate — handles it without special cases.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from vnsign.models import (
    SCHEMA_ID,
    DocumentReport,
    FileInfo,
    Indication,
    PdfMetadata,
    PolicyInfo,
    Summary,
)
from vnsign.policy import Policy


class GuardError(enum.StrEnum):
    """Why a document has no real verdict: which per-file guard fired.

    The values double as finding codes in the guard report (``BATCH_…``), with their
    messages in :data:`vnsign.findings.CATALOG` like every other finding.
    """

    TIMEOUT = "BATCH_TIMEOUT"
    MEMORY_LIMIT = "BATCH_MEMORY_LIMIT"
    WORKER_CRASHED = "BATCH_WORKER_CRASHED"
    WORKER_ERROR = "BATCH_WORKER_ERROR"


@dataclass(frozen=True)
class BatchResult:
    """One document's outcome in a batch.

    ``report`` is the JSON-ready ``vnsign.report/1`` dict (reports cross process and
    machine boundaries as JSON, so the dict, not the dataclass tree, is what arrives);
    ``report_json`` is the same, serialised once. ``error`` names the guard that fired,
    ``None`` for a real verdict; ``detail`` says more (signal, limit, traceback tail).
    """

    path: str
    indication: str
    sub_indication: str | None
    report: dict[str, Any]
    report_json: str
    sha256: str
    size: int
    duration: float
    error: GuardError | None = None
    detail: str | None = None

    @classmethod
    def from_report_json(cls, path: str, text: str, duration: float) -> BatchResult:
        data = json.loads(text)
        file = data.get("file") or {}
        return cls(path=path, indication=str(data["indication"]),
                   sub_indication=data.get("sub_indication"), report=data, report_json=text,
                   sha256=str(file.get("sha256") or ""), size=int(file.get("size") or 0),
                   duration=duration)


def sha256_of(path: str) -> tuple[str, int]:
    """Stream-hash a file (empty digest and size 0 when it cannot be read)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return "", 0
    return digest.hexdigest(), size


def guard_result(path: str, error: GuardError, detail: str, policy: Policy,
                 duration: float) -> BatchResult:
    """The result for a document whose verification a guard stopped.

    The file is hashed here (in the parent) so the ledger can still tell later whether
    the same content comes back.
    """
    from vnsign import __version__
    from vnsign.timefmt import iso_vn, now_utc

    sha, size = sha256_of(path)
    from vnsign import findings

    finding = findings.make(error.value, detail=detail)
    started = now_utc()
    empty_pdf = PdfMetadata(None, None, None, None, None, None, None, None)
    from dataclasses import asdict

    report = DocumentReport(
        schema=SCHEMA_ID,
        vnsign_version=__version__,
        validated_at=iso_vn(started) or "",
        policy=PolicyInfo(name=policy.name, offline=policy.offline,
                          revocation=policy.revocation_mode,
                          validation_time=iso_vn(policy.validation_time or started) or ""),
        file=FileInfo(path=os.fspath(path), sha256=sha, size=size, pages=None,
                      encrypted=False, revisions=None),
        indication=Indication.INDETERMINATE,
        sub_indication="GENERIC",
        summary=Summary(signatures=0, passed=0, failed=0, indeterminate=0),
        signatures=(),
        metadata={"pdf": asdict(empty_pdf), "document": None},
        findings=(finding,),
    )
    data = report.to_dict()
    return BatchResult(path=path, indication=data["indication"],
                       sub_indication=data["sub_indication"], report=data,
                       report_json=json.dumps(data, ensure_ascii=False), sha256=sha,
                       size=size, duration=duration, error=error, detail=detail)
