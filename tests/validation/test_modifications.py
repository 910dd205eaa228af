"""vnsign's modification policy on documents written the way real signing tools write them.

The cases are made by tests/fixtures/modifications/make_modifications.py (deterministic,
from the committed test PKI) and described in tests/fixtures/modifications/CASES.md.
Each test asserts the verdict field by field: the document's indication and
sub-indication, and per signature its indication, sub-indication, modification level and
the codes of its WARNING/ERROR findings plus the INFO findings of the modification rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, fixture_trust
from vnsign import DocumentReport, verify

CASES = FIXTURES / "modifications"
TRUST = fixture_trust()
RULE_NOTES = frozenset({"STRUCTURE_TREE_UPDATED", "SIGNED_AFTER_CERTIFICATION",
                        "INHERITED_PAGE_ATTRIBUTES_WRITTEN"})

Signature = tuple[str, str | None, str, tuple[str, ...]]
EXPECTED: dict[str, tuple[str, str | None, tuple[Signature, ...]]] = {
    "tagged-certified-then-sealed": ("PASSED", None, (
        ("PASSED", None, "FORM_FILLING", ("STRUCTURE_TREE_UPDATED",
                                          "SIGNED_AFTER_CERTIFICATION")),
        ("PASSED", None, "FORM_FILLING", ("STRUCTURE_TREE_UPDATED",)),
        ("PASSED", None, "FORM_FILLING", ("STRUCTURE_TREE_UPDATED",)),
        ("PASSED", None, "NONE", ()),
    )),
    "tagged-retagged-after-signing": ("FAILED", "FORMAT_FAILURE", (
        ("FAILED", "FORMAT_FAILURE", "OTHER", ("MODIFIED_DISALLOWED",)),
    )),
    "inherited-mediabox-written": ("PASSED", None, (
        ("PASSED", None, "FORM_FILLING", ("INHERITED_PAGE_ATTRIBUTES_WRITTEN",)),
        ("PASSED", None, "NONE", ()),
    )),
    "inherited-mediabox-changed": ("FAILED", "FORMAT_FAILURE", (
        ("FAILED", "FORMAT_FAILURE", "OTHER", ("MODIFIED_DISALLOWED",)),
        ("PASSED", None, "NONE", ()),
    )),
}


ITEXT5 = FIXTURES / "itext5" / "itext5-stamp-inherited-mediabox.pdf"


def test_itext5_plugin_stamp_keeps_the_earlier_signature() -> None:
    # iText 5 (made by tests/fixtures/itext5/make_itext5.py) writes the page's inherited
    # /MediaBox into the page it stamps; the earlier signature stands, with the finding.
    report = verify(ITEXT5, trust=TRUST, policy=OFFLINE)
    assert verdict(report) == ("PASSED", None, (
        ("PASSED", None, "FORM_FILLING", ("INHERITED_PAGE_ATTRIBUTES_WRITTEN",)),
        ("PASSED", None, "NONE", ()),
    ))


def test_pyhanko_alone_refuses_the_itext5_stamp() -> None:
    # The case for the rule: pyHanko's own policy calls the same update illegal.
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, SuspiciousModification

    reader = PdfFileReader(io.BytesIO(ITEXT5.read_bytes()), strict=False)
    first = reader.embedded_signatures[0]
    result = DEFAULT_DIFF_POLICY.review_file(reader, first.signed_revision)
    assert isinstance(result, SuspiciousModification)


def verdict(report: DocumentReport) -> tuple[str, str | None, tuple[Signature, ...]]:
    return (report.indication.value, report.sub_indication, tuple(
        (s.indication.value, s.sub_indication, s.integrity.modifications_after.value,
         tuple(f.code for f in s.findings
               if f.severity.value != "INFO" or f.code in RULE_NOTES))
        for s in report.signatures))


def test_every_case_is_expected_and_listed() -> None:
    made = {p.stem for p in CASES.glob("*.pdf")}
    assert made == set(EXPECTED)
    listed = (CASES / "CASES.md").read_text("utf-8")
    assert all(f"`{name}`" in listed for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_modification_case(name: str) -> None:
    report = verify(CASES / f"{name}.pdf", trust=TRUST, policy=OFFLINE)
    assert verdict(report) == EXPECTED[name]


def test_the_certification_names_the_fields_signed_after_it() -> None:
    report = verify(CASES / "tagged-certified-then-sealed.pdf", trust=TRUST, policy=OFFLINE)
    [note] = [f for f in report.signatures[0].findings if f.code == "SIGNED_AFTER_CERTIFICATION"]
    assert all(name in note.message.en for name in ("Signature2", "Signature3", "Signature4"))


def test_the_written_attribute_is_named() -> None:
    report = verify(CASES / "inherited-mediabox-written.pdf", trust=TRUST, policy=OFFLINE)
    [note] = [f for f in report.signatures[0].findings
              if f.code == "INHERITED_PAGE_ATTRIBUTES_WRITTEN"]
    assert "/MediaBox" in note.message.en and "/MediaBox" in note.message.vi


def _parent_tree_array_rewritten(change: Any, more: Any = None) -> bytes:
    """The certified-then-sealed letter with one more (unsigned) revision that rewrites
    in place, under the same object number, the /ParentTree array of the page (key 0)
    after ``change`` has been applied to it (and whatever ``more`` does to the writer)."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(
        io.BytesIO((CASES / "tagged-certified-then-sealed.pdf").read_bytes()))
    tree = writer.root["/StructTreeRoot"]["/ParentTree"]
    ref = tree["/Nums"].raw_get(1).reference
    change(writer.get_object(ref))
    writer.mark_update(generic.Reference(ref.idnum, ref.generation, writer))
    if more is not None:
        more(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_parent_tree_array_rewritten_unchanged_is_bookkeeping() -> None:
    """Every signature stands, the earlier ones too: reviewed against the first signed
    revision, the rewritten tree holds the keys that the later signatures' revisions
    registered (their new elements, vetted again), not keys this revision made up."""
    report = verify(_parent_tree_array_rewritten(lambda array: None), trust=TRUST,
                    policy=OFFLINE)
    signed = EXPECTED["tagged-certified-then-sealed"]
    assert verdict(report) == ("PASSED", None, (
        *signed[2][:3], ("PASSED", None, "LTV_UPDATES", ("STRUCTURE_TREE_UPDATED",))))


def test_a_parent_tree_key_for_signed_content_is_refused_after_later_signatures() -> None:
    """The same rewrite, plus a new key naming an element of the signed pages: the
    elements earlier revisions added never stand in for it."""
    from pyhanko.pdf_utils import generic

    def register_signed_element(writer: Any) -> None:
        root = writer.root["/StructTreeRoot"]
        tree = root["/ParentTree"]
        page_array = tree["/Nums"][1]
        key = int(root["/ParentTreeNextKey"])
        tree["/Nums"].extend([generic.NumberObject(key),
                              generic.ArrayObject([page_array.raw_get(0)])])
        root["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
        writer.update_container(tree)
        writer.update_container(root)

    report = verify(_parent_tree_array_rewritten(lambda array: None, register_signed_element),
                    trust=TRUST, policy=OFFLINE)
    refused = ("FAILED", "FORMAT_FAILURE", "OTHER", ("MODIFIED_DISALLOWED",))
    assert verdict(report) == ("FAILED", "FORMAT_FAILURE", (refused,) * 4)


def test_a_parent_tree_array_rewritten_in_place_to_other_elements_is_refused() -> None:
    """The same object number, other content: each revision's array is read from its own
    bytes (structure._entry_items keeps what an array names by where it is read from, so
    the two versions are never taken for one)."""
    def swap(array: Any) -> None:
        array[0], array[1] = array[1], array[0]

    report = verify(_parent_tree_array_rewritten(swap), trust=TRUST, policy=OFFLINE)
    assert verdict(report)[2][-1] == ("FAILED", "FORMAT_FAILURE", "OTHER",
                                      ("MODIFIED_DISALLOWED",))
