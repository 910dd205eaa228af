"""Cross-checks between what the document *says* and what its signatures *prove*.

A clerk registering an incoming document reads the agency, number, date and signer from
the page; the signatures say who actually signed and when. These checks put the two side
by side. None of them changes a signature's verdict: a printed name that differs from the
certificate is something a person must look at (WARNING), not a cryptographic failure.

Names are compared after NFC normalisation and case folding; a match that only holds
once diacritics are removed (VGCA generation 1 wrote names in ASCII) is reported as such.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from vnsign import findings
from vnsign.models import Finding, SignatureKind, SignatureReport

# Days after the document date beyond which a signature is implausibly late.
LATE_SIGNATURE_DAYS = 30

_STAMP_RE = re.compile(r"(?P<name>[^<>\n]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*đã ký",
                       re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


@dataclass(frozen=True)
class _Sig:
    index: int
    role: str
    name: str | None
    email: str | None
    organization: str | None
    moment: datetime | None
    texts: tuple[str, ...]


def _signatures(reports: Sequence[SignatureReport]) -> list[_Sig]:
    result = []
    for s in reports:
        if s.kind == SignatureKind.DOC_TIMESTAMP or s.signer is None:
            continue
        moment_text = s.time.best_proven or s.time.claimed or s.time.signing_time_attribute
        moment = datetime.fromisoformat(moment_text) if moment_text else None
        texts = tuple(t for t in (s.declared.reason, s.stamp_text) if t)
        result.append(_Sig(s.index, s.signer.kind, s.signer.common_name, s.signer.email,
                           s.signer.organization, moment, texts))
    return result


def cross_check(fields: dict[str, Any] | None, reports: Sequence[SignatureReport]
                ) -> tuple[Finding, ...]:
    """Findings comparing the document fields (``metadata.document``) and the signatures."""
    sigs = _signatures(reports)
    found: list[Finding] = []
    found += _stamp_checks(sigs)
    if not sigs:
        return tuple(found)
    persons = [s for s in sigs if s.role == "PERSON"]
    agencies = [s for s in sigs if s.role == "AGENCY"]
    fields = fields or {}
    found += _signer_name(fields.get("signer_name"), persons)
    found += _agency(fields.get("issuing_authority"), agencies)
    if not agencies:
        found.append(findings.make("NO_AGENCY_SIGNATURE"))
    elif persons and min(p.index for p in persons) > min(a.index for a in agencies):
        found.append(findings.make("PERSONAL_SIGNATURE_AFTER_AGENCY"))
    found += _dates(fields.get("date"), sigs)
    found += _type_code(fields.get("doc_type"), fields.get("doc_type_code"))
    found += _email_domains(persons, agencies)
    return tuple(found)


def _signer_name(printed: str | None, persons: list[_Sig]) -> list[Finding]:
    if not printed:
        return []
    if not persons:
        return [findings.make("NO_PERSONAL_SIGNATURE", printed=printed)]
    names = [p.name for p in persons if p.name]
    if any(_fold(n) == _fold(printed) for n in names):
        return [findings.make("SIGNER_NAME_MATCHES_CERTIFICATE", printed=printed)]
    for name in names:
        if _strip_marks(name) == _strip_marks(printed):
            return [findings.make("SIGNER_NAME_MATCHES_WITHOUT_DIACRITICS", printed=printed,
                                  cert=name)]
    return [findings.make("SIGNER_NAME_MISMATCH", printed=printed, cert=", ".join(names) or "?")]


def _agency(printed: str | None, agencies: list[_Sig]) -> list[Finding]:
    if not printed or not agencies:
        return []
    want = _fold(printed)
    candidates = [c for a in agencies for c in (a.name, a.organization) if c]
    for candidate in candidates:
        have = _fold(candidate)
        if have == want or want in have or have in want:
            return [findings.make("AGENCY_MATCHES_CERTIFICATE", printed=printed)]
    for candidate in candidates:
        if _strip_marks(candidate) == _strip_marks(printed):
            return [findings.make("AGENCY_MATCHES_CERTIFICATE", printed=printed)]
    return [findings.make("AGENCY_MISMATCH", printed=printed,
                          cert=candidates[0] if candidates else "?")]


def _dates(printed: str | None, sigs: list[_Sig]) -> list[Finding]:
    if not printed:
        return []
    try:
        dated = date.fromisoformat(printed)
    except ValueError:
        return []
    found = []
    for s in sigs:
        if s.moment is None:
            continue
        signed = s.moment.date()  # already in +07:00, the stamp's calendar day
        if signed < dated:
            found.append(findings.make("SIGNED_BEFORE_DOCUMENT_DATE", index=s.index,
                               signed=signed.isoformat(), dated=printed))
        elif signed - dated > timedelta(days=LATE_SIGNATURE_DAYS):
            found.append(findings.make("SIGNED_LONG_AFTER_DOCUMENT_DATE", index=s.index,
                               signed=signed.isoformat(), dated=printed,
                               days=(signed - dated).days))
    return found


def _type_code(doc_type: str | None, code: str | None) -> list[Finding]:
    if not doc_type or not code:
        return []
    from vnsign.vn.decree30 import DOC_TYPES

    expected = {name.casefold(): c for name, c in DOC_TYPES if c}
    want = expected.get(doc_type.casefold())
    if want is None:
        return []
    if want.casefold() == code.casefold():
        return [findings.make("DOC_TYPE_MATCHES_SYMBOL", doc_type=doc_type, symbol_code=code)]
    return [findings.make("DOC_TYPE_SYMBOL_MISMATCH", doc_type=doc_type, symbol_code=code)]


def _stamp_checks(sigs: list[_Sig]) -> list[Finding]:
    found = []
    for s in sigs:
        claims = [m for t in s.texts for m in _STAMP_RE.finditer(unicodedata.normalize("NFC", t))]
        if not claims:
            continue
        bad = [m for m in claims
               if (s.name and _fold(m["name"]) != _fold(s.name))
               or (s.email and m["email"].casefold() != s.email.casefold())]
        if bad:
            found.append(findings.make("STAMP_NAMES_OTHER_SIGNER", index=s.index,
                               claimed=f"{bad[0]['name'].strip()} <{bad[0]['email']}>",
                               cert=f"{s.name} <{s.email}>"))
        else:
            found.append(findings.make("STAMP_MATCHES_CERTIFICATE", index=s.index))
    return found


def _domain(email: str | None) -> str | None:
    return email.rsplit("@", 1)[1].casefold() if email and "@" in email else None


def _email_domains(persons: list[_Sig], agencies: list[_Sig]) -> list[Finding]:
    agency_domains = {d for a in agencies if (d := _domain(a.email))}
    for p in persons:
        domain = _domain(p.email)
        if domain and agency_domains and domain not in agency_domains:
            return [findings.make("SIGNER_EMAIL_DOMAIN_DIFFERS_FROM_AGENCY", person=p.email,
                          agency=", ".join(sorted(agency_domains)))]
    return []
