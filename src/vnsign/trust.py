"""Trust roots and extra certificates: files, folders, the saved store, ``VNSIGN_TRUST``.

Nothing is trusted implicitly — never the operating system's TLS store — because a
TLS root says nothing about who may sign a Vietnamese official document. A user names
the roots (VGCA, NEAC, or their own) with ``--trust``, the saved store
(``vnsign trust add``) or the ``VNSIGN_TRUST`` variable.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms, pem, x509

from vnsign.errors import TrustStoreError

CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der", ".p7b", ".p7c", ".p7", ".cert")
ENV_TRUST = "VNSIGN_TRUST"
ENV_DATA_DIR = "VNSIGN_DATA_DIR"


def parse_certificates(data: bytes, origin: str = "<bytes>") -> list[x509.Certificate]:
    """Certificates in PEM (one or many), DER, or a PKCS#7 bundle (PEM or DER).

    Raises :class:`TrustStoreError` when the data holds no certificate, since a trust
    file that silently contributes nothing would leave the user believing otherwise.
    """
    blobs: list[bytes] = []
    if pem.detect(data):
        for type_name, _headers, der in pem.unarmor(data, multiple=True):
            if type_name in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"):
                blobs.append(der)
            elif type_name in ("PKCS7", "CMS"):
                blobs.extend(_pkcs7_certs(der))
    else:
        blobs.append(data)
    result: list[x509.Certificate] = []
    for der in blobs:
        try:
            cert = x509.Certificate.load(der)
            _ = cert.native  # force a full parse so garbage is rejected here
            result.append(cert)
            continue
        except (ValueError, TypeError):
            pass
        try:
            result.extend(x509.Certificate.load(c) for c in _pkcs7_certs(der))
        except (ValueError, TypeError, KeyError) as exc:
            raise TrustStoreError(f"{origin}: not a certificate or PKCS#7 bundle") from exc
    if not result:
        raise TrustStoreError(f"{origin}: no certificate found")
    return result


def _pkcs7_certs(der: bytes) -> list[bytes]:
    info = cms.ContentInfo.load(der)
    signed = info["content"]
    return [c.chosen.dump() for c in signed["certificates"] or []]


def load_certificates(paths: Iterable[str | os.PathLike[str]]) -> list[x509.Certificate]:
    """Certificates from files and folders (folders: every certificate file, sorted)."""
    found: list[x509.Certificate] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in CERT_SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise TrustStoreError(f"{path}: no such file or folder")
        for file in files:
            found.extend(parse_certificates(file.read_bytes(), str(file)))
    return _dedupe(found)


def _dedupe(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    seen: set[bytes] = set()
    result = []
    for cert in certs:
        digest = hashlib.sha256(cert.dump()).digest()
        if digest not in seen:
            seen.add(digest)
            result.append(cert)
    return result


def data_dir() -> Path:
    """The user's vnsign data folder (``VNSIGN_DATA_DIR`` overrides, for tests and CI)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("vnsign", appauthor=False))


def saved_store_dir() -> Path:
    return data_dir() / "trust"


def saved_intermediates_dir() -> Path:
    """Saved intermediates (``vnsign trust import-vn``): used to build chains, never
    as trust anchors."""
    return data_dir() / "intermediates"


@dataclass(frozen=True)
class SavedCertificate:
    path: Path
    common_name: str | None
    sha256: str
    valid_until: str


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:60] or "cert"


def saved_add(paths: Sequence[str | os.PathLike[str]]) -> list[SavedCertificate]:
    """Copy the certificates in ``paths`` into the saved store, one PEM file each."""
    return [save_certificate(cert) for cert in load_certificates(paths)]


def save_certificate(cert: x509.Certificate, *, intermediate: bool = False
                     ) -> SavedCertificate:
    """Save one certificate as a trusted root, or as a saved intermediate."""
    store = saved_intermediates_dir() if intermediate else saved_store_dir()
    store.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(cert.dump()).hexdigest()
    cn = dict(cert.subject.native).get("common_name")
    target = store / f"{digest[:16]}-{_safe_name(str(cn or 'cert'))}.pem"
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(pem.armor("CERTIFICATE", cert.dump()))
    os.replace(tmp, target)
    return _describe(target, cert)


def saved_list() -> list[SavedCertificate]:
    store = saved_store_dir()
    if not store.is_dir():
        return []
    result = []
    for file in sorted(store.glob("*.pem")):
        for cert in parse_certificates(file.read_bytes(), str(file)):
            result.append(_describe(file, cert))
    return result


def saved_remove(fingerprint_prefix: str) -> list[SavedCertificate]:
    """Remove saved certificates whose SHA-256 starts with the given hex prefix."""
    prefix = fingerprint_prefix.lower().replace(":", "")
    if len(prefix) < 8:
        raise TrustStoreError("give at least 8 hex digits of the SHA-256 fingerprint")
    removed = [c for c in saved_list() if c.sha256.startswith(prefix)]
    for item in removed:
        item.path.unlink(missing_ok=True)
    return removed


def _describe(path: Path, cert: x509.Certificate) -> SavedCertificate:
    from vnsign.timefmt import iso_vn

    cn = dict(cert.subject.native).get("common_name")
    return SavedCertificate(path=path, common_name=str(cn) if cn else None,
                            sha256=hashlib.sha256(cert.dump()).hexdigest(),
                            valid_until=iso_vn(cert.not_valid_after) or "")


@dataclass(frozen=True)
class TrustStore:
    """The roots a validation trusts and the extra (untrusted) certificates it may use.

    ``roots`` are trust anchors; ``other_certs`` only help to build paths (the
    intermediates Vietnamese signing tools do not embed).
    """

    roots: tuple[x509.Certificate, ...] = ()
    other_certs: tuple[x509.Certificate, ...] = ()
    sources: tuple[str, ...] = field(default=())

    @classmethod
    def load(
        cls,
        trust: Iterable[str | os.PathLike[str]] = (),
        other_certs: Iterable[str | os.PathLike[str]] = (),
        *,
        use_saved: bool = True,
        use_env: bool = True,
    ) -> TrustStore:
        """Roots: ``trust`` + ``VNSIGN_TRUST`` + the saved store; extras: ``other_certs``
        + the saved intermediates."""
        trust_paths = [str(p) for p in trust]
        if use_env and os.environ.get(ENV_TRUST):
            trust_paths += [p for p in os.environ[ENV_TRUST].split(os.pathsep) if p]
        if use_saved and saved_store_dir().is_dir():
            trust_paths.append(str(saved_store_dir()))
        other_paths = [str(p) for p in other_certs]
        if use_saved and saved_intermediates_dir().is_dir():
            other_paths.append(str(saved_intermediates_dir()))
        roots = load_certificates(trust_paths)
        extras = load_certificates(other_paths)
        return cls(roots=tuple(roots), other_certs=tuple(extras), sources=tuple(trust_paths))

    def fingerprint(self) -> str:
        """A digest of the roots and extras, part of a policy fingerprint (batch ledger)."""
        digest = hashlib.sha256()
        for cert in sorted(c.dump() for c in self.roots):
            digest.update(b"R" + hashlib.sha256(cert).digest())
        for cert in sorted(c.dump() for c in self.other_certs):
            digest.update(b"O" + hashlib.sha256(cert).digest())
        return digest.hexdigest()


