"""JUnit XML for CI dashboards: one test case per document.

A document that makes the run fail under the CI gate is a ``<failure>`` whose text
lists the findings (and missed requirements); a document stopped by a guard (time or
memory limit, crashed worker) is an ``<error>``; everything else passes, with its
warnings in ``<system-out>``. GitHub, GitLab and Jenkins read this shape.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from vnsign.gate import GateStatus
from vnsign.models import Indication, SubIndication
from vnsign.render.batch_rows import Document, findings_text

# Characters XML 1.0 cannot carry at all (control characters from hostile PDFs).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _verdict(indication: Indication, sub: SubIndication | None) -> str:
    return indication.value + (f" / {sub.value}" if sub else "")


def _details(doc: Document, lang: str) -> str:
    report = doc.report
    lines = [_verdict(report.indication, report.sub_indication)]
    for problem in doc.judgement.problems:
        lines.append(problem.vi if lang == "vi" else problem.en)
    doc_findings = findings_text(report.findings, lang)
    if doc_findings:
        lines.append(doc_findings)
    for sig in report.signatures:
        signer = (sig.signer.common_name if sig.signer else None) or "-"
        lines.append(f"#{sig.index} {signer}: {_verdict(sig.indication, sig.sub_indication)}")
        text = findings_text(sig.findings, lang)
        if text:
            lines.extend("    " + line for line in text.splitlines())
    return _clean("\n".join(lines))


def render_junit(docs: Sequence[Document], lang: str, suite_name: str = "vnsign") -> bytes:
    failures = sum(1 for d in docs if d.judgement.counted and d.row.error is None)
    errors = sum(1 for d in docs if d.row.error is not None)
    total_time = sum(d.row.duration or 0.0 for d in docs)
    suites = ET.Element("testsuites", name=suite_name, tests=str(len(docs)),
                        failures=str(failures), errors=str(errors), time=f"{total_time:.3f}")
    suite = ET.SubElement(suites, "testsuite", name=suite_name, tests=str(len(docs)),
                          failures=str(failures), errors=str(errors), skipped="0",
                          time=f"{total_time:.3f}")
    for doc in docs:
        folder, name = os.path.split(doc.row.path)
        case = ET.SubElement(suite, "testcase", classname=_clean(folder or "."),
                             name=_clean(name), file=_clean(doc.row.path),
                             time=f"{doc.row.duration or 0.0:.3f}")
        summary = _verdict(doc.report.indication, doc.report.sub_indication)
        if doc.row.error is not None:
            error = ET.SubElement(case, "error", type=doc.row.error,
                                  message=_clean(f"{summary}: {doc.row.detail or ''}"))
            error.text = _details(doc, lang)
        elif doc.judgement.counted:
            kind = ("REQUIREMENT" if doc.judgement.problems
                    and doc.report.indication != Indication.FAILED
                    else doc.judgement.status.value)
            failure = ET.SubElement(case, "failure", type=kind, message=_clean(summary))
            failure.text = _details(doc, lang)
        elif doc.judgement.status != GateStatus.OK:
            out = ET.SubElement(case, "system-out")
            out.text = _details(doc, lang)
    ET.indent(suites)
    return bytes(ET.tostring(suites, encoding="utf-8", xml_declaration=True)) + b"\n"
