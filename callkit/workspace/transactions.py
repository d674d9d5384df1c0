"""What every workspace operation stands on: the open connection, its process and settings, transactions."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, TypeVar

from ..exceptions import RecordNotFoundError, WorkspaceError, WorkspaceReadOnlyError
from ..process import SalesProcess
from .connection import PROCESS_NAME

if TYPE_CHECKING:  # pragma: no cover
    from ..settings import WorkspaceSettings

W = TypeVar("W", bound="WorkspaceBase")


class WorkspaceBase:
    """An open workspace: its folder, its connection, its process and settings, and one transaction at a time.

    Workspace (callkit.workspace) adds reading, writing, imports, export and frames on top of it.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        """Use Workspace.create or Workspace.open; this wraps an already checked connection."""
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._process: SalesProcess | None = None
        self.read_only: bool = bool(getattr(conn, "read_only", False))  # opened for reading only (see Workspace.open)

    def close(self) -> None:
        """Write everything into callkit.sqlite (WAL checkpoint) and close; a copied folder then has all data."""
        self._close_connection(checkpoint=not self.read_only)

    def _close_connection(self, checkpoint: bool = False) -> None:
        if self._conn is None:
            return
        if checkpoint:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (sqlite3.OperationalError, WorkspaceError):
                pass  # another process holds the database: it checkpoints when it closes
        self._conn.close()
        self._conn = None

    def __enter__(self: W) -> W:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    @property
    def process(self) -> SalesProcess:
        """The workspace's sales process, from its process.yaml (loaded once)."""
        if self._process is None:
            self._process = SalesProcess.from_yaml(self.path / PROCESS_NAME)
        return self._process

    @property
    def settings(self) -> "WorkspaceSettings":
        """The workspace's settings (time zone, ...) from settings.yaml in its folder; defaults without the file."""
        from ..settings import WorkspaceSettings

        return WorkspaceSettings.for_folder(self.path)

    @property
    def schema_version(self) -> int:
        """The version of the workspace's database layout (callkit.schema.SCHEMA_VERSION once it is upgraded)."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def upgrades(self) -> list[dict[str, Any]]:
        """The upgrades this workspace went through, oldest first: version, applied_at (ISO text) and what changed."""
        rows = self._db.execute("SELECT version, applied_at, what FROM migrations ORDER BY version").fetchall()
        return [dict(r) for r in rows]

    def integrity_check(self) -> list[str]:
        """What SQLite finds wrong in the database file and its references ([] when it is sound)."""
        with self._read() as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        return problems + [f"a record of {r[0]} refers to a missing one in {r[2]}" for r in broken]

    # -- plumbing ----------------------------------------------------------------------------------
    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise WorkspaceError(self.path, f"the workspace {self.path} is closed: open it again.")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout).

        A read-only workspace raises WorkspaceReadOnlyError, a database another program holds past the timeout
        WorkspaceBusyError; either way nothing is written.
        """
        conn = self._db
        if self.read_only:
            raise WorkspaceReadOnlyError(self.path)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several queries see one consistent snapshot."""
        conn = self._db
        if conn.in_transaction:  # already inside a read or write transaction: share its snapshot
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _require(self, conn: sqlite3.Connection, kind: str, record_id: str) -> None:
        table, column = {"rep": ("reps", "rep_id"), "deal": ("deals", "deal_id"), "call": ("calls", "call_id")}[kind]
        if conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (record_id,)).fetchone() is None:
            raise RecordNotFoundError(kind, record_id)

    def _check_stage(self, stage: str) -> None:
        self.process.index(stage)  # UnknownStageError names the valid stage ids

