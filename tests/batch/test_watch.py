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
from vnsign.batch.watch import PART_PREFIX, STATE_DIR, Watcher, move_file, write_atomic
from vnsign.policy import Policy


def _watcher(root: Path) -> Watcher:
    # The executor starts workers only when something is verified: none of these tests do.
    return Watcher(root / "inbox", root / "accepted", root / "quarantine",
                   trust=None, policy=Policy(offline=True), executor=LocalExecutor(1))


def test_once_files_documents_with_their_reports(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(FIXTURES / MAIN, inbox / "cong-van.pdf")
    shutil.copyfile(FIXTURES / "tampered-flipped-byte.pdf", inbox / "sua-doi.PDF")
    (inbox / "ghi-chu.txt").write_text("not a PDF, left alone")
    (inbox / ".dang-tai.pdf").write_bytes(b"%PDF-1.7 hidden: still uploading")
    accepted = tmp_path / "accepted"
    accepted.mkdir()
    (accepted / "cong-van.pdf").write_bytes(b"an older document with the same name")
    proc = vnsign("watch", str(inbox), "--accepted", str(accepted), "--quarantine",
                  str(tmp_path / "quarantine"), "--once", "--interval", "0.05", "--workers",
                  "1", "--lang", "en", *TRUST_ARGS, *OFFLINE_ARGS)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in inbox.iterdir()) == [".dang-tai.pdf", STATE_DIR,
                                                       "ghi-chu.txt"]
    assert list((inbox / STATE_DIR).iterdir()) == []
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


def test_move_across_file_systems_copies_then_renames(tmp_path: Path) -> None:
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.7 content")
    os.utime(src, ns=(1_000_000_000, 1_000_000_000))
    (tmp_path / "out").mkdir()
    move_file(src, tmp_path / "out" / "a.pdf", force_copy=True)
    assert not src.exists()
    moved = tmp_path / "out" / "a.pdf"
    assert moved.read_bytes() == b"%PDF-1.7 content" and moved.stat().st_mtime_ns == 10**9
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.pdf"]


def _journal(watcher: Watcher, src: Path, target: Path, report: Path) -> None:
    from vnsign.pdf.source import sha256_file

    entry = {"src": str(src), "target": str(target), "report": str(report),
             "sha256": sha256_file(src)[0]}
    write_atomic(watcher.state / f"{src.name}.json", json.dumps(entry).encode())


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
    names = {p.name for p in watcher.quarantine.iterdir()}
    assert list(watcher.state.iterdir()) == []
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

    Passing documents go to a folder on the inbox's file system (atomic rename),
    the others to a folder on another one (copy, fsync, rename, unlink).
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
    leftovers = [p for d in (inbox / STATE_DIR, accepted, quarantine) for p in d.iterdir()
                 if p.name.startswith(PART_PREFIX) or p.parent.name == STATE_DIR]
    assert leftovers == []
