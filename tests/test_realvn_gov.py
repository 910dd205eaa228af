"""Real Vietnamese government documents (../shared/corpora/realvn/gov), verdict by verdict.

Each MANIFEST.json entry names the trust to use and the verdict a correct validator
gives offline, for the document and for each signature in signing order. The files are
never copied into the project: the test reads them in place and skips cleanly when the
folder is absent. Entries another open issue must still fix are listed in PENDING with
the reason, and run as strict xfails, so each one is noticed the moment it passes.

The verification runs under a time limit roomier than the default 30 s, so that a
loaded test machine does not turn a slow verdict into TIME_LIMIT_EXCEEDED; how long a
verdict takes is measured by bench/, not asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from vnsign import Policy, TrustStore, verify

GOV = SHARED / "corpora" / "realvn" / "gov"
MANIFEST = GOV / "MANIFEST.json"
TIME_LIMIT_S = 240.0

# file -> why it does not yet get its expected verdict (the issue that fixes it)
PENDING = {
    "portal-06-bct.pdf": "issue 10: the VGCA TSA token (SHA-1, chains to G1) must not make "
                         "the G2 signer untrusted",
    "portal-153-tb-vpcp.pdf": "issue 10: as portal-06-bct",
    "portal-59-nd-g1-expired.pdf": "issue 10: SHA-1 under VGCA G1 and past validation",
    "bkhcn-qd-g1-sha1-5sig.pdf": "issue 10: SHA-1 under VGCA G1",
    "bkhcn-qd-broken-signservice.pdf": "issue 10: SHA-1 digests with G2 certificates",
    "btnmt-duthao-vgcacrypto.pdf": "issue 10: tolerant parsing of VGCACrypto's CMS",
}


def entries() -> list[Any]:
    if not MANIFEST.is_file():
        return []
    params = []
    for entry in json.loads(MANIFEST.read_text("utf-8")):
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[entry["file"]])] \
            if entry["file"] in PENDING else []
        params.append(pytest.param(entry, marks=marks, id=entry["file"]))
    return params


def _trust(entry: dict[str, Any]) -> TrustStore:
    return TrustStore.load([GOV / p for p in entry["trust"]],
                           other_certs=[GOV / p for p in entry["other_certs"]],
                           use_saved=False, use_env=False)


@pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpora/realvn/gov is not available")
@pytest.mark.parametrize("entry", entries())
def test_government_document(entry: dict[str, Any]) -> None:
    path: Path = GOV / entry["file"]
    report = verify(path, trust=_trust(entry),
                    policy=Policy(offline=True, time_limit=TIME_LIMIT_S))
    assert report.file.sha256 == entry["sha256"]
    got = {"document": report.indication.value,
           "signatures": [s.indication.value for s in report.signatures]}
    detail = [(s.index, s.field, s.indication.value, s.sub_indication,
               [f.code for f in s.findings]) for s in report.signatures]
    assert got == entry["expected"], detail


def test_pending_entries_exist() -> None:
    if not MANIFEST.is_file():
        pytest.skip("../shared/corpora/realvn/gov is not available")
    files = {e["file"] for e in json.loads(MANIFEST.read_text("utf-8"))}
    assert set(PENDING) <= files
