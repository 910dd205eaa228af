"""Path validation remembered per process (vnsign.validation.path_cache): the same
verdicts, and never a result carried over to other trust, time or revocation settings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from asn1crypto import pem, x509
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.authority import CertTrustAnchor
from pyhanko_certvalidator.path import ValidationPath

from tests.conftest import PKI
from tests.helpers import OFFLINE, check, fixture_trust
from tests.revocation_server import RevocationServer
from vnsign import Indication, Policy, TrustStore
from vnsign.validation import path_cache

ONLINE = Policy(offline=False, network_timeout=5.0, allow_private_network=True)
MAIN = "cong-van-2971-snv-vp.pdf"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    path_cache.clear()
    yield
    path_cache.clear()


def cert(name: str) -> x509.Certificate:
    data = (PKI / f"{name}.cert.pem").read_bytes()
    return x509.Certificate.load(pem.unarmor(data)[2])


def outcome(report: Any) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [(s.indication.value, s.sub_indication, tuple(f.code for f in s.findings))
            for s in report.signatures]


def test_a_remembered_path_gives_the_same_report() -> None:
    first = check(MAIN)
    assert path_cache.stats()["misses"] > 0
    hits = path_cache.stats()["hits"]
    assert hits > 0  # the agency's chain, validated for four signatures, once
    again = check(MAIN)
    assert path_cache.stats()["hits"] > hits
    assert again.to_dict()["signatures"] == first.to_dict()["signatures"]
    path_cache.clear()
    assert check("expired-signer.pdf").to_dict()["signatures"] == \
        check("expired-signer.pdf").to_dict()["signatures"]  # a failure, remembered


def test_a_revoked_certificate_is_found_revoked_after_cached_good_results(
        responder: RevocationServer) -> None:
    """Offline, revoked-crl's path validates (no revocation data: soft-fail) and is
    remembered; online, the CRL says revoked, and the remembered result is not used."""
    assert check(MAIN).indication == Indication.PASSED
    offline = check("revoked-crl.pdf", trust=fixture_trust(with_intermediate=False))
    assert offline.indication != Indication.FAILED
    online = check("revoked-crl.pdf", policy=ONLINE,
                   trust=fixture_trust(with_intermediate=False))
    assert online.indication == Indication.FAILED
    assert online.signatures[0].chain is not None
    assert online.signatures[0].chain.revocation.status.value == "REVOKED"
    assert path_cache.stats()["uncached"] > 0  # online validations are never remembered


def test_other_trust_anchors_are_not_served_a_remembered_path() -> None:
    assert check(MAIN).indication == Indication.PASSED
    lookalike = TrustStore.load([PKI / "lookalike-root.cert.pem"], [], use_saved=False,
                                use_env=False)
    assert check(MAIN, trust=lookalike).indication != Indication.PASSED
    assert check(MAIN, trust=TrustStore()).indication != Indication.PASSED
    assert check(MAIN).indication == Indication.PASSED


def test_a_later_validation_time_is_not_served_a_remembered_path() -> None:
    """Valid now (remembered), not after every certificate has expired, valid again."""
    name = "attacks/base-signed.pdf"  # no timestamp: judged at the validation time
    assert check(name).indication == Indication.PASSED
    later = replace(OFFLINE, validation_time=OFFLINE.validation_time + timedelta(days=30 * 365))
    assert check(name, policy=later).indication != Indication.PASSED
    assert check(name).indication == Indication.PASSED
    assert path_cache.stats()["hits"] == 1


def test_the_key_holds_every_trust_anchor_and_the_settings() -> None:
    root, intermediate, leaf = cert("root"), cert("intermediate"), cert("sonoivu")
    moment = OFFLINE.validation_time

    def key(roots: list[x509.Certificate], **kwargs: Any) -> Any:
        context = ValidationContext(trust_roots=roots, moment=moment, **kwargs)
        path = ValidationPath(CertTrustAnchor(root), [intermediate], leaf)
        return path_cache.cache_key(context, path, None)

    same = key([root])
    assert same is not None and same == key([root])  # shared across documents
    assert key([root, cert("lookalike-root")]) != same
    assert key([root], weak_hash_algos={"sha1", "md5"}) != same
    assert key([root], time_tolerance=timedelta(seconds=30)) != same
    assert key([root], allow_fetching=True) is None
