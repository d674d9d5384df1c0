"""Reading a workspace's records: reps, deals with their history, calls with their plans and debriefs, saved
exercise answers, drafts and import snapshots. A stored record that cannot be read back is a DamagedRecordError
naming it."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..exceptions import DamagedRecordError, RecordNotFoundError
from ..models import Call, CallPlan, Deal, Debrief, ExerciseResult, Rep
from .transactions import WorkspaceBase

M = TypeVar("M", bound=BaseModel)


def iso(value: date | None) -> str | None:
    """A date as ISO text for a column, or None."""
    return value.isoformat() if value is not None else None


class RecordReads(WorkspaceBase):
    """The reads of a workspace (every one sees one consistent snapshot)."""

    # -- reps and deals ----------------------------------------------------------------------
    def reps(self) -> list[Rep]:
        """Every rep, in the order they were added."""
        rows = self._db.execute("SELECT rep_id, name, email, team, manager FROM reps ORDER BY rowid").fetchall()
        return [Rep.model_validate(dict(r)) for r in rows]

    def rep(self, rep_id: str) -> Rep:
        """One rep; RecordNotFoundError if the id is unknown."""
        row = self._db.execute("SELECT rep_id, name, email, team, manager FROM reps WHERE rep_id = ?", (rep_id,)).fetchone()
        if row is None:
            raise RecordNotFoundError("rep", rep_id)
        return Rep.model_validate(dict(row))

    _DEAL_SQL = ("SELECT deal_id, rep_id, account, name, stage, close_date, amount, created, status, closed_on, "
                 "lost_reason FROM deals")

    def deals(self, rep_id: str | None = None) -> list[Deal]:
        """Every deal (or one rep's), with its close-date and stage history, in the order they were added."""
        where, params = ("WHERE rep_id = ?", (rep_id,)) if rep_id is not None else ("", ())
        scope = " WHERE deal_id IN (SELECT deal_id FROM deals WHERE rep_id = ?)" if rep_id is not None else ""
        with self._read() as conn:
            rows = conn.execute(f"{self._DEAL_SQL} {where} ORDER BY rowid", params).fetchall()
            history = conn.execute(f"SELECT deal_id, changed_on, close_date FROM close_dates{scope} ORDER BY id", params).fetchall()
            stages = conn.execute(f"SELECT deal_id, changed_on, stage, status FROM stage_changes{scope} ORDER BY id",
                                  params).fetchall()
        changes: dict[str, list[dict[str, str]]] = {}
        for h in history:
            changes.setdefault(h["deal_id"], []).append({"changed_on": h["changed_on"], "close_date": h["close_date"]})
        moves: dict[str, list[dict[str, str]]] = {}
        for s in stages:
            moves.setdefault(s["deal_id"], []).append({"changed_on": s["changed_on"], "stage": s["stage"], "status": s["status"]})
        return [_deal(r, changes.get(r["deal_id"], []), moves.get(r["deal_id"], [])) for r in rows]

    def deal(self, deal_id: str) -> Deal:
        """One deal with its close-date and stage history; RecordNotFoundError if the id is unknown."""
        with self._read() as conn:
            row = conn.execute(f"{self._DEAL_SQL} WHERE deal_id = ?", (deal_id,)).fetchone()
            history = conn.execute(
                "SELECT changed_on, close_date FROM close_dates WHERE deal_id = ? ORDER BY id", (deal_id,)
            ).fetchall()
            stages = conn.execute(
                "SELECT changed_on, stage, status FROM stage_changes WHERE deal_id = ? ORDER BY id", (deal_id,)
            ).fetchall()
        if row is None:
            raise RecordNotFoundError("deal", deal_id)
        return _deal(row, [dict(h) for h in history], [dict(s) for s in stages])

    # -- reads: calls, plans, debriefs --------------------------------------------------------------
    _CALL_SQL = (
        "SELECT c.call_id, c.deal_id, c.rep_id, c.date, p.json AS plan, d.json AS debrief FROM calls c "
        "LEFT JOIN plans p ON p.call_id = c.call_id LEFT JOIN debriefs d ON d.call_id = c.call_id"
    )

    def _call(self, row: sqlite3.Row) -> Call:
        return Call(
            call_id=row["call_id"],
            deal_id=row["deal_id"],
            rep_id=row["rep_id"],
            date=row["date"],
            plan=self._stored(CallPlan, row["plan"], row["call_id"]),
            debrief=self._stored(Debrief, row["debrief"], row["call_id"]),
        )

    def _stored(self, model: type[M], text: str | None, call_id: str) -> M | None:
        """A plan or debrief read back from its JSON; damaged JSON is a DamagedRecordError naming the call."""
        if not text:
            return None
        try:
            return model.model_validate_json(text)
        except ValidationError as exc:
            what = "plan" if model is CallPlan else "debrief"
            raise DamagedRecordError(self.path, what, call_id, _damage(exc), text) from None

    def calls(
        self, deal_id: str | None = None, rep_id: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[Call]:
        """Calls sorted by date (then id), optionally for one deal and/or rep, between since and until (inclusive)."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("c.deal_id = ?", deal_id),
            ("c.rep_id = ?", rep_id),
            ("c.date >= ?", iso(since)),
            ("c.date <= ?", iso(until)),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._db.execute(f"{self._CALL_SQL}{where} ORDER BY c.date, c.call_id", params).fetchall()
        return [self._call(r) for r in rows]

    def call(self, call_id: str) -> Call:
        """One call with its plan and debrief; RecordNotFoundError if the id is unknown."""
        row = self._db.execute(f"{self._CALL_SQL} WHERE c.call_id = ?", (call_id,)).fetchone()
        if row is None:
            raise RecordNotFoundError("call", call_id)
        return self._call(row)

    def plan(self, call_id: str) -> CallPlan | None:
        """The call's plan, or None (no plan, or no such call)."""
        row = self._db.execute("SELECT json FROM plans WHERE call_id = ?", (call_id,)).fetchone()
        return self._stored(CallPlan, row[0], call_id) if row else None

    def debrief(self, call_id: str) -> Debrief | None:
        """The call's debrief, or None (not debriefed, or no such call)."""
        row = self._db.execute("SELECT json FROM debriefs WHERE call_id = ?", (call_id,)).fetchone()
        return self._stored(Debrief, row[0], call_id) if row else None

    def latest_call_date(self) -> date | None:
        """The date of the most recent call in the workspace, or None when it has no calls."""
        row = self._db.execute("SELECT MAX(date) FROM calls").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def counts(self) -> dict[str, int]:
        """How many records of each kind the workspace holds."""
        tables = ("reps", "deals", "calls", "plans", "debriefs", "close_dates", "exercise_results")
        with self._read() as conn:
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    # -- reads: exercises and drafts -----------------------------------------------------------------
    def exercise_results(self, rep_id: str | None = None, workbook: str | None = None,
                         damaged: list[DamagedRecordError] | None = None) -> list[ExerciseResult]:
        """Every saved exercise answer (all attempts, oldest first), optionally for one rep and/or workbook.

        An answer that cannot be read back raises DamagedRecordError naming it; with a `damaged` list it is left
        out and added to the list instead (the exercise page shows it, and goes on with the others).
        """
        clauses, params = [], []
        if rep_id is not None:
            clauses.append("rep_id = ?")
            params.append(rep_id)
        if workbook is not None:
            clauses.append("workbook = ?")
            params.append(workbook)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._db.execute(f"SELECT id, rep_id, workbook, item_id, json FROM exercise_results{where} ORDER BY id",
                                params).fetchall()
        out: list[ExerciseResult] = []
        for row in rows:
            try:
                out.append(ExerciseResult.model_validate_json(row["json"]))
            except ValidationError as exc:
                error = DamagedRecordError(
                    self.path, "exercise result", f"{row['workbook']} {row['item_id']} of rep {row['rep_id']}",
                    _damage(exc), row["json"], remedy="it is left out, so that item counts as not answered yet; "
                    "`callkit export` saves the stored text in damaged.csv")
                if damaged is None:
                    raise error from None
                damaged.append(error)
        return out

    def load_draft(self, key: str) -> dict | None:
        """A form's saved draft (dates come back as ISO text), or None (also for a draft that cannot be read back:
        the form then starts from the saved record, and `callkit export` keeps the damaged text in damaged.csv)."""
        row = self._db.execute("SELECT json FROM drafts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def snapshots(self) -> list[dict[str, Any]]:
        """Every import, oldest first: import_id, as_of (the date the export shows), imported_at, source, summary."""
        rows = self._db.execute("SELECT import_id, as_of, imported_at, source, summary FROM imports ORDER BY import_id").fetchall()
        return [{**dict(r), "as_of": date.fromisoformat(r["as_of"]), "source": json.loads(r["source"]),
                 "summary": json.loads(r["summary"])} for r in rows]

    def latest_activity_date(self) -> date | None:
        """The latest day the data speaks of: a call, a snapshot, a deal created or closed (never a future forecast)."""
        row = self._db.execute(
            "SELECT MAX(d) FROM (SELECT MAX(date) AS d FROM calls UNION ALL SELECT MAX(as_of) FROM imports "
            "UNION ALL SELECT MAX(closed_on) FROM deals UNION ALL SELECT MAX(created) FROM deals)").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None



def _damage(exc: ValidationError) -> str:
    """What is wrong with a stored record, in a few words ("it is not complete JSON", "the objective: ...")."""
    from ..models import friendly_errors

    errors = exc.errors()
    if errors and errors[0].get("type", "").startswith("json"):
        return "its text is not complete JSON"
    try:
        field, sentence = next(iter(friendly_errors(exc).items()))
    except Exception:  # noqa: BLE001 - the description must never fail in its turn
        return f"{len(errors)} fields do not read back"
    sentence = sentence.rstrip(".")
    return f"{field}: {sentence[0].lower() + sentence[1:]}" if field else sentence


def _deal(row: sqlite3.Row, history: list[dict[str, str]], stages: list[dict[str, str]]) -> Deal:
    return Deal.model_validate({**dict(row), "close_date_history": history, "stage_history": stages})
