"""Every report validates against the published JSON Schema (vnsign.report/1)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from tests.conftest import shared_path
from vnsign import Policy, verify


def schema() -> dict[str, Any]:
    text = resources.files("vnsign").joinpath("schema/report.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def check(report_dict: dict[str, Any]) -> None:
    jsonschema.validate(report_dict, schema(), cls=jsonschema.Draft202012Validator)
    # and it round-trips through JSON unchanged (no non-JSON types hiding inside)
    assert json.loads(json.dumps(report_dict, ensure_ascii=False)) == report_dict


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n"])
def test_bad_input_reports_match_schema(data: bytes) -> None:
    check(verify(data, policy=Policy(offline=True)).to_dict())


@pytest.mark.parametrize("name", ["pyhanko/minimal-signed-twice-both-created.pdf",
                                  "dss/doc-firmado.pdf", "dss/pades-signed-annot-added.pdf"])
def test_peer_corpus_reports_match_schema(name: str) -> None:
    path = shared_path("corpora", *name.split("/"))
    check(verify(path, policy=Policy(offline=True)).to_dict())
