"""Self-paced exercises for reps: items as data (items), a registry of exercise kinds (kinds), the checks
behind each kind (checks), progress (progress) and the figures every screen and report shows (figures).

The widgets that show a workbook live in callkit.ui.exercise; everything here works without Jupyter.
"""

from __future__ import annotations

from .checks import CheckResult, DebriefAnswer, ValueAnswer, check_answer
from .figures import (
    ItemFigures,
    MissedItem,
    WorkbookFigures,
    figures_by_workbook,
    item_figures,
    missed_items,
    report_data,
    workbook_figures,
)
from .items import WORKBOOKS, Workbook, load_items_file, load_workbook
from .kinds import CheckContext, ExerciseKind, get_kind, kind_names, kind_of, register_kind
from .progress import ExerciseSession, MemoryStore, RepMatch, WorkspaceStore, find_rep, open_store

__all__ = [
    "WORKBOOKS",
    "CheckContext",
    "CheckResult",
    "DebriefAnswer",
    "ExerciseKind",
    "ExerciseSession",
    "ItemFigures",
    "MemoryStore",
    "MissedItem",
    "RepMatch",
    "ValueAnswer",
    "Workbook",
    "WorkbookFigures",
    "WorkspaceStore",
    "check_answer",
    "figures_by_workbook",
    "find_rep",
    "get_kind",
    "item_figures",
    "kind_names",
    "kind_of",
    "load_items_file",
    "load_workbook",
    "missed_items",
    "open_store",
    "register_kind",
    "report_data",
    "workbook_figures",
]
