"""Words of the interface, in Vietnamese and English (glossary of VIETNAM.md)."""

from __future__ import annotations

import os

LABELS: dict[str, tuple[str, str]] = {
    "PASSED": ("Hợp lệ", "Passed"),
    "FAILED": ("Không hợp lệ", "Failed"),
    "INDETERMINATE": ("Chưa xác định được", "Indeterminate"),
    "NO_SIGNATURE": ("Không có chữ ký số", "No signature"),
    "document": ("Văn bản", "Document"),
    "file": ("Tệp", "File"),
    "pages": ("Số trang", "Pages"),
    "encrypted": ("Mã hóa", "Encrypted"),
    "verdict": ("Kết luận", "Verdict"),
    "signatures": ("Chữ ký số", "Signatures"),
    "signature": ("Chữ ký số", "Signature"),
    "doc_timestamp": ("Dấu thời gian văn bản", "Document timestamp"),
    "signer": ("Người ký", "Signer"),
    "email": ("Thư điện tử", "E-mail"),
    "organization": ("Tổ chức", "Organisation"),
    "identifiers": ("Định danh", "Identifiers"),
    "issuer": ("Tổ chức cấp", "Issuer"),
    "serial": ("Số hiệu chứng thư", "Serial number"),
    "validity": ("Hiệu lực chứng thư số", "Certificate validity"),
    "signing_time": ("Thời gian ký", "Signing time"),
    "claimed": ("tự khai", "claimed"),
    "timestamp": ("Dấu thời gian", "Timestamp"),
    "proven": ("đã chứng minh", "proven"),
    "integrity": ("Tính toàn vẹn", "Integrity"),
    "intact": ("Nguyên vẹn", "Intact"),
    "altered": ("Đã bị thay đổi", "Altered"),
    "coverage": ("Phạm vi ký", "Coverage"),
    "modified_after": ("Thay đổi sau khi ký", "Changes after signing"),
    "chain": ("Chuỗi chứng thư số", "Certificate chain"),
    "trusted": ("Tin cậy", "Trusted"),
    "untrusted": ("Không được tin cậy", "Untrusted"),
    "revocation": ("Kiểm tra tình trạng thu hồi", "Revocation check"),
    "reason": ("Lý do", "Reason"),
    "location": ("Nơi ký", "Location"),
    "stamp": ("Hình ảnh chữ ký", "Visible stamp"),
    "page": ("trang", "page"),
    "field": ("Trường chữ ký", "Field"),
    # Decree 30/2020 document fields (metadata.document)
    "doc_fields": ("Thông tin văn bản", "Document fields"),
    "issuing_authority": ("Cơ quan ban hành", "Issuing agency"),
    "parent_authority": ("Cơ quan chủ quản", "Parent agency"),
    "number_symbol": ("Số, ký hiệu", "Number and symbol"),
    "place_date": ("Địa danh, ngày ban hành", "Place and date of issue"),
    "doc_type": ("Loại văn bản", "Document type"),
    "subject": ("Trích yếu", "Subject"),
    "recipients": ("Nơi gửi đến (Kính gửi)", "Recipients"),
    "distribution": ("Nơi nhận", "Distribution"),
    "signer_block": ("Thẩm quyền, chức vụ, người ký", "Authority, title, signer"),
    "marks": ("Độ khẩn, độ mật, hình thức bản sao", "Urgency, confidentiality, copy form"),
    "crosschecks": ("Đối chiếu văn bản và chữ ký số", "Document vs signatures"),
    "findings": ("Ghi chú", "Findings"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "none": ("không có", "none"),
    "NONE": ("Không có", "None"),
    "LTV_UPDATES": ("Chỉ bổ sung dữ liệu LTV", "LTV data only"),
    "FORM_FILLING": ("Điền biểu mẫu / ký tiếp", "Form filling / further signatures"),
    "ANNOTATIONS": ("Thêm chú thích", "Annotations"),
    "OTHER": ("Thay đổi khác (không cho phép)", "Other (not permitted)"),
    "UNKNOWN": ("Không xác định", "Unknown"),
    "ENTIRE_FILE": ("Toàn bộ tệp", "Entire file"),
    "ENTIRE_REVISION": ("Toàn bộ phiên bản đã ký", "Entire signed revision"),
    "ANOMALOUS": ("Bất thường", "Anomalous"),
    "GOOD": ("Chưa bị thu hồi", "Good"),
    "REVOKED": ("Đã bị thu hồi", "Revoked"),
    "NOT_CHECKED": ("Chưa kiểm tra", "Not checked"),
    "summary": ("Tổng hợp", "Summary"),
    # --- batch reports (vnsign batch / report / watch) -------------------------------
    "batch_title": ("Báo cáo kiểm tra chữ ký số", "Signature verification report"),
    "documents": ("Văn bản", "Documents"),
    "generated_at": ("Lập lúc", "Generated"),
    "validation_policy": ("Chính sách kiểm tra", "Validation policy"),
    "search": ("Tìm kiếm", "Search"),
    "search_hint": ("Tìm theo tên tệp, người ký, mã ghi chú…",
                    "Filter by file, signer, finding code…"),
    "all": ("Tất cả", "All"),
    "duration": ("Thời gian xử lý (giây)", "Duration (s)"),
    "sub_indication": ("Chi tiết kết luận", "Sub-indication"),
    "gate": ("Theo yêu cầu CI", "CI gate"),
    "gate_OK": ("Đạt", "Pass"),
    "gate_WARNING": ("Đạt, có cảnh báo", "Pass, with warnings"),
    "gate_INDETERMINATE": ("Chưa xác định được", "Indeterminate"),
    "gate_FAILED": ("Không đạt", "Fail"),
    "signer_kind": ("Loại chứng thư", "Certificate kind"),
    "PERSON": ("Cá nhân", "Person"),
    "AGENCY": ("Cơ quan, tổ chức", "Agency"),
    "agency_signature": ("Có chữ ký của cơ quan", "Agency signature"),
    "requirements": ("Yêu cầu không đạt", "Requirements not met"),
    "guard_errors": ("Lỗi khi xử lý", "Processing errors"),
    "fully_valid": ("Hợp lệ, không có cảnh báo", "Valid, no warnings"),
    "with_warnings": ("Có cảnh báo", "With warnings"),
    "showing": ("Đang hiển thị", "Showing"),
    "of": ("trên", "of"),
    "verified_at": ("Kiểm tra lúc", "Verified at"),
    "invisible": ("Chữ ký không hiển thị trên trang", "Invisible signature"),
    "file_changed": ("Tệp đã thay đổi hoặc không còn từ khi kiểm tra: "
                     "không hiển thị hình chữ ký.",
                     "The file changed or is gone since it was verified: no stamp pictures."),
    "thumbnails_capped": ("Đã đạt giới hạn số hình chữ ký trong báo cáo.",
                          "Stamp picture limit reached for this report."),
    "no_documents": ("Không có văn bản nào.", "No documents."),
    "details": ("Chi tiết", "Details"),
    "skipped": ("Bỏ qua (không thay đổi)", "Skipped (unchanged)"),
    "verified_now": ("Đã kiểm tra", "Verified"),
    "accepted": ("Chấp nhận", "Accepted"),
    "quarantined": ("Cách ly", "Quarantined"),
    "ledger": ("Sổ kết quả", "Ledger"),
    "sheet_summary": ("Tổng hợp", "Summary"),
    "sheet_documents": ("Văn bản", "Documents"),
    "sheet_signatures": ("Chữ ký số", "Signatures"),
    "kind": ("Loại", "Kind"),
    "notes": ("ghi chú", "notes"),
    "verifying": ("Đang kiểm tra", "Verifying"),
}


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]


def default_language() -> str:
    """Vietnamese when the locale says so (LC_ALL, LC_MESSAGES, LANG, LANGUAGE)."""
    for var in ("VNSIGN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"
