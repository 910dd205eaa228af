"""Certificate names prepared once per process, not once per comparison.

Why: asn1crypto compares X.509 names as RFC 5280 §7.1 says, after the RFC 4518 string
preparation of every attribute (``NameTypeAndValue._ldap_string_prep``: six regular
expressions, a stringprep table lookup per character, NFKC and four prohibition
checks, all in pure Python), and keeps the result only on the one parsed name object.
pyHanko parses each signature's CMS afresh, and when it checks the ESS
signing-certificate attribute of a signature or a timestamp token
(``pyhanko.sign.general.match_issuer_serial``) the byte comparison it tries first
never matches — the attribute's issuer is a GeneralName, whose DER carries the
explicit ``[4]`` tag — so the same few issuer names are prepared again about 150
times per 5-signature document, a few per cent of ``verify()``.

The preparation is a pure function of the string (the method never reads ``self``),
so a bounded per-process memo returns exactly what asn1crypto computes; a string it
refuses raises the same ``ValueError`` every time (exceptions are not memoised).
:func:`install` puts the memo in front of asn1crypto's method, once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from asn1crypto import x509

# asn1crypto's own method, kept before install() replaces it.
_ORIGINAL = x509.NameTypeAndValue._ldap_string_prep


@lru_cache(maxsize=4096)
def prepared(string: str) -> str:
    """asn1crypto's RFC 4518 preparation of ``string``, memoised."""
    return str(_ORIGINAL(None, string))


def _ldap_string_prep(self: Any, string: str) -> str:
    return prepared(string)


def install() -> None:
    """Route ``NameTypeAndValue._ldap_string_prep`` through :func:`prepared` (idempotent)."""
    x509.NameTypeAndValue._ldap_string_prep = _ldap_string_prep
