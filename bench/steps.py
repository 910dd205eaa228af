"""CPU time per document of each step of ``verify()``, without a profiler.

    python bench/steps.py [--docs 60] [--kind letter] [FILE ...]

cProfile (bench/profile_verify.py) says *where* the time goes but inflates pure-Python
code several times more than native code (pdfium renders, hashing), so its shares
mislead. This script wraps the functions that make up the flow with a process-CPU
timer instead and verifies the first N corpus documents (or the given files) in this
process, offline, with the benchmark's trust and validation time, after one warm-up
document. The steps nest (the difference analysis is part of the engine, the visual
check part of the report assembly): each line says what it is inside of. Measured,
never asserted.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import logging
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_verify import setup  # beside this file

# (label, module, attribute path): the steps, in the order of the flow; indented labels
# are part of the step above them.
STEPS = (
    ("metadata (positioned text, Decree 30, OCR)", "vnsign.verifier", "document_metadata"),
    ("pyHanko AdES validation (run_engine)", "vnsign.validation.engine", "run_engine"),
    ("  difference analysis (compute_integrity_info)", "pyhanko.sign.validation.pdf_embedded",
     "EmbeddedPdfSignature.compute_integrity_info"),
    ("report assembly (build_report)", "vnsign.validation.signature", "build_report"),
    ("  visual check", "vnsign.pdf.visual", "VisualChecker.compare"),
    ("  stamp text", "vnsign.pdf.pages", "PdfView.stamp_text"),
    ("signatures outside the form (byte scan)", "vnsign.verifier",
     "_signatures_outside_the_form"),
    ("/ByteRange structure checks", "vnsign.verifier", "_structure_findings"),
    ("opening: pypdf view", "vnsign.pdf.pages", "PdfView.__init__"),
)


def _timed(function: Callable[..., Any], label: str, totals: defaultdict[str, float],
           calls: Counter[str]) -> Callable[..., Any]:
    """``function`` adding its CPU time to ``totals[label]`` (outermost call only)."""
    active = [0]

    def account(started: float) -> None:
        active[0] -= 1
        if not active[0]:
            totals[label] += time.process_time() - started
        calls[label] += 1

    if inspect.iscoroutinefunction(function):
        async def coroutine(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            active[0] += 1
            try:
                return await function(*args, **kwargs)
            finally:
                account(started)
        return coroutine

    def plain(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        active[0] += 1
        try:
            return function(*args, **kwargs)
        finally:
            account(started)
    return plain


def install(totals: defaultdict[str, float], calls: Counter[str]) -> None:
    for label, module_name, path in STEPS:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, name, _timed(getattr(owner, name), label, totals, calls))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument("--kind", help="only documents of this kind (corpus.json)")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    from vnsign import verify

    files, trust, policy = setup(args.files, args.docs, args.kind)
    totals: defaultdict[str, float] = defaultdict(float)
    calls: Counter[str] = Counter()
    install(totals, calls)
    verify(files[0], trust=trust, policy=policy)  # warm-up: imports, first-use caches
    totals.clear()
    calls.clear()
    measured = files[1:] or files
    started = time.process_time()
    for path in measured:
        verify(path, trust=trust, policy=policy)
    elapsed = time.process_time() - started
    count = len(measured)
    print(f"{count} documents, {elapsed / count * 1000:.1f} ms CPU per document in all\n")
    print("| step | CPU ms per document | calls per document |")
    print("|---|---:|---:|")
    for label, _module, _path in STEPS:
        print(f"| {label} | {totals[label] / count * 1000:.1f} | {calls[label] / count:.1f} |")
    top = sum(totals[label] for label, _m, _p in STEPS if not label.startswith(" "))
    print(f"| everything else | {(elapsed - top) / count * 1000:.1f} | |")


if __name__ == "__main__":
    main()
