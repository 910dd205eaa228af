"""Throughput of `vnsign batch` (documents per second) with 1 and 2 workers.

Makes a folder of N signed documents — copies of the committed fixtures under distinct
names, cycling through a realistic mix (the 5-signature Công văn, one-signature letters,
a document timestamp, untrusted and expired signers) — then times the whole command, a
fresh process each run (start-up, worker start, verification, ledger writes), offline,
against the test PKI. Each run uses a fresh ledger so nothing is skipped.

    python bench/bench_batch.py [--docs 300] [--workers 1 2] [--runs 1]

Measured, never asserted (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PKI = FIXTURES / "pki"
MIX = ("cong-van-2971-snv-vp.pdf", "signed-doc-timestamp.pdf", "expired-signer.pdf",
       "revoked-ocsp.pdf", "lookalike-root.pdf", "wrong-keyusage.pdf",
       "comment-after-signing.pdf")


def make_documents(folder: Path, count: int) -> int:
    signatures = {"cong-van-2971-snv-vp.pdf": 5, "comment-after-signing.pdf": 5,
                  "signed-doc-timestamp.pdf": 2}
    total = 0
    for index in range(count):
        name = MIX[index % len(MIX)]
        shutil.copyfile(FIXTURES / name, folder / f"{index:05d}-{name}")
        total += signatures.get(name, 1)
    return total


def run_once(folder: Path, workers: int, scratch: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the batch and its workers) of one run."""
    ledger = scratch / f"ledger-{workers}-{time.monotonic_ns()}.sqlite"
    command = [sys.executable, "-m", "vnsign.cli", "batch", str(folder), "--quiet",
               "--workers", str(workers), "--ledger", str(ledger), "--offline",
               "--at", "2026-11-26T07:00:00", "--no-saved-trust",
               "--trust", str(PKI / "root.cert.pem"),
               "--other-certs", str(PKI / "intermediate.cert.pem")]
    env = {**os.environ, "LANG": "C.UTF-8"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"vnsign batch failed ({proc.returncode}): {proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vnsign-bench-") as tmp:
        scratch = Path(tmp)
        folder = scratch / "docs"
        folder.mkdir()
        signatures = make_documents(folder, args.docs)
        print(f"{args.docs} documents, {signatures} signatures, {os.cpu_count()} cores; "
              f"best of {args.runs} run(s), whole command incl. start-up")
        # cpu/wall: cores actually used. On a shared machine it shows whether a second
        # worker got a second core at all.
        print(f"{'workers':>7}  {'seconds':>8}  {'docs/s':>7}  {'signatures/s':>12}  "
              f"{'cpu/wall':>8}")
        for workers in args.workers:
            runs = [run_once(folder, workers, scratch) for _ in range(args.runs)]
            best, cpu = min(runs)
            spread = (f"  (median {statistics.median(r[0] for r in runs):.2f} s)"
                      if args.runs > 1 else "")
            print(f"{workers:>7}  {best:>8.2f}  {args.docs / best:>7.1f}  "
                  f"{signatures / best:>12.1f}  {cpu / best:>8.2f}{spread}")


if __name__ == "__main__":
    main()
