"""The warnings and errors of a report, each with the signatures it concerns.

What a person must look at, and nothing else: INFO findings stay in the full report.
The same finding on several signatures (five signatures without a trusted chain) is one
line naming them all (``#1–#5``), so the compact terminal view and the register's
warnings column stay short. Which findings exist and how severe they are is decided
elsewhere (:mod:`vnsign.findings`, the validation rules); this module only groups them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vnsign.models import DocumentReport, Finding, Severity

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    message: str  # in the chosen language
    signatures: tuple[int, ...]  # indexes; empty for a finding about the document

    def where(self) -> str:
        """``#1–#3, #5`` (empty for the document)."""
        return signature_list(self.signatures)


def signature_list(indexes: Sequence[int]) -> str:
    """Signature numbers with consecutive runs folded: ``#1–#3, #5``."""
    parts: list[str] = []
    run: list[int] = []
    for index in sorted(set(indexes)):
        if run and index == run[-1] + 1:
            run.append(index)
            continue
        if run:
            parts.append(_run(run))
        run = [index]
    if run:
        parts.append(_run(run))
    return ", ".join(parts)


def _run(run: list[int]) -> str:
    if len(run) == 1:
        return f"#{run[0]}"
    sep = "–#" if len(run) > 2 else ", #"
    return f"#{run[0]}{sep}{run[-1]}"


def message(finding: Finding, lang: str) -> str:
    return finding.message.vi if lang == "vi" else finding.message.en


def problems(report: DocumentReport, lang: str) -> list[Problem]:
    """WARNING and ERROR findings: the document's first, then by signature; errors first."""
    groups: dict[tuple[Severity, str, str, bool], list[int]] = {}

    def add(finding: Finding, index: int | None) -> None:
        if finding.severity == Severity.INFO:
            return
        key = (finding.severity, finding.code, message(finding, lang), index is None)
        indexes = groups.setdefault(key, [])
        if index is not None:
            indexes.append(index)

    for finding in report.findings:
        add(finding, None)
    for sig in report.signatures:
        for finding in sig.findings:
            add(finding, sig.index)
    found = [Problem(severity=sev, code=code, message=text, signatures=tuple(indexes))
             for (sev, code, text, _), indexes in groups.items()]
    # Stable: within a severity, the document's findings and then signature order.
    return sorted(found, key=lambda p: (_RANK[p.severity], bool(p.signatures),
                                        min(p.signatures, default=0)))


def problems_text(report: DocumentReport, lang: str) -> str:
    """One line per problem (for table cells): ``#1–#5: message``."""
    lines = []
    for problem in problems(report, lang):
        where = problem.where()
        lines.append(f"{where}: {problem.message}" if where else problem.message)
    return "\n".join(lines)


def info_count(report: DocumentReport) -> int:
    return sum(f.severity == Severity.INFO for f in report.every_finding())
