"""verdict.decide, rule by rule: one table row per numbered rule of its docstring.

Each row starts from a signature pyHanko passed, intact and unmodified, changes the
facts one rule looks at, and states the indication, the sub-indication and the
finding codes a user sees.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from vnsign import findings
from vnsign.models import Coverage, Indication, Modification, SubIndication
from vnsign.pdf.visual import VisualOutcome
from vnsign.validation.verdict import VerdictInput, decide

SIGNED = datetime(2025, 9, 25, 8, 56, tzinfo=UTC)
GOOD = VerdictInput(
    ades_status="PASSED", ades_subindic="OK", failure_msg=None, engine_error=None,
    coverage=Coverage.ENTIRE_REVISION, modification=Modification.NONE,
    modifications_allowed=True, integrity_error=None, proven_time=None, revoked_at=None,
    cert_not_after=datetime(2027, 1, 1, tzinfo=UTC),
    cert_not_before=datetime(2024, 1, 1, tzinfo=UTC), key_usage_ok=True)
BROKEN_RANGE = (findings.make("BYTERANGE_MALFORMED", detail="x"),)

P, F, U = Indication.PASSED, Indication.FAILED, Indication.INDETERMINATE  # U: undecided
S = SubIndication

CASES: list[tuple[str, dict[str, Any], Indication, SubIndication | None, set[str]]] = [
    # rule 1: pyHanko's indication is the starting point
    ("1 passed", {}, P, None, set()),
    ("1 passed, fields filled later", {"modification": Modification.FORM_FILLING},
     P, None, {"MODIFIED_FORM_FILLING"}),
    ("1 hash failure", {"ades_status": "FAILED", "ades_subindic": "HASH_FAILURE"},
     F, S.HASH_FAILURE, {"HASH_MISMATCH"}),
    ("1 bad signature value", {"ades_status": "FAILED", "ades_subindic": "SIG_CRYPTO_FAILURE"},
     F, S.SIG_CRYPTO_FAILURE, {"SIGNATURE_CRYPTO_INVALID"}),
    ("1 untrusted chain",
     {"ades_status": "INDETERMINATE", "ades_subindic": "NO_CERTIFICATE_CHAIN_FOUND"},
     U, S.NO_CERTIFICATE_CHAIN_FOUND, {"NO_TRUSTED_CHAIN"}),
    ("1 self-signed and untrusted",
     {"ades_status": "INDETERMINATE", "ades_subindic": "CHAIN_CONSTRAINTS_FAILURE",
      "self_signed_untrusted": True}, U, S.NO_CERTIFICATE_CHAIN_FOUND, {"NO_TRUSTED_CHAIN"}),
    ("1 wrong key usage",
     {"ades_status": "INDETERMINATE", "ades_subindic": "CHAIN_CONSTRAINTS_FAILURE",
      "key_usage_ok": False}, U, S.CHAIN_CONSTRAINTS_FAILURE, {"KEY_USAGE_INVALID"}),
    ("1 engine error", {"engine_error": "ValueError: x", "ades_status": None},
     U, S.GENERIC, {"VALIDATION_FAILED_OTHER"}),
    # rule 2: anomalous coverage
    ("2 anomalous coverage", {"coverage": Coverage.ANOMALOUS}, F, S.FORMAT_FAILURE,
     {"COVERAGE_ANOMALOUS"}),
    # rule 3: changes beyond what the signature allows
    ("3 disallowed changes", {"modification": Modification.OTHER,
                              "modifications_allowed": False},
     F, S.FORMAT_FAILURE, {"MODIFIED_DISALLOWED"}),
    ("3 disallowed beats untrusted",
     {"ades_status": "INDETERMINATE", "ades_subindic": "NO_CERTIFICATE_CHAIN_FOUND",
      "modification": Modification.ANNOTATIONS, "modifications_allowed": False},
     F, S.FORMAT_FAILURE, {"NO_TRUSTED_CHAIN", "MODIFIED_DISALLOWED"}),
    # rule 4: "unknown" is never "none"
    ("4 analysis did not run", {"modification": Modification.UNKNOWN,
                                "modifications_allowed": None, "integrity_error": "boom"},
     U, S.GENERIC, {"MODIFICATIONS_UNKNOWN"}),
    ("4 unknown keeps a failure", {"modification": Modification.UNKNOWN,
                                   "modifications_allowed": None, "ades_status": "FAILED",
                                   "ades_subindic": "HASH_FAILURE"},
     F, S.HASH_FAILURE, {"HASH_MISMATCH", "MODIFICATIONS_UNKNOWN"}),
    # rule 5: a proven time settles revocation and expiry
    ("5 revoked before the proven time",
     {"ades_status": "INDETERMINATE", "ades_subindic": "REVOKED_NO_POE",
      "proven_time": SIGNED, "revoked_at": SIGNED.replace(month=8)},
     F, S.REVOKED, {"CERT_REVOKED"}),
    ("5 revoked after the proven time stays open",
     {"ades_status": "INDETERMINATE", "ades_subindic": "REVOKED_NO_POE",
      "proven_time": SIGNED, "revoked_at": SIGNED.replace(month=10)},
     U, S.REVOKED_NO_POE, {"CERT_REVOKED_NO_POE"}),
    ("5 proven after expiry", {"proven_time": SIGNED,
                               "cert_not_after": SIGNED.replace(year=2024)},
     F, S.EXPIRED, {"CERT_EXPIRED"}),
    ("5 proven before validity", {"proven_time": SIGNED,
                                  "cert_not_before": SIGNED.replace(year=2026)},
     F, S.NOT_YET_VALID, {"CERT_NOT_YET_VALID"}),
    ("5 claimed time alone settles nothing", {"cert_not_after": SIGNED.replace(year=2024)},
     P, None, set()),
    # rule 6: vnsign's structural /ByteRange checks
    ("6 malformed byte range", {"structure": BROKEN_RANGE}, F, S.FORMAT_FAILURE,
     {"BYTERANGE_MALFORMED"}),
    ("6 over a hash failure", {"structure": BROKEN_RANGE, "ades_status": "FAILED",
                               "ades_subindic": "HASH_FAILURE"},
     F, S.FORMAT_FAILURE, {"BYTERANGE_MALFORMED", "HASH_MISMATCH"}),
    # rule 7: weak digests are never PASSED
    ("7 sha-1 digest", {"weak_digest": "sha1"}, U, S.CRYPTO_CONSTRAINTS_FAILURE,
     {"WEAK_ALGORITHM"}),
    ("7 weak digest keeps a failure", {"weak_digest": "md5", "ades_status": "FAILED",
                                       "ades_subindic": "SIG_CRYPTO_FAILURE"},
     F, S.SIG_CRYPTO_FAILURE, {"WEAK_ALGORITHM", "SIGNATURE_CRYPTO_INVALID"}),
    # rule 8: what the reader sees
    ("8 unexplained page difference", {"visual": VisualOutcome(unexplained_pages=(2,))},
     F, S.FORMAT_FAILURE, {"VISUAL_DIFFERENCE"}),
    ("8 difference inside a filled field", {"visual": VisualOutcome(permitted_pages=(1,)),
                                            "modification": Modification.FORM_FILLING},
     P, None, {"VISUAL_CHANGE_PERMITTED", "MODIFIED_FORM_FILLING"}),
    ("8 comparison impossible", {"visual": VisualOutcome(not_run="pdfium refused")},
     P, None, {"VISUAL_CHECK_NOT_RUN"}),
]


@pytest.mark.parametrize(("name", "changes", "indication", "sub", "codes"), CASES,
                         ids=[c[0] for c in CASES])
def test_rule(name: str, changes: dict[str, Any], indication: Indication,
              sub: SubIndication | None, codes: set[str]) -> None:
    verdict = decide(replace(GOOD, **changes))
    assert (verdict.indication, verdict.sub_indication) == (indication, sub)
    assert {f.code for f in verdict.findings} == codes
    assert len({f.code for f in verdict.findings}) == len(verdict.findings)  # no repeats


def test_every_numbered_rule_has_a_row() -> None:
    import re

    from vnsign.validation import verdict

    numbered = {int(n) for n in re.findall(r"^(\d+)\. ", verdict.__doc__ or "", re.M)}
    covered = {int(c[0].split()[0]) for c in CASES}
    assert numbered and numbered <= covered, sorted(numbered - covered)
