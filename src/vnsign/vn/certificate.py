"""Read a signer's identity from an X.509 certificate the way Vietnamese CAs fill it in.

VGCA and the NEAC-licensed CAs put the person or agency in CN, the e-mail in the
legacy emailAddress attribute, units in repeated OU, and national identifiers in UID
values such as ``CCCD:001088012345`` or ``MST:0200123456``. Names come in UTF8String,
BMPString or (generation 1) folded ASCII; asn1crypto decodes every string type, and
we NFC-normalise so that comparisons with PDF text (often NFD) are meaningful.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from asn1crypto import x509

from vnsign.models import Identifier, Signer
from vnsign.timefmt import iso_vn

# Prefixes used in Vietnamese certificate UIDs (CCCD: citizen ID, CMND: old ID card,
# MST: tax code, BHXH: social insurance, HC/PID/PPID: passport / personal IDs).
_UID_KINDS = ("CCCD", "CMND", "MST", "BHXH", "HC", "PID", "PPID", "MNS", "CMT", "DN")
_UID_RE = re.compile(r"^\s*([A-Za-z]{2,5})\s*[:\-]\s*(\S.*?)\s*$")


def nfc(value: Any) -> str | None:
    """NFC-normalised string, or None for absent/empty values."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _values(name: dict[str, Any], key: str) -> list[str]:
    raw = name.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    return [v for v in (nfc(i) for i in items) if v is not None]


def _first(name: dict[str, Any], key: str) -> str | None:
    values = _values(name, key)
    return values[0] if values else None


def parse_identifiers(values: list[str]) -> tuple[Identifier, ...]:
    """Split ``CCCD:001088012345`` into kind and value; unknown shapes keep kind ``UID``."""
    result = []
    for value in values:
        match = _UID_RE.match(value)
        if match and match.group(1).upper() in _UID_KINDS:
            result.append(Identifier(kind=match.group(1).upper(), value=match.group(2)))
        else:
            result.append(Identifier(kind="UID", value=value))
    return tuple(result)


_SHORT_NAMES = {
    "common_name": "CN", "email_address": "E", "organizational_unit_name": "OU",
    "organization_name": "O", "locality_name": "L", "state_or_province_name": "ST",
    "country_name": "C", "user_id": "UID", "serial_number": "SERIALNUMBER",
    "street_address": "STREET", "title": "T", "given_name": "G", "surname": "SN",
    "domain_component": "DC", "unique_identifier": "UID",
}


def name_text(name: x509.Name) -> str:
    """``CN=Bùi Văn Nam, E=…, OU=…, O=…, L=…, C=VN``: RFC 4514 order, NFC, unescaped.

    Most specific attribute first, as Vietnamese CAs and Windows show names. It is for
    display only; issuers are compared by their DER encoding, never by this string.
    """
    parts = []
    for rdn in reversed(list(name.chosen)):
        for attr in rdn:
            key = attr["type"].native
            label = _SHORT_NAMES.get(key, attr["type"].dotted if key == attr["type"].dotted
                                     else key)
            value = nfc(attr["value"].native)
            if value is not None:
                parts.append(f"{label}={value}")
    return ", ".join(parts)


def signer_from_certificate(cert: x509.Certificate) -> Signer:
    subject = dict(cert.subject.native)
    issuer = dict(cert.issuer.native)
    uids = _values(subject, "user_id") + _values(subject, "unique_identifier")
    return Signer(
        common_name=_first(subject, "common_name"),
        email=_first(subject, "email_address"),
        organization=_first(subject, "organization_name"),
        # most specific first, as in the displayed subject ("OU=<unit>, OU=<agency>")
        organizational_units=tuple(reversed(_values(subject, "organizational_unit_name"))),
        locality=_first(subject, "locality_name"),
        state=_first(subject, "state_or_province_name"),
        country=_first(subject, "country_name"),
        identifiers=parse_identifiers(uids),
        serial_number=format(cert.serial_number, "X"),
        subject=name_text(cert.subject),
        issuer=name_text(cert.issuer),
        issuer_common_name=_first(issuer, "common_name"),
        valid_from=iso_vn(cert.not_valid_before) or "",
        valid_until=iso_vn(cert.not_valid_after) or "",
        certificate_sha256=hashlib.sha256(cert.dump()).hexdigest(),
    )


def common_name(cert: x509.Certificate) -> str | None:
    return _first(dict(cert.subject.native), "common_name")
