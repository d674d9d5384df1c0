"""The workbook notebooks callkit ships (callkit/data/exercises/notebooks/, copies of the repository's exercises/).

A wheel has no exercises/ folder, so a rep who installed callkit gets the workbooks with `copy_workbooks(folder)`.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..exceptions import ExerciseItemsError
from .items import WORKBOOKS


def workbook_notebook(workbook: str) -> Path:
    """The shipped notebook of a workbook (ExerciseItemsError naming the workbooks callkit ships otherwise)."""
    path = Path(str(resources.files("callkit").joinpath(f"data/exercises/notebooks/{workbook}.ipynb")))
    if not path.is_file():
        raise ExerciseItemsError(path, f"there is no workbook called {workbook!r} (callkit ships {', '.join(WORKBOOKS)}).")
    return path


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
