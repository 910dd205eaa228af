"""vnsign against the tools users have, on one corpus, in one run — and the verdicts kept.

    python bench/bench_corpus.py [--docs 300] [--seed 13] [--regenerate]
                                 [--skip TOOL ...] [--cold-runs 7] [--save-baseline]

On the corpus of bench/corpus.py (generated on first use, then cached), with the same
trust for every tool (the test root trusted, the intermediate as another certificate,
no network, validation time fixed by ``--at``), it measures:

* ``vnsign batch``, every check on, with 1 worker and with all cores (the whole
  command in a fresh process with a fresh ledger: start-up, workers, ledger writes);
* ``pyhanko sign validate`` once per file (a fresh process each);
* a pyHanko library loop (bench/pyhanko_loop.py: ``validate_pdf_signature`` with diff
  analysis, one ValidationContext; the loop only, imports excluded);
* poppler's ``pdfsig`` once per file;
* the floor: SHA-256 over every signed byte range plus every RSA verification a
  validator must do (the CMS signature, the timestamp token, each certificate of both
  chains), at the speeds ``openssl speed`` measures on this machine;
* the 30 MB scan: ``vnsign verify`` time and peak memory against the file's size;
* cold start: ``vnsign --help`` and ``vnsign verify`` of one 5-signature document,
  the median of N fresh processes.

Peak memory is the resident set size of the whole process tree (the batch and its
workers; sampled five times a second from /proc) and of its largest process (wait4).
The machine's load average is printed next to the numbers: on a shared machine they
are indicative. Each tool is skipped with a message when it is not installed.

The verdicts are checked too, because a faster wrong answer is a bug: each document's
digest (indication, sub-indication, each signature's indication and sub-indication)
from both batch runs and from the scan is compared with ``bench/baseline.json``;
``--save-baseline`` writes that file from this run (after an intended verdict change).
The exit code is 1 when a verdict differs from the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # bench/corpus.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "tests" / "fixtures" / "pki"
BASELINE = ROOT / "bench" / "baseline.json"
RESULTS = ROOT / "bench" / "out" / "results"
BIN = Path(sys.executable).parent
AT = "2026-11-26T07:00:00"  # UTC, as `vnsign --at` reads it
TOOLS = ("vnsign-1", "vnsign-all", "pyhanko-cli", "pyhanko-lib", "pdfsig", "floor", "large",
         "cold")


@dataclass
class Row:
    """One tool's pass over the corpus."""

    label: str
    documents: int = 0
    signatures: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_tree_kib: int = 0  # RSS of the whole process tree at its peak (sampled)
    peak_process_kib: int = 0  # the largest single process (wait4)
    load: str = ""
    note: str = ""
    skipped: str | None = None

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def signatures_per_s(self) -> float:
        return self.signatures / self.seconds if self.seconds else 0.0

    @property
    def docs_per_cpu_s(self) -> float:
        return self.documents / self.cpu_seconds if self.cpu_seconds else 0.0


@dataclass
class Run:
    rows: list[Row] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Processes: time, CPU and memory
# --------------------------------------------------------------------------------------


def load_average() -> str:
    try:
        one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return "?"
    return f"{one} {five} {fifteen}"


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, resident pages) for every process /proc shows."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[21]))
    return table


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            table = _process_table()
            tree, frontier = set(), [self.pid]
            while frontier:
                pid = frontier.pop()
                tree.add(pid)
                frontier.extend(p for p, (parent, _) in table.items()
                                if parent == pid and p not in tree)
            total = sum(table[p][1] for p in tree if p in table) * self._page_kib
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self.interval)


@dataclass
class Finished:
    seconds: float
    cpu_seconds: float
    code: int
    peak_process_kib: int
    peak_tree_kib: int
    stdout: str


def run(cmd: list[str], *, sample_tree: bool = False, env: dict[str, str] | None = None
        ) -> Finished:
    """Run one command to its end: wall and CPU time, exit code, peak memory."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL,
                                env=env or {**os.environ, "LANG": "C.UTF-8"})
        sampler = TreeSampler(proc.pid) if sample_tree else None
        if sampler is not None:
            with sampler:
                _, status, usage = os.wait4(proc.pid, 0)
        else:
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Finished(seconds, usage.ru_utime + usage.ru_stime, proc.returncode,
                    usage.ru_maxrss, sampler.peak_kib if sampler else usage.ru_maxrss, text)


def per_file(label: str, files: list[Path], command: list[str], signatures: int) -> Row:
    """A tool run once per file, each in a fresh process, one after the other."""
    row = Row(label, documents=len(files), signatures=signatures, load=load_average())
    for path in files:
        done = run([*command, str(path)])
        row.seconds += done.seconds
        row.cpu_seconds += done.cpu_seconds
        row.peak_process_kib = max(row.peak_process_kib, done.peak_process_kib)
    row.peak_tree_kib = row.peak_process_kib
    row.load += f" -> {load_average()}"
    return row


# --------------------------------------------------------------------------------------
# The tools
# --------------------------------------------------------------------------------------


def vnsign_command() -> list[str]:
    script = BIN / "vnsign"
    return [str(script)] if script.exists() else [sys.executable, "-m", "vnsign.cli"]


TRUST = ["--no-saved-trust", "--trust", str(PKI / "root.cert.pem"),
         "--other-certs", str(PKI / "intermediate.cert.pem"), "--offline", "--at", AT]


def vnsign_under_test() -> str:
    """Where the vnsign that the commands run lives, and its git commit."""
    code = ("import pathlib, vnsign; print(pathlib.Path(vnsign.__file__).resolve().parents[1])")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=False).stdout.strip()
    if not found:
        return "? (vnsign does not import)"
    rev = subprocess.run(["git", "-C", found, "describe", "--always", "--dirty"],
                         capture_output=True, text=True, check=False).stdout.strip()
    return f"{found} ({rev or 'not a git checkout'})"


def compile_vnsign() -> str:
    """Compile the vnsign under test to bytecode, as ``pip install`` does for a package.

    A checkout imported with PYTHONDONTWRITEBYTECODE set (this machine sets it) would compile
    its ~80 modules from source on every start, ~0.1 s that no installed copy pays.
    """
    code = ("import compileall, pathlib, vnsign; "
            "print(compileall.compile_dir(pathlib.Path(vnsign.__file__).parent, quiet=1))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    if done.stdout.strip() in ("True", "1"):
        return "vnsign compiled to bytecode first"
    return f"vnsign not compiled: {done.stderr.strip()[-200:]}"


def vnsign_batch(files: list[Path], workers: int, signatures: int, scratch: Path
                 ) -> tuple[Row, dict[str, dict[str, Any]]]:
    ledger = scratch / f"ledger-{workers}.sqlite"
    label = f"vnsign batch --workers {workers}"
    row = Row(label, load=load_average())
    inputs = [str(files[0].parent)] if len(files) == len(list(files[0].parent.glob("*.pdf"))) \
        else [str(f) for f in files]
    done = run([*vnsign_command(), "batch", *inputs, "--quiet", "--workers", str(workers),
                "--ledger", str(ledger), *TRUST], sample_tree=True)
    if done.code not in (0, 1, 3):
        row.skipped = f"failed with exit code {done.code}"
        return row, {}
    row.documents = len(files)
    row.signatures = signatures
    row.seconds, row.cpu_seconds = done.seconds, done.cpu_seconds
    row.peak_tree_kib, row.peak_process_kib = done.peak_tree_kib, done.peak_process_kib
    row.load += f" -> {load_average()}"
    row.note = "whole command: start-up, workers, ledger"
    report = run([*vnsign_command(), "report", "--ledger", str(ledger), "--format", "jsonl"])
    return row, verdicts_of(report.stdout)


def verdicts_of(jsonl: str) -> dict[str, dict[str, Any]]:
    """File name -> verdict digest, from vnsign's JSON reports (one per line)."""
    result = {}
    for line in jsonl.splitlines():
        if line.strip():
            report = json.loads(line)
            result[Path(report["file"]["path"]).name] = digest(report)
    return result


def digest(report: dict[str, Any]) -> dict[str, Any]:
    return {"indication": report["indication"], "sub_indication": report["sub_indication"],
            "signatures": [[s["indication"], s["sub_indication"]]
                           for s in report["signatures"]]}


def pyhanko_cli(files: list[Path], signatures: int) -> Row:
    label = "pyhanko sign validate, once per file"
    script = BIN / "pyhanko"
    if not script.exists() and shutil.which("pyhanko") is None:
        return Row(label, skipped="pyhanko-cli is not installed (pip install pyhanko-cli)")
    command = [str(script) if script.exists() else "pyhanko", "sign", "validate",
               "--trust-replace", "--trust", str(PKI / "root.cert.pem"),
               "--other-certs", str(PKI / "intermediate.cert.pem"),
               "--no-revocation-check", "--validation-time", f"{AT}+00:00"]
    row = per_file(label, files, command, signatures)
    row.note = "diff analysis, path validation; no metadata"
    return row


def pyhanko_library(files: list[Path]) -> Row:
    label = "pyHanko library loop (validate_pdf_signature)"
    row = Row(label, load=load_average())
    done = run([sys.executable, str(Path(__file__).with_name("pyhanko_loop.py")),
                "--trust", str(PKI / "root.cert.pem"),
                "--other-certs", str(PKI / "intermediate.cert.pem"),
                "--at", f"{AT}+00:00", *map(str, files)])
    if done.code != 0:
        row.skipped = f"failed with exit code {done.code}"
        return row
    result = json.loads(done.stdout.strip().splitlines()[-1])
    row.documents, row.signatures = result["documents"], result["signatures"]
    row.seconds, row.cpu_seconds = result["seconds"], result["cpu_seconds"]
    row.peak_tree_kib = row.peak_process_kib = done.peak_process_kib
    row.load += f" -> {load_average()}"
    row.note = "one ValidationContext, the loop only (imports excluded)"
    return row


def pdfsig(files: list[Path], signatures: int) -> Row:
    label = "pdfsig (poppler), once per file"
    tool = shutil.which("pdfsig")
    if tool is None:
        return Row(label, skipped="pdfsig is not installed (Debian: poppler-utils)")
    row = per_file(label, files, [tool, "-no-ocsp"], signatures)
    row.note = "CMS + byte ranges; no diff analysis, no test root (no NSS db)"
    return row


def openssl_speeds() -> tuple[float, dict[int, float]] | None:
    """(SHA-256 bytes/s over 16 KiB blocks, {RSA bits: verifications/s}) on one core."""
    tool = shutil.which("openssl")
    if tool is None:
        return None
    sha = subprocess.run([tool, "speed", "-mr", "-seconds", "2", "-bytes", "16384", "sha256"],
                         capture_output=True, text=True, check=False).stdout
    rsa = subprocess.run([tool, "speed", "-mr", "-seconds", "2", "rsa2048", "rsa4096"],
                         capture_output=True, text=True, check=False).stdout
    sha_rate = next((float(m.group(1)) for m in re.finditer(r"\+F:\d+:sha256:([\d.]+)", sha)),
                    None)
    verify = {int(m.group(1)): float(m.group(2))
              for m in re.finditer(r"\+F2:\d+:(\d+):[\d.]+:([\d.]+)", rsa)}
    if sha_rate is None or not verify:
        return None
    return sha_rate, verify


def key_bits() -> dict[str, int]:
    from cryptography import x509

    return {path.name[:-len(".cert.pem")]:
            x509.load_pem_x509_certificate(path.read_bytes()).public_key().key_size
            for path in PKI.glob("*.cert.pem")}


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def floor(folder: Path, documents: list[dict[str, Any]]) -> Row:
    """The least work any validator must do, timed at openssl's speeds (one core)."""
    label = "floor: SHA-256 of signed ranges + RSA verifications (openssl speed)"
    speeds = openssl_speeds()
    if speeds is None:
        return Row(label, skipped="openssl is not installed")
    sha_rate, verify_rate = speeds
    bits = key_bits()
    hashed = 0
    verifications: list[int] = []
    signatures = 0
    for doc in documents:
        data = (folder / doc["name"]).read_bytes()
        hashed += sum(int(m.group(2)) + int(m.group(4)) for m in _BYTE_RANGE.finditer(data))
        for sig in doc["signatures"]:
            signatures += 1
            # The signer's CMS signature, then each certificate of the chain checked
            # with its issuer's key (the end entity's and the intermediate's); the same
            # again for the timestamp token and the TSA's chain.
            chain = [bits["intermediate"], bits["root"]]
            verifications += [bits[sig["signer"]], *chain]
            if sig["timestamped"]:
                verifications += [bits["tsa"], *chain]
    seconds = hashed / sha_rate + sum(1 / verify_rate[b] for b in verifications)
    return Row(label, documents=len(documents), signatures=signatures, seconds=seconds,
               cpu_seconds=seconds, load=load_average(),
               note=f"{hashed / 1e6:.0f} MB hashed at {sha_rate / 1e9:.2f} GB/s, "
                    f"{len(verifications)} RSA verifications")


def large_document(path: Path, doc: dict[str, Any], small: Path
                   ) -> tuple[Row, dict[str, Any]]:
    """``vnsign verify`` of the large scan, and its peak memory against the file's size:
    as a whole, and above what the same command needs for a small document (the
    interpreter, pyHanko, pdfium and the trust store: memory no file size changes)."""
    done = run([*vnsign_command(), "verify", "--json", *TRUST, str(path)])
    base = run([*vnsign_command(), "verify", "--json", *TRUST, str(small)])
    row = Row(f"vnsign verify {path.name} ({doc['size'] / 1e6:.0f} MB, {doc['pages']} pages)",
              documents=1, signatures=len(doc["signatures"]), seconds=done.seconds,
              cpu_seconds=done.cpu_seconds, peak_tree_kib=done.peak_process_kib,
              peak_process_kib=done.peak_process_kib, load=load_average())
    above = max(0, done.peak_process_kib - base.peak_process_kib) * 1024
    row.note = (f"peak RSS {done.peak_process_kib * 1024 / doc['size']:.1f}x the file size; "
                f"{above / 2**20:.0f} MiB above verify of {small.name} "
                f"({base.peak_process_kib / 1024:.0f} MiB): {above / doc['size']:.1f}x the file")
    return row, verdicts_of(done.stdout)


def cold_starts(runs: int, document: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"runs": runs, "load": load_average(),
                              "bytecode": compile_vnsign()}
    for key, cmd in (("vnsign --help", [*vnsign_command(), "--help"]),
                     (f"vnsign verify {document.name}",
                      [*vnsign_command(), "verify", *TRUST, str(document)])):
        done = [run(cmd) for _ in range(runs)]
        times = [d.seconds for d in done]
        result[key] = {"median": statistics.median(times), "min": min(times),
                       "cpu_median": statistics.median(d.cpu_seconds for d in done)}
    return result


# --------------------------------------------------------------------------------------
# Verdicts against the baseline
# --------------------------------------------------------------------------------------


def compare(verdicts: dict[str, dict[str, Any]], label: str, baseline: dict[str, Any] | None,
            mismatches: list[str]) -> str:
    if baseline is None:
        return "no baseline (write one with --save-baseline)"
    expected = baseline["verdicts"]
    common = sorted(set(verdicts) & set(expected))
    for name in common:
        if verdicts[name] != expected[name]:
            mismatches.append(f"{label}: {name}: {verdicts[name]} != baseline {expected[name]}")
    missing = sorted(set(expected) - set(verdicts))
    if len(common) < len(verdicts):
        return f"{len(common)} of {len(verdicts)} documents in the baseline"
    return f"{len(common)} documents compared" + (f" ({len(missing)} not run)"
                                                   if missing else "")


def save_baseline(run_: Run, manifest: dict[str, Any]) -> None:
    BASELINE.write_text(json.dumps({
        "about": "verdict digests of the bench/corpus.py corpus; bench/bench_corpus.py "
                 "compares every run with them (--save-baseline rewrites this file)",
        "docs": manifest["docs"], "seed": manifest["seed"], "at": AT,
        "verdicts": dict(sorted(run_.verdicts.items())),
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}" if kib else "–"


def print_tables(run_: Run, reference: str) -> None:
    rows = [r for r in run_.rows if r.skipped is None]
    base = next((r for r in rows if r.label == reference), None)
    print("\n| tool | docs | signatures | wall s | CPU s | docs/s | signatures/s | docs/CPU-s "
          "| × vnsign 1 worker (wall) | peak RSS tree / largest MiB | load (1 5 15 min) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        ratio = f"{r.docs_per_s / base.docs_per_s:.2f}" if base and base.docs_per_s else "–"
        print(f"| {r.label} | {r.documents} | {r.signatures} | {r.seconds:.1f} | "
              f"{r.cpu_seconds:.1f} | {r.docs_per_s:.1f} | {r.signatures_per_s:.1f} | "
              f"{r.docs_per_cpu_s:.1f} | {ratio} | "
              f"{_mib(r.peak_tree_kib)} / {_mib(r.peak_process_kib)} | {r.load} |")
    for r in run_.rows:
        if r.skipped is not None:
            print(f"\nskipped: {r.label}: {r.skipped}")
    notes = [f"- {r.label}: {r.note}" for r in rows if r.note]
    if notes:
        print("\n" + "\n".join(notes))
    by_label = {r.label: r for r in rows}
    targets = run_.extra.get("targets", [])
    if base is not None:
        print("\n| ratio | wall | CPU | target |\n|---|---:|---:|---|")
        for label, other, target in targets:
            row = by_label.get(other)
            if row is None or not row.docs_per_s:
                continue
            wall = base.docs_per_s / row.docs_per_s
            cpu = base.docs_per_cpu_s / row.docs_per_cpu_s if row.docs_per_cpu_s else 0.0
            if label.startswith("workers"):  # N workers against 1: wall time only
                print(f"| {label} | {1 / wall:.2f} | – | {target} |")
            else:
                print(f"| {label} | {wall:.2f} | {cpu:.2f} | {target} |")
    cold = run_.extra.get("cold")
    if cold:
        print(f"\n| cold start ({cold['runs']} fresh processes) | median s | min s "
              "| CPU s (median) |")
        print("|---|---:|---:|---:|")
        for key, value in cold.items():
            if isinstance(value, dict):
                print(f"| {key} | {value['median']:.3f} | {value['min']:.3f} | "
                      f"{value['cpu_median']:.3f} |")
        print(f"\n(load during cold starts: {cold['load']}; {cold.get('bytecode', '')})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the corpus")
    parser.add_argument("--skip", action="append", default=[], choices=TOOLS)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="the 'all cores' batch run [default: %(default)s]")
    parser.add_argument("--limit", type=int, help="only the first N documents (a quick look)")
    parser.add_argument("--save-baseline", action="store_true")
    args = parser.parse_args()
    skip = set(args.skip)

    manifest = corpus.ensure_corpus(args.docs, args.seed, force=args.regenerate)
    folder = corpus.OUT / corpus.DOCS
    documents = manifest["documents"][:args.limit]
    files = [folder / d["name"] for d in documents]
    signatures = sum(len(d["signatures"]) for d in documents)
    print(f"corpus: {len(files)} documents, {signatures} signatures, "
          f"{sum(d['size'] for d in documents) / 1e6:.0f} MB in {folder}; "
          f"{os.cpu_count()} cores; python {sys.version.split()[0]}; load {load_average()}")
    print(f"vnsign under test: {vnsign_under_test()}")
    # Every row runs vnsign as an installed copy would: from bytecode compiled now. Left
    # to chance (this machine sets PYTHONDONTWRITEBYTECODE, and bytecode of an earlier run
    # may or may not be there), the 30 MB scan's peak moved by 10 MB between runs of the
    # same code (149 MB from bytecode, 140 MB compiled from source at start-up).
    print(compile_vnsign())
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None

    run_ = Run()
    one = "vnsign batch --workers 1"
    with tempfile.TemporaryDirectory(prefix="vnsign-bench-") as tmp:
        for workers, key in ((1, "vnsign-1"), (args.workers, "vnsign-all")):
            if key in skip or (key == "vnsign-all" and workers == 1 and "vnsign-1" not in skip):
                continue
            print(f"running vnsign batch --workers {workers} ...", flush=True)
            row, verdicts = vnsign_batch(files, workers, signatures, Path(tmp))
            row.note += f"; verdicts: {compare(verdicts, row.label, baseline, run_.mismatches)}"
            run_.rows.append(row)
            if workers == 1 or not run_.verdicts:
                run_.verdicts.update(verdicts)
            elif verdicts != {k: run_.verdicts[k] for k in verdicts if k in run_.verdicts}:
                run_.mismatches.append(f"{row.label}: verdicts differ from 1 worker")
    steps = (("pyhanko-lib", lambda: pyhanko_library(files)),
             ("pyhanko-cli", lambda: pyhanko_cli(files, signatures)),
             ("pdfsig", lambda: pdfsig(files, signatures)),
             ("floor", lambda: floor(folder, documents)))
    for key, step in steps:
        if key not in skip:
            print(f"running {key} ...", flush=True)
            run_.rows.append(step())
    if "large" not in skip:
        for doc in manifest["large"]:
            print(f"running vnsign verify {doc['name']} ...", flush=True)
            smallest = min(documents, key=lambda d: d["size"])
            row, verdicts = large_document(corpus.OUT / corpus.LARGE / doc["name"], doc,
                                           folder / smallest["name"])
            row.note += f"; verdict: {compare(verdicts, row.label, baseline, run_.mismatches)}"
            run_.rows.append(row)
            run_.verdicts.update(verdicts)
    if "cold" not in skip:
        print("running cold starts ...", flush=True)
        run_.extra["cold"] = cold_starts(args.cold_runs, files[0])
    workers_label = f"vnsign batch --workers {args.workers}"
    run_.extra["targets"] = [
        ("vnsign 1 worker / pyHanko library loop",
         "pyHanko library loop (validate_pdf_signature)", "≥ 2"),
        ("vnsign 1 worker / pdfsig loop", "pdfsig (poppler), once per file", "≥ 1"),
        ("vnsign 1 worker / pyHanko CLI loop", "pyhanko sign validate, once per file", "–"),
        ("vnsign 1 worker / floor",
         "floor: SHA-256 of signed ranges + RSA verifications (openssl speed)",
         "≥ 0.1 (stretch)"),
        (f"workers {args.workers} / 1", workers_label, "≥ 1.8 with 2 workers"),
    ]
    print_tables(run_, one)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps({"rows": [asdict(r) for r in run_.rows], "extra": run_.extra,
                               "mismatches": run_.mismatches, "verdicts": run_.verdicts},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
    if args.save_baseline:
        if run_.mismatches and any("differ from 1 worker" in m for m in run_.mismatches):
            sys.exit("not saving a baseline: the batch runs disagree with each other")
        save_baseline(run_, manifest)
        print(f"baseline written: {BASELINE} ({len(run_.verdicts)} documents)")
    elif run_.mismatches:
        print(f"\nVERDICTS DIFFER FROM THE BASELINE ({len(run_.mismatches)}):")
        print("\n".join(run_.mismatches[:50]))
        sys.exit(1)
    elif baseline is not None:
        print("verdicts: identical to the baseline")


if __name__ == "__main__":
    main()
