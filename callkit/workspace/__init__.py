"""The workspace: a folder holding callkit.sqlite (reps, deals, calls, exercise results, drafts) and process.yaml.

`Workspace` (folder.py) is assembled from one module per concern: the SQLite connection (busy, read-only,
activity notes: connection.py), transactions (transactions.py), reading records (records.py), writing them
(writes.py), deal actions (deal_actions.py), imports (imports.py), export (export.py) and the pandas frames
(frames.py); the schema and its migrations are callkit.schema. pandas is imported only inside the *_frame
methods.
"""

from __future__ import annotations

from ..csv_io import ImportSummary
from .connection import ACTIVITY_NAME, BUSY_TIMEOUT_MS, DB_NAME, PROCESS_NAME, activity, busy_timeout_ms
from .export import ExportSummary
from .folder import Workspace
from .imports import ExtrasPlan
from .writes import ANY_VERSION, deal_row

__all__ = [
    "Workspace", "ImportSummary", "DB_NAME", "PROCESS_NAME",
    # importable from here as before the split
    "ACTIVITY_NAME", "ANY_VERSION", "BUSY_TIMEOUT_MS", "ExportSummary", "ExtrasPlan", "activity", "busy_timeout_ms",
    "deal_row",
]
