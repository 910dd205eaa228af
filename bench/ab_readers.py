"""vnsign's token readers against pyHanko's own, in one process, on the same documents.

    python bench/ab_readers.py [--docs 40] [--only NAME] [FILE...]

Each document is verified twice, once with the fast readers of vnsign.pdf.hexstring
and vnsign.pdf.tokens given to pyHanko's parser and once with pyHanko's own, in
alternating order, so both sides see the same machine load; the CPU milliseconds per
document of each side are printed. ``--only NAME`` swaps one reader only (a name of
``tokens._TARGETS``, or ``number``), the others staying fast. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_verify import setup  # bench/profile_verify.py: corpus documents, trust, policy
from pyhanko.pdf_utils import generic, misc, reader, xref

from vnsign.pdf import hexstring, tokens
from vnsign.verifier import verify


def use(fast: bool, only: str | None) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--only", help="swap this reader only (see tokens._TARGETS, number, hex)")
    args = parser.parse_args()
    files, trust, policy = setup(args.files, args.docs, None)  # a warm-up one first
    use(True, None)
    verify(files[0], trust=trust, policy=policy)  # warm-up: imports, first-use caches
    files = files[1:] or files
    spent = {True: 0.0, False: 0.0}
    for index, path in enumerate(files):
        for fast in ((True, False) if index % 2 else (False, True)):
            use(fast, args.only)
            started = time.process_time()
            verify(path, trust=trust, policy=policy)
            spent[fast] += time.process_time() - started
    label = f"pyHanko's {args.only}" if args.only else "pyHanko's readers"
    print(f"{len(files)} documents, CPU ms per document: {label} "
          f"{spent[False] / len(files) * 1000:.1f}, vnsign's {spent[True] / len(files) * 1000:.1f}")


if __name__ == "__main__":
    main()
