"""Reading the document's fields defensively: one helper for every renderer."""

from __future__ import annotations

import datetime as dt

from vnsign.render.document_view import document_view, field_text
from vnsign.render.problems import signature_list


def test_plain_fields_as_the_metadata_reader_writes_them() -> None:
    view = document_view({"document": {
        "issuing_authority": "SỞ NỘI VỤ", "number_symbol": "2971/SNV-VP",
        "date": "2025-09-25", "doc_type": "Công văn", "subject": "hưởng ứng Techfest",
        "subject_prefix": "V/v", "authority_prefix": "TL.", "on_behalf_of": "GIÁM ĐỐC",
        "signer_title": "CHÁNH VĂN PHÒNG", "signer_name": "Bùi Văn Nam",
        "recipients": ["Các phòng"], "urgency": "KHẨN"}})
    assert view is not None
    assert view.subject == "V/v hưởng ứng Techfest"
    assert view.type_and_subject == "Công văn V/v hưởng ứng Techfest"
    assert view.signer_block == "TL. GIÁM ĐỐC · CHÁNH VĂN PHÒNG · Bùi Văn Nam"
    assert view.date_value == dt.date(2025, 9, 25)
    assert view.recipients == ("Các phòng",) and view.marks == ("KHẨN",)


def test_fields_with_source_and_confidence_and_unknown_keys() -> None:
    """A newer metadata reader may wrap a field with where it was read; unknown keys
    are ignored, odd types become nothing rather than an error."""
    view = document_view({"document": {
        "number": {"value": "15", "source": "widget", "confidence": 0.9},
        "symbol": {"value": "BNV-CCHC", "source": "text"},
        "date": {"value": "không rõ", "source": "ocr"},
        "issuing_authority": {"value": None},
        "subject": ["Về việc", "  "],
        "distribution": {"value": ["Như trên", {"value": "Lưu: VT"}, 7, None]},
        "signer_name": 12.5, "signer_title": True, "doc_type": {"source": "ocr"},
        "stamped_numbers": [{"field": "Signature1", "value": "15"}]}})
    assert view is not None
    assert view.number_symbol == "15/BNV-CCHC"
    assert view.date == "không rõ" and view.date_value is None
    assert view.issuing_authority is None and view.doc_type is None
    assert view.subject == "Về việc"
    assert view.distribution == ("Như trên", "Lưu: VT", "7")
    assert view.signer_name == "12.5" and view.signer_title is None


def test_no_document_block() -> None:
    assert document_view({"document": None}) is None
    assert document_view({}) is None
    assert document_view(None) is None
    empty = document_view({"document": {}})
    assert empty is not None and empty.is_empty and empty.type_and_subject is None


def test_field_text() -> None:
    assert field_text("  a  ") == "a" and field_text("") is None
    assert field_text(["a", {"value": "b"}]) == "a; b"
    assert field_text(False) is None and field_text(object()) is None


def test_signature_lists_fold_runs() -> None:
    assert signature_list([1, 2, 3, 4, 5]) == "#1–#5"
    assert signature_list([5, 1, 2, 3]) == "#1–#3, #5"
    assert signature_list([2, 3]) == "#2, #3"
    assert signature_list([4]) == "#4" and signature_list([]) == ""
