"""The algorithm policy: SHA-1 only for chains to a pinned VGCA root, never elsewhere."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import FIXTURES, PKI, shared_path
from tests.helpers import OFFLINE, codes
from vnsign import Indication, Policy, TrustStore, verify
from vnsign.trust import load_certificates
from vnsign.validation.algorithms import Profile, display, vgca_anchors
from vnsign.validation.spec import build_setup


def _vn_roots() -> list[str]:
    folder = shared_path("trust", "vn")
    return [str(folder / "vgca-rootca-g1.pem"), str(folder / "vgca-rootca-g2.pem")]


def test_sha1_under_the_test_pki_stays_refused_with_vgca_roots_trusted_too() -> None:
    """The profile's trust manager holds only VGCA roots: a SHA-1 signature under any
    other root (here the test PKI, trusted alongside G1 and G2) is still refused."""
    trust = TrustStore.load([PKI / "root.cert.pem", *_vn_roots()],
                            [PKI / "intermediate.cert.pem"], use_saved=False, use_env=False)
    report = verify(FIXTURES / "attacks" / "weak-sha1.pdf", trust=trust, policy=OFFLINE)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE,
                                                    "CRYPTO_CONSTRAINTS_FAILURE")
    assert "WEAK_ALGORITHM" in codes(sig.findings)
    assert "WEAK_ALGORITHM_ACCEPTED" not in codes(sig.findings)


def test_md5_is_refused_by_the_profile_too() -> None:
    trust = TrustStore.load([PKI / "root.cert.pem", *_vn_roots()],
                            [PKI / "intermediate.cert.pem"], use_saved=False, use_env=False)
    report = verify(FIXTURES / "attacks" / "weak-md5.pdf", trust=trust, policy=OFFLINE)
    assert report.signatures[0].sub_indication == "CRYPTO_CONSTRAINTS_FAILURE"


def test_only_pinned_vgca_certificates_are_profile_anchors() -> None:
    folder = shared_path("trust", "vn")
    certs = load_certificates([folder])
    anchors = {c.subject.native["common_name"] for c in vgca_anchors(certs)}
    assert "RootCA chuyên dùng Chính phủ G2" in anchors
    assert "Co quan chung thuc so chuyen dung Chinh phu (RootCA)" in anchors
    # NEAC and the old MIC root are official too, but not VGCA: no SHA-1 under them.
    assert "Vietnam National Root CA" not in anchors
    assert not any("MIC" in name for name in anchors)
    # The test PKI's root carries a VGCA-like name, not a pinned fingerprint.
    assert vgca_anchors(load_certificates([PKI / "root.cert.pem"])) == []


@pytest.mark.parametrize(("strict", "available"), [(False, True), (True, False)])
def test_strict_algorithms_turn_the_profile_off(strict: bool, available: bool) -> None:
    trust = TrustStore.load(_vn_roots(), use_saved=False, use_env=False)

    async def setup_profiles() -> set[Profile]:
        return set(build_setup(trust, Policy(offline=True, strict_algorithms=strict)).profiles)

    profiles = asyncio.run(setup_profiles())
    assert (Profile.VN_GOV in profiles) is available
    assert Profile.STRICT in profiles
    assert Policy(strict_algorithms=strict).algorithms == ("STRICT" if strict else "VN_GOV")


def test_algorithm_names_as_people_write_them() -> None:
    assert display("sha1") == "SHA-1"
    assert display("sha256") == "SHA-256"
    assert display("md5") == "MD5"
