"""The recipients ("Kính gửi:") and the closing row: "Nơi nhận:" and the signer block.

The closing row puts the distribution list on the left and the signer's authority, title and
name on the right. They share baselines, so extraction glues them line by line; the list is
recognised by its bullets and ";" endings, and everything else is right-column text, in which
the signer's printed name anchors the block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnsign.vn.decree30.lexicon import (
    AGENCY_CONT_START_RE,
    BODY_START_RE,
    BULLET_RE,
    CHAIR_RE,
    COPY_BY_KEY,
    DIEN_RE,
    GLUE_SPLIT_RE,
    KINH_GUI_RE,
    LUU_RE,
    MARK_BY_KEY,
    MINUTES_ROLES_RE,
    NOI_NHAN_RE,
    NOISE_RE,
    PARA_START_RE,
    PREFIX_CANON,
    PREFIX_RE,
    SECOND_PREFIX_RE,
    SHORT,
    SIGNER_AFTER,
    SIGNER_BEFORE,
    clean_item,
    compare_key,
    ends_item,
    is_name,
    is_upper,
)

# --------------------------------------------------------------------------------------------
# Recipients ("Kính gửi:")
# --------------------------------------------------------------------------------------------


def _recipients_head(line: str) -> re.Match[str] | None:
    """ "Kính gửi:", or a dispatch's "<AUTHORITY> điện:" (appendix III, form 1.6)."""
    m = KINH_GUI_RE.match(line)
    if m is None and len(line) <= SHORT:
        # A received scan has the clerk's handwritten marks before it ("20/5... Kính gửi:"):
        # a prefix without a letter is no text of the document.
        found = KINH_GUI_RE.search(line, 0, 40)
        if found is not None and not any(ch.isalpha() for ch in line[:found.start()]):
            return found
        m = DIEN_RE.match(line)
        if m is not None and not is_upper(m.group(1)):
            return None
    return m


def _starts_body(line: str) -> bool:
    return bool(BODY_START_RE.match(line) or PARA_START_RE.match(line) or is_upper(line))


def parse_recipients(lines: list[str]) -> tuple[str, ...]:
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
        if current is not None and current.endswith(".") and not BULLET_RE.match(nxt):
            break  # the last recipient ends with a full stop (unless a bullet follows)
        if len(nxt) > SHORT or NOI_NHAN_RE.match(nxt):
            break
        if BULLET_RE.match(nxt):
            if current is not None:
                items.append(current)
            current = nxt
        elif current is None and not items:
            current = nxt  # the single recipient fell onto its own line
        elif current is not None and not ends_item(current) and (
            # A listed item ends with ";" or "."; until then its lines run on, whatever case
            # the next one starts with.
            nxt[:1].islower() or (BULLET_RE.match(current) is not None and not _starts_body(nxt))
        ):
            current = f"{current} {nxt}"  # a wrapped recipient
        else:
            break
    if current is not None:
        items.append(current)
    cleaned = (clean_item(item) for item in items)
    return tuple(item for item in cleaned if item)


# --------------------------------------------------------------------------------------------
# "Nơi nhận:" and the signer block
# --------------------------------------------------------------------------------------------


def _is_right_text(text: str) -> bool:
    """Could ``text`` be a right-column line of the signing block (authority, title, name)?"""
    if ";" in text or text.endswith((".", ",")):
        return False
    if PREFIX_RE.match(text) and is_upper(text):
        return True
    return (is_upper(text) and len(text.split()) >= 2) or is_name(text)


def _continues_item(current: str, line: str) -> bool:
    """Is ``line`` the wrapped rest of the unfinished list item ``current``?

    A lower-case start says so; so does a line that ends the item (";" or ".") without
    reading as right-column text ("- Cổng thông tin điện tử" / "Bộ Tài chính;").
    """
    if LUU_RE.match(clean_item(current)):
        # "Lưu:" is the last item; only the drafter's initials or a copy count wrap after it.
        return line[:1].islower() and len(line) <= 40
    plain = (
        not _is_right_text(line)
        and NOISE_RE.fullmatch(line) is None
        and _split_glued(line)[1] is None
    )
    if ends_item(current):
        # An item with sub-parts separated by ";" ("VPCP: BTCN, PCN ...;" / "Trợ lý, Thư ký
        # của: ...;"): a further line without a bullet that ends the same way goes with it.
        return current.endswith(";") and ends_item(line) and plain and not is_upper(line)
    if line[:1].islower():
        return True
    return ends_item(line) and plain


def _split_glued(item: str) -> tuple[str, str | None]:
    """``"- Như trên; CHÁNH VĂN PHÒNG"`` -> ``("- Như trên;", "CHÁNH VĂN PHÒNG")``.

    The two columns of the closing row share baselines, so a distribution line may carry the
    right column's text after its ";" or ".". The first split whose remainder reads as
    right-column text wins ("UBND TP. Hải Phòng;" does not split at "TP.").
    """
    if len(item) > SHORT:
        return item, None
    for m in GLUE_SPLIT_RE.finditer(item):
        rest = item[m.end():]
        if rest and (_is_right_text(rest) or NOISE_RE.fullmatch(rest)):
            return item[:m.start() + 1], rest  # "(Đã ký)" beside an item goes right too
    return item, None


@dataclass
class Closing:
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
    head = NOI_NHAN_RE.match(zone[noi_nhan_at])
    first_rest = zone[noi_nhan_at][head.end():].strip() if head is not None else ""
    for line in ([first_rest] if first_rest else []) + zone[noi_nhan_at + 1:]:
        if in_list and (BULLET_RE.match(line) or LUU_RE.match(line)):
            if current is not None:
                items.append(current)
            current, glued = _split_glued(line)
            if glued is not None:
                right.append(glued)
            if LUU_RE.match(clean_item(current)) and current.endswith("."):
                items.append(current)
                current, in_list = None, False  # "- Lưu: VT, ...." closes the list
        elif in_list and current is not None and _continues_item(current, line):
            current = f"{current} {line}"  # a wrapped item
        else:
            right.append(line)
    if current is not None:
        items.append(current)
    cleaned = (clean_item(item) for item in items)
    return [item for item in cleaned if item], right


def _is_title_line(text: str) -> bool:
    return (
        is_upper(text)
        and len(text) <= 80
        and ";" not in text
        and MARK_BY_KEY.get(compare_key(text)) is None
        and COPY_BY_KEY.get(compare_key(text)) is None
        and not NOI_NHAN_RE.match(text)
    )


def _signer_block(right: list[str], *, prefer_last: bool) -> list[str] | None:
    """The authority/title lines standing above the signer's name, and the name itself.

    The name is the anchor: a capitalised-words line right under (ignoring "(Đã ký)"-style
    noise) a capital line. Walking up from it collects the title, then the authority lines
    ("TM. ...", "KT. ..."); the walk stops at the first line that is neither.
    """
    # Lines without a letter (a page number, a footnote marker) stand between nothing.
    # So do scribbles that OCR reads off a signature ("252i"): mostly not letters.
    lines = [
        r for r in right
        if len(r) <= SHORT and not NOISE_RE.fullmatch(r) and _mostly_letters(r)
    ]
    anchors = [
        i for i in range(1, len(lines))
        if is_name(lines[i]) and _is_title_line(lines[i - 1])
    ]
    if anchors:
        # Minutes put the secretary and the chair side by side; the chair signs with the
        # authority of the meeting (appendix III, form 1.9), so the chair's column wins.
        chair = [i for i in anchors if CHAIR_RE.fullmatch(lines[i - 1])]
        if chair and len(anchors) > 1:
            anchors = chair
        at = anchors[-1] if prefer_last else anchors[0]
        block: list[str] = []
        j = at - 1
        while j >= 0 and _is_title_line(lines[j]) and len(block) < 6:
            if block and PREFIX_RE.match(block[0]) and not PREFIX_RE.match(lines[j]):
                break  # above the authority line is something else
            block.insert(0, lines[j])
            j -= 1
        return [*block, lines[at]]
    prefixed = [i for i, r in enumerate(lines) if PREFIX_RE.match(r) and _is_title_line(r)]
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
    if any(SECOND_PREFIX_RE.search(line) for line in block) or MINUTES_ROLES_RE.search(
        " ".join(block)
    ):
        return None, None, None, None  # two signers: which name goes with which title is unknown
    name = block[-1] if is_name(block[-1]) else None
    upper = block[:-1] if name is not None else block
    prefix_at = [i for i, line in enumerate(upper) if PREFIX_RE.match(line)]
    if not prefix_at:
        return None, None, " ".join(upper) or None, name
    first = upper[prefix_at[0]]
    m = PREFIX_RE.match(first)
    assert m is not None  # prefix_at only holds matching lines
    prefix = PREFIX_CANON[m.group(1) or m.group(2)]
    behalf = [first[m.end():]]
    last = prefix_at[-1]
    after = upper[last + 1:]
    if len(prefix_at) > 1:
        behalf.extend(upper[prefix_at[0] + 1:prefix_at[1]])
    else:
        while len(after) > 1 and AGENCY_CONT_START_RE.match(after[0]):
            behalf.append(after.pop(0))  # "TM. ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HẢI PHÒNG"
    return prefix, " ".join(behalf) or None, " ".join(after) or None, name


def _mostly_letters(text: str) -> bool:
    """Could ``text`` be a line of the signing block? Not a scribble: mostly letters, and not
    one lone lower-case word (titles are capitals, names capitalised)."""
    letters = sum(ch.isalpha() for ch in text)
    if " " not in text.strip() and text.islower():
        return False
    return letters >= 2 and letters * 2 >= sum(not ch.isspace() for ch in text)


def parse_closing(pages: list[list[str]]) -> Closing:
    """Distribution list and signer of the document's first closing.

    A PDF often bundles the registered document with what follows it (an attachment, a
    draft decision, an appendix form with its own "Nơi nhận:"): the fields are those of the
    first document, so its closing is the first "Nơi nhận:". Without one (Công báo copies,
    Luật), the first signer block with a name under a prefixed title is taken, then the end
    of the last page.
    """
    found = next(
        ((p, i) for p, lines in enumerate(pages) for i, line in enumerate(lines)
         if NOI_NHAN_RE.match(line)),
        None,
    )
    closing = Closing()
    if found is not None:
        p, i = found
        lines = pages[p]
        lo = max(0, i - SIGNER_BEFORE)
        zone = lines[lo:i + SIGNER_AFTER]
        items, right = _separate_columns(zone, i - lo)
        closing.distribution = tuple(items)
        block = _signer_block(right, prefer_last=False)
        if block is None:
            # A seal over the title lines (a scan read by OCR) leaves the name alone beside
            # the list: one name there is the signer's, without a title.
            names = [r for r in right[i - lo:] if len(r) <= SHORT and is_name(r)]
            block = names if len(names) == 1 else None
    else:
        block = next(
            (b for lines in pages if (b := _signer_block(lines, prefer_last=False)) is not None
             and len(b) > 1 and PREFIX_RE.match(b[0]) and is_name(b[-1])),
            None,
        )
        if block is None:
            last = next((lines for lines in reversed(pages) if lines), [])
            block = _signer_block(last[-40:], prefer_last=True)
    if block is not None:
        closing.prefix, closing.on_behalf_of, closing.title, closing.name = _parse_block(block)
    return closing
