"""Build pyHanko's validation specification from a vnsign TrustStore and Policy.

This is the only place that decides which roots pyHanko trusts, whether it may go
online, how strict revocation checking is, and which algorithms each trust anchor's
chains may use (``vnsign.validation.algorithms``: a STRICT policy over every trusted
root, and the Vietnamese government profile over the pinned VGCA roots only).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from vnsign.models import NetworkRequest
from vnsign.policy import Policy
from vnsign.timefmt import now_utc
from vnsign.trust import TrustStore
from vnsign.validation.algorithms import Profile, vgca_anchors, vn_gov_algorithm_policy
from vnsign.validation.diff_rules import vnsign_diff_policy

# pyHanko's AdES entry points apply no key-usage constraint unless given one (its
# legacy API defaulted to non-repudiation). A signing certificate must allow digital
# signatures or non-repudiation, as Adobe and EU DSS require.
SIGNER_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


@dataclass(frozen=True)
class ValidationSetup:
    """``pdf_spec`` is the STRICT specification (every trusted root, pyHanko's default
    algorithms); ``profiles`` holds the certificate policy of each available profile,
    for the signer's and the timestamp's chains separately (``spec_for``)."""

    pdf_spec: PdfSignatureValidationSpec
    timing: ValidationTimingInfo
    fetcher_backend: Any | None
    session: Any | None  # the aiohttp session; closed by the caller after the document
    profiles: dict[Profile, CertValidationPolicySpec] = field(default_factory=dict)

    @property
    def vn_gov_available(self) -> bool:
        """The profile is on and the user trusts at least one pinned VGCA root."""
        return Profile.VN_GOV in self.profiles

    def spec_for(self, signer: Profile, tsa: Profile | None = None
                 ) -> PdfSignatureValidationSpec:
        """The specification whose signer chain (and timestamp chain) use these profiles."""
        base = self.pdf_spec.signature_validation_spec
        signature_spec = replace(base, cert_validation_policy=self.profiles[signer],
                                 ts_cert_validation_policy=self.profiles[tsa or signer])
        return replace(self.pdf_spec, signature_validation_spec=signature_spec)


def _revocation_policy(policy: Policy) -> RevocationCheckingPolicy:
    """Soft-fail by default; with ``require_revocation`` the signer's certificate
    must have revocation data, and CA certificates must when they declare where to
    find it (a national root's intermediates carry a CRL distribution point)."""
    if not policy.require_revocation:
        soft: RevocationCheckingPolicy = RevocationCheckingPolicy.from_legacy("soft-fail")
        return soft
    return RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
    )


def build_setup(trust: TrustStore, policy: Policy,
                network: list[NetworkRequest] | None = None) -> ValidationSetup:
    """Must run inside the event loop that validates (the HTTP session binds to it).

    ``network`` receives a record of every request made (the report lists them).
    """
    from vnsign.validation import path_cache

    path_cache.install()  # offline path validations are remembered per process
    # An explicit (possibly empty) list: pyHanko falls back to the OS TLS store on None.
    revinfo_policy = CertRevTrustPolicy(_revocation_policy(policy))
    cert_policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=list(trust.roots)),
        revinfo_policy=revinfo_policy,
        time_tolerance=timedelta(seconds=1),
    )
    profiles = {Profile.STRICT: cert_policy}
    anchors = vgca_anchors(trust.roots)
    if anchors and not policy.strict_algorithms:
        # Only the pinned VGCA roots: a path validated here ends at one of them.
        profiles[Profile.VN_GOV] = CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=anchors),
            revinfo_policy=revinfo_policy,
            time_tolerance=timedelta(seconds=1),
            algorithm_usage_policy=vn_gov_algorithm_policy(),
        )
    backend = session = None
    # Without any trust root nothing can validate, so there is nothing worth fetching.
    if policy.offline or not trust.roots:
        gathering = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
            certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
        )
    else:
        from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
        from pyhanko_certvalidator.fetchers.api import FetchLimits

        from vnsign.validation.network import SharedFetchersBackend, make_session

        session = make_session(policy.max_download_size,
                               allow_private_network=policy.allow_private_network, log=network)
        backend = SharedFetchersBackend(AIOHttpFetcherBackend(
            session=session,
            per_request_timeout=policy.network_timeout,
            limits=FetchLimits(max_requests=50, max_cert_requests=20),
        ))
        gathering = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH,
            fetcher_backend=backend,
            # --no-aia: revocation data may still be fetched, issuer certificates never.
            certificate_fetching_rule=(CertificateFetchingRule.FOLLOW_ONLINE_RULE
                                       if policy.aia else CertificateFetchingRule.NEVER_FETCH),
        )
    signature_spec = SignatureValidationSpec(
        cert_validation_policy=cert_policy,
        revinfo_gathering_policy=gathering,
        local_knowledge=LocalKnowledge(known_certs=list(trust.other_certs)),
        key_usage_settings=SIGNER_KEY_USAGE,
    )
    moment = policy.validation_time or now_utc()
    timing = ValidationTimingInfo(
        validation_time=moment,
        best_signature_time=moment,
        point_in_time_validation=policy.validation_time is not None,
    )
    return ValidationSetup(
        pdf_spec=PdfSignatureValidationSpec(signature_spec, diff_policy=vnsign_diff_policy()),
        timing=timing,
        fetcher_backend=backend,
        session=session,
        profiles=profiles,
    )
