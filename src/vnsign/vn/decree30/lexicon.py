"""The vocabulary of Decree 30/2020 documents: reference tables, compiled patterns and the
small text predicates the header and closing readers share.

Everything here is data or a pure function of one string; the patterns are compiled once at
import (the parser runs once per document, often in batches). The header and the closing read
the same kinds of lines (capital agency names, bullets, "Nơi nhận:"), so each pattern lives
here once rather than in the reader that happened to need it first."""

from __future__ import annotations

import re
import unicodedata

# --------------------------------------------------------------------------------------------
# Reference tables
# --------------------------------------------------------------------------------------------

#: Document types and the abbreviation that starts their symbol. Administrative types and copy
#: forms come from Decree 30/2020 appendix III, section I; the legal-normative types after them
#: (Nghị định, Thông tư, ...) follow the Law on Promulgation of Legal Documents, since official
#: PDFs of those are verified too. ``None``: the type has no abbreviation (Luật, Pháp lệnh).
DOC_TYPES: tuple[tuple[str, str | None], ...] = (
    ("Nghị quyết", "NQ"),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Quy chế", "QC"),
    ("Quy định", "QyĐ"),
    ("Thông cáo", "TC"),
    ("Thông báo", "TB"),
    ("Hướng dẫn", "HD"),
    ("Chương trình", "CTr"),
    ("Kế hoạch", "KH"),
    ("Phương án", "PA"),
    ("Đề án", "ĐA"),
    ("Dự án", "DA"),
    ("Báo cáo", "BC"),
    ("Biên bản", "BB"),
    ("Tờ trình", "TTr"),
    ("Hợp đồng", "HĐ"),
    ("Công điện", "CĐ"),
    ("Bản ghi nhớ", "BGN"),
    ("Bản thỏa thuận", "BTT"),
    ("Giấy ủy quyền", "GUQ"),
    ("Giấy mời", "GM"),
    ("Giấy giới thiệu", "GGT"),
    ("Giấy nghỉ phép", "GNP"),
    ("Phiếu gửi", "PG"),
    ("Phiếu chuyển", "PC"),
    ("Phiếu báo", "PB"),
    ("Bản sao y", "SY"),
    ("Bản trích sao", "TrS"),
    ("Bản sao lục", "SL"),
    # Legal normative documents.
    ("Nghị định", "NĐ"),
    ("Thông tư", "TT"),
    ("Thông tư liên tịch", "TTLT"),
    ("Nghị quyết liên tịch", "NQLT"),
    ("Lệnh", "L"),
    ("Luật", None),
    ("Pháp lệnh", None),
)

TYPE_CODES: frozenset[str] = frozenset(code for _, code in DOC_TYPES if code)

# Old ("hoà", "uỷ") and new ("hòa", "ủy") tone placement both occur in real documents; keys are
# built in the new style so that either spelling matches.
TONE_OLD = "OÀ OÁ OẢ OÃ OẠ OÈ OÉ OẺ OẼ OẸ UỲ UÝ UỶ UỸ UỴ".split()
TONE_NEW = "ÒA ÓA ỎA ÕA ỌA ÒE ÓE ỎE ÕE ỌE ÙY ÚY ỦY ŨY ỤY".split()
TONE_CANON = dict(zip(TONE_OLD, TONE_NEW, strict=True))
TONE_RE = re.compile("|".join(TONE_CANON))


def compare_key(text: str, *, spaces: bool = True) -> str:
    """Comparison key: upper case, new-style tone placement, single spaces (or none)."""
    upper = text.upper()
    joined = " ".join(upper.split()) if spaces else "".join(upper.split())
    return TONE_RE.sub(lambda m: TONE_CANON[m.group(0)], joined)


# Type lines are compared without spaces: letter-spaced titles ("Q U Y Ế T  Đ Ị N H") occur.
TYPE_BY_KEY: dict[str, str] = {compare_key(name, spaces=False): name for name, _ in DOC_TYPES}

TYPE_BY_BASE: dict[str, str] = {
    "".join(ch for ch in unicodedata.normalize("NFD", name.upper().replace("Đ", "D"))
            if not unicodedata.combining(ch) and ch.isalnum()): name
    for name, _ in DOC_TYPES
}

URGENCY = ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN")
CONFIDENTIALITY = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
MARK_BY_KEY: dict[str, tuple[str, str]] = {
    **{compare_key(m): ("urgency", m) for m in URGENCY},
    **{compare_key(m): ("confidentiality", m) for m in CONFIDENTIALITY},
}
COPY_FORMS = ("SAO Y", "SAO LỤC", "TRÍCH SAO")
COPY_BY_KEY: dict[str, str] = {compare_key(c): c for c in COPY_FORMS}

# --------------------------------------------------------------------------------------------
# Compiled patterns (module level: the parser runs once per document, often in batches)
# --------------------------------------------------------------------------------------------

#: Zero-width characters and the soft hyphen: removed before anything else reads a page.
#: A pattern, not a ``str.translate`` table: translating non-ASCII text looks every character
#: up in the table, about ten times slower than finding these few (most pages have none).
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Header, right column.
MOTTO1_RE = re.compile(
    r"C\s*Ộ\s*N\s*G\s*H\s*(?:ÒA|OÀ|OA)\s*X\s*Ã\s*H\s*Ộ\s*I\s*C\s*H\s*Ủ\s*N\s*G\s*H\s*Ĩ\s*A"
    r"\s*V\s*I\s*Ệ\s*T\s*N\s*A\s*M",
    re.IGNORECASE,
)
MOTTO2_RE = re.compile(
    r"Độc\s*lập\s*[-–—]\s*Tự\s*do\s*[-–—]\s*Hạnh\s*phúc", re.IGNORECASE
)
# Party documents put "ĐẢNG CỘNG SẢN VIỆT NAM" where state documents put the motto.
PARTY_RE = re.compile(r"ĐẢNG\s*CỘNG\s*SẢN\s*VIỆT\s*NAM")
DATE_RE = re.compile(
    r"(?<!\w)ngày\s*([0-9] ?[0-9]?)\s*tháng\s*([0-9] ?[0-9]?)\s*năm\s*([0-9] ?[0-9] ?[0-9] ?[0-9])"
    r"(?![0-9])",
    re.IGNORECASE,
)
# The date line with its day, month or year left blank, handwritten or misread: only the
# place before it is read.
BLANK_DATE_RE = re.compile(
    r"(?<!\w)ngày(?:\s*[^\s]{1,4})?\s+tháng(?:\s+[^\s]{1,4})?\s+năm(?:\s*[0-9.…]{1,6})?",
    re.IGNORECASE,
)
PLACE_CONNECTORS = frozenset({"phố", "xã", "thị", "trấn", "tỉnh", "huyện", "quận", "phường"})

# Header, left column.
MARKER_RE = re.compile(r"(?<!\w)(?:S[ốỐ]\s*:|[Vv]/[Vv](?![^\W_]))")
SO_RE = re.compile(r"S[ốỐ]\s*:\s*|Số\s+(?=[0-9])")
VV_RE = re.compile(r"[Vv]/[Vv]\s*:?\s*")
SEP_WS_RE = re.compile(r"\s*([/-])\s*")
NS_TOKEN_RE = re.compile(
    r"(?P<num>[0-9]+)?(?:/(?P<year>(?:19|20)[0-9]{2})(?=/))?(?:[/-](?P<sym>[^\W_]\S*))?"
)
# A symbol on its own: capital codes joined by hyphens, no spaces ("TB-VPCP", "BCA-C04").
CODE_RE = re.compile(r"[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)+")
# A number and symbol whose number is unreadable: the symbol still has its hyphen.
BROKEN_NS_RE = re.compile(
    r"[^/\s]*/(?:(?:19|20)[0-9]{2}/)?(?P<sym>[^\W_][^\W_]*(?:-[^\W_]+)+)"
)
AGENCY_CONT_START_RE = re.compile(
    r"(?:TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG|ĐẶC KHU|KHU VỰC|VÀ|CỦA"
    r"|NHÀ NƯỚC|TRUNG ƯƠNG|VIỆT NAM)(?![^\W_])(?! (?:ỦY|UỶ)(?![^\W_]))"
)
AGENCY_CONT_END_RE = re.compile(r"(?:(?<!\w)VÀ|[,&-])$")
# Words an agency name (or a state title acting as issuer) starts with. A capital header line
# that starts otherwise continues the name above it ("CỤC AN NINH MẠNG VÀ PHÒNG, CHỐNG" /
# "TỘI PHẠM SỬ DỤNG" / "CÔNG NGHỆ CAO"): long names wrap over several lines.
AGENCY_HEAD_RE = re.compile(
    r"(?:BỘ|SỞ|CỤC|CHI CỤC|TỔNG CỤC|VỤ|VĂN PHÒNG|PHÒNG|BAN|BCH|UBND|HĐND|(?:ỦY|UỶ) BAN"
    r"|HỘI|LIÊN ĐOÀN|LIÊN HIỆP|ĐOÀN|MẶT TRẬN|UBMTTQ|CHÍNH PHỦ|THỦ TƯỚNG|QUỐC HỘI|CHỦ TỊCH"
    r"|NHÀ XUẤT BẢN|TRƯỜNG|ĐẠI HỌC|HỌC VIỆN|VIỆN|TÒA ÁN|TOÀ ÁN|KIỂM TOÁN|THANH TRA|KHO BẠC"
    r"|NGÂN HÀNG|BẢO HIỂM|QUỸ|TRUNG TÂM|BỆNH VIỆN|CÔNG AN|CẢNH SÁT|HẢI QUAN|QUÂN KHU"
    r"|BỘ CHỈ HUY|BỘ TƯ LỆNH|SƯ ĐOÀN|LỮ ĐOÀN|TRUNG ĐOÀN|ĐỒN|ĐỘI|TRẠM|CÔNG TY|TẬP ĐOÀN"
    r"|TỔNG CÔNG TY|ĐÀI|BÁO|TẠP CHÍ|THÔNG TẤN|BẢO TÀNG|THƯ VIỆN|NHÀ VĂN HÓA|NHÀ VĂN HOÁ|KHU"
    r"|CẢNG VỤ|CƠ QUAN|ĐẢNG|CHI BỘ|THÀNH ỦY|THÀNH UỶ|TỈNH ỦY|TỈNH UỶ|HUYỆN ỦY|HUYỆN UỶ"
    r"|QUẬN ỦY|QUẬN UỶ|BAN CHẤP HÀNH|CHI NHÁNH|VIỆN KIỂM SÁT|DOANH NGHIỆP|HỢP TÁC XÃ"
    r"|BQL|BCĐ|TAND|VKSND|UBKT|MTTQ|LĐLĐ)"
    r"(?![^\W_])"
)

# The line under a subject names who issues: a state title ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...",
# "BỘ TRƯỞNG BỘ ...", "GIÁM ĐỐC SỞ ...") or a collective body ("CHÍNH PHỦ", "ỦY BAN ...").
AUTHORITY_TITLE_RE = re.compile(
    r"(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|HIỆU TRƯỞNG"
    r"|CỤC TRƯỞNG|VỤ TRƯỞNG|CHÁNH|VIỆN TRƯỞNG|TRƯỞNG BAN|TỔNG CỤC TRƯỞNG|TỔNG KIỂM TOÁN"
    r"|THỐNG ĐỐC|CHÍNH PHỦ|QUỐC HỘI|ỦY BAN|UỶ BAN|HỘI ĐỒNG|BAN CHẤP HÀNH|BAN THƯỜNG VỤ)"
    r"(?![^\W_])"
)
# A subject set in capitals starts with what it does ("BAN HÀNH ...", "QUY ĐỊNH ...",
# "HƯỚNG DẪN ...", "VỀ ..."); "BAN" alone would read as an agency name.
CAPITAL_SUBJECT_RE = re.compile(
    r"(?:BAN HÀNH|QUY ĐỊNH|HƯỚNG DẪN|VỀ|SỬA ĐỔI|BỔ SUNG|PHÊ DUYỆT|BÃI BỎ|THÀNH LẬP|GIAO"
    r"|TRIỂN KHAI|THỰC HIỆN|TỔ CHỨC|ĐIỀU CHỈNH|CHẤN CHỈNH|TĂNG CƯỜNG)(?![^\W_])"
)

FOOTNOTE_MARK_RE = re.compile(r"\s*(?:\[[0-9]{1,3}\]|\([0-9]{1,3}\)|[0-9]{1,2})$")

# Lines that start the body (end of the header zone, end of a subject). Strong starts never
# begin a subject; weak ones may begin one ("KẾ HOẠCH" / "Thực hiện Nghị quyết số ...") but not
# continue it, so they only end a subject after its first line.
BODY_START_RE = re.compile(
    r"(?:Căn cứ|Điều [0-9]|Chương [IVXLC0-9]|Phần [IVXLC0-9]|Mục [0-9]|\(?Kèm theo"
    r"|(?:[IVXLC]+|[0-9]{1,2})\.\s|[a-zđ]\)\s)"
)
PARA_START_RE = re.compile(
    r"(?:Thực hiện|Theo |Xét |Để |Nhằm |Trong |Trên cơ sở|Tiếp theo|Tiếp tục|Qua |Vừa qua"
    r"|Hiện nay|Hôm nay|Vào hồi|Thời gian|Địa điểm|Thành phần|(?:Ngày|Năm|Sáng|Chiều) [0-9])"
)
RULE_RE = re.compile(r"[-_=–—.…*·\s]{3,}")
GLUED_RULE_RE = re.compile(r"(_{3,})? ?([^_](?:.*[^_])?)? ?(_{3,})?")
BULLET_RE = re.compile(r"[-–—−+•*]\s*")
# The decree puts a colon after both words; without it they are ordinary body sentences
# ("Nơi nhận hồ sơ ..."), except for a bare "Nơi nhận" line that lost its colon.
KINH_GUI_RE = re.compile(r"Kính\s*gửi\s*:\s*", re.IGNORECASE)
NOI_NHAN_RE = re.compile(r"Nơi\s*nhận\s*(?::\s*|$)", re.IGNORECASE)
# A Công điện names its recipients after "<authority> điện:" ("CHỦ TỊCH UBND TỈNH điện:").
DIEN_RE = re.compile(r"(\S.{0,150}?)\s+điện\s*:\s*")
LUU_RE = re.compile(r"Lưu\s*:", re.IGNORECASE)

# Signer block.
# "TM." etc. need their full stop ("Q" alone would match "QUYẾT"); the old "T/M" forms do not.
PREFIX_RE = re.compile(r"(?:(TUQ|TM|KT|TL|Q)\s*\.|(T/M|K/T|T/L)\.?)\s*(?=[^\W\d_])")
PREFIX_CANON = {"TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q.",
                 "T/M": "TM.", "K/T": "KT.", "T/L": "TL."}
NOISE_RE = re.compile(
    r"\(.*\)|(?:đã ký|ký tên|ký, ghi rõ họ tên|ký và ghi rõ họ tên)[.!]?", re.IGNORECASE
)
NAME_TITLE_RE = re.compile(
    r"(?:(?:PGS|GS|TSKH|TS|ThS|BSCKII|BSCKI|BS|DS|KS|CN|NGƯT|NGND)(?:\.\s*|\s+))+"
    r"|(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+"
)
APOSTROPHE_RE = re.compile("['’]")
GLUE_SPLIT_RE = re.compile(r"[;.]\s+")
# Closings with two signers side by side: joint documents ("KT. BỘ TRƯỞNG ... KT. BỘ TRƯỞNG
# ...") and minutes (THƯ KÝ / CHỦ TỌA). Their columns cannot be told apart in flat text.
SECOND_PREFIX_RE = re.compile(r"\S\s+(?:TUQ|TM|KT|TL)\s*\.\s*[^\W\d_]")
CHAIR_RE = re.compile(r"CHỦ (?:TỌA|TOẠ|TRÌ)(?: CUỘC HỌP| HỘI NGHỊ)?")
MINUTES_ROLES_RE = re.compile(r"THƯ KÝ.*CHỦ (?:TỌA|TOẠ|TRÌ)|CHỦ (?:TỌA|TOẠ|TRÌ).*THƯ KÝ")

# Signature stamps in the text layer (see prepare.drop_stamps).
TIMESTAMP_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r" ?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
REASON_RE = re.compile(r"đã ký lên văn bản|<[^<>\s@]{1,64}@[^<>\s]{1,255}>", re.IGNORECASE)
SIGNED_BY_RE = re.compile(r"(?:Ký bởi|Người ký|Thời gian ký|Ngày ký|Email)\s*:", re.IGNORECASE)
STAMP_LOCATIONS = frozenset({"việt nam", "viet nam", "vn", "vietnam"})

# Lines longer than this are body text: no header, recipient or signer line is that long, and
# the quadratic-looking heuristics below only run on shorter lines.
SHORT = 300
HEADER_SCAN = 60  # header lines sit within the first lines of page 1
# A trích yếu may run to six lines in real documents (long Báo cáo and Công văn subjects).
SUBJECT_LINES = 6
SIGNER_BEFORE = 4  # right-column lines that may precede "Nơi nhận:" when it is extracted late
SIGNER_AFTER = 60


# --------------------------------------------------------------------------------------------
# Small predicates
# --------------------------------------------------------------------------------------------


def clean_output(text: str | None) -> str | None:
    """Final form of an output string: single spaces, NFC; empty means absent."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFC", " ".join(text.split()))
    return cleaned or None


def is_upper(text: str) -> bool:
    """At least two letters and every letter a capital (agency names, titles, type lines)."""
    count = 0
    for ch in text:
        if ch.isalpha():
            if not ch.isupper():
                return False
            count += 1
    return count >= 2


def has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def is_name(text: str) -> bool:
    """A person's name as printed under the signature: 2-7 capitalised words ("Bùi Văn Nam")."""
    if len(text) > 80:
        return False
    rest = text
    m = NAME_TITLE_RE.match(rest)
    if m is not None:
        rest = rest[m.end():]
    words = rest.split()
    if not 2 <= len(words) <= 7:
        return False
    for word in words:
        # Central Highlands names have apostrophes: "H'Lan", "K'Nhiên".
        for part in APOSTROPHE_RE.split(word):
            if not part.isalpha() or not part[0].isupper():
                return False
            if len(part) > 1 and not part[1:].islower():
                return False
    return True


def bare_name(name: str) -> str:
    """The signer's name without a military rank or academic title before it.

    Decree 30 lets armed forces, education and health units print "Đại tá", "TS." and the
    like before the name; the name itself is what a certificate carries.
    """
    m = NAME_TITLE_RE.match(name)
    return name[m.end():] if m is not None and m.end() < len(name) else name


def is_type_line(line: str) -> str | None:
    """The normal-case type name when ``line`` is a capitalised type line ("QUYẾT ĐỊNH")."""
    line = FOOTNOTE_MARK_RE.sub("", line)  # "NGHỊ ĐỊNH[1]": a consolidated text's note
    if len(line) > 60 or not is_upper(line):
        return None
    found = TYPE_BY_KEY.get(compare_key(line, spaces=False))
    # OCR misreads the tone marks of capitals ("QUYÉT ĐỊNH"); the letters alone still name
    # one type (no two types share them).
    return found if found is not None else TYPE_BY_BASE.get(base_letters(line))


def base_letters(text: str) -> str:
    """Upper-case letters without tone marks or spaces: "Quyết định" -> "QUYETDINH"."""
    decomposed = unicodedata.normalize("NFD", text.upper().replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isalnum())


def is_rule(line: str) -> bool:
    return RULE_RE.fullmatch(line) is not None


def ends_item(text: str) -> bool:
    return text.endswith((";", "."))


def clean_item(text: str) -> str:
    bullet = BULLET_RE.match(text)
    return (text[bullet.end():] if bullet else text).rstrip(" ;.,")


def subject_stop(line: str, *, first: bool) -> bool:
    """True when ``line`` cannot belong to a subject (trích yếu) any more."""
    if len(line) > 90 or is_rule(line) or is_upper(line):
        return True
    if BODY_START_RE.match(line) or BULLET_RE.match(line):
        return True
    if not first and PARA_START_RE.match(line):
        return True
    if KINH_GUI_RE.match(line) or NOI_NHAN_RE.match(line):
        return True
    if line.endswith(":"):
        return True
    # A subject has no final full stop; a later line ending one is a one-line body paragraph.
    return not first and line.endswith((".", ";"))


_BROKEN_AT_HYPHEN_RE = re.compile(r"[^\W_]-$")


def join_wrapped_lines(parts: list[str]) -> str:
    """Join the lines of a wrapped text; a line broken at a symbol's hyphen ("3183/SNV-" /
    "TCBC") joins without a space. A spaced dash ("2021 -" / "2025") keeps its space."""
    out = ""
    for part in parts:
        if out and not _BROKEN_AT_HYPHEN_RE.search(out):
            out += " "
        out += part
    return out
