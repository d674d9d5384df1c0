"""Imports into a workspace: a CRM export or callkit's own CSV files, checked first (every problem collected),
then written in one transaction; deals already there are updated and the import is kept as a dated snapshot.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from pydantic_core import to_json

from ..csv_io import ImportSummary
from ..exceptions import DamagedRecordError, InvalidInputError, WorkspaceError
from ..models import ExerciseResult
from .connection import activity, now
from .writes import RecordWrites, check_call, deal_row

if TYPE_CHECKING:  # pragma: no cover
    from ..crm.export import Problems
    from ..crm.refresh import ImportPlan


@dataclass
class ExtrasPlan:
    """The exercise answers and drafts an import brings (from callkit's export), checked; nothing written yet."""

    exercise_results: list[ExerciseResult]
    drafts: list[tuple[str, dict, str]]
    problems: "Problems"  # every problem found, by file, row and column
    warnings: list[str]
    skipped: int = 0  # answers and drafts the workspace already has

    @property
    def summary(self) -> dict[str, int]:
        return {"exercise_results": len(self.exercise_results), "drafts": len(self.drafts), "already_there": self.skipped}


class _Asked(set):
    """The workspace's call ids, remembering which ones an import asked about (the ids it already has)."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.hits: set[str] = set()

    def __contains__(self, value: object) -> bool:
        found = super().__contains__(value)
        if found and isinstance(value, str):
            self.hits.add(value)
        return found


class Imports(RecordWrites):
    """Checking and applying imports."""

    def plan_import(self, deals: str | Path, *, reps: str | Path | None = None, calls: str | Path | None = None,
                    close_dates: str | Path | None = None, stage_changes: str | Path | None = None,
                    columns: str | Path | None = None, as_of: date | None = None) -> "ImportPlan":
        """Read and check an import (a deals export, and optionally reps, calls, close dates, stage changes, a mapping file)
        against this workspace; every problem is collected in the plan's `problems`; nothing is written."""
        from ..crm.refresh import Existing, plan_import

        def check(replaceable: set[str]) -> "ImportPlan":
            with self._read() as conn:
                asked = _Asked(r[0] for r in conn.execute("SELECT call_id FROM calls") if r[0] not in replaceable)
                existing = Existing(
                    reps=self.reps(), deals={d.deal_id: d for d in self.deals()}, calls=asked,
                    last_snapshot={r[0] for r in conn.execute(
                        "SELECT deal_id FROM snapshot_deals WHERE import_id = (SELECT MAX(import_id) FROM imports)")},
                    first_seen={r[0]: date.fromisoformat(r[1]) for r in conn.execute(
                        "SELECT s.deal_id, MIN(i.as_of) FROM snapshot_deals s JOIN imports i ON i.import_id = s.import_id "
                        "GROUP BY s.deal_id")},
                )
            plan = plan_import(deals, self.process, existing, reps=reps, calls=calls, close_dates=close_dates,
                               stage_changes=stage_changes, columns=columns, as_of=as_of)
            if asked.hits and not replaceable:  # ids already here: a damaged call may be imported again
                with self._read() as conn:
                    damaged = self._damaged_calls(conn, asked.hits)
                if damaged:
                    return check(damaged)
            return plan

        return check(set())

    def _damaged_calls(self, conn: sqlite3.Connection, call_ids: Iterable[str]) -> set[str]:
        """Of these call ids, the ones whose stored plan or debrief cannot be read back."""
        out: set[str] = set()
        for call_id in call_ids:
            row = conn.execute(f"{self._CALL_SQL} WHERE c.call_id = ?", (call_id,)).fetchone()
            try:
                if row is not None:
                    self._call(row)
            except DamagedRecordError:
                out.add(call_id)
        return out

    def plan_extras(self, *, exercise_results: str | Path | None = None, drafts: str | Path | None = None,
                    plan: "ImportPlan | None" = None) -> ExtrasPlan:
        """Read and check exercise_results.csv and drafts.csv (from `callkit export`) against this workspace and
        the import `plan` (its new reps); answers and drafts the workspace already has are skipped; nothing is written."""
        from ..crm.export import Problems
        from ..csv_io import read_drafts, read_exercise_results, read_table

        problems = Problems()
        extras = ExtrasPlan([], [], problems, [])
        with self._read() as conn:
            rep_ids = {r[0] for r in conn.execute("SELECT rep_id FROM reps")}
            if plan is not None:
                rep_ids |= {r.rep_id for r in plan.new_reps}
            if exercise_results is not None:
                table = read_table(exercise_results, "exercise_results")
                extras.warnings += table.warnings
                reps_file = (plan.source.get("reps") if plan is not None else None) or "the reps file"
                stored = {r[0] for r in conn.execute("SELECT json FROM exercise_results")}
                for result in read_exercise_results(table, rep_ids, reps_file, problems):
                    if result.model_dump_json() in stored:
                        extras.skipped += 1
                    else:
                        extras.exercise_results.append(result)
            if drafts is not None:
                table = read_table(drafts, "drafts")
                extras.warnings += table.warnings
                newer = {r[0]: r[1] for r in conn.execute("SELECT key, updated_at FROM drafts")}
                for key, data, updated_at in read_drafts(table, problems):
                    if key in newer and newer[key] >= updated_at:
                        extras.skipped += 1  # the workspace's own draft is as new or newer: it stays
                    else:
                        extras.drafts.append((key, data, updated_at))
        return extras

    def apply_import(self, plan: "ImportPlan", extras: ExtrasPlan | None = None) -> None:
        """Write a checked import in one transaction: new and changed reps, new and updated deals with their
        history, calls (a call whose stored plan or debrief was damaged is replaced), the dated snapshot, and the
        exercise answers and drafts of `extras`. A plan with problems is refused with the first of them."""
        if plan.problems:
            raise plan.problems.first()
        if extras is not None and extras.problems:
            raise extras.problems.first()
        for deal in [*plan.new_deals, *(u.deal for u in plan.updates)]:
            self._check_stage(deal.stage)
        for call in plan.calls:
            check_call(call)
        try:
            with self._write() as conn, activity(self.path, "an import"):
                incoming = [c.call_id for c in plan.calls]
                there = {r[0] for r in conn.execute("SELECT call_id FROM calls")} & set(incoming) if incoming else set()
                if there:
                    if self._damaged_calls(conn, there) != there:
                        raise sqlite3.IntegrityError("a call of this import was saved meanwhile")
                    for table in ("plans", "debriefs", "calls"):
                        conn.executemany(f"DELETE FROM {table} WHERE call_id = ?", [(i,) for i in sorted(there)])
                if extras is not None:
                    self._insert_extras(conn, extras)
                self._insert_reps(conn, plan.new_reps)
                conn.executemany("UPDATE reps SET name = ?, email = ?, team = ?, manager = ? WHERE rep_id = ?",
                                 [(r.name, r.email, r.team, r.manager, r.rep_id) for r in plan.changed_reps])
                self._insert_deals(conn, plan.new_deals)
                conn.executemany(
                    "UPDATE deals SET rep_id = ?, account = ?, name = ?, stage = ?, close_date = ?, amount = ?, created = ?, "
                    "status = ?, closed_on = ?, lost_reason = ? WHERE deal_id = ?",
                    [(*deal_row(u.deal)[1:], u.deal.deal_id) for u in plan.updates])
                closes = [(u.deal.deal_id, c) for u in plan.updates for c in (u.baseline_close, u.close_change) if c]
                conn.executemany("INSERT INTO close_dates (deal_id, changed_on, close_date) VALUES (?, ?, ?)",
                                 [(i, c.changed_on.isoformat(), c.close_date.isoformat()) for i, c in closes])
                moves = [(u.deal.deal_id, s) for u in plan.updates for s in (u.baseline_stage, u.stage_change) if s]
                conn.executemany("INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
                                 [(i, s.changed_on.isoformat(), s.stage, s.status) for i, s in moves])
                conn.executemany(
                    "INSERT INTO calls (call_id, deal_id, rep_id, date) VALUES (?, ?, ?, ?)",
                    [(c.call_id, c.deal_id, c.rep_id, c.date.isoformat()) for c in plan.calls],
                )
                self._upsert_plans(conn, [c.plan for c in plan.calls if c.plan is not None])
                self._upsert_debriefs(conn, [c.debrief for c in plan.calls if c.debrief is not None])
                if plan.history:
                    self._append_history(conn, plan.history)
                conn.executemany("INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
                                 [(i, s.changed_on.isoformat(), s.stage, s.status)
                                  for i, moves in plan.stage_history.items() for s in moves])
                cursor = conn.execute("INSERT INTO imports (as_of, imported_at, source, summary) VALUES (?, ?, ?, ?)",
                                      (plan.as_of.isoformat(), now(), json.dumps(plan.source), json.dumps(plan.summary)))
                conn.executemany("INSERT INTO snapshot_deals (import_id, deal_id, stage, status, close_date, amount) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", [(cursor.lastrowid, *row) for row in plan.snapshot])
        except sqlite3.IntegrityError:
            raise WorkspaceError(self.path, "the workspace changed while this import was checked (someone else imported "
                                            "or saved at the same time): run the import again.") from None

    def _insert_extras(self, conn: sqlite3.Connection, extras: ExtrasPlan) -> None:
        conn.executemany(
            "INSERT INTO exercise_results (rep_id, workbook, item_id, passed, score, answered_at, json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r.rep_id, r.workbook, r.item_id, int(r.passed), r.score, r.answered_at.isoformat() if r.answered_at else None,
              r.model_dump_json()) for r in extras.exercise_results])
        conn.executemany(
            "INSERT INTO drafts (key, json, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            [(key, to_json(data).decode(), updated_at or now()) for key, data, updated_at in extras.drafts])

    def import_files(self, deals: str | Path, *, reps: str | Path | None = None, calls: str | Path | None = None,
                     close_dates: str | Path | None = None, stage_changes: str | Path | None = None,
                     columns: str | Path | None = None, as_of: date | None = None,
                     exercise_results: str | Path | None = None, drafts: str | Path | None = None) -> "ImportPlan":
        """Import a CRM export or callkit's CSV files, all or nothing: check everything, then write it in one
        transaction. Deals already in the workspace are updated; the import is kept as a dated snapshot.
        exercise_results.csv and drafts.csv (from `callkit export`) bring back the reps' progress and the drafts."""
        plan = self.plan_import(deals, reps=reps, calls=calls, close_dates=close_dates, stage_changes=stage_changes,
                                columns=columns, as_of=as_of)
        extras = None
        if exercise_results is not None or drafts is not None:
            extras = self.plan_extras(exercise_results=exercise_results, drafts=drafts, plan=plan)
        self.apply_import(plan, extras)
        if extras is not None:
            plan.warnings += extras.warnings
        return plan

    def import_csv(self, reps: str | Path | None = None, deals: str | Path | None = None,
                   calls: str | Path | None = None, close_dates: str | Path | None = None,
                   stage_changes: str | Path | None = None, exercise_results: str | Path | None = None,
                   drafts: str | Path | None = None) -> ImportSummary:
        """callkit's own CSV files, in the order export_csv returns them (see import_files): what was imported,
        and the warnings; `import_csv(*ws.export_csv(folder))` rebuilds a workspace."""
        if deals is None:
            raise InvalidInputError({"deals": "An import needs a deals file."}, what="import")
        plan = self.import_files(deals, reps=reps, calls=calls, close_dates=close_dates, stage_changes=stage_changes,
                                 exercise_results=exercise_results, drafts=drafts)
        return ImportSummary(counts=plan.summary, warnings=plan.warnings)

