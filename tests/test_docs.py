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


def _quick_starts() -> list[tuple[str, str]]:
    """(command, output shown) of each README quick start: a ``sh`` block that runs
    ``vnsign verify`` and the next ``text`` block."""
    import itertools

    blocks: list[tuple[str, str]] = []  # (info string, content) of each fenced block
    fence: str | None = None
    lines: list[str] = []
    for line in (ROOT / "README.md").read_text("utf-8").splitlines(keepends=True):
        if line.startswith("```"):
            if fence is None:
                fence, lines = line[3:].strip(), []
            else:
                blocks.append((fence, "".join(lines)))
                fence = None
        elif fence is not None:
            lines.append(line)
    found = []
    for (info, content), (next_info, shown) in itertools.pairwise(blocks):
        if info == "sh" and "vnsign verify" in content and next_info == "text":
            found.append((content.strip(), shown))
    return found


def test_readme_quick_starts_show_the_real_compact_output() -> None:
    """Both quick starts (Vietnamese, English) show what their command prints today."""
    import os
    import shlex
    import subprocess
    import sys

    found = _quick_starts()
    assert len(found) == 2, "the Vietnamese and the English quick start"
    languages = set()
    for command, shown in found:
        args = shlex.split(command.split("&& vnsign ", 1)[1])
        languages.add(args[args.index("--lang") + 1])
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("LC_", "LANG", "VNSIGN_"))}
        env.update(COLUMNS="100", LANG="C.UTF-8", VNSIGN_DATA_DIR=str(ROOT / ".no-data"))
        proc = subprocess.run([sys.executable, "-m", "vnsign.cli", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == shown, "paste the command's output into README.md"
        assert len(shown.splitlines()) <= 40
    assert languages == {"vi", "en"}
