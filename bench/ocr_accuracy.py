#!/usr/bin/env python3
"""OCR of scanned documents: seconds per page and field accuracy, next to the text layer.

For every scan in ``tests/fixtures/scans/`` (made from a corpus document, see the README
there) the script reads the scan with OCR (``read_metadata(..., ocr="always")``) and the
source document's text layer (``ocr="never"``), compares both with the golden field by field
(the scorer's rules: strings after NFC and whitespace normalisation, lists as whole lists)
and reports the OCR seconds per page. ``--folder DIR`` scores another folder of
``NAME.pdf`` + ``NAME.json`` scans (e.g. ``../shared/corpora/realscans``), OCR only.

    python bench/ocr_accuracy.py [--folder DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCANS = REPO / "tests" / "fixtures" / "scans"
CORPUS = REPO / "tests" / "fixtures" / "metadata"
SOURCES = {  # scan -> the corpus document it was made from (make_scans.py)
    "scan-to-trinh-snv-da-nang": "03-to-trinh-snv-da-nang",
    "scan-thong-bao-vp-ubnd-tphcm": "05-thong-bao-vp-ubnd-tphcm",
}

try:
    from vnsign.metadata import read_metadata
    from vnsign.pdf import ocr
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(REPO / "src"))
    from vnsign.metadata import read_metadata
    from vnsign.pdf import ocr


def norm(value: object) -> object:
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split()) or None
    if isinstance(value, list):
        return [v for v in (norm(x) for x in value) if v is not None]
    return value


def score(golden: dict[str, object], got: dict[str, object]) -> tuple[int, int]:
    unsure = set(golden.get("_unsure") or [])  # type: ignore[call-overload]
    exact = total = 0
    for name, want in golden.items():
        if name.startswith("_") or name in unsure:
            continue
        have = got.get(name)
        want, have = norm(want), norm(have)
        if isinstance(want, list) or isinstance(have, list):
            want, have = want or [], have or []
        total += 1
        exact += want == have
    return exact, total


def ocr_seconds(pdf: Path) -> tuple[float, int]:
    pages = ocr.ocr_pages(pdf.read_bytes(), None, list(range(ocr.MAX_PAGES)))
    return sum(p.seconds for p in pages), len(pages)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    problem = ocr.tesseract_problem()
    if problem is not None:
        print(f"OCR unavailable: {problem}", file=sys.stderr)
        return 2
    rows = []
    folder = args.folder or SCANS
    for pdf in sorted(folder.glob("*.pdf")):
        golden = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        got = read_metadata(str(pdf), ocr="always" if args.folder is None else "auto")
        elapsed = time.perf_counter() - start
        exact, total = score(golden, got.metadata["document"] or {})
        row = {"document": pdf.stem, "ocr_exact": exact, "total": total,
               "seconds": round(elapsed, 2), "pages": got.pages}
        source = SOURCES.get(pdf.stem)
        if source is not None:
            text = read_metadata(str(CORPUS / f"{source}.pdf"), ocr="never")
            row["text_layer_exact"] = score(golden, text.metadata["document"] or {})[0]
        seconds, pages = ocr_seconds(pdf)
        row["ocr_seconds_per_page"] = round(seconds / pages, 2) if pages else None
        rows.append(row)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(f"{'document':34} {'OCR exact':>10} {'text layer':>11} {'s/page':>7}")
    for row in rows:
        text = f"{row['text_layer_exact']}/{row['total']}" if "text_layer_exact" in row else "-"
        print(f"{row['document']:34} {row['ocr_exact']:>4}/{row['total']:<5} {text:>11} "
              f"{row['ocr_seconds_per_page']!s:>7}")
    exact = sum(int(r["ocr_exact"]) for r in rows)
    total = sum(int(r["total"]) for r in rows)
    per_page = [r["ocr_seconds_per_page"] for r in rows if r["ocr_seconds_per_page"]]
    print(f"OCR exact {100 * exact / total:.1f}% ({exact}/{total}); "
          f"{sum(per_page) / len(per_page):.1f} s per page (mean)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
