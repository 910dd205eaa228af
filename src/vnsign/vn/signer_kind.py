"""Is a signing certificate a person's or an agency's ("seal")?

Vietnamese practice: the competent person signs with a personal certificate
(CN = "Bùi Văn Nam", often with a citizen ID in UID=CCCD:/CMND:), then the issuing
agency signs with the agency certificate (CN = "SỞ NỘI VỤ", written in capitals, often
with a tax code UID=MST:). VGCA certificates carry no explicit type, so the rule is:

1. a personal identifier (CCCD, CMND, HC, PID, PPID, BHXH) → PERSON;
2. a common name written entirely in capitals → AGENCY;
3. a common name in mixed case → PERSON;
4. otherwise UNKNOWN.
"""

from __future__ import annotations

from vnsign.models import Signer, SignerKind

PERSONAL_ID_KINDS = frozenset({"CCCD", "CMND", "HC", "PID", "PPID", "BHXH"})


def classify_signer(signer: Signer | None) -> SignerKind:
    if signer is None:
        return SignerKind.UNKNOWN
    if any(i.kind in PERSONAL_ID_KINDS for i in signer.identifiers):
        return SignerKind.PERSON
    name = signer.common_name or ""
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return SignerKind.UNKNOWN
    if all(c.isupper() for c in letters):
        return SignerKind.AGENCY
    return SignerKind.PERSON
