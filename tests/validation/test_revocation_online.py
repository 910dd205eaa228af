"""Online revocation and AIA, against a real OCSP/CRL responder on 127.0.0.1:48231.

The test certificates name http://127.0.0.1:48231 in their AIA and CRL distribution
points; the responder counts requests so each network rule is proven, not assumed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import check, codes, fixture_trust
from tests.revocation_server import RevocationServer, load_revocations
from vnsign import Indication, Policy, TrustStore

ONLINE = Policy(offline=False, network_timeout=5.0)


@pytest.fixture(scope="module")
def responder() -> Iterator[RevocationServer]:
    try:
        server = RevocationServer(revoked=load_revocations()).start()
    except OSError as exc:  # port taken by something else on this machine
        pytest.skip(f"port 48231 unavailable: {exc}")
    yield server
    server.stop()


def delta(server: RevocationServer, before: dict[str, int]) -> dict[str, int]:
    after = server.request_counts
    changed = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return {k: v for k, v in changed.items() if v}


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
    assert delta(responder, before).get("/crl/intermediate.crl", 0) >= 1


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
    policy = Policy(offline=False, require_revocation=True)
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
    policy = Policy(offline=True)
    for name in ("cong-van-2971-snv-vp.pdf", "revoked-crl.pdf", "revoked-ocsp.pdf"):
        check(name, policy=policy)
    check("cong-van-2971-snv-vp.pdf", policy=policy, trust=fixture_trust(with_intermediate=False))
    assert delta(responder, before) == {}


def test_no_trust_roots_no_fetching(responder: RevocationServer) -> None:
    """Nothing can be trusted, so nothing is worth fetching (no AIA, OCSP or CRL)."""
    before = responder.request_counts
    r = check("revoked-crl.pdf", policy=ONLINE, trust=TrustStore())
    assert r.indication == Indication.INDETERMINATE
    assert delta(responder, before) == {}


def test_untrusted_chain_no_revocation_requests(responder: RevocationServer) -> None:
    """A look-alike chain never reaches the trusted root: no OCSP/CRL is fetched for it."""
    before = responder.request_counts
    r = check("lookalike-root.pdf", policy=ONLINE)
    assert r.indication == Indication.INDETERMINATE
    used = delta(responder, before)
    assert used.get("/ocsp", 0) == 0 and used.get("/crl/intermediate.crl", 0) == 0


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
