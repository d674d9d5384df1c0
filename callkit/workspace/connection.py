"""The workspace's SQLite connection: WAL, the busy timeout, read-only folders, and what a long write is doing.

Every write is one `BEGIN IMMEDIATE` transaction, so two programs writing at the same time wait for each other
and lose nothing. A write that still finds the database held after BUSY_TIMEOUT_MS (10 s) raises
WorkspaceBusyError, naming what the other program is doing when it said so (long writes - imports, the sample
team, upgrades - leave a note in `callkit.sqlite-activity`). A workspace this user may only read opens for
reading; every write then raises WorkspaceReadOnlyError.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ..exceptions import WorkspaceBusyError, WorkspaceError, WorkspaceReadOnlyError


DB_NAME = "callkit.sqlite"
PROCESS_NAME = "process.yaml"
ACTIVITY_NAME = DB_NAME + "-activity"  # what a long write is doing, for the busy message of anyone who waits
BUSY_TIMEOUT_MS = 10_000  # the longest callkit waits for another program's write (CALLKIT_BUSY_TIMEOUT may shorten it)
CREATING_PREFIX = ".callkit-creating-"  # a new workspace's database until it is complete (a killed `init` leaves only this)


def now() -> str:
    """The moment, as ISO text in UTC to the second (when a record was saved)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def busy_timeout_ms() -> int:
    """How long a write waits for another program's (milliseconds): 10 s, or less with CALLKIT_BUSY_TIMEOUT (seconds)."""
    try:
        seconds = float(os.environ.get("CALLKIT_BUSY_TIMEOUT", ""))
    except ValueError:
        return BUSY_TIMEOUT_MS
    return max(0, min(BUSY_TIMEOUT_MS, int(seconds * 1000)))


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_read_only(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text


class _Cursor(sqlite3.Cursor):
    """A cursor whose busy and read-only errors are callkit's (WorkspaceBusyError, WorkspaceReadOnlyError)."""

    def execute(self, *args: Any) -> "_Cursor":
        with self.connection.translating():  # type: ignore[attr-defined]
            return super().execute(*args)

    def executemany(self, *args: Any) -> "_Cursor":
        with self.connection.translating():  # type: ignore[attr-defined]
            return super().executemany(*args)

    def fetchone(self) -> Any:
        with self.connection.translating():  # type: ignore[attr-defined]
            return super().fetchone()

    def fetchall(self) -> list[Any]:
        with self.connection.translating():  # type: ignore[attr-defined]
            return super().fetchall()

    def fetchmany(self, *args: Any) -> list[Any]:
        with self.connection.translating():  # type: ignore[attr-defined]
            return super().fetchmany(*args)


class _Connection(sqlite3.Connection):
    """The workspace's SQLite connection: a busy or read-only database is a plain sentence, never a raw sqlite3 error.

    Still a sqlite3.Connection, so pandas reads from it directly.
    """

    workspace: Path = Path(".")
    read_only: bool = False

    @contextmanager
    def translating(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise busy_error(self.workspace) from None
            if _is_read_only(exc):
                raise WorkspaceReadOnlyError(self.workspace) from None
            raise

    def cursor(self, factory: Any = _Cursor) -> Any:  # noqa: D102 - same as sqlite3
        return super().cursor(factory)

    def execute(self, *args: Any) -> Any:  # noqa: D102
        return self.cursor().execute(*args)

    def executemany(self, *args: Any) -> Any:  # noqa: D102
        return self.cursor().executemany(*args)

    def executescript(self, *args: Any) -> Any:  # noqa: D102
        with self.translating():
            return super().executescript(*args)


def connect(db: Path | str, workspace: Path, uri: bool = False, read_only: bool = False) -> _Connection:
    """A connection to the workspace's database with callkit's busy timeout, foreign keys and plain-sentence errors."""
    timeout = busy_timeout_ms()
    conn = sqlite3.connect(db, timeout=timeout / 1000, isolation_level=None, factory=_Connection, uri=uri)
    assert isinstance(conn, _Connection)
    conn.workspace = workspace
    conn.read_only = read_only
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {timeout}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def writable(path: Path) -> bool:
    """Whether this user may change `path`. For root, who may write anywhere, a file or folder whose mode lets
    nobody write (``chmod a-w``) counts as read-only too: that is how its owner said "look, don't touch"."""
    if not os.access(path, os.W_OK):
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            return bool(path.stat().st_mode & 0o222)
        except OSError:
            return False
    return True


def open_read_only(db: Path, path: Path) -> _Connection:
    """A connection that only reads: `mode=ro` when SQLite can still share the WAL index, else `immutable=1`
    (a folder nobody may write to: nothing can change the database meanwhile)."""
    from urllib.parse import quote

    base = "file:" + quote(str(db.resolve()))
    last: Exception | None = None
    try:
        sealed = not path.stat().st_mode & 0o222  # nobody may write in the folder: nothing can change the database
        wal = Path(f"{db}-wal")
        if sealed and wal.exists() and wal.stat().st_size > 0:
            sealed = False  # committed changes wait in the WAL: read them with mode=ro when SQLite can
    except OSError:
        sealed = False
    for options in (("?mode=ro&immutable=1",) if sealed else ("?mode=ro", "?mode=ro&immutable=1")):
        conn: _Connection | None = None
        try:
            conn = connect(base + options, path, uri=True, read_only=True)
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except (sqlite3.OperationalError, WorkspaceError) as exc:
            last = exc
            if conn is not None:
                conn.close()
    raise WorkspaceError(path, f"{db} cannot be read ({last}): ask its owner to let you read the folder and the file.")


def alive(pid: str | int) -> bool:
    """Whether the process `pid` still runs (an unreadable pid counts as ended)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # alive, run by another user
    except OSError:
        return False
    return True


# -- what a long write is doing (for the busy message of anyone who waits) --------------------------------

def busy_error(path: Path) -> WorkspaceBusyError:
    """The busy error, naming the other program's work when it left a note that is still true."""
    note = _read_activity(path)
    if note is None:
        return WorkspaceBusyError(path)
    return WorkspaceBusyError(path, note.get("what"), note.get("pid"), note.get("program"))


def _read_activity(path: Path) -> dict[str, Any] | None:
    try:
        note = json.loads((path / ACTIVITY_NAME).read_text(encoding="utf-8"))
        pid = int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid == os.getpid() or not alive(pid):
        return None  # our own note (the other writer is someone else), or its program has ended: the note is stale
    return note if isinstance(note.get("what"), str) else None


@contextmanager
def activity(path: Path, what: str, program: str | None = None) -> Iterator[None]:
    """Say, while a long write runs, what this program is doing ("an import"), so a busy message can name it."""
    import sys

    note = path / ACTIVITY_NAME
    if _read_activity(path) is not None:  # another live program's note: its work is what holds the workspace
        yield
        return
    if program is None and Path(sys.argv[0]).name == "callkit":
        program = "`callkit " + sys.argv[1] + "`" if len(sys.argv) > 1 else "callkit"
    try:
        note.write_text(json.dumps({"pid": os.getpid(), "what": what, "program": program, "since": now()}),
                        encoding="utf-8")
        wrote = True
    except OSError:
        wrote = False  # a read-only folder: the write fails anyway, with its own message
    try:
        yield
    finally:
        if wrote:
            try:
                if json.loads(note.read_text(encoding="utf-8")).get("pid") == os.getpid():
                    note.unlink()
            except (OSError, ValueError):
                pass


@contextmanager
def nothing() -> Iterator[None]:
    """A context that does nothing (a short write leaves no activity note)."""
    yield
