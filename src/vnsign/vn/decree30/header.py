"""The header block of page 1: agencies, number and symbol, place and date, marks, type, subject.

Decree 30 puts the parent and issuing agency, "Số:" and, for a dispatch, "V/v ..." in the left
column; the national motto and "<Place>, ngày .. tháng .. năm ...." in the right; the type line
in capitals with the subject under it below both. Extraction interleaves the two columns line by
line (in either order) or glues them on one line, so each line is split into right-column spans
(motto, place and date) and left-column chunks, and each chunk is classified by its content."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from vnsign.vn.decree30.lexicon import (
    AGENCY_CONT_END_RE,
    AGENCY_CONT_START_RE,
    AGENCY_HEAD_RE,
    AUTHORITY_TITLE_RE,
    BLANK_DATE_RE,
    BODY_START_RE,
    BROKEN_NS_RE,
    CAPITAL_SUBJECT_RE,
    CODE_RE,
    COPY_BY_KEY,
    DATE_RE,
    HEADER_SCAN,
    KINH_GUI_RE,
    MARK_BY_KEY,
    MARKER_RE,
    MOTTO1_RE,
    MOTTO2_RE,
    NOI_NHAN_RE,
    NS_TOKEN_RE,
    PARA_START_RE,
    PARTY_RE,
    PLACE_CONNECTORS,
    SEP_WS_RE,
    SHORT,
    SO_RE,
    SUBJECT_LINES,
    VV_RE,
    compare_key,
    has_alnum,
    is_type_line,
    is_upper,
    join_wrapped_lines,
    subject_stop,
)

# --------------------------------------------------------------------------------------------
# Header
# --------------------------------------------------------------------------------------------


@dataclass
class Header:
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
    if word in ("-", "–") or word in PLACE_CONNECTORS:
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
    while k < len(words) and (words[k][1] in PLACE_CONNECTORS or words[k][1] in ("-", "–")):
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
    for rx in (MOTTO1_RE, MOTTO2_RE, PARTY_RE):
        spans.extend(m.span() for m in rx.finditer(line))
    motto = bool(spans)
    date = place = None
    place_ok = False
    dm = DATE_RE.search(line)
    iso = None
    if dm is not None and not any(s < dm.end() and dm.start() < e for s, e in spans):
        iso = _iso_date(*dm.groups())
    if iso is None:
        # The day or month left blank, handwritten or misread by OCR ("ngày 01 tháng năm
        # 2024", "ngày99"): no date, but the place before it is printed all the same.
        dm = BLANK_DATE_RE.search(line)
        if dm is not None and any(s < dm.end() and dm.start() < e for s, e in spans):
            dm = None
    if dm is not None:
        pstart = max((e for _, e in spans if e <= dm.start()), default=0)
        place, offset, comma = _split_place(line[pstart:dm.start()])
        rest_before = line[pstart:pstart + offset].strip()
        date = iso
        # Without the comma, accept the place only when nothing else precedes it (and, for
        # a date that is not whole, never).
        place_ok = place is not None and (comma or (iso is not None and not rest_before))
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
    return _HeaderLine([c for c in cleaned if has_alnum(c)], motto, date, place, place_ok)


def _split_markers(chunk: str) -> list[str]:
    """Split a left-column chunk before each "Số:" and "V/v" (glued left-column lines)."""
    starts = [m.start() for m in MARKER_RE.finditer(chunk)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces = [chunk[a:b].strip() for a, b in zip(starts, [*starts[1:], len(chunk)], strict=True)]
    return [p for p in pieces if p]


def _peel_marks(chunk: str) -> tuple[list[tuple[str, str]], str]:
    """Urgency/confidentiality marks standing alone or as a capital token at either end."""
    found = MARK_BY_KEY.get(compare_key(chunk)) if len(chunk) <= 20 else None
    if found is not None:
        return [found], ""
    words = chunk.split()
    marks: list[tuple[str, str]] = []
    for n in (2, 1):
        head = " ".join(words[:n])
        found = MARK_BY_KEY.get(compare_key(head))
        if found is not None and len(words) > n and is_upper(head):
            marks.append(found)
            words = words[n:]
            break
    for n in (2, 1):
        tail = " ".join(words[-n:])
        found = MARK_BY_KEY.get(compare_key(tail))
        if found is None or len(words) <= n or not is_upper(tail):
            continue
        if n == 1 and compare_key(words[-2]) in ("BÍ", "THƯỢNG", "TỐI", "TUYỆT"):
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
    text = SEP_WS_RE.sub(r"\1", rest.strip())
    token, _, leftover = text.partition(" ")
    token = token.rstrip(".,;:/-")
    code, _, after = leftover.partition(" ")
    if token.isdigit() and CODE_RE.fullmatch(code.rstrip(".,;")):
        # "Số: 409 BCA-C04": the slash lost (OCR) between the number and its symbol.
        token, leftover = f"{token}/{code.rstrip('.,;')}", after
    if not any(ch.isdigit() or ch.isalpha() for ch in token):
        return None, leftover
    m = NS_TOKEN_RE.fullmatch(token)
    if m is None and not any(ch.isdigit() for ch in token):
        return None, rest  # "Số: abc" is not a number and symbol
    if m is not None and m.group("num") is None and m.group("sym") is None:
        return None, leftover
    return token, leftover


def _split_number_symbol(token: str | None) -> tuple[str | None, str | None]:
    """``(number, symbol)``: "12/2025/QĐ-UBND" -> ("12", "QĐ-UBND"); the year stays out."""
    m = NS_TOKEN_RE.fullmatch(token) if token is not None else None
    if m is None:
        # A number OCR could not read ("2X/TTr-CAT-PC06", a handwritten "289"): no number,
        # but the printed symbol after it is whole.
        broken = BROKEN_NS_RE.fullmatch(token or "")
        return (None, broken.group("sym")) if broken is not None else (None, None)
    return m.group("num"), m.group("sym")


@dataclass(frozen=True)
class _Piece:
    """A left-column piece of the header: so, vv, upper, other, urgency or confidentiality."""

    kind: str
    text: str


def _classify(piece: str, out: list[_Piece]) -> None:
    """Append the classified form of a left-column ``piece`` to ``out``."""
    m = SO_RE.match(piece)
    if m is not None:
        ns, leftover = _parse_number_symbol(piece[m.end():])
        if ":" not in m.group(0) and not (ns and ("/" in ns or "-" in ns)):
            # "Số 57-NQ/TW" (party style, no colon) is a number; "Số 5 Lý Văn Lâm" is a
            # street address.
            out.append(_Piece("upper" if is_upper(piece) else "other", piece))
            return
        out.append(_Piece("so", ns or ""))
        leftover = leftover.strip()
        if leftover and leftover != piece:
            _classify(leftover, out)
        return
    m = VV_RE.match(piece)
    if m is not None and MARKER_RE.match(piece):
        marks, rest = _peel_marks(piece[m.end():])
        out.append(_Piece("vv", rest))
        out.extend(_Piece(kind, value) for kind, value in marks)
        return
    marks, rest = _peel_marks(piece)
    out.extend(_Piece(kind, value) for kind, value in marks)
    if not rest or not has_alnum(rest) or COPY_BY_KEY.get(compare_key(" ".join(rest.split()[:2]))):
        return  # "SAO Y" alone or before the copying agency: the copy stamp, not the header
    if CODE_RE.fullmatch(rest):
        return  # "TB-VPCP" alone: the rest of a number line that a stamp broke, no agency

    out.append(_Piece("upper" if is_upper(rest) else "other", rest))


def _join_wrapped(names: list[str]) -> list[str]:
    """Join agency names that wrap ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HẢI PHÒNG").

    A line continues the one above when it starts with a place or connector word, when the
    line above ends with "VÀ", a comma or a dash, or when it does not start like an agency
    name at all. Everything else starts a new name (parent first, issuer last).
    """
    joined: list[str] = []
    for name in names:
        if joined and (
            AGENCY_CONT_START_RE.match(name)
            or AGENCY_CONT_END_RE.search(joined[-1])
            or not AGENCY_HEAD_RE.match(name)
        ):
            joined[-1] = f"{joined[-1]} {name}"
        else:
            joined.append(name)
    return joined


def _starts_paragraph(lines: list[str], at: int) -> bool:
    """Does the line at ``at`` open a body paragraph that wraps onto lower-case lines and
    ends a sentence there? A subject never ends with a full stop, so such a line is body."""
    for line in lines[at + 1:at + 6]:
        if not line[:1].islower() or len(line) > SHORT:
            return False
        if line.endswith((".", ";", ":")):
            return True
    return False


def _capital_subject(line: str) -> bool:
    """Is a capital line under the type line a subject set in capitals ("BAN HÀNH QUY ĐỊNH
    VỀ ...", "QUY ĐỊNH VỀ HÓA ĐƠN, CHỨNG TỪ"), rather than the issuing authority's line
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "BỘ TRƯỞNG BỘ TÀI CHÍNH") or a mark?"""
    if not is_upper(line) or len(line) > 90 or is_type_line(line) is not None:
        return False
    if MARK_BY_KEY.get(compare_key(line)) is not None or AUTHORITY_TITLE_RE.match(line):
        return False
    return CAPITAL_SUBJECT_RE.match(line) is not None


def _typed_subject(lines: list[str], start: int) -> str | None:
    parts: list[str] = []
    capitals = start < len(lines) and _capital_subject(lines[start])
    for i in range(start, min(start + SUBJECT_LINES + 4, len(lines))):
        line = lines[i]
        if capitals:
            if not _capital_subject(line) and not (parts and is_upper(line) and len(line) <= 90
                                                   and not AUTHORITY_TITLE_RE.match(line)):
                break
            parts.append(line)
            if len(parts) >= SUBJECT_LINES:
                break
            continue
        if subject_stop(line, first=not parts):
            break
        if parts and not line[:1].islower() and _starts_paragraph(lines, i):
            break
        parts.append(line)
        if len(parts) >= SUBJECT_LINES or line.endswith((".", ";")):
            break
    return join_wrapped_lines(parts).rstrip(" .;") or None


def _is_date_line(line: str) -> bool:
    """A right-column date without place ("Ngày 25 tháng 9 năm 2025"), not a body sentence."""
    m = DATE_RE.match(line)
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
            and len(line) <= SHORT
            and len(lines[i + 1]) <= 40
            and "ngày" in line.casefold()
            and DATE_RE.search(line) is None
        ):
            joined = f"{line} {lines[i + 1]}"
            m = DATE_RE.search(joined)
            if m is not None and m.start() < len(line) < m.end():
                out.append(joined)
                i += 2
                continue
        out.append(line)
        i += 1
    return out


def parse_header(lines: list[str]) -> Header:
    """Header fields from the (stamp-free, non-blank) lines of the first page."""
    h = Header()
    lines = _join_split_dates(lines[:HEADER_SCAN]) + lines[HEADER_SCAN:]
    zone: list[_HeaderLine] = []
    type_at: int | None = None
    for i, line in enumerate(lines[:HEADER_SCAN]):
        doc_type = is_type_line(line)
        if doc_type is not None:
            h.doc_type, type_at = doc_type, i
            break
        if KINH_GUI_RE.match(line) or NOI_NHAN_RE.match(line):
            break
        if BODY_START_RE.match(line) or (PARA_START_RE.match(line) and not _is_date_line(line)):
            break
        split = _split_header_line(line) if len(line) <= SHORT else None
        if split is None or any(len(c) > 90 for c in split.chunks):
            break  # body text: the header (if any) is over
        zone.append(split)

    pieces: list[_Piece] = []
    motto = False
    date: tuple[str | None, str | None, bool] | None = None
    for hl in zone:
        motto = motto or hl.motto
        if (date is None or date[0] is None) and hl.date is not None:
            date = (hl.date, hl.place, hl.place_ok)
        elif date is None and hl.place_ok:
            date = (None, hl.place, True)  # a place before a date that is not whole
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
        # A Công báo copy prints its section heading ("BỘ TÀI CHÍNH") above the document's
        # own header: the same name twice is one agency, not a parent and itself.
        names = [
            n for i, n in enumerate(names)
            if i == 0 or compare_key(n) != compare_key(names[i - 1])
        ]
        if names:
            h.issuer = names[-1]
            h.parent = " ".join(names[:-1]) or None

    vv_subject: str | None = None
    if "vv" in kinds:
        at = kinds.index("vv")
        parts = [pieces[at].text] if pieces[at].text else []
        for piece in pieces[at + 1:]:
            if piece.kind != "other" or len(parts) >= SUBJECT_LINES:
                break
            if subject_stop(piece.text, first=not parts):
                break
            parts.append(piece.text)
        vv_subject = join_wrapped_lines(parts) or None

    if type_at is not None:
        subject = _typed_subject(lines, type_at + 1)
        vv = VV_RE.match(subject) if subject is not None else None
        if subject is not None and vv is not None and MARKER_RE.match(subject):
            h.subject_prefix = "V/v"
            subject = subject[vv.end():] or None
        h.subject = subject
    elif "vv" in kinds:
        h.doc_type, h.subject, h.subject_prefix = "Công văn", vv_subject, "V/v"
    return h
