"""Turn command-line inputs into a list of PDF files.

Rules: a named file is taken as given (whatever its extension — the user named it,
and a missing one becomes a row saying so rather than vanishing); a folder is walked
recursively for ``*.pdf`` (any case); a glob (``*``, ``?``, ``[``, ``**``) expands to
matching files and folders, folders walked as above, files filtered to ``*.pdf``.
Lists (``--from-list FILE`` or ``-`` for stdin) hold one input per line; blank lines
and lines starting with ``#`` are ignored. Order is kept, duplicates dropped.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO


def is_pdf_name(name: str) -> bool:
    return name.lower().endswith(".pdf")


def walk_pdfs(folder: str) -> Iterator[str]:
    """Every ``*.pdf`` below ``folder``, in a stable (sorted) order."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if is_pdf_name(name):
                yield os.path.join(root, name)


@dataclass
class Inputs:
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_list(handle: TextIO) -> list[str]:
    lines = []
    for line in handle:
        entry = line.rstrip("\r\n")
        if entry.strip() and not entry.lstrip().startswith("#"):
            lines.append(entry)
    return lines


def expand(entries: Iterable[str]) -> Inputs:
    """Files, folders and globs → PDF files (absolute, in order, no duplicates)."""
    result = Inputs()
    seen: set[str] = set()

    def add(path: str) -> None:
        full = os.path.abspath(path)
        if full not in seen:
            seen.add(full)
            result.files.append(full)

    for entry in entries:
        if os.path.isdir(entry):
            for path in walk_pdfs(entry):
                add(path)
        elif os.path.exists(entry) or not glob.has_magic(entry):
            add(entry)  # a missing literal path is kept: it gets an "unreadable" row
        else:
            matches = sorted(glob.glob(entry, recursive=True))
            found = False
            for match in matches:
                if os.path.isdir(match):
                    for path in walk_pdfs(match):
                        found = True
                        add(path)
                elif is_pdf_name(match):
                    found = True
                    add(match)
            if not found:
                result.warnings.append(entry)
    return result
