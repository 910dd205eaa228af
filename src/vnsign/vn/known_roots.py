"""Fingerprints of the official Vietnamese roots and CAs (VGCA, NEAC), pinned.

vnsign ships no certificate: users download them from ca.gov.vn and rootca.gov.vn. It
does ship their SHA-256 fingerprints, so that ``vnsign trust add`` can say "this is the
official RootCA G2" — or warn that a file *named* like an official root is not one, the
look-alike trick a forged chain relies on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownCertificate:
    """One official certificate. ``hierarchy`` is the closed vocabulary of the report's
    ``chain.hierarchy`` (VGCA G1, VGCA G2, NEAC); ``generation`` says it for a person."""

    name: str
    publisher: str
    sha256: str
    generation: str
    root: bool = False  # self-signed: a trust anchor of its hierarchy

    @property
    def hierarchy(self) -> str:
        return self.generation.split(" (")[0]


KNOWN: tuple[KnownCertificate, ...] = (
    KnownCertificate("RootCA chuyên dùng Chính phủ G2", "ca.gov.vn",
                     "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
                     "VGCA G2", root=True),
    KnownCertificate("CA phục vụ các cơ quan Nhà nước G2", "ca.gov.vn",
                     "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b", "VGCA G2"),
    KnownCertificate("Co quan chung thuc so chuyen dung Chinh phu (RootCA)", "ca.gov.vn",
                     "f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90",
                     "VGCA G1 (SHA-1)", root=True),
    KnownCertificate("Co quan chung thuc so Chinh phu", "ca.gov.vn",
                     "75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe",
                     "VGCA G1 (SHA-1)"),
    KnownCertificate("Co quan chung thuc so Bo Cong an", "ca.gov.vn",
                     "ecbf8428266c549eb1bfdc2715270d5b9dff3bbbe2d3f0c33e0fd91f70b2d943",
                     "VGCA G1 (SHA-1)"),
    KnownCertificate("Co quan chung thuc so Bo Tai chinh", "ca.gov.vn",
                     "a262cfa489dbbe666f8b89fab832547809874d5a06fa9f7a38fc227ebdf40514",
                     "VGCA G1 (SHA-1)"),
    KnownCertificate("Co quan chung thuc so Dang Cong san", "ca.gov.vn",
                     "6e218b3ebc2f31b0d03205c64fd7e8920fb47187d37afcdb4cb2bb4178bf4635",
                     "VGCA G1 (SHA-1)"),
    KnownCertificate("Cơ quan chứng thực số Bộ Ngoại giao", "ca.gov.vn",
                     "3c4281296f92d292cc952295fe41ad7d0b37438ff1d143b56c4642cc1b14bd93", "VGCA G1"),
    KnownCertificate("Vietnam National Root CA", "rootca.gov.vn",
                     "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
                     "NEAC", root=True),
    KnownCertificate("VNPT-CA SHA2", "rootca.gov.vn",
                     "7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306", "NEAC"),
    KnownCertificate("MIC National Root CA", "rootca.gov.vn",
                     "ca918d635bb130bec97639e6aabf7edbc4eb1310f8058b9419f467ae0230ad8c",
                     "NEAC (old, SHA-1)", root=True),
)

_BY_FINGERPRINT = {k.sha256: k for k in KNOWN}


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


_BY_NAME = {_fold(k.name): k for k in KNOWN}


def identify(sha256: str) -> KnownCertificate | None:
    """The official certificate with this fingerprint, if it is one."""
    return _BY_FINGERPRINT.get(sha256.lower())


def impersonates(common_name: str | None, sha256: str) -> KnownCertificate | None:
    """The official certificate whose name this one carries without being it."""
    if not common_name:
        return None
    known = _BY_NAME.get(_fold(common_name))
    if known is not None and known.sha256 != sha256.lower():
        return known
    return None
