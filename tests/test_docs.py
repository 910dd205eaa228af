"""Documentation that must stay in step with the code."""

from __future__ import annotations

from tests.conftest import ROOT
from vnsign.findings import CATALOG, catalog_markdown


def test_findings_doc_is_current() -> None:
    text = (ROOT / "docs" / "findings.md").read_text("utf-8")
    assert text == catalog_markdown(), "run: python -m vnsign.findings > docs/findings.md"


def test_every_finding_has_both_languages() -> None:
    import unicodedata

    for code, (_severity, vi, en) in CATALOG.items():
        assert vi.strip() and en.strip(), code
        assert unicodedata.normalize("NFC", vi) == vi, code
        assert vi != en, code


def test_readme_names_the_ci_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "python -m pytest -q" in readme and "python -m pytest -q" in ci
