"""The workspace: a folder holding callkit.sqlite (reps, deals, calls, exercise results, drafts) and process.yaml.

SQLite in WAL mode with a busy timeout, so a notebook, a report run and an import can use the same workspace at
once (see callkit.workspace.connection). The schema version lives in PRAGMA user_version and is checked on open:
an older workspace is upgraded once, one recorded migration at a time (callkit.schema).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from ..datafiles import packaged_text
from ..exceptions import (
    InvalidInputError, NotAWorkspaceError, SchemaVersionError, WorkspaceError, WorkspaceReadOnlyError,
)
from ..schema import REQUIRED_TABLES, SCHEMA_SQL, SCHEMA_VERSION, V1_TABLES, migrate
from .connection import (
    DB_NAME, PROCESS_NAME, CREATING_PREFIX, alive, connect, open_read_only, writable, activity,
)
from .deal_actions import DealActions
from .export import Export
from .frames import Frames
from .imports import Imports


class Workspace(Imports, DealActions, Export, Frames):
    """A callkit workspace folder; use Workspace.create(path) or Workspace.open(path), ideally in a `with` block."""

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
        building = path / f"{CREATING_PREFIX}{os.getpid()}.sqlite"
        try:
            path.mkdir(parents=True, exist_ok=True)
            for stale in path.glob(f"{CREATING_PREFIX}*"):  # left by a killed `callkit init`: never a workspace
                if not alive(stale.name[len(CREATING_PREFIX):].split(".")[0]):
                    stale.unlink(missing_ok=True)
            if made_process:  # written whole or not at all: a killed init never leaves half a process.yaml
                partial = path / f"{CREATING_PREFIX}{os.getpid()}.yaml"
                partial.write_text(packaged_text(PROCESS_NAME), encoding="utf-8")
                os.replace(partial, process_file)
            conn = connect(building, path)
            ws = cls(path, conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA_SQL}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
            _ = ws.process  # a malformed process.yaml left in the folder fails here, before any data goes in
            if sample:
                from ..sample import load_sample_team

                load_sample_team(ws, reps=reps, seed=seed)
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
        read_only = not (writable(path) and writable(db))
        try:
            conn = open_read_only(db, path) if read_only else connect(db, path)
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
                    migrate(conn, version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WorkspaceError(path, f"{db} is damaged or is not a callkit database ({exc}).") from None
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

