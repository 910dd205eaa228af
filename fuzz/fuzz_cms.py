#!/usr/bin/env python3
"""Fuzz the CMS / certificate reading: bytes of a /Contents blob -> CmsDescription.

The target is :func:`vnsign.validation.cms_reading.describe_cms`, whose contract is
that it never raises, and what vnsign derives from the parsed signer certificate
(:func:`vnsign.vn.certificate.signer_from_certificate`, the signer's kind). Any
exception escaping is a crash. Run (see fuzz/README.md)::

    nice -n 19 python fuzz/fuzz_cms.py CORPUS_DIR fuzz/corpus/cms -runs=1000000

``tests/test_fuzz_smoke.py`` imports :func:`test_one_input` (atheris not needed).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext

try:
    import atheris
except ImportError:  # imported by the smoke test, which needs no atheris
    atheris = None

with atheris.instrument_imports() if atheris is not None else nullcontext():
    from vnsign.validation.cms_reading import CmsDescription, describe_cms
    from vnsign.vn.signer_kind import classify_signer


def test_one_input(data: bytes) -> CmsDescription:
    description = describe_cms(data)
    _ = description.weak_digest
    classify_signer(description.signer)
    return description


def main() -> None:
    assert atheris is not None, "pip install atheris (the 'fuzz' extra)"
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
