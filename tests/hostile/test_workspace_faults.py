"""Busy and read-only workspaces, a killed `init --sample`, damaged stored records: real processes, real signals.

- busy: a second process takes the write lock (as an import does, leaving its note of what it is doing) and
  keeps it; every write here fails with WorkspaceBusyError naming that work, within the timeout, and the
  CLI says that one sentence; a plan or debrief saved meanwhile stays on the page, its draft in memory,
  and is saved once the other process is gone.
- read-only: the folder and database made unwritable (chmod; as root, whom chmod does not stop, callkit
  treats a file or folder nobody may write to as read-only and opens it with SQLite's read-only mode);
  reading, export and check work, writes are refused with one sentence.
- a `callkit init --sample` killed with SIGKILL half-way leaves no half workspace: `init` makes it again.
- damaged stored records: an export leaves them out with a warning, writes them to damaged.csv, and the
  advice the messages give can be followed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from callkit.exceptions import (
    CallkitError, DamagedRecordError, NotAWorkspaceError, WorkspaceBusyError, WorkspaceReadOnlyError,
)
from callkit.models import CallPlan, Rep
from callkit.workspace import DB_NAME, Workspace

ROOT = Path(__file__).resolve().parents[2]
CALLKIT = [sys.executable, "-m", "callkit.cli"]
TODAY = date(2026, 11, 24)

HOLDER = """
import sqlite3, sys, time
from pathlib import Path
from callkit.workspace import DB_NAME, activity
path, what = Path(sys.argv[1]), sys.argv[2]
conn = sqlite3.connect(path / DB_NAME, isolation_level=None)
if what:
    with activity(path, what, program="`callkit import`"):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE reps SET name = name")
        print("held", flush=True)
        time.sleep(120)
else:
    conn.execute("BEGIN IMMEDIATE")
    print("held", flush=True)
    time.sleep(120)
"""


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    env.pop("CALLKIT_BUSY_TIMEOUT", None)
    env.update(extra)
    return env


class Holder:
    """A second process holding the workspace's write lock until it is stopped (by a real signal)."""

    def __init__(self, path: Path, what: str = ""):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), what], stdout=subprocess.PIPE,
                                     text=True, env=cli_env())
        line = self.proc.stdout.readline()
        assert line.strip() == "held", "the holder process could not take the lock"

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture
def ws_path(fresh_ws_path: Path) -> Path:
    return fresh_ws_path


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLKIT_BUSY_TIMEOUT", "1")  # callkit waits 1 s instead of 10 s: the same code path


@pytest.fixture
def holder(ws_path: Path):
    h = Holder(ws_path, "an import")
    yield h
    h.stop()


# -- busy ----------------------------------------------------------------------------------------------------

def test_a_write_held_past_the_timeout_is_workspace_busy_naming_the_import(ws_path: Path, holder: Holder) -> None:
    with Workspace.open(ws_path) as ws:
        reps = ws.reps()
        started = time.monotonic()
        with pytest.raises(WorkspaceBusyError) as info:
            ws.add_rep(Rep(rep_id="r99", name="New Rep"))
        waited = time.monotonic() - started
    assert isinstance(info.value, CallkitError)
    assert info.value.activity == "an import" and info.value.pid == holder.proc.pid
    assert str(info.value) == (f"The workspace {ws_path} is busy with an import in `callkit import` (process "
                               f"{holder.proc.pid}): wait until it has finished, then try again.")
    assert waited < 40  # the default wait is 10 s: it came, and did not hang
    holder.stop()
    with Workspace.open(ws_path) as ws:
        assert ws.reps() == reps  # nothing was written


def test_every_kind_of_write_is_busy_not_a_raw_sqlite_error(ws_path: Path, holder: Holder, short_wait: None) -> None:
    with Workspace.open(ws_path) as ws:
        deal = ws.deals()[0]
        plan = CallPlan(call_id=ws.calls(deal_id=deal.deal_id)[0].call_id, deal_id=deal.deal_id, rep_id=deal.rep_id,
                        call_date=TODAY, objective="Priya agrees to a pilot by Friday")
        writes = {
            "add_rep": lambda: ws.add_rep(Rep(rep_id="r99", name="New Rep")),
            "save_plan": lambda: ws.save_plan(plan),
            "save_draft": lambda: ws.save_draft("plan:x:local", {"values": {}}),
            "new_call_id": lambda: ws.new_call_id(deal.deal_id),
            "record_close_date": lambda: ws.record_close_date(deal.deal_id, date(2027, 1, 31), changed_on=TODAY),
        }
        for name, write in writes.items():
            with pytest.raises(WorkspaceBusyError, match="is busy with an import"):
                write()
        assert ws.deal(deal.deal_id) == deal  # reading still works while the other process writes


def test_a_lock_without_a_note_is_busy_with_a_plain_sentence(ws_path: Path, short_wait: None) -> None:
    h = Holder(ws_path)
    try:
        with Workspace.open(ws_path) as ws, pytest.raises(WorkspaceBusyError) as info:
            ws.add_rep(Rep(rep_id="r99", name="New Rep"))
    finally:
        h.stop()
    assert info.value.activity is None
    assert str(info.value) == (f"The workspace {ws_path} is busy: another program is writing to it; wait a moment, "
                               "then try again.")


def test_a_killed_writer_leaves_no_lock_and_a_stale_note_is_not_believed(ws_path: Path, short_wait: None) -> None:
    h = Holder(ws_path, "an import")
    h.stop(signal.SIGKILL)  # its note stays behind; its process is gone
    assert (ws_path / f"{DB_NAME}-activity").exists()
    with Workspace.open(ws_path) as ws:
        ws.add_rep(Rep(rep_id="r99", name="New Rep"))
        assert ws.rep("r99").name == "New Rep"
        from callkit.workspace.connection import busy_error

        assert busy_error(ws_path).activity is None  # the note of a dead process names nothing


def test_the_cli_says_the_one_sentence_and_exits_1(ws_path: Path, holder: Holder, tmp_path: Path) -> None:
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,rep_id,name,stage\nd900,r01,New deal,qualify\n", encoding="utf-8")
    result = subprocess.run([*CALLKIT, "import", str(ws_path), "--deals", str(deals)], capture_output=True, text=True,
                            env=cli_env(CALLKIT_BUSY_TIMEOUT="1"), timeout=120)
    assert result.returncode == 1
    assert result.stderr == (f"callkit: The workspace {ws_path} is busy with an import in `callkit import` (process "
                             f"{holder.proc.pid}): wait until it has finished, then try again.\n")
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr


def test_a_busy_plan_save_keeps_the_text_and_the_draft_then_saves(ws_path: Path, short_wait: None) -> None:
    pytest.importorskip("ipywidgets")
    from callkit.ui.plan_form import PlanForm

    with Workspace.open(ws_path) as ws:
        deal = ws.deals()[0]
        form = PlanForm(ws, deal, today=TODAY, browser="b1")
        h = Holder(ws_path, "an import")
        try:
            form.controls["objective"].value = "Priya agrees to a pilot on two depots by 4 December"
            assert form.draft.unsaved is not None  # the draft could not be written: it is kept in memory
            assert "is busy with an import" in form.status.value
            assert form.save() is None
            assert "is busy with an import" in form.status.value and "press Save again" in form.status.value
            assert form.values["objective"] == "Priya agrees to a pilot on two depots by 4 December"
            assert form.draft.load()["values"]["objective"] == form.values["objective"]
        finally:
            h.stop()
        form.controls["fallback"].value = "Priya shares the downtime logs"  # the next change saves the draft
        assert form.draft.unsaved is None and form.draft.problem == ""
        assert ws.load_draft(form.draft.key)["values"]["fallback"] == "Priya shares the downtime logs"
        saved = form.save()
        assert saved is not None and saved.objective == "Priya agrees to a pilot on two depots by 4 December"
        assert ws.call(saved.call_id).plan.objective == saved.objective
        assert ws.load_draft(form.draft.key) is None


def test_a_busy_debrief_save_keeps_the_debrief(ws_path: Path, short_wait: None) -> None:
    pytest.importorskip("ipywidgets")
    from callkit.ui.debrief_form import DebriefForm

    with Workspace.open(ws_path) as ws:
        deal = next(d for d in ws.deals() if any(c.plan and not c.debrief for c in ws.calls(deal_id=d.deal_id)))
        calls = ws.calls(deal_id=deal.deal_id)
        form = DebriefForm(ws, deal, calls, today=TODAY)
        form.controls["outcome"].value = "continuation"
        form.controls["notes"].value = "They want to think about it"
        h = Holder(ws_path, "an import")
        try:
            assert form.save(confirmed=True) is None
            assert "is busy with an import" in form.status.value and "debrief" in form.status.value
            assert form.values["notes"] == "They want to think about it"
        finally:
            h.stop()
        saved = form.save(confirmed=True)
        assert saved is not None and saved.notes == "They want to think about it"


# -- read-only -----------------------------------------------------------------------------------------------

@pytest.fixture
def read_only_path(ws_path: Path):
    Workspace.open(ws_path).close()  # everything checkpointed into callkit.sqlite
    for extra in ws_path.glob(f"{DB_NAME}-*"):
        extra.unlink()
    os.chmod(ws_path / DB_NAME, 0o444)
    os.chmod(ws_path, 0o555)
    yield ws_path
    os.chmod(ws_path, 0o755)
    os.chmod(ws_path / DB_NAME, 0o644)


def test_a_read_only_workspace_opens_for_reading_and_refuses_writes(read_only_path: Path, tmp_path: Path) -> None:
    with Workspace.open(read_only_path) as ws:
        assert ws.read_only
        deals, calls = ws.deals(), ws.calls()
        assert deals and calls and ws.reps()
        with pytest.raises(WorkspaceReadOnlyError) as info:
            ws.add_rep(Rep(rep_id="r99", name="New Rep"))
        assert str(info.value) == (
            f"The workspace {read_only_path} is read-only for you, so you can view it but not change it: ask its "
            "owner for write access to the folder, or copy the folder somewhere you can write and open the copy.")
        with pytest.raises(WorkspaceReadOnlyError):
            ws.save_draft("plan:x:local", {"values": {}})
        files = ws.export_csv(tmp_path / "out")
        assert len(list(csv.reader(io.StringIO(files[2].read_text(encoding="utf-8-sig"))))) == len(calls) + 1
    assert sorted(p.name for p in read_only_path.iterdir()) == ["callkit.sqlite", "process.yaml"]  # nothing written


def test_the_cli_reads_a_read_only_workspace_and_refuses_to_import(read_only_path: Path, tmp_path: Path) -> None:
    out = subprocess.run([*CALLKIT, "export", str(read_only_path), "--out", str(tmp_path / "out")], capture_output=True,
                         text=True, env=cli_env(), timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Exported 7 files")
    check = subprocess.run([*CALLKIT, "check", "Priya introduces us to the CFO by Friday", "--stage", "discover",
                            "--workspace", str(read_only_path)], capture_output=True, text=True, env=cli_env(),
                           timeout=120)
    assert check.returncode == 0 and check.stderr == ""
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,rep_id,name,stage\nd900,r01,New deal,qualify\n", encoding="utf-8")
    imp = subprocess.run([*CALLKIT, "import", str(read_only_path), "--deals", str(deals)], capture_output=True,
                         text=True, env=cli_env(), timeout=120)
    assert imp.returncode == 1
    assert imp.stderr == (f"callkit: The workspace {read_only_path} is read-only for you, so you can view it but not "
                          "import into it: ask its owner for write access to the folder, or copy the folder somewhere "
                          "you can write and open the copy.\n")


def test_a_draft_in_a_read_only_workspace_stays_on_the_page(read_only_path: Path) -> None:
    pytest.importorskip("ipywidgets")
    from callkit.ui.plan_form import PlanForm

    with Workspace.open(read_only_path) as ws:
        form = PlanForm(ws, ws.deals()[0], today=TODAY)
        form.controls["objective"].value = "Priya agrees to a pilot by Friday"
        assert form.draft.unsaved["values"]["objective"] == "Priya agrees to a pilot by Friday"
        assert "read-only for you" in form.status.value
        assert form.save() is None and "read-only for you" in form.status.value
        assert form.values["objective"] == "Priya agrees to a pilot by Friday"


def test_only_the_database_file_read_only(ws_path: Path) -> None:
    Workspace.open(ws_path).close()
    os.chmod(ws_path / DB_NAME, 0o444)
    try:
        with Workspace.open(ws_path) as ws:
            assert ws.read_only and ws.deals()
            with pytest.raises(WorkspaceReadOnlyError):
                ws.add_rep(Rep(rep_id="r99", name="New Rep"))
    finally:
        os.chmod(ws_path / DB_NAME, 0o644)


# -- a killed init --sample ----------------------------------------------------------------------------------

def test_a_killed_init_sample_leaves_a_folder_init_can_recreate(tmp_path: Path) -> None:
    target = tmp_path / "team"
    proc = subprocess.Popen([*CALLKIT, "init", str(target), "--sample"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=cli_env())
    deadline = time.monotonic() + 120
    while not list(target.glob(".callkit-creating-*.sqlite")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "init finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert not (target / DB_NAME).exists()  # never half a workspace
    with pytest.raises(NotAWorkspaceError):
        Workspace.open(target)
    again = subprocess.run([*CALLKIT, "init", str(target), "--sample"], capture_output=True, text=True, env=cli_env(),
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert not list(target.glob(".callkit-creating-*"))  # what the killed run left is gone
    with Workspace.open(target) as ws:
        assert len(ws.reps()) == 8 and ws.calls()


# -- damaged stored records ----------------------------------------------------------------------------------

def _damage_plan(path: Path, call_id: str) -> None:
    with sqlite3.connect(path / DB_NAME) as conn:
        conn.execute("UPDATE plans SET json = ? WHERE call_id = ?", ('{"call_id": "' + call_id + '", "objec', call_id))


def test_a_damaged_plan_is_left_out_of_the_export_and_kept_in_damaged_csv(ws_path: Path, tmp_path: Path) -> None:
    with Workspace.open(ws_path) as ws:
        planned = [c for c in ws.calls() if c.plan is not None]
        damaged_id = planned[0].call_id
        total = len(ws.calls())
    _damage_plan(ws_path, damaged_id)
    with Workspace.open(ws_path) as ws:
        with pytest.raises(DamagedRecordError) as info:
            ws.call(damaged_id)
        message = str(info.value)
        assert "import the call again from a calls.csv row with `callkit import` (it replaces a damaged call)" in message
        summary = ws.export(tmp_path / "out")
    assert summary.damaged == 1
    assert summary.warnings == [f"call {damaged_id!r} was left out of calls.csv: its stored plan is damaged (its text "
                                "is not complete JSON); it is in damaged.csv."]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "calls.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == total - 1 and damaged_id not in {r["call_id"] for r in rows}
    damaged = list(csv.DictReader(io.StringIO((tmp_path / "out" / "damaged.csv").read_text(encoding="utf-8-sig"))))
    assert [(d["file"], d["record"]) for d in damaged] == [("calls.csv", f"call {damaged_id}")]
    assert json.loads(damaged[0]["stored"])["plan"] == '{"call_id": "' + damaged_id + '", "objec'


def test_the_advice_for_a_damaged_plan_can_be_followed(ws_path: Path, tmp_path: Path) -> None:
    with Workspace.open(ws_path) as ws:
        call = next(c for c in ws.calls() if c.plan is not None and c.debrief is None)
    _damage_plan(ws_path, call.call_id)
    fixed = tmp_path / "calls.csv"
    fixed.write_text(f"call_id,deal_id,date,objective\n{call.call_id},{call.deal_id},{call.date.isoformat()},"
                     "Priya agrees to a pilot by Friday\n", encoding="utf-8")
    deals = tmp_path / "deals.csv"
    with Workspace.open(ws_path) as ws:
        ws.export_csv(tmp_path / "current")
        deals = tmp_path / "current" / "deals.csv"
        ws.import_files(deals, calls=fixed)  # the message said: import the call again from a calls.csv row
        assert ws.call(call.call_id).plan.objective == "Priya agrees to a pilot by Friday"
        with pytest.raises(CallkitError, match="already in the workspace"):  # a healthy call is still never overwritten
            ws.import_files(deals, calls=fixed)


def test_an_exercise_answer_checked_while_busy_is_kept_and_saved_later(ws_path: Path, short_wait: None) -> None:
    from callkit.exercises.items import load_workbook
    from callkit.exercises.progress import ExerciseSession, WorkspaceStore

    with Workspace.open(ws_path) as ws:
        rep = ws.reps()[0].rep_id
        before = len(ws.exercise_results(rep_id=rep))
    session = ExerciseSession(load_workbook("01_advance_or_continuation"), rep, WorkspaceStore(ws_path))
    h = Holder(ws_path, "an import")
    try:
        result = session.submit(session.current.answer)
        assert result is not None and len(session.unsaved) == 1
        assert session.save_notice == (
            f"The workspace {ws_path} is busy with an import in `callkit import` (process {h.proc.pid}): wait until "
            "it has finished, then try again. Your answer is kept on this page and saved with your next answer.")
    finally:
        h.stop()
    assert session.save_pending() and session.unsaved == [] and session.save_notice == ""
    with Workspace.open(ws_path) as ws:
        assert len(ws.exercise_results(rep_id=rep)) == before + 1
