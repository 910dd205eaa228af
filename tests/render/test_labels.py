"""The words of the interface: one table, one word per thing, in both languages."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from tests.conftest import ROOT
from vnsign.models import Indication, Modification, RevocationStatus, Severity, SignerKind
from vnsign.render.labels import LABELS, label

# Keys that name the same thing and so share a word (a sheet named after what it lists).
SAME_THING = [
    {"INDETERMINATE", "gate_INDETERMINATE"},
    {"document", "documents", "sheet_documents"},
    {"signature", "signatures", "sheet_signatures"},
    {"none", "NONE"},
    {"summary", "sheet_summary"},
    {"INFO", "notes", "reg_notes"},
]


def test_every_label_in_both_languages_nfc() -> None:
    for key, (vi, en) in LABELS.items():
        assert vi.strip() and en.strip(), key
        assert unicodedata.normalize("NFC", vi) == vi, key


def test_one_word_is_one_thing() -> None:
    """Two keys with the same word must name the same thing (e.g. not a verdict and the
    CI gate): the issue found "Không hợp lệ" and "Không đạt" for one verdict."""
    for position in (0, 1):
        by_word: dict[str, set[str]] = defaultdict(set)
        for key, words in LABELS.items():
            by_word[words[position].lower()].add(key)
        for word, keys in by_word.items():
            if len(keys) > 1:
                assert any(keys <= group for group in SAME_THING), (word, keys)


def test_every_code_the_views_show_has_words() -> None:
    for enum in (Indication, Modification, RevocationStatus, Severity):
        for member in enum:
            assert member.value in LABELS, member
    for kind in (SignerKind.PERSON, SignerKind.AGENCY, SignerKind.TSA, SignerKind.UNKNOWN):
        assert kind.value in LABELS, kind
    assert label("FAILED", "vi") == "Không hợp lệ"  # the glossary of VIETNAM.md
    assert label("INDETERMINATE", "vi") == "Chưa xác định được"


def test_every_label_key_used_exists() -> None:
    """A key missing from the table would print as itself (``reg_author``)."""
    pattern = re.compile(r"""\b(?:label|L)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
    used = set()
    for path in [*(ROOT / "src" / "vnsign" / "render").glob("*.py"),
                 ROOT / "src" / "vnsign" / "cli_batch.py"]:
        used |= set(pattern.findall(path.read_text("utf-8")))
    assert used and not used - set(LABELS), sorted(used - set(LABELS))
