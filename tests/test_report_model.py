"""The typed report survives the JSON boundary: ``from_dict(r.to_dict()) == r``.

Batch workers, Dask and the ledger hand reports on as JSON; the gate, the renderers
and the ledger work on models again. Every fixture's report (valid, tampered,
unreadable, attacked) must come back equal, through real JSON text, so that no rule
ever has to be written a second time on a dict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import OFFLINE, fixture_trust
from vnsign import DocumentReport, verify
from vnsign.models import Indication, SignerKind, SubIndication

PDFS = sorted(FIXTURES.glob("*.pdf")) + sorted((FIXTURES / "attacks").glob("*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_round_trip(path: Path) -> None:
    report = verify(path, trust=fixture_trust(), policy=OFFLINE)
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    again = DocumentReport.from_dict(json.loads(text))
    assert again == report
    assert again.to_dict() == report.to_dict()


def test_round_trip_gives_typed_values() -> None:
    report = verify(FIXTURES / "cong-van-2971-snv-vp.pdf", trust=fixture_trust(),
                    policy=OFFLINE)
    again = DocumentReport.from_dict(report.to_dict())
    assert isinstance(again.indication, Indication)
    kinds = [s.signer.kind for s in again.signatures if s.signer]
    assert kinds[:2] == [SignerKind.PERSON, SignerKind.AGENCY]
    assert all(isinstance(k, SignerKind) for k in kinds)
    assert isinstance(again.signatures[0].rect, tuple)
    assert again.fully_valid == report.fully_valid


def test_from_dict_keeps_sub_indications_and_ignores_unknown_keys() -> None:
    report = verify(FIXTURES / "tampered-flipped-byte.pdf", trust=fixture_trust(),
                    policy=OFFLINE)
    data = report.to_dict()
    data["added_by_a_newer_vnsign"] = {"x": 1}
    data["signatures"][0]["another_new_field"] = 2
    again = DocumentReport.from_dict(data)
    assert again == report
    assert again.signatures[0].sub_indication is SubIndication.HASH_FAILURE


def test_from_dict_refuses_what_is_not_a_report() -> None:
    with pytest.raises(ValueError, match="missing"):
        DocumentReport.from_dict({"schema": "vnsign.report/1"})
    data = verify(FIXTURES / "unsigned.pdf", policy=OFFLINE).to_dict()
    data["indication"] = "MAYBE"
    with pytest.raises(ValueError):
        DocumentReport.from_dict(data)
