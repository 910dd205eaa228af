"""The archivist's inbox: verify each arriving PDF, then file it as accepted or quarantined.

A PDF has *arrived* when its size and mtime are the same on two consecutive polls
(its writer has finished; polling works on every file system, network shares
included). It is then verified and moved, with its JSON report, to ``accepted``
(the CI gate passes) or ``quarantine`` (everything else).

Nothing is lost when the process is killed at any instant, because every delivery
follows a journal written before the first step (``INBOX/.vnsign-watch/``):

1. journal ``{src, target, report, sha256}`` (written atomically: temp file, fsync, rename);
2. report written atomically next to the target;
3. the PDF moved: ``os.replace`` on one file system (atomic: the file is in exactly one
   place at every instant); across file systems, copied to a temporary name in the
   target folder, fsynced, renamed into place, then the source unlinked;
4. journal removed.

On start, :meth:`Watcher.recover` replays leftover journals: a delivery whose target
is complete finishes (the source is unlinked); any other is rolled back (temporary copy
and orphan report removed) and the PDF, still in the inbox, is verified again.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vnsign.batch.api import verify_many
from vnsign.batch.executors import Executor
from vnsign.batch.inputs import is_pdf_name
from vnsign.batch.results import BatchResult
from vnsign.gate import CiPolicy, judge
from vnsign.pdf.source import sha256_file
from vnsign.policy import Policy

if TYPE_CHECKING:
    from vnsign.trust import TrustStore

STATE_DIR = ".vnsign-watch"
PART_PREFIX = ".vnsign-part-"


@dataclass(frozen=True)
class Delivery:
    """A document filed: where it went and why."""

    source: str
    target: str
    report: str
    accepted: bool
    result: BatchResult


@dataclass(frozen=True)
class WatchEvent:
    kind: str  # "delivered", "recovered", "error"
    path: str
    delivery: Delivery | None = None
    detail: str | None = None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: readers see all or nothing."""
    tmp = path.with_name(f"{PART_PREFIX}{path.name}.{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def move_file(src: Path, target: Path, *, force_copy: bool = False) -> None:
    """Move ``src`` to ``target`` so that a kill at any instant loses nothing.

    Same file system: one ``os.replace``. Across file systems (EXDEV), or when
    ``force_copy`` (tests of that path): copy to a temporary name beside the target,
    fsync, rename into place, then unlink the source. A kill before the rename leaves
    the source untouched and a temporary copy that recovery deletes; a kill after it
    leaves two identical copies, and recovery unlinks the source (journal step 3).
    """
    if not force_copy:
        try:
            os.replace(src, target)
            _fsync_dir(target.parent)
            _fsync_dir(src.parent)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
    tmp = target.with_name(f"{PART_PREFIX}{target.name}")
    with open(src, "rb") as reader, open(tmp, "wb") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(src, tmp)
    os.replace(tmp, target)
    _fsync_dir(target.parent)
    os.unlink(src)
    _fsync_dir(src.parent)


class Watcher:
    """Polls ``inbox`` and files its PDFs into ``accepted`` or ``quarantine``.

    Reports go beside the filed PDF (``NAME.pdf.json``) or into ``reports`` when given.
    ``ci`` decides acceptance (default: PASSED, warnings tolerated). ``on_event`` is
    told about each delivery and error (the library itself never prints).
    """

    def __init__(self, inbox: str | os.PathLike[str], accepted: str | os.PathLike[str],
                 quarantine: str | os.PathLike[str],
                 reports: str | os.PathLike[str] | None = None, *,
                 trust: TrustStore | None, policy: Policy | None, password: str | None = None,
                 executor: Executor, ci: CiPolicy | None = None,
                 on_event: Callable[[WatchEvent], None] | None = None,
                 force_copy: bool = False) -> None:
        self.inbox = Path(inbox)
        self.accepted = Path(accepted)
        self.quarantine = Path(quarantine)
        self.reports = Path(reports) if reports is not None else None
        self.state = self.inbox / STATE_DIR
        self.trust = trust
        self.policy = policy or Policy()
        self.password = password
        self.executor = executor
        self.ci = ci or CiPolicy()
        self.on_event = on_event
        self.force_copy = force_copy
        self._seen: dict[str, tuple[int, int]] = {}
        self._failed: dict[str, tuple[int, int]] = {}
        for folder in (self.accepted, self.quarantine, self.state,
                       *([self.reports] if self.reports else [])):
            folder.mkdir(parents=True, exist_ok=True)

    def _emit(self, event: WatchEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)

    # --- recovery -----------------------------------------------------------------

    def recover(self) -> int:
        """Finish or roll back deliveries a killed process left half done."""
        count = 0
        for journal in sorted(self.state.glob("*.json")):
            try:
                entry = json.loads(journal.read_text("utf-8"))
                src, target = Path(entry["src"]), Path(entry["target"])
                report, sha = Path(entry["report"]), str(entry["sha256"])
            except (OSError, ValueError, KeyError, TypeError):
                journal.unlink(missing_ok=True)
                continue
            tmp = target.with_name(f"{PART_PREFIX}{target.name}")
            if src.exists() and target.exists():
                if sha256_file(target)[0] == sha:
                    src.unlink()  # the copy is complete: finish the move
                    _fsync_dir(src.parent)
            elif src.exists():
                report.unlink(missing_ok=True)  # rolled back: verified again below
            tmp.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            count += 1
            self._emit(WatchEvent("recovered", str(src)))
        for folder in {self.accepted, self.quarantine, self.state,
                       *([self.reports] if self.reports else [])}:
            for stale in folder.glob(f"{PART_PREFIX}*"):
                stale.unlink(missing_ok=True)  # a temp file whose writer was killed
        _fsync_dir(self.state)
        return count

    # --- arrival ------------------------------------------------------------------

    def candidates(self) -> dict[str, tuple[int, int]]:
        """PDFs in the inbox now (not hidden, regular files) with size and mtime."""
        found: dict[str, tuple[int, int]] = {}
        try:
            entries = list(os.scandir(self.inbox))
        except OSError:
            return found
        for entry in entries:
            if entry.name.startswith(".") or not is_pdf_name(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[entry.path] = (st.st_size, st.st_mtime_ns)
        return found

    def poll(self) -> list[str]:
        """Files whose size and mtime did not change since the previous poll."""
        now = self.candidates()
        stable = [path for path, sig in sorted(now.items())
                  if self._seen.get(path) == sig and self._failed.get(path) != sig]
        self._seen = now
        return stable

    # --- delivery -----------------------------------------------------------------

    def _unique_target(self, folder: Path, name: str, sha: str) -> tuple[Path, Path]:
        stem, suffix = os.path.splitext(name)
        candidates = [name] + [f"{stem}.{sha[:8] or 'x'}{'' if n == 1 else f'-{n}'}{suffix}"
                               for n in range(1, 1000)]
        for candidate in candidates:
            target = folder / candidate
            report = (self.reports or folder) / f"{candidate}.json"
            if not target.exists() and not report.exists():
                return target, report
        raise FileExistsError(f"{folder / name}: no free name")

    def deliver(self, result: BatchResult) -> Delivery:
        src = Path(result.path)
        accepted = not judge(result.report, self.ci).counted
        folder = self.accepted if accepted else self.quarantine
        target, report = self._unique_target(folder, src.name, result.sha256)
        journal = self.state / f"{src.name}.json"
        entry = {"src": str(src), "target": str(target), "report": str(report),
                 "sha256": result.sha256}
        write_atomic(journal, json.dumps(entry, ensure_ascii=False).encode())
        filed = replace(result.report, file=replace(result.report.file, path=str(target)))
        write_atomic(report, (json.dumps(filed.to_dict(), ensure_ascii=False, indent=1)
                              + "\n").encode())
        move_file(src, target, force_copy=self.force_copy)
        journal.unlink()
        _fsync_dir(self.state)
        return Delivery(source=str(src), target=str(target), report=str(report),
                        accepted=accepted, result=result)

    def process(self, paths: list[str]) -> list[Delivery]:
        delivered = []
        for result in verify_many(paths, trust=self.trust, policy=self.policy,
                                  password=self.password, executor=self.executor):
            if not os.path.exists(result.path):
                continue  # taken away while being verified: nothing to file
            try:
                delivery = self.deliver(result)
            except OSError as exc:
                sig = self._seen.get(result.path)
                if sig is not None:
                    self._failed[result.path] = sig
                self._emit(WatchEvent("error", result.path, detail=str(exc)))
                continue
            delivered.append(delivery)
            self._emit(WatchEvent("delivered", result.path, delivery=delivery))
        return delivered

    def run(self, *, once: bool = False, interval: float = 2.0,
            should_stop: Callable[[], bool] | None = None) -> None:
        """Poll until stopped; with ``once``, until the PDFs present at start are filed."""
        self.recover()
        initial = set(self.candidates())
        self.poll()
        while True:
            time.sleep(interval)
            ready = self.poll()
            if ready:
                self.process(ready)
            if once:
                left = (set(self.candidates()) & initial) - set(self._failed)
                if not left:
                    return
            if should_stop is not None and should_stop():
                return
