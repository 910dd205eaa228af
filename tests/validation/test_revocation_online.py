"""Online revocation and AIA, against a real OCSP/CRL responder on 127.0.0.1:48231.

The test certificates name http://127.0.0.1:48231 in their AIA and CRL distribution
points; the responder counts requests so each network rule is proven, not assumed, and
every count is compared with the requests the report lists. 127.0.0.1 is not a public
address: these tests opt in with ``allow_private_network`` (without it nothing reaches
the responder, see test_loopback_responder_needs_the_opt_in).
"""

from __future__ import annotations

from dataclasses import replace

from tests.helpers import check, codes, fixture_trust
from tests.revocation_server import RevocationServer
from vnsign import DocumentReport, Indication, Policy, TrustStore
from vnsign.models import FetchOutcome

ONLINE = Policy(offline=False, network_timeout=5.0, allow_private_network=True)


def delta(server: RevocationServer, before: dict[str, int]) -> dict[str, int]:
    after = server.request_counts
    changed = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return {k: v for k, v in changed.items() if v}


def listed(report: DocumentReport) -> dict[str, int]:
    """The requests the report lists, counted by path like the responder counts them."""
    counts: dict[str, int] = {}
    for request in report.network_requests:
        path = "/" + request.url.split("/", 3)[3] if request.url.count("/") >= 3 else "/"
        counts[path] = counts.get(path, 0) + 1
    return counts


def test_revoked_via_crl(responder: RevocationServer) -> None:
    before = responder.request_counts
    r = check("revoked-crl.pdf", policy=ONLINE)
    s = r.signatures[0]
    assert r.indication == Indication.FAILED and r.sub_indication == "REVOKED"
    assert s.chain is not None
    assert s.chain.revocation.status.value == "REVOKED"
    assert s.chain.revocation.source is not None and s.chain.revocation.source.value == "CRL"
    assert s.chain.revocation.revoked_at == "2025-09-01T07:00:00+07:00"
    assert s.chain.revocation.reason == "key_compromise"
    # the timestamp proves the signature (2025-09-25) came after the revocation
    assert s.time.best_proven == "2025-09-25T15:56:11+07:00"
    assert "CERT_REVOKED" in codes(s.findings)
    used = delta(responder, before)
    assert used.get("/crl/intermediate.crl", 0) >= 1
    assert listed(r) == used


def test_revoked_via_ocsp(responder: RevocationServer) -> None:
    before = responder.request_counts
    r = check("revoked-ocsp.pdf", policy=ONLINE)
    s = r.signatures[0]
    assert r.indication == Indication.FAILED and r.sub_indication == "REVOKED"
    assert s.chain is not None and s.chain.revocation.status.value == "REVOKED"
    assert s.chain.revocation.source is not None and s.chain.revocation.source.value == "OCSP"
    used = delta(responder, before)
    assert used.get("/ocsp", 0) >= 1
    assert used.get("/crl/intermediate.crl", 0) == 0  # the certificate names no CRL
    assert listed(r) == used


def test_good_via_ocsp(responder: RevocationServer) -> None:
    r = check("cong-van-2971-snv-vp.pdf", policy=ONLINE)
    assert r.indication == Indication.PASSED
    for s in r.signatures:
        assert s.chain is not None
        assert s.chain.revocation.status.value == "GOOD"
        assert s.chain.revocation.source is not None
        assert s.chain.revocation.source.value == "OCSP"
        assert "REVOCATION_NOT_CHECKED" not in codes(s.findings)


def test_required_revocation_online_passes(responder: RevocationServer) -> None:
    policy = replace(ONLINE, require_revocation=True)
    assert check("cong-van-2971-snv-vp.pdf", policy=policy).indication == Indication.PASSED
    assert check("revoked-ocsp.pdf", policy=policy).indication == Indication.FAILED


def test_missing_intermediate_is_fetched_from_aia(responder: RevocationServer) -> None:
    before = responder.request_counts
    r = check("cong-van-2971-snv-vp.pdf", policy=ONLINE,
              trust=fixture_trust(with_intermediate=False))
    assert r.indication == Indication.PASSED
    assert delta(responder, before).get("/certs/intermediate.cer", 0) >= 1


def test_offline_never_touches_the_network(responder: RevocationServer) -> None:
    before = responder.request_counts
    policy = Policy(offline=True, allow_private_network=True)
    reports = [check(name, policy=policy)
               for name in ("cong-van-2971-snv-vp.pdf", "revoked-crl.pdf", "revoked-ocsp.pdf")]
    reports.append(check("cong-van-2971-snv-vp.pdf", policy=policy,
                         trust=fixture_trust(with_intermediate=False)))
    assert delta(responder, before) == {}
    assert all(r.network_requests == () for r in reports)


def test_loopback_responder_needs_the_opt_in(responder: RevocationServer) -> None:
    """By default a certificate's 127.0.0.1 addresses are refused, OCSP, CRL and AIA
    alike: nothing reaches the responder, revocation is unknown, and the report lists
    each refused request."""
    before = responder.request_counts
    r = check("revoked-crl.pdf", policy=Policy(offline=False, network_timeout=5.0),
              trust=fixture_trust(with_intermediate=False))
    assert delta(responder, before) == {}
    assert r.indication != Indication.PASSED  # the issuer could not be fetched
    assert r.network_requests
    assert {q.outcome for q in r.network_requests} == {FetchOutcome.BLOCKED}
    r = check("revoked-crl.pdf", policy=Policy(offline=False, network_timeout=5.0))
    assert delta(responder, before) == {}
    s = r.signatures[0]
    assert s.chain is not None and s.chain.revocation.status.value == "UNKNOWN"
    assert listed(r)["/crl/intermediate.crl"] == 1  # (and the TSA's OCSP address)
    assert {q.outcome for q in r.network_requests} == {FetchOutcome.BLOCKED}


def test_no_trust_roots_no_fetching(responder: RevocationServer) -> None:
    """Nothing can be trusted, so nothing is worth fetching (no AIA, OCSP or CRL)."""
    before = responder.request_counts
    r = check("revoked-crl.pdf", policy=ONLINE, trust=TrustStore())
    assert r.indication == Indication.INDETERMINATE
    assert delta(responder, before) == {}
    assert r.network_requests == ()


def test_untrusted_chain_no_revocation_requests(responder: RevocationServer) -> None:
    """A look-alike chain never reaches the trusted root: no OCSP/CRL is fetched for it.

    Its missing issuer *is* looked for at the signer's AIA address: pyHanko builds the
    path before it can know where it ends, so any certificate's AIA address is
    contacted (docs/security.md, "Network rules"). It is counted, listed in the report,
    and ``aia=False`` (``--no-aia``) stops it."""
    before = responder.request_counts
    r = check("lookalike-root.pdf", policy=ONLINE)
    assert r.indication == Indication.INDETERMINATE
    used = delta(responder, before)
    assert used == {"/certs/intermediate.cer": 1}
    assert listed(r) == used
    before = responder.request_counts
    r = check("lookalike-root.pdf", policy=replace(ONLINE, aia=False))
    assert r.indication == Indication.INDETERMINATE
    assert delta(responder, before) == {} and r.network_requests == ()


def test_one_fetch_per_certificate_per_run(responder: RevocationServer) -> None:
    """Five signatures by two signers (+ the TSA): each OCSP response and the missing
    intermediate are fetched once per run, not once per signature."""
    before = responder.request_counts
    r = check("cong-van-2971-snv-vp.pdf", policy=ONLINE,
              trust=fixture_trust(with_intermediate=False))
    assert r.indication == Indication.PASSED
    used = delta(responder, before)
    distinct = {s.signer.certificate_sha256 for s in r.signatures if s.signer}
    assert len(distinct) == 2
    assert used.get("/ocsp") == len(distinct) + 1  # + the TSA's certificate
    assert used.get("/certs/intermediate.cer") == 1
    assert listed(r) == used
    assert {q.outcome for q in r.network_requests} == {FetchOutcome.OK}
