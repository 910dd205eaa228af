"""vnsign's own processes tune the garbage collector; the library leaves its caller's alone.

vnsign.collector: ``vnsign verify`` and the batch workers freeze their start-up objects,
collect the young generation less often, and free each finished document before the next.
A developer who imports vnsign must find the collector as they set it.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, fixture_trust
from vnsign import verify
from vnsign.collector import THRESHOLDS

LETTER = FIXTURES / "cong-van-2971-snv-vp.pdf"


def test_the_library_leaves_the_callers_collector_alone() -> None:
    caller = (900, 12, 11)  # whatever the caller chose: neither Python's nor vnsign's
    previous = gc.get_threshold()
    gc.set_threshold(*caller)
    try:
        frozen = gc.get_freeze_count()
        report = verify(LETTER, trust=fixture_trust(), policy=OFFLINE)
        assert report.signatures  # the document was verified
        assert gc.get_threshold() == caller
        # Nothing was frozen (frozen objects that die meanwhile leave the count: an
        # in-process CLI test may have frozen this process's objects before).
        assert gc.get_freeze_count() <= frozen
    finally:
        gc.set_threshold(*previous)


_PROCESS = """
import gc, json, sys
from vnsign import collector, verify
from vnsign.pdf.reader import PdfReader
from tests.helpers import OFFLINE, fixture_trust

trust = fixture_trust()
collector.tune_for_verifying()
tuned = {"thresholds": list(gc.get_threshold()), "frozen": gc.get_freeze_count()}
readers = []
for _ in range(2):
    verify(sys.argv[1], trust=trust, policy=OFFLINE)
    alive = sum(isinstance(o, PdfReader) for o in gc.get_objects())
    collector.after_document()
    readers.append((alive, sum(isinstance(o, PdfReader) for o in gc.get_objects())))
print(json.dumps({**tuned, "readers": readers}))
"""


def test_a_vnsign_process_tunes_its_collector_and_frees_each_document() -> None:
    """In a process of its own (this one's collector stays as pytest set it)."""
    done = subprocess.run([sys.executable, "-c", _PROCESS, str(LETTER)], capture_output=True,
                          text=True, check=True, cwd=FIXTURES.parent.parent, timeout=300)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert tuple(found["thresholds"]) == THRESHOLDS
    assert found["frozen"] > 10_000  # modules, classes, the trust store
    for alive, after in found["readers"]:
        # The finished document's reader was still waiting for a collection (cyclic
        # garbage), and is gone once after_document() has run.
        assert alive >= 1
        assert after == 0
