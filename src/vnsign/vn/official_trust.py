"""The Vietnamese trust profile: import or download the official VGCA/NEAC certificates.

``vnsign trust import-vn FILE...`` and ``vnsign trust fetch-vn`` save only certificates
whose SHA-256 fingerprint is pinned in ``vnsign.vn.known_roots`` — a file that merely
*looks* official (same name, other key) is refused and named, which is what a forged
chain relies on. Roots go to the saved trust store, intermediates to the saved
intermediates (used to build chains, never as anchors: the VGCA plugin embeds only the
signer's certificate).

``vnsign trust fetch-vn`` downloads from the official publishers' addresses
(``OFFICIAL_SOURCES``: the addresses the certificates themselves name, at ca.gov.vn and
rootca.gov.vn) through vnsign's one capped HTTP client (``vnsign.validation.network.
download``), then hands the bytes to :func:`import_certificates`. The addresses are a
parameter of the download so that tests serve them from 127.0.0.1; what is accepted
never depends on where the bytes came from, only on the pinned fingerprints.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509

from vnsign.errors import TrustStoreError
from vnsign.trust import CERT_SUFFIXES, SavedCertificate, parse_certificates, save_certificate
from vnsign.vn.known_roots import KnownCertificate, identify

# Where the official certificates are published: addresses named in the VGCA and NEAC
# certificates' own AIA fields (G2 root and CA, the G1 CA, the NEAC root bundle). The
# G1 root is named in no certificate; its address follows the G2 root's
# (…/crt/rootcag2.crt → …/crt/rootca.crt) — harmless if wrong, since only pinned
# fingerprints are ever saved.
OFFICIAL_SOURCES: tuple[str, ...] = (
    "http://ca.gov.vn/pki/pub/crt/rootcag2.crt",
    "http://ca.gov.vn/pki/pub/crt/cpcag2.crt",
    "http://ca.gov.vn/pki/pub/crt/rootca.crt",
    "http://ca.gov.vn/pki/pub/cert/cp.crt",
    "https://rootca.gov.vn/crt/vnrca256.p7b",
)


@dataclass(frozen=True)
class Imported:
    known: KnownCertificate
    saved: SavedCertificate


@dataclass(frozen=True)
class Refused:
    origin: str
    common_name: str | None
    sha256: str | None
    reason: str


@dataclass(frozen=True)
class ImportResult:
    imported: list[Imported] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def _common_name(cert: x509.Certificate) -> str | None:
    try:
        value = dict(cert.subject.native).get("common_name")
        return str(value) if value else None
    except Exception:
        return None


def import_certificates(blobs: Iterable[tuple[str, bytes]]) -> ImportResult:
    """Save the pinned official certificates among ``blobs`` ((origin, bytes) pairs)."""
    result = ImportResult()
    seen: set[str] = set()
    for origin, data in blobs:
        try:
            certs = parse_certificates(data, origin)
        except TrustStoreError as exc:
            result.refused.append(Refused(origin, None, None, str(exc)))
            continue
        for cert in certs:
            digest = hashlib.sha256(cert.dump()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            known = identify(digest)
            if known is None:
                result.refused.append(Refused(
                    origin, _common_name(cert), digest,
                    "not a pinned VGCA or NEAC certificate"))
                continue
            saved = save_certificate(cert, intermediate=not known.root)
            result.imported.append(Imported(known, saved))
    return result


def import_files(paths: Sequence[str | os.PathLike[str]]) -> ImportResult:
    """``vnsign trust import-vn``: files (PEM, DER, PKCS#7) or folders of them."""
    blobs: list[tuple[str, bytes]] = []
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in CERT_SUFFIXES) \
            if path.is_dir() else [path]
        for file in files:
            try:
                blobs.append((str(file), file.read_bytes()))
            except OSError as exc:
                raise TrustStoreError(f"{file}: {exc.strerror or exc}") from exc
    return import_certificates(blobs)
