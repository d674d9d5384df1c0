"""`callkit export`: formula cells neutralised (and restored on import), exercise progress and drafts kept, damaged
records written to damaged.csv instead of blocking the export."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from callkit.crm.csvfile import neutralise_cell, restore_cell
from callkit.exceptions import DamagedRecordError
from callkit.models import Deal, ExerciseResult, Rep
from callkit.workspace import DB_NAME, Workspace

ROOT = Path(__file__).resolve().parents[2]


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


FORMULAS = {  # what a coach typed -> the cell export writes (a spreadsheet shows it as typed, and runs nothing)
    "=HYPERLINK(\"http://evil.example\",\"click\")": "'=HYPERLINK(\"http://evil.example\",\"click\")",
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\tTabbed": "'\tTabbed",
    "\rCarriage": "'\rCarriage",
    "'=already quoted": "''=already quoted",
    "'90s kit": "'90s kit",  # an apostrophe before plain text needs nothing
    "Plain = fine": "Plain = fine",
}


@pytest.mark.parametrize("typed", list(FORMULAS))
def test_a_cell_a_spreadsheet_would_run_is_neutralised_and_restored(typed: str) -> None:
    assert neutralise_cell(typed) == FORMULAS[typed]
    assert restore_cell(neutralise_cell(typed)) == typed


@pytest.mark.parametrize("number", ["-5", "+3.5", "-0.25", "1e-3"])
def test_plain_numbers_are_left_as_numbers(number: str) -> None:
    assert neutralise_cell(number) == number


def test_export_files_hold_no_runnable_cell_and_import_gives_the_text_back(tmp_path: Path) -> None:
    reps = [Rep(rep_id="r01", name="=Zoë", team="@North", manager="+Sam")]
    deals = [Deal(deal_id=f"d{i:03d}", rep_id="r01", account=typed, name=typed.strip() or "x", stage="discover",
                  amount=5.0 if i % 2 else None)
             for i, typed in enumerate(FORMULAS)]
    with Workspace.create(tmp_path / "a") as ws:
        ws.load_team(reps, deals, [])
        files = ws.export_csv(tmp_path / "out")
    for file in files:
        for record in csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig"))):
            for cell in record:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not (
                    cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit()), (file.name, cell)
    assert rows(files[1])[0]["account"] == FORMULAS[next(iter(FORMULAS))]
    with Workspace.create(tmp_path / "b") as ws:
        ws.import_csv(*files)
        assert ws.reps() == reps
        assert ws.deals() == deals


def _result(rep_id: str, item: str, passed: bool, n: int) -> ExerciseResult:
    return ExerciseResult(rep_id=rep_id, workbook="01_advance_or_continuation", item_id=item, answer=f"=answer {n}",
                          score=1.0 if passed else 0.25, passed=passed, feedback="Right: the client acts.\nWell done.",
                          answered_at=datetime(2026, 11, 2, 9, n, tzinfo=timezone.utc), attempt=1, try_number=n,
                          first_passed=None if n == 1 else False, first_score=0.25 if n > 1 else None,
                          best_passed=passed, best_score=1.0 if passed else None)


@pytest.fixture
def progress_ws(fresh_ws_path: Path) -> Path:
    with Workspace.open(fresh_ws_path) as ws:
        rep = ws.reps()[0].rep_id
        for n, (item, passed) in enumerate([("demo-abc-module", False), ("demo-abc-module", True),
                                            ("persuade-dave", True)], start=1):
            ws.save_exercise_result(_result(rep, item, passed, n))
        ws.save_draft("plan:d001:browser-1", {"values": {"objective": "=Priya agrees", "agenda": ["a;b", "c\\"]},
                                              "saved_at": "2026-11-24T10:00:00"})
    return fresh_ws_path


def test_a_workspace_rebuilt_from_an_export_keeps_every_reps_progress_and_the_drafts(progress_ws: Path,
                                                                                     tmp_path: Path) -> None:
    with Workspace.open(progress_ws) as ws:
        results = ws.exercise_results()
        draft = ws.load_draft("plan:d001:browser-1")
        files = ws.export_csv(tmp_path / "out")
    assert [f.name for f in files][-2:] == ["exercise_results.csv", "drafts.csv"]
    assert len(rows(files[5])) == len(results) >= 3
    with Workspace.create(tmp_path / "rebuilt") as ws:
        summary = ws.import_csv(*files)
        assert summary.warnings == []
        assert ws.exercise_results() == results
        assert ws.load_draft("plan:d001:browser-1") == draft


def test_the_cli_exports_progress_and_imports_it_back(progress_ws: Path, tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "callkit.cli", *args], capture_output=True, text=True,
                                       env=env, timeout=300)
    out = tmp_path / "out"
    exported = run("export", str(progress_ws), "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "exercise_results.csv, drafts.csv" in exported.stdout
    assert run("init", str(tmp_path / "new")).returncode == 0
    args = ["import", str(tmp_path / "new"), "--reps", str(out / "reps.csv"), "--deals", str(out / "deals.csv"),
            "--calls", str(out / "calls.csv"), "--close-dates", str(out / "close_dates.csv"),
            "--stage-changes", str(out / "stage_changes.csv"), "--exercise-results", str(out / "exercise_results.csv"),
            "--drafts", str(out / "drafts.csv")]
    imported = run(*args)
    assert imported.returncode == 0, imported.stderr
    with Workspace.open(progress_ws) as ws:
        n_results = len(ws.exercise_results())
    with sqlite3.connect(progress_ws / DB_NAME) as conn:
        n_drafts = conn.execute("SELECT COUNT(*) FROM drafts").fetchone()[0]
    assert f"Added {n_results} exercise answers and {n_drafts} draft" in imported.stdout
    again = run(*args[:-4] + ["--exercise-results", str(out / "exercise_results.csv")])  # nothing is added twice
    assert again.returncode == 1 or "already in the workspace" in again.stdout + again.stderr
    with Workspace.open(tmp_path / "new") as ws:
        assert len(ws.exercise_results()) == n_results


def test_an_answer_of_an_unknown_rep_is_named_by_row_and_column(progress_ws: Path, tmp_path: Path) -> None:
    with Workspace.open(progress_ws) as ws:
        files = ws.export_csv(tmp_path / "out")
    table = list(csv.reader(io.StringIO(files[5].read_text(encoding="utf-8-sig"))))
    table[2][table[0].index("rep_id")] = "r999"
    with files[5].open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(table)
    with Workspace.create(tmp_path / "new") as ws, pytest.raises(Exception) as info:
        ws.import_csv(*files)
    assert str(info.value).startswith("exercise_results.csv, row 3, column 'rep_id': the rep id 'r999' is not in")
    with Workspace.open(tmp_path / "new") as ws:
        assert ws.counts()["deals"] == 0  # all or nothing


def _damage(path: Path, sql: str) -> None:
    with sqlite3.connect(path / DB_NAME) as conn:
        conn.execute(sql)


def test_a_damaged_answer_and_a_damaged_draft_go_to_damaged_csv(progress_ws: Path, tmp_path: Path) -> None:
    _damage(progress_ws, "UPDATE exercise_results SET json = '{\"rep_id\": 5}' WHERE id = (SELECT MIN(id) FROM "
                         "exercise_results)")
    _damage(progress_ws, "UPDATE drafts SET json = 'not json' WHERE key = 'plan:d001:browser-1'")
    with Workspace.open(progress_ws) as ws:
        total = ws.counts()["exercise_results"]
        with pytest.raises(DamagedRecordError) as info:
            ws.exercise_results()
        assert "pydantic" not in str(info.value) and "validation error" not in str(info.value)
        summary = ws.export(tmp_path / "out")
    assert summary.damaged == 2 and len(summary.warnings) == 2
    damaged = rows(tmp_path / "out" / "damaged.csv")
    assert [d["file"] for d in damaged] == ["exercise_results.csv", "drafts.csv"]
    assert damaged[1]["stored"] == "not json"
    assert len(rows(tmp_path / "out" / "exercise_results.csv")) == total - 1
    _damage(progress_ws, "DELETE FROM drafts")
    _damage(progress_ws, "DELETE FROM exercise_results WHERE json = '{\"rep_id\": 5}'")
    with Workspace.open(progress_ws) as ws:
        files = ws.export(tmp_path / "out").files
    assert not (tmp_path / "out" / "damaged.csv").exists()  # a clean export leaves no old damaged.csv behind
    assert "damaged.csv" not in [f.name for f in files]


def test_the_cli_export_names_the_damaged_records_and_still_exports(progress_ws: Path, tmp_path: Path) -> None:
    _damage(progress_ws, "UPDATE drafts SET json = '[1, 2' WHERE key = 'plan:d001:browser-1'")
    result = subprocess.run([sys.executable, "-m", "callkit.cli", "export", str(progress_ws), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert result.returncode == 0
    assert result.stderr == ("warning: the draft 'plan:d001:browser-1' was left out of drafts.csv: it is damaged; it is "
                             "in damaged.csv.\n")
    assert result.stdout.endswith("1 damaged record could not be read and was left out; damaged.csv holds it as "
                                  "stored.\n")


def test_a_damaged_answer_is_one_sentence_on_the_exercise_page(progress_ws: Path) -> None:
    from callkit.exercises.items import load_workbook
    from callkit.exercises.progress import ExerciseSession, WorkspaceStore

    _damage(progress_ws, "UPDATE exercise_results SET json = '{\"rep_id\": \"x\", \"score\": 7}' WHERE item_id = "
                         "'persuade-dave'")
    with Workspace.open(progress_ws) as ws:
        rep = ws.reps()[0].rep_id
    session = ExerciseSession(load_workbook("01_advance_or_continuation"), rep, WorkspaceStore(progress_ws))
    assert session.notice == ("1 of your saved answers could not be read back (damaged in the workspace) and is left "
                              "out: that item counts as not answered yet.")
