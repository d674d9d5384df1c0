"""The notebooks callkit ships are found in one way, installed or from a checkout, and copied for editing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callkit.notebook_files import SHIPPED, NotebookNotFoundError, copy_notebooks, notebook_path

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_notebook_is_the_repositorys_own_file():
    for name, folder in SHIPPED.items():
        path = notebook_path(name)
        assert path.name == f"{name}.ipynb"
        assert path.read_bytes() == (ROOT / folder / f"{name}.ipynb").read_bytes()
        assert json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_an_unknown_notebook_is_one_sentence_naming_what_ships():
    with pytest.raises(NotebookNotFoundError, match="ships no notebook called 'nope'.*coaching_session"):
        notebook_path("nope")


def test_copies_go_where_a_coach_edits_them_and_are_never_overwritten_by_accident(tmp_path: Path):
    written = copy_notebooks(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        "coaching_session.ipynb", "rep_report.ipynb", *(f"exercises/{n}.ipynb" for n, f in SHIPPED.items()
                                                         if f == "exercises")}
    mine = tmp_path / "rep_report.ipynb"
    mine.write_text("{}", encoding="utf-8")
    assert copy_notebooks(tmp_path) == []
    assert mine.read_text(encoding="utf-8") == "{}"
    assert copy_notebooks(tmp_path, ["rep_report"], overwrite=True) == [mine]
    assert mine.read_bytes() == notebook_path("rep_report").read_bytes()
