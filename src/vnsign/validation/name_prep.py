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

The comparison itself (``RDNSequence.__eq__``: every attribute's type and prepared value
looked up and compared again, ~0.7 ms a pair) is just as pure: a function of the two
sequences' DER encodings, which :meth:`dump` returns. So it is memoised too, keyed by the
pair of encodings; the same few pairs (a signer's issuer in its certificate and in the
ESS attribute, a certificate's issuer and its CA's subject in path building) come back
for every signature of every document. Likewise the name's ``hashable`` form (the key
pyHanko's certificate registry finds a certificate's issuers by), memoised by the
encoding.

:func:`install` puts the three memos in front of asn1crypto's methods, once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from asn1crypto import x509

# asn1crypto's own methods, kept before install() replaces them.
_ORIGINAL = x509.NameTypeAndValue._ldap_string_prep
_ORIGINAL_EQUAL = x509.RDNSequence.__eq__
_ORIGINAL_HASHABLE = x509.RDNSequence.hashable
_MAX_PAIRS = 4096
K = TypeVar("K")
V = TypeVar("V")
_equal: dict[tuple[bytes, bytes], bool] = {}
_hashables: dict[bytes, str] = {}


@lru_cache(maxsize=4096)
def prepared(string: str) -> str:
    """asn1crypto's RFC 4518 preparation of ``string``, memoised."""
    return str(_ORIGINAL(None, string))


def _ldap_string_prep(self: Any, string: str) -> str:
    return prepared(string)


def same_names(first: Any, second: Any) -> bool:
    """asn1crypto's RFC 5280 §7.1 comparison of two ``RDNSequence`` values, memoised by
    their DER encodings (a comparison that raises is not memoised)."""
    if not isinstance(second, x509.RDNSequence):
        return False
    return _remembered(_equal, (first.dump(), second.dump()),
                       lambda: bool(_ORIGINAL_EQUAL(first, second)))


def _hashable(self: Any) -> str:
    """asn1crypto's ``RDNSequence.hashable``, memoised by the sequence's encoding."""
    return _remembered(_hashables, self.dump(), lambda: str(_ORIGINAL_HASHABLE.fget(self)))


def _remembered(table: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    """``table[key]``, computed and kept (``table`` emptied at :data:`_MAX_PAIRS`
    entries) when missing; what ``compute`` raises is raised, not kept."""
    try:
        return table[key]
    except KeyError:
        pass
    result = compute()
    if len(table) >= _MAX_PAIRS:
        table.clear()
    table[key] = result
    return result


def install() -> None:
    """Route asn1crypto's name preparation, comparison and ``hashable`` form through
    the memos (idempotent)."""
    x509.NameTypeAndValue._ldap_string_prep = _ldap_string_prep
    x509.RDNSequence.__eq__ = same_names
    x509.RDNSequence.hashable = property(_hashable)
