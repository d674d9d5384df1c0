"""The workspace as pandas DataFrames, for notebooks and reports: reps, deals, calls (plan and debrief facts as
flags, texts and counts), close-date changes, exercise answers. pandas is imported only when a frame is asked for.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from ..models import Call, ExerciseResult
from .records import RecordReads

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


class Frames(RecordReads):
    """DataFrames of the workspace's records."""

    def reps_frame(self) -> "pd.DataFrame":
        """One row per rep: rep_id, name, email, team, manager."""
        import pandas as pd

        return pd.read_sql_query("SELECT rep_id, name, email, team, manager FROM reps ORDER BY rowid", self._db)

    def deals_frame(self, rep_id: str | None = None) -> "pd.DataFrame":
        """One row per deal: ids, account, name, stage, close_date, amount, created, status, closed_on, lost_reason,
        close_date_changes and stage_changes (counts)."""
        import pandas as pd

        sql = (
            "SELECT d.deal_id, d.rep_id, d.account, d.name, d.stage, d.close_date, d.amount, d.created, d.status, "
            "d.closed_on, d.lost_reason, "
            "(SELECT COUNT(*) FROM close_dates h WHERE h.deal_id = d.deal_id) AS close_date_changes, "
            "(SELECT COUNT(*) FROM stage_changes s WHERE s.deal_id = d.deal_id) AS stage_changes FROM deals d"
        )
        params: tuple = ()
        if rep_id is not None:
            sql, params = sql + " WHERE d.rep_id = ?", (rep_id,)
        frame = pd.read_sql_query(sql + " ORDER BY d.rowid", self._db, params=params)
        frame["amount"] = pd.to_numeric(frame["amount"])
        return _dates(frame, ("close_date", "created", "closed_on"))

    def calls_frame(
        self, deal_id: str | None = None, rep_id: str | None = None, since: date | None = None, until: date | None = None
    ) -> "pd.DataFrame":
        """One row per call (filters as in calls()): plan and debrief facts as flags, texts and counts."""
        import pandas as pd

        rows = [_call_facts(c) for c in self.calls(deal_id=deal_id, rep_id=rep_id, since=since, until=until)]
        frame = pd.DataFrame(rows, columns=list(_CALL_FACT_COLUMNS))
        return _dates(frame, ("date", "next_call", "close_date_after"))

    def close_dates_frame(self) -> "pd.DataFrame":
        """One row per close-date change: deal_id, rep_id, changed_on, close_date (history order)."""
        import pandas as pd

        frame = pd.read_sql_query(
            "SELECT h.deal_id, d.rep_id, h.changed_on, h.close_date FROM close_dates h "
            "JOIN deals d ON d.deal_id = h.deal_id ORDER BY d.rowid, h.id",
            self._db,
        )
        return _dates(frame, ("changed_on", "close_date"))

    def exercise_results_frame(self, rep_id: str | None = None, workbook: str | None = None) -> "pd.DataFrame":
        """One row per saved exercise answer: rep_id, workbook, item_id, answer, score, passed, feedback, answered_at."""
        import pandas as pd

        columns = list(ExerciseResult.model_fields)
        results = self.exercise_results(rep_id=rep_id, workbook=workbook)
        frame = pd.DataFrame([r.model_dump() for r in results], columns=columns)
        frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True)
        return frame


_CALL_FACT_COLUMNS = (
    "call_id", "deal_id", "rep_id", "date", "has_plan", "objective", "fallback", "customer_value", "attendees",
    "agenda_items", "agenda_shared", "agenda_agreed", "planned_steps", "questions", "has_research", "concerns",
    "has_debrief", "outcome", "best_met", "fallback_met", "commitments", "dated_commitments", "unanswered",
    "completed_steps", "follow_ups", "next_call", "close_date_after", "notes",
)


def _call_facts(call: Call) -> dict[str, Any]:
    """The calls_frame row of one call: texts, yes/no flags and counts (lists become their length)."""
    p, d = call.plan, call.debrief
    return {
        "call_id": call.call_id,
        "deal_id": call.deal_id,
        "rep_id": call.rep_id,
        "date": call.date,
        "has_plan": p is not None,
        "objective": p.objective if p else "",
        "fallback": p.fallback if p else "",
        "customer_value": p.customer_value if p else "",
        "attendees": len(p.attendees) if p else 0,
        "agenda_items": len(p.agenda) if p else 0,
        "agenda_shared": bool(p and p.agenda_shared),
        "agenda_agreed": bool(p and p.agenda_agreed),
        "planned_steps": len(p.planned_steps) if p else 0,
        "questions": len(p.questions) if p else 0,
        "has_research": bool(p and not p.research.is_empty()),
        "concerns": len(p.concerns) if p else 0,
        "has_debrief": d is not None,
        "outcome": d.outcome if d else None,
        "best_met": bool(d and d.best_met),
        "fallback_met": bool(d and d.fallback_met),
        "commitments": len(d.commitments) if d else 0,
        "dated_commitments": sum(c.is_dated for c in d.commitments) if d else 0,
        "unanswered": len(d.learned.unanswered()) if d else 0,
        "completed_steps": len(d.completed_steps) if d else 0,
        "follow_ups": len(d.follow_ups) if d else 0,
        "next_call": d.next_call if d else None,
        "close_date_after": d.close_date_after if d else None,
        "notes": d.notes if d else "",
    }


def _dates(frame: "pd.DataFrame", columns: Iterable[str]) -> "pd.DataFrame":
    """Turn ISO date columns into pandas datetimes (NaT for blanks)."""
    import pandas as pd

    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame
