"""Writing a workspace's records, one transaction each: reps, deals, calls with their plans and debriefs, close
dates, exercise answers, drafts, and the call ids handed out for new plans.

A plan or debrief saved by someone else since the page opened it is an EditConflictError: nothing is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from pydantic_core import to_json

from ..exceptions import EditConflictError, InvalidInputError, RecordNotFoundError
from ..models import Call, CallPlan, CloseDateChange, Deal, Debrief, ExerciseResult, Rep, build
from .connection import activity, now, nothing
from .records import RecordReads, iso

ANY_VERSION = object()  # save_plan / save_debrief without a version check (imports, scripts)


@dataclass(frozen=True)
class _CallRow:
    call_id: str
    deal_id: str
    rep_id: str
    date: str


def _when(record: Any, verb: str = "") -> str:
    """' at 10:42' (or ', saved at 10:42') from a plan's or debrief's updated_at, or ''."""
    stamp = getattr(record, "updated_at", None)
    if stamp is None:
        return ""
    return f"{', ' + verb if verb else ''} at {stamp:%H:%M}" if stamp.date() == date.today() else \
        f"{', ' + verb if verb else ''} on {stamp:%d %b %Y at %H:%M}"


class RecordWrites(RecordReads):
    """The writes of a workspace: each is one transaction, all or nothing."""

    # -- one transaction each ---------------------------------------------------------------
    def add_rep(self, rep: Rep) -> None:
        """Add a new rep; an id already in the workspace raises InvalidInputError."""
        self.load_team([rep], [], [])

    def add_deal(self, deal: Deal) -> None:
        """Add a new deal (with its close-date history); its rep must exist and its stage be in the process."""
        self.load_team([], [deal], [])

    def save_call(self, call: Call, *, new_close_date: date | None = None) -> None:
        """Store a call as given: its plan and debrief are replaced (None removes them). `new_close_date`, as in
        save_debrief, is recorded in the same transaction."""
        check_call(call)
        with self._write() as conn:
            self._require(conn, "deal", call.deal_id)
            self._require(conn, "rep", call.rep_id)
            self._upsert_call(conn, _CallRow(call.call_id, call.deal_id, call.rep_id, call.date.isoformat()))
            if call.plan is None:
                conn.execute("DELETE FROM plans WHERE call_id = ?", (call.call_id,))
            else:
                self._upsert_plans(conn, [call.plan])
            if call.debrief is None:
                conn.execute("DELETE FROM debriefs WHERE call_id = ?", (call.call_id,))
            else:
                self._upsert_debriefs(conn, [call.debrief])
            self._move_close_date(conn, call.call_id, new_close_date)

    def save_plan(self, plan: CallPlan, *, replaces: CallPlan | None | object = ANY_VERSION) -> None:
        """Insert or replace a plan; creates (or moves) its call from the plan's call id, deal, rep and date.

        `replaces` is the version the page opened (None for a new plan): when the plan in the workspace is no
        longer that version, someone else saved meanwhile and EditConflictError (with their version) is raised,
        writing nothing. A new plan is also refused when the deal already has another open planned call (planned,
        not debriefed) on the same date: a deal never gets two of them.
        """
        with self._write() as conn:
            self._require(conn, "deal", plan.deal_id)
            self._require(conn, "rep", plan.rep_id)
            if replaces is not ANY_VERSION:
                self._check_version(conn, "plan", plan.call_id, replaces)
            self._check_one_open_plan(conn, plan)
            self._upsert_call(conn, _CallRow(plan.call_id, plan.deal_id, plan.rep_id, plan.call_date.isoformat()))
            self._upsert_plans(conn, [plan])

    def save_debrief(self, debrief: Debrief, *, replaces: Debrief | None | object = ANY_VERSION,
                     new_close_date: date | None = None) -> None:
        """Insert or replace a debrief; its call must exist (RecordNotFoundError otherwise). `replaces` as in
        save_plan: a debrief saved by someone else since the page opened it raises EditConflictError.

        `new_close_date` is the forecast close date the call moved the deal to: it is added to the deal's
        history (dated the call's date) in the same transaction, so the debrief and its close date are saved
        together or not at all."""
        with self._write() as conn:
            self._require(conn, "call", debrief.call_id)
            if replaces is not ANY_VERSION:
                self._check_version(conn, "debrief", debrief.call_id, replaces)
            self._upsert_debriefs(conn, [debrief])
            self._move_close_date(conn, debrief.call_id, new_close_date)

    def _move_close_date(self, conn: sqlite3.Connection, call_id: str, close_date: date | None) -> None:
        if close_date is None:
            return
        deal_id, on = conn.execute("SELECT deal_id, date FROM calls WHERE call_id = ?", (call_id,)).fetchone()
        change = build(CloseDateChange, {"changed_on": on, "close_date": close_date})
        self._append_history(conn, {deal_id: [change]})

    def _check_version(self, conn: sqlite3.Connection, kind: str, call_id: str, expected: Any) -> None:
        model = CallPlan if kind == "plan" else Debrief
        row = conn.execute(f"SELECT json FROM {kind}s WHERE call_id = ?", (call_id,)).fetchone()
        current = self._stored(model, row[0], call_id) if row else None
        if current == expected:
            return
        if current is None:
            raise EditConflictError(kind, call_id, None, f"This {kind} was deleted by someone else since you opened it: "
                                    "save it again to keep yours.")
        raise EditConflictError(kind, call_id, current, f"Someone else saved this {kind}{_when(current)} since you opened "
                                "it: compare the two versions and choose which one to keep.")

    def _check_one_open_plan(self, conn: sqlite3.Connection, plan: CallPlan) -> None:
        row = conn.execute(
            "SELECT p.json, c.call_id FROM calls c JOIN plans p ON p.call_id = c.call_id "
            "LEFT JOIN debriefs d ON d.call_id = c.call_id "
            "WHERE c.deal_id = ? AND c.date = ? AND c.call_id != ? AND d.call_id IS NULL ORDER BY c.call_id LIMIT 1",
            (plan.deal_id, plan.call_date.isoformat(), plan.call_id)).fetchone()
        if row is not None:
            theirs = self._stored(CallPlan, row[0], row[1])
            raise EditConflictError("plan", row[1], theirs, f"This deal already has a planned call on "
                                    f"{plan.call_date.isoformat()}{_when(theirs, 'saved')}: compare the two plans and "
                                    "choose which one to keep.")

    def record_close_date(self, deal_id: str, close_date: date | str, changed_on: date | str | None = None) -> None:
        """A new forecast close date: appended to the deal's history and made its current close date."""
        change = build(CloseDateChange, {"changed_on": changed_on or date.today(), "close_date": close_date})
        with self._write() as conn:
            self._require(conn, "deal", deal_id)
            self._append_history(conn, {deal_id: [change]})

    def set_stage(self, deal_id: str, stage: str) -> None:
        """Move a deal to another stage of the process (UnknownStageError lists the valid ids)."""
        self._check_stage(stage)
        with self._write() as conn:
            self._require(conn, "deal", deal_id)
            conn.execute("UPDATE deals SET stage = ? WHERE deal_id = ?", (stage, deal_id))

    def load_team(
        self,
        reps: Sequence[Rep],
        deals: Sequence[Deal],
        calls: Sequence[Call],
        history: Mapping[str, Sequence[CloseDateChange]] | None = None,
    ) -> None:
        """Add reps, deals and calls in one transaction (all or nothing); `history` appends close-date
        changes to deals already in the workspace. Ids must be new; references must resolve."""
        for deal in deals:
            self._check_stage(deal.stage)
        for call in calls:
            check_call(call)
        with self._write() as conn, activity(self.path, "loading a team") if len(calls) > 1000 else nothing():
            self._check_team(conn, reps, deals, calls, history or {})
            self._insert_reps(conn, reps)
            self._insert_deals(conn, deals)
            conn.executemany(
                "INSERT INTO calls (call_id, deal_id, rep_id, date) VALUES (?, ?, ?, ?)",
                [(c.call_id, c.deal_id, c.rep_id, c.date.isoformat()) for c in calls],
            )
            self._upsert_plans(conn, [c.plan for c in calls if c.plan is not None])
            self._upsert_debriefs(conn, [c.debrief for c in calls if c.debrief is not None])
            if history:
                self._append_history(conn, history)

    def save_exercise_result(self, result: ExerciseResult) -> None:
        """Append one exercise answer (earlier attempts are kept)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO exercise_results (rep_id, workbook, item_id, passed, score, answered_at, json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    result.rep_id, result.workbook, result.item_id, int(result.passed), result.score,
                    result.answered_at.isoformat() if result.answered_at else None, result.model_dump_json(),
                ),
            )

    def save_draft(self, key: str, data: dict) -> None:
        """Keep a half-filled form under `key` (replacing any earlier draft); dates are stored as ISO text."""
        if not isinstance(data, dict):
            raise InvalidInputError({"data": "A draft must be the form's fields as a dict."}, what="draft")
        payload = to_json(data, fallback=str).decode()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO drafts (key, json, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
                (key, payload, now()),
            )

    def delete_draft(self, key: str) -> None:
        """Forget a draft (nothing happens if there is none)."""
        with self._write() as conn:
            conn.execute("DELETE FROM drafts WHERE key = ?", (key,))

    def new_call_id(self, deal_id: str) -> str:
        """A call id nobody has used or been given yet ('c0251' after 'c0250'); the deal must exist.

        The id is reserved in the same write transaction, so two coaches saving new plans at the same
        moment never get the same id (and never overwrite each other's plan).
        """
        with self._write() as conn:
            self._require(conn, "deal", deal_id)
            ids = [r[0] for r in conn.execute("SELECT call_id FROM calls WHERE call_id GLOB 'c[0-9]*'")]
            used = {r[0] for r in conn.execute("SELECT call_id FROM calls")}
            reserved = conn.execute("SELECT next FROM id_reservations WHERE kind = 'call'").fetchone()
            n = max(max((int(i[1:]) for i in ids if i[1:].isdigit()), default=0) + 1, reserved[0] if reserved else 1)
            while f"c{n:04d}" in used:
                n += 1
            conn.execute(
                "INSERT INTO id_reservations (kind, next) VALUES ('call', ?) "
                "ON CONFLICT(kind) DO UPDATE SET next = excluded.next",
                (n + 1,),
            )
        return f"c{n:04d}"

    # -- write helpers (run inside a transaction) ------------------------------------------------------
    def _check_team(
        self,
        conn: sqlite3.Connection,
        reps: Sequence[Rep],
        deals: Sequence[Deal],
        calls: Sequence[Call],
        history: Mapping[str, Sequence[CloseDateChange]],
    ) -> None:
        rep_ids = {r[0] for r in conn.execute("SELECT rep_id FROM reps")}
        deal_ids = {r[0] for r in conn.execute("SELECT deal_id FROM deals")}
        call_ids = {r[0] for r in conn.execute("SELECT call_id FROM calls")}
        for deal_id in history:
            if deal_id not in deal_ids:
                raise RecordNotFoundError("deal", deal_id)
        for kind, ids, existing in (
            ("rep", [r.rep_id for r in reps], rep_ids),
            ("deal", [d.deal_id for d in deals], deal_ids),
            ("call", [c.call_id for c in calls], call_ids),
        ):
            for record_id in ids:
                if record_id in existing:
                    raise _duplicate(kind, record_id)
                existing.add(record_id)
        for deal in deals:
            if deal.rep_id not in rep_ids:
                raise RecordNotFoundError("rep", deal.rep_id)
        for call in calls:
            if call.deal_id not in deal_ids:
                raise RecordNotFoundError("deal", call.deal_id)
            if call.rep_id not in rep_ids:
                raise RecordNotFoundError("rep", call.rep_id)

    @staticmethod
    def _insert_reps(conn: sqlite3.Connection, reps: Iterable[Rep]) -> None:
        conn.executemany(
            "INSERT INTO reps (rep_id, name, email, team, manager) VALUES (?, ?, ?, ?, ?)",
            [(r.rep_id, r.name, r.email, r.team, r.manager) for r in reps],
        )

    @staticmethod
    def _insert_deals(conn: sqlite3.Connection, deals: Sequence[Deal]) -> None:
        conn.executemany(
            "INSERT INTO deals (deal_id, rep_id, account, name, stage, close_date, amount, created, status, closed_on, "
            "lost_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [deal_row(d) for d in deals],
        )
        conn.executemany(
            "INSERT INTO close_dates (deal_id, changed_on, close_date) VALUES (?, ?, ?)",
            [(d.deal_id, h.changed_on.isoformat(), h.close_date.isoformat()) for d in deals for h in d.close_date_history],
        )
        conn.executemany(
            "INSERT INTO stage_changes (deal_id, changed_on, stage, status) VALUES (?, ?, ?, ?)",
            [(d.deal_id, s.changed_on.isoformat(), s.stage, s.status) for d in deals for s in d.stage_history],
        )

    @staticmethod
    def _append_history(conn: sqlite3.Connection, history: Mapping[str, Sequence[CloseDateChange]]) -> None:
        for deal_id, changes in history.items():
            conn.executemany(
                "INSERT INTO close_dates (deal_id, changed_on, close_date) VALUES (?, ?, ?)",
                [(deal_id, h.changed_on.isoformat(), h.close_date.isoformat()) for h in changes],
            )
            if changes:
                conn.execute(
                    "UPDATE deals SET close_date = ? WHERE deal_id = ?", (changes[-1].close_date.isoformat(), deal_id)
                )

    @staticmethod
    def _upsert_call(conn: sqlite3.Connection, row: _CallRow) -> None:
        conn.execute(
            "INSERT INTO calls (call_id, deal_id, rep_id, date) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) DO UPDATE "
            "SET deal_id = excluded.deal_id, rep_id = excluded.rep_id, date = excluded.date",
            (row.call_id, row.deal_id, row.rep_id, row.date),
        )

    @staticmethod
    def _upsert_plans(conn: sqlite3.Connection, plans: Sequence[CallPlan]) -> None:
        _upsert_json(conn, "plans", "objective", [(p.call_id, p.objective, p.model_dump_json()) for p in plans])

    @staticmethod
    def _upsert_debriefs(conn: sqlite3.Connection, debriefs: Sequence[Debrief]) -> None:
        _upsert_json(conn, "debriefs", "outcome", [(d.call_id, d.outcome, d.model_dump_json()) for d in debriefs])


def _upsert_json(conn: sqlite3.Connection, table: str, column: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """Insert or replace plans or debriefs: (call id, the column queries filter on, the model's JSON) per record."""
    saved_at = now()
    conn.executemany(
        f"INSERT INTO {table} (call_id, {column}, json, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) "
        f"DO UPDATE SET {column} = excluded.{column}, json = excluded.json, saved_at = excluded.saved_at",
        [(*row, saved_at) for row in rows],
    )


def deal_row(d: Deal) -> tuple[Any, ...]:
    """The deals table's columns for one deal (in the order of RecordReads._DEAL_SQL)."""
    return (d.deal_id, d.rep_id, d.account, d.name, d.stage, iso(d.close_date), d.amount, iso(d.created), d.status,
            iso(d.closed_on), d.lost_reason)


def _duplicate(kind: str, record_id: str) -> InvalidInputError:
    return InvalidInputError({f"{kind}_id": f"The {kind} id {record_id!r} is already in this workspace."}, what=kind)


def check_call(call: Call) -> None:
    """A call's plan and debrief must belong to it (same call id; the plan's deal, rep and date match)."""
    plan, debrief = call.plan, call.debrief
    if plan is not None and (plan.call_id, plan.deal_id, plan.rep_id, plan.call_date) != (
        call.call_id, call.deal_id, call.rep_id, call.date
    ):
        raise InvalidInputError(
            {"plan": f"The plan of call {call.call_id!r} has another call id, deal, rep or date than the call."},
            what="call",
        )
    if debrief is not None and debrief.call_id != call.call_id:
        raise InvalidInputError(
            {"debrief": f"The debrief of call {call.call_id!r} belongs to call {debrief.call_id!r}."}, what="call"
        )
