"""PAdES level and trust hierarchy: descriptive fields of a signature report."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from vnsign import Policy, verify
from vnsign.models import ChainCertificate
from vnsign.validation.chain import _hierarchy


@pytest.mark.parametrize(("name", "levels"), [
    ("dss/pades-bes.pdf", ["B-B"]),
    ("dss/pades-t-level-extended.pdf", ["B-T", None]),
    ("dss/doc-firmado-LT.pdf", ["B-LT"]),
    ("pyhanko/pades-lta-dss-indirect-arrs-test.pdf", ["B-LTA", None]),
    ("pyhanko/minimal-signed-twice-both-created.pdf", [None, None]),  # adbe.pkcs7.detached
])
def test_pades_level(name: str, levels: list[str | None]) -> None:
    report = verify(shared_path("corpora", *name.split("/")), policy=Policy(offline=True))
    assert [s.pades_level for s in report.signatures] == levels


def test_hierarchy_of_official_roots() -> None:
    def chain_to(sha256: str) -> list[ChainCertificate]:
        return [ChainCertificate("intermediate", "CN=x", "00" * 32, ""),
                ChainCertificate("root", "CN=y", sha256, "")]

    g2 = "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8"
    neac = "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7"
    assert _hierarchy(chain_to(g2)) == "VGCA G2"
    assert _hierarchy(chain_to(neac)) == "NEAC"
    assert _hierarchy(chain_to("11" * 32)) is None
    assert _hierarchy([]) is None
