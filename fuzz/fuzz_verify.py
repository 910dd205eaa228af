#!/usr/bin/env python3
"""Fuzz the whole path: bytes of a PDF -> vnsign.verify() -> a report -> JSON.

verify() promises never to raise for a broken input and to finish within the
policy's time limit; an exception escaping it, a report without a verdict, a report
that does not serialise to UTF-8 JSON (what the CLI prints), or a report with the
finding INTERNAL_ERROR (verify() caught an exception raised by vnsign's own code, not an
input a parser rejected: see vnsign.errors.internal_origin) is a crash. Offline, with
the fixture trust root, at a fixed validation time, with a 10 s time limit (libFuzzer's
own -timeout catches a real hang). Run (see fuzz/README.md)::

    nice -n 19 python fuzz/fuzz_verify.py CORPUS_DIR fuzz/corpus/pdf -max_len=60000

``tests/test_fuzz_smoke.py`` imports :func:`test_one_input` (atheris not needed).
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

try:
    import atheris
except ImportError:  # imported by the smoke test, which needs no atheris
    atheris = None

with atheris.instrument_imports() if atheris is not None else nullcontext():
    from vnsign import DocumentReport, Indication, Policy, TrustStore, verify

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "tests" / "fixtures" / "pki"
POLICY = Policy(offline=True, validation_time=datetime(2026, 11, 26, tzinfo=UTC),
                time_limit=10.0, visual_check=True)
TRUST = TrustStore.load([PKI / "root.cert.pem"], [PKI / "intermediate.cert.pem"],
                        use_saved=False, use_env=False)


class InternalError(AssertionError):
    """verify() caught a bug in vnsign's own code (finding INTERNAL_ERROR)."""


def test_one_input(data: bytes) -> DocumentReport:
    report = verify(data, trust=TRUST, policy=POLICY)
    if not isinstance(report.indication, Indication):
        raise AssertionError(f"no verdict: {report.indication!r}")
    for finding in report.every_finding():
        if finding.code == "INTERNAL_ERROR":
            raise InternalError(finding.message.en)
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")
    return report


def main() -> None:
    assert atheris is not None, "pip install atheris (the 'fuzz' extra)"
    logging.disable(logging.CRITICAL)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
