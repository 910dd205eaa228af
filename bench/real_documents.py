"""vnsign against pyHanko and pdfsig on real government documents, one document at a time.

    python bench/real_documents.py [--folder ../shared/corpora/realvn/gov] [--runs 3]

The bench corpus (bench_corpus.py) is made with pyHanko and a test PKI; archives hold what
Vietnamese agencies sign: scans from the portal, tagged decrees certified then sealed six
times, G1 SHA-1 ministry decisions. For each document of a folder with a MANIFEST.json (as
../shared/corpora/realvn/gov has), with the trust roots and intermediates its entry
names, offline, this runs in fresh processes:

* ``verify()`` of vnsign, every check on (difference analysis, visual check, Decree 30
  metadata, OCR of scans): the CPU seconds of the call alone (with Tesseract's, which runs
  in a process of its own), trust loading excluded, and its verdict against the manifest's:
  once as the first call in a process (lazy imports and first-call set-ups included) and
  once after a warm-up call on another document (``tests/fixtures``), as in a batch;
* the pyHanko library loop (``pyhanko_loop.py``: ``validate_pdf_signature`` with pyHanko's
  difference analysis, no metadata, no OCR), the loop alone;
* ``pdfsig -nocert -no-ocsp`` (CMS and byte ranges only), the whole process.

Each number is the median of ``--runs`` runs. Measured, never asserted; documents missing
from the folder are skipped.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corpus import load_average, run  # beside this file

HERE = Path(__file__).resolve().parent
DEFAULT_FOLDER = HERE.parents[1] / "shared" / "corpora" / "realvn" / "gov"
WARM_UP = HERE.parent / "tests" / "fixtures" / "signed-doc-timestamp.pdf"


def cpu_now() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs in one)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def one_vnsign(path: str, trust: list[str], other: list[str], warm: bool) -> None:
    """In this process: verify ``path`` once, print its CPU seconds and verdict (JSON)."""
    from vnsign import Policy, TrustStore, verify

    store = TrustStore.load([Path(p) for p in trust], [Path(p) for p in other],
                            use_saved=False, use_env=False)
    policy = Policy(offline=True, time_limit=600.0)
    started = cpu_now()
    if warm:
        # Another document first: its lazy imports and first-call set-ups are then paid,
        # nothing of this document's (its chains, its pages) is cached.
        verify(WARM_UP, trust=store, policy=policy)
    warmed = cpu_now()
    report = verify(path, trust=store, policy=policy)
    cpu = cpu_now() - warmed
    print(json.dumps({"cpu_seconds": cpu, "warm_up_seconds": warmed - started,
                      "document": report.indication.value,
                      "signatures": [s.indication.value for s in report.signatures]}))


def measure(entry: dict[str, Any], folder: Path, runs: int) -> dict[str, Any] | None:
    path = folder / entry["file"]
    if not path.is_file():
        return None
    trust = [str((folder / p).resolve()) for p in entry["trust"]]
    other = [str((folder / p).resolve()) for p in entry["other_certs"]]
    row: dict[str, Any] = {"file": entry["file"], "expected": entry["expected"]}

    one = [sys.executable, __file__, "--one", str(path), "--trust", *trust,
           "--other-certs", *other]
    cold = [json.loads(run(one).stdout) for _ in range(runs)]
    vnsign = [json.loads(run([*one, "--warm"]).stdout) for _ in range(runs)]
    row["vnsign_cold_cpu"] = statistics.median(v["cpu_seconds"] for v in cold)
    row["vnsign_cpu"] = statistics.median(v["cpu_seconds"] for v in vnsign)
    row["vnsign_verdict"] = {"document": vnsign[0]["document"],
                             "signatures": vnsign[0]["signatures"]}

    loop = [sys.executable, str(HERE / "pyhanko_loop.py"),
            "--at", datetime.now(UTC).isoformat()]
    for cert in trust:
        loop += ["--trust", cert]
    for cert in other:
        loop += ["--other-certs", cert]
    pyhanko = [json.loads(run([*loop, str(path)]).stdout) for _ in range(runs)]
    row["pyhanko_cpu"] = statistics.median(p["cpu_seconds"] for p in pyhanko)
    row["signatures"] = pyhanko[0]["signatures"]

    tool = shutil.which("pdfsig")
    if tool is not None:
        row["pdfsig_s"] = statistics.median(
            run([tool, "-nocert", "-no-ocsp", str(path)]).seconds for _ in range(runs))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--trust", nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--other-certs", nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_vnsign(args.one, args.trust, args.other_certs, args.warm)
        return
    manifest = args.folder / "MANIFEST.json"
    if not manifest.is_file():
        sys.exit(f"no MANIFEST.json in {args.folder}")
    print(f"{args.folder}; median of {args.runs} runs; load {load_average()}")
    rows = [r for e in json.loads(manifest.read_text("utf-8"))
            if (r := measure(e, args.folder, args.runs)) is not None]
    print("\n| document | signatures | vnsign verify() CPU s, first in a process "
          "| vnsign verify() CPU s | pyHanko loop CPU s "
          "| pyHanko / vnsign | pdfsig s | vnsign verdict (manifest) |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        got = r["vnsign_verdict"]
        same = got == r["expected"]
        print(f"| {r['file']} | {r['signatures']} | {r['vnsign_cold_cpu']:.2f} | "
              f"{r['vnsign_cpu']:.2f} | "
              f"{r['pyhanko_cpu']:.2f} | {r['pyhanko_cpu'] / r['vnsign_cpu']:.2f} | "
              f"{r.get('pdfsig_s', float('nan')):.3f} | {got['document']} "
              f"({'as the manifest' if same else 'manifest: ' + str(r['expected'])}) |")
    total_v = sum(r["vnsign_cpu"] for r in rows)
    total_p = sum(r["pyhanko_cpu"] for r in rows)
    print(f"| all {len(rows)} | {sum(r['signatures'] for r in rows)} | "
          f"{sum(r['vnsign_cold_cpu'] for r in rows):.2f} | {total_v:.2f} | "
          f"{total_p:.2f} | {total_p / total_v:.2f} | "
          f"{sum(r.get('pdfsig_s', 0.0) for r in rows):.3f} | |")
    print(f"\nload after: {load_average()}")


if __name__ == "__main__":
    main()
