"""The hostile CSV corpus (tests/hostile/corpus.py): every bad file gets its one exact outcome.

A refused import names the file, the spreadsheet row and the column, says what is wrong, and leaves the
workspace exactly as it was (every table dumped before and after); an accepted one reads what the file meant.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callkit.exceptions import CallkitError
from callkit.workspace import DB_NAME, Workspace
from corpus import Accept, Case, Reject, cases

CASES = cases()


def dump(path: Path) -> list[str]:
    """Every table of the workspace, row by row, as SQL text."""
    with sqlite3.connect(f"file:{path / DB_NAME}?mode=ro", uri=True) as conn:
        return list(conn.iterdump())


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a team in it already (reps r01, r02; deals d001, d002; calls c0001-c0003)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_csv_import import write_files

    folder = tmp_path_factory.mktemp("base")
    with Workspace.create(folder / "ws") as ws:
        ws.import_csv(**write_files(folder / "csv"))
    return folder / "ws"


def run_case(case: Case, base: Path, tmp: Path) -> tuple[Path, CallkitError | None]:
    """Copy the base workspace, write the case's files, import them: the workspace and the error (None: imported)."""
    import shutil

    ws_path = tmp / "ws"
    shutil.copytree(base, ws_path)
    paths = {}
    for kind, data in case.files.items():
        paths[kind] = tmp / case.name_of(kind)
        paths[kind].write_bytes(data)
    with Workspace.open(ws_path) as ws:
        try:
            ws.import_files(paths.pop("deals"), **paths)
        except CallkitError as exc:
            return ws_path, exc
    return ws_path, None


@pytest.mark.parametrize("case", CASES, ids=[f"{c.section}: {c.name}" for c in CASES])
def test_case(case: Case, base: Path, tmp_path: Path) -> None:
    before = dump(base)
    ws_path, error = run_case(case, base, tmp_path)
    if isinstance(case.expect, Reject):
        assert error is not None, "the import went through"
        message = str(error)
        assert (getattr(error, "file", None) and Path(error.file).name) == case.expect.file, message
        assert getattr(error, "row", None) == case.expect.row, message
        assert getattr(error, "column", None) == case.expect.column, message
        assert case.expect.says in message, message
        assert "unexpected" not in message.lower()
        assert dump(ws_path) == before  # nothing written
    else:
        assert isinstance(case.expect, Accept)
        assert error is None, str(error)
        with Workspace.open(ws_path) as ws:
            assert case.expect.check(ws), case.expect.what or case.name
            assert ws.deal("d001").name == "Line 3"  # what was there stays


def test_the_corpus_has_at_least_80_bad_files() -> None:
    bad = [c for c in CASES if isinstance(c.expect, Reject)]
    assert len(CASES) >= 100 and len(bad) >= 80
    assert {c.section for c in CASES} == {"own CSV", "Salesforce", "HubSpot", "mapped export"}
