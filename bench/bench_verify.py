"""Time and memory of verifying one document: vnsign vs pyHanko's CLI vs poppler's pdfsig.

Run from the repository root:  python bench/bench_verify.py [--runs 7] [FILE]

Every tool runs as a fresh process (what a user or a shell script pays), the same
number of times, on the same file, with the same trust (the test root + intermediate,
no network, no revocation). Reported: median and min wall time and peak RSS (from
wait4). Also: ``vnsign --help`` start-up and, in-process, the library call alone
(vnsign.verify vs pyHanko's own validate_pdf_signature loop, with difference analysis).
Numbers go to stdout as a Markdown table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "tests" / "fixtures" / "pki"
DEFAULT_FILE = ROOT / "tests" / "fixtures" / "cong-van-2971-snv-vp.pdf"
BIN = Path(sys.executable).parent


def measure(cmd: list[str], runs: int) -> tuple[list[float], int, int]:
    """Wall times (s), peak RSS (KiB) over all runs, and the last exit code."""
    times, peak, code = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
    return times, peak, code


def in_process(file: Path, runs: int) -> dict[str, list[float]]:
    import asyncio
    import io
    import logging

    logging.disable(logging.CRITICAL)
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from vnsign import Policy, TrustStore, verify

    trust = TrustStore.load([PKI / "root.cert.pem"], [PKI / "intermediate.cert.pem"],
                            use_saved=False, use_env=False)
    data = file.read_bytes()
    result: dict[str, list[float]] = {"vnsign.verify()": [], "pyHanko validate_pdf_signature": []}
    for _ in range(runs):
        start = time.perf_counter()
        verify(data, trust=trust, policy=Policy(offline=True))
        result["vnsign.verify()"].append(time.perf_counter() - start)

        start = time.perf_counter()
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        vc = ValidationContext(trust_roots=list(trust.roots), other_certs=list(trust.other_certs),
                               allow_fetching=False, revocation_mode="soft-fail")

        asyncio.run(_validate_all(reader, vc, async_validate_pdf_signature))
        result["pyHanko validate_pdf_signature"].append(time.perf_counter() - start)
    return result


async def _validate_all(reader: object, vc: object, validate: object) -> None:
    for sig in reader.embedded_signatures:  # type: ignore[attr-defined]
        await validate(sig, vc)  # type: ignore[operator]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    file: Path = args.file
    trust = ["--trust", str(PKI / "root.cert.pem"),
             "--other-certs", str(PKI / "intermediate.cert.pem")]
    rows: list[tuple[str, list[float], int, int]] = []
    commands = {
        "vnsign --help": [str(BIN / "vnsign"), "--help"],
        "vnsign verify --offline (text)": [str(BIN / "vnsign"), "verify", "--offline", *trust,
                                           str(file)],
        "vnsign verify --offline --json": [str(BIN / "vnsign"), "verify", "--offline", "--json",
                                           *trust, str(file)],
    }
    pyhanko = BIN / "pyhanko"
    if pyhanko.exists():
        commands["pyhanko sign validate --no-revocation-check"] = [
            str(pyhanko), "sign", "validate", "--trust-replace", *trust, "--no-revocation-check",
            str(file)]
    pdfsig = shutil.which("pdfsig")
    if pdfsig:
        commands["pdfsig (poppler)"] = [pdfsig, str(file)]
    for label, cmd in commands.items():
        times, peak, code = measure(cmd, args.runs)
        rows.append((label, times, peak, code))

    print(f"file: {file.name} ({file.stat().st_size} bytes), runs: {args.runs}, "
          f"python {sys.version.split()[0]}\n")
    print("| command (fresh process) | median s | min s | peak RSS MiB | exit |")
    print("|---|---|---|---|---|")
    for label, times, peak, code in rows:
        print(f"| {label} | {statistics.median(times):.3f} | {min(times):.3f} | "
              f"{peak / 1024:.0f} | {code} |")
    print("\n| in-process call (after warm-up) | median s | min s |")
    print("|---|---|---|")
    for label, times in in_process(file, args.runs).items():
        rest = times[1:] or times
        print(f"| {label} | {statistics.median(rest):.3f} | {min(rest):.3f} |")


if __name__ == "__main__":
    main()
