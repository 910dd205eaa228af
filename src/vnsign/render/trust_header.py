"""The run header's trust lines: which roots this run trusts, and where each came from.

A verdict of PASSED means "a chain to one of these roots", so the roots belong at the
top of every run (``verify``, ``batch``, ``watch``, the batch reports): a pull request
that adds its own root to a repository's ``vnsign.toml`` — or swaps the contents of a
trusted PEM file — shows up in the CI log as a root from that file that is *not* one of
the official roots vnsign pins (:mod:`vnsign.vn.known_roots`). See docs/ci-recipes.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from vnsign.render.labels import label
from vnsign.render.safe_text import visible

# (where it came from, e.g. "--trust" or "vnsign.toml"; the file or folder)
Origin = tuple[str, str]


def trust_lines(origins: Sequence[Origin], lang: str) -> list[str]:
    """One line per trusted root, plus a heading; plain text, safe for a terminal."""
    from vnsign.errors import TrustStoreError
    from vnsign.trust import load_certificates
    from vnsign.vn.known_roots import identify, impersonates

    rows: list[str] = []
    for origin, path in origins:
        try:
            certs = load_certificates([path])
        except TrustStoreError as exc:
            rows.append(f"  {visible(origin)}: {visible(path)} — {visible(exc)}")
            continue
        for cert in certs:
            sha = hashlib.sha256(cert.dump()).hexdigest()
            name = dict(cert.subject.native).get("common_name") or cert.subject.human_friendly
            known = identify(sha)
            fake = impersonates(str(name), sha)
            if known is not None:
                mark = f"✓ {label('official_root', lang)} ({known.generation})"
            elif fake is not None:
                mark = f"⚠ {label('impersonates_root', lang)} '{fake.name}'"
            else:
                mark = label("not_official_root", lang)
            rows.append(f"  {visible(origin)}: {visible(path)} — {visible(name)} "
                        f"[{sha[:16]}] {mark}")
    if not rows:
        return [f"{label('trust_roots', lang)}: {label('trust_none', lang)}"]
    return [f"{label('trust_roots', lang)} ({len(rows)}):", *rows]


def trust_summary(origins: Sequence[Origin], lang: str) -> str:
    """The same on one line, for a report's header (HTML, XLSX)."""
    lines = trust_lines(origins, lang)
    return "; ".join(line.strip() for line in lines[1:]) or lines[0].split(": ", 1)[1]
