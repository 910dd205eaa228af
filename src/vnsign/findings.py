"""Every finding vnsign can report: stable code, severity and both languages.

This is the one place where a finding's wording lives. Codes are part of the public
contract (scripts match on them); messages may be improved at any time. Templates use
``str.format`` fields filled by :func:`make`.
"""

from __future__ import annotations

import logging

from vnsign.errors import internal_origin
from vnsign.models import Finding, Message, Severity

log = logging.getLogger(__name__)

_I, _W, _E = Severity.INFO, Severity.WARNING, Severity.ERROR

CATALOG: dict[str, tuple[Severity, str, str]] = {
    # --- input --------------------------------------------------------------------
    "INPUT_EMPTY": (_E, "Tệp rỗng (0 byte).", "The file is empty (0 bytes)."),
    "INPUT_NOT_PDF": (
        _E,
        "Tệp không phải là PDF (không có phần đầu %PDF-).",
        "The file is not a PDF (no %PDF- header).",
    ),
    "INPUT_TOO_LARGE": (
        _E,
        "Tệp lớn hơn giới hạn {limit} byte; không kiểm tra.",
        "The file exceeds the {limit}-byte limit; not checked.",
    ),
    "INPUT_UNREADABLE": (
        _E,
        "Không đọc được cấu trúc PDF: {detail}",
        "The PDF structure could not be read: {detail}",
    ),
    "INPUT_IO_ERROR": (_E, "Không mở được tệp: {detail}", "The file could not be opened: {detail}"),
    "INTERNAL_ERROR": (
        _E,
        "Lỗi nội bộ của vnsign khi kiểm tra tệp này ({detail}); chưa xác định được kết quả. "
        "Đây là lỗi của phần mềm, không phải của tệp: xin báo lỗi kèm tệp.",
        "vnsign hit an internal error while checking this file ({detail}); no verdict. "
        "This is a bug in vnsign, not a property of the file: please report it with the file.",
    ),
    "PDF_ENCRYPTED": (
        _E,
        "Văn bản được mã hóa, cần mật khẩu để kiểm tra chữ ký số.",
        "The document is encrypted; a password is needed to check its signatures.",
    ),
    "NO_SIGNATURES": (
        _W,
        "Văn bản không có chữ ký số.",
        "The document carries no digital signature.",
    ),
    "FILE_DAMAGED": (
        _E,
        "Không đọc được toàn bộ tệp ({detail}); chỉ kiểm tra được {size} byte đầu (các "
        "phiên bản còn nguyên vẹn), phần còn lại bị hỏng hoặc bị cắt.",
        "The file cannot be read as a whole ({detail}); only its first {size} bytes (the "
        "intact revisions) were checked, the rest is damaged or cut off.",
    ),
    "FILE_STRUCTURE_DAMAGED": (
        _E,
        "Cấu trúc tệp bị hỏng ({detail}): chữ ký được tìm bằng cách dò tệp và kiểm tra trên "
        "vùng ký của nó, nhưng không xác định được chữ ký bao phủ gì và sau đó có gì bị sửa.",
        "The file's structure is damaged ({detail}): the signature was found by scanning and "
        "checked over its byte range, but what it covers and what was changed after it "
        "cannot be established.",
    ),
    "SIGNATURE_NOT_IN_FORM": (
        _E,
        "Chữ ký số có trong tệp nhưng không trường chữ ký nào của văn bản hiện tại trỏ tới "
        "(trường của nó đã bị xóa, thay thế hoặc ẩn sau khi ký): người đọc không thấy chữ "
        "ký này.",
        "The signature is in the file, but no signature field of the current document "
        "refers to it (its field was removed, replaced or hidden after signing): readers "
        "do not see it.",
    ),
    "SIGNATURE_IN_SEVERAL_FIELDS": (
        _W,
        "Một chữ ký số được nhiều trường chữ ký dùng chung ({fields}); báo cáo tính là một "
        "chữ ký.",
        "One signature value is referenced from several signature fields ({fields}); the "
        "report counts it once.",
    ),
    "SIGNATURE_UNREADABLE": (
        _E,
        "Không đọc được chữ ký số: {detail}",
        "The signature could not be read: {detail}",
    ),
    # --- integrity ----------------------------------------------------------------
    "HASH_MISMATCH": (
        _E,
        "Nội dung đã ký không khớp giá trị băm: văn bản đã bị thay đổi sau khi ký.",
        "The signed content does not match its digest: the document was altered after signing.",
    ),
    "SIGNATURE_CRYPTO_INVALID": (
        _E,
        "Giá trị chữ ký số không hợp lệ với khóa công khai của người ký.",
        "The signature value does not verify with the signer's public key.",
    ),
    "COVERAGE_ANOMALOUS": (
        _E,
        "Vùng ký (/ByteRange) bất thường: chữ ký không bao phủ trọn phiên bản đã ký.",
        "Anomalous /ByteRange: the signature does not cover its whole revision.",
    ),
    "MODIFIED_DISALLOWED": (
        _E,
        "Văn bản đã bị thay đổi sau khi ký, vượt quá giới hạn cho phép ({level}).",
        "The document was modified after signing beyond what is permitted ({level}).",
    ),
    "MODIFIED_ANNOTATIONS": (
        _W,
        "Sau khi ký có thêm/sửa chú thích (thay đổi trong giới hạn cho phép).",
        "Annotations were added or changed after signing (changes within permitted limits).",
    ),
    "MODIFIED_FORM_FILLING": (
        _I,
        "Sau khi ký có điền biểu mẫu hoặc ký tiếp (thay đổi trong giới hạn cho phép).",
        "Form fields were filled or further signatures added after signing "
        "(changes within permitted limits).",
    ),
    "MODIFIED_LTV_UPDATES": (
        _I,
        "Sau khi ký chỉ bổ sung dữ liệu kiểm tra dài hạn (LTV) hoặc dấu thời gian.",
        "Only long-term validation data or timestamps were added after signing.",
    ),
    "MODIFICATIONS_UNKNOWN": (
        _E,
        "Không phân tích được các thay đổi sau khi ký: {detail}",
        "Changes made after signing could not be analysed: {detail}",
    ),
    # --- benign changes after signing, each cleared by one rule of
    # vnsign.validation.modifications (docs/security.md argues each) -----------------
    "SIGNED_AFTER_CERTIFICATION": (
        _I,
        "Sau chữ ký chứng thực (DocMDP), trường chữ ký mới \"{detail}\" được thêm và ký "
        "(chữ ký chứng thực cho phép ký tiếp).",
        "After the certification signature (DocMDP), the new signature field \"{detail}\" "
        "was added and signed (the certification permits further signing).",
    ),
    "STRUCTURE_TREE_UPDATED": (
        _I,
        "Cây cấu trúc (tagged PDF) được cập nhật chỉ để ghi nhận trường chữ ký/chú thích "
        "mới; nội dung hiển thị không đổi.",
        "The tagged-PDF structure tree was updated only to register new signature "
        "fields or annotations; nothing displayed changed.",
    ),
    "INHERITED_PAGE_ATTRIBUTES_WRITTEN": (
        _I,
        "Thuộc tính trang kế thừa ({detail}) được ghi trực tiếp vào trang với đúng giá trị "
        "cũ (như iText 5 làm khi đóng dấu); trang hiển thị như trước.",
        "Inherited page attributes ({detail}) were written into the page with the value "
        "they had (as iText 5 does when it stamps); the page looks as before.",
    ),
    "WRITER_MARKER_UPDATED": (
        _I,
        "Dấu phiên bản của phần mềm ghi tệp ({detail}) trong cây trang được cập nhật.",
        "The writing software's version marker ({detail}) in the page tree was updated.",
    ),
    "FORM_WIDGET_APPEARANCE_UPDATED": (
        _I,
        "Hình hiển thị của trường biểu mẫu \"{detail}\" được cập nhật theo giá trị mới điền.",
        "The appearance of form field \"{detail}\" was updated for its newly filled value.",
    ),
    "DSS_VRI_EXTENDED": (
        _I,
        "Dữ liệu kiểm tra dài hạn (DSS/VRI) của {detail} chữ ký được bổ sung.",
        "Long-term validation data (DSS/VRI) was extended for {detail} signature(s).",
    ),
    "METADATA_STREAM_UNREADABLE": (
        _I,
        "Luồng metadata XMP của phiên bản sau rỗng hoặc không đọc được.",
        "The XMP metadata stream of a later revision is empty or unreadable.",
    ),
    "NAMED_APPEARANCES_ADDED": (
        _I,
        "Thêm hình hiển thị có tên (biểu tượng chú thích) vào danh mục /Names.",
        "Named appearance streams (comment icons) were added to /Names.",
    ),
    "TRAILER_REFERENCE_FILLED": (
        _I,
        "Mục riêng {detail} của trailer từng trỏ tới đối tượng chưa có, nay trỏ tới đối "
        "tượng mới (không phần mềm đọc nào dùng mục này).",
        "The private trailer entry {detail} pointed at a missing object, now filled by a "
        "new one (no reader uses that entry).",
    ),
    "MODIFICATIONS_UNCLASSIFIED": (
        _W,
        "Không phân loại được các thay đổi sau khi ký ({detail}), nhưng mọi trang hiển thị "
        "như lúc ký (ngoài hình các chữ ký số thêm sau).",
        "The changes made after signing could not be classified ({detail}), but every "
        "page looks as it did when signed (apart from the stamps of later signatures).",
    ),
    "DECLARED_VALUES_CHANGED": (
        _W,
        "Trường {field} của chữ ký bị sửa sau khi ký; báo cáo dùng giá trị đã ký.",
        "The signature's {field} was rewritten after signing; the report shows the signed value.",
    ),
    "STAMP_CHANGED_AFTER_SIGNING": (
        _W,
        "Hình ảnh chữ ký hiển thị bị thay đổi sau khi ký.",
        "The visible signature appearance was changed after signing.",
    ),
    # --- certificate chain --------------------------------------------------------
    "CHAIN_TRUSTED": (
        _I,
        "Chứng thư số dẫn đến chứng thư số gốc tin cậy: {root}.",
        "The certificate chains to the trusted root: {root}.",
    ),
    "NO_TRUSTED_CHAIN": (
        _E,
        "Không xây dựng được chuỗi chứng thư số đến chứng thư số gốc tin cậy "
        "(chứng thư số không được tin cậy hoặc thiếu chứng thư trung gian).",
        "No certificate chain to a trusted root could be built "
        "(untrusted certificate or missing intermediate).",
    ),
    "CERT_EXPIRED": (
        _E,
        "Chứng thư số đã hết hạn vào thời điểm ký đã được chứng minh.",
        "The certificate had expired at the proven signing time.",
    ),
    "CERT_NOT_YET_VALID": (
        _E,
        "Chứng thư số chưa có hiệu lực vào thời điểm ký.",
        "The certificate was not yet valid at the signing time.",
    ),
    "CERT_OUT_OF_VALIDITY_NO_POE": (
        _E,
        "Chứng thư số đã hết hạn hoặc chưa có hiệu lực, và không có dấu thời gian chứng minh "
        "thời gian ký.",
        "The certificate is expired or not yet valid, and no timestamp proves when the "
        "signature was made.",
    ),
    "CERT_REVOKED": (
        _E,
        "Chứng thư số đã bị thu hồi ({date}) trước thời gian ký đã được chứng minh.",
        "The certificate was revoked ({date}) before the proven signing time.",
    ),
    "CERT_REVOKED_NO_POE": (
        _E,
        "Chứng thư số đã bị thu hồi ({date}); không chứng minh được chữ ký có trước thời điểm đó.",
        "The certificate was revoked ({date}); nothing proves the signature was made before.",
    ),
    "KEY_USAGE_INVALID": (
        _E,
        "Mục đích sử dụng khóa của chứng thư số không cho phép ký văn bản.",
        "The certificate's key usage does not permit document signing.",
    ),
    "WEAK_ALGORITHM": (
        _E,
        "Thuật toán yếu không được chấp nhận theo chính sách ({detail}).",
        "A weak algorithm is not accepted by the policy ({detail}).",
    ),
    "REVOCATION_NOT_CHECKED": (
        _I,
        "Chưa kiểm tra tình trạng thu hồi chứng thư số (chế độ ngoại tuyến).",
        "Certificate revocation was not checked (offline mode).",
    ),
    "REVOCATION_UNKNOWN": (
        _W,
        "Không xác định được tình trạng thu hồi chứng thư số.",
        "The certificate's revocation status could not be determined.",
    ),
    "REVOCATION_REQUIRED_MISSING": (
        _E,
        "Chính sách yêu cầu kiểm tra tình trạng thu hồi nhưng không có dữ liệu thu hồi.",
        "The policy requires revocation data, but none is available.",
    ),
    "VALIDATION_FAILED_OTHER": (
        _E,
        "Không xác định được tính hợp lệ: {detail}",
        "Validity could not be determined: {detail}",
    ),
    # --- time ---------------------------------------------------------------------
    "TIMESTAMP_VALID": (
        _I,
        "Có dấu thời gian hợp lệ: {time} ({tsa}).",
        "A valid timestamp is attached: {time} ({tsa}).",
    ),
    "TIMESTAMP_INVALID": (
        _W,
        "Không xác minh được dấu thời gian: bản thân dấu thời gian không hợp lệ ({detail}).",
        "The timestamp could not be verified: the token itself is invalid ({detail}).",
    ),
    "TIMESTAMP_TSA_UNTRUSTED": (
        _W,
        "Không xác minh được dấu thời gian: chứng thư số của máy chủ cấp dấu thời gian "
        "({tsa}) không chuỗi đến gốc tin cậy hoặc không dùng được ({detail}).",
        "The timestamp could not be verified: the certificate of the timestamp authority "
        "({tsa}) does not chain to a trusted root or cannot be used ({detail}).",
    ),
    "TIMESTAMP_WEAK_ALGORITHM": (
        _W,
        "Không xác minh được dấu thời gian: dấu thời gian dùng thuật toán mà chính sách "
        "thuật toán ({policy}) không chấp nhận ({detail}).",
        "The timestamp could not be verified: it uses an algorithm the algorithm policy "
        "({policy}) refuses ({detail}).",
    ),
    "VALIDATED_AT_CURRENT_TIME": (
        _I,
        "Thời điểm ký chưa được chứng minh: chữ ký được kiểm tra tại thời điểm kiểm tra "
        "({time}).",
        "The signing time is not proven: the signature was validated at the validation "
        "time ({time}).",
    ),
    "CERT_EXPIRED_SINCE_SIGNING": (
        _I,
        "Chứng thư số đã hết hạn ({date}) sau thời điểm ký; chữ ký được đánh giá tại thời "
        "điểm ký đã được dấu thời gian chứng minh ({time}).",
        "The certificate expired ({date}) after the signing time; the signature was judged "
        "at the signing time its timestamp proves ({time}).",
    ),
    "CERT_REVOKED_SINCE_SIGNING": (
        _W,
        "Chứng thư số đã bị thu hồi ({date}) sau thời điểm ký; chữ ký được đánh giá tại "
        "thời điểm ký đã được dấu thời gian chứng minh ({time}).",
        "The certificate was revoked ({date}) after the signing time; the signature was "
        "judged at the signing time its timestamp proves ({time}).",
    ),
    "WEAK_ALGORITHM_ACCEPTED": (
        _W,
        "Chấp nhận thuật toán yếu theo hồ sơ Chính phủ Việt Nam ({policy}, chỉ cho chuỗi "
        "chứng thư đến gốc VGCA đã ghim): {detail}. SHA-1 không còn an toàn trước kẻ tấn "
        "công có nhiều tài nguyên; dùng --strict-algorithms để từ chối.",
        "A weak algorithm was accepted under the Vietnamese government profile ({policy}, "
        "only for chains to a pinned VGCA root): {detail}. SHA-1 collisions are practical "
        "for a well-funded attacker; --strict-algorithms refuses it.",
    ),
    "TIMESTAMP_NOT_CHECKED": (
        _I,
        "Dấu thời gian chưa được kiểm tra vì chữ ký không qua được các bước kiểm tra trước.",
        "The timestamp was not checked because the signature failed an earlier check.",
    ),
    "NO_TIMESTAMP": (
        _I,
        "Chữ ký không có dấu thời gian; thời gian ký do máy người ký tự khai.",
        "The signature has no timestamp; the signing time is the signer's own claim.",
    ),
    "ONLY_SIGNER_CERT_EMBEDDED": (
        _I,
        "Chữ ký chỉ nhúng chứng thư số của người ký; chứng thư trung gian được lấy từ nguồn "
        "khác (kho tin cậy, --other-certs hoặc địa chỉ AIA trong chứng thư).",
        "Only the signer's certificate is embedded; the intermediates came from elsewhere "
        "(trust store, --other-certs or the certificate's AIA address).",
    ),
    # --- batch guards (vnsign.batch): a document whose verification was stopped
    "BATCH_TIMEOUT": (
        _E, "Hết thời gian kiểm tra ({detail}); văn bản chưa được kiểm tra xong.",
        "Verification did not finish within the time limit ({detail})."),
    "BATCH_MEMORY_LIMIT": (
        _E, "Vượt giới hạn bộ nhớ khi kiểm tra văn bản ({detail}).",
        "Verification exceeded the memory limit ({detail})."),
    "BATCH_WORKER_CRASHED": (
        _E, "Tiến trình kiểm tra bị dừng bất thường ({detail}).",
        "The worker process verifying this document died ({detail})."),
    "BATCH_WORKER_ERROR": (
        _E, "Lỗi nội bộ khi kiểm tra văn bản: {detail}",
        "Internal error while verifying the document: {detail}"),
    # --- cross-checks: the document's printed fields vs its signatures (vn/crosscheck)
    "SIGNER_NAME_MATCHES_CERTIFICATE": (
        _I, "Tên người ký trên văn bản ({printed}) khớp với chứng thư số.",
        "The signer's printed name ({printed}) matches the certificate."),
    "SIGNER_NAME_MATCHES_WITHOUT_DIACRITICS": (
        _I, "Tên người ký ({printed}) chỉ khớp với chứng thư số ({cert}) khi bỏ dấu.",
        "The printed name ({printed}) matches the certificate ({cert}) only without "
        "diacritics."),
    "SIGNER_NAME_MISMATCH": (
        _W, "Tên người ký trên văn bản ({printed}) khác tên trong chứng thư số cá nhân ({cert}).",
        "The printed signer name ({printed}) differs from the personal certificate ({cert})."),
    "NO_PERSONAL_SIGNATURE": (
        _W, "Văn bản ghi người ký ({printed}) nhưng không có chữ ký số cá nhân.",
        "The document names a signer ({printed}) but carries no personal signature."),
    "AGENCY_MATCHES_CERTIFICATE": (
        _I, "Cơ quan ban hành ({printed}) khớp với chứng thư số của cơ quan.",
        "The issuing agency ({printed}) matches the agency certificate."),
    "AGENCY_MISMATCH": (
        _W, "Cơ quan ban hành trên văn bản ({printed}) khác chứng thư số của cơ quan ({cert}).",
        "The issuing agency printed ({printed}) differs from the agency certificate ({cert})."),
    "NO_AGENCY_SIGNATURE": (
        _W, "Văn bản chưa có chữ ký số của cơ quan, tổ chức (chữ ký số thay dấu).",
        "The document has no signature of the issuing agency (its digital seal)."),
    "PERSONAL_SIGNATURE_AFTER_AGENCY": (
        _W, "Chữ ký số cá nhân được ký sau chữ ký số của cơ quan (thông thường người có "
            "thẩm quyền ký trước).",
        "The personal signature was made after the agency's (the competent person "
        "normally signs first)."),
    "SIGNED_BEFORE_DOCUMENT_DATE": (
        _W, "Chữ ký số #{index} có thời gian ký ({signed}) trước ngày ban hành ({dated}).",
        "Signature #{index} was made ({signed}) before the document date ({dated})."),
    "SIGNED_LONG_AFTER_DOCUMENT_DATE": (
        _W, "Chữ ký số #{index} ký ngày {signed}, muộn hơn {days} ngày so với ngày ban hành "
            "({dated}).",
        "Signature #{index} was made on {signed}, {days} days after the document date "
        "({dated})."),
    "DOC_TYPE_MATCHES_SYMBOL": (
        _I, "Loại văn bản ({doc_type}) khớp với ký hiệu ({symbol_code}).",
        "The document type ({doc_type}) agrees with the symbol ({symbol_code})."),
    "DOC_TYPE_SYMBOL_MISMATCH": (
        _W, "Loại văn bản ({doc_type}) không khớp với ký hiệu ({symbol_code}).",
        "The document type ({doc_type}) does not agree with the symbol ({symbol_code})."),
    "STAMP_MATCHES_CERTIFICATE": (
        _I, "Nội dung hình ảnh chữ ký số #{index} khớp với chứng thư số.",
        "The stamp text of signature #{index} matches its certificate."),
    "STAMP_NAMES_OTHER_SIGNER": (
        _W, "Hình ảnh/lý do ký của chữ ký số #{index} ghi \"{claimed}\" nhưng chứng thư số "
            "là của \"{cert}\".",
        "The stamp/reason of signature #{index} names \"{claimed}\" but the certificate "
        "belongs to \"{cert}\"."),
    "SIGNER_EMAIL_DOMAIN_DIFFERS_FROM_AGENCY": (
        _I, "Thư điện tử của người ký ({person}) thuộc tên miền khác với cơ quan ({agency}).",
        "The signer's e-mail ({person}) is on another domain than the agency's ({agency})."),
    # --- hostile input and signature structure (pdf/byterange, validation/cms_reading,
    # pdf/visual, deadline); see docs/security.md
    "TIME_LIMIT_EXCEEDED": (
        _E, "Việc kiểm tra vượt quá giới hạn thời gian {limit} giây và đã dừng; chưa xác định "
            "được kết quả (tệp có thể được tạo ra để gây quá tải).",
        "Checking exceeded the {limit}-second time limit and was stopped; no verdict could be "
        "reached (the file may be built to overload validators)."),
    "SIG_CONTENTS_MISSING": (
        _E, "Từ điển chữ ký không có giá trị chữ ký (/Contents thiếu, rỗng hoặc null).",
        "The signature dictionary holds no signature value (/Contents missing, empty or "
        "null)."),
    "BYTERANGE_MISSING": (
        _E, "Từ điển chữ ký không có vùng ký (/ByteRange).",
        "The signature dictionary has no /ByteRange."),
    "BYTERANGE_MALFORMED": (
        _E, "/ByteRange không phải là mảng trực tiếp gồm 4 số nguyên không âm ({detail}).",
        "The /ByteRange is not a direct array of four non-negative integers ({detail})."),
    "BYTERANGE_NOT_FROM_START": (
        _E, "Vùng ký không bắt đầu từ đầu tệp (byte {start}).",
        "The signed range does not start at the beginning of the file (byte {start})."),
    "BYTERANGE_OVERLAP": (
        _E, "Hai đoạn của /ByteRange chồng lên nhau (đoạn 1 kết thúc ở byte {first_end}, "
            "đoạn 2 bắt đầu ở byte {second_start}).",
        "The two parts of the /ByteRange overlap (part 1 ends at byte {first_end}, part 2 "
        "starts at byte {second_start})."),
    "BYTERANGE_OUTSIDE_FILE": (
        _E, "/ByteRange vượt ra ngoài tệp (đến byte {end}, tệp có {size} byte).",
        "The /ByteRange reaches beyond the file (to byte {end}; the file has {size} bytes)."),
    "BYTERANGE_GAP_NOT_CONTENTS": (
        _E, "Phần không được ký không đúng là giá trị /Contents của chữ ký: {detail} "
            "(dấu hiệu tấn công bọc chữ ký).",
        "The unsigned gap is not exactly the signature's /Contents value: {detail} "
        "(a sign of signature wrapping)."),
    "BYTERANGE_NOT_REVISION_END": (
        _E, "Vùng ký kết thúc ở byte {end}, không phải ở cuối một phiên bản của tệp (%%EOF).",
        "The signed range ends at byte {end}, not at the end of a revision of the file "
        "(%%EOF)."),
    "BYTERANGE_COLLISION": (
        _E, "Vùng ký trùng lặp với vùng ký của chữ ký số #{other}.",
        "The signed range collides with that of signature #{other}."),
    "DATA_AFTER_LAST_REVISION": (
        _E, "Sau phiên bản cuối cùng của tệp còn {size} byte dữ liệu không thuộc phiên bản nào "
            "(không được ký, nhưng một số phần mềm đọc vẫn hiển thị).",
        "{size} bytes follow the end of the file's last revision and belong to no revision "
        "(unsigned, yet some viewers show them)."),
    "METADATA_CHANGED_AFTER_SIGNING": (
        _W, "Thông tin mô tả của tệp (Info/XMP) bị sửa sau khi ký; phần metadata của báo cáo "
            "là giá trị hiện tại, không phải giá trị đã ký.",
        "The file's metadata (Info/XMP) was changed after signing; the report's metadata "
        "shows the current values, not the signed ones."),
    "LEGACY_SUBFILTER": (
        _I,
        "Chữ ký dùng định dạng cũ {sub_filter} (ISO 32000-1 §12.8.3); vnsign kiểm tra đầy đủ "
        "như mọi chữ ký khác, với cùng chính sách thuật toán (định dạng này dùng SHA-1).",
        "The signature uses the legacy format {sub_filter} (ISO 32000-1 §12.8.3); vnsign "
        "checks it in full like any other, under the same algorithm policy (the format "
        "uses SHA-1).",
    ),
    "CMS_NON_CONFORMING": (
        _W,
        "Cấu trúc CMS của chữ ký không đúng chuẩn ({detail}); vnsign đã đọc lại phần tử đó "
        "theo cách duy nhất có thể và vẫn thực hiện mọi bước kiểm tra.",
        "The signature's CMS does not conform to the standard ({detail}); vnsign re-read "
        "that element the only way it can be read and still ran every check.",
    ),
    "CMS_SEVERAL_SIGNERS": (
        _W,
        "CMS của chữ ký chứa {count} khối thông tin người ký (SignerInfo), trong khi một chữ "
        "ký PDF chỉ có một; vnsign chỉ kiểm tra khối đầu tiên, như EU DSS, và bỏ qua các "
        "khối còn lại.",
        "The signature's CMS holds {count} signer infos (SignerInfo) where a PDF signature "
        "has one; vnsign validated only the first, as EU DSS does, and ignored the others.",
    ),
    "CMS_MALFORMED": (
        _E, "Cấu trúc CMS của chữ ký không hợp lệ: {detail}.",
        "The signature's CMS structure is not valid: {detail}."),
    "VISUAL_DIFFERENCE": (
        _E, "Trang {pages} hiển thị khác với lúc ký, ở ngoài vùng của các thay đổi được "
            "phép: nội dung người đọc thấy không phải nội dung đã ký.",
        "Page {pages} looks different from when it was signed, outside the areas of the "
        "permitted changes: what a reader sees is not what was signed."),
    "VISUAL_CHANGE_PERMITTED": (
        _W, "Trang {pages} hiển thị khác với lúc ký, trong vùng của trường biểu mẫu hoặc chú "
            "thích được thêm/sửa sau khi ký (thay đổi được phép; cần xem lại).",
        "Page {pages} looks different from when it was signed, inside form fields or "
        "comments added or changed after signing (permitted; worth a look)."),
    "STAMP_COVERS_TEXT": (
        _W, "Hình chữ ký số được thêm sau khi ký đè lên chữ của văn bản đã ký (trang "
            "{detail}). Cần đối chiếu với bản gốc.",
        "The stamp of a signature added after signing covers text of the signed document "
        "(page {detail}). Compare with the original."),
    "TEXT_LAYER_MISSING": (
        _I, "Trang {pages} không có lớp văn bản dùng được (ảnh quét); không chạy OCR ({reason}) "
            "nên các trường của văn bản trên trang đó không đọc được.",
        "Page {pages} has no usable text layer (a scanned image); OCR did not run ({reason}), "
        "so the document fields on it are not read."),
    "TEXT_LAYER_MISSING_OCR": (
        _I, "Trang {pages} không có lớp văn bản dùng được (ảnh quét); các trường của văn bản "
            "được đọc bằng OCR (Tesseract, tiếng Việt) trên trang {read}.",
        "Page {pages} has no usable text layer (a scanned image); the document fields were "
        "read by OCR (Tesseract, Vietnamese) on page {read}."),
    "SCANNED_PAGES_NOT_READ": (
        _I, "Trang {pages} là ảnh quét (không có lớp văn bản); các trường của văn bản đã đọc "
            "được từ lớp văn bản của các trang khác (phần đầu và phần kết thúc), nên không "
            "chạy OCR trên trang đó (--ocr always để đọc).",
        "Page {pages} is a scanned image (no text layer); the document fields were read from "
        "the text layer of the other pages (header and closing), so OCR did not run on it "
        "(--ocr always reads it)."),
    "OCR_LOW_CONFIDENCE": (
        _W, "Các trường {fields} được đọc bằng OCR với độ tin cậy thấp (dưới {threshold}): cần "
            "đối chiếu với văn bản.",
        "The fields {fields} were read by OCR with low confidence (below {threshold}): check "
        "them against the document."),
    "VISUAL_CHECK_NOT_RUN": (
        _I, "Không so sánh được hình ảnh các trang lúc ký và hiện tại: {detail}.",
        "The pages as signed and as they are now could not be compared: {detail}."),
}


def make(code: str, **params: object) -> Finding:
    """Build the finding ``code`` with its template fields filled in.

    Unknown codes are a programming error, hence KeyError rather than a fallback.
    """
    severity, vi, en = CATALOG[code]
    return Finding(code=code, severity=severity, message=Message(vi.format(**params),
                                                                 en.format(**params)))


def from_exception(exc: BaseException, code: str = "INPUT_UNREADABLE") -> Finding:
    """The finding for an exception that stopped a step: ``code`` with the exception as
    its detail, or INTERNAL_ERROR when it is a bug in vnsign itself rather than an input
    a library rejected (:func:`vnsign.errors.internal_origin`). The traceback of an
    internal error goes to the log (shown with ``--verbose``)."""
    detail = f"{type(exc).__name__}: {exc}"
    origin = internal_origin(exc)
    if origin is None:
        return make(code, detail=detail)
    log.error("internal error at %s", origin, exc_info=exc)
    return make("INTERNAL_ERROR", detail=f"{detail} — {origin}")


def catalog_markdown() -> str:
    """The catalogue as a Markdown table (docs/findings.md is generated from this)."""
    lines = [
        "# Finding codes",
        "",
        "Generated from `vnsign.findings.CATALOG` by `python -m vnsign.findings`; a test keeps "
        "this file in step with the code. Codes are stable; wording may improve. `{…}` marks "
        "a value filled in at run time.",
        "",
        "| code | severity | English | Tiếng Việt |",
        "|---|---|---|---|",
    ]
    for code, (severity, vi, en) in CATALOG.items():
        lines.append(f"| `{code}` | {severity.value} | {en} | {vi} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(catalog_markdown())
