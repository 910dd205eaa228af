"""The stamp text: what a widget's normal appearance draws, read by pypdf.

vnsign.pdf.pages.PdfView.stamp_text reads the appearance XObject directly
(``extract_xform_text``). It used to wrap it in a throw-away page that paints it; that
reading is kept here as the reference, and both must give the same text for every
annotation of the fixtures and of the real documents. Appearances that are not forms
read as no text, as pypdf's page reading treats them, without their data parsed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from tests.conftest import FIXTURES, SHARED
from vnsign.pdf.pages import PdfView, _guard, _nfc


def _through_a_page(view: PdfView, idnum: int, generation: int) -> str | None:
    """The earlier reading: a page whose content paints the appearance XObject."""
    def read() -> str | None:
        widget: Any = IndirectObject(idnum, generation, view.reader).get_object()
        ap = widget.get("/AP")
        if ap is None:
            return None
        page = PageObject(pdf=view.reader)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
            {NameObject("/VnsignAP"): ap.get_object().raw_get("/N")})})
        content = StreamObject()
        content.set_data(b"/VnsignAP Do")
        page[NameObject("/Contents")] = content
        lines = [line.strip() for line in (page.extract_text() or "").splitlines()]
        return _nfc("\n".join(line for line in lines if line))
    return _guard(None, read)


def _annotations(view: PdfView) -> list[tuple[int, int]]:
    found = []
    for page in view.reader.pages:
        for ref in page.get("/Annots") or []:
            if hasattr(ref, "idnum"):
                found.append((ref.idnum, ref.generation))
    return found


def _documents() -> list[Path]:
    # the real documents too when ../shared is present (their stamps are VGCA tools')
    return sorted(FIXTURES.rglob("*.pdf")) + sorted(
        (SHARED / "corpora" / "realvn" / "gov").glob("*.pdf"))


def test_the_same_text_as_through_a_page() -> None:
    compared = with_text = 0
    for path in _documents():
        try:
            view = PdfView(path.read_bytes())
            refs = _annotations(view)
        except Exception:
            continue  # not a PDF pypdf can list (the bad-input fixtures)
        for idnum, generation in refs:
            expected = _through_a_page(view, idnum, generation)
            assert view.stamp_text(idnum, generation) == expected, (path.name, idnum)
            compared += 1
            with_text += expected is not None
    assert compared >= 100 and with_text >= 40, (compared, with_text)  # stamps were read


def _one_widget(normal: Any, writer: PdfWriter | None = None) -> bytes:
    """A one-page PDF with one widget whose normal appearance is ``normal`` (a stream is
    added to ``writer`` unless it is already a reference into it)."""
    writer = writer or PdfWriter()
    page = writer.add_blank_page(200, 200)
    appearance = writer._add_object(normal) if isinstance(normal, StreamObject) else normal
    widget = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 110, 60)]),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): appearance}),
    }))
    page[NameObject("/Annots")] = ArrayObject([widget])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(entries: dict[str, Any], data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    for key, value in entries.items():
        stream[NameObject(key)] = value
    stream.set_data(data)
    return stream


_FONT = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                          NameObject("/Subtype"): NameObject("/Type1"),
                          NameObject("/BaseFont"): NameObject("/Helvetica")})


def _form(data: bytes) -> DecodedStreamObject:
    return _stream({"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
                    "/BBox": ArrayObject([FloatObject(v) for v in (0, 0, 100, 50)]),
                    "/Resources": DictionaryObject({NameObject("/Font"): DictionaryObject(
                        {NameObject("/F1"): _FONT})})}, data)


def _stamp_of(data: bytes) -> str | None:
    view = PdfView(data)
    [(idnum, generation)] = _annotations(view)
    return view.stamp_text(idnum, generation)


def test_a_form_appearance_reads_as_its_text() -> None:
    text = _stamp_of(_one_widget(_form(b"BT /F1 10 Tf 5 30 Td (Signed by A) Tj "
                                       b"0 -12 Td (2025-09-25) Tj ET")))
    assert text == "Signed by A\n2025-09-25"


@pytest.mark.parametrize("normal", [
    # an image: its data (here text operators) is never parsed as content
    _stream({"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"),
             "/Width": FloatObject(1), "/Height": FloatObject(1)},
            b"BT /F1 10 Tf (not text) Tj ET"),
    _stream({}, b"BT /F1 10 Tf (no subtype) Tj ET"),  # pypdf's page reading stops here
    DictionaryObject({NameObject("/Off"): NameObject("/Null")}),  # appearance states
], ids=["image", "no-subtype", "states"])
def test_an_appearance_that_is_not_a_form_has_no_text(normal: Any) -> None:
    assert _stamp_of(_one_widget(normal)) is None


def test_a_form_that_paints_itself_ends() -> None:
    form = _form(b"BT /F1 10 Tf 5 30 Td (Loop) Tj ET /Me Do")
    writer = PdfWriter()
    ref = writer._add_object(form)
    form["/Resources"][NameObject("/XObject")] = DictionaryObject({NameObject("/Me"): ref})
    text = _stamp_of(_one_widget(ref, writer))
    assert text is not None and text.startswith("Loop") and text.count("Loop") <= 3


def test_pypdfs_named_encodings_are_built_once_and_handed_out_as_copies() -> None:
    from pypdf import _codecs
    from pypdf._text_extraction import _text_extractor
    from pypdf.generic import _font

    PdfView(_one_widget(_form(b"")))  # the memo is installed with the first view
    memo = _text_extractor.encoding_dict_from_named_encoding
    assert memo is not _codecs.encoding_dict_from_named_encoding  # this pypdf takes it
    assert _font.encoding_dict_from_named_encoding is memo
    for name in ("cp1252", "mac_roman", "latin-1"):
        first, second = memo(name), memo(name)
        assert first == second == _codecs.encoding_dict_from_named_encoding(name)
        first[0x41] = "changed"  # pypdf's callers apply a font's /Differences in place
        assert memo(name)[0x41] == "A" and first is not second
