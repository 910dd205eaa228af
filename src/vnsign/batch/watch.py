"""The archivist's inbox: verify each arriving PDF, then file it as accepted or quarantined.

A PDF has *arrived* when its size and mtime are the same on two consecutive polls
(its writer has finished; polling works on every file system, network shares
included). It is then verified and filed, with its JSON report, into ``accepted``
(the CI gate passes) or ``quarantine`` (everything else).

The inbox is where senders write, so nothing watch relies on lives there:

* **state outside the inbox**: the journals and the journal key live in the state
  folder (``--state``, default ``QUARANTINE/.vnsign-watch``), never inside the inbox
  (refused). Journals a sender plants in the inbox are never read;
* **only its own journals, only its own folders**: a journal holds *names*, never paths
  (the inbox file, the target folder ``accepted``/``quarantine``, the target and report
  names), each a single path component, and an HMAC-SHA256 under a key created in the
  state folder (mode 0600). A journal whose MAC does not verify, or with a name that is
  not a plain file name, is discarded untouched: recovery can only ever touch files in
  watch's own inbox, target and report folders;
* **the filed bytes are the verified bytes**: the PDF is copied (never renamed) into the
  target folder while its SHA-256 is computed, and filed only when that hash equals the
  one of the bytes verified. A file swapped (or written to) after verification is not
  filed: it stays in the inbox and is verified again. The filed file is a new inode no
  sender holds open.

Nothing is lost when the process is killed at any instant, because every delivery
follows a journal written before the first step:

1. journal (written atomically: temp file, fsync, rename);
2. the PDF copied to a temporary name in the target folder, fsynced, its hash checked;
3. report written atomically next to the target (or into ``reports``);
4. temporary copy renamed into place; the inbox file unlinked;
5. journal removed.

On start, :meth:`Watcher.recover` replays leftover journals: a delivery whose target is
in place finishes (the inbox file is unlinked if it is still the same bytes); any other
is rolled back (temporary copy and orphan report removed) and the PDF, still in the
inbox, is verified again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnsign.batch.api import verify_many
from vnsign.batch.executors import Executor
from vnsign.batch.inputs import is_pdf_name
from vnsign.batch.results import BatchResult
from vnsign.errors import UsageError, VnsignError
from vnsign.gate import CiPolicy, judge
from vnsign.pdf.source import sha256_file
from vnsign.policy import Policy

if TYPE_CHECKING:
    from vnsign.trust import TrustStore

STATE_DIR = ".vnsign-watch"
PART_PREFIX = ".vnsign-part-"
KEY_FILE = "journal.key"
_FOLDERS = ("accepted", "quarantine")


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
    kind: str  # "delivered", "recovered", "changed", "error"
    path: str
    delivery: Delivery | None = None
    detail: str | None = None


class FileChanged(OSError, VnsignError):
    """The inbox file is no longer the one that was verified: it is not filed."""


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


def copy_hashing(src: Path, tmp: Path) -> str:
    """Copy ``src`` to ``tmp`` (fsynced, times kept) and return the SHA-256 of the bytes
    copied: the hash of what was actually filed, not of what was there earlier."""
    digest = hashlib.sha256()
    with open(src, "rb") as reader, open(tmp, "wb") as writer:
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(src, tmp)
    return digest.hexdigest()


def plain_name(value: object) -> str | None:
    """``value`` if it is a single, ordinary path component (no folder, no ``..``)."""
    if not isinstance(value, str) or not value or value in (".", ".."):
        return None
    if os.sep in value or "\0" in value or (os.altsep and os.altsep in value):
        return None
    return value


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


class Watcher:
    """Polls ``inbox`` and files its PDFs into ``accepted`` or ``quarantine``.

    Reports go beside the filed PDF (``NAME.pdf.json``) or into ``reports`` when given.
    ``state`` holds the journals (default ``quarantine/.vnsign-watch``; never inside the
    inbox: :class:`~vnsign.errors.UsageError`). ``ci`` decides acceptance (default:
    PASSED, warnings tolerated). ``on_event`` is told about each delivery and error (the
    library itself never prints).
    """

    def __init__(self, inbox: str | os.PathLike[str], accepted: str | os.PathLike[str],
                 quarantine: str | os.PathLike[str],
                 reports: str | os.PathLike[str] | None = None, *,
                 trust: TrustStore | None, policy: Policy | None, password: str | None = None,
                 executor: Executor, ci: CiPolicy | None = None,
                 on_event: Callable[[WatchEvent], None] | None = None,
                 state: str | os.PathLike[str] | None = None) -> None:
        self.inbox = Path(inbox)
        self.accepted = Path(accepted)
        self.quarantine = Path(quarantine)
        self.reports = Path(reports) if reports is not None else None
        self.state = Path(state) if state is not None else self.quarantine / STATE_DIR
        if _inside(self.state, self.inbox):
            raise UsageError(f"{self.state}: watch's state folder must not be inside the "
                             f"inbox {self.inbox} (senders write there); give --state")
        for folder in (self.accepted, self.quarantine):
            if folder.resolve() == self.inbox.resolve():
                raise UsageError(f"{folder}: the inbox cannot also be a target folder")
        self.trust = trust
        self.policy = policy or Policy()
        self.password = password
        self.executor = executor
        self.ci = ci or CiPolicy()
        self.on_event = on_event
        self._seen: dict[str, tuple[int, int]] = {}
        self._failed: dict[str, tuple[int, int]] = {}
        for folder in (self.accepted, self.quarantine, self.state,
                       *([self.reports] if self.reports else [])):
            folder.mkdir(parents=True, exist_ok=True)
        self._key = self._journal_key()

    def _emit(self, event: WatchEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)

    # --- journals -----------------------------------------------------------------

    def _journal_key(self) -> bytes:
        """The key journals are signed with, created once in the state folder (0600)."""
        path = self.state / KEY_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(self.state)
        return path.read_bytes()

    def _mac(self, entry: dict[str, Any]) -> str:
        data = json.dumps(entry, sort_keys=True, ensure_ascii=False).encode()
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def _journal_path(self, source_name: str) -> Path:
        return self.state / f"{hashlib.sha256(source_name.encode()).hexdigest()[:32]}.json"

    def _write_journal(self, src: Path, target: Path, report: Path, sha: str) -> Path:
        folder = "accepted" if target.parent == self.accepted else "quarantine"
        entry = {"src": src.name, "folder": folder,
                 "target": target.name, "report": report.name, "sha256": sha}
        journal = self._journal_path(src.name)
        write_atomic(journal, json.dumps({**entry, "mac": self._mac(entry)},
                                         ensure_ascii=False).encode())
        return journal

    def _read_journal(self, journal: Path) -> tuple[Path, Path, Path, str] | None:
        """(source, target, report, sha256) of a journal this watcher wrote, else None."""
        try:
            data = json.loads(journal.read_text("utf-8"))
            entry = {k: data[k] for k in ("src", "folder", "target", "report", "sha256")}
            mac = data["mac"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._mac(entry)):
            return None
        names = [plain_name(entry[k]) for k in ("src", "target", "report")]
        if None in names or entry["folder"] not in _FOLDERS or not isinstance(
                entry["sha256"], str):
            return None
        src, target, report = (str(n) for n in names)
        folder = self.accepted if entry["folder"] == "accepted" else self.quarantine
        return (self.inbox / src, folder / target, (self.reports or folder) / report,
                entry["sha256"])

    # --- recovery -----------------------------------------------------------------

    def recover(self) -> int:
        """Finish or roll back deliveries a killed process left half done."""
        count = 0
        for journal in sorted(self.state.glob("*.json")):
            read = self._read_journal(journal)
            journal.unlink(missing_ok=True)
            if read is None:  # not ours, or not about our folders: never acted upon
                self._emit(WatchEvent("error", str(journal),
                                      detail="journal not written by this watcher: ignored"))
                continue
            src, target, report, sha = read
            tmp = target.with_name(f"{PART_PREFIX}{target.name}")
            if target.exists():
                # Filed: finish by removing the inbox copy, if it is still those bytes.
                if src.exists() and sha256_file(src)[0] == sha:
                    src.unlink()
                    _fsync_dir(src.parent)
            else:
                report.unlink(missing_ok=True)  # rolled back: verified again below
            tmp.unlink(missing_ok=True)
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
        """File one verified document (see the module docstring for the steps).

        Raises :class:`FileChanged` when the inbox file no longer has the verified bytes.
        """
        src = Path(result.path)
        accepted = not judge(result.report, self.ci).counted
        folder = self.accepted if accepted else self.quarantine
        target, report = self._unique_target(folder, src.name, result.sha256)
        journal = self._write_journal(src, target, report, result.sha256)
        tmp = target.with_name(f"{PART_PREFIX}{target.name}")
        try:
            if copy_hashing(src, tmp) != result.sha256:
                raise FileChanged(f"{src}: changed after it was verified; not filed")
            filed = replace(result.report, file=replace(result.report.file, path=str(target)))
            write_atomic(report, (json.dumps(filed.to_dict(), ensure_ascii=False, indent=1)
                                  + "\n").encode())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            if not target.exists():
                report.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        src.unlink()
        _fsync_dir(src.parent)
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
            except FileChanged as exc:  # verified again once it is stable
                self._emit(WatchEvent("changed", result.path, detail=str(exc)))
                continue
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
