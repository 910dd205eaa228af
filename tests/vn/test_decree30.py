"""Tests for vnsign.vn.decree30: Decree 30/2020 fields read from extracted page text.

Each document test compares the whole result (``to_dict()``) with the full expectation, so a
heuristic that starts picking up a wrong field elsewhere fails here too. The synthetic texts
imitate what pdf text extraction really produces: the two header columns interleaved in either
order or glued on one line, blank lines between lines, signature stamp lines in the text layer.
"""

from __future__ import annotations

import json
import random
import time
import unicodedata
from pathlib import Path

import pytest

from vnsign.vn import decree30
from vnsign.vn.decree30 import DocumentFields

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "domain" / "seed-document.txt"


def _seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not available on this machine")
    return SEED.read_text(encoding="utf-8")


def expected(**fields: object) -> dict[str, object]:
    """The full to_dict() of a result: every field absent unless given."""
    base = DocumentFields().to_dict()
    unknown = set(fields) - set(base)
    assert not unknown, unknown
    base.update(fields)
    return base


def parse(*pages: str) -> dict[str, object]:
    return decree30.parse(list(pages)).to_dict()


def lines(*items: str) -> str:
    return "\n".join(items) + "\n"


# ------------------------------------------------------------------------------------------
# The seed document (real text layer, header lost in extraction) and its Công văn header
# ------------------------------------------------------------------------------------------

SEED_CLOSING = dict(
    recipients=["Các phòng, ban, đơn vị sự nghiệp công lập trực thuộc Sở"],
    distribution=["Như trên", "GĐ, các PGĐ Sở", "Lưu: VT, VP"],
    authority_prefix="TL.",
    on_behalf_of="GIÁM ĐỐC",
    signer_title="CHÁNH VĂN PHÒNG",
    signer_name="Bùi Văn Nam",
)

SEED_HEADER = dict(
    issuing_authority="SỞ NỘI VỤ",
    parent_authority="UBND THÀNH PHỐ HẢI PHÒNG",
    number="2971",
    symbol="SNV-VP",
    number_symbol="2971/SNV-VP",
    place="Hải Phòng",
    date="2025-09-25",
    doc_type="Công văn",
    doc_type_code=None,
    subject=(
        "hưởng ứng Ngày hội Đổi mới sáng tạo quốc gia 01-10 và tham gia sự kiện "
        "Techfest Hải Phòng 2025"
    ),
    subject_prefix="V/v",
)

# The same header in the orders text extraction produces.
HEADER_LEFT_THEN_RIGHT = lines(
    "UBND THÀNH PHỐ HẢI PHÒNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "SỞ NỘI VỤ",
    "Độc lập - Tự do - Hạnh phúc",
    "___________",
    "Số: 2971/SNV-VP",
    "Hải Phòng, ngày 25 tháng 9 năm 2025",
    "V/v hưởng ứng Ngày hội Đổi mới sáng tạo",
    "quốc gia 01-10 và tham gia sự kiện",
    "Techfest Hải Phòng 2025",
)
HEADER_RIGHT_FIRST = lines(
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "_______________________________",
    "Hải Phòng, ngày 25 tháng 9 năm 2025",
    "UBND THÀNH PHỐ HẢI PHÒNG",
    "SỞ NỘI VỤ",
    "Số: 2971/SNV-VP",
    "V/v hưởng ứng Ngày hội Đổi mới sáng tạo",
    "quốc gia 01-10 và tham gia sự kiện",
    "Techfest Hải Phòng 2025",
)
HEADER_RIGHT_LINE_FIRST = lines(
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "UBND THÀNH PHỐ HẢI PHÒNG",
    "Độc lập - Tự do - Hạnh phúc",
    "SỞ NỘI VỤ",
    "Hải Phòng, ngày 25 tháng 9 năm 2025",
    "Số: 2971/SNV-VP",
    "V/v hưởng ứng Ngày hội Đổi mới sáng tạo",
    "quốc gia 01-10 và tham gia sự kiện",
    "Techfest Hải Phòng 2025",
)
HEADER_GLUED = lines(
    "UBND THÀNH PHỐ HẢI PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc",
    "Số: 2971/SNV-VP Hải Phòng, ngày 25 tháng 9 năm 2025",
    "V/v hưởng ứng Ngày hội Đổi mới sáng tạo",
    "quốc gia 01-10 và tham gia sự kiện",
    "Techfest Hải Phòng 2025",
)
HEADER_GLUED_RIGHT_FIRST = lines(
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM UBND THÀNH PHỐ HẢI PHÒNG",
    "Độc lập - Tự do - Hạnh phúc SỞ NỘI VỤ",
    "Hải Phòng, ngày 25 tháng 9 năm 2025 Số: 2971/SNV-VP",
    "V/v hưởng ứng Ngày hội Đổi mới sáng tạo",
    "quốc gia 01-10 và tham gia sự kiện",
    "Techfest Hải Phòng 2025",
)


def test_seed_document_without_header() -> None:
    assert parse(_seed_text()) == expected(pages=1, **SEED_CLOSING)


@pytest.mark.parametrize(
    "header",
    [
        HEADER_LEFT_THEN_RIGHT,
        HEADER_RIGHT_FIRST,
        HEADER_RIGHT_LINE_FIRST,
        HEADER_GLUED,
        HEADER_GLUED_RIGHT_FIRST,
    ],
    ids=["left-then-right", "right-block-first", "right-line-first", "glued", "glued-right-first"],
)
def test_seed_document_with_header(header: str) -> None:
    assert parse(header + _seed_text()) == expected(pages=1, **SEED_HEADER, **SEED_CLOSING)


def test_seed_document_with_header_blank_lines_and_pages() -> None:
    # Extraction as in the seed: a blank line after every line, NFD text, and three pages.
    text = unicodedata.normalize("NFD", HEADER_LEFT_THEN_RIGHT.replace("\n", " \n\n"))
    body = _seed_text().splitlines(keepends=True)
    pages = [text + "".join(body[:40]), "".join(body[40:150]), "".join(body[150:])]
    assert parse(*pages) == expected(pages=3, **SEED_HEADER, **SEED_CLOSING)


def test_seed_signer_block_glued_to_distribution_list() -> None:
    # The closing row's columns share baselines: each line carries both columns.
    text = HEADER_LEFT_THEN_RIGHT + lines(
        "Kính gửi: Các phòng, ban, đơn vị sự nghiệp công lập trực thuộc Sở.",
        "Ngày 19/9/2025, Sở Nội vụ nhận được Công văn số 3093/SKHCN-QLCN về",
        "Thừa lệnh Giám đốc Sở, Văn phòng xin thông báo./.",
        "Nơi nhận: TL. GIÁM ĐỐC",
        "- Như trên; CHÁNH VĂN PHÒNG",
        "- GĐ, các PGĐ Sở;",
        "- Lưu: VT, VP. Bùi Văn Nam",
    )
    assert parse(text) == expected(pages=1, **SEED_HEADER, **SEED_CLOSING)


# ------------------------------------------------------------------------------------------
# Typed documents
# ------------------------------------------------------------------------------------------

QUYET_DINH_P1 = lines(
    "ỦY BAN NHÂN DÂN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "THÀNH PHỐ HẢI PHÒNG",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 12/2025/QĐ-UBND",
    "Hải Phòng, ngày 05 tháng 01 năm 2025",
    "QUYẾT ĐỊNH",
    "Ban hành Quy chế phối hợp trong công tác quản lý văn bản điện tử",
    "và chữ ký số trên địa bàn thành phố Hải Phòng",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công",
    "tác văn thư;",
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 20 tháng 12",
    "năm 2024.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp trong công tác quản lý",
    "văn bản điện tử và chữ ký số trên địa bàn thành phố Hải Phòng.",
)
QUYET_DINH_P2 = lines(
    "Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2025.",
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân thành phố, Giám đốc Sở Nội vụ và Thủ trưởng",
    "các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    "Nơi nhận:",
    "TM. ỦY BAN NHÂN DÂN",
    "- Như Điều 3;",
    "KT. CHỦ TỊCH",
    "- Bộ Nội vụ;",
    "PHÓ CHỦ TỊCH",
    "- TTTU, TT HĐND thành phố;",
    "- CT, các PCT UBND thành phố;",
    "- Cổng Thông tin điện tử thành",
    "phố;",
    "- Lưu: VT, NC.",
    "(Đã ký)",
    "Nguyễn Văn Hùng",
)
QUYET_DINH = expected(
    issuing_authority="ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
    number="12",
    symbol="QĐ-UBND",
    number_symbol="12/2025/QĐ-UBND",
    place="Hải Phòng",
    date="2025-01-05",
    doc_type="Quyết định",
    doc_type_code="QĐ",
    subject=(
        "Ban hành Quy chế phối hợp trong công tác quản lý văn bản điện tử và chữ ký số "
        "trên địa bàn thành phố Hải Phòng"
    ),
    distribution=[
        "Như Điều 3",
        "Bộ Nội vụ",
        "TTTU, TT HĐND thành phố",
        "CT, các PCT UBND thành phố",
        "Cổng Thông tin điện tử thành phố",
        "Lưu: VT, NC",
    ],
    # Two authority lines: the first one ("TM.", on whose behalf) is reported, the title is
    # the one under the last authority line.
    authority_prefix="TM.",
    on_behalf_of="ỦY BAN NHÂN DÂN",
    signer_title="PHÓ CHỦ TỊCH",
    signer_name="Nguyễn Văn Hùng",
    pages=2,
)


def test_quyet_dinh_with_year_wrapped_subject_and_tm_kt_block() -> None:
    assert parse(QUYET_DINH_P1, QUYET_DINH_P2) == QUYET_DINH


def test_nfd_input_gives_the_same_nfc_fields() -> None:
    nfd = [unicodedata.normalize("NFD", p) for p in (QUYET_DINH_P1, QUYET_DINH_P2)]
    assert nfd[0] != QUYET_DINH_P1  # the input really is decomposed
    result = parse(*nfd)
    assert result == QUYET_DINH
    for value in result.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                assert unicodedata.is_normalized("NFC", text)


def test_to_tr_inh_head_signs_in_own_name() -> None:
    text = lines(
        "SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 45/TTr-SNV Hải Phòng, ngày 20 tháng 12 năm 2024",
        "TỜ TRÌNH",
        "Về việc ban hành Quy chế phối hợp trong công tác quản lý",
        "văn bản điện tử và chữ ký số",
        "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng.",
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;",
        "Sở Nội vụ kính trình Ủy ban nhân dân thành phố xem xét, quyết định./.",
        "Nơi nhận: GIÁM ĐỐC",
        "- Như trên;",
        "- Lưu: VT, VP.",
        "Trần Thị Mai",
    )
    assert parse(text) == expected(
        issuing_authority="SỞ NỘI VỤ",
        number="45",
        symbol="TTr-SNV",
        number_symbol="45/TTr-SNV",
        place="Hải Phòng",
        date="2024-12-20",
        doc_type="Tờ trình",
        doc_type_code="TTr",
        subject=(
            "Về việc ban hành Quy chế phối hợp trong công tác quản lý văn bản điện tử "
            "và chữ ký số"
        ),
        recipients=["Ủy ban nhân dân thành phố Hải Phòng"],
        distribution=["Như trên", "Lưu: VT, VP"],
        signer_title="GIÁM ĐỐC",
        signer_name="Trần Thị Mai",
        pages=1,
    )


def test_ke_hoach_subject_starting_with_thuc_hien() -> None:
    text = lines(
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG HỒNG BÀNG",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # old tone placement
        "Độc lập – Tự do – Hạnh phúc",  # en dashes
        "Số: 238/KH-UBND",
        "Hồng Bàng, ngày 13 tháng 9 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "về đột phá phát triển khoa học, công nghệ",
        "Thực hiện Kế hoạch số 12-KH/TU ngày 26/8/2025 của Ban Thường vụ Thành ủy, Ủy ban",
        "nhân dân phường ban hành Kế hoạch thực hiện như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Nơi nhận:",
        "- UBND TP. Hải Phòng;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Phạm Quang Huy",
    )
    assert parse(text) == expected(
        issuing_authority="ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG",
        number="238",
        symbol="KH-UBND",
        number_symbol="238/KH-UBND",
        place="Hồng Bàng",
        date="2025-09-13",
        doc_type="Kế hoạch",
        doc_type_code="KH",
        subject=(
            "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị "
            "về đột phá phát triển khoa học, công nghệ"
        ),
        distribution=["UBND TP. Hải Phòng", "Lưu: VT"],
        authority_prefix="TM.",
        on_behalf_of="ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name="Phạm Quang Huy",
        pages=1,
    )


def test_thong_bao_body_starts_right_after_subject() -> None:
    text = lines(
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "VĂN PHÒNG",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 150/TB-VP",
        "Hải Phòng, ngày 22 tháng 9 năm 2025",
        "THÔNG BÁO",
        "Kết luận của Chủ tịch Ủy ban nhân dân thành phố tại cuộc họp",
        "về công tác chuyển đổi số",
        "Ngày 18/9/2025, Chủ tịch Ủy ban nhân dân thành phố chủ trì cuộc họp về",
        "công tác chuyển đổi số. Văn phòng thông báo kết luận như sau:",
        "Nơi nhận:",
        "- Các sở, ban, ngành;",
        "- Lưu: VT, KSTT.",
        "TL. CHỦ TỊCH",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Lê Thị Hồng Nhung",
    )
    assert parse(text) == expected(
        issuing_authority="VĂN PHÒNG",
        parent_authority="UBND THÀNH PHỐ HẢI PHÒNG",
        number="150",
        symbol="TB-VP",
        number_symbol="150/TB-VP",
        place="Hải Phòng",
        date="2025-09-22",
        doc_type="Thông báo",
        doc_type_code="TB",
        subject=(
            "Kết luận của Chủ tịch Ủy ban nhân dân thành phố tại cuộc họp "
            "về công tác chuyển đổi số"
        ),
        distribution=["Các sở, ban, ngành", "Lưu: VT, KSTT"],
        authority_prefix="TL.",
        on_behalf_of="CHỦ TỊCH",
        signer_title="PHÓ CHÁNH VĂN PHÒNG",
        signer_name="Lê Thị Hồng Nhung",
        pages=1,
    )


def test_bao_cao_with_several_recipients_and_tuq() -> None:
    text = lines(
        "BỘ NỘI VỤ",
        "CỤC VĂN THƯ VÀ LƯU TRỮ",
        "NHÀ NƯỚC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 88/BC-VTLTNN",
        "Hà Nội, ngày 30 tháng 6 năm 2025",
        "BÁO CÁO",
        "Kết quả công tác văn thư, lưu trữ 6 tháng đầu năm 2025",
        "Kính gửi:",
        "- Bộ trưởng Bộ Nội vụ;",
        "- Văn phòng Chính phủ;",
        "- Ủy ban nhân dân các tỉnh, thành phố trực thuộc",
        "trung ương.",
        "Cục Văn thư và Lưu trữ nhà nước báo cáo kết quả công tác như sau:",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, VP.",
        "TUQ. BỘ TRƯỞNG",
        "CỤC TRƯỞNG",
        "Đặng Thanh Tùng",
    )
    assert parse(text) == expected(
        issuing_authority="CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC",
        parent_authority="BỘ NỘI VỤ",
        number="88",
        symbol="BC-VTLTNN",
        number_symbol="88/BC-VTLTNN",
        place="Hà Nội",
        date="2025-06-30",
        doc_type="Báo cáo",
        doc_type_code="BC",
        subject="Kết quả công tác văn thư, lưu trữ 6 tháng đầu năm 2025",
        recipients=[
            "Bộ trưởng Bộ Nội vụ",
            "Văn phòng Chính phủ",
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
        ],
        distribution=["Như trên", "Lưu: VT, VP"],
        authority_prefix="TUQ.",
        on_behalf_of="BỘ TRƯỞNG",
        signer_title="CỤC TRƯỞNG",
        signer_name="Đặng Thanh Tùng",
        pages=1,
    )


def test_cong_van_several_recipients_and_acting_head() -> None:
    text = lines(
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ TÀI CHÍNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 1503 / STC - NS",  # odd spacing in the symbol
        "Quảng Ngãi, ngày  7  tháng  3  năm  2025",  # and in the date, without the zero
        "V/v hướng dẫn lập dự toán",
        "ngân sách năm 2026",
        "Kính gửi:",
        "- Các sở, ban, ngành tỉnh;",
        "- Ủy ban nhân dân các huyện, thành phố.",
        "Thực hiện Luật Ngân sách nhà nước, Sở Tài chính hướng dẫn như sau:",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, NS.",
        "Q. GIÁM ĐỐC",
        "Võ Minh Tâm",
    )
    assert parse(text) == expected(
        issuing_authority="SỞ TÀI CHÍNH",
        parent_authority="UBND TỈNH QUẢNG NGÃI",
        number="1503",
        symbol="STC-NS",
        number_symbol="1503/STC-NS",
        place="Quảng Ngãi",
        date="2025-03-07",
        doc_type="Công văn",
        subject="hướng dẫn lập dự toán ngân sách năm 2026",
        subject_prefix="V/v",
        recipients=["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thành phố"],
        distribution=["Như trên", "Lưu: VT, NS"],
        authority_prefix="Q.",
        on_behalf_of="GIÁM ĐỐC",
        signer_name="Võ Minh Tâm",
        pages=1,
    )


# ------------------------------------------------------------------------------------------
# Urgency and confidentiality marks, copies
# ------------------------------------------------------------------------------------------

MARKED_BODY = lines(
    "Kính gửi: Ủy ban nhân dân các xã, phường.",
    "Đề nghị các đơn vị khẩn trương triển khai; trường hợp KHẨN CẤP báo cáo ngay.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Hoàng Văn Bình",
)
MARKED = dict(
    issuing_authority="SỞ NỘI VỤ",
    number="15",
    symbol="SNV-VP",
    number_symbol="15/SNV-VP",
    place="Hải Phòng",
    date="2025-10-02",
    doc_type="Công văn",
    subject="phòng chống bão số 10",
    subject_prefix="V/v",
    recipients=["Ủy ban nhân dân các xã, phường"],
    distribution=["Như trên", "Lưu: VT"],
    authority_prefix="KT.",
    on_behalf_of="GIÁM ĐỐC",
    signer_title="PHÓ GIÁM ĐỐC",
    signer_name="Hoàng Văn Bình",
    pages=1,
)


def test_standalone_urgency_and_confidentiality_lines() -> None:
    text = lines(
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 15/SNV-VP",
        "Độc lập - Tự do - Hạnh phúc",
        "V/v phòng chống bão số 10",
        "Hải Phòng, ngày 02 tháng 10 năm 2025",
        "KHẨN",
        "MẬT",
    ) + MARKED_BODY
    assert parse(text) == expected(**MARKED, urgency="KHẨN", confidentiality="MẬT")


def test_marks_glued_to_header_lines_and_old_spelling() -> None:
    text = lines(
        "HOẢ TỐC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc",
        "Số: 15/SNV-VP TỐI MẬT",
        "Hải Phòng, ngày 02 tháng 10 năm 2025",
        "V/v phòng chống bão số 10",
    ) + MARKED_BODY
    assert parse(text) == expected(**MARKED, urgency="HỎA TỐC", confidentiality="TỐI MẬT")


def test_thuong_khan_and_marks_outside_the_header_are_ignored() -> None:
    text = lines(
        "SỞ NỘI VỤ",
        "THƯỢNG KHẨN",
        "Số: 15/SNV-VP",
        "Hải Phòng, ngày 02 tháng 10 năm 2025",
        "V/v phòng chống bão số 10",
    ) + MARKED_BODY.replace("Nơi nhận:", "MẬT\nKHẨN\nNơi nhận:")
    assert parse(text) == expected(**MARKED, urgency="THƯỢNG KHẨN")


def test_no_mark_from_words_that_contain_it() -> None:
    text = lines(
        "BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN KHẨN CẤP",
        "PHÒNG BẢO VỆ BÍ MẬT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 15/SNV-VP",
        "Hải Phòng, ngày 02 tháng 10 năm 2025",
        "V/v phòng chống bão số 10",
    ) + MARKED_BODY
    result = parse(text)
    assert result == expected(
        **{
            **MARKED,
            "issuing_authority": "PHÒNG BẢO VỆ BÍ MẬT",
            "parent_authority": "BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN KHẨN CẤP",
        }
    )


def test_electronic_copy_sao_y_stamp_at_top_right() -> None:
    text = lines(
        "SAO Y",
        "SỞ NỘI VỤ",
        "2025-09-26T08:15:00+07:00",
        HEADER_LEFT_THEN_RIGHT,
    ) + _seed_text()
    assert parse(text) == expected(copy_form="SAO Y", pages=1, **SEED_HEADER, **SEED_CLOSING)


def test_electronic_copy_stamp_glued_and_without_time() -> None:
    text = "SAO LỤC SỞ NỘI VỤ\n" + HEADER_RIGHT_FIRST + _seed_text()
    assert parse(text) == expected(copy_form="SAO LỤC", pages=1, **SEED_HEADER, **SEED_CLOSING)


def test_paper_copy_trich_sao_at_the_end() -> None:
    text = HEADER_LEFT_THEN_RIGHT + _seed_text() + lines("TRÍCH SAO", "SỞ NỘI VỤ")
    assert parse(text) == expected(
        copy_form="TRÍCH SAO", pages=1, **SEED_HEADER, **SEED_CLOSING
    )


# ------------------------------------------------------------------------------------------
# Image-only headers, odd inputs
# ------------------------------------------------------------------------------------------


def test_image_only_header_body_date_is_not_the_document_date() -> None:
    text = lines(
        "Ngày 25 tháng 9 năm 2025, Sở Nội vụ tổ chức hội nghị tổng kết công tác văn thư.",
        "Sở Nội vụ thông báo kết quả hội nghị như sau:",
        "1. Các đơn vị hoàn thành việc số hóa hồ sơ trước ngày 31 tháng 12 năm 2025.",
        "Nơi nhận:",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT.",
        "GIÁM ĐỐC",
        "Phạm Văn Long",
    )
    assert parse(text) == expected(
        distribution=["Các phòng, đơn vị thuộc Sở", "Lưu: VT"],
        signer_title="GIÁM ĐỐC",
        signer_name="Phạm Văn Long",
        pages=1,
    )


def test_image_only_header_type_line_still_read() -> None:
    # The header table is an image, the type line and subject under it are text.
    text = QUYET_DINH_P1.split("QUYẾT ĐỊNH\n", 1)[1]
    assert parse("QUYẾT ĐỊNH\n" + text, QUYET_DINH_P2) == {
        **QUYET_DINH,
        **{k: None for k in ("issuing_authority", "number", "symbol", "number_symbol")},
        **{"place": None, "date": None, "doc_type_code": None},
    }


def test_signer_without_noi_nhan_and_without_name() -> None:
    # No "Nơi nhận" at all: the signer block is looked for at the end of the last page.
    assert parse("Nội dung văn bản./.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nLê Văn Tám\n") == expected(
        authority_prefix="KT.",
        on_behalf_of="GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Lê Văn Tám",
        pages=1,
    )
    # A signature image instead of the name text: prefix and title only.
    assert parse("Nơi nhận:\n- Lưu: VT.\nTL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n") == expected(
        distribution=["Lưu: VT"],
        authority_prefix="TL.",
        on_behalf_of="GIÁM ĐỐC",
        signer_title="CHÁNH VĂN PHÒNG",
        pages=1,
    )


@pytest.mark.parametrize(
    "pages",
    [
        [],
        [""],
        ["", "   \n\t\n"],
        ["\x00\x01\x02\ufeff\u200b"],
        ["Số:"],
        ["Số: ...... /………."],
        ["Kính gửi:"],
        ["Nơi nhận:"],
        ["Nơi nhận: - ; - ."],
        ["ngày 31 tháng 2 năm 2025"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nngày 99 tháng 99 năm 99999"],
        ["QUYẾT ĐỊNH"],
        ["V/v"],
        ["TM."],
        ["\ud800 lone surrogate \udfff"],
        ["\u0301\u0301 Số: \u0301/\u0301"],
    ],
)
def test_garbage_never_raises(pages: list[str]) -> None:
    result = decree30.parse(pages)
    assert isinstance(result, DocumentFields)
    json.dumps(result.to_dict())
    assert result.pages == (len(pages) or None)


def test_empty_and_trivial_inputs_give_nothing() -> None:
    assert decree30.parse([]).to_dict() == expected()
    assert parse("") == expected(pages=1)
    assert parse("Số: ...... /………. ngày 31 tháng 2 năm 2025") == expected(pages=1)


def test_a_bare_string_is_one_page() -> None:
    assert decree30.parse(HEADER_GLUED + "Nơi nhận:\n- Lưu: VT.") == decree30.parse(
        [HEADER_GLUED + "Nơi nhận:\n- Lưu: VT."]
    )


def test_huge_input_is_fast() -> None:
    rng = random.Random(7)
    words = ["Số:", "Kính gửi:", "Nơi nhận:", "- Như trên;", "KHẨN", "ngày", "tháng", "năm",
             "TL.", "GIÁM ĐỐC", "Bùi Văn Nam", "V/v", "12/2025/QĐ-UBND", "<a@b>", ";", "."]
    body = "\n".join(" ".join(rng.choices(words, k=12)) for _ in range(40_000))
    one_line = "Số: " + "1/" * 200_000 + " Nơi nhận: " + "- a; " * 100_000
    # CPU time, not wall time: a guard against catastrophic backtracking, not a
    # benchmark, and it must not fail on a busy machine.
    start = time.process_time()
    decree30.parse([HEADER_GLUED + body, one_line, "x" * 2_000_000])
    decree30.parse([one_line])
    assert time.process_time() - start < 10


def test_result_is_frozen_and_json_ready() -> None:
    result = decree30.parse([QUYET_DINH_P1, QUYET_DINH_P2])
    with pytest.raises(AttributeError):
        result.number = "13"  # type: ignore[misc]
    data = result.to_dict()
    assert list(data) == [
        "issuing_authority", "parent_authority", "number", "symbol", "number_symbol", "place",
        "date", "doc_type", "doc_type_code", "subject", "subject_prefix", "recipients",
        "distribution", "authority_prefix", "on_behalf_of", "signer_title", "signer_name",
        "urgency", "confidentiality", "copy_form", "pages",
    ]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_two_signers_side_by_side_are_not_paired() -> None:
    # Minutes and joint documents: two signers share the closing row; flat text cannot say
    # which name goes with which title, so nothing is reported for the signer.
    minutes = "Cuộc họp kết thúc vào 11 giờ cùng ngày./.\nTHƯ KÝ CHỦ TỌA\n(Đã ký)\n"
    assert parse(minutes + "Nguyễn Văn An Trần Văn Bình\n") == expected(pages=1)
    joint = "Nơi nhận:\n- Lưu: VT.\nKT. BỘ TRƯỞNG BỘ TÀI CHÍNH KT. BỘ TRƯỞNG BỘ NỘI VỤ\n"
    assert parse(joint + "THỨ TRƯỞNG THỨ TRƯỞNG\nLê Văn An Trần Văn Bình\n") == expected(
        distribution=["Lưu: VT"], pages=1
    )


def test_body_sentences_are_not_recipients_or_distribution() -> None:
    text = lines(
        "Kính gửi quý cơ quan lời chào trân trọng.",
        "Nơi nhận hồ sơ: Bộ phận Một cửa, số 1 Hoàng Văn Thụ;",
        "- nộp trực tiếp hoặc qua bưu điện;",
        "GIÁM ĐỐC",
        "Phạm Văn Long",
    )
    assert parse(text) == expected(signer_title="GIÁM ĐỐC", signer_name="Phạm Văn Long", pages=1)


def test_party_document_header() -> None:
    text = lines(
        "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM",
        "*",
        "Số 57-NQ/TW Hà Nội, ngày 22 tháng 12 năm 2024",
        "NGHỊ QUYẾT",
        "CỦA BỘ CHÍNH TRỊ",
    )
    assert parse(text) == expected(
        issuing_authority="BAN CHẤP HÀNH TRUNG ƯƠNG",
        number="57",
        symbol="NQ/TW",
        number_symbol="57-NQ/TW",
        place="Hà Nội",
        date="2024-12-22",
        doc_type="Nghị quyết",
        doc_type_code="NQ",
        pages=1,
    )


# ------------------------------------------------------------------------------------------
# Robustness: mutated real documents and arbitrary text never raise and stay NFC
# ------------------------------------------------------------------------------------------


def _strings(result: DocumentFields) -> list[str]:
    out: list[str] = []
    for value in result.to_dict().values():
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(value)
    return out


def _check_invariants(pages: list[str]) -> DocumentFields:
    result = decree30.parse(pages)
    for text in _strings(result):
        assert text and text == text.strip()
        assert unicodedata.is_normalized("NFC", text)
    assert result.pages == (len(pages) or None)
    assert result.date is None or len(result.date) == 10
    json.dumps(result.to_dict())
    # NFD and NFC spellings of the same text are the same document.
    assert decree30.parse([unicodedata.normalize("NFD", p) for p in pages]) == result
    return result


def test_mutated_documents_never_raise() -> None:
    # Always runs (hypothesis is optional): seeded line-level mutations of the test documents,
    # which reach much deeper into the heuristics than random characters do.
    rng = random.Random(20250925)
    docs = [
        HEADER_LEFT_THEN_RIGHT + MARKED_BODY,
        HEADER_GLUED_RIGHT_FIRST + MARKED_BODY,
        QUYET_DINH_P1 + QUYET_DINH_P2,
    ]
    noise = ["", "KHẨN", "Số:", "V/v", "Nơi nhận:", "TL.", "- ;", "ngày 1 tháng 1 năm 2000",
             "\u0301", "2025-01-01T00:00:00Z", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    for _ in range(600):
        src = rng.choice(docs).splitlines()
        for _ in range(rng.randint(1, 6)):
            op = rng.randrange(4)
            i = rng.randrange(len(src))
            if op == 0:
                del src[i]
            elif op == 1:
                src.insert(i, rng.choice(noise))
            elif op == 2:
                j = rng.randrange(len(src))
                src[i], src[j] = src[j], src[i]
            else:
                cut = rng.randrange(len(src[i]) + 1)
                src[i] = src[i][:cut] + rng.choice(noise) + src[i][cut:]
        text = "\n".join(src)
        cut = rng.randrange(len(text) + 1)
        _check_invariants([text[:cut], text[cut:]] if rng.random() < 0.3 else [text])


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # not in the project's test extras yet: skip this one test only
    given = None

FRAGMENTS = [
    "Số:", "Số: 12/2025/QĐ-UBND", "V/v", "Kính gửi:", "Nơi nhận:", "- ", ";", ".", ",",
    "ngày 05 tháng 01 năm 2025", "Hải Phòng,", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "QUYẾT ĐỊNH", "TỜ TRÌNH", "TM.", "KT.", "TL.", "TUQ.", "Q.",
    "GIÁM ĐỐC", "Bùi Văn Nam", "KHẨN", "MẬT", "HỎA TỐC", "SAO Y", "Lưu:", "UBND", "SỞ NỘI VỤ",
    "2025-09-25T15:56:11+0700", "Việt Nam", "<a@b.vn> đã ký lên văn bản này!", "\n", "\n\n",
    "\t", " ", "\u0301", "e\u0301", "\u200b", "\r\n", "\x0c", "Căn cứ", "(Đã ký)", "THÀNH PHỐ",
]

if given is not None:
    vietnamese_ish = st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60
    ).map("".join)
    page_text = st.one_of(st.text(max_size=300), vietnamese_ish)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(page_text, max_size=4))
    def test_property_any_text_parses_to_nfc(pages: list[str]) -> None:
        _check_invariants(pages)

else:

    def test_property_any_text_parses_to_nfc() -> None:
        pytest.skip("hypothesis is not installed")


# ------------------------------------------------------------------------------------------
# Layouts met in the metadata corpus (tests/fixtures/metadata): each one in isolation
# ------------------------------------------------------------------------------------------

CLOSING_KT = lines(
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Hoàng Văn Bình",
)
CLOSING_KT_FIELDS = dict(
    distribution=["Như trên", "Lưu: VT"],
    authority_prefix="KT.",
    on_behalf_of="GIÁM ĐỐC",
    signer_title="PHÓ GIÁM ĐỐC",
    signer_name="Hoàng Văn Bình",
    pages=1,
)


def test_underscore_rules_glued_to_header_and_subject_lines() -> None:
    # Word users type the rules as underscores; extraction glues them to the line above.
    text = lines(
        "BỘ TÀI CHÍNH____________",
        "Số: 56/2025/TT-BTC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc___________________",
        "Hà Nội, ngày 30 tháng 6 năm 2025",
        "THÔNG TƯ",
        "Hướng dẫn quản lý, sử dụng kinh phí thực hiện chuyển đổi số",
        "trong các cơ quan hành chính nhà nước_____________",
        "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
    ) + CLOSING_KT
    assert parse(text) == expected(
        issuing_authority="BỘ TÀI CHÍNH",
        number="56",
        symbol="TT-BTC",
        number_symbol="56/2025/TT-BTC",
        place="Hà Nội",
        date="2025-06-30",
        doc_type="Thông tư",
        doc_type_code="TT",
        subject=(
            "Hướng dẫn quản lý, sử dụng kinh phí thực hiện chuyển đổi số "
            "trong các cơ quan hành chính nhà nước"
        ),
        **CLOSING_KT_FIELDS,
    )


def test_vv_line_keeps_its_comma_and_long_agency_name_wraps() -> None:
    text = lines(
        "BỘ CÔNG AN",
        "CỤC AN NINH MẠNG VÀ PHÒNG, CHỐNG",
        "TỘI PHẠM SỬ DỤNG",
        "CÔNG NGHỆ CAO",
        "Số: 1520/A05-P2",
        "V/v bảo đảm an ninh,",
        "trật tự dịp Quốc khánh",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 19 tháng 5 năm 2025",
        "Kính gửi: Công an các tỉnh, thành phố.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, A05.",
        "KT. CỤC TRƯỞNG",
        "PHÓ CỤC TRƯỞNG",
        "Đại tá Trịnh Văn Quyết",
    )
    assert parse(text) == expected(
        issuing_authority="CỤC AN NINH MẠNG VÀ PHÒNG, CHỐNG TỘI PHẠM SỬ DỤNG CÔNG NGHỆ CAO",
        parent_authority="BỘ CÔNG AN",
        number="1520",
        symbol="A05-P2",
        number_symbol="1520/A05-P2",
        place="Hà Nội",
        date="2025-05-19",
        doc_type="Công văn",
        subject="bảo đảm an ninh, trật tự dịp Quốc khánh",
        subject_prefix="V/v",
        recipients=["Công an các tỉnh, thành phố"],
        distribution=["Như trên", "Lưu: VT, A05"],
        authority_prefix="KT.",
        on_behalf_of="CỤC TRƯỞNG",
        signer_title="PHÓ CỤC TRƯỞNG",
        signer_name="Trịnh Văn Quyết",  # the rank is printed, but it is not the name
        pages=1,
    )


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("PGS.TS. Trần Văn Lý", "Trần Văn Lý"),
        ("TS Nguyễn Thị Hoa", "Nguyễn Thị Hoa"),
        ("Thiếu tướng Lê Văn Minh", "Lê Văn Minh"),
        ("Siu H'Lan", "Siu H'Lan"),
        ("H’Yim Kđoh", "H’Yim Kđoh"),
        ("Trung Văn Tá", "Trung Văn Tá"),  # a given name, not the rank "Trung tá"
    ],
)
def test_signer_name_titles_and_apostrophes(printed: str, name: str) -> None:
    text = CLOSING_KT.replace("Hoàng Văn Bình", printed)
    assert parse(text) == expected(**{**CLOSING_KT_FIELDS, "signer_name": name})


def test_cong_dien_recipients_follow_dien() -> None:
    text = lines(
        "CÔNG ĐIỆN",
        "Về việc chủ động ứng phó với bão số 12",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:",
        "- Giám đốc các Sở: Xây dựng, Công Thương;",
        "- Chủ tịch UBND các xã, phường, đặc khu;",
        "- Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh.",
        "Theo thông tin từ Trung tâm Dự báo khí tượng thủy văn quốc gia, bão số 12 đang mạnh lên.",
    ) + CLOSING_KT
    result = parse(text)
    assert result["subject"] == "Về việc chủ động ứng phó với bão số 12"
    assert result["recipients"] == [
        "Giám đốc các Sở: Xây dựng, Công Thương",
        "Chủ tịch UBND các xã, phường, đặc khu",
        "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
    ]
    # Lower-case text before "điện:" is a sentence, not the dispatch's addressee line.
    assert parse("Sở đã nhận được công điện: số 12 của Bộ.\n")["recipients"] == []


def test_distribution_item_wrapped_onto_a_capitalised_line_and_glued_noise() -> None:
    # Shared baselines: "(Đã ký)" of the right column lands after an item's ";".
    text = lines(
        "Nơi nhận: KT. BỘ TRƯỞNG",
        "- Như Điều 3; THỨ TRƯỞNG",
        "- Cổng thông tin điện tử",
        "Bộ Tài chính;",
        "- Công an tỉnh; (Đã ký)",
        "- Lưu: VT, QLCS. Phạm Đình Thành",
    )
    assert parse(text) == expected(
        distribution=[
            "Như Điều 3", "Cổng thông tin điện tử Bộ Tài chính", "Công an tỉnh", "Lưu: VT, QLCS"
        ],
        authority_prefix="KT.",
        on_behalf_of="BỘ TRƯỞNG",
        signer_title="THỨ TRƯỞNG",
        signer_name="Phạm Đình Thành",
        pages=1,
    )


def test_minutes_chair_column_drawn_as_cells() -> None:
    # Each signer column a table cell: title and name stay together, the chair signs.
    text = lines(
        "Cuộc họp kết thúc vào 11 giờ 30 phút cùng ngày./.",
        "THƯ KÝ",
        "Lê Thị Thu Trang",
        "CHỦ TỌA",
        "Nguyễn Văn Phúc",
        "Nơi nhận:",
        "- Thành viên Hội đồng;",
        "- Lưu: VT, Hồ sơ.",
    )
    assert parse(text) == expected(
        distribution=["Thành viên Hội đồng", "Lưu: VT, Hồ sơ"],
        signer_title="CHỦ TỌA",
        signer_name="Nguyễn Văn Phúc",
        pages=1,
    )


def test_place_and_date_wrapped_in_a_narrow_cell() -> None:
    text = lines(
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG SÀI GÒN",
        "Số: 45/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thành phố Hồ Chí Minh, ngày 12 tháng 8 năm",
        "2025",
        "KẾ HOẠCH",
        "Tổ chức các hoạt động kỷ niệm 80 năm Cách mạng tháng Tám",
    )
    result = parse(text)
    assert (result["place"], result["date"]) == ("Thành phố Hồ Chí Minh", "2025-08-12")
    assert result["issuing_authority"] == "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN"
    assert result["subject"] == "Tổ chức các hoạt động kỷ niệm 80 năm Cách mạng tháng Tám"


def test_body_paragraph_right_under_the_subject_is_not_subject() -> None:
    text = lines(
        "SỞ XÂY DỰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 88/TB-SXD Quảng Trị, ngày 12 tháng 11 năm 2025",
        "THÔNG BÁO",
        "Về việc tạm dừng lưu thông qua cầu Hiền Lương cũ",
        "để sửa chữa, gia cố sau mưa lũ",
        "Do ảnh hưởng của mưa lũ kéo dài, một số kết cấu của cầu Hiền Lương",
        "cũ bị hư hỏng, không bảo đảm an toàn cho người và phương tiện.",
    )
    assert parse(text)["subject"] == (
        "Về việc tạm dừng lưu thông qua cầu Hiền Lương cũ để sửa chữa, gia cố sau mưa lũ"
    )


def test_page_footer_extracted_before_the_header() -> None:
    # Some word processors draw the page footer (the agency's address) first.
    text = lines(
        "Địa chỉ: Số 5 Lý Văn Lâm, phường An Xuyên, tỉnh Cà Mau",
        "Số 5 Lý Văn Lâm, Điện thoại: 0290.3831234",
        "UBND TỈNH CÀ MAU",
        "SỞ TƯ PHÁP",
        "Số: 125 /STP-HCTP",
        "V/v cấp Phiếu lý lịch tư pháp",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Cà Mau, ngày 07 tháng 10 năm 2025",
    )
    result = parse(text)
    assert (result["issuing_authority"], result["parent_authority"]) == (
        "SỞ TƯ PHÁP", "UBND TỈNH CÀ MAU"
    )
    assert result["number_symbol"] == "125/STP-HCTP"  # not the street number


def test_street_number_is_not_the_document_number() -> None:
    text = lines(
        "TRƯỜNG ĐẠI HỌC BÁCH KHOA",
        "Số 54 Nguyễn Lương Bằng, Đà Nẵng",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "QUY CHẾ",
        "Quản lý, sử dụng chữ ký số",
    )
    result = parse(text)
    assert (result["number"], result["number_symbol"]) == (None, None)
    assert result["issuing_authority"] == "TRƯỜNG ĐẠI HỌC BÁCH KHOA"


# ------------------------------------------------------------------------------------------
# Real layouts (issue 12): capital subjects, notes on the type line, Công báo headings,
# bundles, closings without "Nơi nhận:", wrapped lists
# ------------------------------------------------------------------------------------------

BTC_HEADER = lines(
    "BỘ TÀI CHÍNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số: 99/2025/TT-BTC", "Hà Nội, ngày 27 tháng 10 năm 2025",
)
BTC_CLOSING = lines(
    "Nơi nhận:", "- Văn phòng Chính phủ;", "- Lưu: VT, CĐKT.",
    "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Đức Tâm",
)


def test_subject_in_capitals_under_the_type_line() -> None:
    result = parse(BTC_HEADER + lines(
        "THÔNG TƯ", "BAN HÀNH QUY ĐỊNH VỀ TIÊU CHUẨN ĐÁNH GIÁ CHẤT LƯỢNG CHƯƠNG",
        "TRÌNH ĐÀO TẠO CÁC TRÌNH ĐỘ CỦA GIÁO DỤC ĐẠI HỌC",
        "Căn cứ Luật Giáo dục đại học ngày 18 tháng 6 năm 2012;",
    ) + BTC_CLOSING)
    assert result["doc_type"] == "Thông tư"
    assert result["subject"] == ("BAN HÀNH QUY ĐỊNH VỀ TIÊU CHUẨN ĐÁNH GIÁ CHẤT LƯỢNG CHƯƠNG "
                                 "TRÌNH ĐÀO TẠO CÁC TRÌNH ĐỘ CỦA GIÁO DỤC ĐẠI HỌC")


def test_authority_line_in_capitals_is_no_subject() -> None:
    result = parse(BTC_HEADER + lines(
        "QUYẾT ĐỊNH", "BỘ TRƯỞNG BỘ TÀI CHÍNH", "Căn cứ Luật Kế toán ngày 20 tháng 11 năm 2015;",
    ) + BTC_CLOSING)
    assert result["doc_type"] == "Quyết định"
    assert result["subject"] is None


def test_footnote_marker_on_the_type_line() -> None:
    result = parse(BTC_HEADER + lines("NGHỊ ĐỊNH[1]", "Quy định về hóa đơn, chứng từ")
                   + BTC_CLOSING)
    assert (result["doc_type"], result["subject"]) == ("Nghị định", "Quy định về hóa đơn, chứng từ")


def test_cong_bao_section_heading_is_no_parent_agency() -> None:
    """A Công báo copy prints the section heading above the document's own header."""
    result = parse(lines("BỘ TÀI CHÍNH") + BTC_HEADER + lines("THÔNG TƯ", "Hướng dẫn kế toán")
                   + BTC_CLOSING)
    assert (result["issuing_authority"], result["parent_authority"]) == ("BỘ TÀI CHÍNH", None)


def test_bundle_fields_are_the_first_documents() -> None:
    """A letter followed by its attachment, which has a "Nơi nhận:" and a signer of its own."""
    attachment = lines(
        "DỰ THẢO", "QUYẾT ĐỊNH", "Về việc ban hành quy chế", "Nơi nhận:", "- Các sở, ngành;",
        "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Khánh",
    )
    result = parse(BTC_HEADER + lines("THÔNG TƯ", "Hướng dẫn kế toán") + BTC_CLOSING, attachment)
    assert result["distribution"] == ["Văn phòng Chính phủ", "Lưu: VT, CĐKT"]
    assert (result["authority_prefix"], result["signer_name"]) == ("KT.", "Nguyễn Đức Tâm")


def test_signer_mid_file_without_noi_nhan() -> None:
    """Công báo copies have no "Nơi nhận:"; the signature comes before the appendices."""
    appendix = lines("Phụ lục I", "DANH MỤC TÀI KHOẢN", "Số hiệu tài khoản", "Tên tài khoản")
    result = parse(BTC_HEADER + lines("THÔNG TƯ", "Hướng dẫn kế toán", "Điều 1. Phạm vi."),
                   lines("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Đức Tâm"), appendix)
    assert (result["authority_prefix"], result["on_behalf_of"], result["signer_title"],
            result["signer_name"]) == ("KT.", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Đức Tâm")
    assert result["distribution"] == []


def test_subject_broken_at_a_symbols_hyphen() -> None:
    result = parse(lines(
        "UBND TỈNH LÂM ĐỒNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Số: 2601/SVHTTDL-QLTDTT",
        "V/v phúc đáp Công văn số 3183/SNV-", "TCBC ngày 26/11/2025 của Sở Nội vụ về",
        "việc giai đoạn 2021 -", "2025", "Kính gửi: Sở Nội vụ",
    ))
    assert result["subject"] == ("phúc đáp Công văn số 3183/SNV-TCBC ngày 26/11/2025 của Sở Nội vụ "
                                 "về việc giai đoạn 2021 - 2025")


def test_recipient_wrapping_after_a_comma_and_items_after_a_full_stop() -> None:
    result = parse(lines(
        "VĂN PHÒNG CHÍNH PHỦ", "Số: 2003/CĐ-VPCP", "CÔNG ĐIỆN", "mời dự Hội nghị",
        "VĂN PHÒNG CHÍNH PHỦ điện:",
        "- Các Bộ: Công an, Quốc phòng,", "Tài chính, Xây dựng;",
        "- Các tổ chức chính trị - xã hội: Trung ương", "Hội Nông dân Việt Nam.",
        "- Chủ tịch Ủy ban nhân dân các tỉnh.",
        "Thực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ,",
    ))
    assert result["recipients"] == [
        "Các Bộ: Công an, Quốc phòng, Tài chính, Xây dựng",
        "Các tổ chức chính trị - xã hội: Trung ương Hội Nông dân Việt Nam",
        "Chủ tịch Ủy ban nhân dân các tỉnh",
    ]


def test_distribution_item_with_parts_and_a_note_after_luu() -> None:
    result = parse(lines(
        "Nơi nhận:", "- Như trên;", "KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM",
        "- VPCP: BTCN, PCN Đỗ Ngọc Huỳnh;", "Trợ lý, Thư ký của: TTg;", "các Vụ, Cục: KGVX;",
        "- Lưu: VT, TH(2). H", "Đỗ Ngọc Huỳnh",
        "Số điện thoại liên hệ tài liệu, nội dung Hội nghị: 0902231985;",
    ))
    assert result["distribution"] == [
        "Như trên", "VPCP: BTCN, PCN Đỗ Ngọc Huỳnh; Trợ lý, Thư ký của: TTg; các Vụ, Cục: KGVX",
        "Lưu: VT, TH(2). H",
    ]
    assert (result["signer_title"], result["signer_name"]) == ("PHÓ CHỦ NHIỆM", "Đỗ Ngọc Huỳnh")


def test_a_page_number_between_title_and_name() -> None:
    result = parse(lines("Nơi nhận:", "- Lưu: VT.", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "1",
                         "Nguyễn Văn Hồi"))
    assert result["signer_name"] == "Nguyễn Văn Hồi"


def test_scan_reads_keep_what_is_printed_when_handwriting_is_misread() -> None:
    """OCR of a scan: the handwritten number and day are misread ("2X", "ngày99"), a stamp
    broke the number line ("TB-VPCP" alone), the slash is lost ("409 BCA-C04"). The printed
    parts (symbol, type code, place) are read; what was not legible stays null."""
    got = parse(lines(
        "BỘ CÔNG AN",
        "CÔNG AN TỈNH LÂM ĐỒNG",
        "Số: 2X /TTr-CAT-PC06",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày99 tháng 10 năm 2025",
        "TỜ TRÌNH",
        "Đề nghị ban hành Báo cáo kết quả",
        "Kính gửi: Lãnh đạo UBND tỉnh Lâm Đồng.",
    ))
    assert (got["number"], got["symbol"], got["doc_type_code"]) == (None, "TTr-CAT-PC06", "TTr")
    assert (got["place"], got["date"]) == ("Lâm Đồng", None)
    assert got["parent_authority"] == "BỘ CÔNG AN"
    got = parse(lines(
        "VĂN PHÒNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TB-VPCP",
        "Hà Nội, ngày 01 tháng năm 2024",
        "THÔNG BÁO",
        "Kết luận của Phó Thủ tướng",
    ))
    assert (got["issuing_authority"], got["place"], got["date"]) == (
        "VĂN PHÒNG CHÍNH PHỦ", "Hà Nội", None)
    got = parse(lines(
        "BỘ CÔNG AN",
        "Số: 409 BCA-C04",
        "V/v tham gia ý kiến",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 01 tháng 10 năm 2025",
    ))
    assert (got["number"], got["symbol"], got["number_symbol"]) == ("409", "BCA-C04", "409/BCA-C04")
    assert (got["place"], got["date"]) == ("Hà Nội", "2025-10-01")


def test_a_lone_name_beside_the_list_is_the_signer() -> None:
    """OCR of a scan whose seal hides the authority and title lines: the name alone stands
    beside the "Nơi nhận:" list. It is the signer; prefix and title stay unread."""
    got = parse(lines(
        "Điều 3. Các bộ trưởng chịu trách nhiệm thi hành Nghị định này.",
        "Nơi nhận:",
        "- Ban Bí thư Trung ương Đảng;",
        "- Văn phòng Quốc hội;",
        "Phạm Minh Chính",
        "- Lưu: VT, KSTT.",
    ))
    assert got["signer_name"] == "Phạm Minh Chính"
    assert (got["authority_prefix"], got["signer_title"]) == (None, None)
    assert got["distribution"] == [
        "Ban Bí thư Trung ương Đảng", "Văn phòng Quốc hội", "Lưu: VT, KSTT"]
    # Two names there (two signers, or a name in the list): nobody is reported.
    two = parse(lines("Nơi nhận:", "- Như trên;", "Phạm Minh Chính", "Trần Hồng Hà", "- Lưu: VT."))
    assert two["signer_name"] is None


def test_invisible_characters_go_as_a_translate_table_would_remove_them() -> None:
    """The pattern that strips zero-width characters and soft hyphens removes exactly what the
    plain ``str.translate`` deletion table of the same characters removes."""
    from vnsign.vn.decree30.lexicon import INVISIBLE_RE

    invisible = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
    table = dict.fromkeys(map(ord, invisible), None)
    rng = random.Random(30)
    alphabet = invisible + "aĐ ễ\n-_\u0301\u2061\u200e"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert INVISIBLE_RE.sub("", text) == text.translate(table)
