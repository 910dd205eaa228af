"""Page text made ready for the readers: normalised lines, signature stamps removed, the copy form.

Blank lines carry no structure in extracted text, and the visible stamps that signing tools
draw ("Ký bởi: ...", a timestamp, "... đã ký lên văn bản này!") are not part of the document's
own text: both go before the header and closing readers see the lines. The copy form ("SAO Y")
is read here, before the stamps go, because an electronic copy's stamp is what carries it."""

from __future__ import annotations

import unicodedata

from vnsign.vn.decree30.lexicon import (
    COPY_BY_KEY,
    GLUED_RULE_RE,
    INVISIBLE_RE,
    REASON_RE,
    SHORT,
    SIGNED_BY_RE,
    STAMP_LOCATIONS,
    TIMESTAMP_RE,
    compare_key,
    is_upper,
)

# --------------------------------------------------------------------------------------------
# Page preparation and signature stamps
# --------------------------------------------------------------------------------------------


def prepare_page(raw: str) -> list[str]:
    """NFC, invisible characters removed, whitespace collapsed; blank lines dropped.

    Blank lines carry no structure here: extraction emits them between most lines.
    Invisible characters go before normalisation, so no decomposed sequence survives it.
    """
    text = unicodedata.normalize("NFC", INVISIBLE_RE.sub("", raw))
    lines: list[str] = []
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())
        if not line:
            continue
        # A rule typed as underscores under a line often shares its baseline in extraction
        # ("BỘ TÀI CHÍNH____________"): it is a separator line of its own.
        glued = GLUED_RULE_RE.fullmatch(line) if "___" in line else None
        if glued is not None:
            lines.extend(part.strip() for part in glued.groups() if part and part.strip())
        else:
            lines.append(line)
    return lines


def _is_reason(line: str) -> bool:
    return len(line) <= SHORT and REASON_RE.search(line) is not None


def drop_stamps(lines: list[str]) -> list[str]:
    """Remove the visible signature stamps that PDF signers put into the text layer.

    A stamp is "<ISO time>", "<location>", "<name> <e-mail> đã ký lên văn bản này!" (VGCA), or
    "Ký bởi: ..." / "Thời gian ký: ..." (other tools). An electronic copy or attachment carries
    the agency's stamp at the top right of page 1 ("SAO Y", agency, time): the short lines just
    above a timestamp near the top of a page belong to it.
    """
    drop = [False] * len(lines)
    for i, line in enumerate(lines):
        if len(line) > SHORT:
            continue
        if TIMESTAMP_RE.fullmatch(line):
            drop[i] = True
            if i + 1 < len(lines):
                nxt = lines[i + 1]
                if nxt.casefold() in STAMP_LOCATIONS or (
                    len(nxt) <= 40 and i + 2 < len(lines) and _is_reason(lines[i + 2])
                ):
                    drop[i + 1] = True
            if i <= 5:
                for j in (i - 1, i - 2):
                    if j >= 0 and len(lines[j]) <= 60 and (
                        is_upper(lines[j]) or " " not in lines[j]
                    ):
                        drop[j] = True
                    else:
                        break
        elif _is_reason(line) or SIGNED_BY_RE.match(line):
            drop[i] = True
    return [line for line, gone in zip(lines, drop, strict=True) if not gone]


def find_copy_form(pages: list[list[str]]) -> str | None:
    """"SAO Y" / "SAO LỤC" / "TRÍCH SAO" as a line of its own (paper or electronic copy)."""
    for index, lines in enumerate(pages):
        for pos, line in enumerate(lines):
            if len(line) <= 20 and (form := COPY_BY_KEY.get(compare_key(line))) is not None:
                return form
            if index == 0 and pos < 8 and len(line) <= 80 and is_upper(line):
                # Electronic copy stamp glued to the copying agency: "SAO Y SỞ NỘI VỤ".
                words = line.split()
                for n in (2, 1):
                    form = COPY_BY_KEY.get(compare_key(" ".join(words[:n])))
                    if form is not None and len(words) > n:
                        return form
    return None


def copy_form_of_stamp(text: str) -> str | None:
    """The copy form an electronic copy's signature box opens with ("SAO Y" / "Bộ Công an" /
    "Thời gian ký: ..."): e-office systems stamp the copy this way, in the copier's signature
    widget, not in the page text."""
    first = text.strip().split("\n", 1)[0]
    return COPY_BY_KEY.get(compare_key(first)) if len(first) <= 20 else None
