"""Reading values out of pyHanko PDF objects that a forger controls.

pyHanko's ``dict.get`` hands back unresolved references (and, in an encrypted file,
the raw encrypted-string proxy); indexing resolves and decrypts but raises on a
missing key or a value that is not a dictionary at all. Every module that walks
hostile structures (the signature fields, the difference-analysis rules, the visual
check) reads through these helpers, so "missing or malformed" is always ``None``.
"""

from __future__ import annotations

from typing import Any

from pyhanko.pdf_utils import generic


def get(dictionary: Any, key: str) -> Any:
    """The resolved (and decrypted) value of ``key``, or None."""
    try:
        return dictionary[key]
    except (KeyError, TypeError, AttributeError):
        return None


def raw(dictionary: Any, key: str) -> Any:
    """The unresolved value of ``key`` (references stay references), or None."""
    try:
        return dictionary.raw_get(key)
    except (KeyError, TypeError, AttributeError):
        return None


def indirect_refs(value: Any) -> list[Any] | None:
    """The unresolved entries of an array, or None unless all are indirect references."""
    if not isinstance(value, generic.ArrayObject):
        return None
    refs = [value.raw_get(i) for i in range(len(value))]
    if not all(isinstance(r, generic.IndirectObject) for r in refs):
        return None
    return refs
