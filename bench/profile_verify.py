"""Where ``verify()`` spends its time: cProfile over documents of the benchmark corpus.

    python bench/profile_verify.py [--docs 20] [--kind letter] [--top 25] [FILE ...]

Verifies the first N documents of bench/corpus.py's corpus (or the given files) in
this process, offline, with the benchmark's trust and validation time, under cProfile,
after one warm-up document (imports and first-use caches are not what a batch worker
pays per document). Prints the time per document of a few landmarks (the steps of the
flow, cumulative, so they overlap: diff analysis includes the hex strings it reads)
and pyStats' top functions by own and by cumulative time. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # bench/corpus.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "tests" / "fixtures" / "pki"
AT = datetime(2026, 11, 26, 7, 0, 0, tzinfo=UTC)

# (label, file name ending, function name): cumulative time of these functions.
LANDMARKS = (
    ("verify() in all", "vnsign/verifier.py", "verify"),
    ("pyHanko reader: open (xref)", "pdf_utils/reader.py", "__init__"),
    ("pypdf view: open", "vnsign/pdf/pages.py", "__init__"),
    ("metadata: page text + Decree 30", "vnsign/metadata.py", "document_metadata"),
    ("  pypdf text extraction", "vnsign/pdf/pages.py", "page_texts"),
    ("structure checks (/ByteRange)", "vnsign/verifier.py", "_structure_findings"),
    ("diff analysis (compute_integrity_info)", "validation/pdf_embedded.py",
     "compute_integrity_info"),
    ("  review_file", "diff_analysis/policies.py", "review_file"),
    ("AdES + chain validation", "vnsign/validation/engine.py", "run_engine"),
    ("  path validation (certvalidator)", "pyhanko_certvalidator/validate.py",
     "async_validate_path"),
    ("  CMS signature check", "validation/generic_cms.py", "validate_sig_integrity"),
    ("report assembly (build_report)", "vnsign/validation/signature.py", "build_report"),
    ("  visual check", "vnsign/pdf/visual.py", "compare"),
    ("    pdfium renders", "vnsign/pdf/visual.py", "_render"),
    ("  stamp text (pypdf)", "vnsign/pdf/pages.py", "stamp_text"),
    ("hex strings read (pyHanko, all callers)", "pdf_utils/generic.py",
     "read_hex_string_from_stream"),
    ("hex strings read (vnsign.pdf.hexstring)", "vnsign/pdf/hexstring.py", "read_hex_string"),
    ("RFC 4518 name preparation (asn1crypto)", "asn1crypto/x509.py", "_ldap_string_prep"),
    ("  the same, memoised (vnsign.validation.name_prep)", "validation/name_prep.py",
     "_ldap_string_prep"),
    ("objects read (pyHanko, all callers)", "pdf_utils/generic.py", "read_object"),
    ("cross-checks", "vnsign/vn/crosscheck.py", "cross_check"),
)


def landmark_times(stats: pstats.Stats) -> dict[str, tuple[float, int]]:
    raw = stats.stats  # type: ignore[attr-defined]
    result = {}
    for label, file_end, function in LANDMARKS:
        total, calls = 0.0, 0
        for (file, _line, name), (_cc, nc, _tt, ct, _callers) in raw.items():
            if name == function and file.replace("\\", "/").endswith(file_end):
                total += ct
                calls += nc
        result[label] = (total, calls)
    return result


def setup(files: list[Path], docs: int, kind: str | None) -> tuple[list[Path], Any, Any]:
    """The documents (the given files, else one warm-up and ``docs`` corpus documents,
    of ``kind`` if given) and the benchmark's trust and policy, for in-process runs."""
    from vnsign import Policy, TrustStore

    if not files:
        manifest = corpus.ensure_corpus()
        chosen = [d for d in manifest["documents"] if kind in (None, d["kind"])]
        files = [corpus.OUT / corpus.DOCS / d["name"] for d in chosen[:docs + 1]]
    trust = TrustStore.load([PKI / "root.cert.pem"], [PKI / "intermediate.cert.pem"],
                            use_saved=False, use_env=False)
    return files, trust, Policy(offline=True, validation_time=AT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--kind", help="only documents of this kind (corpus.json)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path, help="also write the raw profile here")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    from vnsign import verify

    files, trust, policy = setup(args.files, args.docs, args.kind)
    verify(files[0], trust=trust, policy=policy)  # warm-up: imports, first-use caches
    measured = files[1:] or files
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for path in measured:
        verify(path, trust=trust, policy=policy)
    profiler.disable()
    elapsed = time.perf_counter() - started
    if args.save:
        profiler.dump_stats(str(args.save))
    stats = pstats.Stats(profiler)
    count = len(measured)
    print(f"{count} documents, {elapsed:.2f} s under the profiler "
          f"({elapsed / count * 1000:.0f} ms per document)\n")
    print("| landmark (cumulative, overlapping) | ms per document | calls per document |")
    print("|---|---:|---:|")
    for label, (total, calls) in landmark_times(stats).items():
        print(f"| {label} | {total / count * 1000:.1f} | {calls / count:.1f} |")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        text = out.getvalue()
        print(f"\n## top {args.top} by {order}\n")
        print(text[text.find("   ncalls"):].rstrip())


if __name__ == "__main__":
    main()
