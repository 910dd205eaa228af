"""The /ByteRange digests of all of a document's signatures in one pass over the file.

Each signature hashes its revision: bytes ``[0, a)`` before its /Contents and
``[b, b + c)`` after them. In the usual workflow (the person, then the agency several
times, each in an incremental update) every revision holds the previous ones, so pyHanko,
hashing each signature's ranges on its own, reads the start of the file once per
signature: five signatures, five times the file. Here one running hash state walks the
file once; at each signature's ``a`` a copy of the state is taken and finished with that
signature's second range alone. The digests are the ones pyHanko computes (a hash is a
function of the byte sequence, and each copy is fed the same sequence), so pyHanko is
handed them through the cache it consults first (``EmbeddedPdfSignature.external_digests``)
and validates the signatures exactly as before.

Only the shape pyHanko's own reading gives a defined answer for is taken: four
non-negative integers, the first 0, both ranges inside the file. Any other /ByteRange
(the published Universal Signature Forgery variants among them) is left to pyHanko, whose
failure is the verdict's to report; so is a signature whose digest algorithm pyHanko
does not know.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)


def prefill(data: bytes, signatures: Sequence[Any]) -> int:
    """Put each signature's /ByteRange digest of ``data`` into its
    ``external_digests``, several signatures sharing one pass over the file; returns how
    many digests were computed here. ``data``: the bytes the signatures' reader reads."""
    from cryptography.hazmat.primitives import hashes
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash  # what pyHanko hashes with

    groups: dict[str, list[tuple[int, int, int, Any]]] = {}
    for emb in signatures:
        ranges = _plain_ranges(getattr(emb, "byte_range", None), len(data))
        try:
            algorithm = str(emb.external_md_algorithm)
            known = algorithm in emb.external_digests
        except Exception:  # an unreadable signature: pyHanko's to judge
            continue
        if ranges is not None and not known:
            groups.setdefault(algorithm, []).append((*ranges, emb))
    view = memoryview(data)
    done = 0
    for algorithm, items in groups.items():
        if len(items) < 2:
            continue  # nothing shared: pyHanko's own reading costs the same
        try:
            running = hashes.Hash(get_pyca_cryptography_hash(algorithm))
        except Exception:  # an algorithm pyHanko refuses: its error is the verdict's
            log.debug("no shared digest for %s", algorithm, exc_info=True)
            continue
        at = 0
        for first_end, second_start, second_length, emb in sorted(items, key=lambda i: i[0]):
            running.update(view[at:first_end])
            at = first_end
            own = running.copy()
            own.update(view[second_start:second_start + second_length])
            emb.external_digests[algorithm] = own.finalize()
            done += 1
    return done


def _plain_ranges(byte_range: Any, size: int) -> tuple[int, int, int] | None:
    """(a, b, c) of a ``[0 a b c]`` /ByteRange whose ranges lie inside ``size`` bytes,
    else None. Booleans and floats are not byte counts, whatever Python thinks."""
    try:
        values = [byte_range[i] for i in range(len(byte_range))]
    except Exception:
        return None
    if len(values) != 4 or any(type(v) is bool or not isinstance(v, int) for v in values):
        return None
    start, first_end, second_start, second_length = (int(v) for v in values)
    if start != 0 or min(first_end, second_start, second_length) < 0:
        return None
    if first_end > size or second_start + second_length > size:
        return None
    return first_end, second_start, second_length
