"""verify_many(), the ledger, resume planning, inputs, the settings file, the CI gate."""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.batch.support import MAIN, copies
from tests.conftest import FIXTURES, ROOT
from tests.helpers import OFFLINE, check, fixture_trust
from vnsign.batch.executors import LocalExecutor
from vnsign.batch.inputs import expand, read_list
from vnsign.batch.ledger import Ledger
from vnsign.batch.results import Guard, guard_result
from vnsign.batch.runner import run_batch
from vnsign.gate import CiPolicy, FailOn, GateStatus, exit_code, judge
from vnsign.models import (
    DocumentReport,
    Finding,
    Indication,
    Message,
    Severity,
    SignatureKind,
)
from vnsign.settings import SettingsError, load
from vnsign.vn.signer_kind import classify_signer


@pytest.fixture(scope="module")
def executor() -> Iterator[LocalExecutor]:
    """One warm worker for the module: starting workers is the slow part."""
    with LocalExecutor(1) as pool:
        yield pool


def test_public_export() -> None:
    import vnsign

    assert "verify_many" in vnsign.__all__
    from vnsign.batch import verify_many

    assert vnsign.verify_many is verify_many


def test_verify_many_gives_the_same_reports_as_verify(executor: LocalExecutor) -> None:
    from vnsign import verify, verify_many

    names = [MAIN, "tampered-flipped-byte.pdf", "unsigned.pdf", "not-a-pdf.pdf"]
    paths = [str(FIXTURES / n) for n in names]
    results = {r.path: r for r in verify_many(paths, trust=fixture_trust(), policy=OFFLINE,
                                              executor=executor)}
    assert sorted(results) == sorted(paths)
    for path in paths:
        expected = verify(path, trust=fixture_trust(), policy=OFFLINE).to_dict()
        got = results[path]
        assert got.error is None
        assert got.indication == expected["indication"]
        assert got.report.to_dict()["signatures"] == expected["signatures"]
        assert got.sha256 == expected["file"]["sha256"]
        assert json.loads(got.report_json) == got.report.to_dict()


def test_guard_report_matches_the_schema(tmp_path: Path) -> None:
    import jsonschema

    from tests.conftest import ROOT as root

    schema = json.loads((root / "src/vnsign/schema/report.schema.json").read_text("utf-8"))
    pdf = tmp_path / "x.pdf"
    shutil.copyfile(FIXTURES / "unsigned.pdf", pdf)
    result = guard_result(str(pdf), Guard.TIMEOUT, "60 s", OFFLINE, 60.0)
    jsonschema.validate(result.report.to_dict(), schema)
    assert result.indication == "INDETERMINATE"
    assert result.report.findings[0].code == "BATCH_TIMEOUT"
    assert "60 s" in result.report.findings[0].message.vi
    assert result.sha256 and result.size == pdf.stat().st_size


# --- ledger and resume -------------------------------------------------------------------

def _run(paths: list[Path], ledger: Ledger, executor: LocalExecutor, **kwargs: object
         ) -> int:
    state = run_batch(paths, ledger=ledger, trust=fixture_trust(), policy=OFFLINE,
                      executor=executor, **kwargs)  # type: ignore[arg-type]
    return state.done


def test_rerun_skips_unchanged_and_redoes_changed(tmp_path: Path,
                                                   executor: LocalExecutor) -> None:
    files = copies(tmp_path / "docs", 3, ("unsigned.pdf",))
    with Ledger(tmp_path / "l.sqlite") as ledger:
        assert _run(files, ledger, executor) == 3
        assert _run(files, ledger, executor) == 0
        # Same bytes, new mtime: hashed, found unchanged, skipped (mtime remembered).
        os.utime(files[0], ns=(1, 1))
        assert _run(files, ledger, executor) == 0
        assert ledger.states()[str(files[0])].mtime_ns == 1
        # New content under the same name: verified again, still one row.
        shutil.copyfile(FIXTURES / "signed-doc-timestamp.pdf", files[1])
        assert _run(files, ledger, executor) == 1
        assert _run(files, ledger, executor, force=True) == 3
        rows = ledger.rows()
        assert [r.path for r in rows] == sorted(str(f) for f in files)
        assert rows[1].indication == "PASSED"


def test_policy_change_redoes_everything(tmp_path: Path, executor: LocalExecutor) -> None:
    from dataclasses import replace

    files = copies(tmp_path / "docs", 2, ("unsigned.pdf",))
    with Ledger(tmp_path / "l.sqlite") as ledger:
        assert _run(files, ledger, executor) == 2
        state = run_batch(files, ledger=ledger, trust=fixture_trust(),
                          policy=replace(OFFLINE, require_revocation=True), executor=executor)
        assert state.done == 2
        state = run_batch(files, ledger=ledger, trust=fixture_trust(False), policy=OFFLINE,
                          executor=executor)
        assert state.done == 2  # other trust (no intermediate): another fingerprint
        assert ledger.count() == 2
        assert len(ledger.runs()) == 3


def test_guard_rows_are_retried_real_verdicts_are_not(tmp_path: Path) -> None:
    from tests.batch.support import HOOK

    files = copies(tmp_path / "docs", 1, ("unsigned.pdf",), prefix="ok")
    files += copies(tmp_path / "docs", 1, ("unsigned.pdf",), prefix="exit")
    with Ledger(tmp_path / "l.sqlite") as ledger, LocalExecutor(1) as pool:
        first = run_batch(files, ledger=ledger, trust=None, policy=OFFLINE, executor=pool,
                          function=HOOK)
        assert first.done == 2 and first.errors == 1
        second = run_batch(files, ledger=ledger, trust=None, policy=OFFLINE, executor=pool,
                           function=HOOK)
        assert second.planned == 1 and second.skipped == 1
        row = {r.path: r for r in ledger.rows()}[str(files[1])]
        assert row.error == "BATCH_WORKER_CRASHED" and row.run_id == second.run_id


def test_ledger_is_wal_with_one_row_per_path(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "l.sqlite"
    with Ledger(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    assert {"path", "sha256", "size", "mtime_ns", "policy_fingerprint", "indication",
            "report", "duration", "error"} <= columns
    db.close()


def test_not_a_ledger_is_refused(tmp_path: Path) -> None:
    from vnsign.batch.ledger import LedgerError

    bogus = tmp_path / "x.sqlite"
    bogus.write_text("not sqlite at all, just text " * 20)
    with pytest.raises(LedgerError):
        Ledger(bogus)


# --- inputs ------------------------------------------------------------------------------

def test_inputs_files_folders_globs_and_lists(tmp_path: Path) -> None:
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for name in ("a/one.pdf", "a/deep/TWO.PDF", "a/notes.txt", "b.pdf", "c.PDF"):
        (tmp_path / name).write_bytes(b"%PDF-1.7\n")
    got = expand([str(tmp_path / "a"), str(tmp_path / "*.pdf"), str(tmp_path / "a/one.pdf"),
                  str(tmp_path / "missing.pdf"), str(tmp_path / "nothing-*.pdf")])
    names = [os.path.relpath(f, tmp_path) for f in got.files]
    # Folders: files before subfolders, sorted; globs are case-sensitive like the shell.
    assert names == ["a/one.pdf", "a/deep/TWO.PDF", "b.pdf", "missing.pdf"]
    assert got.warnings == [str(tmp_path / "nothing-*.pdf")]
    recursive = expand([str(tmp_path / "**" / "*.pdf")])
    assert {os.path.basename(f) for f in recursive.files} == {"one.pdf", "b.pdf"}
    listed = read_list(io.StringIO("# a comment\n\n/x/y.pdf\r\n  spaced name.pdf\n"))
    assert listed == ["/x/y.pdf", "  spaced name.pdf"]


# --- settings file -----------------------------------------------------------------------

def test_settings_from_vnsign_toml_and_pyproject(tmp_path: Path) -> None:
    assert load(cwd=tmp_path).values == {}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.vnsign]\nfail-on = "failed"\nrequire_signatures = 2\ntrust = "roots"\n')
    settings = load(cwd=tmp_path)
    assert settings.values == {"fail_on": "failed", "require_signatures": 2,
                               "trust_paths": (str(tmp_path.resolve() / "roots"),)}
    # vnsign.toml, when present, is the one that counts.
    (tmp_path / "vnsign.toml").write_text(
        'require-agency-signature = true\nreports = ["out/r.html", "out/r.xml"]\n')
    settings = load(cwd=tmp_path)
    assert settings.values["require_agency_signature"] is True
    assert settings.values["reports"][1] == str(tmp_path.resolve() / "out/r.xml")
    assert "fail_on" not in settings.values


@pytest.mark.parametrize("text", ['require-signature = 2\n', 'fail-on = "sometimes"\n',
                                  'workers = "two"\n', 'offline = 1\n', 'trust = [1]\n',
                                  'this is not toml'])
def test_settings_errors_are_loud(tmp_path: Path, text: str) -> None:
    (tmp_path / "vnsign.toml").write_text(text)
    with pytest.raises(SettingsError):
        load(cwd=tmp_path)


def test_documented_settings_keys_match_the_code() -> None:
    from vnsign.settings import KEYS

    doc = (ROOT / "docs" / "batch.md").read_text("utf-8")
    for key in KEYS:
        assert f"`{key}`" in doc, key


# --- CI gate -----------------------------------------------------------------------------

@functools.cache
def _template() -> DocumentReport:
    return check(MAIN)


def _report(indication: str, *sigs: tuple[str, str, str], severity: str = "INFO"
            ) -> DocumentReport:
    """A real report reshaped: these signatures (kind, indication, signer CN), one
    finding of ``severity`` each; the signer's kind as vnsign classifies the CN."""
    base = _template()
    template = base.signatures[0]
    assert template.signer is not None
    signatures = []
    for kind, ind, cn in sigs:
        signer = replace(template.signer, common_name=cn, identifiers=())
        signer = replace(signer, kind=classify_signer(signer))
        signatures.append(replace(
            template, kind=SignatureKind(kind), indication=Indication(ind), signer=signer,
            findings=(Finding("X", Severity(severity), Message("x", "x")),)))
    return replace(base, indication=Indication(indication), findings=(),
                   signatures=tuple(signatures))


def test_gate_levels_and_exit_codes() -> None:
    person = ("SIGNATURE", "PASSED", "Bùi Văn Nam")
    agency = ("SIGNATURE", "PASSED", "SỞ NỘI VỤ")
    passed = _report("PASSED", person, agency)
    warned = _report("PASSED", person, severity="WARNING")
    unsure = _report("INDETERMINATE", ("SIGNATURE", "INDETERMINATE", "SỞ NỘI VỤ"))
    failed = _report("FAILED", ("SIGNATURE", "FAILED", "SỞ NỘI VỤ"))
    default = CiPolicy()
    assert judge(passed, default).status == GateStatus.OK
    assert judge(warned, default).status == GateStatus.WARNING
    assert exit_code([judge(r, default) for r in (passed, warned)]) == 0
    assert exit_code([judge(r, default) for r in (passed, unsure)]) == 3
    assert exit_code([judge(r, default) for r in (unsure, failed)]) == 1
    lenient = CiPolicy(fail_on=FailOn.FAILED)
    assert exit_code([judge(r, lenient) for r in (passed, unsure)]) == 0
    strict = CiPolicy(fail_on=FailOn.WARNING)
    assert exit_code([judge(r, strict) for r in (passed, warned)]) == 3
    assert exit_code([]) == 3


def test_gate_requirements() -> None:
    person = ("SIGNATURE", "PASSED", "Bùi Văn Nam")
    agency = ("SIGNATURE", "PASSED", "SỞ NỘI VỤ")
    stamp = ("DOC_TIMESTAMP", "PASSED", "Test TSA")
    two = CiPolicy(require_signatures=2)
    assert judge(_report("PASSED", person, agency), two).problems == ()
    missing = judge(_report("PASSED", person, stamp), two)
    assert missing.status == GateStatus.FAILED and missing.counted
    assert "at least 2" in missing.problems[0].en and "ít nhất 2" in missing.problems[0].vi
    seal = CiPolicy(require_agency_signature=True)
    assert judge(_report("PASSED", person, agency), seal).status == GateStatus.OK
    assert judge(_report("PASSED", person), seal).status == GateStatus.FAILED
    # An INDETERMINATE agency signature still counts as present; fail_on decides the rest.
    unsure_seal = _report("INDETERMINATE", person, ("SIGNATURE", "INDETERMINATE", "SỞ NỘI VỤ"))
    judged = judge(unsure_seal, CiPolicy(fail_on=FailOn.FAILED, require_agency_signature=True))
    assert judged.status == GateStatus.INDETERMINATE and not judged.counted


def test_changed_rules_or_code_redo_everything(tmp_path: Path, executor: LocalExecutor,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored verdict is reused only from the same rules and code: ``__version__``
    stays 0.1.0 between releases, so it alone never made stored rows stale."""
    import vnsign._version as version

    files = copies(tmp_path / "docs", 2, ("unsigned.pdf",))
    with Ledger(tmp_path / "l.sqlite") as ledger:
        assert _run(files, ledger, executor) == 2
        assert _run(files, ledger, executor) == 0
        monkeypatch.setattr(version, "RULES_VERSION", version.RULES_VERSION + 1)
        assert _run(files, ledger, executor) == 2  # a verdict rule changed
        assert _run(files, ledger, executor) == 0
        monkeypatch.setattr(version, "code_version", lambda: "another build")
        assert _run(files, ledger, executor) == 2  # the code that judges changed


def test_the_code_version_changes_with_any_source_file(tmp_path: Path) -> None:
    import vnsign._version as version

    package = Path(version.__file__).parent
    copy = tmp_path / "vnsign"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert version.source_digest(str(copy)) == version.code_version()
    rule = copy / "validation" / "verdict.py"
    rule.write_text(rule.read_text("utf-8") + "\n# a changed rule\n", "utf-8")
    assert version.source_digest(str(copy)) != version.code_version()
