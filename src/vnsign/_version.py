"""The version of vnsign, of its verdict rules and of its code, in one place.

Modules that record the version (reports, the ledger fingerprint, the HTML footer)
import it from here, never from the package face, so that no module depends on
``vnsign/__init__.py`` and the import graph has no circle (only the standard library
is imported here).

The batch ledger reuses a stored verdict only when it was produced by the same rules,
and ``__version__`` alone does not say so (it stays 0.1.0 between releases):

* :data:`RULES_VERSION` is bumped by hand whenever a change makes vnsign judge a
  document differently on purpose (a verdict rule, the modification policy, the
  algorithm policy) — the statement that stored verdicts are stale;
* :func:`code_version` is a digest of vnsign's own source files and of the versions of
  the libraries that take part in a verdict, so any change to the code that runs — a
  forgotten bump, a library upgrade, a local patch — invalidates stored rows too.
"""

from __future__ import annotations

import functools
import hashlib
import os

__version__ = "0.1.0"
RULES_VERSION = 3  # 2: issue 11 (INTERNAL_ERROR, network rules in the policy); 3: issue 10
# (a copied or altered timestamp token is invalid without trust; several SignerInfos read)

# The libraries whose behaviour is part of a verdict.
_JUDGING_LIBRARIES = ("pyhanko", "pyhanko-certvalidator", "cryptography", "asn1crypto",
                      "pypdf", "pypdfium2", "aiohttp")


@functools.cache
def code_version() -> str:
    """The digest of the vnsign that is running (computed once per process)."""
    return source_digest(os.path.dirname(os.path.abspath(__file__)))


def source_digest(package: str) -> str:
    """SHA-256 over the source files (path and content) under ``package`` and the
    versions of the judging libraries (a few hundred kilobytes: a fraction of a second)."""
    from importlib import metadata

    digest = hashlib.sha256()
    sources = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        sources += [os.path.join(folder, f) for f in files if f.endswith((".py", ".json"))]
    for path in sorted(sources):
        digest.update(os.path.relpath(path, package).replace(os.sep, "/").encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    for name in _JUDGING_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()
