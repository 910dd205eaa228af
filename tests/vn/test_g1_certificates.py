"""The real VGCA G1 certificates (../shared/trust/vn) and their quirks.

G1 (2010) sub-CAs carry an empty IssuerAltName, Netscape extensions (cert type, comment,
base URL), ASCII-folded Vietnamese names, and SHA-1 signatures; the old MIC root has no
authority key identifier. None of it may stop vnsign from reading them, naming them, or
building a path through them under the Vietnamese government profile.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

import pytest
from asn1crypto import x509
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import DisallowedAlgorithmError

from tests.conftest import shared_path
from vnsign.trust import parse_certificates
from vnsign.validation.algorithms import vn_gov_algorithm_policy
from vnsign.vn.certificate import common_name, name_text
from vnsign.vn.known_roots import identify

NETSCAPE = ("2.16.840.1.113730.1.13", "2.16.840.1.113730.1.4", "2.16.840.1.113730.1.3")
G1_SUB_CAS = ("vgca-g1-co-quan-chung-thuc-so-chinh-phu.pem", "vgca-g1-bo-cong-an.pem",
              "vgca-g1-bo-tai-chinh.pem", "vgca-g1-dang-cong-san.pem",
              "vgca-g1-bo-ngoai-giao.pem")


def _cert(name: str) -> x509.Certificate:
    certs = parse_certificates(shared_path("trust", "vn", name).read_bytes(), name)
    assert len(certs) == 1
    return certs[0]


@pytest.mark.parametrize("name", G1_SUB_CAS)
def test_g1_sub_ca_quirks_are_read(name: str) -> None:
    cert = _cert(name)
    extensions = {e["extn_id"].native: e for e in cert["tbs_certificate"]["extensions"]}
    # the quirks are really there...
    assert all(oid in extensions for oid in NETSCAPE)
    assert extensions["issuer_alt_name"]["extn_value"].parsed.native == []
    # ...and do not disturb the reading
    assert cert.key_identifier is not None and cert.authority_key_identifier is not None
    assert common_name(cert) is not None and common_name(cert).startswith(
        ("Co quan chung thuc so", "Cơ quan chứng thực số"))
    assert "Ban Co yeu Chinh phu" in name_text(cert.issuer)
    known = identify(hashlib.sha256(cert.dump()).hexdigest())
    assert known is not None and known.hierarchy == "VGCA G1" and not known.root


def test_old_mic_root_without_authority_key_identifier() -> None:
    cert = _cert("mic-national-root-ca-old.pem")
    assert cert.authority_key_identifier is None
    known = identify(hashlib.sha256(cert.dump()).hexdigest())
    assert known is not None and known.root and known.hierarchy == "NEAC"


def _validate(policy: object | None) -> object:
    root = _cert("vgca-rootca-g1.pem")
    sub_ca = _cert("vgca-g1-co-quan-chung-thuc-so-chinh-phu.pem")
    kwargs = {"algorithm_usage_policy": policy} if policy is not None else {}
    context = ValidationContext(trust_roots=[root], moment=datetime(2025, 8, 11, tzinfo=UTC),
                                revocation_mode="soft-fail", allow_fetching=False, **kwargs)
    return asyncio.run(CertificateValidator(sub_ca, validation_context=context)
                       .async_validate_path())


def test_g1_path_validates_under_the_profile_only() -> None:
    path = _validate(vn_gov_algorithm_policy())
    assert common_name(path.first) == "Co quan chung thuc so chuyen dung Chinh phu (RootCA)"
    with pytest.raises(DisallowedAlgorithmError):
        _validate(None)
