"""Online validation when the OCSP/CRL responder cannot be reached.

Kept apart from test_revocation_online.py so that no responder runs on 48231 here
(pytest ends that module's responder before this module starts).
"""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from tests.helpers import check, codes
from vnsign import Indication, Policy
from vnsign.models import FetchOutcome


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_responder_down_is_not_passed_silently() -> None:
    """Online but the responder is unreachable: revocation is UNKNOWN and said so."""
    if not _port_free(48231):
        pytest.skip("something is listening on 48231")
    # The private-network opt-in: the addresses are on 127.0.0.1 (refused otherwise).
    online = Policy(offline=False, network_timeout=2.0, allow_private_network=True)
    r = check("cong-van-2971-snv-vp.pdf", policy=online)
    # soft-fail by default: PASSED, but every signature says revocation is unknown
    assert r.indication == Indication.PASSED
    assert not r.fully_valid
    for s in r.signatures:
        assert s.chain is not None
        assert s.chain.revocation.status.value == "UNKNOWN"
        assert "REVOCATION_UNKNOWN" in codes(s.findings)
    # every attempt is listed, and none was answered
    assert r.network_requests
    assert {q.outcome for q in r.network_requests} == {FetchOutcome.FAILED}
    strict = check("cong-van-2971-snv-vp.pdf", policy=replace(online, require_revocation=True))
    assert strict.indication == Indication.INDETERMINATE
