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
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.conftest import FIXTURES, ROOT

REGRESSIONS = FIXTURES / "fuzz-regressions"
ATTACKS = FIXTURES / "attacks"
SEED_PDF = ATTACKS / "base-signed.pdf"
T = TypeVar("T")


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


def run_mutations(target: Callable[[bytes], T], seeds: list[bytes], count: int, seed: int,
                  outcome: Callable[[T], object]) -> Counter[object]:
    """Feed ``count`` mutated seeds to ``target`` and count ``outcome`` of each result.

    The counts show how deep the mutated inputs went (a mutator that only produced
    garbage would exercise the first parser check and nothing else).
    """
    rng = random.Random(seed)
    seen: Counter[object] = Counter()
    for _ in range(count):
        seen[outcome(target(mutate(rng, rng.choice(seeds), seeds)))] += 1
    return seen


def cms_outcome(description: Any) -> str:
    if not description.parsed:
        return "unparsed"
    return "signer" if description.signer is not None else "parsed"


def test_cms_harness_smoke() -> None:
    module = harness("fuzz_cms")
    seeds = cms_seeds()
    assert seeds
    for data in seeds:
        assert module.test_one_input(data).signer is not None
    seen = run_mutations(module.test_one_input, seeds, 400, seed=1, outcome=cms_outcome)
    # Mutations both break the parser and keep signatures readable enough that the
    # signer's certificate is decoded, so the deeper code runs too.
    assert seen["unparsed"] and seen["signer"], seen


def verify_outcome(report: Any) -> tuple[str, bool]:
    return report.indication.value, bool(report.signatures)


def test_verify_harness_smoke() -> None:
    module = harness("fuzz_verify")
    seeds = [p.read_bytes() for p in sorted(ATTACKS.glob("*.pdf"))
             if p.stat().st_size < 15_000][:8]
    assert seeds
    seen = run_mutations(module.test_one_input, seeds, 40, seed=2, outcome=verify_outcome)
    # Some mutated files still reach signature validation, others stop earlier.
    assert any(has_sigs for _, has_sigs in seen) and any(not s for _, s in seen), seen
    assert len({indication for indication, _ in seen}) >= 2, seen


def test_verify_harness_fails_on_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in vnsign caught by verify()'s last guard must crash the fuzzer, not pass as
    an unreadable input (the step is made to fail inside vnsign's own code)."""
    import vnsign.verifier
    from vnsign.pdf.source import sha256_file

    module = harness("fuzz_verify")
    monkeypatch.setattr(vnsign.verifier, "document_metadata",
                        lambda view, **_: sha256_file(None))  # type: ignore[arg-type]
    with pytest.raises(module.InternalError, match=r"vnsign/pdf/source\.py"):
        module.test_one_input(SEED_PDF.read_bytes())


def test_every_regression_input() -> None:
    """Each saved crash input goes through the harness that found it."""
    for prefix in ("cms", "verify"):
        module = harness(f"fuzz_{prefix}")
        for path in regression_inputs(prefix):
            module.test_one_input(path.read_bytes())
    strays = [p.name for p in REGRESSIONS.iterdir()
              if p.name != "README.md" and not p.name.startswith(("cms-", "verify-"))]
    assert not strays


def der_ending_in_zero() -> bytes:
    """A real CMS blob whose DER ends in 0x00: the fixture signature with the last byte of
    its signature value (the last element of the SignedData) set to zero. Parsing
    only: the signature no longer verifies, but it is the same structure."""
    from asn1crypto import cms

    blob = cms_seeds()[0]
    length = len(cms.ContentInfo.load(blob, strict=False).dump())  # without the padding
    der = blob[:length - 1] + b"\x00"
    assert cms.ContentInfo.load(der).dump() == der  # still exactly one DER value
    return der


def test_cms_reader_keeps_a_der_that_ends_in_zero() -> None:
    """Regression: zero padding after the DER was once stripped from the blob itself,
    cutting off a DER whose last byte is 0x00 (an Ed448 signature in pyHanko's tests).
    The reader now parses leniently instead of stripping."""
    from vnsign.validation.cms_reading import describe_cms

    der = der_ending_in_zero()
    assert der[-1] == 0
    for padded in (der, der + b"\x00" * 64):
        described = describe_cms(padded)
        assert described.parsed and described.problem is None
        assert described.signer is not None and described.signer.common_name == "Bùi Văn Nam"


def test_the_committed_regression_is_that_der() -> None:
    """tests/fixtures/fuzz-regressions/cms-der-ends-in-zero is rebuilt from the fixture."""
    assert (REGRESSIONS / "cms-der-ends-in-zero").read_bytes() == der_ending_in_zero()
