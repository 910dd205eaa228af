"""The ledger: one SQLite row per file, written as results arrive, surviving a kill.

Why SQLite in WAL mode: every result is its own committed transaction, so a batch
killed with SIGKILL at any moment leaves every finished row intact and no half row;
``path`` is the primary key, so a rerun updates rows in place and can never
duplicate one. The ledger is also the source for re-rendering reports
(``vnsign report``) without verifying again.

Tables: ``documents`` (one row per file) and ``runs`` (one row per batch run; a run
with ``finished_at`` NULL was interrupted).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from vnsign.batch.results import BatchResult
from vnsign.errors import LedgerError
from vnsign.models import DocumentReport

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    policy_fingerprint TEXT NOT NULL,
    executor    TEXT,
    planned     INTEGER,
    skipped     INTEGER,
    verified    INTEGER
);
CREATE TABLE IF NOT EXISTS documents (
    path        TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER,
    policy_fingerprint TEXT NOT NULL,
    indication  TEXT NOT NULL,
    sub_indication TEXT,
    report      TEXT NOT NULL,
    duration    REAL,
    error       TEXT,
    detail      TEXT,
    verified_at TEXT NOT NULL,
    run_id      INTEGER REFERENCES runs(id)
);
CREATE INDEX IF NOT EXISTS documents_indication ON documents(indication);
"""


@dataclass(frozen=True)
class FileState:
    """What the ledger remembers to decide whether a file must be verified again."""

    sha256: str
    size: int
    mtime_ns: int | None
    policy_fingerprint: str
    error: str | None


@dataclass(frozen=True)
class LedgerRow:
    """One document as stored: the verdict, its report and how it was produced."""

    path: str
    sha256: str
    size: int
    mtime_ns: int | None
    policy_fingerprint: str
    indication: str
    sub_indication: str | None
    report_json: str
    duration: float | None
    error: str | None
    detail: str | None
    verified_at: str
    run_id: int | None

    @functools.cached_property
    def report(self) -> DocumentReport:
        """The stored report as a model (parsed once, on first use)."""
        return DocumentReport.from_dict(json.loads(self.report_json))


def _now() -> str:
    from vnsign.timefmt import iso_vn, now_utc

    return iso_vn(now_utc()) or ""


class Ledger:
    """A ledger file (created on first use). Use one writer per process.

    Several processes may share a ledger: SQLite serialises their writes and
    ``busy_timeout`` makes them wait for each other instead of failing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                       check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout = 30000")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal" and self.path != ":memory:":
                raise LedgerError(f"{self.path}: cannot use write-ahead logging ({mode})")
            # NORMAL is durable against a killed process (not against power loss), and
            # much faster than FULL for one commit per document.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
            version = self._db.execute(
                "SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if version is None:
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)",
                                 (SCHEMA_VERSION,))
            elif version[0] != SCHEMA_VERSION:
                raise LedgerError(f"{self.path}: ledger schema {version[0]} is not supported")
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: {exc}") from exc

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # --- runs ---------------------------------------------------------------------

    def start_run(self, policy_fingerprint: str, executor: str) -> int:
        cur = self._db.execute(
            "INSERT INTO runs (started_at, policy_fingerprint, executor) VALUES (?, ?, ?)",
            (_now(), policy_fingerprint, executor))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def plan_run(self, run_id: int, planned: int, skipped: int) -> None:
        self._db.execute("UPDATE runs SET planned = ?, skipped = ? WHERE id = ?",
                         (planned, skipped, run_id))

    def finish_run(self, run_id: int, verified: int) -> None:
        self._db.execute("UPDATE runs SET finished_at = ?, verified = ? WHERE id = ?",
                         (_now(), verified, run_id))

    def runs(self) -> list[dict[str, Any]]:
        cur = self._db.execute("SELECT * FROM runs ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    # --- documents ----------------------------------------------------------------

    def states(self) -> dict[str, FileState]:
        """Every file's stored state, for planning a run without one query per file."""
        cur = self._db.execute(
            "SELECT path, sha256, size, mtime_ns, policy_fingerprint, error FROM documents")
        return {row[0]: FileState(row[1], row[2], row[3], row[4], row[5])
                for row in cur.fetchall()}

    def record(self, result: BatchResult, *, policy_fingerprint: str,
               mtime_ns: int | None, run_id: int | None) -> None:
        """Insert or replace the file's row, committed at once (one transaction)."""
        self._db.execute(
            """INSERT INTO documents (path, sha256, size, mtime_ns, policy_fingerprint,
                   indication, sub_indication, report, duration, error, detail,
                   verified_at, run_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(path) DO UPDATE SET
                   sha256 = excluded.sha256, size = excluded.size,
                   mtime_ns = excluded.mtime_ns,
                   policy_fingerprint = excluded.policy_fingerprint,
                   indication = excluded.indication,
                   sub_indication = excluded.sub_indication, report = excluded.report,
                   duration = excluded.duration, error = excluded.error,
                   detail = excluded.detail, verified_at = excluded.verified_at,
                   run_id = excluded.run_id""",
            (result.path, result.sha256, result.size, mtime_ns, policy_fingerprint,
             result.indication, result.sub_indication, result.report_json,
             result.duration, result.error.value if result.error else None, result.detail,
             _now(), run_id))

    def touch(self, path: str, mtime_ns: int) -> None:
        """Remember a new mtime for a file whose content was found unchanged."""
        self._db.execute("UPDATE documents SET mtime_ns = ? WHERE path = ?", (mtime_ns, path))

    def rows(self, paths: Iterable[str] | None = None) -> list[LedgerRow]:
        """Stored rows, sorted by path; only ``paths`` when given."""
        return list(self.iter_rows(paths))

    def iter_rows(self, paths: Iterable[str] | None = None) -> Iterator[LedgerRow]:
        query = ("SELECT path, sha256, size, mtime_ns, policy_fingerprint, indication, "
                 "sub_indication, report, duration, error, detail, verified_at, run_id "
                 "FROM documents")
        if paths is None:
            for row in self._db.execute(query + " ORDER BY path"):
                yield LedgerRow(*row)
            return
        wanted = sorted(set(paths))
        # In chunks: SQLite limits the number of bound parameters.
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"{query} WHERE path IN ({marks}) ORDER BY path",
                                        chunk):
                yield LedgerRow(*row)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
