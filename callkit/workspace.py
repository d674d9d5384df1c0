"""The workspace: a folder holding callkit.sqlite (reps, deals, calls, exercise results, drafts) and process.yaml.

SQLite in WAL mode with a busy timeout, so a notebook, a report run and an import can use the same
workspace at once; every write is one `BEGIN IMMEDIATE` transaction, so two processes writing at the
same time wait for each other and lose nothing. A write that still finds the database held after
BUSY_TIMEOUT_MS (10 s) raises WorkspaceBusyError, naming what the other program is doing when it said
so (long writes - imports, the sample team, upgrades - leave a note in `callkit.sqlite-activity`).
A workspace this user may only read (its folder or database file is not writable) opens for reading;
every write then raises WorkspaceReadOnlyError. The schema version lives in PRAGMA user_version and is
checked on open. pandas is imported only inside the *_frame methods.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from pydantic_core import to_json

from .csv_io import ImportSummary, write_team
from .datafiles import packaged_text
from .exceptions import (
    DamagedRecordError, EditConflictError, InvalidInputError, NotAWorkspaceError, RecordNotFoundError,
    SchemaVersionError, WorkspaceBusyError, WorkspaceError, WorkspaceReadOnlyError,
)
from .models import Call, CallPlan, CloseDateChange, Deal, Debrief, ExerciseResult, Rep, build
from .process import SalesProcess
from .schema import MIGRATIONS, REQUIRED_TABLES, SCHEMA_SQL, SCHEMA_VERSION, V1_TABLES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .settings import WorkspaceSettings

    from .crm.refresh import ImportPlan

M = TypeVar("M", bound=BaseModel)

DB_NAME = "callkit.sqlite"
PROCESS_NAME = "process.yaml"
ACTIVITY_NAME = DB_NAME + "-activity"  # what a long write is doing, for the busy message of anyone who waits
BUSY_TIMEOUT_MS = 10_000  # the longest callkit waits for another program's write (CALLKIT_BUSY_TIMEOUT may shorten it)
_CREATING = ".callkit-creating-"  # a new workspace's database until it is complete (a killed `init` leaves only this)

__all__ = ["Workspace", "ImportSummary", "DB_NAME", "PROCESS_NAME"]


ANY_VERSION = object()  # save_plan / save_debrief without a version check (imports, scripts)


def _when(record: Any, verb: str = "") -> str:
    """' at 10:42' (or ', saved at 10:42') from a plan's or debrief's updated_at, or ''."""
    stamp = getattr(record, "updated_at", None)
    if stamp is None:
        return ""
    return f"{', ' + verb if verb else ''} at {stamp:%H:%M}" if stamp.date() == date.today() else \
        f"{', ' + verb if verb else ''} on {stamp:%d %b %Y at %H:%M}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


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
                raise _busy_error(self.workspace) from None
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


def _connect(db: Path | str, workspace: Path, uri: bool = False, read_only: bool = False) -> _Connection:
    timeout = busy_timeout_ms()
    conn = sqlite3.connect(db, timeout=timeout / 1000, isolation_level=None, factory=_Connection, uri=uri)
    assert isinstance(conn, _Connection)
    conn.workspace = workspace
    conn.read_only = read_only
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {timeout}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _writable(path: Path) -> bool:
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


def _open_read_only(db: Path, path: Path) -> _Connection:
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
            conn = _connect(base + options, path, uri=True, read_only=True)
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except (sqlite3.OperationalError, WorkspaceError) as exc:
            last = exc
            if conn is not None:
                conn.close()
    raise WorkspaceError(path, f"{db} cannot be read ({last}): ask its owner to let you read the folder and the file.")


def _alive(pid: str | int) -> bool:
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

def _busy_error(path: Path) -> WorkspaceBusyError:
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
    if pid == os.getpid() or not _alive(pid):
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
        note.write_text(json.dumps({"pid": os.getpid(), "what": what, "program": program, "since": _now()}),
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


@dataclass
class ExportSummary:
    """What `callkit export` wrote: its files, a warning per record left out, and how many went to damaged.csv."""

    files: list[Path]
    warnings: list[str]
    damaged: int = 0


@dataclass
class ExtrasPlan:
    """The exercise answers and drafts an import brings (from callkit's export), checked; nothing written yet."""

    exercise_results: list[ExerciseResult]
    drafts: list[tuple[str, dict, str]]
    problems: Any  # callkit.crm.export.Problems
    warnings: list[str]
    skipped: int = 0  # answers and drafts the workspace already has

    @property
    def summary(self) -> dict[str, int]:
        return {"exercise_results": len(self.exercise_results), "drafts": len(self.drafts), "already_there": self.skipped}


@dataclass(frozen=True)
class _CallRow:
    call_id: str
    deal_id: str
    rep_id: str
    date: str


class Workspace:
    """A callkit workspace folder; use Workspace.create(path) or Workspace.open(path), ideally in a `with` block."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        """Use Workspace.create or Workspace.open; this wraps an already checked connection."""
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._process: SalesProcess | None = None
        self.read_only: bool = bool(getattr(conn, "read_only", False))  # opened for reading only (see Workspace.open)

    # -- opening and closing ------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, sample: bool = False, reps: int = 8, seed: int | None = None) -> "Workspace":
        """Create a new workspace folder (a process.yaml already there is kept); with sample=True, load the sample team."""
        path = Path(path)
        db = path / DB_NAME
        if sample and reps < 1:
            raise InvalidInputError({"reps": "The sample team needs at least 1 rep."}, what="sample team")
        if path.exists() and not path.is_dir():
            raise WorkspaceError(path, f"{path} is a file, not a folder: choose a folder for the new workspace.")
        if db.exists():
            raise WorkspaceError(path, f"{path} is already a callkit workspace: open it, or choose a new folder.")
        made_dir = not path.exists()
        process_file = path / PROCESS_NAME
        made_process = not process_file.exists()
        ws: Workspace | None = None
        building = path / f"{_CREATING}{os.getpid()}.sqlite"
        try:
            path.mkdir(parents=True, exist_ok=True)
            for stale in path.glob(f"{_CREATING}*"):  # left by a killed `callkit init`: never a workspace
                if not _alive(stale.name[len(_CREATING):].split(".")[0]):
                    stale.unlink(missing_ok=True)
            if made_process:  # written whole or not at all: a killed init never leaves half a process.yaml
                partial = path / f"{_CREATING}{os.getpid()}.yaml"
                partial.write_text(packaged_text(PROCESS_NAME), encoding="utf-8")
                os.replace(partial, process_file)
            conn = _connect(building, path)
            ws = cls(path, conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA_SQL}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
            _ = ws.process  # a malformed process.yaml left in the folder fails here, before any data goes in
            if sample:
                from .sample import make_sample_team

                team = make_sample_team(reps=reps) if seed is None else make_sample_team(reps=reps, seed=seed)
                ws.load_team(team.reps, team.deals, team.calls)
            # The database becomes the workspace only when it is complete: a killed `init` leaves no callkit.sqlite.
            ws._close_connection(checkpoint=True)
            try:
                os.link(building, db)  # never over a workspace another `init` finished meanwhile
            except FileExistsError:
                raise WorkspaceError(path, f"{path} is already a callkit workspace: open it, or choose a new folder.") from None
            except OSError:
                if db.exists():
                    raise WorkspaceError(path, f"{path} is already a callkit workspace: open it, or choose a new "
                                               "folder.") from None
                os.replace(building, db)  # a file system without hard links
            building.unlink(missing_ok=True)
            ws = cls.open(path)
        except BaseException:
            if ws is not None:
                ws._close_connection()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
            if made_process:
                process_file.unlink(missing_ok=True)
            if made_dir and path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path, ignore_errors=True)
            raise
        return ws

    @classmethod
    def open(cls, path: str | Path) -> "Workspace":
        """Open an existing workspace; a folder without callkit.sqlite raises NotAWorkspaceError."""
        path = Path(path)
        db = path / DB_NAME
        if not path.is_dir() or not db.is_file():
            raise NotAWorkspaceError(path)
        read_only = not (_writable(path) and _writable(db))
        try:
            conn = _open_read_only(db, path) if read_only else _connect(db, path)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(path, f"{db} is damaged or is not a callkit database ({exc}).") from None
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version > SCHEMA_VERSION:
                raise SchemaVersionError(path, version, SCHEMA_VERSION)
            if version == 0 or not (REQUIRED_TABLES if version == SCHEMA_VERSION else V1_TABLES) <= tables:
                raise NotAWorkspaceError(path)
            if version < SCHEMA_VERSION and read_only:
                raise WorkspaceReadOnlyError(path, "open it: it was written by an older callkit and must be upgraded "
                                                   "once, which needs write access")
            if not read_only and conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            if version < SCHEMA_VERSION:
                with activity(path, "an upgrade of the workspace to this callkit"):
                    _migrate(conn, version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WorkspaceError(path, f"{db} is damaged or is not a callkit database ({exc}).") from None
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

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

    def __enter__(self) -> "Workspace":
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
        from .settings import WorkspaceSettings

        return WorkspaceSettings.for_folder(self.path)

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

    # -- reads: reps and deals ----------------------------------------------------------------------
    def reps(self) -> list[Rep]:
        """Every rep, in the order they were added."""
        rows = self._db.execute("SELECT rep_id, name, email, team, manager FROM reps ORDER BY rowid").fetchall()
        return [Rep.model_validate(dict(r)) for r in rows]

    def rep(self, rep_id: str) -> Rep:
        """One rep; RecordNotFoundError if the id is unknown."""
        row = self._db.execute("SELECT rep_id, name, email, team, manager FROM reps WHERE rep_id = ?", (rep_id,)).fetchone()
        if row is None:
            raise RecordNotFoundError("rep", rep_id)
        return Rep.model_validate(dict(row))

    _DEAL_SQL = ("SELECT deal_id, rep_id, account, name, stage, close_date, amount, created, status, closed_on, "
                 "lost_reason FROM deals")

    def deals(self, rep_id: str | None = None) -> list[Deal]:
        """Every deal (or one rep's), with its close-date and stage history, in the order they were added."""
        where, params = ("WHERE rep_id = ?", (rep_id,)) if rep_id is not None else ("", ())
        scope = " WHERE deal_id IN (SELECT deal_id FROM deals WHERE rep_id = ?)" if rep_id is not None else ""
        with self._read() as conn:
            rows = conn.execute(f"{self._DEAL_SQL} {where} ORDER BY rowid", params).fetchall()
            history = conn.execute(f"SELECT deal_id, changed_on, close_date FROM close_dates{scope} ORDER BY id", params).fetchall()
            stages = conn.execute(f"SELECT deal_id, changed_on, stage, status FROM stage_changes{scope} ORDER BY id",
                                  params).fetchall()
        changes: dict[str, list[dict[str, str]]] = {}
        for h in history:
            changes.setdefault(h["deal_id"], []).append({"changed_on": h["changed_on"], "close_date": h["close_date"]})
        moves: dict[str, list[dict[str, str]]] = {}
        for s in stages:
            moves.setdefault(s["deal_id"], []).append({"changed_on": s["changed_on"], "stage": s["stage"], "status": s["status"]})
        return [_deal(r, changes.get(r["deal_id"], []), moves.get(r["deal_id"], [])) for r in rows]

    def deal(self, deal_id: str) -> Deal:
        """One deal with its close-date and stage history; RecordNotFoundError if the id is unknown."""
        with self._read() as conn:
            row = conn.execute(f"{self._DEAL_SQL} WHERE deal_id = ?", (deal_id,)).fetchone()
            history = conn.execute(
                "SELECT changed_on, close_date FROM close_dates WHERE deal_id = ? ORDER BY id", (deal_id,)
            ).fetchall()
            stages = conn.execute(
                "SELECT changed_on, stage, status FROM stage_changes WHERE deal_id = ? ORDER BY id", (deal_id,)
            ).fetchall()
        if row is None:
            raise RecordNotFoundError("deal", deal_id)
        return _deal(row, [dict(h) for h in history], [dict(s) for s in stages])

    # -- reads: calls, plans, debriefs --------------------------------------------------------------
    _CALL_SQL = (
        "SELECT c.call_id, c.deal_id, c.rep_id, c.date, p.json AS plan, d.json AS debrief FROM calls c "
        "LEFT JOIN plans p ON p.call_id = c.call_id LEFT JOIN debriefs d ON d.call_id = c.call_id"
    )

    def _call(self, row: sqlite3.Row) -> Call:
        return Call(
            call_id=row["call_id"],
            deal_id=row["deal_id"],
            rep_id=row["rep_id"],
            date=row["date"],
            plan=self._stored(CallPlan, row["plan"], row["call_id"]),
            debrief=self._stored(Debrief, row["debrief"], row["call_id"]),
        )

    def _stored(self, model: type[M], text: str | None, call_id: str) -> M | None:
        """A plan or debrief read back from its JSON; damaged JSON is a DamagedRecordError naming the call."""
        if not text:
            return None
        try:
            return model.model_validate_json(text)
        except ValidationError as exc:
            what = "plan" if model is CallPlan else "debrief"
            raise DamagedRecordError(self.path, what, call_id, _damage(exc), text) from None

    def calls(
        self, deal_id: str | None = None, rep_id: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[Call]:
        """Calls sorted by date (then id), optionally for one deal and/or rep, between since and until (inclusive)."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("c.deal_id = ?", deal_id),
            ("c.rep_id = ?", rep_id),
            ("c.date >= ?", _iso(since)),
            ("c.date <= ?", _iso(until)),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._db.execute(f"{self._CALL_SQL}{where} ORDER BY c.date, c.call_id", params).fetchall()
        return [self._call(r) for r in rows]

    def call(self, call_id: str) -> Call:
        """One call with its plan and debrief; RecordNotFoundError if the id is unknown."""
        row = self._db.execute(f"{self._CALL_SQL} WHERE c.call_id = ?", (call_id,)).fetchone()
        if row is None:
            raise RecordNotFoundError("call", call_id)
        return self._call(row)

    def plan(self, call_id: str) -> CallPlan | None:
        """The call's plan, or None (no plan, or no such call)."""
        row = self._db.execute("SELECT json FROM plans WHERE call_id = ?", (call_id,)).fetchone()
        return self._stored(CallPlan, row[0], call_id) if row else None

    def debrief(self, call_id: str) -> Debrief | None:
        """The call's debrief, or None (not debriefed, or no such call)."""
        row = self._db.execute("SELECT json FROM debriefs WHERE call_id = ?", (call_id,)).fetchone()
        return self._stored(Debrief, row[0], call_id) if row else None

    def latest_call_date(self) -> date | None:
        """The date of the most recent call in the workspace, or None when it has no calls."""
        row = self._db.execute("SELECT MAX(date) FROM calls").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def counts(self) -> dict[str, int]:
        """How many records of each kind the workspace holds."""
        tables = ("reps", "deals", "calls", "plans", "debriefs", "close_dates", "exercise_results")
        with self._read() as conn:
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    # -- reads: exercises and drafts -----------------------------------------------------------------
    def exercise_results(self, rep_id: str | None = None, workbook: str | None = None,
                         damaged: list[DamagedRecordError] | None = None) -> list[ExerciseResult]:
        """Every saved exercise answer (all attempts, oldest first), optionally for one rep and/or workbook.

        An answer that cannot be read back raises DamagedRecordError naming it; with a `damaged` list it is left
        out and added to the list instead (the exercise page shows it, and goes on with the others).
        """
        clauses, params = [], []
        if rep_id is not None:
            clauses.append("rep_id = ?")
            params.append(rep_id)
        if workbook is not None:
            clauses.append("workbook = ?")
            params.append(workbook)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._db.execute(f"SELECT id, rep_id, workbook, item_id, json FROM exercise_results{where} ORDER BY id",
                                params).fetchall()
        out: list[ExerciseResult] = []
        for row in rows:
            try:
                out.append(ExerciseResult.model_validate_json(row["json"]))
            except ValidationError as exc:
                error = DamagedRecordError(
                    self.path, "exercise result", f"{row['workbook']} {row['item_id']} of rep {row['rep_id']}",
                    _damage(exc), row["json"], remedy="it is left out, so that item counts as not answered yet; "
                    "`callkit export` saves the stored text in damaged.csv")
                if damaged is None:
                    raise error from None
                damaged.append(error)
        return out

    def load_draft(self, key: str) -> dict | None:
        """A form's saved draft (dates come back as ISO text), or None (also for a draft that cannot be read back:
        the form then starts from the saved record, and `callkit export` keeps the damaged text in damaged.csv)."""
        row = self._db.execute("SELECT json FROM drafts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    # -- writes: one transaction each ---------------------------------------------------------------
    def add_rep(self, rep: Rep) -> None:
        """Add a new rep; an id already in the workspace raises InvalidInputError."""
        self.load_team([rep], [], [])

    def add_deal(self, deal: Deal) -> None:
        """Add a new deal (with its close-date history); its rep must exist and its stage be in the process."""
        self.load_team([], [deal], [])

    def save_call(self, call: Call) -> None:
        """Store a call as given: its plan and debrief are replaced (None removes them)."""
        _check_call(call)
        with self._write() as conn:
            self._require(conn, "deal", call.deal_id)
            self._require(conn, "rep", call.rep_id)
            self._upsert_call(conn, _CallRow(call.call_id, call.deal_id, call.rep_id, call.date.isoformat()))
            if call.plan is None:
                conn.execute("DELETE FROM plans WHERE call_id = ?", (call.call_id,))
            else:
                self._upsert_plans(conn, [call.plan])
            if call.debrief is None:
                conn.execute("DELETE FROM debriefs WHERE call_id = ?", (call.call_id,))
            else:
                self._upsert_debriefs(conn, [call.debrief])

    def save_plan(self, plan: CallPlan, *, replaces: CallPlan | None | object = ANY_VERSION) -> None:
        """Insert or replace a plan; creates (or moves) its call from the plan's call id, deal, rep and date.

        `replaces` is the version the page opened (None for a new plan): when the plan in the workspace is no
        longer that version, someone else saved meanwhile and EditConflictError (with their version) is raised,
        writing nothing. A new plan is also refused when the deal already has another open planned call (planned,
        not debriefed) on the same date: a deal never gets two of them.
        """
        with self._write() as conn:
            self._require(conn, "deal", plan.deal_id)
            self._require(conn, "rep", plan.rep_id)
            if replaces is not ANY_VERSION:
                self._check_version(conn, "plan", plan.call_id, replaces)
            self._check_one_open_plan(conn, plan)
            self._upsert_call(conn, _CallRow(plan.call_id, plan.deal_id, plan.rep_id, plan.call_date.isoformat()))
            self._upsert_plans(conn, [plan])

    def save_debrief(self, debrief: Debrief, *, replaces: Debrief | None | object = ANY_VERSION) -> None:
        """Insert or replace a debrief; its call must exist (RecordNotFoundError otherwise). `replaces` as in
        save_plan: a debrief saved by someone else since the page opened it raises EditConflictError."""
        with self._write() as conn:
            self._require(conn, "call", debrief.call_id)
            if replaces is not ANY_VERSION:
                self._check_version(conn, "debrief", debrief.call_id, replaces)
            self._upsert_debriefs(conn, [debrief])

    def _check_version(self, conn: sqlite3.Connection, kind: str, call_id: str, expected: Any) -> None:
        model = CallPlan if kind == "plan" else Debrief
        row = conn.execute(f"SELECT json FROM {kind}s WHERE call_id = ?", (call_id,)).fetchone()
        current = self._stored(model, row[0], call_id) if row else None
        if current == expected:
            return
        if current is None:
            raise EditConflictError(kind, call_id, None, f"This {kind} was deleted by someone else since you opened it: "
                                    "save it again to keep yours.")
        raise EditConflictError(kind, call_id, current, f"Someone else saved this {kind}{_when(current)} since you opened "
                                "it: compare the two versions and choose which one to keep.")

    def _check_one_open_plan(self, conn: sqlite3.Connection, plan: CallPlan) -> None:
        row = conn.execute(
            "SELECT p.json, c.call_id FROM calls c JOIN plans p ON p.call_id = c.call_id "
            "LEFT JOIN debriefs d ON d.call_id = c.call_id "
            "WHERE c.deal_id = ? AND c.date = ? AND c.call_id != ? AND d.call_id IS NULL ORDER BY c.call_id LIMIT 1",
            (plan.deal_id, plan.call_date.isoformat(), plan.call_id)).fetchone()
        if row is not None:
            theirs = self._stored(CallPlan, row[0], row[1])
            raise EditConflictError("plan", row[1], theirs, f"This deal already has a planned call on "
                                    f"{plan.call_date.isoformat()}{_when(theirs, 'saved')}: compare the two plans and "
                                    "choose which one to keep.")

    def record_close_date(self, deal_id: str, close_date: date | str, changed_on: date | str | None = None) -> None:
        """A new forecast close date: appended to the deal's history and made its current close date."""
        change = build(CloseDateChange, {"changed_on": changed_on or date.today(), "close_date": close_date})
        with self._write() as conn:
            self._require(conn, "deal", deal_id)
            self._append_history(conn, {deal_id: [change]})

    def set_stage(self, deal_id: str, stage: str) -> None:
        """Move a deal to another stage of the process (UnknownStageError lists the valid ids)."""
        self._check_stage(stage)
        with self._write() as conn:
            self._require(conn, "deal", deal_id)
            conn.execute("UPDATE deals SET stage = ? WHERE deal_id = ?", (stage, deal_id))

    # -- deal actions: move, won, lost, reopened (one transaction each, kept in the deal's stage history) ---------
    def move_deal(self, deal_id: str, stage: str, on: date | str | None = None, *, seen: Deal | None = None) -> Deal:
        """Move an open deal to another stage of the process on `on` (today by default); returns the deal as saved.

        The move is recorded in the deal's stage history the way a re-import records one (the first change also
        records where the deal stood before). `seen` is the deal as the page showed it: when the workspace holds
        another version (someone else moved or closed it, or an import did), DealChangedError is raised and nothing
        is written. An unknown stage raises UnknownStageError; a closed deal must be reopened first.
        """
        self._check_stage(stage)
        return self._change_deal(deal_id, "move", on, seen, stage=stage)

    def close_deal(self, deal_id: str, status: str, on: date | str | None = None, reason: str | None = None, *,
                   seen: Deal | None = None) -> Deal:
        """Mark an open deal won or lost on `on` (today by default); a lost deal needs the reason it was lost (its
        `lost_reason`), a won deal has none; returns the deal as saved.

        A won deal moves to the last stage of the process and a lost one keeps its stage, as an import of a CRM's
        Closed Won / Closed Lost does; the change is recorded in the stage history. `seen` as in move_deal.
        """
        if status not in ("won", "lost"):
            raise InvalidInputError({"status": f"A deal is closed as won or lost, not {status!r}."}, what="deal")
        return self._change_deal(deal_id, status, on, seen, reason=reason if status == "lost" else None)

    def reopen_deal(self, deal_id: str, stage: str | None = None, on: date | str | None = None, *,
                    seen: Deal | None = None) -> Deal:
        """Reopen a deal closed by mistake on `on` (today by default), in `stage` or else the stage it was in
        before it closed; its closed date and reason are cleared; returns the deal as saved. `seen` as in move_deal."""
        if stage is not None:
            self._check_stage(stage)
        return self._change_deal(deal_id, "reopen", on, seen, stage=stage)

    def stage_norms(self) -> dict[str, float]:
        """The team's usual days in each stage (`callkit.deals.stage_norms` over every deal's stage history).

        Read straight from the stage history (no Deal records are built) and kept until the history changes,
        so opening deal after deal on the coaching page stays quick on a CRM export of thousands of deals.
        """
        from types import SimpleNamespace

        from .deals import stage_norms

        with self._read() as conn:
            key = (conn.execute("SELECT COUNT(*), MAX(id) FROM stage_changes").fetchone()[:],
                   conn.execute("SELECT COUNT(*), MAX(created), MIN(created) FROM deals").fetchone()[:])
            cached = getattr(self, "_stage_norms_cache", None)
            if cached is not None and cached[0] == key:
                return dict(cached[1])
            created = {r[0]: r[1] for r in conn.execute("SELECT deal_id, created FROM deals")}
            rows = conn.execute("SELECT deal_id, changed_on, stage, status FROM stage_changes ORDER BY deal_id, id")
            history: dict[str, list[SimpleNamespace]] = {}
            for deal_id, changed_on, stage, status in rows:
                history.setdefault(deal_id, []).append(
                    SimpleNamespace(changed_on=date.fromisoformat(changed_on), stage=stage, status=status))
        norms = stage_norms(SimpleNamespace(stage_history=changes, created=date.fromisoformat(created[deal_id])
                                            if created.get(deal_id) else None) for deal_id, changes in history.items())
        self._stage_norms_cache = (key, norms)
        return dict(norms)

    def _change_deal(self, deal_id: str, action: str, on: date | str | None, seen: Deal | None,
                     stage: str | None = None, reason: str | None = None) -> Deal:
        from .crm.refresh import _update  # how a re-import records a change of stage: both write the same history
        from .deals import DealChangedError, stage_before_closing
        from .models import StageChange
        from .ui.markup import long_date

        day = build(StageChange, {"changed_on": on or date.today(), "stage": stage or "-"}).changed_on
        reason = " ".join((reason or "").split()) or None
        with self._write() as conn:
            old = self.deal(deal_id)
            if seen is not None and self._deal_state(seen) != self._deal_state(old):
                where = (f"now in {self.process.stage(old.stage).name}" if old.is_open and self.process.has_stage(old.stage)
                         else f"now {old.status}")
                raise DealChangedError(self.path, deal_id, old, f"Someone else changed this deal since the page showed "
                                       f"it ({where}): check it as it is now and try again.")
            problem = self._deal_action_problem(old, action, stage, reason, day, long_date)
            if problem:
                raise InvalidInputError(dict([problem]), what="deal")
            if action == "move":
                new = old.model_copy(update={"stage": stage})
            elif action == "reopen":
                new = old.model_copy(update={"stage": stage or stage_before_closing(old), "status": "open",
                                             "closed_on": None, "lost_reason": None})
            else:
                new = old.model_copy(update={"stage": self.process.stages[-1].id if action == "won" else old.stage,
                                             "status": action, "closed_on": day, "lost_reason": reason})
            row = conn.execute("SELECT MIN(i.as_of) FROM snapshot_deals s JOIN imports i ON i.import_id = s.import_id "
                               "WHERE s.deal_id = ?", (deal_id,)).fetchone()
            change = _update(new, old, day, date.fromisoformat(row[0]) if row and row[0] else None)
            conn.execute("UPDATE deals SET stage = ?, status = ?, closed_on = ?, lost_reason = ? WHERE deal_id = ?",
                         (new.stage, new.status, _iso(new.closed_on), new.lost_reason, deal_id))
            conn.executemany("INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
                             [(deal_id, s.changed_on.isoformat(), s.stage, s.status)
                              for s in (change.baseline_stage, change.stage_change) if s is not None])
            return self.deal(deal_id)

    @staticmethod
    def _deal_state(deal: Deal) -> tuple[Any, ...]:
        """What a deal action changes: a page that saw another state than the workspace holds is stale."""
        return (deal.stage, deal.status, deal.closed_on, deal.lost_reason,
                [(s.changed_on, s.stage, s.status) for s in deal.stage_history])

    def _deal_action_problem(self, deal: Deal, action: str, stage: str | None, reason: str | None, day: date,
                             long_date: Any) -> tuple[str, str] | None:
        """(field, one sentence) when the action cannot be done on this deal as it stands, else None."""
        name = (lambda sid: self.process.stage(sid).name if self.process.has_stage(sid) else sid)
        if action == "reopen" and deal.is_open:
            return "status", "This deal is already open."
        if action in ("move", "won", "lost") and not deal.is_open:
            verb = "moving it to another stage" if action == "move" else f"marking it {action}"
            return "status", f"This deal is already {deal.status}: reopen it before {verb}."
        if action == "move" and stage == deal.stage:
            return "stage", f"The deal is already in {name(stage)}: choose another stage."
        if action == "lost" and not reason:
            return "reason", "Say why the deal was lost (for example: chose a competitor, no budget, no decision)."
        if deal.created is not None and day < deal.created:
            return "on", f"The date cannot be before the deal was created ({long_date(deal.created)})."
        last = max((s.changed_on for s in deal.stage_history), default=None)
        if last is not None and day < last:
            return "on", f"The date cannot be before the deal's last change of stage ({long_date(last)})."
        return None

    def load_team(
        self,
        reps: Sequence[Rep],
        deals: Sequence[Deal],
        calls: Sequence[Call],
        history: Mapping[str, Sequence[CloseDateChange]] | None = None,
    ) -> None:
        """Add reps, deals and calls in one transaction (all or nothing); `history` appends close-date
        changes to deals already in the workspace. Ids must be new; references must resolve."""
        for deal in deals:
            self._check_stage(deal.stage)
        for call in calls:
            _check_call(call)
        with self._write() as conn, activity(self.path, "loading a team") if len(calls) > 1000 else _nothing():
            self._check_team(conn, reps, deals, calls, history or {})
            self._insert_reps(conn, reps)
            self._insert_deals(conn, deals)
            conn.executemany(
                "INSERT INTO calls (call_id, deal_id, rep_id, date) VALUES (?, ?, ?, ?)",
                [(c.call_id, c.deal_id, c.rep_id, c.date.isoformat()) for c in calls],
            )
            self._upsert_plans(conn, [c.plan for c in calls if c.plan is not None])
            self._upsert_debriefs(conn, [c.debrief for c in calls if c.debrief is not None])
            if history:
                self._append_history(conn, history)

    def save_exercise_result(self, result: ExerciseResult) -> None:
        """Append one exercise answer (earlier attempts are kept)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO exercise_results (rep_id, workbook, item_id, passed, score, answered_at, json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    result.rep_id, result.workbook, result.item_id, int(result.passed), result.score,
                    result.answered_at.isoformat() if result.answered_at else None, result.model_dump_json(),
                ),
            )

    def save_draft(self, key: str, data: dict) -> None:
        """Keep a half-filled form under `key` (replacing any earlier draft); dates are stored as ISO text."""
        if not isinstance(data, dict):
            raise InvalidInputError({"data": "A draft must be the form's fields as a dict."}, what="draft")
        payload = to_json(data, fallback=str).decode()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO drafts (key, json, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
                (key, payload, _now()),
            )

    def delete_draft(self, key: str) -> None:
        """Forget a draft (nothing happens if there is none)."""
        with self._write() as conn:
            conn.execute("DELETE FROM drafts WHERE key = ?", (key,))

    def new_call_id(self, deal_id: str) -> str:
        """A call id nobody has used or been given yet ('c0251' after 'c0250'); the deal must exist.

        The id is reserved in the same write transaction, so two coaches saving new plans at the same
        moment never get the same id (and never overwrite each other's plan).
        """
        with self._write() as conn:
            self._require(conn, "deal", deal_id)
            ids = [r[0] for r in conn.execute("SELECT call_id FROM calls WHERE call_id GLOB 'c[0-9]*'")]
            used = {r[0] for r in conn.execute("SELECT call_id FROM calls")}
            reserved = conn.execute("SELECT next FROM id_reservations WHERE kind = 'call'").fetchone()
            n = max(max((int(i[1:]) for i in ids if i[1:].isdigit()), default=0) + 1, reserved[0] if reserved else 1)
            while f"c{n:04d}" in used:
                n += 1
            conn.execute(
                "INSERT INTO id_reservations (kind, next) VALUES ('call', ?) "
                "ON CONFLICT(kind) DO UPDATE SET next = excluded.next",
                (n + 1,),
            )
        return f"c{n:04d}"

    # -- write helpers (run inside a transaction) ------------------------------------------------------
    def _check_team(
        self,
        conn: sqlite3.Connection,
        reps: Sequence[Rep],
        deals: Sequence[Deal],
        calls: Sequence[Call],
        history: Mapping[str, Sequence[CloseDateChange]],
    ) -> None:
        rep_ids = {r[0] for r in conn.execute("SELECT rep_id FROM reps")}
        deal_ids = {r[0] for r in conn.execute("SELECT deal_id FROM deals")}
        call_ids = {r[0] for r in conn.execute("SELECT call_id FROM calls")}
        for deal_id in history:
            if deal_id not in deal_ids:
                raise RecordNotFoundError("deal", deal_id)
        for kind, ids, existing in (
            ("rep", [r.rep_id for r in reps], rep_ids),
            ("deal", [d.deal_id for d in deals], deal_ids),
            ("call", [c.call_id for c in calls], call_ids),
        ):
            for record_id in ids:
                if record_id in existing:
                    raise _duplicate(kind, record_id)
                existing.add(record_id)
        for deal in deals:
            if deal.rep_id not in rep_ids:
                raise RecordNotFoundError("rep", deal.rep_id)
        for call in calls:
            if call.deal_id not in deal_ids:
                raise RecordNotFoundError("deal", call.deal_id)
            if call.rep_id not in rep_ids:
                raise RecordNotFoundError("rep", call.rep_id)

    @staticmethod
    def _insert_reps(conn: sqlite3.Connection, reps: Iterable[Rep]) -> None:
        conn.executemany(
            "INSERT INTO reps (rep_id, name, email, team, manager) VALUES (?, ?, ?, ?, ?)",
            [(r.rep_id, r.name, r.email, r.team, r.manager) for r in reps],
        )

    @staticmethod
    def _insert_deals(conn: sqlite3.Connection, deals: Sequence[Deal]) -> None:
        conn.executemany(
            "INSERT INTO deals (deal_id, rep_id, account, name, stage, close_date, amount, created, status, closed_on, "
            "lost_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [deal_row(d) for d in deals],
        )
        conn.executemany(
            "INSERT INTO close_dates (deal_id, changed_on, close_date) VALUES (?, ?, ?)",
            [(d.deal_id, h.changed_on.isoformat(), h.close_date.isoformat()) for d in deals for h in d.close_date_history],
        )
        conn.executemany(
            "INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
            [(d.deal_id, s.changed_on.isoformat(), s.stage, s.status) for d in deals for s in d.stage_history],
        )

    @staticmethod
    def _append_history(conn: sqlite3.Connection, history: Mapping[str, Sequence[CloseDateChange]]) -> None:
        for deal_id, changes in history.items():
            conn.executemany(
                "INSERT INTO close_dates (deal_id, changed_on, close_date) VALUES (?, ?, ?)",
                [(deal_id, h.changed_on.isoformat(), h.close_date.isoformat()) for h in changes],
            )
            if changes:
                conn.execute(
                    "UPDATE deals SET close_date = ? WHERE deal_id = ?", (changes[-1].close_date.isoformat(), deal_id)
                )

    @staticmethod
    def _upsert_call(conn: sqlite3.Connection, row: _CallRow) -> None:
        conn.execute(
            "INSERT INTO calls (call_id, deal_id, rep_id, date) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) DO UPDATE "
            "SET deal_id = excluded.deal_id, rep_id = excluded.rep_id, date = excluded.date",
            (row.call_id, row.deal_id, row.rep_id, row.date),
        )

    @staticmethod
    def _upsert_plans(conn: sqlite3.Connection, plans: Sequence[CallPlan]) -> None:
        saved_at = _now()
        conn.executemany(
            "INSERT INTO plans (call_id, objective, json, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) "
            "DO UPDATE SET objective = excluded.objective, json = excluded.json, saved_at = excluded.saved_at",
            [(p.call_id, p.objective, p.model_dump_json(), saved_at) for p in plans],
        )

    @staticmethod
    def _upsert_debriefs(conn: sqlite3.Connection, debriefs: Sequence[Debrief]) -> None:
        saved_at = _now()
        conn.executemany(
            "INSERT INTO debriefs (call_id, outcome, json, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) "
            "DO UPDATE SET outcome = excluded.outcome, json = excluded.json, saved_at = excluded.saved_at",
            [(d.call_id, d.outcome, d.model_dump_json(), saved_at) for d in debriefs],
        )

    # -- imports: CSV and CRM exports, weekly snapshots -------------------------------------------------
    def plan_import(self, deals: str | Path, *, reps: str | Path | None = None, calls: str | Path | None = None,
                    close_dates: str | Path | None = None, stage_changes: str | Path | None = None,
                    columns: str | Path | None = None, as_of: date | None = None) -> "ImportPlan":
        """Read and check an import (a deals export, and optionally reps, calls, close dates, stage changes, a mapping file)
        against this workspace; every problem is collected in the plan's `problems`; nothing is written."""
        from .crm.refresh import Existing, plan_import

        def check(replaceable: set[str]) -> "ImportPlan":
            with self._read() as conn:
                existing = Existing(
                    reps=self.reps(), deals={d.deal_id: d for d in self.deals()},
                    calls=_Asked(r[0] for r in conn.execute("SELECT call_id FROM calls") if r[0] not in replaceable),
                    last_snapshot={r[0] for r in conn.execute(
                        "SELECT deal_id FROM snapshot_deals WHERE import_id = (SELECT MAX(import_id) FROM imports)")},
                    first_seen={r[0]: date.fromisoformat(r[1]) for r in conn.execute(
                        "SELECT s.deal_id, MIN(i.as_of) FROM snapshot_deals s JOIN imports i ON i.import_id = s.import_id "
                        "GROUP BY s.deal_id")},
                )
            plan = plan_import(deals, self.process, existing, reps=reps, calls=calls, close_dates=close_dates,
                               stage_changes=stage_changes, columns=columns, as_of=as_of)
            plan_calls = existing.calls
            if plan_calls.hits and not replaceable:  # ids already here: a damaged call may be imported again
                with self._read() as conn:
                    damaged = self._damaged_calls(conn, plan_calls.hits)
                if damaged:
                    return check(damaged)
            return plan

        return check(set())

    def _damaged_calls(self, conn: sqlite3.Connection, call_ids: Iterable[str]) -> set[str]:
        """Of these call ids, the ones whose stored plan or debrief cannot be read back."""
        out: set[str] = set()
        for call_id in call_ids:
            row = conn.execute(f"{self._CALL_SQL} WHERE c.call_id = ?", (call_id,)).fetchone()
            try:
                if row is not None:
                    self._call(row)
            except DamagedRecordError:
                out.add(call_id)
        return out

    def plan_extras(self, *, exercise_results: str | Path | None = None, drafts: str | Path | None = None,
                    plan: "ImportPlan | None" = None) -> ExtrasPlan:
        """Read and check exercise_results.csv and drafts.csv (from `callkit export`) against this workspace and
        the import `plan` (its new reps); answers and drafts the workspace already has are skipped; nothing is written."""
        from .crm.export import Problems
        from .csv_io import read_drafts, read_exercise_results, read_table

        problems = Problems()
        extras = ExtrasPlan([], [], problems, [])
        with self._read() as conn:
            rep_ids = {r[0] for r in conn.execute("SELECT rep_id FROM reps")}
            if plan is not None:
                rep_ids |= {r.rep_id for r in plan.new_reps}
            if exercise_results is not None:
                table = read_table(exercise_results, "exercise_results")
                extras.warnings += table.warnings
                reps_file = (plan.source.get("reps") if plan is not None else None) or "the reps file"
                stored = {r[0] for r in conn.execute("SELECT json FROM exercise_results")}
                for result in read_exercise_results(table, rep_ids, reps_file, problems):
                    if result.model_dump_json() in stored:
                        extras.skipped += 1
                    else:
                        extras.exercise_results.append(result)
            if drafts is not None:
                table = read_table(drafts, "drafts")
                extras.warnings += table.warnings
                newer = {r[0]: r[1] for r in conn.execute("SELECT key, updated_at FROM drafts")}
                for key, data, updated_at in read_drafts(table, problems):
                    if key in newer and newer[key] >= updated_at:
                        extras.skipped += 1  # the workspace's own draft is as new or newer: it stays
                    else:
                        extras.drafts.append((key, data, updated_at))
        return extras

    def apply_import(self, plan: "ImportPlan", extras: ExtrasPlan | None = None) -> None:
        """Write a checked import in one transaction: new and changed reps, new and updated deals with their
        history, calls (a call whose stored plan or debrief was damaged is replaced), the dated snapshot, and the
        exercise answers and drafts of `extras`. A plan with problems is refused with the first of them."""
        if plan.problems:
            raise plan.problems.first()
        if extras is not None and extras.problems:
            raise extras.problems.first()
        for deal in [*plan.new_deals, *(u.deal for u in plan.updates)]:
            self._check_stage(deal.stage)
        for call in plan.calls:
            _check_call(call)
        try:
            with self._write() as conn, activity(self.path, "an import"):
                incoming = [c.call_id for c in plan.calls]
                there = {r[0] for r in conn.execute("SELECT call_id FROM calls")} & set(incoming) if incoming else set()
                if there:
                    if self._damaged_calls(conn, there) != there:
                        raise sqlite3.IntegrityError("a call of this import was saved meanwhile")
                    for table in ("plans", "debriefs", "calls"):
                        conn.executemany(f"DELETE FROM {table} WHERE call_id = ?", [(i,) for i in sorted(there)])
                if extras is not None:
                    self._insert_extras(conn, extras)
                self._insert_reps(conn, plan.new_reps)
                conn.executemany("UPDATE reps SET name = ?, email = ?, team = ?, manager = ? WHERE rep_id = ?",
                                 [(r.name, r.email, r.team, r.manager, r.rep_id) for r in plan.changed_reps])
                self._insert_deals(conn, plan.new_deals)
                conn.executemany(
                    "UPDATE deals SET rep_id = ?, account = ?, name = ?, stage = ?, close_date = ?, amount = ?, created = ?, "
                    "status = ?, closed_on = ?, lost_reason = ? WHERE deal_id = ?",
                    [(*deal_row(u.deal)[1:], u.deal.deal_id) for u in plan.updates])
                closes = [(u.deal.deal_id, c) for u in plan.updates for c in (u.baseline_close, u.close_change) if c]
                conn.executemany("INSERT INTO close_dates (deal_id, changed_on, close_date) VALUES (?, ?, ?)",
                                 [(i, c.changed_on.isoformat(), c.close_date.isoformat()) for i, c in closes])
                moves = [(u.deal.deal_id, s) for u in plan.updates for s in (u.baseline_stage, u.stage_change) if s]
                conn.executemany("INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
                                 [(i, s.changed_on.isoformat(), s.stage, s.status) for i, s in moves])
                conn.executemany(
                    "INSERT INTO calls (call_id, deal_id, rep_id, date) VALUES (?, ?, ?, ?)",
                    [(c.call_id, c.deal_id, c.rep_id, c.date.isoformat()) for c in plan.calls],
                )
                self._upsert_plans(conn, [c.plan for c in plan.calls if c.plan is not None])
                self._upsert_debriefs(conn, [c.debrief for c in plan.calls if c.debrief is not None])
                if plan.history:
                    self._append_history(conn, plan.history)
                conn.executemany("INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
                                 [(i, s.changed_on.isoformat(), s.stage, s.status)
                                  for i, moves in plan.stage_history.items() for s in moves])
                cursor = conn.execute("INSERT INTO imports (as_of, imported_at, source, summary) VALUES (?, ?, ?, ?)",
                                      (plan.as_of.isoformat(), _now(), json.dumps(plan.source), json.dumps(plan.summary)))
                conn.executemany("INSERT INTO snapshot_deals (import_id, deal_id, stage, status, close_date, amount) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", [(cursor.lastrowid, *row) for row in plan.snapshot])
        except sqlite3.IntegrityError:
            raise WorkspaceError(self.path, "the workspace changed while this import was checked (someone else imported "
                                            "or saved at the same time): run the import again.") from None

    def _insert_extras(self, conn: sqlite3.Connection, extras: ExtrasPlan) -> None:
        conn.executemany(
            "INSERT INTO exercise_results (rep_id, workbook, item_id, passed, score, answered_at, json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r.rep_id, r.workbook, r.item_id, int(r.passed), r.score, r.answered_at.isoformat() if r.answered_at else None,
              r.model_dump_json()) for r in extras.exercise_results])
        conn.executemany(
            "INSERT INTO drafts (key, json, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            [(key, to_json(data).decode(), updated_at or _now()) for key, data, updated_at in extras.drafts])

    def import_files(self, deals: str | Path, *, reps: str | Path | None = None, calls: str | Path | None = None,
                     close_dates: str | Path | None = None, stage_changes: str | Path | None = None,
                     columns: str | Path | None = None, as_of: date | None = None,
                     exercise_results: str | Path | None = None, drafts: str | Path | None = None) -> "ImportPlan":
        """Import a CRM export or callkit's CSV files, all or nothing: check everything, then write it in one
        transaction. Deals already in the workspace are updated; the import is kept as a dated snapshot.
        exercise_results.csv and drafts.csv (from `callkit export`) bring back the reps' progress and the drafts."""
        plan = self.plan_import(deals, reps=reps, calls=calls, close_dates=close_dates, stage_changes=stage_changes,
                                columns=columns, as_of=as_of)
        extras = None
        if exercise_results is not None or drafts is not None:
            extras = self.plan_extras(exercise_results=exercise_results, drafts=drafts, plan=plan)
        self.apply_import(plan, extras)
        if extras is not None:
            plan.warnings += extras.warnings
        return plan

    def import_csv(self, reps: str | Path | None = None, deals: str | Path | None = None,
                   calls: str | Path | None = None, close_dates: str | Path | None = None,
                   stage_changes: str | Path | None = None, exercise_results: str | Path | None = None,
                   drafts: str | Path | None = None) -> ImportSummary:
        """callkit's own CSV files, in the order export_csv returns them (see import_files): what was imported,
        and the warnings; `import_csv(*ws.export_csv(folder))` rebuilds a workspace."""
        if deals is None:
            raise InvalidInputError({"deals": "An import needs a deals file."}, what="import")
        plan = self.import_files(deals, reps=reps, calls=calls, close_dates=close_dates, stage_changes=stage_changes,
                                 exercise_results=exercise_results, drafts=drafts)
        return ImportSummary(counts=plan.summary, warnings=plan.warnings)

    def snapshots(self) -> list[dict[str, Any]]:
        """Every import, oldest first: import_id, as_of (the date the export shows), imported_at, source, summary."""
        rows = self._db.execute("SELECT import_id, as_of, imported_at, source, summary FROM imports ORDER BY import_id").fetchall()
        return [{**dict(r), "as_of": date.fromisoformat(r["as_of"]), "source": json.loads(r["source"]),
                 "summary": json.loads(r["summary"])} for r in rows]

    def latest_activity_date(self) -> date | None:
        """The latest day the data speaks of: a call, a snapshot, a deal created or closed (never a future forecast)."""
        row = self._db.execute(
            "SELECT MAX(d) FROM (SELECT MAX(date) AS d FROM calls UNION ALL SELECT MAX(as_of) FROM imports "
            "UNION ALL SELECT MAX(closed_on) FROM deals UNION ALL SELECT MAX(created) FROM deals)").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def export_csv(self, out_dir: str | Path) -> list[Path]:
        """Write the workspace as CSV files (the import format) into out_dir; see `export`. Returns the seven files in
        the order import_csv takes them (a damaged.csv is written beside them when some record could not be read)."""
        return [f for f in self.export(out_dir).files if f.name != "damaged.csv"]

    def export(self, out_dir: str | Path) -> "ExportSummary":
        """Write reps.csv, deals.csv, calls.csv, close_dates.csv, stage_changes.csv, exercise_results.csv and drafts.csv
        (the import format) into out_dir.

        A record that cannot be read back (a damaged plan or debrief leaves its whole call out, so that importing the
        call again replaces it; a damaged exercise answer or draft) is left out with a warning naming it, and written
        as stored to damaged.csv beside the other files, instead of stopping the export.
        """
        damaged: list[tuple[str, str, str, str]] = []
        warnings: list[str] = []
        with self._read() as conn:
            reps, deals = self.reps(), self.deals()
            calls: list[Call] = []
            for row in conn.execute(f"{self._CALL_SQL} ORDER BY c.date, c.call_id"):
                try:
                    calls.append(self._call(row))
                except DamagedRecordError as exc:
                    stored = json.dumps({"call_id": row["call_id"], "deal_id": row["deal_id"], "rep_id": row["rep_id"],
                                         "date": row["date"], "plan": row["plan"], "debrief": row["debrief"]},
                                        ensure_ascii=False)
                    damaged.append(("calls.csv", f"call {row['call_id']}", f"its stored {exc.kind} is damaged "
                                    f"({exc.detail})", stored))
                    warnings.append(f"call {row['call_id']!r} was left out of calls.csv: its stored {exc.kind} is "
                                    f"damaged ({exc.detail}); it is in damaged.csv.")
            bad: list[DamagedRecordError] = []
            results = self.exercise_results(damaged=bad)
            for exc in bad:
                damaged.append(("exercise_results.csv", f"exercise result {exc.record_id}", exc.detail, exc.stored))
                warnings.append(f"the exercise result {exc.record_id} was left out of exercise_results.csv: it is "
                                f"damaged ({exc.detail}); it is in damaged.csv.")
            drafts: list[tuple[str, str, str]] = []
            for key, text, updated_at in conn.execute("SELECT key, json, updated_at FROM drafts ORDER BY key"):
                try:
                    data = json.loads(text)
                    if not isinstance(data, dict):
                        raise ValueError
                except ValueError:
                    damaged.append(("drafts.csv", f"draft {key}", "its text is not a draft's fields", text))
                    warnings.append(f"the draft {key!r} was left out of drafts.csv: it is damaged; it is in damaged.csv.")
                    continue
                drafts.append((key, json.dumps(data, ensure_ascii=False), updated_at))
        files = write_team(out_dir, reps, deals, calls, results, drafts, damaged)
        return ExportSummary(files=files, warnings=warnings, damaged=len(damaged))

    # -- DataFrames (pandas imported here only) ---------------------------------------------------------
    def reps_frame(self) -> "pd.DataFrame":
        """One row per rep: rep_id, name, email, team, manager."""
        import pandas as pd

        return pd.read_sql_query("SELECT rep_id, name, email, team, manager FROM reps ORDER BY rowid", self._db)

    def deals_frame(self, rep_id: str | None = None) -> "pd.DataFrame":
        """One row per deal: ids, account, name, stage, close_date, amount, created, status, closed_on, lost_reason,
        close_date_changes and stage_changes (counts)."""
        import pandas as pd

        sql = (
            "SELECT d.deal_id, d.rep_id, d.account, d.name, d.stage, d.close_date, d.amount, d.created, d.status, "
            "d.closed_on, d.lost_reason, "
            "(SELECT COUNT(*) FROM close_dates h WHERE h.deal_id = d.deal_id) AS close_date_changes, "
            "(SELECT COUNT(*) FROM stage_changes s WHERE s.deal_id = d.deal_id) AS stage_changes FROM deals d"
        )
        params: tuple = ()
        if rep_id is not None:
            sql, params = sql + " WHERE d.rep_id = ?", (rep_id,)
        frame = pd.read_sql_query(sql + " ORDER BY d.rowid", self._db, params=params)
        frame["amount"] = pd.to_numeric(frame["amount"])
        return _dates(frame, ("close_date", "created", "closed_on"))

    def calls_frame(
        self, deal_id: str | None = None, rep_id: str | None = None, since: date | None = None, until: date | None = None
    ) -> "pd.DataFrame":
        """One row per call (filters as in calls()): plan and debrief facts as flags, texts and counts."""
        import pandas as pd

        rows = [_call_facts(c) for c in self.calls(deal_id=deal_id, rep_id=rep_id, since=since, until=until)]
        frame = pd.DataFrame(rows, columns=list(_CALL_FACT_COLUMNS))
        return _dates(frame, ("date", "next_call", "close_date_after"))

    def close_dates_frame(self) -> "pd.DataFrame":
        """One row per close-date change: deal_id, rep_id, changed_on, close_date (history order)."""
        import pandas as pd

        frame = pd.read_sql_query(
            "SELECT h.deal_id, d.rep_id, h.changed_on, h.close_date FROM close_dates h "
            "JOIN deals d ON d.deal_id = h.deal_id ORDER BY d.rowid, h.id",
            self._db,
        )
        return _dates(frame, ("changed_on", "close_date"))

    def exercise_results_frame(self, rep_id: str | None = None, workbook: str | None = None) -> "pd.DataFrame":
        """One row per saved exercise answer: rep_id, workbook, item_id, answer, score, passed, feedback, answered_at."""
        import pandas as pd

        columns = list(ExerciseResult.model_fields)
        results = self.exercise_results(rep_id=rep_id, workbook=workbook)
        frame = pd.DataFrame([r.model_dump() for r in results], columns=columns)
        frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True)
        return frame


# -- module helpers ----------------------------------------------------------------------------------------

class _Asked(set):
    """The workspace's call ids, remembering which ones an import asked about (the ids it already has)."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.hits: set[str] = set()

    def __contains__(self, value: object) -> bool:
        found = super().__contains__(value)
        if found and isinstance(value, str):
            self.hits.add(value)
        return found


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring an older workspace to SCHEMA_VERSION, one recorded migration at a time, each in one transaction."""
    conn.execute("PRAGMA foreign_keys = OFF")  # the deals table is rebuilt; references are checked after
    try:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            what, sql = MIGRATIONS[target]
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n"
                f"INSERT INTO migrations (version, applied_at, what) VALUES ({target}, '{_now()}', '{what}');\n"
                f"PRAGMA user_version = {target};\nCOMMIT;")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise sqlite3.DatabaseError(f"{len(broken)} records refer to missing ones after the upgrade")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _damage(exc: ValidationError) -> str:
    """What is wrong with a stored record, in a few words ("it is not complete JSON", "the objective: ...")."""
    from .models import friendly_errors

    errors = exc.errors()
    if errors and errors[0].get("type", "").startswith("json"):
        return "its text is not complete JSON"
    try:
        field, sentence = next(iter(friendly_errors(exc).items()))
    except Exception:  # noqa: BLE001 - the description must never fail in its turn
        return f"{len(errors)} fields do not read back"
    sentence = sentence.rstrip(".")
    return f"{field}: {sentence[0].lower() + sentence[1:]}" if field else sentence


def deal_row(d: Deal) -> tuple[Any, ...]:
    """The deals table's columns for one deal (in the order of Workspace._DEAL_SQL)."""
    return (d.deal_id, d.rep_id, d.account, d.name, d.stage, _iso(d.close_date), d.amount, _iso(d.created), d.status,
            _iso(d.closed_on), d.lost_reason)


def _deal(row: sqlite3.Row, history: list[dict[str, str]], stages: list[dict[str, str]]) -> Deal:
    return Deal.model_validate({**dict(row), "close_date_history": history, "stage_history": stages})


def _duplicate(kind: str, record_id: str) -> InvalidInputError:
    return InvalidInputError({f"{kind}_id": f"The {kind} id {record_id!r} is already in this workspace."}, what=kind)


def _check_call(call: Call) -> None:
    """A call's plan and debrief must belong to it (same call id; the plan's deal, rep and date match)."""
    plan, debrief = call.plan, call.debrief
    if plan is not None and (plan.call_id, plan.deal_id, plan.rep_id, plan.call_date) != (
        call.call_id, call.deal_id, call.rep_id, call.date
    ):
        raise InvalidInputError(
            {"plan": f"The plan of call {call.call_id!r} has another call id, deal, rep or date than the call."},
            what="call",
        )
    if debrief is not None and debrief.call_id != call.call_id:
        raise InvalidInputError(
            {"debrief": f"The debrief of call {call.call_id!r} belongs to call {debrief.call_id!r}."}, what="call"
        )


_CALL_FACT_COLUMNS = (
    "call_id", "deal_id", "rep_id", "date", "has_plan", "objective", "fallback", "customer_value", "attendees",
    "agenda_items", "agenda_shared", "agenda_agreed", "planned_steps", "questions", "has_research", "concerns",
    "has_debrief", "outcome", "best_met", "fallback_met", "commitments", "dated_commitments", "unanswered",
    "completed_steps", "follow_ups", "next_call", "close_date_after", "notes",
)


def _call_facts(call: Call) -> dict[str, Any]:
    """The calls_frame row of one call: texts, yes/no flags and counts (lists become their length)."""
    p, d = call.plan, call.debrief
    return {
        "call_id": call.call_id,
        "deal_id": call.deal_id,
        "rep_id": call.rep_id,
        "date": call.date,
        "has_plan": p is not None,
        "objective": p.objective if p else "",
        "fallback": p.fallback if p else "",
        "customer_value": p.customer_value if p else "",
        "attendees": len(p.attendees) if p else 0,
        "agenda_items": len(p.agenda) if p else 0,
        "agenda_shared": bool(p and p.agenda_shared),
        "agenda_agreed": bool(p and p.agenda_agreed),
        "planned_steps": len(p.planned_steps) if p else 0,
        "questions": len(p.questions) if p else 0,
        "has_research": bool(p and not p.research.is_empty()),
        "concerns": len(p.concerns) if p else 0,
        "has_debrief": d is not None,
        "outcome": d.outcome if d else None,
        "best_met": bool(d and d.best_met),
        "fallback_met": bool(d and d.fallback_met),
        "commitments": len(d.commitments) if d else 0,
        "dated_commitments": sum(c.is_dated for c in d.commitments) if d else 0,
        "unanswered": len(d.learned.unanswered()) if d else 0,
        "completed_steps": len(d.completed_steps) if d else 0,
        "follow_ups": len(d.follow_ups) if d else 0,
        "next_call": d.next_call if d else None,
        "close_date_after": d.close_date_after if d else None,
        "notes": d.notes if d else "",
    }


def _dates(frame: "pd.DataFrame", columns: Iterable[str]) -> "pd.DataFrame":
    """Turn ISO date columns into pandas datetimes (NaT for blanks)."""
    import pandas as pd

    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame
