"""Choose and write batch reports: format by file extension or by name.

| extension | format |
|---|---|
| ``.jsonl`` / ``.ndjson`` | one ``vnsign.report/1`` per line |
| ``.json`` | a JSON array of reports |
| ``.csv`` | one row per signature (UTF-8 with BOM) |
| ``.xlsx`` | register of incoming documents, documents, signatures, totals |
| ``.xml`` | JUnit XML |
| ``.html`` / ``.htm`` | the self-contained page |

The format ``register`` (by name only) is an XLSX workbook holding just the register of
incoming documents, numbered from ``register_start``.

Files are written to a temporary name and renamed, so a CI job or a person never
picks up half a report.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence

from vnsign.gate import CiPolicy
from vnsign.render.batch_rows import Document
from vnsign.render.labels import label

FORMATS = ("jsonl", "json", "csv", "xlsx", "junit", "html", "register")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
              ".xlsx": "xlsx", ".xml": "junit", ".html": "html", ".htm": "html"}


def format_for(path: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def describe(docs: Sequence[Document], ci: CiPolicy, lang: str,
             extra: dict[str, str] | None = None) -> dict[str, str]:
    """The report's header lines: when, under which policy, with which CI gate."""
    from vnsign.timefmt import iso_vn, now_utc

    meta = {label("generated_at", lang): iso_vn(now_utc()) or ""}
    if docs:
        policy = docs[0].report.policy
        mode = "offline" if policy.offline else "online"
        meta[label("validation_policy", lang)] = f"{policy.name} · {mode} · {policy.revocation}"
    gate = f"fail-on={ci.fail_on.value}"
    if ci.require_signatures:
        gate += f" · require-signatures={ci.require_signatures}"
    if ci.require_agency_signature:
        gate += " · require-agency-signature"
    meta[label("gate", lang)] = gate
    meta.update(extra or {})
    return meta


def render(fmt: str, docs: Sequence[Document], *, lang: str, ci: CiPolicy | None = None,
           meta: dict[str, str] | None = None, register_start: int = 1) -> bytes:
    """One report of ``docs`` (ledger rows judged once, see :func:`documents`)."""
    info = meta if meta is not None else describe(docs, ci or CiPolicy(), lang)
    if fmt == "jsonl":
        from vnsign.render.jsonl import render_jsonl

        return render_jsonl(docs)
    if fmt == "json":
        from vnsign.render.jsonl import render_json

        return render_json(docs)
    if fmt == "csv":
        from vnsign.render.csv import render_csv

        return render_csv(docs, lang)
    if fmt == "xlsx":
        from vnsign.render.xlsx import render_xlsx

        return render_xlsx(docs, lang, info, register_start=register_start)
    if fmt == "register":
        from vnsign.render.xlsx import render_register

        return render_register(docs, lang, start=register_start)
    if fmt == "junit":
        from vnsign.render.junit import render_junit

        return render_junit(docs, lang)
    if fmt == "html":
        from vnsign.render.html import render_html

        return render_html(docs, lang, info)
    raise ValueError(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}")


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)  # elsewhere: set and restore (briefly the strictest mask)
    os.umask(mask)
    return mask


def write(fmt: str, docs: Sequence[Document], output: str, *, lang: str,
          ci: CiPolicy | None = None, meta: dict[str, str] | None = None,
          register_start: int = 1) -> None:
    """Render and write ``output`` atomically (``-``: standard output)."""
    data = render(fmt, docs, lang=lang, ci=ci, meta=meta, register_start=register_start)
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    folder = os.path.dirname(os.path.abspath(output))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".vnsign-report-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; give the file the mode any new file gets here (0666
        # less the umask), never wider: a report of MẬT documents stays as private as
        # the user's umask says.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
