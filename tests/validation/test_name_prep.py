"""The memo in front of asn1crypto's RFC 4518 string preparation changes no answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from asn1crypto import x509
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PKI
from vnsign.validation import name_prep

ORIGINAL: Callable[[Any, str], str] = name_prep._ORIGINAL

NAMES = ["Bùi Văn Nam", "SỞ NỘI VỤ", "Cơ quan chứng thực số chuyên dùng Chính phủ",
         "UBND THÀNH PHỐ HẢI PHÒNG", "Bu\u0300i Va\u0306n Nam", "  two  spaces ",
         "soft\u00adhyphen", "tab\there", "zero\u200bwidth", "", "\ue000private",
         "\U000e0001tag", "\ufffe", "ASCII only"]


def outcome(prep: Callable[[str], str], value: str) -> tuple[str, str]:
    try:
        return ("value", prep(value))
    except ValueError as exc:
        return ("raised", str(exc))


@pytest.mark.parametrize("value", NAMES)
def test_same_preparation_as_asn1crypto(value: str) -> None:
    for _ in range(2):  # the second answer comes from the memo
        assert outcome(name_prep.prepared, value) == outcome(lambda s: ORIGINAL(None, s), value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_same_preparation_for_any_text(value: str) -> None:
    assert outcome(name_prep.prepared, value) == outcome(lambda s: ORIGINAL(None, s), value)


def test_the_memo_is_in_front_of_asn1cryptos_own_method() -> None:
    assert ORIGINAL.__module__ == "asn1crypto.x509"
    assert ORIGINAL.__qualname__ == "NameTypeAndValue._ldap_string_prep"


def test_names_compare_as_before_once_installed() -> None:
    name_prep.install()
    name_prep.install()
    assert x509.NameTypeAndValue._ldap_string_prep is name_prep._ldap_string_prep
    assert ORIGINAL is not name_prep._ldap_string_prep
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives.serialization import Encoding

    def issuer(stem: str) -> x509.Name:
        cert = cx509.load_pem_x509_certificate((PKI / f"{stem}.cert.pem").read_bytes())
        return x509.Certificate.load(cert.public_bytes(Encoding.DER)).issuer

    # RFC 5280 name matching (what pyHanko's ESS and path checks use) still tells the
    # genuine intermediate from the look-alike root's namesake and from another CA.
    assert issuer("buivannam") == issuer("sonoivu")
    assert issuer("buivannam") == issuer("lookalike-signer")  # same DN, other key
    assert issuer("buivannam") != issuer("intermediate")


def _name(*pairs: tuple[str, str], printable: bool = False) -> x509.Name:
    name = x509.Name.build(dict(pairs), use_printable=printable)
    return x509.Name.load(name.dump())  # parsed from DER, as names from a signature are


# (first, second, asn1crypto's answer: equal, not equal, or the ValueError it raises)
COMPARED = [
    (_name(("common_name", "Bùi Văn Nam"), ("country_name", "VN")),
     _name(("common_name", "BÙI  VĂN NAM "), ("country_name", "VN")), True),  # RFC 4518
    (_name(("common_name", "SỞ NỘI VỤ")), _name(("common_name", "SO NOI VU")), False),
    (_name(("common_name", "Test CA"), printable=True),
     _name(("common_name", "test ca")), True),  # PrintableString against UTF8String
    (_name(("common_name", "A"), ("country_name", "VN")),
     _name(("common_name", "A"), ("country_name", "US")), False),  # one attribute differs
    (_name(("common_name", "A")), _name(("common_name", "A"), ("country_name", "VN")),
     False),  # one attribute more
    (_name(("common_name", "x\ufffey")), _name(("common_name", "x\ufffey")), "raised"),
]


@pytest.mark.parametrize(("first", "second", "answer"), COMPARED)
def test_name_comparison_memo_answers_as_asn1crypto(first: x509.Name, second: x509.Name,
                                                    answer: bool | str) -> None:
    name_prep.install()
    name_prep._equal.clear()

    def original() -> tuple[str, Any]:
        try:
            return ("value", bool(name_prep._ORIGINAL_EQUAL(first.chosen, second.chosen)))
        except ValueError as exc:
            return ("raised", str(exc))

    def installed() -> tuple[str, Any]:
        try:
            return ("value", first == second)
        except ValueError as exc:
            return ("raised", str(exc))

    expected = original()
    assert (expected[0] if answer == "raised" else expected) == \
        (answer if answer == "raised" else ("value", answer))
    for _ in range(2):  # the second answer comes from the memo
        assert installed() == expected


def test_the_name_memo_is_in_front_of_asn1cryptos_comparison() -> None:
    name_prep.install()
    assert x509.RDNSequence.__eq__ is name_prep.same_names
    assert name_prep._ORIGINAL_EQUAL.__qualname__ == "RDNSequence.__eq__"
    assert name_prep.same_names(_name(("common_name", "A")).chosen, "A") is False


@pytest.mark.parametrize("name", [pair[0] for pair in COMPARED] + [pair[1] for pair in COMPARED])
def test_hashable_memo_answers_as_asn1crypto(name: x509.Name) -> None:
    name_prep.install()
    name_prep._hashables.clear()
    fresh = x509.Name.load(name.dump())  # the same encoding, another object

    def original() -> tuple[str, str]:
        try:
            return ("value", name_prep._ORIGINAL_HASHABLE.fget(fresh.chosen))
        except ValueError as exc:
            return ("raised", str(exc))

    def installed(value: x509.Name) -> tuple[str, str]:
        try:
            return ("value", value.hashable)
        except ValueError as exc:
            return ("raised", str(exc))

    expected = original()
    assert installed(name) == expected
    assert installed(fresh) == expected  # from the memo
    assert isinstance(x509.RDNSequence.__dict__["hashable"], property)
