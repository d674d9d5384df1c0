"""The notebooks callkit runs and hands out: the coaching session, the rep report and the five exercise workbooks.

They live once, in the repository's `notebooks/` and `exercises/` folders. The wheel carries the same files
inside the package (the build backend copies them to `callkit/_shipped/`, see pyproject.toml), so an
installed callkit finds them there and a source checkout or an editable install finds them in the
repository. `notebook_path` is the one way to find them; `copy_notebooks` gives a coach or a rep
editable copies (`callkit notebooks DIR`).
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .exceptions import CallkitError

#: Which folder of the repository holds each notebook callkit ships.
SHIPPED: dict[str, str] = {
    "coaching_session": "notebooks",
    "rep_report": "notebooks",
    "01_advance_or_continuation": "exercises",
    "02_sharpen_the_objective": "exercises",
    "03_whats_in_it_for_the_customer": "exercises",
    "04_compress_the_process": "exercises",
    "05_debrief_the_call": "exercises",
}
_IN_WHEEL = "_shipped"  # callkit/_shipped/<folder>/<name>.ipynb in an installed wheel
_CHECKOUT = Path(__file__).resolve().parent.parent  # the repository, for a source checkout or editable install


class NotebookNotFoundError(CallkitError):
    """A notebook callkit should ship is missing from this installation (a broken install or checkout)."""

    def __init__(self, name: str, looked_in: list[Path]):
        self.name = name
        self.looked_in = looked_in
        if name not in SHIPPED:
            problem = f"callkit ships no notebook called {name!r}: it ships {', '.join(SHIPPED)}."
        else:
            problem = (f"The notebook {name}.ipynb is missing from this installation (looked in "
                       f"{' and '.join(str(p) for p in looked_in)}): reinstall callkit.")
        super().__init__(problem)


def notebook_path(name: str) -> Path:
    """The file of a notebook callkit ships, by name ('coaching_session', 'rep_report', '02_sharpen_the_objective')."""
    folder = SHIPPED.get(name)
    if folder is None:
        raise NotebookNotFoundError(name, [])
    installed = Path(str(resources.files("callkit").joinpath(f"{_IN_WHEEL}/{folder}/{name}.ipynb")))
    checkout = _CHECKOUT / folder / f"{name}.ipynb"
    for path in (installed, checkout):
        if path.is_file():
            return path
    raise NotebookNotFoundError(name, [installed.parent, checkout.parent])


def copy_notebooks(folder: str | Path, names: list[str] | None = None, overwrite: bool = False) -> list[Path]:
    """Copy notebooks callkit ships into `folder` (made if needed) to edit there; returns the files written.

    The coaching notebook and the report go to `folder/`, the workbooks to `folder/exercises/`. A file already
    there is kept unless `overwrite`, so a coach's own edits are never replaced by accident.
    """
    folder = Path(folder).expanduser()
    written: list[Path] = []
    for name in names or list(SHIPPED):
        source = notebook_path(name)
        dest = (folder / "exercises" if SHIPPED[name] == "exercises" else folder) / source.name
        if dest.exists() and not overwrite:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        written.append(dest)
    return written
