"""Workspace: round trip of every model, writes, schema version, not-a-workspace, WAL, concurrent writers."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from callkit.exceptions import (
    InvalidInputError, NotAWorkspaceError, ProcessError, RecordNotFoundError, SchemaVersionError, UnknownStageError,
    WorkspaceError,
)
from callkit.models import (
    Attendee, Call, CallPlan, CloseDateChange, Commitment, Deal, Debrief, ExerciseResult, Learned, Rep, Research,
)
from callkit.schema import SCHEMA_VERSION
from callkit.workspace import DB_NAME, PROCESS_NAME, Workspace


def make_team() -> tuple[list[Rep], list[Deal], list[Call]]:
    """A small team that uses every field of every model (also used by the CSV tests)."""
    reps = [
        Rep(rep_id="r01", name="Zoë Müller", email="zoe@example.com", team="North", manager="Sam Ortiz"),
        Rep(rep_id="r02", name="Ken Ito"),
    ]
    deals = [
        Deal(
            deal_id="d001", rep_id="r01", account="Acme Foods", name="Line 3 monitoring", stage="discover",
            close_date=date(2026, 6, 30), amount=48000.5, created=date(2026, 1, 12),
            close_date_history=[
                CloseDateChange(changed_on=date(2026, 1, 12), close_date=date(2026, 4, 30)),
                CloseDateChange(changed_on=date(2026, 3, 2), close_date=date(2026, 5, 31)),
                CloseDateChange(changed_on=date(2026, 4, 1), close_date=date(2026, 6, 30)),
            ],
        ),
        Deal(deal_id="d002", rep_id="r02", account="Brill, Inc.", name="Pilot", stage="qualify",
             close_date=date(2026, 9, 1)),
    ]
    full_plan = CallPlan(
        call_id="c0001", deal_id="d001", rep_id="r01", call_date=date(2026, 3, 10),
        attendees=[
            Attendee(name="Priya Shah", role="COO"),
            Attendee(name="Tom Reed", role="solutions engineer", side="us"),
            Attendee(name="Lee Park (Leo)"),
        ],
        objective="Priya agrees to introduce us to the CFO by 2026-03-20",
        fallback="Priya shares last quarter's downtime data; by Friday",
        customer_value="They see their downtime cost against 40 peer plants, in their numbers",
        agenda=["Their goals for line 3", "Downtime benchmark; first look", "Next steps"],
        agenda_shared=True, agenda_agreed=True, agenda_agreed_on=date(2026, 3, 8),
        planned_steps=["Get their data to quantify the problem", "Meet the people affected day to day"],
        questions=["What does an hour of downtime cost?", "Who signs off: you or the CFO?"],
        research=Research(goals="Cut downtime 20%", obstacles="No sensor data: old PLCs", industry="Food", notes="Met at expo"),
        concerns=["Price", "IT security review"],
        updated_at=datetime(2026, 3, 9, 17, 45, tzinfo=timezone.utc),
    )
    full_debrief = Debrief(
        call_id="c0001", outcome="advance", best_met=True, fallback_met=True,
        commitments=[
            Commitment(who="Priya", what="Intro to the CFO: Dana", by=date(2026, 3, 20)),
            Commitment(what="Send the downtime logs"),
        ],
        learned=Learned(urgency="Audit in Q3", consequence="Fines", attitude="Warm; wary of price",
                        competition="Sensio", decision_process="CFO signs over 25k", budget="40-60k"),
        completed_steps=["Get their data to quantify the problem"],
        follow_ups=[Commitment(who="Tom", what="Benchmark report", by=date(2026, 3, 15))],
        next_call=date(2026, 3, 21), close_date_after=date(2026, 6, 30),
        notes="Good call.\nCFO is the key.", updated_at=datetime(2026, 3, 10, 16, 0),
    )
    calls = [
        Call(call_id="c0001", deal_id="d001", rep_id="r01", date=date(2026, 3, 10), plan=full_plan, debrief=full_debrief),
        Call(
            call_id="c0002", deal_id="d001", rep_id="r01", date=date(2026, 3, 21),
            plan=CallPlan(call_id="c0002", deal_id="d001", rep_id="r01", call_date=date(2026, 3, 21),
                          objective="Dana agrees to a pilot"),
        ),
        Call(call_id="c0003", deal_id="d002", rep_id="r02", date=date(2026, 2, 1),
             debrief=Debrief(call_id="c0003", outcome="continuation", notes="Let's keep in touch")),
        Call(call_id="c0004", deal_id="d002", rep_id="r01", date=date(2026, 2, 14)),
    ]
    return reps, deals, calls


@pytest.fixture
def ws(tmp_path: Path):
    with Workspace.create(tmp_path / "ws") as workspace:
        yield workspace


@pytest.fixture
def team_ws(ws: Workspace) -> Workspace:
    ws.load_team(*make_team())
    return ws


def test_create_makes_folder_with_database_and_process(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "new" / "ws") as ws:
        assert (ws.path / DB_NAME).is_file() and (ws.path / PROCESS_NAME).is_file()
        assert ws.process.stage_ids[0] == "prospect" and len(ws.process.stage_ids) == 8
        assert ws.counts()["reps"] == 0
        assert ws.schema_version == SCHEMA_VERSION and ws.integrity_check() == []
    with sqlite3.connect(tmp_path / "new" / "ws" / DB_NAME) as conn:  # WAL is a setting of the file itself
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_round_trip_of_every_model(tmp_path: Path) -> None:
    reps, deals, calls = make_team()
    result = ExerciseResult(rep_id="r01", workbook="01_advance", item_id="q3", answer="Priya introduces us",
                            score=0.75, passed=True, feedback="A real advance.", answered_at=datetime(2026, 3, 1, 9, 0))
    with Workspace.create(tmp_path / "ws") as ws:
        ws.load_team(reps, deals, calls)
        ws.save_exercise_result(result)
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.reps() == reps
        assert ws.deals() == deals
        assert ws.calls() == sorted(calls, key=lambda c: (c.date, c.call_id))
        assert ws.rep("r01") == reps[0]
        assert ws.deal("d001") == deals[0]
        assert ws.call("c0001") == calls[0]
        assert ws.plan("c0001") == calls[0].plan and ws.debrief("c0001") == calls[0].debrief
        assert ws.plan("c0003") is None and ws.debrief("c0002") is None
        assert ws.exercise_results() == [result]
        assert ws.counts() == {"reps": 2, "deals": 2, "calls": 4, "plans": 2, "debriefs": 2, "close_dates": 3,
                               "exercise_results": 1}


def test_calls_filters_and_order(team_ws: Workspace) -> None:
    assert [c.call_id for c in team_ws.calls()] == ["c0003", "c0004", "c0001", "c0002"]
    assert [c.call_id for c in team_ws.calls(rep_id="r01")] == ["c0004", "c0001", "c0002"]
    assert [c.call_id for c in team_ws.calls(deal_id="d002")] == ["c0003", "c0004"]
    assert [c.call_id for c in team_ws.calls(rep_id="r01", deal_id="d002")] == ["c0004"]
    assert [c.call_id for c in team_ws.calls(since=date(2026, 2, 14), until=date(2026, 3, 10))] == ["c0004", "c0001"]
    assert [d.deal_id for d in team_ws.deals(rep_id="r02")] == ["d002"]


def test_latest_call_date(team_ws: Workspace, tmp_path: Path) -> None:
    assert team_ws.latest_call_date() == date(2026, 3, 21) == max(c.date for c in team_ws.calls())
    with Workspace.create(tmp_path / "empty") as empty:
        assert empty.latest_call_date() is None


def test_damaged_stored_plan_is_a_clear_workspace_error(team_ws: Workspace) -> None:
    with sqlite3.connect(team_ws.path / DB_NAME) as conn:  # another program damages the file on purpose
        conn.execute("UPDATE plans SET json = ? WHERE call_id = ?", ('{"call_id": "c0001"}', "c0001"))
    conn.close()
    for read in (lambda: team_ws.plan("c0001"), lambda: team_ws.call("c0001"), team_ws.calls):
        with pytest.raises(WorkspaceError, match="stored plan of call 'c0001' .* is damaged"):
            read()
    assert team_ws.plan("c0002").objective == "Dana agrees to a pilot"  # the other calls still read


def test_calls_for_one_rep_use_an_index(team_ws: Workspace) -> None:
    team_ws.close()
    with sqlite3.connect(team_ws.path / DB_NAME) as conn:  # the file's indexes serve a report's query of one rep
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT call_id FROM calls WHERE rep_id = ? ORDER BY date", ("r01",))
        assert any("calls_rep_date" in row[-1] for row in plan.fetchall())


def test_unknown_ids_raise_record_not_found(team_ws: Workspace) -> None:
    for read, missing in ((team_ws.rep, "r99"), (team_ws.deal, "d999"), (team_ws.call, "c9999")):
        with pytest.raises(RecordNotFoundError, match=missing):
            read(missing)


def test_save_plan_creates_the_call_and_upserts(team_ws: Workspace) -> None:
    plan = CallPlan(call_id="c0100", deal_id="d002", rep_id="r02", call_date=date(2026, 4, 2), objective="A")
    team_ws.save_plan(plan)
    assert team_ws.call("c0100") == Call(call_id="c0100", deal_id="d002", rep_id="r02", date=date(2026, 4, 2), plan=plan)
    moved = plan.model_copy(update={"objective": "B", "call_date": date(2026, 4, 3)})
    team_ws.save_plan(moved)
    assert team_ws.plan("c0100") == moved and team_ws.call("c0100").date == date(2026, 4, 3)
    assert team_ws.counts()["calls"] == 5
    with pytest.raises(RecordNotFoundError, match="d999"):
        team_ws.save_plan(plan.model_copy(update={"call_id": "c0101", "deal_id": "d999"}))


def test_save_debrief_needs_the_call(team_ws: Workspace) -> None:
    with pytest.raises(RecordNotFoundError, match="c0999"):
        team_ws.save_debrief(Debrief(call_id="c0999", outcome="order"))
    debrief = Debrief(call_id="c0002", outcome="no_sale", notes="Lost to Sensio")
    team_ws.save_debrief(debrief)
    assert team_ws.debrief("c0002") == debrief
    team_ws.save_debrief(debrief.model_copy(update={"outcome": "advance"}))
    assert team_ws.call("c0002").outcome == "advance" and team_ws.counts()["debriefs"] == 3


def test_save_call_replaces_plan_and_debrief(team_ws: Workspace) -> None:
    call = team_ws.call("c0001")
    team_ws.save_call(call.model_copy(update={"plan": None}))
    assert team_ws.plan("c0001") is None and team_ws.debrief("c0001") == call.debrief
    team_ws.save_call(call)
    assert team_ws.call("c0001") == call
    bad = call.model_copy(update={"plan": call.plan.model_copy(update={"call_id": "c0002"})})
    with pytest.raises(InvalidInputError, match="plan of call 'c0001'"):
        team_ws.save_call(bad)


def test_record_close_date_and_set_stage(team_ws: Workspace) -> None:
    team_ws.record_close_date("d002", date(2026, 10, 1), changed_on=date(2026, 4, 1))
    team_ws.record_close_date("d002", "2026-11-01", "2026-05-01")
    deal = team_ws.deal("d002")
    assert deal.close_date == date(2026, 11, 1)
    assert deal.close_date_history == [
        CloseDateChange(changed_on=date(2026, 4, 1), close_date=date(2026, 10, 1)),
        CloseDateChange(changed_on=date(2026, 5, 1), close_date=date(2026, 11, 1)),
    ]
    with pytest.raises(InvalidInputError, match="close date"):
        team_ws.record_close_date("d002", "next month")
    team_ws.set_stage("d002", "validate")
    assert team_ws.deal("d002").stage == "validate"
    with pytest.raises(UnknownStageError, match="prospect, qualify"):
        team_ws.set_stage("d002", "pilot")
    with pytest.raises(RecordNotFoundError):
        team_ws.set_stage("d999", "close")


def test_add_rep_and_deal_check_ids_and_references(team_ws: Workspace) -> None:
    team_ws.add_rep(Rep(rep_id="r03", name="Ada"))
    with pytest.raises(InvalidInputError, match="'r03' is already in this workspace"):
        team_ws.add_rep(Rep(rep_id="r03", name="Ada again"))
    deal = Deal(deal_id="d003", rep_id="r03", account="Corex", name="Renewal", stage="propose", close_date=date(2026, 7, 1))
    team_ws.add_deal(deal)
    assert team_ws.deals(rep_id="r03") == [deal]
    with pytest.raises(RecordNotFoundError, match="r77"):
        team_ws.add_deal(deal.model_copy(update={"deal_id": "d004", "rep_id": "r77"}))
    with pytest.raises(UnknownStageError):
        team_ws.add_deal(deal.model_copy(update={"deal_id": "d004", "stage": "won"}))
    assert team_ws.counts()["deals"] == 3


def test_load_team_is_all_or_nothing(team_ws: Workspace) -> None:
    before = team_ws.counts()
    reps = [Rep(rep_id="r10", name="New")]
    deals = [Deal(deal_id="d010", rep_id="r10", account="X", name="Y", stage="prospect", close_date=date(2026, 8, 1))]
    duplicate_call = [Call(call_id="c0001", deal_id="d010", rep_id="r10", date=date(2026, 5, 1))]
    with pytest.raises(InvalidInputError, match="call id 'c0001'"):
        team_ws.load_team(reps, deals, duplicate_call)
    orphan = [Call(call_id="c0500", deal_id="d404", rep_id="r10", date=date(2026, 5, 1))]
    with pytest.raises(RecordNotFoundError, match="d404"):
        team_ws.load_team(reps, deals, orphan)
    assert team_ws.counts() == before


def test_new_call_id(team_ws: Workspace) -> None:
    assert team_ws.new_call_id("d001") == "c0005"
    team_ws.save_plan(CallPlan(call_id="c0005", deal_id="d001", rep_id="r01", call_date=date(2026, 4, 1)))
    assert team_ws.new_call_id("d002") == "c0006"
    assert team_ws.new_call_id("d002") == "c0007"  # given out once, never again, even before it is saved
    with pytest.raises(RecordNotFoundError):
        team_ws.new_call_id("d999")


def test_drafts(ws: Workspace) -> None:
    assert ws.load_draft("plan:c0001") is None
    ws.save_draft("plan:c0001", {"objective": "Priya introduces us", "call_date": date(2026, 3, 1), "agenda": ["a"]})
    assert ws.load_draft("plan:c0001") == {"objective": "Priya introduces us", "call_date": "2026-03-01", "agenda": ["a"]}
    ws.save_draft("plan:c0001", {"objective": "changed"})
    assert ws.load_draft("plan:c0001") == {"objective": "changed"}
    ws.delete_draft("plan:c0001")
    assert ws.load_draft("plan:c0001") is None
    with pytest.raises(InvalidInputError):
        ws.save_draft("x", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_exercise_results_filters(ws: Workspace) -> None:
    results = [
        ExerciseResult(rep_id=r, workbook=w, item_id=str(i), score=0.5, passed=i % 2 == 0)
        for i, (r, w) in enumerate([("r01", "01"), ("r01", "02"), ("r02", "01"), ("r01", "01")])
    ]
    for result in results:
        ws.save_exercise_result(result)
    assert ws.exercise_results(rep_id="r01", workbook="01") == [results[0], results[3]]
    assert ws.exercise_results(workbook="01") == [results[0], results[2], results[3]]
    frame = ws.exercise_results_frame(rep_id="r01")
    assert list(frame["item_id"]) == ["0", "1", "3"] and list(frame["passed"]) == [True, False, False]


def test_frames(team_ws: Workspace) -> None:
    import pandas as pd

    reps = team_ws.reps_frame()
    assert list(reps["rep_id"]) == ["r01", "r02"] and reps.loc[0, "name"] == "Zoë Müller"
    deals = team_ws.deals_frame()
    assert list(deals.columns[:6]) == ["deal_id", "rep_id", "account", "name", "stage", "close_date"]
    assert deals.loc[0, "close_date"] == pd.Timestamp("2026-06-30") and list(deals["close_date_changes"]) == [3, 0]
    assert deals.loc[0, "amount"] == 48000.5 and pd.isna(deals.loc[1, "amount"])
    calls = team_ws.calls_frame().set_index("call_id")
    assert list(calls.index) == ["c0003", "c0004", "c0001", "c0002"]
    first = calls.loc["c0001"]
    assert first["has_plan"] and first["agenda_agreed"] and first["planned_steps"] == 2 and first["attendees"] == 3
    assert first["outcome"] == "advance" and first["commitments"] == 2 and first["dated_commitments"] == 1
    assert first["unanswered"] == 0 and first["next_call"] == pd.Timestamp("2026-03-21")
    assert not calls.loc["c0004", "has_plan"] and pd.isna(calls.loc["c0004", "outcome"])
    assert calls.loc["c0003", "outcome"] == "continuation" and calls.loc["c0003", "unanswered"] == 6
    assert list(team_ws.calls_frame(rep_id="r02")["call_id"]) == ["c0003"]
    history = team_ws.close_dates_frame()
    assert len(history) == 3 and set(history["rep_id"]) == {"r01"}
    assert history["close_date"].is_monotonic_increasing


def test_frames_of_an_empty_workspace_have_columns(ws: Workspace) -> None:
    assert "has_plan" in ws.calls_frame().columns and ws.calls_frame().empty
    assert list(ws.close_dates_frame().columns) == ["deal_id", "rep_id", "changed_on", "close_date"]
    assert "answered_at" in ws.exercise_results_frame().columns


def test_importing_the_workspace_module_does_not_import_pandas() -> None:
    code = "import sys, callkit.workspace; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- opening: errors ------------------------------------------------------------------------------------

def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "ws").close()
    with sqlite3.connect(tmp_path / "ws" / DB_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaVersionError, match="newer callkit") as info:
        Workspace.open(tmp_path / "ws")
    assert info.value.found == SCHEMA_VERSION + 1 and info.value.supported == SCHEMA_VERSION


def test_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspaceError, match="is not a callkit workspace"):
        Workspace.open(tmp_path)  # an empty folder
    with pytest.raises(NotAWorkspaceError):
        Workspace.open(tmp_path / "missing")
    other = tmp_path / "other"
    other.mkdir()
    with sqlite3.connect(other / DB_NAME) as conn:  # some other program's SQLite file
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(NotAWorkspaceError):
        Workspace.open(other)
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorkspaceError, match="damaged or is not a callkit database"):
        Workspace.open(junk)


def test_create_refuses_an_existing_workspace_or_a_file(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "ws").close()
    with pytest.raises(WorkspaceError, match="already a callkit workspace"):
        Workspace.create(tmp_path / "ws")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(WorkspaceError, match="is a file, not a folder"):
        Workspace.create(tmp_path / "file.txt")


def test_create_keeps_a_custom_process_and_rejects_a_broken_one(tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / PROCESS_NAME).write_text("stages:\n  - id: meet\n    activities: [Meet]\n  - id: sign\n    activities: [Sign]\n")
    with Workspace.create(custom) as ws:
        assert ws.process.stage_ids == ["meet", "sign"]
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / PROCESS_NAME).write_text("stages: [")
    with pytest.raises(ProcessError, match="not valid YAML"):
        Workspace.create(broken)
    assert sorted(p.name for p in broken.iterdir()) == [PROCESS_NAME]  # nothing half-made is left behind


def test_closed_workspace_says_so(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws")
    ws.close()
    ws.close()  # closing twice is harmless
    with pytest.raises(WorkspaceError, match="is closed"):
        ws.reps()


def test_close_checkpoints_so_a_copied_folder_has_all_data(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws")
    reader = Workspace.open(tmp_path / "ws")  # a second connection: the WAL file is not removed on close
    try:
        ws.load_team(*make_team())
        ws.close()
        assert (tmp_path / "ws" / f"{DB_NAME}-wal").exists()
        shutil.copytree(tmp_path / "ws", tmp_path / "copy", ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    finally:
        reader.close()
    with Workspace.open(tmp_path / "copy") as copy:
        assert copy.counts()["calls"] == 4 and copy.call("c0001") == make_team()[2][0]


# -- two processes writing at once ----------------------------------------------------------------------

def _append_plans(path: str, rep_id: str, deal_id: str, prefix: str, n: int, start) -> None:
    """Worker: wait for the start signal, then save n plans, each in its own transaction."""
    start.wait(timeout=60)
    with Workspace.open(path) as ws:
        for i in range(n):
            ws.save_plan(CallPlan(call_id=f"{prefix}{i:03d}", deal_id=deal_id, rep_id=rep_id,
                                  call_date=date(2026, 5, 1) + timedelta(days=i), objective=f"Plan {i} by {rep_id}"))


def _take_call_ids(path: str, count: int, start, out) -> None:
    start.wait(30)
    with Workspace.open(path) as ws:
        out.put([ws.new_call_id("d001") for _ in range(count)])


def test_two_coaches_asking_for_new_call_ids_at_once_never_share_one(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    with Workspace.create(path) as ws:
        ws.load_team(*make_team())
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_take_call_ids, args=(str(path), 50, start, out)) for _ in range(2)]
    for w in workers:
        w.start()
    start.set()
    given = out.get(timeout=120) + out.get(timeout=120)
    for w in workers:
        w.join(timeout=60)
    assert len(given) == 100 and len(set(given)) == 100


def test_two_processes_appending_plans_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    with Workspace.create(path) as ws:
        ws.load_team(*make_team())
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    workers = [
        ctx.Process(target=_append_plans, args=(str(path), "r01", "d001", "a", 100, start)),
        ctx.Process(target=_append_plans, args=(str(path), "r02", "d002", "b", 100, start)),
    ]
    for w in workers:
        w.start()
    start.set()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Workspace.open(path) as ws:
        ids = {c.call_id for c in ws.calls()}
        assert ws.counts()["plans"] == 2 + 200
        assert {f"a{i:03d}" for i in range(100)} | {f"b{i:03d}" for i in range(100)} <= ids
        assert ws.plan("b099").objective == "Plan 99 by r02"


# -- the sample team --------------------------------------------------------------------------------------

def test_create_with_the_sample_team(tmp_path: Path) -> None:
    sample = pytest.importorskip("callkit.sample")
    team = sample.make_sample_team(reps=3)
    with Workspace.create(tmp_path / "ws", sample=True, reps=3) as ws:
        assert ws.reps() == team.reps
        assert ws.deals() == team.deals
        assert ws.calls() == sorted(team.calls, key=lambda c: (c.date, c.call_id))
    with pytest.raises(InvalidInputError, match="at least 1 rep"):
        Workspace.create(tmp_path / "none", sample=True, reps=0)
    assert not (tmp_path / "none").exists()


# -- deal actions: move, won, lost, reopened ----------------------------------------------------------------

def _stage_rows(ws: Workspace) -> int:
    return sum(len(d.stage_history) for d in ws.deals())


def _imported_as(tmp_path: Path, name: str, edit, as_of: date) -> Deal:
    """d001 after a re-import of the team's deals.csv with `edit` applied to its row: what an import records."""
    import csv

    with Workspace.create(tmp_path / name) as other:
        other.load_team(*make_team())
        out = tmp_path / f"{name}-csv"
        other.export_csv(out)
        rows = list(csv.DictReader((out / "deals.csv").open(encoding="utf-8-sig")))
        for row in rows:
            if row["deal_id"] == "d001":
                edit(row)
        with (out / "deals.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        other.import_files(out / "deals.csv", as_of=as_of)
        return other.deal("d001")


def test_move_deal_records_the_stage_history_as_an_import_does(team_ws: Workspace, tmp_path: Path) -> None:
    seen = team_ws.deal("d001")
    moved = team_ws.move_deal("d001", "validate", on=date(2026, 4, 20), seen=seen)
    assert moved == team_ws.deal("d001") and moved.stage == "validate" and moved.is_open
    assert [(s.changed_on, s.stage, s.status) for s in moved.stage_history] == [
        (date(2026, 1, 12), "discover", "open"), (date(2026, 4, 20), "validate", "open")]  # from creation, then the move
    imported = _imported_as(tmp_path, "twin", lambda row: row.update(stage="validate"), date(2026, 4, 20))
    assert imported.stage_history == moved.stage_history
    from callkit.deals import stage_entered

    assert stage_entered(moved) == date(2026, 4, 20)
    later = team_ws.move_deal("d001", "propose", on="2026-05-02")
    assert len(later.stage_history) == 3 and later.stage_history[-1].changed_on == date(2026, 5, 2)


def test_close_deal_won_and_lost_and_reopen(team_ws: Workspace, tmp_path: Path) -> None:
    lost = team_ws.close_deal("d001", "lost", on=date(2026, 4, 20), reason="  Chose  Sensio ")
    assert (lost.status, lost.stage, lost.closed_on, lost.lost_reason) == ("lost", "discover", date(2026, 4, 20),
                                                                          "Chose Sensio")
    imported = _imported_as(tmp_path, "twin", lambda row: row.update(status="lost", closed_on="2026-04-20",
                                                                     lost_reason="Chose Sensio"), date(2026, 4, 20))
    assert imported.stage_history == lost.stage_history and imported.status == "lost"
    reopened = team_ws.reopen_deal("d001", on=date(2026, 4, 22))
    assert (reopened.status, reopened.stage, reopened.closed_on, reopened.lost_reason) == ("open", "discover", None, None)
    assert reopened.stage_history[-1] == lost.stage_history[-1].model_copy(
        update={"changed_on": date(2026, 4, 22), "status": "open"})
    won = team_ws.close_deal("d001", "won", on=date(2026, 4, 30))
    assert (won.status, won.stage, won.lost_reason) == ("won", "close", None)
    back = team_ws.reopen_deal("d001", on=date(2026, 5, 1))
    assert back.stage == "discover"  # the stage it was in before it was won
    elsewhere = team_ws.reopen_deal(team_ws.close_deal("d002", "won", on=date(2026, 5, 1)).deal_id, stage="negotiate",
                                    on=date(2026, 5, 2))
    assert elsewhere.stage == "negotiate" and elsewhere.is_open


@pytest.mark.parametrize("action, problem", [
    (lambda ws: ws.move_deal("d001", "pilot"), "Unknown stage 'pilot': use one of prospect"),
    (lambda ws: ws.move_deal("d999", "validate"), "There is no deal with id 'd999'"),
    (lambda ws: ws.move_deal("d001", "discover"), "The deal is already in Discover: choose another stage."),
    (lambda ws: ws.close_deal("d001", "lost"), "Say why the deal was lost"),
    (lambda ws: ws.close_deal("d001", "lost", reason="   "), "Say why the deal was lost"),
    (lambda ws: ws.close_deal("d001", "closed", reason="x"), "A deal is closed as won or lost, not 'closed'."),
    (lambda ws: ws.reopen_deal("d001"), "This deal is already open."),
    (lambda ws: ws.move_deal("d001", "validate", on="soon"), "The change date must be a date like 2026-03-14."),
    (lambda ws: ws.move_deal("d001", "validate", on=date(2025, 12, 1)), "before the deal was created (Mon 12 Jan 2026)"),
])
def test_deal_actions_refuse_with_one_sentence_and_write_nothing(team_ws: Workspace, action, problem: str) -> None:
    before, rows = team_ws.deal("d001"), _stage_rows(team_ws)
    with pytest.raises((InvalidInputError, UnknownStageError, RecordNotFoundError)) as caught:
        action(team_ws)
    message = str(caught.value)
    assert problem in message and message.count(". ") == 0 and message.endswith(".")
    assert team_ws.deal("d001") == before and _stage_rows(team_ws) == rows


def test_a_closed_deal_must_be_reopened_before_it_moves_or_closes_again(team_ws: Workspace) -> None:
    team_ws.close_deal("d001", "won", on=date(2026, 4, 20))
    with pytest.raises(InvalidInputError, match="This deal is already won: reopen it before moving it to another stage."):
        team_ws.move_deal("d001", "validate", on=date(2026, 4, 21))
    with pytest.raises(InvalidInputError, match="This deal is already won: reopen it before marking it lost."):
        team_ws.close_deal("d001", "lost", on=date(2026, 4, 21), reason="Changed their mind")
    with pytest.raises(InvalidInputError, match=r"cannot be before the deal's last change of stage \(Mon 20 Apr 2026\)"):
        team_ws.reopen_deal("d001", on=date(2026, 4, 1))


def test_a_stale_page_cannot_overwrite_a_newer_change(team_ws: Workspace, tmp_path: Path) -> None:
    from callkit.deals import DealChangedError

    page = team_ws.deal("d001")
    with Workspace.open(team_ws.path) as other_coach:
        other_coach.move_deal("d001", "solution", on=date(2026, 4, 10), seen=other_coach.deal("d001"))
    rows = _stage_rows(team_ws)
    for write in (lambda: team_ws.move_deal("d001", "validate", on=date(2026, 4, 20), seen=page),
                  lambda: team_ws.close_deal("d001", "lost", on=date(2026, 4, 20), reason="No budget", seen=page)):
        with pytest.raises(DealChangedError, match=r"changed this deal since the page showed it \(now in Solution\)") as caught:
            write()
        assert isinstance(caught.value, WorkspaceError) and caught.value.theirs == team_ws.deal("d001")
    assert team_ws.deal("d001").stage == "solution" and _stage_rows(team_ws) == rows
    assert team_ws.move_deal("d001", "validate", on=date(2026, 4, 20), seen=team_ws.deal("d001")).stage == "validate"


def test_stage_norms_read_from_the_history_match_the_deals_and_follow_a_move(team_ws: Workspace,
                                                                             sample_ws_path: Path) -> None:
    from callkit.deals import stage_norms
    from callkit.models import StageChange

    with Workspace.open(sample_ws_path) as sample:  # only read
        assert sample.stage_norms() and sample.stage_norms() == stage_norms(sample.deals())
    start = date(2026, 2, 1)
    for n, days in enumerate((10, 20, 30)):
        team_ws.add_deal(Deal(deal_id=f"n{n}", rep_id="r01", name="x", stage="solution", created=start, stage_history=[
            StageChange(changed_on=start, stage="discover"),
            StageChange(changed_on=start + timedelta(days=days), stage="solution")]))
    assert team_ws.stage_norms() == {"discover": 20.0} == stage_norms(team_ws.deals())
    team_ws.move_deal("d001", "solution", on=date(2026, 3, 14))  # in Discover since it was created on 12 Jan: 61 days
    assert team_ws.stage_norms() == {"discover": 25.0} == stage_norms(team_ws.deals())


def test_the_workspace_reads_its_settings_file(ws: Workspace) -> None:
    (ws.path / "settings.yaml").write_text("time_zone: Asia/Tokyo\n", encoding="utf-8")
    assert ws.settings.time_zone == "Asia/Tokyo"
