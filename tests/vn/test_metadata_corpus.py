"""The Decree 30/2020 metadata reader against the golden corpus in tests/fixtures/metadata/.

Each corpus PDF is read the way vnsign reads documents (``vnsign.metadata.page_texts()``:
positioned text with the stamps, then ``decree30.parse``) and compared with its hand-written
golden JSON, field by field.
The corpus and its generator are described in tests/fixtures/metadata/README.md; the same
comparison, with a per-field table, is ``bench/metadata_accuracy.py``.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

from vnsign.metadata import page_texts
from vnsign.pdf.pages import PdfView
from vnsign.vn import decree30
from vnsign.vn.decree30 import DocumentFields

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "metadata"
FIELDS = tuple(DocumentFields().to_dict())
PDFS = sorted(p for p in CORPUS.glob("*.pdf") if p.with_suffix(".json").is_file())


def _bench() -> ModuleType:
    """bench/metadata_accuracy.py, imported from its file (bench/ is not a package)."""
    name = "vnsign_bench_metadata_accuracy"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "metadata_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def _read(pdf: Path) -> dict[str, object]:
    return decree30.parse(page_texts(PdfView(pdf.read_bytes())).texts).to_dict()


def _golden(pdf: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_document_matches_golden(pdf: Path) -> None:
    golden, got = _golden(pdf), _read(pdf)
    wrong = {
        name: {"expected": golden[name], "got": got[name]}
        for name in FIELDS
        if got[name] != golden[name]
    }
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_accuracy_target(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _bench()
    monkeypatch.setattr(bench, "read_fields", _read)  # the same path, read once per session
    report = bench.evaluate(CORPUS)
    assert report.documents == len(PDFS)
    assert report.compared == len(PDFS) * len(FIELDS)
    assert report.wrong_where_null == 0, [
        (m.document, m.field, m.got) for m in report.mismatches if m.wrong_where_null
    ]
    assert report.accuracy >= 98.0, report.accuracy


def test_bench_script_exit_status(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    monkeypatch.setattr(bench, "read_fields", _read)
    assert bench.main(["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] is True
    assert out["documents"] == len(PDFS)
    # An impossible target fails the run: the script can gate a change.
    assert bench.main(["--target", "100.01"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_goldens_are_complete_and_nfc() -> None:
    for pdf in PDFS:
        golden = _golden(pdf)
        assert list(golden) == list(FIELDS), pdf.name
        for name, value in golden.items():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    assert text == " ".join(text.split()) and text, (pdf.name, name)
                    assert unicodedata.is_normalized("NFC", text), (pdf.name, name)


def test_corpus_composition() -> None:
    """What issue 3 asks the corpus to cover, checked on the goldens and the files."""
    goldens = [_golden(p) for p in PDFS]
    assert len(goldens) >= 36
    assert len({g["doc_type"] for g in goldens if g["doc_type"]}) >= 12
    assert {g["authority_prefix"] for g in goldens} >= {"TM.", "KT.", "TL.", "TUQ.", "Q.", None}
    assert {g["urgency"] for g in goldens} >= {"HỎA TỐC", "THƯỢNG KHẨN", "KHẨN"}
    assert {g["confidentiality"] for g in goldens} >= {"MẬT", "TỐI MẬT", "TUYỆT MẬT"}
    assert {g["copy_form"] for g in goldens} >= {"SAO Y", "SAO LỤC", "TRÍCH SAO"}
    pages = [g["pages"] for g in goldens]
    assert 1 in pages and any(isinstance(n, int) and n >= 3 for n in pages)
    assert sum(1 for g in goldens if isinstance(g["recipients"], list)
               and len(g["recipients"]) >= 2) >= 5
    assert any(isinstance(g["number_symbol"], str) and g["number_symbol"].count("/") == 2
               for g in goldens)  # normative numbers with the year
    # Image-only headers: the type or the signer is read, the header fields are not shown.
    image_only = [g for g in goldens if g["issuing_authority"] is None and g["date"] is None
                  and g["signer_name"] is not None]
    assert len(image_only) >= 2
    # Some documents really store decomposed text (pypdf's raw extraction, before vnsign's NFC).
    from pypdf import PdfReader

    nfd = [p for p in PDFS
           if not unicodedata.is_normalized("NFC", PdfReader(io.BytesIO(p.read_bytes()))
                                            .pages[0].extract_text())]
    assert len(nfd) >= 2
    size = sum(f.stat().st_size for f in CORPUS.iterdir() if f.is_file())
    assert size < 3 * 1024 * 1024, size
