"""The cyclic garbage collector, tuned for vnsign's own processes (never a library caller's).

Verifying a document allocates millions of small container objects that live until its
report is made: pyHanko's parsed PDF objects (the structure tree of a tagged 30-page
decree alone is 150,000 values), their copies into each revision, asn1crypto's
certificate values. With Python's default thresholds (700, 10, 10) the collector runs a
young collection every 700 net allocations and a full one whenever the older generations
have grown by a quarter; every full collection walks every object then alive: the modules
and classes loaded at start-up, and the whole document parsed so far, which grows
under it. A large document pays that again and again.

What vnsign's own processes do (``vnsign verify``, the workers of ``vnsign batch`` and
``vnsign watch``, also under Dask), and nobody else: the library's ``verify()`` leaves its
caller's collector as the caller set it.

* :func:`tune_for_verifying`, once before the first document: the objects alive at
  start-up are frozen out of the collector's view (:func:`gc.freeze`: they live as long as
  the process, yet every full collection rescanned them), and the young generation is
  collected every 10,000 allocations instead of 700, so that a document being read
  reaches the oldest generation in fewer, larger steps. Collections still happen while a
  document is read (a hostile file's garbage is still freed), only less often.
* :func:`after_document`, between documents: one full collection, which frees what the
  last document left before the next one is read.

Measured (bench/README.md, "The ninth round"): instructions executed (valgrind
cachegrind, free of this machine's load) fell 13 % for five realvn/gov documents in one
process (24.16 to 20.97 billion), 16 % for a cold ``vnsign verify`` of a corpus letter
(4.52 to 3.78 billion), and stayed level for 30 corpus documents (25.49 to 25.27); the
batch's peak memory fell from 105 to 91 MiB on 60 corpus documents, because finished
documents no longer wait for a full collection.
"""

from __future__ import annotations

import gc

#: gc.set_threshold() values for vnsign's own processes (see the module's docstring).
THRESHOLDS = (10_000, 10, 10)


def tune_for_verifying() -> None:
    """Freeze the start-up objects and raise the young generation's threshold.

    Call once, in a process of vnsign's own, after the imports and before the first
    document. A later call freezes what was made since (harmless: frozen objects are only
    never scanned again).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def after_document() -> None:
    """Free what the last document left, before the next one.

    A document's parsed objects refer to their reader and the reader to them, so only the
    collector frees them, and with fewer collections a finished document could wait in
    memory (with its bytes: 30 MB for a scan) while the next one is read. One full
    collection here frees it at once; with the start-up objects frozen it only walks what
    is left of the document and the caches (no measurable cost: 25.27 against 25.28
    billion instructions for 30 corpus documents with and without it).
    """
    gc.collect()


__all__ = ["THRESHOLDS", "after_document", "tune_for_verifying"]
