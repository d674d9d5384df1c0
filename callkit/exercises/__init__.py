"""Self-paced exercises for reps: items as data (items), the checks behind each kind (checks), progress (progress).

The widgets that show a workbook live in callkit.ui.exercise; everything here works without Jupyter.
"""

from __future__ import annotations

from .checks import CheckResult, DebriefAnswer, ValueAnswer, check_answer
from .items import WORKBOOKS, Workbook, load_items_file, load_workbook
from .progress import ExerciseSession, MemoryStore, WorkspaceStore, open_store

__all__ = [
    "WORKBOOKS",
    "CheckResult",
    "DebriefAnswer",
    "ExerciseSession",
    "MemoryStore",
    "ValueAnswer",
    "Workbook",
    "WorkspaceStore",
    "check_answer",
    "load_items_file",
    "load_workbook",
    "open_store",
]
