"""Shared test helpers: fixture paths, the test PKI, the shared corpora (when present)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PKI = FIXTURES / "pki"
# ../shared beside the checkout: present on developer machines and in CI, never copied in.
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path
