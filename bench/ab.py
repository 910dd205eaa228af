"""One of vnsign's fast paths against what it replaces, in one process, on the same documents.

    python bench/ab.py readers [--only NAME] [--docs 40] [FILE...]
    python bench/ab.py digests [--docs 40] [FILE...]
    python bench/ab.py regions [--docs 40] [FILE...]
    python bench/ab.py copies [--docs 40] [FILE...]
    python bench/ab.py names [--docs 40] [FILE...]
    python bench/ab.py objects [--docs 40] [FILE...]

Each document is verified twice, once with the fast path and once without it, in
alternating order, so both sides see the same machine load; the CPU milliseconds per
document of each side are printed. Measured, never asserted.

- ``readers``: the token readers of vnsign.pdf.hexstring and vnsign.pdf.tokens given to
  pyHanko's parser, or pyHanko's own; ``--only NAME`` swaps one reader only (a name of
  ``tokens._TARGETS``, ``number`` or ``hex``), the others staying fast.
- ``digests``: the /ByteRange digests of all signatures in one pass over the file
  (vnsign.pdf.range_digests), or pyHanko hashing each signature's ranges itself.
- ``regions``: the visual check drawing only the areas of pages whose annotations alone
  changed (``UnchangedPages.annotation_changes``), or drawing those pages whole.
- ``copies``: vnsign's copy of an object into a historical revision
  (``vnsign.pdf.reader._Revision._subsume_object``), or pyHanko's.
- ``names``: X.509 name comparisons and ``hashable`` forms memoised by the names'
  encodings (``vnsign.validation.name_prep``), or asn1crypto's each time (the string
  preparation stays memoised on both sides).
- ``objects``: vnsign's object reader walking each object in C (vnsign.pdf._objscan),
  or in Python (``object_reader._Reader``); both fall back to pyHanko's parser alike.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_verify import setup  # bench/profile_verify.py: corpus documents, trust, policy
from pyhanko.pdf_utils import generic, misc, reader, xref
from pyhanko.pdf_utils.reader import HistoricalResolver

from vnsign.pdf import hexstring, object_reader, range_digests, tokens
from vnsign.pdf.reader import _Revision
from vnsign.pdf.unchanged_pages import UnchangedPages
from vnsign.validation import name_prep
from vnsign.verifier import verify


def use_readers(fast: bool, only: str | None) -> None:
    """Give pyHanko's parser the fast readers, or its own (one of them with ``only``)."""
    tokens.install = lambda: None  # type: ignore[assignment]  # the readers are set here
    hexstring.install = lambda: None  # type: ignore[assignment]
    for module in (misc, generic, reader, xref):
        for name, (original, quick) in tokens._TARGETS.items():
            if getattr(module, name, None) in (original, quick):
                chosen = quick if fast or (only and name != only) else original
                setattr(module, name, chosen)
    number_fast = fast or (only is not None and only != "number")
    generic.NumberObject.read_from_stream = staticmethod(  # type: ignore[method-assign]
        tokens.read_number if number_fast else tokens._READ_NUMBER)
    hex_fast = fast or (only is not None and only != "hex")
    generic.read_hex_string_from_stream = (hexstring.read_hex_string if hex_fast
                                           else hexstring._ORIGINAL)


_PREFILL = range_digests.prefill
_ANNOTATION_CHANGES = UnchangedPages.annotation_changes
_SUBSUME = _Revision.__dict__["_subsume_object"]


def use_digests(fast: bool, _only: str | None) -> None:
    range_digests.prefill = _PREFILL if fast else (
        lambda data, signatures: 0)


def use_regions(fast: bool, _only: str | None) -> None:
    UnchangedPages.annotation_changes = _ANNOTATION_CHANGES if fast else (  # type: ignore
        lambda self, *args: {})


def use_copies(fast: bool, _only: str | None) -> None:
    _Revision._subsume_object = _SUBSUME if fast else (  # type: ignore[method-assign]
        HistoricalResolver._subsume_object)


_SAME_NAMES, _HASHABLE = name_prep.same_names, name_prep._hashable


def use_names(fast: bool, _only: str | None) -> None:
    # verify() calls name_prep.install(), which installs whatever these are then.
    name_prep.same_names = _SAME_NAMES if fast else name_prep._ORIGINAL_EQUAL  # type: ignore
    name_prep._hashable = _HASHABLE if fast else (  # type: ignore[assignment]
        name_prep._ORIGINAL_HASHABLE.fget)
    name_prep._equal.clear()
    name_prep._hashables.clear()


def use_objects(fast: bool, _only: str | None) -> None:
    object_reader.use_native(fast)


SWITCHES: dict[str, tuple[Callable[[bool, str | None], None], str]] = {
    "readers": (use_readers, "pyHanko's readers"),
    "digests": (use_digests, "a digest per signature"),
    "regions": (use_regions, "whole pages"),
    "copies": (use_copies, "pyHanko's copies"),
    "names": (use_names, "asn1crypto's name comparison"),
    "objects": (use_objects, "the Python object walk"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("switch", choices=sorted(SWITCHES))
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--only", help="readers: swap this one only (tokens._TARGETS, number, "
                                       "hex)")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # pyHanko logs every refused signature with its trace
    use, label = SWITCHES[args.switch]
    files, trust, policy = setup(args.files, args.docs, None)  # a warm-up one first
    use(True, None)
    verify(files[0], trust=trust, policy=policy)  # warm-up: imports, first-use caches
    files = files[1:] or files
    spent = {True: 0.0, False: 0.0}
    verdicts: dict[bool, list[Any]] = {True: [], False: []}
    for index, path in enumerate(files):
        for fast in ((True, False) if index % 2 else (False, True)):
            use(fast, args.only)
            started = time.process_time()
            report = verify(path, trust=trust, policy=policy)
            spent[fast] += time.process_time() - started
            verdicts[fast].append([(s.indication, s.sub_indication, tuple(s.findings))
                                   for s in report.signatures])
    if args.switch == "readers" and args.only:
        label = f"pyHanko's {args.only}"
    same = "the same" if verdicts[True] == verdicts[False] else "DIFFERENT"
    print(f"{len(files)} documents, CPU ms per document: {label} "
          f"{spent[False] / len(files) * 1000:.1f}, vnsign's "
          f"{spent[True] / len(files) * 1000:.1f}; signature results {same}")


if __name__ == "__main__":
    main()
