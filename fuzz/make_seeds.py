#!/usr/bin/env python3
"""Seed corpora from the committed fixtures (deterministic; run from the repo root).

* fuzz/corpus/cms: every /Contents blob (signatures, document timestamps) and every
  embedded certificate of the fixtures and the attack cases;
* fuzz/corpus/pdf: the small PDFs (attack cases under 60 kB, plus tiny hand-made ones).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
OUT = ROOT / "fuzz" / "corpus"


def _write(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    pdfs = sorted(FIXTURES.glob("*.pdf")) + sorted((FIXTURES / "attacks").glob("*.pdf"))
    for path in pdfs:
        data = path.read_bytes()
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            for sig in reader.embedded_signatures:
                blob = sig.pkcs7_content
                _write(OUT / "cms", blob)
                for cert in sig.signed_data["certificates"] or []:
                    _write(OUT / "cms", cert.chosen.dump())
        except Exception:
            pass
        if path.parent.name == "attacks" and len(data) < 60_000:
            _write(OUT / "pdf", data)
    for tiny in (b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>"
                 b"\n%%EOF\n"):
        _write(OUT / "pdf", tiny)


if __name__ == "__main__":
    main()
