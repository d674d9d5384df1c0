"""The workbook notebooks callkit ships (the repository's exercises/, which the wheel carries inside the package).

A rep who installed callkit gets the workbooks with `copy_workbooks(folder)` (or `callkit notebooks DIR`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..exceptions import ExerciseItemsError
from ..notebook_files import NotebookNotFoundError, notebook_path
from .items import WORKBOOKS


def workbook_notebook(workbook: str) -> Path:
    """The shipped notebook of a workbook (ExerciseItemsError naming the workbooks callkit ships otherwise)."""
    if workbook not in WORKBOOKS:
        raise ExerciseItemsError(f"{workbook}.ipynb", f"there is no workbook called {workbook!r} (callkit ships "
                                                      f"{', '.join(WORKBOOKS)}).")
    try:
        return notebook_path(workbook)
    except NotebookNotFoundError as exc:
        raise ExerciseItemsError(f"{workbook}.ipynb", str(exc)) from None


def copy_workbooks(folder: str | Path, overwrite: bool = False) -> list[Path]:
    """Copy the five workbooks into `folder` (made if needed); a workbook already there is kept unless `overwrite`."""
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for workbook in WORKBOOKS:
        dest = folder / f"{workbook}.ipynb"
        if dest.exists() and not overwrite:
            continue
        shutil.copyfile(workbook_notebook(workbook), dest)
        written.append(dest)
    return written
