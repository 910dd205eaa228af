"""A real OCSP + CRL + CA-issuers responder for the test PKI in tests/fixtures/pki.

The end-entity certificates of the test PKI point at http://127.0.0.1:48231
(caIssuers /certs/intermediate.cer, OCSP /ocsp, CRL /crl/intermediate.crl).
This module serves those URLs from the standard library's HTTP server, so that
tests exercise real network fetching (AIA chasing, OCSP, CRL) without leaving
the machine::

    with RevocationServer(port=48231, revoked=load_revocations()) as srv:
        ...  # validate with fetching allowed
        assert srv.request_counts["/ocsp"] == 1

* OCSP (RFC 6960), GET and POST: responses are signed by the intermediate CA
  itself; status GOOD for certificates issued by the intermediate that are not
  revoked, REVOKED for the serials in ``revocations.json``, UNKNOWN otherwise
  (other issuer, unknown serial).  thisUpdate = a minute ago (produced ahead, as
  real responders do: validation runs "as of" the moment it started, and a
  response stamped later than that by more than pyHanko's one-second tolerance is
  "too recent" — on a loaded machine a document can take longer than that),
  nextUpdate = one day after thisUpdate.
* CRL: a DER CRL signed by the intermediate listing the revoked serials, with
  fresh dates (and a CRL number that grows with time).
* CA issuers: the intermediate certificate, DER.

"now" is read at request time, so time-machine in a test also moves the
responder's clock.  The server binds 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp

PKI_DIR = Path(__file__).resolve().parent / "fixtures" / "pki"
DEFAULT_PORT = 48231  # the port in the certificates' AIA and CRL DP URLs

OCSP_PATH = "/ocsp"
CRL_PATH = "/crl/intermediate.crl"
CA_ISSUERS_PATH = "/certs/intermediate.cer"


@dataclass(frozen=True)
class Revocation:
    """One revoked certificate, as listed in revocations.json."""

    serial: int
    revocation_time: datetime
    reason: x509.ReasonFlags
    certificate: str = ""


def _produced_at() -> datetime:
    """thisUpdate of a response made now (see the module docstring)."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)


def load_revocations(path: Path = PKI_DIR / "revocations.json") -> dict[int, Revocation]:
    """Read revocations.json (written by tests/fixtures/make_fixtures.py), keyed by serial."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    result: dict[int, Revocation] = {}
    for entry in doc["revoked"]:
        serial = int(entry["serial"], 0)
        when = datetime.strptime(entry["revocation_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        result[serial] = Revocation(
            serial=serial,
            revocation_time=when,
            reason=x509.ReasonFlags(entry["reason"]),
            certificate=entry.get("certificate", ""),
        )
    return result


class _Authority:
    """The intermediate CA's view: who it issued, who is revoked, and how to sign answers."""

    def __init__(self, pki_dir: Path, revoked: dict[int, Revocation]) -> None:
        self.cert = x509.load_pem_x509_certificate((pki_dir / "intermediate.cert.pem").read_bytes())
        public_key = self.cert.public_key()
        assert isinstance(public_key, rsa.RSAPublicKey)
        self.public_key = public_key
        key = serialization.load_pem_private_key(
            (pki_dir / "intermediate.key.pem").read_bytes(), password=None
        )
        assert isinstance(key, rsa.RSAPrivateKey)
        self.key = key
        self.revoked = dict(revoked)
        # Serials this CA really issued: same issuer DN *and* a signature by its key
        # (the look-alike hierarchy reuses the DN with another key).
        self.issued: set[int] = set()
        for path in sorted(pki_dir.glob("*.cert.pem")):
            cert = x509.load_pem_x509_certificate(path.read_bytes())
            try:
                cert.verify_directly_issued_by(self.cert)
            except (ValueError, TypeError, InvalidSignature):
                continue  # another issuer (or the look-alike CA with the same DN)
            if cert.serial_number != self.cert.serial_number:
                self.issued.add(cert.serial_number)

    def issuer_hashes(self, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
        """(issuerNameHash, issuerKeyHash) of this CA as RFC 6960 computes them."""
        name_hash = hashes.Hash(algorithm)
        name_hash.update(self.cert.subject.public_bytes())
        key_hash = hashes.Hash(algorithm)
        key_hash.update(
            self.public_key.public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.PKCS1
            )
        )
        return name_hash.finalize(), key_hash.finalize()

    def ocsp_response(self, request_der: bytes) -> bytes:
        try:
            request = ocsp.load_der_ocsp_request(request_der)
            algorithm = request.hash_algorithm
        except Exception:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            ).public_bytes(serialization.Encoding.DER)

        now = _produced_at()
        serial = request.serial_number
        ours = (request.issuer_name_hash, request.issuer_key_hash) == self.issuer_hashes(algorithm)
        revocation = self.revoked.get(serial) if ours else None
        if revocation is not None:
            status = ocsp.OCSPCertStatus.REVOKED
        elif ours and serial in self.issued:
            status = ocsp.OCSPCertStatus.GOOD
        else:
            status = ocsp.OCSPCertStatus.UNKNOWN

        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=serial,
            algorithm=algorithm,
            cert_status=status,
            this_update=now,
            next_update=now + timedelta(days=1),
            revocation_time=revocation.revocation_time if revocation else None,
            revocation_reason=revocation.reason if revocation else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.cert)
        try:
            nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value
            builder = builder.add_extension(nonce, critical=False)
        except x509.ExtensionNotFound:
            pass
        response = builder.sign(self.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def crl(self) -> bytes:
        now = _produced_at()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now)
            .next_update(now + timedelta(days=1))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.public_key),
                critical=False,
            )
        )
        for revocation in sorted(self.revoked.values(), key=lambda r: r.serial):
            entry = (
                x509.RevokedCertificateBuilder()
                .serial_number(revocation.serial)
                .revocation_date(revocation.revocation_time)
                .add_extension(x509.CRLReason(revocation.reason), critical=False)
                .build()
            )
            builder = builder.add_revoked_certificate(entry)
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ca_issuer_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> str:
        path = urllib.parse.urlsplit(self.path).path
        if path == OCSP_PATH or path.startswith(OCSP_PATH + "/"):
            return OCSP_PATH
        return path

    def do_GET(self) -> None:
        route = self._route()
        self.server.count(route)
        authority = self.server.authority
        if route == OCSP_PATH:
            # RFC 6960 appendix A.1: GET {url}/{url-encoding of base64 of the DER request}
            encoded = urllib.parse.unquote(
                urllib.parse.urlsplit(self.path).path[len(OCSP_PATH) + 1 :]
            )
            try:
                request_der = base64.b64decode(encoded, validate=False)
            except ValueError:
                request_der = b""
            self._send(200, authority.ocsp_response(request_der), "application/ocsp-response")
        elif route == CRL_PATH:
            self._send(200, authority.crl(), "application/pkix-crl")
        elif route == CA_ISSUERS_PATH:
            self._send(200, authority.ca_issuer_der(), "application/pkix-cert")
        else:
            self._send(404, b"not found\n", "text/plain")

    def do_POST(self) -> None:
        route = self._route()
        self.server.count(route)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if route == OCSP_PATH:
            self._send(200, self.server.authority.ocsp_response(body), "application/ocsp-response")
        else:
            self._send(404, b"not found\n", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], authority: _Authority) -> None:
        super().__init__(address, _Handler)
        self.authority = authority
        self.request_counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def count(self, route: str) -> None:
        with self._lock:
            self.request_counts[route] = self.request_counts.get(route, 0) + 1


class RevocationServer:
    """OCSP/CRL/CA-issuers responder on 127.0.0.1, used as a context manager.

    ``port=0`` picks a free port (see :attr:`port` and :attr:`base_url`); the
    default 48231 is the one named in the test certificates.
    """

    def __init__(
        self,
        port: int = DEFAULT_PORT,
        revoked: dict[int, Revocation] | None = None,
        pki_dir: Path = PKI_DIR,
    ) -> None:
        self._authority = _Authority(pki_dir, revoked if revoked is not None else {})
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_counts(self) -> dict[str, int]:
        """Requests received so far, per path ("/ocsp" covers GET /ocsp/<request> too)."""
        if self._server is None:
            return {}
        with self._server._lock:
            return dict(self._server.request_counts)

    def start(self) -> RevocationServer:
        self._server = _Server(("127.0.0.1", self._requested_port), self._authority)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that shutdown() returns quickly
            name="revocation-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> RevocationServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
