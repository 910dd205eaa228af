"""A short, deterministic run of both fuzz harnesses (fuzz/), plus every crash ever found.

CI does not run atheris: this test feeds each harness's ``test_one_input`` with a few
hundred inputs made by a seeded mutator from the committed fixtures (byte flips,
truncations, splices, repeated chunks), and with every file in
tests/fixtures/fuzz-regressions/ (inputs that once made vnsign raise or hang; the file
name says which harness: ``cms-*`` or ``verify-*``). The long runs are described in
fuzz/README.md.
"""

from __future__ import annotations

import importlib.util
import io
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from pyhanko.pdf_utils.reader import PdfFileReader

from tests.conftest import FIXTURES, ROOT

REGRESSIONS = FIXTURES / "fuzz-regressions"
ATTACKS = FIXTURES / "attacks"


def harness(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "fuzz" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mutate(rng: random.Random, data: bytes, donors: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(5)
        if choice == 0 and buf:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] = rng.getrandbits(8)
        elif choice == 1 and buf:  # truncate
            del buf[rng.randrange(len(buf)):]
        elif choice == 2 and buf:  # splice from another seed
            donor = rng.choice(donors)
            start = rng.randrange(len(donor) or 1)
            buf[rng.randrange(len(buf)):] = donor[start:start + rng.randint(1, 4096)]
        elif choice == 3 and buf:  # repeat a chunk
            start = rng.randrange(len(buf))
            chunk = buf[start:start + rng.randint(1, 64)]
            buf[start:start] = chunk * rng.randint(2, 50)
        elif buf:  # overwrite an ASCII number with another
            text = bytes(buf)
            digits = [i for i in range(len(text)) if 48 <= text[i] <= 57]
            if digits:
                buf[rng.choice(digits)] = rng.choice(b"0123456789")
    return bytes(buf)


def cms_seeds() -> list[bytes]:
    seeds = []
    for path in sorted(ATTACKS.glob("*.pdf"))[:12]:
        try:
            reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
            seeds.extend(sig.pkcs7_content for sig in reader.embedded_signatures)
        except Exception:
            continue
    return seeds


def regression_inputs(prefix: str) -> list[Path]:
    return sorted(REGRESSIONS.glob(f"{prefix}-*"))


def run_mutations(target: Callable[[bytes], None], seeds: list[bytes], count: int,
                  seed: int) -> int:
    rng = random.Random(seed)
    for _ in range(count):
        target(mutate(rng, rng.choice(seeds), seeds))
    return count


def test_cms_harness_smoke() -> None:
    module = harness("fuzz_cms")
    seeds = cms_seeds()
    assert seeds
    for data in seeds:
        module.test_one_input(data)
    assert run_mutations(module.test_one_input, seeds, 400, seed=1) == 400


def test_verify_harness_smoke() -> None:
    module = harness("fuzz_verify")
    seeds = [p.read_bytes() for p in sorted(ATTACKS.glob("*.pdf"))
             if p.stat().st_size < 15_000][:8]
    assert seeds
    assert run_mutations(module.test_one_input, seeds, 40, seed=2) == 40


def test_every_regression_input() -> None:
    """Each saved crash input goes through the harness that found it."""
    for prefix in ("cms", "verify"):
        module = harness(f"fuzz_{prefix}")
        for path in regression_inputs(prefix):
            module.test_one_input(path.read_bytes())
    strays = [p.name for p in REGRESSIONS.iterdir()
              if p.name != "README.md" and not p.name.startswith(("cms-", "verify-"))]
    assert not strays


def test_cms_reader_keeps_a_der_that_ends_in_zero() -> None:
    """Regression: zero padding after the DER was once stripped from the blob itself,
    cutting off a DER whose last byte is 0x00 (an Ed448 signature in pyHanko's tests).
    The reader now parses leniently instead of stripping."""
    from vnsign.validation.cms_reading import describe_cms

    blob = cms_seeds()[0]
    der_length = len(blob.rstrip(b"\x00"))
    assert describe_cms(blob).parsed
    assert describe_cms(blob[:der_length] + b"\x00" * 64).parsed
