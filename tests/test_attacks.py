"""Every published attack on PDF signatures, one case each, with the verdict it must get.

The cases are made by tests/fixtures/attacks/make_attacks.py (deterministic, from the
committed test PKI) and described in tests/fixtures/attacks/CASES.md. Each test
asserts the verdict field by field: the document's indication and sub-indication, and
per signature its indication, sub-indication, modification level and the codes of its
WARNING and ERROR findings, in order. Validation is offline, with the fixture root
trusted, so a PASSED is possible and every non-PASSED is the attack being caught.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, fixture_trust
from vnsign import DocumentReport, Indication, Policy, verify
from vnsign.pdf import visual

ATTACKS = FIXTURES / "attacks"
TRUST = fixture_trust()

Signature = tuple[str, str | None, str, tuple[str, ...]]
# case: (indication, sub-indication, per signature (indication, sub, modifications, codes))
EXPECTED: dict[str, tuple[str, str | None, tuple[Signature, ...]]] = {
    "base-signed": ("PASSED", None, (
        ("PASSED", None, "NONE", ()),
    )),
    "cert-evil-annotation-p1": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "ANNOTATIONS", ("MODIFIED_DISALLOWED",)),
    )),
    "cert-evil-annotation-p2": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "ANNOTATIONS", ("MODIFIED_DISALLOWED",)),
    )),
    "cert-evil-annotation-p3": ("PASSED", None, (
        ("PASSED", None, "ANNOTATIONS", ("MODIFIED_ANNOTATIONS", "VISUAL_CHANGE_PERMITTED")),
    )),
    "cert-p2-certified": ("PASSED", None, (
        ("PASSED", None, "NONE", ()),
    )),
    "cert-sneaky-signature-p1": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "cert-sneaky-signature-p2": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "cert-sneaky-signature-p3": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "cert-sneaky-signed-p2": ("PASSED", None, (
        ("PASSED", None, "FORM_FILLING", ("STAMP_COVERS_TEXT",)),
        ("PASSED", None, "NONE", ()),
    )),
    "fieldmdp-locked-field-changed": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "fieldmdp-unlocked-field-filled": ("PASSED", None, (
        ("PASSED", None, "FORM_FILLING", ("VISUAL_CHANGE_PERMITTED",)),
    )),
    "isa-annotation-only": ("PASSED", None, (
        ("PASSED", None, "ANNOTATIONS", ("MODIFIED_ANNOTATIONS", "VISUAL_CHANGE_PERMITTED")),
    )),
    "isa-full-xref": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "isa-metadata-only": ("PASSED", None, (
        ("PASSED", None, "LTV_UPDATES", ("METADATA_CHANGED_AFTER_SIGNING",)),
    )),
    "isa-new-catalog": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "isa-new-page": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "isa-only-trailer": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "NONE", ("DATA_AFTER_LAST_REVISION",)),
    )),
    "isa-stripped-xref": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "NONE", ("DATA_AFTER_LAST_REVISION",)),
    )),
    "shadow-hide-and-replace-xref": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "shadow-hide-optional-content": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "shadow-hide-overlay-removed": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "shadow-hide-signed": ("PASSED", None, (
        ("PASSED", None, "NONE", ()),
    )),
    "shadow-hide-xref-swap": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "shadow-replace-font": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "shadow-replace-form-signed": ("PASSED", None, (
        ("PASSED", None, "NONE", ()),
    )),
    "shadow-replace-form-value": ("PASSED", None, (
        ("PASSED", None, "FORM_FILLING", ("VISUAL_CHANGE_PERMITTED",)),
    )),
    "spoof-declared-values": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", (
            "COVERAGE_ANOMALOUS", "DECLARED_VALUES_CHANGED", "DECLARED_VALUES_CHANGED",
            "DECLARED_VALUES_CHANGED",
        )),
    )),
    "swa-colliding-ranges": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "FORM_FILLING", ("BYTERANGE_COLLISION",)),
        ("FAILED", 'FORMAT_FAILURE', "OTHER", (
            "HASH_MISMATCH", "COVERAGE_ANOMALOUS", "BYTERANGE_OUTSIDE_FILE",
            "BYTERANGE_COLLISION",
        )),
    )),
    "swa-moved-contents": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", (
            "COVERAGE_ANOMALOUS", "BYTERANGE_GAP_NOT_CONTENTS",
        )),
    )),
    "usf-byterange-float": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "UNKNOWN", (
            "VALIDATION_FAILED_OTHER", "MODIFICATIONS_UNKNOWN", "BYTERANGE_MALFORMED",
        )),
    )),
    "usf-byterange-missing": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "UNKNOWN", ("SIGNATURE_UNREADABLE", "BYTERANGE_MISSING")),
    )),
    "usf-byterange-outside": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", (
            "HASH_MISMATCH", "COVERAGE_ANOMALOUS", "BYTERANGE_OUTSIDE_FILE",
        )),
    )),
    "usf-byterange-overlap": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", (
            "HASH_MISMATCH", "COVERAGE_ANOMALOUS", "BYTERANGE_GAP_NOT_CONTENTS",
        )),
    )),
    "usf-byterange-zero": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "OTHER", (
            "HASH_MISMATCH", "COVERAGE_ANOMALOUS", "BYTERANGE_OVERLAP",
        )),
    )),
    "usf-cms-no-certificates": ("INDETERMINATE", 'NO_SIGNING_CERTIFICATE_FOUND', (
        ("INDETERMINATE", 'NO_SIGNING_CERTIFICATE_FOUND', "NONE", (
            "NO_TRUSTED_CHAIN", "CMS_MALFORMED",
        )),
    )),
    "usf-cms-of-other-document": ("FAILED", 'HASH_FAILURE', (
        ("FAILED", 'HASH_FAILURE', "NONE", ("HASH_MISMATCH",)),
    )),
    "usf-contents-empty": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "UNKNOWN", (
            "SIGNATURE_UNREADABLE", "SIG_CONTENTS_MISSING", "CMS_MALFORMED",
        )),
    )),
    "usf-contents-missing": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "UNKNOWN", ("SIGNATURE_UNREADABLE", "SIG_CONTENTS_MISSING")),
    )),
    "usf-contents-null": ("FAILED", 'FORMAT_FAILURE', (
        ("FAILED", 'FORMAT_FAILURE', "UNKNOWN", ("SIGNATURE_UNREADABLE", "SIG_CONTENTS_MISSING")),
    )),
    "weak-md5": ("INDETERMINATE", 'CRYPTO_CONSTRAINTS_FAILURE', (
        ("INDETERMINATE", 'CRYPTO_CONSTRAINTS_FAILURE', "NONE", ("WEAK_ALGORITHM",)),
    )),
    "weak-sha1": ("INDETERMINATE", 'CRYPTO_CONSTRAINTS_FAILURE', (
        ("INDETERMINATE", 'CRYPTO_CONSTRAINTS_FAILURE', "NONE", ("WEAK_ALGORITHM",)),
    )),
}


def run(name: str, policy: Policy = OFFLINE) -> DocumentReport:
    return verify(ATTACKS / f"{name}.pdf", trust=TRUST, policy=policy)


def verdict(report: DocumentReport) -> tuple[str, str | None, tuple[Signature, ...]]:
    return (report.indication.value, report.sub_indication, tuple(
        (s.indication.value, s.sub_indication, s.integrity.modifications_after.value,
         tuple(f.code for f in s.findings if f.severity.value != "INFO"))
        for s in report.signatures))


def test_every_generated_case_has_an_expectation() -> None:
    assert sorted(p.stem for p in ATTACKS.glob("*.pdf")) == sorted(EXPECTED)


def test_cases_md_lists_every_case() -> None:
    text = (ATTACKS / "CASES.md").read_text("utf-8")
    missing = [name for name in EXPECTED if f"`{name}`" not in text]
    assert not missing


def test_attack_folder_stays_small() -> None:
    assert sum(p.stat().st_size for p in ATTACKS.iterdir()) < 4 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_attack_case(name: str) -> None:
    assert verdict(run(name)) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(n for n, v in EXPECTED.items() if v[0] == "PASSED"))
def test_a_passed_attack_case_is_never_fully_valid_unless_untouched(name: str) -> None:
    """A permitted change after signing always leaves a WARNING for a person."""
    report = run(name)
    touched = any(s.integrity.modifications_after.value != "NONE" for s in report.signatures)
    warnings = [f.code for s in report.signatures for f in s.findings
                if f.severity.value == "WARNING"]
    assert bool(warnings) == touched, warnings


def test_spoofed_declared_values_show_what_was_signed() -> None:
    signed = run("base-signed").signatures[0].declared
    spoofed = run("spoof-declared-values").signatures[0]
    assert spoofed.declared == signed
    assert signed.reason == "Bùi Văn Nam <buivannam@haiduong.gov.vn> đã ký lên văn bản này!"
    changed = [f.message.en for f in spoofed.findings if f.code == "DECLARED_VALUES_CHANGED"]
    assert changed == [
        "The signature's /Reason was rewritten after signing; the report shows the signed value.",
        "The signature's /Name was rewritten after signing; the report shows the signed value.",
        "The signature's /M was rewritten after signing; the report shows the signed value.",
    ]
    assert spoofed.time.claimed == "2025-09-25T15:56:11+07:00"


@pytest.mark.parametrize(("name", "algorithm"), [("weak-sha1", "SHA1"), ("weak-md5", "MD5")])
def test_weak_digest_is_named(name: str, algorithm: str) -> None:
    signature = run(name).signatures[0]
    assert signature.digest_algorithm == algorithm.lower()
    weak = [f for f in signature.findings if f.code == "WEAK_ALGORITHM"]
    assert len(weak) == 1 and f"digest algorithm {algorithm}" in weak[0].message.en
    assert f"digest algorithm {algorithm}" in weak[0].message.vi


def test_swa_keeps_the_signed_bytes_intact() -> None:
    """The wrapped file still hashes to the signed digest: only structure catches it."""
    signature = run("swa-moved-contents").signatures[0]
    assert signature.integrity.digest_matches is True
    assert signature.integrity.coverage.value == "ANOMALOUS"


def test_visual_check_can_be_switched_off() -> None:
    report = run("shadow-replace-form-value", replace(OFFLINE, visual_check=False))
    assert verdict(report) == ("PASSED", None, (("PASSED", None, "FORM_FILLING", ()),))


def test_unexplained_visual_difference_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A difference outside every changed annotation is FAILED (rule 8).

    Simulated by hiding the comment's rectangle from the checker: the sticky note
    then is a change that no permitted object explains.
    """
    monkeypatch.setattr(visual.VisualChecker, "_changed_boxes",
                        lambda self, index, revision, page: [])
    report = run("isa-annotation-only")
    assert verdict(report) == ("FAILED", "FORMAT_FAILURE", (
        ("FAILED", "FORMAT_FAILURE", "ANNOTATIONS",
         ("MODIFIED_ANNOTATIONS", "VISUAL_DIFFERENCE")),))
    message = [f for f in report.signatures[0].findings if f.code == "VISUAL_DIFFERENCE"]
    assert message[0].message.en.startswith("Page 1 looks different")


def test_no_attack_case_passes_without_trust() -> None:
    """Nothing is trusted implicitly: without the root no case is PASSED."""
    for name in ("base-signed", "shadow-replace-form-value", "cert-evil-annotation-p3"):
        report = verify(ATTACKS / f"{name}.pdf", policy=OFFLINE)
        assert report.indication == Indication.INDETERMINATE



@pytest.mark.parametrize(("flag", "expected"), [
    ("--visual-check", ["VISUAL_CHANGE_PERMITTED"]), ("--no-visual-check", [])])
def test_cli_visual_check_switch(flag: str, expected: list[str]) -> None:
    import json

    from click.testing import CliRunner

    from tests.conftest import PKI
    from vnsign.cli import main

    result = CliRunner().invoke(main, [
        "verify", "--json", "--offline", "--no-saved-trust", "--at", "2026-11-26",
        "--trust", str(PKI / "root.cert.pem"), "--other-certs", str(PKI / "intermediate.cert.pem"),
        "--time-limit", "60", flag, str(ATTACKS / "shadow-replace-form-value.pdf")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    codes = [f["code"] for f in report["signatures"][0]["findings"]]
    assert [c for c in codes if c.startswith("VISUAL")] == expected
