"""Administrative fields of a Vietnamese official document, read from the text of its pages.

Decree 30/2020/NĐ-CP (appendix I) fixes where each part of an administrative document sits:
a two-column header (parent and issuing agency, "Số:" and, for a dispatch, "V/v ..." on the
left; national motto and "<Place>, ngày .. tháng .. năm ...." on the right), the type line in
capitals with the subject under it, "Kính gửi:" recipients, the body, and a closing row with
the "Nơi nhận:" list on the left and the signer's authority, title and name on the right.

Text extraction flattens those tables: the two columns come out interleaved line by line (in
either order) or glued on one line, blank lines appear everywhere, the header may be an image
(then it is simply absent), and the visible signature stamps add their own lines. This module
recognises each part by its content rather than by its position, and reports ``None`` (or an
empty tuple) for every part the text does not show: a verifier must never present a guess as
something the document says.

The parser is a pure function over strings: no I/O, linear in the input, and it never raises.
Heuristics that could go quadratic only run on short lines (real header/signature lines are
short; a long line is body text).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["DOC_TYPES", "DocumentFields", "parse_document_fields"]


@dataclass(frozen=True)
class DocumentFields:
    """What the text of a document shows of its Decree 30/2020 administrative fields.

    Every string is NFC-normalised and whitespace-collapsed. A field the text does not show is
    ``None`` (an empty tuple for lists); nothing is inferred from other fields.
    """

    issuing_authority: str | None = None
    parent_authority: str | None = None
    number: str | None = None
    symbol: str | None = None
    number_symbol: str | None = None
    place: str | None = None
    date: str | None = None
    doc_type: str | None = None
    doc_type_code: str | None = None
    subject: str | None = None
    subject_prefix: str | None = None
    recipients: tuple[str, ...] = field(default_factory=tuple)
    distribution: tuple[str, ...] = field(default_factory=tuple)
    authority_prefix: str | None = None
    on_behalf_of: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    urgency: str | None = None
    confidentiality: str | None = None
    copy_form: str | None = None
    pages: int | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping with the field names as keys (tuples become lists)."""
        return {
            "issuing_authority": self.issuing_authority,
            "parent_authority": self.parent_authority,
            "number": self.number,
            "symbol": self.symbol,
            "number_symbol": self.number_symbol,
            "place": self.place,
            "date": self.date,
            "doc_type": self.doc_type,
            "doc_type_code": self.doc_type_code,
            "subject": self.subject,
            "subject_prefix": self.subject_prefix,
            "recipients": list(self.recipients),
            "distribution": list(self.distribution),
            "authority_prefix": self.authority_prefix,
            "on_behalf_of": self.on_behalf_of,
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "urgency": self.urgency,
            "confidentiality": self.confidentiality,
            "copy_form": self.copy_form,
            "pages": self.pages,
        }


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

_TYPE_CODES: frozenset[str] = frozenset(code for _, code in DOC_TYPES if code)

# Old ("hoà", "uỷ") and new ("hòa", "ủy") tone placement both occur in real documents; keys are
# built in the new style so that either spelling matches.
_TONE_OLD = "OÀ OÁ OẢ OÃ OẠ OÈ OÉ OẺ OẼ OẸ UỲ UÝ UỶ UỸ UỴ".split()
_TONE_NEW = "ÒA ÓA ỎA ÕA ỌA ÒE ÓE ỎE ÕE ỌE ÙY ÚY ỦY ŨY ỤY".split()
_TONE_CANON = dict(zip(_TONE_OLD, _TONE_NEW, strict=True))
_TONE_RE = re.compile("|".join(_TONE_CANON))


def _key(text: str, *, spaces: bool = True) -> str:
    """Comparison key: upper case, new-style tone placement, single spaces (or none)."""
    upper = text.upper()
    joined = " ".join(upper.split()) if spaces else "".join(upper.split())
    return _TONE_RE.sub(lambda m: _TONE_CANON[m.group(0)], joined)


# Type lines are compared without spaces: letter-spaced titles ("Q U Y Ế T  Đ Ị N H") occur.
_TYPE_BY_KEY: dict[str, str] = {_key(name, spaces=False): name for name, _ in DOC_TYPES}

_URGENCY = ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN")
_CONFIDENTIALITY = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
_MARK_BY_KEY: dict[str, tuple[str, str]] = {
    **{_key(m): ("urgency", m) for m in _URGENCY},
    **{_key(m): ("confidentiality", m) for m in _CONFIDENTIALITY},
}
_COPY_FORMS = ("SAO Y", "SAO LỤC", "TRÍCH SAO")
_COPY_BY_KEY: dict[str, str] = {_key(c): c for c in _COPY_FORMS}

# --------------------------------------------------------------------------------------------
# Compiled patterns (module level: the parser runs once per document, often in batches)
# --------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# Header, right column.
_MOTTO1_RE = re.compile(
    r"C\s*Ộ\s*N\s*G\s*H\s*(?:ÒA|OÀ|OA)\s*X\s*Ã\s*H\s*Ộ\s*I\s*C\s*H\s*Ủ\s*N\s*G\s*H\s*Ĩ\s*A"
    r"\s*V\s*I\s*Ệ\s*T\s*N\s*A\s*M",
    re.IGNORECASE,
)
_MOTTO2_RE = re.compile(
    r"Độc\s*lập\s*[-–—]\s*Tự\s*do\s*[-–—]\s*Hạnh\s*phúc", re.IGNORECASE
)
# Party documents put "ĐẢNG CỘNG SẢN VIỆT NAM" where state documents put the motto.
_PARTY_RE = re.compile(r"ĐẢNG\s*CỘNG\s*SẢN\s*VIỆT\s*NAM")
_DATE_RE = re.compile(
    r"(?<!\w)ngày\s*([0-9] ?[0-9]?)\s*tháng\s*([0-9] ?[0-9]?)\s*năm\s*([0-9] ?[0-9] ?[0-9] ?[0-9])"
    r"(?![0-9])",
    re.IGNORECASE,
)
_PLACE_CONNECTORS = frozenset({"phố", "xã", "thị", "trấn", "tỉnh", "huyện", "quận", "phường"})

# Header, left column.
_MARKER_RE = re.compile(r"(?<!\w)(?:S[ốỐ]\s*:|[Vv]/[Vv](?![^\W_]))")
_SO_RE = re.compile(r"S[ốỐ]\s*:\s*|Số\s+(?=[0-9])")
_VV_RE = re.compile(r"[Vv]/[Vv]\s*:?\s*")
_SEP_WS_RE = re.compile(r"\s*([/-])\s*")
_NS_TOKEN_RE = re.compile(
    r"(?P<num>[0-9]+)?(?:/(?P<year>(?:19|20)[0-9]{2})(?=/))?(?:[/-](?P<sym>[^\W_]\S*))?"
)
_AGENCY_CONT_START_RE = re.compile(
    r"(?:TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG|ĐẶC KHU|KHU VỰC|VÀ|CỦA"
    r"|NHÀ NƯỚC|TRUNG ƯƠNG|VIỆT NAM)(?![^\W_])(?! (?:ỦY|UỶ)(?![^\W_]))"
)
_AGENCY_CONT_END_RE = re.compile(r"(?:(?<!\w)VÀ|[,&-])$")
# Words an agency name (or a state title acting as issuer) starts with. A capital header line
# that starts otherwise continues the name above it ("CỤC AN NINH MẠNG VÀ PHÒNG, CHỐNG" /
# "TỘI PHẠM SỬ DỤNG" / "CÔNG NGHỆ CAO"): long names wrap over several lines.
_AGENCY_HEAD_RE = re.compile(
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

# Lines that start the body (end of the header zone, end of a subject). Strong starts never
# begin a subject; weak ones may begin one ("KẾ HOẠCH" / "Thực hiện Nghị quyết số ...") but not
# continue it, so they only end a subject after its first line.
_BODY_START_RE = re.compile(
    r"(?:Căn cứ|Điều [0-9]|Chương [IVXLC0-9]|Phần [IVXLC0-9]|Mục [0-9]|\(?Kèm theo"
    r"|(?:[IVXLC]+|[0-9]{1,2})\.\s|[a-zđ]\)\s)"
)
_PARA_START_RE = re.compile(
    r"(?:Thực hiện|Theo |Xét |Để |Nhằm |Trong |Trên cơ sở|Tiếp theo|Tiếp tục|Qua |Vừa qua"
    r"|Hiện nay|Hôm nay|Vào hồi|Thời gian|Địa điểm|Thành phần|(?:Ngày|Năm|Sáng|Chiều) [0-9])"
)
_RULE_RE = re.compile(r"[-_=–—.…*·\s]{3,}")
_GLUED_RULE_RE = re.compile(r"(_{3,})? ?([^_](?:.*[^_])?)? ?(_{3,})?")
_BULLET_RE = re.compile(r"[-–—−+•*]\s*")
# The decree puts a colon after both words; without it they are ordinary body sentences
# ("Nơi nhận hồ sơ ..."), except for a bare "Nơi nhận" line that lost its colon.
_KINH_GUI_RE = re.compile(r"Kính\s*gửi\s*:\s*", re.IGNORECASE)
_NOI_NHAN_RE = re.compile(r"Nơi\s*nhận\s*(?::\s*|$)", re.IGNORECASE)
# A Công điện names its recipients after "<authority> điện:" ("CHỦ TỊCH UBND TỈNH điện:").
_DIEN_RE = re.compile(r"(\S.{0,150}?)\s+điện\s*:\s*")
_LUU_RE = re.compile(r"Lưu\s*:", re.IGNORECASE)

# Signer block.
# "TM." etc. need their full stop ("Q" alone would match "QUYẾT"); the old "T/M" forms do not.
_PREFIX_RE = re.compile(r"(?:(TUQ|TM|KT|TL|Q)\s*\.|(T/M|K/T|T/L)\.?)\s*(?=[^\W\d_])")
_PREFIX_CANON = {"TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q.",
                 "T/M": "TM.", "K/T": "KT.", "T/L": "TL."}
_NOISE_RE = re.compile(
    r"\(.*\)|(?:đã ký|ký tên|ký, ghi rõ họ tên|ký và ghi rõ họ tên)[.!]?", re.IGNORECASE
)
_NAME_TITLE_RE = re.compile(
    r"(?:(?:PGS|GS|TSKH|TS|ThS|BSCKII|BSCKI|BS|DS|KS|CN|NGƯT|NGND)(?:\.\s*|\s+))+"
    r"|(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+"
)
_APOSTROPHE_RE = re.compile("['’]")
_GLUE_SPLIT_RE = re.compile(r"[;.]\s+")
# Closings with two signers side by side: joint documents ("KT. BỘ TRƯỞNG ... KT. BỘ TRƯỞNG
# ...") and minutes (THƯ KÝ / CHỦ TỌA). Their columns cannot be told apart in flat text.
_SECOND_PREFIX_RE = re.compile(r"\S\s+(?:TUQ|TM|KT|TL)\s*\.\s*[^\W\d_]")
_CHAIR_RE = re.compile(r"CHỦ (?:TỌA|TOẠ|TRÌ)(?: CUỘC HỌP| HỘI NGHỊ)?")
_MINUTES_ROLES_RE = re.compile(r"THƯ KÝ.*CHỦ (?:TỌA|TOẠ|TRÌ)|CHỦ (?:TỌA|TOẠ|TRÌ).*THƯ KÝ")

# Signature stamps in the text layer (see module docstring).
_TIMESTAMP_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r" ?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_REASON_RE = re.compile(r"đã ký lên văn bản|<[^<>\s@]{1,64}@[^<>\s]{1,255}>", re.IGNORECASE)
_SIGNED_BY_RE = re.compile(r"(?:Ký bởi|Thời gian ký|Ngày ký)\s*:", re.IGNORECASE)
_STAMP_LOCATIONS = frozenset({"việt nam", "viet nam", "vn", "vietnam"})

# Lines longer than this are body text: no header, recipient or signer line is that long, and
# the quadratic-looking heuristics below only run on shorter lines.
_SHORT = 300
_HEADER_SCAN = 60  # header lines sit within the first lines of page 1
_SIGNER_BEFORE = 4  # right-column lines that may precede "Nơi nhận:" when it is extracted late
_SIGNER_AFTER = 60


# --------------------------------------------------------------------------------------------
# Small predicates
# --------------------------------------------------------------------------------------------


def _out(text: str | None) -> str | None:
    """Final form of an output string: single spaces, NFC; empty means absent."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFC", " ".join(text.split()))
    return cleaned or None


def _is_upper(text: str) -> bool:
    """At least two letters and every letter a capital (agency names, titles, type lines)."""
    count = 0
    for ch in text:
        if ch.isalpha():
            if not ch.isupper():
                return False
            count += 1
    return count >= 2


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _is_name(text: str) -> bool:
    """A person's name as printed under the signature: 2-7 capitalised words ("Bùi Văn Nam")."""
    if len(text) > 80:
        return False
    rest = text
    m = _NAME_TITLE_RE.match(rest)
    if m is not None:
        rest = rest[m.end():]
    words = rest.split()
    if not 2 <= len(words) <= 7:
        return False
    for word in words:
        # Central Highlands names have apostrophes: "H'Lan", "K'Nhiên".
        for part in _APOSTROPHE_RE.split(word):
            if not part.isalpha() or not part[0].isupper():
                return False
            if len(part) > 1 and not part[1:].islower():
                return False
    return True


def _bare_name(name: str) -> str:
    """The signer's name without a military rank or academic title before it.

    Decree 30 lets armed forces, education and health units print "Đại tá", "TS." and the
    like before the name; the name itself is what a certificate carries.
    """
    m = _NAME_TITLE_RE.match(name)
    return name[m.end():] if m is not None and m.end() < len(name) else name


def _is_type_line(line: str) -> str | None:
    """The normal-case type name when ``line`` is a capitalised type line ("QUYẾT ĐỊNH")."""
    if len(line) > 60 or not _is_upper(line):
        return None
    return _TYPE_BY_KEY.get(_key(line, spaces=False))


def _is_rule(line: str) -> bool:
    return _RULE_RE.fullmatch(line) is not None


def _ends_item(text: str) -> bool:
    return text.endswith((";", "."))


def _clean_item(text: str) -> str:
    bullet = _BULLET_RE.match(text)
    return (text[bullet.end():] if bullet else text).rstrip(" ;.,")


def _subject_stop(line: str, *, first: bool) -> bool:
    """True when ``line`` cannot belong to a subject (trích yếu) any more."""
    if len(line) > 90 or _is_rule(line) or _is_upper(line):
        return True
    if _BODY_START_RE.match(line) or _BULLET_RE.match(line):
        return True
    if not first and _PARA_START_RE.match(line):
        return True
    if _KINH_GUI_RE.match(line) or _NOI_NHAN_RE.match(line):
        return True
    if line.endswith(":"):
        return True
    # A subject has no final full stop; a later line ending one is a one-line body paragraph.
    return not first and line.endswith((".", ";"))


# --------------------------------------------------------------------------------------------
# Page preparation and signature stamps
# --------------------------------------------------------------------------------------------


def _prepare_page(raw: str) -> list[str]:
    """NFC, invisible characters removed, whitespace collapsed; blank lines dropped.

    Blank lines carry no structure here: extraction emits them between most lines.
    Invisible characters go before normalisation, so no decomposed sequence survives it.
    """
    text = unicodedata.normalize("NFC", raw.translate(_INVISIBLE))
    lines: list[str] = []
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())
        if not line:
            continue
        # A rule typed as underscores under a line often shares its baseline in extraction
        # ("BỘ TÀI CHÍNH____________"): it is a separator line of its own.
        glued = _GLUED_RULE_RE.fullmatch(line) if "___" in line else None
        if glued is not None:
            lines.extend(part.strip() for part in glued.groups() if part and part.strip())
        else:
            lines.append(line)
    return lines


def _is_reason(line: str) -> bool:
    return len(line) <= _SHORT and _REASON_RE.search(line) is not None


def _drop_stamps(lines: list[str]) -> list[str]:
    """Remove the visible signature stamps that PDF signers put into the text layer.

    A stamp is "<ISO time>", "<location>", "<name> <e-mail> đã ký lên văn bản này!" (VGCA), or
    "Ký bởi: ..." / "Thời gian ký: ..." (other tools). An electronic copy or attachment carries
    the agency's stamp at the top right of page 1 ("SAO Y", agency, time): the short lines just
    above a timestamp near the top of a page belong to it.
    """
    drop = [False] * len(lines)
    for i, line in enumerate(lines):
        if len(line) > _SHORT:
            continue
        if _TIMESTAMP_RE.fullmatch(line):
            drop[i] = True
            if i + 1 < len(lines):
                nxt = lines[i + 1]
                if nxt.casefold() in _STAMP_LOCATIONS or (
                    len(nxt) <= 40 and i + 2 < len(lines) and _is_reason(lines[i + 2])
                ):
                    drop[i + 1] = True
            if i <= 5:
                for j in (i - 1, i - 2):
                    if j >= 0 and len(lines[j]) <= 60 and (
                        _is_upper(lines[j]) or " " not in lines[j]
                    ):
                        drop[j] = True
                    else:
                        break
        elif _is_reason(line) or _SIGNED_BY_RE.match(line):
            drop[i] = True
    return [line for line, gone in zip(lines, drop, strict=True) if not gone]


def _find_copy_form(pages: list[list[str]]) -> str | None:
    """"SAO Y" / "SAO LỤC" / "TRÍCH SAO" as a line of its own (paper or electronic copy)."""
    for index, lines in enumerate(pages):
        for pos, line in enumerate(lines):
            if len(line) <= 20 and (form := _COPY_BY_KEY.get(_key(line))) is not None:
                return form
            if index == 0 and pos < 8 and len(line) <= 80 and _is_upper(line):
                # Electronic copy stamp glued to the copying agency: "SAO Y SỞ NỘI VỤ".
                words = line.split()
                for n in (2, 1):
                    form = _COPY_BY_KEY.get(_key(" ".join(words[:n])))
                    if form is not None and len(words) > n:
                        return form
    return None


# --------------------------------------------------------------------------------------------
# Header
# --------------------------------------------------------------------------------------------


@dataclass
class _Header:
    parent: str | None = None
    issuer: str | None = None
    number_symbol: str | None = None
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    date: str | None = None
    urgency: str | None = None
    confidentiality: str | None = None
    doc_type: str | None = None
    subject: str | None = None
    subject_prefix: str | None = None


def _is_place_word(word: str) -> bool:
    if word in ("-", "–") or word in _PLACE_CONNECTORS:
        return True
    if not word[0].isupper():
        return False
    letters = [ch for ch in word if ch.isalpha()]
    if not letters or not all(ch.isalpha() or ch in ".-'" for ch in word):
        return False
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return "." in word  # abbreviations such as "TP." or "TP.HCM"; other capitals are agency
    return True


def _split_place(prefix: str) -> tuple[str | None, int, bool]:
    """Place name at the end of ``prefix`` (the text before "ngày" on the date line).

    Returns the place, the offset in ``prefix`` where the right-column text (place and comma)
    starts, and whether the decree's comma was there. Only the trailing run of place-like words
    is taken, so left-column text glued in front ("Số: 2971/SNV-VP Hải Phòng") stays out.
    """
    words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", prefix)]
    comma = False
    if words and words[-1][1].endswith(","):
        comma = True
        start, word = words[-1]
        words[-1] = (start, word[:-1])
        if not words[-1][1]:
            words.pop()
    k = len(words)
    while k > 0 and _is_place_word(words[k - 1][1]):
        k -= 1
    while k < len(words) and (words[k][1] in _PLACE_CONNECTORS or words[k][1] in ("-", "–")):
        k += 1
    run = words[k:]
    while run and run[-1][1] in ("-", "–"):
        run.pop()
    if run:
        return " ".join(w for _, w in run), run[0][0], comma
    comma_at = prefix.rfind(",")
    return None, (comma_at if comma else len(prefix)), comma


def _iso_date(day: str, month: str, year: str) -> str | None:
    d, m, y = (int(part.replace(" ", "")) for part in (day, month, year))
    if not (1900 <= y <= 2199 and 1 <= m <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


@dataclass
class _HeaderLine:
    chunks: list[str]
    motto: bool
    date: str | None
    place: str | None
    place_ok: bool


def _split_header_line(line: str) -> _HeaderLine:
    """Separate right-column text (motto, place and date) from left-column chunks."""
    spans: list[tuple[int, int]] = []
    for rx in (_MOTTO1_RE, _MOTTO2_RE, _PARTY_RE):
        spans.extend(m.span() for m in rx.finditer(line))
    motto = bool(spans)
    date = place = None
    place_ok = False
    dm = _DATE_RE.search(line)
    if dm is not None and not any(s < dm.end() and dm.start() < e for s, e in spans):
        iso = _iso_date(*dm.groups())
        if iso is not None:
            pstart = max((e for _, e in spans if e <= dm.start()), default=0)
            place, offset, comma = _split_place(line[pstart:dm.start()])
            rest_before = line[pstart:pstart + offset].strip()
            date = iso
            # Without the comma, accept the place only when nothing else precedes it.
            place_ok = place is not None and (comma or not rest_before)
            if not place_ok:
                place = None
            spans.append((pstart + offset, dm.end()))
    spans.sort()
    # Separators are trimmed only where a right-column span was cut out: a left-column line
    # of its own keeps its punctuation ("V/v ... bảo đảm an ninh," / "trật tự ...").
    chunks: list[str] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            chunk = line[pos:start].rstrip(" ,;")
            chunks.append(chunk.lstrip(" ,;") if pos else chunk)
        pos = max(pos, end)
    tail = line[pos:]
    chunks.append(tail.lstrip(" ,;") if pos else tail)
    cleaned = [c.strip() for c in chunks]
    return _HeaderLine([c for c in cleaned if _has_alnum(c)], motto, date, place, place_ok)


def _split_markers(chunk: str) -> list[str]:
    """Split a left-column chunk before each "Số:" and "V/v" (glued left-column lines)."""
    starts = [m.start() for m in _MARKER_RE.finditer(chunk)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces = [chunk[a:b].strip() for a, b in zip(starts, [*starts[1:], len(chunk)], strict=True)]
    return [p for p in pieces if p]


def _peel_marks(chunk: str) -> tuple[list[tuple[str, str]], str]:
    """Urgency/confidentiality marks standing alone or as a capital token at either end."""
    found = _MARK_BY_KEY.get(_key(chunk)) if len(chunk) <= 20 else None
    if found is not None:
        return [found], ""
    words = chunk.split()
    marks: list[tuple[str, str]] = []
    for n in (2, 1):
        head = " ".join(words[:n])
        found = _MARK_BY_KEY.get(_key(head))
        if found is not None and len(words) > n and _is_upper(head):
            marks.append(found)
            words = words[n:]
            break
    for n in (2, 1):
        tail = " ".join(words[-n:])
        found = _MARK_BY_KEY.get(_key(tail))
        if found is None or len(words) <= n or not _is_upper(tail):
            continue
        if n == 1 and _key(words[-2]) in ("BÍ", "THƯỢNG", "TỐI", "TUYỆT"):
            break  # "BẢO VỆ BÍ MẬT" is a name, not a mark
        marks.append(found)
        words = words[:-n]
        break
    return marks, " ".join(words)


def _parse_number_symbol(rest: str) -> tuple[str | None, str]:
    """``(number_symbol, leftover)`` from the text after "Số:".

    Spaces around "/" and "-" are extraction artefacts (the decree prints none) and are
    removed. A blank number ("Số:      /QĐ-UBND", as in drafts) is kept as printed.
    """
    text = _SEP_WS_RE.sub(r"\1", rest.strip())
    token, _, leftover = text.partition(" ")
    token = token.rstrip(".,;:/-")
    if not any(ch.isdigit() or ch.isalpha() for ch in token):
        return None, leftover
    m = _NS_TOKEN_RE.fullmatch(token)
    if m is None and not any(ch.isdigit() for ch in token):
        return None, rest  # "Số: abc" is not a number and symbol
    if m is not None and m.group("num") is None and m.group("sym") is None:
        return None, leftover
    return token, leftover


def _split_number_symbol(token: str | None) -> tuple[str | None, str | None]:
    """``(number, symbol)``: "12/2025/QĐ-UBND" -> ("12", "QĐ-UBND"); the year stays out."""
    m = _NS_TOKEN_RE.fullmatch(token) if token is not None else None
    if m is None:
        return None, None
    return m.group("num"), m.group("sym")


@dataclass(frozen=True)
class _Piece:
    """A left-column piece of the header: so, vv, upper, other, urgency or confidentiality."""

    kind: str
    text: str


def _classify(piece: str, out: list[_Piece]) -> None:
    """Append the classified form of a left-column ``piece`` to ``out``."""
    m = _SO_RE.match(piece)
    if m is not None:
        ns, leftover = _parse_number_symbol(piece[m.end():])
        if ":" not in m.group(0) and not (ns and ("/" in ns or "-" in ns)):
            # "Số 57-NQ/TW" (party style, no colon) is a number; "Số 5 Lý Văn Lâm" is a
            # street address.
            out.append(_Piece("upper" if _is_upper(piece) else "other", piece))
            return
        out.append(_Piece("so", ns or ""))
        leftover = leftover.strip()
        if leftover and leftover != piece:
            _classify(leftover, out)
        return
    m = _VV_RE.match(piece)
    if m is not None and _MARKER_RE.match(piece):
        marks, rest = _peel_marks(piece[m.end():])
        out.append(_Piece("vv", rest))
        out.extend(_Piece(kind, value) for kind, value in marks)
        return
    marks, rest = _peel_marks(piece)
    out.extend(_Piece(kind, value) for kind, value in marks)
    if not rest or not _has_alnum(rest) or _COPY_BY_KEY.get(_key(" ".join(rest.split()[:2]))):
        return  # "SAO Y" alone or before the copying agency: the copy stamp, not the header

    out.append(_Piece("upper" if _is_upper(rest) else "other", rest))


def _join_wrapped(names: list[str]) -> list[str]:
    """Join agency names that wrap ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HẢI PHÒNG").

    A line continues the one above when it starts with a place or connector word, when the
    line above ends with "VÀ", a comma or a dash, or when it does not start like an agency
    name at all. Everything else starts a new name (parent first, issuer last).
    """
    joined: list[str] = []
    for name in names:
        if joined and (
            _AGENCY_CONT_START_RE.match(name)
            or _AGENCY_CONT_END_RE.search(joined[-1])
            or not _AGENCY_HEAD_RE.match(name)
        ):
            joined[-1] = f"{joined[-1]} {name}"
        else:
            joined.append(name)
    return joined


def _starts_paragraph(lines: list[str], at: int) -> bool:
    """Does the line at ``at`` open a body paragraph that wraps onto lower-case lines and
    ends a sentence there? A subject never ends with a full stop, so such a line is body."""
    for line in lines[at + 1:at + 6]:
        if not line[:1].islower() or len(line) > _SHORT:
            return False
        if line.endswith((".", ";", ":")):
            return True
    return False


def _typed_subject(lines: list[str], start: int) -> str | None:
    parts: list[str] = []
    for i in range(start, min(start + 8, len(lines))):
        line = lines[i]
        if _subject_stop(line, first=not parts):
            break
        if parts and not line[:1].islower() and _starts_paragraph(lines, i):
            break
        parts.append(line)
        if len(parts) >= 4 or line.endswith((".", ";")):
            break
    return " ".join(parts).rstrip(" .;") or None


def _is_date_line(line: str) -> bool:
    """A right-column date without place ("Ngày 25 tháng 9 năm 2025"), not a body sentence."""
    m = _DATE_RE.match(line)
    return m is not None and not line[m.end():].lstrip().startswith(",")


def _join_split_dates(lines: list[str]) -> list[str]:
    """Rejoin a place-and-date line that wrapped in a narrow cell ("..., ngày 12 tháng 8 năm"
    / "2025"): the date is only found when the line break falls inside it."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            i + 1 < len(lines)
            and len(line) <= _SHORT
            and len(lines[i + 1]) <= 40
            and "ngày" in line.casefold()
            and _DATE_RE.search(line) is None
        ):
            joined = f"{line} {lines[i + 1]}"
            m = _DATE_RE.search(joined)
            if m is not None and m.start() < len(line) < m.end():
                out.append(joined)
                i += 2
                continue
        out.append(line)
        i += 1
    return out


def _parse_header(lines: list[str]) -> _Header:
    """Header fields from the (stamp-free, non-blank) lines of the first page."""
    h = _Header()
    lines = _join_split_dates(lines[:_HEADER_SCAN]) + lines[_HEADER_SCAN:]
    zone: list[_HeaderLine] = []
    type_at: int | None = None
    for i, line in enumerate(lines[:_HEADER_SCAN]):
        doc_type = _is_type_line(line)
        if doc_type is not None:
            h.doc_type, type_at = doc_type, i
            break
        if _KINH_GUI_RE.match(line) or _NOI_NHAN_RE.match(line):
            break
        if _BODY_START_RE.match(line) or (_PARA_START_RE.match(line) and not _is_date_line(line)):
            break
        split = _split_header_line(line) if len(line) <= _SHORT else None
        if split is None or any(len(c) > 90 for c in split.chunks):
            break  # body text: the header (if any) is over
        zone.append(split)

    pieces: list[_Piece] = []
    motto = False
    date: tuple[str, str | None, bool] | None = None
    for hl in zone:
        motto = motto or hl.motto
        if date is None and hl.date is not None:
            date = (hl.date, hl.place, hl.place_ok)
        for chunk in hl.chunks:
            for part in _split_markers(chunk):
                _classify(part, pieces)

    kinds = [piece.kind for piece in pieces]
    has_so = "so" in kinds
    if has_so:
        # "Số: 12/QĐ-UBND" over "Số 5 Lý Văn Lâm" (an address line): a symbol decides.
        numbers = [p.text for p in pieces if p.kind == "so"]
        h.number_symbol = next((t for t in numbers if "/" in t or "-" in t), numbers[0]) or None
        h.number, h.symbol = _split_number_symbol(h.number_symbol)
    anchored = motto or has_so
    if date is not None and (anchored or date[2]):
        h.date, h.place = date[0], date[1]

    h.urgency = next((p.text for p in pieces if p.kind == "urgency"), None)
    h.confidentiality = next((p.text for p in pieces if p.kind == "confidentiality"), None)

    if anchored:
        # The agency lines are the capital lines before the first other left-column line.
        agencies: list[str] = []
        for piece in pieces:
            if piece.kind == "vv" or (piece.kind in ("so", "other") and agencies):
                break
            if piece.kind == "so" and (piece.text or None) == h.number_symbol:
                break
            if piece.kind == "upper":
                agencies.append(piece.text)
            # Other text before the agency (a page footer with the address, which some word
            # processors draw first: "Địa chỉ: Số 5 Lý Văn Lâm, ...") is skipped.
        names = _join_wrapped(agencies[-6:])
        if names:
            h.issuer = names[-1]
            h.parent = " ".join(names[:-1]) or None

    vv_subject: str | None = None
    if "vv" in kinds:
        at = kinds.index("vv")
        parts = [pieces[at].text] if pieces[at].text else []
        for piece in pieces[at + 1:]:
            if piece.kind != "other" or len(parts) >= 4:
                break
            if _subject_stop(piece.text, first=not parts):
                break
            parts.append(piece.text)
        vv_subject = " ".join(parts) or None

    if type_at is not None:
        subject = _typed_subject(lines, type_at + 1)
        vv = _VV_RE.match(subject) if subject is not None else None
        if subject is not None and vv is not None and _MARKER_RE.match(subject):
            h.subject_prefix = "V/v"
            subject = subject[vv.end():] or None
        h.subject = subject
    elif "vv" in kinds:
        h.doc_type, h.subject, h.subject_prefix = "Công văn", vv_subject, "V/v"
    return h


# --------------------------------------------------------------------------------------------
# Recipients ("Kính gửi:")
# --------------------------------------------------------------------------------------------


def _recipients_head(line: str) -> re.Match[str] | None:
    """ "Kính gửi:", or a dispatch's "<AUTHORITY> điện:" (appendix III, form 1.6)."""
    m = _KINH_GUI_RE.match(line)
    if m is None and len(line) <= _SHORT:
        m = _DIEN_RE.match(line)
        if m is not None and not _is_upper(m.group(1)):
            return None
    return m


def _parse_recipients(lines: list[str]) -> tuple[str, ...]:
    """One recipient on the "Kính gửi:" line, or a "- ...;" list under it (appendix I, II.9)."""
    found = next(
        ((i, m) for i, line in enumerate(lines) if (m := _recipients_head(line)) is not None),
        None,
    )
    if found is None:
        return ()
    at, head = found
    items: list[str] = []
    current: str | None = lines[at][head.end():].strip() or None
    for nxt in lines[at + 1:at + 60]:
        if current is not None and current.endswith("."):
            break  # the last recipient ends with a full stop
        if len(nxt) > _SHORT or _NOI_NHAN_RE.match(nxt):
            break
        if _BULLET_RE.match(nxt):
            if current is not None:
                items.append(current)
            current = nxt
        elif current is None and not items:
            current = nxt  # the single recipient fell onto its own line
        elif current is not None and not _ends_item(current) and nxt[:1].islower():
            current = f"{current} {nxt}"  # a wrapped recipient
        else:
            break
    if current is not None:
        items.append(current)
    cleaned = (_clean_item(item) for item in items)
    return tuple(item for item in cleaned if item)


# --------------------------------------------------------------------------------------------
# "Nơi nhận:" and the signer block
# --------------------------------------------------------------------------------------------


def _is_right_text(text: str) -> bool:
    """Could ``text`` be a right-column line of the signing block (authority, title, name)?"""
    if ";" in text or text.endswith((".", ",")):
        return False
    if _PREFIX_RE.match(text) and _is_upper(text):
        return True
    return (_is_upper(text) and len(text.split()) >= 2) or _is_name(text)


def _continues_item(current: str, line: str) -> bool:
    """Is ``line`` the wrapped rest of the unfinished list item ``current``?

    A lower-case start says so; so does a line that ends the item (";" or ".") without
    reading as right-column text ("- Cổng thông tin điện tử" / "Bộ Tài chính;").
    """
    if _ends_item(current):
        return False
    if line[:1].islower():
        return True
    return (
        _ends_item(line)
        and not _is_right_text(line)
        and _NOISE_RE.fullmatch(line) is None
        and _split_glued(line)[1] is None
    )


def _split_glued(item: str) -> tuple[str, str | None]:
    """``"- Như trên; CHÁNH VĂN PHÒNG"`` -> ``("- Như trên;", "CHÁNH VĂN PHÒNG")``.

    The two columns of the closing row share baselines, so a distribution line may carry the
    right column's text after its ";" or ".". The first split whose remainder reads as
    right-column text wins ("UBND TP. Hải Phòng;" does not split at "TP.").
    """
    if len(item) > _SHORT:
        return item, None
    for m in _GLUE_SPLIT_RE.finditer(item):
        rest = item[m.end():]
        if rest and (_is_right_text(rest) or _NOISE_RE.fullmatch(rest)):
            return item[:m.start() + 1], rest  # "(Đã ký)" beside an item goes right too
    return item, None


@dataclass
class _Closing:
    distribution: tuple[str, ...] = ()
    prefix: str | None = None
    on_behalf_of: str | None = None
    title: str | None = None
    name: str | None = None


def _separate_columns(zone: list[str], noi_nhan_at: int) -> tuple[list[str], list[str]]:
    """Split the closing row into distribution items (left) and right-column lines.

    From "Nơi nhận:" on, bullet lines and the "Lưu:" line are items, lower-case lines continue
    an unfinished item, and everything else (including text glued after an item's ";") belongs
    to the right column. Lines before "Nơi nhận:" can only be right-column lines.
    """
    right = list(zone[:noi_nhan_at])
    items: list[str] = []
    current: str | None = None
    in_list = True
    head = _NOI_NHAN_RE.match(zone[noi_nhan_at])
    first_rest = zone[noi_nhan_at][head.end():].strip() if head is not None else ""
    for line in ([first_rest] if first_rest else []) + zone[noi_nhan_at + 1:]:
        if in_list and (_BULLET_RE.match(line) or _LUU_RE.match(line)):
            if current is not None:
                items.append(current)
            current, glued = _split_glued(line)
            if glued is not None:
                right.append(glued)
            if _LUU_RE.match(_clean_item(current)) and current.endswith("."):
                items.append(current)
                current, in_list = None, False  # "- Lưu: VT, ...." closes the list
        elif in_list and current is not None and _continues_item(current, line):
            current = f"{current} {line}"  # a wrapped item
        else:
            right.append(line)
    if current is not None:
        items.append(current)
    cleaned = (_clean_item(item) for item in items)
    return [item for item in cleaned if item], right


def _is_title_line(text: str) -> bool:
    return (
        _is_upper(text)
        and len(text) <= 80
        and ";" not in text
        and _MARK_BY_KEY.get(_key(text)) is None
        and _COPY_BY_KEY.get(_key(text)) is None
        and not _NOI_NHAN_RE.match(text)
    )


def _signer_block(right: list[str], *, prefer_last: bool) -> list[str] | None:
    """The authority/title lines standing above the signer's name, and the name itself.

    The name is the anchor: a capitalised-words line right under (ignoring "(Đã ký)"-style
    noise) a capital line. Walking up from it collects the title, then the authority lines
    ("TM. ...", "KT. ..."); the walk stops at the first line that is neither.
    """
    lines = [r for r in right if len(r) <= _SHORT and not _NOISE_RE.fullmatch(r)]
    anchors = [
        i for i in range(1, len(lines))
        if _is_name(lines[i]) and _is_title_line(lines[i - 1])
    ]
    if anchors:
        # Minutes put the secretary and the chair side by side; the chair signs with the
        # authority of the meeting (appendix III, form 1.9), so the chair's column wins.
        chair = [i for i in anchors if _CHAIR_RE.fullmatch(lines[i - 1])]
        if chair and len(anchors) > 1:
            anchors = chair
        at = anchors[-1] if prefer_last else anchors[0]
        block: list[str] = []
        j = at - 1
        while j >= 0 and _is_title_line(lines[j]) and len(block) < 6:
            if block and _PREFIX_RE.match(block[0]) and not _PREFIX_RE.match(lines[j]):
                break  # above the authority line is something else
            block.insert(0, lines[j])
            j -= 1
        return [*block, lines[at]]
    prefixed = [i for i, r in enumerate(lines) if _PREFIX_RE.match(r) and _is_title_line(r)]
    if prefixed:
        at = prefixed[-1] if prefer_last else prefixed[0]
        block = [lines[at]]
        for r in lines[at + 1:at + 5]:
            if not _is_title_line(r):
                break
            block.append(r)
        return block
    return None


def _parse_block(block: list[str]) -> tuple[str | None, str | None, str | None, str | None]:
    """``(prefix, on_behalf_of, title, name)`` from a signer block.

    With two authority lines ("TM. ỦY BAN NHÂN DÂN" then "KT. CHỦ TỊCH") the first one is
    reported: it names on whose behalf the document is issued, which is what a reader of the
    fields needs first; the title under the last authority line is the signer's own.
    """
    if any(_SECOND_PREFIX_RE.search(line) for line in block) or _MINUTES_ROLES_RE.search(
        " ".join(block)
    ):
        return None, None, None, None  # two signers: which name goes with which title is unknown
    name = block[-1] if _is_name(block[-1]) else None
    upper = block[:-1] if name is not None else block
    prefix_at = [i for i, line in enumerate(upper) if _PREFIX_RE.match(line)]
    if not prefix_at:
        return None, None, " ".join(upper) or None, name
    first = upper[prefix_at[0]]
    m = _PREFIX_RE.match(first)
    assert m is not None  # prefix_at only holds matching lines
    prefix = _PREFIX_CANON[m.group(1) or m.group(2)]
    behalf = [first[m.end():]]
    last = prefix_at[-1]
    after = upper[last + 1:]
    if len(prefix_at) > 1:
        behalf.extend(upper[prefix_at[0] + 1:prefix_at[1]])
    else:
        while len(after) > 1 and _AGENCY_CONT_START_RE.match(after[0]):
            behalf.append(after.pop(0))  # "TM. ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HẢI PHÒNG"
    return prefix, " ".join(behalf) or None, " ".join(after) or None, name


def _parse_closing(pages: list[list[str]]) -> _Closing:
    """Distribution list and signer from the last "Nơi nhận:" (or the end of the last page)."""
    found: tuple[int, int] | None = None
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if _NOI_NHAN_RE.match(line):
                found = (p, i)
    closing = _Closing()
    if found is not None:
        p, i = found
        lines = pages[p]
        lo = max(0, i - _SIGNER_BEFORE)
        zone = lines[lo:i + _SIGNER_AFTER]
        items, right = _separate_columns(zone, i - lo)
        closing.distribution = tuple(items)
        block = _signer_block(right, prefer_last=False)
    else:
        last = next((lines for lines in reversed(pages) if lines), [])
        block = _signer_block(last[-40:], prefer_last=True)
    if block is not None:
        closing.prefix, closing.on_behalf_of, closing.title, closing.name = _parse_block(block)
    return closing


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _type_code(symbol: str | None) -> str | None:
    if symbol is None:
        return None
    head = re.split(r"[-/]", symbol, maxsplit=1)[0]
    return head if head in _TYPE_CODES else None


def parse_document_fields(pages: Sequence[str]) -> DocumentFields:
    """Read the Decree 30/2020 administrative fields from the text of a document's pages.

    ``pages`` holds one string per page, as extracted (NFC or NFD; any line breaks). A bare
    string is taken as a one-page document rather than a sequence of one-character pages, and
    a non-string page as an empty page, so that no caller mistake turns into an exception.
    ``pages`` in the result is the number of pages given (``None`` for none).
    """
    if isinstance(pages, str):
        pages = (pages,)
    raw = [page if isinstance(page, str) else "" for page in pages]
    prepared = [_prepare_page(page) for page in raw]
    copy_form = _find_copy_form(prepared)
    clean = [_drop_stamps(lines) for lines in prepared]
    first = next((lines for lines in clean if lines), [])

    header = _parse_header(first)
    recipients = _parse_recipients(first)
    closing = _parse_closing(clean)

    return DocumentFields(
        issuing_authority=_out(header.issuer),
        parent_authority=_out(header.parent),
        number=_out(header.number),
        symbol=_out(header.symbol),
        number_symbol=_out(header.number_symbol),
        place=_out(header.place),
        date=header.date,
        doc_type=_out(header.doc_type),
        doc_type_code=_out(_type_code(header.symbol)),
        subject=_out(header.subject),
        subject_prefix=header.subject_prefix,
        recipients=tuple(r for r in map(_out, recipients) if r is not None),
        distribution=tuple(d for d in map(_out, closing.distribution) if d is not None),
        authority_prefix=closing.prefix,
        on_behalf_of=_out(closing.on_behalf_of),
        signer_title=_out(closing.title),
        signer_name=_out(_bare_name(closing.name) if closing.name is not None else None),
        urgency=header.urgency,
        confidentiality=header.confidentiality,
        copy_form=copy_form,
        pages=len(raw) or None,
    )
