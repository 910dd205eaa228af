"""What a batch yields per document, including the rows made by the per-file guards.

A guard (time limit, memory limit, crashed worker) never loses a file: it becomes a
result with indication INDETERMINATE, a finding that says which guard fired, and a
report that has the same shape as any other (``vnsign.report/1``, built by the same
:func:`vnsign.report_builder.document_report`), so every consumer — ledger,
renderers, CI gate — handles it without special cases.
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass

from vnsign import findings
from vnsign.models import DocumentReport, FileInfo, Indication, SubIndication
from vnsign.pdf.source import sha256_file
from vnsign.policy import Policy
from vnsign.report_builder import document_report
from vnsign.timefmt import now_utc


class Guard(enum.StrEnum):
    """Which per-file guard stopped a document (so it has no real verdict).

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

    ``report`` is the typed report again: it crossed the process (or machine) boundary
    as JSON, ``report_json``, which is kept as it arrived for the ledger and the JSON
    reports. ``error`` names the guard that fired, ``None`` for a real verdict;
    ``detail`` says more (signal, limit, traceback tail).
    """

    path: str
    report: DocumentReport
    report_json: str
    duration: float
    error: Guard | None = None
    detail: str | None = None

    @property
    def indication(self) -> Indication:
        return self.report.indication

    @property
    def sub_indication(self) -> SubIndication | None:
        return self.report.sub_indication

    @property
    def sha256(self) -> str:
        return self.report.file.sha256

    @property
    def size(self) -> int:
        return self.report.file.size

    @classmethod
    def from_report_json(cls, path: str, text: str, duration: float) -> BatchResult:
        return cls(path=path, report=DocumentReport.from_dict(json.loads(text)),
                   report_json=text, duration=duration)


def guard_result(path: str, error: Guard, detail: str, policy: Policy,
                 duration: float) -> BatchResult:
    """The result for a document whose verification a guard stopped.

    The file is hashed here (in the parent) so the ledger can still tell later whether
    the same content comes back.
    """
    sha, size = sha256_file(path)
    report = document_report(
        file=FileInfo(path=os.fspath(path), sha256=sha, size=size, pages=None,
                      encrypted=False, revisions=None),
        policy=policy, started=now_utc(),
        findings=(findings.make(error.value, detail=detail),),
        forced=(Indication.INDETERMINATE, SubIndication.GENERIC))
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    return BatchResult(path=path, report=report, report_json=text, duration=duration,
                       error=error, detail=detail)
