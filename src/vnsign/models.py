"""The report: plain frozen dataclasses, the public contract of vnsign.

Everything a caller gets back from :func:`vnsign.verify` is built from these types.
``to_dict()`` produces the JSON shape documented in ``docs/report.md`` and checked
against ``vnsign/schema/report.schema.json``; change either only together with
:data:`SCHEMA_ID`. ``DocumentReport.from_dict()`` is its inverse: reports cross process
and machine boundaries (batch workers, Dask, the ledger) as JSON and become models
again on arrival, so every rule ("fully valid", the signer's kind, the exit code) is
written once, on the model.
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any

SCHEMA_ID = "vnsign.report/1"


class Indication(enum.StrEnum):
    """ETSI EN 319 102-1 main indication, plus NO_SIGNATURE for unsigned input."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    INDETERMINATE = "INDETERMINATE"
    # Not an ETSI value: a document without any signature is neither valid nor
    # invalid, and must never be mistaken for PASSED.
    NO_SIGNATURE = "NO_SIGNATURE"


# Rank for "the worst signature decides": FAILED beats INDETERMINATE beats PASSED.
INDICATION_RANK = {
    Indication.PASSED: 0,
    Indication.NO_SIGNATURE: 1,
    Indication.INDETERMINATE: 2,
    Indication.FAILED: 3,
}


class SubIndication(enum.StrEnum):
    """ETSI EN 319 102-1 sub-indications (the closed vocabulary of ``sub_indication``).

    pyHanko's AdESFailure/AdESIndeterminate names are these same words; vnsign's own
    rules (vnsign.validation.verdict) use them too, never a word of their own.
    """

    FORMAT_FAILURE = "FORMAT_FAILURE"
    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    REVOKED = "REVOKED"
    SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    CERTIFICATE_CHAIN_GENERAL_FAILURE = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    POLICY_PROCESSING_ERROR = "POLICY_PROCESSING_ERROR"
    SIGNATURE_POLICY_NOT_AVAILABLE = "SIGNATURE_POLICY_NOT_AVAILABLE"
    TIMESTAMP_ORDER_FAILURE = "TIMESTAMP_ORDER_FAILURE"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    REVOKED_NO_POE = "REVOKED_NO_POE"
    REVOKED_CA_NO_POE = "REVOKED_CA_NO_POE"
    OUT_OF_BOUNDS_NO_POE = "OUT_OF_BOUNDS_NO_POE"
    REVOCATION_OUT_OF_BOUNDS_NO_POE = "REVOCATION_OUT_OF_BOUNDS_NO_POE"
    OUT_OF_BOUNDS_NOT_REVOKED = "OUT_OF_BOUNDS_NOT_REVOKED"
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    NO_POE = "NO_POE"
    TRY_LATER = "TRY_LATER"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
    GENERIC = "GENERIC"


class SignerKind(enum.StrEnum):
    """Who a signing certificate belongs to (see vnsign.vn.signer_kind)."""

    PERSON = "PERSON"  # a personal certificate
    AGENCY = "AGENCY"  # the agency's "seal" certificate
    TSA = "TSA"  # a document timestamp's authority
    UNKNOWN = "UNKNOWN"


class Severity(enum.StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class SignatureKind(enum.StrEnum):
    SIGNATURE = "SIGNATURE"
    CERTIFICATION = "CERTIFICATION"  # the first signature with a DocMDP transform
    DOC_TIMESTAMP = "DOC_TIMESTAMP"


class Coverage(enum.StrEnum):
    """What the /ByteRange covers (pyHanko's SignatureCoverageLevel, renamed)."""

    ENTIRE_FILE = "ENTIRE_FILE"
    ENTIRE_REVISION = "ENTIRE_REVISION"
    ANOMALOUS = "ANOMALOUS"
    UNKNOWN = "UNKNOWN"


class Modification(enum.StrEnum):
    """Changes made after signing, from pyHanko's difference analysis."""

    NONE = "NONE"
    LTV_UPDATES = "LTV_UPDATES"
    FORM_FILLING = "FORM_FILLING"
    ANNOTATIONS = "ANNOTATIONS"
    OTHER = "OTHER"
    # The analysis could not run (broken coverage, a crash inside the diff engine):
    # "unknown" is never "none".
    UNKNOWN = "UNKNOWN"


class RevocationStatus(enum.StrEnum):
    GOOD = "GOOD"
    REVOKED = "REVOKED"
    UNKNOWN = "UNKNOWN"
    NOT_CHECKED = "NOT_CHECKED"


class RevocationSource(enum.StrEnum):
    EMBEDDED = "EMBEDDED"
    OCSP = "OCSP"
    CRL = "CRL"


class FetchPurpose(enum.StrEnum):
    """What a network request was for (from the request pyHanko's fetcher made)."""

    OCSP = "OCSP"
    CRL = "CRL"
    CERTIFICATE = "CERTIFICATE"  # a missing issuer, from an AIA "CA issuers" address
    OTHER = "OTHER"


class FetchOutcome(enum.StrEnum):
    OK = "OK"  # an answer with a success status
    HTTP_ERROR = "HTTP_ERROR"  # an answer with status 400 or above
    BLOCKED = "BLOCKED"  # not sent: a non-public address or a scheme other than http(s)
    FAILED = "FAILED"  # no answer: refused, unreachable, DNS failure, timeout
    TOO_LARGE = "TOO_LARGE"  # the answer exceeded the download cap and was cut


@dataclass(frozen=True)
class NetworkRequest:
    """One request vnsign made (or refused to make) while validating this document.

    Every address comes from a certificate or a CRL, so a report lists where the
    document made vnsign go: a sender can use such addresses as a beacon.
    """

    url: str
    purpose: FetchPurpose
    outcome: FetchOutcome
    status: int | None = None  # the HTTP status, when there was an answer


@dataclass(frozen=True)
class Message:
    vi: str
    en: str


@dataclass(frozen=True)
class Finding:
    """One observation with a stable ``code`` (see ``vnsign.findings``)."""

    code: str
    severity: Severity
    message: Message


@dataclass(frozen=True)
class Identifier:
    """A Vietnamese identifier from a certificate UID, e.g. ``CCCD:001088012345``."""

    kind: str
    value: str


@dataclass(frozen=True)
class Signer:
    common_name: str | None
    email: str | None
    organization: str | None
    organizational_units: tuple[str, ...]
    locality: str | None
    state: str | None
    country: str | None
    identifiers: tuple[Identifier, ...]
    serial_number: str
    subject: str
    issuer: str
    issuer_common_name: str | None
    valid_from: str
    valid_until: str
    certificate_sha256: str
    kind: SignerKind = SignerKind.UNKNOWN

    @property
    def affiliation(self) -> str:
        """Units and organisation on one line ("VĂN PHÒNG, SỞ NỘI VỤ TỈNH HẢI DƯƠNG")."""
        return ", ".join(filter(None, [*self.organizational_units, self.organization]))

    @property
    def identifiers_text(self) -> str:
        """The Vietnamese identifiers on one line ("CCCD:001088012345, MST:0800…")."""
        return ", ".join(f"{i.kind}:{i.value}" for i in self.identifiers)


class TimestampStatus(enum.StrEnum):
    """What a timestamp token proved: the time (VALID), or why not."""

    VALID = "VALID"  # valid token from a trusted TSA: the time is proven
    TSA_UNTRUSTED = "TSA_UNTRUSTED"  # the TSA's chain reaches no trusted root (or is bad)
    INVALID = "INVALID"  # the token itself: imprint mismatch, bad signature, malformed
    WEAK_ALGORITHM = "WEAK_ALGORITHM"  # it uses an algorithm the policy refuses
    NOT_CHECKED = "NOT_CHECKED"


@dataclass(frozen=True)
class TimestampInfo:
    """An RFC 3161 timestamp token attached to a signature (or a document timestamp)."""

    time: str
    tsa: str | None
    digest_algorithm: str | None
    valid: bool | None
    trusted: bool | None
    status: TimestampStatus | None = None


@dataclass(frozen=True)
class SigningTimes:
    claimed: str | None  # /M in the signature dictionary (signer's clock, unproven)
    signing_time_attribute: str | None  # CMS signingTime (signer's clock, unproven)
    timestamp: TimestampInfo | None
    best_proven: str | None  # earliest time proven by a valid timestamp, else None


@dataclass(frozen=True)
class Integrity:
    digest_matches: bool | None
    signature_valid: bool | None
    coverage: Coverage
    modifications_after: Modification
    modifications_allowed: bool | None
    byte_range: tuple[int, ...] | None


@dataclass(frozen=True)
class ChainCertificate:
    common_name: str | None
    subject: str
    sha256: str
    valid_until: str


@dataclass(frozen=True)
class Revocation:
    status: RevocationStatus
    source: RevocationSource | None
    revoked_at: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Chain:
    trusted: bool
    path: tuple[ChainCertificate, ...]
    revocation: Revocation
    # The official hierarchy the root belongs to ("VGCA G2", "NEAC", ...) when its
    # fingerprint is one vnsign pins (vnsign.vn.known_roots); None for any other root.
    hierarchy: str | None = None


@dataclass(frozen=True)
class Declared:
    """Values the signer put in the signature dictionary, read from the signed revision."""

    reason: str | None
    location: str | None
    name: str | None
    contact_info: str | None


@dataclass(frozen=True)
class SignatureReport:
    index: int
    kind: SignatureKind
    field: str | None
    revision: int | None
    page: int | None
    rect: tuple[float, float, float, float] | None
    sub_filter: str | None
    digest_algorithm: str | None
    signature_algorithm: str | None
    signer: Signer | None
    time: SigningTimes
    integrity: Integrity
    chain: Chain | None
    declared: Declared
    stamp_text: str | None
    indication: Indication
    sub_indication: SubIndication | None
    findings: tuple[Finding, ...]
    # PAdES baseline level the signature's structure shows (B-B, B-T, B-LT, B-LTA); None
    # for a plain PKCS#7 signature (adbe.pkcs7.detached) or a document timestamp.
    pades_level: str | None = None


@dataclass(frozen=True)
class FileInfo:
    path: str | None
    sha256: str
    size: int
    pages: int | None
    encrypted: bool
    revisions: int | None


@dataclass(frozen=True)
class PdfMetadata:
    title: str | None
    author: str | None
    subject: str | None
    keywords: str | None
    creator: str | None
    producer: str | None
    created: str | None
    modified: str | None
    xmp: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    signatures: int
    passed: int
    failed: int
    indeterminate: int


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    offline: bool
    revocation: str
    validation_time: str
    # VN_GOV (SHA-1 accepted for chains to a pinned VGCA root, with a warning) or STRICT.
    algorithms: str = "VN_GOV"
    # Network rules in force (docs/security.md, "Network rules"): whether missing issuer
    # certificates may be fetched (AIA), and whether non-public addresses may be contacted.
    aia: bool = True
    private_network: bool = False


@dataclass(frozen=True)
class DocumentReport:
    schema: str
    vnsign_version: str
    validated_at: str
    policy: PolicyInfo
    file: FileInfo
    indication: Indication
    sub_indication: SubIndication | None
    summary: Summary
    signatures: tuple[SignatureReport, ...]
    metadata: dict[str, Any]
    findings: tuple[Finding, ...]
    # Every network request made for this document, in the order made (empty offline).
    network_requests: tuple[NetworkRequest, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form of the report (the public ``vnsign.report/1`` contract)."""
        result = _plain(self)
        assert isinstance(result, dict)
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentReport:
        """The model again from :meth:`to_dict`'s output: ``from_dict(r.to_dict()) == r``.

        Keys the model does not know are ignored (a newer vnsign may add some); a key
        it needs that is missing takes the field's default, or raises ``ValueError``.
        """
        report = _build(cls, data)
        assert isinstance(report, DocumentReport)
        return report

    def every_finding(self) -> list[Finding]:
        """The document's findings, then every signature's, in report order."""
        return list(self.findings) + [f for s in self.signatures for f in s.findings]

    @property
    def fully_valid(self) -> bool:
        """PASSED with no WARNING or ERROR anywhere: the bar for "nothing to look at"."""
        if self.indication != Indication.PASSED:
            return False
        return all(f.severity == Severity.INFO for f in self.every_finding())


def _plain(value: Any) -> Any:
    """Turn dataclasses, enums and tuples into JSON types, keeping key order."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _build(tp: Any, value: Any) -> Any:
    """``value`` (JSON types) as an instance of the annotated type ``tp``."""
    return _builder(tp)(value)


@functools.cache
def _builder(tp: Any) -> Callable[[Any], Any]:
    """The function that builds a ``tp`` from JSON types, worked out once per type.

    Why compiled: the batch parent rebuilds every report that arrives from a worker
    (and again from the ledger for the summary); deciding what each annotation means
    for every value of every report cost more than the JSON parsing itself.
    """
    if tp is Any:
        return _same
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _builder(options[0])
        return lambda value: None if value is None else inner(value)
    if is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_builder(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _builder(args[0])
            return lambda value: tuple(item(v) for v in value)
        items = [_builder(a) for a in args]
        return lambda value: tuple(b(v) for b, v in zip(items, value, strict=True))
    if origin is dict:
        return dict
    if tp is float:
        return lambda value: float(value) if isinstance(value, int) else value
    return _same


def _same(value: Any) -> Any:
    return value


def _dataclass_builder(tp: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(tp)
    plan = [(f.name, f.default is MISSING and f.default_factory is MISSING)
            for f in fields(tp)]
    # Filled on first use: a dataclass may refer to itself (or to one defined later).
    builders: dict[str, Callable[[Any], Any]] = {}

    def build(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"{tp.__name__}: expected an object, got {type(value).__name__}")
        if not builders:
            builders.update({name: _builder(hints[name]) for name, _ in plan})
        kwargs: dict[str, Any] = {}
        for name, required in plan:
            if name in value:
                kwargs[name] = builders[name](value[name])
            elif required:
                raise ValueError(f"{tp.__name__}: missing {name!r}")
        return tp(**kwargs)

    return build
