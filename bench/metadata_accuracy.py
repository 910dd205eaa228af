#!/usr/bin/env python3
"""Field-level accuracy of vnsign's Decree 30/2020 metadata reader on the golden corpus.

Every ``NN-<slug>.pdf`` in ``tests/fixtures/metadata/`` goes through vnsign's own path
(``PdfView(data).page_texts()`` -> ``decree30.parse``) and each field of the result is
compared with the hand-written ``NN-<slug>.json`` beside it:

* exact match per field and document (strings exactly, lists as whole lists, ``pages`` as a
  number), over all fields x documents;
* "wrong where null": the golden says the document does not show the field (``null``, or an
  empty list) and the reader reported something anyway. A verifier must never present a
  guess, so the target for this count is zero;
* a per-field table, and every mismatch with the expected and the read value.

Run from the repository root::

    python bench/metadata_accuracy.py [--corpus DIR] [--target 98] [--json]

The exit status is 1 when the accuracy is below the target or anything was read where the
golden is null, so the script can gate a change to the parser.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "metadata"
TARGET = 98.0

try:
    from vnsign.pdf.pages import PdfView
    from vnsign.vn import decree30
    from vnsign.vn.decree30 import DocumentFields
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(REPO / "src"))
    from vnsign.pdf.pages import PdfView
    from vnsign.vn import decree30
    from vnsign.vn.decree30 import DocumentFields

FIELDS: tuple[str, ...] = tuple(DocumentFields().to_dict())


@dataclass
class Mismatch:
    document: str
    field: str
    expected: object
    got: object

    @property
    def wrong_where_null(self) -> bool:
        return self.expected in (None, []) and self.got not in (None, [])


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0
    wrong_where_null: int = 0


@dataclass
class Report:
    documents: int = 0
    compared: int = 0
    correct: int = 0
    per_field: dict[str, FieldScore] = field(
        default_factory=lambda: {name: FieldScore() for name in FIELDS}
    )
    mismatches: list[Mismatch] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accuracy(self) -> float:
        return 100.0 * self.correct / self.compared if self.compared else 0.0

    @property
    def wrong_where_null(self) -> int:
        return sum(1 for m in self.mismatches if m.wrong_where_null)

    def passed(self, target: float = TARGET) -> bool:
        return self.documents > 0 and self.accuracy >= target and self.wrong_where_null == 0

    def to_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "fields_compared": self.compared,
            "exact": self.correct,
            "accuracy_percent": round(self.accuracy, 2),
            "wrong_where_null": self.wrong_where_null,
            "seconds": round(self.seconds, 3),
            "per_field": {
                name: {"exact": s.correct, "total": s.total, "wrong_where_null": s.wrong_where_null}
                for name, s in self.per_field.items()
            },
            "mismatches": [
                {"document": m.document, "field": m.field, "expected": m.expected, "got": m.got}
                for m in self.mismatches
            ],
        }


def corpus_documents(corpus: Path = CORPUS) -> list[Path]:
    """The corpus PDFs that have a golden JSON, in name order."""
    return sorted(p for p in corpus.glob("*.pdf") if p.with_suffix(".json").is_file())


def read_fields(pdf: Path) -> dict[str, object]:
    """What vnsign reads from the PDF: its own text extraction, then the parser."""
    view = PdfView(pdf.read_bytes())
    from vnsign.metadata import page_texts

    return decree30.parse(page_texts(view).texts).to_dict()


def load_golden(pdf: Path) -> dict[str, object]:
    golden: dict[str, object] = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    missing = set(FIELDS) - set(golden)
    extra = set(golden) - set(FIELDS)
    if missing or extra:
        raise ValueError(f"{pdf.with_suffix('.json').name}: missing {missing}, unknown {extra}")
    return golden


def evaluate(corpus: Path = CORPUS) -> Report:
    report = Report()
    start = time.perf_counter()
    for pdf in corpus_documents(corpus):
        golden = load_golden(pdf)
        got = read_fields(pdf)
        report.documents += 1
        for name in FIELDS:
            score = report.per_field[name]
            score.total += 1
            report.compared += 1
            if got[name] == golden[name]:
                score.correct += 1
                report.correct += 1
                continue
            mismatch = Mismatch(pdf.stem, name, golden[name], got[name])
            report.mismatches.append(mismatch)
            if mismatch.wrong_where_null:
                score.wrong_where_null += 1
    report.seconds = time.perf_counter() - start
    return report


def render(report: Report, target: float) -> str:
    lines = [
        f"corpus: {report.documents} documents x {len(FIELDS)} fields = {report.compared} values",
        f"exact:  {report.correct}/{report.compared} = {report.accuracy:.2f} %"
        f" (target >= {target:g} %)",
        f"wrong where the golden is null: {report.wrong_where_null} (target 0)",
        f"time:   {report.seconds:.2f} s (extraction + parsing)",
        "",
        f"{'field':<18} {'exact':>9} {'%':>7} {'wrong-null':>10}",
    ]
    for name, s in report.per_field.items():
        pct = 100.0 * s.correct / s.total if s.total else 0.0
        lines.append(f"{name:<18} {s.correct:>4}/{s.total:<4} {pct:>7.1f} {s.wrong_where_null:>10}")
    if report.mismatches:
        lines += ["", "mismatches:"]
        for m in report.mismatches:
            flag = "  [WRONG WHERE NULL]" if m.wrong_where_null else ""
            lines.append(f"  {m.document} {m.field}{flag}")
            lines.append(f"      expected {json.dumps(m.expected, ensure_ascii=False)}")
            lines.append(f"      got      {json.dumps(m.got, ensure_ascii=False)}")
    lines += ["", "PASS" if report.passed(target) else "FAIL"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of PDF + JSON pairs")
    parser.add_argument("--target", type=float, default=TARGET, help="minimum exact-match %%")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    report = evaluate(args.corpus)
    if args.json:
        print(json.dumps({**report.to_dict(), "target_percent": args.target,
                          "passed": report.passed(args.target)}, ensure_ascii=False, indent=2))
    else:
        print(render(report, args.target))
    return 0 if report.passed(args.target) else 1


if __name__ == "__main__":
    sys.exit(main())
