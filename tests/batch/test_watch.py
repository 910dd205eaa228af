"""``vnsign watch``: arrival detection, filing, and nothing lost when killed mid-way."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.batch.support import MAIN, OFFLINE_ARGS, TRUST_ARGS, cli_env, copies, vnsign
from tests.conftest import FIXTURES
from vnsign.batch.executors import LocalExecutor
from vnsign.batch.results import BatchResult
from vnsign.batch.watch import (
    KEY_FILE,
    PART_PREFIX,
    STATE_DIR,
    FileChanged,
    Watcher,
    copy_hashing,
    write_atomic,
)
from vnsign.errors import UsageError
from vnsign.pdf.source import sha256_file
from vnsign.policy import Policy


def _watcher(root: Path) -> Watcher:
    # The executor starts workers only when something is verified: none of these tests do.
    (root / "inbox").mkdir(exist_ok=True)
    return Watcher(root / "inbox", root / "accepted", root / "quarantine",
                   trust=None, policy=Policy(offline=True), executor=LocalExecutor(1))


def test_once_files_documents_with_their_reports(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(FIXTURES / MAIN, inbox / "cong-van.pdf")
    shutil.copyfile(FIXTURES / "tampered-flipped-byte.pdf", inbox / "sua-doi.PDF")
    (inbox / "ghi-chu.txt").write_text("not a PDF, left alone")
    (inbox / ".dang-tai.pdf").write_bytes(b"%PDF-1.7 hidden: still uploading")
    # A sender's file name reaches the terminal only made visible (no escape sequence).
    shutil.copyfile(FIXTURES / "unsigned.pdf", inbox / "\x1b[2Jchua-ky.pdf")
    accepted = tmp_path / "accepted"
    accepted.mkdir()
    (accepted / "cong-van.pdf").write_bytes(b"an older document with the same name")
    proc = vnsign("watch", str(inbox), "--accepted", str(accepted), "--quarantine",
                  str(tmp_path / "quarantine"), "--once", "--interval", "0.05", "--workers",
                  "1", "--lang", "en", *TRUST_ARGS, *OFFLINE_ARGS)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in inbox.iterdir()) == [".dang-tai.pdf", "ghi-chu.txt"]
    # watch's state is outside the inbox; no journal is left, only the journal key
    assert [p.name for p in (tmp_path / "quarantine" / STATE_DIR).iterdir()] == [KEY_FILE]
    # The older document keeps its name; the new one gets its hash in its name.
    assert (accepted / "cong-van.pdf").read_bytes() == b"an older document with the same name"
    filed = [p for p in accepted.iterdir() if p.name.startswith("cong-van.")
             and p.suffix == ".pdf" and p.name != "cong-van.pdf"]
    assert len(filed) == 1 and filed[0].read_bytes() == (FIXTURES / MAIN).read_bytes()
    report = json.loads((accepted / f"{filed[0].name}.json").read_text("utf-8"))
    assert report["indication"] == "PASSED" and report["file"]["path"] == str(filed[0])
    bad = tmp_path / "quarantine" / "sua-doi.PDF"
    assert bad.exists()
    assert json.loads((bad.parent / "sua-doi.PDF.json").read_text())["indication"] == "FAILED"
    assert "✗ Quarantined: sua-doi.PDF (FAILED/HASH_FAILURE)" in proc.stdout
    assert "✗ Quarantined: \\x1b[2Jchua-ky.pdf (NO_SIGNATURE)" in proc.stdout
    assert "\x1b" not in proc.stdout + proc.stderr


def test_a_file_counts_as_arrived_when_stable_across_two_polls(tmp_path: Path) -> None:
    watcher = _watcher(tmp_path)
    (tmp_path / "inbox").mkdir(exist_ok=True)
    growing = tmp_path / "inbox" / "dang-ghi.pdf"
    growing.write_bytes(b"%PDF-1.7\n")
    assert watcher.poll() == []  # first sight
    with growing.open("ab") as handle:
        handle.write(b"% more bytes\n")
    assert watcher.poll() == []  # changed since: its writer is still busy
    assert watcher.poll() == [str(growing)]  # unchanged across two polls: arrived


def test_copy_hashing_keeps_times_and_returns_the_hash_of_what_it_copied(
        tmp_path: Path) -> None:
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.7 content")
    os.utime(src, ns=(1_000_000_000, 1_000_000_000))
    (tmp_path / "out").mkdir()
    digest = copy_hashing(src, tmp_path / "out" / "a.pdf")
    copied = tmp_path / "out" / "a.pdf"
    assert copied.read_bytes() == b"%PDF-1.7 content" and copied.stat().st_mtime_ns == 10**9
    assert digest == sha256_file(copied)[0]


def _journal(watcher: Watcher, src: Path, target: Path, report: Path) -> None:
    watcher._write_journal(src, target, report, sha256_file(src)[0])


@pytest.mark.parametrize("window", ["before-move", "copy-incomplete", "copy-renamed",
                                    "after-move"])
def test_recovery_after_a_kill_in_each_window(tmp_path: Path, window: str) -> None:
    """The state a kill leaves at each step of a delivery, then recover()."""
    watcher = _watcher(tmp_path)
    src = tmp_path / "inbox" / "x.pdf"
    src.write_bytes((FIXTURES / "unsigned.pdf").read_bytes())
    target = watcher.quarantine / "x.pdf"
    report = watcher.quarantine / "x.pdf.json"
    _journal(watcher, src, target, report)
    write_atomic(report, b"{}")
    if window == "copy-incomplete":
        (target.parent / f"{PART_PREFIX}x.pdf").write_bytes(src.read_bytes()[:100])
    elif window == "copy-renamed":
        shutil.copyfile(src, target)
    elif window == "after-move":
        os.replace(src, target)
    watcher.recover()
    names = {p.name for p in watcher.quarantine.iterdir()} - {STATE_DIR}
    assert [p.name for p in watcher.state.iterdir()] == [KEY_FILE]
    if window in ("before-move", "copy-incomplete"):
        assert src.exists() and names == set()  # rolled back: verified again later
    else:
        assert not src.exists() and names == {"x.pdf", "x.pdf.json"}  # finished


@pytest.fixture
def other_fs_dir() -> Iterator[Path]:
    """A folder on another file system (/dev/shm, a tmpfs) for the copy path."""
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="vnsign-watch-", dir="/dev/shm"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_killed_mid_way_loses_nothing(tmp_path: Path, other_fs_dir: Path) -> None:
    """SIGKILL while filing, restart: every file is in exactly one place.

    Passing documents go to a folder on the inbox's file system, the others to a folder
    on another one (each: copy while hashing, fsync, rename, unlink).
    """
    inbox = tmp_path / "inbox"
    names = [p.name for p in copies(inbox, 24, ("signed-doc-timestamp.pdf", "unsigned.pdf"))]
    accepted, quarantine = tmp_path / "accepted", other_fs_dir / "quarantine"
    args = ["watch", str(inbox), "--accepted", str(accepted), "--quarantine", str(quarantine),
            "--interval", "0.05", *TRUST_ARGS, *OFFLINE_ARGS]
    proc = subprocess.Popen([sys.executable, "-m", "vnsign.cli", *args, "--workers", "1"],
                            env=cli_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)

    def filed() -> int:
        return sum(1 for d in (accepted, quarantine) if d.exists()
                   for p in d.iterdir() if p.suffix == ".pdf")

    try:
        deadline = time.monotonic() + 120
        while filed() < 5:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert filed() < len(names), "everything was filed before the kill"
    again = vnsign(*args, "--once", "--workers", "2")
    assert again.returncode == 0, again.stderr
    for name in names:
        places = [d for d in (inbox, accepted, quarantine) if (d / name).exists()]
        assert len(places) == 1 and places[0] != inbox, (name, places)
        assert (places[0] / f"{name}.json").exists()
    assert sorted(p.name for p in accepted.iterdir() if p.suffix == ".pdf") == names[0::2]
    assert sorted(p.name for p in quarantine.iterdir() if p.suffix == ".pdf") == names[1::2]
    leftovers = [p for d in (quarantine / STATE_DIR, accepted, quarantine) for p in d.iterdir()
                 if p.name.startswith(PART_PREFIX) or (p.suffix == ".json" and
                 p.parent.name == STATE_DIR)]
    assert leftovers == []


# -- the inbox is the sender's: nothing watch relies on lives there ----------------------

def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "keep-me.txt"
    victim.write_text("a file outside watch's folders")
    return victim


def test_a_journal_planted_in_the_inbox_is_never_read(tmp_path: Path) -> None:
    """The attack: a sender drops ``.vnsign-watch/x.json`` into the inbox naming any
    path as its "report"; recovery used to delete that path."""
    victim = _victim(tmp_path)
    inbox = tmp_path / "inbox"
    (inbox / STATE_DIR).mkdir(parents=True)
    (inbox / "x.pdf").write_bytes(b"%PDF-1.7\n")
    planted = {"src": str(inbox / "x.pdf"), "target": str(tmp_path / "nowhere.pdf"),
               "report": str(victim), "sha256": "0" * 64}
    (inbox / STATE_DIR / "x.pdf.json").write_text(json.dumps(planted))
    watcher = _watcher(tmp_path)
    assert watcher.recover() == 0
    assert victim.exists() and (inbox / "x.pdf").exists()
    assert (inbox / STATE_DIR / "x.pdf.json").exists()  # not even touched


@pytest.mark.parametrize("forged", ["unsigned", "signed-with-a-path"])
def test_a_journal_watch_did_not_write_is_ignored(tmp_path: Path, forged: str) -> None:
    """In the state folder too: without the journal key's MAC, or with anything but a
    plain file name in it, a journal is discarded and nothing it names is touched."""
    watcher = _watcher(tmp_path)
    if forged == "unsigned":
        # Plain names inside watch's own folders: only the MAC tells it apart. Trusted,
        # it would roll back a delivery and delete a document filed earlier.
        watcher.quarantine.mkdir(parents=True, exist_ok=True)
        victim = watcher.quarantine / "filed-earlier.pdf"
        victim.write_bytes(b"%PDF-1.7\n")
        report = victim.name
    else:
        victim, report = _victim(tmp_path), "../keep-me.txt"
    src = tmp_path / "inbox" / "x.pdf"
    src.write_bytes(b"%PDF-1.7\n")
    entry = {"src": "x.pdf", "folder": "quarantine", "target": "nowhere.pdf",
             "report": report, "sha256": "0" * 64}
    mac = "0" * 64 if forged == "unsigned" else watcher._mac(entry)
    (watcher.state / "forged.json").write_text(json.dumps({**entry, "mac": mac}))
    events: list[str] = []
    watcher.on_event = lambda event: events.append(event.kind)
    assert watcher.recover() == 0
    assert victim.exists() and src.exists()
    assert events == ["error"] and not (watcher.state / "forged.json").exists()


def test_state_inside_the_inbox_is_refused(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with pytest.raises(UsageError, match="inside the inbox"):
        Watcher(inbox, tmp_path / "a", tmp_path / "q", trust=None, policy=None,
                executor=LocalExecutor(1), state=inbox / STATE_DIR)
    with pytest.raises(UsageError, match="inside the inbox"):  # the default, under it
        Watcher(inbox, tmp_path / "a", inbox / "q", trust=None, policy=None,
                executor=LocalExecutor(1))
    proc = vnsign("watch", str(inbox), "--accepted", str(tmp_path / "a"), "--quarantine",
                  str(tmp_path / "q"), "--state", str(inbox / "s"), "--once")
    assert proc.returncode == 2 and "inside the inbox" in proc.stderr


def _verified(path: Path) -> BatchResult:
    from tests.helpers import OFFLINE, fixture_trust
    from vnsign import verify

    report = verify(path, trust=fixture_trust(), policy=OFFLINE)
    return BatchResult(path=str(path), report=report,
                       report_json=json.dumps(report.to_dict(), ensure_ascii=False),
                       duration=0.0)


@pytest.mark.parametrize("swap", ["replaced", "written-in-place"])
def test_a_file_swapped_after_verification_is_not_accepted(tmp_path: Path, swap: str) -> None:
    """Verified as a genuine signed document, then swapped before filing: the bytes that
    would land in *accepted* are hashed as they are copied, and refused."""
    watcher = _watcher(tmp_path)
    src = tmp_path / "inbox" / "cong-van.pdf"
    shutil.copyfile(FIXTURES / MAIN, src)
    result = _verified(src)
    assert result.indication == "PASSED"
    forged = (FIXTURES / "modified-page-content.pdf").read_bytes()
    if swap == "replaced":
        (tmp_path / "inbox" / "new.pdf").write_bytes(forged)
        os.replace(tmp_path / "inbox" / "new.pdf", src)
    else:
        with open(src, "r+b") as handle:
            handle.write(forged)
            handle.truncate()
    with pytest.raises(FileChanged):
        watcher.deliver(result)
    assert [p.name for p in watcher.accepted.iterdir()] == []
    assert src.read_bytes() == forged  # left in the inbox, to be verified again
    assert [p.name for p in watcher.state.iterdir()] == [KEY_FILE]
    assert {p.name for p in watcher.quarantine.iterdir()} == {STATE_DIR}


def test_an_unchanged_file_is_filed(tmp_path: Path) -> None:
    watcher = _watcher(tmp_path)
    src = tmp_path / "inbox" / "cong-van.pdf"
    shutil.copyfile(FIXTURES / MAIN, src)
    delivery = watcher.deliver(_verified(src))
    assert delivery.accepted and not src.exists()
    assert Path(delivery.target).read_bytes() == (FIXTURES / MAIN).read_bytes()
    assert json.loads(Path(delivery.report).read_text("utf-8"))["indication"] == "PASSED"
