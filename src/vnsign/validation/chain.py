"""The certificate chain part of a signature report: path, trust and revocation."""

from __future__ import annotations

import hashlib
from typing import Any

from vnsign.attempt import attempt
from vnsign.models import (
    Chain,
    ChainCertificate,
    Revocation,
    RevocationSource,
    RevocationStatus,
)
from vnsign.policy import Policy
from vnsign.timefmt import iso_vn
from vnsign.validation.engine import EngineOutcome
from vnsign.vn.certificate import common_name, name_text


def chain_report(status: Any, outcome: EngineOutcome, policy: Policy) -> Chain | None:
    """The path to a trust root (issuers first, root last) and the signer's revocation."""
    if status is None:
        return None
    path = getattr(status, "validation_path", None)
    certs: list[ChainCertificate] = []
    if path is not None:
        all_certs = list(path.iter_certs(include_root=True))
        for cert in reversed(all_certs[:-1]):  # issuer of the leaf first, root last
            certs.append(ChainCertificate(
                common_name=common_name(cert), subject=name_text(cert.subject),
                sha256=hashlib.sha256(cert.dump()).hexdigest(),
                valid_until=iso_vn(cert.not_valid_after) or ""))
    trusted = path is not None and outcome.subindic is not None and \
        outcome.subindic.name not in ("NO_CERTIFICATE_CHAIN_FOUND",
                                      "CERTIFICATE_CHAIN_GENERAL_FAILURE")
    return Chain(trusted=trusted, path=tuple(certs),
                 revocation=_revocation(status, outcome, policy, path is not None),
                 hierarchy=_hierarchy(certs) if trusted else None)


def _hierarchy(path: list[ChainCertificate]) -> str | None:
    from vnsign.vn.known_roots import identify

    known = identify(path[-1].sha256) if path else None
    return known.hierarchy if known is not None else None


def _revocation(status: Any, outcome: EngineOutcome, policy: Policy, has_path: bool
                ) -> Revocation:
    """Revocation status of the signer's certificate and where it came from.

    GOOD is reported only when pyHanko accepted the chain *and* a CRL or OCSP
    response covering the signer's certificate was among the data it used.
    """
    leaf = getattr(status, "signing_cert", None)
    details = getattr(status, "revocation_details", None)
    if details is not None:
        source = _source_for(leaf, outcome)
        return Revocation(RevocationStatus.REVOKED, source,
                          revoked_at=iso_vn(details.revocation_date),
                          reason=attempt(lambda: details.revocation_reason.native))
    if leaf is None or not has_path:
        return Revocation(RevocationStatus.NOT_CHECKED, None)
    source = _source_for(leaf, outcome)
    if source is not None and outcome.subindic is not None and \
            outcome.subindic.status.name == "PASSED":
        return Revocation(RevocationStatus.GOOD, source)
    if policy.offline:
        return Revocation(RevocationStatus.NOT_CHECKED, None)
    return Revocation(RevocationStatus.UNKNOWN, source)


def _source_for(leaf: Any, outcome: EngineOutcome) -> RevocationSource | None:
    if leaf is None:
        return None
    for vo in outcome.validation_objects:
        kind = vo.object_type.name
        try:
            if kind == "OCSP_RESPONSE":
                data = vo.value.ocsp_response_data
                basic = data["response_bytes"]["response"].parsed
                for single in basic["tbs_response_data"]["responses"]:
                    if single["cert_id"]["serial_number"].native == leaf.serial_number:
                        return (RevocationSource.EMBEDDED
                                if data.dump() in outcome.embedded_revinfo
                                else RevocationSource.OCSP)
            elif kind == "CRL":
                crl = vo.value.crl_data
                if crl["tbs_cert_list"]["issuer"] == leaf.issuer:
                    return (RevocationSource.EMBEDDED if crl.dump() in outcome.embedded_revinfo
                            else RevocationSource.CRL)
        except Exception:
            continue
    return None
