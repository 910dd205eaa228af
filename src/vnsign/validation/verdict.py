"""vnsign's verdict rules on top of pyHanko's AdES result — the one place that decides.

Rules, in order (a FAILED always beats an INDETERMINATE, which beats PASSED):

1. pyHanko's AdES indication and sub-indication are the starting point.
2. An anomalous /ByteRange (not covering its whole revision) is FAILED/FORMAT_FAILURE.
3. Changes after signing beyond what the signature allows (pyHanko's difference
   analysis: level OTHER, or above the DocMDP permission) are FAILED/FORMAT_FAILURE
   with the finding MODIFIED_DISALLOWED. The signed bytes are intact, but the
   document a reader sees is not the one that was signed.
4. If the difference analysis could not run, the visual check decides: a page that
   looks different (outside new signatures' stamps) is FAILED by rule 8, identical
   pages leave the verdict standing with the warning MODIFICATIONS_UNCLASSIFIED, unless
   the analysis stopped on an object it could not parse (then other readers may draw
   the page differently from pdfium, as the Shadow "hide" demos show). Where the
   pages could not clear it, a PASSED becomes INDETERMINATE/GENERIC:
   "unknown" is never "none".
5. ETSI EN 319 102-1 FAILED sub-indications that a proven signing time (a valid,
   trusted timestamp) settles: REVOKED_NO_POE with the proven time at or after the
   revocation → FAILED/REVOKED; a proven time after the signer certificate's expiry
   → FAILED/EXPIRED (pyHanko's validation-with-time passes such a signature), before
   its start → FAILED/NOT_YET_VALID.
6. A structural violation of /ByteRange or /Contents found by vnsign's own checks
   (``vnsign.pdf.byterange``: missing or malformed entries, a range not starting at
   0, overlapping or outside the file, a gap that is not exactly the /Contents
   string, a range not ending at a revision end, two signatures' ranges colliding)
   is FAILED/FORMAT_FAILURE, whatever pyHanko concluded: these are the footholds of
   Universal Signature Forgery and Signature Wrapping. So are bytes after the end of
   the last revision (objects appended without a usable cross-reference section:
   Incremental Saving with a stripped xref): no signature and no difference
   analysis ever saw them, yet a repairing viewer shows them.
7. A signature whose CMS digest is MD5 or SHA-1 (or MD2/MD4) is never PASSED: at
   best INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE, with WEAK_ALGORITHM naming it —
   except SHA-1 that the Vietnamese government profile accepted (``weak_accepted``:
   the signer's chain validated under VN_GOV, so it ends at a pinned VGCA root; see
   ``vnsign.validation.algorithms``). The WEAK_ALGORITHM_ACCEPTED warning then names
   the profile and the algorithm. MD2/MD4/MD5 are never accepted.
8. The visual check (``vnsign.pdf.visual``, when the policy enables it and the
   difference analysis *allowed* later changes): a page that renders differently
   outside the areas of the permitted changes (new signature widgets, filled form
   fields, comments) is FAILED/FORMAT_FAILURE with VISUAL_DIFFERENCE; a difference
   inside filled form fields or comments is a WARNING (VISUAL_CHANGE_PERMITTED),
   since the signature permits it but a reader sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vnsign import findings
from vnsign.models import (
    INDICATION_RANK,
    Coverage,
    Finding,
    Indication,
    Modification,
    SubIndication,
)
from vnsign.pdf.visual import VisualOutcome


@dataclass(frozen=True)
class VerdictInput:
    ades_status: str | None  # "PASSED" / "FAILED" / "INDETERMINATE" from pyHanko, None on error
    ades_subindic: str | None  # e.g. "OK", "HASH_FAILURE", "NO_CERTIFICATE_CHAIN_FOUND"
    failure_msg: str | None
    engine_error: str | None
    coverage: Coverage
    modification: Modification
    modifications_allowed: bool | None
    integrity_error: str | None
    proven_time: datetime | None
    revoked_at: datetime | None
    cert_not_after: datetime | None
    cert_not_before: datetime | None
    self_signed_untrusted: bool = False
    key_usage_ok: bool | None = None
    structure: tuple[Finding, ...] = ()  # rule 6, from vnsign.pdf.byterange
    weak_digest: str | None = None  # rule 7, e.g. "sha1"
    weak_accepted: bool = False  # rule 7: SHA-1 accepted under the VN_GOV profile
    visual: VisualOutcome | None = None  # rule 8, None when the check did not apply
    integrity_malformed: bool = False  # rule 4: the analysis stopped on an unparsable object


@dataclass(frozen=True)
class Verdict:
    indication: Indication
    sub_indication: SubIndication | None
    findings: tuple[Finding, ...]


def _worse(a: tuple[Indication, str | None], b: tuple[Indication, str | None]
           ) -> tuple[Indication, str | None]:
    return b if INDICATION_RANK[b[0]] > INDICATION_RANK[a[0]] else a


_SUBINDIC_FINDING = {
    "HASH_FAILURE": "HASH_MISMATCH",
    "SIG_CRYPTO_FAILURE": "SIGNATURE_CRYPTO_INVALID",
    "NO_CERTIFICATE_CHAIN_FOUND": "NO_TRUSTED_CHAIN",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "NO_TRUSTED_CHAIN",
    "NO_SIGNING_CERTIFICATE_FOUND": "NO_TRUSTED_CHAIN",
    "CRYPTO_CONSTRAINTS_FAILURE": "WEAK_ALGORITHM",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "WEAK_ALGORITHM",
    "OUT_OF_BOUNDS_NO_POE": "CERT_OUT_OF_VALIDITY_NO_POE",
    "OUT_OF_BOUNDS_NOT_REVOKED": "CERT_OUT_OF_VALIDITY_NO_POE",
    "EXPIRED": "CERT_EXPIRED",
    "NOT_YET_VALID": "CERT_NOT_YET_VALID",
    "TRY_LATER": "REVOCATION_REQUIRED_MISSING",
}


def decide(inp: VerdictInput) -> Verdict:
    found: list[Finding] = []
    if inp.engine_error is not None or inp.ades_status is None:
        found.append(findings.make("VALIDATION_FAILED_OTHER",
                                   detail=inp.engine_error or "no result"))
        current: tuple[Indication, str | None] = (Indication.INDETERMINATE, "GENERIC")
    else:
        status = Indication(inp.ades_status)
        sub = None if status == Indication.PASSED else inp.ades_subindic
        current = (status, sub)

    # pyHanko calls an untrusted self-signed signer a chain-constraints failure; for
    # the user it is plainly "no chain to a trusted root".
    if inp.self_signed_untrusted and current[0] == Indication.INDETERMINATE:
        current = (Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND")

    # Rule 5: a proven signing time settles what pyHanko leaves open (or, for an
    # expired certificate in "validation with time", lets through).
    if current[0] != Indication.FAILED and inp.proven_time is not None:
        if current[1] == "REVOKED_NO_POE" and inp.revoked_at is not None \
                and inp.proven_time >= inp.revoked_at:
            current = (Indication.FAILED, "REVOKED")
        elif inp.cert_not_after is not None and inp.proven_time > inp.cert_not_after:
            current = (Indication.FAILED, "EXPIRED")
        elif inp.cert_not_before is not None and inp.proven_time < inp.cert_not_before:
            current = (Indication.FAILED, "NOT_YET_VALID")

    if current[1] is not None:
        found.append(_finding_for(current[1], inp))

    # Rules 2-4: integrity of the document around the signature.
    if inp.coverage == Coverage.ANOMALOUS:
        current = _worse(current, (Indication.FAILED, "FORMAT_FAILURE"))
        found.append(findings.make("COVERAGE_ANOMALOUS"))
    if inp.modifications_allowed is False and inp.coverage != Coverage.ANOMALOUS:
        current = _worse(current, (Indication.FAILED, "FORMAT_FAILURE"))
        found.append(findings.make("MODIFIED_DISALLOWED", level=inp.modification.value))
    elif inp.modification == Modification.UNKNOWN and inp.coverage != Coverage.ANOMALOUS:
        if inp.visual is not None and inp.visual.not_run is None and \
                (inp.visual.unexplained_pages or not inp.integrity_malformed):
            # The pictures decide (rule 8): a difference fails below; none leaves the
            # verdict standing, with a warning that the change was not classified.
            found.append(findings.make("MODIFICATIONS_UNCLASSIFIED",
                                       detail=inp.integrity_error or "not analysed"))
        else:
            current = _worse(current, (Indication.INDETERMINATE, "GENERIC"))
            found.append(findings.make("MODIFICATIONS_UNKNOWN",
                                       detail=inp.integrity_error or "not analysed"))
    elif inp.modification == Modification.ANNOTATIONS:
        found.append(findings.make("MODIFIED_ANNOTATIONS"))
    elif inp.modification == Modification.FORM_FILLING:
        found.append(findings.make("MODIFIED_FORM_FILLING"))
    elif inp.modification == Modification.LTV_UPDATES:
        found.append(findings.make("MODIFIED_LTV_UPDATES"))

    # Rule 6: vnsign's own structural checks of /ByteRange and /Contents.
    if inp.structure:
        # Over a HASH_FAILURE too: a digest over a meaningless range proves nothing.
        current = (Indication.FAILED, "FORMAT_FAILURE")
        found.extend(inp.structure)
    # Rule 7: weak digest algorithms are never silently accepted (SHA-1 under the
    # VN_GOV profile is accepted with a warning, added with the profile's evidence).
    if inp.weak_digest is not None and not (inp.weak_digest == "sha1" and inp.weak_accepted):
        current = _worse(current, (Indication.INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE"))
        found = [f for f in found if f.code != "WEAK_ALGORITHM"]
        found.append(findings.make("WEAK_ALGORITHM",
                                   detail=f"digest algorithm {inp.weak_digest.upper()}"))
    # Rule 8: what the reader sees.
    if inp.visual is not None:
        if inp.visual.unexplained_pages:
            current = _worse(current, (Indication.FAILED, "FORMAT_FAILURE"))
            found.append(findings.make("VISUAL_DIFFERENCE",
                                       pages=_pages(inp.visual.unexplained_pages)))
        if inp.visual.permitted_pages:
            found.append(findings.make("VISUAL_CHANGE_PERMITTED",
                                       pages=_pages(inp.visual.permitted_pages)))
        if inp.visual.hidden_text:
            found.append(findings.make("STAMP_COVERS_TEXT", detail="; ".join(
                f"{page}: \u201c{text}\u201d" for page, text in inp.visual.hidden_text)))
        if inp.visual.not_run is not None:
            found.append(findings.make("VISUAL_CHECK_NOT_RUN", detail=inp.visual.not_run))
    sub = SubIndication(current[1]) if current[1] is not None else None
    return Verdict(current[0], sub, tuple(_unique(found)))


def _pages(pages: tuple[int, ...]) -> str:
    return ", ".join(str(p) for p in pages)


def _finding_for(sub: str, inp: VerdictInput) -> Finding:
    date = inp.revoked_at.isoformat() if inp.revoked_at else "?"
    if sub == "REVOKED":
        return findings.make("CERT_REVOKED", date=date)
    if sub in ("REVOKED_NO_POE", "REVOKED_CA_NO_POE"):
        return findings.make("CERT_REVOKED_NO_POE", date=date)
    if sub == "CHAIN_CONSTRAINTS_FAILURE" and inp.key_usage_ok is False:
        return findings.make("KEY_USAGE_INVALID")
    code = _SUBINDIC_FINDING.get(sub)
    if code == "WEAK_ALGORITHM":
        return findings.make(code, detail=inp.failure_msg or sub)
    if code is not None:
        return findings.make(code)
    return findings.make("VALIDATION_FAILED_OTHER",
                         detail=f"{sub}: {inp.failure_msg}" if inp.failure_msg else sub)


def _unique(items: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    result = []
    for item in items:
        if item.code not in seen:
            seen.add(item.code)
            result.append(item)
    return result
